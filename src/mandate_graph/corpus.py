"""A corpus kept on disk: resolutions loaded once into an embedded Oxigraph store, then
queried in well under a second.

A corpus directory holds the store (``oxigraph/``) and a catalogue (``catalog.json``):
for each resolution its named graph, the file and content hash it came from, its counts,
its validation result and the facts series detection needs. The store has

- one named graph per resolution (its IRI, as in ``load -o out.trig``);
- the ontology and vocabularies in ``https://w3id.org/mandate-graph/ontology``, and what
  OWL-RL entails from them in ``…/ontology/entailed`` (see :mod:`mandate_graph.infer`);
- the series links in ``<base>series``;
- in the default graph, everything but the entailments once more, as one set.

Queries run on the default graph, with the entailed graph beside it when they ask for
inference. Without it, a query without inference would name every graph but the entailed
one as its default graph, and Oxigraph looks into each of 1,400 graphs in turn (minutes for
one query); and a fact several resolutions state (a session's dates, a cited document's
symbol) comes back once, as from one in-memory graph.

Loading parses, builds and validates resolutions in worker processes, one resolution at a
time, and writes each to the store as soon as it is ready, replacing its named graph in
one transaction; a file whose content has not changed since it was loaded is skipped.
Nothing else is rewritten, so reloading one changed resolution costs one resolution.

Beside the store, ``answers.sqlite`` keeps the answers of the named queries that ask about
each resolution on its own, made batch by batch as the load writes the graphs and merged
at its end (see :mod:`mandate_graph.answers`).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.term import Node

from mandate_graph.errors import InputError
from mandate_graph.iris import MG, base_iri

if TYPE_CHECKING:
    from mandate_graph.diff import SeriesIndex
    from mandate_graph.store import Outcome

ONTOLOGY_GRAPH = URIRef(str(MG).rstrip("#"))
ENTAILED_GRAPH = URIRef(f"{ONTOLOGY_GRAPH}/entailed")
CATALOG = "catalog.json"
STORE = "oxigraph"
LOCK_FILE = "lock"
# lines bulk-loaded at once (and twice as many quads). Measured on the corpus (1.27 million
# lines), bulk loads and compaction took 43 s of CPU in batches of 100,000 lines, 38 s in
# batches of 200,000 and 32 s in batches of 400,000, for 570, 820 and 1,300 MiB peak.
BATCH = 400_000
LAYOUT = 2  # 2: the default graph holds a merged copy of the named graphs but the entailed one


@dataclass
class Entry:
    """What the catalogue knows of one loaded file."""

    file: str
    sha256: str
    graph: str | None = None
    resolution: str | None = None
    language: str | None = None
    preambular: int = 0
    operative: int = 0
    mandates: int = 0
    warnings: int = 0
    triples: int = 0
    conforms: bool | None = None
    violations: int = 0
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    series: dict[str, Any] | None = None  # WorkFacts of the resolution, as JSON
    skipped: bool = False  # unchanged since the last load

    @classmethod
    def of(cls, outcome: Outcome, sha256: str) -> Entry:
        """The entry for what loading a file gave; its graph, triples and validation are
        filled in after."""
        return cls(
            file=outcome.file,
            sha256=sha256,
            resolution=outcome.resolution,
            language=outcome.language,
            preambular=outcome.preambular,
            operative=outcome.operative,
            mandates=outcome.mandates,
            warnings=outcome.warnings,
            error=outcome.error,
            notes=list(outcome.notes),
        )

    def row(self) -> dict[str, object]:
        return {
            "file": self.file,
            "resolution": self.resolution,
            "language": self.language,
            "preambular": self.preambular,
            "operative": self.operative,
            "mandates": self.mandates,
            "warnings": self.warnings,
            "triples": self.triples,
            "conforms": self.conforms,
            "violations": self.violations,
            "error": self.error,
        }


def _sha256(paths: Iterable[Path]) -> str:
    """The hash of the files' names and contents; a file that cannot be read raises
    :class:`InputError`, as reading it as a text would."""
    from mandate_graph.reader import read_bytes

    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(read_bytes(p))
    return h.hexdigest()


def _nt(g: Graph) -> str:
    return g.serialize(format="nt")


@dataclass
class _Job:
    paths: list[str]
    language: str | None
    base: str | None
    validate: bool


def _work(job: _Job) -> list[tuple[Entry, bytes | None]]:
    """Load, build and validate one resolution (all its language versions): run in a
    worker. Each graph comes back as N-Triples (rdflib's), encoded: the store reads bytes,
    and bytes cross from the worker for less than text."""
    return [(entry, nt.encode() if nt is not None else None) for entry, nt in _load_job(job)]


def _load_job(job: _Job) -> list[tuple[Entry, str | None]]:
    from mandate_graph.store import is_rdf

    paths = [Path(p) for p in job.paths]
    try:
        digest = _sha256(paths)
    except InputError as e:  # missing, or unreadable
        from mandate_graph.store import failure

        other = f"not loaded: {e.source}, of the same resolution: {e.message}"
        return [(Entry(str(p), "", error=failure(e) if e.source == str(p) else other), None) for p in paths]
    if len(paths) == 1 and not is_rdf(paths[0]):
        return [_load_text(paths[0], job, digest)]
    return _load_group(paths, job, digest)


def _load_text(path: Path, job: _Job, digest: str) -> tuple[Entry, str | None]:
    """One text in one language, the usual case: parsed, written straight as N-Triples and
    validated from them, never held as an rdflib graph (which cost a third of the load)."""
    from mandate_graph.diff import SeriesIndex
    from mandate_graph.graph import to_ntriples
    from mandate_graph.parse import parse_file
    from mandate_graph.shacl import engine
    from mandate_graph.store import Outcome, _count, _graph_name, failure

    outcome = Outcome(str(path))
    try:
        res = parse_file(path, job.language)
    except InputError as e:
        outcome.error = failure(e)
        return Entry.of(outcome, digest), None
    _count(outcome, res)
    entry = Entry.of(outcome, digest)
    nt = to_ntriples(res, job.base)
    entry.graph = str(_graph_name(outcome))
    entry.triples = nt.count("\n")
    if job.validate:
        found = engine().validate(nt)
        entry.violations = sum(r.severity == "Violation" for r in found)
        entry.conforms = entry.violations == 0
    index = SeriesIndex()
    index.add_resolution(res)
    entry.series = _series(index)
    return entry, nt


def _load_group(paths: list[Path], job: _Job, digest: str) -> list[tuple[Entry, str | None]]:
    """Several language versions of one resolution, or an RDF file: through rdflib."""
    from mandate_graph.diff import SeriesIndex
    from mandate_graph.store import _graph_name, load_group
    from mandate_graph.validate import validate

    out: list[tuple[Entry, str | None]] = []
    for outcome in load_group(paths, language=job.language, base=job.base):
        entry = Entry.of(outcome, digest)
        nt = None
        if outcome.graph is not None:
            g = outcome.graph
            entry.graph = str(_graph_name(outcome))
            entry.triples = len(g)
            nt = _nt(g)
            if job.validate:
                report = validate(g, nt=nt)
                entry.conforms, entry.violations = report.conforms, len(report.violations)
            index = SeriesIndex()
            index.add(g)
            entry.series = _series(index)
        out.append((entry, nt))
    return out


def _series(index: SeriesIndex) -> dict[str, Any] | None:
    """The facts series detection needs of the one resolution in ``index``, as JSON."""
    for facts in index.works.values():
        return {**asdict(facts), "cites": sorted(facts.cites), "agenda": sorted(facts.agenda)}
    return None


def _init_worker() -> None:
    # one engine per worker, built before the first resolution arrives
    from mandate_graph.shacl import engine

    engine().baseline()


class Corpus:
    """An embedded Oxigraph store in ``path`` with its catalogue."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        if read_only and not (self.path / STORE).is_dir():
            raise InputError(
                "is not a corpus directory (no store in it); create one with 'mandate-graph load FILES --store DIR'",
                source=str(self.path),
            )
        if not read_only:
            if self.path.exists() and not self.path.is_dir():
                raise InputError("exists and is not a directory; give a directory for the store", source=str(path))
            if self.path.is_dir() and any(self.path.iterdir()) and not (self.path / CATALOG).exists():
                raise InputError(
                    "is a directory that is not a corpus and not empty; give a new or empty directory",
                    source=str(path),
                )
            self.path.mkdir(parents=True, exist_ok=True)
        self._lock = _lock(self.path, exclusive=not read_only)
        try:
            self.store = ox.Store.read_only(str(self.path / STORE)) if read_only else ox.Store(str(self.path / STORE))
        except OSError as e:
            what = "is in use by another process" if "lock" in str(e).lower() else f"cannot be opened ({e})"
            raise InputError(f"the store {what}; wait for it or use another directory", source=str(path)) from e
        self.catalog, self.meta = self._read_catalog()
        from mandate_graph.answers import Kept

        self.kept = Kept(self.path, read_only=read_only)

    def close(self) -> None:
        """Close the store and give up its lock, now rather than when the object is
        collected: an exception's traceback can keep it alive long after."""
        self.__dict__.pop("store", None)
        if "kept" in self.__dict__:
            self.kept.close()
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.close()  # closing the file releases its lock

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- catalogue ------------------------------------------------------------------------
    def _read_catalog(self) -> tuple[dict[str, Entry], dict[str, Any]]:
        """The entries of the catalogue, and what else it records (the vocabulary's fingerprint, the base)."""
        path = self.path / CATALOG
        if not path.exists():
            return {}, {}
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            entries = {k: Entry(**v) for k, v in raw["files"].items()}
        except (ValueError, KeyError, TypeError) as e:
            raise InputError(
                f"damaged catalogue ({e}); load the corpus again into a new directory", source=str(path)
            ) from e
        return entries, {k: v for k, v in raw.items() if k != "files"}

    def _write_catalog(self, extra: dict[str, Any]) -> None:
        from mandate_graph.store import atomic_output

        data = {"files": {k: asdict(v) for k, v in sorted(self.catalog.items())}, **extra}
        with atomic_output(self.path / CATALOG) as f:
            json.dump(data, f, ensure_ascii=False, indent=1, sort_keys=True)

    # -- writing --------------------------------------------------------------------------
    def replace_graph(self, name: str, nt: str | bytes, *, merged: bool = True) -> None:
        """Replace one named graph with the N-Triples ``nt``, in one transaction; with
        ``merged``, in the default graph too (see the module's docstring)."""
        graph = ox.NamedNode(name)
        if not self.store.contains_named_graph(graph):
            data = nt if isinstance(nt, bytes) else nt.encode()
            self.store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
            if merged:
                self.store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
            return
        if isinstance(nt, bytes):
            nt = nt.decode()
        # one update, so that a reader never sees the graph missing
        steps = [_unmerge(name)] if merged else []
        steps += [f"DROP SILENT GRAPH <{name}>", f"INSERT DATA {{ GRAPH <{name}> {{\n{nt}\n}} }}"]
        if merged:
            steps.append(f"INSERT DATA {{\n{nt}\n}}")
        self.store.update(" ;\n".join(steps))

    def remove_graph(self, name: str) -> None:
        """Remove one named graph, and what only it held from the default graph."""
        self.store.update(f"{_unmerge(name)} ;\nDROP SILENT GRAPH <{name}>")
        self.kept.drop_graphs([name])

    def _merge_all(self) -> None:
        """Fill the default graph from the named graphs (a store from before it held them)."""
        self.store.update(f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{ENTAILED_GRAPH}>) }}")

    def _refresh_vocabulary(self) -> bool:
        """Put the ontology, vocabularies and their entailments in the store if they changed."""
        from mandate_graph.infer import _fingerprint

        fingerprint = _fingerprint()
        present = self.store.contains_named_graph(ox.NamedNode(str(ONTOLOGY_GRAPH)))
        if self.meta.get("vocabulary") == fingerprint and present:
            return False
        vocab, entailed = vocabulary_triples()
        self.replace_graph(str(ONTOLOGY_GRAPH), vocab)
        self.replace_graph(str(ENTAILED_GRAPH), entailed, merged=False)
        return True

    def load(
        self,
        paths: list[Path],
        *,
        language: str | None = None,
        base: str | None = None,
        validate: bool = True,
        workers: int | None = None,
        force: bool = False,
        on_entry: Callable[[Entry], None] | None = None,
    ) -> list[Entry]:
        """Load ``paths`` (texts or RDF files) into the store, one named graph per
        resolution; return an entry per file, in the order of ``paths``."""
        from mandate_graph.diff import SeriesIndex, WorkFacts
        from mandate_graph.store import group_by_resolution

        groups = group_by_resolution(paths)
        entries: list[Entry] = []
        jobs: list[_Job] = []
        for group in groups:
            previous = [self.catalog.get(_key(p)) for p in group]
            if not force and all(e is not None and not e.error for e in previous):
                try:
                    digest = _sha256(group)
                except InputError:
                    digest = None  # the worker says why
                if all(e is not None and e.sha256 == digest for e in previous):
                    for e in previous:
                        assert e is not None
                        e.skipped = True
                        entries.append(e)
                        if on_entry:
                            on_entry(e)
                    continue
            jobs.append(_Job([str(p) for p in group], language, base, validate))
        # the workers start (importing, building their engines) while the store is prepared
        from mandate_graph.infer import _fingerprint

        results, stop = _start(jobs, workers)
        writer = _Writer(self)
        if jobs:
            self.kept.forget_answers()  # until they are made again from what this load writes
        finished = False
        try:
            if self.meta.get("layout") != LAYOUT and any(True for _ in self.store.named_graphs()):
                self._merge_all()
            self._refresh_vocabulary()
            # the store's layout is recorded before the first resolution is written, so that a
            # load cut short leaves a corpus that can be queried and loaded into again
            self.meta = {"vocabulary": _fingerprint(), "base": base_iri(base), "layout": LAYOUT}
            self._write_catalog(self.meta)
            owners = {e.graph: key for key, e in self.catalog.items() if e.graph and not e.error}
            for result in results:
                group = {_key(Path(entry.file)) for entry, _ in result}
                for entry, nt in result:
                    key = _key(Path(entry.file))
                    old = self.catalog.get(key)
                    holder = owners.get(entry.graph) if entry.graph else None
                    if holder is not None and holder not in group and Path(holder).exists():
                        entry.error = (
                            f"describes {entry.resolution}, which {holder} already holds in this corpus; "
                            "keep one file per resolution (its language versions as NAME.zh.txt, NAME.en.txt)"
                        )
                        nt = None
                    elif holder is not None and holder not in group:
                        self.catalog.pop(holder, None)  # the file it came from is gone: this one takes over
                    if nt is not None and entry.graph is not None:
                        writer.put(entry.graph, nt, entry.sha256)
                        owners[entry.graph] = key
                    if old is not None and old.graph and old.graph != entry.graph and not entry.error:
                        self.remove_graph(old.graph)
                    if not entry.error or old is None:
                        self.catalog[key] = entry
                    else:
                        entry.graph = old.graph  # what was loaded before stays, and is said to stay
                    entries.append(entry)
                    if on_entry:
                        on_entry(entry)
            writer.flush()
            finished = True
        finally:
            stop()
            if not finished:
                self._keep(writer)
        # the series links, known only once every resolution is known
        index = SeriesIndex()
        for e in self.catalog.values():
            if e.series:
                f = e.series
                facts = index.works.setdefault(f["symbol"], WorkFacts(f["symbol"], f["session"], {}, set(), set()))
                facts.titles.update({(k if k != "null" else None): v for k, v in f["titles"].items()})
                facts.cites.update(f["cites"])
                facts.agenda.update(f["agenda"])
        self.replace_graph(base_iri(base) + "series", _nt(index.graph(base)))
        self._write_catalog(self.meta)
        self.store.flush()
        compacting = None
        if writer.written >= writer.batch:
            # bulk loads leave the store in many small files, which a query then reads one
            # after another: compacting them (4 s for the corpus) halves the time of every
            # query that follows. A reload of a few resolutions does not pay for it. The
            # store compacts in its own threads while the kept answers are merged.
            compacting = threading.Thread(target=self.store.optimize)
            compacting.start()
        try:
            self._keep_answers()
        except Exception:
            # the answers are made from the store, which holds what was loaded: without
            # them, the store answers every query (slower), and the next load makes them
            with contextlib.suppress(Exception):
                self.kept.forget_answers()
        finally:
            if compacting is not None:
                compacting.join()
        return entries

    def _keep(self, writer: _Writer) -> None:
        """After a load cut short (an error, an interrupt): write what was read so far and
        list it in the catalogue, so that nothing already loaded is lost and the next load
        skips it. A batch that cannot be written is left out of the catalogue, and loaded
        whole the next time."""
        try:
            writer.flush()
        except Exception:
            lost = set(writer.pending_names)
            for key in [k for k, e in self.catalog.items() if e.graph in lost]:
                del self.catalog[key]
        self._write_catalog(self.meta)
        self.store.flush()

    # -- kept answers ---------------------------------------------------------------------
    def _graph_stamps(self) -> dict[str, str]:
        """Each resolution's graph and the stamp of the rows kept for it."""
        from mandate_graph.answers import part_stamp

        vocabulary = self.meta.get("vocabulary", "")
        return {e.graph: part_stamp(e.sha256, vocabulary) for e in self.catalog.values() if e.graph and not e.error}

    def _keep_answers(self) -> None:
        """Merge each kept query's answer from the parts. Graphs no part covers (written
        again since their part was made, or by a version that kept no answers) are
        answered from the store first."""
        from mandate_graph import answers as kept

        stamps = self._graph_stamps()
        stamp = kept.corpus_stamp(stamps, self.meta.get("vocabulary", ""))
        made = kept.made_stamp(stamp)
        if self.kept.made() == made:
            return  # nothing written since, no query changed
        keeper = kept.keeper()
        keys = {p.key for p in keeper.plans}
        _, uncovered = self.kept.valid_parts(stamps, keys)
        todo = sorted(uncovered)
        for start in range(0, len(todo), 200):
            kept.answer_batch(
                self.kept,
                {
                    g: (self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(g)), stamps[g])
                    for g in todo[start : start + 200]
                },
            )
        parts, uncovered = self.kept.valid_parts(stamps, keys)
        # a row the vocabularies give on their own would come once from every part
        alone = keeper.answers([])
        self.kept.keep_only(keys)
        for p in keeper.plans:
            found = [self.kept.rows(part, p.key) for part in parts]
            data = None
            if not uncovered and alone.get(p.key) == [] and all(rows is not None for rows in found):
                try:
                    data = kept.pack(p.columns, kept.merge(p, (json.loads(rows) for rows in found if rows)))
                except kept.NotKept:
                    data = None
            self.kept.put_answer(p.key, stamp, data)
        if not uncovered:  # else the next load tries again
            self.kept.set_made(made)

    def _kept_answer(
        self, text: str, entailed: bool, bindings: dict[str, Node]
    ) -> tuple[list[str], list[list[Node | None]]] | None:
        """The kept answer to the query ``text`` (prefixed), narrowed to ``bindings``; None
        when there is none for this text and this store, or a parameter is not a column."""
        from mandate_graph import answers as kept
        from mandate_graph.queries import bound_variables, only_some_rows_bind

        found = self.kept.answer(kept.answer_key(text, entailed))
        if found is None or found[0] != kept.corpus_stamp(self._graph_stamps(), self.meta.get("vocabulary", "")):
            return None
        data = found[1]
        columns, terms, cells = kept.unpack(data)
        width = len(columns)
        tests: list[tuple[int, set[int]]] = []
        if bindings:
            scope = bound_variables(text)
            for name, value in bindings.items():
                if name not in columns:
                    return None  # an input the query reads: the store answers
                wanted = kept.encode_rdflib(value)
                # as bind_parameters binds it: a VALUES row, or, where only some rows bind the
                # variable, a FILTER that also takes a literal of the same text
                loose = only_some_rows_bind(scope, name) and isinstance(value, Literal)
                ok = {i for i, t in enumerate(terms) if t == wanted or (loose and kept.lexical(t) == str(value))}
                tests.append((columns.index(name), ok))
        starts = range(0, len(cells), width)
        if tests:
            starts = [s for s in starts if all(cells[s + c] in ok for c, ok in tests)]
        # tens of thousands of new objects and no cycle among them: the collector, which
        # would walk them all several times over, is kept out of it
        collecting = gc.isenabled()
        gc.disable()
        try:
            flat = list(map(kept.decode(terms).__getitem__, cells))
            if not tests:
                return columns, list(map(list, zip(*[iter(flat)] * width, strict=True)))
            return columns, [flat[s : s + width] for s in starts]
        finally:
            if collecting:
                gc.enable()

    # -- reading --------------------------------------------------------------------------
    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def dump(self, format: str = "trig", *, entailed: bool = False) -> bytes:
        """The named graphs as TriG or N-Quads (``format`` "trig" or "nquads"), without the
        merged copy in the default graph, and without the entailments unless ``entailed``."""
        out = []
        for name in self.graphs():
            if name == str(ENTAILED_GRAPH) and not entailed:
                continue
            nt = self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name)).decode()
            if format == "trig":
                out.append(f"<{name}> {{\n{nt}}}\n")
            else:
                out.append(nt.replace(" .\n", f" <{name}> .\n"))
        return "".join(out).encode()

    def triples(self, graph: str | None = None) -> int:
        if graph is not None:
            q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        else:
            q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        return int(next(iter(self.store.query(q)))["n"].value)

    def query(
        self, text: str, *, infer: bool = True, bindings: dict[str, Node] | None = None, kept: bool = True
    ) -> tuple[list[str], list[list[Node | None]]]:
        """Run a SPARQL SELECT over the resolutions and the vocabularies, merged (with the
        entailments when ``infer``); columns and rows of rdflib terms. Named graphs can be
        queried with ``GRAPH``. A named query kept at load time (see
        :mod:`mandate_graph.answers`) is answered from what was kept, unless not ``kept``."""
        from mandate_graph.queries import bind_parameters, prefixed

        unbound = prefixed(text)
        text = bind_parameters(unbound, bindings or {})
        if self.meta.get("layout") != LAYOUT:
            raise InputError(
                "the corpus was loaded by an earlier version; run 'mandate-graph load' on it again to update it",
                source=str(self.path),
            )
        # with inference, the entailed graph joins the default graph only if a pattern of the
        # query can match one of its triples: otherwise the answers are the same without it,
        # and looking into two graphs at every step made the listings 1.6 times slower. The
        # patterns are those of the query as written (parameters add none), which
        # bind_parameters has already had rdflib read: one reading, not two.
        if infer and self._entailed_can_match(unbound):
            default = [ox.DefaultGraph(), ox.NamedNode(str(ENTAILED_GRAPH))]
        else:
            default = [ox.DefaultGraph()]
        if kept and (answer := self._kept_answer(unbound, len(default) > 1, bindings or {})) is not None:
            return answer
        result = self.store.query(text, default_graph=default)
        if not isinstance(result, ox.QuerySolutions):
            raise InputError("only SELECT queries can be run on a corpus store")
        columns = [v.value for v in result.variables]
        # codes, numbers and symbols recur row after row: each is converted once
        seen: dict[object, Node | None] = {}

        def term(t: object) -> Node | None:
            if t not in seen:
                seen[t] = to_rdflib(t)
            return seen[t]

        rows = [[term(s[c]) for c in columns] for s in result]
        return columns, rows

    def _entailed_can_match(self, text: str) -> bool:
        """Whether a triple pattern of the query ``text`` can match a triple of the entailed
        graph (True when the query cannot be analysed)."""
        return entailed_can_match(self.store, ox.NamedNode(str(ENTAILED_GRAPH)), text)


def vocabulary_triples() -> tuple[str, str]:
    """The ontology and vocabularies, and what OWL-RL entails from them beyond that, as
    N-Triples: the two graphs a corpus holds beside the resolutions."""
    from mandate_graph.infer import vocabulary_closure
    from mandate_graph.vocab import vocabulary_graph

    vocab = vocabulary_graph()
    entailed = Graph()
    for t in vocabulary_closure():
        if t not in vocab:
            entailed.add(t)
    return _nt(vocab), _nt(entailed)


def entailed_can_match(store: ox.Store, graph: ox.NamedNode, text: str) -> bool:
    """Whether a triple pattern of the query ``text`` can match a triple of ``graph`` in
    ``store`` (True when the query cannot be analysed)."""
    from mandate_graph.queries import path_iris, triple_patterns

    patterns = triple_patterns(text)
    if patterns is None:
        return True
    for s, p, o in patterns:
        try:
            if isinstance(p, URIRef | Variable | BNode):
                # one triple: its constant terms are those of the triples it can match
                steps = [(_to_ox(s), _to_ox(p), _to_ox(o))]
            elif iris := path_iris(p):
                # a property path: any triple with one of its properties may be a step
                steps = [(None, ox.NamedNode(i), None) for i in sorted(iris)]
            else:
                # a path that can match any triple or node: any triple of the graph
                steps = [(None, None, None)]
        except ValueError:  # a term Oxigraph refuses: it will say so when it runs the query
            return True
        for step in steps:
            if next(iter(store.quads_for_pattern(*step, graph)), None) is not None:
                return True
    return False


def _to_ox(term: object) -> ox.NamedNode | ox.Literal | None:
    """A constant of a triple pattern as an Oxigraph term; None for a variable (or a blank
    node, which a pattern reads as one)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return None


class _Writer:
    """Writes graphs to the store: a graph the store does not hold yet goes into a batch
    bulk-loaded every ``batch`` quads (bulk loading is three times faster than a
    transaction per graph); a graph it holds is replaced in one transaction. Should a
    batch fail half-way, the catalogue does not list its graphs, so the next load
    replaces them whole."""

    def __init__(self, corpus: Corpus, batch: int | None = None) -> None:
        self.corpus, self.batch = corpus, batch or BATCH
        self.pending: list[bytes] = []
        self.pending_names: list[str] = []
        self.answering: dict[str, tuple[bytes, str]] = {}  # graphs written, to answer on: N-Triples, stamp
        self.answering_size = 0
        self.names: set[str] = set()
        self.size = 0
        self.written = 0  # lines bulk-loaded so far

    def put(self, name: str, nt: bytes, sha256: str) -> None:
        """Write the graph ``name`` (from a file whose content hash is ``sha256``)."""
        if name in self.names:
            self.flush()
        if name in self.names or self.corpus.store.contains_named_graph(ox.NamedNode(name)):
            self.corpus.replace_graph(name, nt)
            self._answer(name, nt, sha256)
            return
        self._answer(name, nt, sha256, later=True)
        self.pending.append(nt)
        self.pending_names.append(name)
        self.names.add(name)
        self.size += nt.count(b"\n")
        if self.size >= self.batch:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            # N-Triples is TriG, so each graph is its lines in a block, not rewritten as
            # quads; a block without a name goes to the default graph
            trig = b"".join(
                b"<%s> {\n%s}\n{\n%s}\n" % (name.encode(), nt, nt)
                for name, nt in zip(self.pending_names, self.pending, strict=True)
            )
            # lenient: the lines were written by rdflib or the loader, and checking every IRI
            # again costs a tenth of the load
            self.corpus.store.bulk_load(trig, format=ox.RdfFormat.TRIG, lenient=True)
            self.written += self.size
        self.pending, self.pending_names, self.names, self.size = [], [], set(), 0
        self._answer_written()

    def _answer(self, name: str, nt: bytes, sha256: str, *, later: bool = False) -> None:
        """Answer the kept queries on the graph ``name`` with the others written in its
        batch, once the batch is in the store (``later``: it is not yet)."""
        from mandate_graph.answers import part_stamp

        self.answering[name] = (nt, part_stamp(sha256, self.corpus.meta["vocabulary"]))
        self.answering_size += nt.count(b"\n")
        if not later and self.answering_size >= self.batch:
            self._answer_written()

    def _answer_written(self) -> None:
        from mandate_graph.answers import answer_batch

        if self.answering:
            answer_batch(self.corpus.kept, self.answering)
        self.answering, self.answering_size = {}, 0


def _lock(path: Path, *, exclusive: bool) -> IO[bytes] | None:
    """Hold ``path/LOCK_FILE``: shared while reading, exclusive while writing. Oxigraph
    leaves reading a store another process writes undefined (a reader can find files the
    writer has just compacted away), so the two never overlap; the lock goes with the
    process. ``None`` where there are no locks (not POSIX)."""
    try:
        import fcntl
    except ImportError:
        return None
    try:
        f = open(path / LOCK_FILE, "ab")  # noqa: SIM115 - held for the life of the Corpus
    except OSError as e:
        if not exclusive:
            return None  # a store on a read-only medium: nothing can write to it either
        raise InputError(f"cannot write in the corpus directory ({e.strerror})", source=str(path)) from e
    try:
        fcntl.flock(f, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except OSError as e:
        f.close()
        what = "being loaded into" if not exclusive else "in use"
        raise InputError(
            f"the store is {what} by another process; try again when it has finished", source=str(path)
        ) from e
    return f


def _unmerge(name: str) -> str:
    """The update that removes from the default graph what only the named graph ``name``
    holds (a triple another graph holds too stays)."""
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} "
        f"FILTER(?other != <{name}> && ?other != <{ENTAILED_GRAPH}>) }} }}"
    )


def _key(path: Path) -> str:
    """A file's key in the catalogue: its absolute path, so that the working directory does not matter."""
    return str(path.resolve())


def _start(
    jobs: list[_Job], workers: int | None
) -> tuple[Iterator[list[tuple[Entry, bytes | None]]], Callable[[], None]]:
    """The results of ``jobs`` in order, from worker processes when there is more than one
    job, and what stops the workers. The workers start at once."""
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    if workers <= 1 or len(jobs) <= 1:
        return map(_work, jobs), lambda: None
    if os.name == "posix":
        ctx = multiprocessing.get_context("forkserver")
        # imported once in the server that forks the workers, not again in each of them
        ctx.set_forkserver_preload(["mandate_graph.corpus", "mandate_graph.parse", "mandate_graph.shacl"])
    else:
        ctx = multiprocessing.get_context("spawn")
    pool = ctx.Pool(workers, initializer=_init_worker)
    return pool.imap(_work, jobs, chunksize=2), pool.terminate


# The store has checked every IRI and language tag it gives: those terms are made as rdflib
# makes them, without rdflib's checks (which took most of the time of turning a listing's
# rows into rdflib terms). tests/test_corpus_store.py holds them to rdflib's own.
def _iri(value: str) -> URIRef:
    return str.__new__(URIRef, value)


def _text_literal(text: str, language: str | None) -> Literal:
    """A literal without a datatype (rdflib keeps its text as its value)."""
    lit = str.__new__(Literal, text)
    lit._language, lit._datatype, lit._value, lit._ill_typed = language, None, text, None
    return lit


def to_rdflib(term: object) -> Node | None:
    """An Oxigraph term as the rdflib term it stands for."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return _iri(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return _text_literal(term.value, term.language)
        if term.datatype.value == _XSD_STRING:  # a simple literal, as rdflib writes it
            return _text_literal(term.value, None)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not an RDF term: {term!r}")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
