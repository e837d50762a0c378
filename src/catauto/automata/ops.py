"""The algebra of machines: reachable part, completion, minimisation, equivalence,
counterexamples, isomorphism, products and the boolean operations on DFAs.

Every function here is also a method of the machine classes (``m.minimize()``,
``m1 & m2``, ...). All of them rest on two pieces of :mod:`catauto.coalgebra.partition`:
the breadth-first canonical numbering and partition refinement.

This module does not import the machine classes (``catauto.automata.machine`` imports
it): it tells the kinds apart by ``m.kind`` and builds its results with
``m.with_tables``, which picks the class of a kind from ``machine.KINDS``.

**Partial machines.** A DFA rejects a word that leaves its table, so a partial DFA
means the same as its completion with a rejecting sink; DFAs are compared, combined and
minimised that way, and ``minimize`` of a partial DFA returns the trim minimal DFA (the
dead class dropped). For Moore and Mealy machines "undefined" is a behaviour of its
own: a word on which one machine is undefined and the other defined distinguishes them,
minimisation never merges a state with "undefined", and products are defined where
both factors are.

>>> from catauto.automata import DFA
>>> even_a = DFA([[1, 0], [0, 1]], accepting=[True, False], inputs="ab")
>>> ends_b = DFA([[0, 1], [0, 1]], accepting=[False, True], inputs="ab")
>>> (even_a & ends_b).accepts("aab"), (even_a - ends_b).accepts("aab")
(True, False)
>>> even_a.counterexample(ends_b)
()
>>> DFA.from_words(["ab", "abab"]).n_states
5
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from catauto.coalgebra import Coalgebra
from catauto.coalgebra.partition import bfs_order, quotient, refine
from catauto.errors import MachineError
from catauto.functor import Layer, MealyF, MooreF

if TYPE_CHECKING:
    from catauto.automata.machine import DFA, Machine

__all__ = [
    "NO_SINK",
    "boolean",
    "coalgebra",
    "complement",
    "complete",
    "counterexample",
    "equivalent",
    "is_empty",
    "isomorphic",
    "minimize",
    "product",
    "reachable",
    "with_sink",
]

NO_SINK: Any = object()
"""``complete``'s ``sink`` when none is given (``None`` is a legitimate output symbol)."""

_DENSE_PAIRS = 1 << 24
"""Pair spaces up to this size use a dense index array; larger ones a dict."""


# -- tables ---------------------------------------------------------------------------
def with_sink(delta: np.ndarray) -> np.ndarray:
    """``delta: int[n, k]`` (-1: undefined) made total: ``int32[n + 1, k]`` in which every
    undefined transition, and every transition of the extra state ``n``, goes to ``n``.

    >>> with_sink(np.array([[1, -1], [0, 0]])).tolist()
    [[1, 2], [0, 0], [2, 2]]
    """
    n, k = delta.shape
    return np.vstack([np.where(delta < 0, n, delta), np.full((1, k), n)]).astype(np.int32)


def _renumber(delta: np.ndarray, order: np.ndarray, n: int) -> np.ndarray:
    """``delta`` restricted to the states ``order``, renumbered by position (-1 kept)."""
    index = np.full(n + 1, -1, dtype=np.int32)
    index[order] = np.arange(len(order), dtype=np.int32)
    return index[np.take(delta, order, axis=0)]  # index[-1] is the extra: -1 stays -1


def reachable(m: Machine) -> Machine:
    """The part reachable from the initial state, renumbered in breadth-first order.

    States are numbered as found by a breadth-first search that tries inputs in the
    order of ``m.inputs``; the result's initial state is 0. This numbering is canonical:
    machines with isomorphic reachable parts get identical tables.

    >>> from catauto.automata import DFA
    >>> m = DFA([[2, 2], [0, 0], [2, 0]], accepting=[False, True, True])
    >>> r = reachable(m)
    >>> r.n_states, r.delta.tolist(), r.accepting.tolist()
    (2, [[1, 1], [1, 0]], [False, True])
    """
    order = bfs_order(m.delta, m.initial)
    delta = _renumber(m.delta, order, m.n_states)
    return m.with_tables(delta, np.take(m.output, order, axis=0), 0)


def complete(m: Machine, sink: Any = NO_SINK) -> Machine:
    """``m`` with every undefined transition sent to a new absorbing sink state.

    The sink is the last state. A DFA's sink rejects (``sink=True`` makes it accept);
    a Moore machine's sink outputs ``sink`` and a Mealy machine's undefined transitions
    and the sink's own transitions output ``sink`` (added to ``outputs`` if new), which
    must be given. A complete machine is returned as it is.

    >>> from catauto.automata import DFA
    >>> m = DFA([[1, -1], [-1, -1]], accepting=[False, True], inputs="ab")
    >>> c = complete(m)
    >>> c.delta.tolist(), c.accepting.tolist()
    ([[1, 2], [2, 2], [2, 2]], [False, True, False])
    """
    if m.is_complete:
        return m
    k = m.n_inputs
    undefined = m.delta < 0
    delta = with_sink(m.delta)
    if m.kind == "dfa":
        accepts = False if sink is NO_SINK or sink is None else sink
        if not isinstance(accepts, bool | np.bool_):
            raise MachineError(
                f"a DFA's sink accepts or rejects: sink must be a bool, got {sink!r}"
            )
        return m.with_tables(delta, np.append(m.accepting, accepts), m.initial)
    if sink is NO_SINK:
        raise MachineError(
            f"completing a partial {type(m).__name__} machine needs the sink's output:"
            " call complete(sink=<output symbol>)"
        )
    outputs = m.outputs if sink in m._out_index else (*m.outputs, sink)
    s = outputs.index(sink)
    if m.kind == "mealy":
        output = np.vstack([np.where(undefined, s, m.output), np.full((1, k), s)])
    else:
        output = np.append(m.output, s)
    return m.with_tables(delta, output, m.initial, outputs=outputs)


# -- behaviour: total tables with comparable labels -------------------------------------
def _family(m1: Machine, m2: Machine) -> str:
    """``"dfa"`` for two DFAs, ``"moore"`` for two Moore machines (a DFA is one),
    ``"mealy"`` for two Mealy machines."""
    kinds = {getattr(m1, "kind", None), getattr(m2, "kind", None)}
    if kinds == {"dfa"}:
        return "dfa"
    if kinds <= {"dfa", "moore"}:
        return "moore"
    if kinds == {"mealy"}:
        return "mealy"
    raise MachineError(
        f"cannot compare a {type(m1).__name__} with a {type(m2).__name__}:"
        " both must be DFAs, Moore machines or Mealy machines"
    )


def _input_permutation(m1: Machine, m2: Machine) -> np.ndarray:
    """Columns of ``m2`` in the order of ``m1.inputs``; the alphabets must be equal sets."""
    if set(m1.inputs) != set(m2.inputs):
        only1 = [a for a in m1.inputs if a not in m2._in_index]
        only2 = [a for a in m2.inputs if a not in m1._in_index]
        raise MachineError(
            "the machines have different input alphabets:"
            f" only in the first {only1!r}, only in the second {only2!r}"
        )
    return np.array([m2._in_index[a] for a in m1.inputs], dtype=np.int64)


def _output_map(m1: Machine, m2: Machine) -> tuple[np.ndarray, np.ndarray]:
    """Output indices of both machines mapped into one common alphabet."""
    common = dict.fromkeys(m1.outputs)
    common.update(dict.fromkeys(m2.outputs))
    index = {o: i for i, o in enumerate(common)}
    map1 = np.array([index[o] for o in m1.outputs] + [-1], dtype=np.int64)
    map2 = np.array([index[o] for o in m2.outputs] + [-1], dtype=np.int64)
    return map1, map2


def _total(m: Machine, family: str, out_map: np.ndarray, perm: Any = None) -> tuple:
    """``(delta, labels)`` of ``m`` made total: an extra last state stands for undefined.

    Labels of real states are common output indices (Moore: ``[n]``; Mealy: ``[n, k]``
    rows with -1 for undefined transitions). The extra state is a rejecting sink for a
    DFA; for a Moore machine it carries a label no real state has; for a Mealy machine
    its row is all -1, like a state whose every transition is undefined (no word tells
    them apart: undefinedness shows in the row of the state before).
    """
    delta, output = m.delta, m.output
    if perm is not None:
        delta = delta[:, perm]
        output = output[:, perm] if family == "mealy" else output
    total = with_sink(delta)
    if family == "dfa":
        return total, np.append(output, 0)
    if family == "moore":
        return total, np.append(out_map[output], -2)
    rows = np.where(delta < 0, -1, out_map[output])
    return total, np.vstack([rows, np.full((1, delta.shape[1]), -1)])


# -- minimisation ----------------------------------------------------------------------
def minimize(m: Machine) -> Machine:
    """The minimal machine with the same behaviour, in canonical (BFS) numbering.

    Reachable part, then the quotient by bisimilarity (:func:`catauto.coalgebra.partition.refine`).
    Laws: ``m.minimize().equivalent(m)``; ``m.minimize().minimize() == m.minimize()``;
    equivalent machines that are both complete (or both partial) have identical minimal
    forms. A complete DFA gives the complete minimal DFA; a partial DFA gives the trim
    one (no dead state); the empty language over a partial DFA is one rejecting state
    without transitions.

    >>> from catauto.automata import DFA
    >>> m = DFA([[1, 2], [3, 3], [3, 3], [3, 3]], accepting=[False, True, True, False])
    >>> minimize(m).delta.tolist()
    [[1, 1], [2, 2], [2, 2]]
    >>> minimize(m).equivalent(m), minimize(minimize(m)) == minimize(m)
    (True, True)
    """
    r = reachable(m)
    family = m.kind
    total, labels = _total(r, family, np.arange(r.n_outputs + 1))
    n = r.n_states
    # A partial DFA is trimmed even when the part its initial state reaches is complete
    # (two partial DFAs of one language get one minimal form, whatever they cannot reach).
    complete = r.is_complete and (family != "dfa" or m.is_complete)
    if complete:
        total, labels = total[:n], labels[:n]
    # States are numbered breadth-first, so numbering blocks by their smallest state is
    # already the breadth-first numbering of the quotient.
    block = refine(total, labels)
    qdelta = quotient(total, block)
    rep = np.empty(len(qdelta), dtype=np.int64)
    rep[block] = np.arange(len(block))  # a representative state of every block
    if complete:
        return r.with_tables(qdelta, np.take(r.output, rep, axis=0), 0)
    # The block of "undefined": transitions into it become undefined again.
    sink = int(block[n])
    members = np.flatnonzero(block[:n] == sink)
    if family == "dfa" and sink == 0:  # the initial state is dead: the empty language
        return r.with_tables(np.full((1, r.n_inputs), -1), [False], 0)
    rep[sink] = members[0] if len(members) else 0
    output = np.take(r.output, rep, axis=0)
    if family == "mealy" and len(members):
        # Real states whose every transition is undefined: defined transitions into
        # them stay (their outputs count), undefined ones become -1 again.
        qdelta[(qdelta == sink) & (output < 0)] = -1
    else:
        qdelta[qdelta == sink] = -1
    return reachable(r.with_tables(qdelta, output, 0))


# -- equivalence and counterexamples ---------------------------------------------------
def _both_total(m1: Machine, m2: Machine) -> tuple:
    family = _family(m1, m2)
    perm = _input_permutation(m1, m2)
    map1, map2 = _output_map(m1, m2)
    t1, l1 = _total(m1, family, map1)
    t2, l2 = _total(m2, family, map2, perm)
    return family, t1, l1, t2, l2


def equivalent(m1: Machine, m2: Machine) -> bool:
    """Whether the two machines give the same output on every word.

    Decided by refining the disjoint union of both machines (``O(n log n)``); inputs
    must be the same set of symbols (any order), outputs are compared as symbols.

    >>> from catauto.automata import DFA
    >>> a = DFA([[1], [0]], accepting=[True, False])
    >>> b = DFA([[1], [2], [3], [0]], accepting=[True, False, True, False])
    >>> equivalent(a, b), equivalent(a, DFA([[0]], accepting=[True]))
    (True, False)
    """
    return _equivalent(m1, m2, *_both_total(m1, m2)[1:])


def _equivalent(m1: Machine, m2: Machine, t1: Any, l1: Any, t2: Any, l2: Any) -> bool:
    n1 = len(t1)
    block = refine(np.vstack([t1, t2 + n1]), np.concatenate([l1, l2]))
    return bool(block[m1.initial] == block[n1 + m2.initial])


class _PairIndex:
    """Index of pair codes ``p * n2 + q``: a dense array when small, else a dict."""

    def __init__(self, size: int) -> None:
        self.dense = np.full(size, -1, dtype=np.int64) if size <= _DENSE_PAIRS else None
        self.table: dict[int, int] = {}

    def get(self, codes: np.ndarray) -> np.ndarray:
        if self.dense is not None:
            return self.dense[codes]
        get = self.table.get
        return np.fromiter((get(c, -1) for c in codes.tolist()), np.int64, len(codes))

    def set(self, codes: np.ndarray, values: np.ndarray) -> None:
        if self.dense is not None:
            self.dense[codes] = values
        else:
            self.table.update(zip(codes.tolist(), values.tolist()))


def _explore_pairs(t1: np.ndarray, t2: np.ndarray, start: tuple[int, int], bad: Any) -> tuple:
    """Breadth-first search over pairs of states, inputs tried in order.

    ``t1``, ``t2``: transition tables (-1: undefined; a pair with an undefined side is
    not a pair). ``bad(p, q)``, if given, returns for arrays of pairs the first
    distinguishing input of each pair as ``int64`` (-1: none; ``k``: the pair differs
    before any input); the search stops at the first level with a bad pair. Returns
    ``(codes, parent, letter, hit)``: the pairs ``p * len(t2) + q`` in BFS order, the
    index of each one's parent and the input leading to it, and ``(index, bad value)``
    of the first bad pair or None.
    """
    n2, k = len(t2), t1.shape[1]
    index = _PairIndex(len(t1) * n2)
    level = np.array([start[0] * n2 + start[1]], dtype=np.int64)
    codes, parents, letters = [level], [np.array([-1])], [np.array([-1])]
    index.set(level, np.zeros(1, dtype=np.int64))
    offset, hit = 0, None
    while len(level):
        p, q = level // n2, level % n2
        if bad is not None:
            verdict = bad(p, q)
            hits = np.flatnonzero(verdict >= 0)
            if len(hits):
                hit = (offset + int(hits[0]), int(verdict[hits[0]]))
                break
        s1, s2 = np.take(t1, p, axis=0).ravel(), np.take(t2, q, axis=0).ravel()
        keep = (s1 >= 0) & (s2 >= 0)
        succ = s1[keep].astype(np.int64) * n2 + s2[keep]
        parent = np.repeat(offset + np.arange(len(level)), k)[keep]
        letter = np.tile(np.arange(k), len(level))[keep]
        new = index.get(succ) < 0
        succ, parent, letter = succ[new], parent[new], letter[new]
        _, first = np.unique(succ, return_index=True)
        first.sort()
        offset += len(level)
        level = succ[first]
        index.set(level, offset + np.arange(len(level)))
        codes.append(level)
        parents.append(parent[first])
        letters.append(letter[first])
    return np.concatenate(codes), np.concatenate(parents), np.concatenate(letters), hit


def _path(parents: np.ndarray, letters: np.ndarray, node: int) -> list[int]:
    word = []
    while parents[node] >= 0:
        word.append(int(letters[node]))
        node = int(parents[node])
    return word[::-1]


def counterexample(m1: Machine, m2: Machine) -> tuple | None:
    """A shortest word on which the machines differ, as a tuple of inputs, or None.

    Among the shortest such words it is the first in the order of ``m1.inputs``
    (length-lexicographic order). A DFA pair differs on acceptance; a Moore pair on the
    output after the word (or on definedness); a Mealy pair on the output of the last
    input (or on definedness). Breadth-first search over pairs of states, level by level.

    >>> from catauto.automata import DFA
    >>> a = DFA([[1, 0], [0, 1]], accepting=[True, False], inputs="ab")
    >>> b = DFA([[0, 0]], accepting=[True], inputs="ab")
    >>> counterexample(a, b)
    ('a',)
    >>> counterexample(a, a) is None
    True
    """
    family, t1, l1, t2, l2 = _both_total(m1, m2)
    if _equivalent(m1, m2, t1, l1, t2, l2):
        return None
    k = t1.shape[1]
    if family == "mealy":

        def bad(p: np.ndarray, q: np.ndarray) -> np.ndarray:
            differ = l1[p] != l2[q]
            return np.where(differ.any(axis=1), differ.argmax(axis=1), -1)

    else:

        def bad(p: np.ndarray, q: np.ndarray) -> np.ndarray:
            return np.where(l1[p] != l2[q], k, -1)

    _, parents, letters, hit = _explore_pairs(t1, t2, (m1.initial, m2.initial), bad)
    assert hit is not None, "inequivalent machines must have a distinguishing pair"
    node, a = hit
    word = _path(parents, letters, node) + ([a] if a < k else [])
    return tuple(m1.inputs[i] for i in word)


def isomorphic(m1: Machine, m2: Machine) -> bool:
    """Whether the reachable parts are equal up to renaming states.

    Inputs are matched by symbol (any order), outputs by symbol.

    >>> from catauto.automata import DFA
    >>> a = DFA([[1], [0]], accepting=[True, False])
    >>> b = DFA([[1], [0]], accepting=[False, True], initial=1)
    >>> isomorphic(a, b), isomorphic(a, a.complete())
    (True, True)
    """
    family = _family(m1, m2)
    if (m1.kind == "dfa") != (m2.kind == "dfa") or set(m1.inputs) != set(m2.inputs):
        return False
    perm = _input_permutation(m1, m2)
    map1, map2 = _output_map(m1, m2)
    r1 = reachable(m1)
    aligned = m2.with_tables(
        m2.delta[:, perm], m2.output[:, perm] if family == "mealy" else m2.output, m2.initial
    )
    r2 = reachable(aligned)
    if r1.delta.shape != r2.delta.shape or not np.array_equal(r1.delta, r2.delta):
        return False
    o1, o2 = map1[r1.output], map2[r2.output]
    if family == "mealy":
        o1, o2 = np.where(r1.delta < 0, -1, o1), np.where(r2.delta < 0, -1, o2)
    return bool(np.array_equal(o1, o2))


# -- products and boolean operations ---------------------------------------------------
def product(m1: Machine, m2: Machine) -> Machine:
    """The synchronous product: pairs of states, outputs are pairs of outputs.

    The reachable part, numbered breadth-first. Moore (and DFA) factors give a Moore
    machine, Mealy factors a Mealy machine; the output alphabet is every pair
    ``(o1, o2)`` in order. DFAs are completed first (rejecting sinks); for partial Moore
    and Mealy machines a transition is defined where both factors define it.

    >>> from catauto.automata import DFA
    >>> a = DFA([[1], [0]], accepting=[True, False])
    >>> p = product(a, DFA([[0]], accepting=[True]))
    >>> p.transduce([0, 0])
    [(True, True), (False, True), (True, True)]
    """
    family = _family(m1, m2)
    if family == "dfa":
        m1, m2 = complete(m1), complete(m2)
    perm = _input_permutation(m1, m2)
    n2 = m2.n_states
    d1, d2 = m1.delta, m2.delta[:, perm]
    codes = _explore_pairs(d1, d2, (m1.initial, m2.initial), None)[0]
    p, q = codes // n2, codes % n2
    s1, s2 = np.take(d1, p, axis=0), np.take(d2, q, axis=0)
    defined = (s1 >= 0) & (s2 >= 0)
    index = _PairIndex(m1.n_states * n2)
    index.set(codes, np.arange(len(codes)))
    delta = np.full(s1.shape, -1, dtype=np.int64)
    delta[defined] = index.get(s1[defined].astype(np.int64) * n2 + s2[defined])
    outputs = tuple((o1, o2) for o1 in m1.outputs for o2 in m2.outputs)
    if family == "mealy":
        out = m1.output[p] * m2.n_outputs + m2.output[:, perm][q]
        return m1.with_tables(delta, np.where(defined, out, -1), 0, kind="mealy", outputs=outputs)
    out = m1.output[p] * m2.n_outputs + m2.output[q]
    return m1.with_tables(delta, out, 0, kind="moore", outputs=outputs)


_BOOLEAN = {
    "and": np.logical_and,
    "or": np.logical_or,
    "xor": np.logical_xor,
    "minus": lambda a, b: a & ~b,
}


def boolean(m1: DFA, m2: DFA, op: str) -> DFA:
    """The product DFA accepting where ``op`` (and, or, xor, minus) of the two holds.

    >>> from catauto.automata import DFA
    >>> a = DFA([[1], [0]], accepting=[True, False])
    >>> b = DFA([[1], [2], [0]], accepting=[True, False, False])
    >>> [boolean(a, b, "or").accepts([0] * i) for i in range(6)]
    [True, False, True, True, True, False]
    """
    if getattr(m1, "kind", None) != "dfa" or getattr(m2, "kind", None) != "dfa":
        raise MachineError("boolean operations combine two DFAs")
    if op not in _BOOLEAN:
        raise MachineError(f"unknown boolean operation {op!r} (known: {', '.join(_BOOLEAN)})")
    p = product(m1, m2)
    pairs = np.array([[a, b] for a, b in p.outputs], dtype=bool)
    accepting = _BOOLEAN[op](pairs[p.output, 0], pairs[p.output, 1])
    return p.with_tables(p.delta, accepting, 0, kind="dfa")


def complement(m: DFA) -> DFA:
    """The DFA accepting exactly the words ``m`` rejects (completed first).

    >>> from catauto.automata import DFA
    >>> m = DFA([[1, -1], [-1, -1]], accepting=[False, True], inputs="ab")
    >>> [(~m).accepts(w) for w in ["a", "b", "ab"]]
    [False, True, True]
    """
    if getattr(m, "kind", None) != "dfa":
        raise MachineError("the complement is defined for DFAs")
    c = complete(m)
    return c.with_tables(c.delta, ~c.accepting, c.initial)


def is_empty(m: DFA) -> bool:
    """Whether the DFA accepts no word at all.

    >>> from catauto.automata import DFA
    >>> is_empty(DFA([[1], [1]], accepting=[False, True]))
    False
    """
    return not bool(m.output[bfs_order(m.delta, m.initial)].any())


# -- the coalgebra view ----------------------------------------------------------------
def coalgebra(m: Machine) -> Any:
    """``m`` as a :class:`catauto.coalgebra.Coalgebra` of ``MooreF(I, O)`` / ``MealyF(I, O)``.

    The carrier is the state numbers; ``structure(q)`` is the layer whose label is the
    output of ``q`` (Moore, DFA) or the tuple of outputs of its transitions (Mealy), and
    whose kids are the successors of ``q``, one per input. A partial machine is a
    coalgebra of ``O × (1 + X)^I``: undefined successors and outputs are ``None``.

    >>> from catauto.automata import DFA
    >>> c = coalgebra(DFA([[1], [0]], accepting=[True, False], inputs="a"))
    >>> c(0)
    Layer(con='moore', label=True, kids=(1,))
    """
    delta = m.delta.tolist()
    kids = [tuple(None if t < 0 else t for t in row) for row in delta]
    extra = () if m.is_complete else (None,)
    if m.kind == "mealy":
        functor = MealyF(m.inputs, (*m.outputs, *extra))
        outs = m.outputs
        labels = [
            tuple(None if t < 0 else outs[o] for t, o in zip(row, orow))
            for row, orow in zip(delta, m.output.tolist())
        ]
        con = "mealy"
    else:
        functor = MooreF(m.inputs, m.outputs)
        labels = [m.outputs[o] for o in m.output.tolist()]
        con = "moore"

    def structure(q: int) -> Layer:
        q = m.state_index(q)
        return Layer(con, labels[q], kids[q])

    return Coalgebra(functor, structure, carrier=f"states 0..{m.n_states - 1}")
