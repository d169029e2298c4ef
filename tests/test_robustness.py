"""Mutated real texts: the loader gives a graph or one clear error, never a traceback or a hang."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from mandate_graph.errors import InputError
from mandate_graph.graph import to_graph
from mandate_graph.parse import parse_source
from mandate_graph.reader import decode, read_text
from mandate_graph.resources import bundled_resolution
from mandate_graph.validate import validate

TEXTS = {
    "zh-80-229": bundled_resolution().read_text(encoding="utf-8"),
    "zh-made-up": (FIXTURES / "texts" / "zh_made_up.txt").read_text(encoding="utf-8"),
    "en-made-up": (FIXTURES / "texts" / "en_made_up.txt").read_text(encoding="utf-8"),
    "zh-older-made-up": (FIXTURES / "texts" / "zh_older_made_up.txt").read_text(encoding="utf-8"),
}
FOOTERS = ["25-23146", "2/30", "A/RES/80/229", "<!-- Page 3 -->", "---", "24-00456 (E)", "第 3 页"]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    text = TEXTS[draw(st.sampled_from(sorted(TEXTS)))]
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from(["cut", "shuffle", "footer", "duplicate", "drop", "renumber"]))
        if op == "cut" and lines:
            lines = lines[: draw(st.integers(0, len(lines)))]
        elif op == "shuffle" and len(lines) > 2:
            i = draw(st.integers(0, len(lines) - 2))
            j = draw(st.integers(i + 1, min(len(lines) - 1, i + 40)))
            block = lines[i:j]
            lines[i:j] = draw(st.permutations(block))
        elif op == "footer":
            at = draw(st.integers(0, len(lines)))
            lines[at:at] = ["", draw(st.sampled_from(FOOTERS)), ""]
        elif op == "duplicate" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
        elif op == "drop" and lines:
            del lines[draw(st.integers(0, len(lines) - 1))]
        elif op == "renumber":
            n = draw(st.integers(1, 80))
            lines = [line.replace(f"{n}. ", f"{n + 1}. ", 1) for line in lines]
    text = "\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-16", "gb18030", "latin-1"]))
    return text.encode(encoding, errors="replace")


def load(data: bytes):  # type: ignore[no-untyped-def]
    return parse_source(read_text(decode(data, "mutated.txt"), "mutated.txt"))


@settings(max_examples=120, deadline=dt.timedelta(seconds=10), suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_text_loads_or_fails_cleanly(data: bytes) -> None:
    try:
        res = load(data)
    except InputError as e:
        assert "\n" not in str(e) and str(e)
        return
    to_graph(res)  # building the graph must not fail either


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_what_loads_conforms(data: bytes) -> None:
    try:
        res = load(data)
    except InputError:
        return
    report = validate(to_graph(res))
    assert report.conforms, [f.line() for f in report.violations][:5]
