"""The parser on English texts: made-up fixtures (the corpus is read in test_corpus.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import FIXTURES
from mandate_graph.errors import InputError
from mandate_graph.model import Resolution
from mandate_graph.parse import parse_file, parse_text


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


def made_up_with(old: str, new: str) -> Resolution:
    text = (FIXTURES / "texts" / "en_made_up.txt").read_text(encoding="utf-8")
    assert old in text
    return parse_text(text.replace(old, new), "A_RES_85_18.en.txt")


def test_participles_inside_an_operative_paragraph_do_not_cut_the_mandate() -> None:
    r = made_up_with(
        "Requests the Secretary-General to submit",
        "Requests the Secretary-General, taking into account the views of Member States, bearing in mind "
        "resolution 83/40 and recognizing that resources are limited, to submit",
    )
    para = r.operative[4]
    assert [c.verb for c in para.clauses] == ["requests"]
    (report,) = para.mandates
    assert (report.deadlines, report.report, report.report_to) == ([86, 87], True, ["general-assembly"])


def test_finite_verbs_after_a_connector_still_open_clauses() -> None:
    r = made_up_with(
        "Calls upon Member States, upon request,", "Calls upon Member States, mindful of their needs, upon request,"
    )
    assert [c.verb for c in r.operative[1].clauses] == ["calls-upon", "requests", "invites"]


@pytest.mark.parametrize(
    ("opening", "modifiers", "addressees"),
    [
        ("Encourages further cooperation among Member States", [], []),
        ("Calls for further efforts by Member States", [], []),
        ("Decides further that the item be considered", ["further"], ["general-assembly"]),
        ("Encourages further Member States to act", ["further"], ["member-states"]),
        ("Further requests the Secretary-General to act", ["further"], ["secretary-general"]),
    ],
)
def test_further_before_a_noun_is_not_a_modifier(opening: str, modifiers: list[str], addressees: list[str]) -> None:
    para = made_up_with("Takes note of the report of the Secretary-General", opening).operative[0]
    assert (para.modifiers, para.clauses[0].addressees) == (modifiers, addressees)


def test_paragraph_number_without_its_dot_continues_the_numbering() -> None:
    r = made_up_with("6.\tRequests the Human", "6 Requests the Human")
    assert [p.number for p in r.operative] == list(range(1, 8))
    assert r.operative[5].verb == "requests"


def test_number_without_dot_out_of_sequence_is_not_a_paragraph() -> None:
    with pytest.raises(InputError, match="operative paragraph 6 is missing"):
        made_up_with("6.\tRequests the Human", "9 Requests the Human")


DEFINITE = """\
Resolution adopted by the General Assembly on 20 December 2030

85/30.	Model debates

The General Assembly,

1.	Invites the President of the General Assembly to hold, within existing resources and during the
eighty-sixth session, a high-level debate;

2.	Invites the Commission on the Status of Women to consider the question during the eighty-sixth
session of the Commission;

3.	Invites the Human Rights Council to hold a panel during the sixtieth session;

50th plenary meeting
20 December 2030
"""


def test_a_session_named_with_the_article_is_the_assemblys_when_near_its_own() -> None:
    res = parse_text(DEFINITE, "A_RES_85_30.en.txt")
    assert [[c.deadlines for c in p.mandates] for p in res.operative] == [[[86]], [[]], [[]]]


@pytest.mark.parametrize(
    ("title_line", "part_line"),
    [("85/18.\tStrengthening model cooperation", "B"), ("85/18.\tStrengthening model cooperation B*", None)],
    ids=["part-on-its-own-line", "part-after-title"],
)
def test_part_of_a_resolution_adopted_in_parts_is_in_its_symbol(
    tmp_path, title_line: str, part_line: str | None
) -> None:
    # 72/266 A and 72/266 B are two resolutions; read as "72/266" both would be one graph
    text = (FIXTURES / "texts" / "en_made_up.txt").read_text(encoding="utf-8")
    text = text.replace(
        "85/18.\tStrengthening model cooperation", title_line + (f"\n\n{part_line}" if part_line else "")
    )
    path = tmp_path / "A_RES_85_18_B.en.txt"
    path.write_text(text, encoding="utf-8")
    res = parse_file(path)
    assert res.symbol == "A/RES/85/18 B"
    assert res.title == "Strengthening model cooperation"
    other = tmp_path / "A_RES_85_18.en.txt"
    other.write_text(text, encoding="utf-8")
    assert parse_file(other).symbol == "A/RES/85/18"


@pytest.mark.parametrize("cited", ["83/40 B", "83/40B"])
def test_a_cited_part_is_written_as_in_its_own_symbol(cited: str) -> None:
    # A/RES/48/218 B cited as "48/218B" gave a second symbol for the same resolution
    text = (FIXTURES / "texts" / "en_made_up.txt").read_text(encoding="utf-8")
    res = parse_text(text.replace("its resolution 83/40 of", f"its resolution {cited} of"), "A_RES_85_18.en.txt")
    symbols = {c.symbol for p in res.paragraphs for c in p.citations}
    assert "A/RES/83/40 B" in symbols and "A/RES/83/40B" not in symbols
