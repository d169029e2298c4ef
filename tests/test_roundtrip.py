"""A graph read back from a SPARQL store is the graph the loader wrote, and conforms.

Stores keep derived integer types (``xsd:positiveInteger``, ``xsd:nonNegativeInteger``) as
``xsd:integer``; when the loader wrote those types, 80/229 read back from Oxigraph raised 1,440
``sh:datatype`` violations. The loader now writes every number as ``xsd:integer`` and the
shapes state the bounds (``sh:minInclusive``), so the round trip changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from mandate_graph.corpus import to_rdflib
from mandate_graph.iris import MG
from mandate_graph.validate import validate

XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest probes module globals
NUMBERS = (
    MG.agendaItem,
    MG.plenaryMeeting,
    MG.sessionNumber,
    MG.paragraphNumber,
    MG.position,
    MG.footnoteNumber,
    MG.clauseNumber,
    MG.start,
    MG.end,
    MG.line,
)


def _store(g: Graph) -> ox.Store:
    store = ox.Store()
    store.load(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def _by_terms(store: ox.Store) -> Graph:
    """Each quad's terms turned into rdflib's (an xsd:string comes back a simple literal)."""
    g = Graph()
    for q in store:
        g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))  # type: ignore[arg-type]
    return g


def _by_n_triples(store: ox.Store) -> Graph:
    """The store's N-Triples, parsed by rdflib."""
    nt = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return Graph().parse(data=nt.decode("utf-8"), format="nt")


READERS: dict[str, Callable[[ox.Store], Graph]] = {"terms": _by_terms, "n-triples": _by_n_triples}


@pytest.fixture(scope="module")
def read_back(graph_80_229: Graph) -> dict[str, Graph]:
    store = _store(graph_80_229)
    return {name: read(store) for name, read in READERS.items()}


def test_the_loader_writes_every_number_as_xsd_integer(graph_80_229: Graph) -> None:
    datatypes = {p: {o.datatype for o in graph_80_229.objects(None, p) if isinstance(o, Literal)} for p in NUMBERS}
    assert datatypes == {p: {XSD.integer} for p in NUMBERS}


def test_oxigraph_keeps_a_derived_integer_type_as_xsd_integer() -> None:
    # why the loader does not write xsd:positiveInteger: the store would not give it back
    store = ox.Store()
    number = ox.Literal("3", datatype=ox.NamedNode(str(XSD.positiveInteger)))
    store.add(ox.Quad(ox.NamedNode("https://example.org/p"), ox.NamedNode(str(MG.paragraphNumber)), number))
    (quad,) = list(store)
    assert quad.object.datatype.value == str(XSD.integer)


@pytest.mark.parametrize("reader", sorted(READERS))
def test_80_229_read_back_from_oxigraph_is_the_loader_graph(
    reader: str, read_back: dict[str, Graph], graph_80_229: Graph
) -> None:
    got = read_back[reader]
    if not isomorphic(got, graph_80_229):
        _, only_back, only_loader = graph_diff(to_isomorphic(got), to_isomorphic(graph_80_229))
        lines = sorted(f"+ {t}" for t in only_back)[:10] + sorted(f"- {t}" for t in only_loader)[:10]
        pytest.fail("the graph read back from Oxigraph differs from the loader's:\n" + "\n".join(lines))


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_80_229_read_back_from_oxigraph_conforms(engine: str, read_back: dict[str, Graph]) -> None:
    report = validate(read_back["terms"], engine=engine)
    assert report.conforms, "\n".join(f.line() for f in report.violations[:20])
    assert not report.violations
