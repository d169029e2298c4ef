"""``mandate-graph validate``, run in-process: a report a drafter can act on (paragraph,
message, source text), one report per resolution of a TriG / N-Quads file, exit 1 when
something does not conform, exit 2 when an input cannot be read (one line on stderr for
that file, the others still reported)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from conftest import FIXTURES
from mandate_graph.cli import main
from mandate_graph.iris import MG, VERB, mint
from mandate_graph.store import read_dataset, read_rdf

TEXTS = FIXTURES / "texts"
MADE_UP = TEXTS / "validate_made_up.en.txt"  # A/RES/85/19: warnings only
BILINGUAL = TEXTS / "bilingual"  # A/RES/85/17 in English and Chinese


def run(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


def load(tmp_path: Path, name: str, *inputs: Path, fmt: str = "turtle") -> Path:
    path = tmp_path / name
    code, _, err = run("load", *inputs, "-o", path, "--format", fmt)
    assert code == 0, err
    return path


def broken_turtle(tmp_path: Path) -> Path:
    """A/RES/85/19 whose mandate in operative paragraph 4 has two verbs."""
    g = read_rdf(load(tmp_path, "made_up.ttl", MADE_UP))
    g.add((mint("A/RES/85/19", "para", 4, "mandate", 1), MG.verb, VERB["invites"]))
    path = tmp_path / "broken.ttl"
    g.serialize(path, format="turtle")
    return path


# --- texts ---------------------------------------------------------------------------


def test_text_with_warnings_only_conforms_and_lists_them() -> None:
    code, out, err = run("validate", MADE_UP)
    assert code == 0, out + err
    lines = out.splitlines()
    assert lines[0] == f"{MADE_UP}: conforms (0 violations, 3 warnings)"
    assert lines[1:] == [
        "  Warning: preambular paragraph 2: No recognisable verb at the start of the paragraph."
        " — Marvelling at the progress made in model drafting,",
        "  Warning: operative paragraph 2: No recognisable verb at the start of the paragraph."
        " — Applauds the States that have drafted model resolutions;",
        "  Warning: operative paragraph 3: The actor asked to act is not in the actor vocabulary;"
        " add it to ontology/vocab/actors.ttl. — Requests the Board of Model Drafting Auditors to examine …",
    ]
    assert err == ""  # the parser's own paragraph warnings are the findings above, not repeated


def test_json_report_of_a_text() -> None:
    code, out, _ = run("validate", MADE_UP, "--format", "json")
    assert code == 0
    (report,) = json.loads(out)
    assert set(report) == {"file", "resolution", "conforms", "findings"}
    assert (report["file"], report["resolution"], report["conforms"]) == (str(MADE_UP), "A/RES/85/19", True)
    assert all(
        set(f) == {"severity", "paragraph", "message", "focus", "path", "value", "text"} for f in report["findings"]
    )
    actor = next(f for f in report["findings"] if f["paragraph"] == "operative paragraph 3")
    assert actor["severity"] == "Warning"
    assert actor["path"] == str(MG.addresseeText)
    assert actor["focus"] == str(mint("A/RES/85/19", "para", 3, "mandate", 1))
    assert actor["text"].startswith("Requests the Board of Model Drafting Auditors to examine")


def test_cited_documents_raise_no_violation() -> None:
    """A/RES/85/19 cites A/RES/85/17 and A/85/602 without describing them: no shape may
    ask of them what it asks of the resolution being validated."""
    code, out, _ = run("validate", MADE_UP, "--format", "json")
    (report,) = json.loads(out)
    assert code == 0 and report["conforms"]
    assert not [f for f in report["findings"] if "85/17" in f["focus"] or "85/602" in f["focus"]]


# --- RDF -----------------------------------------------------------------------------


def test_turtle_that_does_not_conform_names_the_paragraph(tmp_path: Path) -> None:
    path = broken_turtle(tmp_path)
    code, out, _ = run("validate", path)
    assert code == 1
    assert out.splitlines()[0] == f"{path}: does not conform (1 violation, 3 warnings)"
    finding = out.splitlines()[1]
    assert finding.startswith("  Violation: operative paragraph 4: A mandate has exactly one verb")
    assert "— Requests the Secretary-General to submit a report" in finding


@pytest.mark.parametrize("fmt,suffix", [("trig", ".trig"), ("nquads", ".nq")])
def test_dataset_is_validated_one_resolution_at_a_time(tmp_path: Path, fmt: str, suffix: str) -> None:
    path = load(tmp_path, "both" + suffix, MADE_UP, BILINGUAL, fmt=fmt)
    code, out, _ = run("validate", path, "--format", "json")
    assert code == 0
    reports = json.loads(out)
    assert [(r["file"], r["resolution"], r["conforms"]) for r in reports] == [
        (str(path), "A/RES/85/17", True),
        (str(path), "A/RES/85/19", True),
    ]
    assert [len(r["findings"]) for r in reports] == [0, 3]
    _, table, _ = run("validate", path)
    assert [line for line in table.splitlines() if not line.startswith("  ")] == [
        f"{path} [A/RES/85/17]: conforms (0 violations, 0 warnings)",
        f"{path} [A/RES/85/19]: conforms (0 violations, 3 warnings)",
    ]


def test_trig_is_not_validated_as_an_empty_graph(tmp_path: Path) -> None:
    """Regression: a TriG file used to be parsed into a plain Graph, which kept none of its
    named graphs, so that any TriG file "conformed"."""
    ds = Dataset()
    for name, g in read_dataset(load(tmp_path, "two.trig", MADE_UP, BILINGUAL, fmt="trig")):
        part = ds.graph(name)
        for t in g:
            part.add(t)
    # the mandate of paragraph 4 of A/RES/85/19 gets a second verb inside its named graph
    ds.graph(mint("A/RES/85/19")).add((mint("A/RES/85/19", "para", 4, "mandate", 1), MG.verb, VERB["invites"]))
    trig = tmp_path / "broken.trig"
    ds.serialize(trig, format="trig")
    code, out, _ = run("validate", trig)
    assert code == 1
    assert f"{trig} [A/RES/85/17]: conforms (0 violations, 0 warnings)" in out
    assert f"{trig} [A/RES/85/19]: does not conform (1 violation, 3 warnings)" in out
    assert "Violation: operative paragraph 4: A mandate has exactly one verb" in out


def test_read_dataset_keeps_graphs_apart(tmp_path: Path) -> None:
    trig = load(tmp_path, "two.trig", MADE_UP, BILINGUAL, fmt="trig")
    parts = read_dataset(trig)
    assert [str(name) for name, _ in parts] == [str(mint("A/RES/85/17")), str(mint("A/RES/85/19"))]
    union = read_rdf(trig)
    assert len(union) == len(set().union(*(set(g) for _, g in parts)))
    (only,) = read_dataset(load(tmp_path, "one.ttl", MADE_UP))
    assert only[0] is None and isinstance(only[1], Graph) and len(only[1]) > 100


def test_csv_has_a_row_for_a_resolution_without_findings(tmp_path: Path) -> None:
    trig = load(tmp_path, "two.trig", MADE_UP, BILINGUAL, fmt="trig")
    code, out, _ = run("validate", trig, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert [r["resolution"] for r in rows] == ["A/RES/85/17"] + ["A/RES/85/19"] * 3
    assert rows[0]["conforms"] == "yes" and rows[0]["severity"] == ""
    assert rows[3]["paragraph"] == "operative paragraph 3"


# --- unreadable input ----------------------------------------------------------------


def test_unreadable_inputs_get_one_line_each_and_the_others_are_reported(tmp_path: Path) -> None:
    good_ttl = load(tmp_path, "good.ttl", MADE_UP)
    missing = tmp_path / "missing.ttl"
    malformed = tmp_path / "malformed.ttl"
    malformed.write_text(
        "@prefix mg: <https://w3id.org/mandate-graph/ontology#> .\n<urn:x:a> mg:symbol .\n", encoding="utf-8"
    )
    code, out, err = run("validate", MADE_UP, missing, malformed, good_ttl, "--format", "json")
    assert code == 2
    assert [r["file"] for r in json.loads(out)] == [str(MADE_UP), str(good_ttl)]
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert lines[0] == f"mandate-graph: {missing}: no such file; check the path"
    assert lines[1].startswith(f"mandate-graph: {malformed}:2: not valid turtle: ")
    assert lines[1].endswith("; correct it and try again")


def test_unreadable_text_among_good_ones(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    code, out, err = run("validate", empty, MADE_UP)
    assert code == 2
    assert out.startswith(f"{MADE_UP}: conforms")
    assert err.splitlines() == [f"mandate-graph: {empty}:1: file is empty; expected the text of a resolution"]


ADVICE = "check that it is the right file"


@pytest.mark.parametrize("name", ["empty.ttl", "empty.trig"])
def test_an_empty_rdf_file_is_not_a_graph_that_conforms(tmp_path: Path, name: str) -> None:
    empty = tmp_path / name
    empty.write_text("@prefix mg: <https://w3id.org/mandate-graph/ontology#> .\n", encoding="utf-8")
    code, out, err = run("validate", empty)
    assert code == 2 and out == ""
    assert err.splitlines() == [f"mandate-graph: {empty}: holds no triples, so there is nothing to validate; {ADVICE}"]


def test_exit_2_wins_over_exit_1(tmp_path: Path) -> None:
    code, out, err = run("validate", broken_turtle(tmp_path), tmp_path / "missing.ttl")
    assert code == 2 and "does not conform" in out and err.count("\n") == 1


# --- folders -------------------------------------------------------------------------


def test_folder_input(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    folder.mkdir()
    shutil.copy(MADE_UP, folder / MADE_UP.name)
    load(folder, "bilingual.trig", BILINGUAL, fmt="trig")
    (folder / "notes.md").write_text("not a resolution", encoding="utf-8")
    code, out, err = run("validate", folder, "--format", "json")
    assert code == 0, err
    assert [(Path(r["file"]).name, r["resolution"]) for r in json.loads(out)] == [
        ("bilingual.trig", "A/RES/85/17"),
        ("validate_made_up.en.txt", "A/RES/85/19"),
    ]


def test_empty_folder_is_one_bad_input(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run("validate", empty, MADE_UP)
    assert code == 2
    assert out.startswith(f"{MADE_UP}: conforms")
    assert err.splitlines() == [f"mandate-graph: {empty}: folder holds no .txt or RDF files"]
