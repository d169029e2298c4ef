"""The lexicon: surface forms read from the SKOS vocabularies in ``ontology/vocab``.

The parser knows no verb, actor or condition of its own. Each concept's ``skos:prefLabel``
and ``skos:altLabel`` in a language are the forms it matches in texts of that language;
a label containing "…" matches any short run of text (the language profile says how long).
Adding a verb, an actor or a language is therefore a change to the vocabulary files.

An actor's ``mg:anaphor`` labels ("the Office", "该办公室") are the short forms by which a
text refers back to it once named; they are not matched as names but kept apart
(:attr:`Lexicon.anaphors`), since several actors share them and the text decides which
one is meant.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from mandate_graph.iris import MG
from mandate_graph.resources import data_dir, patterns_dir

ELLIPSIS = "…"


@dataclass(frozen=True)
class Entry:
    """One surface form of a concept."""

    label: str
    code: str
    pattern: re.Pattern[str] | None = None  # for labels with a wildcard

    @property
    def weight(self) -> int:
        return len(self.label.replace(ELLIPSIS, ""))


def fold(text: str) -> str:
    """Lower case without changing the length, so that offsets stay valid."""
    lowered = text.lower()
    if len(lowered) == len(text):  # no character became two: each was lowered alone
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def alternation(labels: Iterable[str]) -> str:
    """A regular expression for any of ``labels``, longest first: written as a trie
    ("re(?:quests|affirms)" rather than "requests|reaffirms"), so that the engine reads the
    text once at each position instead of trying every label in turn. Where one label is
    a prefix of another, the longer is tried first, as in an alternation sorted longest first."""
    trie: dict[str, dict] = {}
    for label in labels:
        node = trie
        for ch in label:
            node = node.setdefault(ch, {})
        node[""] = {}  # a label ends here

    def pattern(node: dict[str, dict]) -> str:
        branches = []
        for ch, child in node.items():
            if not ch:
                continue
            run = ch  # characters on which no label branches off or ends: one literal
            while len(child) == 1 and "" not in child:
                ((nxt, child),) = child.items()
                run += nxt
            branches.append(re.escape(run) + pattern(child))
        if not branches:
            return ""
        if "" in node:  # a label ends here: greedy, so a longer one is tried first
            return "(?:" + "|".join(branches) + ")?"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return pattern(trie)


@dataclass
class Matcher:
    """Longest-match lookup of surface forms at a position or anywhere in a text.

    Labels are compared case-insensitively: callers pass text through :func:`fold`.
    With ``words`` (languages written with spaces) a form must start and end at word
    boundaries, so "notes" does not match inside "footnotes"."""

    entries: list[Entry] = field(default_factory=list)
    words: bool = False

    def __post_init__(self) -> None:
        self._literal: dict[str, list[tuple[str, Entry]]] = {}
        self._wild: list[Entry] = []
        for e in sorted(self.entries, key=lambda e: -e.weight):
            if e.pattern is None:
                label = fold(e.label)
                self._literal.setdefault(label[0], []).append((label, e))
            else:
                self._wild.append(e)
        # the wildcard forms that can start with a character, in the order above; forms
        # opening with a wildcard can start with any
        firsts = {fold(e.label)[0] for e in self._wild if self._opens_literally(e)}
        self._wild_any = [e for e in self._wild if not self._opens_literally(e)]
        self._wild_at: dict[str, list[Entry]] = {
            c: [e for e in self._wild if not self._opens_literally(e) or fold(e.label)[0] == c] for c in firsts
        }
        self._starts = set(self._literal) | set(self._wild_at)
        # where a form can start: one of those characters, at a word start when words count
        chars = "".join(re.escape(c) for c in sorted(self._starts))
        boundary = r"(?<![^\W_])" if self.words else ""
        self._start_re = re.compile(f"{boundary}[{chars}]") if chars and not self._wild_any else None
        # the literal forms as one alternation, longest first, starting and ending at a word
        # boundary when words count: the regex engine tries them as the loop did, in C. With
        # no wildcard forms, it also finds where forms occur in a text in one pass.
        ordered = [(fold(e.label), e) for e in sorted(self.entries, key=lambda e: -e.weight) if e.pattern is None]
        self._code: dict[str, str] = {}
        for label, e in ordered:
            self._code.setdefault(label, e.code)
        end = r"(?![^\W_])" if self.words else ""
        self._literal_re = re.compile(f"{boundary}(?:{alternation(self._code)}){end}") if ordered else None
        self._scan_re = self._literal_re if not self._wild else None

    @staticmethod
    def _opens_literally(e: Entry) -> bool:
        return not e.label.startswith(ELLIPSIS) and e.pattern is not None and e.pattern.pattern[:1] == fold(e.label)[:1]

    def _bounded(self, text: str, start: int, end: int) -> bool:
        if not self.words:
            return True
        return not (start > 0 and text[start - 1].isalnum()) and not (end < len(text) and text[end].isalnum())

    def match_at(self, text: str, pos: int) -> tuple[int, str] | None:
        """The longest form starting at ``pos`` of folded ``text``: (end, code), or None."""
        if self.words and pos > 0 and text[pos - 1].isalnum():
            return None
        best: tuple[int, str] | None = None
        wild = self._wild_any
        if pos < len(text):
            c = text[pos]
            if c not in self._starts and not wild:
                return None
            if c in self._literal and self._literal_re is not None:
                m = self._literal_re.match(text, pos)
                if m:
                    best = (m.end(), self._code[m.group()])
            wild = self._wild_at.get(c, wild)
        for e in wild:
            assert e.pattern is not None
            m = e.pattern.match(text, pos)
            if m and self._bounded(text, pos, m.end()) and (best is None or m.end() > best[0]):
                best = (m.end(), e.code)
        return best

    def codes_in(self, text: str) -> list[str]:
        """Codes of every form occurring in folded ``text`` (overlaps allowed), by first occurrence."""
        if self._scan_re is not None and self._scan_re.search(text) is None:
            return []  # no form at all, in one pass (most texts)
        found: dict[str, int] = {}
        for label, e in (x for group in self._literal.values() for x in group):
            i = text.find(label)
            while i >= 0 and not self._bounded(text, i, i + len(label)):
                i = text.find(label, i + 1)
            if i >= 0 and (e.code not in found or i < found[e.code]):
                found[e.code] = i
        for e in self._wild:
            assert e.pattern is not None
            for m in e.pattern.finditer(text):
                if self._bounded(text, m.start(), m.end()):
                    if e.code not in found or m.start() < found[e.code]:
                        found[e.code] = m.start()
                    break
        return sorted(found, key=found.__getitem__)

    def starts(self, text: str) -> list[int]:
        """The positions of folded ``text`` where a form may start, in order: every position
        where :meth:`match_at` finds one is among them."""
        if self._scan_re is not None:  # each next place a form matches, also inside another
            found = []
            m = self._scan_re.search(text)
            while m is not None:
                found.append(m.start())
                m = self._scan_re.search(text, m.start() + 1)
            return found
        if self._start_re is not None:
            return [m.start() for m in self._start_re.finditer(text)]
        return list(range(len(text)))

    def find_all(self, text: str) -> Iterator[tuple[int, int, str]]:
        """Every non-overlapping occurrence, longest first at each position: (start, end, code)."""
        if self._scan_re is not None:
            for m in self._scan_re.finditer(text):
                yield m.start(), m.end(), self._code[m.group()]
            return
        pos = 0
        while pos < len(text):
            if self._start_re is not None:  # jump to the next place a form can start
                m = self._start_re.search(text, pos)
                if m is None:
                    return
                pos = m.start()
            hit = self.match_at(text, pos)
            if hit:
                yield pos, hit[0], hit[1]
                pos = hit[0]
            else:
                pos += 1


@dataclass
class SessionDate:
    number: int
    opening: dt.date
    source: str
    computed: bool


@dataclass
class Profile:
    """Language-specific layout patterns (``patterns/<lang>.toml``)."""

    language: str
    raw: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.raw[key]

    def regex(self, section: str, key: str) -> re.Pattern[str]:
        return _compile(self.raw[section][key])


@functools.cache
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@dataclass
class Lexicon:
    """Everything the parser matches for one language."""

    language: str
    profile: Profile
    verbs: Matcher
    modifiers: Matcher
    actors: Matcher
    conditions: Matcher
    instruments: Matcher
    mandate_verbs: frozenset[str]
    position_verbs: frozenset[str]
    default_addressee: dict[str, str]
    addressee_optional: frozenset[str]
    parties_actor: dict[str, str]  # instrument code -> actor code
    sessions: dict[int, SessionDate]
    actor_parents: dict[str, set[str]]  # actor -> direct parents (part of / subset of)
    anaphors: Matcher  # mg:anaphor labels; an entry's code is its folded label
    anaphor_actors: dict[str, frozenset[str]]  # folded anaphor -> the actors that go by it

    @functools.cached_property
    def openings(self) -> Matcher:
        """Verbs and modifiers in one matcher: where a clause may open."""
        return Matcher(self.verbs.entries + self.modifiers.entries, words=self.verbs.words)

    def antecedents(self, anaphor: str) -> frozenset[str]:
        """The actors that ``anaphor`` (as matched by :attr:`anaphors`) may refer back to."""
        return self.anaphor_actors.get(anaphor, frozenset())


def vocabulary_graph() -> Graph:
    """The ontology and all vocabularies in one graph (a fresh copy)."""
    g = Graph()
    for t in _vocabulary_graph():
        g.add(t)
    for prefix, ns in _vocabulary_graph().namespaces():
        g.bind(prefix, ns)
    return g


@functools.cache
def _vocabulary_graph() -> Graph:
    g = Graph()
    root = data_dir("ontology")
    for path in sorted(root.glob("*.ttl")) + sorted((root / "vocab").glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def vocabulary_files() -> list[Path]:
    root = data_dir("ontology")
    return sorted(root.glob("*.ttl")) + sorted((root / "vocab").glob("*.ttl"))


def languages() -> list[str]:
    """Languages with a layout profile."""
    return sorted(p.stem for p in patterns_dir().glob("*.toml"))


@functools.cache
def profile(language: str) -> Profile:
    path = patterns_dir() / f"{language}.toml"
    if not path.exists():
        raise KeyError(language)
    with path.open("rb") as f:
        return Profile(language, tomllib.load(f))


def _notation(g: Graph, s: URIRef) -> str:
    value = g.value(s, SKOS.notation)
    if value is None:
        raise ValueError(f"{s} has no skos:notation")
    return str(value)


def _entries(g: Graph, cls: URIRef, language: str, wildcard: str) -> list[Entry]:
    """The surface forms in ``language`` of the concepts of class ``cls``."""
    entries = []
    for s in sorted(g.subjects(RDF.type, cls)):
        code = _notation(g, s)
        # an anaphor is a skos:hiddenLabel by entailment; in a closed graph it must still not
        # be read as a name
        anaphors = set(g.objects(s, MG.anaphor))
        for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            for label in g.objects(s, p):
                if isinstance(label, Literal) and label.language == language and label not in anaphors:
                    text = str(label).replace("《", "").replace("》", "") if cls == MG.Instrument else str(label)
                    pattern = None
                    if ELLIPSIS in text:
                        parts = fold(text).split(ELLIPSIS)
                        pattern = re.compile(wildcard.join(re.escape(part) for part in parts))
                    entries.append(Entry(text, code, pattern))
    return entries


def _matcher(g: Graph, cls: URIRef, language: str, wildcard: str, words: bool = False) -> Matcher:
    return Matcher(_entries(g, cls, language, wildcard), words=words)


@functools.cache
def lexicon(language: str) -> Lexicon:
    """The lexicon for ``language`` (e.g. ``"zh"``), read from the vocabularies."""
    prof = profile(language)
    g = _vocabulary_graph()
    wildcard = prof["wildcard"]
    words = bool(prof.raw.get("word_boundaries", False))
    codes = {s: _notation(g, s) for s in g.subjects(SKOS.notation, None) if isinstance(s, URIRef)}
    sessions = {}
    for s in g.subjects(RDF.type, MG.Session):
        n = int(g.value(s, MG.sessionNumber))
        sessions[n] = SessionDate(
            n,
            g.value(s, MG.openingDate).toPython(),
            str(g.value(s, MG.dateSource)),
            bool(g.value(s, MG.dateComputed).toPython()),
        )
    parents: dict[str, set[str]] = {}
    for p in (MG.partOfActor, MG.subsetOfActor):
        for s, o in g.subject_objects(p):
            parents.setdefault(codes[s], set()).add(codes[o])
    referred: dict[str, set[str]] = {}
    for s, label in g.subject_objects(MG.anaphor):
        if isinstance(label, Literal) and label.language == language and (s, RDF.type, MG.Actor) in g:
            referred.setdefault(fold(str(label)), set()).add(codes[s])
    return Lexicon(
        language=language,
        profile=prof,
        verbs=Matcher(
            _entries(g, MG.MandateVerb, language, wildcard) + _entries(g, MG.PositionVerb, language, wildcard),
            words=words,
        ),
        modifiers=_matcher(g, MG.VerbModifier, language, wildcard, words),
        actors=_matcher(g, MG.Actor, language, wildcard, words),
        conditions=_matcher(g, MG.Condition, language, wildcard, words),
        instruments=_matcher(g, MG.Instrument, language, wildcard, words),
        mandate_verbs=frozenset(codes[s] for s in g.subjects(RDF.type, MG.MandateVerb)),
        position_verbs=frozenset(codes[s] for s in g.subjects(RDF.type, MG.PositionVerb)),
        default_addressee={codes[s]: codes[o] for s, o in g.subject_objects(MG.defaultAddressee)},
        addressee_optional=frozenset(
            codes[s] for s, o in g.subject_objects(MG.addresseeOptional) if o.toPython() is True
        ),
        parties_actor={codes[s]: codes[o] for s, o in g.subject_objects(MG.partiesActor)},
        sessions=sessions,
        actor_parents=parents,
        anaphors=Matcher([Entry(label, label) for label in sorted(referred)], words=words),
        anaphor_actors={label: frozenset(actors) for label, actors in referred.items()},
    )


def session_dates(lex: Lexicon, number: int) -> tuple[dt.date, dt.date, str, bool]:
    """Opening and closing day of session ``number``, where the dates come from, and
    whether they were computed (rule 1 of the rules of procedure) rather than published."""

    def opening(n: int) -> tuple[dt.date, str, bool]:
        known = lex.sessions.get(n)
        if known:
            return known.opening, known.source, known.computed
        year = 1945 + n if n >= 1 else 1946
        return _rule_opening(year, n), "computed from rule 1 of the rules of procedure", True

    start, source, computed = opening(number)
    next_start, _, next_computed = opening(number + 1)
    return start, next_start - dt.timedelta(days=1), source, computed or next_computed


def _rule_opening(year: int, number: int) -> dt.date:
    """Opening day by the rule: the Tuesday of the second week of September from the
    78th session on (third week before), counting from the first week that contains at
    least one working day."""
    first = dt.date(year, 9, 1)
    # Monday of the first week that has a working day in September
    monday = first - dt.timedelta(days=first.weekday())
    if first.weekday() >= 5:  # the 1st is a Saturday or Sunday: that week has no working day
        monday += dt.timedelta(days=7)
    week = 2 if number >= 78 else 3
    return monday + dt.timedelta(days=7 * (week - 1) + 1)
