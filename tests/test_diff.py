"""Mandates of two resolutions of one series, aligned and classified."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from conftest import FIXTURES
from mandate_graph.diff import Diff, diff, series_links, to_rdf
from mandate_graph.iris import CHANGE, MG
from mandate_graph.store import load
from mandate_graph.vocab import vocabulary_graph

OLD = FIXTURES / "diff" / "A_RES_90_31.en.txt"
NEW = FIXTURES / "diff" / "A_RES_92_17.en.txt"


def graph(path: Path) -> Graph:
    return load(path)[0]


def table(d: Diff) -> list[tuple]:
    return [(p.status, p.record()["old"], p.record()["new"], p.changes, p.notes) for p in d.pairs]


@pytest.fixture(scope="module")
def made_up() -> Diff:
    return diff(graph(OLD), graph(NEW), vocabulary_graph())


def test_every_mandate_is_classified(made_up: Diff) -> None:
    assert table(made_up) == [
        ("changed", "2.1", "2.1", ["verb-strengthened"], []),  # encourages → urges
        ("recurring", "3.1", "3.1", [], []),
        ("recurring", "5.1", "4.1", [], []),  # moved up one paragraph
        ("new", None, "5.1", [], []),
        ("recurring", "6.1", "6.1", [], ["deadline-moved"]),  # 91st/92nd → 93rd/94th
        ("recurring", "7.1", "7.1", [], ["deadline-moved"]),
        ("dropped", "4.1", None, [], []),
    ]
    assert made_up.counts() == {"recurring": 4, "changed": 1, "new": 1, "dropped": 1}


def test_a_deadline_that_does_not_move_with_the_series_is_a_change() -> None:
    old, new = graph(OLD), graph(NEW)
    # the newer resolution asks for the report one session later than the series would
    m = URIRef("https://w3id.org/mandate-graph/id/A/RES/92/17/para/6/mandate/1")
    session = URIRef("https://w3id.org/mandate-graph/vocab/session/")
    new.remove((m, MG.deadline, session + "93"))
    new.add((m, MG.deadline, session + "95"))
    d = diff(old, new, vocabulary_graph())
    report = next(p for p in d.pairs if p.new and p.new.record["paragraph"] == 6)
    assert (report.status, report.changes) == ("changed", ["deadline-changed"])


def test_the_comparison_as_rdf(made_up: Diff) -> None:
    old, new = graph(OLD), graph(NEW)
    g = to_rdf(made_up, old, new)
    base = "https://w3id.org/mandate-graph/id/A/RES/"
    assert (URIRef(base + "92/17"), MG.precededBy, URIRef(base + "90/31")) in g
    report = URIRef(base + "92/17/para/6/mandate/1")
    assert g.value(report, MG.revisionOf) == URIRef(base + "90/31/para/6/mandate/1")
    assert set(g.objects(report, MG.change)) == {CHANGE.recurring, CHANGE["deadline-moved"]}
    assert (URIRef(base + "92/17/para/5/mandate/1"), MG.change, CHANGE.new) in g
    assert (URIRef(base + "90/31/para/4/mandate/1"), MG.droppedBy, URIRef(base + "92/17")) in g
    # every change is a concept of the change vocabulary
    vocab = vocabulary_graph()
    assert all(any(vocab.triples((c, None, None))) for c in g.objects(None, MG.change))


def test_series_links_by_title() -> None:
    g = graph(OLD) + graph(NEW)
    assert series_links(g, vocabulary_graph()) == [("A/RES/92/17", "A/RES/90/31")]


@pytest.mark.corpus
def test_78_229_to_80_229_across_languages(corpus: Path, graph_80_229: Graph) -> None:
    old = graph(corpus / "A_RES_78_229.en.txt")
    d = diff(old, graph_80_229, vocabulary_graph())
    report = next(p for p in d.pairs if p.old and p.old.record["paragraph"] == 92)
    assert report.new is not None and report.new.record["paragraph"] == 78
    assert (report.status, report.notes) == ("recurring", ["deadline-moved"])
    assert (report.old.sessions, report.new.sessions) == ((79, 80), (81, 82))
    counts = d.counts()
    # read by hand: most of 80/229 repeats 78/229; a few requests are new or dropped
    assert counts["recurring"] >= 70 and counts["new"] <= 15 and counts["dropped"] <= 15
    assert series_links(old + graph_80_229, vocabulary_graph()) == [("A/RES/80/229", "A/RES/78/229")]
