"""Named SPARQL queries (``queries/*.rq``) and how they are run.

A query is loaded by name (``deadlines``) or path (``my.rq``). A parameter keeps the rows
where its variable has the value given (see :func:`bind_parameters`), whichever engine runs
the query; values are written as RDF terms, escaped, never formatted into the query text.
"""

from __future__ import annotations

import contextlib
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Node

from mandate_graph.errors import InputError
from mandate_graph.iris import PREFIXES
from mandate_graph.resources import data_dir


@dataclass
class NamedQuery:
    name: str
    path: Path
    text: str

    @property
    def description(self) -> str:
        """The question the query answers: its leading comment lines."""
        lines = []
        for line in self.text.splitlines():
            if not line.startswith("#"):
                break
            lines.append(line.lstrip("# ").rstrip())
        keys = ("columns:", "parameter", "scope:", "merge:")
        return " ".join(x for x in lines if x and not x.lower().startswith(keys))

    @property
    def parameters(self) -> list[str]:
        """Variables the query expects to be bound, declared as ``# parameter: ?name …``."""
        return re.findall(r"^#\s*parameter:\s*\?(\w+)", self.text, flags=re.M)


def query_dir() -> Path:
    return data_dir("queries")


def names() -> list[str]:
    return sorted(p.stem for p in query_dir().glob("*.rq"))


def load(name_or_path: str) -> NamedQuery:
    path = Path(name_or_path)
    if path.suffix == ".rq":
        if not path.exists():
            raise InputError("no such query file", source=name_or_path)
    else:
        path = query_dir() / f"{name_or_path}.rq"
        if not path.exists():
            raise InputError(
                f"no query named {name_or_path!r}; known: {', '.join(names())}",
            )
    return NamedQuery(path.stem, path, path.read_text(encoding="utf-8"))


def prefixed(text: str) -> str:
    """The query text with every project prefix declared, unless it declares its own."""
    declared = set(re.findall(r"(?im)^\s*PREFIX\s+(\w*):", text))
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p not in declared)
    return head + text


def syntax_error(query: NamedQuery, error: SyntaxError) -> InputError:
    """The one-line report of a query Oxigraph cannot read, at the line of its file."""
    import pyoxigraph as ox

    text = prefixed(query.text)
    shift = text.count("\n") - query.text.count("\n")  # the PREFIX lines put before it
    message, line = str(error), None
    try:
        ox.Store().query(text)  # read again as written, without bound parameters
    except SyntaxError as e:
        found = re.match(r"error at (\d+):(\d+): (.*)", str(e), flags=re.S)
        if found:
            line = int(found.group(1)) - shift
            message = f"column {found.group(2)}: {found.group(3)}"
    except Exception:  # the parameters made it unreadable: say what Oxigraph said
        pass
    # on one line: Oxigraph lists what it expected over several, character ranges included
    message = " ".join(message.split())
    if len(message) > 200:
        message = message[:199] + "…"
    return InputError(f"not a SPARQL query: {message}; correct the query", source=str(query.path), line=line)


def coerce(value: str) -> Node:
    """A command-line parameter as an RDF term: integers as xsd:integer, IRIs as IRIs."""
    if re.fullmatch(r"-?\d+", value):
        return Literal(int(value))
    if re.match(r"^https?://", value):
        return URIRef(value)
    return Literal(value)


def check_parameters(query: NamedQuery, bindings: dict[str, Node]) -> None:
    """Every parameter the query declares must be bound."""
    missing = [p for p in query.parameters if p not in bindings]
    if missing:
        raise InputError(
            f"query {query.name!r} needs --param {missing[0]}=VALUE",
        )


def run(query: NamedQuery, graph: Graph, bindings: dict[str, Node] | None = None) -> Result:
    bindings = dict(bindings or {})
    check_parameters(query, bindings)
    return graph.query(bind_parameters(prefixed(query.text), bindings))


_WHERE = re.compile(r"\bWHERE\s*\{", re.I)


def bind_parameters(text: str, bindings: dict[str, Node]) -> str:
    """``text`` with each of ``bindings`` standing for "the rows where ``?name`` is this term".

    A variable every row binds (by a triple pattern outside any OPTIONAL, UNION branch or
    BIND), or one no pattern binds (an input such as ``paragraph-text``'s ``?number``), is
    given as a ``VALUES`` block at the top of the ``WHERE`` clause: a ``FILTER`` there sees
    it, and a store starts from it. A variable only some rows bind (in an ``OPTIONAL``, say)
    cannot be: a row whose OPTIONAL does not match would keep the value given and come out
    under it. It is checked by a ``FILTER`` on the whole clause instead, which keeps the rows
    that bind it to the term (or, for a literal, to a literal of the same text: ``81`` finds
    the session written ``"81"``).

    Terms are written with ``Node.n3()``, which escapes them; the query text itself is not
    formatted. Comment lines are dropped first. A name the query does not use is refused."""
    if not bindings:
        return text
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    match = _WHERE.search(body) or re.search(r"\{", body)
    if match is None:
        raise InputError("the query has no WHERE clause to bind parameters in")
    for name in sorted(bindings):
        if not re.search(rf"[?$]{re.escape(name)}\b", body):
            used = sorted(set(re.findall(r"[?$](\w+)", body)))
            raise InputError(
                f"the query has no variable ?{name} to bind; its variables: {', '.join('?' + v for v in used)}"
            )
    scope = bound_variables(text)  # read as given: the analysis callers have already made
    if scope is not None and (given := sorted(set(bindings) & scope[2])):
        raise InputError(
            f"?{given[0]} is computed by the query's SELECT clause and cannot be given; narrow another column"
        )
    filtered = sorted(n for n in bindings if only_some_rows_bind(scope, n))
    valued = sorted(n for n in bindings if n not in filtered)
    if filtered:
        close = _group_end(body, match.end() - 1)
        tests = []
        for n in filtered:
            term = bindings[n]
            same = f"sameTerm(?{n}, {term.n3()})"
            if isinstance(term, Literal):
                same = f"({same} || (isLiteral(?{n}) && STR(?{n}) = {Literal(str(term)).n3()}))"
            tests.append(same)
        body = body[:close] + f"  FILTER({' && '.join(tests)})\n" + body[close:]
    if valued:
        row = " ".join(bindings[n].n3() for n in valued)
        block = f"\n  VALUES ({' '.join('?' + n for n in valued)}) {{ ({row}) }}\n"
        body = body[: match.end()] + block + body[match.end() :]
    return body


def only_some_rows_bind(scope: tuple[frozenset[str], frozenset[str], frozenset[str]] | None, name: str) -> bool:
    """Whether ``?name`` is bound by some solutions only, in the query whose
    :func:`bound_variables` are ``scope``: such a parameter is a FILTER, which also takes a
    literal of the same text, not a VALUES row (see :func:`bind_parameters`)."""
    return scope is not None and name in scope[1] and name not in scope[0]


# SPARQL's string literals (long ones first) and IRIs: a brace in one is not the query's
_TOKEN = re.compile(
    r'"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""|\'\'\'(?:(?:\'|\'\')?(?:[^\'\\]|\\.))*\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*|[{}]'
)


def _group_end(body: str, start: int) -> int:
    """The offset of the ``}`` that closes the group opened at ``body[start]``."""
    depth = 0
    for m in _TOKEN.finditer(body, start):
        token = m.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0:
                return m.start()
    raise InputError("the query's WHERE clause is not closed")


def bound_variables(text: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]] | None:
    """Of the query ``text``'s variables (names without ``?``): those every solution of its
    WHERE clause binds, those some solution may bind, and those its SELECT clause computes
    (``(COUNT(?m) AS ?n)``); None if rdflib cannot read it, or it holds a pattern not
    foreseen here."""
    found = _algebra(text)
    if found is None:
        return None
    algebra, computed = found
    node = algebra.p
    # down to the WHERE clause: through the solution modifiers, the SELECT clause's
    # expressions and the grouping they aggregate
    while getattr(node, "name", None) in ("Project", "Distinct", "Reduced", "Slice", "OrderBy", "Extend"):
        if node.name == "Extend" and str(node.var) not in computed:
            break  # a BIND of the WHERE clause
        node = node.p
    probe = node
    while getattr(probe, "name", None) == "Extend":  # the grouped variables, given back
        probe = probe.p
    if getattr(probe, "name", None) == "AggregateJoin":
        node = probe.p.p  # the Group's pattern
    try:
        certain, maybe = _scope(node)
    except _Unforeseen:
        return None
    return frozenset(map(str, certain)), frozenset(map(str, maybe)), computed


class _Unforeseen(Exception):
    pass


def _scope(x: object) -> tuple[set[Variable], set[Variable]]:
    """(certainly bound, maybe bound) of an algebra pattern; see :func:`bound_variables`."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if not isinstance(x, CompValue):
        raise _Unforeseen(x)
    name = x.name
    if name == "BGP":
        found = {t for triple in x.triples for t in triple if isinstance(t, Variable)}
        return found, set(found)
    if name in ("Join", "LeftJoin", "Minus", "Union"):
        c1, m1 = _scope(x.p1)
        c2, m2 = _scope(x.p2)
        if name == "Join":
            return c1 | c2, m1 | m2
        if name == "Union":
            return c1 & c2, m1 | m2
        return c1, (m1 | m2 if name == "LeftJoin" else m1)
    if name in ("Filter", "ToMultiSet", "Distinct", "Reduced", "OrderBy", "Slice", "Group"):
        return _scope(x.p)
    if name == "Graph":
        c, m = _scope(x.p)
        term = {x.term} if isinstance(x.term, Variable) else set()
        return c | term, m | term
    if name == "Extend":  # BIND: unbound where its expression fails
        c, m = _scope(x.p)
        return c, m | {x.var}
    if name == "AggregateJoin":  # what a group gives is bound or not as its aggregates are
        _, m = _scope(x.p)
        return set(), m | {a.res for a in x.A}
    if name == "Project":
        c, m = _scope(x.p)
        kept = set(x.PV)
        return c & kept, m & kept
    if name == "values":
        rows = [{k for k, v in row.items() if v is not None and v != "UNDEF"} for row in x.res]
        every = set.intersection(*rows) if rows else set()
        return every, set().union(*rows)
    if name == "TrueFilter":
        return set(), set()
    raise _Unforeseen(name)


@functools.lru_cache(maxsize=64)
def _algebra(text: str) -> tuple[Any, frozenset[str]] | None:
    """rdflib's algebra of the query ``text``, and the variables its SELECT clause computes;
    None if rdflib cannot read it."""
    import threading

    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    parsed: list[tuple[Any, frozenset[str]]] = []

    def parse() -> None:
        with contextlib.suppress(Exception):  # a query rdflib cannot read is not analysed
            tree = parseQuery(text)
            projection = tree[1].get("projection") or []
            # a computed column is (expr AS ?evar), a plain one ?var
            computed = frozenset(str(p["evar"]) for p in projection if "evar" in p)
            parsed.append((translateQuery(tree).algebra, computed))

    # on a thread of its own: rdflib's parser leaves exceptions in reference cycles whose
    # tracebacks hold the frames that called it, and a Corpus among those would outlive
    # its last reference, keeping its store locked until the cyclic collector runs
    worker = threading.Thread(target=parse, name="sparql-analysis")
    worker.start()
    worker.join()
    return parsed[0] if parsed else None


@functools.lru_cache(maxsize=64)
def triple_patterns(text: str) -> tuple[tuple[Node, object, Node], ...] | None:
    """Every triple pattern of the SPARQL query ``text``, in EXISTS, subqueries and
    property paths included, with rdflib's terms (a predicate may be a path); None if
    rdflib cannot read the query."""
    from rdflib.plugins.sparql.parserutils import CompValue

    analysed = _algebra(text)
    if analysed is None:
        return None
    algebra = analysed[0]
    found: list[tuple[Node, object, Node]] = []
    untranslated = False

    def walk(x: object) -> None:
        nonlocal untranslated
        if isinstance(x, CompValue):
            if x.name == "BGP":
                found.extend(x.triples)
            elif x.name == "TriplesBlock":  # patterns rdflib left as parsed: not analysed
                untranslated = True
            # getattr, not the items: rdflib sets the translated pattern of an EXISTS as an
            # attribute over the parsed one
            for k in x:
                walk(getattr(x, k))
        elif isinstance(x, list | tuple):
            for v in x:
                walk(v)

    walk(algebra)
    return None if untranslated else tuple(found)


def path_iris(p: object) -> set[URIRef] | None:
    """The properties of the triples a predicate or property path can match; None when it
    can match any triple (a variable, a negated path) or any node of the graph (a path that
    may take no step, such as ``p*`` or ``p?``)."""
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath

    if isinstance(p, URIRef):
        return {p}
    parts: list[object]
    if isinstance(p, SequencePath | AlternativePath):
        parts = list(p.args)
    elif isinstance(p, InvPath):
        parts = [p.arg]
    elif isinstance(p, MulPath) and not p.zero:
        parts = [p.path]
    else:
        return None  # a variable, a negated path, a path of length zero, or anything unforeseen
    out: set[URIRef] = set()
    for part in parts:
        iris = path_iris(part)
        if iris is None:
            return None
        out |= iris
    return out


def rows(result: Result) -> tuple[list[str], list[list[Node | None]]]:
    columns = [str(v) for v in result.vars or []]
    return columns, [list(r) for r in result]


def run_fast(
    query: NamedQuery, graph: Graph, bindings: dict[str, Node] | None = None
) -> tuple[list[str], list[list[Node | None]]]:
    """Like :func:`run` (same rows, as ``tests/test_corpus_store.py`` checks), with Oxigraph:
    ``graph`` is copied into an in-memory store, which costs less than rdflib's SPARQL
    engine spends on one query."""
    import pyoxigraph as ox

    from mandate_graph.corpus import to_rdflib

    bindings = dict(bindings or {})
    check_parameters(query, bindings)
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    result = store.query(bind_parameters(prefixed(query.text), bindings))
    if not isinstance(result, ox.QuerySolutions):
        raise InputError(f"query {query.name!r} is not a SELECT query")
    columns = [v.value for v in result.variables]
    return columns, [[to_rdflib(s[c]) for c in columns] for s in result]
