"""Namespaces and the one rule that mints IRIs.

Every IRI the loader creates for a resolution, its parts and the documents it cites is
built here, from the UN document symbol, so that identical input gives identical IRIs.

    <base>A/RES/80/229                      the resolution (the work)
    <base>A/RES/80/229/zh                   its Chinese expression
    <base>A/RES/80/229/para/78              operative paragraph 78
    <base>A/RES/80/229/preamble/3           the third preambular paragraph
    <base>A/RES/80/229/para/78/mandate/1    the first mandate clause of paragraph 78
    <base>A/RES/80/229/zh/footnote/49       footnote 49 of the Chinese expression
    <base>A/RES/80/229/para/78/span/zh      where paragraph 78 sits in the Chinese text
    <base>A/80/157                          a cited document (rdfs:seeAlso its undocs.org page)
"""

from __future__ import annotations

import os
import re
from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

DEFAULT_BASE = "https://w3id.org/mandate-graph/id/"
BASE_ENV = "MANDATE_GRAPH_BASE"


class _Namespace(Namespace):
    """A namespace that makes each of its terms once: the loader asks for the same few
    hundred terms a thousand times per resolution, and making one checks the IRI again."""

    def term(self, name: str) -> URIRef:
        key = (str(self), name)
        found = _TERMS.get(key)
        if found is None:
            found = super().term(name)
            if len(_TERMS) < 50_000:  # vocabulary terms; a bound all the same
                _TERMS[key] = found
        return found


_TERMS: dict[tuple[str, str], URIRef] = {}

MG = _Namespace("https://w3id.org/mandate-graph/ontology#")
VOCAB = "https://w3id.org/mandate-graph/vocab/"
VERB = _Namespace(VOCAB + "verb/")
ACTOR = _Namespace(VOCAB + "actor/")
COND = _Namespace(VOCAB + "condition/")
MOD = _Namespace(VOCAB + "modifier/")
SESSION = _Namespace(VOCAB + "session/")
INSTR = _Namespace(VOCAB + "instrument/")
CHANGE = _Namespace(VOCAB + "change/")
STATUS = _Namespace(VOCAB + "status/")
ELI = _Namespace("http://data.europa.eu/eli/ontology#")
ODRL = _Namespace("http://www.w3.org/ns/odrl/2/")
TIME = _Namespace("http://www.w3.org/2006/time#")
UNDO = _Namespace("https://w3id.org/un/ontology/undo/")
SCHEMA = _Namespace("https://schema.org/")
CITO = _Namespace("http://purl.org/spar/cito/")
SH = _Namespace("http://www.w3.org/ns/shacl#")

PREFIXES: dict[str, Namespace | str] = {
    "mg": MG,
    "verb": VERB,
    "actor": ACTOR,
    "cond": COND,
    "mod": MOD,
    "session": SESSION,
    "instr": INSTR,
    "change": CHANGE,
    "status": STATUS,
    "eli": ELI,
    "odrl": ODRL,
    "time": TIME,
    "undo": UNDO,
    "schema": SCHEMA,
    "cito": CITO,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "sh": SH,
}

UNDOCS = "https://undocs.org/"

_SYMBOL_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./()\- ]*$")


def base_iri(base: str | None = None) -> str:
    """The base for data IRIs: the argument, else $MANDATE_GRAPH_BASE, else the default."""
    value = base or os.environ.get(BASE_ENV) or DEFAULT_BASE
    return value if value.endswith(("/", "#")) else value + "/"


def _path(symbol: str) -> str:
    symbol = symbol.strip()
    if not _SYMBOL_OK.match(symbol):
        raise ValueError(f"not a UN document symbol: {symbol!r}")
    # Spaces inside symbols such as "2200 A (XXI)" are dropped; brackets are kept.
    return quote(symbol.replace(" ", ""), safe="/().-")


def mint(symbol: str, *parts: str | int, base: str | None = None) -> URIRef:
    """The IRI of the document ``symbol`` or of a part of it, e.g. ``mint("A/RES/80/229", "para", 78)``."""
    tail = "".join(f"/{quote(str(p), safe='-')}" for p in parts)
    return URIRef(base_iri(base) + _path(symbol) + tail)


def undocs_url(symbol: str) -> URIRef:
    """The official document page of ``symbol``."""
    return URIRef(UNDOCS + _path(symbol))


def concept(namespace: Namespace, notation: str) -> URIRef:
    return namespace[notation]
