"""Answers kept at load time (mandate_graph.answers): the same as the store's, or none."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.term import Node

from mandate_graph import answers, queries
from mandate_graph.answers import NotKept, order_key, plan
from mandate_graph.corpus import Corpus
from mandate_graph.errors import InputError
from mandate_graph.resources import bundled_resolution
from mandate_graph.store import load

TEXTS = Path(__file__).parent / "fixtures" / "texts"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "en"
DECLARED = [q.name for q in answers.declared()]


def texts_for_a_store() -> list[Path]:
    """80/229, the made-up English texts that load, and every 25th corpus text when
    ../shared is present."""
    out = [bundled_resolution()]
    for path in sorted(TEXTS.glob("*.txt")):
        if path.name == "zh_made_up.txt":
            continue  # the same resolution as zh_older_made_up.txt
        try:
            load(path)
        except InputError:
            continue
        out.append(path)
    if CORPUS.is_dir():
        out += sorted(CORPUS.glob("*.txt"))[::25]
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    """A store loaded in batches of a few resolutions, so that answers merge from many parts."""
    folder = tmp_path_factory.mktemp("kept")
    for path in texts_for_a_store():
        shutil.copy(path, folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("mandate_graph.corpus.BATCH", 2_000)
        c = Corpus(tmp_path_factory.mktemp("store") / "corpus")
        entries = c.load(sorted(folder.iterdir()), workers=2)
    assert sum(not e.error for e in entries) >= 3
    parts, uncovered = c.kept.valid_parts(c._graph_stamps(), {p.key for p in answers.keeper().plans})
    assert len(parts) > 1 and not uncovered
    yield c
    c.close()


def kept_and_stored(
    c: Corpus, name: str, infer: bool, bindings: dict[str, Node] | None = None
) -> tuple[tuple[list[str], list[list[Node | None]]] | None, tuple[list[str], list[list[Node | None]]]]:
    text = queries.load(name).text
    prefixed = queries.prefixed(text)
    kept = c._kept_answer(prefixed, infer and c._entailed_can_match(prefixed), bindings or {})
    return kept, c.query(text, infer=infer, bindings=bindings, kept=False)


def test_some_queries_are_kept_and_each_has_a_plan() -> None:
    assert {"mandates-by-addressee", "deadlines", "cited-documents"} <= set(DECLARED)
    for q in answers.declared():
        columns = re.search(r"^#\s*columns:(.*)$", q.text, flags=re.M)
        assert columns
        p = plan(q.name, queries.prefixed(q.text), False)
        assert list(p.columns) == [c.lstrip("?") for c in columns.group(1).split()]


@pytest.mark.parametrize("infer", [False, True], ids=["plain", "inferred"])
@pytest.mark.parametrize("name", DECLARED)
def test_a_kept_answer_is_the_stores_own_in_order(corpus: Corpus, name: str, infer: bool) -> None:
    kept, stored = kept_and_stored(corpus, name, infer)
    assert kept is not None, "the answer was kept"
    assert stored[1], "the store has rows for it"
    assert kept == stored
    assert corpus.query(queries.load(name).text, infer=infer) == stored


def values(rows: list[list[Node | None]], column: int) -> list[Node]:
    counted = Counter(r[column] for r in rows if r[column] is not None)
    common = counted.most_common()
    return sorted({common[0][0], common[-1][0]}) if common else []


@pytest.mark.parametrize("name", DECLARED)
def test_a_parameter_narrows_a_kept_answer_as_it_narrows_the_stores(corpus: Corpus, name: str) -> None:
    """Every column, bound to its commonest and its rarest value: the kept answer narrowed
    gives the rows the store gives for the query with the parameter bound."""
    kept, (columns, rows) = kept_and_stored(corpus, name, True)
    assert kept is not None
    tried = loose = 0
    for i, column in enumerate(columns):
        for value in values(rows, i):
            narrowed, stored = kept_and_stored(corpus, name, True, {column: value})
            assert narrowed == stored, f"?{column} = {value!r}"
            assert stored[1]
            tried += 1
            if isinstance(value, Literal) and value.datatype is not None:
                # the same text, untyped: a FILTER on STR takes it where an OPTIONAL binds
                # the column, a VALUES row does not
                narrowed, stored = kept_and_stored(corpus, name, True, {column: Literal(str(value))})
                assert narrowed == stored, f"?{column} = {str(value)!r}"
                loose += bool(stored[1])
    # a number given as text finds the literal the query gives (a FILTER where the
    # variable is bound in an OPTIONAL, a VALUES row elsewhere), in both
    if "paragraph" in columns:
        narrowed, stored = kept_and_stored(corpus, name, True, {"paragraph": Literal("1")})
        assert narrowed == stored
    assert tried >= len(columns)
    if name == "deadlines":
        assert loose, "?report, bound in an OPTIONAL, is found by its text"


def test_a_variable_that_is_not_a_column_leaves_the_query_to_the_store(corpus: Corpus) -> None:
    text = queries.load("mandates-by-addressee").text
    _, rows = corpus.query(text, infer=False, kept=False)
    mandate = next(iter(corpus.store.query(queries.prefixed("SELECT ?m WHERE { ?m a mg:Mandate } LIMIT 1"))))["m"]
    bindings: dict[str, Node] = {"m": URIRef(mandate.value)}
    assert corpus._kept_answer(queries.prefixed(text), False, bindings) is None
    narrowed = corpus.query(text, infer=False, bindings=bindings)
    assert narrowed == corpus.query(text, infer=False, bindings=bindings, kept=False)
    assert 0 < len(narrowed[1]) < len(rows)


def test_a_query_with_other_text_is_not_answered_from_what_was_kept(corpus: Corpus) -> None:
    text = queries.load("mandates-by-addressee").text + "\n# another question\n"
    assert corpus._kept_answer(queries.prefixed(text), False, {}) is None
    assert corpus.query(text, infer=False) == corpus.query(text, infer=False, kept=False)


def test_an_answer_made_from_other_resolutions_is_not_used(corpus: Corpus) -> None:
    text = queries.prefixed(queries.load("conditions").text)
    assert corpus._kept_answer(text, False, {}) is not None
    entry = next(e for e in corpus.catalog.values() if e.graph)
    sha256, entry.sha256 = entry.sha256, "0" * 64  # as if the file had been loaded again
    try:
        assert corpus._kept_answer(text, False, {}) is None
    finally:
        entry.sha256 = sha256


def three_texts(folder: Path) -> list[Path]:
    """80/229, the made-up English text, and two corpus texts when ../shared is present."""
    folder.mkdir()
    for path in [bundled_resolution(), TEXTS / "en_made_up.txt", *sorted(CORPUS.glob("*.txt"))[100:102]]:
        shutil.copy(path, folder)
    return sorted(folder.iterdir())


def assert_kept_as_stored(c: Corpus) -> None:
    for name in DECLARED:
        kept, stored = kept_and_stored(c, name, True)
        assert kept is not None, name
        assert kept == stored, name


def test_reloading_a_changed_resolution_answers_it_anew(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mandate_graph.corpus.BATCH", 1)  # a part per resolution
    files = three_texts(tmp_path / "texts")
    with Corpus(tmp_path / "store") as c:
        c.load(files, workers=1)
        assert_kept_as_stored(c)
        before = c.query(queries.load("mandates-by-addressee").text)[1]
    made_up = tmp_path / "texts" / "en_made_up.txt"
    text = made_up.read_text(encoding="utf-8")
    changed = text.replace("5.\tRequests the Secretary-General", "5.\tRequests the Secretary-General and UNICEF", 1)
    assert changed != text
    made_up.write_text(changed, encoding="utf-8")
    with Corpus(tmp_path / "store") as c:
        c.load(files, workers=1)
        assert_kept_as_stored(c)
        after = c.query(queries.load("mandates-by-addressee").text)[1]
    assert before != after


def test_a_store_without_kept_answers_gets_them_from_its_graphs(tmp_path: Path) -> None:
    """A corpus loaded before answers were kept (or whose file was lost): the next load,
    with nothing to read again, answers every resolution from the store."""
    files = three_texts(tmp_path / "texts")
    with Corpus(tmp_path / "store") as c:
        c.load(files, workers=1)
    (tmp_path / "store" / answers.DB).unlink()
    with Corpus(tmp_path / "store") as c:
        entries = c.load(files, workers=1)
        assert all(e.skipped for e in entries)
        assert_kept_as_stored(c)


def test_a_damaged_answers_file_is_made_anew_and_meanwhile_the_store_answers(tmp_path: Path) -> None:
    files = three_texts(tmp_path / "texts")
    with Corpus(tmp_path / "store") as c:
        c.load(files, workers=1)
        expected = c.query(queries.load("deadlines").text, kept=False)
    for extra in ("", "-wal", "-shm"):
        Path(f"{tmp_path / 'store' / answers.DB}{extra}").unlink(missing_ok=True)
    (tmp_path / "store" / answers.DB).write_bytes(b"not a database" * 100)
    with Corpus(tmp_path / "store", read_only=True) as c:
        assert c.query(queries.load("deadlines").text) == expected
    with Corpus(tmp_path / "store") as c:
        c.load(files, workers=1)
        assert_kept_as_stored(c)


def test_rows_the_vocabularies_give_alone_are_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Such a row would come once from every part: a query declared per resolution that
    gives one is left to the store."""
    path = tmp_path / "verbs.rq"
    path.write_text(
        "# Which verbs are there?\n# columns: ?verb\n# scope: resolution\n\n"
        "SELECT ?verb WHERE { ?v skos:inScheme <https://w3id.org/mandate-graph/vocab/verb> ;\n"
        "  skos:notation ?verb } ORDER BY ?verb\n",
        encoding="utf-8",
    )
    own = queries.NamedQuery("verbs", path, path.read_text(encoding="utf-8"))
    monkeypatch.setattr(answers, "declared", lambda: [own])
    monkeypatch.setattr(answers, "_KEEPER", None)
    files = three_texts(tmp_path / "texts")
    with Corpus(tmp_path / "store") as c:
        c.load(files, workers=1)
        stored = c.query(own.text, infer=False, kept=False)
        assert stored[1], "the vocabularies have verbs"
        assert c._kept_answer(queries.prefixed(own.text), False, {}) is None
        assert c.query(own.text, infer=False) == stored
    monkeypatch.setattr(answers, "_KEEPER", None)


@pytest.mark.parametrize(
    "select",
    [
        "SELECT ?a WHERE { ?a ?b ?c } LIMIT 10",
        "SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a OFFSET 3",
        "SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?b ?c } GROUP BY ?a",
        "SELECT * WHERE { ?a ?b ?c }",
        "SELECT DISTINCT ?a WHERE { ?a ?b ?c } ORDER BY ?c",
        "CONSTRUCT { ?a ?b ?c } WHERE { ?a ?b ?c }",
        "# merge: sum ?n\nSELECT ?a ?n WHERE { ?a ?b ?n } ORDER BY ?c",
        "# merge: sum ?x\nSELECT ?a ?n WHERE { ?a ?b ?n }",
    ],
)
def test_a_query_whose_answer_cannot_be_merged_from_parts_has_no_plan(select: str) -> None:
    with pytest.raises(NotKept):
        plan("q", select, False)


def test_order_keys_that_are_not_columns_are_run_as_extra_columns() -> None:
    p = plan(
        "q",
        "SELECT ?a ?b WHERE { ?m ?a ?b } ORDER BY (!BOUND(?b)) DESC(?a) ?m xsd:integer(STR(?b)) ASC(?b)",
        False,
    )
    assert p.columns == ("a", "b")
    assert p.order == ((2, False), (0, True), (3, False), (4, False), (1, False))
    assert "(!BOUND(?b)) AS ?_order0" in p.text and "(?m AS ?_order1)" in p.text
    assert "(xsd:integer(STR(?b)) AS ?_order2)" in p.text and "ORDER BY" not in p.text


def test_terms_sort_as_sparql_sorts_them() -> None:
    integer = "Thttp://www.w3.org/2001/XMLSchema#integer\x01"
    decimal = "Thttp://www.w3.org/2001/XMLSchema#decimal\x01"
    boolean = "Thttp://www.w3.org/2001/XMLSchema#boolean\x01"
    ordered = [
        None,
        "Bb1",
        "Ihttp://example.org/a",
        "Ihttp://example.org/b",
        integer + "2",
        decimal + "2.5",
        integer + "10",
        boolean + "false",
        boolean + "true",
        "SA/RES/80/10",
        "SA/RES/80/9",
    ]
    assert sorted(reversed(ordered), key=order_key) == ordered


def test_a_sum_merges_the_rows_of_the_same_document() -> None:
    p = plan("q", "# merge: sum ?n\nSELECT ?s ?n WHERE { ?s ?p ?n } ORDER BY DESC(?n) ?s", False)
    integer = "Thttp://www.w3.org/2001/XMLSchema#integer\x01"
    merged = answers.merge(p, [[["Sa", integer + "2"], ["Sb", integer + "1"]], [["Sb", integer + "3"]]])
    assert merged == [["Sb", integer + "4"], ["Sa", integer + "2"]]


def test_a_load_with_nothing_new_makes_no_answer_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = three_texts(tmp_path / "texts")
    with Corpus(tmp_path / "store") as c:
        c.load(files, workers=1)

    def no_keeper() -> None:
        raise AssertionError("the answers were made again")

    monkeypatch.setattr(answers, "keeper", no_keeper)
    with Corpus(tmp_path / "store") as c:
        assert all(e.skipped for e in c.load(files, workers=1))
        assert_kept_as_stored(c)


def test_answers_that_cannot_be_made_leave_the_load_whole_and_the_store_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(answers.Kept, "put_part", broken)
    files = three_texts(tmp_path / "texts")
    with Corpus(tmp_path / "store") as c:
        entries = c.load(files, workers=1)
        assert entries and not any(e.error for e in entries)
        for name in DECLARED:
            text = queries.load(name).text
            assert c._kept_answer(queries.prefixed(text), False, {}) is None
            assert c.query(text, infer=False) == c.query(text, infer=False, kept=False)
