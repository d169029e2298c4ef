"""Reading inputs into graphs and writing graphs out, without half-written files."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.parsers.notation3 import BadSyntax

from mandate_graph.errors import InputError
from mandate_graph.graph import new_graph, to_graph
from mandate_graph.model import Resolution
from mandate_graph.parse import parse_file

RDF_FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
}

# --format value -> (rdflib serializer, file suffix)
SERIALIZERS = {
    "turtle": ("turtle", ".ttl"),
    "nt": ("nt", ".nt"),
    "json-ld": ("json-ld", ".jsonld"),
    "trig": ("trig", ".trig"),
    "nquads": ("nquads", ".nq"),
}


def is_rdf(path: str | Path) -> bool:
    return Path(path).suffix.lower() in RDF_FORMATS


DATASET_FORMATS = ("trig", "nquads")


def read_rdf(path: str | Path, graph: Graph | None = None) -> Graph:
    """Parse an RDF file; a syntax error becomes one line naming the file (and line).
    A TriG or N-Quads file gives the union of its graphs (see :func:`read_dataset` to
    keep them apart)."""
    g = graph if graph is not None else new_graph()
    for _, part in read_dataset(path):
        for t in part:
            g.add(t)
    return g


def read_dataset(path: str | Path) -> list[tuple[URIRef | None, Graph]]:
    """The graphs of an RDF file: for TriG and N-Quads each non-empty named graph with its
    name (as ``load -o out.trig`` writes one per resolution), and the default graph, if it
    holds anything, named ``None``; for any other format the one graph of the file."""
    path = Path(path)
    if not path.exists():
        raise InputError("no such file; check the path", source=str(path))
    if path.is_dir():
        raise InputError("is a directory, not an RDF file", source=str(path))
    fmt = RDF_FORMATS[path.suffix.lower()]
    if fmt not in DATASET_FORMATS:
        g = new_graph()
        _parse(g, path, fmt)
        return [(None, g)]
    ds = Dataset()
    _parse(ds, path, fmt)
    out: list[tuple[URIRef | None, Graph]] = []
    for context in sorted(ds.graphs(), key=lambda c: str(c.identifier)):
        if not len(context):
            continue
        g = new_graph()
        for t in context:
            g.add(t)
        name = context.identifier
        out.append((None if name == DATASET_DEFAULT_GRAPH_ID else URIRef(str(name)), g))
    return out


def _parse(target: Graph, path: Path, fmt: str) -> None:
    advice = "correct it and try again"
    try:
        target.parse(path, format=fmt)
    except BadSyntax as e:  # Turtle, TriG, N-Triples, N-Quads: the line and what was expected
        raise InputError(f"not valid {fmt}: {_bad_syntax(e)}; {advice}", source=str(path), line=e.lines + 1) from None
    except Exception as e:  # rdflib raises a variety of parser-specific errors
        message = " ".join(str(e).split())
        raise InputError(f"not valid {fmt}: {message[:200]}; {advice}", source=str(path)) from None


def _bad_syntax(e: BadSyntax) -> str:
    """What the parser expected and the text just before the error, without the dump of
    the whole input that ``str(e)`` gives (``lines`` counts from 0 there)."""
    why, source, at = getattr(e, "_why", None), getattr(e, "_str", b""), getattr(e, "_i", 0)
    if not why:
        return " ".join(str(e).split())[:200]
    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else str(source)
    near = text[text.rfind("\n", 0, at) + 1 : at].strip()[-40:]
    return f'{why} after "{near}"' if near else str(why)


def load(path: str | Path, *, language: str | None = None, base: str | None = None) -> tuple[Graph, Resolution | None]:
    """A resolution text or an RDF file as a graph (and the document model for texts)."""
    if is_rdf(path):
        return read_rdf(path), None
    res = parse_file(path, language)
    return to_graph(res, base=base), res


@contextmanager
def atomic_output(path: str | Path, mode: str = "w") -> Iterator[IO]:
    """Write to a temporary file beside ``path`` and move it into place only on success."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError("output folder does not exist; create it first", source=str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as f:
            yield f
        # mkstemp makes the file private; give it the permissions a new file would have
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def serialize(g: Graph, fmt: str) -> str:
    name, _ = SERIALIZERS[fmt]
    if name == "json-ld":
        return g.serialize(format="json-ld", indent=2, sort_keys=True, auto_compact=True)
    return g.serialize(format=name)


def write_graph(g: Graph, path: str | Path, fmt: str) -> None:
    text = serialize(g, fmt)
    with atomic_output(path) as f:
        f.write(text)


# ----------------------------------------------------------------------------- many files

TEXT_SUFFIXES = (".txt",)


def expand_inputs(paths: list[str]) -> list[Path]:
    """Files named on the command line, folders expanded to the texts and RDF files in them
    (sorted, so that a run is repeatable)."""
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(
                f for f in path.iterdir() if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES + tuple(RDF_FORMATS)
            )
            if not found:
                raise InputError("folder holds no .txt or RDF files", source=str(path))
            out.extend(found)
        else:
            out.append(path)
    return out


@dataclass
class Outcome:
    """What loading one file gave: its counts, or the one-line reason it failed."""

    file: str
    resolution: str | None = None
    language: str | None = None
    preambular: int = 0
    operative: int = 0
    mandates: int = 0
    warnings: int = 0
    error: str | None = None
    graph: Graph | None = None
    notes: list[str] = field(default_factory=list)  # where it disagrees with another language version

    def row(self) -> dict[str, object]:
        return {
            "file": self.file,
            "resolution": self.resolution,
            "language": self.language,
            "preambular": self.preambular,
            "operative": self.operative,
            "mandates": self.mandates,
            "warnings": self.warnings,
            "error": self.error,
        }


def load_one(path: Path, *, language: str | None = None, base: str | None = None, keep_graph: bool = True) -> Outcome:
    """Load one file; bad input becomes an :class:`Outcome` with its error, never an exception."""
    return load_group([path], language=language, base=base, keep_graph=keep_graph)[0]


def group_by_resolution(paths: list[Path]) -> list[list[Path]]:
    """Files that hold language versions of one resolution (A_RES_80_229.zh.txt and
    A_RES_80_229.en.txt) side by side, in the order of their first file."""
    from mandate_graph.parse import symbol_from_filename

    groups: dict[str, list[Path]] = {}
    for path in paths:
        key = symbol_from_filename(path.name) if not is_rdf(path) else None
        groups.setdefault(key or f"\0{path}", []).append(path)
    return list(groups.values())


def load_group(
    paths: list[Path], *, language: str | None = None, base: str | None = None, keep_graph: bool = True
) -> list[Outcome]:
    """Load the language versions of one resolution: one graph, with the language first in
    code order giving the language-independent facts and the others their texts; where
    they disagree, warnings (see :mod:`mandate_graph.align`)."""
    from mandate_graph.align import compare

    outcomes: list[Outcome] = []
    parsed = []
    for path in paths:
        out = Outcome(str(path))
        outcomes.append(out)
        try:
            if is_rdf(path):
                g = read_rdf(path)
                out.graph = g if keep_graph else None
                continue
            res = parse_file(path, language)
        except InputError as e:
            out.error = failure(e)
            continue
        _count(out, res)
        parsed.append((out, res))
    parsed.sort(key=lambda x: x[1].language)
    primary = None
    for out, res in parsed:
        if primary is not None and primary[1].symbol == res.symbol and primary[1].language != res.language:
            notes = compare(primary[1], res)
            res.warnings.extend(notes)
            out.warnings += len(notes)
            out.notes = notes
            if keep_graph:
                assert primary[0].graph is not None
                to_graph(res, primary[0].graph, base=base, secondary=True)
            continue
        primary = (out, res)
        if keep_graph:
            out.graph = to_graph(res, base=base)
    return outcomes


def failure(e: InputError) -> str:
    """Why a file did not load, as an outcome states it."""
    return e.message if e.line is None else f"line {e.line}: {e.message}"


def _count(out: Outcome, res: Resolution) -> None:
    out.resolution, out.language = res.symbol, res.language
    out.preambular = len(res.preambular)
    out.operative = 0 if res.unnumbered else len(res.operative)
    out.mandates = len(res.mandates)
    out.warnings = len(res.warnings) + sum(len(p.warnings) for p in res.paragraphs)


class Progress:
    """A one-line progress bar on a terminal; silent when stderr is not one."""

    def __init__(self, total: int, stream: IO[str], enabled: bool | None = None) -> None:
        self.total, self.stream, self.done = total, stream, 0
        self.enabled = stream.isatty() if enabled is None else enabled

    def step(self, label: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r[{bar}] {self.done}/{self.total} {label[:40]:<40}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 90 + "\r")
            self.stream.flush()


def _nquads_lines(g: Graph, name: URIRef) -> str:
    """The triples of ``g`` as N-Quads lines in graph ``name``, sorted."""
    lines = [line for line in g.serialize(format="nt").splitlines() if line.strip()]
    return "".join(sorted(f"{line[:-1].rstrip()} {name.n3()} .\n" for line in lines))


def _trig_block(g: Graph, name: URIRef) -> str:
    body = [line for line in g.serialize(format="turtle").splitlines() if not line.startswith("@prefix")]
    inner = "\n".join("    " + line if line else "" for line in body).strip("\n")
    return f"{name.n3()} {{\n{inner}\n}}\n\n"


def write_dataset(
    outcomes: Iterator[Outcome],
    path: str | Path,
    fmt: str,
    last: Callable[[], tuple[URIRef, Graph] | None] | None = None,
) -> list[Outcome]:
    """Write each loaded resolution as its own named graph (TriG or N-Quads), one at a
    time, into a temporary file that replaces ``path`` at the end: a failing input is
    skipped and reported, everything loaded before and after it is kept. ``last`` may
    give one more named graph, made once everything has been read (the series links)."""
    from mandate_graph.iris import PREFIXES

    done: list[Outcome] = []
    with atomic_output(path) as f:
        if fmt == "trig":
            for prefix, ns in PREFIXES.items():
                f.write(f"@prefix {prefix}: <{ns}> .\n")
            f.write("\n")
        for outcome in outcomes:
            if outcome.graph is not None:
                name = _graph_name(outcome)
                f.write(_trig_block(outcome.graph, name) if fmt == "trig" else _nquads_lines(outcome.graph, name))
                outcome.graph = None  # keep memory flat
            done.append(outcome)
        extra = last() if last is not None else None
        if extra is not None and len(extra[1]):
            name, graph = extra
            f.write(_trig_block(graph, name) if fmt == "trig" else _nquads_lines(graph, name))
    return done


def _graph_name(outcome: Outcome) -> URIRef:
    from mandate_graph.iris import mint

    if outcome.resolution:
        return mint(outcome.resolution)
    return URIRef(Path(outcome.file).resolve().as_uri())
