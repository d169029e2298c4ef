"""Inference is computed once over ontology + vocabularies and added to the data."""

from __future__ import annotations

import functools
from pathlib import Path

import owlrl
import pytest
from rdflib import Graph, Literal, URIRef

from mandate_graph import infer, queries
from mandate_graph.iris import ACTOR, MG
from mandate_graph.vocab import vocabulary_graph


def test_closure_is_cached_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    infer.vocabulary_closure.cache_clear()
    try:
        first = infer.vocabulary_closure()
        files = list((tmp_path / "mandate-graph").glob("closure-*.nt"))
        assert len(files) == 1
        infer.vocabulary_closure.cache_clear()
        second = infer.vocabulary_closure()
        assert len(first) == len(second)
    finally:
        infer.vocabulary_closure.cache_clear()


def test_damaged_cache_is_recomputed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    infer.vocabulary_closure.cache_clear()
    try:
        infer.vocabulary_closure()
        (path,) = (tmp_path / "mandate-graph").glob("closure-*.nt")
        path.write_text("this is not n-triples <", encoding="utf-8")
        infer.vocabulary_closure.cache_clear()
        assert (ACTOR.unodc, MG.withinActor, ACTOR.secretariat) in infer.vocabulary_closure()
    finally:
        infer.vocabulary_closure.cache_clear()


def test_with_inference_keeps_data_and_adds_entailments(graph_80_229: Graph) -> None:
    g = infer.with_inference(graph_80_229)
    assert all(t in g for t in list(graph_80_229)[:500])
    assert (ACTOR["secretary-general"], MG.withinActor, ACTOR.secretariat) in g
    assert (ACTOR.unodc, MG.withinActor, ACTOR.secretariat) not in graph_80_229
    assert (URIRef(str(ACTOR) + "states-parties-uncac"), MG.withinActor, ACTOR.states) in g


@pytest.mark.slow
@pytest.mark.parametrize("name", queries.names())
def test_the_shortcut_answers_as_the_full_closure_does(name: str, graph_80_229: Graph) -> None:
    """Closing ontology and vocabularies only gives every named query the answer that a
    full OWL-RL closure of data, ontology and vocabularies gives."""
    full = _full_closure(graph_80_229)
    shortcut = infer.with_inference(graph_80_229)
    q = queries.load(name)
    bindings = {p: Literal(78) for p in q.parameters}  # paragraph-text: --param number=78

    def answer(g: Graph) -> list[tuple]:
        return sorted(tuple("" if v is None else str(v) for v in row) for row in queries.run(q, g, bindings))

    assert answer(shortcut) == answer(full)


@functools.cache
def _full_closure(data: Graph) -> Graph:
    g = vocabulary_graph()
    for t in data:
        g.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(g)
    return g
