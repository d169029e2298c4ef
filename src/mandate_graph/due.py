"""What is due when: mandates placed on the session calendar, and an iCalendar of them.

A deadline is a session of the General Assembly (an OWL-Time interval from the session
calendar in ``ontology/vocab/sessions.ttl``). Relative to a day ("as of"), a deadline is
*past* when its session has closed, *current* while the session runs, and *upcoming*
before it opens. A mandate without a deadline is *open-ended*.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef

from mandate_graph import __version__
from mandate_graph.iris import MG, SESSION, undocs_url
from mandate_graph.records import mandate_records

STATES = ("past", "current", "upcoming", "open-ended")


@dataclass(frozen=True)
class Due:
    """One mandate at one deadline (a mandate due at two sessions gives two)."""

    resolution: str
    paragraph: int
    clause: int
    verb: str
    addressees: tuple[str, ...]
    report: bool
    text: str
    paragraph_text: str
    iri: str
    session: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    computed: bool = False
    state: str = "open-ended"

    def record(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "session": self.session,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "computed": self.computed,
            "resolution": self.resolution,
            "paragraph": self.paragraph,
            "clause": self.clause,
            "verb": self.verb,
            "addressees": list(self.addressees),
            "report": self.report,
            "text": self.text,
            "iri": self.iri,
        }


def state_of(start: dt.date, end: dt.date, as_of: dt.date) -> str:
    if as_of > end:
        return "past"
    if as_of < start:
        return "upcoming"
    return "current"


def due(
    g: Graph,
    vocab: Graph,
    *,
    as_of: dt.date,
    since: dt.date | None = None,
    until: dt.date | None = None,
    addressee: set[str] | None = None,
    open_ended: bool = False,
) -> list[Due]:
    """Mandates whose deadline session overlaps ``[since, until]`` (either end open),
    with their state as of ``as_of``, sorted by the session's opening day.

    ``addressee`` keeps mandates addressed to one of these actor codes (pass the code and
    what it includes, e.g. the Secretariat's parts, for "everything asked of the
    Secretariat"). Open-ended mandates are added at the end when ``open_ended``.
    """
    items: list[Due] = []
    for r in mandate_records(g, vocab):
        if addressee is not None and not addressee & set(r["addressees"]):
            continue
        para = g.value(URIRef(r["iri"]), MG.inParagraph)
        base = {
            "resolution": r["resolution"] or "",
            "paragraph": r["paragraph"] or 0,
            "clause": r["clause"] or 0,
            "verb": r["verb"] or "",
            "addressees": tuple(r["addressees"]),
            "report": r["report"],
            "text": r["text"] or "",
            "paragraph_text": str(g.value(para, MG.text) or r["text"] or "") if para is not None else r["text"] or "",
            "iri": r["iri"],
        }
        if not r["deadlines"]:
            if open_ended:
                items.append(Due(**base))
            continue
        for d in r["deadlines"]:
            if d["start"] is None or d["end"] is None:
                continue
            start, end = dt.date.fromisoformat(d["start"]), dt.date.fromisoformat(d["end"])
            if (since is not None and end < since) or (until is not None and start > until):
                continue
            computed = (SESSION[str(d["session"])], MG.dateComputed, Literal(True)) in g
            items.append(
                Due(
                    **base,
                    session=d["session"],
                    start=start,
                    end=end,
                    computed=computed,
                    state=state_of(start, end, as_of),
                )
            )
    dated = sorted(
        (i for i in items if i.start is not None),
        key=lambda i: (i.start, i.resolution, i.paragraph, i.clause),
    )
    undated = sorted((i for i in items if i.start is None), key=lambda i: (i.resolution, i.paragraph, i.clause))
    return dated + undated


# iCalendar (RFC 5545)


def _escape(text: str) -> str:
    for raw, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\r\n", "\\n"), ("\n", "\\n")):
        text = text.replace(raw, escaped)
    return text


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545, 3.1), never inside a character."""
    out: list[str] = []
    current = b""
    limit = 75
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > limit:
            out.append(current.decode("utf-8"))
            current = b" "
            limit = 75
        current += b
    out.append(current.decode("utf-8"))
    return "\r\n".join(out)


def uid(item: Due) -> str:
    """Stable across runs and machines: derived from the mandate's IRI and the session."""
    digest = hashlib.sha256(f"{item.iri}#{item.session}".encode()).hexdigest()[:32]
    return f"{digest}@mandate-graph"


def ics(items: Iterable[Due], *, stamp: dt.datetime | None = None) -> str:
    """One all-day event per deadline, on the opening day of the session it falls in.

    ``stamp`` (DTSTAMP) defaults to a fixed instant so that the same input gives the same
    file; pass the time of the export to record it.
    """
    stamp = stamp or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//mandate-graph//mandate-graph {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:General Assembly mandates",
    ]
    for item in items:
        if item.start is None or item.end is None:
            continue
        what = "report" if item.report else item.verb
        who = ", ".join(item.addressees) or "no addressee"
        summary = f"{item.resolution} para {item.paragraph}: {what} ({who}), session {item.session}"
        link = str(undocs_url(item.resolution))
        description = (
            f"{item.paragraph_text}\n\n"
            f"Session {item.session} of the General Assembly: {item.start.isoformat()} to {item.end.isoformat()}"
            f"{' (dates computed from the rules of procedure)' if item.computed else ''}.\n"
            f"{link}\n{item.iri}"
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid(item)}",
            f"DTSTAMP:{stamp.astimezone(dt.UTC).strftime('%Y%m%dT%H%M%SZ')}",
            f"DTSTART;VALUE=DATE:{item.start.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(item.start + dt.timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(description)}",
            f"URL:{link}",
            f"CATEGORIES:{_escape(item.state)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
