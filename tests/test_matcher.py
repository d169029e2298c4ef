"""The lexicon lookups read a text in one pass (a trie-shaped regex) and must give what
reading it position by position, form by form, gives."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from mandate_graph.reader import normalize
from mandate_graph.vocab import Entry, Matcher, alternation, fold, lexicon


def _bounded(text: str, start: int, end: int, words: bool) -> bool:
    return not words or (
        not (start > 0 and text[start - 1].isalnum()) and not (end < len(text) and text[end].isalnum())
    )


def _match_at(m: Matcher, text: str, pos: int) -> tuple[int, str] | None:
    """The longest literal form at ``pos``, trying every form in turn."""
    for e in sorted(m.entries, key=lambda e: -len(e.label)):
        label = fold(e.label)
        if text.startswith(label, pos) and _bounded(text, pos, pos + len(label), m.words):
            return pos + len(label), e.code
    return None


def _find_all(m: Matcher, text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    while pos < len(text):
        hit = _match_at(m, text, pos)
        if hit:
            out.append((pos, *hit))
            pos = hit[0]
        else:
            pos += 1
    return out


def test_alternation_tries_the_longer_of_two_forms_first() -> None:
    pattern = alternation(["calls", "calls upon", "requests", "reaffirms"])
    assert pattern == r"(?:calls(?:\ upon)?|re(?:quests|affirms))"
    assert re.match(pattern, "calls upon States").group() == "calls upon"


def test_a_longer_form_that_ends_inside_a_word_gives_way_to_a_shorter_one() -> None:
    m = Matcher([Entry("calls", "calls"), Entry("calls upon", "calls-upon")], words=True)
    assert m.match_at("calls upon states", 0) == (10, "calls-upon")
    assert m.match_at("calls uponx states", 0) == (5, "calls")
    assert m.match_at("recalls upon", 2) is None  # not at a word start


def test_starts_include_forms_inside_a_longer_form() -> None:
    m = Matcher([Entry("the office", "office"), Entry("office for outer space affairs", "unoosa")], words=True)
    text = "the office for outer space affairs"
    assert list(m.find_all(text)) == [(0, 10, "office")]
    assert m.starts(text) == [0, 4]


def test_codes_in_reports_forms_that_overlap_and_nothing_when_none_occurs() -> None:
    m = Matcher(
        [Entry("within existing resources", "existing"), Entry("within existing resources and", "and")],
        words=True,
    )
    assert m.codes_in("to be met within existing resources and mandates") == ["and", "existing"]
    assert m.codes_in("to be met from extrabudgetary resources") == []


@pytest.mark.parametrize("language", ["en", "zh"])
def test_one_pass_lookups_agree_with_reading_form_by_form(language: str) -> None:
    lex = lexicon(language)
    rng = random.Random(0)
    for matcher in (lex.verbs, lex.modifiers, lex.actors, lex.anaphors, lex.openings):
        literal = Matcher([e for e in matcher.entries if e.pattern is None], words=matcher.words)
        labels = [fold(e.label) for e in literal.entries]
        glue = [" ", ", ", "s ", "-", "", "x", "_", "1", "，", "的"]
        for _ in range(50):
            pieces = []
            for _ in range(rng.randint(1, 6)):
                label = rng.choice(labels)
                pieces += [label[: rng.randint(1, len(label))] if rng.random() < 0.3 else label, rng.choice(glue)]
            text = "".join(pieces)
            expected = [_match_at(literal, text, p) for p in range(len(text))]
            assert [literal.match_at(text, p) for p in range(len(text))] == expected, text
            assert list(literal.find_all(text)) == _find_all(literal, text), text
            assert set(literal.starts(text)) == {p for p, hit in enumerate(expected) if hit}, text


def test_normalize_changes_only_special_spaces_hyphens_and_invisible_characters() -> None:
    text = "a\u00a0b\u2009c\u3000d\u2011e\u00adf\u200bg\ufeffh\r\ni\rj é 中"
    spaces = dict.fromkeys("\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000", " ")
    table = str.maketrans(spaces | {"\u2010": "-", "\u2011": "-"})
    expected = text.replace("\r\n", "\n").replace("\r", "\n").translate(table)
    expected = "".join(ch for ch in expected if unicodedata.category(ch) != "Cf")
    assert normalize(text) == expected == "a b c d-efgh\ni\nj é 中"
