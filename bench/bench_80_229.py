"""Wall time and peak memory of each stage on A/RES/80/229.

    .venv/bin/python bench/bench_80_229.py [--runs 5]

Prints one row per stage: median wall and CPU time over the runs, the peak of Python
memory allocated during the stage (tracemalloc, in a separate run), and at the end the
process's peak RSS and the cold start of the command line.
Not a test: targets live here, not in the test suite.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from mandate_graph import queries
from mandate_graph.graph import to_graph
from mandate_graph.infer import compute_closure, with_inference
from mandate_graph.parse import parse_file
from mandate_graph.resources import bundled_resolution
from mandate_graph.store import serialize
from mandate_graph.validate import validate
from mandate_graph.vocab import vocabulary_graph


def measure(fn: Callable[[], Any], runs: int) -> tuple[float, float, float, Any]:
    """Median wall and CPU time over ``runs`` untraced runs, then the peak of Python
    allocations in one more run under tracemalloc (which slows code down several times,
    so it is never timed)."""
    walls, cpus = [], []
    result = None
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(walls), statistics.median(cpus), peak / 2**20, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    path = bundled_resolution()
    rows: list[tuple[str, float, float, float, str]] = []

    wall, cpu, peak, res = measure(lambda: parse_file(path), args.runs)
    rows.append(("parse (text -> model)", wall, cpu, peak, f"{len(res.mandates)} mandates"))
    wall, cpu, peak, g = measure(lambda: to_graph(res), args.runs)
    rows.append(("graph (model -> RDF)", wall, cpu, peak, f"{len(g)} triples"))
    wall, cpu, peak, report = measure(lambda: validate(g), args.runs)
    rows.append(("validate (pyshacl)", wall, cpu, peak, f"conforms={report.conforms}"))
    wall, cpu, peak, closure = measure(compute_closure, max(1, args.runs // 2))
    rows.append(("infer: OWL-RL closure of vocabularies", wall, cpu, peak, f"{len(closure)} triples"))
    data = vocabulary_graph() + g
    inferred = with_inference(data)
    for name in queries.names():
        q = queries.load(name)
        bindings = {"number": queries.coerce("78")} if "number" in q.parameters else {}
        graph = inferred if name == "secretariat-mandates" else data
        wall, cpu, peak, result = measure(lambda q=q, b=bindings, gr=graph: list(queries.run(q, gr, b)), args.runs)
        rows.append((f"query {name}", wall, cpu, peak, f"{len(result)} rows"))
    wall, cpu, peak, text = measure(lambda: serialize(g, "turtle"), args.runs)
    rows.append(("export turtle", wall, cpu, peak, f"{len(text) / 1024:.0f} KiB"))

    width = max(len(r[0]) for r in rows)
    print(f"A/RES/80/229, median of {args.runs} runs")
    print(f"{'stage':<{width}}  {'wall ms':>9}  {'cpu ms':>9}  {'peak MiB':>9}  result")
    for name, wall, cpu, peak, note in rows:
        print(f"{name:<{width}}  {wall * 1000:9.1f}  {cpu * 1000:9.1f}  {peak:9.1f}  {note}")
    total = sum(r[1] for r in rows)
    print(f"{'total':<{width}}  {total * 1000:9.1f}")
    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    colds = []
    for _ in range(args.runs):
        w0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mandate_graph", "mandates"], check=True, capture_output=True)
        colds.append(time.perf_counter() - w0)
    print(f"cold start of 'mandate-graph mandates' (new process): {statistics.median(colds) * 1000:.0f} ms median")


if __name__ == "__main__":
    main()
