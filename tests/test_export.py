"""``mandate-graph export``: every format parses, independently of rdflib where we can
(raptor's ``rapper`` for Turtle, TriG and N-Triples; pyld for JSON-LD), two exports are
byte-identical, and the VoID/DCAT description matches what was written."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF

from mandate_graph import export
from mandate_graph.cli import main
from mandate_graph.iris import PREFIXES, mint
from mandate_graph.resources import data_dir

RES = mint("A/RES/80/229")
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # rdflib's DCAT warns when pytest inspects it
EXTENSIONS = {"turtle": ".ttl", "nt": ".nt", "json-ld": ".jsonld", "trig": ".trig", "nquads": ".nq"}
RAPPER_SYNTAX = {"turtle": "turtle", "trig": "trig", "nt": "ntriples", "nquads": "nquads"}


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled resolution exported once in every format."""
    paths = {}
    for fmt, suffix in EXTENSIONS.items():
        # a folder each: the descriptions of mandate-graph.ttl and .nt share one name
        path = tmp_path_factory.mktemp(fmt) / f"mandate-graph{suffix}"
        code, _, err = run("export", "-o", str(path), "--format", fmt)
        assert code == 0, err
        paths[fmt] = path
    return paths


def _parse(path: Path, fmt: str) -> Graph:
    if fmt in ("trig", "nquads"):
        ds = Dataset()
        ds.parse(path, format=fmt)
        g = Graph()
        for part in ds.graphs():
            for t in part:
                g.add(t)
        return g
    return Graph().parse(path, format=fmt)


def _rapper() -> str:
    found = shutil.which("rapper")
    if found:
        return found
    message = "rapper (Debian package raptor2-utils) is not installed; run setup.sh as root or apt-get install it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


# ----------------------------------------------------------------------------- contents


def test_every_format_holds_the_same_graph(exported: dict[str, Path]) -> None:
    reference = _parse(exported["nt"], "nt")
    assert (RES, RDF.type, URIRef(str(PREFIXES["mg"]) + "Resolution")) in reference
    assert (None, RDF.type, URIRef("http://www.w3.org/2004/02/skos/core#ConceptScheme")) in reference
    for fmt in ("turtle", "trig", "nquads"):
        assert isomorphic(_parse(exported[fmt], fmt), reference), fmt


def test_trig_keeps_one_named_graph_per_resolution_and_one_for_the_ontology(exported: dict[str, Path]) -> None:
    for fmt in ("trig", "nquads"):
        ds = Dataset()
        ds.parse(exported[fmt], format=fmt)
        names = {str(g.identifier) for g in ds.graphs() if len(g)}
        assert names == {str(RES), str(export.ONTOLOGY_GRAPH)}, fmt
        assert (RES, RDF.type, None, RES) in ds
        assert (export.ONTOLOGY_GRAPH, RDF.type, None, export.ONTOLOGY_GRAPH) in ds


def test_turtle_binds_the_project_prefixes(exported: dict[str, Path]) -> None:
    text = exported["turtle"].read_text(encoding="utf-8")
    for prefix in ("mg", "actor", "verb", "skos", "dcterms"):
        assert f"@prefix {prefix}: <{PREFIXES[prefix]}> ." in text
    assert "mg:Mandate" in text and "ns1:" not in text


def test_texts_in_two_languages_make_one_named_graph(tmp_path: Path) -> None:
    corpus = data_dir("data")
    code, _, err = run("export", str(corpus), "-o", str(tmp_path / "out.nq"), "--format", "nquads")
    assert code == 0, err
    ds = Dataset()
    ds.parse(tmp_path / "out.nq", format="nquads")
    assert {str(g.identifier) for g in ds.graphs() if len(g)} == {str(RES), str(export.ONTOLOGY_GRAPH)}


def test_bad_input_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    out = tmp_path / "out.ttl"
    code, _, err = run("export", str(bad), "-o", str(out))
    assert code == 2
    assert "bad.ttl" in err and "not valid turtle" in err
    assert not out.exists() and not export.void_path(out).exists()


def test_a_bad_file_is_skipped_and_the_rest_exported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    out = tmp_path / "out.nq"
    code, _, err = run("export", str(bad), str(data_dir("data")), "-o", str(out), "--format", "nquads")
    assert code == 2
    assert "bad.ttl" in err and "skipped" in err and "1 file skipped" in err
    assert f"<{RES}> ." in out.read_text(encoding="utf-8")
    assert export.void_path(out).exists()


def test_format_outside_the_list_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("export", "-o", str(tmp_path / "x.csv"), "--format", "csv")
    assert code == 2 and "--format csv does not apply to 'export'" in err


# ----------------------------------------------------------------------------- determinism

_EXPORT_IN_A_FRESH_PROCESS = "import sys; from mandate_graph.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_two_exports_are_byte_identical(fmt: str, tmp_path: Path, exported: dict[str, Path]) -> None:
    """A second export, in a fresh process (another hash seed, fresh graphs), gives the same bytes."""
    again = tmp_path / exported[fmt].name
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    cmd = [sys.executable, "-c", _EXPORT_IN_A_FRESH_PROCESS, "export", "-o", str(again), "--format", fmt]
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    assert again.read_bytes() == exported[fmt].read_bytes()
    assert export.void_path(again).read_bytes() == export.void_path(exported[fmt]).read_bytes()


def test_nt_and_nquads_lines_are_sorted(exported: dict[str, Path]) -> None:
    for fmt in ("nt", "nquads"):
        lines = exported[fmt].read_text(encoding="utf-8").splitlines()
        assert lines == sorted(lines) and lines, fmt


# ----------------------------------------------------------------------------- independent parsers


@pytest.mark.parametrize("fmt", sorted(RAPPER_SYNTAX))
def test_rapper_accepts_the_export(fmt: str, exported: dict[str, Path]) -> None:
    rapper = _rapper()
    result = subprocess.run(
        [rapper, "-q", "-i", RAPPER_SYNTAX[fmt], "-c", str(exported[fmt])], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower()


def test_rapper_accepts_the_void_description(exported: dict[str, Path]) -> None:
    rapper = _rapper()
    path = export.void_path(exported["turtle"])
    result = subprocess.run([rapper, "-q", "-i", "turtle", "-c", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _local_context_loader(url: str, options: dict | None = None) -> dict:
    """pyld's document loader: the published context IRI is the file in ontology/; nothing
    else may be fetched (tests stay offline)."""
    assert url == export.CONTEXT_IRI, f"the test tried to fetch {url}"
    document = json.loads((data_dir("ontology") / "context.jsonld").read_text(encoding="utf-8"))
    return {"contextUrl": None, "documentUrl": url, "document": document}


def test_pyld_expands_the_json_ld_to_the_same_graph(exported: dict[str, Path]) -> None:
    jsonld = pytest.importorskip("pyld.jsonld", reason="pyld is a dev dependency: pip install -e '.[dev]'")
    doc = json.loads(exported["json-ld"].read_text(encoding="utf-8"))
    assert doc["@context"] == export.CONTEXT_IRI
    options = {"documentLoader": _local_context_loader, "format": "application/n-quads"}
    nquads = jsonld.to_rdf(doc, options)
    from_pyld = Graph().parse(data=nquads, format="nquads")
    assert len(from_pyld) > 8000
    assert isomorphic(from_pyld, _parse(exported["nt"], "nt"))


def test_json_ld_uses_the_context_terms(exported: dict[str, Path]) -> None:
    doc = json.loads(exported["json-ld"].read_text(encoding="utf-8"))
    mandates = [n for n in doc["@graph"] if "mg:Mandate" in n.get("@type", [])]
    assert mandates and all(("verb" in m and "addressee" in m) or "mg:hasNoAddressee" in m for m in mandates)
    texts = [n["text"] for n in doc["@graph"] if "text" in n]
    assert texts and all(set(t) <= {"en", "zh"} for t in texts)


def test_context_prefixes_agree_with_the_project_prefix_map() -> None:
    ctx = export.context()
    for prefix, ns in PREFIXES.items():
        if prefix in ctx and isinstance(ctx[prefix], str):
            assert ctx[prefix] == str(ns), prefix
    # the verb namespace has no prefix in JSON-LD: "verb" is the term for mg:verb
    assert ctx["verb"] == {"@id": "mg:verb", "@type": "@id"}
    missing = [p for p in PREFIXES if p not in ctx]
    assert missing == []


# ----------------------------------------------------------------------------- VoID / DCAT

VOID = export.VOID


def test_void_figures_match_the_export(exported: dict[str, Path]) -> None:
    data = _parse(exported["turtle"], "turtle")
    void = Graph().parse(export.void_path(exported["turtle"]), format="turtle")
    dataset = void.value(None, RDF.type, VOID.Dataset)
    assert (dataset, RDF.type, DCAT.Dataset) in void
    assert int(void.value(dataset, VOID.triples)) == len(data)
    assert {t.language for t in void.objects(dataset, DCTERMS.title)} == {"en", "zh"}
    assert void.value(dataset, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    partitions = {
        void.value(p, VOID["class"]): int(void.value(p, VOID.entities))
        for p in void.objects(dataset, VOID.classPartition)
    }
    expected = {c: len(set(data.subjects(RDF.type, c))) for c in set(data.objects(None, RDF.type))}
    assert partitions == expected
    assert partitions[URIRef(str(PREFIXES["mg"]) + "Mandate")] == 101
    assert list(void.objects(dataset, VOID.exampleResource)) == [RES]
    assert void.value(dataset, VOID.sparqlEndpoint) is None
    dist = void.value(dataset, DCAT.distribution)
    assert void.value(dist, DCTERMS.title) == Literal("mandate-graph.ttl")
    assert void.value(dist, DCAT.mediaType) == URIRef("https://www.iana.org/assignments/media-types/text/turtle")
    assert int(void.value(dist, DCAT.byteSize)) == exported["turtle"].stat().st_size


def test_void_names_the_sparql_endpoint_when_given(tmp_path: Path) -> None:
    out, void_file = tmp_path / "d.nq", tmp_path / "about.ttl"
    endpoint = "http://127.0.0.1:7878/query"
    code, _, err = run(
        "export", "-o", str(out), "--format", "nquads", "--void", str(void_file), "--sparql-endpoint", endpoint
    )
    assert code == 0, err
    void = Graph().parse(void_file, format="turtle")
    assert (None, VOID.sparqlEndpoint, URIRef(endpoint)) in void
    media = next(void.objects(None, DCAT.mediaType))
    assert media == URIRef("https://www.iana.org/assignments/media-types/application/n-quads")


def test_missing_rapper_fails_in_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="raptor2-utils"):
        _rapper()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="raptor2-utils"):
        _rapper()
