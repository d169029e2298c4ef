"""A small SPARQL store on 127.0.0.1 for tests of what a real one rarely does on demand:
fail a given number of times, cut the connection, answer late, ask for credentials, cap
its answers. It speaks the Graph Store Protocol (``PUT /store?graph=IRI``, N-Triples, at any path
but ``/missing``) and
answers the count query ``publish`` sends and SELECT queries over a fixed table of rows
(``/query``), paged by ``LIMIT``/``OFFSET`` like a real store.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from rdflib import Graph


@dataclass
class FakeStore:
    url: str = ""
    graphs: dict[str, Graph] = field(default_factory=dict)
    # what the next requests get instead of an answer: "503", "502", "500", "reset", "slow"
    faults: list[str] = field(default_factory=list)
    slow: float = 1.0  # seconds a "slow" answer waits
    user: str | None = None  # HTTP Basic credentials the store asks for, when set
    password: str | None = None
    rows: list[dict[str, object]] = field(default_factory=list)  # SELECT answers (JSON bindings)
    columns: list[str] = field(default_factory=list)
    cap: int | None = None  # at most this many rows per answer, with an X-SPARQL-MaxRows header
    count_offset: int = 0  # added to the triple count the store reports
    writable: int | None = None  # PUTs accepted before the store turns read-only (403)
    log: list[tuple[str, str, str | None]] = field(default_factory=list)  # method, path, Authorization
    queries: list[str] = field(default_factory=list)

    @property
    def graph_store(self) -> str:
        return f"{self.url}/store"

    @property
    def query(self) -> str:
        return f"{self.url}/query"


class _Handler(BaseHTTPRequestHandler):
    store: FakeStore

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _send(self, code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _fault(self) -> bool:
        """Play the next fault, if any; True when the request got no proper answer."""
        if not self.store.faults:
            return False
        fault = self.store.faults.pop(0)
        if fault == "reset":
            self._body()
            self.close_connection = True
            self.connection.close()
            return True
        if fault == "slow":
            self._body()
            time.sleep(self.store.slow)
            self._send(204)
            return True
        self._body()
        self._send(int(fault), f"fault {fault}".encode())
        return True

    def _authorised(self) -> bool:
        if self.store.user is None:
            return True
        token = base64.b64encode(f"{self.store.user}:{self.store.password}".encode()).decode()
        if self.headers.get("Authorization") == f"Basic {token}":
            return True
        self._body()
        self._send(401, b"", {"WWW-Authenticate": 'Basic realm="fake"'})
        return False

    def _record(self) -> None:
        self.store.log.append((self.command, self.path, self.headers.get("Authorization")))

    def do_PUT(self) -> None:
        self._record()
        if self._fault() or not self._authorised():
            return
        url = urlsplit(self.path)
        graph = parse_qs(url.query).get("graph", [None])[0]
        if url.path == "/missing" or graph is None:
            self._body()
            self._send(404, b"not found")
            return
        if self.store.writable is not None:
            if self.store.writable == 0:
                self._body()
                self._send(403, b"read-only")
                return
            self.store.writable -= 1
        body = self._body()
        g = Graph()
        try:
            g.parse(data=body.decode("utf-8"), format="nt")
        except Exception as e:
            self._send(400, f"bad N-Triples: {e}".encode())
            return
        existed = graph in self.store.graphs
        self.store.graphs[graph] = g
        self._send(204 if existed else 201)

    def do_POST(self) -> None:
        self._record()
        if self._fault() or not self._authorised():
            return
        if urlsplit(self.path).path != "/query":
            self._body()
            self._send(404, b"not found")
            return
        query = parse_qs(self._body().decode("utf-8")).get("query", [""])[0]
        self.store.queries.append(query)
        count = re.search(r"COUNT\(\*\) AS \?n\) WHERE \{ GRAPH <([^>]+)>", query)
        if count:
            n = len(self.store.graphs.get(count.group(1), ())) + self.store.count_offset
            rows = [{"n": {"type": "literal", "value": str(n), "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]
            self._json(["n"], rows)
            return
        if query.strip().startswith("ASK"):
            self._send(200, b'{"head": {}, "boolean": true}', {"Content-Type": "application/sparql-results+json"})
            return
        limit = re.search(r"LIMIT (\d+) OFFSET (\d+)\s*$", query)
        rows = self.store.rows
        if limit:
            size, offset = int(limit.group(1)), int(limit.group(2))
            rows = rows[offset : offset + size]
        headers = {}
        if self.store.cap is not None and len(rows) >= self.store.cap:
            rows = rows[: self.store.cap]
            headers["X-SPARQL-MaxRows"] = str(self.store.cap)
        self._json(self.store.columns, rows, headers)

    def _json(self, columns: list[str], rows: list[dict[str, object]], headers: dict[str, str] | None = None) -> None:
        body = json.dumps({"head": {"vars": columns}, "results": {"bindings": rows}}).encode()
        self._send(200, body, {"Content-Type": "application/sparql-results+json", **(headers or {})})


@contextmanager
def fake_store() -> Iterator[FakeStore]:
    store = FakeStore()
    handler = type("Handler", (_Handler,), {"store": store})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    store.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield store
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
