"""Machines: a state out of range is refused with the states there are, 0..n-1, and words
over more than 256 inputs encode to their indices."""

from __future__ import annotations

import pytest

from catauto import CatautoError
from catauto.automata import DFA, Mealy


@pytest.mark.parametrize("n", [1, 2, 5])
def test_messages_name_the_range_of_states(n: int) -> None:
    delta = [[0, 0] for _ in range(n)]
    delta[n - 1][1] = n
    with pytest.raises(CatautoError, match=rf"= {n} is not a state \(0\.\.{n - 1}\) nor -1"):
        DFA(delta, [False] * n)
    delta[n - 1][1] = -1  # undefined is allowed
    assert DFA(delta, [False] * n).n_states == n
    with pytest.raises(CatautoError, match=rf"initial state {n} is not a state \(0\.\.{n - 1}\)$"):
        Mealy(delta, [[0, 0]] * n, initial=n)
    with pytest.raises(CatautoError, match=r"initial state -1 is not a state"):
        Mealy(delta, [[0, 0]] * n, initial=-1)


@pytest.mark.parametrize("n", [1, 2, 5])
def test_state_index_names_the_range_of_states(n: int) -> None:
    m = Mealy([[0]] * n, [[0]] * n)
    assert m.state_index(n - 1) == n - 1
    for bad in (n, -1, "0"):
        with pytest.raises(
            CatautoError, match=rf"is not a state of this machine \(0\.\.{n - 1}\)$"
        ):
            m.state_index(bad)


@pytest.mark.parametrize("k", [256, 257, 300])
def test_encoding_words_over_hundreds_of_inputs(k: int) -> None:
    """Input indices past 255 do not fit a byte: batches of words over k inputs encode
    to the same indices as word by word."""
    inputs = [("in", j) for j in range(k)]  # not one-character strings
    m = Mealy([[0] * k], [[j % 3 for j in range(k)]], inputs=inputs)
    words = [[inputs[-1], inputs[0]], [inputs[k // 2]], [inputs[-2], inputs[-1], inputs[1]]]
    padded, lengths = m.encode_batch(words)
    assert lengths.tolist() == [2, 1, 3]
    assert [padded[i, :n].tolist() for i, n in enumerate(lengths)] == [
        [k - 1, 0],
        [k // 2],
        [k - 2, k - 1, 1],
    ]
