"""Two language versions of one resolution: one work, linked paragraphs, compared mandates."""

from __future__ import annotations

import io
from pathlib import Path

from rdflib import Dataset, Literal, URIRef

from conftest import FIXTURES
from mandate_graph.align import compare
from mandate_graph.cli import main
from mandate_graph.iris import MG, mint
from mandate_graph.parse import parse_file
from mandate_graph.store import load_group
from mandate_graph.validate import validate

PAIR = FIXTURES / "texts" / "bilingual"


def test_compare_reports_the_disagreement() -> None:
    zh = parse_file(PAIR / "A_RES_85_17.zh.txt")
    en = parse_file(PAIR / "A_RES_85_17.en.txt")
    assert compare(en, zh) == ["operative paragraph 3, mandate 2: verb urges (en) but calls-upon (zh)"]


def test_one_work_two_expressions() -> None:
    outcomes = load_group([PAIR / "A_RES_85_17.zh.txt", PAIR / "A_RES_85_17.en.txt"])
    (graph,) = [o.graph for o in outcomes if o.graph is not None]
    work = mint("A/RES/85/17")
    assert set(graph.objects(work, MG.hasExpression)) == {mint("A/RES/85/17", "zh"), mint("A/RES/85/17", "en")}
    p2 = mint("A/RES/85/17", "para", 2)
    assert {lit.language for lit in graph.objects(p2, MG.text)} == {"zh", "en"}
    assert {str(s).rsplit("/", 1)[-1] for s in graph.objects(p2, MG.sourceSpan)} == {"zh", "en"}
    m = mint("A/RES/85/17", "para", 3, "mandate", 2)
    assert len(set(graph.objects(m, MG.verb))) == 1  # the texts disagree; the graph does not contradict itself
    assert {lit.language for lit in graph.objects(m, MG.actionText)} == {"zh", "en"}
    notes = [n for o in outcomes for n in o.notes]
    assert notes == ["operative paragraph 3, mandate 2: verb urges (en) but calls-upon (zh)"]
    assert validate(graph).conforms


def test_batch_load_one_named_graph_per_resolution(tmp_path: Path) -> None:
    out_path = tmp_path / "all.trig"
    broken = tmp_path / "A_RES_1_1.en.txt"
    broken.write_text("", encoding="utf-8")
    err = io.StringIO()
    code = main(
        [
            "load",
            str(PAIR),
            str(FIXTURES / "texts" / "en_made_up.txt"),
            str(broken),
            "-o",
            str(out_path),
            "--format",
            "trig",
        ],
        io.StringIO(),
        err,
    )
    assert code == 2  # one file failed …
    assert f"{broken}: line 1: file is empty" in err.getvalue()
    assert "verb urges (en) but calls-upon (zh)" in err.getvalue()
    ds = Dataset()
    ds.parse(out_path, format="trig")
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    # … but everything else was loaded: one graph for the pair, one for the other text
    assert {str(mint("A/RES/85/17")), str(mint("A/RES/85/18"))} <= names
    g = ds.graph(URIRef(str(mint("A/RES/85/17"))))
    assert (
        mint("A/RES/85/17", "para", 1),
        MG.paragraphNumber,
        Literal(1, datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer")),
    ) in g


def test_nquads_and_summary(tmp_path: Path) -> None:
    out_path = tmp_path / "all.nq"
    assert main(["load", str(PAIR), "-o", str(out_path), "--format", "nquads"], io.StringIO(), io.StringIO()) == 0
    ds = Dataset()
    ds.parse(out_path, format="nquads")
    assert len(ds) > 200
    out = io.StringIO()
    assert main(["summary", str(PAIR), "--format", "json"], out, io.StringIO()) == 0
    import json

    rows = json.loads(out.getvalue())
    assert [(r["resolution"], r["language"], r["operative"], r["error"]) for r in rows] == [
        ("A/RES/85/17", "en", 6, None),
        ("A/RES/85/17", "zh", 6, None),
    ]
