"""What changed between two resolutions of one series: mandates aligned and classified.

Mandates are compared on what does not depend on the language (verb, addressees, the
deadline counted from the resolution's own session, report, conditions, cited
documents, position in the text) and, when both texts are in one language, on the
wording. A series keeps its order, so the pairs are found by an order-preserving
alignment (dynamic programming over the two mandate sequences); mandates that moved
are then paired if they agree closely. Each mandate of the newer resolution is
*recurring* (the same request, its deadline at most moved by as many sessions as the
resolutions are apart), *changed* (verb, addressee, deadline, report or conditions
differ) or *new*; a mandate of the older resolution that has no pair is *dropped*.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from mandate_graph.iris import CHANGE, MG, mint
from mandate_graph.records import mandate_records

if TYPE_CHECKING:
    from mandate_graph.model import Resolution

# weights of the features in a pair's score
WEIGHTS = {
    "verb": 2.0,
    "addressees": 2.0,
    "report": 1.0,
    "deadline": 1.0,
    "conditions": 0.5,
    "citations": 1.5,
    "position": 2.0,
    "opening": 1.5,
    "text": 4.0,
}
MATCH = 0.62  # a pair scoring less is not the same mandate
MOVED = 0.8  # a pair out of order needs to agree this closely


@dataclass
class Side:
    """One mandate as compared."""

    record: dict[str, Any]
    session: int | None
    position: float  # 0 … 1 through the operative part
    citations: frozenset[str]
    language: str | None
    shingles: frozenset[str]
    opening: str | None = None  # the verb that opens the mandate's paragraph ("takes note of …, requests")

    @property
    def offsets(self) -> tuple[int, ...]:
        """Deadlines counted from the resolution's own session (+1 = the next session)."""
        if self.session is None:
            return tuple(d["session"] for d in self.record["deadlines"])
        return tuple(d["session"] - self.session for d in self.record["deadlines"])

    @property
    def sessions(self) -> tuple[int, ...]:
        return tuple(d["session"] for d in self.record["deadlines"])


@dataclass
class Pair:
    status: str  # recurring | changed | new | dropped
    old: Side | None
    new: Side | None
    score: float | None = None
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        def where(s: Side | None) -> str | None:
            return f"{s.record['paragraph']}.{s.record['clause']}" if s else None

        return {
            "status": self.status,
            "old": where(self.old),
            "new": where(self.new),
            "score": round(self.score, 3) if self.score is not None else None,
            "changes": self.changes,
            "notes": self.notes,
            "old_verb": self.old.record["verb"] if self.old else None,
            "new_verb": self.new.record["verb"] if self.new else None,
            "old_addressees": self.old.record["addressees"] if self.old else None,
            "new_addressees": self.new.record["addressees"] if self.new else None,
            "old_deadlines": list(self.old.sessions) if self.old else None,
            "new_deadlines": list(self.new.sessions) if self.new else None,
            "old_text": self.old.record["text"] if self.old else None,
            "new_text": self.new.record["text"] if self.new else None,
            "old_iri": self.old.record["iri"] if self.old else None,
            "new_iri": self.new.record["iri"] if self.new else None,
        }


@dataclass
class Diff:
    old: str
    new: str
    pairs: list[Pair]

    def counts(self) -> dict[str, int]:
        out = {k: 0 for k in ("recurring", "changed", "new", "dropped")}
        for p in self.pairs:
            out[p.status] += 1
        return out


def _shingles(text: str | None) -> frozenset[str]:
    """Character trigrams of the folded text, without spaces and punctuation."""
    t = re.sub(r"[\W_]+", "", (text or "").casefold())
    return frozenset(t[i : i + 3] for i in range(max(len(t) - 2, 0)))


def _jaccard(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def sides(g: Graph, vocab: Graph, symbol: str | None = None) -> tuple[str, list[Side]]:
    """The mandates of one resolution in ``g`` (the only one, or ``symbol``)."""
    records = mandate_records(g, vocab)
    symbols = sorted({r["resolution"] for r in records if r["resolution"]})
    if symbol is None:
        if len(symbols) != 1:
            raise ValueError(f"expected one resolution, found {len(symbols)}: {', '.join(symbols)}")
        symbol = symbols[0]
    records = [r for r in records if r["resolution"] == symbol]
    work = next((s for s in g.subjects(MG.symbol, Literal(symbol)) if (s, RDF.type, MG.Resolution) in g), None)
    session_node = g.value(work, MG.session) if work is not None else None
    session = int(str(session_node).rstrip("/").rsplit("/", 1)[-1]) if session_node is not None else None
    paragraphs = sorted({r["paragraph"] or 0 for r in records})
    rank = {p: i / max(len(paragraphs) - 1, 1) for i, p in enumerate(paragraphs)}
    out = []
    for r in records:
        m = URIRef(r["iri"])
        cited = frozenset(str(g.value(d, MG.symbol) or d) for d in g.objects(m, MG.cites))
        texts = list(g.objects(m, MG.actionText))
        language = getattr(texts[0], "language", None) if texts else None
        para = g.value(m, MG.inParagraph)
        opening = g.value(para, MG.openingVerb) if para is not None else None
        out.append(
            Side(
                r,
                session,
                rank[r["paragraph"] or 0],
                cited,
                language,
                _shingles(r["text"]),
                str(opening) if opening is not None else None,
            )
        )
    return symbol, out


def score(a: Side, b: Side) -> float:
    parts: dict[str, float] = {
        "verb": 1.0 if a.record["verb"] == b.record["verb"] else 0.0,
        "addressees": _jaccard(set(a.record["addressees"]), set(b.record["addressees"])),
        "report": 1.0 if a.record["report"] == b.record["report"] else 0.0,
        "deadline": 1.0 if a.offsets == b.offsets else 0.0,
        "conditions": _jaccard(set(a.record["conditions"]), set(b.record["conditions"])),
        "position": max(0.0, 1.0 - 4 * abs(a.position - b.position)),
    }
    if a.opening or b.opening:
        parts["opening"] = 1.0 if a.opening == b.opening else 0.0
    if a.citations or b.citations:
        parts["citations"] = _jaccard(a.citations, b.citations)
    if a.language and a.language == b.language:
        # trigram overlap of two unrelated sentences is rarely above 0.15: rescale
        parts["text"] = min(1.0, _jaccard(a.shingles, b.shingles) / 0.6)
    total = sum(WEIGHTS[k] for k in parts)
    return sum(WEIGHTS[k] * v for k, v in parts.items()) / total


def _align(old: list[Side], new: list[Side], scores: list[list[float]]) -> list[tuple[int, int]]:
    """Order-preserving pairs maximising the total margin above MATCH."""
    n, m = len(old), len(new)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = scores[i][j] - MATCH
            best[i][j] = max(best[i + 1][j], best[i][j + 1], best[i + 1][j + 1] + take if take > 0 else -1.0)
    pairs = []
    i = j = 0
    while i < n and j < m:
        take = scores[i][j] - MATCH
        if take > 0 and best[i][j] == best[i + 1][j + 1] + take:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def classify(a: Side, b: Side, strength: dict[str, int]) -> tuple[str, list[str], list[str]]:
    changes: list[str] = []
    notes: list[str] = []
    va, vb = a.record["verb"], b.record["verb"]
    if va != vb:
        sa, sb = strength.get(va or ""), strength.get(vb or "")
        if sa is not None and sb is not None and sa != sb:
            changes.append("verb-strengthened" if sb > sa else "verb-weakened")
        else:
            changes.append("verb-changed")
    if set(a.record["addressees"]) != set(b.record["addressees"]):
        changes.append("addressee-changed")
    if a.offsets != b.offsets:
        changes.append("deadline-changed")
    elif a.sessions != b.sessions:
        notes.append("deadline-moved")
    if a.record["report"] != b.record["report"]:
        changes.append("report-added" if b.record["report"] else "report-dropped")
    if set(a.record["conditions"]) != set(b.record["conditions"]):
        changes.append("conditions-changed")
    return ("changed" if changes else "recurring"), changes, notes


def verb_strength(vocab: Graph) -> dict[str, int]:
    """Verb code → strength rank from the verb vocabulary (``mg:strength``)."""
    from rdflib.namespace import SKOS

    out = {}
    for concept, value in vocab.subject_objects(MG.strength):
        code = vocab.value(concept, SKOS.notation)
        if code is not None:
            out[str(code)] = int(value)
    return out


def diff(old: Graph, new: Graph, vocab: Graph, *, old_symbol: str | None = None, new_symbol: str | None = None) -> Diff:
    old_symbol, a = sides(old, vocab, old_symbol)
    new_symbol, b = sides(new, vocab, new_symbol)
    scores = [[score(x, y) for y in b] for x in a]
    pairs = _align(a, b, scores)
    used_a = {i for i, _ in pairs}
    used_b = {j for _, j in pairs}
    # mandates that moved: the closest remaining pairs above MOVED, best first
    rest = sorted(
        ((scores[i][j], i, j) for i in range(len(a)) if i not in used_a for j in range(len(b)) if j not in used_b),
        reverse=True,
    )
    for s, i, j in rest:
        if s < MOVED:
            break
        if i not in used_a and j not in used_b:
            pairs.append((i, j))
            used_a.add(i)
            used_b.add(j)
    strength = verb_strength(vocab)
    out: list[Pair] = []
    for i, j in pairs:
        status, changes, notes = classify(a[i], b[j], strength)
        out.append(Pair(status, a[i], b[j], scores[i][j], changes, notes))
    out += [Pair("new", None, b[j]) for j in range(len(b)) if j not in used_b]
    out += [Pair("dropped", a[i], None) for i in range(len(a)) if i not in used_a]

    def key(p: Pair) -> tuple:
        s = p.new or p.old
        assert s is not None
        return (p.new is None, s.record["paragraph"] or 0, s.record["clause"] or 0)

    out.sort(key=key)
    return Diff(old_symbol, new_symbol, out)


def to_rdf(d: Diff, old: Graph, new: Graph) -> Graph:
    """The comparison as RDF: revision links between mandates and what changed."""
    g = Graph()
    g.bind("mg", MG)
    g.bind("change", CHANGE)
    works = {}
    for graph, symbol in ((old, d.old), (new, d.new)):
        works[symbol] = next(
            s for s in graph.subjects(MG.symbol, Literal(symbol)) if (s, RDF.type, MG.Resolution) in graph
        )
    g.add((works[d.new], MG.precededBy, works[d.old]))
    for p in d.pairs:
        if p.new and p.old:
            new_m, old_m = URIRef(p.new.record["iri"]), URIRef(p.old.record["iri"])
            g.add((new_m, MG.revisionOf, old_m))
            g.add((new_m, MG.change, CHANGE[p.status]))
            for c in p.changes + p.notes:
                g.add((new_m, MG.change, CHANGE[c]))
        elif p.new:
            g.add((URIRef(p.new.record["iri"]), MG.change, CHANGE["new"]))
        elif p.old:
            g.add((URIRef(p.old.record["iri"]), MG.droppedBy, works[d.new]))
    return g


def _title_key(title: str) -> str:
    return re.sub(r"[\W_]+", "", title.casefold())


@dataclass
class WorkFacts:
    """What series detection needs of one resolution: small enough to keep for thousands."""

    symbol: str
    session: int | None
    titles: dict[str | None, str]  # language → folded title
    cites: set[str]
    agenda: set[int]


class SeriesIndex:
    """Resolutions seen so far (e.g. while a batch streams past), and their series.

    An older resolution O is the predecessor of a newer one N when their titles agree in a
    language both are written in; when they share no language, when N cites O and they
    share an agenda item, or (given both graphs) N cites O and at least half of N's
    mandates recur from O. Each resolution is linked to the latest such one.
    """

    def __init__(self) -> None:
        self.works: dict[str, WorkFacts] = {}

    def add(self, g: Graph) -> None:
        for work in g.subjects(RDF.type, MG.Resolution):
            symbol = g.value(work, MG.symbol)
            if symbol is None or not any(g.objects(work, MG.hasExpression)):
                continue  # a resolution only cited, not loaded
            session = g.value(work, MG.session)
            facts = self.works.setdefault(
                str(symbol),
                WorkFacts(
                    str(symbol),
                    int(str(session).rsplit("/", 1)[-1]) if session is not None else None,
                    {},
                    set(),
                    set(),
                ),
            )
            facts.titles.update({getattr(t, "language", None): _title_key(t) for t in g.objects(work, DCTERMS.title)})
            facts.agenda.update(int(a) for a in g.objects(work, MG.agendaItem))
            facts.cites.update(
                str(g.value(d, MG.symbol) or d)
                for p in g.objects(work, MG.hasParagraph)
                for d in g.objects(p, MG.cites)
            )

    def add_resolution(self, res: Resolution) -> None:
        """What :meth:`add` takes from the graph of ``res``, taken from ``res`` itself."""
        facts = self.works.setdefault(res.symbol, WorkFacts(res.symbol, res.session or None, {}, set(), set()))
        if res.title:
            facts.titles[res.language] = _title_key(res.title)
        facts.agenda.update(res.agenda_items)
        facts.cites.update(c.symbol for para in res.paragraphs for c in para.citations)

    def links(self, recurs: Callable[[str, str], bool] | None = None) -> list[tuple[str, str]]:
        """(newer, older) pairs; ``recurs(old, new)`` decides across languages when given."""
        # each resolution is linked to the most recent older one that has its title in a
        # language both have or, sharing no language with it, is cited by it and shares an
        # agenda item (or ``recurs``); only those can qualify, so only those are looked at
        by_title: dict[tuple[str | None, str], list[WorkFacts]] = {}
        for w in self.works.values():
            for lang, key in w.titles.items():
                by_title.setdefault((lang, key), []).append(w)
        out = []
        for new, n in self.works.items():
            if n.session is None:
                continue
            candidates = {w.symbol: w for lang, key in n.titles.items() for w in by_title[(lang, key)]}
            candidates.update((c, self.works[c]) for c in n.cites if c in self.works)
            older = sorted(
                (w for w in candidates.values() if w.symbol != new and w.session and w.session < n.session),
                key=lambda w: (w.session, w.symbol),
                reverse=True,
            )
            for w in older:
                shared = set(w.titles) & set(n.titles)
                if shared:
                    if any(w.titles[lang] == n.titles[lang] for lang in shared):
                        out.append((new, w.symbol))
                        break
                    continue
                if w.symbol in n.cites and (w.agenda & n.agenda or (recurs is not None and recurs(w.symbol, new))):
                    out.append((new, w.symbol))
                    break
        return sorted(out)

    def graph(self, base: str | None = None) -> Graph:
        """The links as ``mg:precededBy`` triples."""
        g = Graph()
        g.bind("mg", MG)
        for new, old in self.links():
            g.add((mint(new, base=base), MG.precededBy, mint(old, base=base)))
        return g


def series_links(g: Graph, vocab: Graph, *, share: float = 0.5) -> list[tuple[str, str]]:
    """(newer, older) symbol pairs of consecutive resolutions of one series in ``g``
    (see :class:`SeriesIndex`; ``share`` of recurring mandates decides across languages)."""
    index = SeriesIndex()
    index.add(g)

    def recurs(old: str, new: str) -> bool:
        counts = diff(g, g, vocab, old_symbol=old, new_symbol=new).counts()
        total = counts["recurring"] + counts["changed"] + counts["new"]
        return bool(total) and (counts["recurring"] + counts["changed"]) / total >= share

    return index.links(recurs)
