"""Laws of the machine algebra that must not depend on the order of the input alphabet.

Two machines over the same input symbols may list them in different orders (a machine
read from a file lists them as it met them). The product, the boolean operations and
the equivalence check match inputs by symbol: every law below is checked on pairs whose
second factor lists its inputs in another order (``reordered_pairs`` always moves them),
against a step-by-step run of each factor on words of symbols.
"""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catauto.automata import DFA, Mealy, ops
from strategies_machines import (
    UNDEF,
    first_difference,
    machines,
    other_orders,
    reordered_pairs,
    with_input_order,
)

OK = [HealthCheck.too_slow, HealthCheck.filter_too_much]
MAX_LEN = 4


def symbol_words(m, max_len: int = MAX_LEN):
    """Every word of ``m``'s input symbols up to ``max_len`` long, as tuples."""
    for n in range(max_len + 1):
        yield from itertools.product(m.inputs, repeat=n)


def trace(m, word) -> list:
    """What ``m`` shows along ``word``, one step at a time, by symbol: a Moore machine or
    DFA its output after each prefix (``len + 1`` values), a Mealy machine the output of
    each input (``len``). ``UNDEF`` from the first undefined step on (a DFA rejects)."""
    q = m.initial
    shown = [] if isinstance(m, Mealy) else [m.outputs[m.output[q]]]
    for a in word:
        i = m.input_index(a)
        nxt = -1 if q < 0 else int(m.delta[q, i])
        if isinstance(m, Mealy):
            shown.append(UNDEF if nxt < 0 else m.outputs[m.output[q, i]])
        elif nxt < 0:
            shown.append(False if isinstance(m, DFA) else UNDEF)
        else:
            shown.append(m.outputs[m.output[nxt]])
        q = nxt
    return shown


def pair(x, y):
    """The product's output for factor outputs ``x`` and ``y``."""
    if x is UNDEF or y is UNDEF:
        return UNDEF
    return (x, y)


@settings(suppress_health_check=OK)
@given(reordered_pairs())
def test_product_output_is_the_pair_of_the_factors_outputs(factors) -> None:
    """Law: ``trace(m1 * m2, w) == zip(trace(m1, w), trace(m2, w))`` for every word, for
    any two orders of the input alphabet (defined where both factors are)."""
    m1, m2 = factors
    assert m1.inputs != m2.inputs and set(m1.inputs) == set(m2.inputs)
    p = m1 * m2
    for w in symbol_words(m1):
        expected = [pair(x, y) for x, y in zip(trace(m1, w), trace(m2, w))]
        assert trace(p, w) == expected, w


@settings(suppress_health_check=OK)
@given(reordered_pairs())
def test_product_does_not_depend_on_the_factors_orders(factors) -> None:
    """Law: reordering a factor's inputs gives an equivalent product, and the product of
    reordered factors is equivalent to the product of the originals."""
    m1, m2 = factors
    back = with_input_order(m2, [m2.input_index(a) for a in m1.inputs])
    assert back.inputs == m1.inputs and back.equivalent(m2)
    assert (m1 * m2).equivalent(m1 * back)
    assert (m2 * m1).equivalent(back * m1)


@settings(suppress_health_check=OK)
@given(reordered_pairs(kinds=("dfa",)))
def test_boolean_operations_are_pointwise_for_any_orders(factors) -> None:
    """Law: ``(m1 op m2).accepts(w) == op(m1.accepts(w), m2.accepts(w))``."""
    m1, m2 = factors
    truth = {
        "and": lambda a, b: a and b,
        "or": lambda a, b: a or b,
        "xor": lambda a, b: a != b,
        "minus": lambda a, b: a and not b,
    }
    results = {op: ops.boolean(m1, m2, op) for op in truth}
    for w in symbol_words(m1):
        a, b = m1.accepts(w), m2.accepts(w)
        for op, f in truth.items():
            assert results[op].accepts(w) == f(a, b), (op, w)


@settings(suppress_health_check=OK)
@given(machines(), st.data())
def test_a_machine_is_equivalent_to_itself_in_any_input_order(m, data) -> None:
    """Law: the order of the input list is no part of the behaviour."""
    other = with_input_order(m, data.draw(other_orders(m.n_inputs)))
    assert m.equivalent(other) and other.equivalent(m)
    assert m.counterexample(other) is None and m.isomorphic(other)
    for w in symbol_words(m, 3):
        assert trace(m, w) == trace(other, w)


@settings(suppress_health_check=OK)
@given(reordered_pairs(max_inputs=2))
def test_counterexample_is_the_first_difference_for_any_orders(factors) -> None:
    """Law: ``m1.counterexample(m2)`` is the first shortest word (in ``m1``'s order) on
    which they differ, whatever ``m2``'s order; None exactly when they are equivalent.
    Brute force on ``m2`` put back into ``m1``'s order (a plain relabelling)."""
    m1, m2 = factors
    back = with_input_order(m2, [m2.input_index(a) for a in m1.inputs])
    expected = first_difference(m1, back, m1.n_states + m2.n_states + 1)
    assert m1.counterexample(m2) == expected
    assert m1.equivalent(m2) == (expected is None)
