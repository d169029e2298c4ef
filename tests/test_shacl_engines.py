"""The fast SHACL engine (:mod:`mandate_graph.shacl`) against pySHACL, the reference.

Both must give the same conformance and the same findings — focus node, path, constraint
component, severity, message and value — on every shape fixture (found by glob, so a new
fixture is compared without touching this file), on A/RES/80/229, on resolutions of the
development corpus, and on graphs broken on purpose.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from mandate_graph.errors import InputError
from mandate_graph.iris import ACTOR, MG
from mandate_graph.store import load
from mandate_graph.validate import Report, validate

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "shapes").glob("*/*.ttl"))


def findings(report: Report) -> set[tuple[str | None, ...]]:
    return {(f.focus, f.path, f.component, f.severity, f.message, f.value, f.paragraph) for f in report.findings}


def same(g: Graph) -> tuple[Report, Report]:
    reference = validate(g, engine="pyshacl")
    fast = validate(g, engine="fast")
    assert fast.conforms == reference.conforms
    assert findings(fast) == findings(reference)
    return reference, fast


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_same_findings_on_every_shape_fixture(path: Path) -> None:
    same(Graph().parse(path, format="turtle"))


def test_fixtures_are_found() -> None:
    assert len(FIXTURES) >= 100


def test_same_findings_on_80_229(graph_80_229: Graph) -> None:
    reference, _ = same(graph_80_229)
    assert reference.conforms


def test_same_findings_when_80_229_is_broken(graph_80_229: Graph) -> None:
    g = Graph()
    for t in graph_80_229:
        g.add(t)
    mandate = next(iter(sorted(g.subjects(RDF.type, MG.Mandate))))
    paragraph = g.value(mandate, MG.inParagraph)
    g.set((mandate, MG.addressee, MG.Mandate))  # an addressee that is not an actor
    g.remove((paragraph, MG.paragraphNumber, None))  # a gap in the numbering
    g.add((mandate, MG.clauseNumber, Literal("one")))
    g.add((ACTOR.unodc, MG.partOfActor, URIRef("https://example.org/not-an-actor")))  # data about a concept
    _, fast = same(g)
    assert not fast.conforms
    components = {f.component for f in fast.violations}
    assert {"ClassConstraintComponent", "SPARQLConstraintComponent", "MaxCountConstraintComponent"} <= components


def test_same_findings_without_the_vocabulary(graph_80_229: Graph) -> None:
    reference = validate(graph_80_229, engine="pyshacl", with_vocabulary=False)
    fast = validate(graph_80_229, engine="fast", with_vocabulary=False)
    assert not reference.conforms  # verbs and actors are not known without the vocabulary
    assert findings(fast) == findings(reference)


def test_blank_nodes_are_traced_back_to_the_data() -> None:
    g = Graph()
    span = BNode()
    g.add((span, RDF.type, MG.TextSpan))
    _, fast = same(g)
    assert any(f.focus == str(span) for f in fast.findings)


def test_unknown_engine_is_one_clear_error(graph_80_229: Graph) -> None:
    with pytest.raises(InputError, match="pyshacl"):
        validate(graph_80_229, engine="jena")


@pytest.mark.corpus
@pytest.mark.slow
def test_same_findings_on_corpus_resolutions(corpus: Path) -> None:
    # every 40th file: old and new, long and short, with and without numbering problems
    files = sorted(corpus.glob("*.txt"))[::40]
    compared = 0
    for path in files:
        try:
            g, _ = load(path)
        except InputError:  # files that do not load are the loader tests' business
            continue
        same(g)
        compared += 1
    assert compared >= 30
