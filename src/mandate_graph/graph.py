"""From the document model to RDF.

Only what was read from the text goes into the graph: the vocabularies (verbs, actors,
conditions, sessions) are referenced by IRI and kept in their own files. Every literal
that carries words is tagged with the language of the text it came from. Every number is an
``xsd:integer``, as a SPARQL store gives it back; the shapes state its bounds.
"""

from __future__ import annotations

import datetime as dt

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD
from rdflib.plugins.serializers.nt import _quote_encode, _quoteLiteral

from mandate_graph.iris import (
    ACTOR,
    COND,
    INSTR,
    MG,
    MOD,
    PREFIXES,
    SESSION,
    TIME,
    VERB,
    mint,
    undocs_url,
)
from mandate_graph.model import Citation, Clause, Paragraph, Resolution, Span


def bind_prefixes(g: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


def new_graph() -> Graph:
    return bind_prefixes(Graph())


def _para_path(para: Paragraph) -> tuple[str | int, ...]:
    if para.kind != "operative":
        return ("preamble", para.position)
    if para.section:  # numbered again from 1 in each section
        return ("section", para.section, "para", para.number or para.position)
    return ("para", para.number or para.position)


def paragraph_iri(res: Resolution, para: Paragraph, base: str | None = None) -> URIRef:
    return mint(res.symbol, *_para_path(para), base=base)


def mandate_iri(res: Resolution, para: Paragraph, clause: Clause, base: str | None = None) -> URIRef:
    return mint(res.symbol, *_para_path(para), "mandate", clause.number or 0, base=base)


def to_graph(res: Resolution, graph: Graph | None = None, base: str | None = None, *, secondary: bool = False) -> Graph:
    """Add the RDF of ``res`` to ``graph`` (a new graph by default) and return it.

    With ``secondary``, ``res`` is a further language version of a resolution whose
    language-independent facts (numbers, verbs, addressees, dates …) come from another
    expression: only what belongs to this language is added (the expression, texts,
    titles, source spans, footnotes), so that the two never contradict each other."""
    g = graph if graph is not None else new_graph()
    if secondary:
        return _expression_only(res, g, base)
    lang = res.language
    work = mint(res.symbol, base=base)
    expr = mint(res.symbol, lang, base=base)
    lit = _LINE_LITERALS if isinstance(g, _Lines) else _LITERALS

    def text(value: str) -> Literal:
        return lit.text(value, lang)

    def span(owner: URIRef, s: Span) -> None:
        node = URIRef(f"{owner}/span/{lang}")
        g.add((owner, MG.sourceSpan, node))
        g.add((node, RDF.type, MG.TextSpan))
        g.add((node, MG.inExpression, expr))
        g.add((node, MG.start, lit.integer(s.start)))
        g.add((node, MG.end, lit.integer(s.end)))
        g.add((node, MG.line, lit.integer(s.line)))

    def cite(subject: URIRef, citations: list[Citation]) -> None:
        for c in citations:
            doc = mint(c.symbol, base=base)
            g.add((subject, MG.cites, doc))
            g.add((doc, RDF.type, MG.Document))
            g.add((doc, MG.symbol, lit.plain(c.symbol)))
            g.add((doc, RDFS.seeAlso, undocs_url(c.symbol)))

    # the work
    g.add((work, RDF.type, MG.Resolution))
    g.add((work, MG.symbol, lit.plain(res.symbol)))
    g.add((work, RDFS.seeAlso, undocs_url(res.symbol)))
    g.add((work, MG.passedBy, ACTOR["general-assembly"]))
    g.add((work, MG.hasExpression, expr))
    if res.title:
        g.add((work, DCTERMS.title, text(res.title)))
    if res.session:
        g.add((work, MG.session, SESSION[str(res.session)]))
    for item in res.agenda_items:
        g.add((work, MG.agendaItem, lit.integer(item)))
    if res.adoption_date:
        g.add((work, MG.adoptionDate, lit.date(res.adoption_date)))
    if res.distribution_date:
        g.add((work, MG.distributionDate, lit.date(res.distribution_date)))
    if res.committee:
        g.add((work, MG.mainCommittee, text(res.committee)))
    if res.committee_report:
        report = mint(res.committee_report, base=base)
        g.add((work, MG.committeeReport, report))
        cite(work, [Citation(res.committee_report, res.committee_report, 0)])
    if res.plenary_meeting:
        g.add((work, MG.plenaryMeeting, lit.integer(res.plenary_meeting)))

    # the expression
    g.add((expr, RDF.type, MG.ResolutionExpression))
    g.add((expr, MG.realizes, work))
    g.add((expr, DCTERMS.language, lit.language(lang)))
    g.add((expr, MG.sourceFile, lit.plain(res.source)))
    if res.title:
        g.add((expr, DCTERMS.title, text(res.title)))
    for w in res.warnings:
        g.add((expr, MG.warning, lit.text(w, "en")))

    footnotes: dict[int, URIRef] = {}
    for n, fn in sorted(res.footnotes.items()):
        node = mint(res.symbol, lang, "footnote", n, base=base)
        footnotes[n] = node
        g.add((expr, MG.hasFootnote, node))
        g.add((node, RDF.type, MG.Footnote))
        g.add((node, MG.footnoteNumber, lit.integer(n)))
        g.add((node, MG.text, text(fn.text)))
        span(node, fn.span)
        cite(node, fn.citations)

    for position, para in enumerate(res.paragraphs, start=1):
        p = paragraph_iri(res, para, base)
        g.add((work, MG.hasParagraph, p))
        g.add((p, MG.paragraphOf, work))
        g.add((p, RDF.type, MG.OperativeParagraph if para.kind == "operative" else MG.PreambularParagraph))
        if para.kind == "operative" and para.number is not None:
            g.add((p, MG.paragraphNumber, lit.integer(para.number)))
        if para.section:
            g.add((p, MG.section, lit.plain(para.section)))
        g.add((p, MG.position, lit.integer(position)))
        g.add((p, MG.text, text(para.text)))
        span(p, para.span)
        if para.verb:
            g.add((p, MG.openingVerb, VERB[para.verb]))
        for m in para.modifiers:
            g.add((p, MG.verbModifier, MOD[m]))
        for clause in para.clauses:
            if clause.position:
                g.add((p, MG.positionVerb, VERB[clause.verb]))
        for n in para.footnotes:
            if n in footnotes:
                g.add((p, MG.footnoteRef, footnotes[n]))
        cite(p, para.citations)
        for code in para.instruments:
            g.add((p, MG.citesInstrument, INSTR[code]))
        for w in para.warnings:
            g.add((p, MG.warning, lit.text(w, "en")))
        for clause in para.mandates:
            m = mandate_iri(res, para, clause, base)
            g.add((p, MG.hasMandate, m))
            g.add((m, RDF.type, MG.Mandate))
            g.add((m, MG.inParagraph, p))
            g.add((m, MG.clauseNumber, lit.integer(clause.number)))
            g.add((m, MG.assigner, ACTOR["general-assembly"]))
            g.add((m, MG.verb, VERB[clause.verb]))
            for mod in clause.modifiers:
                g.add((m, MG.verbModifier, MOD[mod]))
            for a in clause.addressees:
                g.add((m, MG.addressee, ACTOR[a]))
            if clause.no_addressee:
                g.add((m, MG.hasNoAddressee, lit.boolean(True)))
            if clause.addressee_text:
                g.add((m, MG.addresseeText, text(clause.addressee_text)))
            g.add((m, MG.actionText, text(clause.text)))
            span(m, clause.span)
            for n in clause.deadlines:
                g.add((m, MG.deadline, SESSION[str(n)]))
            for c in clause.conditions:
                g.add((m, MG.condition, COND[c]))
            g.add((m, MG.requestsReport, lit.boolean(clause.report)))
            for a in clause.report_to:
                g.add((m, MG.reportTo, ACTOR[a]))
            cite(m, clause.citations)

    for n, s in sorted(res.sessions.items()):
        node = SESSION[str(n)]
        g.add((node, RDF.type, MG.Session))
        g.add((node, MG.sessionNumber, lit.integer(n)))
        for prop, day, name in ((TIME.hasBeginning, s.start, "beginning"), (TIME.hasEnd, s.end, "end")):
            instant = SESSION[f"{n}/{name}"]
            g.add((node, prop, instant))
            g.add((instant, RDF.type, TIME.Instant))
            g.add((instant, TIME.inXSDDate, lit.date(day)))
        if s.computed:
            g.add((node, MG.dateComputed, lit.boolean(True)))
    return g


class _Literals:
    """The literals :func:`to_graph` makes, as rdflib terms."""

    @staticmethod
    def text(value: str, lang: str) -> Literal:
        return Literal(value, lang=lang)

    @staticmethod
    def plain(value: str) -> Literal:
        return Literal(value)

    @staticmethod
    def integer(n: int) -> Literal:
        return Literal(n, datatype=XSD.integer)

    @staticmethod
    def boolean(b: bool) -> Literal:
        return Literal(b)

    @staticmethod
    def date(day: dt.date) -> Literal:
        return Literal(day, datatype=XSD.date)

    @staticmethod
    def language(tag: str) -> Literal:
        return Literal(tag, datatype=XSD.language)


class _Written(str):
    """A literal already written as the N-Triples term rdflib writes for it."""

    __slots__ = ()


class _LineLiterals:
    """The same literals for :class:`_Lines`, written as rdflib writes them without making
    rdflib terms (a third of the cost of writing a resolution's N-Triples)."""

    _INTEGER, _BOOLEAN, _DATE, _LANGUAGE = (f"^^<{XSD[t]}>" for t in ("integer", "boolean", "date", "language"))

    @staticmethod
    def text(value: str, lang: str) -> Literal:
        return _Written(f"{_quote_encode(value)}@{lang}")  # type: ignore[return-value]

    @staticmethod
    def plain(value: str) -> Literal:
        return _Written(_quote_encode(value))  # type: ignore[return-value]

    @classmethod
    def integer(cls, n: int) -> Literal:
        return _Written(f'"{int(n)}"{cls._INTEGER}')  # type: ignore[return-value]

    @classmethod
    def boolean(cls, b: bool) -> Literal:
        return _Written(f'"{"true" if b else "false"}"{cls._BOOLEAN}')  # type: ignore[return-value]

    @classmethod
    def date(cls, day: dt.date) -> Literal:
        return _Written(f'"{day.isoformat()}"{cls._DATE}')  # type: ignore[return-value]

    @classmethod
    def language(cls, tag: str) -> Literal:
        return _Written(f'"{tag}"{cls._LANGUAGE}')  # type: ignore[return-value]


_LITERALS, _LINE_LITERALS = _Literals(), _LineLiterals()


class _Lines:
    """Where :func:`to_graph` can add its triples instead of a graph: each kept once, as the
    N-Triples line rdflib writes for it, in the order they come."""

    def __init__(self) -> None:
        self.lines: dict[str, None] = {}
        self._iris: dict[URIRef, str] = {}  # each written (and checked) once

    def add(self, triple: tuple[URIRef, URIRef, URIRef | Literal]) -> None:
        s, p, o = triple
        if type(o) is _Written:
            obj: str = o
        else:
            obj = _quoteLiteral(o) if isinstance(o, Literal) else self._n3(o)
        self.lines[f"{self._n3(s)} {self._n3(p)} {obj} .\n"] = None

    def _n3(self, iri: URIRef) -> str:
        found = self._iris.get(iri)
        if found is None:
            found = self._iris[iri] = iri.n3()
        return found


def to_ntriples(res: Resolution, base: str | None = None) -> str:
    """The graph of ``res`` as N-Triples, the triples :func:`to_graph` gives, without
    building an rdflib graph (a third of the cost of loading a corpus went into that)."""
    sink = _Lines()
    to_graph(res, sink, base)  # type: ignore[arg-type]  # to_graph only adds
    return "".join(sink.lines)


def _expression_only(res: Resolution, g: Graph, base: str | None) -> Graph:
    """The language-specific part of ``res``: see :func:`to_graph`."""
    full = to_graph(res, base=base)
    expr = str(mint(res.symbol, res.language, base=base))
    suffix = f"/span/{res.language}"
    language_specific = {
        MG.text,
        MG.actionText,
        DCTERMS.title,
        MG.sourceSpan,
        MG.hasExpression,
        MG.warning,
        MG.footnoteRef,
    }

    def present(node: str) -> bool:
        # a paragraph or mandate of this text that the other text does not have is left
        # out (align.compare reports it), and so is everything hanging from it
        owner = URIRef(node[: -len(suffix)] if node.endswith(suffix) else node)
        kinds = (MG.Mandate, MG.OperativeParagraph, MG.PreambularParagraph)
        if any((owner, RDF.type, k) in full for k in kinds):
            return any((owner, RDF.type, k) in g for k in kinds)
        return True

    for s, p, o in full:
        subject = str(s)
        if subject.startswith(expr) or subject.endswith(suffix):
            if present(subject):
                g.add((s, p, o))
        elif p in language_specific and present(subject):
            g.add((s, p, o))
    # a document cited only by this text (e.g. in one of its footnotes) is described too
    for doc in set(g.objects(None, MG.cites)):
        if (doc, RDF.type, MG.Document) in full:
            for triple in full.triples((doc, None, None)):
                g.add(triple)
    return g
