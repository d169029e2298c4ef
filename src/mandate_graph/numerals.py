"""Numbers written as words: Chinese numerals (八十一) and English ordinals (eighty-first)."""

from __future__ import annotations

import re

_ZH_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def zh_number(text: str) -> int:
    """``八十一`` → 81, ``十二`` → 12, ``一百零五`` → 105; Arabic digits pass through."""
    text = text.strip().translate(_FULLWIDTH)
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for ch in text:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            total += (1 if digit is None else digit) * _ZH_UNITS[ch]
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + (digit or 0)


_EN_ONES = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
}
_EN_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_EN_TENTHS = {k[:-1] + "ieth": v for k, v in _EN_TENS.items()}


def en_ordinal(text: str) -> int:
    """``eighty-first`` → 81, ``seventieth`` → 70, ``81st`` → 81."""
    word = text.strip().lower()
    digits = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?", word)
    if digits:
        return int(digits.group(1))
    if word in _EN_ONES:
        return _EN_ONES[word]
    if word in _EN_TENTHS:
        return _EN_TENTHS[word]
    head, _, tail = word.partition("-")
    if head in _EN_TENS and tail in _EN_ONES and _EN_ONES[tail] < 10:
        return _EN_TENS[head] + _EN_ONES[tail]
    raise ValueError(f"not an English ordinal: {text!r}")


PARSERS = {"zh": zh_number, "en": en_ordinal}
