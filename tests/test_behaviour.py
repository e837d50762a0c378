"""The final-coalgebra view of Moore and Mealy machines (issue 18, item 4): the behaviour
of any state is the unique coalgebra map into the final coalgebra (its square holds at
every state), means the machine run from that state, and two behaviours are equal
exactly when partition refinement calls the states bisimilar."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catauto import CatautoError
from catauto.coalgebra import Behaviour, Coalgebra, behaviour, bisimilar
from catauto.functor import Layer, MooreF, StreamF
from catauto.testing import mealys, moores, words

MACHINES = st.one_of(moores(max_states=5), mealys(max_states=5))


def _output_after(m, q, word):
    """The reference: the machine rebuilt with initial state q, run on the word."""
    return m.with_tables(m.delta, m.output, q).transduce(word)[-1]


@settings(max_examples=40)
@given(m=MACHINES)
def test_behaviour_is_a_coalgebra_map_into_the_final_coalgebra(m):
    """Eqs 5-6: observe(beh(q)) = F(beh)(coalg(q)) at every state q."""
    c = m.coalgebra()
    for q in range(m.n_states):
        b = behaviour(m, q)
        layer, seen = c(q), b.observe()
        assert seen.con == layer.con and seen.label == layer.label == b.output
        for a, kid, next_b in zip(m.inputs, layer.kids, seen.kids, strict=True):
            assert next_b == behaviour(m, kid) == b.step(a)


@settings(max_examples=40)
@given(m=MACHINES, data=st.data())
def test_behaviour_means_the_run_from_that_state(m, data):
    q = data.draw(st.integers(0, m.n_states - 1))
    word = data.draw(words(m.inputs, max_len=6, min_len=1))
    assert behaviour(m, q)(word) == _output_after(m, q, word)
    if m.kind == "moore":
        assert behaviour(m, q)(()) == m.outputs[m.output[q]]
    assert behaviour(m, q).after(word) == behaviour(m, m.run(word, state=q))


@settings(max_examples=40)
@given(m=MACHINES)
def test_equal_behaviours_are_bisimilar_states(m):
    labels = m.output
    for p in range(m.n_states):
        for q in range(m.n_states):
            same = behaviour(m, p) == behaviour(m, q)
            assert same == bisimilar(m.delta, labels, p, q)
    assert behaviour(m) == behaviour(m.minimize())  # the semantics of the initial state


@settings(max_examples=20)
@given(m=st.one_of(moores(max_states=4, partial=True), mealys(max_states=4, partial=True)))
def test_partial_machines_leave_the_behaviour_undefined(m):
    for q in range(m.n_states):
        b = behaviour(m, q)
        for i, a in enumerate(m.inputs):
            if m.delta[q, i] < 0:
                assert b.step(a) is None and b.after((a, a)) is None
                assert b((a, a)) is None
            else:
                assert b.step(a) == behaviour(m, int(m.delta[q, i]))


def test_behaviour_errors():
    parity = Coalgebra(MooreF(("a",), (0, 1)), lambda q: Layer("moore", q, (1 - q,)))
    with pytest.raises(CatautoError, match="initial state"):
        behaviour(parity)
    b = behaviour(parity, 0, ("a",))
    assert isinstance(b, Behaviour) and b(("a",)) == 1
    with pytest.raises(CatautoError, match="not in"):
        b.step("b")
    with pytest.raises(CatautoError, match="MooreF or MealyF"):
        behaviour(Coalgebra(StreamF(), lambda q: Layer("cons", q, (q,))), 0)
