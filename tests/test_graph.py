"""Loader output compared, as graphs, with reviewed golden files.

Regenerate after an intended change with ``pytest tests/test_graph.py --regen-golden``
and review the diff of tests/golden/ before committing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.plugins.serializers.nt import _quoteLiteral

from conftest import FIXTURES, HERE
from mandate_graph.graph import _LineLiterals, _Literals, to_graph, to_ntriples
from mandate_graph.iris import MG
from mandate_graph.parse import parse_file
from mandate_graph.resources import bundled_resolution

GOLDEN = HERE / "golden"
CASES = {
    "A_RES_80_229": bundled_resolution(),
    "zh_made_up": FIXTURES / "texts" / "zh_made_up.txt",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_graph_matches_golden(name: str, regen_golden: bool) -> None:
    got = to_graph(parse_file(CASES[name]))
    path = GOLDEN / f"{name}.ttl"
    if regen_golden:
        got.serialize(path, format="turtle")
        pytest.skip(f"regenerated {path.name}")
    expected = Graph().parse(path, format="turtle")
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        lines = sorted(f"+ {t}" for t in only_got)[:15] + sorted(f"- {t}" for t in only_expected)[:15]
        pytest.fail("loader output differs from the golden file:\n" + "\n".join(lines))


def test_identical_input_gives_identical_graphs() -> None:
    a = to_graph(parse_file(bundled_resolution()))
    b = to_graph(parse_file(bundled_resolution()))
    assert a.serialize(format="nt") == b.serialize(format="nt") or isomorphic(a, b)
    assert not any(isinstance(x, type(None)) for x in a.all_nodes())


def test_no_blank_nodes(graph_80_229: Graph) -> None:
    from rdflib import BNode

    assert not [n for n in graph_80_229.all_nodes() if isinstance(n, BNode)]


def test_every_text_literal_is_language_tagged(graph_80_229: Graph) -> None:
    for p in (MG.text, MG.actionText, MG.mainCommittee, MG.warning):
        for o in graph_80_229.objects(None, p):
            assert isinstance(o, Literal) and o.language, (p, o)


def test_base_iri_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    res = parse_file(FIXTURES / "texts" / "zh_made_up.txt")
    g = to_graph(res, base="https://example.org/un/")
    assert any(str(s).startswith("https://example.org/un/A/RES/85/17/para/2/mandate/3") for s in g.subjects())
    monkeypatch.setenv("MANDATE_GRAPH_BASE", "https://example.net/x")
    g = to_graph(res)
    assert any(str(s) == "https://example.net/x/A/RES/85/17" for s in g.subjects())


@pytest.mark.parametrize(
    ("method", "args"),
    [
        ("text", ('引号"、反斜杠\\、换行\n和回车\r', "zh")),
        ("text", ("a warning", "en")),
        ("plain", ("A/RES/80/229",)),
        ("plain", ('a "quoted" \\ name\n',)),
        ("integer", (0,)),
        ("integer", (-12,)),
        ("integer", (123456789,)),
        ("boolean", (True,)),
        ("boolean", (False,)),
        ("date", (dt.date(2025, 12, 18),)),
        ("language", ("zh",)),
    ],
)
def test_literals_written_directly_are_those_rdflib_writes(method: str, args: tuple[object, ...]) -> None:
    """to_ntriples writes literals without making rdflib terms: the same lines all the same."""
    term = getattr(_Literals, method)(*args)
    assert getattr(_LineLiterals, method)(*args) == _quoteLiteral(term)


def test_ntriples_are_the_graph(graph_80_229: Graph) -> None:
    lines = to_ntriples(parse_file(bundled_resolution()))
    assert len(lines.splitlines()) == len(graph_80_229)
    assert isomorphic(Graph().parse(data=lines, format="nt"), graph_80_229)
