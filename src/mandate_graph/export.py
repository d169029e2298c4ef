"""One dataset for linked-data portals: the ontology, the vocabularies and the resolutions,
written as Turtle, N-Triples, TriG, N-Quads or JSON-LD, with a VoID/DCAT description; and the
ontology with its vocabularies as an HTML page people can read (see :mod:`mandate_graph.ontodoc`).

Output is deterministic, so that a diff of two exports shows only real changes:
N-Triples and N-Quads lines are sorted; Turtle comes from rdflib, which orders subjects,
predicates and objects (the graph holds no blank nodes); TriG writes its named graphs in a
fixed order (ontology first, then resolutions by IRI); JSON-LD nodes are sorted by ``@id``.
"""

from __future__ import annotations

import errno
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from mandate_graph import ontodoc
from mandate_graph.errors import InputError
from mandate_graph.graph import new_graph
from mandate_graph.iris import MG, base_iri, mint
from mandate_graph.resources import data_dir
from mandate_graph.store import (
    atomic_output,
    expand_inputs,
    group_by_resolution,
    is_rdf,
    load_group,
    read_dataset,
)
from mandate_graph.vocab import vocabulary_graph

FORMATS = ("turtle", "nt", "json-ld", "trig", "nquads", "html")
DATASET_FORMATS = ("trig", "nquads")
DOCUMENTATION_FORMATS = ("html",)  # the ontology and vocabularies for people, without the resolutions
MEDIA_TYPES = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
    "trig": "application/trig",
    "nquads": "application/n-quads",
    "html": "text/html",
}
ONTOLOGY_GRAPH = URIRef(str(MG).rstrip("#"))  # the named graph of the ontology and vocabularies
CONTEXT_IRI = "https://w3id.org/mandate-graph/context.jsonld"
VOID = Namespace("http://rdfs.org/ns/void#")
IANA = "https://www.iana.org/assignments/media-types/"
TITLE = {"en": "Mandate Graph: mandates of United Nations resolutions", "zh": "联合国决议任务授权知识图谱"}
EXAMPLES = 5


@dataclass
class Export:
    """The named graphs of an export: the ontology and vocabularies, then one per resolution."""

    graphs: list[tuple[URIRef, Graph]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # files that could not be read

    @property
    def resolutions(self) -> list[URIRef]:
        return [name for name, _ in self.graphs if name != ONTOLOGY_GRAPH]

    def union(self) -> Graph:
        g = new_graph()
        for _, part in self.graphs:
            for t in part:
                g.add(t)
        return g


def collect(
    paths: Sequence[str],
    *,
    language: str | None = None,
    base: str | None = None,
    warn: Callable[[str], None] = lambda _: None,
) -> Export:
    """Read resolution texts and RDF files (files or folders) into an :class:`Export`; the
    texts of one resolution in several languages make one named graph. A file that cannot be
    read is passed to ``warn`` with its reason, listed in ``Export.failures`` and skipped."""
    ontology = new_graph()
    for t in vocabulary_graph():
        ontology.add(t)
    named: dict[URIRef, Graph] = {}
    failures: list[str] = []

    def add(name: URIRef, g: Graph) -> None:
        target = named.setdefault(name, new_graph())
        for t in g:
            target.add(t)

    def fail(file: str, message: str) -> None:
        failures.append(file)
        warn(f"{file}: {message}; skipped")

    for group in group_by_resolution(expand_inputs(list(paths))):
        if is_rdf(group[0]):
            try:
                parts = [(name or _resolution_of(g, group[0]), g) for name, g in read_dataset(group[0])]
            except InputError as e:
                fail(str(group[0]), e.message if e.line is None else f"line {e.line}: {e.message}")
                continue
            for name, g in parts:
                add(name, g)
            continue
        for outcome in load_group(group, language=language, base=base):
            if outcome.error:
                fail(outcome.file, outcome.error)
            for note in outcome.notes:
                warn(f"{outcome.file}: warning: {note}")
            if outcome.graph is not None:
                assert outcome.resolution is not None
                add(mint(outcome.resolution, base=base), outcome.graph)
    graphs = [(ONTOLOGY_GRAPH, ontology), *sorted(named.items(), key=lambda item: str(item[0]))]
    return Export(graphs, failures)


def _resolution_of(g: Graph, path: Path) -> URIRef:
    found = sorted(s for s in g.subjects(RDF.type, MG.Resolution) if isinstance(s, URIRef))
    if len(found) != 1:
        what = "no resolution" if not found else f"{len(found)} resolutions"
        raise InputError(f"holds {what}; export takes one resolution per RDF file (or TriG/N-Quads)")
    return found[0]


# ----------------------------------------------------------------------------- formats


def _nt_lines(g: Graph) -> list[str]:
    return sorted(line for line in g.serialize(format="nt").splitlines() if line.strip())


def _turtle(g: Graph) -> str:
    return g.serialize(format="turtle")


_PREFIX = re.compile(r"^@prefix (\S+): <([^>]*)> \.$")


def _trig(export: Export) -> str:
    prefixes: dict[str, str] = {}
    blocks = []
    for name, g in export.graphs:
        body = []
        for line in _turtle(g).splitlines():
            m = _PREFIX.match(line)
            if m:
                if prefixes.setdefault(m[1], m[2]) != m[2]:
                    raise ValueError(f"prefix {m[1]}: bound to two namespaces")
            else:
                body.append(line)
        text = "\n".join(body).strip("\n")
        # indent for reading, unless a literal spans lines (indenting would change it)
        if '"""' not in text and "'''" not in text:
            text = "\n".join("    " + line if line else "" for line in text.splitlines())
        blocks.append(f"{name.n3()} {{\n{text}\n}}\n")
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(prefixes.items()))
    return head + "\n" + "\n".join(blocks)


def _nquads(export: Export) -> str:
    lines = []
    for name, g in export.graphs:
        lines.extend(f"{line[:-1].rstrip()} {name.n3()} ." for line in _nt_lines(g))
    return "".join(line + "\n" for line in sorted(lines))


def context() -> dict[str, Any]:
    """The published JSON-LD ``@context`` (ontology/context.jsonld), as a dict."""
    with (data_dir("ontology") / "context.jsonld").open(encoding="utf-8") as f:
        return json.load(f)["@context"]


def _sorted_values(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _sorted_values(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_values(v) for v in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _jsonld(g: Graph) -> str:
    doc = json.loads(g.serialize(format="json-ld", context=context(), auto_compact=True))
    nodes = doc.get("@graph", [doc] if "@id" in doc else [])
    for node in nodes:
        node.pop("@context", None)
    nodes = sorted((_sorted_values(n) for n in nodes), key=lambda n: n.get("@id", ""))
    out = {"@context": CONTEXT_IRI, "@graph": nodes}
    return json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def serialize(export: Export, fmt: str) -> str:
    """The export as text in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "trig":
        return _trig(export)
    if fmt == "nquads":
        return _nquads(export)
    g = export.union()
    if fmt == "turtle":
        return _turtle(g)
    if fmt == "nt":
        return "".join(line + "\n" for line in _nt_lines(g))
    if fmt == "json-ld":
        return _jsonld(g)
    if fmt == "html":
        return ontodoc.render(export.graphs[0][1])
    raise ValueError(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")


# ----------------------------------------------------------------------------- VoID / DCAT


def void_path(output: str | Path) -> Path:
    """Where the description goes by default: beside ``output``, ``name.void.ttl``."""
    return Path(output).with_suffix(".void.ttl")


def _license(ontology: Graph) -> URIRef | None:
    value = ontology.value(ONTOLOGY_GRAPH, DCTERMS.license)
    return value if isinstance(value, URIRef) else None


def _slug(g: Graph, cls: URIRef) -> str:
    """``mg-Mandate`` for mg:Mandate: a partition IRI that does not move when classes are added."""
    try:
        return g.namespace_manager.curie(cls, generate=False).replace(":", "-")
    except (KeyError, ValueError):
        return quote(str(cls), safe="")


def describe(
    export: Export,
    *,
    file_name: str,
    fmt: str,
    byte_size: int,
    sparql_endpoint: str | None = None,
    base: str | None = None,
) -> Graph:
    """A VoID and DCAT description of ``export`` as written to ``file_name``."""
    g = new_graph()
    g.bind("void", VOID)
    g.bind("dcat", DCAT)
    union = export.union()
    dataset = URIRef(base_iri(base) + "dataset")
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    for lang, title in TITLE.items():
        g.add((dataset, DCTERMS.title, Literal(title, lang=lang)))
    licence = _license(export.graphs[0][1])
    if licence is not None:
        g.add((dataset, DCTERMS.license, licence))
    g.add((dataset, VOID.triples, Literal(len(union), datatype=XSD.integer)))
    g.add((dataset, VOID.uriSpace, Literal(base_iri(base))))
    g.add((dataset, VOID.vocabulary, URIRef(str(MG))))
    classes = sorted({c for c in union.objects(None, RDF.type) if isinstance(c, URIRef)}, key=str)
    for cls in classes:
        part = URIRef(f"{dataset}/class/{_slug(union, cls)}")
        entities = len(set(union.subjects(RDF.type, cls)))
        g.add((dataset, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(entities, datatype=XSD.integer)))
    for iri in export.resolutions[:EXAMPLES]:
        g.add((dataset, VOID.exampleResource, iri))
    if sparql_endpoint:
        g.add((dataset, VOID.sparqlEndpoint, URIRef(sparql_endpoint)))
    dist = URIRef(f"{dataset}/distribution/{fmt}")
    g.add((dataset, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal(file_name)))
    g.add((dist, DCAT.mediaType, URIRef(IANA + MEDIA_TYPES[fmt])))
    g.add((dist, DCAT.byteSize, Literal(byte_size, datatype=XSD.nonNegativeInteger)))
    if licence is not None:
        g.add((dist, DCTERMS.license, licence))
    return g


def write(
    export: Export,
    output: str | Path,
    fmt: str,
    *,
    void: str | Path | None = None,
    sparql_endpoint: str | None = None,
    base: str | None = None,
) -> Path:
    """Write ``export`` to ``output`` and its description beside it (or to ``void``);
    return the description's path. Each file appears whole or not at all."""
    if fmt in DOCUMENTATION_FORMATS:
        raise ValueError(f"{fmt} documents the ontology, not the dataset: use write_html")
    text = serialize(export, fmt)
    data = text.encode("utf-8")
    description = describe(
        export,
        file_name=Path(output).name,
        fmt=fmt,
        byte_size=len(data),
        sparql_endpoint=sparql_endpoint,
        base=base,
    )
    target = Path(void) if void else void_path(output)
    _write(output, data)
    _write(target, description.serialize(format="turtle").encode("utf-8"))
    return target


def write_html(output: str | Path, graph: Graph | None = None) -> ontodoc.Contents:
    """Write the ontology and vocabularies (``graph``, by default the project's) to ``output``
    as one HTML page, whole or not at all; return what the page documents."""
    if graph is None:
        graph = vocabulary_graph()
    found = ontodoc.contents(graph)
    _write(output, ontodoc.render(graph, found).encode("utf-8"))
    return found


def _write(path: str | Path, data: bytes) -> None:
    """``data`` to ``path`` through a temporary file; a folder that cannot be written is bad input."""
    try:
        with atomic_output(path, "wb") as f:
            f.write(data)
    except OSError as e:
        reason = e.strerror or errno.errorcode.get(e.errno or 0) or str(e)
        message = f"cannot write it: {reason.lower()}; check the folder's permissions and free space"
        raise InputError(message, source=str(path)) from e
