"""The W- and Wp-methods are complete up to their bound: for a minimal hypothesis with
``n`` states and ``extra_states = e``, every system with at most ``n + e`` states that
differs from the hypothesis fails one of their tests.

Random systems differ from a hypothesis near the start, where any test finds them. The
systems here are drawn on purpose to need the bound: the hypothesis with a chain of
``e`` extra states spliced in behind a transition outside the hypothesis's spanning
tree. The chain copies the states the hypothesis would visit and differs only at its
far end (a wrong output, or a wrong target state that only a separating word of the
right state shows), so a test must reach it by a transition-cover word, ``e`` more
inputs, and then the right separating words.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from catauto.automata import DFA, Mealy, Moore
from catauto.automata.learn import FunctionTeacher, MachineTeacher, WMethodOracle, WpMethodOracle
from strategies_machines import random_machine


def spanning_tree(m) -> set[tuple[int, int]]:
    """The transitions ``(state, input)`` of the breadth-first access words (inputs in
    order): the shortest, length-lexicographically first way to each state."""
    seen, tree, level = {m.initial}, set(), [m.initial]
    while level:
        nxt = []
        for q in level:
            for a in range(m.n_inputs):
                r = int(m.delta[q, a])
                if r not in seen:
                    seen.add(r)
                    tree.add((q, a))
                    nxt.append(r)
        level = nxt
    return tree


def started_at(m, q: int):
    """``m`` with ``q`` as its initial state."""
    if isinstance(m, DFA):
        return DFA(m.delta, m.accepting, q, m.inputs)
    return type(m)(m.delta, m.output, q, m.inputs, m.outputs)


def closest_states(m, q: int) -> list[int]:
    """The states of a minimal ``m`` other than ``q`` that are hardest to tell from
    ``q``: those whose shortest separating word is longest."""
    gap = {
        r: len(started_at(m, q).counterexample(started_at(m, r)))
        for r in range(m.n_states)
        if r != q
    }
    longest = max(gap.values())
    return [r for r, g in gap.items() if g == longest]


@st.composite
def deep_faults(draw):
    """``(hypothesis, system, e)``: a minimal hypothesis with ``n`` states and a system
    with ``n + e`` states, ``e >= 1``, that agrees with it except at the end of a chain
    of ``e`` extra states (mostly a transfer fault to the state hardest to tell from the
    right one, else an output fault)."""
    kind = draw(st.sampled_from(["dfa", "moore", "mealy"]))
    k = draw(st.integers(2, 3))
    e = draw(st.integers(1, 3 if k == 2 else 2))
    n = draw(st.integers(3, 8))
    h = random_machine(kind, n, k, draw(st.integers(0, 2**32 - 1)))
    n, mealy = h.n_states, kind == "mealy"
    delta = np.vstack([h.delta, np.zeros((e, k), dtype=h.delta.dtype)])
    out = h.output.astype(np.int64)
    out = np.concatenate([out, np.zeros((e, *out.shape[1:]), dtype=out.dtype)])
    # the chain is entered by a transition outside the spanning tree (there are
    # n*k - (n-1) of them), so no access word of the hypothesis enters it
    tree = spanning_tree(h)
    outside = [(p, a) for p in range(n) for a in range(k) if (p, a) not in tree]
    p, a = draw(st.sampled_from(outside))
    r = int(h.delta[p, a])  # the hypothesis's state that chain state n + i copies
    delta[p, a] = n
    for i in range(e):
        c = n + i
        delta[c], out[c] = h.delta[r], h.output[r]
        if i < e - 1:
            b = draw(st.integers(0, k - 1))
            delta[c, b] = c + 1
            r = int(h.delta[r, b])
    c, b = n + e - 1, draw(st.integers(0, k - 1))
    n_out = 2
    if draw(st.sampled_from(["transfer"] * 3 + ["output"])) == "transfer":
        # the last chain state goes astray, to the state hardest to tell from the right one
        right = int(h.delta[r, b])
        delta[c, b] = draw(st.sampled_from(closest_states(h, right)))
    elif mealy:  # an output fault
        out[c, b] = (out[c, b] + 1) % n_out
    else:
        out[c] = (out[c] + 1) % n_out
    if kind == "dfa":
        system = DFA(delta, out.astype(bool), h.initial, h.inputs)
    else:
        system = (Mealy if mealy else Moore)(delta, out, h.initial, h.inputs, h.outputs)
    return h, system, e


@given(deep_faults(), st.booleans())
def test_w_and_wp_find_every_fault_within_extra_states(case, by_max_states) -> None:
    """Law: with ``extra_states = e`` (or ``max_states = n + e``) the W- and Wp-methods
    give a counterexample for every system with at most ``n + e`` states that is not
    equivalent to the (minimal) hypothesis with ``n`` states, and none for one that is."""
    h, system, e = case
    assert system.n_states == h.n_states + e and h.minimize().n_states == h.n_states
    wrong = not system.equivalent(h)

    def last(word):
        return system.transduce(word)[-1]

    for method in (WMethodOracle, WpMethodOracle):
        if by_max_states:
            oracle = method(max_states=h.n_states + e)
        else:
            oracle = method(extra_states=e)
        for teacher in (  # whole output words, and a system that reports only the end
            MachineTeacher(system),
            FunctionTeacher(last, system.inputs, system.kind, returns="last"),
        ):
            cex = oracle.find_counterexample(h, teacher)
            assert (cex is not None) == wrong, (method.__name__, type(teacher).__name__)
            if cex is not None:
                word = [system.inputs[i] for i in cex]
                assert system.transduce(word)[-1] != h.transduce(word)[-1]


@settings(max_examples=20)
@given(deep_faults())
def test_the_drawn_faults_lie_deep(case) -> None:
    """The drawn systems are what they claim: a difference, if any, shows only after a
    word of at least ``e`` inputs (the way into the last chain state)."""
    h, system, e = case
    cex = system.counterexample(h)
    assert cex is None or len(cex) >= e
