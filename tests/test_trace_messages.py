"""Encoded traces refused for a symbol out of range say which indices there are: 0..k-1."""

from __future__ import annotations

import pytest

from catauto import CatautoError
from catauto.automata.traces import IOTraces, Sample


@pytest.mark.parametrize("k", [1, 2, 5])
def test_out_of_range_symbols_name_the_indices(k: int) -> None:
    inputs = [f"i{j}" for j in range(k)]
    assert Sample.from_arrays([k - 1], [0, 1], [1], inputs).words() == [(inputs[-1],)]
    for bad in (k, -1):
        with pytest.raises(CatautoError, match=rf"^symbols must be indices 0\.\.{k - 1} into"):
            Sample.from_arrays([0, bad], [0, 2], [1], inputs)
        with pytest.raises(CatautoError, match=rf"^out_symbols must be indices 0\.\.{k - 1} "):
            IOTraces.from_arrays([0, 0], [0, bad], [0, 2], "ab", inputs)
