"""Bad input: one clear line naming the file (and line), exit 2, no output file left."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from mandate_graph.cli import main
from mandate_graph.errors import InputError
from mandate_graph.parse import parse_file
from mandate_graph.resources import bundled_resolution
from mandate_graph.store import atomic_output

TEXT = bundled_resolution().read_text(encoding="utf-8")


def write(tmp_path: Path, content: str | bytes, name: str = "res.txt") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def error_of(path: Path) -> InputError:
    with pytest.raises(InputError) as e:
        parse_file(path)
    return e.value


def test_empty_file(tmp_path: Path) -> None:
    e = error_of(write(tmp_path, ""))
    assert "empty" in e.message and e.line == 1


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    data = TEXT.encode("utf-8")
    cut = data.index(b"80/229.")
    e = error_of(write(tmp_path, data[:cut] + b"\xff\xfe\xfa" + data[cut:]))
    assert "not UTF-8" in e.message
    assert e.line == TEXT[: TEXT.index("80/229.")].count("\n") + 1


def test_gb18030_text_is_refused_with_advice(tmp_path: Path) -> None:
    e = error_of(write(tmp_path, TEXT.encode("gb18030")))
    assert "convert the file to UTF-8" in e.message


def test_not_a_resolution(tmp_path: Path) -> None:
    e = error_of(write(tmp_path, "这是一封信。\n\n" * 30))
    assert "not a General Assembly resolution" in e.message


def test_truncated_resolution(tmp_path: Path) -> None:
    cut = TEXT.index("说明联合国预防犯罪和刑事司法方案的任务执行情况")
    e = error_of(write(tmp_path, TEXT[:cut]))
    assert "truncated" in e.message and "78" in e.message


def test_duplicate_paragraph_number(tmp_path: Path) -> None:
    path = write(tmp_path, TEXT.replace("13. **表示注意到**", "12. **表示注意到**"))
    e = error_of(path)
    assert "operative paragraph 12 appears twice" in e.message
    assert e.line == TEXT[: TEXT.index("13. **表示注意到**")].count("\n") + 1


def test_missing_paragraph_number(tmp_path: Path) -> None:
    e = error_of(write(tmp_path, TEXT.replace("\n40. 邀请会员国", "\n41. 邀请会员国")))
    assert "operative paragraph 40 is missing" in e.message


def test_too_large(tmp_path: Path) -> None:
    e = error_of(write(tmp_path, TEXT * 70))
    assert "limit" in e.message


@pytest.mark.parametrize(
    "content",
    ["", b"\xff\xfe\x00garbage", "这是一封信。\n" * 40],
    ids=["empty", "bad-bytes", "not-a-resolution"],
)
def test_cli_bad_input_exit_2_one_line_no_output(tmp_path: Path, content: str | bytes) -> None:
    src = write(tmp_path, content)
    out_path = tmp_path / "out.ttl"
    out, err = io.StringIO(), io.StringIO()
    code = main(["load", str(src), "-o", str(out_path)], out, err)
    assert code == 2
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"mandate-graph: {src}")
    assert "Traceback" not in err.getvalue()
    assert not out_path.exists()
    assert list(tmp_path.glob("*.tmp")) == []


def test_cli_missing_file(tmp_path: Path) -> None:
    err = io.StringIO()
    assert main(["mandates", str(tmp_path / "nope.txt")], io.StringIO(), err) == 2
    assert "no such file" in err.getvalue()


def test_cli_bad_turtle_names_the_file(tmp_path: Path) -> None:
    bad = write(tmp_path, "@prefix ex: <http://example.org/> .\nex:a ex:b ", "bad.ttl")
    err = io.StringIO()
    assert main(["validate", str(bad)], io.StringIO(), err) == 2
    assert err.getvalue().startswith(f"mandate-graph: {bad}") and "not valid turtle" in err.getvalue()


@pytest.mark.parametrize(
    ("query", "line"),
    [
        ("# who\nSELECT ?x WHERE {\n  ?x <http://a b> ?y\n}\n", 3),  # an IRI with a space
        ("SELECT ?x WHERE {\n  ?x ?p ?y\n", 3),  # the brace never closed
        ("SELECT ?x WHERE { ?x ?p\n", 2),  # Oxigraph lists what it expected over several lines
    ],
    ids=["bad-iri", "unclosed", "no-object"],
)
@pytest.mark.parametrize("where", ["memory", "store"])
def test_cli_query_that_is_not_sparql_names_its_line(tmp_path: Path, query: str, line: int, where: str) -> None:
    rq = write(tmp_path, query, "bad.rq")
    args = ["query", str(rq)]
    if where == "store":
        store = tmp_path / "store"
        assert main(["load", "--store", str(store), str(bundled_resolution())], io.StringIO(), io.StringIO()) == 0
        args += ["--store", str(store), "--infer"]
    err = io.StringIO()
    assert main(args, io.StringIO(), err) == 2
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"mandate-graph: {rq}:{line}: not a SPARQL query"), lines


def test_failed_load_keeps_the_previous_output(tmp_path: Path) -> None:
    out_path = tmp_path / "out.ttl"
    out_path.write_text("previous", encoding="utf-8")
    assert main(["load", str(write(tmp_path, "")), "-o", str(out_path)], io.StringIO(), io.StringIO()) == 2
    assert out_path.read_text(encoding="utf-8") == "previous"


def test_an_output_file_gets_the_permissions_of_any_new_file(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    with atomic_output(target) as f:
        f.write("# empty\n")
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
