"""The compiled core checks (:mod:`mandate_graph.checks`) on their own: every construct they
support against pySHACL on small graphs with the awkward values (ill-typed and unusual
literals, language subtags, mixed comparisons), and a clear refusal of what they do not
support. ``tests/test_shacl_engines.py`` compares the whole engine on the project's shapes."""

from __future__ import annotations

import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

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


def test_data_laid_over_other_data_checks_alike_and_leaves_it_as_it_was() -> None:
    """The vocabularies are indexed once and each resolution's triples laid over them: the
    results are those of one index of all the triples, and the shared index is not written
    to, though the triples laid over it add values, instances and a superclass to its nodes."""
    import copy

    shapes = Graph().parse(data=SHAPES, format="turtle")
    data = Graph().parse(data=DATA, format="turtle")
    triples = _triples(data)
    under = [t for t in triples if t[0] in ("<urn:ex:w1>", "<urn:ex:Whole>") or t[1] == f"<{RDF.type}>"]
    over = [t for t in triples if t not in under] + [
        ("<urn:ex:Top>", f"<{RDF.type}>", "<urn:ex:Class>"),
        ("<urn:ex:t9>", f"<{RDF.type}>", "<urn:ex:Thing>"),  # one more instance of a class below
        ("<urn:ex:w1>", "<urn:ex:has>", "<urn:ex:t9>"),  # one more value of a node below
    ]
    assert under and over
    base = checks.Data(under)
    for cls in list(base.typed):
        base.superclasses(cls)
    before = copy.deepcopy((base.out, base.into, base.typed, base._supers))
    core = Graph()
    for t in shapes:
        core.add(t)
    compiled_shapes = checks.Shapes(core, _name_property_shapes(core))
    layered = compiled_shapes.validate(checks.Data(over, over=base))
    assert sorted(layered, key=str) == sorted(compiled_shapes.validate(checks.Data(under + over)), key=str)
    assert layered
    assert (base.out, base.into, base.typed, base._supers) == before
    # and a superclass stated over the shared index is seen
    extra = checks.Data([("<urn:ex:Top>", f"<{RDFS.subClassOf}>", "<urn:ex:Top2>")], over=base)
    assert "<urn:ex:Top2>" in extra.superclasses("<urn:ex:Whole>")
    assert "<urn:ex:Top2>" not in base.superclasses("<urn:ex:Whole>")


@pytest.mark.parametrize(
    ("query", "predicates"),
    [
        (
            "SELECT $this WHERE { $this <urn:a>/^<urn:b> ?x ; a <urn:C> "
            "FILTER NOT EXISTS { ?x (<urn:c>|<urn:d>)+ ?y } "
            "BIND (EXISTS { ?y <urn:e> 1 } AS ?z) { SELECT ?x WHERE { ?x <urn:f> ?w } } }",
            {f"<urn:{x}>" for x in "abcdef"} | {f"<{RDF.type}>"},
        ),
        ("SELECT $this WHERE { $this <urn:a> ?x FILTER NOT EXISTS { ?x ?p ?y } }", None),
        ("SELECT $this WHERE { $this !<urn:a> ?x }", None),
        # with no step, a path matches every node, whatever triples it is in
        ("SELECT $this WHERE { $this <urn:a>/<urn:b>* ?x }", None),
        ("SELECT $this WHERE { $this <urn:a>? ?x }", None),
        ("SELECT $this WHERE { $this <urn:a>/!(<urn:b>|^<urn:c>) ?x }", None),
    ],
)
def test_the_sparql_half_loads_every_triple_a_pattern_can_match(query: str, predicates: set[str] | None) -> None:
    """The SPARQL-based constraints run on the triples whose predicates their patterns name,
    and on every triple as soon as one pattern can match any predicate."""
    from mandate_graph.shacl import _predicates

    assert _predicates([query]) == predicates
