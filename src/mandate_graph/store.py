"""Reading inputs into graphs and writing graphs out, without half-written files."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from rdflib import Graph
from rdflib.exceptions import ParserError

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


def read_rdf(path: str | Path, graph: Graph | None = None) -> Graph:
    """Parse an RDF file; a syntax error becomes one line naming the file (and line)."""
    path = Path(path)
    g = graph if graph is not None else new_graph()
    if not path.exists():
        raise InputError("no such file; check the path", source=str(path))
    fmt = RDF_FORMATS[path.suffix.lower()]
    try:
        g.parse(path, format=fmt)
    except (ParserError, SyntaxError, ValueError, UnicodeDecodeError) as e:
        message = " ".join(str(e).split())
        line = getattr(e, "lines", None)
        raise InputError(f"not valid {fmt}: {message[:200]}", source=str(path), line=line) from None
    except Exception as e:  # rdflib raises a variety of parser-specific errors
        message = " ".join(str(e).split())
        raise InputError(f"not valid {fmt}: {message[:200]}", source=str(path)) from None
    return g


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
