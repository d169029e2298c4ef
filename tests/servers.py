"""Real SPARQL stores for the tests and for ``bench/bench_stores.py``: the Oxigraph server
(PyPI package ``oxigraph``) and Virtuoso Open Source 7 (Debian's ``virtuoso-opensource-7-bin``),
each started on 127.0.0.1, on free ports, with a database in a folder of its own, and stopped
by its process id.

Loaded by ``tests/conftest.py`` as a pytest plugin: the session fixtures ``oxigraph`` and
``virtuoso`` give a running server. When a server cannot start, its tests are skipped with
the reason, and fail when ``CI`` is set (CI installs both; see ``setup.sh``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pytest

START_TIMEOUT = 60.0  # seconds; Virtuoso takes 3-6 s to create a database
VIRTUOSO_USER = "dba"
VIRTUOSO_CAP = 10_000  # Virtuoso's default ResultSetMaxRows, kept so that paging is tested


class Unavailable(Exception):
    """The server cannot be started here; says why and what to install."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A store running in a process of its own."""

    name: str
    process: subprocess.Popen[bytes]
    folder: Path
    url: str  # http://127.0.0.1:PORT
    graph_store: str
    query: str  # the SPARQL query endpoint
    log: Path
    user: str | None = None
    password: str | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Terminate the process (by its id), wait, kill it if it does not go."""
        stop_process(self.process)

    def credentials(self) -> dict[str, str]:
        """The environment variables that give ``mandate-graph`` this server's account."""
        if self.user is None or self.password is None:
            return {}
        return {"MANDATE_GRAPH_USER": self.user, "MANDATE_GRAPH_PASSWORD": self.password}


def stop_process(process: subprocess.Popen[bytes], grace: float = 30.0) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-lines:])


def _wait_for_http(url: str, process: subprocess.Popen[bytes], log: Path, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Unavailable(f"{what} exited with code {process.returncode} on start: {_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    stop_process(process)
    raise Unavailable(f"{what} did not answer at {url} within {START_TIMEOUT:g} s: {_tail(log)}")


def _spawn(argv: list[str], cwd: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )


# ----------------------------------------------------------------------------- Oxigraph


def oxigraph_binary() -> str:
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise Unavailable(
            "the Oxigraph server is not installed (PyPI package oxigraph); run setup.sh, "
            "or .venv/bin/pip install -e '.[dev]'"
        )
    return found


def start_oxigraph(location: Path, *, read_only: bool = False, union: bool = True) -> Server:
    """``oxigraph serve`` (or ``serve-read-only``) over the database in ``location``; with
    ``union``, queries see the union of all graphs as their default graph."""
    location.mkdir(parents=True, exist_ok=True)
    port = free_port()
    argv = [oxigraph_binary(), "serve-read-only" if read_only else "serve", "--location", str(location)]
    argv += ["--bind", f"127.0.0.1:{port}"]
    if union:
        argv.append("--union-default-graph")
    log = location.parent / f"{location.name}-oxigraph.log"
    process = _spawn(argv, location.parent, log)
    url = f"http://127.0.0.1:{port}"
    _wait_for_http(url + "/", process, log, "oxigraph")
    return Server("oxigraph", process, location, url, f"{url}/store", f"{url}/query", log)


# ----------------------------------------------------------------------------- Virtuoso

VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql}
DirsAllowed = ., {dir}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
CheckpointInterval = 60
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {dir}/vsp
ServerThreads = 10
MaxClientConnections = 10

[SPARQL]
ResultSetMaxRows = {cap}
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""


def virtuoso_binaries() -> tuple[str, str]:
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not server or not isql:
        raise Unavailable(
            "Virtuoso is not installed (virtuoso-t, isql-vt); run setup.sh as root, or "
            "apt-get install virtuoso-opensource-7-bin"
        )
    return server, isql


def _isql(isql: str, port: int, user: str, password: str, statements: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [isql, f"127.0.0.1:{port}", user, password, f"exec={statements}"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def start_virtuoso(folder: Path) -> Server:
    """``virtuoso-t`` with a new database in ``folder``, its ports on 127.0.0.1, the default
    passwords of ``dba`` and ``dav`` changed before anything else is done."""
    server, isql = virtuoso_binaries()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vsp").mkdir(exist_ok=True)
    isql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=folder, isql=isql_port, http=http_port, cap=VIRTUOSO_CAP), encoding="utf-8")
    log = folder / "virtuoso-out.log"
    process = _spawn([server, "+foreground", "+configfile", str(ini)], folder, log)
    url = f"http://127.0.0.1:{http_port}"
    try:
        _wait_for_http(url + "/sparql?query=ASK%7B%7D", process, log, "virtuoso-t")
        password = "mg-" + secrets.token_hex(12)
        # isql exits 0 even when a statement fails: the new password is checked by logging in with it
        _isql(
            isql,
            isql_port,
            "dba",
            "dba",
            f"USER_CHANGE_PASSWORD('dba','dba','{password}'); USER_CHANGE_PASSWORD('dav','dav','{password}'); "
            "checkpoint;",
        )
        check = _isql(isql, isql_port, VIRTUOSO_USER, password, "select 'login-ok';")
        old = _isql(isql, isql_port, "dba", "dba", "select 'login-ok';")
        if "login-ok" not in check.stdout or "login-ok" in old.stdout:
            raise Unavailable(f"could not change Virtuoso's dba password: {check.stdout[-300:]} {check.stderr[-300:]}")
    except BaseException:
        stop_process(process)
        raise
    return Server(
        "virtuoso",
        process,
        folder,
        url,
        f"{url}/sparql-graph-crud-auth",
        f"{url}/sparql",
        log,
        user=VIRTUOSO_USER,
        password=password,
        extra={"isql_port": isql_port, "cap": VIRTUOSO_CAP},
    )


# ----------------------------------------------------------------------------- fixtures


def unavailable(message: str) -> NoReturn:
    """Skip a test whose server cannot start; in CI, fail it."""
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set, so this fails rather than skips)")
    pytest.skip(message)


@contextlib.contextmanager
def running(start: object, *args: object, **kwargs: object) -> Iterator[Server]:
    """A server for the length of a ``with`` block, stopped however the block ends."""
    try:
        server = start(*args, **kwargs)  # type: ignore[operator]
    except Unavailable as e:
        unavailable(str(e))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """An Oxigraph server whose default graph is the union of its graphs."""
    with running(start_oxigraph, tmp_path_factory.mktemp("oxigraph") / "db") as server:
        yield server


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A Virtuoso server with a new database and a new dba password."""
    with running(start_virtuoso, tmp_path_factory.mktemp("virtuoso")) as server:
        yield server
