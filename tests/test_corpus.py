"""The parser on the English development corpus (../shared/corpus/en), skipped when it is absent."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from conftest import CORPUS
from mandate_graph.model import Resolution
from mandate_graph.parse import parse_file

if not CORPUS.is_dir():
    pytest.skip("the development corpus ../shared/corpus/en is not present", allow_module_level=True)

pytestmark = pytest.mark.corpus

# measured with bench/corpus_metrics.py: 99.23 % load, 99.79 % numbering, 99.08 % verbs
FLOORS = {"loaded": 99.2, "numbering": 99.7, "verb": 99.0}


def load(name: str) -> Resolution:
    return parse_file(CORPUS / name)


def corpus_metrics() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "bench" / "corpus_metrics.py"
    spec = importlib.util.spec_from_file_location("corpus_metrics", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its worker processes find measure() by module name
    spec.loader.exec_module(module)
    return module


def test_78_229_report_at_the_seventy_ninth_and_eightieth_sessions() -> None:
    r = load("A_RES_78_229.en.txt")
    assert (r.symbol, r.session, len(r.operative)) == ("A/RES/78/229", 78, 93)
    para = r.operative[91]
    assert para.number == 92
    (report,) = para.mandates
    assert (report.verb, report.addressees, report.deadlines, report.report) == (
        "requests",
        ["secretary-general"],
        [79, 80],
        True,
    )
    (decision,) = r.operative[92].mandates
    assert (decision.verb, decision.deadlines) == ("decides", [80])


@pytest.mark.parametrize("number", [23, 87])
def test_78_229_the_office_refers_back_to_unodc(number: int) -> None:
    para = next(p for p in load("A_RES_78_229.en.txt").operative if p.number == number)
    office = next(c for c in para.mandates if c.text.startswith(("requests the Office", "Requests the Office")))
    assert (office.addressees, office.addressee_text) == (["unodc"], None)
    assert para.warnings == []


def test_79_160_paragraph_numbers_without_their_dot() -> None:
    r = load("A_RES_79_160.en.txt")
    assert [p.number for p in r.operative] == list(range(1, len(r.operative) + 1))
    assert (r.operative[25].verb, r.operative[26].verb) == ("condemns", "affirms")


def test_74_115_participle_does_not_cut_the_encouragement() -> None:
    para = load("A_RES_74_115.en.txt").operative[28]
    assert [c.verb for c in para.clauses] == ["recognizes", "encourages"]
    assert "taking into account their specific circumstances" in para.clauses[1].text


@pytest.mark.slow
def test_corpus_wide_floors() -> None:
    metrics = corpus_metrics()
    files = sorted(str(p) for p in CORPUS.glob("*.txt"))
    share = metrics.shares(metrics.measure_all(files))
    assert {k: round(v, 2) for k, v in share.items() if v < FLOORS[k]} == {}
