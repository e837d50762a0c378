"""The machine strategies of catauto.testing draw the kind they are named for, with the
alphabets and sizes asked for."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from catauto.automata import DFA, Mealy, Moore
from catauto.testing import dfas, mealys, moores

KINDS = [(dfas, DFA, "dfa"), (moores, Moore, "moore"), (mealys, Mealy, "mealy")]


@given(data=st.data(), partial=st.booleans(), which=st.sampled_from(KINDS))
def test_each_strategy_draws_its_kind(data, partial: bool, which) -> None:
    strategy, cls, kind = which
    m = data.draw(strategy(max_states=4, inputs=("x", "y", "z"), partial=partial))
    assert type(m) is cls and m.kind == kind
    assert tuple(m.inputs) == ("x", "y", "z") and 1 <= m.n_states <= 4
    assert partial or m.is_complete
