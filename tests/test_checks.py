"""The compiled core checks (:mod:`mandate_graph.checks`) on their own: every construct they
support against pySHACL on small graphs with the awkward values (ill-typed and unusual
literals, language subtags, mixed comparisons), and a clear refusal of what they do not
support. ``tests/test_shacl_engines.py`` compares the whole engine on the project's shapes."""

from __future__ import annotations

import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from mandate_graph import checks
from mandate_graph.iris import SH
from mandate_graph.shacl import _name_property_shapes

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <urn:ex:> .
"""

SHAPES = (
    PREFIXES
    + """
ex:ThingShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:xone ( [ sh:path ex:a ; sh:minCount 1 ] [ sh:path ex:b ; sh:minCount 1 ] ) ;
    sh:property [ sh:path ex:n ; sh:datatype xsd:integer ; sh:minInclusive 1 ; sh:maxCount 1 ] ;
    sh:property [ sh:path ex:start ; sh:lessThan ex:end ] ;
    sh:property [ sh:path ex:label ; sh:uniqueLang true ;
                  sh:qualifiedValueShape [ sh:languageIn ( "en" "zh" ) ] ; sh:qualifiedMinCount 2 ] ;
    sh:property [ sh:path ex:code ; sh:pattern "^[a-z]+$" ; sh:flags "i" ; sh:minLength 2 ] ;
    sh:property [ sh:path ex:kind ; sh:in ( ex:x ex:y "z" ) ; sh:nodeKind sh:IRI ] ;
    sh:property [ sh:path ex:day ; sh:datatype xsd:date ] ;
    sh:property [ sh:path ex:text ; sh:datatype xsd:string ] ;
    sh:property [ sh:path ex:partOf ; sh:class ex:Whole ; sh:hasValue ex:w1 ] ;
    sh:property [ sh:path [ sh:inversePath ex:has ] ; sh:equals ex:partOf ] ;
    sh:property [ sh:path ( ex:partOf ex:flag ) ; sh:hasValue true ; sh:severity sh:Warning ] .
ex:TaggedShape a sh:NodeShape ;
    sh:targetSubjectsOf ex:tag ;
    sh:property [ sh:path ex:tag ; sh:datatype <http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> ] .
"""
)

DATA = (
    PREFIXES
    + """
ex:Part rdfs:subClassOf ex:Thing .
ex:Whole rdfs:subClassOf ex:Top .
ex:w1 a ex:Whole ; ex:flag true ; ex:has ex:t1 .
ex:w2 a ex:Top ; ex:has ex:t2 .
ex:t1 a ex:Thing ; ex:a 1 ; ex:n 3 ; ex:start 1 ; ex:end 2 ;
    ex:label "one"@en , "一"@zh ; ex:code "Abc" ; ex:kind ex:x ; ex:day "2025-12-18"^^xsd:date ;
    ex:text "plain" ; ex:partOf ex:w1 ; ex:tag "t"@en-GB .
ex:t2 a ex:Part ; ex:a 1 ; ex:b 2 ; ex:n "+3"^^xsd:integer , "1.5"^^xsd:integer , "0"^^xsd:integer ;
    ex:start 5 , "x" ; ex:end 2 ; ex:label "two"@EN , "deux"@en , "zwei"@de ;
    ex:code "a" , "a1" , ex:iri ; ex:kind "z" , ex:q ; ex:day "2025-13-45"^^xsd:date , "2025-12-18" ;
    ex:text "tagged"@en , "typed"^^xsd:string ; ex:partOf ex:w2 ; ex:tag "untagged" .
ex:t3 a ex:Thing ; ex:n "three" ; ex:partOf ex:w1 .
"""
)


def _term(node: object) -> str:
    return checks._n3(node)  # type: ignore[arg-type]


def reference(shapes: Graph, data: Graph) -> set[tuple[str, str | None, str, str, str | None]]:
    _, results, _ = pyshacl_validate(data, shacl_graph=shapes, inference="none")
    out = set()
    for r in results.subjects(RDF.type, SH.ValidationResult):
        path = results.value(r, SH.resultPath)
        value = results.value(r, SH.value)
        out.add(
            (
                _term(results.value(r, SH.focusNode)),
                str(path) if isinstance(path, URIRef) else None,
                str(results.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
                str(results.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
                _term(value) if value is not None else None,
            )
        )
    return out


def compiled(shapes: Graph, data: Graph) -> set[tuple[str, str | None, str, str, str | None]]:
    core = Graph()
    for t in shapes:
        core.add(t)
    found = checks.Shapes(core, _name_property_shapes(core)).validate(checks.Data(_triples(data)))
    # pySHACL names no path for a sequence or inverse path in this comparison
    return {(f, p if p and "/" not in p and not p.startswith("^") else None, c, s, v) for f, p, c, s, _, v in found}


def _triples(g: Graph) -> list[tuple[str, str, str]]:
    return [checks.terms(line) for line in g.serialize(format="nt").splitlines() if line.strip()]


def test_every_supported_construct_gives_pyshacls_results() -> None:
    shapes = Graph().parse(data=SHAPES, format="turtle")
    data = Graph().parse(data=DATA, format="turtle")
    expected = reference(shapes, data)
    assert len(expected) >= 15  # the data breaks most constraints somewhere
    assert compiled(shapes, data) == expected


def test_a_conforming_graph_has_no_results() -> None:
    shapes = Graph().parse(data=SHAPES, format="turtle")
    data = Graph().parse(
        data=PREFIXES
        + """
        ex:w1 a ex:Whole ; ex:flag true ; ex:has ex:t1 .
        ex:Whole rdfs:subClassOf ex:Top .
        ex:t1 a ex:Thing ; ex:a 1 ; ex:label "one"@en , "一"@zh ; ex:partOf ex:w1 .
        """,
        format="turtle",
    )
    assert reference(shapes, data) == set() == compiled(shapes, data)


@pytest.mark.parametrize(
    ("shape", "refused"),
    [
        ("sh:property [ sh:path ex:a ; sh:maxLength 3 ]", "unsupported constraint"),
        ("sh:closed true", "unsupported constraint"),
        ("sh:property [ sh:path [ sh:zeroOrMorePath ex:a ] ; sh:minCount 1 ]", "unsupported sh:path"),
        ("sh:targetNode ex:t1", "unsupported target"),
    ],
)
def test_a_construct_it_does_not_check_is_refused_when_compiled(shape: str, refused: str) -> None:
    g = Graph().parse(data=PREFIXES + f"ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; {shape} .", format="turtle")
    with pytest.raises(ValueError, match=refused):
        checks.Shapes(g, {})
