"""Implementation status kept apart from the extracted graph."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from conftest import FIXTURES
from mandate_graph import status
from mandate_graph.errors import InputError
from mandate_graph.iris import MG
from mandate_graph.store import load
from mandate_graph.validate import validate

TEXT = FIXTURES / "diff" / "A_RES_90_31.en.txt"
REPORT = "A/RES/90/31/para/6/mandate/1"


def statement(value: str = "completed", on: dt.date = dt.date(2036, 8, 1), **kw: object) -> status.Statement:
    return status.Statement(
        mandate=str(status.mandate_iri(REPORT)), value=value, by="UNEP", on=on, evidence=("A/91/157",), **kw
    )


def test_status_survives_a_reload_of_the_extracted_data(tmp_path: Path) -> None:
    store = tmp_path / "status.ttl"
    status.add(store, statement("in-progress", dt.date(2036, 3, 1)))
    status.add(store, statement("completed", note="The report was issued as A/91/157."))
    before = store.read_bytes()
    for _ in range(2):  # the extracted graph is made again from the text
        extracted, _ = load(TEXT)
        latest = status.current(status.read(store))
        (mandate,) = latest
        assert (URIRef(mandate), RDF.type, MG.Mandate) in extracted
        assert latest[mandate].value == "completed" and latest[mandate].evidence == ("A/91/157",)
        assert not any(extracted.triples((None, MG.statusOf, None)))  # the extraction holds no status
    assert store.read_bytes() == before


def test_history_is_kept_and_the_same_statement_is_not_added_twice(tmp_path: Path) -> None:
    store = tmp_path / "status.ttl"
    first = status.add(store, statement("in-progress", dt.date(2036, 3, 1)))
    again = status.add(store, statement("in-progress", dt.date(2036, 3, 1)))
    status.add(store, statement("completed"))
    assert first == again
    assert [s.value for s in status.statements(status.read(store))] == ["in-progress", "completed"]


def test_the_status_file_conforms_to_the_shapes(tmp_path: Path) -> None:
    store = tmp_path / "status.ttl"
    status.add(store, statement(note="Issued."))
    report = validate(status.read(store))
    assert report.conforms, [f.line() for f in report.findings]


@pytest.mark.parametrize(
    ("ref", "message"),
    [("A/RES/90/31/para/6", "does not name a mandate"), ("nonsense", "does not name a mandate")],
)
def test_a_reference_that_is_not_a_mandate_is_refused(ref: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        status.mandate_iri(ref)


def test_an_unknown_status_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    store = tmp_path / "status.ttl"
    status.add(store, statement())
    before = store.read_bytes()
    with pytest.raises(InputError, match="unknown status 'done'"):
        status.add(store, statement("done"))
    assert store.read_bytes() == before


def test_the_values_are_the_status_vocabulary() -> None:
    from rdflib.namespace import SKOS

    from mandate_graph.vocab import vocabulary_graph

    vocab = vocabulary_graph()
    codes = {str(vocab.value(c, SKOS.notation)) for c in vocab.subjects(RDF.type, MG.ImplementationStatus)}
    assert set(status.VALUES) == codes
