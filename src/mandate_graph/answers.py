"""Answers kept at load time for the named queries that ask about each resolution on its own.

A named query declares ``# scope: resolution`` when its answer over several resolutions is
the union of its answers over each one (with the vocabularies): every row comes from one
resolution's graph. A query whose rows count something per resolution can say how rows
from different resolutions add up: ``# merge: sum ?citations`` (the rows that agree on every
other column become one, their counts added).

Listing the mandates of the whole corpus means joining tens of thousands of mandates to
their paragraphs, verbs and addressees: seconds of work for the store however the query is
written. The loader answers the declared queries on each batch of resolutions it writes,
in an in-memory store that holds just that batch and the vocabularies, and a corpus keeps

- each batch's rows (a *part*), with the graphs it covers and the content hash of the file
  each came from: writing a graph again drops the part that covered it, and the graphs that
  part also covered are answered again from the store at the end of the load;
- each query's whole answer, merged from the parts and sorted as its ``ORDER BY`` sorts,
  stamped with the graphs it was made from,

in ``answers.sqlite`` beside the store. :meth:`Corpus.query` gives a query its kept answer
only when its text is a declared query's, the stamp is the catalogue's, and every parameter
is a column (the rows are filtered as the query would filter them); otherwise, or when
anything does not match, the store answers. ``tests/test_answers.py`` holds every declared
query's kept answer to the store's own, row for row and in order.

The ``ORDER BY`` keys that are not columns (``?m``, ``!BOUND(?addressee)``) are added to the
query run per batch as extra columns, so that merged rows sort as the store sorts them:
unbound first, then blank nodes, IRIs, literals; numbers by value.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sqlite3
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import accumulate
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.term import Node

from mandate_graph import queries

DB = "answers.sqlite"
SCOPE = re.compile(r"^#\s*scope:\s*resolution\s*$", re.M)
MERGE = re.compile(r"^#\s*merge:\s*sum\s+((?:[?$]\w+\s*)+)$", re.M)
HIDDEN = "_order"
FORMAT = 1  # of parts and answers: another version's are made again, not misread
_XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC_TYPES = {  # the XSD datatypes SPARQL compares as numbers
    _XSD + t
    for t in [
        "integer",
        "decimal",
        "float",
        "double",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    ]
}

# An RDF term in a part or an answer: a string whose first character says what it is.
#   I<iri>   B<blank node id>   S<text> (a simple literal)   L<lang>\x01<text>   T<datatype>\x01<text>
# None is an unbound column.
Term = str | None


class NotKept(Exception):
    """The query cannot be answered from rows kept per resolution."""


# ------------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class Plan:
    """How one named query is answered per resolution and merged."""

    name: str
    key: str  # the query's text and whether the entailments join its default graph
    text: str  # the query run on each resolution: its ORDER BY keys as extra columns, unsorted
    columns: tuple[str, ...]  # the answer's columns (the extra ones follow them in a part's rows)
    order: tuple[tuple[int, bool], ...]  # each key: its column in a part's row, descending
    distinct: bool
    entailed: bool
    summed: tuple[int, ...] = ()  # the columns whose values add up when rows merge


def answer_key(text: str, entailed: bool) -> str:
    """What a kept answer is found by: the query as :meth:`Corpus.query` reads it (prefixed),
    whether the entailments join it, and how answers and parts are written."""
    return hashlib.sha256(f"{FORMAT}\n{int(entailed)}\n{text}".encode()).hexdigest()[:32]


def declared() -> list[queries.NamedQuery]:
    """The named queries that declare ``# scope: resolution``."""
    return [q for q in (queries.load(n) for n in queries.names()) if SCOPE.search(q.text)]


_SELECT = re.compile(r"\bSELECT\s+(?:(DISTINCT|REDUCED)\s+)?", re.I)
_MODIFIER = re.compile(r"\b(LIMIT|OFFSET|GROUP|HAVING|VALUES)\b", re.I)


def plan(name: str, text: str, entailed: bool) -> Plan:
    """The plan of the query ``text`` (prefixed, as :meth:`Corpus.query` reads it); raises
    :class:`NotKept` for a query whose answer could not be merged from parts as written."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    where = queries._WHERE.search(body)
    select = _SELECT.search(body)
    if where is None or select is None or select.start() > where.start():
        raise NotKept("not a SELECT query with a WHERE clause")
    distinct = (select.group(1) or "").upper() == "DISTINCT"
    columns = _projection(body[select.end() : where.start()])
    close = queries._group_end(body, where.end() - 1)
    tail = body[close + 1 :]
    if _MODIFIER.search(tail):
        raise NotKept("a LIMIT, OFFSET, GROUP BY or VALUES after the WHERE clause applies to the whole answer")
    found = re.match(r"\s*(?:ORDER\s+BY\b(.*))?\s*$", tail, flags=re.I | re.S)
    if found is None:
        raise NotKept("only an ORDER BY can follow the WHERE clause")
    order: list[tuple[int, bool]] = []
    hidden: list[str] = []
    for expression, descending in _conditions(found.group(1) or ""):
        variable = re.fullmatch(r"[?$](\w+)", expression.strip())
        if variable and variable.group(1) in columns:
            order.append((columns.index(variable.group(1)), descending))
            continue
        order.append((len(columns) + len(hidden), descending))
        hidden.append(f"({expression} AS ?{HIDDEN}{len(hidden)})")
    if distinct and hidden:
        raise NotKept("SELECT DISTINCT sorted by a key that is not a column")
    summed: list[int] = []
    if found_sum := MERGE.search(text):
        for variable in re.findall(r"[?$](\w+)", found_sum.group(1)):
            if variable not in columns:
                raise NotKept(f"# merge: sum ?{variable}, which is not a column")
            summed.append(columns.index(variable))
        if hidden or distinct:
            raise NotKept("rows that merge are sorted by their columns alone, and not DISTINCT")
    run = body[: where.start()] + " ".join(hidden) + "\n" + body[where.start() : close + 1] + "\n"
    return Plan(name, answer_key(text, entailed), run, tuple(columns), tuple(order), distinct, entailed, tuple(summed))


def _projection(text: str) -> list[str]:
    columns: list[str] = []
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
        elif text[i] in "?$":
            m = re.match(r"[?$](\w+)", text[i:])
            if m is None:
                raise NotKept("unreadable SELECT clause")
            columns.append(m.group(1))
            i += m.end()
        elif text[i] == "(":
            end = _paren_end(text, i)
            m = re.search(r"\bAS\s+[?$](\w+)\s*$", text[i + 1 : end], flags=re.I)
            if m is None:
                raise NotKept("unreadable SELECT clause")
            columns.append(m.group(1))
            i = end + 1
        else:
            raise NotKept("SELECT * or an unreadable SELECT clause")
    if not columns:
        raise NotKept("no columns")
    return columns


def _conditions(text: str) -> list[tuple[str, bool]]:
    """The ORDER BY conditions of ``text``: each expression and whether it is DESC."""
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        m = re.match(r"(ASC|DESC)\s*\(", text[i:], flags=re.I)
        if m:
            end = _paren_end(text, i + m.end() - 1)
            out.append((text[i + m.end() : end], m.group(1).upper() == "DESC"))
            i = end + 1
            continue
        m = re.match(r"[?$]\w+", text[i:])
        if m:
            out.append((m.group(), False))
            i += m.end()
            continue
        m = re.match(r"(?:[A-Za-z_][\w.-]*)?:?[\w.-]*\s*\(|\(", text[i:])
        if m:
            end = _paren_end(text, i + m.end() - 1)
            out.append((text[i : end + 1], False))
            i = end + 1
            continue
        raise NotKept(f"unreadable ORDER BY condition at {text[i : i + 20]!r}")
    return out


def _paren_end(text: str, start: int) -> int:
    """The offset of the ``)`` closing the one at ``text[start]`` (strings skipped)."""
    depth, i = 0, start
    while i < len(text):
        c = text[i]
        if c in "\"'":
            m = re.match(r'"(?:[^"\\]|\\.)*"' if c == '"' else r"'(?:[^'\\]|\\.)*'", text[i:])
            i += m.end() if m else 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise NotKept("unbalanced parentheses")


# ------------------------------------------------------------------------------- terms


def encode(term: object) -> Term:
    """An Oxigraph term (or None) as a kept term."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return "I" + term.value
    if isinstance(term, ox.BlankNode):
        return "B" + term.value
    if isinstance(term, ox.Literal):
        if term.language:
            return f"L{term.language}\x01{term.value}"
        dt = term.datatype.value
        if dt == _XSD + "string":
            return "S" + term.value
        return f"T{dt}\x01{term.value}"
    raise TypeError(f"not an RDF term: {term!r}")


def encode_rdflib(term: Node) -> Term:
    """An rdflib term as a kept term (a parameter's value)."""
    if isinstance(term, URIRef):
        return "I" + str(term)
    if isinstance(term, Literal):
        if term.language:
            return f"L{term.language}\x01{term}"
        if term.datatype is None or str(term.datatype) == _XSD + "string":
            return "S" + str(term)
        return f"T{term.datatype}\x01{term}"
    return "B" + str(term)


def decode(terms: list[Term]) -> list[Node | None]:
    """Kept terms as the rdflib terms :func:`mandate_graph.corpus.to_rdflib` gives for them
    (made as it makes them: tens of thousands of terms for a listing of the corpus)."""
    from rdflib import BNode

    from mandate_graph.corpus import _iri, _text_literal

    out: list[Node | None] = []
    append = out.append
    for term in terms:
        if term is None:
            append(None)
            continue
        kind = term[0]
        if kind == "I":
            append(_iri(term[1:]))
        elif kind == "S":
            append(_text_literal(term[1:], None))
        elif kind == "L":
            cut = term.index("\x01")
            append(_text_literal(term[cut + 1 :], term[1:cut]))
        elif kind == "T":
            datatype, text = term[1:].split("\x01", 1)
            append(Literal(text, datatype=URIRef(datatype)))
        else:
            append(BNode(term[1:]))
    return out


def lexical(term: Term) -> str | None:
    """The text of a kept literal; None for anything else."""
    if term is None or term[0] in "IB":
        return None
    return term[1:] if term[0] == "S" else term.split("\x01", 1)[1]


def order_key(term: Term) -> tuple[Any, ...]:
    """Where a term sorts in SPARQL's ORDER BY: unbound, blank nodes, IRIs, then literals,
    numbers by value, booleans, strings, dates by their text."""
    if term is None:
        return (0,)
    kind = term[0]
    if kind == "B":
        return (1, term[1:])
    if kind == "I":
        return (2, term[1:])
    if kind == "S":
        return (3, 2, term[1:], "")
    if kind == "L":
        lang, text = term[1:].split("\x01", 1)
        return (3, 2, text, lang)
    datatype, text = term[1:].split("\x01", 1)
    if datatype in NUMERIC_TYPES:
        try:
            return (3, 0, Decimal(text), "")
        except InvalidOperation:
            return (3, 9, datatype, text)
    if datatype == _XSD + "boolean":
        return (3, 1, text in ("true", "1"), "")
    return (3, 3 if datatype.startswith(_XSD + "date") else 9, datatype, text)


# ------------------------------------------------------------------------------- per resolution


class Keeper:
    """Answers the declared queries on a batch of resolutions: a fresh in-memory store with
    the batch and the vocabularies in its default graph (a set, as in a corpus), and the
    entailments in a graph of their own. (One store kept for batch after batch got slower
    with every batch: an in-memory store keeps what is removed from it.)"""

    ENTAILED = ox.NamedNode("urn:x-mandate-graph:entailed")

    def __init__(self) -> None:
        from mandate_graph.corpus import entailed_can_match, vocabulary_triples

        vocabulary, entailed = vocabulary_triples()
        self._vocabulary, self._entailed = vocabulary.encode(), entailed.encode()
        store = self._store([])
        self.plans: list[Plan] = []
        for q in declared():
            text = queries.prefixed(q.text)
            self.plans.append(plan(q.name, text, False))
            if entailed_can_match(store, self.ENTAILED, text):
                self.plans.append(plan(q.name, text, True))

    def _store(self, graphs: Iterable[bytes]) -> ox.Store:
        store = ox.Store()
        store.load(self._entailed, format=ox.RdfFormat.N_TRIPLES, to_graph=self.ENTAILED)
        # lenient: the lines were written by rdflib or the loader, as for the corpus itself
        for data in (self._vocabulary, *graphs):
            store.load(data, format=ox.RdfFormat.N_TRIPLES, lenient=True)
        return store

    def answers(self, graphs: Iterable[bytes]) -> dict[str, list[list[Term]] | None]:
        """Each plan's rows on the resolutions whose N-Triples are ``graphs``; None for a
        plan whose rows hold a blank node (a label of this store only)."""
        store = self._store(graphs)
        out: dict[str, list[list[Term]] | None] = {}
        for p in self.plans:
            result = store.query(p.text, default_graph=[ox.DefaultGraph(), self.ENTAILED] if p.entailed else None)
            assert isinstance(result, ox.QuerySolutions)
            width = len(result.variables)
            rows = [[encode(s[i]) for i in range(width)] for s in result]
            blank = any(t is not None and t[0] == "B" for row in rows for t in row)
            out[p.key] = None if blank else rows
        return out


_KEEPER: Keeper | None = None


def keeper() -> Keeper:
    """This process's keeper, built once."""
    global _KEEPER
    if _KEEPER is None:
        _KEEPER = Keeper()
    return _KEEPER


# ------------------------------------------------------------------------------- merging


def merge(p: Plan, parts: Iterable[list[list[Term]]]) -> list[list[Term]]:
    """The whole answer from the parts: their rows together (once each, for DISTINCT), sorted
    by the query's keys, without the extra key columns."""
    rows: list[list[Term]] = []
    seen: set[tuple[Term, ...]] = set()
    for part in parts:
        for row in part:
            if p.distinct:
                t = tuple(row)
                if t in seen:
                    continue
                seen.add(t)
            rows.append(row)
    keys: dict[Term, tuple[Any, ...]] = {}

    def key_of(term: Term) -> tuple[Any, ...]:
        k = keys.get(term)
        if k is None:
            k = keys[term] = order_key(term)
        return k

    if p.summed:
        rows = _add_up(p, rows)
    for column, descending in reversed(p.order):  # stable sorts, the last key first
        rows.sort(key=lambda row, c=column: key_of(row[c]), reverse=descending)
    width = len(p.columns)
    return [row[:width] for row in rows]


def _add_up(p: Plan, rows: list[list[Term]]) -> list[list[Term]]:
    """Rows that agree on every column but the summed ones, as one with their sums."""
    width = len(p.columns)
    totals: dict[tuple[Term, ...], list[int]] = {}
    for row in rows:
        if len(row) != width:
            raise NotKept("extra columns")
        key = tuple(t for i, t in enumerate(row) if i not in p.summed)
        values = []
        for i in p.summed:
            term = row[i]
            if term is None or not term.startswith(_INTEGER):
                raise NotKept(f"?{p.columns[i]} is not an integer in every row")
            values.append(int(term[len(_INTEGER) :]))
        if key in totals:
            totals[key] = [a + b for a, b in zip(totals[key], values, strict=True)]
        else:
            totals[key] = values
    out = []
    for key, values in totals.items():
        rest, sums = iter(key), iter(values)
        out.append([f"{_INTEGER}{next(sums)}" if i in p.summed else next(rest) for i in range(width)])
    return out


_INTEGER = f"T{_XSD}integer\x01"


def pack(columns: Iterable[str], rows: list[list[Term]]) -> bytes:
    """An answer as bytes: a JSON line (the columns, how many distinct terms and cells), the
    length of each term (in UTF-8 bytes), each cell as the number of its term (0 for unbound),
    then the terms' text. Reading it back is slicing, not parsing: the whole corpus's listing of
    mandates (27,000 rows) is read in a few milliseconds."""
    index: dict[Term, int] = {None: 0}
    terms: list[str] = []
    cells = array("I")
    for row in rows:
        for t in row:
            i = index.get(t)
            if i is None:
                i = index[t] = len(terms) + 1
                terms.append(t)  # type: ignore[arg-type]
            cells.append(i)
    encoded = [t.encode() for t in terms]
    lengths = array("I", map(len, encoded))
    head = json.dumps({"columns": list(columns), "terms": len(terms), "cells": len(cells)})
    return b"".join([head.encode(), b"\n", lengths.tobytes(), cells.tobytes(), *encoded])


def unpack(data: bytes) -> tuple[list[str], list[Term], array[int]]:
    """The columns, the terms (unbound first) and the cells of a packed answer."""
    head, _, body = data.partition(b"\n")
    meta = json.loads(head)
    size = array("I").itemsize
    n, m = meta["terms"], meta["cells"]
    lengths, cells = array("I"), array("I")
    lengths.frombytes(body[: n * size])
    cells.frombytes(body[n * size : (n + m) * size])
    text = body[(n + m) * size :]
    ends = accumulate(lengths)
    terms: list[Term] = [None]
    # term by term: one string for all of them would be as wide as its widest character
    terms += [text[end - length : end].decode() for end, length in zip(ends, lengths, strict=True)]
    return meta["columns"], terms, cells


# ------------------------------------------------------------------------------- the database


class Kept:
    """The parts and answers of one corpus directory."""

    def __init__(self, directory: Path, *, read_only: bool) -> None:
        path = directory / DB
        self.db: sqlite3.Connection | None = None
        if read_only:
            if path.exists():
                with contextlib.suppress(sqlite3.Error):
                    self.db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
            return
        try:
            self.db = self._open(path)
        except sqlite3.DatabaseError:
            # not a database (damaged, or another file by that name): what it held can be
            # made again from the store, and is, at the end of this load
            for extra in ("", "-wal", "-shm"):
                Path(f"{path}{extra}").unlink(missing_ok=True)
            self.db = self._open(path)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, check_same_thread=False)
        try:
            # derived data, checked by its stamps before use: a write-ahead log that is not
            # synced at every commit loses at most the last commits on a power cut, never the file
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(
                "CREATE TABLE IF NOT EXISTS parts (part INTEGER PRIMARY KEY, members TEXT);"
                "CREATE TABLE IF NOT EXISTS covers (graph TEXT PRIMARY KEY, part INTEGER);"
                "CREATE TABLE IF NOT EXISTS part_rows (part INTEGER, plan TEXT, rows TEXT, PRIMARY KEY (part, plan));"
                "CREATE TABLE IF NOT EXISTS answers (plan TEXT PRIMARY KEY, stamp TEXT, data BLOB);"
                "CREATE TABLE IF NOT EXISTS made (stamp TEXT);"
            )
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    def forget_answers(self) -> None:
        """Drop every merged answer (a load is about to change the store)."""
        if self.db is not None:
            with self.db:
                self.db.execute("DELETE FROM answers")
                self.db.execute("DELETE FROM made")

    def made(self) -> str | None:
        """What the answers were last made from (see :func:`made_stamp`)."""
        assert self.db is not None
        row = self.db.execute("SELECT stamp FROM made").fetchone()
        return None if row is None else row[0]

    def set_made(self, stamp: str) -> None:
        assert self.db is not None
        with self.db:
            self.db.execute("DELETE FROM made")
            self.db.execute("INSERT INTO made VALUES (?)", (stamp,))

    def _drop(self, parts: Iterable[int]) -> None:
        assert self.db is not None
        for part in set(parts):
            self.db.execute("DELETE FROM parts WHERE part = ?", (part,))
            self.db.execute("DELETE FROM part_rows WHERE part = ?", (part,))
            self.db.execute("DELETE FROM covers WHERE part = ?", (part,))

    def _covering(self, graphs: Iterable[str]) -> list[int]:
        assert self.db is not None
        return [
            row[0]
            for g in graphs
            if (row := self.db.execute("SELECT part FROM covers WHERE graph = ?", (g,)).fetchone())
        ]

    def put_part(self, members: dict[str, str], answers: dict[str, list[list[Term]] | None]) -> None:
        """Keep the rows ``answers`` (by plan) of the graphs ``members`` (with their stamps),
        dropping the parts that covered any of them."""
        assert self.db is not None
        with self.db:
            self._drop(self._covering(members))
            part = self.db.execute("INSERT INTO parts (members) VALUES (?)", (json.dumps(members),)).lastrowid
            self.db.executemany("INSERT INTO covers VALUES (?, ?)", [(g, part) for g in members])
            self.db.executemany(
                "INSERT INTO part_rows VALUES (?, ?, ?)",
                [(part, k, None if r is None else json.dumps(r, ensure_ascii=False)) for k, r in answers.items()],
            )

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        """Drop the parts that cover any of ``graphs`` (their graphs are written again, or gone)."""
        if self.db is not None:
            with self.db:
                self._drop(self._covering(graphs))

    def valid_parts(self, stamps: dict[str, str], keys: set[str]) -> tuple[list[int], set[str]]:
        """The parts whose graphs are all in the corpus with these stamps and that have rows
        for each plan of ``keys`` (the others are dropped), and the graphs of ``stamps`` no
        part covers."""
        assert self.db is not None
        valid, stale, covered = [], [], set()
        for part, members in self.db.execute("SELECT part, members FROM parts").fetchall():
            graphs = json.loads(members)
            plans = {k for (k,) in self.db.execute("SELECT plan FROM part_rows WHERE part = ?", (part,))}
            if keys <= plans and all(stamps.get(g) == s for g, s in graphs.items()):
                valid.append(part)
                covered.update(graphs)
            else:
                stale.append(part)
        with self.db:
            self._drop(stale)
        return valid, set(stamps) - covered

    def rows(self, part: int, key: str) -> str | None:
        """A part's rows for one plan, as JSON; None when it has none."""
        assert self.db is not None
        row = self.db.execute("SELECT rows FROM part_rows WHERE part = ? AND plan = ?", (part, key)).fetchone()
        return None if row is None else row[0]

    def put_answer(self, key: str, stamp: str, data: bytes | None) -> None:
        assert self.db is not None
        with self.db:
            self.db.execute("DELETE FROM answers WHERE plan = ?", (key,))
            if data is not None:
                self.db.execute("INSERT INTO answers VALUES (?, ?, ?)", (key, stamp, data))

    def keep_only(self, keys: Iterable[str]) -> None:
        """Drop the answers of queries no longer kept."""
        assert self.db is not None
        wanted = set(keys)
        with self.db:
            for (key,) in self.db.execute("SELECT plan FROM answers").fetchall():
                if key not in wanted:
                    self.db.execute("DELETE FROM answers WHERE plan = ?", (key,))

    def answer(self, key: str) -> tuple[str, bytes] | None:
        """The merged answer kept for ``key``, and the stamp of the graphs it was made from."""
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT stamp, data FROM answers WHERE plan = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None  # a damaged or foreign file: the store answers
        if row is None or row[1] is None:
            return None
        return row[0], bytes(row[1])


def answer_batch(kept: Kept, graphs: dict[str, tuple[bytes, str]]) -> None:
    """Keep the declared queries' rows on ``graphs`` (each one's N-Triples and stamp) as one
    part. Should they not be had, the parts that covered these graphs are dropped, and the
    end of the load answers them from the store, or leaves the queries to the store."""
    try:
        answers = keeper().answers(nt for nt, _ in graphs.values())
        kept.put_part({g: stamp for g, (_, stamp) in graphs.items()}, answers)
    except Exception:  # never a reason to lose what the load wrote
        with contextlib.suppress(Exception):
            kept.drop_graphs(graphs)


def made_stamp(corpus: str) -> str:
    """The graphs (``corpus``, a :func:`corpus_stamp`) and the declared queries as written:
    while they are those the answers were made from, a load has nothing to make again."""
    h = hashlib.sha256(f"{FORMAT}\n{corpus}".encode())
    for q in declared():
        h.update(f"\n{q.name}\n{q.text}".encode())
    return h.hexdigest()


def part_stamp(sha256: str, vocabulary: str) -> str:
    return f"{sha256}:{vocabulary}"


def corpus_stamp(graphs: dict[str, str], vocabulary: str) -> str:
    """What a merged answer was made from: each graph and its part's stamp."""
    h = hashlib.sha256(vocabulary.encode())
    for g in sorted(graphs):
        h.update(f"\n{g}\t{graphs[g]}".encode())
    return h.hexdigest()
