from __future__ import annotations

import pytest

from mandate_graph.iris import DEFAULT_BASE, mint, undocs_url


def test_scheme() -> None:
    assert str(mint("A/RES/80/229")) == DEFAULT_BASE + "A/RES/80/229"
    assert str(mint("A/RES/80/229", "zh")) == DEFAULT_BASE + "A/RES/80/229/zh"
    assert str(mint("A/RES/80/229", "para", 78, "mandate", 1)) == DEFAULT_BASE + "A/RES/80/229/para/78/mandate/1"
    assert str(mint("A/RES/80/229", base="https://example.org/id")) == "https://example.org/id/A/RES/80/229"


def test_symbols_with_spaces_and_brackets() -> None:
    assert str(mint("A/RES/2200(XXI)")).endswith("/A/RES/2200(XXI)")
    assert str(mint("A/CONF.234/16")).endswith("/A/CONF.234/16")
    assert str(undocs_url("A/RES/S-32/1")) == "https://undocs.org/A/RES/S-32/1"


@pytest.mark.parametrize("bad", ["", "A/RES/80/229 <script>", "../../etc", "第 46/152 号"])
def test_refuses_what_is_not_a_symbol(bad: str) -> None:
    with pytest.raises(ValueError):
        mint(bad)
