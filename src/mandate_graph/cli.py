"""The ``mandate-graph`` command: a thin layer over the library.

Results go to stdout, diagnostics to stderr. Exit codes: 0 ok, 1 the data does not
conform to the shapes, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from mandate_graph import __version__
from mandate_graph.errors import InputError
from mandate_graph.graph import new_graph
from mandate_graph.iris import BASE_ENV, base_iri
from mandate_graph.records import mandate_records
from mandate_graph.resources import bundled_resolution
from mandate_graph.status import VALUES as STATUS_VALUES
from mandate_graph.vocab import languages, vocabulary_graph

if TYPE_CHECKING:
    from mandate_graph.queries import NamedQuery
    from mandate_graph.validate import Checked

EXIT_OK, EXIT_NONCONFORMING, EXIT_INPUT = 0, 1, 2
STATUS_ENV, STATUS_DEFAULT = "MANDATE_GRAPH_STATUS", "mandate-status.ttl"

# One closed list of output formats, shared by every subcommand.
FORMATS = ("table", "csv", "json", "turtle", "json-ld", "nt", "trig", "nquads", "ics", "html")
TABULAR = ("table", "csv", "json")
RDF_OUT = ("turtle", "json-ld", "nt")
DATASET_OUT = ("trig", "nquads")


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="mandate-graph",
        description="United Nations resolutions as a knowledge graph of mandates.",
    )
    p.add_argument("--version", action="version", version=f"mandate-graph {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(sp: argparse.ArgumentParser, default_format: str) -> None:
        sp.add_argument("--format", choices=FORMATS, default=default_format, help="output format")
        sp.add_argument("--lang", choices=languages(), help="language of text input (default: detected)")
        sp.add_argument("--base", help=f"base IRI for minted IRIs (default: ${BASE_ENV} or the project's)")

    sp = sub.add_parser("mandates", help="list the mandates of a resolution (default: the bundled A/RES/80/229)")
    sp.add_argument("file", nargs="?", help="resolution text or RDF file")
    sp.add_argument("--addressee", metavar="CODE", help="only mandates addressed to this actor code")
    common(sp, "table")

    sp = sub.add_parser(
        "load",
        help="read resolution texts (files or folders) and write their graph; "
        "trig/nquads keep one named graph per resolution",
    )
    sp.add_argument("files", nargs="+", metavar="FILE|DIR")
    sp.add_argument("-o", "--output", help="output file")
    sp.add_argument(
        "--store",
        metavar="DIR",
        help="load into a corpus kept in DIR (created if new): validated, one named graph per resolution, "
        "queried with 'query --store DIR'; unchanged files are skipped, a changed one replaces its graph",
    )
    sp.add_argument(
        "--workers", type=_positive_int, metavar="N", help="with --store: processes reading texts (default: cores)"
    )
    sp.add_argument("--force", action="store_true", help="with --store: reload files even if unchanged")
    common(sp, "turtle")

    sp = sub.add_parser("summary", help="one row per resolution: symbol, language, paragraphs, mandates, warnings")
    sp.add_argument("files", nargs="+", metavar="FILE|DIR")
    common(sp, "table")

    sp = sub.add_parser(
        "validate",
        help="check resolution texts or RDF files (files or folders) against the shapes; "
        "trig/nquads are checked one named graph (resolution) at a time",
    )
    sp.add_argument("files", nargs="+", metavar="FILE|DIR")
    sp.add_argument(
        "--engine",
        choices=("fast", "pyshacl"),
        default="fast",
        help="SHACL engine: fast (the default) or pyshacl (the reference); the same findings",
    )
    common(sp, "table")

    sp = sub.add_parser("query", help="run a named query (or a .rq file)")
    sp.add_argument("name", nargs="?", help="query name (see --list) or path to a .rq file")
    sp.add_argument("--list", action="store_true", help="list the named queries and the questions they answer")
    sp.add_argument(
        "--data", action="append", metavar="FILE", help="input text or RDF (repeatable; default: bundled 80/229)"
    )
    sp.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="bind a query parameter")
    sp.add_argument(
        "--infer", action="store_true", help="add what the ontology and vocabularies entail (actor hierarchy …)"
    )
    sp.add_argument(
        "--endpoint",
        metavar="URL",
        help="run the query against this SPARQL endpoint (a store `publish` has filled) instead of local files",
    )
    sp.add_argument("--store", metavar="DIR", help="run the query on a corpus 'load --store DIR' has filled")
    _remote_options(sp)
    sp.add_argument(
        "--page-size",
        type=_positive_int,
        default=10_000,
        metavar="ROWS",
        help="with --endpoint: rows asked for per request (default 10000; fewer when the store caps them)",
    )
    common(sp, "table")

    sp = sub.add_parser(
        "export",
        help="write the ontology, vocabularies and resolutions as one dataset, with a VoID/DCAT description; "
        "trig/nquads keep one named graph per resolution; html documents the ontology and vocabularies for people",
    )
    sp.add_argument(
        "files", nargs="*", metavar="FILE|DIR", help="resolution texts or RDF files (default: bundled 80/229)"
    )
    sp.add_argument("-o", "--output", required=True, help="output file")
    sp.add_argument("--void", metavar="FILE", help="where the VoID/DCAT description goes (default: OUTPUT.void.ttl)")
    sp.add_argument(
        "--sparql-endpoint", metavar="URL", help="the SPARQL endpoint serving the data, for the description"
    )
    common(sp, "turtle")

    sp = sub.add_parser(
        "publish",
        help="replace one named graph per resolution in a SPARQL store (Graph Store Protocol), with the ontology "
        "and vocabularies, and compare triple counts",
    )
    sp.add_argument("files", nargs="+", metavar="FILE|DIR", help="resolution texts, RDF files, TriG/N-Quads datasets")
    sp.add_argument(
        "--graph-store",
        required=True,
        metavar="URL",
        help="the store's Graph Store endpoint (Oxigraph: http://HOST:7878/store, "
        "Virtuoso: http://HOST:8890/sparql-graph-crud-auth)",
    )
    sp.add_argument(
        "--endpoint",
        metavar="URL",
        help="the store's SPARQL query endpoint, for the triple counts (default: derived for Oxigraph, Virtuoso, "
        "Fuseki, GraphDB)",
    )
    _remote_options(sp)
    sp.add_argument(
        "--retries",
        type=_count_arg,
        default=3,
        metavar="N",
        help="retries of a request that failed on the way (reset, timeout, 502/503/504), with back-off (default 3)",
    )
    common(sp, "table")

    sp = sub.add_parser("due", help="mandates by deadline, past, current or upcoming as of a day (ics: a calendar)")
    sp.add_argument(
        "files", nargs="*", metavar="FILE|DIR", help="resolution texts or RDF files (default: bundled 80/229)"
    )
    sp.add_argument("--as-of", type=_date, metavar="DATE", help="the day states are relative to (default: today)")
    sp.add_argument("--since", type=_date, metavar="DATE", help="only deadlines in sessions that end on or after DATE")
    sp.add_argument(
        "--until", type=_date, metavar="DATE", help="only deadlines in sessions that open on or before DATE"
    )
    sp.add_argument("--addressee", metavar="CODE", help="only mandates of this actor or of an actor within it")
    sp.add_argument("--open-ended", action="store_true", help="also list the mandates that have no deadline")
    sp.add_argument("-o", "--output", help="write to this file instead of stdout")
    common(sp, "table")

    sp = sub.add_parser(
        "diff", help="compare the mandates of two resolutions of a series: recurring, changed, new, dropped"
    )
    sp.add_argument("old", help="the older resolution: a text or RDF file, or a symbol looked up in --data")
    sp.add_argument("new", help="the newer resolution: a text or RDF file, or a symbol looked up in --data")
    sp.add_argument(
        "--data", action="append", default=[], metavar="FILE|DIR", help="where symbols are looked up (default: bundled)"
    )
    sp.add_argument("-o", "--output", help="write to this file instead of stdout")
    common(sp, "table")

    sp = sub.add_parser(
        "status", help="state or show the implementation status of mandates (kept in a file of its own)"
    )
    actions = sp.add_subparsers(dest="action", required=True, parser_class=_Parser)
    st = actions.add_parser("set", help="state the status of one mandate")
    st.add_argument("mandate", help="the mandate's IRI, or its path such as A/RES/78/229/para/92/mandate/1")
    st.add_argument("status", choices=STATUS_VALUES)
    st.add_argument("--by", required=True, help="who states it: an office, a delegation, a person")
    st.add_argument("--on", type=_date, help="the day it is stated (default: today)")
    st.add_argument("--evidence", action="append", default=[], metavar="SYMBOL", help="a document it rests on")
    st.add_argument("--note", help="a short explanation, in English")
    st.add_argument("--file", default=None, help=f"the status file (default: ${STATUS_ENV} or {STATUS_DEFAULT})")
    common(st, "table")
    sh = actions.add_parser("show", help="list status statements, with the mandates they are about")
    sh.add_argument("--file", default=None, help=f"the status file (default: ${STATUS_ENV} or {STATUS_DEFAULT})")
    sh.add_argument("--data", action="append", default=[], metavar="FILE|DIR", help="texts or RDF of the mandates")
    sh.add_argument("--history", action="store_true", help="every statement, not only the latest per mandate")
    common(sh, "table")
    return p


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; write it as YYYY-MM-DD") from None


def _remote_options(sp: argparse.ArgumentParser) -> None:
    """Options of the commands that talk to a SPARQL store. Credentials are never options:
    MANDATE_GRAPH_USER and MANDATE_GRAPH_PASSWORD, or ~/.netrc."""
    sp.add_argument(
        "--timeout", type=_seconds, default=60.0, metavar="SECONDS", help="wait this long for each answer (default 60)"
    )
    sp.add_argument(
        "--auth",
        choices=("auto", "basic", "digest"),
        default="auto",
        help="how to send the credentials of MANDATE_GRAPH_USER/MANDATE_GRAPH_PASSWORD or ~/.netrc "
        "(default: as the store asks)",
    )


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds above 0")
    return seconds


def _positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number above 0")
    return int(value)


def _count_arg(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number")
    return int(value)


def main(
    argv: Sequence[str] | None = None, stdout: io.TextIOBase | None = None, stderr: io.TextIOBase | None = None
) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except UsageError as e:
        print(str(e), file=err)
        return EXIT_INPUT
    except SystemExit as e:  # --help / --version
        return int(e.code or 0)
    try:
        return _COMMANDS[args.command](args, out, err)
    except (InputError, UsageError) as e:
        print(f"mandate-graph: {e}", file=err)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("mandate-graph: interrupted", file=err)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def run() -> None:
    sys.exit(main())


# ----------------------------------------------------------------------------- helpers


def _formats(args: argparse.Namespace, allowed: Sequence[str]) -> str:
    if args.format not in allowed:
        raise UsageError(f"--format {args.format} does not apply to '{args.command}'; use one of: {', '.join(allowed)}")
    return args.format


def _load(path: str, args: argparse.Namespace, err: io.TextIOBase) -> Graph:
    from mandate_graph.store import load

    g, res = load(path, language=args.lang, base=args.base)
    if res is not None:
        for w in res.warnings + [w for p in res.paragraphs for w in p.warnings]:
            print(f"{res.source}: warning: {w}", file=err)
    return g


def _cell(node: Node | None) -> Any:
    if node is None:
        return None
    if isinstance(node, Literal):
        value = node.toPython()
        return value if isinstance(value, (int, float, bool)) else str(node)
    return str(node)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _clip(s: str, width: int) -> str:
    if _width(s) <= width:
        return s
    out, w = "", 0
    for ch in s:
        cw = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if w + cw > width - 1:
            break
        out += ch
        w += cw
    return out + "…"


def print_table(columns: list[str], rows: list[list[Any]], fmt: str, out: io.TextIOBase, clip: int = 60) -> None:
    def text(v: Any) -> str:
        if v is None:
            return ""
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, list):
            return ", ".join(text(x) for x in v)
        if isinstance(v, dict):
            return json.dumps(v, ensure_ascii=False)
        return str(v)

    if fmt == "json":
        json.dump([dict(zip(columns, r, strict=True)) for r in rows], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "csv":
        w = csv.writer(out, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([text(v) for v in r])
    else:
        cells = [[_clip(text(v).replace("\n", " "), clip) for v in r] for r in rows]
        widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]

        def line(values: list[str]) -> str:
            return "  ".join(v + " " * (widths[i] - _width(v)) for i, v in enumerate(values)).rstrip()

        out.write(line(columns) + "\n")
        out.write(line(["-" * w for w in widths]) + "\n")
        for r in cells:
            out.write(line(r) + "\n")


# ----------------------------------------------------------------------------- commands


def cmd_mandates(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    fmt = _formats(args, TABULAR)
    path = args.file or str(bundled_resolution())
    g = _load(path, args, err)
    records = mandate_records(g, vocabulary_graph())
    if args.addressee:
        from mandate_graph.vocab import lexicon

        known = {e.code for lang in languages() for e in lexicon(lang).actors.entries}
        if args.addressee not in known:
            raise UsageError(f"unknown actor code {args.addressee!r}; known: {', '.join(sorted(known))}")
        records = [r for r in records if args.addressee in r["addressees"]]
    if fmt == "json":
        json.dump(records, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    columns = ["paragraph", "clause", "verb", "addressees", "deadlines", "conditions", "report", "text"]
    rows = []
    for r in records:
        verb = r["verb"] + (f" ({r['modifier']})" if r["modifier"] else "")
        deadlines = (
            [f"{d['session']}th session ({d['start']}–{d['end']})" for d in r["deadlines"]]
            if fmt == "csv"
            else [str(d["session"]) for d in r["deadlines"]]
        )
        rows.append(
            [r["paragraph"], r["clause"], verb, r["addressees"], deadlines, r["conditions"], r["report"], r["text"]]
        )
    if fmt == "table":
        resolution = records[0]["resolution"] if records else ""
        print(f"{resolution}: {len(records)} mandates", file=err)
    print_table(columns, rows, fmt, out, clip=40)
    return EXIT_OK


def cmd_load(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    from mandate_graph.diff import SeriesIndex
    from mandate_graph.store import Progress, expand_inputs, group_by_resolution, load_group, write_dataset, write_graph

    if args.store:
        if args.output:
            raise UsageError("load: give -o FILE or --store DIR, not both")
        return _load_store(args, err)
    if not args.output:
        raise UsageError("load: give -o FILE (a graph file) or --store DIR (a corpus to query)")
    fmt = _formats(args, RDF_OUT + DATASET_OUT)
    paths = expand_inputs(args.files)
    progress = Progress(len(paths), err)
    series = SeriesIndex()

    def outcomes():  # type: ignore[no-untyped-def]
        for group in group_by_resolution(paths):
            for outcome in load_group(group, language=args.lang, base=args.base):
                progress.step(Path(outcome.file).name)
                if outcome.error:
                    progress.close()
                    print(f"mandate-graph: {outcome.file}: {outcome.error}; skipped", file=err)
                for note in outcome.notes:
                    print(f"mandate-graph: {outcome.file}: warning: {note}", file=err)
                if outcome.graph is not None:
                    series.add(outcome.graph)
                yield outcome

    def series_graph() -> tuple[URIRef, Graph]:
        # consecutive resolutions of one series, known only once all are read
        return URIRef(base_iri(args.base) + "series"), series.graph(args.base)

    if fmt in DATASET_OUT:
        results = write_dataset(outcomes(), args.output, fmt, last=series_graph)
        triples = None
    else:
        merged = new_graph()
        results = []
        for outcome in outcomes():
            if outcome.graph is not None:
                for t in outcome.graph:
                    merged.add(t)
                outcome.graph = None
            results.append(outcome)
        for t in series_graph()[1]:
            merged.add(t)
        if len(paths) == 1 and results[0].error:
            progress.close()
            return EXIT_INPUT  # nothing to write: the previous output stays as it was
        write_graph(merged, args.output, fmt)
        triples = len(merged)
    progress.close()
    failures = [r for r in results if r.error]
    if len(paths) > 1 or failures:
        rows = [
            [
                len(results),
                sum(r.preambular + r.operative for r in results),
                sum(r.mandates for r in results),
                sum(r.warnings for r in results),
                len(failures),
            ]
        ]
        print_table(["files", "paragraphs", "mandates", "warnings", "failures"], rows, "table", err)
    what = f"{triples} triples" if triples is not None else f"{len(results) - len(failures)} resolutions"
    print(f"wrote {what} to {args.output}", file=err)
    return EXIT_INPUT if failures else EXIT_OK


def _load_store(args: argparse.Namespace, err: io.TextIOBase) -> int:
    from mandate_graph.corpus import Corpus, Entry
    from mandate_graph.store import Progress, expand_inputs

    paths = expand_inputs(args.files)
    corpus = Corpus(args.store)
    progress = Progress(len(paths), err)

    def seen(entry: Entry) -> None:
        progress.step(Path(entry.file).name)
        if entry.error:
            progress.close()
            kept = "; what was loaded from it before stays" if entry.graph else ""
            print(f"mandate-graph: {entry.file}: {entry.error}; skipped{kept}", file=err)
        for note in entry.notes:
            print(f"mandate-graph: {entry.file}: warning: {note}", file=err)
        if entry.conforms is False and not entry.skipped:
            progress.close()
            print(
                f"mandate-graph: {entry.file}: {_count(entry.violations, 'shape violation')}; "
                f"'mandate-graph validate {entry.file}' lists them",
                file=err,
            )

    with corpus:
        entries = corpus.load(
            paths, language=args.lang, base=args.base, workers=args.workers, force=args.force, on_entry=seen
        )
    progress.close()
    failures = [e for e in entries if e.error]
    loaded = [e for e in entries if not e.error and not e.skipped]
    columns = ["files", "loaded", "unchanged", "mandates", "warnings", "not conforming", "failures"]
    rows = [
        [
            len(entries),
            len(loaded),
            sum(e.skipped for e in entries),
            sum(e.mandates for e in loaded),
            sum(e.warnings for e in loaded),
            sum(e.conforms is False for e in loaded),
            len(failures),
        ]
    ]
    print_table(columns, rows, "table", err)
    held = [e for e in corpus.catalog.values() if e.graph and not e.error]
    # counted from the catalogue: counting the store's quads takes a second or more
    triples = sum(e.triples for e in held)
    print(f"corpus {args.store}: {len(held)} resolutions, {triples} triples in their graphs", file=err)
    return EXIT_INPUT if failures else EXIT_OK


def cmd_summary(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    from mandate_graph.store import Progress, expand_inputs, group_by_resolution, load_group

    fmt = _formats(args, TABULAR)
    paths = expand_inputs(args.files)
    progress = Progress(len(paths), err)
    rows = []
    for group in group_by_resolution(paths):
        for outcome in load_group(group, language=args.lang, base=args.base, keep_graph=False):
            rows.append(outcome.row())
            progress.step(Path(outcome.file).name)
    progress.close()
    columns = ["file", "resolution", "language", "preambular", "operative", "mandates", "warnings", "error"]
    if fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        print_table(columns, [[r[c] for c in columns] for r in rows], fmt, out, clip=80)
    return EXIT_INPUT if any(r["error"] for r in rows) else EXIT_OK


def cmd_validate(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    from mandate_graph.store import Progress, expand_inputs
    from mandate_graph.validate import validate_file

    fmt = _formats(args, TABULAR)
    paths: list[Path] = []
    unreadable = 0
    for item in args.files:  # an empty folder is one bad input, not the end of the run
        try:
            paths.extend(expand_inputs([item]))
        except InputError as e:
            print(_input_error(item, e), file=err)
            unreadable += 1
    progress = Progress(len(paths), err)
    results: list[Checked] = []
    for path in paths:
        progress.step(path.name)
        try:
            checked = validate_file(path, language=args.lang, base=args.base, engine=args.engine)
        except InputError as e:
            progress.close()
            print(_input_error(str(path), e), file=err)
            unreadable += 1
            continue
        for c in checked:
            for note in c.notes:
                progress.close()
                print(f"{c.file}: warning: {note}", file=err)
        results.extend(checked)
    progress.close()
    _print_validation(results, fmt, out)
    if unreadable:
        return EXIT_INPUT
    return EXIT_OK if all(c.report.conforms for c in results) else EXIT_NONCONFORMING


def _input_error(path: str, e: InputError) -> str:
    """One line for an input that cannot be read: the file as given, the line, what to do."""
    where = f"{path}:{e.line}" if e.line is not None else path
    return f"mandate-graph: {where}: {e.message}"


def _print_validation(results: list[Checked], fmt: str, out: io.TextIOBase) -> None:
    if fmt == "json":
        json.dump([c.row() for c in results], out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    if fmt == "csv":
        # one row per finding; a resolution without findings still gets its row
        finding = ["severity", "paragraph", "message", "focus", "path", "value", "text"]
        rows = []
        for c in results:
            head = [c.file, c.resolution, c.report.conforms]
            rows.extend([head + [f.row()[k] for k in finding] for f in c.report.findings] or [head + [None] * 7])
        print_table(["file", "resolution", "conforms", *finding], rows, fmt, out)
        return
    for c in results:
        verdict = "conforms" if c.report.conforms else "does not conform"
        counts = f"{_count(len(c.report.violations), 'violation')}, {_count(len(c.report.warnings), 'warning')}"
        out.write(f"{c.label}: {verdict} ({counts})\n")
        for f in c.report.findings:
            out.write(f"  {f.line()}\n")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def cmd_query(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    from mandate_graph import queries

    fmt = _formats(args, TABULAR)
    if args.list:
        listing = [[n, queries.load(n).description] for n in queries.names()]
        print_table(["query", "question"], listing, fmt, out, clip=100)
        return EXIT_OK
    if not args.name:
        raise UsageError("query: give a query name or a .rq file (--list shows the names)")
    q = queries.load(args.name)
    bindings = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"--param takes NAME=VALUE, not {item!r}")
        bindings[name.lstrip("?")] = queries.coerce(value)
    try:
        return _run_query(args, q, bindings, fmt, out, err)
    except InputError as e:
        if e.source is None:  # about the query itself (a parameter it has no variable for …)
            e.source = str(q.path)
        raise


def _run_query(
    args: argparse.Namespace,
    q: NamedQuery,
    bindings: dict[str, Node],
    fmt: str,
    out: io.TextIOBase,
    err: io.TextIOBase,
) -> int:
    from mandate_graph import queries
    from mandate_graph.infer import with_inference

    if args.endpoint:
        return _query_endpoint(args, q, bindings, fmt, out, err)
    if args.store:
        from mandate_graph.corpus import Corpus

        if args.data:
            raise UsageError("query: give --data FILE or --store DIR, not both")
        with Corpus(args.store, read_only=True) as corpus:
            try:
                columns, rows = corpus.query(q.text, infer=args.infer, bindings=bindings)
            except SyntaxError as e:
                raise queries.syntax_error(q, e) from None
        print_table(columns, [[_cell(v) for v in r] for r in rows], fmt, out)
        return EXIT_OK
    data = new_graph()
    for path in args.data or [str(bundled_resolution())]:
        for t in _load(path, args, err):
            data.add(t)
    for t in vocabulary_graph():
        data.add(t)
    graph = with_inference(data) if args.infer else data
    try:
        columns, rows = queries.run_fast(q, graph, bindings)
    except SyntaxError as e:
        raise queries.syntax_error(q, e) from None
    print_table(columns, [[_cell(v) for v in r] for r in rows], fmt, out)
    return EXIT_OK


def cmd_export(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    from mandate_graph import export

    fmt = _formats(args, export.FORMATS)
    if fmt in export.DOCUMENTATION_FORMATS:
        return _export_documentation(args, fmt, err)
    data = export.collect(
        args.files or [str(bundled_resolution())],
        language=args.lang,
        base=args.base,
        warn=lambda message: print(f"mandate-graph: {message}", file=err),
    )
    if data.failures and not data.resolutions:
        return EXIT_INPUT  # nothing read: the previous output stays as it was
    void = export.write(data, args.output, fmt, void=args.void, sparql_endpoint=args.sparql_endpoint, base=args.base)
    print(f"wrote {len(data.union())} triples to {args.output}, its description to {void}", file=err)
    if data.failures:
        print(f"mandate-graph: {_count(len(data.failures), 'file')} skipped (see above)", file=err)
        return EXIT_INPUT
    return EXIT_OK


def _export_documentation(args: argparse.Namespace, fmt: str, err: io.TextIOBase) -> int:
    """The ontology and vocabularies as a page for people; resolutions play no part in it."""
    from mandate_graph import export

    given = {"FILE|DIR": args.files, "--void": args.void, "--sparql-endpoint": args.sparql_endpoint}
    for option, value in given.items():
        if value:
            raise UsageError(f"export --format {fmt} documents the ontology and vocabularies and takes no {option}")
    found = export.write_html(args.output)
    terms = sum(len(members) for members in found.terms.values())
    print(
        f"wrote {terms} classes and properties and {len(found.schemes)} vocabularies "
        f"({len(found.concepts)} concepts) to {args.output}",
        file=err,
    )
    return EXIT_OK


def _query_endpoint(
    args: argparse.Namespace, q: Any, bindings: dict[str, Node], fmt: str, out: io.TextIOBase, err: io.TextIOBase
) -> int:
    """A named query against a SPARQL endpoint. The store holds the ontology and vocabularies
    with their entailments (see ``publish``), so its answers are those of ``--infer``."""
    from mandate_graph.endpoint import Endpoint

    if args.data:
        raise UsageError("query --endpoint asks the store; --data does not apply (publish the files first)")
    if getattr(args, "store", None):
        raise UsageError("query: give --endpoint URL or --store DIR, not both")
    endpoint = Endpoint(args.endpoint, timeout=args.timeout, auth=args.auth, page_size=args.page_size)
    answer = endpoint.run(q, bindings)
    for note in answer.notes:
        print(f"mandate-graph: {args.endpoint}: warning: {note}", file=err)
    print_table(answer.columns, [[_cell(v) for v in r] for r in answer.rows], fmt, out)
    return EXIT_OK


def cmd_publish(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    """Exit 0 when every graph is in the store with the count sent, 1 when a count differs,
    2 when an input could not be read or a graph was not published (the store could not be
    reached, refused, failed or did not answer in time)."""
    from mandate_graph.endpoint import Endpoint
    from mandate_graph.publish import GraphStore, plan, publish, query_endpoint_for
    from mandate_graph.store import Progress

    fmt = _formats(args, TABULAR)
    store = GraphStore(args.graph_store, auth=args.auth, timeout=args.timeout, retries=args.retries)
    url = args.endpoint or query_endpoint_for(args.graph_store)
    endpoint = Endpoint(url, timeout=args.timeout, auth=args.auth) if url else None
    if endpoint is None:
        print(
            f"mandate-graph: {args.graph_store}: no query endpoint known beside this Graph Store; "
            "give --endpoint to compare triple counts",
            file=err,
        )
    groups = plan(args.files)
    progress = Progress(len(groups) + 1, err)

    def warn(message: str) -> None:
        progress.close()
        print(f"mandate-graph: {message}", file=err)

    results, stopped = publish(
        store, groups, endpoint=endpoint, language=args.lang, base=args.base, warn=warn, step=progress.step
    )
    progress.close()
    rows = [r.row() for r in results]
    if fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        columns = ["resolution", "sent", "stored", "status", "graph"]
        table = [[r[c] for c in columns] for r in rows]
        for line, r in zip(table, rows, strict=True):
            if r["reason"]:
                line[3] = f"{r['status']}: {r['reason']}"
        print_table(columns, table, fmt, out, clip=80)
    if stopped is not None:
        print(f"mandate-graph: {stopped}", file=err)
    published = [r for r in results if r.status in ("published", "count differs", "not counted")]
    failed = [r for r in results if r.status in ("not published", "not attempted")]
    sent = sum(r.sent or 0 for r in published)
    stored = sum(r.stored or 0 for r in published if r.stored is not None)
    counted = all(r.stored is not None for r in published)
    held = f", the store holds {stored}" if counted else ""
    summary = f"published {_count(len(published), 'graph')} to {store.url}: {sent} triples sent{held}"
    if failed:
        names = ", ".join(r.resolution for r in failed[:5]) + (" …" if len(failed) > 5 else "")
        summary += f"; not published: {len(failed)} ({names})"
    print(summary, file=err)
    if failed or stopped is not None:
        return EXIT_INPUT
    return EXIT_NONCONFORMING if any(r.status == "count differs" for r in results) else EXIT_OK


def _emit(
    text: str, args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase, newline: str | None = None
) -> None:
    """``text`` to ``--output`` (atomically) or to stdout."""
    from mandate_graph.store import atomic_output

    if getattr(args, "output", None):
        with atomic_output(args.output, "w") as f:
            f.write(text)
        print(f"wrote {args.output}", file=err)
    else:
        out.write(text)


def _merged(paths: Sequence[str], args: argparse.Namespace, err: io.TextIOBase) -> Graph:
    from mandate_graph.store import expand_inputs

    g = new_graph()
    for path in expand_inputs(list(paths)):
        for t in _load(str(path), args, err):
            g.add(t)
    return g


def _within(code: str) -> set[str]:
    """``code`` and the codes of every actor within it (the Secretariat: its offices …)."""
    from rdflib.namespace import SKOS

    from mandate_graph.infer import vocabulary_closure
    from mandate_graph.iris import ACTOR, MG

    closure = vocabulary_closure()
    if (ACTOR[code], SKOS.notation, None) not in closure:
        known = sorted(
            str(c)
            for a in closure.subjects(SKOS.inScheme, None)
            if str(a).startswith(str(ACTOR))
            for c in closure.objects(a, SKOS.notation)
        )
        raise UsageError(f"unknown actor code {code!r}; known: {', '.join(known)}")
    inner = {str(closure.value(a, SKOS.notation)) for a in closure.subjects(MG.withinActor, ACTOR[code])}
    return {code} | inner


def cmd_due(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    from mandate_graph.due import due, ics

    fmt = _formats(args, (*TABULAR, "ics"))
    as_of = args.as_of or dt.date.today()
    g = _merged(args.files or [str(bundled_resolution())], args, err)
    items = due(
        g,
        vocabulary_graph(),
        as_of=as_of,
        since=args.since,
        until=args.until,
        addressee=_within(args.addressee) if args.addressee else None,
        open_ended=args.open_ended,
    )
    if fmt == "ics":
        stamp = dt.datetime.combine(as_of, dt.time(), tzinfo=dt.UTC)
        _emit(ics(items, stamp=stamp), args, out, err)
        return EXIT_OK
    records = [i.record() for i in items]
    if fmt == "json":
        _emit(json.dumps(records, ensure_ascii=False, indent=2) + "\n", args, out, err)
        return EXIT_OK
    columns = [
        "state",
        "session",
        "opens",
        "closes",
        "resolution",
        "paragraph",
        "clause",
        "verb",
        "addressees",
        "report",
        "text",
    ]
    rows = [
        [
            r["state"],
            r["session"],
            r["start"],
            r["end"],
            r["resolution"],
            r["paragraph"],
            r["clause"],
            r["verb"],
            r["addressees"],
            r["report"],
            r["text"],
        ]
        for r in records
    ]
    buf = io.StringIO()
    print_table(columns, rows, fmt, buf, clip=40)  # type: ignore[arg-type]
    _emit(buf.getvalue(), args, out, err)
    if fmt == "table":
        counts = {s: sum(1 for i in items if i.state == s) for s in ("past", "current", "upcoming", "open-ended")}
        print(f"as of {as_of}: " + ", ".join(f"{n} {s}" for s, n in counts.items() if n), file=err)
    return EXIT_OK


def _resolution_graph(ref: str, places: Sequence[str], args: argparse.Namespace, err: io.TextIOBase) -> Graph:
    """A file, or the text whose file name carries the symbol ``ref`` in ``places``."""
    from mandate_graph.parse import symbol_from_filename
    from mandate_graph.store import expand_inputs

    if Path(ref).exists():
        return _load(ref, args, err)
    wanted = ref.upper().removeprefix("A/RES/")
    found = [p for p in expand_inputs(list(places)) if (symbol_from_filename(p.name) or "").upper() == wanted]
    if not found:
        raise InputError(f"no file found for {ref!r} in {', '.join(places)}; name a file, or the folder with --data")
    g = new_graph()
    for path in found:  # the texts of one resolution in several languages
        for t in _load(str(path), args, err):
            g.add(t)
    return g


def _before_after(old: Any, new: Any) -> str:
    """One side when only one exists or both agree, else ``old → new``."""

    def text(v: Any) -> str:
        return ", ".join(map(str, v)) if isinstance(v, list) else str(v or "")

    if old is None or new is None:
        return text(new if old is None else old)
    return text(old) if text(old) == text(new) else f"{text(old) or '—'} → {text(new) or '—'}"


def cmd_diff(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    from mandate_graph.diff import diff, to_rdf

    fmt = _formats(args, (*TABULAR, *RDF_OUT))
    places = args.data or [str(bundled_resolution().parent)]
    old = _resolution_graph(args.old, places, args, err)
    new = _resolution_graph(args.new, places, args, err)
    try:
        d = diff(old, new, vocabulary_graph())
    except ValueError as e:
        raise InputError(str(e)) from None
    if fmt in RDF_OUT:
        g = to_rdf(d, old, new)
        _emit(g.serialize(format=fmt), args, out, err)
    elif fmt == "json":
        doc = {"old": d.old, "new": d.new, "counts": d.counts(), "mandates": [p.record() for p in d.pairs]}
        _emit(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", args, out, err)
    else:
        columns = ["status", "old", "new", "verb", "addressees", "deadlines", "changes", "text"]
        rows = []
        for p in d.pairs:
            r = p.record()

            verb = _before_after(r["old_verb"], r["new_verb"])
            addressees = _before_after(r["old_addressees"], r["new_addressees"])
            deadlines = _before_after(r["old_deadlines"], r["new_deadlines"])
            rows.append(
                [
                    p.status,
                    r["old"],
                    r["new"],
                    verb,
                    addressees,
                    deadlines,
                    p.changes + p.notes,
                    r["new_text"] or r["old_text"],
                ]
            )
        buf = io.StringIO()
        print_table(columns, rows, fmt, buf, clip=40)  # type: ignore[arg-type]
        _emit(buf.getvalue(), args, out, err)
        if fmt == "table":
            print(f"{d.old} → {d.new}: " + ", ".join(f"{n} {k}" for k, n in d.counts().items()), file=err)
    return EXIT_OK


def cmd_status(args: argparse.Namespace, out: io.TextIOBase, err: io.TextIOBase) -> int:
    from mandate_graph import status

    path = args.file or os.environ.get(STATUS_ENV) or STATUS_DEFAULT
    if args.action == "set":
        _formats(args, TABULAR)
        statement = status.Statement(
            mandate=str(status.mandate_iri(args.mandate, args.base)),
            value=args.status,
            by=args.by,
            on=args.on or dt.date.today(),
            evidence=tuple(args.evidence),
            note=args.note,
        )
        node = status.add(path, statement)
        print(f"{path}: {args.status} stated for {statement.mandate} ({node})", file=err)
        return EXIT_OK
    fmt = _formats(args, TABULAR)
    g = status.read(path)
    chosen = status.statements(g) if args.history else sorted(status.current(g).values(), key=lambda s: s.mandate)
    data = _merged(args.data, args, err) if args.data else None
    info = {r["iri"]: r for r in mandate_records(data, vocabulary_graph())} if data is not None else {}
    rows = []
    for s in chosen:
        m = info.get(s.mandate)
        rows.append(
            [
                s.mandate if fmt == "json" else s.mandate.removeprefix(base_iri(args.base)),
                s.value,
                s.by,
                s.on.isoformat(),
                list(s.evidence),
                s.note,
                m["verb"] if m else None,
                m["addressees"] if m else None,
                m["text"] if m else None,
            ]
        )
    columns = ["mandate", "status", "by", "on", "evidence", "note", "verb", "addressees", "text"]
    if data is not None:
        missing = [s.mandate for s in chosen if s.mandate not in info]
        for iri in missing:
            print(f"mandate-graph: warning: {iri} is not a mandate of the data given", file=err)
    print_table(columns, rows, fmt, out, clip=40)
    return EXIT_OK


_COMMANDS = {
    "mandates": cmd_mandates,
    "load": cmd_load,
    "summary": cmd_summary,
    "validate": cmd_validate,
    "query": cmd_query,
    "export": cmd_export,
    "due": cmd_due,
    "diff": cmd_diff,
    "status": cmd_status,
    "publish": cmd_publish,
}
