"""Inference: what is entailed, and where it is computed.

An OWL-RL closure over a whole data graph is slow (seconds for ten thousand triples,
minutes for a hundred thousand) and almost all of what it adds is noise for our questions.
What the named queries need is entailed by the ontology and the vocabularies alone: the
actor hierarchy (``mg:withinActor``, the transitive closure of ``mg:partOfActor`` and
``mg:subsetOfActor``), super-classes of verbs, conditions and actors. So the closure is
computed once over ontology + vocabularies (about 1,400 triples, about 1.5 s), cached on
disk keyed by the content of those files, and added to the data graph as it is. Data
triples are never rewritten.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import owlrl
from rdflib import Graph, Literal

from mandate_graph.vocab import vocabulary_files, vocabulary_graph


def _cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "mandate-graph"


def _fingerprint() -> str:
    h = hashlib.sha256(owlrl.__version__.encode() if hasattr(owlrl, "__version__") else b"")
    for path in vocabulary_files():
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def compute_closure() -> Graph:
    """OWL-RL closure of the ontology and the vocabularies (no cache)."""
    g = vocabulary_graph()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(g)
    # OWL-RL also derives statements about literals ("urges"@en owl:sameAs "urges"@en),
    # which RDF cannot hold: N-Triples cannot write them, so the cache could not be read back
    for t in [t for t in g if isinstance(t[0], Literal)]:
        g.remove(t)
    return g


@functools.cache
def vocabulary_closure() -> Graph:
    """The ontology, the vocabularies and everything OWL-RL entails from them."""
    path = _cache_dir() / f"closure-{_fingerprint()}.nt"
    if path.exists():
        try:
            return Graph().parse(path, format="nt")
        except Exception:  # a damaged cache file is recomputed
            path.unlink(missing_ok=True)
    g = compute_closure()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        g.serialize(tmp, format="nt", encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # no writable cache: compute every time
    return g


def with_inference(data: Graph) -> Graph:
    """``data`` plus the entailments of ontology and vocabularies, as a new graph."""
    out = Graph()
    for t in vocabulary_closure():
        out.add(t)
    for t in data:
        out.add(t)
    for prefix, ns in data.namespaces():
        out.bind(prefix, ns, override=True)
    return out
