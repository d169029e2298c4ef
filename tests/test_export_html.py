"""``mandate-graph export --format html``: the ontology and vocabularies as one page for people.

What the page must hold is derived from the ontology graph, not listed here: every class and
property of the ontology with an anchor taken from its IRI, its English and Chinese labels and
its definition; every SKOS concept scheme and concept. The page is well-formed, needs nothing
from the network, is byte-identical across processes, and is written whole or not at all."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from mandate_graph import export, ontodoc
from mandate_graph.cli import main
from mandate_graph.iris import MG, VOCAB
from mandate_graph.vocab import vocabulary_graph

ONTOLOGY = URIRef(str(MG).rstrip("#"))
ROOT = VOCAB.removesuffix("vocab/")
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
VOID_ELEMENTS = {"meta", "link", "br", "hr", "img", "input", "source", "wbr", "area", "base", "col", "embed", "track"}


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "ontology.html"
    code, out, err = run("export", "--format", "html", "-o", str(path))
    assert code == 0, err
    assert out == "" and f"to {path}" in err
    return path


@pytest.fixture(scope="module")
def sections(page: Path) -> dict[str, ET.Element]:
    """Every element with an id, by id."""
    root = ET.fromstring(page.read_text(encoding="utf-8"))
    found: dict[str, ET.Element] = {}
    for el in root.iter():
        if el.get("id") is not None:
            assert el.get("id") not in found, f"id {el.get('id')!r} appears twice"
            found[el.get("id")] = el  # type: ignore[index]
    return found


@pytest.fixture(scope="module")
def graph() -> Graph:
    return vocabulary_graph()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(el: ET.Element) -> str:
    return "".join(el.itertext())


def _spans(el: ET.Element, lang: str) -> set[str]:
    """The text of every element in ``el`` marked as written in ``lang``."""
    return {_text(x) for x in el.iter() if x.get("lang") == lang}


def _terms(g: Graph) -> list[URIRef]:
    """The classes and properties the ontology defines (not the external terms it declares)."""
    return sorted(
        {
            t
            for kind in KINDS
            for t in g.subjects(RDF.type, kind)
            if isinstance(t, URIRef) and (t, RDFS.isDefinedBy, ONTOLOGY) in g
        }
    )


def _one(g: Graph, s: URIRef, p: URIRef, lang: str) -> str:
    values = [str(o) for o in g.objects(s, p) if isinstance(o, Literal) and o.language == lang]
    assert len(values) == 1, f"{s} has {len(values)} {p} in {lang}"
    return values[0]


# ----------------------------------------------------------------------------- well-formed


class _Balance(HTMLParser):
    """Checks that every element the page opens it also closes, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID_ELEMENTS:  # <div/> is an open tag to an HTML parser
            self.errors.append(f"<{tag}/> at line {self.getpos()[0]}")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> at line {self.getpos()[0]} closes <{self.stack[-1] if self.stack else ''}>")
        else:
            self.stack.pop()


def test_page_is_well_formed_html_and_xml(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>\n")
    checker = _Balance()
    checker.feed(text)
    checker.close()
    assert checker.errors == [] and checker.stack == []
    root = ET.fromstring(text)  # raises on anything an XML parser rejects
    assert _local(root.tag) == "html" and root.get("lang") == "en"
    assert '<meta charset="utf-8"/>' in text


def test_internal_links_all_land_on_a_section(page: Path, sections: dict[str, ET.Element]) -> None:
    root = ET.fromstring(page.read_text(encoding="utf-8"))
    targets = {a.get("href", "")[1:] for a in root.iter() if _local(a.tag) == "a" and a.get("href", "").startswith("#")}
    assert targets and targets <= set(sections)


# ----------------------------------------------------------------------------- contents


def test_ontology_metadata_is_in_the_header(graph: Graph, sections: dict[str, ET.Element]) -> None:
    header = sections["ontology"]
    assert _local(header.tag) == "header"
    text = _text(header)
    for lang in ("en", "zh"):
        assert _one(graph, ONTOLOGY, DCTERMS.title, lang) in _spans(header, lang)
    assert str(graph.value(ONTOLOGY, OWL.versionInfo)) in text
    assert str(graph.value(ONTOLOGY, DCTERMS.license)) in text
    assert _one(graph, ONTOLOGY, DCTERMS.description, "en") in text
    assert str(MG) in text  # the namespace


def test_every_class_and_property_has_an_anchor_labels_and_definition(
    graph: Graph, sections: dict[str, ET.Element]
) -> None:
    terms = _terms(graph)
    kinds = {kind: [t for t in terms if (t, RDF.type, kind) in graph] for kind in KINDS}
    assert all(kinds[k] for k in KINDS[:3]), "the ontology defines classes, object and datatype properties"
    for term in terms:
        fragment = str(term).split("#", 1)[1]
        section = sections.get(fragment)
        assert section is not None, f"no section with id {fragment!r} for {term}"
        heading = next(el for el in section if _local(el.tag) == "h3")
        assert _one(graph, term, RDFS.label, "en") in _spans(heading, "en"), term
        assert _one(graph, term, RDFS.label, "zh") in _spans(heading, "zh"), term
        assert _one(graph, term, SKOS.definition, "en") in _spans(section, "en"), term
        assert str(term) in _text(section)


def test_domain_range_and_superclasses_are_shown(graph: Graph, sections: dict[str, ET.Element]) -> None:
    for term in _terms(graph):
        section = sections[str(term).split("#", 1)[1]]
        links = {a.get("href") for a in section.iter() if _local(a.tag) == "a"}
        for p in (RDFS.domain, RDFS.range, RDFS.subClassOf, RDFS.subPropertyOf):
            for o in graph.objects(term, p):
                inside = str(o).startswith(str(MG))
                assert (f"#{str(o).split('#', 1)[1]}" if inside else str(o)) in links, (term, p, o)


def test_the_iri_of_a_term_resolves_to_its_section(sections: dict[str, ET.Element]) -> None:
    """What a browser does with https://w3id.org/mandate-graph/ontology#Mandate: the fragment is the id."""
    iri = str(MG["Mandate"])
    assert ontodoc.anchor(iri) == "Mandate"
    assert iri in _text(sections["Mandate"])
    assert ontodoc.anchor(VOCAB + "actor/unodc") == "vocab/actor/unodc"
    assert ontodoc.anchor("http://www.w3.org/ns/odrl/2/Duty") is None


def test_every_concept_scheme_and_concept_is_on_the_page(graph: Graph, sections: dict[str, ET.Element]) -> None:
    schemes = sorted(s for s in graph.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef))
    assert len(schemes) >= 5
    for scheme in schemes:
        section = sections.get(str(scheme).removeprefix(ROOT))
        assert section is not None, scheme
        heading = next(el for el in section if _local(el.tag) == "h3")
        for lang in ("en", "zh"):
            assert _one(graph, scheme, DCTERMS.title, lang) in _spans(heading, lang), scheme
        for concept in graph.subjects(SKOS.inScheme, scheme):
            div = sections.get(str(concept).removeprefix(ROOT))
            assert div is not None, concept
            assert div in list(section.iter()), f"{concept} is not inside its scheme's section"
            title = next(el for el in div if _local(el.tag) == "h4")
            for lang in ("en", "zh"):
                assert _one(graph, concept, SKOS.prefLabel, lang) in _spans(title, lang), concept


def test_alt_labels_and_vocabulary_data_are_shown(sections: dict[str, ET.Element]) -> None:
    unodc = sections["vocab/actor/unodc"]
    assert any("该办公室" in t for t in _spans(unodc, "zh"))  # mg:anaphor
    links = {a.get("href") for a in unodc.iter() if _local(a.tag) == "a"}
    assert "#vocab/actor/secretariat" in links  # mg:partOfActor, skos:broader
    session = _text(sections["vocab/session/81"])
    assert "2026-09-08" in session  # mg:openingDate


# ----------------------------------------------------------------------------- offline


def test_nothing_is_fetched_to_read_the_page(page: Path) -> None:
    root = ET.fromstring(page.read_text(encoding="utf-8"))
    for el in root.iter():
        tag = _local(el.tag)
        assert tag not in {"script", "link", "img", "iframe", "object", "embed", "video", "audio", "source"}, tag
        if tag != "a":
            for name in ("src", "href", "srcset", "data"):
                assert el.get(name) is None, (tag, name, el.get(name))
    style = "".join(_text(el) for el in root.iter() if _local(el.tag) == "style")
    assert "url(" not in style and "@import" not in style


# ----------------------------------------------------------------------------- determinism

_IN_A_FRESH_PROCESS = "import sys; from mandate_graph.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.mark.parametrize("seed", ["0", "12345"])
def test_two_runs_in_different_processes_are_byte_identical(seed: str, tmp_path: Path, page: Path) -> None:
    again = tmp_path / "again.html"
    env = {**os.environ, "PYTHONHASHSEED": seed}
    cmd = [sys.executable, "-c", _IN_A_FRESH_PROCESS, "export", "--format", "html", "-o", str(again)]
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    assert again.read_bytes() == page.read_bytes()


def test_the_library_gives_the_same_page(page: Path) -> None:
    assert ontodoc.page().encode("utf-8") == page.read_bytes()


# ----------------------------------------------------------------------------- failures


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_an_unwritable_folder_is_one_line_and_leaves_the_old_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "ontology.html"
    out.write_text("the previous page", encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)  # as a read-only folder does, even for root
    code, out_text, err = run("export", "--format", "html", "-o", str(out))
    assert code == 2 and out_text == ""
    assert err.count("\n") == 1
    assert (
        err
        == f"mandate-graph: {out}: cannot write it: permission denied; check the folder's permissions and free space\n"
    )
    assert out.read_text(encoding="utf-8") == "the previous page"
    assert _leftovers(tmp_path) == []


def test_a_write_that_fails_half_way_leaves_no_half_written_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "ontology.html"
    out.write_text("the previous page", encoding="utf-8")

    def disk_full(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    code, _, err = run("export", "--format", "html", "-o", str(out))
    assert code == 2
    assert err.count("\n") == 1 and "no space left on device" in err
    assert out.read_text(encoding="utf-8") == "the previous page"
    assert _leftovers(tmp_path) == []


def test_a_missing_folder_is_reported(tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "ontology.html"
    code, _, err = run("export", "--format", "html", "-o", str(out))
    assert code == 2
    assert err == f"mandate-graph: {out}: output folder does not exist; create it first\n"
    assert not out.parent.exists()


@pytest.mark.parametrize(
    ("extra", "option"),
    [
        (["data"], "FILE|DIR"),
        (["--void", "v.ttl"], "--void"),
        (["--sparql-endpoint", "http://x/"], "--sparql-endpoint"),
    ],
)
def test_dataset_options_do_not_apply_to_the_page(extra: list[str], option: str, tmp_path: Path) -> None:
    out = tmp_path / "ontology.html"
    code, _, err = run("export", "--format", "html", "-o", str(out), *extra)
    assert code == 2
    assert err == f"mandate-graph: export --format html documents the ontology and vocabularies and takes no {option}\n"
    assert not out.exists()


def test_html_is_not_a_dataset_format(tmp_path: Path) -> None:
    data = export.Export([(export.ONTOLOGY_GRAPH, vocabulary_graph())])
    with pytest.raises(ValueError, match="write_html"):
        export.write(data, tmp_path / "x.html", "html")
    assert export.serialize(data, "html") == ontodoc.page()
