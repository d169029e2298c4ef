"""A SPARQL 1.1 endpoint elsewhere: the named queries run there, answers as rdflib terms.

Any endpoint that speaks the SPARQL 1.1 Protocol and returns JSON results, through
SPARQLWrapper. The answer to a named query is the one the same query gives locally over the
data and the OWL-RL closure of ontology + vocabularies (``query --infer``), provided the store
holds what ``mandate-graph publish`` puts there and its default graph is the union of its
named graphs (Virtuoso: by default; Oxigraph: ``oxigraph serve --union-default-graph``, or
the endpoint URL ``…/query?union-default-graph``).

**Paging.** Some stores cut an answer short without failing: Virtuoso returns at most
``ResultSetMaxRows`` rows (10,000 by default) and says so in an ``X-SPARQL-MaxRows`` header.
So a query is asked for in pages, ``LIMIT n OFFSET k``, in a fixed order: the query's own
``ORDER BY`` with all of its columns after it to break ties (or those columns alone). The
ordered query is a sub-query and the page is cut outside it; Virtuoso refuses ``ORDER BY``
with an offset beyond its ``MaxSortedTopRows`` (SR353) but keeps a sub-query's order, which
is the form its manual gives for this. A page shorter than the page size is the last; a page
the store capped (the header) makes the cap the page size.

**Credentials** come from ``MANDATE_GRAPH_USER`` and ``MANDATE_GRAPH_PASSWORD``, else from
``~/.netrc`` (or the file ``$NETRC`` names), never from the command line; they are sent only
when the store asks for them, with the scheme it asks for (HTTP Basic or Digest).
"""

from __future__ import annotations

import os
import re
import socket
import urllib.error
import warnings
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from mandate_graph import queries
from mandate_graph.errors import InputError, StoreError

USER_ENV, PASSWORD_ENV = "MANDATE_GRAPH_USER", "MANDATE_GRAPH_PASSWORD"
AUTH_MODES = ("auto", "basic", "digest")
PAGE_SIZE = 10_000
TIMEOUT = 60.0
CAP_HEADER = "X-SPARQL-MaxRows"
CREDENTIALS_ADVICE = f"set {USER_ENV} and {PASSWORD_ENV} (or a ~/.netrc entry for the host)"


# ----------------------------------------------------------------------------- URLs and credentials


def check_url(url: str, what: str = "store") -> str:
    """``url`` if it is an http(s) URL without credentials in it; else one line saying why."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{url!r} is not an http(s) URL of a SPARQL {what}; give one such as http://localhost:7878/")
    if parts.username or parts.password:
        raise InputError(
            f"the {what} URL carries credentials, which would show in shell history and process lists; "
            f"remove them and {CREDENTIALS_ADVICE}"
        )
    return url


def credentials(url: str) -> tuple[str, str] | None:
    """User and password for ``url``: the environment, else netrc; ``None`` when neither has them."""
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if user or password:
        if not (user and password):
            raise InputError(f"{USER_ENV} and {PASSWORD_ENV} go together; set both (or neither, to use ~/.netrc)")
        return user, password
    found = requests.utils.get_netrc_auth(url)
    return (found[0], found[1]) if found else None


def challenge(header: str | None) -> tuple[str, str | None] | None:
    """The scheme (``basic`` or ``digest``) and realm a ``WWW-Authenticate`` header asks for;
    Digest first when a store offers both."""
    if not header:
        return None
    offered = {m.group(1).lower(): m.start() for m in re.finditer(r"(?:^|,)\s*(Basic|Digest)\b", header, re.I)}
    for scheme in ("digest", "basic"):
        if scheme in offered:
            rest = header[offered[scheme] :]
            realm = re.search(r'realm="([^"]*)"', rest, re.I)
            return scheme, realm.group(1) if realm else None
    return None


def reason(e: BaseException) -> str:
    """A short, credential-free description of a network failure."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [e]
    while stack:
        x = stack.pop()
        if x is None or id(x) in seen:
            continue
        seen.add(id(x))
        if isinstance(x, ConnectionRefusedError):
            return "connection refused"
        if isinstance(x, ConnectionResetError):
            return "connection reset"
        if isinstance(x, socket.gaierror):
            return "host name not found"
        if isinstance(x, TimeoutError | socket.timeout | requests.Timeout):
            return "timed out"
        stack.extend([x.__cause__, x.__context__, getattr(x, "reason", None)])
        stack.extend(a for a in getattr(x, "args", ()) if isinstance(a, BaseException))
    text = str(e)
    if "Connection refused" in text or "Errno 111" in text:
        return "connection refused"
    if "RemoteDisconnected" in text or "closed connection" in text or "Connection aborted" in text:
        return "connection closed by the store"
    if "Name or service not known" in text or "NameResolution" in text:
        return "host name not found"
    return type(e).__name__


# ----------------------------------------------------------------------------- results


def term(value: dict[str, Any]) -> Node:
    """A SPARQL JSON result value as an rdflib term (``typed-literal`` is Virtuoso's older
    spelling; ``xsd:string`` is a plain literal, as RDF 1.1 has it)."""
    kind, text = value["type"], value["value"]
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        lang = value.get("xml:lang")
        if lang:
            return Literal(text, lang=lang)
        datatype = value.get("datatype")
        if datatype and datatype != str(XSD.string):
            return Literal(text, datatype=URIRef(datatype))
        return Literal(text)
    raise ValueError(f"unknown result value type {kind!r}")


@dataclass
class Page:
    columns: list[str]
    rows: list[list[Node | None]]
    cap: int | None = None  # the row limit the store says it applied


@dataclass
class Answer:
    columns: list[str]
    rows: list[list[Node | None]]
    requests: int = 1
    notes: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- the endpoint


@dataclass
class Endpoint:
    """A SPARQL endpoint: ``url`` as it answers queries (with any parameters it needs)."""

    url: str
    timeout: float = TIMEOUT
    auth: str = "auto"
    page_size: int = PAGE_SIZE
    _auth: tuple[str, str | None] | None = field(default=None, init=False, repr=False)
    _probed: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        check_url(self.url, "endpoint")
        if self.auth not in AUTH_MODES:
            raise InputError(f"--auth takes one of {', '.join(AUTH_MODES)}, not {self.auth!r}")
        if self.page_size < 1:
            raise InputError("the page size must be at least 1")
        self._credentials = credentials(self.url)

    # -- one request

    def _scheme(self) -> tuple[str, str | None] | None:
        """How to authenticate: nothing without credentials; else the scheme asked for, or
        (``auto``) the one the endpoint's challenge names, found once with a small query."""
        if self._credentials is None:
            return None
        if self.auth != "auto":
            if self.auth == "digest" and not self._probed:
                self._probed = True
                found = self._probe()
                self._auth = ("digest", found[1] if found else None)
            return self._auth or (self.auth, None)
        if not self._probed:
            self._probed = True
            self._auth = self._probe()
        return self._auth

    def _probe(self) -> tuple[str, str | None] | None:
        try:
            r = requests.post(
                self.url,
                data={"query": "ASK {}"},
                headers={"Accept": "application/sparql-results+json"},
                timeout=self.timeout,
                auth=lambda req: req,  # no netrc here: credentials go only where a challenge asks
            )
        except requests.RequestException as e:
            raise self._unreachable(e) from None
        return challenge(r.headers.get("WWW-Authenticate")) if r.status_code == 401 else None

    def _unreachable(self, e: BaseException) -> StoreError:
        why = reason(e)
        if why == "timed out":
            return StoreError(
                f"no answer within {self.timeout:g} s; try again later or give a longer --timeout", source=self.url
            )
        return StoreError(
            f"cannot reach the SPARQL endpoint ({why}); check the URL and that the store is running", source=self.url
        )

    def select(self, text: str) -> Page:
        """Run one SELECT query; failures become one-line :class:`StoreError`\\ s."""
        from SPARQLWrapper import BASIC, DIGEST, JSON, POST, SELECT, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import (
            EndPointInternalError,
            EndPointNotFound,
            QueryBadFormed,
            Unauthorized,
            URITooLong,
        )

        sparql = SPARQLWrapper(self.url)
        sparql.setMethod(POST)
        sparql.setReturnFormat(JSON)
        sparql.timeout = self.timeout  # type: ignore[assignment]  # setTimeout() would round it down to whole seconds
        sparql.setQuery(text)
        sparql.queryType = SELECT  # its own guess reads "ADD" in a comment as an update
        scheme = self._scheme()
        if scheme is not None and self._credentials is not None:
            user, password = self._credentials
            if scheme[0] == "digest":
                sparql.setHTTPAuth(DIGEST)
                sparql.setCredentials(user, password, realm=scheme[1] or "SPARQL")
            else:
                sparql.setHTTPAuth(BASIC)
                sparql.setCredentials(user, password)
        try:
            with warnings.catch_warnings():  # SPARQLWrapper warns on stderr about content types
                warnings.simplefilter("ignore")
                result = sparql.query()
                headers = result.response.info()
                data = result.convert()
        except ValueError:  # not JSON at all
            data = None
        except Unauthorized:
            advice = "check the credentials" if self._credentials else CREDENTIALS_ADVICE
            raise StoreError(f"the endpoint refused access (401 Unauthorized); {advice}", source=self.url) from None
        except QueryBadFormed as e:
            raise StoreError(f"the endpoint rejected the query (400): {_first_line(e)}", source=self.url) from None
        except EndPointNotFound:
            raise StoreError("no SPARQL endpoint at this URL (404); check the URL", source=self.url) from None
        except URITooLong:
            raise StoreError("the endpoint refused the request as too long (414)", source=self.url) from None
        except EndPointInternalError as e:
            raise StoreError(f"the endpoint failed (500): {_first_line(e)}", source=self.url) from None
        except urllib.error.HTTPError as e:
            raise StoreError(_http_status_message(e.code, e.reason), source=self.url) from None
        except (urllib.error.URLError, OSError) as e:
            raise self._unreachable(e) from None
        if not isinstance(data, dict) or "head" not in data:
            raise StoreError(
                "the answer is not SPARQL JSON results; is this the store's query endpoint?", source=self.url
            )
        columns = list(data["head"].get("vars", []))
        rows = [[term(b[c]) if c in b else None for c in columns] for b in data.get("results", {}).get("bindings", [])]
        cap = headers.get(CAP_HEADER)
        return Page(columns, rows, int(cap) if cap and cap.strip().isdigit() else None)

    # -- a whole answer

    def run(self, query: queries.NamedQuery, bindings: dict[str, Node] | None = None) -> Answer:
        """The whole answer to a named query (or a ``.rq`` file), page by page."""
        bindings = dict(bindings or {})
        queries.check_parameters(query, bindings)
        text = queries.bind_parameters(queries.prefixed(query.text), bindings)
        return self.run_text(text)

    def run_text(self, text: str) -> Answer:
        try:
            algebra = prepareQuery(text).algebra
        except Exception as e:
            raise InputError(f"not a valid SPARQL query: {' '.join(str(e).split())[:200]}") from None
        if algebra.name != "SelectQuery":
            raise InputError("only SELECT queries can be run against an endpoint")
        columns = [str(v) for v in algebra["PV"]]
        prologue, body = _split_prologue(text)
        node, ordered, sliced = algebra.p, False, False
        while node is not None and getattr(node, "name", None) in (
            "Slice",
            "Distinct",
            "Reduced",
            "Project",
            "OrderBy",
        ):
            ordered |= node.name == "OrderBy"
            sliced |= node.name == "Slice"
            node = node.get("p")
        if sliced:  # the query cuts its own answer: ask once, as written
            page = self.select(text)
            answer = Answer(columns, page.rows)
            if page.cap is not None and len(page.rows) >= page.cap:
                answer.notes.append(f"the store returns at most {page.cap} rows; the answer may be cut short")
            return answer
        projection = " ".join(f"?{c}" for c in columns)
        if not ordered:
            body = f"SELECT {projection} WHERE {{ {{ {body} }} }} ORDER BY {projection}"
        elif re.fullmatch(r"\s*ORDER\s+BY\s.*", body[body.rfind("}") + 1 :], re.S | re.I):
            # rows the query's own order leaves tied must not fall on either side of a page
            # boundary depending on the request: all columns break the ties
            body = f"{body.rstrip()}\n{projection}"
        answer = Answer(columns, [], requests=0)
        size, offset = self.page_size, 0
        while True:
            page = self.select(f"{prologue}SELECT {projection} WHERE {{ {{\n{body}\n}} }} LIMIT {size} OFFSET {offset}")
            answer.requests += 1
            answer.rows.extend(page.rows)
            offset += len(page.rows)
            if page.cap is not None and page.cap < size and len(page.rows) >= page.cap:
                size = page.cap  # the store cut the page: ask for what it gives
                continue
            if len(page.rows) < size:
                return answer


_PROLOGUE = re.compile(r"\A(?:\s+|#[^\n]*\n|(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s+<[^>]*>))*", re.I)


def _split_prologue(text: str) -> tuple[str, str]:
    """The ``PREFIX``/``BASE`` declarations (and comments) before a query, and the query."""
    match = _PROLOGUE.match(text)
    end = match.end() if match else 0
    return text[:end], text[end:]


def _first_line(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return text[:200]


def _http_status_message(code: int, why: str | None) -> str:
    if code == 403:
        return "the endpoint refused access (403 Forbidden); ask its administrator for the right to query it"
    if code in (502, 503, 504):
        return f"the endpoint is unavailable ({code} {why or ''}); try again later".replace(" )", ")")
    return f"the endpoint answered {code} {why or ''}".rstrip()
