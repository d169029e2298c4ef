"""A corpus kept on disk (``load --store DIR``, ``query --store DIR``): the same answers
as the in-memory graph, one named graph per resolution, reloads that replace only what
changed, and bad input that loses nothing."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef

from mandate_graph import queries
from mandate_graph.cli import main
from mandate_graph.corpus import (
    ENTAILED_GRAPH,
    ONTOLOGY_GRAPH,
    Corpus,
    Entry,
    _Job,
    _load_group,
    _load_job,
    _load_text,
    to_rdflib,
)
from mandate_graph.errors import InputError
from mandate_graph.infer import with_inference
from mandate_graph.iris import mint
from mandate_graph.resources import bundled_resolution
from mandate_graph.store import group_by_resolution, load, load_group
from mandate_graph.vocab import vocabulary_graph

TEXTS = Path(__file__).parent / "fixtures" / "texts"
PARAMS = {"paragraph-text": {"number": Literal(3)}}


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """80/229, a resolution in two languages, and the made-up fixture texts that load."""
    d = tmp_path_factory.mktemp("texts")
    shutil.copy(bundled_resolution(), d)
    for path in sorted(TEXTS.glob("*.txt")) + sorted((TEXTS / "bilingual").glob("*.txt")):
        if path.name == "zh_made_up.txt":
            continue  # A/RES/85/17 again: see test_two_files_of_one_resolution_are_refused
        try:
            load(path)
        except InputError:
            continue
        shutil.copy(path, d)
    return d


@pytest.fixture(scope="module")
def corpus(texts: Path, tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    c = Corpus(tmp_path_factory.mktemp("store") / "corpus")
    entries = c.load(sorted(texts.iterdir()), workers=2)
    assert entries and not any(e.error for e in entries)
    return c


def local_graph(texts: Path, infer: bool) -> Graph:
    """The same texts as one in-memory graph, read as ``load -o`` reads them."""
    g = Graph()
    for group in group_by_resolution(sorted(texts.iterdir())):
        for outcome in load_group(group):
            for t in outcome.graph or ():
                g.add(t)
    for t in vocabulary_graph():
        g.add(t)
    return with_inference(g) if infer else g


def canon(rows: list[list[object]]) -> list[tuple[str | None, ...]]:
    return sorted(tuple("\0unbound" if v is None else str(v) for v in row) for row in rows)


@pytest.mark.parametrize("infer", [False, True], ids=["plain", "inferred"])
@pytest.mark.parametrize("name", queries.names())
def test_every_named_query_answers_as_in_memory(corpus: Corpus, texts: Path, name: str, infer: bool) -> None:
    q = queries.load(name)
    bindings = PARAMS.get(name, {})
    expected_columns, expected = queries.rows(queries.run(q, local_graph(texts, infer), bindings))
    columns, rows = corpus.query(q.text, infer=infer, bindings=bindings)
    assert columns == expected_columns
    assert canon(rows) == canon(expected)
    if name == "verb-counts":
        assert rows, "the corpus has mandates"


def as_rdflib_makes_it(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> object:
    """The rdflib term for an Oxigraph term, made by rdflib's own constructors."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def assert_made_alike(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
    ours, theirs = to_rdflib(term), as_rdflib_makes_it(term)
    assert type(ours) is type(theirs)
    assert ours == theirs and hash(ours) == hash(theirs) and ours.n3() == theirs.n3()
    if isinstance(theirs, Literal):
        assert isinstance(ours, Literal)
        assert (ours.value, ours.language, ours.datatype) == (theirs.value, theirs.language, theirs.datatype)
        assert type(ours.value) is type(theirs.value)
        assert ours.ill_typed == theirs.ill_typed
        assert ours.eq(theirs) and not ours.neq(theirs)


@pytest.mark.parametrize(
    "term",
    [
        ox.NamedNode("https://w3id.org/mandate-graph/id/A/RES/80/229/op/1/m/2"),
        ox.NamedNode("https://undocs.org/zh/A/RES/80/229"),
        ox.NamedNode("http://example.org/été#frag"),
        ox.BlankNode("b0"),
        ox.Literal(""),
        ox.Literal("A/RES/80/229"),
        ox.Literal('a "quoted"\nline\\ with \u00e9 and 中文'),
        ox.Literal("请秘书长", language="zh"),
        ox.Literal("requests the Secretary-General", language="en"),
        ox.Literal("x", language="zh-hans"),
        ox.Literal("12", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
        ox.Literal("2026-09-08", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
        ox.Literal("x", datatype=ox.NamedNode("http://example.org/own-type")),
    ],
    ids=repr,
)
def test_a_term_from_the_store_is_the_term_rdflib_makes(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
    """to_rdflib makes IRIs and literals without rdflib's checks (the store has made them):
    what it makes is what rdflib's constructors make, in every respect a caller sees."""
    assert_made_alike(term)


def test_every_term_of_every_named_query_is_the_term_rdflib_makes(corpus: Corpus) -> None:
    seen = 0
    for name in queries.names():
        q = queries.load(name)
        text = queries.bind_parameters(queries.prefixed(q.text), PARAMS.get(name, {}))
        for row in corpus.store.query(text):
            for term in row:
                if term is not None:
                    assert_made_alike(term)
                    seen += 1
    assert seen > 1000


@pytest.mark.parametrize("name", ["mandates-by-addressee", "deadlines", "reporting", "conditions"])
def test_a_resolution_asked_for_gives_its_rows_alone(corpus: Corpus, texts: Path, name: str) -> None:
    """--param resolution=SYMBOL on a store of several resolutions: the rows of that one,
    as in the listing of all of them (its symbol is bound in an OPTIONAL)."""
    q = queries.load(name)
    columns, every = corpus.query(q.text)
    symbols = {str(r[columns.index("resolution")]) for r in every}
    assert len(symbols) > 1, "the store holds several resolutions with rows here"
    symbol = Literal(sorted(symbols)[0])
    _, rows = corpus.query(q.text, bindings={"resolution": symbol})
    assert rows and canon(rows) == canon([r for r in every if r[columns.index("resolution")] == symbol])


@pytest.mark.parametrize(
    ("text", "entailed"),
    [
        # patterns that can match an entailed triple: the entailed graph is queried too
        ("SELECT ?a WHERE { ?a mg:withinActor actor:secretariat }", True),
        ("SELECT ?s ?p WHERE { ?s ?p actor:secretariat }", True),
        ("SELECT ?a WHERE { ?a (mg:partOfActor|mg:subsetOfActor)+ actor:secretariat }", True),
        ("SELECT ?p ?o WHERE { actor:unodc !skos:prefLabel ?o }", True),
        # a path that may have no step matches any node, those of the entailed graph too
        ("SELECT ?o WHERE { actor:secretariat mg:clauseNumber* ?o }", True),
        (
            "SELECT ?m WHERE { ?m mg:addressee ?a FILTER EXISTS { ?a mg:withinActor actor:secretariat } }",
            True,
        ),
        # patterns that cannot: the same answers from the default graph alone
        ("SELECT ?m ?a WHERE { ?m a mg:Mandate ; mg:addressee ?a }", False),
        ("SELECT ?p ?t WHERE { ?p mg:paragraphNumber 3 ; mg:text ?t }", False),
    ],
)
def test_inference_looks_into_the_entailed_graph_only_when_a_pattern_can_match_it(
    corpus: Corpus, texts: Path, text: str, entailed: bool
) -> None:
    text = queries.prefixed(text)
    assert corpus._entailed_can_match(text) is entailed
    expected = Graph.query(local_graph(texts, True), text)
    _, rows = corpus.query(text, infer=True)
    assert canon(rows) == canon([list(r) for r in expected])
    assert rows


@pytest.mark.parametrize("infer", [False, True], ids=["plain", "inferred"])
@pytest.mark.parametrize("name", queries.names())
def test_oxigraph_in_memory_answers_as_rdflib(graph_80_229: Graph, name: str, infer: bool) -> None:
    g = Graph()
    for t in graph_80_229:
        g.add(t)
    for t in vocabulary_graph():
        g.add(t)
    g = with_inference(g) if infer else g
    q = queries.load(name)
    bindings = PARAMS.get(name, {})
    expected_columns, expected = queries.rows(queries.run(q, g, bindings))
    columns, rows = queries.run_fast(q, g, bindings)
    assert columns == expected_columns
    assert [tuple(map(str, r)) for r in rows] == [tuple(map(str, r)) for r in expected]  # same order too


def test_one_named_graph_per_resolution(corpus: Corpus, texts: Path) -> None:
    graphs = set(corpus.graphs())
    assert str(mint("A/RES/80/229")) in graphs
    assert {str(ONTOLOGY_GRAPH), str(ENTAILED_GRAPH)} <= graphs
    g, _ = load(bundled_resolution())
    assert corpus.triples(str(mint("A/RES/80/229"))) == len(g)
    entry = next(e for e in corpus.catalog.values() if e.resolution == "A/RES/80/229")
    assert entry.conforms is True and entry.triples == len(g) and entry.mandates == 101


def quads(store: ox.Store, graph: str) -> set[str]:
    return {str(q) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}


def assert_merged(store: ox.Store) -> None:
    """The default graph is the set of what the named graphs hold, but the entailments."""
    named = {
        (q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, None)
        if q.graph_name not in (ox.DefaultGraph(), ox.NamedNode(str(ENTAILED_GRAPH)))
    }
    default = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert default == named


def test_reload_skips_unchanged_and_replaces_only_the_changed_graph(tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    shutil.copy(bundled_resolution(), texts)
    shutil.copy(TEXTS / "bilingual" / "A_RES_85_17.en.txt", texts)
    store = tmp_path / "corpus"
    code, _, err = cli("load", str(texts), "--store", str(store), "--workers", "1")
    assert code == 0, err
    c = Corpus(store)
    other = quads(c.store, str(mint("A/RES/80/229")))
    changed = str(mint("A/RES/85/17"))
    before = quads(c.store, changed)
    assert_merged(c.store)
    c.close()

    code, _, err = cli("load", str(texts), "--store", str(store), "--workers", "1")
    assert code == 0 and "unchanged" in err
    c = Corpus(store)
    assert c.catalog and all(e.skipped for e in c.load(sorted(texts.iterdir())))
    c.close()

    path = texts / "A_RES_85_17.en.txt"
    text = path.read_text(encoding="utf-8")
    assert "Requests" in text
    path.write_text(text.replace("Requests", "Invites", 1), encoding="utf-8")
    entries = Corpus(store).load(sorted(texts.iterdir()), workers=1)
    assert [e.skipped for e in entries if e.resolution == "A/RES/80/229"] == [True]
    c = Corpus(store)
    after = quads(c.store, changed)
    assert after != before and len(after) == len(before)  # replaced, not added to
    assert quads(c.store, str(mint("A/RES/80/229"))) == other
    assert_merged(c.store)  # what only the old graph said is gone, what both say stays
    c.close()
    # a file gone and another taking its resolution over: the old graph goes, merged copy too
    path.rename(texts / "renamed.en.txt")
    Corpus(store).load(sorted(texts.iterdir()), workers=1)
    assert_merged(Corpus(store).store)


def test_a_store_from_before_the_merged_default_graph_is_brought_up_to_date(tmp_path: Path) -> None:
    store = tmp_path / "corpus"
    Corpus(store).load([bundled_resolution()], workers=1)
    c = Corpus(store)
    c.store.clear_graph(ox.DefaultGraph())
    c.meta.pop("layout")
    c._write_catalog(c.meta)
    c.close()
    code, _, err = cli("query", "verb-counts", "--store", str(store))
    assert code == 2 and "load' on it again" in err and "Traceback" not in err
    code, _, err = cli("load", str(bundled_resolution()), "--store", str(store))
    assert code == 0, err
    assert_merged(Corpus(store, read_only=True).store)
    code, out, err = cli("query", "verb-counts", "--store", str(store))
    assert code == 0 and "requests" in out, err


def test_a_text_that_no_longer_loads_keeps_its_previous_graph(tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    path = texts / "A_RES_85_17.en.txt"
    shutil.copy(TEXTS / "bilingual" / "A_RES_85_17.en.txt", path)
    store = tmp_path / "corpus"
    Corpus(store).load([path], workers=1)
    graph = str(mint("A/RES/85/17"))
    before = quads(Corpus(store).store, graph)
    path.write_text("not a resolution\n", encoding="utf-8")
    code, _, err = cli("load", str(path), "--store", str(store))
    assert code == 2
    assert "skipped; what was loaded from it before stays" in err
    assert "Traceback" not in err
    assert quads(Corpus(store).store, graph) == before


def test_cli_load_and_query_a_store(tmp_path: Path) -> None:
    store = tmp_path / "corpus"
    code, out, err = cli("load", str(bundled_resolution()), "--store", str(store))
    assert code == 0, err
    assert out == ""  # results on stdout, diagnostics on stderr
    assert "1 resolutions" in err
    code, out, err = cli("query", "verb-counts", "--store", str(store), "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[0] == "verb,mandates"
    code, out, _ = cli("query", "paragraph-text", "--store", str(store), "--param", "number=78", "--format", "csv")
    assert "A/RES/80/229,78," in out


def test_bad_store_arguments_are_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nothing"
    code, out, err = cli("query", "verb-counts", "--store", str(missing))
    assert code == 2 and out == "" and "not a corpus directory" in err and len(err.splitlines()) == 1
    not_a_dir = tmp_path / "file.txt"
    not_a_dir.write_text("x")
    code, _, err = cli("load", str(bundled_resolution()), "--store", str(not_a_dir))
    assert code == 2 and "not a directory" in err
    busy = tmp_path / "busy"
    (busy / "stuff").mkdir(parents=True)
    code, _, err = cli("load", str(bundled_resolution()), "--store", str(busy))
    assert code == 2 and "not a corpus and not empty" in err
    code, _, err = cli("load", str(bundled_resolution()))
    assert code == 2 and "-o FILE" in err
    code, _, err = cli("load", str(bundled_resolution()), "-o", str(tmp_path / "x.ttl"), "--store", str(busy))
    assert code == 2 and "not both" in err


def test_a_store_in_use_is_one_clear_error(tmp_path: Path) -> None:
    store = tmp_path / "corpus"
    first = Corpus(store)
    first.load([bundled_resolution()], workers=1)
    code, _, err = cli("load", str(bundled_resolution()), "--store", str(store))
    assert code == 2
    assert "in use by another process" in err and "Traceback" not in err
    # Oxigraph leaves reading while another process writes undefined: refused, in one line
    code, _, err = cli("query", "verb-counts", "--store", str(store))
    assert code == 2
    assert "being loaded into by another process" in err and "Traceback" not in err
    del first
    code, _, err = cli("query", "verb-counts", "--store", str(store))
    assert code == 0, err
    # and a reader keeps writers out
    reader = Corpus(store, read_only=True)
    code, _, err = cli("load", str(bundled_resolution()), "--store", str(store))
    assert code == 2 and "in use by another process" in err
    del reader


def test_two_files_of_one_resolution_are_refused(tmp_path: Path) -> None:
    store = tmp_path / "corpus"
    first = TEXTS / "bilingual" / "A_RES_85_17.en.txt"
    second = TEXTS / "zh_made_up.txt"  # made up, but also A/RES/85/17
    code, _, err = cli("load", str(first), "--store", str(store))
    assert code == 0, err
    before = quads(Corpus(store, read_only=True).store, str(mint("A/RES/85/17")))
    code, _, err = cli("load", str(second), "--store", str(store))
    assert code == 2
    assert f"describes A/RES/85/17, which {first.resolve()} already holds" in err
    assert quads(Corpus(store, read_only=True).store, str(mint("A/RES/85/17"))) == before


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_dump_is_the_named_graphs_without_the_merged_copy(corpus: Corpus, fmt: str) -> None:
    rdf = ox.RdfFormat.TRIG if fmt == "trig" else ox.RdfFormat.N_QUADS
    dumped = set(ox.parse(corpus.dump(fmt), format=rdf))
    entailed = ox.NamedNode(str(ENTAILED_GRAPH))
    named = {q for q in corpus.store.quads_for_pattern(None, None, None, None) if q.graph_name != ox.DefaultGraph()}
    assert dumped == {q for q in named if q.graph_name != entailed}
    assert set(ox.parse(corpus.dump(fmt, entailed=True), format=rdf)) == named


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "en"


def one_language_texts() -> list[Path]:
    """80/229, the made-up texts, and every 60th corpus text when ../shared is present."""
    texts = [bundled_resolution(), *sorted(TEXTS.glob("*.txt"))]
    if CORPUS.is_dir():
        texts += sorted(CORPUS.glob("*.txt"))[::60]
    return texts


@pytest.mark.parametrize("path", one_language_texts(), ids=lambda p: p.name)
def test_a_text_loads_as_through_rdflib(path: Path) -> None:
    """The load path that writes N-Triples straight from the model gives the entry, the
    triples and the validation of the one that builds an rdflib graph first."""
    job = _Job([str(path)], None, None, True)
    fast_entry, fast_nt = _load_text(path, job, "digest")
    [(slow_entry, slow_nt)] = _load_group([path], job, "digest")
    assert fast_entry == slow_entry
    assert (fast_nt is None) == (slow_nt is None)
    if fast_nt is not None and slow_nt is not None:
        assert sorted(fast_nt.splitlines()) == sorted(x for x in slow_nt.splitlines() if x)


def test_a_store_on_a_read_only_medium_can_be_queried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import mandate_graph.corpus as corpus_module

    store = tmp_path / "corpus"
    Corpus(store).load([bundled_resolution()], workers=1)

    def read_only(*args: object, **kwargs: object) -> object:
        raise PermissionError(30, "Read-only file system")

    # only the lock file is opened with this name; the store and the catalogue are read as before
    monkeypatch.setattr(corpus_module, "open", read_only, raising=False)
    code, out, err = cli("query", "verb-counts", "--store", str(store))
    assert code == 0 and "requests" in out, err
    code, _, err = cli("load", str(bundled_resolution()), "--store", str(store))
    assert code == 2 and "cannot write in the corpus directory (Read-only file system)" in err
    assert "Traceback" not in err


def test_a_missing_or_vanished_input_is_one_line_and_the_others_load(tmp_path: Path) -> None:
    store = tmp_path / "corpus"
    typo = tmp_path / "typo.txt"
    code, out, err = cli("load", str(bundled_resolution()), str(typo), "--store", str(store))
    assert code == 2 and out == ""
    assert f"mandate-graph: {typo}: no such file; check the path; skipped" in err
    assert "Traceback" not in err
    assert [e.resolution for e in Corpus(store, read_only=True).catalog.values() if not e.error] == ["A/RES/80/229"]
    # a file loaded before and gone since: said so, and what it gave stays
    text = tmp_path / "A_RES_85_17.en.txt"
    shutil.copy(TEXTS / "bilingual" / "A_RES_85_17.en.txt", text)
    assert cli("load", str(text), "--store", str(store))[0] == 0
    before = quads(Corpus(store, read_only=True).store, str(mint("A/RES/85/17")))
    text.unlink()
    code, _, err = cli("load", str(text), "--store", str(store))
    assert code == 2 and "Traceback" not in err
    assert f"{text}: no such file; check the path" in err
    assert quads(Corpus(store, read_only=True).store, str(mint("A/RES/85/17"))) == before


def test_a_file_that_cannot_be_read_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "closed"
    folder.mkdir()
    [(entry, nt)] = _load_job(_Job([str(folder)], None, None, True))  # a folder cannot be read as a file
    assert nt is None
    assert entry.error == "is a directory, not a resolution text file"  # as reading it as a text says


def test_a_load_cut_short_keeps_what_it_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An interrupt half-way: the resolutions read before it are in the store and the
    catalogue, the corpus can be queried, and the next load reads only the rest."""
    texts = tmp_path / "texts"
    texts.mkdir()
    shutil.copy(bundled_resolution(), texts)
    shutil.copy(TEXTS / "bilingual" / "A_RES_85_17.en.txt", texts)
    first, second = sorted(texts.iterdir())
    store = tmp_path / "corpus"
    seen: list[str] = []

    def interrupt(entry: Entry) -> None:
        seen.append(entry.file)
        if len(seen) == 2:
            raise KeyboardInterrupt

    # closed at once: the interrupt's traceback keeps the object alive, and its lock with it
    with Corpus(store) as interrupted, pytest.raises(KeyboardInterrupt):
        interrupted.load([first, second], workers=1, on_entry=interrupt)
    with Corpus(store, read_only=True) as corpus:
        assert set(corpus.catalog) == {str(first.resolve()), str(second.resolve())}
        _, rows = corpus.query("SELECT ?s WHERE { ?r a mg:Resolution ; mg:symbol ?s }")
        assert {str(r[0]) for r in rows} >= {"A/RES/80/229", "A/RES/85/17"}
    entries = Corpus(store).load([first, second], workers=1)
    assert [e.skipped for e in entries] == [True, True]


def test_a_corpus_let_go_after_a_query_gives_up_its_lock(tmp_path: Path) -> None:
    """Analysing a query for --infer runs rdflib's parser, whose exceptions keep the frames
    that called it in reference cycles: the Corpus must not be among them, or dropping the
    last reference to it would leave the store locked."""
    store = tmp_path / "corpus"
    with Corpus(store) as c:
        c.load([bundled_resolution()], workers=1)
    reader = Corpus(store, read_only=True)
    _, rows = reader.query("SELECT ?a WHERE { ?a mg:withinActor actor:secretariat }", infer=True)
    assert rows
    del reader
    Corpus(store).close()  # no "in use by another process"


def test_a_store_compacted_after_a_bulk_load_answers_the_same(
    texts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load that bulk-writes at least one batch compacts the store at the end; the batches
    here are small, so that these few texts are several of them."""
    import mandate_graph.corpus as corpus_module

    monkeypatch.setattr(corpus_module, "BATCH", 2_000)
    c = Corpus(tmp_path / "corpus")
    entries = c.load(sorted(texts.iterdir()), workers=1)
    assert not any(e.error for e in entries)
    assert sum(e.triples for e in entries) > 2 * corpus_module.BATCH
    local = local_graph(texts, False)
    for name in queries.names():
        q = queries.load(name)
        bindings = PARAMS.get(name, {})
        expected = queries.rows(queries.run(q, local, bindings))[1]
        assert canon(c.query(q.text, infer=False, bindings=bindings)[1]) == canon(expected), name


def test_a_language_version_that_cannot_be_read_holds_back_its_resolution(tmp_path: Path) -> None:
    en = tmp_path / "A_RES_85_17.en.txt"
    shutil.copy(TEXTS / "bilingual" / "A_RES_85_17.en.txt", en)
    zh = tmp_path / "A_RES_85_17.zh.txt"  # listed, then gone
    results = _load_job(_Job([str(en), str(zh)], None, None, True))
    assert [nt for _, nt in results] == [None, None]
    assert [e.error for e, _ in results] == [
        f"not loaded: {zh}, of the same resolution: no such file; check the path",
        "no such file; check the path",
    ]
