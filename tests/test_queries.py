"""The named queries (``queries/*.rq``): fixtures with expected rows, and answers on A/RES/80/229.

Queries are found by glob, so a new query without a fixture folder fails here. Each
``tests/fixtures/queries/<name>/expected*.json`` is one case over that folder's ``data.ttl``::

    {"bindings": {"number": 2}, "infer": false, "rows": [["A/RES/99/1", "2", "…", "zh"]]}

Cells are compared as strings: a literal's lexical form, an IRI as written, null if unbound.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest
from rdflib import RDF, SKOS, Graph, Literal
from rdflib.term import Node

from mandate_graph import queries
from mandate_graph.errors import InputError
from mandate_graph.infer import with_inference
from mandate_graph.iris import ACTOR, MG
from mandate_graph.vocab import vocabulary_graph

ROOT = Path(__file__).resolve().parent.parent
QUERY_DIR = ROOT / "queries"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "queries"

QUERY_FILES = sorted(QUERY_DIR.glob("*.rq"))
QUERY_NAMES = [p.stem for p in QUERY_FILES]
CASES = sorted(FIXTURES.glob("*/expected*.json"))


def cell(value: Node | None) -> str | None:
    return None if value is None else str(value)


def binding(value: object) -> Node:
    """A fixture binding as an RDF term, read the way ``--param NAME=VALUE`` is."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"bindings are integers or strings, not {value!r}")
    return queries.coerce(str(value))


def with_vocabulary(data: Graph, infer: bool) -> Graph:
    """``data`` as the command line queries it: with the vocabularies, and their closure if asked."""
    g = Graph()
    for t in data:
        g.add(t)
    for t in vocabulary_graph():
        g.add(t)
    return with_inference(g) if infer else g


def select(name: str, graph: Graph, **bindings: Node) -> tuple[list[str], list[list[str | None]]]:
    columns, rows = queries.rows(queries.run(queries.load(name), graph, bindings))
    return columns, [[cell(v) for v in row] for row in rows]


def query_body(text: str) -> str:
    """The query without its comment lines."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def header_columns(text: str) -> list[str]:
    match = re.search(r"^#\s*columns:(.*)$", text, flags=re.M)
    assert match, "no '# columns:' line"
    return re.findall(r"\?(\w+)", match.group(1))


# ----------------------------------------------------------------------------- conventions


def test_queries_are_found():
    assert queries.names() == QUERY_NAMES
    assert {
        "cited-documents",
        "conditions",
        "deadlines",
        "mandates-by-addressee",
        "paragraph-text",
        "reporting",
        "secretariat-mandates",
        "verb-counts",
    } <= set(QUERY_NAMES)


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_query_has_a_fixture(name):
    folder = FIXTURES / name
    assert (folder / "data.ttl").is_file(), f"add {folder.relative_to(ROOT)}/data.ttl"
    assert list(folder.glob("expected*.json")), f"add {folder.relative_to(ROOT)}/expected.json"


def test_every_fixture_belongs_to_a_query():
    orphans = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name not in QUERY_NAMES)
    assert orphans == []


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_header_states_question_and_columns(name):
    q = queries.load(name)
    first = q.text.splitlines()[0]
    assert re.match(r"^# \S", first), "line 1 is '# <the question>'"
    assert not first.lower().startswith(("# columns:", "# parameter")), "line 1 is the question"
    assert q.text.splitlines()[1].startswith("# columns:"), "line 2 lists the columns"
    assert q.description == first[2:].strip(), "the description is the question alone"
    assert header_columns(q.text), "list the columns"


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_header_columns_match_results(name):
    q = queries.load(name)
    bindings = {p: Literal(1) for p in q.parameters}
    result = queries.run(q, with_vocabulary(Graph(), infer=False), bindings)
    assert [str(v) for v in result.vars] == header_columns(q.text)


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_query_is_ordered(name):
    body = query_body(queries.load(name).text)
    assert re.search(r"\bORDER\s+BY\b(?![^{}]*\})", body), "end with an ORDER BY"


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_parameters_are_used_as_variables(name):
    q = queries.load(name)
    body = query_body(q.text)
    for p in q.parameters:
        assert re.search(rf"\?{p}\b", body), f"parameter ?{p} is declared but not used"
        assert "{" + p + "}" not in body, f"parameter ?{p} is bound, never formatted into the text"


# ----------------------------------------------------------------------------- fixtures


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(case):
    name = case.parent.name
    expected = json.loads(case.read_text(encoding="utf-8"))
    data = Graph().parse(case.parent / "data.ttl", format="turtle")
    graph = with_vocabulary(data, infer=expected.get("infer", False))
    bindings = {k: binding(v) for k, v in expected.get("bindings", {}).items()}
    _, rows = select(name, graph, **bindings)
    assert rows == expected["rows"]


def test_secretariat_fixture_has_cases_with_and_without_inference():
    cases = [json.loads(p.read_text()) for p in (FIXTURES / "secretariat-mandates").glob("expected*.json")]
    assert sorted(c.get("infer", False) for c in cases) == [False, True]


def test_paragraph_text_needs_its_parameter():
    with pytest.raises(InputError, match="--param number"):
        queries.run(queries.load("paragraph-text"), Graph())


# ----------------------------------------------------------------------------- A/RES/80/229


@functools.cache
def resolution_80_229() -> Graph:
    from mandate_graph.graph import to_graph
    from mandate_graph.parse import parse_file
    from mandate_graph.resources import bundled_resolution

    return to_graph(parse_file(bundled_resolution()))


@functools.cache
def data_80_229(infer: bool) -> Graph:
    return with_vocabulary(resolution_80_229(), infer)


def mandates() -> set[Node]:
    return set(resolution_80_229().subjects(RDF.type, MG.Mandate))


def rows_80_229(name: str, infer: bool = False, **bindings: Node) -> list[dict[str, str | None]]:
    columns, rows = select(name, data_80_229(infer), **bindings)
    return [dict(zip(columns, row, strict=True)) for row in rows]


def test_deadlines_80_229():
    rows = rows_80_229("deadlines")
    assert [(r["paragraph"], r["session"]) for r in rows] == [
        ("22", "80"),
        ("23", "81"),
        ("78", "81"),
        ("78", "82"),
        ("79", "82"),
    ]
    p78 = [(r["session"], r["start"]) for r in rows if r["paragraph"] == "78"]
    assert p78 == [("81", "2026-09-08"), ("82", "2027-09-07")]
    assert {r["addressees"] for r in rows if r["paragraph"] == "78"} == {"secretary-general"}
    assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)


def test_secretariat_mandates_80_229_without_inference_only_the_secretariat():
    rows = rows_80_229("secretariat-mandates")
    assert [(r["paragraph"], r["clause"], r["addressee"]) for r in rows] == [("29", "2", "secretariat")]


def test_secretariat_mandates_80_229_with_inference_includes_its_parts():
    rows = rows_80_229("secretariat-mandates", infer=True)
    found = {(r["paragraph"], r["addressee"]) for r in rows}
    assert {("29", "secretariat"), ("78", "secretary-general"), ("15", "unodc")} <= found
    assert len(rows) > 3
    graph = data_80_229(True)
    within = {str(graph.value(a, SKOS.notation)) for a in graph.subjects(MG.withinActor, ACTOR.secretariat)}
    assert {r["addressee"] for r in rows} <= within | {"secretariat"}


def test_reporting_80_229():
    rows = rows_80_229("reporting")
    p78 = [r for r in rows if r["paragraph"] == "78"]
    assert len(p78) == 1
    assert p78[0]["reportTo"] == "general-assembly"
    assert p78[0]["addressees"] == "secretary-general"
    assert p78[0]["sessions"] == "81, 82"


def test_paragraph_text_80_229():
    rows = rows_80_229("paragraph-text", number=Literal(78))
    assert len(rows) == 1
    assert rows[0]["resolution"] == "A/RES/80/229"
    assert rows[0]["number"] == "78"
    assert rows[0]["language"] == "zh"
    assert rows[0]["text"].startswith("请秘书长向大会第八十一届")


def test_paragraph_text_80_229_unknown_paragraph_is_empty():
    assert rows_80_229("paragraph-text", number=Literal(800)) == []


def test_cited_documents_80_229():
    rows = rows_80_229("cited-documents")
    assert rows[0] == {"symbol": "A/RES/69/196", "citations": "4", "link": "https://undocs.org/A/RES/69/196"}
    assert [(r["symbol"], r["citations"]) for r in rows[1:3]] == [("A/RES/70/1", "3"), ("A/RES/70/299", "3")]
    counts = [int(r["citations"]) for r in rows]
    assert counts == sorted(counts, reverse=True)
    assert all(r["link"] == f"https://undocs.org/{r['symbol']}" for r in rows)
    assert len({r["symbol"] for r in rows}) == len(rows)


def test_verb_counts_80_229():
    rows = rows_80_229("verb-counts")
    assert {r["verb"] for r in rows[:3]} == {"requests", "calls-upon", "encourages"}
    assert sum(int(r["mandates"]) for r in rows) == len(mandates())


def test_mandates_by_addressee_80_229_covers_every_mandate():
    rows = rows_80_229("mandates-by-addressee")
    assert len({(r["paragraph"], r["clause"]) for r in rows}) == len(mandates())
    assert rows[-1]["addressee"] is None  # a mandate addressed to no one comes last
    assert all(r["addressee"] for r in rows[:-1])


def test_conditions_80_229():
    rows = rows_80_229("conditions")
    assert {r["condition"] for r in rows} <= {
        "upon-request",
        "within-existing-resources",
        "subject-to-extrabudgetary-resources",
        "within-mandate",
    }
    assert ("upon-request", "15", "unodc") in {(r["condition"], r["paragraph"], r["addressees"]) for r in rows}


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_inference_adds_no_duplicate_rows_80_229(name):
    """The closure restates vocabulary facts; apart from the actor hierarchy, answers must not change."""
    bindings = {p: Literal(78) for p in queries.load(name).parameters}
    plain = select(name, data_80_229(False), **bindings)[1]
    inferred = select(name, data_80_229(True), **bindings)[1]
    if name == "secretariat-mandates":
        assert all(row in inferred for row in plain)
    else:
        assert inferred == plain


# ----------------------------------------------------------------------------- parameters


def narrowing_cases() -> list[tuple[str, str]]:
    """(query, column) for every column of every named query."""
    return [(name, c) for name in QUERY_NAMES for c in header_columns(queries.load(name).text)]


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize(("name", "column"), narrowing_cases(), ids=lambda x: str(x))
def test_a_parameter_keeps_the_rows_with_its_value(name: str, column: str, engine: str) -> None:
    """``--param COLUMN=VALUE`` gives the rows of the whole answer that have VALUE in that
    column: no more (rows elsewhere, or without a value there, labelled with it) and no fewer."""
    q = queries.load(name)
    infer = name == "secretariat-mandates"
    graph = data_80_229(infer)
    inputs = {p: Literal(78) for p in q.parameters}  # paragraph-text: operative paragraph 78

    def answer(bindings: dict[str, Node]) -> list[list[Node | None]]:
        if engine == "rdflib":
            return queries.rows(queries.run(q, graph, bindings))[1]
        return queries.run_fast(q, graph, bindings)[1]

    columns, _ = queries.rows(queries.run(q, graph, inputs))
    whole = answer(inputs)
    i = columns.index(column)
    values = list(dict.fromkeys(row[i] for row in whole if row[i] is not None))
    if column in inputs:
        values = [inputs[column]]
    assert values, f"{name} has no value in column ?{column} on 80/229"
    # the commonest value and the rarest: a narrowing that keeps many rows, and few
    counts = {v: sum(row[i] == v for row in whole) for v in values}
    for value in {max(values, key=counts.__getitem__), min(values, key=counts.__getitem__)}:
        expected = [row for row in whole if row[i] == value]
        assert answer({**inputs, column: value}) == expected, f"?{column} = {value.n3()}"


def test_a_value_missing_from_a_row_does_not_put_the_row_under_it() -> None:
    """mandates-by-addressee binds ?addressee in an OPTIONAL: a mandate addressed to someone
    else, or to no one, is not listed under the actor asked for."""
    rows = rows_80_229("mandates-by-addressee", addressee=Literal("unodc"))
    every = rows_80_229("mandates-by-addressee")
    assert rows and {r["addressee"] for r in rows} == {"unodc"}
    assert len(rows) == sum(r["addressee"] == "unodc" for r in every) < len(every)
    unaddressed = [r for r in every if r["addressee"] is None]
    assert unaddressed, "80/229 has a mandate addressed to no one"
    assert not {(r["paragraph"], r["clause"]) for r in unaddressed} & {(r["paragraph"], r["clause"]) for r in rows}


def test_a_number_finds_a_column_of_text() -> None:
    """deadlines gives the session as text ("81"); --param session=81 reads an integer."""
    rows = rows_80_229("deadlines", session=queries.coerce("81"))
    assert [(r["paragraph"], r["session"]) for r in rows] == [("23", "81"), ("78", "81")]


def test_a_parameter_the_query_does_not_use_is_refused() -> None:
    with pytest.raises(InputError, match=r"no variable \?adressee .*\?addressee"):
        queries.run(queries.load("mandates-by-addressee"), Graph(), {"adressee": Literal("unodc")})


@pytest.mark.parametrize(
    ("where", "certain", "maybe"),
    [
        ("?s ?p ?o", "o p s", "o p s"),
        ("?s ?p ?o OPTIONAL { ?o ?q ?x }", "o p s", "o p q s x"),
        ("{ ?s ?p ?o } UNION { ?s ?q ?x }", "s", "o p q s x"),
        ("?s ?p ?o BIND(STR(?o) AS ?t)", "o p s", "o p s t"),
        ("?s ?p ?o MINUS { ?s ?q ?x }", "o p s", "o p s"),
        ("GRAPH ?g { ?s ?p ?o }", "g o p s", "g o p s"),
        ("VALUES (?a ?b) { (1 2) (3 UNDEF) } ?s ?p ?a", "a p s", "a b p s"),
        ("{ SELECT ?s WHERE { ?s ?p ?o } } ?s ?q ?x", "q s x", "q s x"),
        ("{ SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s }", "", "n s"),
        ("?s ?p ?o FILTER(?o = ?input)", "o p s", "o p s"),
    ],
)
def test_bound_variables(where: str, certain: str, maybe: str) -> None:
    found = queries.bound_variables(f"SELECT * WHERE {{ {where} }}")
    assert found is not None
    assert (sorted(found[0]), sorted(found[1]), found[2]) == (certain.split(), maybe.split(), frozenset())


def test_bound_variables_below_the_select_clause() -> None:
    """A column the SELECT clause computes is not the WHERE clause's: it cannot be given."""
    text = "SELECT ?s (COUNT(?o) AS ?n) (STR(?s) AS ?t) WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?x } } GROUP BY ?s"
    assert queries.bound_variables(text) == ({"o", "p", "s"}, {"o", "p", "q", "s", "x"}, {"n", "t"})
    with pytest.raises(InputError, match=r"\?n is computed by the query's SELECT clause"):
        queries.bind_parameters(text, {"n": Literal(2)})


def test_a_filter_goes_at_the_end_of_the_where_clause_not_into_a_string_or_comment() -> None:
    text = (
        'SELECT ?s ?o WHERE {\n  ?s <http://example.org/a#b> ?o .\n  FILTER(?o != "}" && ?o != """x } y""")'
        "  # a } in a comment\n  OPTIONAL { ?s <http://example.org/p> ?t }\n}\nORDER BY ?s"
    )
    bound = queries.bind_parameters(text, {"t": Literal("v")})
    assert bound.endswith('  FILTER((sameTerm(?t, "v") || (isLiteral(?t) && STR(?t) = "v")))\n}\nORDER BY ?s')
    g = Graph()
    ex = "http://example.org/"
    g.parse(data=f'<{ex}s> <{ex}a#b> "o" .\n<{ex}s> <{ex}p> "v" .\n<{ex}s2> <{ex}a#b> "o2" .\n', format="nt")
    assert [str(r[0]) for r in g.query(bound)] == [f"{ex}s"]
