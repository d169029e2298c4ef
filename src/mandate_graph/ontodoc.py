"""The ontology and its vocabularies as one HTML page people can read.

One self-contained page (the style inline, no script, nothing fetched when it is read):
the ontology's metadata; a table of contents; every class and property of the ontology with
its labels in every language, definition, comments, domain, range, super- and sub-terms and
the terms of other vocabularies it is aligned to; those alignments in one table; every SKOS
concept scheme with its concepts, their labels, definitions, hierarchy and data; and the
prefixes used.

Every section's id is derived from the IRI it describes, so a link to a term can land on
its section of the page: the fragment of a term of the ontology, else the path below the
project root.

    https://w3id.org/mandate-graph/ontology#Mandate     → #Mandate
    https://w3id.org/mandate-graph/ontology             → #ontology
    https://w3id.org/mandate-graph/vocab/actor          → #vocab/actor
    https://w3id.org/mandate-graph/vocab/actor/unodc    → #vocab/actor/unodc

The page is built from the graph alone and every list on it is sorted, so the same ontology
gives the same bytes. It is well-formed XML as well as HTML, so an XML parser can check it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import escape

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from mandate_graph.iris import MG, VOCAB

ROOT = VOCAB.removesuffix("vocab/")  # https://w3id.org/mandate-graph/, above the ontology and the vocabularies
ONTOLOGY = URIRef(str(MG).rstrip("#"))
LANGUAGES = ("en", "zh")  # shown first, in this order; other languages follow, sorted
VANN = "http://purl.org/vocab/vann/"

KINDS = (
    ("classes", "Classes", OWL.Class),
    ("object-properties", "Object properties", OWL.ObjectProperty),
    ("datatype-properties", "Datatype properties", OWL.DatatypeProperty),
    ("annotation-properties", "Annotation properties", OWL.AnnotationProperty),
)
ALIGNING = (  # statements that tie a term of the ontology to a term of another vocabulary
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    OWL.equivalentClass,
    OWL.equivalentProperty,
    RDFS.seeAlso,
)


def anchor(iri: str) -> str | None:
    """The id of the section describing ``iri``: its fragment in the ontology's namespace,
    else its path below the project root; None for IRIs outside the project."""
    if iri.startswith(str(MG)):
        return iri[len(str(MG)) :] or None
    if iri.startswith(ROOT):
        return iri[len(ROOT) :].strip("/") or None
    return None


@dataclass
class Contents:
    """What the page documents, in page order."""

    ontology: URIRef
    terms: dict[URIRef, list[URIRef]] = field(default_factory=dict)  # owl:Class … → the ontology's terms
    schemes: list[tuple[URIRef, list[URIRef]]] = field(default_factory=list)  # scheme → its concepts
    depth: dict[URIRef, int] = field(default_factory=dict)  # of a concept below its scheme's top concepts

    @property
    def concepts(self) -> list[URIRef]:
        return [c for _, members in self.schemes for c in members]


def contents(g: Graph) -> Contents:
    """The ontology's classes and properties and the concept schemes with their concepts."""
    ontologies = sorted(s for s in g.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef))
    if not ontologies:
        raise ValueError("the graph holds no owl:Ontology")
    ontology = ONTOLOGY if ONTOLOGY in ontologies else ontologies[0]
    found = Contents(ontology)
    placed: set[URIRef] = set()
    for _, _, kind in KINDS:
        own = {t for t in g.subjects(RDF.type, kind) if isinstance(t, URIRef) and _own(g, t, ontology)}
        found.terms[kind] = sorted(own - placed, key=_term_key)
        placed |= own
    for scheme in sorted(s for s in g.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)):
        members = {c for p in (SKOS.inScheme, SKOS.topConceptOf) for c in g.subjects(p, scheme)}
        members |= set(g.objects(scheme, SKOS.hasTopConcept))
        members = {c for c in members if isinstance(c, URIRef)} - placed  # a concept is described once
        found.schemes.append((scheme, _hierarchy(g, members, found.depth)))
        placed |= members
    return found


def _own(g: Graph, term: URIRef, ontology: URIRef) -> bool:
    return str(term).startswith(str(MG)) or (term, RDFS.isDefinedBy, ontology) in g


def _term_key(term: URIRef) -> tuple[str, str]:
    name = anchor(str(term)) or str(term)
    return name.casefold(), name


def _natural(text: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key that puts session 9 before session 10."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.casefold()) for part in re.split(r"(\d+)", text))


def _notation(g: Graph, c: Node) -> str | None:
    found = sorted(str(n) for n in g.objects(c, SKOS.notation))
    return found[0] if found else None


def _concept_key(g: Graph, c: URIRef) -> tuple[tuple[tuple[int, int, str], ...], str]:
    name = _notation(g, c) or _first(_literals(g, c, SKOS.prefLabel)) or c
    return _natural(str(name)), str(c)


def _hierarchy(g: Graph, members: set[URIRef], depth: dict[URIRef, int]) -> list[URIRef]:
    """``members`` depth-first from the top concepts, siblings by notation (or label); the
    depth of each is recorded in ``depth``."""

    def key(c: URIRef) -> tuple[tuple[tuple[int, int, str], ...], str]:
        return _concept_key(g, c)

    children: dict[URIRef, set[URIRef]] = {}
    has_parent: set[URIRef] = set()
    for c in members:
        parents = {p for p in g.objects(c, SKOS.broader) if p in members}
        parents |= {p for p in g.subjects(SKOS.narrower, c) if p in members}
        for p in parents:
            children.setdefault(p, set()).add(c)  # type: ignore[arg-type]
        if parents:
            has_parent.add(c)
    order: list[URIRef] = []
    seen: set[URIRef] = set()

    def visit(c: URIRef, level: int) -> None:
        if c in seen:
            return
        seen.add(c)
        order.append(c)
        depth[c] = level
        for child in sorted(children.get(c, ()), key=key):
            visit(child, level + 1)

    for top in sorted(members - has_parent, key=key):
        visit(top, 0)
    for rest in sorted(members - seen, key=key):  # cycles in skos:broader
        visit(rest, 0)
    return order


def _literals(g: Graph, subject: Node, predicate: URIRef) -> list[Literal]:
    return sorted((o for o in g.objects(subject, predicate) if isinstance(o, Literal)), key=_literal_key)


def _literal_key(lit: Literal) -> tuple[int, str, str]:
    lang = lit.language or ""
    rank = LANGUAGES.index(lang) if lang in LANGUAGES else len(LANGUAGES)
    return rank, lang, str(lit)


def _first(items: list[Literal]) -> Literal | None:
    return items[0] if items else None


# ----------------------------------------------------------------------------- the page

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","PingFang SC",
"Microsoft YaHei",sans-serif;line-height:1.5;max-width:62rem;margin:0 auto;padding:1rem 1.5rem;color:#1b1b1b}
:lang(zh){font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
h1 span[lang],h2 span[lang],h3 span[lang],h4 span[lang]{margin-right:.6em}
h3,h4{margin:.2rem 0}
section.term,div.concept{border-top:1px solid #ddd;margin-top:1rem;padding-top:.4rem}
section.scheme{margin-top:2rem}
div.depth-1{margin-left:1.5rem}
div.depth-2{margin-left:3rem}
div.depth-3{margin-left:4.5rem}
dl{display:grid;grid-template-columns:11rem 1fr;gap:.15rem 1rem;margin:.4rem 0}
dt{font-weight:600;color:#444}
dd{margin:0}
dd p{margin:0 0 .3rem}
ul.values{margin:0;padding:0;list-style:none}
p.iri{margin:0;color:#555;font-size:.9em;overflow-wrap:anywhere}
a.self{color:#999;text-decoration:none}
nav ul{margin:.2rem 0}
ul.index{columns:14rem;padding-left:1rem}
p.index{font-size:.9em}
table{border-collapse:collapse;font-size:.95em}
td,th{border-bottom:1px solid #e4e4e4;padding:.2rem .8rem .2rem 0;text-align:left;vertical-align:top}
:target{background:#fff6cc}
"""


class _Page:
    def __init__(self, g: Graph, found: Contents) -> None:
        self.g = g
        self.found = found
        self.ids: dict[Node, str] = {found.ontology: anchor(str(found.ontology)) or "ontology"}
        for members in found.terms.values():
            for t in members:
                self.ids[t] = anchor(str(t)) or _unreachable(t)
        for scheme, members in found.schemes:
            self.ids[scheme] = anchor(str(scheme)) or _unreachable(scheme)
            for c in members:
                self.ids[c] = anchor(str(c)) or _unreachable(c)
        self.own: set[Node] = {t for members in found.terms.values() for t in members}
        self.scheme_of: dict[Node, URIRef] = {c: s for s, members in found.schemes for c in members}
        self.scheme_iris = {s for s, _ in found.schemes}
        self.prefixes = sorted(
            ((p, str(ns)) for p, ns in g.namespaces() if p and not re.fullmatch(r"ns\d+|_.*", p)),
            key=lambda item: (-len(item[1]), item[0]),
        )
        self.used: set[tuple[str, str]] = set()

    # ------------------------------------------------------------------ small pieces

    def curie(self, iri: str) -> str:
        for prefix, ns in self.prefixes:
            rest = iri[len(ns) :]
            if iri.startswith(ns) and rest and not re.search(r"[/#?\s]", rest):
                self.used.add((prefix, ns))
                return f"{prefix}:{rest}"
        return iri

    def label(self, node: Node) -> Literal | None:
        for p in (RDFS.label, SKOS.prefLabel, DCTERMS.title):
            found = _first(_literals(self.g, node, p))
            if found is not None:
                return found
        return None

    def labels(self, node: Node, *predicates: URIRef) -> str:
        """The labels of ``node``, one span per language."""
        lits = [lit for p in predicates for lit in _literals(self.g, node, p)]
        return " ".join(_lit(lit) for lit in sorted(set(lits), key=_literal_key))

    def ref(self, node: Node) -> str:
        """A link to ``node``: its section on this page, or its IRI."""
        if isinstance(node, Literal):
            if node.language or node.datatype is None:
                return _lit(node)
            kind = escape(self.curie(str(node.datatype)))
            return f'{escape(str(node))} <small title="{escape(str(node.datatype))}">{kind}</small>'
        if isinstance(node, BNode):
            return self.blank(node)
        iri = str(node)
        if node in self.ids:
            if node in self.scheme_of or node in self.scheme_iris:
                text = self.label(node)
                shown = _lit(text) if text is not None else escape(self.curie(iri))
                return f'<a href="#{escape(self.ids[node])}" title="{escape(self.curie(iri))}">{shown}</a>'
            return f'<a href="#{escape(self.ids[node])}"><code>{escape(self.curie(iri))}</code></a>'
        return f'<a href="{escape(iri)}"><code>{escape(self.curie(iri))}</code></a>'

    def blank(self, node: BNode, depth: int = 0) -> str:
        items = list(self.g.items(node)) if (node, RDF.first, None) in self.g else None
        if items is not None:
            return "( " + " ".join(self.ref(i) for i in items) + " )"
        if depth > 3:
            return "[ … ]"
        parts = sorted(
            f"{self.ref(p)} {self.blank(o, depth + 1) if isinstance(o, BNode) else self.ref(o)}"
            for p, o in self.g.predicate_objects(node)
        )
        return "[ " + " ; ".join(parts) + " ]"

    def values(self, nodes: Iterable[Node]) -> str:
        rendered = sorted({self.ref(n) for n in nodes})
        if len(rendered) <= 1:
            return "".join(rendered)
        return '<ul class="values">' + "".join(f"<li>{r}</li>" for r in rendered) + "</ul>"

    def iri_line(self, node: URIRef) -> str:
        iri = str(node)
        own = self.ids[node]
        short = self.curie(iri)
        curie = f"<code>{escape(short)}</code> · " if short != iri else ""
        return (
            f'<p class="iri">{curie}<a href="{escape(iri)}">{escape(iri)}</a> '
            f'<a class="self" href="#{escape(own)}" title="link to this section">¶</a></p>'
        )

    @staticmethod
    def row(term: str, value: str) -> str:
        return f"<dt>{escape(term)}</dt><dd>{value}</dd>\n" if value else ""

    def texts(self, node: Node, predicate: URIRef) -> str:
        return "".join(f"<p{_lang_attr(lit)}>{escape(str(lit))}</p>" for lit in _literals(self.g, node, predicate))

    def others(self, node: Node, handled: set[URIRef]) -> str:
        """Rows for every statement about ``node`` the page has not shown yet."""
        out = []
        predicates = sorted({p for p in self.g.predicates(node) if p not in handled}, key=str)
        for p in predicates:
            name = self.label(p)
            term = str(name) if name is not None and name.language in (None, "en") else self.curie(str(p))
            head = f'<a href="#{escape(self.ids[p])}">{escape(term)}</a>' if p in self.ids else escape(term)
            value = self.values(self.g.objects(node, p))
            out.append(f'<dt title="{escape(self.curie(str(p)))}">{head}</dt><dd>{value}</dd>\n')
        return "".join(out)

    # ------------------------------------------------------------------ sections

    def render(self) -> str:
        body = [self.header(), self.toc()]
        for key, title, kind in KINDS:
            members = self.found.terms[kind]
            if members:
                body.append(f'<section id="{key}"><h2>{title}</h2>\n')
                body.extend(self.term(t, kind) for t in members)
                body.append("</section>\n")
        body.append(self.alignments())
        body.append(self.vocabularies())
        body.append(self.namespaces())  # last: lists the prefixes the sections above used
        ids = re.findall(r' id="([^"]*)"', "".join(body))
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"two sections would share the id {duplicates[0]!r}")
        title = self.label(self.found.ontology)
        titles = " — ".join(str(t) for t in _literals(self.g, self.found.ontology, DCTERMS.title)) or str(title or "")
        head = (
            '<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" lang="en">\n<head>\n'
            '<meta charset="utf-8"/>\n<meta name="viewport" content="width=device-width, initial-scale=1"/>\n'
            f"<title>{escape(titles)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        )
        return head + "".join(body) + "</body>\n</html>\n"

    def header(self) -> str:
        g, onto = self.g, self.found.ontology
        handled = {
            RDF.type,
            DCTERMS.title,
            DCTERMS.description,
            DCTERMS.license,
            OWL.versionInfo,
            OWL.versionIRI,
            OWL.imports,
            URIRef(VANN + "preferredNamespacePrefix"),
            URIRef(VANN + "preferredNamespaceUri"),
        }
        namespace = g.value(onto, URIRef(VANN + "preferredNamespaceUri"))
        prefix = g.value(onto, URIRef(VANN + "preferredNamespacePrefix"))
        rows = [
            self.row("IRI", f'<a href="{escape(str(onto))}">{escape(str(onto))}</a>'),
            self.row("Version", self.values(g.objects(onto, OWL.versionInfo))),
            self.row("Version IRI", self.values(g.objects(onto, OWL.versionIRI))),
            self.row("Licence", self.values(g.objects(onto, DCTERMS.license))),
            self.row(
                "Namespace",
                (f"<code>{escape(str(prefix))}:</code> " if prefix is not None else "")
                + (f"<code>{escape(str(namespace))}</code>" if namespace is not None else ""),
            ),
            self.row("Imports", self.values(g.objects(onto, OWL.imports))),
            self.row("Description", self.texts(onto, DCTERMS.description)),
            self.row("Aligned with", self.aligned_namespaces()),
            self.others(onto, handled),
            self.row(
                "Anchors",
                "Each section's id is derived from the IRI it describes: the fragment of a term "
                f"(<code>{escape(str(MG))}Mandate</code> → <code>#Mandate</code>), the path below "
                f"<code>{escape(ROOT)}</code> for the vocabularies and their concepts "
                f"(<code>{escape(VOCAB)}actor/unodc</code> → <code>#vocab/actor/unodc</code>).",
            ),
        ]
        return (
            f'<header id="{escape(self.ids[onto])}"><h1>{self.labels(onto, DCTERMS.title) or escape(str(onto))}</h1>'
            f"<dl>\n{''.join(rows)}</dl></header>\n"
        )

    def toc(self) -> str:
        parts = ['<nav id="contents"><h2>Contents</h2><ul>']
        for key, title, kind in KINDS:
            members = self.found.terms[kind]
            if not members:
                continue
            links = "".join(f"<li>{self.ref(t)} {self.labels(t, RDFS.label)}</li>\n" for t in members)
            parts.append(f'<li><a href="#{key}">{title}</a> ({len(members)})<ul class="index">{links}</ul></li>')
        parts.append('<li><a href="#alignments">Alignments</a></li>')
        schemes = "".join(f"<li>{self.ref(s)} ({len(members)} concepts)</li>" for s, members in self.found.schemes)
        parts.append(f'<li><a href="#vocabularies">Vocabularies</a> ({len(self.found.schemes)})<ul>{schemes}</ul></li>')
        parts.append('<li><a href="#namespaces">Namespaces</a></li></ul></nav>\n')
        return "".join(parts)

    def term(self, t: URIRef, kind: URIRef) -> str:
        g, own = self.g, self.own
        handled = {
            RDF.type,
            RDFS.label,
            SKOS.definition,
            RDFS.comment,
            RDFS.isDefinedBy,
            RDFS.subClassOf,
            RDFS.subPropertyOf,
            RDFS.domain,
            RDFS.range,
            OWL.inverseOf,
            OWL.disjointWith,
            OWL.equivalentClass,
            OWL.equivalentProperty,
        }
        types = [k for k in g.objects(t, RDF.type) if k != kind]
        inverse = set(g.objects(t, OWL.inverseOf)) | set(g.subjects(OWL.inverseOf, t))
        disjoint = set(g.objects(t, OWL.disjointWith)) | set(g.subjects(OWL.disjointWith, t))
        equivalent = {
            x for p in (OWL.equivalentClass, OWL.equivalentProperty) for x in (*g.objects(t, p), *g.subjects(p, t))
        }
        rows = [
            self.row("Definition", self.texts(t, SKOS.definition)),
            self.row("Comment", self.texts(t, RDFS.comment)),
            self.row("Also a", self.values(types)),
            self.row("Subclass of", self.values(g.objects(t, RDFS.subClassOf))),
            self.row("Subclasses", self.values(s for s in g.subjects(RDFS.subClassOf, t) if s in own)),
            self.row("Subproperty of", self.values(g.objects(t, RDFS.subPropertyOf))),
            self.row("Subproperties", self.values(s for s in g.subjects(RDFS.subPropertyOf, t) if s in own)),
            self.row("Domain", self.values(g.objects(t, RDFS.domain))),
            self.row("Range", self.values(g.objects(t, RDFS.range))),
            self.row("Inverse of", self.values(inverse)),
            self.row("Disjoint with", self.values(disjoint)),
            self.row("Equivalent to", self.values(equivalent)),
            self.row("Domain of", self.values(p for p in g.subjects(RDFS.domain, t) if p in own)),
            self.row("Range of", self.values(p for p in g.subjects(RDFS.range, t) if p in own)),
            self.row("Instances", self.instances(t)),
            self.others(t, handled),
            self.row("Defined by", self.values(set(g.objects(t, RDFS.isDefinedBy)) - {self.found.ontology})),
        ]
        return (
            f'<section class="term" id="{escape(self.ids[t])}"><h3>{self.labels(t, RDFS.label)}</h3>'
            f"{self.iri_line(t)}<dl>\n{''.join(rows)}</dl></section>\n"
        )

    def instances(self, cls: URIRef) -> str:
        """The concepts of the vocabularies that are instances of ``cls``, counted per scheme."""
        counts: dict[URIRef, int] = {}
        for c in self.g.subjects(RDF.type, cls):
            scheme = self.scheme_of.get(c)
            if scheme is not None:
                counts[scheme] = counts.get(scheme, 0) + 1
        return ", ".join(f"{n} in {self.ref(s)}" for s, n in sorted(counts.items(), key=lambda item: str(item[0])))

    def alignment_edges(self) -> Iterator[tuple[URIRef, URIRef, URIRef]]:
        """(term of the ontology, predicate, term of another vocabulary) for every alignment."""
        for members in self.found.terms.values():
            for t in members:
                for p in ALIGNING:
                    for x in self.g.objects(t, p):
                        if isinstance(x, URIRef) and x not in self.ids:
                            yield t, p, x

    def aligned_namespaces(self) -> str:
        prefixes = sorted({self.curie(str(x)).split(":", 1)[0] for _, _, x in self.alignment_edges()})
        if not prefixes:
            return ""
        return ", ".join(f"<code>{escape(p)}</code>" for p in prefixes) + ' (<a href="#alignments">table</a>)'

    def alignments(self) -> str:
        edges = sorted(self.alignment_edges(), key=lambda e: (self.curie(str(e[2])), str(e[1]), str(e[0])))
        rows = "".join(
            f"<tr><td>{self.ref(t)}</td><td>{self.ref(p)}</td><td>{self.ref(x)}</td></tr>\n" for t, p, x in edges
        )
        aligned = {x for _, _, x in edges}
        declared = {
            x
            for _, _, kind in KINDS
            for x in self.g.subjects(RDF.type, kind)
            if isinstance(x, URIRef) and x not in self.ids and x not in aligned
        }
        also = ""
        if declared:
            listed = ", ".join(sorted((self.ref(x) for x in declared), key=lambda r: re.sub(r"<[^>]*>", "", r)))
            also = f"<p>Also declared, for use in annotations and data: {listed}.</p>"
        return (
            '<section id="alignments"><h2>Alignments</h2>'
            "<p>How the ontology's terms relate to terms of other vocabularies. Those terms are declared, "
            "not redefined: their documentation is at their IRIs.</p>"
            "<table><tr><th>term</th><th>relation</th><th>term of another vocabulary</th></tr>"
            f"{rows}</table>{also}</section>\n"
        )

    def vocabularies(self) -> str:
        parts = [
            '<section id="vocabularies"><h2>Vocabularies</h2>'
            "<p>SKOS concept schemes: the verbs, actors, conditions, sessions and other values the "
            "mandates refer to. Their labels are also the forms the parser reads in texts.</p>\n"
        ]
        for scheme, members in self.found.schemes:
            handled = {RDF.type, DCTERMS.title, SKOS.prefLabel, SKOS.definition, SKOS.hasTopConcept}
            index = " · ".join(
                f'<a href="#{escape(self.ids[c])}">{escape(_notation(self.g, c) or self.ids[c])}</a>'
                for c in sorted(members, key=lambda c: _concept_key(self.g, c))
            )
            rows = [
                self.row("Definition", self.texts(scheme, SKOS.definition)),
                self.row("Concepts", f'{len(members)}<p class="index">{index}</p>' if members else "0"),
                self.others(scheme, handled),
            ]
            parts.append(
                f'<section class="scheme" id="{escape(self.ids[scheme])}">'
                f"<h3>{self.labels(scheme, DCTERMS.title, SKOS.prefLabel) or escape(self.curie(str(scheme)))}</h3>"
                f"{self.iri_line(scheme)}<dl>\n{''.join(rows)}</dl>\n"
            )
            parts.extend(self.concept(c) for c in members)
            parts.append("</section>\n")
        parts.append("</section>\n")
        return "".join(parts)

    def concept(self, c: URIRef) -> str:
        g = self.g
        handled = {
            RDF.type,
            SKOS.prefLabel,
            SKOS.altLabel,
            SKOS.definition,
            SKOS.notation,
            SKOS.inScheme,
            SKOS.topConceptOf,
            SKOS.broader,
            SKOS.narrower,
        }
        alt = _literals(g, c, SKOS.altLabel)
        by_lang: dict[str, list[Literal]] = {}
        for lit in alt:
            by_lang.setdefault(lit.language or "", []).append(lit)
        alt_html = "".join(
            f"<p{_lang_attr(lits[0])}>{escape(', '.join(str(x) for x in lits))}</p>" for lits in by_lang.values()
        )
        narrower = set(g.subjects(SKOS.broader, c)) | set(g.objects(c, SKOS.narrower))
        broader = set(g.objects(c, SKOS.broader)) | set(g.subjects(SKOS.narrower, c))
        schemes = set(g.objects(c, SKOS.inScheme)) - {self.scheme_of[c]}
        rows = [
            self.row("Notation", self.values(g.objects(c, SKOS.notation))),
            self.row("Definition", self.texts(c, SKOS.definition)),
            self.row("Alternative labels", alt_html),
            self.row("Broader", self.values(broader)),
            self.row("Narrower", self.values(narrower)),
            self.row("Also a", self.values(k for k in g.objects(c, RDF.type) if k != SKOS.Concept)),
            self.row("Also in", self.values(schemes)),
            self.others(c, handled),
        ]
        depth = min(self.found.depth.get(c, 0), 3)
        return (
            f'<div class="concept depth-{depth}" id="{escape(self.ids[c])}"><h4>{self.labels(c, SKOS.prefLabel)}</h4>'
            f"{self.iri_line(c)}<dl>\n{''.join(rows)}</dl></div>\n"
        )

    def namespaces(self) -> str:
        rows = "".join(
            f"<tr><td><code>{escape(p)}:</code></td><td><code>{escape(ns)}</code></td></tr>\n"
            for p, ns in sorted(self.used)
        )
        return f'<section id="namespaces"><h2>Namespaces</h2><table>\n{rows}</table></section>\n'


def _unreachable(node: Node) -> str:
    raise ValueError(f"{node} is outside {ROOT}: no anchor can be derived from its IRI")


def _lang_attr(lit: Literal) -> str:
    return f' lang="{escape(lit.language)}"' if lit.language else ""


def _lit(lit: Literal) -> str:
    return f"<span{_lang_attr(lit)}>{escape(str(lit))}</span>"


def render(g: Graph, found: Contents | None = None) -> str:
    """The HTML page documenting the ontology and vocabularies in ``g``."""
    return _Page(g, found or contents(g)).render()


def page(g: Graph | None = None) -> str:
    """The page for the project's ontology and vocabularies (or for ``g``)."""
    if g is None:
        from mandate_graph.vocab import vocabulary_graph

        g = vocabulary_graph()
    return render(g)
