"""Named SPARQL queries (``queries/*.rq``) and how they are run.

A query is loaded by name (``deadlines``) or path (``my.rq``). Parameters are bound as
SPARQL values (``initBindings`` locally, a VALUES block remotely), never by formatting
strings into the query text.
"""

from __future__ import annotations

import contextlib
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
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
        return " ".join(x for x in lines if x and not x.lower().startswith(("columns:", "parameter")))

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
    return graph.query(prefixed(query.text), initBindings=bindings)


_WHERE = re.compile(r"\bWHERE\s*\{", re.I)


def values_in_where(text: str, bindings: dict[str, Node]) -> str:
    """``text`` with ``bindings`` as a ``VALUES`` block at the top of its ``WHERE`` clause,
    where a ``FILTER`` in that clause sees them (a trailing ``VALUES`` is joined only after
    the filters have run). Terms are written with ``Node.n3()``, which escapes them; the
    query text itself is not formatted. Comment lines are dropped first, so that a brace
    in a comment is not taken for the clause."""
    if not bindings:
        return text
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    match = _WHERE.search(body) or re.search(r"\{", body)
    if match is None:
        raise InputError("the query has no WHERE clause to bind parameters in")
    names = sorted(bindings)
    row = " ".join(bindings[n].n3() for n in names)
    block = f"\n  VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}\n"
    return body[: match.end()] + block + body[match.end() :]


@functools.lru_cache(maxsize=64)
def triple_patterns(text: str) -> tuple[tuple[Node, object, Node], ...] | None:
    """Every triple pattern of the SPARQL query ``text``, in EXISTS, subqueries and
    property paths included, with rdflib's terms (a predicate may be a path); None if
    rdflib cannot read the query."""
    import threading

    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    parsed: list[object] = []

    def parse() -> None:
        with contextlib.suppress(Exception):  # a query rdflib cannot read is not analysed
            parsed.append(prepareQuery(text).algebra)

    # on a thread of its own: rdflib's parser leaves exceptions in reference cycles whose
    # tracebacks hold the frames that called it, and a Corpus among those would outlive
    # its last reference, keeping its store locked until the cyclic collector runs
    worker = threading.Thread(target=parse, name="sparql-analysis")
    worker.start()
    worker.join()
    if not parsed:
        return None
    algebra = parsed[0]
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
    missing = [p for p in query.parameters if p not in bindings]
    if missing:
        raise InputError(f"query {query.name!r} needs --param {missing[0]}=VALUE")
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    result = store.query(values_in_where(prefixed(query.text), bindings))
    if not isinstance(result, ox.QuerySolutions):
        raise InputError(f"query {query.name!r} is not a SELECT query")
    columns = [v.value for v in result.variables]
    return columns, [[to_rdflib(s[c]) for c in columns] for s in result]
