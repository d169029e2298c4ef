"""The document model: what the parser reads out of a resolution text, before any RDF."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """Characters ``start``..``end`` (end exclusive, code points) of the source text."""

    start: int
    end: int
    line: int


@dataclass
class Citation:
    """A document cited by a paragraph, clause or footnote, by its UN symbol."""

    symbol: str
    label: str
    offset: int  # where it occurs in the cited-from text


@dataclass
class Footnote:
    number: int
    text: str
    span: Span
    citations: list[Citation] = field(default_factory=list)


@dataclass
class Session:
    """A General Assembly session as a date interval."""

    number: int
    start: dt.date
    end: dt.date
    source: str
    computed: bool


@dataclass
class Clause:
    """One clause of a paragraph that opens with a verb."""

    verb: str  # verb notation
    mandate: bool  # a mandate verb in an operative paragraph
    position: bool  # a position verb (reaffirms, welcomes …)
    modifiers: list[str]
    text: str
    span: Span
    addressees: list[str] = field(default_factory=list)
    addressee_text: str | None = None  # who is asked, when the vocabulary does not know the actor
    no_addressee: bool = False
    deadlines: list[int] = field(default_factory=list)  # session numbers
    conditions: list[str] = field(default_factory=list)
    report: bool = False
    report_to: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    instruments: list[str] = field(default_factory=list)
    number: int | None = None  # mandate number within the paragraph (mandates only)


@dataclass
class Paragraph:
    kind: str  # "preambular" or "operative"
    position: int  # 1-based order within its kind
    number: int | None  # the printed number of an operative paragraph
    text: str
    span: Span
    verb: str | None = None
    modifiers: list[str] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    footnotes: list[int] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    instruments: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    section: str | None = None  # set when numbering starts again in each section

    @property
    def mandates(self) -> list[Clause]:
        return [c for c in self.clauses if c.mandate]


@dataclass
class Resolution:
    """A resolution as read from one language version of its text."""

    symbol: str
    language: str
    source: str  # file name
    title: str | None = None
    session: int | None = None
    agenda_items: list[int] = field(default_factory=list)
    adoption_date: dt.date | None = None
    distribution_date: dt.date | None = None
    committee: str | None = None
    committee_report: str | None = None
    plenary_meeting: int | None = None
    closing_date: dt.date | None = None  # the date under the plenary meeting line
    unnumbered: bool = False  # the operative paragraphs carry no numbers in the text
    preambular: list[Paragraph] = field(default_factory=list)
    operative: list[Paragraph] = field(default_factory=list)
    footnotes: dict[int, Footnote] = field(default_factory=dict)
    sessions: dict[int, Session] = field(default_factory=dict)  # every session referred to
    warnings: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return self.preambular + self.operative

    @property
    def mandates(self) -> list[tuple[Paragraph, Clause]]:
        return [(p, c) for p in self.operative for c in p.mandates]
