"""Publish throughput and named-query latencies on real SPARQL stores.

    .venv/bin/python bench/bench_stores.py [CORPUS] [--limit N] [--runs 5] [--stores oxigraph,virtuoso]

Reads the corpus (by default ../shared/corpus/en, every resolution; ``--limit N`` takes the
first N files) and the bundled 80/229 once into N-Triples, one body per named graph as
``publish`` sends them; then, for each store, starts it on 127.0.0.1 with a new database
(as the tests do, see tests/servers.py), PUTs every graph (Graph Store Protocol), asks the
store for each graph's triple count and compares it with the count sent, and runs every
named query ``--runs`` times after one warm-up run. Prints, per store, the publish
throughput (triples per second of PUT wall time), the time of the count check, and for each
query the median latency, the rows and the requests it took (Virtuoso caps a page at
10,000 rows). Not a test: figures are measured here, not asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from mandate_graph import queries
from mandate_graph.endpoint import Endpoint
from mandate_graph.errors import StoreError
from mandate_graph.publish import GraphStore, count, items, ontology_item, unsendable
from mandate_graph.resources import bundled_resolution
from mandate_graph.store import expand_inputs, group_by_resolution

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # one copy of the code that starts the stores

import servers  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "corpus" / "en"
PARAMETERS = {"number": Literal(3)}  # paragraph 3 exists in almost every resolution


def prepare(corpus: Path | None, limit: int | None, folder: Path) -> list[tuple[URIRef, Path, int]]:
    """Every graph ``publish`` would send, as an N-Triples file: (name, file, triples)."""
    paths = sorted(corpus.glob("*.txt")) if corpus else []
    if limit is not None:
        paths = paths[:limit]
    groups = group_by_resolution(expand_inputs([str(p) for p in paths] + [str(bundled_resolution())]))
    out: list[tuple[URIRef, Path, int]] = []
    skipped = 0

    def keep(name: URIRef | None, g: Graph | None) -> None:
        nonlocal skipped
        if name is None or g is None or unsendable(g):
            skipped += 1
            return
        path = folder / f"{len(out):05d}.nt"
        path.write_bytes(g.serialize(format="nt", encoding="utf-8"))
        out.append((name, path, len(g)))

    item = ontology_item()
    keep(item.name, item.graph)
    for i, group in enumerate(groups, 1):
        for item in items(group):
            keep(item.name, item.graph)
        if i % 100 == 0:
            print(f"  read {i}/{len(groups)} inputs", file=sys.stderr)
    print(f"  {len(out)} graphs, {sum(n for *_, n in out)} triples; {skipped} inputs skipped", file=sys.stderr)
    return out


def bench_store(kind: str, graphs: list[tuple[URIRef, Path, int]], runs: int, folder: Path) -> list[str]:
    start = servers.start_oxigraph if kind == "oxigraph" else servers.start_virtuoso
    server = start(folder / "db" if kind == "oxigraph" else folder)
    lines: list[str] = []
    try:
        os.environ.update(server.credentials())
        store, endpoint = GraphStore(server.graph_store), Endpoint(server.query, timeout=600)
        triples = sum(n for *_, n in graphs)
        t0 = time.perf_counter()
        for name, path, _ in graphs:
            store.put(name, path.read_bytes())
        put = time.perf_counter() - t0
        t0 = time.perf_counter()
        differ = [str(name) for name, _, n in graphs if count(endpoint, name) != n]
        counted = time.perf_counter() - t0
        lines.append(
            f"{kind}: published {len(graphs)} graphs, {triples} triples in {put:.1f} s of PUTs: "
            f"{triples / put:,.0f} triples/s; counts checked in {counted:.1f} s, "
            f"{len(differ)} differ{': ' + ', '.join(differ[:3]) if differ else ''}"
        )
        lines.append(f"  {'query':<24} {'median ms':>10} {'min ms':>9} {'rows':>7} {'requests':>9}")
        for name in queries.names():
            q = queries.load(name)
            bindings = {p: PARAMETERS[p] for p in q.parameters}
            times, answer = [], None
            try:
                endpoint.run(q, bindings)  # warm-up
                for _ in range(runs):
                    t0 = time.perf_counter()
                    answer = endpoint.run(q, bindings)
                    times.append(time.perf_counter() - t0)
            except StoreError as e:
                lines.append(f"  {name:<24} failed: {' '.join(str(e).split())[:300]}")
                continue
            assert answer is not None
            lines.append(
                f"  {name:<24} {statistics.median(times) * 1000:10.0f} {min(times) * 1000:9.0f} "
                f"{len(answer.rows):7d} {answer.requests:9d}"
            )
            print(f"  {kind} {name}: {statistics.median(times) * 1000:.0f} ms", file=sys.stderr)
    finally:
        for k in server.credentials():
            os.environ.pop(k, None)
        server.stop()
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT, help="folder of resolution texts")
    ap.add_argument("--limit", type=int, help="only the first N files of the corpus")
    ap.add_argument("--runs", type=int, default=5, help="timed runs of each query (after one warm-up)")
    ap.add_argument("--stores", default="oxigraph,virtuoso", help="comma-separated: oxigraph, virtuoso")
    args = ap.parse_args()
    corpus = args.corpus if args.corpus.is_dir() else None
    if corpus is None:
        print(f"bench_stores: {args.corpus} is not there; measuring 80/229 alone", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="bench-stores-") as tmp:
        folder = Path(tmp)
        (folder / "graphs").mkdir()
        t0 = time.perf_counter()
        graphs = prepare(corpus, args.limit, folder / "graphs")
        read = time.perf_counter() - t0
        report = [f"read and serialised {len(graphs)} graphs in {read:.1f} s (the part of publish before the PUTs)"]
        print(report[0], flush=True)
        for kind in args.stores.split(","):
            try:
                print("\n".join(bench_store(kind, graphs, args.runs, folder / kind)), flush=True)
            except servers.Unavailable as e:
                print(f"{kind}: not measured: {e}", flush=True)


if __name__ == "__main__":
    main()
