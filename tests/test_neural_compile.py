"""Compiled machines: the neural run equals the symbolic run, for random DFA, Moore and
Mealy machines (complete and partial) and random words."""

import jax
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catauto import CatautoError
from catauto.automata import DFA, Mealy, Moore
from catauto.neural import compile_machine, machine_weights
from catauto.testing import assert_same_semantics, dfas, mealys, moores, symbolic_run, words

INPUTS = ("a", "b", "c")
SIZE = 7  # pad every machine to 7 states (6 + "undefined"): one compilation per kind
B, T = 12, 8


def batch_of(machine, ws):
    """Encode to a fixed shape [B, T] so that every example reuses one compiled run."""
    W = np.zeros((B, T), np.int32)
    lengths = np.zeros(B, np.int64)
    for i, w in enumerate(ws):
        W[i, : len(w)] = machine.encode(w)
        lengths[i] = len(w)
    return W, lengths


WORD_BATCHES = st.lists(words(INPUTS, max_len=T), min_size=B, max_size=B)


@pytest.mark.parametrize("partial", [False, True], ids=["complete", "partial"])
@pytest.mark.parametrize("strategy", [dfas, moores, mealys], ids=["dfa", "moore", "mealy"])
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_compiled_run_equals_symbolic_run(strategy, partial, data):
    m = data.draw(strategy(max_states=6, inputs=INPUTS, partial=partial))
    ws = data.draw(WORD_BATCHES)
    para, params = compile_machine(m, size=SIZE)
    batch = batch_of(m, ws)
    got = np.asarray(para.apply(params, batch))
    np.testing.assert_array_equal(got, symbolic_run(m, batch))


@settings(max_examples=5, deadline=None)
@given(m=mealys(max_states=4, inputs=("x", "y"), partial=True))
def test_assert_same_semantics_on_all_short_words(m):
    para, params = compile_machine(m, size=5)
    assert_same_semantics(m, para, params, max_len=5)


def test_assert_same_semantics_names_the_first_bad_word():
    m = DFA([[1, 0], [0, 1]], accepting=[True, False], inputs="ab")
    other = DFA([[0, 0], [1, 1]], accepting=[True, False], inputs="ab")
    para, params = compile_machine(other)
    with pytest.raises(AssertionError, match=r"first \('a',\): neural True, symbolic False"):
        assert_same_semantics(m, para, params, words=["", "a", "b", "ab"])


def test_assert_same_semantics_ignores_the_padding_after_each_word():
    m = Moore([[1, 0], [0, 1]], [0, 1], 0, "ab", ("x", "y"))

    class PadsWithMinusOne:  # right on every prefix, -1 past each word's end
        def apply(self, params, batch):
            out = np.asarray(symbolic_run(m, batch)).copy()
            out[np.arange(out.shape[1]) > np.asarray(batch[1])[:, None]] = -1
            return out

    assert_same_semantics(m, PadsWithMinusOne(), None, words=[(), ("a",), ("a", "b", "a")])


def test_scores_are_one_hot_and_differentiable():
    m = Mealy([[0, 1], [1, -1]], output=[[0, 1], [1, -1]], inputs="ab", outputs="xy")
    para, params = compile_machine(m, scores=True)
    W, lengths = m.encode_batch(["abb", "ba"])
    s = np.asarray(para.apply(params, (W, lengths)))
    assert s.shape == (2, 3, 2)
    assert set(np.unique(s)) <= {0.0, 1.0}
    assert s[0, 2].sum() == 0 and s[1, 2].sum() == 0  # undefined, and past the end
    g = jax.grad(lambda p: para.apply(p, (W, lengths)).sum())(params)
    assert g["transitions"].shape == params["transitions"].shape


def test_weights_are_transition_matrices():
    m = DFA([[1, -1], [1, 0]], accepting=[False, True], inputs="ab")
    w = machine_weights(m)
    assert w["transitions"].shape == (2, 3, 3)  # partial: a third, "undefined" state
    np.testing.assert_array_equal(w["transitions"].sum(-1), 1.0)  # rows are one-hot
    assert w["transitions"][1, 0, 2] == 1.0  # 0 --b--> undefined
    assert w["start"].tolist() == [1.0, 0.0, 0.0]
    with pytest.raises(CatautoError, match="size 2 < the 3 states"):
        machine_weights(m, size=2)


def test_bad_batch_shape_is_an_error():
    m = DFA([[0]], accepting=[True], inputs="a")
    para, params = compile_machine(m)
    with pytest.raises(CatautoError, match=r"int\[B, T\]"):
        para.apply(params, np.zeros(3, np.int32))


@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_symbol_words_are_encoded_through_the_alphabet(data):
    """Symbols that look like indices ("1" is input 0 here) are still symbols: a list of
    words runs as the symbolic machine reads it."""
    m = data.draw(dfas(max_states=4, inputs=("1", "0")))
    ws = data.draw(st.lists(words(("1", "0"), max_len=4), min_size=1, max_size=4))
    para, params = compile_machine(m, size=5)
    got = para.apply(params, [list(w) for w in ws])
    np.testing.assert_array_equal(np.asarray(got), m.accepts_batch(ws))


def test_digit_symbols_are_not_indices():
    m = DFA([[1, 0], [1, 1]], accepting=[False, True], inputs=("1", "0"))  # contains "1"
    para, params = compile_machine(m)
    assert para.apply(params, [["1"], ["0"], ["0", "1"]]).tolist() == [True, False, True]


@pytest.mark.parametrize(
    ("batch", "match"),
    [
        (np.array([[0, 1, 2]]), r"indices outside 0\.\.1"),
        (np.array([[0, -1]]), r"indices outside 0\.\.1"),
        ((np.array([[1, 1]]), np.array([3])), "from 0 to the row.s width"),
        ((np.array([[1, 1]]), np.array([-1])), "from 0 to the row.s width"),
        ((np.array([[1, 1], [0, 0]]), np.array([1, 2, 2])), "one length per row"),
        ([[0, 1], [1]], "symbol 0 at position 0"),  # a list holds symbols, not indices
        (["ab", "ac"], "symbol 'c' at position 1"),
        ((["ab"], np.array([2])), "lengths go with a padded int array"),
    ],
)
def test_bad_batches_are_refused_like_the_symbolic_run(batch, match):
    m = DFA([[1, 0], [0, 1]], accepting=[True, False], inputs="ab")
    para, params = compile_machine(m)
    with pytest.raises(CatautoError, match=match):
        para.apply(params, batch)


def test_a_complete_mealy_refuses_indices_outside_its_inputs():
    m = Mealy([[0, 1], [1, 0]], output=[[0, 1], [1, 0]], inputs="ab", outputs="xy")
    para, params = compile_machine(m)
    with pytest.raises(CatautoError, match=r"indices outside 0\.\.1"):
        para.apply(params, np.array([[0, 5, 1]]))
    assert para.apply(params, [["a", "b", "b"]]).tolist() == [[0, 1, 0]]


def test_traced_batches_run_unchecked_and_non_machines_are_refused():
    m = DFA([[1, 0], [0, 1]], accepting=[True, False], inputs="ab")
    para, params = compile_machine(m)
    W = np.array([[0, 1], [0, 0]])
    assert jax.jit(para.apply)(params, W).tolist() == para.apply(params, W).tolist()
    with pytest.raises(CatautoError, match="expected a DFA, Moore or Mealy"):
        compile_machine("x")
