"""Publishing to a SPARQL store: one named graph per resolution, with the SPARQL 1.1 Graph
Store HTTP Protocol.

Each resolution's graph (named by the resolution's IRI, as in ``export --format trig``) is
sent with one ``PUT``, which replaces the graph as a whole: publishing twice changes
nothing, and the store applies each ``PUT`` on its own, so a failure leaves the previous
graph as it was (Oxigraph checks the whole body before it replaces anything; Virtuoso does
not when a body is malformed halfway, so a graph is checked here before it is sent). The
ontology and vocabularies go to their own graph, the one ``export`` names for them, together
with what OWL-RL entails from them: the store's answers are then the local answers of
``query --infer``. Graphs are read, sent and dropped one at a time (texts one resolution at a
time; a TriG or N-Quads file is read whole).

After each ``PUT`` the store is asked how many triples the graph holds, and the count is set
beside the number sent. Transient failures (a connection reset, a timeout, 429, 502, 503, 504)
are retried with exponential back-off, a bounded number of times; a store that cannot be
reached, refuses (401, 403), is not a Graph Store (404, 405) or keeps failing stops the run;
a graph the store rejects (400, 413, 500 …) is reported and the run goes on.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests
from rdflib import Graph, Literal, URIRef

from mandate_graph.endpoint import (
    AUTH_MODES,
    CREDENTIALS_ADVICE,
    TIMEOUT,
    Endpoint,
    challenge,
    check_url,
    credentials,
    reason,
)
from mandate_graph.errors import InputError, StoreError
from mandate_graph.graph import new_graph
from mandate_graph.iris import MG, mint
from mandate_graph.store import expand_inputs, group_by_resolution, is_rdf, load_group, read_dataset

RETRIES = 3
BACKOFF = 0.5  # seconds before the first retry; doubled for each one after it
MAX_DELAY = 30.0
TRANSIENT = {429, 502, 503, 504}
REJECTIONS_IN_A_ROW = 3  # graphs the store fails on (5xx) before the run stops
MEDIA_TYPE = "application/n-triples"
COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"

# Graph Store path -> query endpoint path, for the stores whose layout is known
_KNOWN = (
    ("/sparql-graph-crud-auth", "/sparql"),  # Virtuoso
    ("/sparql-graph-crud", "/sparql"),  # Virtuoso, without authentication
    ("/store", "/query"),  # Oxigraph
    ("/rdf-graphs/service", ""),  # GraphDB and RDF4J: /repositories/ID/rdf-graphs/service
    ("/data", "/sparql"),  # Fuseki: /DATASET/data
)
_VIRTUOSO = ("/sparql-graph-crud-auth", "/sparql-graph-crud")


def query_endpoint_for(graph_store: str) -> str | None:
    """The SPARQL query endpoint beside a Graph Store URL, for the layouts of known stores."""
    parts = urlsplit(graph_store)
    path = parts.path.rstrip("/")
    for suffix, replacement in _KNOWN:
        if path.endswith(suffix):
            return urlunsplit((parts.scheme, parts.netloc, path[: -len(suffix)] + replacement, "", ""))
    return None


def graph_parameter(graph_store: str) -> str:
    """How the store names the graph in the URL: ``graph`` (the standard), ``graph-uri`` (Virtuoso)."""
    return "graph-uri" if urlsplit(graph_store).path.rstrip("/").endswith(_VIRTUOSO) else "graph"


class Rejected(Exception):
    """The store refused one graph; the others may still be sent."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message, self.status = message, status


# ----------------------------------------------------------------------------- the Graph Store


class GraphStore:
    """A Graph Store HTTP Protocol endpoint that graphs are ``PUT`` to."""

    def __init__(
        self,
        url: str,
        *,
        auth: str = "auto",
        timeout: float = TIMEOUT,
        retries: int = RETRIES,
        backoff: float = BACKOFF,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = check_url(url, "Graph Store")
        if auth not in AUTH_MODES:
            raise InputError(f"--auth takes one of {', '.join(AUTH_MODES)}, not {auth!r}")
        if retries < 0:
            raise InputError("--retries cannot be negative")
        self.timeout, self.retries, self.backoff, self.sleep = timeout, retries, backoff, sleep
        self.parameter = graph_parameter(url)
        self.session = requests.Session()
        self._credentials = credentials(url)
        self._auth: requests.auth.AuthBase | None = None
        self.auth_mode = auth
        if self._credentials and auth != "auto":
            self._use(auth)

    def _use(self, scheme: str) -> None:
        assert self._credentials is not None
        user, password = self._credentials
        self._auth = (
            requests.auth.HTTPDigestAuth(user, password)
            if scheme == "digest"
            else requests.auth.HTTPBasicAuth(user, password)
        )
        self.auth_mode = scheme

    def _request_auth(self) -> requests.auth.AuthBase | Callable[[requests.PreparedRequest], requests.PreparedRequest]:
        # Until the store asks for credentials, none are sent (and requests does not add
        # netrc's on its own: they are looked up above, with the environment's).
        return self._auth if self._auth is not None else (lambda r: r)

    def put(self, name: URIRef, body: bytes) -> int:
        """Replace graph ``name`` with ``body`` (N-Triples); the HTTP status on success."""
        response = self._send("PUT", name, body)
        code = response.status_code
        if code in (200, 201, 204):
            return code
        raise self._failure(response)

    def _send(self, method: str, name: URIRef, body: bytes) -> requests.Response:
        tries, attempt = self.retries + 1, 0
        while True:
            try:
                response = self.session.request(
                    method,
                    self.url,
                    params={self.parameter: str(name)},
                    data=body,
                    headers={"Content-Type": MEDIA_TYPE},
                    timeout=(min(self.timeout, 10.0), self.timeout),
                    auth=self._request_auth(),
                )
            except requests.RequestException as e:
                why = reason(e)
                if why in ("connection refused", "host name not found") or isinstance(
                    e, requests.exceptions.InvalidURL | requests.exceptions.SSLError
                ):
                    raise StoreError(
                        f"cannot reach the Graph Store ({why}); check the URL and that the store is running",
                        source=self.url,
                    ) from None
                last = why
            else:
                if response.status_code == 401 and self._auth is None and self._credentials:
                    found = challenge(response.headers.get("WWW-Authenticate"))
                    if found:  # the store says how it wants the credentials: send them so
                        self._use(found[0])
                        continue
                if response.status_code not in TRANSIENT:
                    return response
                last = f"{response.status_code} {response.reason}"
            attempt += 1
            if attempt >= tries:
                if last == "timed out":
                    message = f"no answer within {self.timeout:g} s, {tries} times; give a longer --timeout"
                else:
                    message = f"{last}, {tries} times; the store is down or overloaded"
                raise StoreError(f"{message}, or try again later", source=self.url)
            self.sleep(min(self.backoff * 2 ** (attempt - 1), MAX_DELAY))

    def _failure(self, response: requests.Response) -> Exception:
        code, status = response.status_code, f"{response.status_code} {response.reason}".strip()
        if code == 401:
            advice = (
                "check the credentials, or the --auth scheme"
                if self._credentials
                else f"it asks for credentials: {CREDENTIALS_ADVICE}"
            )
            return StoreError(f"the store refused access ({status}); {advice}", source=self.url)
        if code == 403:
            return StoreError(
                f"the store refused to write ({status}): it is read-only, or the account may not write graphs; "
                "publish to a writable store or use an account that may write",
                source=self.url,
            )
        if code in (404, 405):
            return StoreError(
                f"no Graph Store that takes PUT at this URL ({status}); check the URL "
                "(Oxigraph: http://HOST:7878/store, Virtuoso: http://HOST:8890/sparql-graph-crud-auth)",
                source=self.url,
            )
        return Rejected(f"the store rejected the graph ({status}): {_excerpt(response)}", code)


def _excerpt(response: requests.Response) -> str:
    """The first informative line of an error response (Virtuoso answers in HTML)."""
    text = re.sub(r"<[^>]+>", "\n", response.text or "")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    useful = [line for line in lines if line and not re.fullmatch(r"(HTTP/\S+ )?\d{3}\b.*|Error \w+", line)]
    return (useful[0] if useful else "no explanation given")[:200]


# ----------------------------------------------------------------------------- what is sent


@dataclass
class Item:
    """One graph to publish, or the reason an input gave none."""

    name: URIRef | None
    label: str  # the resolution's symbol, "ontology", or the file
    source: str
    graph: Graph | None = None
    error: str | None = None


@dataclass
class Published:
    """What became of one graph: one row of the report."""

    graph: str | None
    resolution: str
    source: str
    sent: int | None = None
    stored: int | None = None
    status: str = "published"  # published | count differs | not counted | not published | not attempted
    reason: str | None = None

    def row(self) -> dict[str, object]:
        return {
            "resolution": self.resolution,
            "graph": self.graph,
            "file": self.source,
            "sent": self.sent,
            "stored": self.stored,
            "status": self.status,
            "reason": self.reason,
        }


def ontology_graph() -> Graph:
    """The ontology, the vocabularies and what OWL-RL entails from them, as the store gets
    them: without the generalised triples of the closure (a literal as subject), which RDF
    cannot hold."""
    from mandate_graph.infer import vocabulary_closure

    g = new_graph()
    for s, p, o in vocabulary_closure():
        if isinstance(s, URIRef) and isinstance(p, URIRef):
            g.add((s, p, o))
    return g


def _label(g: Graph, name: URIRef) -> str:
    symbol = g.value(name, MG.symbol)
    return str(symbol) if isinstance(symbol, Literal) else str(name)


ONTOLOGY_SOURCE = "ontology and vocabularies, with their OWL-RL closure"


def ontology_item() -> Item:
    from mandate_graph.export import ONTOLOGY_GRAPH

    return Item(ONTOLOGY_GRAPH, "ontology", ONTOLOGY_SOURCE, ontology_graph())


def items(
    group: list[Path],
    *,
    language: str | None = None,
    base: str | None = None,
    warn: Callable[[str], None] = lambda _: None,
) -> Iterator[Item]:
    """The graphs of one group of inputs (the files of one resolution, as
    :func:`mandate_graph.store.group_by_resolution` gives them; or one RDF file), named as
    ``export`` names them, made one at a time."""
    from mandate_graph.export import ONTOLOGY_GRAPH, _resolution_of

    source = ", ".join(str(p) for p in group)
    if is_rdf(group[0]):
        try:
            parts = [(name or _resolution_of(g, group[0]), g) for name, g in read_dataset(group[0])]
        except InputError as e:
            error = e.message if e.line is None else f"line {e.line}: {e.message}"
            yield Item(None, group[0].name, source, error=error)
            return
        for name, g in parts:
            if name == ONTOLOGY_GRAPH:
                warn(
                    f"{source}: its graph {name.n3()} is left out: the ontology graph is published from the "
                    "installed ontology and vocabularies, with their entailments"
                )
                continue
            yield Item(name, _label(g, name), source, g)
        return
    for outcome in load_group(group, language=language, base=base):
        if outcome.error:
            yield Item(None, Path(outcome.file).name, outcome.file, error=outcome.error)
        for note in outcome.notes:
            warn(f"{outcome.file}: warning: {note}")
        if outcome.graph is not None:
            assert outcome.resolution is not None
            yield Item(mint(outcome.resolution, base=base), outcome.resolution, source, outcome.graph)


_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def unsendable(g: Graph) -> str | None:
    """Why ``g`` cannot be written as N-Triples a store will take, or ``None``."""
    for triple in g:
        for t in triple:
            if isinstance(t, URIRef) and _BAD_IRI.search(t):
                return f"the IRI <{t}> has a character IRIs cannot hold; correct the input"
        if not isinstance(triple[0], URIRef):
            return f"a triple has {triple[0].n3()} as subject; only IRIs can be subjects here"
    return None


def count(endpoint: Endpoint, name: URIRef) -> int:
    """How many triples the store holds in graph ``name``."""
    page = endpoint.select(COUNT_QUERY.format(graph=name.n3()))
    if len(page.rows) != 1 or not isinstance(page.rows[0][0], Literal):
        raise StoreError("the count of a graph came back in an unexpected form", source=endpoint.url)
    return int(page.rows[0][0].toPython())


class _Stop(Exception):
    """The run cannot go on: the store is out of reach, refuses, or keeps failing."""

    def __init__(self, error: StoreError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass
class _Run:
    store: GraphStore
    endpoint: Endpoint | None
    warn: Callable[[str], None]
    done: list[Published] = field(default_factory=list)
    sent: dict[URIRef, str] = field(default_factory=dict)  # graph -> the input it came from
    failures_in_a_row: int = 0

    def send(self, item: Item) -> None:
        result = Published(str(item.name) if item.name else None, item.label, item.source)
        self.done.append(result)
        if item.error is not None or item.graph is None or item.name is None:
            result.status, result.reason = "not published", item.error
            self.warn(f"{item.source}: {item.error}; skipped")
            return
        result.sent = len(item.graph)
        if item.name in self.sent:
            result.status = "not published"
            result.reason = (
                f"graph {item.name.n3()} came already from {self.sent[item.name]}; "
                "give each resolution once (or merge them first with export --format trig)"
            )
            self.warn(f"{item.source}: {result.reason}")
            return
        why = unsendable(item.graph)
        if why:
            result.status, result.reason = "not published", why
            self.warn(f"{item.source}: {why}; not published")
            return
        body = item.graph.serialize(format="nt", encoding="utf-8")
        item.graph = None  # keep memory flat
        try:
            self.store.put(item.name, body)
        except Rejected as e:
            result.status, result.reason = "not published", e.message
            self.warn(f"{self.store.url}: {item.label}: {e.message}; not published")
            self.failures_in_a_row = self.failures_in_a_row + 1 if e.status >= 500 else 0
            if self.failures_in_a_row >= REJECTIONS_IN_A_ROW:
                raise _Stop(
                    StoreError(
                        f"the store failed on {self.failures_in_a_row} graphs in a row; stopped; "
                        "look at the store's log, then publish again",
                        source=self.store.url,
                    )
                ) from None
            return
        except StoreError as e:
            result.status, result.reason = "not published", e.message
            raise _Stop(e) from None
        self.failures_in_a_row = 0
        self.sent[item.name] = item.source
        if self.endpoint is None:
            result.status = "not counted"
            return
        try:
            result.stored = count(self.endpoint, item.name)
        except StoreError as e:
            self.warn(f"{e}; triple counts are not compared")
            self.endpoint = None
            result.status = "not counted"
            return
        if result.stored != result.sent:
            result.status = "count differs"
            self.warn(f"{self.store.url}: {item.label}: {result.sent} triples sent, the store holds {result.stored}")


def publish(
    store: GraphStore,
    groups: list[list[Path]],
    *,
    endpoint: Endpoint | None,
    language: str | None = None,
    base: str | None = None,
    warn: Callable[[str], None] = lambda _: None,
    step: Callable[[str], None] = lambda _: None,
) -> tuple[list[Published], StoreError | None]:
    """Publish the ontology graph, then the resolutions of ``groups``: one :class:`Published`
    per graph (and per input that gave none), and the error that stopped the run, if one
    did. A graph the store rejects is passed to ``warn`` and the run goes on; after an error
    that stops it, every input not yet sent is listed as not attempted."""
    run = _Run(store, endpoint, warn)
    todo: list[list[Path] | None] = [None, *groups]
    for i, group in enumerate(todo):
        step("ontology" if group is None else group[0].name)
        try:
            for item in [ontology_item()] if group is None else items(group, language=language, base=base, warn=warn):
                run.send(item)
        except _Stop as stop:
            for rest in todo[i + 1 :]:
                assert rest is not None
                source = ", ".join(str(p) for p in rest)
                run.done.append(Published(None, rest[0].name, source, status="not attempted", reason="the run stopped"))
            return run.done, stop.error
    return run.done, None


def plan(paths: list[str]) -> list[list[Path]]:
    """The inputs, files and folders, as groups of files of one resolution."""
    return group_by_resolution(expand_inputs(paths))
