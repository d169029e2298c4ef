from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from mandate_graph.graph import to_graph
from mandate_graph.model import Resolution
from mandate_graph.parse import parse_file
from mandate_graph.resources import bundled_resolution

# session fixtures that start real SPARQL stores (Oxigraph, Virtuoso) on 127.0.0.1
pytest_plugins = ["servers"]

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
SHARED = HERE.parent.parent / "shared"
CORPUS = SHARED / "corpus" / "en"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="rewrite the golden files from the current loader output (review the diff before committing)",
    )


@pytest.fixture
def regen_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-golden"))


@pytest.fixture(scope="session")
def res_80_229() -> Resolution:
    return parse_file(bundled_resolution())


@pytest.fixture(scope="session")
def graph_80_229(res_80_229: Resolution) -> Graph:
    return to_graph(res_80_229)


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("the development corpus ../shared/corpus/en is not present")
    return CORPUS
