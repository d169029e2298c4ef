"""due, diff and status on the command line, run in-process."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import icalendar
import pytest
from rdflib import Graph

from conftest import FIXTURES
from mandate_graph.cli import main
from mandate_graph.iris import CHANGE, MG

OLD = FIXTURES / "diff" / "A_RES_90_31.en.txt"
NEW = FIXTURES / "diff" / "A_RES_92_17.en.txt"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_due_as_of_lists_current_and_past() -> None:
    code, out, err = run("due", "--as-of", "2026-11-28", "--format", "json")
    assert code == 0
    rows = [(r["state"], r["session"], r["paragraph"]) for r in json.loads(out)]
    assert ("current", 81, 23) in rows and ("current", 81, 78) in rows and ("past", 80, 22) in rows
    assert err == ""


def test_due_table_window_and_addressee_within_the_secretariat() -> None:
    code, out, err = run("due", "--as-of", "2026-11-28", "--until", "2027-06-30", "--addressee", "secretariat")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["state", "session", "opens", "closes"]
    assert len(lines) == 3 and "secretary-general" in lines[2] and "78" in lines[2].split()
    assert "as of 2026-11-28: 1 current" in err


def test_due_ics_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "due.ics"
    code, out, _ = run("due", "--as-of", "2026-11-28", "--format", "ics", "-o", str(target))
    assert (code, out) == (0, "")
    cal = icalendar.Calendar.from_ical(target.read_bytes())
    starts = sorted(e.decoded("DTSTART") for e in cal.walk("VEVENT"))
    assert starts[0] == dt.date(2025, 9, 9) and len(starts) == 5
    assert not list(tmp_path.glob("*.tmp*"))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["due", "--as-of", "28/11/2026"], "is not a date; write it as YYYY-MM-DD"),
        (["due", "--addressee", "martians"], "unknown actor code 'martians'"),
        (["due", "--format", "turtle"], "--format turtle does not apply to 'due'"),
    ],
)
def test_due_bad_arguments(argv: list[str], message: str) -> None:
    code, out, err = run(*argv)
    assert (code, out) == (2, "")
    assert message in err and len(err.strip().splitlines()) == 1


def test_diff_table_and_counts() -> None:
    code, out, err = run("diff", str(OLD), str(NEW))
    assert code == 0
    assert "A/RES/90/31 → A/RES/92/17: 4 recurring, 1 changed, 1 new, 1 dropped" in err
    row = next(line for line in out.splitlines() if line.startswith("recurring") and " 6.1 " in line)
    assert "91, 92 → 93, 94" in row and "deadline-moved" in row


def test_diff_by_symbol_and_as_rdf(tmp_path: Path) -> None:
    target = tmp_path / "diff.ttl"
    code, _, err = run(
        "diff", "A/RES/90/31", "92/17", "--data", str(FIXTURES / "diff"), "--format", "turtle", "-o", str(target)
    )
    assert code == 0, err
    g = Graph().parse(target)
    assert len(set(g.subjects(MG.revisionOf, None))) == 5
    assert len(list(g.subjects(MG.change, CHANGE.new))) == 1
    assert len(list(g.subjects(MG.droppedBy, None))) == 1


def test_diff_json_and_unknown_symbol() -> None:
    code, out, _ = run("diff", str(OLD), str(NEW), "--format", "json")
    doc = json.loads(out)
    assert (code, doc["old"], doc["new"]) == (0, "A/RES/90/31", "A/RES/92/17")
    assert doc["counts"] == {"recurring": 4, "changed": 1, "new": 1, "dropped": 1}
    code, out, err = run("diff", "A/RES/1/1", str(NEW), "--data", str(FIXTURES / "diff"))
    assert (code, out) == (2, "")
    assert "no file found for 'A/RES/1/1'" in err


def test_status_set_show_and_survive_a_reload(tmp_path: Path) -> None:
    store = str(tmp_path / "status.ttl")
    mandate = "A/RES/90/31/para/6/mandate/1"
    code, _, err = run(
        "status", "set", mandate, "completed", "--by", "UNEP", "--on", "2036-08-01",
        "--evidence", "A/91/157", "--note", "Issued.", "--file", store,
    )  # fmt: skip
    assert code == 0, err
    # the extracted graph is written again from the text: the status is untouched
    code, _, _ = run("load", str(OLD), "-o", str(tmp_path / "extracted.ttl"))
    code, out, err = run(
        "status", "show", "--file", store, "--data", str(tmp_path / "extracted.ttl"), "--format", "json"
    )
    assert (code, err) == (0, "")
    (row,) = json.loads(out)
    assert (row["status"], row["by"], row["on"], row["evidence"]) == ("completed", "UNEP", "2036-08-01", ["A/91/157"])
    assert row["verb"] == "requests" and row["addressees"] == ["secretary-general"]
    code, out, err = run("validate", store)
    assert code == 0, out + err


def test_status_refuses_what_is_not_a_mandate(tmp_path: Path) -> None:
    store = tmp_path / "status.ttl"
    code, out, err = run("status", "set", "A/RES/90/31/para/6", "completed", "--by", "x", "--file", str(store))
    assert (code, out) == (2, "")
    assert "does not name a mandate" in err and not store.exists()
    code, out, err = run("status", "set", "A/RES/90/31/para/6/mandate/1", "done", "--by", "x", "--file", str(store))
    assert code == 2 and "invalid choice: 'done'" in err


@pytest.mark.parametrize("fmt", ["trig", "turtle"])
def test_load_links_the_resolutions_of_a_series(tmp_path: Path, fmt: str) -> None:
    from rdflib import Dataset, URIRef

    target = tmp_path / f"series.{'trig' if fmt == 'trig' else 'ttl'}"
    code, _, err = run("load", str(NEW), str(OLD), "-o", str(target), "--format", fmt)
    assert code == 0, err
    base = "https://w3id.org/mandate-graph/id/"
    link = (URIRef(base + "A/RES/92/17"), MG.precededBy, URIRef(base + "A/RES/90/31"))
    if fmt == "trig":
        ds = Dataset()
        ds.parse(target, format="trig")
        assert link in ds.graph(URIRef(base + "series"))
    else:
        assert link in Graph().parse(target)


@pytest.mark.corpus
def test_load_links_a_series_across_languages(corpus: Path, tmp_path: Path) -> None:
    target = tmp_path / "series.ttl"
    from mandate_graph.resources import bundled_resolution

    code, _, err = run("load", str(corpus / "A_RES_78_229.en.txt"), str(bundled_resolution()), "-o", str(target))
    assert code == 0, err
    g = Graph().parse(target)
    assert [
        (str(a).rsplit("RES/", 1)[1], str(b).rsplit("RES/", 1)[1]) for a, b in g.subject_objects(MG.precededBy)
    ] == [("80/229", "78/229")]
