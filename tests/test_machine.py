"""Machines as tables: construction, validation, runs, batched runs, the coalgebra view."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catauto import CatautoError
from catauto.automata import DFA, Mealy, Moore
from catauto.functor import Layer
from strategies_machines import dfas, machines, mealys, moores

SLOW_OK = [HealthCheck.too_slow, HealthCheck.filter_too_much]


def random_words(m, data, max_len: int = 8, max_words: int = 12) -> list[list]:
    return data.draw(
        st.lists(st.lists(st.sampled_from(m.inputs), max_size=max_len), max_size=max_words)
    )


# -- construction and validation ------------------------------------------------------


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: DFA([[0, 2]], [True]), r"delta\[0, 1\] = 2 is not a state"),
        (lambda: DFA([[0, -2]], [True]), r"delta\[0, 1\] = -2"),
        (lambda: DFA([[0]], [True], initial=3), "initial state 3"),
        (lambda: DFA([[0]], [True], initial="s0"), "initial state must be an int, got 's0'"),
        (lambda: DFA([[0], [0]], [True]), r"accepting has shape \(2,\), one entry per state"),
        (lambda: DFA([[0, 0]], [True], inputs=[[1], 2]), r"input symbol \[1\] is not hashable"),
        (lambda: DFA([[0]], [2]), "accepting must be a boolean"),
        (lambda: DFA([[0, 0]], [True], inputs="a"), "input alphabet has 1 symbols"),
        (lambda: DFA([[0, 0]], [True], inputs="aa"), "repeats the symbol 'a'"),
        (lambda: DFA(np.zeros((0, 1), int), np.zeros(0, bool)), "non-empty 2-d"),
        (lambda: DFA([[0.5]], [True]), "must hold integers"),
        (lambda: Moore([[0]], [[0]]), r"Moore output table has shape \(1,\)"),
        (lambda: Moore([[0]], [1], outputs=["x"]), r"output\[0\] = 1 is not an output"),
        (lambda: Mealy([[0]], [0]), "Mealy output table"),
        (
            lambda: Mealy([[0, 0]], [[0, 3]], inputs="ab", outputs="xy"),
            r"output\[0, 1\] = 3 .* on 'b'",
        ),
    ],
)
def test_malformed_tables_are_named(build, message: str) -> None:
    with pytest.raises(CatautoError, match=message):
        build()


def test_errors_are_value_errors_and_catauto_errors() -> None:
    with pytest.raises(ValueError):
        DFA([[5]], [True])


def test_from_transitions_names_states_and_symbols() -> None:
    m = DFA.from_transitions([("s", "a", "t"), ("t", "a", "s")], accepting={"t"}, initial="s")
    assert m.n_states == 2 and m.accepts("a") and not m.accepts("aa")
    with pytest.raises(CatautoError, match="state 's' has two transitions on 'a'"):
        DFA.from_transitions([("s", "a", "t"), ("s", "a", "s")], accepting=(), initial="s")
    with pytest.raises(CatautoError, match="input 'z' of transition 's' -> 't'"):
        DFA.from_transitions([("s", "z", "t")], accepting=(), initial="s", inputs="a")
    with pytest.raises(CatautoError, match="state 'u' has no output"):
        Moore.from_transitions([("s", "a", "u")], outputs={"s": 1}, initial="s")
    with pytest.raises(CatautoError, match="output 'z' of state 'u' is not in the outputs"):
        Moore.from_transitions(
            [("s", "a", "u")], outputs={"s": "x", "u": "z"}, initial="s", output_alphabet="xy"
        )
    with pytest.raises(CatautoError, match="state 0 on 'a': expected a pair"):
        Mealy.from_dict({0: {"a": "x"}}, initial=0)


def test_from_dict_for_each_kind() -> None:
    mealy = Mealy.from_dict({0: {"a": ("x", 1)}, 1: {"a": ("y", 0)}}, initial=0)
    assert mealy.transduce("aaa") == ["x", "y", "x"]
    moore = Moore.from_dict({"p": {"a": "q"}, "q": {"a": "p"}}, {"p": 0, "q": 1}, "p")
    assert moore.transduce("aa") == [0, 1, 0]
    dfa = DFA.from_dict({0: {"a": 0}, 1: {}}, accepting={1}, initial=0)
    assert dfa.n_states == 2 and not dfa.is_complete


def test_unknown_symbols_name_their_position() -> None:
    m = DFA([[0, 0]], [True], inputs="ab")
    with pytest.raises(CatautoError, match="symbol 'c' at position 2"):
        m.accepts("abc")
    with pytest.raises(CatautoError, match="symbol 'z' at position 0"):
        m.run_batch(["ab", "z"])
    with pytest.raises(CatautoError, match="indices outside 0..1"):
        m.run_batch(np.array([[0, 2]]))
    with pytest.raises(CatautoError, match="one length per row"):
        m.run_batch(np.array([[0, 1]]), lengths=[3])
    with pytest.raises(CatautoError, match="lengths go with a padded int array"):
        m.run_batch(["ab"], lengths=[1])


def test_states_are_checked() -> None:
    m = DFA([[1], [0]], [True, False], inputs="a")
    assert m.run("a", state=1) == 0 and m.step(np.int64(1), "a") == 0
    for bad in (2, -1, "s0", 0.5):
        with pytest.raises(CatautoError, match="is not a state of this machine"):
            m.run("", state=bad)
        with pytest.raises(CatautoError, match="is not a state of this machine"):
            m.step(bad, "a")


def test_machines_are_immutable_values() -> None:
    m = DFA([[1], [0]], [True, False])
    with pytest.raises(AttributeError):
        m.initial = 1
    with pytest.raises(ValueError):
        m.delta[0, 0] = 0
    assert m == DFA([[1], [0]], [True, False]) and hash(m) == hash(DFA([[1], [0]], [1, 0]))
    assert m != DFA([[1], [0]], [True, True])


def test_undefined_transitions() -> None:
    moore = Moore([[1, -1], [-1, 0]], [0, 1], inputs="ab", outputs="xy")
    assert moore.run("ab") == 0 and moore.run("b") == -1 and moore.run("bab") == -1
    with pytest.raises(CatautoError, match="no transition from state 0 on 'b' at position 2"):
        moore.transduce("abb")
    mealy = Mealy([[1, -1], [0, 0]], [[0, -1], [1, 0]], inputs="ab", outputs="xy")
    out, lengths = mealy.transduce_batch(["ab", "b", "aab"])
    assert out.tolist() == [[0, 0, -1], [-1, -1, -1], [0, 1, -1]]
    assert lengths.tolist() == [2, 1, 3]


# -- batched runs equal single runs ---------------------------------------------------


@settings(suppress_health_check=SLOW_OK)
@given(machines(), st.data())
def test_run_batch_equals_run_on_lists(m, data) -> None:
    words = random_words(m, data)
    assert m.run_batch(words).tolist() == [m.run(w) for w in words]
    Q, lengths = m.states_batch(words)
    for w, row, n in zip(words, Q.tolist(), lengths.tolist()):
        assert row[0] == m.initial and row[n] == m.run(w) and n == len(w)
        assert row[n:] == [row[n]] * (len(row) - n)  # past its end a word stays put


@settings(suppress_health_check=SLOW_OK)
@given(machines(), st.data())
def test_run_batch_equals_run_on_padded_arrays(m, data) -> None:
    words = random_words(m, data, max_words=10)
    if not words:
        return
    width = max(map(len, words)) + data.draw(st.integers(0, 3))
    padded = np.full((len(words), width), data.draw(st.integers(0, m.n_inputs - 1)))
    for i, w in enumerate(words):
        padded[i, : len(w)] = m.encode(w)
    lengths = [len(w) for w in words]
    assert m.run_batch(padded, lengths).tolist() == [m.run(w) for w in words]
    full = m.run_batch(padded)  # without lengths every row is a whole word
    assert full.tolist() == [m.run([m.inputs[i] for i in row]) for row in padded]


@settings(suppress_health_check=SLOW_OK)
@given(dfas(), st.data())
def test_accepts_batch_equals_accepts(m, data) -> None:
    words = random_words(m, data)
    got = m.accepts_batch(words)
    assert got.dtype == bool and got.tolist() == [m.accepts(w) for w in words]


@settings(suppress_health_check=SLOW_OK)
@given(moores(partial=False), st.data())
def test_moore_transduce_batch(m, data) -> None:
    words = random_words(m, data)
    out, lengths = m.transduce_batch(words)
    for w, row, n in zip(words, out.tolist(), lengths.tolist()):
        assert [m.outputs[i] for i in row[: n + 1]] == m.transduce(w)


@settings(suppress_health_check=SLOW_OK)
@given(mealys(partial=False), st.data())
def test_mealy_transduce_batch(m, data) -> None:
    words = random_words(m, data)
    out, lengths = m.transduce_batch(words)
    for w, row, n in zip(words, out.tolist(), lengths.tolist()):
        assert [m.outputs[i] for i in row[:n]] == m.transduce(w)
        assert all(i == -1 for i in row[n:])


def test_run_batch_of_no_words_and_empty_words() -> None:
    m = DFA([[1], [0]], [True, False], inputs="a")
    assert m.run_batch([]).tolist() == []
    assert m.run_batch(["", ""]).tolist() == [0, 0]


def test_run_batch_takes_array_likes() -> None:
    class Indices:  # what a JAX array looks like to numpy
        def __array__(self, dtype=None, copy=None):
            return np.array([[0, 1, 1], [1, 0, 0]], dtype=np.int32)

    m = DFA([[1, 0], [0, 1]], [True, False], inputs="ab")
    assert m.run_batch(Indices(), lengths=[3, 1]).tolist() == [m.run("abb"), m.run("b")]


def test_one_character_fast_path_is_not_fooled_by_other_symbols() -> None:
    # "abc" and "" joined with a separator look like the two one-character words "a", "c"
    m = DFA([[0, 0]], [True], inputs="ac")
    with pytest.raises(CatautoError, match="symbol 'abc' at position 0"):
        m.encode_batch([["abc"], [""]])
    # the separator ("2" after "0", "1") inside a symbol, and a word of one empty symbol
    m = DFA([[1, 0], [0, 1]], [True, False], inputs="01")
    with pytest.raises(CatautoError, match="symbol '021' at position 0"):
        m.run_batch([["021"], [""]])


def test_padding_may_be_anything_in_every_batched_run() -> None:
    words = np.array([[0, 1], [1, 99], [0, -5]])
    lengths = [2, 1, 1]
    for m in (
        DFA([[1, 0], [0, 1]], [True, False], inputs="ab"),
        Moore([[1, 0], [0, 1]], [0, 1], inputs="ab", outputs="xy"),
        Mealy([[1, 0], [0, 1]], [[0, 1], [1, 0]], inputs="ab", outputs="xy"),
    ):
        clean = np.where(np.arange(2) < np.array(lengths)[:, None], words, 0)
        assert (m.states_batch(words, lengths)[0] == m.states_batch(clean, lengths)[0]).all()
        if m.kind != "dfa":
            out = m.transduce_batch(words, lengths)[0]
            assert (out == m.transduce_batch(clean, lengths)[0]).all()


def test_a_mealy_table_has_no_output_where_it_has_no_transition() -> None:
    given = Mealy([[1, -1], [-1, -1]], [[0, 0], [0, 0]], inputs="ab", outputs="xy")
    plain = Mealy([[1, -1], [-1, -1]], [[0, -1], [-1, -1]], inputs="ab", outputs="xy")
    assert given.output.tolist() == [[0, -1], [-1, -1]] and given == plain
    assert given.minimize().equivalent(given)
    with pytest.raises(CatautoError, match="no transition from state 0 on 'b'"):
        given.transduce("b")


def test_tables_that_would_wrap_or_disagree_are_refused() -> None:
    with pytest.raises(CatautoError, match=r"a DFA's outputs are \(False, True\), got \('no'"):
        DFA([[0]], [True], outputs=["no", "yes"])
    with pytest.raises(CatautoError, match="output index 4294967296 is not an output"):
        Moore([[0]], output=[2**32], outputs=["a"])
    with pytest.raises(CatautoError, match="two outputs on 'a': 'x' and 'y'"):
        Mealy.from_transitions([(0, "a", "x", 0), (0, "a", "y", 0)], initial=0)


# -- the coalgebra view ---------------------------------------------------------------


@settings(suppress_health_check=SLOW_OK)
@given(machines())
def test_coalgebra_structure_agrees_with_tables(m) -> None:
    c = m.coalgebra()
    for q in range(m.n_states):
        layer = c.observe(q)  # checked against the functor
        assert isinstance(layer, Layer)
        assert layer.kids == tuple(None if t < 0 else t for t in m.delta[q].tolist())
        if isinstance(m, Mealy):
            expected = tuple(
                None if t < 0 else m.outputs[o]
                for t, o in zip(m.delta[q].tolist(), m.output[q].tolist())
            )
            assert layer.con == "mealy" and layer.label == expected
        else:
            assert layer.con == "moore" and layer.label == m.outputs[m.output[q]]
    assert c.functor.constructors[0].arity == m.n_inputs


def test_coalgebra_unfolds_runs() -> None:
    """Following the structure map along a word is the run (the coalgebra's semantics)."""
    m = Mealy([[1, 0], [0, 1]], [[0, 1], [1, 0]], inputs="ab", outputs="xy")
    c, q, out = m.coalgebra(), m.initial, []
    for a in "abba":
        layer = c(q)
        i = m.inputs.index(a)
        out.append(layer.label[i])
        q = layer.kids[i]
    assert out == m.transduce("abba")
    with pytest.raises(CatautoError, match="7 is not a state"):
        c(7)


@settings(suppress_health_check=SLOW_OK, max_examples=100)
@given(st.lists(st.characters(), min_size=1, max_size=4, unique=True), st.data())
def test_encode_batch_equals_encode_word_by_word(alphabet, data) -> None:
    """The one-character fast path agrees with the general path, errors included."""
    m = DFA(np.zeros((1, len(alphabet)), dtype=int), [True], inputs=alphabet)
    symbol = st.one_of(
        st.sampled_from(alphabet), st.sampled_from(alphabet), st.text(max_size=2), st.integers()
    )
    word = st.one_of(st.lists(symbol, max_size=5), st.text(alphabet=alphabet, max_size=5))
    words = data.draw(st.lists(word, max_size=6))
    try:
        expected = [m.encode(w).tolist() for w in words]
    except CatautoError:
        with pytest.raises(CatautoError, match="is not an input"):
            m.encode_batch(words)
        return
    padded, lengths = m.encode_batch(words)
    assert [row[:n] for row, n in zip(padded.tolist(), lengths.tolist())] == expected
