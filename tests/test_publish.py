"""``publish`` against a small fake store: retries, back-off, errors, credentials, counts.

The real stores (Oxigraph, Virtuoso) are in ``test_stores.py``; the fake plays what they
rarely do on demand: fail a given number of times, cut a connection, answer late.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from fake_store import FakeStore, fake_store
from mandate_graph.cli import main
from mandate_graph.endpoint import Endpoint
from mandate_graph.errors import InputError, StoreError
from mandate_graph.export import ONTOLOGY_GRAPH
from mandate_graph.iris import mint
from mandate_graph.publish import (
    GraphStore,
    Rejected,
    graph_parameter,
    ontology_graph,
    publish,
    query_endpoint_for,
    unsendable,
)
from mandate_graph.resources import bundled_resolution
from servers import free_port

RES = str(mint("A/RES/80/229"))
SECRET = "s3cret-not-to-be-printed"


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
    """No credentials from the developer's environment or ~/.netrc leak into these tests."""
    monkeypatch.delenv("MANDATE_GRAPH_USER", raising=False)
    monkeypatch.delenv("MANDATE_GRAPH_PASSWORD", raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))


def one_graph() -> Graph:
    g = Graph()
    g.add((URIRef("https://example.org/s"), URIRef("https://example.org/p"), Literal("o")))
    return g


def sleeps() -> tuple[list[float], object]:
    waited: list[float] = []
    return waited, waited.append


# ----------------------------------------------------------------------------- URLs


def test_known_stores_have_their_query_endpoint_derived() -> None:
    assert query_endpoint_for("http://h:7878/store") == "http://h:7878/query"
    assert query_endpoint_for("http://h:8890/sparql-graph-crud-auth") == "http://h:8890/sparql"
    assert query_endpoint_for("http://h:8890/sparql-graph-crud") == "http://h:8890/sparql"
    assert query_endpoint_for("http://h:3030/ds/data") == "http://h:3030/ds/sparql"
    assert query_endpoint_for("http://h:7200/repositories/mg/rdf-graphs/service") == "http://h:7200/repositories/mg"
    assert query_endpoint_for("http://h/elsewhere") is None


def test_virtuoso_names_the_graph_graph_uri_others_graph() -> None:
    assert graph_parameter("http://h:8890/sparql-graph-crud-auth") == "graph-uri"
    assert graph_parameter("http://h:7878/store") == "graph"  # graph-uri would be the whole dataset on Oxigraph


def test_credentials_in_the_url_are_refused() -> None:
    with pytest.raises(InputError, match="carries credentials") as e:
        GraphStore(f"http://dba:{SECRET}@127.0.0.1:1/store")
    assert SECRET not in str(e.value)


# ----------------------------------------------------------------------------- one PUT


def test_put_creates_then_replaces(store: FakeStore) -> None:
    gs = GraphStore(store.graph_store)
    name = URIRef("https://example.org/g")
    assert gs.put(name, one_graph().serialize(format="nt", encoding="utf-8")) == 201
    assert gs.put(name, one_graph().serialize(format="nt", encoding="utf-8")) == 204
    assert len(store.graphs[str(name)]) == 1


@pytest.mark.parametrize("fault", ["503", "502", "504", "reset", "slow"])
def test_transient_failures_are_retried_with_back_off(store: FakeStore, fault: str) -> None:
    store.faults = [fault, fault]
    store.slow = 1.0
    waited, sleep = sleeps()
    gs = GraphStore(store.graph_store, retries=3, backoff=0.25, timeout=0.3, sleep=sleep)  # type: ignore[arg-type]
    gs.put(URIRef("https://example.org/g"), one_graph().serialize(format="nt", encoding="utf-8"))
    assert waited == [0.25, 0.5]  # doubled each time
    assert len(store.graphs["https://example.org/g"]) == 1


def test_retries_are_bounded(store: FakeStore) -> None:
    store.faults = ["503"] * 10
    waited, sleep = sleeps()
    gs = GraphStore(store.graph_store, retries=2, backoff=0.1, sleep=sleep)  # type: ignore[arg-type]
    with pytest.raises(StoreError, match=r"503 Service Unavailable, 3 times; the store is down or overloaded"):
        gs.put(URIRef("https://example.org/g"), b"")
    assert len(waited) == 2
    assert store.faults == ["503"] * 7


def test_a_timeout_on_every_try_says_so(store: FakeStore) -> None:
    store.faults, store.slow = ["slow"] * 3, 1.0
    gs = GraphStore(store.graph_store, retries=1, timeout=0.2, sleep=lambda _: None)
    with pytest.raises(StoreError, match=r"no answer within 0.2 s, 2 times; give a longer --timeout"):
        gs.put(URIRef("https://example.org/g"), b"")


def test_a_refused_connection_is_not_retried() -> None:
    waited, sleep = sleeps()
    gs = GraphStore(f"http://127.0.0.1:{free_port()}/store", sleep=sleep)  # type: ignore[arg-type]
    with pytest.raises(StoreError, match=r"cannot reach the Graph Store \(connection refused\)"):
        gs.put(URIRef("https://example.org/g"), b"")
    assert waited == []


def test_a_server_error_rejects_the_graph_without_retrying(store: FakeStore) -> None:
    store.faults = ["500"]
    gs = GraphStore(store.graph_store, sleep=lambda _: pytest.fail("a 500 is not retried"))
    with pytest.raises(Rejected, match=r"rejected the graph \(500"):
        gs.put(URIRef("https://example.org/g"), b"")


def test_a_bad_body_is_rejected(store: FakeStore) -> None:
    with pytest.raises(Rejected, match=r"400.*bad N-Triples"):
        GraphStore(store.graph_store).put(URIRef("https://example.org/g"), b"<not n-triples")


# ----------------------------------------------------------------------------- credentials


def test_basic_credentials_from_the_environment(store: FakeStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store.user, store.password = "editor", SECRET
    monkeypatch.setenv("MANDATE_GRAPH_USER", "editor")
    monkeypatch.setenv("MANDATE_GRAPH_PASSWORD", SECRET)
    gs = GraphStore(store.graph_store)
    gs.put(URIRef("https://example.org/g"), one_graph().serialize(format="nt", encoding="utf-8"))
    # none sent until the store asked, then Basic, as its challenge said
    assert store.log[0][2] is None and store.log[1][2] is not None and store.log[1][2].startswith("Basic ")
    assert gs.auth_mode == "basic"


def test_credentials_from_netrc(store: FakeStore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    store.user, store.password = "editor", SECRET
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login editor password {SECRET}\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    GraphStore(store.graph_store).put(
        URIRef("https://example.org/g"), one_graph().serialize(format="nt", encoding="utf-8")
    )
    assert "https://example.org/g" in store.graphs


def test_no_credentials_when_asked_says_where_to_put_them(store: FakeStore) -> None:
    store.user, store.password = "editor", SECRET
    with pytest.raises(StoreError, match=r"401.*set MANDATE_GRAPH_USER and MANDATE_GRAPH_PASSWORD"):
        GraphStore(store.graph_store).put(URIRef("https://example.org/g"), b"")


def test_a_wrong_password_is_refused_and_never_printed(store: FakeStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store.user, store.password = "editor", "right"
    monkeypatch.setenv("MANDATE_GRAPH_USER", "editor")
    monkeypatch.setenv("MANDATE_GRAPH_PASSWORD", SECRET)
    code, out, err = run("publish", str(bundled_resolution()), "--graph-store", store.graph_store)
    assert code == 2
    assert "the store refused access (401 Unauthorized); check the credentials" in err
    assert SECRET not in out + err
    assert store.graphs == {}


def test_half_the_credentials_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MANDATE_GRAPH_USER", "editor")
    with pytest.raises(InputError, match="go together"):
        GraphStore("http://127.0.0.1:1/store")


# ----------------------------------------------------------------------------- what is sent


def test_the_ontology_graph_holds_the_closure_without_generalised_triples() -> None:
    g = ontology_graph()
    assert all(isinstance(s, URIRef) for s in g.subjects())
    actor = "https://w3id.org/mandate-graph/vocab/actor/"
    mg = "https://w3id.org/mandate-graph/ontology#"
    assert (URIRef(actor + "unodc"), URIRef(mg + "withinActor"), URIRef(actor + "secretariat")) in g
    assert unsendable(g) is None


def test_an_iri_the_store_would_choke_on_is_caught_before_sending() -> None:
    g = one_graph()
    g.add((URIRef("https://example.org/a b"), URIRef("https://example.org/p"), Literal("x")))
    assert "https://example.org/a b" in (unsendable(g) or "")


def test_publish_sends_ontology_and_resolution_and_compares_counts(store: FakeStore) -> None:
    gs = GraphStore(store.graph_store)
    results, stopped = publish(gs, [[bundled_resolution()]], endpoint=Endpoint(store.query))
    assert stopped is None
    assert [(r.graph, r.status) for r in results] == [(str(ONTOLOGY_GRAPH), "published"), (RES, "published")]
    assert all(r.sent == r.stored and r.sent for r in results)
    assert set(store.graphs) == {str(ONTOLOGY_GRAPH), RES}


def test_cli_publish_reports_each_graph_and_the_total(store: FakeStore) -> None:
    code, out, err = run("publish", str(bundled_resolution()), "--graph-store", store.graph_store, "--format", "csv")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "resolution,sent,stored,status,graph"
    assert lines[2].startswith("A/RES/80/229,5153,5153,published,")
    assert f"published 2 graphs to {store.graph_store}:" in err
    assert "triples sent, the store holds" in err


def test_a_count_that_differs_exits_1(store: FakeStore) -> None:
    store.count_offset = -1
    code, out, err = run("publish", str(bundled_resolution()), "--graph-store", store.graph_store)
    assert code == 1
    assert "count differs" in out
    assert "5153 triples sent, the store holds 5152" in err


def test_without_a_query_endpoint_counts_are_not_compared(store: FakeStore) -> None:
    code, out, err = run("publish", str(bundled_resolution()), "--graph-store", store.url + "/gsp")
    assert code == 0, err
    assert "no query endpoint known beside this Graph Store; give --endpoint to compare triple counts" in err
    assert "not counted" in out
    assert RES in store.graphs


def test_a_url_without_a_graph_store_says_so(store: FakeStore) -> None:
    code, _, err = run("publish", str(bundled_resolution()), "--graph-store", store.url + "/missing")
    assert code == 2
    assert "no Graph Store that takes PUT at this URL (404 Not Found); check the URL" in err


def test_an_unreadable_input_is_skipped_and_the_rest_published(store: FakeStore, tmp_path: Path) -> None:
    bad = tmp_path / "A_RES_1_1.en.txt"
    bad.write_text("not a resolution\n", encoding="utf-8")
    code, _, err = run("publish", str(bundled_resolution()), str(bad), "--graph-store", store.graph_store)
    assert code == 2
    assert f"mandate-graph: {bad}: cannot tell the language" in err
    assert RES in store.graphs
    assert "not published: 1 (A_RES_1_1.en.txt)" in err


def test_a_store_that_stops_answering_stops_the_run_and_lists_the_rest(store: FakeStore, tmp_path: Path) -> None:
    text = bundled_resolution().read_text(encoding="utf-8")
    other = tmp_path / "A_RES_80_230.zh.txt"
    other.write_text(text.replace("80/229", "80/230"), encoding="utf-8")
    store.writable = 1  # the ontology graph goes in, then the store turns read-only
    code, out, err = run("publish", str(bundled_resolution()), str(other), "--graph-store", store.graph_store)
    assert code == 2
    assert [line for line in err.splitlines() if "403" in line] == [
        f"mandate-graph: {store.graph_store}: the store refused to write (403 Forbidden): it is read-only, "
        "or the account may not write graphs; publish to a writable store or use an account that may write"
    ]
    assert list(store.graphs) == [str(ONTOLOGY_GRAPH)]
    rows = {line.split()[0]: line for line in out.splitlines()[2:]}
    assert "not published: the store refused to write" in rows["A/RES/80/229"]
    assert "not attempted" in rows["A_RES_80_230.zh.txt"]


def test_an_unreachable_store_is_one_line_and_exit_2() -> None:
    url = f"http://127.0.0.1:{free_port()}/store"
    code, _, err = run("publish", str(bundled_resolution()), "--graph-store", url)
    assert code == 2
    first = err.splitlines()[0]
    assert first == (
        f"mandate-graph: {url}: cannot reach the Graph Store (connection refused); "
        "check the URL and that the store is running"
    )
    assert "Traceback" not in err


def test_a_url_that_is_not_http_is_a_usage_error() -> None:
    code, _, err = run("publish", str(bundled_resolution()), "--graph-store", "ftp://example.org/store")
    assert code == 2
    assert "is not an http(s) URL" in err


def test_a_progress_bar_only_on_a_terminal(store: FakeStore) -> None:
    _, _, err = run("publish", str(bundled_resolution()), "--graph-store", store.graph_store)
    assert "[#" not in err
