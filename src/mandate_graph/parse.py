"""From resolution text to the document model.

The parser reads the heading, the preambular and operative paragraphs (rejoined across
page breaks), footnotes and citations, and splits each operative paragraph into the
clauses that open with a verb. A clause whose verb is a mandate verb is a mandate: its
addressees, deadlines (General Assembly sessions), conditions and any report it asks for
are read from the clause. Every word it recognises comes from the vocabularies
(:mod:`mandate_graph.vocab`); the layout of a language comes from its profile
(``patterns/<lang>.toml``). Matching is done on a lower-cased copy of the text of the same
length, so positions found there are positions in the text itself.

An addressee given by a short form that refers back ("the Office", "该办公室": an
``mg:anaphor`` of several actors) is the actor among those that was named in full most
recently before it, anywhere earlier in the resolution from its title on; when none of
them was, the addressee stays unresolved, as for an actor not in the vocabulary.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mandate_graph import numerals
from mandate_graph.errors import InputError
from mandate_graph.model import Citation, Clause, Footnote, Paragraph, Resolution, Session, Span
from mandate_graph.reader import Clean, Line, Source, clean, read_file, read_text
from mandate_graph.vocab import Lexicon, fold, languages, lexicon, profile, session_dates

_FW = str.maketrans("０１２３４５６７８９", "0123456789")
_SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def detect_language(text: str) -> str:
    """The language whose script dominates ``text``."""
    sample = text[:20000]
    counts = {lang: _count_chars(profile(lang)["script"], sample) for lang in languages()}
    # a CJK character carries about as much text as a Latin word: weigh accordingly
    weights = {lang: count * (4 if lang == "zh" else 1) for lang, count in counts.items()}
    best = max(weights, key=weights.__getitem__, default=None)
    if best is None or counts[best] < 20:
        raise InputError("cannot tell the language of the text; give it with --lang " + "|".join(languages()))
    return best


def _count_chars(script: str, text: str) -> int:
    """How many characters of ``text`` are in ``script`` (a character class), read a run of
    them at a time rather than one match per character."""
    return sum(map(len, _re(f"(?:{script})+").findall(text)))


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


def roman(text: str) -> int:
    """``XXI`` → 21."""
    total = 0
    values = [_ROMAN[c] for c in text.upper()]
    for i, v in enumerate(values):
        total += -v if i + 1 < len(values) and values[i + 1] > v else v
    return total


def symbol_from_filename(name: str) -> str | None:
    """``A_RES_78_229.en.txt`` → ``78/229``; ``A_RES_2200(XXI).en.txt`` → ``2200(XXI)``."""
    m = re.match(r"A_RES_(.+?)(?:\.[a-z]{2})?\.txt$", Path(name).name)
    if not m:
        return None
    core = m.group(1).rstrip("_")
    core = re.sub(r"_?\(", "(", core)
    parts = core.split("_")
    if len(parts) >= 2 and parts[0].replace("-", "").replace("S", "").replace("E", "").isdigit():
        return f"{parts[0]}/{parts[1]}" + (f" {parts[2]}" if len(parts) > 2 and len(parts[2]) == 1 else "")
    return core


def _norm_symbol(number: str) -> str:
    """A comparable form of a heading's resolution number: no spaces, no part letter,
    OCR's digit 1 for roman I undone."""
    s = re.sub(r"\s+", "", number)
    s = re.sub(r"(?<=\d)[A-C]$", "", s)
    s = re.sub(r"(?<=\d)[A-C](?=\()", "", s)
    s = re.sub(r"\(([IVXL1l]+)\)", lambda m: "(" + m.group(1).replace("1", "I").replace("l", "I") + ")", s)
    return s.rstrip(".")


# --------------------------------------------------------------------------- blocks


@dataclass
class _Block:
    """Consecutive non-blank lines."""

    lines: list[Line]

    @property
    def first(self) -> Line:
        return self.lines[0]


def _blocks(lines: Iterable[Line], starts: re.Pattern[str] | None = None) -> list[_Block]:
    """Blank-line separated blocks; a line matching ``starts`` (a paragraph number) also
    starts a new block, for texts pasted without blank lines between paragraphs."""
    blocks: list[_Block] = []
    current: list[Line] = []
    for line in lines:
        if line.stripped:
            if current and starts is not None and starts.match(line.stripped):
                blocks.append(_Block(current))
                current = []
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
    head: int  # where the verb itself starts


@dataclass
class _Para:
    kind: str
    number: int | None
    text: Clean
    line: int
    section: str | None = None


def _unnamed(pattern: str) -> str:
    """``pattern`` with its named groups made plain, so that patterns can be combined."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


@functools.cache
def _re(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


class _Parser:
    def __init__(self, src: Source, lex: Lexicon) -> None:
        self.src = src
        self.lex = lex
        self.prof = lex.profile
        raw: dict[str, Any] = self.prof.raw
        self.punct = set(raw["clause_punctuation"])
        self.terminal = self.punct | set("。.")
        self.connectors = sorted(raw["connectors"], key=len, reverse=True)
        self.any_connector = tuple(self.connectors)  # for str.endswith: is there one at all?
        self.trailing = "".join(self.punct) + "。."
        self.joiners = sorted(raw["joiners"], key=len, reverse=True)
        self.reported = [_re(p) for p in raw["reported_speech"]]
        self.reset = [_re(re.escape(p)) for p in raw["reported_speech_reset"]]
        self.numeral = numerals.PARSERS[raw["numerals"]]
        noise = raw.get("noise", [])
        self.noise = _re("|".join(f"(?:{_unnamed(p)})" for p in noise)) if noise else None
        self.words = bool(raw.get("word_boundaries"))
        self.finite = _re(raw["finite_verb"]) if raw.get("finite_verb") else None
        self.adjective = _re(raw["adjective_after_verb"]) if raw.get("adjective_after_verb") else None
        para = raw["paragraph"]
        self.marker = para.get("footnote_marker")
        self.section_re = _re(para["section"]) if para.get("section") else None
        self.instrument_re = _re(para["instrument_intro"]) if para.get("instrument_intro") else None
        cit = raw["citation"]
        self.issuers = [(_re(f"(?:{i['marker']}){cit['issuer_context']}"), i) for i in cit["issuer"]]
        months = raw["heading"].get("months", [])
        self.months = {m.lower(): i for i, m in enumerate(months, 1)}
        self.anaphor_end = _re(raw["anaphor_end"]) if raw.get("anaphor_end") else None
        # where each actor was last named in full: (paragraph in text order, offset in it);
        # the title is paragraph 0. ``mentions`` are the namings in the paragraph being read.
        self.named: dict[str, tuple[int, int]] = {}
        self.mentions: list[tuple[int, str]] = []
        self.ordinal = 0
        self.session: int | None = None

    def error(self, message: str, line: int | None = None) -> InputError:
        return InputError(message, source=self.src.name, line=line)

    def is_noise(self, line: Line) -> bool:
        return self.noise is not None and self.noise.match(line.stripped) is not None

    # ------------------------------------------------------------------ main

    def parse(self) -> Resolution:
        h = self.prof["heading"]
        assembly = _re(h["assembly"])
        lines = self.src.lines
        starts = [i for i, line in enumerate(lines) if assembly.match(line.stripped)]
        if not starts:
            opening = "大会，" if self.lex.language == "zh" else "The General Assembly,"
            raise self.error(f"not a General Assembly resolution: no line '{opening}' opens its text", line=1)
        start, heading_from = self.own_resolution(starts)
        res = Resolution(symbol="", language=self.lex.language, source=Path(self.src.name).name)
        self.read_heading(res, lines[heading_from:start], lines[start].number)
        self.session = res.session
        self.mentions = self.names_in(fold(res.title or ""))
        self.remember_names()
        self.read_body(res, lines[start + 1 :])
        if res.adoption_date is None:
            res.adoption_date = res.closing_date
        if res.session is None and res.adoption_date is not None:
            res.session = self.session_of(res.adoption_date)
        self.resolve_sessions(res)
        return res

    def own_resolution(self, starts: list[int]) -> tuple[int, int]:
        """The opening line of the file's own resolution (printed volumes hold several)
        and where its heading starts."""
        lines = self.src.lines
        title = _re(self.prof["heading"]["symbol_title"])
        plenary = _re(self.prof["heading"]["plenary"])
        expected = symbol_from_filename(self.src.name)

        def heading_start(i: int) -> int:
            j = i - 1
            while j >= 0 and not plenary.match(lines[j].stripped) and not (j + 1 < i and j in starts):
                j -= 1
            return j + 1

        if expected and len(starts) > 1:
            want = _norm_symbol(expected)
            for i in starts:
                lo = heading_start(i)
                for line in lines[lo:i]:
                    m = title.match(line.stripped)
                    if m and _norm_symbol(m.group("number")) == want:
                        return i, lo
        return starts[0], heading_start(starts[0])

    # ------------------------------------------------------------------ heading

    def read_heading(self, res: Resolution, lines: list[Line], assembly_line: int) -> None:
        h = self.prof["heading"]
        flags = re.I if h.get("adopted_case_insensitive") else 0
        texts: list[tuple[int, str]] = []
        for block in _blocks(lines):
            joined = self.prof["join"].join(x.stripped for x in block.lines)
            # a bracketed committee line split over two blocks
            if texts and texts[-1][1].startswith("[") and "]" not in texts[-1][1] and joined.endswith("]"):
                texts[-1] = (texts[-1][0], texts[-1][1] + " " + joined)
                continue
            texts.append((block.first.number, joined))
            if len(block.lines) > 1:  # each line on its own too (heading lines may share a block)
                texts.extend((x.number, x.stripped) for x in block.lines)
        for i, (line, text) in enumerate(texts):
            if m := re.match(h["session"], text):
                if not m.groupdict().get("special"):
                    with contextlib.suppress(ValueError):
                        res.session = self.numeral(m.group("n").lower())
            elif m := re.match(h["agenda_item"], text):
                res.agenda_items = [int(x.translate(_FW)) for x in re.findall(r"[0-9０-９]+", m.group("items"))]
            elif m := re.match(h["adopted"], text, flags):
                date = m.group("date") or (texts[i + 1][1] if i + 1 < len(texts) else "")
                res.adoption_date = self.date(date, line)
            elif m := re.match(h["committee"], text, re.S):
                res.committee = re.sub(r"\s+", " ", m.group("committee"))
                res.committee_report = m.group("report").rstrip(".,")
            elif not res.symbol and (m := re.match(h["symbol_title"], text)):
                self.read_symbol(res, m, texts[i + 1 :])
            elif re.match(h["distribution"], text):
                for _, nxt in texts[i : i + 4]:
                    # the distribution line is in English whatever the language of the text
                    if d := self.date(nxt, line, strict=False) or _english_date(nxt):
                        res.distribution_date = d
                        break
        if not res.symbol:
            raise self.error(
                "no resolution number and title (such as '80/229. Title') before the opening line; "
                "is this a resolution?",
                line=assembly_line,
            )

    def part_letter(self, number: str) -> str | None:
        """The part (A, B, C …) of a resolution adopted in parts, when the heading's number
        lacks it (it is printed after the title or on a line of its own) and the file name
        gives it: ``A_RES_72_266_B.en.txt`` read as ``72/266`` is A/RES/72/266 B, not the
        A/RES/72/266 of part A."""
        expected = symbol_from_filename(self.src.name)
        if not expected or re.search(r"\s[A-Z]$", number):
            return None
        m = re.fullmatch(r"(.+) ([A-Z])", expected)
        return m.group(2) if m and _norm_symbol(m.group(1)) == _norm_symbol(number) else None

    def read_symbol(self, res: Resolution, m: re.Match[str], rest: list[tuple[int, str]]) -> None:
        number = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", m.group("number")).strip())
        if r := re.fullmatch(r"(\d+)\s*(?:[A-Z]\s*)?\(\s*([IVXL1l]+)\s*\)", number):
            numeral = r.group(2).replace("1", "I").replace("l", "I")
            res.symbol = f"A/RES/{r.group(1)}({numeral})"
            res.session = roman(numeral)
        else:
            part = self.part_letter(number)
            res.symbol = "A/RES/" + number + (f" {part}" if part else "")
            head = number.split("/")[0]
            if head.isdigit():
                res.session = int(head)
        title = m.group("title").strip().rstrip("*").strip()
        if (part := res.symbol[-1]) and res.symbol[-2:-1] == " " and title.endswith(f" {part}"):
            title = title[:-2].rstrip()  # "… Republic B*": the part letter printed after the title
        if not title and rest:
            title = rest[0][1]
        res.title = title or None

    def date(self, text: str, line: int, strict: bool = True) -> dt.date | None:
        m = _re(self.prof["heading"]["date"]).search(text)
        if not m:
            return None
        month = m.group("m")
        month_n = int(month) if month.isdigit() else self.months.get(month.lower())
        try:
            return dt.date(int(m.group("y")), month_n or 0, int(m.group("d")))
        except ValueError:
            if strict:
                raise self.error(f"impossible date {m.group(0)!r}", line=line) from None
            return None

    def session_of(self, day: dt.date) -> int | None:
        """The regular session whose interval holds ``day``."""
        for n in range(max(1, day.year - 1947), day.year - 1943):
            start, end, _, _ = session_dates(self.lex, n)
            if start <= day <= end:
                return n
        return None

    # ------------------------------------------------------------------ body

    def read_body(self, res: Resolution, lines: list[Line]) -> None:
        p = self.prof["paragraph"]
        h = self.prof["heading"]
        number_re = _re(p["operative_number"])
        footnote_re = _re(p["footnote"])
        plenary_re = _re(h["plenary"])
        end_date_re = _re(h["end_date"])
        join = self.prof["join"]

        paras: list[_Para] = []
        current: Clean | None = None
        footnote_since = False
        ended = False
        instrument = False
        after_end = 0
        section: str | None = None
        last_section: str | None = None
        runs = 1
        starts = _re(_unnamed(f"(?:{p['operative_number']}|{p['footnote']})\\S|{h['plenary']}"))
        for block in self.body_blocks(lines, starts):
            first = block.first.stripped
            if ended:
                if len(block.lines) == 1 and end_date_re.match(first) and res.closing_date is None:
                    res.closing_date = self.date(first, block.first.number, strict=False)
                elif len(block.lines) == 1 and (m := plenary_re.match(first)) and res.plenary_meeting is None:
                    res.plenary_meeting = int(m.group("n")) if m.groupdict().get("n") else None
                elif footnote_re.match(first):  # notes printed after the closing lines
                    for line in block.lines:
                        self.read_footnote(res, line, footnote_re)
                else:
                    after_end += 1
                continue
            if all(plenary_re.match(x.stripped) or end_date_re.match(x.stripped) for x in block.lines):
                for x in block.lines:
                    if m := plenary_re.match(x.stripped):
                        n = m.groupdict().get("n")
                        res.plenary_meeting = int(n) if n else res.plenary_meeting
                    if d := self.date(x.stripped, x.number, strict=False):
                        res.closing_date = d
                ended = True
                continue
            if instrument:
                continue
            if footnote_re.match(first) and not (number_re.match(first) and paras):
                for line in block.lines:
                    self.read_footnote(res, line, footnote_re)
                footnote_since = True
                continue
            heading = self.heading(block)
            if heading is not None:
                section = heading or section
                continue
            text = Clean()
            for k, line in enumerate(block.lines):
                if k:
                    text.append(join or "", line.start - 1, contiguous=False)
                text.extend(clean(line.text, line.start, self.marker))
            text = text.strip()
            if not text.text:
                continue
            m = number_re.match(text.text) or self.bare_number(text.text, paras)
            if m:
                n = int(m.group("n"))
                if n == 1 and any(x.kind == "operative" and x.number for x in paras):
                    # numbering starts again: a new section, named by its heading if it had one
                    runs += 1
                    if section is None or section == last_section:
                        section = str(runs)
                if runs == 1 and section is None:
                    section = None
                current = text.cut(m.end()).strip()
                paras.append(_Para("operative", n, current, block.first.number, section))
                last_section = section
            elif current is not None and (
                any(x.kind == "operative" for x in paras) or self.continues(current, text, footnote_since)
            ):
                # a continuation after a page break, or a sub-item (a), (b) … of the paragraph
                if join:
                    current.append(join, text.offsets[0], contiguous=False)
                current.extend(text)
            else:
                current = text
                paras.append(_Para("preambular", None, current, block.first.number, section))
            footnote_since = False
            if self.instrument_re and self.instrument_re.search(fold(paras[-1].text.text)):
                # "Adopts the following Declaration:" — the rest is the instrument's text
                instrument = True
                if paras[-1].kind == "preambular":
                    paras[-1].kind = "operative"
        if after_end:
            res.warnings.append(f"{after_end} blocks after the closing lines (annexes, other texts) not read")
        if instrument:
            res.warnings.append("the text of an instrument adopted by the resolution follows it and is not read")

        numbered = any(x.kind == "operative" and x.number is not None for x in paras)
        if not numbered:
            self.unnumbered(res, paras)
        self.check_numbers(paras)
        if not any(x.kind == "operative" for x in paras):
            raise self.error("no operative paragraphs after the opening line; is the text complete?")
        last = paras[-1]
        if not ended:
            if not last.text.text.rstrip().endswith(tuple("。.；;")):
                raise self.error(
                    f"text ends in the middle of paragraph {last.number or len(paras)}: the resolution looks truncated",
                    line=self.src.line_of(last.text.offsets[-1]) if last.text.offsets else last.line,
                )
            res.warnings.append("no closing plenary meeting line")

        restarts = runs > 1
        if restarts:  # the first run gets a name too, so that every paragraph IRI is unique
            first_run = next((x.section for x in paras if x.kind == "operative"), None)
            for x in paras:
                if x.kind == "operative" and x.section == first_run and first_run is None:
                    x.section = "1"
        counters = {"preambular": 0, "operative": 0}
        for x in paras:
            counters[x.kind] += 1
            para = self.paragraph(res, x, counters[x.kind])
            if restarts:
                para.section = x.section
            (res.preambular if x.kind == "preambular" else res.operative).append(para)

    def body_blocks(self, lines: list[Line], starts: re.Pattern[str]) -> list[_Block]:
        """The blocks of the body without conversion noise; for texts pasted without blank
        lines, paragraphs run together on one line are cut apart, and a line that opens
        with a verb after a line that ends a paragraph starts a block of its own."""
        kept = self.split_inline_numbers([x for x in lines if not self.is_noise(x)])
        out: list[_Block] = []
        for block in _blocks(kept, starts):
            out.extend(self.split_at_verbs(block))
        return out

    def split_inline_numbers(self, lines: list[Line]) -> list[Line]:
        """Each numbered paragraph on a line of its own, where the profile knows how a
        paragraph number looks inside a line ("…；２．要求…") and the number is the next one."""
        pattern = self.prof["paragraph"].get("inline_number")
        if not pattern:
            return lines
        number_re = _re(self.prof["paragraph"]["operative_number"])
        inline = _re(pattern)
        out: list[Line] = []
        last = 0
        for line in lines:
            if m := number_re.match(line.stripped):
                last = int(m.group("n"))
            cut = 0
            for m in inline.finditer(line.text):
                if int(m.group("n")) == last + 1:
                    out.append(Line(line.number, line.start + cut, line.text[cut : m.start("n")]))
                    cut = m.start("n")
                    last += 1
            out.append(Line(line.number, line.start + cut, line.text[cut:]) if cut else line)
        return out

    def split_at_verbs(self, block: _Block) -> list[_Block]:
        out = [_Block([block.first])]
        for prev, line in itertools.pairwise(block.lines):
            ends = prev.stripped[-1:] in self.terminal
            if ends and self.opening_verb(fold(line.stripped)) is not None:
                out.append(_Block([line]))
            else:
                out[-1].lines.append(line)
        return out

    def bare_number(self, text: str, paras: list[_Para]) -> re.Match[str] | None:
        """A paragraph number printed without its dot ("26 Condemns …"): taken as one when it
        continues the numbering and a verb of the vocabulary follows it."""
        pattern = self.prof["paragraph"].get("operative_number_bare")
        m = _re(pattern).match(text) if pattern else None
        if m is None:
            return None
        last = next((x.number for x in reversed(paras) if x.kind == "operative"), None)
        if last is None or int(m.group("n")) != last + 1:
            return None
        return m if self.opening_verb(fold(text[m.end() :])) is not None else None

    def heading(self, block: _Block) -> str | None:
        """A section heading ("II Human resources", "A. Capacity-building", a title in
        capitals) as its section name ("" when it has none), or None for other blocks."""
        text = " ".join(x.stripped for x in block.lines)
        if len(text) > 250 or text[-1:] in self.terminal:
            return None
        if self.section_re and (m := self.section_re.match(text)):
            return m.group("section")
        letters = [c for c in text if c.isalpha()]
        if len(letters) > 3 and all(c.isupper() for c in letters) and any(c.isascii() for c in letters):
            return ""
        return None

    def unnumbered(self, res: Resolution, paras: list[_Para]) -> None:
        """A resolution whose operative part is not numbered: its last paragraphs that end
        a sentence (preambular paragraphs end with a comma) are the operative ones."""
        ends = (*tuple(self.prof.raw.get("sentence_end", "。.")), "。")
        k = len(paras)
        while k > 0 and paras[k - 1].text.text.rstrip().endswith(ends) and paras[k - 1].kind != "operative":
            k -= 1
        trailing = [x for x in paras[k:] if x.kind == "preambular"]
        if not trailing and not any(x.kind == "operative" for x in paras) and paras:
            trailing = [paras[-1]]
        for n, x in enumerate([x for x in paras if x.kind == "operative"] + trailing, start=1):
            x.kind, x.number = "operative", n
        res.unnumbered = True
        res.warnings.append("the operative paragraphs are not numbered in the text")

    def continues(self, current: Clean, nxt: Clean, footnote_since: bool) -> bool:
        """Whether block ``nxt`` continues the paragraph ``current`` (split by a page break,
        or a list of items after a colon)."""
        tail = current.text.rstrip()
        if not tail or tail[-1] not in self.terminal:
            return True
        if tail[-1] in ":：":
            return True
        return bool(footnote_since and self.opening_verb(fold(nxt.text)) is None)

    def check_numbers(self, paras: list[_Para]) -> None:
        seen: dict[tuple[str | None, int], int] = {}
        expected = 1
        for x in paras:
            if x.kind != "operative" or x.number is None:
                continue
            n = x.number
            if n == 1 and expected > 1:
                expected = 1  # numbering starts again in a new section
            key = (x.section, n)
            if key in seen:
                raise self.error(
                    f"operative paragraph {n} appears twice (also at line {seen[key]}); renumber the paragraphs",
                    line=x.line,
                )
            if n != expected:
                raise self.error(
                    f"operative paragraph {expected} is missing: paragraph {n} follows {expected - 1}; "
                    "is the text complete?",
                    line=x.line,
                )
            seen[key] = x.line
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
        fn.citations = self.citations(text.text)
        res.footnotes.setdefault(number, fn)

    # ------------------------------------------------------------------ paragraphs

    def span(self, text: Clean, start: int = 0, end: int | None = None) -> Span:
        end = len(text.text) if end is None else end
        a, b = text.span(start, end)
        return Span(a, b, self.src.line_of(a))

    def paragraph(self, res: Resolution, x: _Para, position: int) -> Paragraph:
        text = x.text
        para = Paragraph(x.kind, position, x.number, text.text, self.span(text))
        para.footnotes = sorted({n for _, n in text.footnotes})
        own = self.citations(text.text)
        para.citations = list(own)
        for n in para.footnotes:
            fn = res.footnotes.get(n)
            if fn:
                known = {c.symbol for c in para.citations}
                para.citations.extend(c for c in fn.citations if c.symbol not in known)
        folded = fold(text.text)
        self.ordinal += 1
        self.mentions = self.names_in(folded)
        para.instruments = self.instruments(text.text, folded)
        verb = self.opening_verb(folded)
        label = f"operative paragraph {x.number}" if x.kind == "operative" else f"preambular paragraph {position}"
        if verb is None:
            para.warnings.append(f"{label}: no verb from the vocabulary at its start")
        else:
            para.verb, para.modifiers = verb.code, verb.modifiers
        para.clauses = self.clauses(text, folded, verb, x.kind == "operative", own)
        k = 0
        for clause in para.clauses:
            if clause.mandate:
                k += 1
                clause.number = k
                if not clause.addressees and not clause.no_addressee:
                    para.warnings.append(self.unresolved(label, clause))
        self.remember_names()
        return para

    def unresolved(self, label: str, clause: Clause) -> str:
        """The warning for a mandate whose addressee has no actor code."""
        verb = clause.verb.replace("-", " ")
        text = clause.addressee_text
        if text and self.lex.antecedents(fold(text)):
            return (
                f"{label}: the addressee of '{verb}' ({text!r}) refers back to an actor, "
                "but none that goes by that name is named earlier in the text"
            )
        return f"{label}: the addressee of '{verb}' is not in the actor vocabulary" + (f" ({text!r})" if text else "")

    def names_in(self, folded: str) -> list[tuple[int, str]]:
        """Where actors are named in full in ``folded``: (offset, code), in text order."""
        return [(start, code) for start, _, code in self.lex.actors.find_all(folded)]

    def remember_names(self) -> None:
        """Keep the namings of the text just read (``mentions``) as the latest ones for
        anaphors further on."""
        for start, code in self.mentions:
            self.named[code] = (self.ordinal, start)
        self.mentions = []

    def read_verb(self, folded: str, pos: int) -> _Verb | None:
        """Modifiers, a verb, modifiers after it, at ``pos``; the longest reading wins."""
        direct = self.lex.verbs.match_at(folded, pos)
        mods: list[str] = []
        p = pos
        while (m := self.lex.modifiers.match_at(folded, p)) is not None:
            mods.append(m[1])
            p = _skip_space(folded, m[0])
        via_mods = self.lex.verbs.match_at(folded, p) if mods else None
        if via_mods and (direct is None or via_mods[0] > direct[0]):
            verb = _Verb(pos, via_mods[0], via_mods[1], mods, p)
        elif direct:
            verb = _Verb(pos, direct[0], direct[1], [], pos)
        else:
            return None
        if self.words:  # "Decides also", "Recalling further"
            q = _skip_space(folded, verb.end)
            while (m := self.lex.modifiers.match_at(folded, q)) is not None:
                if self.qualifies_noun(folded, q, m[0]):
                    break
                verb.modifiers.append(m[1])
                verb.end = m[0]
                q = _skip_space(folded, m[0])
        return verb

    def qualifies_noun(self, folded: str, pos: int, end: int) -> bool:
        """Whether the modifier word at ``pos`` after a verb qualifies the noun that follows
        it ("Calls for further efforts") rather than the verb ("Decides further that")."""
        if self.adjective is None or not self.adjective.match(folded, pos):
            return False
        return self.lex.actors.match_at(folded, _skip_space(folded, end)) is None

    def opening_verb(self, folded: str) -> _Verb | None:
        pos = len(folded) - len(folded.lstrip())
        return self.read_verb(folded, pos)

    def actor_at(self, folded: str, pos: int, base: int = 0) -> tuple[int, str] | None:
        """The actor named at ``pos`` of ``folded`` (which starts at offset ``base`` of the
        paragraph being read): by a name, or by an anaphor that refers back to it. The longer
        reading wins, so "the Office for Outer Space Affairs" is a name, not "the Office"."""
        hit = self.lex.actors.match_at(folded, pos)
        back = self.lex.anaphors.match_at(folded, pos)
        if back is None or (hit is not None and hit[0] >= back[0]):
            return hit
        end, anaphor = back
        if self.anaphor_end is not None and not self.anaphor_end.match(folded, end):
            return hit  # the start of a longer name: "the Office of Legal Affairs"
        code = self.antecedent(anaphor, base + pos)
        return (end, code) if code else hit

    def antecedent(self, anaphor: str, pos: int) -> str | None:
        """The actor ``anaphor`` at offset ``pos`` of the paragraph refers back to: of the
        actors that go by it, the one named in full most recently before it."""
        actors = self.lex.antecedents(anaphor)
        here = [code for start, code in self.mentions if start < pos and code in actors]
        if here:
            return here[-1]
        earlier = [(self.named[code], code) for code in actors if code in self.named]
        return max(earlier)[1] if earlier else None

    def read_actors(self, folded: str, pos: int, base: int = 0) -> tuple[list[str], int]:
        """Addressees right after a verb: actor (joiner actor)*. ``base`` is where ``folded``
        starts in the paragraph being read."""
        p = _skip_space(folded, pos)
        hit = self.actor_at(folded, p, base)
        for lead in self.prof.raw.get("addressee_lead", []):
            if hit is None and folded.startswith(lead + " ", p):
                hit = self.actor_at(folded, _skip_space(folded, p + len(lead)), base)
        if hit is None:
            return [], pos
        codes = [hit[1]]
        end = hit[0]
        while True:
            q = _skip_space(folded, end)
            for joiner in self.joiners:
                if folded.startswith(joiner, q):
                    r = _skip_space(folded, q + len(joiner))
                    nxt = self.actor_at(folded, r, base)
                    if nxt:
                        if nxt[1] not in codes:
                            codes.append(nxt[1])
                        end = nxt[0]
                        break
            else:
                return codes, end

    def addressee_phrase(self, folded: str, pos: int) -> str | None:
        """The words naming an addressee the vocabulary does not know ("the Special
        Rapporteur to …"), where the language profile says how to find them, or an
        anaphor ("该办公室") that refers back to no actor named earlier."""
        p = _skip_space(folded, pos)
        pattern = self.prof.raw.get("addressee_phrase")
        if pattern and (m := _re(pattern).match(folded, p)):
            return m.group("actor")
        # an anaphor with nothing to refer back to, in a language without such a pattern
        back = self.lex.anaphors.match_at(folded, p)
        if back and (self.anaphor_end is None or self.anaphor_end.match(folded, back[0])):
            return folded[p : back[0]]
        return None

    def boundary(self, folded: str, pos: int) -> tuple[bool, bool]:
        """(strong, weak): a clause may start at ``pos`` after punctuation (strong) or
        after a connector word with no punctuation (weak)."""
        back = folded[:pos].rstrip()
        connector, changed = False, True
        while changed and back.endswith(self.any_connector):
            changed = False
            for c in self.connectors:
                if back.endswith(c) and (not self.words or len(back) == len(c) or not back[-len(c) - 1].isalnum()):
                    back = back[: -len(c)].rstrip()
                    connector = changed = True
                    break
        strong = not back or back[-1] in self.terminal
        return strong, connector and not strong

    def clauses(
        self, text: Clean, folded: str, opening: _Verb | None, operative: bool, citations: list[Citation]
    ) -> list[Clause]:
        """The clauses of a paragraph (``citations``: those of its text)."""
        s = text.text
        starts: list[tuple[_Verb, list[str], str | None]] = []
        if opening is not None:
            actors, _ = self.read_actors(folded, opening.end)
            phrase = None if actors else self.addressee_phrase(folded, opening.end)
            starts.append((opening, actors, phrase))
        reported: tuple[list[int], list[int]] | None = None  # read when first needed
        resume = opening.end if opening else 0
        for pos in self.lex.openings.starts(folded):  # where a verb or a modifier may start
            if pos < resume:  # inside the verb of the clause found last
                continue
            verb = self.read_verb(folded, pos)
            if verb is None or (operative and not self.opens_operative_clause(folded, verb)):
                continue
            strong, weak = self.boundary(folded, pos)
            accept = False
            actors: list[str] = []
            phrase = None
            if strong or weak:
                actors, _ = self.read_actors(folded, verb.end)
                if verb.code in self.lex.mandate_verbs:
                    needs = verb.code not in self.lex.addressee_optional and verb.code not in self.lex.default_addressee
                    if not actors and strong and needs:
                        phrase = self.addressee_phrase(folded, verb.end)
                    accept = bool(actors) or (strong and (not needs or phrase is not None))
                else:
                    accept = strong
            if accept:
                if reported is None:
                    reported = self.reported_speech(folded)
                accept = not _in_reported_speech(pos, *reported)
            if accept:
                starts.append((verb, actors, phrase))
                resume = verb.end
        clauses = []
        for i, (verb, actors, phrase) in enumerate(starts):
            end = starts[i + 1][0].start if i + 1 < len(starts) else len(s)
            seg_end = self.trim_end(folded, verb.start, end)
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
            clause.citations = [c for c in citations if verb.start <= c.offset < seg_end]
            clause.instruments = self.instruments(seg, folded[verb.start : seg_end])
            if mandate:
                self.fill_mandate(clause, folded[verb.start : seg_end], verb.start, actors, phrase, clauses)
            clauses.append(clause)
        return clauses

    def reported_speech(self, folded: str) -> tuple[list[int], list[int]]:
        """Where reported speech starts in ``folded`` ("in which"), and where it stops."""
        starts = sorted(m.start() for r in self.reported for m in r.finditer(folded))
        resets = sorted(m.start() for r in self.reset for m in r.finditer(folded))
        return starts, resets

    def opens_operative_clause(self, folded: str, verb: _Verb) -> bool:
        """Whether ``verb`` may open a clause inside an operative paragraph: where the
        language marks it, only a finite form does ("requests", not "taking into account")."""
        return self.finite is None or self.finite.match(folded, verb.head) is not None

    def trim_end(self, folded: str, start: int, end: int) -> int:
        """Drop trailing connectors, punctuation and spaces of a clause."""
        seg = folded[start:end]
        changed = True
        while changed:
            changed = False
            stripped = seg.rstrip().rstrip(self.trailing)
            if stripped.endswith(self.any_connector):
                for c in self.connectors:
                    if stripped.endswith(c) and len(stripped) > len(c):
                        if self.words and stripped[-len(c) - 1].isalnum():
                            continue
                        stripped = stripped[: -len(c)]
                        break
            if stripped != seg:
                seg, changed = stripped, True
        return start + len(seg)

    # ------------------------------------------------------------------ mandates

    def fill_mandate(
        self, clause: Clause, folded: str, start: int, actors: list[str], phrase: str | None, earlier: list[Clause]
    ) -> None:
        """Addressees, deadlines, conditions and report of the mandate ``clause``, whose
        lower-cased text ``folded`` starts at offset ``start`` of its paragraph."""
        lex = self.lex
        if not actors and clause.verb in lex.default_addressee:
            actors = [lex.default_addressee[clause.verb]]
        clause.addressees = self.refine_parties(actors, clause, earlier)
        clause.addressee_text = phrase.strip() if phrase and not clause.addressees else None
        if clause.addressee_text:
            clause.addressee_text = clause.text[folded.find(clause.addressee_text) :][: len(clause.addressee_text)]
        clause.no_addressee = not clause.addressees and not clause.addressee_text
        clause.deadlines = self.deadlines(folded, clause)
        clause.conditions = lex.conditions.codes_in(folded)
        rep = self.prof["report"]
        if any(_re(p).search(folded) for p in rep["requested"]):
            clause.report = True
            for pattern in rep["to"]:
                if m := _re(pattern).search(folded):
                    clause.report_to, _ = self.read_actors(m.group("to"), 0, start + m.start("to"))
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

    def deadlines(self, folded: str, clause: Clause) -> list[int]:
        d = self.prof["deadline"]
        out: list[int] = []
        own = self.lex.default_addressee.get(clause.verb) in clause.addressees
        for m in _re(d["session"]).finditer(folded):
            before, after = folded[: m.start()], folded[m.end() :]
            context = bool(
                _re(d["preceded_by"]).search(before) or (d.get("followed_by") and _re(d["followed_by"]).match(after))
            )
            if not context and own and d.get("self_reference") and _re(d["self_reference"]).search(m.group(0)):
                context = True
            numbers = []
            for token in _re(d["number"]).findall(m.group("list")):
                try:
                    numbers.append(self.numeral(token))
                except ValueError:
                    continue
            if not context and self.assembly_by_default(m.group(0), after, numbers):
                context = True
            if not context or _re(d["not_preceded_by"]).search(before):
                continue
            if (
                d.get("range_word")
                and len(numbers) == 2
                and d["range_word"] in m.group("list")
                and 0 < numbers[1] - numbers[0] < 10
            ):
                numbers = list(range(numbers[0], numbers[1] + 1))
            for n in numbers:
                if n not in out:
                    out.append(n)
        return out

    def assembly_by_default(self, phrase: str, after: str, numbers: list[int]) -> bool:
        """ "during the seventy-eighth session", no body named: the Assembly's own session,
        when the profile allows it and the numbers lie in its window around the
        resolution's session (another body's sessions are numbered far from the Assembly's)."""
        d = self.prof["deadline"]
        window = d.get("assembly_window")
        if not window or self.session is None or not numbers:
            return False
        if not _re(d["definite"]).search(phrase) or _re(d["definite_not_followed_by"]).match(after):
            return False
        return all(self.session + window[0] <= n <= self.session + window[1] for n in numbers)

    def resolve_sessions(self, res: Resolution) -> None:
        numbers = {n for _, c in res.mandates for n in c.deadlines}
        if res.session:
            numbers.add(res.session)
        for n in sorted(numbers):
            start, end, source, computed = session_dates(self.lex, n)
            res.sessions[n] = Session(n, start, end, source, computed)

    # ------------------------------------------------------------------ citations

    def instruments(self, text: str, folded: str) -> list[str]:
        title_re = self.prof["paragraph"].get("instrument_title")
        if not title_re:
            return self.lex.instruments.codes_in(folded)
        out: list[str] = []
        for m in _re(title_re).finditer(folded):
            title = m.group(1).strip()
            hit = self.lex.instruments.match_at(title, 0)
            if hit and hit[0] == len(title) and hit[1] not in out:
                out.append(hit[1])
        return out

    def citations(self, s: str) -> list[Citation]:
        cit = self.prof["citation"]
        folded = fold(s)
        out: dict[str, Citation] = {}
        for m in _re(cit["symbol"]).finditer(s):
            symbol = m.group("symbol").rstrip(".-")
            if _re(r"(?:ES|S)-\d+/\d+").fullmatch(symbol):
                symbol = "A/RES/" + symbol
            out.setdefault(symbol, Citation(symbol, m.group("symbol"), m.start()))
        for m in _re(cit["numbered"]).finditer(s):
            kind = self.citation_kind(s, folded, m)
            if kind is None:
                continue
            if cit.get("not_followed_by") and _re(cit["not_followed_by"]).match(folded[m.end() : m.end() + 200]):
                continue
            symbol = self.issue_symbol(folded, m.start(), m.group("number"), kind)
            if symbol and symbol not in out:
                out[symbol] = Citation(symbol, m.group("number"), m.start())
        return sorted(out.values(), key=lambda c: c.offset)

    def citation_kind(self, s: str, folded: str, m: re.Match[str]) -> str | None:
        """ "resolution" or "decision" when the number ``m`` is cited as one (the words
        before it, or after it in Chinese, say so), else None."""
        cit = self.prof["citation"]
        if cit.get("numbered_follow") and (f := _re(cit["numbered_follow"]).match(s[m.end() :])):
            return f.group("kind")
        before = folded[max(0, m.start() - 400) : m.start()]
        if cit.get("numbered_precede") and (f := _re(cit["numbered_precede"]).search(before)):
            return f.group("kind")
        return None

    def issue_symbol(self, folded: str, pos: int, number: str, kind: str) -> str | None:
        number = re.sub(r"\s+", "", unicodedata.normalize("NFKC", number))
        year_paren = re.fullmatch(r"(\d+)\((\d{4})\)", number)
        roman_n = re.fullmatch(r"(\d+)[A-Z]?(\([IVXLC]+\))", number)
        if roman_n:
            number = roman_n.group(1) + roman_n.group(2)
        # a part letter is written after a space, as in the symbol of the resolution itself
        # ("resolution 48/218 B" and "48/218B" both cite A/RES/48/218 B)
        number = re.sub(r"^(\d+/\d+)([A-Z])$", r"\1 \2", number)
        window = folded[max(0, pos - 300) : pos]
        best: tuple[int, int, dict[str, str]] | None = None
        for regex, issuer in self.issuers:
            for m in regex.finditer(window):
                key = (m.end(), m.end() - m.start())
                if best is None or key > best[:2]:
                    best = (key[0], key[1], issuer)
        decision = kind.startswith(("决定", "decision"))
        if best is None:
            year_like = re.match(r"(\d{4})/", number)
            key = "year_default" if year_like and int(year_like.group(1)) >= 1946 else "default"
            issuer = next(i for i in self.prof["citation"]["issuer"] if i.get(key))
        else:
            issuer = best[2]
        template = issuer["decision" if decision else "resolution"]
        if not template or (year_paren and not template.startswith("S/")):
            return None  # "1373 (2001)" is a Security Council number, whatever the words before it
        return template.format(n=number)


_MONTHS = "january february march april may june july august september october november december".split()  # noqa: SIM905
_EN_DATE = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})")


def _english_date(text: str) -> dt.date | None:
    m = _EN_DATE.search(text)
    if not m or m.group(2).lower() not in _MONTHS:
        return None
    try:
        return dt.date(int(m.group(3)), _MONTHS.index(m.group(2).lower()) + 1, int(m.group(1)))
    except ValueError:
        return None


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _in_reported_speech(pos: int, reported: list[int], resets: list[int]) -> bool:
    last = max((r for r in reported if r < pos), default=None)
    if last is None:
        return False
    return not any(last < r < pos for r in resets)
