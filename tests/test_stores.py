"""``publish`` and ``query --endpoint`` against real stores: the Oxigraph server and Virtuoso
Open Source 7, started on 127.0.0.1 with a new database (see ``servers.py``).

What is checked: publishing 80/229 twice leaves the same triple counts; every named query
(found by glob) gives the same answer from the store as locally, for 80/229 and for a sample
of the corpus; an answer longer than Virtuoso's 10,000-row cap comes back whole; a wrong
password, a stopped server and a read-only server each give their one-line error and exit
code 2, and the graph already in the store survives each of them.

Answers are compared as sorted rows of terms. The loader writes numbers as ``xsd:integer``,
which Oxigraph answers as it is; integer types a store may answer instead (``xsd:int``,
``xsd:long``, or a derived type kept as its value) are compared as ``xsd:integer``.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from conftest import CORPUS, FIXTURES
from mandate_graph import queries
from mandate_graph.cli import main
from mandate_graph.endpoint import Endpoint
from mandate_graph.export import ONTOLOGY_GRAPH
from mandate_graph.graph import new_graph, to_graph
from mandate_graph.infer import with_inference
from mandate_graph.iris import mint
from mandate_graph.parse import parse_file
from mandate_graph.publish import GraphStore, Rejected, publish
from mandate_graph.resources import bundled_resolution
from mandate_graph.store import expand_inputs, group_by_resolution, load_group
from mandate_graph.vocab import vocabulary_graph
from servers import Server, running, start_oxigraph, start_virtuoso

ROOT = Path(__file__).resolve().parent.parent
QUERY_NAMES = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
PARAMETERS = {"number": Literal(78)}  # as tests/test_queries.py binds them on 80/229
RES = mint("A/RES/80/229")
INTEGERS = {
    URIRef("http://www.w3.org/2001/XMLSchema#" + t)
    for t in ("positiveInteger", "nonNegativeInteger", "integer", "int", "long")
}
SERVERS = [
    pytest.param("oxigraph", marks=pytest.mark.oxigraph),
    pytest.param("virtuoso", marks=pytest.mark.virtuoso),
]


# ----------------------------------------------------------------------------- helpers


@contextmanager
def account(server: Server, password: str | None = None) -> Iterator[None]:
    """The server's credentials in the environment, as a user would give them."""
    saved = {k: os.environ.get(k) for k in ("MANDATE_GRAPH_USER", "MANDATE_GRAPH_PASSWORD", "NETRC")}
    os.environ["NETRC"] = os.devnull
    for k, v in server.credentials().items():
        os.environ[k] = password if password is not None and k.endswith("PASSWORD") else v
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def cli(server: Server, *argv: str, password: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with account(server, password):
        code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def publish_cli(server: Server, *inputs: str, password: str | None = None) -> tuple[int, list[dict], str]:
    argv = ["publish", *inputs, "--graph-store", server.graph_store, "--format", "json"]
    code, out, err = cli(server, *argv, password=password)
    return code, json.loads(out) if out else [], err


def key(value: Node | None) -> str:
    if value is None:
        return "(unbound)"
    if isinstance(value, Literal) and value.datatype in INTEGERS:
        return f"{int(value)}^^integer"
    return value.n3()


def table(rows: list[list[Node | None]]) -> list[list[str]]:
    return sorted([key(v) for v in row] for row in rows)


def remote(server: Server, name: str, bindings: dict[str, Node] | None = None) -> tuple[list[str], list[list[str]]]:
    with account(server):
        answer = Endpoint(server.query).run(queries.load(name), bindings)
    return answer.columns, table(answer.rows)


def local(graph: Graph, name: str, bindings: dict[str, Node] | None = None) -> tuple[list[str], list[list[str]]]:
    columns, rows = queries.rows(queries.run(queries.load(name), graph, bindings))
    return columns, table(rows)


def stored(server: Server, name: URIRef) -> list[list[str]]:
    """Every triple of graph ``name`` in the store, as sorted rows."""
    text = f"SELECT ?s ?p ?o WHERE {{ GRAPH {name.n3()} {{ ?s ?p ?o }} }}"
    with account(server):
        return table(Endpoint(server.query).run_text(text).rows)


def triples(g: Graph) -> list[list[str]]:
    return table([list(t) for t in g])


@cache
def graph_80_229() -> Graph:
    return to_graph(parse_file(bundled_resolution()))


@cache
def local_80_229() -> Graph:
    """What a local query runs over with --infer: the data, the vocabularies, their closure."""
    g = new_graph()
    for t in graph_80_229():
        g.add(t)
    for t in vocabulary_graph():
        g.add(t)
    return with_inference(g)


def changed_80_229(folder: Path) -> Path:
    """80/229 with paragraph 78 reworded: what a publication that fails must not leave behind."""
    text = bundled_resolution().read_text(encoding="utf-8")
    assert text.count("第八十一届和第八十二届会议提交报告") == 1
    path = folder / bundled_resolution().name
    path.write_text(text.replace("第八十一届和第八十二届会议提交报告", "第九十一届会议提交报告"), encoding="utf-8")
    assert triples(to_graph(parse_file(path))) != triples(graph_80_229())
    return path


_PUBLISHED: dict[str, list[dict]] = {}


def published(server: Server) -> list[dict]:
    """80/229 published to the session's ``server``, once: the rows ``publish`` reported."""
    if server.name not in _PUBLISHED:
        code, rows, err = publish_cli(server, str(bundled_resolution()))
        assert code == 0, err
        _PUBLISHED[server.name] = rows
    return _PUBLISHED[server.name]


@pytest.fixture(scope="session", params=SERVERS)
def server(request: pytest.FixtureRequest) -> Server:
    """Each of the session's servers in turn, with 80/229 in it."""
    found = request.getfixturevalue(request.param)
    published(found)
    return found


# ----------------------------------------------------------------------------- 80/229


def test_publish_80_229_twice_gives_the_same_counts(server: Server) -> None:
    first = published(server)
    assert [(r["graph"], r["status"]) for r in first] == [(str(ONTOLOGY_GRAPH), "published"), (str(RES), "published")]
    assert all(r["sent"] == r["stored"] for r in first)
    assert first[1]["sent"] == len(graph_80_229())
    code, again, err = publish_cli(server, str(bundled_resolution()))
    assert code == 0, err
    assert [(r["sent"], r["stored"]) for r in again] == [(r["sent"], r["stored"]) for r in first]
    assert stored(server, RES) == triples(graph_80_229())


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_named_query_answers_as_locally_80_229(server: Server, name: str) -> None:
    bindings = {p: PARAMETERS[p] for p in queries.load(name).parameters}
    expected = local(local_80_229(), name, bindings)
    assert expected[1], f"{name} should have rows on 80/229"
    assert remote(server, name, bindings) == expected


def test_query_endpoint_prints_what_a_local_query_prints(server: Server) -> None:
    for name in ("deadlines", "reporting"):
        code, remote_out, err = cli(server, "query", name, "--endpoint", server.query, "--format", "json")
        assert code == 0, err
        assert remote_out == cli(server, "query", name, "--infer", "--format", "json")[1]


# ----------------------------------------------------------------------------- failures


@pytest.mark.virtuoso
def test_wrong_password_is_refused_and_the_graph_survives(virtuoso: Server, tmp_path: Path) -> None:
    published(virtuoso)
    before = stored(virtuoso, RES)
    code, rows, err = publish_cli(virtuoso, str(changed_80_229(tmp_path)), password="not-the-password")
    assert code == 2
    assert err.splitlines()[0] == (
        f"mandate-graph: {virtuoso.graph_store}: the store refused access (401 Unauthorized); "
        "check the credentials, or the --auth scheme"
    )
    assert "not-the-password" not in err + json.dumps(rows)
    assert rows[0]["status"] == "not published"
    assert stored(virtuoso, RES) == before == triples(graph_80_229())


@pytest.mark.oxigraph
def test_stopped_server_is_one_line_and_the_graph_survives(tmp_path: Path) -> None:
    location = tmp_path / "db"
    with running(start_oxigraph, location) as server:
        code, _, err = publish_cli(server, str(bundled_resolution()))
        assert code == 0, err
    # stopped: the same URL no longer answers
    code, rows, err = publish_cli(server, str(changed_80_229(tmp_path)))
    assert code == 2
    assert err.splitlines()[0] == (
        f"mandate-graph: {server.graph_store}: cannot reach the Graph Store (connection refused); "
        "check the URL and that the store is running"
    )
    assert {r["status"] for r in rows} == {"not published", "not attempted"}
    with running(start_oxigraph, location) as again:
        assert stored(again, RES) == triples(graph_80_229())


@pytest.mark.oxigraph
def test_read_only_server_is_one_line_and_the_graph_survives(tmp_path: Path) -> None:
    location = tmp_path / "db"
    with running(start_oxigraph, location) as server:
        code, _, err = publish_cli(server, str(bundled_resolution()))
        assert code == 0, err
    with running(start_oxigraph, location, read_only=True) as read_only:
        code, _, err = publish_cli(read_only, str(changed_80_229(tmp_path)))
        assert code == 2
        assert err.splitlines()[0] == (
            f"mandate-graph: {read_only.graph_store}: the store refused to write (403 Forbidden): it is read-only, "
            "or the account may not write graphs; publish to a writable store or use an account that may write"
        )
        assert stored(read_only, RES) == triples(graph_80_229())


def bad_body(g: Graph) -> bytes:
    """``g`` as N-Triples with one malformed line at the end."""
    return g.serialize(format="nt", encoding="utf-8") + b'<https://example.org/a b> <https://example.org/p> "x" .\n'


@pytest.mark.oxigraph
def test_oxigraph_takes_a_body_whole_or_not_at_all(oxigraph: Server) -> None:
    published(oxigraph)
    with pytest.raises(Rejected, match="400"):
        GraphStore(oxigraph.graph_store).put(RES, bad_body(graph_80_229()))
    assert stored(oxigraph, RES) == triples(graph_80_229())


@pytest.mark.virtuoso
def test_virtuoso_keeps_half_a_malformed_body_so_graphs_are_checked_before_sending(tmp_path: Path) -> None:
    """Why ``publish`` checks every IRI before a PUT: Virtuoso answers 500 to a body that is
    malformed near its end but has already replaced the graph with the part before it. If
    this starts failing, Virtuoso has become atomic here."""
    with running(start_virtuoso, tmp_path / "virtuoso") as server, account(server):
        store = GraphStore(server.graph_store)
        name = URIRef("https://example.org/graph")
        small = Graph()
        small.add((name, URIRef("https://example.org/p"), Literal("before")))
        store.put(name, small.serialize(format="nt", encoding="utf-8"))
        with pytest.raises(Rejected, match="500"):
            store.put(name, bad_body(graph_80_229()))
        assert len(stored(server, name)) == len(graph_80_229())


# ----------------------------------------------------------------------------- paging


@pytest.mark.virtuoso
def test_an_answer_beyond_virtuosos_cap_comes_back_whole(tmp_path: Path) -> None:
    """Three copies of 80/229 under other bases: more than 10,000 triples, one query."""
    res = parse_file(bundled_resolution())
    base = "https://example.org/paging/"
    data = new_graph()
    with running(start_virtuoso, tmp_path / "virtuoso") as server, account(server):
        store = GraphStore(server.graph_store)
        for copy in ("1", "2", "3"):
            g = to_graph(res, base=f"{base}{copy}/")
            store.put(mint(res.symbol, base=f"{base}{copy}/"), g.serialize(format="nt", encoding="utf-8"))
            for t in g:
                data.add(t)
        query = queries.load(str(FIXTURES / "stores" / "data-triples.rq"))
        bindings = {"base": Literal(base)}
        answer = Endpoint(server.query).run(query, bindings)
        expected = queries.rows(queries.run(query, data, bindings))[1]
        assert len(expected) > server.extra["cap"]  # type: ignore[operator]
        assert answer.requests > 1
        assert table(answer.rows) == table(expected)
        # and on the command line, with the same renderers
        code, out, err = cli(
            server, "query", str(FIXTURES / "stores" / "data-triples.rq"), "--param", f"base={base}",
            "--endpoint", server.query, "--format", "csv",
        )  # fmt: skip
        assert code == 0, err
        assert len(out.splitlines()) == len(expected) + 1


# ----------------------------------------------------------------------------- the corpus

CORPUS_SAMPLE = 7  # every 7th resolution of the corpus: about 200, sessions 1 to 79


@cache
def corpus_files() -> tuple[Path, ...]:
    return tuple(sorted(CORPUS.glob("*.en.txt"))[::CORPUS_SAMPLE])


@cache
def local_corpus() -> Graph:
    g = new_graph()
    for group in group_by_resolution(expand_inputs([str(p) for p in corpus_files()] + [str(bundled_resolution())])):
        for outcome in load_group(group):
            if outcome.graph is not None:
                for t in outcome.graph:
                    g.add(t)
    for t in vocabulary_graph():
        g.add(t)
    return with_inference(g)


@cache
def local_corpus_answer(name: str) -> tuple[list[str], list[list[str]]]:
    bindings = {p: Literal(3) for p in queries.load(name).parameters}
    return local(local_corpus(), name, bindings)


@pytest.fixture(scope="module")
def corpus_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not CORPUS.is_dir():
        pytest.skip("the development corpus ../shared/corpus/en is not present")
    start = start_oxigraph if request.param == "oxigraph" else start_virtuoso
    folder = tmp_path_factory.mktemp(f"corpus-{request.param}")
    with running(start, folder / "db" if request.param == "oxigraph" else folder) as server:
        with account(server):
            store = GraphStore(server.graph_store)
            results, stopped = publish(
                store,
                group_by_resolution([*corpus_files(), bundled_resolution()]),
                endpoint=Endpoint(server.query),
            )
        assert stopped is None
        sent = [r for r in results if r.graph is not None]
        assert len(sent) > 150
        assert [r for r in sent if r.status != "published" or r.sent != r.stored] == []
        yield server


@pytest.mark.corpus
@pytest.mark.parametrize("corpus_store", SERVERS, indirect=True)
@pytest.mark.parametrize("name", QUERY_NAMES)
def test_named_query_answers_as_locally_on_the_corpus(corpus_store: Server, name: str) -> None:
    bindings = {p: Literal(3) for p in queries.load(name).parameters}
    expected = local_corpus_answer(name)
    assert expected[1]
    assert remote(corpus_store, name, bindings) == expected


# ----------------------------------------------------------------------------- without the servers


def test_a_missing_server_fails_in_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import servers

    monkeypatch.setattr(servers.shutil, "which", lambda _: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="virtuoso-opensource-7-bin"), running(start_virtuoso, tmp_path):
        pass
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="virtuoso-opensource-7-bin"), running(start_virtuoso, tmp_path):
        pass
