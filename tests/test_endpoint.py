"""Named queries against a SPARQL endpoint: paging, results as rdflib terms, parameters as a
VALUES block, errors. Against a fake store here; against Oxigraph and Virtuoso in
``test_stores.py``."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import BNode, Literal, Namespace, URIRef

from fake_store import FakeStore, fake_store
from mandate_graph import queries
from mandate_graph.cli import main
from mandate_graph.endpoint import Endpoint, term
from mandate_graph.errors import InputError, StoreError
from servers import free_port
from test_queries import data_80_229

SECRET = "s3cret-not-to-be-printed"
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest probes module globals


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def store() -> Iterator[FakeStore]:
    with fake_store() as s:
        yield s


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("MANDATE_GRAPH_USER", raising=False)
    monkeypatch.delenv("MANDATE_GRAPH_PASSWORD", raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))


def numbered(n: int) -> list[dict[str, object]]:
    return [{"i": {"type": "literal", "value": str(i), "datatype": str(XSD.integer)}} for i in range(n)]


SELECT_I = "SELECT ?i WHERE { ?s <https://example.org/i> ?i } ORDER BY ?i"


# ----------------------------------------------------------------------------- terms


def test_json_results_become_the_terms_rdflib_gives() -> None:
    assert term({"type": "uri", "value": "https://example.org/a"}) == URIRef("https://example.org/a")
    assert term({"type": "bnode", "value": "b0"}) == BNode("b0")
    assert term({"type": "literal", "value": "请", "xml:lang": "zh"}) == Literal("请", lang="zh")
    assert term({"type": "literal", "value": "78", "datatype": str(XSD.positiveInteger)}) == Literal(
        "78", datatype=XSD.positiveInteger
    )
    # Virtuoso's older spelling, and xsd:string, which RDF 1.1 makes a plain literal
    assert term({"type": "typed-literal", "value": "2026-09-08", "datatype": str(XSD.date)}) == Literal(
        "2026-09-08", datatype=XSD.date
    )
    assert term({"type": "literal", "value": "x", "datatype": str(XSD.string)}) == Literal("x")


# ----------------------------------------------------------------------------- paging


def test_an_answer_the_store_caps_comes_back_whole(store: FakeStore) -> None:
    store.columns, store.rows, store.cap = ["i"], numbered(25_000), 10_000
    answer = Endpoint(store.query).run_text(SELECT_I)
    assert [int(r[0]) for r in answer.rows] == list(range(25_000))
    assert answer.requests == 3


def test_a_page_larger_than_the_cap_shrinks_to_the_cap(store: FakeStore) -> None:
    store.columns, store.rows, store.cap = ["i"], numbered(25_000), 10_000
    answer = Endpoint(store.query, page_size=50_000).run_text(SELECT_I)
    assert len(answer.rows) == 25_000
    assert [q.rsplit("LIMIT", 1)[1].strip() for q in store.queries] == [
        "50000 OFFSET 0",
        "10000 OFFSET 10000",
        "10000 OFFSET 20000",
    ]


def test_a_store_without_a_cap_is_paged_by_the_page_size(store: FakeStore) -> None:
    store.columns, store.rows = ["i"], numbered(2_500)
    answer = Endpoint(store.query, page_size=1_000).run_text(SELECT_I)
    assert len(answer.rows) == 2_500
    assert answer.requests == 3


def test_the_page_is_cut_outside_the_ordered_query(store: FakeStore) -> None:
    store.columns, store.rows = ["i"], numbered(3)
    Endpoint(store.query).run_text("PREFIX ex: <https://example.org/>\n" + SELECT_I)
    (sent,) = store.queries
    assert sent.startswith("PREFIX ex: <https://example.org/>\nSELECT ?i WHERE { {\nSELECT ?i WHERE")
    assert sent.endswith("ORDER BY ?i\n?i\n} } LIMIT 10000 OFFSET 0")


def test_rows_tied_in_the_query_order_are_ordered_by_every_column(store: FakeStore) -> None:
    """Regression: on the whole corpus, mandates-by-addressee (ordered down to the mandate, not
    to its text) once gave different rows, as many, from Oxigraph and from Virtuoso: rows tied
    in the query's order can fall on either side of a page boundary, ordered anew by each request."""
    store.columns, store.rows = ["addressee", "text"], []
    query = queries.load("mandates-by-addressee")
    Endpoint(store.query).run(query)
    assert store.queries[0].endswith(
        "ORDER BY (!BOUND(?addressee)) ?addressee ?resolution ?paragraph ?clause ?m\n"
        "?addressee ?resolution ?paragraph ?clause ?verb ?text\n} } LIMIT 10000 OFFSET 0"
    )


def test_a_query_without_order_is_ordered_by_all_its_columns(store: FakeStore) -> None:
    store.columns, store.rows = ["s", "i"], []
    Endpoint(store.query).run_text("SELECT ?s ?i WHERE { ?s <https://example.org/i> ?i }")
    assert "} } ORDER BY ?s ?i" in store.queries[0]


def test_a_query_with_its_own_limit_is_sent_as_written(store: FakeStore) -> None:
    store.columns, store.rows = ["i"], numbered(5)
    text = SELECT_I + " LIMIT 5"
    answer = Endpoint(store.query).run_text(text)
    assert store.queries == [text]
    assert len(answer.rows) == 5


def test_a_capped_answer_to_a_limited_query_is_flagged(store: FakeStore) -> None:
    store.columns, store.rows, store.cap = ["i"], numbered(20), 10
    answer = Endpoint(store.query).run_text(SELECT_I + " LIMIT 20")
    assert answer.notes == ["the store returns at most 10 rows; the answer may be cut short"]


# ----------------------------------------------------------------------------- parameters


def test_a_store_is_sent_the_parameters_as_they_are_bound_locally(store: FakeStore) -> None:
    """One rule for every engine (queries.bind_parameters): here ?number in a VALUES block
    at the top, ?addressee, which an OPTIONAL binds, in a FILTER on the whole clause."""
    store.columns, store.rows = ["addressee"], []
    q = queries.load("mandates-by-addressee")
    Endpoint(store.query).run(q, {"addressee": Literal("unodc"), "paragraph": Literal(3)})
    (sent,) = store.queries
    assert 'VALUES (?paragraph) { ("3"^^<http://www.w3.org/2001/XMLSchema#integer>) }' in sent
    assert 'FILTER((sameTerm(?addressee, "unodc") || (isLiteral(?addressee) && STR(?addressee) = "unodc")))' in sent
    # the same rows as locally: mandate 3.2 of 80/229 asks the office for assistance
    local = queries.rows(queries.run(q, data_80_229(False), {"addressee": Literal("unodc"), "paragraph": Literal(3)}))
    assert [[str(v) for v in row[:4]] for row in local[1]] == [["unodc", "A/RES/80/229", "3", "2"]]


def test_a_missing_parameter_is_asked_for_before_anything_is_sent(store: FakeStore) -> None:
    with pytest.raises(InputError, match="--param number"):
        Endpoint(store.query).run(queries.load("paragraph-text"))
    assert store.queries == []


def test_only_select_queries(store: FakeStore) -> None:
    with pytest.raises(InputError, match="only SELECT"):
        Endpoint(store.query).run_text("ASK { ?s ?p ?o }")


# ----------------------------------------------------------------------------- errors


def test_a_closed_port_is_one_line() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    code, out, err = run("query", "verb-counts", "--endpoint", url)
    assert (code, out) == (2, "")
    assert err == (
        f"mandate-graph: {url}: cannot reach the SPARQL endpoint (connection refused); "
        "check the URL and that the store is running\n"
    )


def test_a_slow_endpoint_times_out(store: FakeStore) -> None:
    store.faults, store.slow = ["slow"], 1.0
    with pytest.raises(StoreError, match=r"no answer within 0.2 s; try again later or give a longer --timeout"):
        Endpoint(store.query, timeout=0.2).select(SELECT_I)


def test_an_endpoint_that_asks_for_credentials(store: FakeStore) -> None:
    store.user, store.password = "reader", SECRET
    code, _, err = run("query", "verb-counts", "--endpoint", store.query)
    assert code == 2
    assert "the endpoint refused access (401 Unauthorized); set MANDATE_GRAPH_USER and MANDATE_GRAPH_PASSWORD" in err


def test_basic_credentials_are_sent_when_asked(store: FakeStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store.user, store.password = "reader", SECRET
    store.columns, store.rows = ["i"], numbered(3)
    monkeypatch.setenv("MANDATE_GRAPH_USER", "reader")
    monkeypatch.setenv("MANDATE_GRAPH_PASSWORD", SECRET)
    assert len(Endpoint(store.query).run_text(SELECT_I).rows) == 3


def test_a_wrong_password_is_never_printed(store: FakeStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store.user, store.password = "reader", "right"
    monkeypatch.setenv("MANDATE_GRAPH_USER", "reader")
    monkeypatch.setenv("MANDATE_GRAPH_PASSWORD", SECRET)
    code, out, err = run("query", "verb-counts", "--endpoint", store.query)
    assert code == 2
    assert "refused access (401 Unauthorized); check the credentials" in err
    assert SECRET not in out + err


@pytest.mark.parametrize(("fault", "message"), [("503", "unavailable (503"), ("500", "failed (500)")])
def test_a_failing_endpoint_is_one_line(store: FakeStore, fault: str, message: str) -> None:
    store.faults = [fault]
    code, out, err = run("query", "verb-counts", "--endpoint", store.query)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and message in err


def test_data_does_not_go_with_an_endpoint(store: FakeStore) -> None:
    code, _, err = run("query", "verb-counts", "--endpoint", store.query, "--data", "x.ttl")
    assert code == 2
    assert "--data does not apply" in err


def test_remote_rows_print_as_local_ones(store: FakeStore) -> None:
    """Same renderers: a number is a number in JSON, whatever integer type the store reports."""
    store.columns = ["verb", "mandates"]
    store.rows = [
        {
            "verb": {"type": "literal", "value": "requests"},
            "mandates": {"type": "literal", "value": "30", "datatype": str(XSD.integer)},
        }
    ]
    code, out, _ = run("query", "verb-counts", "--endpoint", store.query, "--format", "json")
    assert code == 0
    assert json.loads(out) == [{"verb": "requests", "mandates": 30}]
