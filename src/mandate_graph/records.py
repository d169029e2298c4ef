"""Mandates as plain records: the JSON contract of ``mandate-graph mandates``.

Records are read back from the graph, so that a listing shows exactly what was loaded,
whether the graph came from a text or from a Turtle file.
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.term import Node

from mandate_graph.iris import MG, TIME


def _code(g: Graph, vocab: Graph, node: Node) -> str:
    notation = vocab.value(node, SKOS.notation) or g.value(node, SKOS.notation)
    return str(notation) if notation is not None else str(node).rstrip("/").rsplit("/", 1)[-1]


def _int(node: Node | None) -> int | None:
    return int(node) if node is not None else None  # type: ignore[arg-type]


def mandate_records(g: Graph, vocab: Graph | None = None) -> list[dict[str, Any]]:
    """One record per mandate clause, in resolution and paragraph order."""
    vocab = vocab if vocab is not None else Graph()
    out: list[tuple[tuple[str, int, int], dict[str, Any]]] = []
    for m in g.subjects(RDF.type, MG.Mandate):
        para = g.value(m, MG.inParagraph)
        work = g.value(para, MG.paragraphOf) if para is not None else None
        symbol = str(g.value(work, MG.symbol)) if work is not None else None
        number = _int(g.value(para, MG.paragraphNumber)) if para is not None else None
        clause = _int(g.value(m, MG.clauseNumber))
        verb = g.value(m, MG.verb)
        modifiers = sorted(_code(g, vocab, x) for x in g.objects(m, MG.verbModifier))
        deadlines = []
        for s in g.objects(m, MG.deadline):
            start = g.value(g.value(s, TIME.hasBeginning), TIME.inXSDDate)
            end = g.value(g.value(s, TIME.hasEnd), TIME.inXSDDate)
            deadlines.append(
                {
                    "session": _int(g.value(s, MG.sessionNumber)) or int(_code(g, vocab, s)),
                    "start": str(start) if start is not None else None,
                    "end": str(end) if end is not None else None,
                }
            )
        deadlines.sort(key=lambda d: d["session"])
        texts = sorted(g.objects(m, MG.actionText), key=lambda lit: getattr(lit, "language", "") or "")
        record = {
            "resolution": symbol,
            "paragraph": number,
            "clause": clause,
            "verb": _code(g, vocab, verb) if verb is not None else None,
            "modifier": modifiers[0] if modifiers else None,
            "addressees": _ordered_codes(g, vocab, m, MG.addressee),
            "deadlines": deadlines,
            "conditions": sorted(_code(g, vocab, c) for c in g.objects(m, MG.condition)),
            "report": bool(g.value(m, MG.requestsReport).toPython()) if g.value(m, MG.requestsReport) else False,
            "text": str(texts[0]) if texts else None,
            "iri": str(m),
        }
        out.append(((symbol or "", number or 0, clause or 0), record))
    out.sort(key=lambda x: x[0])
    return [r for _, r in out]


def _ordered_codes(g: Graph, vocab: Graph, m: Node, prop: URIRef) -> list[str]:
    """Codes of the objects of ``prop``, sorted (a graph keeps no order)."""
    return sorted(_code(g, vocab, a) for a in g.objects(m, prop))
