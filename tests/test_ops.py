"""The algebra of machines against brute force over all words up to a length bound."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catauto import CatautoError
from catauto.automata import DFA, Mealy, Moore, ops, zoo
from strategies_machines import (
    dfas,
    expected_minimal_size,
    first_difference,
    machines,
    observe,
    same_kind_pairs,
    shuffled,
    words_of_length,
)

OK = [HealthCheck.too_slow, HealthCheck.filter_too_much]


# -- minimisation ----------------------------------------------------------------------


@settings(suppress_health_check=OK)
@given(machines())
def test_minimize_preserves_behaviour(m) -> None:
    small = m.minimize()
    assert type(small) is type(m) and small.inputs == m.inputs
    assert first_difference(m, small, m.n_states + 1) is None
    assert small.equivalent(m) and m.equivalent(small)


@settings(suppress_health_check=OK)
@given(machines())
def test_minimize_reaches_the_myhill_nerode_classes(m) -> None:
    assert m.minimize().n_states == expected_minimal_size(m)


@settings(suppress_health_check=OK)
@given(machines(), st.integers(0, 2**16))
def test_minimize_is_idempotent_and_canonical(m, seed: int) -> None:
    small = m.minimize()
    assert small.minimize() == small
    assert shuffled(m, seed).minimize() == small  # renaming states changes nothing
    assert small.initial == 0 and len(ops.reachable(small).delta) == small.n_states


def test_partial_dfa_minimises_to_the_trim_dfa() -> None:
    m = DFA([[1, 2], [3, 3], [3, 3], [3, 3]], [False, True, True, False], inputs="ab")
    partial = DFA([[1, 2], [-1, -1], [-1, -1]], [False, True, True], inputs="ab")
    assert m.minimize().n_states == 3  # complete: the dead state stays
    assert partial.minimize().n_states == 2 and not partial.minimize().is_complete
    empty = DFA([[0, -1]], [False], inputs="ab").minimize()
    assert empty.n_states == 1 and empty.is_empty() and empty.delta.tolist() == [[-1, -1]]


def test_a_partial_dfa_is_trimmed_even_where_its_reachable_part_is_complete() -> None:
    # state 2 is unreachable and partial; the reachable part {0, 1} is complete
    m = DFA([[1], [1], [-1]], [True, False, False])
    assert m.minimize().delta.tolist() == [[-1]]  # the trim form of {""}, like DFA([[-1]])
    assert m.minimize() == DFA([[-1]], [True]).minimize()


def test_partial_mealy_keeps_a_reachable_dead_end() -> None:
    # 0 -a/x-> 1, and state 1 has no transitions: "a" is defined, "aa" is not.
    m = Mealy([[1, -1], [-1, -1]], [[0, -1], [-1, -1]], inputs="ab", outputs="x")
    small = m.minimize()
    assert small.n_states == 2 and small.transduce("a") == ["x"]
    with pytest.raises(CatautoError):
        small.transduce("aa")


# -- equivalence and counterexamples ---------------------------------------------------


@settings(suppress_health_check=OK, max_examples=100)
@given(same_kind_pairs())
def test_counterexample_is_the_first_shortest_distinguishing_word(pair) -> None:
    m1, m2 = pair
    expected = first_difference(m1, m2, m1.n_states + m2.n_states + 1)
    assert m1.counterexample(m2) == expected
    assert m1.equivalent(m2) == (expected is None)


@settings(suppress_health_check=OK)
@given(machines(max_states=5, max_inputs=2), st.integers(0, 2**16), st.data())
def test_counterexample_after_one_change(m, seed: int, data) -> None:
    """Change one output of a renamed copy; the counterexample finds it, or nothing."""
    other = shuffled(m, seed)
    q = data.draw(st.integers(0, m.n_states - 1))
    if isinstance(m, Mealy):
        defined = np.flatnonzero(other.delta[q] >= 0)
        if not len(defined) or m.n_outputs < 2:
            return
        output = other.output.copy()
        a = defined[0]
        output[q, a] = (output[q, a] + 1) % m.n_outputs
        other = Mealy(other.delta, output, other.initial, other.inputs, other.outputs)
    elif isinstance(m, DFA):
        acc = other.accepting.copy()
        acc[q] = not acc[q]
        other = DFA(other.delta, acc, other.initial, other.inputs)
    else:
        output = other.output.copy()
        output[q] = (output[q] + 1) % m.n_outputs
        other = Moore(other.delta, output, other.initial, other.inputs, other.outputs)
    ce = m.counterexample(other)
    assert ce == first_difference(m, other, 2 * m.n_states + 2)


def test_equivalence_matches_inputs_by_symbol() -> None:
    a = DFA([[1, 0], [0, 1]], [True, False], inputs="ab")
    b = DFA([[0, 1], [1, 0]], [True, False], inputs="ba")
    assert a.equivalent(b) and a.counterexample(b) is None and a.isomorphic(b)
    with pytest.raises(CatautoError, match=r"only in the first \['b'\], only in the second"):
        a.equivalent(DFA([[0, 0]], [True], inputs="ac"))
    with pytest.raises(CatautoError, match="cannot compare a DFA with a Mealy"):
        a.equivalent(Mealy([[0, 0]], [[0, 0]], inputs="ab"))


def test_moore_outputs_are_compared_as_symbols() -> None:
    a = Moore([[1], [0]], [0, 1], inputs="t", outputs=["off", "on"])
    b = Moore([[1], [0]], [1, 0], inputs="t", outputs=["on", "off"])
    c = Moore([[1], [0]], [0, 1], inputs="t", outputs=["off", "dim"])
    assert a.equivalent(b) and a.counterexample(c) == ("t",)


def test_partial_moore_differs_where_only_one_is_defined() -> None:
    a = Moore([[1], [-1]], [0, 0], inputs="t")
    b = Moore([[1], [1]], [0, 0], inputs="t")
    assert a.counterexample(b) == ("t", "t")


def test_long_counterexample_on_chains() -> None:
    a, b = zoo.chain_dfa(300), zoo.chain_dfa(301)
    ce = a.counterexample(b)
    assert ce == (0,) * 299 and a.accepts(ce) != b.accepts(ce)


# -- isomorphism -------------------------------------------------------------------------


@settings(suppress_health_check=OK)
@given(machines(), st.integers(0, 2**16))
def test_isomorphic_up_to_renaming(m, seed: int) -> None:
    assert m.isomorphic(shuffled(m, seed)) and m.isomorphic(m.reachable())
    assert m.reachable().equivalent(m)


@settings(suppress_health_check=OK)
@given(same_kind_pairs())
def test_isomorphic_minimal_forms_iff_equivalent(pair) -> None:
    m1, m2 = pair
    if isinstance(m1, DFA):  # a complete minimal DFA keeps its dead state, a trim one not
        m1, m2 = m1.complete(), m2.complete()
    assert m1.minimize().isomorphic(m2.minimize()) == m1.equivalent(m2)


def test_not_isomorphic() -> None:
    a = DFA([[1], [0]], [True, False])
    assert not a.isomorphic(DFA([[1], [1]], [True, False]))
    assert not a.isomorphic(Moore([[1], [0]], [1, 0], outputs=(False, True)))


# -- products and boolean operations ---------------------------------------------------

BOOLEAN = {
    "and": (lambda x, y: x & y, lambda a, b: a and b),
    "or": (lambda x, y: x | y, lambda a, b: a or b),
    "xor": (lambda x, y: x ^ y, lambda a, b: a != b),
    "minus": (lambda x, y: x - y, lambda a, b: a and not b),
}


@settings(suppress_health_check=OK)
@given(dfas(min_inputs=2, max_inputs=2), st.data())
def test_boolean_operations_agree_pointwise(m1, data) -> None:
    m2 = data.draw(dfas(min_inputs=2, max_inputs=2))
    results = {name: op(m1, m2) for name, (op, _) in BOOLEAN.items()}
    for length in range(6):
        W = words_of_length(2, length)
        a, b = observe(m1, W), observe(m2, W)
        for name, (_, truth) in BOOLEAN.items():
            assert observe(results[name], W) == [truth(x, y) for x, y in zip(a, b)]
        assert observe(~m1, W) == [not x for x in a]


@settings(suppress_health_check=OK)
@given(dfas())
def test_is_empty_and_complement(m) -> None:
    accepted = any(any(observe(m, words_of_length(m.n_inputs, n))) for n in range(m.n_states))
    assert m.is_empty() == (not accepted)
    assert (m | ~m).complete().minimize().n_states == 1 and (m & ~m).is_empty()
    assert (~~m).equivalent(m)


@settings(suppress_health_check=OK)
@given(same_kind_pairs(), st.data())
def test_product_outputs_are_pairs(pair, data) -> None:
    m1, m2 = pair
    p = m1 * m2
    assert isinstance(p, Mealy if isinstance(m1, Mealy) else Moore)
    for length in range(5):
        W = words_of_length(m1.n_inputs, length)
        both = list(zip(observe(m1, W), observe(m2, W)))
        got = observe(p, W)
        for (a, b), g in zip(both, got):
            if isinstance(m1, DFA):
                assert g == (a, b)  # DFAs are completed: always defined
            elif g == "<undefined>":
                assert "<undefined>" in (a, b)
            else:
                assert g == (a, b)


def test_boolean_operators_combine_only_dfas() -> None:
    a = DFA([[1], [0]], [True, False])
    with pytest.raises(TypeError):
        a & 1  # noqa: B018
    with pytest.raises(TypeError):
        a - Moore([[0]], [0])  # noqa: B018
    with pytest.raises(CatautoError, match="unknown boolean operation 'nand'"):
        ops.boolean(a, a, "nand")


def test_product_of_partial_moore_is_defined_where_both_are() -> None:
    a = Moore([[1], [-1]], [0, 1], inputs="t")
    b = Moore([[0]], [0], inputs="t")
    p = a * b
    assert p.transduce("t") == [(0, 0), (1, 0)] and p.run("tt") == -1


# -- completion and finite languages ---------------------------------------------------


@settings(suppress_health_check=OK)
@given(machines(partial=True))
def test_completion_agrees_where_defined(m) -> None:
    if isinstance(m, DFA):
        c = m.complete()
        assert c.is_complete and c.equivalent(m)
        return
    if not m.is_complete:
        with pytest.raises(CatautoError, match="needs the sink's output"):
            m.complete()
    c = m.complete(sink="dead")
    assert c.is_complete and ("dead" in c.outputs) != m.is_complete
    for length in range(4):
        W = words_of_length(m.n_inputs, length)
        for x, y in zip(observe(m, W), observe(c, W)):
            assert x == y or x == "<undefined>"


@settings(suppress_health_check=OK)
@given(st.lists(st.text(alphabet="abc", max_size=5), max_size=8))
def test_from_words_accepts_exactly_the_words(words) -> None:
    m = DFA.from_words(words, inputs="abc")
    for n in range(7):
        W = words_of_length(3, n)
        expected = ["".join("abc"[i] for i in w) in set(words) for w in W]
        assert observe(m, W) == expected
    residuals = {
        frozenset(w[len(u) :] for w in words if w.startswith(u))
        for w in words
        for u in (w[:i] for i in range(len(w) + 1))
    }
    assert m.minimize() == m and m.n_states == max(len(residuals), 1)  # Myhill–Nerode


def test_from_words_alphabet() -> None:
    m = DFA.from_words([["go", "stop"], ["go"]])
    assert m.inputs == ("go", "stop") and m.accepts(["go"]) and not m.accepts(["stop"])
    assert DFA.from_words([], inputs="ab").is_empty()
    with pytest.raises(CatautoError, match="symbol 'z' of the words"):
        DFA.from_words(["az"], inputs="ab")


def test_complete_errors() -> None:
    with pytest.raises(CatautoError, match="must be a bool"):
        DFA([[-1]], [True]).complete(sink="x")
    m = Mealy([[-1]], [[-1]], outputs=["x"])
    c = m.complete(sink="x")
    assert c.outputs == ("x",) and c.transduce([0, 0]) == ["x", "x"]
    assert DFA([[0]], [True]).complete() == DFA([[0]], [True])
