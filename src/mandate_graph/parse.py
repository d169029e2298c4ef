"""From resolution text to the document model.

The parser reads the heading, the preambular and operative paragraphs (rejoined across
page breaks), footnotes and citations, and splits each operative paragraph into the
clauses that open with a verb. A clause whose verb is a mandate verb is a mandate: its
addressees, deadlines (General Assembly sessions), conditions and any report it asks for
are read from the clause. Every word it recognises comes from the vocabularies
(:mod:`mandate_graph.vocab`); the layout of a language comes from its profile.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from mandate_graph import numerals
from mandate_graph.errors import InputError
from mandate_graph.model import Citation, Clause, Footnote, Paragraph, Resolution, Session, Span
from mandate_graph.reader import Clean, Line, Source, clean, read_file, read_text
from mandate_graph.vocab import Lexicon, Matcher, languages, lexicon, profile, session_dates

_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
_EN_DATE = re.compile(r"(?P<d>\d{1,2})\s+(?P<month>[A-Za-z]+)\s+(?P<y>\d{4})")


def detect_language(text: str) -> str:
    """The language whose script dominates ``text``."""
    best, best_count = None, 0
    for lang in languages():
        count = len(re.findall(profile(lang)["script"], text[:20000]))
        if count > best_count:
            best, best_count = lang, count
    if best is None or best_count < 20:
        raise InputError("cannot tell the language of the text; give it with --lang " + "|".join(languages()))
    return best


def parse_file(path: str | Path, language: str | None = None) -> Resolution:
    """Read and parse one resolution text file."""
    return parse_source(read_file(path), language)


def parse_text(text: str, name: str = "<text>", language: str | None = None) -> Resolution:
    return parse_source(read_text(text, name), language)


def parse_source(src: Source, language: str | None = None) -> Resolution:
    try:
        lang = language or detect_language(src.text)
    except InputError as e:
        raise InputError(e.message, source=src.name) from None
    if lang not in languages():
        raise InputError(f"no layout profile for language {lang!r}; known: {', '.join(languages())}", source=src.name)
    return _Parser(src, lexicon(lang)).parse()


# --------------------------------------------------------------------------- blocks


@dataclass
class _Block:
    """Consecutive non-blank lines."""

    lines: list[Line]

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def _blocks(lines: Iterable[Line]) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[Line] = []
    for line in lines:
        if line.stripped:
            current.append(line)
        elif current:
            blocks.append(_Block(current))
            current = []
    if current:
        blocks.append(_Block(current))
    return blocks


@dataclass
class _Verb:
    start: int  # where the modifiers (or the verb) start
    end: int
    code: str
    modifiers: list[str]


class _Parser:
    def __init__(self, src: Source, lex: Lexicon) -> None:
        self.src = src
        self.lex = lex
        self.prof = lex.profile
        self.punct = set(self.prof["clause_punctuation"])
        self.connectors = sorted(self.prof["connectors"], key=len, reverse=True)
        self.joiners = sorted(self.prof["joiners"], key=len, reverse=True)
        self.reported = [re.compile(p) for p in self.prof["reported_speech"]]
        self.reset = [re.compile(re.escape(p)) for p in self.prof["reported_speech_reset"]]
        self.numeral = numerals.PARSERS[self.prof["numerals"]]
        cit = self.prof["citation"]
        self.issuers = [(re.compile(f"(?:{i['marker']}){cit['issuer_context']}"), i) for i in cit["issuer"]]

    # ------------------------------------------------------------------ errors

    def error(self, message: str, line: int | None = None) -> InputError:
        return InputError(message, source=self.src.name, line=line)

    # ------------------------------------------------------------------ main

    def parse(self) -> Resolution:
        h = self.prof["heading"]
        assembly = re.compile(h["assembly"])
        lines = self.src.lines
        start = next((i for i, line in enumerate(lines) if assembly.match(line.stripped)), None)
        if start is None:
            raise self.error(
                "not a General Assembly resolution: no line '"
                + ("大会，" if self.lex.language == "zh" else "The General Assembly,")
                + "' opens its text",
                line=1,
            )
        res = Resolution(symbol="", language=self.lex.language, source=Path(self.src.name).name)
        self.read_heading(res, lines[:start], lines[start].number)
        self.read_body(res, lines[start + 1 :])
        self.resolve_sessions(res)
        return res

    # ------------------------------------------------------------------ heading

    def read_heading(self, res: Resolution, lines: list[Line], assembly_line: int) -> None:
        h = self.prof["heading"]
        date_re = re.compile(h["date"])
        stripped = [(line, line.stripped) for line in lines if line.stripped]
        for i, (line, text) in enumerate(stripped):
            if m := re.match(h["session"], text):
                res.session = self.numeral(m.group("n"))
            elif m := re.match(h["agenda_item"], text):
                res.agenda_items = [int(x.translate(_FW)) for x in re.findall(r"[0-9０-９]+", m.group("items"))]
            elif m := re.match(h["adopted"], text):
                res.adoption_date = self.date(date_re, m.group("date"), line.number)
            elif m := re.match(h["committee"], text):
                res.committee = m.group("committee")
                res.committee_report = m.group("report").rstrip(".,")
            elif m := re.match(h["symbol_title"], text):
                number = re.sub(r"\s+", "", m.group("number"))
                res.symbol = "A/RES/" + number
                title = m.group("title").strip()
                # a title that wraps onto the next lines of the same block
                j = i + 1
                while j < len(stripped) and stripped[j][0].number == stripped[j - 1][0].number + 1:
                    title += self.prof["join"] + stripped[j][1]
                    j += 1
                res.title = title
            elif re.match(h["distribution"], text):
                for _, nxt in stripped[i : i + 3]:
                    if dm := _EN_DATE.search(nxt):
                        res.distribution_date = _en_date(dm)
                        break
        if not res.symbol:
            raise self.error(
                "no resolution number and title (such as '80/229. Title') before the opening line; "
                "is this a resolution?",
                line=assembly_line,
            )
        if res.session is None:
            res.session = int(res.symbol.split("/")[2].split("-")[-1]) if res.symbol.count("/") >= 3 else None

    def date(self, date_re: re.Pattern[str], text: str, line: int) -> dt.date | None:
        m = date_re.search(text)
        if not m:
            return None
        try:
            return dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ValueError:
            raise self.error(f"impossible date {m.group(0)!r}", line=line) from None

    # ------------------------------------------------------------------ body

    def read_body(self, res: Resolution, lines: list[Line]) -> None:
        p = self.prof["paragraph"]
        h = self.prof["heading"]
        number_re = re.compile(p["operative_number"])
        footnote_re = re.compile(p["footnote"])
        plenary_re = re.compile(h["plenary"])
        end_date_re = re.compile(h["end_date"])
        join = self.prof["join"]

        paragraphs: list[tuple[str, int | None, Clean, int]] = []  # kind, number, text, line
        current: Clean | None = None
        footnote_since = False
        ended = False
        for block in _blocks(lines):
            first = block.first.stripped
            if all(plenary_re.match(x.stripped) or end_date_re.match(x.stripped) for x in block.lines):
                for x in block.lines:
                    if m := plenary_re.match(x.stripped):
                        res.plenary_meeting = int(m.group("n"))
                ended = True
                continue
            if footnote_re.match(first):
                for line in block.lines:
                    self.read_footnote(res, line, footnote_re)
                footnote_since = True
                continue
            if ended:
                res.warnings.append(f"line {block.first.number}: text after the closing lines ignored")
                continue
            text = Clean()
            for k, line in enumerate(block.lines):
                if k:
                    text.append(join, line.start - 1, contiguous=False)
                text.extend(clean(line.text, line.start))
            text = text.strip()
            m = number_re.match(text.text)
            if m:
                n = int(m.group("n"))
                current = text.cut(m.end()).strip()
                paragraphs.append(("operative", n, current, block.first.number))
            elif current is not None and self.continues(current, text, footnote_since, paragraphs[-1][0]):
                if join:
                    current.append(join, text.offsets[0], contiguous=False)
                current.extend(text)
                kind, n, _, ln = paragraphs[-1]
                paragraphs[-1] = (kind, n, current, ln)
            else:
                if any(k == "operative" for k, *_ in paragraphs):
                    # unnumbered text after the operative part has begun: part of the last paragraph
                    current.append(join, text.offsets[0], contiguous=False)
                    current.extend(text)
                    kind, n, _, ln = paragraphs[-1]
                    paragraphs[-1] = (kind, n, current, ln)
                else:
                    current = text
                    paragraphs.append(("preambular", None, current, block.first.number))
            footnote_since = False

        self.check_numbers(paragraphs)
        if not any(k == "operative" for k, *_ in paragraphs):
            raise self.error("no numbered operative paragraphs after the opening line; is the text complete?")
        _last_kind, last_n, last_text, last_line = paragraphs[-1]
        if not ended:
            if not last_text.text.rstrip().endswith(tuple("。.；;")):
                raise self.error(
                    f"text ends in the middle of paragraph {last_n}: the resolution looks truncated",
                    line=self.src.line_of(last_text.offsets[-1]) if last_text.offsets else last_line,
                )
            res.warnings.append("no closing plenary meeting line")

        counters = {"preambular": 0, "operative": 0}
        for kind, n, text, _ in paragraphs:
            counters[kind] += 1
            para = self.paragraph(res, kind, counters[kind], n, text)
            (res.preambular if kind == "preambular" else res.operative).append(para)

    def continues(self, current: Clean, nxt: Clean, footnote_since: bool, kind: str) -> bool:
        """Whether block ``nxt`` continues the paragraph ``current`` (split by a page break)."""
        tail = current.text.rstrip()
        if not tail or tail[-1] not in self.punct | set("。."):
            return True
        return bool(footnote_since and self.opening_verb(nxt.text) is None)

    def check_numbers(self, paragraphs: list[tuple[str, int | None, Clean, int]]) -> None:
        seen: dict[int, int] = {}
        expected = 1
        for kind, n, _, line in paragraphs:
            if kind != "operative":
                continue
            assert n is not None
            if n in seen:
                raise self.error(
                    f"operative paragraph {n} appears twice (also at line {seen[n]}); renumber the paragraphs",
                    line=line,
                )
            if n != expected:
                raise self.error(
                    f"operative paragraph {expected} is missing: paragraph {n} follows {expected - 1}; "
                    "is the text complete?",
                    line=line,
                )
            seen[n] = line
            expected += 1

    def read_footnote(self, res: Resolution, line: Line, footnote_re: re.Pattern[str]) -> None:
        m = footnote_re.match(line.text.lstrip())
        if not m:
            return
        lead = len(line.text) - len(line.text.lstrip())
        raw = m.group("n").rstrip("/")
        number = int(raw.translate(_SUP))
        body_start = line.start + lead + m.end()
        text = clean(line.text[lead + m.end() :], body_start).strip()
        start, end = text.span(0, len(text.text))
        fn = Footnote(number, text.text, Span(start, end, line.number))
        fn.citations = self.citations(text.text, text)
        res.footnotes.setdefault(number, fn)

    # ------------------------------------------------------------------ paragraphs

    def span(self, text: Clean, start: int = 0, end: int | None = None) -> Span:
        end = len(text.text) if end is None else end
        a, b = text.span(start, end)
        return Span(a, b, self.src.line_of(a))

    def paragraph(self, res: Resolution, kind: str, position: int, number: int | None, text: Clean) -> Paragraph:
        para = Paragraph(kind, position, number, text.text, self.span(text))
        para.footnotes = sorted({n for _, n in text.footnotes})
        para.citations = self.citations(text.text, text)
        for n in para.footnotes:
            fn = res.footnotes.get(n)
            if fn:
                para.citations.extend(c for c in fn.citations if c.symbol not in {x.symbol for x in para.citations})
        para.instruments = self.instruments(text.text)
        verb = self.opening_verb(text.text)
        label = "operative paragraph " + str(number) if kind == "operative" else f"preambular paragraph {position}"
        if verb is None:
            para.warnings.append(f"{label}: no verb from the vocabulary at its start")
        else:
            para.verb, para.modifiers = verb.code, verb.modifiers
        para.clauses = self.clauses(text, verb, operative=kind == "operative")
        k = 0
        for clause in para.clauses:
            if clause.mandate:
                k += 1
                clause.number = k
        return para

    def read_verb(self, text: str, pos: int) -> _Verb | None:
        """Modifiers then a verb at ``pos``; the longest reading wins."""
        start = pos
        direct = self.lex.verbs.match_at(text, pos)
        mods: list[str] = []
        p = pos
        while (m := self.lex.modifiers.match_at(text, p)) is not None:
            mods.append(m[1])
            p = m[0]
            while p < len(text) and text[p].isspace():
                p += 1
        via_mods = self.lex.verbs.match_at(text, p) if mods else None
        if via_mods and (direct is None or via_mods[0] > direct[0]):
            return _Verb(start, via_mods[0], via_mods[1], mods)
        if direct:
            return _Verb(start, direct[0], direct[1], [])
        return None

    def opening_verb(self, text: str) -> _Verb | None:
        pos = len(text) - len(text.lstrip())
        return self.read_verb(text, pos)

    def read_actors(self, text: str, pos: int) -> tuple[list[str], int]:
        """Addressees right after a verb: actor (joiner actor)*."""
        p = _skip_space(text, pos)
        hit = self.lex.actors.match_at(text, p)
        if hit is None:
            return [], pos
        codes = [hit[1]]
        end = hit[0]
        while True:
            q = _skip_space(text, end)
            for joiner in self.joiners:
                if text.startswith(joiner, q):
                    r = _skip_space(text, q + len(joiner))
                    nxt = self.lex.actors.match_at(text, r)
                    if nxt:
                        if nxt[1] not in codes:
                            codes.append(nxt[1])
                        end = nxt[0]
                        break
            else:
                return codes, end

    def boundary(self, text: str, pos: int) -> tuple[bool, bool]:
        """(strong, weak): a clause may start at ``pos`` after punctuation (strong) or
        after a connector word with no punctuation (weak)."""
        back = text[:pos].rstrip()
        connector = False
        changed = True
        while changed:
            changed = False
            for c in self.connectors:
                if back.endswith(c):
                    back = back[: -len(c)].rstrip()
                    connector = changed = True
                    break
        strong = not back or back[-1] in self.punct or back[-1] in "。."
        return strong, connector and not strong

    def clauses(self, text: Clean, opening: _Verb | None, operative: bool) -> list[Clause]:
        s = text.text
        starts: list[tuple[_Verb, list[str], int]] = []  # verb, addressees, end of addressees
        if opening is not None:
            actors, end = self.read_actors(s, opening.end)
            starts.append((opening, actors, end))
        reported = sorted(m.start() for r in self.reported for m in r.finditer(s))
        resets = sorted(m.start() for r in self.reset for m in r.finditer(s))
        pos = opening.end if opening else 0
        while pos < len(s):
            verb = self.read_verb(s, pos)
            if verb is None:
                pos += 1
                continue
            strong, weak = self.boundary(s, pos)
            accept = False
            actors: list[str] = []
            end = verb.end
            if strong or weak:
                actors, end = self.read_actors(s, verb.end)
                if verb.code in self.lex.mandate_verbs:
                    needs = verb.code not in self.lex.addressee_optional and verb.code not in self.lex.default_addressee
                    accept = bool(actors) or (strong and not needs)
                else:
                    accept = strong
            if accept and _in_reported_speech(pos, reported, resets):
                accept = False
            if accept:
                starts.append((verb, actors, end))
                pos = end
            else:
                pos += 1
        clauses = []
        for i, (verb, actors, _) in enumerate(starts):
            end = starts[i + 1][0].start if i + 1 < len(starts) else len(s)
            seg_end = self.trim_end(s, verb.start, end)
            seg = s[verb.start : seg_end]
            mandate = operative and verb.code in self.lex.mandate_verbs
            clause = Clause(
                verb=verb.code,
                mandate=mandate,
                position=verb.code in self.lex.position_verbs,
                modifiers=verb.modifiers,
                text=seg,
                span=self.span(text, verb.start, seg_end),
            )
            clause.citations = [c for c in self.citations(s, text) if verb.start <= c.offset < seg_end]
            clause.instruments = self.instruments(seg)
            if mandate:
                self.fill_mandate(clause, actors, clauses)
            clauses.append(clause)
        return clauses

    def trim_end(self, s: str, start: int, end: int) -> int:
        """Drop trailing connectors, punctuation and spaces of a clause."""
        seg = s[start:end]
        changed = True
        while changed:
            changed = False
            stripped = seg.rstrip().rstrip("".join(self.punct) + "。.")
            for c in self.connectors:
                if stripped.endswith(c) and len(stripped) > len(c):
                    stripped = stripped[: -len(c)]
                    break
            if stripped != seg:
                seg, changed = stripped, True
        return start + len(seg)

    # ------------------------------------------------------------------ mandates

    def fill_mandate(self, clause: Clause, actors: list[str], earlier: list[Clause]) -> None:
        lex = self.lex
        if not actors and clause.verb in lex.default_addressee:
            actors = [lex.default_addressee[clause.verb]]
        clause.addressees = self.refine_parties(actors, clause, earlier)
        clause.no_addressee = not clause.addressees
        clause.deadlines = self.deadlines(clause.text)
        clause.conditions = _codes_in(lex.conditions, clause.text)
        rep = self.prof["report"]
        if any(re.search(p, clause.text) for p in rep["requested"]):
            clause.report = True
            for pattern in rep["to"]:
                if m := re.search(pattern, clause.text):
                    clause.report_to, _ = self.read_actors(m.group("to"), 0)
                    break

    def refine_parties(self, actors: list[str], clause: Clause, earlier: list[Clause]) -> list[str]:
        """A bare "States parties" takes its treaty from the clause's own titles, else from
        the States parties addressed earlier in the paragraph."""
        generic = "states-parties"
        if generic not in actors:
            return actors
        named = [self.lex.parties_actor[i] for i in clause.instruments if i in self.lex.parties_actor]
        if not named:
            specific = {a for c in earlier for a in c.addressees if a.startswith(generic + "-")}
            named = sorted(specific) if len(specific) == 1 else []
        if not named:
            return actors
        out: list[str] = []
        for a in actors:
            for b in named if a == generic else [a]:
                if b not in out:
                    out.append(b)
        return out

    def deadlines(self, text: str) -> list[int]:
        d = self.prof["deadline"]
        out: list[int] = []
        for m in re.finditer(d["session"], text):
            before = text[: m.start()]
            if not re.search(d["preceded_by"], before) or re.search(d["not_preceded_by"], before):
                continue
            a = self.numeral(m.group("a"))
            b = self.numeral(m.group("b")) if m.group("b") else None
            rng = range(a, b + 1) if (b and "至" in m.group(0) and b - a < 10) else [a] + ([b] if b else [])
            for n in rng:
                if n not in out:
                    out.append(n)
        return out

    def resolve_sessions(self, res: Resolution) -> None:
        numbers = {n for _, c in res.mandates for n in c.deadlines}
        if res.session:
            numbers.add(res.session)
        for n in sorted(numbers):
            start, end, source, computed = session_dates(self.lex, n)
            res.sessions[n] = Session(n, start, end, source, computed)

    # ------------------------------------------------------------------ citations

    def instruments(self, text: str) -> list[str]:
        out: list[str] = []
        for m in re.finditer(r"《([^》]+)》", text):
            title = m.group(1).strip()
            hit = self.lex.instruments.match_at(title, 0)
            if hit and hit[0] == len(title) and hit[1] not in out:
                out.append(hit[1])
        return out

    def citations(self, s: str, text: Clean) -> list[Citation]:
        cit = self.prof["citation"]
        out: dict[str, Citation] = {}
        for m in re.finditer(cit["symbol"], s):
            symbol = m.group("symbol").rstrip(".-")
            if re.fullmatch(r"(?:ES|S)-\d+/\d+", symbol):
                symbol = "A/RES/" + symbol
            out.setdefault(symbol, Citation(symbol, m.group("symbol"), m.start()))
        for m in re.finditer(cit["numbered"], s):
            follow = re.match(cit["numbered_follow"], s[m.end() :])
            if not follow:
                continue
            symbol = self.issue_symbol(s, m.start(), m.group("number"), follow.group("kind"))
            if symbol:
                out.setdefault(symbol, Citation(symbol, m.group("number"), m.start()))
        return sorted(out.values(), key=lambda c: c.offset)

    def issue_symbol(self, s: str, pos: int, number: str, kind: str) -> str | None:
        number = re.sub(r"\s+", "", number)
        roman = re.fullmatch(r"(\d+)[A-Z]?(\([IVXLC]+\))", number)
        if roman:
            number = roman.group(1) + roman.group(2)
        window = s[max(0, pos - 300) : pos]
        best: tuple[int, int, dict[str, str]] | None = None
        for regex, issuer in self.issuers:
            for m in regex.finditer(window):
                key = (m.end(), m.end() - m.start())
                if best is None or key > best[:2]:
                    best = (key[0], key[1], issuer)
        decision = kind in ("决定", "decision")
        if best is None:
            year_like = re.match(r"(\d{4})/", number)
            key = "year_default" if year_like and int(year_like.group(1)) >= 1946 else "default"
            issuer = next(i for i in self.prof["citation"]["issuer"] if i.get(key))
        else:
            issuer = best[2]
        template = issuer["decision" if decision else "resolution"]
        return template.format(n=number) if template else None


_FW = str.maketrans("０１２３４５６７８９", "0123456789")
_SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _in_reported_speech(pos: int, reported: list[int], resets: list[int]) -> bool:
    last = max((r for r in reported if r < pos), default=None)
    if last is None:
        return False
    return not any(last < r < pos for r in resets)


def _codes_in(matcher: Matcher, text: str) -> list[str]:
    """Codes of every surface form occurring in ``text``, overlapping allowed, by first occurrence."""
    found: dict[str, int] = {}
    for e in matcher.entries:
        if e.pattern is None:
            i = text.find(e.label)
            at = i if i >= 0 else None
        else:
            m = e.pattern.search(text)
            at = m.start() if m else None
        if at is not None and (e.code not in found or at < found[e.code]):
            found[e.code] = at
    return sorted(found, key=found.__getitem__)


def _en_date(m: re.Match[str]) -> dt.date | None:
    month = _MONTHS.get(m.group("month").lower())
    if not month:
        return None
    try:
        return dt.date(int(m.group("y")), month, int(m.group("d")))
    except ValueError:
        return None
