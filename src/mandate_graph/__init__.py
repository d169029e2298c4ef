"""mandate-graph: United Nations resolutions as a knowledge graph of mandates."""

from mandate_graph.errors import InputError

__version__ = "0.1.0"

__all__ = ["InputError", "__version__"]
