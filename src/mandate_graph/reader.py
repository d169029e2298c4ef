"""Reading a resolution text: decoding, lines with offsets, and markup clean-up.

Texts come from PDF or word-processor conversions. The reader keeps every character's
offset in the source so that each paragraph and clause can point back at exactly where
it was read, while removing conversion markup: ``**bold**``, ``[70/299](#)`` links and
superscript footnote markers (which become footnote references).
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from mandate_graph.errors import InputError

MAX_BYTES = 5_000_000  # the longest resolutions are well under 1 MB

SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_MARKUP = re.compile(r"\*\*|\[((?:[^\]\\]|\\.)*)\]\(#?[^)]*\)|(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)")


@dataclass
class Line:
    number: int  # 1-based
    start: int  # offset of the first character in the source
    text: str  # without the line break
    stripped: str = field(init=False, repr=False, compare=False)  # text without surrounding spaces

    def __post_init__(self) -> None:
        self.stripped = self.text.strip()  # read for nearly every test on a line: once


@dataclass
class Source:
    """A decoded text and its lines."""

    name: str
    text: str
    lines: list[Line]

    def line_of(self, offset: int) -> int:
        """The number of the line that holds ``offset``."""
        if not self.lines:
            return 1
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.lines[max(i, 0)].number

    @functools.cached_property
    def _starts(self) -> list[int]:
        return [line.start for line in self.lines]


@dataclass
class Clean:
    """Text with markup removed, the source offset of each of its characters, and the
    footnote markers it contained as (position in text, footnote number)."""

    text: str = ""
    offsets: list[int] = field(default_factory=list)
    footnotes: list[tuple[int, int]] = field(default_factory=list)

    def append(self, text: str, offset: int, contiguous: bool = True) -> None:
        self.text += text
        self.offsets.extend(range(offset, offset + len(text)) if contiguous else [offset] * len(text))

    def extend(self, other: Clean) -> None:
        shift = len(self.text)
        self.text += other.text
        self.offsets.extend(other.offsets)
        self.footnotes.extend((p + shift, n) for p, n in other.footnotes)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets (start, end exclusive) of text[start:end]."""
        if not self.offsets or start >= end:
            at = self.offsets[min(start, len(self.offsets) - 1)] if self.offsets else 0
            return at, at
        return self.offsets[start], self.offsets[end - 1] + 1

    def strip(self) -> Clean:
        left = len(self.text) - len(self.text.lstrip())
        right = len(self.text.rstrip())
        out = Clean(self.text[left:right], self.offsets[left:right])
        out.footnotes = [(p - left, n) for p, n in self.footnotes if left <= p <= right]
        return out

    def cut(self, start: int, end: int | None = None) -> Clean:
        end = len(self.text) if end is None else end
        out = Clean(self.text[start:end], self.offsets[start:end])
        out.footnotes = [(p - start, n) for p, n in self.footnotes if start <= p <= end]
        return out


@functools.cache
def _markup(marker: str | None) -> re.Pattern[str]:
    if not marker:
        return _MARKUP
    return re.compile(_MARKUP.pattern + f"|(?P<mark>{marker})")


def clean(text: str, offset: int, marker: str | None = None) -> Clean:
    """Remove conversion markup from ``text`` that starts at source ``offset``.

    ``marker`` is a language's pattern for footnote markers written as plain text (such
    as "Protocols,9" or " 1/ "); its group ``n`` holds the footnote number(s)."""
    out = Clean()
    pos = 0
    for m in _markup(marker).finditer(text):
        out.append(text[pos : m.start()], offset + pos)
        if marker and m.group("mark") is not None:
            for n in re.findall(r"\d+", m.group("mark")):
                out.footnotes.append((len(out.text), int(n)))
        elif m.group("sup"):
            out.footnotes.append((len(out.text), int(m.group("sup").translate(SUPERSCRIPTS))))
            # the space a converter puts after a marker is not part of the text
            # between two non-Latin characters ("报告⁵⁷ 所述" reads "报告所述")
            after = m.end()
            if (
                text[after : after + 1] == " "
                and out.text
                and not out.text[-1].isascii()
                and not text[after + 1 : after + 2].isascii()
            ):
                pos = after + 1
                continue
        elif m.group(1) is not None:
            inner_start = m.start(1)
            # link text, with backslash escapes such as "\(" undone
            i = 0
            inner = m.group(1)
            while i < len(inner):
                if inner[i] == "\\" and i + 1 < len(inner):
                    out.append(inner[i + 1], offset + inner_start + i + 1)
                    i += 2
                else:
                    out.append(inner[i], offset + inner_start + i)
                    i += 1
        pos = m.end()
    out.append(text[pos:], offset + pos)
    return out


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; anything else is refused with the
    line of the first bad byte."""
    if len(data) > MAX_BYTES:
        raise InputError(
            f"file is {len(data):,} bytes, over the {MAX_BYTES:,}-byte limit for one resolution; "
            "split it into one file per resolution",
            source=name,
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise InputError(f"invalid UTF-16 at byte {e.start}; save the file as UTF-8", source=name) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start}); convert the file to UTF-8",
            source=name,
            line=line,
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError("contains NUL characters: not a text file", source=name, line=line)
    return text


def normalize(text: str) -> str:
    """Line breaks to \\n, special spaces to spaces, invisible format characters (soft
    hyphens, direction marks, zero-width joiners) removed. Character offsets recorded as
    provenance count in this normalized text, which equals the file's text whenever the
    file has LF line ends and no invisible characters (the bundled text does)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # every character to change is outside ASCII: look only at those (str.translate would
    # look up each character of the text)
    special = set(_NON_ASCII.findall(text))
    for ch in special & _SPACES.keys():  # none of them is replaced by another of them
        text = text.replace(ch, _SPACES[ch])
    for ch in special - _SPACES.keys():
        if unicodedata.category(ch) == "Cf":
            text = text.replace(ch, "")
    return text


# no-break and other fixed-width spaces read as spaces, non-breaking hyphens as hyphens
_SPACES = dict.fromkeys("\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000", " ") | {
    "\u2010": "-",
    "\u2011": "-",
}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def read_text(text: str, name: str) -> Source:
    text = normalize(text)
    lines = []
    offset = 0
    for i, raw in enumerate(text.split("\n"), start=1):
        lines.append(Line(i, offset, raw))
        offset += len(raw) + 1
    return Source(name, text, lines)


def read_bytes(path: str | Path) -> bytes:
    """The bytes of an input file; one that cannot be read raises :class:`InputError`."""
    name = str(path)
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file; check the path", source=name) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a resolution text file", source=name) from None
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror}", source=name) from None


def read_file(path: str | Path) -> Source:
    """Read and decode a resolution text file."""
    path = Path(path)
    name = str(path)
    data = read_bytes(path)
    if not data.strip():
        raise InputError("file is empty; expected the text of a resolution", source=name, line=1)
    return read_text(decode(data, name), name)
