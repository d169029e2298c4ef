"""How the cost of each stage grows with the number of resolutions, in the naive pipeline
and in the fast one, side by side, with their answers compared.

    .venv/bin/python bench/bench_scale.py [--sizes 1,10,100,1420] [--runs 3] [--json OUT]

Each size n is n texts of ``../shared/corpus/en`` spread over the whole corpus (sorted by
file name, the middle text of each of n equal slices: see :func:`spread`) plus
``data/A_RES_80_229.zh.txt``; without ``../shared`` only A/RES/80/229 is measured. The first
n texts by name would be the oldest, shortest resolutions (240 triples each for the first 10,
against 900 over the corpus), and the growth from one size to the next would then count
longer resolutions as well as more of them.

- **naive**: every resolution parsed and built into one in-memory rdflib graph with the
  vocabularies; pySHACL on that whole graph (as ``validate(engine="pyshacl")``); owlrl's full
  OWL-RL closure of data and vocabularies; the named queries in rdflib's SPARQL on the
  closure; export with rdflib's serialiser.
- **fast**: ``Corpus.load`` (parse, graph, validation with the fast engine and writing to an
  embedded Oxigraph store, in worker processes); the OWL-RL closure of the vocabularies
  alone, once (it is cached on disk and already in the store); the named queries with
  ``Corpus.query``; export as a dump of the store. Parse, graph and validation are also
  timed apart, one resolution at a time in one process, to show where the load goes.

Every (pipeline, size, run) is measured in a fresh process, which reports for each stage
its wall time, its CPU time (the process and its worker processes: the pool's CPU is read
from ``/proc``) and its peak memory (the resident set of the process and its workers,
sampled every 20 ms, and the process's own high-water mark, reset before each stage).
Figures are medians over ``--runs`` runs; a (pipeline, size) whose first run takes longer
than ``--slow-run`` seconds is run once, and the tables say how many runs each figure is.
Each named query is repeated up to five times within a run (median), for at most two
seconds. The naive pipeline runs up to ``--naive-max`` resolutions (default 100); beyond,
its time is extrapolated from the growth between the two largest sizes it ran, and marked.
Each stage's growth exponent is the least-squares slope of log(time) against log(number of
resolutions), and against log(triples), since the later resolutions of the corpus are longer.
The load average after each run is printed (on a busy machine the figures are slower), and
a warning when the code or data under test changed while the benchmark ran.

Both pipelines' answers are compared at every size where both ran: the rows of every named
query (as sorted lists of terms, numbers compared by value), the findings of validation,
per resolution (fast against pySHACL on each resolution's graph) and on the merged graph,
which files failed to load, and the exported triples. The benchmark exits with status 1 and
says which query or stage and which size when they differ. It ends with the targets of
the project and whether each is met. Not a test: it takes minutes, and its figures depend on
the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import math
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "en"
BUNDLED = ROOT / "data" / "A_RES_80_229.zh.txt"
PIPELINES = ("naive", "fast")
PARAMETERS = {"number": "1"}  # paragraph-text: operative paragraph 1 of every resolution
QUERY_REPEATS, QUERY_BUDGET = 5, 2.0  # repetitions of a query within a run, and their time limit
SAMPLE_EVERY = 0.02  # seconds between memory samples
MiB = 2**20
# the speed targets
LOAD_TARGET, QUERY_TARGET, SPEEDUP_TARGET, EXPONENT_TARGET, COLD_TARGET, MEMORY_TARGET = 60.0, 0.1, 20.0, 1.1, 1.5, 2048


# ================================================================== measuring one process


def _descendants(pid: int) -> list[int]:
    """The processes below ``pid`` (children of any of its threads, recursively)."""
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                kids = Path(f"/proc/{parent}/task/{task}/children").read_text().split()
            except OSError:
                continue
            found.extend(int(k) for k in kids)
            todo.extend(int(k) for k in kids)
    return found


_TICK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _proc_cpu(pid: int) -> float:
    """CPU seconds of a live process, including the children it has reaped (utime, stime,
    cutime, cstime): the pool's workers are reaped by the forkserver, which lives on."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = text[text.rindex(")") + 2 :].split()
    return sum(int(x) for x in fields[11:15]) / _TICK


def _proc_rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def cpu_now() -> float:
    """CPU seconds used so far by this process, its reaped children and its live descendants."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = time.process_time() + children.ru_utime + children.ru_stime
    return own + sum(_proc_cpu(p) for p in _descendants(os.getpid()))


class Memory(threading.Thread):
    """Samples the resident set of this process and its descendants; keeps the peak since
    the last :meth:`reset`, and resets the process's own high-water mark (VmHWM) there too."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.halt = threading.Event()
        self.pid = os.getpid()

    def sample(self) -> int:
        return _proc_rss(self.pid) + sum(_proc_rss(p) for p in _descendants(self.pid))

    def run(self) -> None:
        while not self.halt.wait(SAMPLE_EVERY):
            self.peak = max(self.peak, self.sample())

    def reset(self) -> None:
        with contextlib.suppress(OSError):
            Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
        self.peak = self.sample()

    def stage_peak(self) -> int:
        hwm = 0
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) * 1024
        return max(self.peak, hwm, self.sample())


@dataclass
class Figure:
    """One stage of one run: seconds, seconds, MiB, and what it produced."""

    wall: float = 0.0
    cpu: float = 0.0
    peak: float = 0.0
    note: str = ""


class Recorder:
    """The stages of one run of one pipeline, each timed with :meth:`stage`."""

    def __init__(self) -> None:
        self.memory = Memory()
        self.memory.start()
        self.figures: dict[str, Figure] = {}

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[Figure]:
        fig = Figure()
        self.memory.reset()
        w0, c0 = time.perf_counter(), cpu_now()
        yield fig
        fig.wall, fig.cpu = time.perf_counter() - w0, cpu_now() - c0
        fig.peak = self.memory.stage_peak() / MiB
        self.figures[name] = fig

    def query(self, name: str, run: Callable[[], list[list[Any]]]) -> list[list[Any]]:
        """Median wall and CPU time of up to QUERY_REPEATS runs of a query, within QUERY_BUDGET."""
        walls, cpus = [], []
        rows: list[list[Any]] = []
        self.memory.reset()
        spent = 0.0
        while len(walls) < QUERY_REPEATS and (not walls or spent < QUERY_BUDGET):
            w0, c0 = time.perf_counter(), time.process_time()
            rows = run()
            walls.append(time.perf_counter() - w0)
            cpus.append(time.process_time() - c0)
            spent += walls[-1]
        note = f"{len(rows)} rows, median of {len(walls)}"
        self.figures[f"query {name}"] = Figure(
            statistics.median(walls), statistics.median(cpus), self.memory.stage_peak() / MiB, note
        )
        return rows


# ================================================================== answers, made comparable

_STRING = "http://www.w3.org/2001/XMLSchema#string"
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def term_key(term: Any) -> str | None:
    """An rdflib term as a string that two engines agree on: numbers by value, booleans by
    value, a plain literal and an xsd:string alike."""
    from rdflib import Literal

    from mandate_graph.answers import NUMERIC_TYPES

    if term is None:
        return None
    if isinstance(term, Literal):
        if term.language:
            return f"{Literal(str(term)).n3()}@{term.language.lower()}"
        datatype = str(term.datatype) if term.datatype is not None else _STRING
        if datatype in NUMERIC_TYPES:
            try:
                value = Decimal(str(term).strip())
                return f"number {value.normalize() if value else 0}"
            except InvalidOperation:
                pass
        if datatype == _BOOLEAN:
            return f"boolean {str(term).strip() in ('true', '1')}"
        plain = Literal(str(term)).n3()
        return plain if datatype == _STRING else f"{plain}^^<{datatype}>"
    return str(term.n3())


def sorted_rows(rows: list[list[Any]]) -> list[list[str | None]]:
    keyed = [[term_key(t) for t in row] for row in rows]
    return sorted(keyed, key=lambda r: [("", "") if c is None else ("v", c) for c in r])


def finding_key(f: Any) -> list[str | None]:
    return [f.focus, f.path, f.component, f.severity]


def canonical_triples(data: bytes, fmt: Any, skip_graphs: set[str]) -> list[str]:
    """The distinct triples of an RDF document, written by Oxigraph (so that both pipelines'
    exports are written alike), leaving out the named graphs in ``skip_graphs``."""
    import pyoxigraph as ox

    out: set[str] = set()
    for q in ox.parse(data, format=fmt):
        graph = getattr(q, "graph_name", None)
        if isinstance(graph, ox.NamedNode) and graph.value in skip_graphs:
            continue
        out.add(f"{q.subject} {q.predicate} {q.object} .")
    return sorted(out)


# ================================================================== the two pipelines


def _queries() -> list[tuple[str, Any, dict[str, Any]]]:
    from mandate_graph import queries

    out = []
    for name in queries.names():
        q = queries.load(name)
        bindings = {p: queries.coerce(PARAMETERS[p]) for p in q.parameters}
        out.append((name, q, bindings))
    return out


def setup(rec: Recorder) -> None:
    """What both pipelines read before the first text: the ontology and vocabularies, and the
    lexicon and layout profile of each language."""
    from mandate_graph.vocab import languages, lexicon, profile, vocabulary_graph

    with rec.stage("setup") as fig:
        triples = len(vocabulary_graph())
        for language in languages():
            lexicon(language)
            profile(language)
        fig.note = f"{triples} vocabulary triples, lexicons of {', '.join(languages())}"


def run_naive(files: list[Path], export: str, answers: bool) -> tuple[dict[str, Figure], dict[str, Any]]:
    """rdflib, pySHACL and owlrl on one merged in-memory graph."""
    import owlrl
    from rdflib import Graph

    from mandate_graph import queries
    from mandate_graph.errors import InputError
    from mandate_graph.graph import to_graph
    from mandate_graph.parse import parse_file
    from mandate_graph.validate import validate
    from mandate_graph.vocab import vocabulary_graph

    rec = Recorder()
    found: dict[str, Any] = {}
    setup(rec)
    models, failed = [], []
    with rec.stage("parse") as fig:
        for path in files:
            try:
                models.append((path, parse_file(path)))
            except InputError:
                failed.append(str(path))
        fig.note = f"{len(models)} texts read, {len(failed)} failed"
    with rec.stage("graph") as fig:
        merged = vocabulary_graph()
        vocabulary = len(merged)
        for _, model in models:
            merged += to_graph(model)
        fig.note = f"{len(merged)} triples with the vocabularies"
    found["counts"] = {"read": len(models), "failed": len(failed), "triples": len(merged) - vocabulary}
    with rec.stage("validate") as fig:
        report = validate(merged, with_vocabulary=False, engine="pyshacl")
        fig.note = f"conforms={report.conforms}, {len(report.violations)} violations"
    with rec.stage("inference") as fig:
        closure = Graph()
        closure += merged
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
        fig.note = f"{len(closure) - len(merged)} triples entailed"
    for name, q, bindings in _queries():
        rows = rec.query(name, lambda q=q, b=bindings, g=closure: queries.rows(queries.run(q, g, b))[1])
        if answers:
            found.setdefault("queries", {})[name] = sorted_rows(rows)
    del closure
    with rec.stage("export") as fig:
        text = merged.serialize(format=export)
        fig.note = f"{len(text.encode()) / MiB:.1f} MiB {export}"
    if answers:
        import pyoxigraph as ox

        fmt = ox.RdfFormat.TURTLE if export == "turtle" else ox.RdfFormat.N_TRIPLES
        found["export"] = canonical_triples(text.encode(), fmt, set())
        found["failed"] = failed
        found["merged"] = sorted(finding_key(f) for f in report.findings)
        # the reference, on each resolution's own graph as the fast engine sees it
        found["findings"] = {}
        for path, model in models:
            one = validate(to_graph(model), engine="pyshacl")
            found["findings"][str(path)] = sorted(finding_key(f) for f in one.findings)
    return rec.figures, found


def run_fast(
    files: list[Path], export: str, answers: bool, workers: int | None
) -> tuple[dict[str, Figure], dict[str, Any]]:
    """``Corpus``: worker processes, the fast validation engine, an embedded Oxigraph store."""
    import pyoxigraph as ox

    from mandate_graph.corpus import ENTAILED_GRAPH, Corpus
    from mandate_graph.errors import InputError
    from mandate_graph.graph import to_graph, to_ntriples
    from mandate_graph.infer import compute_closure
    from mandate_graph.iris import base_iri
    from mandate_graph.parse import parse_file
    from mandate_graph.shacl import engine
    from mandate_graph.validate import validate

    rec = Recorder()
    found: dict[str, Any] = {}
    setup(rec)
    fmt = ox.RdfFormat.TRIG if export == "turtle" else ox.RdfFormat.N_QUADS
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as directory:
        corpus = Corpus(Path(directory) / "store")
        with rec.stage("load") as fig:
            entries = corpus.load(files, workers=workers)
        # counted outside the stage: a load does not count the store (a second or more)
        stored = corpus.triples()
        fig.note = f"{sum(not e.error for e in entries)} resolutions, {stored} quads stored"
        found["counts"] = {
            "read": sum(not e.error for e in entries),
            "failed": sum(bool(e.error) for e in entries),
            "triples": sum(e.triples for e in entries),
            "quads": stored,
        }
        with rec.stage("inference") as fig:
            fig.note = f"{len(compute_closure())} triples (vocabularies, once)"
        for name, q, bindings in _queries():
            rows = rec.query(name, lambda q=q, b=bindings: corpus.query(q.text, infer=True, bindings=b)[1])
            if answers:
                found.setdefault("queries", {})[name] = sorted_rows(rows)
        with rec.stage("export") as fig:
            dump = corpus.dump("trig" if export == "turtle" else "nquads", entailed=True)
            fig.note = f"{len(dump) / MiB:.1f} MiB {'TriG' if export == 'turtle' else 'N-Quads'}"
        if answers:
            found["export"] = canonical_triples(dump, fmt, {str(ENTAILED_GRAPH), base_iri(None) + "series"})
        del dump
        loaded = {e.file: e for e in entries}
    # the same work as the load, one resolution at a time in this process, stage by stage
    split = {"parse": Figure(), "graph": Figure(), "validate": Figure()}
    findings: dict[str, list[list[str | None]]] = {}
    failed, violations = [], 0
    rec.memory.reset()

    def timed(stage: str, fn: Callable[[], Any]) -> Any:
        w0, c0 = time.perf_counter(), time.process_time()
        try:
            return fn()
        finally:
            split[stage].wall += time.perf_counter() - w0
            split[stage].cpu += time.process_time() - c0

    for path in files:
        try:
            model = timed("parse", lambda path=path: parse_file(path))
        except InputError:
            failed.append(str(path))
            continue
        # timed: what a load worker does (N-Triples straight from the model, validated from them)
        nt = timed("graph", lambda model=model: to_ntriples(model))
        timed("validate", lambda nt=nt: engine().validate(nt))
        # not timed: the findings located in the text, to compare with the naive pipeline's
        report = validate(to_graph(model), engine="fast", nt=nt)
        violations += len(report.violations)
        findings[str(path)] = sorted(finding_key(f) for f in report.findings)
        entry = loaded.get(str(path))
        if entry is None or entry.conforms != report.conforms or entry.violations != len(report.violations):
            found.setdefault("inconsistent", []).append(str(path))
    peak = rec.memory.stage_peak() / MiB
    split["parse"].note = f"{len(findings)} texts read, {len(failed)} failed"
    split["validate"].note = f"{violations} violations"
    for name, fig in split.items():
        fig.peak = peak
        rec.figures[name] = fig
    if answers:
        found["failed"] = failed
        found["findings"] = findings
    found["load-failed"] = sorted(e.file for e in entries if e.error)
    found["split-failed"] = failed
    return rec.figures, found


def worker(args: argparse.Namespace) -> int:
    """One run of one pipeline, in its own process: figures and answers as JSON."""
    files = [Path(line) for line in Path(args.files_from).read_text(encoding="utf-8").splitlines() if line]
    answers = args.answers is not None
    if args.worker == "naive":
        figures, found = run_naive(files, args.export, answers)
    else:
        figures, found = run_fast(files, args.export, answers, args.workers)
    out = {
        "figures": {k: vars(v) for k, v in figures.items()},
        "checks": {k: v for k, v in found.items() if k in ("inconsistent", "load-failed", "split-failed")},
        "counts": found.get("counts", {}),
    }
    Path(args.out).write_text(json.dumps(out), encoding="utf-8")
    if answers:
        Path(args.answers).write_text(json.dumps(found), encoding="utf-8")
    return 0


# ================================================================== running the measurements


@dataclass
class Cell:
    """All runs of one pipeline on one size."""

    pipeline: str
    size: int
    files: int
    runs: list[dict[str, Figure]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    answers: dict[str, Any] | None = None
    skipped: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    loads: list[float] = field(default_factory=list)  # 1-minute load average after each run

    def figure(self, stage: str) -> Figure | None:
        """The median of each measure of ``stage`` over the runs."""
        figs = [run[stage] for run in self.runs if stage in run]
        if not figs:
            return None
        return Figure(
            statistics.median(f.wall for f in figs),
            statistics.median(f.cpu for f in figs),
            statistics.median(f.peak for f in figs),
            figs[0].note,
        )


def with_totals(figures: dict[str, Figure], pipeline: str) -> dict[str, Figure]:
    """Add the rows made of others: the naive load (parse + graph + validate) and the end to end
    (setup, load, inference, each query once, export)."""
    out = dict(figures)

    def sum_of(names: list[str], note: str) -> Figure:
        parts = [out[n] for n in names]
        return Figure(sum(p.wall for p in parts), sum(p.cpu for p in parts), max(p.peak for p in parts), note)

    if pipeline == "naive":
        out["load"] = sum_of(["parse", "graph", "validate"], "parse + graph + validate")
    queries = [n for n in figures if n.startswith("query ")]
    # the fast pipeline computes no inference when it runs: the closure of the vocabularies is
    # cached on disk and read by the load; the time to compute it once is in its own row
    stages = ["setup", "load", *(["inference"] if pipeline == "naive" else []), *queries, "export"]
    out["total"] = sum_of(stages, "setup, load, inference, every query once, export")
    return out


class Watch:
    """Notices when the code or data the pipelines run changes between two runs (others may
    be editing the working tree while a long benchmark runs)."""

    FOLDERS = ("src", "queries", "shapes", "ontology", "data")

    def __init__(self) -> None:
        self.last = self.fingerprint()
        self.changes: list[str] = []

    def fingerprint(self) -> dict[str, str]:
        out = {}
        for folder in self.FOLDERS:
            for path in sorted((ROOT / folder).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    out[str(path.relative_to(ROOT))] = hashlib.sha256(path.read_bytes()).hexdigest()
        return out

    def check(self, when: str) -> None:
        now = self.fingerprint()
        changed = sorted(k for k in self.last.keys() | now.keys() if self.last.get(k) != now.get(k))
        if changed:
            self.changes.append(f"{when}: {', '.join(changed)}")
            print(f"  bench_scale: the code changed {when}: {', '.join(changed)}", file=sys.stderr)
        self.last = now


def run_cell(cell: Cell, paths: list[Path], args: argparse.Namespace, answers: bool, work: Path, watch: Watch) -> None:
    listing = work / f"files-{cell.size}.txt"
    listing.write_text("".join(f"{p}\n" for p in paths), encoding="utf-8")
    for i in range(args.runs):
        out = work / f"{cell.pipeline}-{cell.size}-{i}.json"
        found = work / f"{cell.pipeline}-{cell.size}-answers.json"
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", cell.pipeline, "--export", args.export]
        command += ["--files-from", str(listing), "--out", str(out)]
        if args.workers:
            command += ["--workers", str(args.workers)]
        if answers and i == 0:
            command += ["--answers", str(found)]
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, check=False)
        if done.returncode != 0:
            raise SystemExit(
                f"bench_scale: the {cell.pipeline} run on size {cell.size} failed (exit {done.returncode})"
            )
        raw = json.loads(out.read_text(encoding="utf-8"))
        figures = with_totals({k: Figure(**v) for k, v in raw["figures"].items()}, cell.pipeline)
        cell.runs.append(figures)
        cell.checks.append(raw["checks"])
        cell.counts = raw["counts"]
        cell.loads.append(os.getloadavg()[0])
        watch.check(f"during the {cell.pipeline} run {i + 1} on size {cell.size}")
        if answers and i == 0:
            cell.answers = json.loads(found.read_text(encoding="utf-8"))
        took = figures["total"].wall
        print(
            f"  {cell.pipeline:<5} size {cell.size:>5}: run {i + 1}/{args.runs} {took:8.1f} s of stages, "
            f"{time.perf_counter() - started:8.1f} s in all",
            file=sys.stderr,
            flush=True,
        )
        if took > args.slow_run:
            break


# ================================================================== growth

STAGES = ["setup", "parse", "graph", "validate", "load", "inference", "QUERIES", "export", "total"]
TITLES = {
    "setup": ("setup", "both: read the ontology, the vocabularies and each language's lexicon"),
    "parse": (
        "parse (text -> model)",
        "naive: one text after another; fast: the same code, one text at a time in one process (part of load)",
    ),
    "graph": ("graph (model -> RDF)", "naive: into one merged rdflib graph; fast: one rdflib graph per resolution"),
    "validate": (
        "validation",
        "naive: pySHACL on the merged graph with the vocabularies; fast: Python core checks, Oxigraph per resolution",
    ),
    "load": (
        "load, validate and index (end to end)",
        "naive: parse + graph + validate; fast: Corpus.load, worker processes writing to the Oxigraph store",
    ),
    "inference": (
        "inference",
        "naive: owlrl full OWL-RL closure of data + vocabularies; fast: closure of the vocabularies alone, "
        "computed once (cached on disk, in the store)",
    ),
    "export": ("export", "naive: rdflib serialiser; fast: dump of the Oxigraph store"),
    "total": (
        "end to end",
        "setup + load + inference + every named query once + export; fast: no inference at run time (the "
        "closure of the vocabularies, computed once, is read from the disk cache by the load)",
    ),
}


def spread(texts: list[Path], n: int) -> list[Path]:
    """``n`` of ``texts`` (sorted), the middle one of each of ``n`` equal slices: a sample
    whose resolutions are as long as the corpus's, at every size. All of them when ``n`` is
    their number."""
    return [texts[(2 * i + 1) * len(texts) // (2 * n)] for i in range(n)] if n else []


def slope(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(time) against log(resolutions)."""
    pts = [(math.log(x), math.log(t)) for x, t in points if x > 0 and t > 0]
    if len(pts) < 2 or len({x for x, _ in pts}) < 2:
        return None
    mx = statistics.fmean(x for x, _ in pts)
    my = statistics.fmean(y for _, y in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)


def measured(
    cells: dict[tuple[str, int], Cell], pipeline: str, stage: str, low: int = 0, triples: bool = False
) -> list[tuple[int, float]]:
    """(resolutions, median wall) of a stage for the sizes a pipeline ran, from size ``low``
    up; with ``triples``, (triples of the resolutions' graphs, median wall)."""
    out = []
    for (p, size), cell in sorted(cells.items(), key=lambda kv: kv[0][1]):
        fig = cell.figure(stage)
        if p == pipeline and fig is not None and size >= low:
            out.append((cell.counts.get("triples", 0) if triples else cell.files, fig.wall))
    return out


def extrapolate(points: list[tuple[int, float]], files: int) -> tuple[float, float] | None:
    """The time at ``files`` resolutions, growing as between the two largest sizes measured,
    and that exponent."""
    if len(points) < 2:
        return None
    k = slope(points[-2:])
    if k is None:
        return None
    x, t = points[-1]
    return t * (files / x) ** k, k


# ================================================================== comparing the answers


def _diff(a: list[Any], b: list[Any], limit: int = 5, names: tuple[str, str] = ("naive", "fast")) -> str:
    def key(x: Any) -> Any:
        return tuple(key(y) for y in x) if isinstance(x, list) else x

    ca, cb = Counter(key(x) for x in a), Counter(key(x) for x in b)
    only_a, only_b = sorted((ca - cb).elements(), key=str), sorted((cb - ca).elements(), key=str)
    lines = [f"      {len(only_a)} only in {names[0]}, {len(only_b)} only in {names[1]} ({len(a)} vs {len(b)})"]
    width = max(map(len, names)) + 6
    lines += [f"      {names[0] + ' only:':<{width}} {x}" for x in only_a[:limit]]
    lines += [f"      {names[1] + ' only:':<{width}} {x}" for x in only_b[:limit]]
    return "\n".join(lines)


_TYPED = re.compile(r'^(.*"\^\^<)([^>]*)(> \.)$')


def _datatype_changes(a: list[str], b: list[str]) -> Counter[tuple[str, str]] | None:
    """When the exports differ only in the datatypes of literals with the same lexical form:
    how many changed from which datatype to which; otherwise None."""
    only_a, only_b = set(a) - set(b), set(b) - set(a)
    typed_a = {m[1] + m[3]: m[2] for m in map(_TYPED.match, only_a) if m}
    typed_b = {m[1] + m[3]: m[2] for m in map(_TYPED.match, only_b) if m}
    if len(typed_a) != len(only_a) or len(typed_b) != len(only_b) or set(typed_a) != set(typed_b):
        return None
    return Counter((typed_a[k], typed_b[k]) for k in typed_a)


def _short(iri: str) -> str:
    return iri.replace("http://www.w3.org/2001/XMLSchema#", "xsd:")


def compare(size: int, naive: Cell, fast: Cell) -> tuple[list[str], list[str], str]:
    """The answers of the two pipelines at one size: the differences that are errors, notes
    (the merged graph validated otherwise than each resolution, explained), and a summary."""
    errors: list[str] = []
    notes: list[str] = []
    a, b = naive.answers or {}, fast.answers or {}
    names = sorted(set(a.get("queries", {})) | set(b.get("queries", {})))
    for name in names:
        x, y = a.get("queries", {}).get(name), b.get("queries", {}).get(name)
        if x != y:
            errors.append(f"query {name} at size {size}: the rows differ\n{_diff(x or [], y or [])}")
    if a.get("failed") != b.get("failed"):
        errors.append(f"loading at size {size}: different files failed\n{_diff(a.get('failed'), b.get('failed'))}")
    reference, ours = a.get("findings", {}), b.get("findings", {})
    for path in sorted(set(reference) | set(ours)):
        if reference.get(path) != ours.get(path):
            errors.append(
                f"validation of {Path(path).name} at size {size}: findings (focus, path, component, severity) "
                f"differ from pySHACL on the same graph\n"
                + _diff(reference.get(path) or [], ours.get(path) or [], names=("pyshacl", "fast"))
            )
    union = sorted({tuple(f) for fs in ours.values() for f in fs}, key=str)
    merged = sorted({tuple(f) for f in a.get("merged", [])}, key=str)
    if union != merged:
        what = (
            f"validation at size {size}: pySHACL on the merged graph finds other results than on each "
            f"resolution's graph (merging changes what the shapes see)\n"
            + _diff(merged, union, names=("merged", "per resolution"))
        )
        (errors if any(e.startswith("validation of") for e in errors) else notes).append(what)
    x, y = a.get("export") or [], b.get("export") or []
    if x != y:
        changes = _datatype_changes(x, y)
        if changes:
            counts = ", ".join(f"{n} {_short(d1)} -> {_short(d2)}" for (d1, d2), n in changes.most_common())
            errors.append(
                f"export at size {size}: the same triples, but {sum(changes.values())} literals have another "
                f"datatype in the Oxigraph store ({counts}); e.g.\n{_diff(x, y, limit=2)}"
            )
        else:
            errors.append(f"export at size {size}: the triples differ\n{_diff(x, y)}")
    violations = sum(1 for fs in reference.values() for f in fs if f[3] == "Violation")
    conforming = sum(1 for fs in reference.values() if not any(f[3] == "Violation" for f in fs))
    summary = (
        f"size {size}: {len(names)} queries, {len(reference)} resolutions validated "
        f"({conforming} conform, {violations} violations, {len(merged)} findings in the merged graph), "
        f"{len(x)} exported triples: " + ("the same" if not errors else f"{len(errors)} differences")
    )
    return errors, notes, summary


def own_checks(cell: Cell) -> list[str]:
    """The fast pipeline against itself: the store's catalogue against validating in-process."""
    errors = []
    for checks in cell.checks:
        if checks.get("inconsistent"):
            names = ", ".join(Path(p).name for p in checks["inconsistent"][:5])
            errors.append(
                f"fast at size {cell.size}: Corpus.load and validate(engine='fast') disagree on "
                f"{len(checks['inconsistent'])} resolutions: {names}"
            )
        if checks.get("load-failed") != checks.get("split-failed"):
            errors.append(
                f"fast at size {cell.size}: Corpus.load and parse_file fail on different files\n"
                + _diff(
                    checks.get("load-failed") or [],
                    checks.get("split-failed") or [],
                    names=("Corpus.load", "parse_file"),
                )
            )
    return list(dict.fromkeys(errors))  # the same difference in every run is said once


# ================================================================== the report


def seconds(t: float | None, approx: bool = False) -> str:
    if t is None:
        return "-"
    text = f"{t * 1000:.1f} ms" if t < 1 else f"{t:.2f} s"
    return ("~" + text) if approx else text


def table(stage: str, title: str, about: str, cells: dict[tuple[str, int], Cell], sizes: list[int]) -> list[str]:
    lines = [title, f"  {about}"]
    head = f"  {'size':>5} {'files':>5} |"
    for p in PIPELINES:
        head += f" {p:<5} {'runs':>6} {'wall':>11} {'cpu':>11} {'peak MiB':>9} |"
    lines.append(head + " naive/fast")
    naive_points = measured(cells, "naive", stage)
    for size in sizes:
        fast = cells.get(("fast", size))
        files = fast.files if fast else size + 1
        row = f"  {size:>5} {files:>5} |"
        walls: dict[str, tuple[float, bool]] = {}
        for p in PIPELINES:
            cell = cells.get((p, size))
            fig = cell.figure(stage) if cell else None
            if fig is not None and cell is not None:
                walls[p] = (fig.wall, False)
                runs = str(len(cell.runs))
                row += f" {'':<5} {runs:>6} {seconds(fig.wall):>11} {seconds(fig.cpu):>11} {fig.peak:9.0f} |"
                continue
            guess = extrapolate(naive_points, files) if p == "naive" else None
            if guess is not None and naive_points and files > naive_points[-1][0]:
                walls[p] = (guess[0], True)
                row += f" {'':<5} {'extrap':>6} {seconds(guess[0], approx=True):>11} {'-':>11} {'-':>9} |"
            else:
                row += f" {'':<5} {'-':>6} {'-':>11} {'-':>11} {'-':>9} |"
        if "naive" in walls and "fast" in walls and walls["fast"][0] > 0:
            approx = "~" if walls["naive"][1] else ""
            row += f" {approx}{walls['naive'][0] / walls['fast'][0]:.1f}x"
        lines.append(row)
    for unit in ("resolution", "triple"):
        by_triples = unit == "triple"
        growth = []
        for p in PIPELINES:
            every = measured(cells, p, stage, triples=by_triples)
            upper = measured(cells, p, stage, low=10, triples=by_triples)
            parts = [f"{k:.2f} ({pts[0][0]}-{pts[-1][0]})" for pts in (every, upper) if (k := slope(pts)) is not None]
            if len(upper) == len(every):
                parts = parts[:1]
            if parts:
                growth.append(f"{p} " + ", ".join(parts))
        if not by_triples and len(naive_points) >= 2 and any(s + 1 > naive_points[-1][0] for s in sizes):
            last = slope(naive_points[-2:])
            if last is not None:
                growth.append(f"naive extrapolated with {last:.2f} (its two largest sizes)")
        label = "growth exponent per resolution" if not by_triples else "                   per triple"
        lines.append(f"  {label}: " + ("; ".join(growth) if growth else "needs two sizes"))
    return lines


def cold_start(runs: int) -> list[float]:
    """Wall seconds of ``mandate-graph mandates`` (A/RES/80/229) in a new process, each run."""
    exe = Path(sys.executable).parent / "mandate-graph"
    command = [str(exe)] if exe.exists() else [shutil.which("mandate-graph") or "mandate-graph"]
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [*command, "mandates"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
        )
        out.append(time.perf_counter() - started)
    return out


def _fig(cells: dict[tuple[str, int], Cell], pipeline: str, size: int, stage: str) -> Figure | None:
    cell = cells.get((pipeline, size))
    return cell.figure(stage) if cell is not None else None


def targets(
    cells: dict[tuple[str, int], Cell], sizes: list[int], corpus_size: int, errors: list[str], cold: list[float]
) -> list[tuple[str, bool | None, str]]:
    """The speed targets: (target, met or None when not measured, what was measured)."""
    out: list[tuple[str, bool | None, str]] = []
    largest = max(sizes)
    whole = corpus_size > 0 and largest == corpus_size
    what = f"whole corpus ({corpus_size or 1420} + 80/229) loaded, validated and indexed in < {LOAD_TARGET:.0f} s"
    load = _fig(cells, "fast", largest, "load")
    if whole and load is not None:
        runs = len(cells[("fast", largest)].runs)
        out.append((what, load.wall < LOAD_TARGET, f"{load.wall:.1f} s wall, {load.cpu:.1f} s CPU, {runs} run(s)"))
    else:
        out.append((what, None, f"not measured (largest size {largest})"))

    top = cells.get(("fast", largest))
    if top is not None:
        times = {k[6:]: f.wall for k in top.runs[0] if k.startswith("query ") and (f := top.figure(k)) is not None}
        worst = max(times, key=lambda k: times[k])
        out.append(
            (
                f"every named query < {QUERY_TARGET * 1000:.0f} ms median on the loaded store",
                times[worst] < QUERY_TARGET,
                f"{sum(t >= QUERY_TARGET for t in times.values())} of {len(times)} over the target at size "
                f"{largest}; slowest {worst}: {seconds(times[worst])}",
            )
        )

    what = f"end to end >= {SPEEDUP_TARGET:.0f}x faster than naive at 100"
    naive, fast = _fig(cells, "naive", 100, "total"), _fig(cells, "fast", 100, "total")
    closure = _fig(cells, "fast", 100, "inference")
    if naive is not None and fast is not None and closure is not None:
        ratio = naive.wall / fast.wall
        once = naive.wall / (fast.wall + closure.wall)
        how = f"{ratio:.1f}x ({naive.wall:.1f} s vs {fast.wall:.1f} s; {once:.1f}x counting the one-time closure)"
        out.append((what, ratio >= SPEEDUP_TARGET, how))
    else:
        out.append((what, None, "size 100 not measured by both pipelines"))

    compared = [s for s in sizes if ("naive", s) in cells and ("fast", s) in cells]
    found = f"{len(errors)} differences" if errors else "the same"
    out.append(("identical answers", (not errors) if compared else None, f"sizes {compared or 'none'}: {found}"))

    what = f"fast growth exponent <= {EXPONENT_TARGET} from 10 to {corpus_size or 1420} resolutions"
    points = measured(cells, "fast", "total", low=10)
    k = slope(points)
    if k is None:
        out.append((what, None, "needs two sizes from 10 up"))
    else:
        # every stage the fast pipeline runs, not only their sum: a stage that grows faster
        # than the others comes to dominate on a larger corpus
        stages = [n for n in cells[("fast", largest)].runs[0] if n == "load" or n.startswith("query ") or n == "export"]
        steep = {n: e for n in stages if (e := slope(measured(cells, "fast", n, low=10))) and e > EXPONENT_TARGET}
        how = f"end to end {k:.2f} over {points[0][0]}-{points[-1][0]} resolutions; "
        how += ("above it: " + ", ".join(f"{n} {e:.2f}" for n, e in steep.items())) if steep else "every stage below"
        met = (k <= EXPONENT_TARGET and not steep) if whole else None
        out.append((what, met, how if whole else how + " (not up to the whole corpus)"))

    c = statistics.median(cold)
    how = f"{c * 1000:.0f} ms median of {len(cold)}"
    out.append((f"'mandate-graph mandates' cold start < {COLD_TARGET} s", c < COLD_TARGET, how))

    if load is not None:
        how = f"{load.peak:.0f} MiB (process and workers) at size {largest}"
        out.append((f"loading stays under {MEMORY_TARGET / 1024:.0f} GB peak", load.peak < MEMORY_TARGET, how))
    return out


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("mandate-graph", "rdflib", "pyshacl", "owlrl", "pyoxigraph"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "absent"
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1,10,100,1420", help="numbers of corpus texts, comma-separated")
    ap.add_argument("--runs", type=int, default=3, help="runs per pipeline and size (median)")
    ap.add_argument("--slow-run", type=float, default=120.0, metavar="S", help="run once when a run takes > S s")
    ap.add_argument("--naive-max", type=int, default=100, help="largest size the naive pipeline runs")
    ap.add_argument(
        "--naive-budget",
        type=float,
        default=3600.0,
        metavar="S",
        help="skip a naive size whose run is estimated to take more than S s",
    )
    ap.add_argument("--workers", type=int, default=None, help="worker processes of Corpus.load (default: cores)")
    ap.add_argument(
        "--export",
        choices=("turtle", "nt"),
        default="turtle",
        help="turtle: rdflib Turtle vs Oxigraph TriG; nt: N-Triples vs N-Quads",
    )
    ap.add_argument("--cold-runs", type=int, default=5)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--json", type=Path, metavar="OUT", help="write every figure to OUT")
    ap.add_argument("--worker", choices=PIPELINES, help=argparse.SUPPRESS)
    ap.add_argument("--files-from", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--answers", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return worker(args)

    texts = sorted(args.corpus.glob("*.txt")) if args.corpus.is_dir() else []
    if texts:
        try:
            wanted = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
        except ValueError:
            ap.error(f"--sizes takes whole numbers separated by commas, not {args.sizes!r}")
        sizes = sorted({min(max(n, 0), len(texts)) for n in wanted})
    else:
        print(f"bench_scale: {args.corpus} is absent: measuring A/RES/80/229 alone", file=sys.stderr)
        sizes = [0]
    from mandate_graph import queries
    from mandate_graph.infer import vocabulary_closure

    vocabulary_closure()  # the on-disk cache every run reads, made before the first is timed

    cells: dict[tuple[str, int], Cell] = {}
    errors: list[str] = []
    notes: list[str] = []
    summaries: list[str] = []
    watch = Watch()
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        work = Path(tmp)
        for size in sizes:
            paths = [*spread(texts, size), BUNDLED]
            naive = Cell("naive", size, len(paths))
            points = measured(cells, "naive", "total")
            guess = extrapolate(points, len(paths))
            if size > args.naive_max:
                naive.skipped = f"above --naive-max {args.naive_max}"
            elif guess is not None and guess[0] > args.naive_budget:
                naive.skipped = f"estimated {guess[0]:.0f} s per run > --naive-budget {args.naive_budget:.0f}"
            if naive.skipped:
                print(f"  naive size {size:>5}: skipped, {naive.skipped}", file=sys.stderr)
            else:
                run_cell(naive, paths, args, answers=True, work=work, watch=watch)
                cells[("naive", size)] = naive
            fast = Cell("fast", size, len(paths))
            run_cell(fast, paths, args, answers=not naive.skipped, work=work, watch=watch)
            cells[("fast", size)] = fast
            errors += own_checks(fast)
            if not naive.skipped:
                e, n, line = compare(size, naive, fast)
                errors += e
                notes += n
                summaries.append(line)
            for cell in (naive, fast):
                cell.answers = None  # rows and triples are not kept beyond the comparison
        cold = cold_start(args.cold_runs)

    out: list[str] = []
    out.append(
        f"Each size n: n of the {len(texts)} texts in {args.corpus}, spread over them (see spread()) + 80/229; "
        f"{os.cpu_count()} cores; median of --runs {args.runs} (a run longer than {args.slow_run:.0f} s: once)."
    )
    out.append("Wall and CPU time (CPU includes worker processes); peak = resident memory of the process and")
    out.append("its workers during the stage. 'extrap' = not run: extrapolated from the naive pipeline's growth")
    out.append("between its two largest sizes (a lower bound where fixed costs dominate those sizes).")
    loads = [x for c in cells.values() for x in c.loads]
    out.append(
        f"1-minute load average after each run: {min(loads):.1f} to {max(loads):.1f} "
        f"(above {os.cpu_count()}, other processes competed for the cores)."
    )
    if watch.changes:
        out.append("WARNING: the code or data changed while the benchmark ran; figures and answers mix versions:")
        out += [f"  {c}" for c in watch.changes]
    out.append("")
    out.append(f"  {'size':>5} {'files':>5} {'read':>5} {'failed':>6} {'triples':>9} {'store quads':>11}")
    for size in sizes:
        fast_cell = cells[("fast", size)]
        c = fast_cell.counts
        row = f"  {size:>5} {fast_cell.files:>5} {c.get('read', 0):>5} {c.get('failed', 0):>6}"
        out.append(row + f" {c.get('triples', 0):>9} {c.get('quads', 0):>11}")
    out.append("  (triples: of the resolutions' graphs; the store also holds the vocabularies and their closure)")
    query_names = sorted({k[6:] for c in cells.values() for r in c.runs for k in r if k.startswith("query ")})
    for stage in STAGES:
        out.append("")
        if stage == "QUERIES":
            for name in query_names:
                about = "naive: rdflib SPARQL on the OWL-RL closure; fast: Corpus.query (Oxigraph) on the store"
                bound = [f"?{p} = {PARAMETERS[p]}" for p in queries.load(name).parameters]
                if bound:
                    about += "; " + ", ".join(bound)
                out += table(f"query {name}", f"query {name}", about, cells, sizes)
                out.append("")
            out.pop()
            continue
        title, about = TITLES[stage]
        out += table(stage, title, about, cells, sizes)
    out.append("")
    out.append("Answers compared (query rows, validation findings per resolution, failed files, exported triples):")
    out += [f"  {line}" for line in summaries] or ["  nowhere: the naive pipeline ran on no size"]
    out.append("")
    if notes:
        out.append("Notes:")
        out += [f"  - {n}" for n in notes]
        out.append("")
    checks = targets(cells, sizes, len(texts), errors, cold)
    out.append("Targets:")
    for what, met, how in checks:
        verdict = "not measured" if met is None else ("met" if met else "NOT MET")
        out.append(f"  [{verdict:^12}] {what}: {how}")
    print("\n".join(out))
    if errors:
        banner = "!" * 78
        print(f"\n{banner}\nTHE TWO PIPELINES GIVE DIFFERENT ANSWERS\n{banner}", file=sys.stderr)
        for e in errors:
            print(f"  - {e}", file=sys.stderr)
    if args.json:
        raw = {
            "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "machine": {"cores": os.cpu_count(), "platform": platform.platform(), "load": os.getloadavg()},
            "versions": versions(),
            "arguments": {
                k: str(v) for k, v in vars(args).items() if not k.startswith(("worker", "files", "out", "ans"))
            },
            "sizes": sizes,
            "cells": [
                {
                    "pipeline": c.pipeline,
                    "size": c.size,
                    "files": c.files,
                    "runs": [{k: vars(f) for k, f in r.items()} for r in c.runs],
                }
                for c in cells.values()
            ],
            "cold_start": cold,
            "load_averages": {f"{c.pipeline} {c.size}": c.loads for c in cells.values()},
            "code_changes": watch.changes,
            "targets": [{"target": w, "met": m, "measured": h} for w, m, h in checks],
            "differences": errors,
            "notes": notes,
        }
        args.json.write_text(json.dumps(raw, indent=1, ensure_ascii=False), encoding="utf-8")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
