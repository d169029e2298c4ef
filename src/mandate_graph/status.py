"""Implementation status of mandates, kept apart from what was extracted from the texts.

Status statements live in a file of their own (Turtle, one graph): who said a mandate
is completed, in progress, not implemented, not applicable or of no indication, on which
day, and on what evidence. They refer to mandates by IRI, and the loader mints the same
IRIs from the same text on every run, so reloading a resolution leaves them valid and
never rewrites them; a new statement is added beside the earlier ones (the latest one
per mandate is its current status).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from mandate_graph.errors import InputError
from mandate_graph.graph import new_graph
from mandate_graph.iris import MG, STATUS, base_iri, mint, undocs_url
from mandate_graph.store import atomic_output, read_rdf

VALUES = ("completed", "in-progress", "not-implemented", "not-applicable", "no-indication")


@dataclass(frozen=True)
class Statement:
    mandate: str
    value: str
    by: str
    on: dt.date
    evidence: tuple[str, ...] = ()
    note: str | None = None
    iri: str | None = None

    def record(self) -> dict[str, Any]:
        return {
            "mandate": self.mandate,
            "status": self.value,
            "by": self.by,
            "on": self.on.isoformat(),
            "evidence": list(self.evidence),
            "note": self.note,
            "iri": self.iri,
        }


def mandate_iri(ref: str, base: str | None = None) -> URIRef:
    """A mandate named by its IRI, or by the path after the base
    (``A/RES/78/229/para/92/mandate/1``)."""
    if ref.startswith(("http://", "https://")):
        return URIRef(ref)
    path = ref.strip("/")
    if "/mandate/" not in path:
        raise InputError(
            f"{ref!r} does not name a mandate; give its IRI or a path such as A/RES/78/229/para/92/mandate/1"
        )
    return URIRef(base_iri(base) + path)


def statement_iri(s: Statement) -> URIRef:
    """Derived from what the statement says, so that setting the same status twice adds nothing."""
    key = "\n".join([s.mandate, s.value, s.by, s.on.isoformat(), *s.evidence, s.note or ""])
    return URIRef(f"{s.mandate}/status/{hashlib.sha256(key.encode()).hexdigest()[:16]}")


def to_triples(s: Statement, g: Graph) -> URIRef:
    node = statement_iri(s)
    g.add((node, RDF.type, MG.StatusStatement))
    g.add((node, MG.statusOf, URIRef(s.mandate)))
    g.add((node, MG.implementationStatus, STATUS[s.value]))
    g.add((node, MG.statedBy, Literal(s.by)))
    g.add((node, MG.statedOn, Literal(s.on, datatype=XSD.date)))
    for symbol in s.evidence:
        doc = mint(symbol)
        g.add((node, MG.evidence, doc))
        g.add((doc, RDF.type, MG.Document))
        g.add((doc, MG.symbol, Literal(symbol)))
        g.add((doc, RDFS.seeAlso, undocs_url(symbol)))
    if s.note:
        g.add((node, RDFS.comment, Literal(s.note, lang="en")))
    return node


def read(path: str | Path) -> Graph:
    """The status graph in ``path`` (empty when the file does not exist yet)."""
    return read_rdf(path) if Path(path).exists() else new_graph()


def add(path: str | Path, statement: Statement) -> URIRef:
    """Add one statement to the status file, atomically (the file is rewritten whole)."""
    if statement.value not in VALUES:
        raise InputError(f"unknown status {statement.value!r}; use one of {', '.join(VALUES)}")
    g = read(path)
    node = to_triples(statement, g)
    with atomic_output(path) as f:
        f.write(g.serialize(format="turtle"))
    return node


def statements(g: Graph) -> list[Statement]:
    """Every statement in the status graph, by mandate and then by day."""
    out = []
    for node in g.subjects(RDF.type, MG.StatusStatement):
        value = g.value(node, MG.implementationStatus)
        out.append(
            Statement(
                mandate=str(g.value(node, MG.statusOf)),
                value=str(value).rsplit("/", 1)[-1] if value is not None else "",
                by=str(g.value(node, MG.statedBy) or ""),
                on=g.value(node, MG.statedOn).toPython(),  # type: ignore[union-attr]
                evidence=tuple(sorted(str(g.value(d, MG.symbol) or d) for d in g.objects(node, MG.evidence))),
                note=str(g.value(node, RDFS.comment)) if g.value(node, RDFS.comment) is not None else None,
                iri=str(node),
            )
        )
    return sorted(out, key=lambda s: (s.mandate, s.on, s.iri or ""))


def current(g: Graph) -> dict[str, Statement]:
    """The latest statement per mandate."""
    latest: dict[str, Statement] = {}
    for s in statements(g):
        latest[s.mandate] = s  # sorted by day: the last one wins
    return latest


def label(vocab: Graph, value: str, lang: str = "en") -> str:
    for lit in vocab.objects(STATUS[value], SKOS.prefLabel):
        if getattr(lit, "language", None) == lang:
            return str(lit)
    return value
