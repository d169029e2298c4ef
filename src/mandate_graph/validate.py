"""Validation against the SHACL shapes in ``shapes/``.

The data graph is validated together with the vocabularies (so that "a verb from the
verb scheme" can be checked by class), without RDFS inference: inference would make any
IRI used as an addressee an actor through ``rdfs:range`` and hide a wrong addressee.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from mandate_graph.iris import MG, SH
from mandate_graph.resources import data_dir
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


def validate(data: Graph, *, with_vocabulary: bool = True) -> Report:
    """Validate ``data`` (plus the vocabularies) against every shape."""
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


def _para_key(paragraph: str | None) -> tuple[int, int]:
    if not paragraph:
        return (0, 0)
    kind, n = paragraph.split()[0], paragraph.split()[-1]
    return (1 if kind == "preambular" else 2, int(n) if n.isdigit() else 0)


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
    """The paragraph a focus node belongs to and its text."""
    if focus is None:
        return None, None
    para, text = focus, None
    if (focus, RDF.type, MG.Mandate) in data:
        text = _literal(data.value(focus, MG.actionText))
        para = data.value(focus, MG.inParagraph) or focus
    elif (focus, RDF.type, MG.TextSpan) in data:
        para = data.value(predicate=MG.sourceSpan, object=focus) or focus
    if (para, RDF.type, MG.OperativeParagraph) in data:
        n = data.value(para, MG.paragraphNumber)
        label = f"operative paragraph {n}" if n is not None else None
    elif (para, RDF.type, MG.PreambularParagraph) in data:
        label = "preambular paragraph " + str(para).rsplit("/", 1)[-1]
    else:
        return None, text
    return label, text or _literal(data.value(para, MG.text))


def _literal(node: Node | None) -> str | None:
    return str(node) if isinstance(node, Literal) else None


def _short(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            tail = iri.rsplit(sep, 1)[-1]
            if tail:
                return tail
    return iri
