"""The command line, run in-process: exit codes, stdout for results, stderr for diagnostics."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Graph

from conftest import FIXTURES
from mandate_graph.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_mandates_json_contract() -> None:
    code, out, _ = run("mandates", "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert len(records) == 101
    assert all(
        set(r)
        == {
            "resolution",
            "paragraph",
            "clause",
            "verb",
            "modifier",
            "addressees",
            "deadlines",
            "conditions",
            "report",
            "text",
            "iri",
        }
        for r in records
    )
    assert [(r["paragraph"], r["clause"]) for r in records] == sorted((r["paragraph"], r["clause"]) for r in records)
    p78 = next(r for r in records if r["paragraph"] == 78)
    assert p78 == {
        "resolution": "A/RES/80/229",
        "paragraph": 78,
        "clause": 1,
        "verb": "requests",
        "modifier": None,
        "addressees": ["secretary-general"],
        "deadlines": [
            {"session": 81, "start": "2026-09-08", "end": "2027-09-06"},
            {"session": 82, "start": "2027-09-07", "end": "2028-09-04"},
        ],
        "conditions": [],
        "report": True,
        "text": p78["text"],
        "iri": "https://w3id.org/mandate-graph/id/A/RES/80/229/para/78/mandate/1",
    }
    assert p78["text"].startswith("请秘书长向大会第八十一届和第八十二届会议提交报告")
    # position-only paragraphs are not listed
    assert not {1, 2, 6, 10, 24, 34, 66, 67} & {r["paragraph"] for r in records}


def test_mandates_table_and_addressee_filter() -> None:
    code, out, err = run("mandates", "--addressee", "secretary-general")
    assert code == 0
    assert "A/RES/80/229" in err
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["paragraph", "clause", "verb"]
    assert {line.split()[0] for line in lines[2:]} == {"29", "31", "78"}


def test_mandates_csv() -> None:
    code, out, _ = run("mandates", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and rows[0][0] == "paragraph" and len(rows) == 102


def test_unknown_addressee_is_a_usage_error() -> None:
    code, out, err = run("mandates", "--addressee", "nobody")
    assert code == 2 and out == "" and "unknown actor code 'nobody'" in err


def test_format_that_does_not_apply() -> None:
    code, _, err = run("mandates", "--format", "turtle")
    assert code == 2 and "does not apply" in err


def test_usage_error_exit_2() -> None:
    code, out, err = run("frobnicate")
    assert code == 2 and out == "" and "invalid choice" in err


@pytest.mark.parametrize("fmt,parse_as", [("turtle", "turtle"), ("nt", "nt"), ("json-ld", "json-ld")])
def test_load_writes_a_parseable_graph(tmp_path: Path, fmt: str, parse_as: str) -> None:
    out_path = tmp_path / "out.rdf"
    code, out, err = run("load", str(FIXTURES / "texts" / "zh_made_up.txt"), "-o", str(out_path), "--format", fmt)
    assert code == 0 and out == "" and "wrote" in err
    g = Graph().parse(out_path, format=parse_as)
    assert len(g) > 100


def test_validate_bundled_text_conforms() -> None:
    code, out, _ = run("validate", "data/A_RES_80_229.zh.txt")
    assert code == 0
    assert out.startswith("data/A_RES_80_229.zh.txt: conforms (0 violations")


def test_validate_turtle_that_does_not_conform(tmp_path: Path) -> None:
    out_path = tmp_path / "x.ttl"
    assert run("load", str(FIXTURES / "texts" / "zh_made_up.txt"), "-o", str(out_path))[0] == 0
    text = out_path.read_text(encoding="utf-8").replace("mg:verb verb:invites", "mg:verb verb:welcomes")
    out_path.write_text(text, encoding="utf-8")
    code, out, _ = run("validate", str(out_path))
    assert code == 1
    assert "does not conform" in out
    assert "Violation: operative paragraph 2: A mandate has exactly one verb" in out


def test_query_by_name_and_param() -> None:
    code, out, _ = run("query", "paragraph-text", "--param", "number=79", "--format", "json")
    assert code == 0
    (row,) = json.loads(out)
    assert row["text"].startswith("决定在大会第八十二届会议上审议")


def test_query_param_keeps_the_rows_with_that_value() -> None:
    """What the resolution asks of one office: its rows, not every row under its name."""
    code, out, err = run("query", "mandates-by-addressee", "--param", "addressee=unodc", "--format", "csv")
    assert code == 0, err
    rows = out.splitlines()[1:]
    assert rows and all(r.startswith("unodc,A/RES/80/229,") for r in rows)
    _, everything, _ = run("query", "mandates-by-addressee", "--format", "csv")
    assert len(rows) == sum(r.startswith("unodc,") for r in everything.splitlines())


def test_query_param_of_no_variable_is_one_line() -> None:
    code, out, err = run("query", "mandates-by-addressee", "--param", "adressee=unodc")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and "mandates-by-addressee.rq: the query has no variable ?adressee" in err


def test_query_missing_param() -> None:
    code, _, err = run("query", "paragraph-text")
    assert code == 2 and "--param number=VALUE" in err


def test_unknown_query() -> None:
    code, _, err = run("query", "no-such-query")
    assert code == 2 and "no query named" in err and "deadlines" in err


def test_secretariat_query_needs_inference() -> None:
    _, plain, _ = run("query", "secretariat-mandates", "--format", "json")
    _, inferred, _ = run("query", "secretariat-mandates", "--infer", "--format", "json")
    plain_rows, inferred_rows = json.loads(plain), json.loads(inferred)
    assert {r["addressee"] for r in plain_rows} == {"secretariat"}
    assert {"unodc", "secretary-general"} <= {r["addressee"] for r in inferred_rows}


def test_export_includes_vocabularies(tmp_path: Path) -> None:
    out_path = tmp_path / "all.ttl"
    code, _, _ = run("export", "-o", str(out_path))
    assert code == 0
    text = out_path.read_text(encoding="utf-8")
    assert "mg:Mandate" in text and "skos:ConceptScheme" in text
