"""The parser on English texts: made-up fixtures and, when present, the development corpus."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import FIXTURES
from mandate_graph.model import Resolution
from mandate_graph.parse import parse_file


def clauses(res: Resolution, number: int) -> list[tuple]:
    para = res.operative[number - 1]
    return [(c.verb, c.modifiers, c.addressees, c.deadlines, c.conditions, c.report) for c in para.mandates]


@pytest.fixture(scope="module")
def made_up_en() -> Resolution:
    return parse_file(FIXTURES / "texts" / "en_made_up.txt")


def test_english_is_detected_and_read(made_up_en: Resolution) -> None:
    r = made_up_en
    assert (r.language, r.symbol, r.session) == ("en", "A/RES/85/18", 85)
    assert r.adoption_date == dt.date(2030, 12, 20)
    assert (r.committee, r.committee_report, r.plenary_meeting) == ("Sixth Committee", "A/85/601", 50)
    assert [p.verb for p in r.preambular] == ["reaffirms", "recalls", "expresses-concern"]
    assert r.preambular[1].modifiers == ["also"]
    assert [p.number for p in r.operative] == list(range(1, 8))


def test_english_clauses(made_up_en: Resolution) -> None:
    assert clauses(made_up_en, 2) == [
        ("calls-upon", [], ["member-states"], [], ["upon-request"], False),
        ("requests", [], ["unodc"], [], ["subject-to-extrabudgetary-resources"], False),
        ("invites", [], ["donors"], [], [], False),
    ]
    assert clauses(made_up_en, 3) == [("encourages", ["also"], ["states-parties-uncac"], [], [], False)]
    assert clauses(made_up_en, 4) == []  # "in which the Conference urged": not the Assembly


def test_english_deadlines_belong_to_the_assembly_only(made_up_en: Resolution) -> None:
    (report,) = made_up_en.operative[4].mandates
    assert (report.deadlines, report.report, report.report_to) == ([86, 87], True, ["general-assembly"])
    (hrc,) = made_up_en.operative[5].mandates
    assert hrc.deadlines == []  # the sixtieth session is the Council's
    (agenda,) = made_up_en.operative[6].mandates
    assert (agenda.verb, agenda.addressees, agenda.deadlines) == ("decides", ["general-assembly"], [86])


def test_english_footnote_markers_and_citations(made_up_en: Resolution) -> None:
    first = made_up_en.operative[0]
    assert first.text == "Takes note of the report of the Secretary-General;"
    assert first.footnotes == [1]
    symbols = [c.symbol for c in made_up_en.preambular[0].citations]
    assert symbols == ["A/RES/83/40", "E/RES/2029/8"]
    assert made_up_en.preambular[1].citations == []  # a Commission's and a Conference's resolutions


@pytest.mark.corpus
def test_78_229_in_english(corpus) -> None:
    r = parse_file(corpus / "A_RES_78_229.en.txt")
    assert (r.symbol, r.session, len(r.operative)) == ("A/RES/78/229", 78, 93)
    (report,) = r.operative[91].mandates
    assert (report.verb, report.addressees, report.deadlines, report.report) == (
        "requests",
        ["secretary-general"],
        [79, 80],
        True,
    )
    (decision,) = r.operative[92].mandates
    assert (decision.verb, decision.deadlines) == ("decides", [80])
