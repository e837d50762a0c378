"""Hypothesis strategies for small random machines and words, and brute-force oracles.

The oracles enumerate all words up to a length bound; they know nothing of the
library's algorithms beyond ``run_batch`` (itself checked against ``run``).
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import strategies as st

from catauto.automata import DFA, Mealy, Moore, zoo

UNDEF = "<undefined>"


def random_machine(kind: str, n: int, k: int, seed: int, minimal: bool = True):
    """A seeded random machine of ``kind`` from ``zoo`` (Moore: 3 outputs, Mealy: 2)."""
    if kind == "dfa":
        return zoo.random_dfa(n, k, seed=seed, minimal=minimal)
    if kind == "moore":
        return zoo.random_moore(n, k, 3, seed=seed, minimal=minimal)
    return zoo.random_mealy(n, k, 2, seed=seed, minimal=minimal)


@st.composite
def tables(
    draw,
    max_states: int = 5,
    max_inputs: int = 3,
    partial: bool | None = False,
    min_inputs: int = 1,
):
    """``(delta, initial)``: a random table, -1 allowed if ``partial`` (``None``: either)."""
    if partial is None:
        partial = draw(st.booleans())
    n = draw(st.integers(1, max_states))
    k = draw(st.integers(min_inputs, max_inputs))
    low = -1 if partial else 0
    cells = draw(st.lists(st.integers(low, n - 1), min_size=n * k, max_size=n * k))
    initial = draw(st.integers(0, n - 1))
    return np.array(cells, dtype=np.int32).reshape(n, k), initial


@st.composite
def output_tables(draw, shape: tuple[int, ...], max_outputs: int):
    """``(output, outputs)``: a table of ``shape`` over the alphabet ``o0, o1, ...``."""
    n_out = draw(st.integers(1, max_outputs))
    size = int(np.prod(shape))
    cells = draw(st.lists(st.integers(0, n_out - 1), min_size=size, max_size=size))
    return np.array(cells, dtype=np.int32).reshape(shape), tuple(f"o{i}" for i in range(n_out))


def inputs_for(k: int) -> tuple:
    return tuple("abcdefgh"[:k])


@st.composite
def dfas(
    draw,
    max_states: int = 5,
    max_inputs: int = 3,
    partial: bool | None = None,
    min_inputs: int = 1,
):
    """Random DFAs over inputs ``a, b, ...``; partial or not (``None``: either)."""
    delta, initial = draw(tables(max_states, max_inputs, partial, min_inputs))
    accepting = draw(st.lists(st.booleans(), min_size=len(delta), max_size=len(delta)))
    return DFA(delta, accepting, initial, inputs_for(delta.shape[1]))


@st.composite
def moores(
    draw,
    max_states: int = 5,
    max_inputs: int = 3,
    max_outputs: int = 3,
    partial=None,
    min_inputs: int = 1,
):
    delta, initial = draw(tables(max_states, max_inputs, partial, min_inputs))
    output, outputs = draw(output_tables((len(delta),), max_outputs))
    return Moore(delta, output, initial, inputs_for(delta.shape[1]), outputs)


@st.composite
def mealys(
    draw,
    max_states: int = 5,
    max_inputs: int = 3,
    max_outputs: int = 3,
    partial=None,
    min_inputs: int = 1,
):
    delta, initial = draw(tables(max_states, max_inputs, partial, min_inputs))
    output, outputs = draw(output_tables(delta.shape, max_outputs))
    output = np.where(delta < 0, -1, output)
    return Mealy(delta, output, initial, inputs_for(delta.shape[1]), outputs)


def machines(**kw):
    """Any kind of small machine."""
    return st.one_of(dfas(**kw), moores(**kw), mealys(**kw))


def same_kind_pairs(max_states: int = 4, max_inputs: int = 2):
    """Two machines of the same kind over the same inputs (the second may be derived)."""

    @st.composite
    def pair(draw):
        kind = draw(st.sampled_from([dfas, moores, mealys]))
        k = draw(st.integers(1, max_inputs))
        m1 = draw(kind(max_states=max_states, min_inputs=k, max_inputs=k))
        m2 = draw(kind(max_states=max_states, min_inputs=k, max_inputs=k))
        return m1, m2

    return pair()


def with_input_order(m, order):
    """The same machine with its inputs listed in another order: ``order[j]`` is the old
    index of the new ``j``-th input (the tables' columns move with their symbols)."""
    order = list(order)
    inputs = tuple(m.inputs[i] for i in order)
    delta = m.delta[:, order]
    if isinstance(m, DFA):
        return DFA(delta, m.accepting, m.initial, inputs)
    output = m.output[:, order] if isinstance(m, Mealy) else m.output
    return type(m)(delta, output, m.initial, inputs, m.outputs)


def other_orders(k: int):
    """Orders of ``k`` inputs other than the given one (the identity when ``k == 1``)."""

    def moved(order: list) -> list:
        if k > 1 and order == sorted(order):
            return order[1:] + order[:1]  # never the same order: a rotation instead
        return order

    return st.permutations(range(k)).map(moved)


@st.composite
def reordered_pairs(
    draw,
    max_states: int = 4,
    min_inputs: int = 2,
    max_inputs: int = 3,
    kinds: tuple = ("dfa", "moore", "mealy"),
):
    """Two machines of the same kind over the same input symbols listed in different orders.

    The second is drawn over ``a, b, ...`` like the first, then its inputs are reordered.
    """
    kind = {"dfa": dfas, "moore": moores, "mealy": mealys}[draw(st.sampled_from(kinds))]
    k = draw(st.integers(min_inputs, max_inputs))
    m1 = draw(kind(max_states=max_states, min_inputs=k, max_inputs=k))
    m2 = draw(kind(max_states=max_states, min_inputs=k, max_inputs=k))
    return m1, with_input_order(m2, draw(other_orders(k)))


def words_of_length(k: int, length: int) -> np.ndarray:
    """All words of one length over ``range(k)`` in lexicographic order: ``int32[k**L, L]``."""
    words = list(itertools.product(range(k), repeat=length))
    return np.array(words, dtype=np.int32).reshape(len(words), length)


def observe(m, W: np.ndarray) -> list:
    """What ``m`` shows after each word of ``W`` (all of one length), as symbols.

    DFA: acceptance (partial = rejecting sink). Moore: the output after the word.
    Mealy: the output of the last input (nothing for the empty word). ``UNDEF`` where
    the run leaves a partial Moore/Mealy machine.
    """
    if isinstance(m, DFA):
        return m.accepts_batch(W).tolist()
    if isinstance(m, Moore):
        q = m.run_batch(W)
        return [UNDEF if s < 0 else m.outputs[m.output[s]] for s in q.tolist()]
    if W.shape[1] == 0:
        return []
    q = m.run_batch(W[:, :-1])
    out = []
    for s, a in zip(q.tolist(), W[:, -1].tolist()):
        ok = s >= 0 and m.delta[s, a] >= 0
        out.append(m.outputs[m.output[s, a]] if ok else UNDEF)
    return out


def first_difference(m1, m2, max_len: int):
    """The first word (length-lexicographic) on which the observations differ, or None."""
    k = m1.n_inputs
    for length in range(max_len + 1):
        W = words_of_length(k, length)
        for w, a, b in zip(W, observe(m1, W), observe(m2, W)):
            if a != b:
                return tuple(m1.inputs[i] for i in w)
    return None


def nerode_signatures(m, max_len: int) -> dict:
    """For every state: its observations on all words up to ``max_len`` (a tuple)."""
    sigs = {}
    for q in range(m.n_states):
        shifted = _at(m, q)
        sig = []
        for length in range(max_len + 1):
            sig.extend(observe(shifted, words_of_length(m.n_inputs, length)))
        sigs[q] = tuple(sig)
    return sigs


def _at(m, q: int):
    """``m`` started in state ``q``."""
    if isinstance(m, DFA):
        return DFA(m.delta, m.accepting, q, m.inputs)
    return type(m)(m.delta, m.output, q, m.inputs, m.outputs)


def reachable_states(m) -> set:
    seen, todo = {m.initial}, [m.initial]
    while todo:
        q = todo.pop()
        for t in m.delta[q].tolist():
            if t >= 0 and t not in seen:
                seen.add(t)
                todo.append(t)
    return seen


def expected_minimal_size(m) -> int:
    """The number of states of the minimal machine, by brute force (Myhill–Nerode).

    Classes of the reachable states under observations on words up to ``n`` (enough for
    ``n`` states plus the undefined sink). A partial DFA's minimal form is trim: the
    dead class (rejecting everything) is dropped unless it is the initial state's.
    """
    sigs = nerode_signatures(m, m.n_states)
    reach = reachable_states(m)
    classes = {sigs[q] for q in reach}
    if isinstance(m, DFA) and not m.is_complete:
        all_reject = {sig for sig in classes if not any(sig)}
        if all_reject and sigs[m.initial] not in all_reject:
            return len(classes) - 1
    return len(classes)


def shuffled(m, seed: int):
    """The same machine with states renamed by a random permutation."""
    rng = np.random.default_rng(seed)
    perm = rng.permutation(m.n_states)  # old state q becomes perm[q]
    inv = np.argsort(perm)
    delta = np.where(m.delta[inv] < 0, -1, perm[np.maximum(m.delta[inv], 0)])
    if isinstance(m, DFA):
        return DFA(delta, m.accepting[inv], int(perm[m.initial]), m.inputs)
    return type(m)(delta, m.output[inv], int(perm[m.initial]), m.inputs, m.outputs)
