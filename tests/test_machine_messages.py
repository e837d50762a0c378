"""A machine refused for a state out of range says which states there are: 0..n-1."""

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
