"""Where the project's data files live: ontology, vocabularies, shapes, queries, patterns.

In a source checkout they are the top-level folders; an installed wheel carries copies
under ``mandate_graph/_data``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CANDIDATES = (_PACKAGE / "_data", _PACKAGE.parent.parent)


def data_dir(name: str) -> Path:
    """Return the folder ``name`` (``ontology``, ``shapes``, ``queries`` or ``data``)."""
    for root in _CANDIDATES:
        path = root / name
        if path.is_dir():
            return path
    raise FileNotFoundError(f"data folder {name!r} not found beside the package")


def patterns_dir() -> Path:
    return _PACKAGE / "patterns"


def bundled_resolution() -> Path:
    """The bundled text of A/RES/80/229 (Chinese)."""
    return data_dir("data") / "A_RES_80_229.zh.txt"
