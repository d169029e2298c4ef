"""The vocabularies are the parser's lexicon."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, RDFS, SKOS

from mandate_graph.iris import MG
from mandate_graph.numerals import en_ordinal, zh_number
from mandate_graph.vocab import Matcher, lexicon, session_dates, vocabulary_graph

REQUIRED = {
    MG.MandateVerb: "requests calls-upon urges encourages invites decides recommends calls-for",
    MG.PositionVerb: "reaffirms welcomes takes-note notes-with-appreciation emphasizes stresses "
    "expresses-concern recalls recognizes appreciates",
    MG.VerbModifier: "also further again strongly",
    MG.Actor: "member-states states states-parties-untoc states-parties-uncac states-parties-firearms-protocol "
    "states-parties member-states-not-yet-party unodc secretary-general secretariat ccpcj "
    "president-of-the-general-assembly general-assembly states-and-other-stakeholders donors un-entities",
    MG.Condition: "upon-request within-existing-resources subject-to-extrabudgetary-resources within-mandate",
}


@pytest.mark.parametrize("cls", list(REQUIRED), ids=lambda c: c.rsplit("#", 1)[-1])
def test_required_codes_exist(cls) -> None:
    g = vocabulary_graph()
    codes = {str(g.value(s, SKOS.notation)) for s in g.subjects(RDF.type, cls)}
    assert set(REQUIRED[cls].split()) <= codes


def test_lexicon_is_exactly_the_labels_in_the_files() -> None:
    g = vocabulary_graph()
    lex = lexicon("zh")
    expected = {
        (str(label), str(g.value(s, SKOS.notation)))
        for s in g.subjects(RDF.type, MG.Actor)
        for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
        for label in g.objects(s, p)
        if isinstance(label, Literal) and label.language == "zh"
    }
    assert {(e.label, e.code) for e in lex.actors.entries} == expected
    assert ("毒品和犯罪问题办公室", "unodc") in expected
    assert {("促请", "calls-upon"), ("吁请", "calls-upon")} <= {(e.label, e.code) for e in lex.verbs.entries}


def test_anaphors_are_read_from_mg_anaphor_and_are_not_names() -> None:
    g = vocabulary_graph()
    lex = lexicon("zh")
    expected: dict[str, set[str]] = {}
    for s, label in g.subject_objects(MG.anaphor):
        if isinstance(label, Literal) and label.language == "zh":
            expected.setdefault(str(label), set()).add(str(g.value(s, SKOS.notation)))
    assert lex.anaphor_actors == expected
    assert "unodc" in expected["该办公室"]
    # by entailment an anaphor is a skos:hiddenLabel; it still is not matched as a name
    assert (MG.anaphor, RDFS.subPropertyOf, SKOS.hiddenLabel) in g
    names = {e.label for e in lex.actors.entries}
    assert not names & set(expected)


def test_an_anaphor_entailed_to_be_a_hidden_label_is_still_not_a_name() -> None:
    from rdflib import Graph, URIRef

    from mandate_graph.vocab import _matcher

    office = URIRef("https://w3id.org/mandate-graph/vocab/actor/office")
    g = Graph()
    g.add((office, RDF.type, MG.Actor))
    g.add((office, SKOS.notation, Literal("office")))
    g.add((office, SKOS.prefLabel, Literal("Model Office", lang="en")))
    g.add((office, MG.anaphor, Literal("the Office", lang="en")))
    g.add((office, SKOS.hiddenLabel, Literal("the Office", lang="en")))  # as an OWL-RL closure adds it
    assert [e.label for e in _matcher(g, MG.Actor, "en", ".*?").entries] == ["Model Office"]


def test_longest_match_and_wildcards() -> None:
    lex = lexicon("zh")
    text = "敦促尚未批准或加入《某公约》和《另一公约》的会员国考虑批准"
    assert lex.actors.match_at(text, 2) == (text.index("考虑"), "member-states-not-yet-party")
    assert lex.actors.match_at("大会主席在", 0) == (4, "president-of-the-general-assembly")


def test_matcher_prefers_longer_forms() -> None:
    from mandate_graph.vocab import Entry

    m = Matcher([Entry("注意到", "notes"), Entry("表示注意到", "takes-note")])
    assert m.match_at("表示注意到报告", 0) == (5, "takes-note")
    assert list(m.find_all("并注意到，表示注意到")) == [(1, 4, "notes"), (5, 10, "takes-note")]


def test_actor_hierarchy_is_data() -> None:
    parents = lexicon("zh").actor_parents
    assert "secretariat" in parents["unodc"] and "secretariat" in parents["secretary-general"]
    assert "states-parties" in parents["states-parties-untoc"]
    assert "states" in parents["states-parties"]


def test_session_calendar() -> None:
    lex = lexicon("zh")
    assert session_dates(lex, 80)[:2] == (dt.date(2025, 9, 9), dt.date(2026, 9, 7))
    assert session_dates(lex, 81)[:2] == (dt.date(2026, 9, 8), dt.date(2027, 9, 6))
    assert session_dates(lex, 82)[:2] == (dt.date(2027, 9, 7), dt.date(2028, 9, 4))
    assert not session_dates(lex, 82)[3]
    assert session_dates(lex, 83)[3]  # ends when the 84th opens, a computed date
    for n in range(70, 84):
        assert lex.sessions[n].source.startswith("https://")


def test_numerals() -> None:
    assert [zh_number(x) for x in ("八十", "八十一", "十二", "一百零五", "８２")] == [80, 81, 12, 105, 82]
    assert [en_ordinal(x) for x in ("eightieth", "eighty-first", "first", "twenty-fifth", "81st")] == [
        80,
        81,
        1,
        25,
        81,
    ]
