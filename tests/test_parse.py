"""The parser on the bundled resolution and on made-up texts of the same layout."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import FIXTURES
from mandate_graph.model import Resolution
from mandate_graph.parse import parse_file, parse_text


def clauses(res: Resolution, number: int) -> list[tuple]:
    para = res.operative[number - 1]
    return [(c.verb, c.modifiers, c.addressees, c.deadlines, c.conditions, c.report) for c in para.mandates]


# ---------------------------------------------------------------- A/RES/80/229


def test_heading_of_80_229(res_80_229: Resolution) -> None:
    r = res_80_229
    assert r.symbol == "A/RES/80/229"
    assert r.language == "zh"
    assert r.session == 80
    assert r.agenda_items == [107]
    assert r.adoption_date == dt.date(2025, 12, 18)
    assert r.distribution_date == dt.date(2025, 12, 22)
    assert r.committee == "第三委员会"
    assert r.committee_report == "A/80/545"
    assert r.plenary_meeting == 69
    assert r.title == "加强联合国预防犯罪和刑事司法方案，特别是其技术合作能力"


def test_all_79_operative_paragraphs_in_order(res_80_229: Resolution) -> None:
    assert [p.number for p in res_80_229.operative] == list(range(1, 80))


def test_preamble_rejoined_across_page_breaks(res_80_229: Resolution) -> None:
    pre = res_80_229.preambular
    assert len(pre) == 78
    # split by a page break with footnotes 1-5 between the halves
    assert pre[1].text.startswith("又重申其关于亟须加强国际合作")
    assert pre[1].text.endswith("(《联合国打击网络犯罪公约》),")
    assert pre[1].footnotes == [1, 2, 3, 4, 5]
    assert all(p.verb for p in pre), [p.text[:10] for p in pre if not p.verb]


def test_operative_paragraph_split_mid_word_is_rejoined(res_80_229: Resolution) -> None:
    # paragraph 22 is cut inside 还邀请 by a page break
    assert "还邀请主席编写一份关于讨论情况的摘要" in res_80_229.operative[21].text


def test_markup_and_footnote_digits_removed(res_80_229: Resolution) -> None:
    first = res_80_229.operative[0]
    assert first.text == "表示赞赏地注意到秘书长依照第 78/229 号决议编写的报告；"
    assert first.footnotes == [49]
    assert [c.symbol for c in first.citations] == ["A/RES/78/229", "A/80/157"]


def test_every_paragraph_and_clause_points_back_at_its_source(res_80_229: Resolution) -> None:
    source = (FIXTURES.parent.parent / "data" / "A_RES_80_229.zh.txt").read_text(encoding="utf-8")
    for para in res_80_229.paragraphs:
        for clause in para.clauses:
            raw = source[clause.span.start : clause.span.end].replace("**", "")
            assert raw.startswith(clause.text[:2]), (para.number, clause.text[:20])
            assert raw.endswith(clause.text[-1])
            assert para.span.start <= clause.span.start < clause.span.end <= para.span.end


def test_two_mandates_in_paragraph_3(res_80_229: Resolution) -> None:
    assert clauses(res_80_229, 3) == [
        ("calls-upon", [], ["member-states"], [], [], False),
        ("requests", [], ["unodc"], [], ["upon-request"], False),
    ]


def test_paragraph_22_debate_during_80th_session_and_summary(res_80_229: Resolution) -> None:
    assert clauses(res_80_229, 22) == [
        ("invites", [], ["president-of-the-general-assembly"], [80], ["within-existing-resources"], False),
        ("invites", ["also"], ["president-of-the-general-assembly"], [], [], True),
    ]


def test_report_to_81st_and_82nd_sessions(res_80_229: Resolution) -> None:
    (m,) = res_80_229.operative[77].mandates
    assert (m.verb, m.addressees, m.deadlines, m.report, m.report_to) == (
        "requests",
        ["secretary-general"],
        [81, 82],
        True,
        ["general-assembly"],
    )
    assert res_80_229.sessions[81].start == dt.date(2026, 9, 8)
    assert res_80_229.sessions[81].end == dt.date(2027, 9, 6)
    assert res_80_229.sessions[82].start == dt.date(2027, 9, 7)


def test_decision_is_addressed_to_the_assembly_itself(res_80_229: Resolution) -> None:
    assert clauses(res_80_229, 79) == [("decides", [], ["general-assembly"], [82], [], False)]


def test_call_for_action_without_addressee(res_80_229: Resolution) -> None:
    (m,) = res_80_229.operative[15].mandates
    assert m.verb == "calls-for" and m.addressees == [] and m.no_addressee


def test_verb_of_another_body_is_not_a_mandate(res_80_229: Resolution) -> None:
    # paragraph 6 recalls a Conference resolution "in which it urged States parties"
    assert res_80_229.operative[5].mandates == []
    # paragraph 7: States parties asking UNODC for assistance is not the Assembly's request
    assert clauses(res_80_229, 7) == [("urges", [], ["states-parties-untoc"], [], [], False)]


def test_bare_states_parties_take_the_convention_from_context(res_80_229: Resolution) -> None:
    assert [c[2] for c in clauses(res_80_229, 11)] == [["states-parties-uncac"], ["states-parties-uncac"]]
    assert [sorted(c[2]) for c in clauses(res_80_229, 52)] == [["states-parties-uncac", "states-parties-untoc"]]
    # no convention in sight: the generic group
    assert clauses(res_80_229, 14)[0][2] == ["states-parties"]


def test_wildcard_actor_label(res_80_229: Resolution) -> None:
    assert clauses(res_80_229, 5)[0][2] == ["member-states-not-yet-party"]


def test_with_not_a_second_addressee(res_80_229: Resolution) -> None:
    # "请……办公室与……委员会……协商": the committee is a partner, not an addressee
    assert clauses(res_80_229, 48)[0][2] == ["unodc"]


def test_modifiers(res_80_229: Resolution) -> None:
    assert clauses(res_80_229, 61)[0][1] == ["strongly"]
    assert [c[1] for c in clauses(res_80_229, 73)] == [["again"], [], ["strongly"]]
    assert clauses(res_80_229, 12)[0][1] == ["also"]


def test_mandate_count(res_80_229: Resolution) -> None:
    assert len(res_80_229.mandates) == 101
    assert sum(1 for p in res_80_229.operative if not p.mandates) == 8


def test_citations_resolve_issuers(res_80_229: Resolution) -> None:
    symbols = {c.symbol for p in res_80_229.paragraphs for c in p.citations}
    assert {"A/RES/46/152", "A/RES/78/229", "E/RES/2017/19", "E/2025/30", "CTOC/COP/2024/11", "A/RES/S-32/1"} <= symbols
    assert "A/RES/2200(XXI)" in symbols
    # resolutions of the Commission or of a Conference of the Parties are not Assembly resolutions
    assert "A/RES/25/2" not in symbols
    assert "A/RES/11/2" not in symbols
    assert "A/RES/10/4" not in symbols


# ---------------------------------------------------------------- made-up texts


@pytest.fixture(scope="module")
def made_up() -> Resolution:
    return parse_file(FIXTURES / "texts" / "zh_made_up.txt")


def test_made_up_heading(made_up: Resolution) -> None:
    assert made_up.symbol == "A/RES/85/17"
    assert made_up.agenda_items == [12, 34]
    assert made_up.committee == "第六委员会"
    assert made_up.plenary_meeting == 50


def test_made_up_mandates(made_up: Resolution) -> None:
    assert clauses(made_up, 2) == [
        ("calls-upon", [], ["member-states"], [], ["upon-request"], False),
        ("requests", [], ["unodc"], [], ["subject-to-extrabudgetary-resources"], False),
        ("invites", [], ["donors"], [], [], False),
    ]
    assert clauses(made_up, 3) == [
        ("encourages", ["also"], ["states-parties-uncac"], [], [], False),
        ("calls-upon", [], ["states-parties-uncac"], [], [], False),
    ]
    assert clauses(made_up, 4) == []  # the Conference urges, not the Assembly


def test_sessions_beyond_the_calendar_are_computed_and_marked(made_up: Resolution) -> None:
    s = made_up.sessions[86]
    assert s.computed
    assert s.start == dt.date(2031, 9, 9)  # Tuesday of the second week of September
    assert s.end == dt.date(2032, 9, 6)


def test_commission_resolution_is_not_an_assembly_resolution(made_up: Resolution) -> None:
    symbols = [c.symbol for c in made_up.preambular[1].citations]
    assert "E/RES/2029/8" in symbols and "A/85/300" in symbols
    assert not any("38/2" in s for s in symbols)


def test_unknown_verb_is_a_warning_not_an_error() -> None:
    text = (FIXTURES / "texts" / "zh_made_up.txt").read_text(encoding="utf-8")
    res = parse_text(text.replace("5. 呼吁加强区域合作；", "5. 宣称加强区域合作；"), "x.txt")
    assert res.operative[4].verb is None
    assert res.operative[4].warnings == ["operative paragraph 5: no verb from the vocabulary at its start"]


# ---------------------------------------------------------------- an older layout


@pytest.fixture(scope="module")
def older() -> Resolution:
    """Full-width digits and punctuation, "1/" footnotes, no bold, no distribution line, and
    no paragraph breaks: paragraphs run together on a line or are broken mid-sentence."""
    return parse_file(FIXTURES / "texts" / "zh_older_made_up.txt")


def test_older_heading(older: Resolution) -> None:
    assert (older.symbol, older.session, older.title) == ("A/RES/86/12", 86, "示范海洋合作")
    assert older.agenda_items == [45]
    assert older.adoption_date == older.closing_date == dt.date(2031, 11, 20)
    assert (older.committee, older.committee_report, older.plenary_meeting) == ("第二委员会", "A/86/410", 60)
    assert older.distribution_date is None
    assert older.warnings == []


def test_older_paragraphs_without_breaks(older: Resolution) -> None:
    assert [p.verb for p in older.preambular] == ["recalls", "notes", "expresses-concern"]
    assert older.preambular[2].text == "深为关切海洋环境持续退化，并确认各国在这方面所作的努力，"
    assert [p.number for p in older.operative] == list(range(1, 9))
    assert older.operative[0].text == "赞同秘书长报告所载的各项建议；"
    assert older.operative[3].text == "核可下列工作方案：（a）区域讲习班；（b）专家会议；"
    assert "说明本决议的执行情况；" in older.operative[6].text


def test_older_verbs(older: Resolution) -> None:
    verbs = [p.verb for p in older.operative]
    assert verbs == ["endorses", "requests", "calls-upon", "approves", "declares", "condemns", "requests", "decides"]


def test_older_mandates(older: Resolution) -> None:
    assert clauses(older, 1) == []
    assert clauses(older, 2) == [("requests", [], ["member-states"], [], ["within-existing-resources"], False)]
    assert clauses(older, 3) == [
        ("calls-upon", [], ["states"], [], ["upon-request"], False),
        ("authorizes", [], ["secretary-general"], [], ["subject-to-extrabudgetary-resources"], False),
    ]
    assert clauses(older, 4) == [("approves", [], [], [], [], False)]
    assert clauses(older, 5) == clauses(older, 6) == []
    (report,) = older.operative[6].mandates
    assert (report.addressees, report.deadlines, report.report, report.report_to) == (
        ["secretary-general"],
        [87, 88],
        True,
        ["general-assembly"],
    )
    assert clauses(older, 8) == [("decides", [], ["general-assembly"], [87], [], False)]


def test_older_footnotes_and_citations(older: Resolution) -> None:
    assert sorted(older.footnotes) == [1, 2]
    assert older.footnotes[1].text == "A/86/300。"
    assert older.preambular[1].footnotes == [1]
    assert older.operative[6].footnotes == [2]
    assert [c.symbol for c in older.preambular[0].citations] == ["A/RES/84/40"]
    assert [c.symbol for c in older.preambular[1].citations] == ["E/RES/2030/8", "A/86/300"]
    assert [c.symbol for c in older.operative[6].citations] == ["A/86/301"]
