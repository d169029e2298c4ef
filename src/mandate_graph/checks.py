"""The SHACL Core constraints of the project's shapes, checked in Python on N-Triples.

A resolution's graph is a thousand-odd triples checked against a hundred property shapes.
At that size the cost of a SHACL engine is its fixed cost per call and per shape:
pyrudof spent about 30 ms per resolution, of which 5 ms with no shape at all, where
these checks take a few. They are compiled once from the shapes graph, work on the
N-Triples terms of the data as they are (``<iri>``, ``_:b``, ``"lex"^^<dt>``), and turn a
term into an rdflib term only to compare or report it.

They cover the constructs the shapes in ``shapes/`` use, with pySHACL's results (which
``tests/test_shacl_engines.py`` holds them to on every shape fixture), and refuse any
other construct when compiled: a shape that uses one fails at once instead of being half
checked. Targets: ``sh:targetClass`` (with ``rdfs:subClassOf``) and ``sh:targetSubjectsOf``;
paths: a property, ``sh:inversePath`` and sequences. SPARQL-based constraints and targets
are :mod:`mandate_graph.shacl`'s business.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node
from rdflib.util import from_n3

from mandate_graph.iris import SH

_TYPE = f"<{RDF.type}>"
_SUBCLASS = f"<{RDFS.subClassOf}>"
_INTEGER = f"<{XSD.integer}>"
_PLAIN_INTEGER = re.compile(r"-?[0-9]+\Z")
_TAGGED = re.compile(r'"@[A-Za-z]+(-[A-Za-z0-9]+)*\Z')

# what a shape may say besides its constraints
_DESCRIPTIVE = {SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group}
_TARGETS = {SH.targetClass, SH.targetSubjectsOf}


# one validation result, as :class:`mandate_graph.shacl.Result` has it but with the N-Triples
# terms of its focus node and value: (focus, path, component, severity, message, value)
Found = tuple[str, str | None, str, str, str, str | None]


# -- the data -------------------------------------------------------------------------------
class Data:
    """Triples of N-Triples terms, indexed both ways."""

    def __init__(self, triples: Iterable[tuple[str, str, str]], over: Data | None = None) -> None:
        """The ``triples``; ``over`` another Data, whose triples these are added to without
        changing it (the vocabularies, indexed once, under each resolution's graph)."""
        self.out: dict[str, dict[str, list[str]]] = {}
        self.into: dict[str, dict[str, list[str]]] = {}
        self._supers: dict[str, set[str]] = {}
        self.typed: dict[str, list[str]] = {}  # class: its instances (not those of its subclasses)
        self._over = over
        if over is not None:
            # shallow copies: what the triples add to a node of ``over`` copies that node's
            # entry first (see _own), so ``over`` is shared, never written
            self.out, self.into, self.typed = dict(over.out), dict(over.into), dict(over.typed)
            self._supers = dict(over._supers)
        self.add(triples)

    def add(self, triples: Iterable[tuple[str, str, str]]) -> None:
        """Add triples."""
        over = self._over
        if over is None:
            self._supers.clear()
            for s, p, o in triples:
                self.out.setdefault(s, {}).setdefault(p, []).append(o)
                self.into.setdefault(o, {}).setdefault(p, []).append(s)
                if p == _TYPE:
                    self.typed.setdefault(o, []).append(s)
            return
        own = self._own
        for s, p, o in triples:
            own(self.out, over.out, s, p).append(o)
            own(self.into, over.into, o, p).append(s)
            if p == _TYPE:
                instances = self.typed.get(o)
                if instances is None:
                    self.typed[o] = [s]
                else:
                    if instances is over.typed.get(o):
                        instances = self.typed[o] = list(instances)
                    instances.append(s)
            elif p == _SUBCLASS:
                self._supers.clear()

    @staticmethod
    def _own(
        index: dict[str, dict[str, list[str]]], shared: dict[str, dict[str, list[str]]], node: str, p: str
    ) -> list[str]:
        """The list ``index[node][p]``, made if missing and copied if ``shared`` holds it."""
        by = index.get(node)
        if by is None:
            values: list[str] = []
            index[node] = {p: values}
            return values
        base = shared.get(node)
        if by is base:
            by = index[node] = dict(by)
        values = by.get(p)  # type: ignore[assignment]
        if values is None:
            values = by[p] = []
        elif base is not None and values is base.get(p):
            values = by[p] = list(values)
        return values

    def objects(self, s: str, p: str) -> list[str]:
        return self.out.get(s, {}).get(p, [])

    def subjects(self, p: str, o: str) -> list[str]:
        return self.into.get(o, {}).get(p, [])

    def subjects_of(self, p: str) -> list[str]:
        """Every node with a value for ``p``."""
        return [s for s, by in self.out.items() if p in by]

    def superclasses(self, cls: str) -> set[str]:
        """``cls`` and every class it is an ``rdfs:subClassOf*`` of."""
        found = self._supers.get(cls)
        if found is None:
            found, todo = {cls}, [cls]
            while todo:
                for sup in self.objects(todo.pop(), _SUBCLASS):
                    if sup not in found:
                        found.add(sup)
                        todo.append(sup)
            self._supers[cls] = found
        return found

    def is_instance(self, node: str, cls: str) -> bool:
        return any(cls in self.superclasses(t) for t in self.objects(node, _TYPE))

    def instances(self, cls: str) -> list[str]:
        """Every node typed ``cls`` or a subclass of it, in the order of the data."""
        out: dict[str, None] = {}
        for c, nodes in self.typed.items():
            if cls in self.superclasses(c):
                out.update(dict.fromkeys(nodes))
        return list(out)


def terms(line: str) -> tuple[str, str, str]:
    """Subject, predicate and object of an N-Triples line (as rdflib writes it)."""
    s, rest = line.split(" ", 1)
    p, o = rest.split(" ", 1)
    return s, p, o.rstrip()[:-1].rstrip()


# -- terms ----------------------------------------------------------------------------------
_term_cache: dict[str, Node] = {}


def node(term: str) -> Node:
    """The rdflib term of an N-Triples term."""
    found = _term_cache.get(term)
    if found is None:
        if term.startswith("<"):
            found = URIRef(term[1:-1])
        elif term.startswith("_:"):
            found = BNode(term[2:])
        else:
            parsed = from_n3(term)
            assert isinstance(parsed, Node)
            found = parsed
        if len(_term_cache) < 100_000:
            _term_cache[term] = found
    return found


def _n3(term: Node) -> str:
    """The N-Triples term of an rdflib term, as rdflib's N-Triples writer spells it."""
    line = Graph().add((URIRef("urn:s"), URIRef("urn:p"), term)).serialize(format="nt").strip()
    return terms(line)[2]


def _is_literal(term: str) -> bool:
    return term.startswith('"')


def _literal(term: str) -> Literal:
    value = node(term)
    assert isinstance(value, Literal)
    return value


def _integer(term: str) -> int | None:
    """The value of an ``xsd:integer`` written plainly, else None."""
    if term.endswith(_INTEGER):
        lexical = term[1 : -len(_INTEGER) - 3]
        if _PLAIN_INTEGER.match(lexical):
            return int(lexical)
    return None


# -- paths ----------------------------------------------------------------------------------
Path = Callable[[Data, str], list[str]]


def _path(g: Graph, p: Node) -> tuple[Path, str]:
    """A shape's ``sh:path``: the function giving a node's values, and how results write it."""
    if isinstance(p, URIRef):
        t = f"<{p}>"
        return (lambda d, n: d.objects(n, t)), str(p)
    inverse = g.value(p, SH.inversePath)
    if isinstance(inverse, URIRef) and len(list(g.predicate_objects(p))) == 1:
        t = f"<{inverse}>"
        return (lambda d, n: d.subjects(t, n)), f"^{inverse}"
    if (p, RDF.first, None) in g:
        steps = [_path(g, step) for step in Collection(g, p)]

        def sequence(d: Data, n: str) -> list[str]:
            current = [n]
            for step, _ in steps:
                current = list(dict.fromkeys(v for c in current for v in step(d, c)))
            return current

        return sequence, "/".join(text for _, text in steps)
    raise ValueError(f"unsupported sh:path {p!r}: only a property, sh:inversePath and sequences are checked")


# -- constraints ----------------------------------------------------------------------------
# a check takes the data, the focus node and its value nodes, and yields the value (or None)
# of each result it finds; "once" when a result has no value
Check = Callable[[Data, str, list[str]], Iterable[str | None]]


@dataclass
class Shape:
    """A node or property shape, compiled."""

    iri: str
    message: str
    severity: str
    path: Path | None = None
    path_text: str | None = None
    checks: list[tuple[str, Check]] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    target_classes: list[str] = field(default_factory=list)
    target_subjects_of: list[str] = field(default_factory=list)

    def values(self, d: Data, focus: str) -> list[str]:
        if self.path is None:
            return [focus]
        found = self.path(d, focus)
        return found if len(found) < 2 else list(dict.fromkeys(found))

    def violations(self, d: Data, focus: str, out: list[Found]) -> None:
        """Add the results of ``focus`` to ``out``."""
        if self.checks:
            values = self.values(d, focus)
            for component, check in self.checks:
                for value in check(d, focus, values):
                    out.append((focus, self.path_text, component, self.severity, self.message, value))
        for p in self.properties:
            p.violations(d, focus, out)

    def conforms(self, d: Data, focus: str) -> bool:
        found: list[Found] = []
        self.violations(d, focus, found)
        return not found


class Shapes:
    """The node shapes of a shapes graph (without SPARQL-based constraints), compiled."""

    def __init__(self, g: Graph, messages: dict[str, str]) -> None:
        self._g, self._messages = g, messages
        self._compiled: dict[Node, Shape] = {}
        roots = {s for p in _TARGETS for s in g.subjects(p, None)} | set(g.subjects(RDF.type, SH.NodeShape))
        for p in (SH.targetNode, SH.targetObjectsOf, SH.target):
            if (None, p, None) in g:
                raise ValueError(f"unsupported target {p}: only sh:targetClass and sh:targetSubjectsOf are checked")
        self.roots = [self._shape(s) for s in sorted(roots)]

    def validate(self, d: Data, only: set[str] | None = None) -> list[Found]:
        """The results on ``d``; with ``only``, for the focus nodes in it alone (the others
        are not checked)."""
        out: list[Found] = []
        for shape in self.roots:
            focus: dict[str, None] = {}
            for cls in shape.target_classes:
                focus.update(dict.fromkeys(d.instances(cls)))
            for p in shape.target_subjects_of:
                focus.update(dict.fromkeys(d.subjects_of(p)))
            for f in focus:
                if only is None or f in only:
                    shape.violations(d, f, out)
        return out

    # -- compiling ----------------------------------------------------------------------
    def _shape(self, s: Node) -> Shape:
        if s in self._compiled:
            return self._compiled[s]
        g = self._g
        severity = g.value(s, SH.severity) or SH.Violation
        message = self._messages.get(str(s))
        if message is None:
            messages = sorted(g.objects(s, SH.message), key=lambda m: getattr(m, "language", None) != "en")
            message = str(messages[0]) if messages else ""
        shape = Shape(str(s), message, str(severity).rsplit("#", 1)[-1])
        self._compiled[s] = shape
        path = g.value(s, SH.path)
        if path is not None:
            shape.path, shape.path_text = _path(g, path)
        shape.target_classes = [f"<{c}>" for c in sorted(g.objects(s, SH.targetClass))]
        shape.target_subjects_of = [f"<{p}>" for p in sorted(g.objects(s, SH.targetSubjectsOf))]
        done = {SH.path, SH.property, RDF.type, *_DESCRIPTIVE, *_TARGETS}
        for p in sorted(set(g.predicates(s, None))):
            if p in done or not str(p).startswith(str(SH)):
                continue
            if p in (SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint, SH.flags):
                continue  # read with sh:qualifiedValueShape and sh:pattern
            compile_ = self._compilers().get(p)
            if compile_ is None:
                raise ValueError(f"unsupported constraint {p} in shape {s}")
            for o in sorted(g.objects(s, p)):
                shape.checks.append(compile_(s, o))
        shape.properties = [self._shape(p) for p in sorted(g.objects(s, SH.property))]
        return shape

    def _compilers(self) -> dict[Node, Callable[[Node, Node], tuple[str, Check]]]:
        return {
            SH.minCount: self._min_count,
            SH.maxCount: self._max_count,
            SH["class"]: self._class,
            SH.datatype: self._datatype,
            SH.minInclusive: self._min_inclusive,
            SH.uniqueLang: self._unique_lang,
            SH.qualifiedValueShape: self._qualified,
            SH.hasValue: self._has_value,
            SH.languageIn: self._language_in,
            SH.equals: self._equals,
            SH.pattern: self._pattern,
            SH.nodeKind: self._node_kind,
            SH.xone: self._xone,
            SH.minLength: self._min_length,
            SH.lessThan: self._less_than,
            SH["in"]: self._in,
        }

    @staticmethod
    def _int(o: Node) -> int:
        assert isinstance(o, Literal)
        return int(o)

    def _min_count(self, s: Node, o: Node) -> tuple[str, Check]:
        n = self._int(o)
        return "MinCountConstraintComponent", lambda d, f, vs: [None] if len(vs) < n else []

    def _max_count(self, s: Node, o: Node) -> tuple[str, Check]:
        n = self._int(o)
        return "MaxCountConstraintComponent", lambda d, f, vs: [None] if len(vs) > n else []

    def _class(self, s: Node, o: Node) -> tuple[str, Check]:
        cls = f"<{o}>"
        return "ClassConstraintComponent", lambda d, f, vs: [v for v in vs if not d.is_instance(v, cls)]

    def _datatype(self, s: Node, o: Node) -> tuple[str, Check]:
        assert isinstance(o, URIRef)
        dt = o
        integer, tagged, string = dt == XSD.integer, dt == RDF.langString, dt == XSD.string

        def ok(v: str) -> bool:
            if not _is_literal(v):
                return False
            # the usual cases without building a literal
            if (integer and _integer(v) is not None) or (tagged and _TAGGED.search(v)):
                return True
            if string and v.endswith('"'):
                return True
            # otherwise as pySHACL decides
            lit = _literal(v)
            if lit.datatype == dt:
                return lit.ill_typed is not True and _is_value_of(lit.value, dt)
            if dt == RDFS.Literal:
                return True
            if dt == RDFS.Datatype:
                return lit.datatype is not None
            if dt == XSD.string and lit.datatype is None and lit.language is None:
                return isinstance(lit.value, str | bytes)
            if dt == RDF.langString and lit.language:
                return isinstance(lit.value, str | bytes)
            return False

        return "DatatypeConstraintComponent", lambda d, f, vs: [v for v in vs if not ok(v)]

    def _min_inclusive(self, s: Node, o: Node) -> tuple[str, Check]:
        from pyshacl.rdfutil.compare import compare_literal

        assert isinstance(o, Literal)
        bound, bound_int = o, o.value if o.datatype == XSD.integer else None
        bound_is_string = isinstance(o.value, str)

        def ok(v: str) -> bool:
            if not _is_literal(v):
                return False
            if bound_int is not None:
                i = _integer(v)
                if i is not None:
                    return bool(i >= bound_int)
            lit = _literal(v)
            if isinstance(lit.value, str) != bound_is_string:
                return False
            try:
                return bool(compare_literal(lit, bound) >= 0)
            except (TypeError, NotImplementedError):
                return False

        return "MinInclusiveConstraintComponent", lambda d, f, vs: [v for v in vs if not ok(v)]

    def _unique_lang(self, s: Node, o: Node) -> tuple[str, Check]:
        if not (isinstance(o, Literal) and o.value is True):
            return "UniqueLangConstraintComponent", lambda d, f, vs: []

        def check(d: Data, f: str, vs: list[str]) -> list[str | None]:
            seen: set[str] = set()
            for v in vs:
                if _is_literal(v):
                    lang = _literal(v).language
                    if lang:
                        if lang.lower() in seen:
                            return [None]
                        seen.add(lang.lower())
            return []

        return "UniqueLangConstraintComponent", check

    def _qualified(self, s: Node, o: Node) -> tuple[str, Check]:
        g = self._g
        if g.value(s, SH.qualifiedMaxCount) is not None or g.value(s, SH.qualifiedValueShapesDisjoint) is not None:
            raise ValueError(f"unsupported: sh:qualifiedMaxCount or sh:qualifiedValueShapesDisjoint in shape {s}")
        least = g.value(s, SH.qualifiedMinCount)
        if least is None:
            raise ValueError(f"sh:qualifiedValueShape without sh:qualifiedMinCount in shape {s}")
        n, inner = self._int(least), self._shape(o)

        def check(d: Data, f: str, vs: list[str]) -> list[str | None]:
            return [None] if sum(inner.conforms(d, v) for v in vs) < n else []

        return "QualifiedMinCountConstraintComponent", check

    def _has_value(self, s: Node, o: Node) -> tuple[str, Check]:
        wanted = _n3(o)
        return "HasValueConstraintComponent", lambda d, f, vs: [] if wanted in vs else [None]

    def _language_in(self, s: Node, o: Node) -> tuple[str, Check]:
        tags = [str(t).lower() for t in Collection(self._g, o)]

        def ok(v: str) -> bool:
            if not _is_literal(v):
                return False
            lang = (_literal(v).language or "").lower()
            return bool(lang) and any(lang == t or lang.startswith(t + "-") or t == "*" for t in tags)

        return "LanguageInConstraintComponent", lambda d, f, vs: [v for v in vs if not ok(v)]

    def _equals(self, s: Node, o: Node) -> tuple[str, Check]:
        p = f"<{o}>"

        def check(d: Data, f: str, vs: list[str]) -> list[str | None]:
            others = d.objects(f, p)
            return [v for v in vs if v not in others] + [v for v in dict.fromkeys(others) if v not in vs]

        return "EqualsConstraintComponent", check

    def _pattern(self, s: Node, o: Node) -> tuple[str, Check]:
        flags = self._g.value(s, SH.flags)
        regex = re.compile(str(o), re.IGNORECASE if flags is not None and "i" in str(flags) else 0)

        def ok(v: str) -> bool:
            if v.startswith("_:"):
                return False
            text = str(_literal(v)) if _is_literal(v) else v[1:-1]
            return regex.search(text) is not None

        return "PatternConstraintComponent", lambda d, f, vs: [v for v in vs if not ok(v)]

    def _min_length(self, s: Node, o: Node) -> tuple[str, Check]:
        n = self._int(o)

        def ok(v: str) -> bool:
            if v.startswith("_:"):
                return False
            return len(str(_literal(v)) if _is_literal(v) else v[1:-1]) >= n

        return "MinLengthConstraintComponent", lambda d, f, vs: [v for v in vs if not ok(v)]

    def _node_kind(self, s: Node, o: Node) -> tuple[str, Check]:
        kinds = {
            SH.IRI: ("<",),
            SH.BlankNode: ("_:",),
            SH.Literal: ('"',),
            SH.BlankNodeOrIRI: ("<", "_:"),
            SH.BlankNodeOrLiteral: ("_:", '"'),
            SH.IRIOrLiteral: ("<", '"'),
        }
        if o not in kinds:
            raise ValueError(f"unknown sh:nodeKind {o}")
        starts = kinds[o]
        return "NodeKindConstraintComponent", lambda d, f, vs: [v for v in vs if not v.startswith(starts)]

    def _xone(self, s: Node, o: Node) -> tuple[str, Check]:
        members = [self._shape(m) for m in Collection(self._g, o)]

        def check(d: Data, f: str, vs: list[str]) -> list[str | None]:
            return [v for v in vs if sum(m.conforms(d, v) for m in members) != 1]

        return "XoneConstraintComponent", check

    def _less_than(self, s: Node, o: Node) -> tuple[str, Check]:
        p = f"<{o}>"

        def check(d: Data, f: str, vs: list[str]) -> list[str | None]:
            out: list[str | None] = []
            for v in vs:
                for other in d.objects(f, p):
                    if not _less(v, other):
                        out.append(v)
            return out

        return "LessThanConstraintComponent", check

    def _in(self, s: Node, o: Node) -> tuple[str, Check]:
        allowed = {_n3(m) for m in Collection(self._g, o)}
        return "InConstraintComponent", lambda d, f, vs: [v for v in vs if v not in allowed]


def _is_value_of(value: object, dt: URIRef) -> bool:
    """Whether a literal's Python value is of the kind its datatype promises (pySHACL's test)."""
    kinds: dict[URIRef, type | tuple[type, ...]] = {
        XSD.string: (str, bytes),
        RDF.langString: (str, bytes),
        XSD.integer: int,
        XSD.float: float,
        XSD.decimal: Decimal,
        XSD.boolean: bool,
        XSD.date: date,
        XSD.time: time,
        XSD.dateTime: datetime,
    }
    kind = kinds.get(dt)
    return kind is None or isinstance(value, kind)


def _less(a: str, b: str) -> bool:
    """``a < b`` as pySHACL's sh:lessThan compares: strings (IRIs and string literals) with
    strings, other values by their value; anything else is not less."""
    i, j = _integer(a), _integer(b)
    if i is not None and j is not None:
        return i < j

    def value(t: str) -> tuple[bool, object]:
        if t.startswith("<"):
            return True, t[1:-1]
        lit = _literal(t)
        return (True, lit.value) if isinstance(lit.value, str) else (False, lit)

    (a_str, x), (b_str, y) = value(a), value(b)
    if a_str != b_str:
        return False
    try:
        return bool(x < y)  # type: ignore[operator]
    except TypeError:
        return False
