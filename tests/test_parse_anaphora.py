"""Anaphors: short forms that refer back to an actor named earlier ("the Office", "该办公室").

They are vocabulary data (mg:anaphor in ontology/vocab/actors.ttl); the parser reads one as
the actor, among those that go by it, named in full most recently before it."""

from __future__ import annotations

from mandate_graph.model import Resolution
from mandate_graph.parse import parse_text
from mandate_graph.vocab import fold, lexicon

EN = """Resolution adopted by the General Assembly on 20 December 2030

85/40.\tModel title

The General Assembly,

{preamble},

{operative}

50th plenary meeting
20 December 2030
"""

ZH = """85/41. 示范标题

大会，

{preamble}，

{operative}

2030 年 12 月 20 日
"""


def en(preamble: str, *paragraphs: str) -> Resolution:
    operative = "\n\n".join(f"{n}.\t{p}" for n, p in enumerate(paragraphs, 1))
    return parse_text(EN.format(preamble=preamble, operative=operative), "A_RES_85_40.en.txt")


def zh(preamble: str, *paragraphs: str) -> Resolution:
    operative = "\n\n".join(f"{n}. {p}" for n, p in enumerate(paragraphs, 1))
    return parse_text(ZH.format(preamble=preamble, operative=operative), "A_RES_85_41.zh.txt")


def addressees(res: Resolution) -> list[list[str]]:
    return [c.addressees for p in res.operative for c in p.mandates]


def test_anaphors_are_vocabulary_data_not_names() -> None:
    lex = lexicon("en")
    assert {"unodc", "unhcr", "ohchr"} <= lex.antecedents("the office")
    assert "unoct" not in lex.antecedents("the office")
    assert "the office" not in {fold(e.label) for e in lex.actors.entries}
    assert "unodc" in lexicon("zh").antecedents("该办公室")
    assert ("该办公室", "unodc") not in {(e.label, e.code) for e in lexicon("zh").actors.entries}


def test_anaphor_refers_to_the_actor_named_in_the_preamble() -> None:
    res = en(
        "Noting the work of the United Nations Office on Drugs and Crime",
        "Requests the Office to continue its work;",
        "Encourages the Office to cooperate with Member States.",
    )
    assert addressees(res) == [["unodc"], ["unodc"]]
    assert [w for p in res.operative for w in p.warnings] == []


def test_anaphor_refers_to_the_most_recently_named_of_its_actors() -> None:
    res = en(
        "Noting the work of the United Nations Office on Drugs and Crime and of the Office of the "
        "United Nations High Commissioner for Refugees",
        "Requests the Office to continue its work;",
        "Welcomes the work of the United Nations Office on Drugs and Crime, and requests the Office to report;",
        "Invites the Office of the United Nations High Commissioner for Human Rights to assist, "
        "and requests the Office to report.",
    )
    assert addressees(res) == [["unhcr"], ["unodc"], ["ohchr"], ["ohchr"]]


def test_two_offices_in_one_paragraph_each_resolve_to_their_own_antecedent() -> None:
    res = en(
        "Recalling its earlier resolutions",
        "Welcomes the report of the United Nations Office on Drugs and Crime and requests the Office to "
        "continue, and notes the work of the Office of the United Nations High Commissioner for Refugees "
        "and requests the Office to cooperate.",
    )
    assert addressees(res) == [["unodc"], ["unhcr"]]


def test_a_name_named_after_the_anaphor_is_not_its_antecedent() -> None:
    res = en(
        "Noting the work of the United Nations Office on Drugs and Crime",
        "Requests the Office to cooperate with the Office of the United Nations High Commissioner for Refugees.",
    )
    assert addressees(res) == [["unodc"]]


def test_anaphor_before_any_antecedent_stays_unresolved_with_a_warning() -> None:
    res = en("Recalling its earlier resolutions", "Requests the Office to continue its work.")
    (mandate,) = res.operative[0].mandates
    assert (mandate.addressees, mandate.addressee_text) == ([], "the Office")
    assert res.operative[0].warnings == [
        "operative paragraph 1: the addressee of 'requests' ('the Office') refers back to an actor, "
        "but none that goes by that name is named earlier in the text"
    ]


def test_unknown_addressee_warning_is_a_sentence() -> None:
    res = en("Recalling its earlier resolutions", "Requests the Model Drafting Board to continue its work.")
    assert res.operative[0].warnings == [
        "operative paragraph 1: the addressee of 'requests' is not in the actor vocabulary ('the Model Drafting Board')"
    ]


def test_anaphor_is_not_the_start_of_a_longer_name() -> None:
    res = en(
        "Noting the work of the United Nations Office on Drugs and Crime",
        "Requests the Office of Legal Affairs to assist;",
        "Requests the Office for Outer Space Affairs to assist.",
    )
    assert addressees(res) == [[], ["oosa"]]
    assert res.operative[0].mandates[0].addressee_text == "the Office of Legal Affairs"


def test_anaphor_after_a_joiner_and_in_report_to() -> None:
    res = en(
        "Noting the work of the Commission on Crime Prevention and Criminal Justice",
        "Requests the Secretary-General and the Commission to submit a report to the Commission at its "
        "fortieth session.",
    )
    (mandate,) = res.operative[0].mandates
    assert mandate.addressees == ["secretary-general", "ccpcj"]


def test_chinese_anaphor_refers_to_the_most_recently_named_office() -> None:
    res = zh(
        "注意到联合国毒品和犯罪问题办公室的工作",
        "请该办公室继续开展工作；",
        "欢迎外层空间事务厅的工作，并请该厅提交报告；",
        "表示注意到毒品和犯罪问题办公室的报告，并请该办公室提供援助。",
    )
    assert addressees(res) == [["unodc"], ["oosa"], ["unodc"]]


def test_chinese_two_offices_resolve_to_the_right_one_each() -> None:
    res = zh(
        "注意到联合国难民事务高级专员办事处和联合国毒品和犯罪问题办公室的工作",
        "请该办公室继续开展工作，并请该办事处提供援助。",
    )
    assert addressees(res) == [["unodc"], ["unhcr"]]


def test_chinese_anaphor_without_antecedent_stays_unresolved() -> None:
    res = zh("回顾其以往各项决议", "请该办公室继续开展工作。")
    (mandate,) = res.operative[0].mandates
    assert mandate.addressees == []
    assert res.operative[0].warnings and "refers back to an actor" in res.operative[0].warnings[0]
