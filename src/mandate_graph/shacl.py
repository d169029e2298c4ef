"""SHACL validation at corpus scale, with the same findings as pySHACL.

pySHACL (the reference, ``validate(..., engine="pyshacl")``) takes about 2 s per
resolution, most of it re-checking the 3,000 triples of the vocabularies that every data
graph is validated with. This engine splits the work:

- **Core constraints** are checked by :mod:`mandate_graph.checks` on the data graph laid
  over the vocabularies, which are indexed once per process. Findings are kept for the
  nodes the data mentions; findings about vocabulary nodes it does not mention are those of
  the vocabularies alone, computed once (:meth:`Engine.baseline`).
- **SPARQL-based constraints and targets** (``sh:sparql``, ``sh:SPARQLTarget``) run in
  pyoxigraph, once per query with ``$this`` unbound, and are kept for the shape's focus
  nodes. They run on the data graph plus the *slice* of the vocabularies it touches: the
  full description of every node the data mentions and of the nodes those descriptions
  point to, the types of the nodes one step further, and the class hierarchy. That is
  everything a path of length two and a class test can see from a data node. Of those
  triples, only the ones whose predicate a pattern of the queries names are loaded (all of
  them if a pattern has a variable or negated predicate). The nodes a SPARQL target selects
  are given a marker class that the core shape targets instead.

``tests/test_shacl_engines.py`` holds the two engines equal on every shape fixture, and
``bench/bench_scale.py`` on the corpus.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from mandate_graph import checks
from mandate_graph.corpus import to_rdflib
from mandate_graph.iris import SH

_MARKER = "urn:x-mandate-graph:sparql-target/"
_SHAPE = "urn:x-mandate-graph:property-shape/"
_TYPE = f"<{RDF.type}>"
_SUBCLASS = f"<{RDFS.subClassOf}>"


@dataclass(frozen=True)
class Result:
    """One validation result, in the terms of :class:`mandate_graph.validate.Finding`."""

    focus: Node
    path: str | None  # ``iri``, ``^iri`` or ``a/b``
    component: str  # local name, e.g. "MinCountConstraintComponent"
    severity: str  # "Violation", "Warning" or "Info"
    message: str
    value: Node | None = None


@dataclass(frozen=True)
class _SparqlConstraint:
    query: str
    message: str
    severity: str
    path: str | None
    target_classes: tuple[str, ...]
    target_subjects_of: tuple[str, ...]


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def _prefixes(shapes: Graph, node: Node) -> str:
    lines = []
    for owner in shapes.objects(node, SH.prefixes):
        for d in shapes.objects(owner, SH.declare):
            lines.append(f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n")
    return "".join(sorted(lines))


def _nt_lines(g: Graph) -> list[str]:
    return [line for line in g.serialize(format="nt").splitlines() if line.strip()]


_split = checks.terms


def _lines(nt: str) -> list[str]:
    return [line for line in nt.splitlines() if line.strip()]


_SKOLEM = "urn:x-mandate-graph:blank/"


def _skolem(line: str) -> str:
    """A line with its blank nodes as IRIs, which Oxigraph keeps as they are (it renames
    blank nodes), so that results can be traced back to the data."""
    if "_:" not in line:
        return line
    s, p, o = _split(line)
    if s.startswith("_:"):
        s = f"<{_SKOLEM}{s[2:]}>"
    if o.startswith("_:"):
        o = f"<{_SKOLEM}{o[2:]}>"
    return f"{s} {p} {o} ."


def _skolem_node(node: Node) -> Node:
    return URIRef(_SKOLEM + str(node)) if isinstance(node, BNode) else node


def _unskolem(node: Node | None) -> Node | None:
    if isinstance(node, URIRef) and node.startswith(_SKOLEM):
        return BNode(node[len(_SKOLEM) :])
    return node


def _is_node(token: str) -> bool:
    return token.startswith(("<", "_:"))


class Engine:
    """Validates data graphs against one shapes graph, with one vocabulary."""

    def __init__(self, shapes: Graph, vocabulary: Graph) -> None:
        self._constraints: list[_SparqlConstraint] = []
        for shape, c in sorted(shapes.subject_objects(SH.sparql)):
            severity = shapes.value(c, SH.severity) or shapes.value(shape, SH.severity) or SH.Violation
            path = shapes.value(shape, SH.path)
            self._constraints.append(
                _SparqlConstraint(
                    query=_prefixes(shapes, c) + str(shapes.value(c, SH.select)),
                    message=str(shapes.value(c, SH.message) or ""),
                    severity=_local(str(severity)),
                    path=str(path) if isinstance(path, URIRef) else None,
                    target_classes=tuple(sorted(str(o) for o in shapes.objects(shape, SH.targetClass))),
                    target_subjects_of=tuple(sorted(str(o) for o in shapes.objects(shape, SH.targetSubjectsOf))),
                )
            )
        core = Graph()
        for t in shapes:
            core.add(t)
        for shape, c in list(core.subject_objects(SH.sparql)):
            core.remove((shape, SH.sparql, c))
        self._targets: list[str] = []
        for shape, t in sorted(core.subject_objects(SH.target)):
            if (t, RDF.type, SH.SPARQLTarget) in core:
                marker = URIRef(f"{_MARKER}{len(self._targets)}")
                self._targets.append(_prefixes(core, t) + str(core.value(t, SH.select)))
                core.remove((shape, SH.target, t))
                core.add((shape, SH.targetClass, marker))
        self._messages = _name_property_shapes(core)
        self._checks = checks.Shapes(core, self._messages)

        lines = _nt_lines(vocabulary)
        self._vocab_nt = "\n".join(lines) + "\n"
        self._by_subject: dict[str, list[str]] = {}
        self._types: dict[str, list[str]] = {}
        schema = []
        self._vocab_triples = {line: _split(line) for line in lines}
        for line in lines:
            s, p, _ = self._vocab_triples[line]
            self._by_subject.setdefault(s, []).append(line)
            if p == _TYPE:
                self._types.setdefault(s, []).append(line)
            elif p == _SUBCLASS:
                schema.append(line)
        self._schema = schema
        self._baseline: list[Result] | None = None
        # the vocabularies indexed once; each data graph's index is laid over it
        self._vocab_data = checks.Data(self._vocab_triples.values())
        for cls in list(self._vocab_data.typed):
            self._vocab_data.superclasses(cls)
        self._wanted = _predicates([*self._targets, *(c.query for c in self._constraints)])

    # -- the slice of the vocabulary a data graph touches ---------------------------------
    def _slice(self, mentioned: set[str]) -> list[str]:
        out: list[str] = []
        seen: set[str] = set()
        near: set[str] = set()
        for node in mentioned:
            for line in self._by_subject.get(node, ()):
                out.append(line)
                o = self._vocab_triples[line][2]
                if _is_node(o) and o not in mentioned:
                    near.add(o)
        far: set[str] = set()
        for node in near:
            for line in self._by_subject.get(node, ()):
                out.append(line)
                o = self._vocab_triples[line][2]
                if _is_node(o) and o not in mentioned and o not in near:
                    far.add(o)
        for node in far:
            out.extend(self._types.get(node, ()))
        out.extend(self._schema)
        # a line can only come twice from the schema part
        return [x for x in out if not (x in seen or seen.add(x))]

    # -- the two halves --------------------------------------------------------------------
    def _core(self, d: checks.Data, keep: set[str] | None = None) -> list[Result]:
        """The core constraints' results on ``d``; with ``keep``, only for the focus nodes
        in it."""
        return [
            Result(
                _unskolem(checks.node(focus)),
                path,
                component,
                severity,
                message,
                _unskolem(checks.node(value)) if value is not None else None,
            )
            for focus, path, component, severity, message, value in self._checks.validate(d, keep)
        ]

    def _sparql(
        self, lines: Iterable[tuple[str, tuple[str, str, str]]], d: checks.Data
    ) -> tuple[list[Result], list[tuple[str, str, str]]]:
        """The SPARQL constraints' results on the graph of ``lines`` (N-Triples lines with
        their terms, which ``d`` holds, with maybe more), and the nodes each SPARQL target
        selects, as triples typing them with the marker classes."""
        wanted = self._wanted
        # only the triples a pattern of the queries can match: a third of a resolution's
        nt = "\n".join(line for line, (_, p, _) in lines if wanted is None or p in wanted)
        store = ox.Store()
        # lenient: the lines are rdflib's, and IRIs are not this engine's to judge
        store.load(nt.encode(), format=ox.RdfFormat.N_TRIPLES, lenient=True)
        markers = []
        for i, q in enumerate(self._targets):
            for row in store.query(q):
                markers.append((_ox_n3(row["this"]), _TYPE, f"<{_MARKER}{i}>"))
        results: list[Result] = []
        focus_of: dict[tuple[tuple[str, ...], tuple[str, ...]], set[str]] = {}
        for c in self._constraints:
            key = (c.target_classes, c.target_subjects_of)
            if key not in focus_of:
                focus_of[key] = _focus_nodes(d, c)
            focus = focus_of[key]
            for row in store.query(c.query):
                this = row["this"]
                if not isinstance(this, ox.NamedNode | ox.BlankNode) or _ox_n3(this) not in focus:
                    continue
                bound: dict[str, Any] = {}
                for name in ("path", "value", *_placeholders(c.message)):
                    try:
                        term = row[name]
                    except (KeyError, IndexError):
                        continue
                    if term is not None:
                        bound[name] = term
                path = bound["path"].value if "path" in bound else c.path
                value = _unskolem(to_rdflib(bound["value"])) if "value" in bound else _unskolem(to_rdflib(this))
                results.append(
                    Result(
                        _unskolem(to_rdflib(this)),
                        path,
                        "SPARQLConstraintComponent",
                        c.severity,
                        _fill(c.message, bound),
                        value,
                    )
                )
        return results, markers

    def _both(self, nt: str) -> list[Result]:
        lines = [(line, _split(line)) for line in _lines(nt)]
        d = checks.Data(t for _, t in lines)
        sparql, markers = self._sparql(lines, d)
        d.add(markers)
        return [*self._core(d), *sparql]

    def baseline(self) -> list[Result]:
        """The results on the vocabularies alone (normally none)."""
        if self._baseline is None:
            self._baseline = self._both(self._vocab_nt)
        return self._baseline

    def validate(self, data: Graph | str, *, with_vocabulary: bool = True) -> list[Result]:
        """The results of ``data`` (a graph, or its N-Triples as rdflib writes them)
        with the vocabularies, or alone."""
        lines = [_skolem(line) for line in (_nt_lines(data) if isinstance(data, Graph) else _lines(data))]
        if not with_vocabulary:
            return sorted(set(self._both("\n".join(lines) + "\n")), key=_order)
        triples = [_split(line) for line in lines]
        mentioned: set[str] = set()
        for s, _, o in triples:
            mentioned.add(s)
            if _is_node(o):
                mentioned.add(o)
        # the core checks see the whole vocabulary, the SPARQL queries the slice of it
        d = checks.Data(triples, over=self._vocab_data)
        around = self._slice(mentioned)
        vocab = self._vocab_triples
        seen = [*zip(lines, triples, strict=True), *((line, vocab[line]) for line in around)]
        sparql, markers = self._sparql(seen, d)
        d.add(t for t in markers if t[0] in mentioned)
        core = self._core(d, keep=mentioned)
        results = {*core, *(r for r in sparql if _n3(_skolem_node(r.focus)) in mentioned)}
        results |= {r for r in self.baseline() if _n3(_skolem_node(r.focus)) not in mentioned}
        return sorted(results, key=_order)


def _predicates(texts: list[str]) -> set[str] | None:
    """The predicates, as N-Triples terms, that the triple patterns of the queries ``texts``
    can match; None when a pattern can match any (a variable or a negated property)."""
    from mandate_graph.queries import path_iris, triple_patterns

    found: set[str] = set()
    for text in texts:
        patterns = triple_patterns(text)
        if patterns is None:
            return None
        for _, p, _ in patterns:
            iris = path_iris(p)
            if iris is None:
                return None
            found.update(f"<{iri}>" for iri in iris)
    return found


def _order(r: Result) -> tuple[str, ...]:
    return (str(r.focus), r.path or "", r.component, r.severity, r.message, str(r.value))


def _fill(message: str, bound: dict[str, Any]) -> str:
    """A SPARQL constraint's message with its ``{?var}`` placeholders filled in."""
    return re.sub(r"\{[?$](\w+)\}", lambda m: bound[m.group(1)].value if m.group(1) in bound else m.group(0), message)


def _placeholders(message: str) -> list[str]:
    return re.findall(r"\{[?$](\w+)\}", message)


def _focus_nodes(d: checks.Data, c: _SparqlConstraint) -> set[str]:
    out: set[str] = set()
    for iri in c.target_classes:
        out.update(d.instances(f"<{iri}>"))
    for iri in c.target_subjects_of:
        p = f"<{iri}>"
        out.update(d.subjects_of(p))
    return out


def _ox_n3(term: ox.NamedNode | ox.BlankNode) -> str:
    return f"<{term.value}>" if isinstance(term, ox.NamedNode) else f"_:{term.value}"


def _n3(node: Node) -> str:
    return node.n3()


def _name_property_shapes(g: Graph) -> dict[str, str]:
    """Give every property shape an IRI, so that a result can name the shape it comes from,
    and return each shape's ``sh:message`` (the English one) by its IRI."""
    named: dict[BNode, URIRef] = {}
    for i, node in enumerate(sorted({o for o in g.objects(None, SH.property) if isinstance(o, BNode)})):
        named[node] = URIRef(f"{_SHAPE}{i}")
    for s, p, o in list(g):
        if s in named or o in named:
            g.remove((s, p, o))
            g.add((named.get(s, s), p, named.get(o, o)))  # type: ignore[arg-type]
    messages: dict[str, str] = {}
    for shape, message in g.subject_objects(SH.message):
        if isinstance(shape, URIRef) and (str(shape) not in messages or getattr(message, "language", None) == "en"):
            messages[str(shape)] = str(message)
    return messages


@functools.cache
def engine() -> Engine:
    """The engine for the project's shapes and vocabularies (built once per process)."""
    from mandate_graph.validate import _shapes
    from mandate_graph.vocab import vocabulary_graph

    return Engine(_shapes(), vocabulary_graph())
