"""The ontology and vocabularies load, survive an OWL-RL closure, and are documented."""

from __future__ import annotations

import pytest
from owlrl.Namespaces import ERRNS
from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from mandate_graph.infer import compute_closure
from mandate_graph.iris import MG
from mandate_graph.resources import data_dir


@pytest.fixture(scope="module")
def closure() -> Graph:
    return compute_closure()


def test_ontology_parses() -> None:
    g = Graph().parse(data_dir("ontology") / "mandate.ttl")
    assert (None, RDF.type, OWL.Ontology) in g


def test_closure_is_consistent(closure: Graph) -> None:
    assert not list(closure.subjects(RDF.type, OWL.Nothing))
    # owlrl reports inconsistencies (e.g. a disjointness violated) as triples in its error namespace
    assert not [t for t in closure if str(t[1]).startswith(str(ERRNS))]


def test_closure_entails_the_actor_hierarchy(closure: Graph) -> None:
    actor = "https://w3id.org/mandate-graph/vocab/actor/"
    from rdflib import URIRef

    assert (URIRef(actor + "unodc"), MG.withinActor, URIRef(actor + "secretariat")) in closure
    assert (URIRef(actor + "states-parties-untoc"), MG.withinActor, URIRef(actor + "states")) in closure


def test_every_term_has_labels_and_definition() -> None:
    g = Graph().parse(data_dir("ontology") / "mandate.ttl")
    terms = [
        s
        for cls in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in g.subjects(RDF.type, cls)
        if str(s).startswith(str(MG))
    ]
    assert len(terms) > 50
    for t in terms:
        labels = {lit.language for lit in g.objects(t, RDFS.label) if isinstance(lit, Literal)}
        assert {"en", "zh"} <= labels, t
        assert any(lit.language == "en" for lit in g.objects(t, SKOS.definition)), t
