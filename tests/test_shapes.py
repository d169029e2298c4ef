"""The SHACL shapes in ``shapes/``.

Every node shape has a fixture folder ``tests/fixtures/shapes/<Name>Shape/`` with a
``conforms.ttl`` that must raise no violation and ``fails-<what>.ttl`` files, each with a
``fails-<what>.expected.json`` naming the finding it must raise: focus node, path (null for
a node-level constraint; ``^iri`` for an inverse path, ``a/b`` for a sequence), constraint
component and severity. Fixtures are found by glob, so a new one is tested without touching this file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from mandate_graph.iris import PREFIXES, SH
from mandate_graph.resources import data_dir
from mandate_graph.validate import Report, shapes_graph, validate

SHAPES_DIR = data_dir("shapes")
FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
PREFIX_NODE = URIRef("https://w3id.org/mandate-graph/shapes")
MGSH = "https://w3id.org/mandate-graph/shapes#"

CONFORMING = sorted(FIXTURES.glob("*/conforms.ttl"))
FAILING = sorted(FIXTURES.glob("*/fails-*.ttl"))

# Parameters that make a node shape check its focus node itself; a node shape using one
# needs its own sh:message (property shapes and SPARQL constraints carry theirs).
NODE_LEVEL = [
    SH[name]
    for name in (
        "class",
        "datatype",
        "nodeKind",
        "minExclusive",
        "minInclusive",
        "maxExclusive",
        "maxInclusive",
        "minLength",
        "maxLength",
        "pattern",
        "languageIn",
        "in",
        "hasValue",
        "node",
        "not",
        "and",
        "or",
        "xone",
        "closed",
    )
]


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def _load(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def _expected(fixture: Path) -> dict[str, str | None]:
    return json.loads(fixture.with_name(f"{fixture.stem}.expected.json").read_text(encoding="utf-8"))


def _describe(report: Report) -> str:
    if not report.findings:
        return "no findings"
    return "\n".join(f"{f.line()}  [{f.component}; focus {f.focus}; path {f.path}]" for f in report.findings)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return shapes_graph()


def _node_shapes(shapes: Graph) -> list[URIRef]:
    return sorted(s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef))


# --- fixtures ---------------------------------------------------------------------------


def test_fixtures_are_found() -> None:
    assert CONFORMING, f"no conforming fixtures under {FIXTURES}"
    assert FAILING, f"no failing fixtures under {FIXTURES}"


@pytest.mark.parametrize("fixture", CONFORMING, ids=_id)
def test_conforming_fixture_conforms(fixture: Path) -> None:
    report = validate(_load(fixture))
    assert report.conforms, _describe(report)
    assert not report.violations, _describe(report)


@pytest.mark.parametrize("fixture", FAILING, ids=_id)
def test_failing_fixture_raises_the_expected_finding(fixture: Path) -> None:
    expected = _expected(fixture)
    report = validate(_load(fixture))
    found = [
        {"focus": f.focus, "path": f.path, "component": f.component, "severity": f.severity} for f in report.findings
    ]
    assert expected in found, f"expected {expected}, found:\n{_describe(report)}"
    if expected["severity"] == "Violation":
        assert not report.conforms, _describe(report)
    else:
        # A warning-level constraint must not also raise a violation.
        assert not report.violations, _describe(report)


def test_every_failing_fixture_states_its_expectation() -> None:
    for fixture in FAILING:
        expectation = fixture.with_name(f"{fixture.stem}.expected.json")
        assert expectation.is_file(), f"{fixture} has no {expectation.name}"
        assert set(_expected(fixture)) == {"focus", "path", "component", "severity"}, expectation
    for expectation in FIXTURES.glob("*/*.expected.json"):
        fixture = expectation.with_name(expectation.name.removesuffix(".expected.json") + ".ttl")
        assert fixture.is_file(), f"{expectation} has no {fixture.name}"


def test_every_node_shape_has_fixtures(shapes: Graph) -> None:
    names = {str(s).removeprefix(MGSH) for s in _node_shapes(shapes)}
    for name in sorted(names):
        folder = FIXTURES / name
        assert (folder / "conforms.ttl").is_file(), f"{name}: no {folder}/conforms.ttl"
        assert list(folder.glob("fails-*.ttl")), f"{name}: no {folder}/fails-*.ttl"
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert folders <= names, f"fixture folders for shapes that do not exist: {sorted(folders - names)}"


# --- the shapes themselves --------------------------------------------------------------


def _english(g: Graph, node: URIRef | BNode, p: URIRef) -> bool:
    return any(isinstance(o, Literal) and o.language == "en" for o in g.objects(node, p))


def test_every_constraint_has_an_english_message(shapes: Graph) -> None:
    missing = []
    for shape in set(shapes.subjects(SH.path, None)):
        if not _english(shapes, shape, SH.message):
            missing.append(f"property shape on {shapes.value(shape, SH.path)}")
    for constraint in shapes.objects(None, SH.sparql):
        if not _english(shapes, constraint, SH.message):
            missing.append(f"SPARQL constraint of {shapes.value(predicate=SH.sparql, object=constraint)}")
    for shape in _node_shapes(shapes):
        if any((shape, p, None) in shapes for p in NODE_LEVEL) and not _english(shapes, shape, SH.message):
            missing.append(f"node-level constraint of {shape}")
    assert not missing, "no sh:message in English: " + "; ".join(missing)


def test_every_node_shape_is_labelled_and_explained(shapes: Graph) -> None:
    for shape in _node_shapes(shapes):
        languages = {o.language for o in shapes.objects(shape, RDFS.label) if isinstance(o, Literal)}
        assert {"en", "zh"} <= languages, f"{shape}: rdfs:label in en and zh"
        assert _english(shapes, shape, RDFS.comment), f"{shape}: rdfs:comment in en"


def test_each_shape_file_holds_the_shape_it_is_named_after() -> None:
    for path in sorted(SHAPES_DIR.glob("*Shape.ttl")):
        g = _load(path)
        assert _node_shapes(g) == [URIRef(MGSH + path.stem)], f"{path.name} defines {_node_shapes(g)}"


def test_sparql_prefixes_are_the_project_prefixes(shapes: Graph) -> None:
    declared = {
        str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
        for d in shapes.objects(PREFIX_NODE, SH.declare)
    }
    assert declared
    for prefix, namespace in declared.items():
        assert prefix in PREFIXES, f"sh:declare {prefix}: not in mandate_graph.iris.PREFIXES"
        assert namespace == str(PREFIXES[prefix]), f"sh:declare {prefix}: {namespace} != {PREFIXES[prefix]}"
    for holder in set(shapes.subjects(SH.prefixes, None)):
        assert shapes.value(holder, SH.prefixes) == PREFIX_NODE, f"{holder}: sh:prefixes <{PREFIX_NODE}>"


# --- the loader's output ------------------------------------------------------------------


def test_80_229_conforms(graph_80_229: Graph) -> None:
    report = validate(graph_80_229)
    assert report.conforms, _describe(report)
    assert not report.violations, _describe(report)


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
@pytest.mark.parametrize(
    ("sections", "numbers", "expected"),
    [
        # numbered again from 1 in each section: no finding about the numbering
        (("I", "II"), (1, 1), []),
        # the same number twice in one section: one finding on each of the two paragraphs
        (("II", "II"), (1, 1), ["more than one paragraph", "more than one paragraph"]),
        # section II starts at 2: a gap, though section I has a 1
        (("I", "II"), (1, 2), ["between 0 and 2"]),
    ],
)
def test_operative_numbering_is_checked_within_each_section(
    engine: str, sections: tuple[str, str], numbers: tuple[int, int], expected: list[str]
) -> None:
    g = _load(FIXTURES / "ResolutionShape" / "conforms.ttl")
    mg = PREFIXES["mg"]
    paragraphs = [URIRef(f"https://w3id.org/mandate-graph/id/A/RES/80/999/para/{i}") for i in (1, 2)]
    for paragraph, section, number in zip(paragraphs, sections, numbers, strict=True):
        g.set((paragraph, URIRef(f"{mg}paragraphNumber"), Literal(number)))
        g.add((paragraph, URIRef(f"{mg}section"), Literal(section)))
    report = validate(g, engine=engine)
    sparql = [f for f in report.findings if f.component == "SPARQLConstraintComponent"]
    numbering = sorted(f.message for f in sparql if f.path == f"{mg}hasParagraph")
    assert len(numbering) == len(expected), _describe(report)
    for message, part in zip(numbering, sorted(expected), strict=True):
        assert part in message, _describe(report)
