"""Validation against the SHACL shapes in ``shapes/``.

The data graph is validated together with the vocabularies (so that "a verb from the
verb scheme" can be checked by class), without RDFS inference: inference would make any
IRI used as an addressee an actor through ``rdfs:range`` and hide a wrong addressee.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDF
from rdflib.term import Node

from mandate_graph.errors import InputError
from mandate_graph.iris import MG, SH
from mandate_graph.resources import data_dir
from mandate_graph.store import is_rdf, load, read_dataset
from mandate_graph.vocab import vocabulary_graph


@dataclass
class Finding:
    severity: str  # "Violation", "Warning" or "Info"
    focus: str
    path: str | None
    component: str
    message: str
    value: str | None = None
    paragraph: str | None = None  # "operative paragraph 12" / "preambular paragraph 3"
    text: str | None = None  # the source text of that paragraph or mandate

    def row(self) -> dict[str, str | None]:
        return {
            "severity": self.severity,
            "paragraph": self.paragraph,
            "message": self.message,
            "focus": self.focus,
            "path": self.path,
            "value": self.value,
            "text": self.text,
        }

    def line(self) -> str:
        where = self.paragraph or _short(self.focus)
        out = f"{self.severity}: {where}: {self.message}"
        if self.value and self.value not in self.message:
            out += f" [{_short(self.value)}]"
        if self.text:
            excerpt = self.text if len(self.text) <= 60 else self.text[:57] + "…"
            out += f" — {excerpt}"
        return out


@dataclass
class Report:
    conforms: bool
    findings: list[Finding] = field(default_factory=list)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Warning"]


def shapes_graph() -> Graph:
    """All shapes in one graph (a copy)."""
    g = Graph()
    for t in _shapes():
        g.add(t)
    return g


@functools.cache
def _shapes() -> Graph:
    g = Graph()
    for path in sorted(data_dir("shapes").glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


@dataclass
class Checked:
    """The validation of one resolution (one graph) read from one input file."""

    file: str
    resolution: str | None  # its symbol(s); for a named graph without one, the graph name
    report: Report
    notes: list[str] = field(default_factory=list)  # what the loader could not read in a text
    graph_name: str | None = None  # the named graph of a TriG / N-Quads file it came from

    @property
    def label(self) -> str:
        """The file, and which resolution of it when the file holds more than one."""
        several = self.graph_name is not None or (self.resolution is not None and "," in self.resolution)
        return f"{self.file} [{self.resolution}]" if several else self.file

    def row(self) -> dict[str, object]:
        return {
            "file": self.file,
            "resolution": self.resolution,
            "conforms": self.report.conforms,
            "findings": [f.row() for f in self.report.findings],
        }


def validate_file(
    path: str | Path, *, language: str | None = None, base: str | None = None, engine: str = "fast"
) -> list[Checked]:
    """Validate a resolution text, or each resolution of an RDF file: a TriG or N-Quads
    file one named graph at a time (``load -o out.trig`` writes one per resolution), any
    other RDF file as one graph. Input that cannot be read raises :class:`InputError`."""
    if not is_rdf(path):
        g, res = load(path, language=language, base=base)
        assert res is not None
        return [Checked(str(path), res.symbol, validate(g, engine=engine), list(res.warnings))]
    graphs = [(name, g) for name, g in read_dataset(path) if len(g)]
    if not graphs:
        raise InputError(
            "holds no triples, so there is nothing to validate; check that it is the right file", source=str(path)
        )
    checked = []
    for name, g in graphs:
        symbols = resolution_symbols(g)
        label = ", ".join(symbols) if symbols else (str(name) if name is not None else None)
        report = validate(g, engine=engine)
        checked.append(Checked(str(path), label, report, graph_name=str(name) if name is not None else None))
    return checked


def resolution_symbols(g: Graph) -> list[str]:
    """The symbols of the resolutions a graph describes (not those it only cites)."""
    return sorted({str(s) for r in g.subjects(RDF.type, MG.Resolution) for s in g.objects(r, MG.symbol)})


ENGINES = ("fast", "pyshacl")


def validate(data: Graph, *, with_vocabulary: bool = True, engine: str = "fast", nt: str | None = None) -> Report:
    """Validate ``data`` (plus the vocabularies) against every shape.

    ``engine="fast"`` (the default) gives the same findings as ``engine="pyshacl"``, which
    is the reference: :mod:`mandate_graph.shacl` says how, and the tests hold the two equal
    on every shape fixture. ``nt``, when given, is ``data`` as N-Triples (rdflib's), which
    spares writing it again."""
    if engine == "pyshacl":
        return _validate_pyshacl(data, with_vocabulary=with_vocabulary)
    if engine != "fast":
        raise InputError(f"no validation engine {engine!r}; use one of: {', '.join(ENGINES)}")
    from mandate_graph.shacl import engine as fast_engine

    found = fast_engine().validate(nt if nt is not None else data, with_vocabulary=with_vocabulary)
    findings = []
    for r in found:
        paragraph, text = _locate(r.focus, data)
        findings.append(
            Finding(
                severity=r.severity,
                focus=str(r.focus),
                path=r.path,
                component=r.component,
                message=r.message,
                value=str(r.value) if r.value is not None else None,
                paragraph=paragraph,
                text=text,
            )
        )
    findings.sort(key=lambda f: (_sev_order(f.severity), _para_key(f.paragraph), f.focus, f.message))
    return Report(not any(f.severity == "Violation" for f in findings), findings)


def _validate_pyshacl(data: Graph, *, with_vocabulary: bool = True) -> Report:
    graph = Graph()
    if with_vocabulary:
        for t in vocabulary_graph():
            graph.add(t)
    for t in data:
        graph.add(t)
    conforms, results, _ = shacl_validate(
        graph,
        shacl_graph=_shapes(),
        inference="none",
        allow_warnings=True,
        abort_on_first=False,
        advanced=True,
        inplace=True,  # the merged graph is ours: no need for pyshacl to copy it
    )
    findings = [_finding(results, r, graph) for r in results.subjects(RDF.type, SH.ValidationResult)]
    findings.sort(key=lambda f: (_sev_order(f.severity), _para_key(f.paragraph), f.focus, f.message))
    return Report(bool(conforms), findings)


def _sev_order(severity: str) -> int:
    return {"Violation": 0, "Warning": 1}.get(severity, 2)


_PLACES = ("preambular", "operative", "footnote", "cited")


def _para_key(paragraph: str | None) -> tuple[int, int, str]:
    """Findings about the resolution as a whole first, then in reading order."""
    if not paragraph:
        return (0, 0, "")
    kind, n = paragraph.split()[0], paragraph.split()[-1]
    rank = _PLACES.index(kind) + 1 if kind in _PLACES else 0
    return (rank, int(n) if n.isdigit() else 0, paragraph)


def _finding(results: Graph, r: Node, data: Graph) -> Finding:
    def val(p: URIRef) -> Node | None:
        return results.value(r, p)

    severity = str(val(SH.resultSeverity) or SH.Violation).rsplit("#", 1)[-1]
    focus = val(SH.focusNode)
    path = val(SH.resultPath)
    component = str(val(SH.sourceConstraintComponent) or "").rsplit("#", 1)[-1]
    message = str(val(SH.resultMessage) or component)
    value = val(SH.value)
    paragraph, text = _locate(focus, data)
    return Finding(
        severity=severity,
        focus=str(focus),
        path=_path(results, path),
        component=component,
        message=message,
        value=str(value) if value is not None else None,
        paragraph=paragraph,
        text=text,
    )


def _path(g: Graph, path: Node | None) -> str | None:
    """A SHACL property path as text: an IRI, ``^iri`` for an inverse path, ``a/b`` for a sequence."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return str(path)
    inverse = g.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + (_path(g, inverse) or "?")
    if g.value(path, RDF.first) is not None:
        return "/".join(_path(g, step) or "?" for step in Collection(g, path))
    for kind, mark in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
        inner = g.value(path, SH[kind])
        if inner is not None:
            return f"({_path(g, inner)}){mark}"
    return None


def _locate(focus: Node | None, data: Graph) -> tuple[str | None, str | None]:
    """Where in the resolution a focus node is, in words a drafter can find (``operative
    paragraph 12``, ``footnote 3``, ``cited document A/80/157``), and its text."""
    if focus is None:
        return None, None
    owner, text = focus, None
    if (focus, RDF.type, MG.TextSpan) in data:
        owner = _owner(data, focus) or focus
    if (owner, RDF.type, MG.Mandate) in data:
        text = _literal(_first(data, owner, MG.actionText))
        owner = _first(data, owner, MG.inParagraph) or owner
    if (owner, RDF.type, MG.OperativeParagraph) in data:
        n = _first(data, owner, MG.paragraphNumber)
        label = f"operative paragraph {n}" if n is not None else "operative paragraph"
        return label, text or _literal(_first(data, owner, MG.text))
    if (owner, RDF.type, MG.PreambularParagraph) in data:
        n = _first(data, owner, MG.position)
        label = f"preambular paragraph {n}" if n is not None else "preambular paragraph"
        return label, text or _literal(_first(data, owner, MG.text))
    if (owner, RDF.type, MG.Footnote) in data:
        n = _first(data, owner, MG.footnoteNumber)
        return f"footnote {n}" if n is not None else "footnote", _literal(_first(data, owner, MG.text))
    for kind, name in ((MG.Resolution, "resolution"), (MG.Document, "cited document")):
        if (owner, RDF.type, kind) in data:
            symbol = _first(data, owner, MG.symbol)
            return (f"{name} {symbol}" if symbol is not None else name), text
    if (owner, RDF.type, MG.ResolutionExpression) in data:
        lang = _first(data, owner, DCTERMS.language)
        return (f"{lang} text" if lang is not None else "text"), text
    return None, text


def _first(data: Graph, subject: Node, predicate: URIRef) -> Node | None:
    """The least value (so the same one every run, whatever the graph's order): a node
    with two numbers, which the shapes report, is still placed the same way each time."""
    return min(data.objects(subject, predicate), default=None)


def _owner(data: Graph, span: Node) -> Node | None:
    return min(data.subjects(MG.sourceSpan, span), default=None)


def _literal(node: Node | None) -> str | None:
    return str(node) if isinstance(node, Literal) else None


def _short(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            tail = iri.rsplit(sep, 1)[-1]
            if tail:
                return tail
    return iri
