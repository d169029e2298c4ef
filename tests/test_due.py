"""Due dates on the session calendar, and the iCalendar export read back by an independent parser."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from rdflib import Graph

from mandate_graph.due import Due, _fold, due, ics, state_of, uid
from mandate_graph.graph import to_graph
from mandate_graph.parse import parse_text
from mandate_graph.vocab import vocabulary_graph

AS_OF = dt.date(2026, 11, 28)


def rows(items: list[Due]) -> list[tuple]:
    return [(i.state, i.session, i.paragraph) for i in items]


def test_states_on_80_229(graph_80_229: Graph) -> None:
    items = due(graph_80_229, vocabulary_graph(), as_of=AS_OF)
    assert rows(items) == [
        ("past", 80, 22),  # a debate during the eightieth session
        ("current", 81, 23),  # a debate during the eighty-first session
        ("current", 81, 78),  # report at the eighty-first session
        ("upcoming", 82, 78),  # … and at the eighty-second
        ("upcoming", 82, 79),  # the item on the agenda of the eighty-second
    ]
    current = items[1]
    assert (current.start, current.end, current.computed) == (dt.date(2026, 9, 8), dt.date(2027, 9, 6), False)


def test_window_addressee_and_open_ended(graph_80_229: Graph) -> None:
    vocab = vocabulary_graph()
    window = due(graph_80_229, vocab, as_of=AS_OF, since=AS_OF, until=dt.date(2027, 6, 30))
    assert rows(window) == [("current", 81, 23), ("current", 81, 78)]
    sg = due(graph_80_229, vocab, as_of=AS_OF, addressee={"secretary-general"})
    assert {i.paragraph for i in sg} == {78}
    everything = due(graph_80_229, vocab, as_of=AS_OF, open_ended=True)
    open_ended = [i for i in everything if i.state == "open-ended"]
    assert len(open_ended) == 101 - 4  # every mandate but the four with deadlines (22, 23, 78, 79)
    assert all(i.session is None for i in open_ended)
    assert everything[:5] == due(graph_80_229, vocab, as_of=AS_OF)  # dated first, in calendar order


def test_state_boundaries() -> None:
    start, end = dt.date(2026, 9, 8), dt.date(2027, 9, 6)
    assert state_of(start, end, start) == "current"
    assert state_of(start, end, end) == "current"
    assert state_of(start, end, start - dt.timedelta(days=1)) == "upcoming"
    assert state_of(start, end, end + dt.timedelta(days=1)) == "past"


MADE_UP = """\
联合国 A/RES/95/7
大会 Distr.: General
2040年12月20日
第九十五届会议
议程项目 12
2040年12月18日大会决议
95/7. 一项虚构的决议
大会，
1. 请秘书长向大会第九十七届会议提交一份报告；
第60次全体会议
2040年12月18日
"""


def test_computed_session_dates_are_marked() -> None:
    g = to_graph(parse_text(MADE_UP, name="A_RES_95_7.zh.txt"))
    (item,) = due(g, vocabulary_graph(), as_of=dt.date(2040, 12, 20))
    assert (item.session, item.state, item.computed) == (97, "upcoming", True)
    assert item.start == dt.date(2042, 9, 9)  # Tuesday of the second week of September 2042
    (event,) = icalendar.Calendar.from_ical(ics([item])).walk("VEVENT")
    assert "dates computed from the rules of procedure" in str(event["DESCRIPTION"])


def test_ics_parses_back_with_an_independent_parser(graph_80_229: Graph) -> None:
    items = due(graph_80_229, vocabulary_graph(), as_of=AS_OF)
    text = ics(items)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    cal = icalendar.Calendar.from_ical(text)
    events = list(cal.walk("VEVENT"))
    assert len(events) == len(items) == 5
    report = next(e for e in events if "para 78" in str(e["SUMMARY"]) and "81" in str(e["SUMMARY"]))
    assert report.decoded("DTSTART") == dt.date(2026, 9, 8)
    assert report.decoded("DTEND") == dt.date(2026, 9, 9)
    description = str(report["DESCRIPTION"])
    assert "请秘书长向大会第八十一届和第八十二届会议" in description
    assert "https://undocs.org/A/RES/80/229" in description
    assert str(report["URL"]) == "https://undocs.org/A/RES/80/229"
    # stable identifiers: the same input gives the same UIDs, and every UID differs
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == 5
    assert uids == [uid(i) for i in due(graph_80_229, vocabulary_graph(), as_of=dt.date(2030, 1, 1))]
    assert ics(items) == text


@pytest.mark.parametrize("line", ["a" * 200, "会" * 100, "x" + "é" * 90, "短"])
def test_fold_keeps_characters_whole(line: str) -> None:
    folded = _fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert parts[0] + "".join(p[1:] for p in parts[1:]) == line
