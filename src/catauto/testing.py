"""Helpers for users' own tests: hypothesis strategies and a semantics check.

Strategies (need ``hypothesis``, a dev dependency: ``pip install 'catauto[dev]'``; it
is imported only when a strategy is built, so ``import catauto.testing`` stays light):

- :func:`dfas`, :func:`moores`, :func:`mealys`: random machines (optionally partial);
- :func:`words`, :func:`word_lists`: words over an alphabet;
- :func:`terms`, :func:`forests`: generic terms of any polynomial functor;
- :func:`trees`: leaf-labelled binary trees (``catauto.algebra.Leaf``/``Node``).

:func:`assert_same_semantics` checks that a neural model (e.g. from
``catauto.neural.compile_machine``, or a trained network wrapped to the same batch
format) agrees with a symbolic machine word by word.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np

from catauto.errors import CatautoError

__all__ = [
    "dfas",
    "moores",
    "mealys",
    "words",
    "word_lists",
    "terms",
    "forests",
    "trees",
    "all_words",
    "assert_same_semantics",
    "symbolic_run",
]


def _st() -> Any:
    try:
        from hypothesis import strategies as st
    except ImportError as e:  # pragma: no cover - hypothesis is a dev dependency
        raise CatautoError(
            "catauto.testing strategies need hypothesis: pip install 'catauto[dev]'"
        ) from e
    return st


def _table(draw: Any, shape: tuple[int, ...], low: int, high: int) -> np.ndarray:
    st = _st()
    flat = draw(
        st.lists(st.integers(low, high), min_size=int(np.prod(shape)), max_size=int(np.prod(shape)))
    )
    return np.array(flat, dtype=np.int32).reshape(shape)


def _machine_strategy(kind: str, max_states: int, inputs: Sequence, n_outputs: int, partial: bool):
    st = _st()
    from catauto.automata import DFA, Mealy, Moore

    k = len(inputs)

    @st.composite
    def build(draw: Any) -> Any:
        n = draw(st.integers(1, max_states))
        delta = _table(draw, (n, k), -1 if partial else 0, n - 1)
        initial = draw(st.integers(0, n - 1))
        if kind == "dfa":
            return DFA(delta, _table(draw, (n,), 0, 1).astype(bool), initial, inputs)
        outs = tuple(f"o{i}" for i in range(n_outputs))
        if kind == "moore":
            return Moore(delta, _table(draw, (n,), 0, n_outputs - 1), initial, inputs, outs)
        out = _table(draw, (n, k), 0, n_outputs - 1)
        if partial:  # an undefined transition usually has no output either
            out[(delta < 0) & _table(draw, (n, k), 0, 1).astype(bool)] = -1
        return Mealy(delta, out, initial, inputs, outs)

    return build()


def dfas(max_states: int = 5, inputs: Sequence[Hashable] = ("a", "b"), partial: bool = False):
    """Random DFAs with 1..max_states states (``partial``: some transitions -1)."""
    return _machine_strategy("dfa", max_states, tuple(inputs), 2, partial)


def moores(
    max_states: int = 5,
    inputs: Sequence[Hashable] = ("a", "b"),
    n_outputs: int = 3,
    partial: bool = False,
):
    """Random Moore machines with outputs ``("o0", "o1", ...)``."""
    return _machine_strategy("moore", max_states, tuple(inputs), n_outputs, partial)


def mealys(
    max_states: int = 5,
    inputs: Sequence[Hashable] = ("a", "b"),
    n_outputs: int = 3,
    partial: bool = False,
):
    """Random Mealy machines with outputs ``("o0", "o1", ...)``."""
    return _machine_strategy("mealy", max_states, tuple(inputs), n_outputs, partial)


def words(inputs: Sequence[Hashable], max_len: int = 8, min_len: int = 0):
    """Words (tuples) over ``inputs``."""
    st = _st()
    return st.lists(st.sampled_from(tuple(inputs)), min_size=min_len, max_size=max_len).map(tuple)


def word_lists(inputs: Sequence[Hashable], max_len: int = 8, max_size: int = 16):
    """Non-empty lists of :func:`words`."""
    st = _st()
    return st.lists(words(inputs, max_len), min_size=1, max_size=max_size)


def _label_strategy(c: Any) -> Any:
    st = _st()
    from catauto.functor import Power

    if c.labels is None:
        return st.integers(-9, 9)
    if isinstance(c.labels, Power):
        return st.tuples(*[st.sampled_from(c.labels.base)] * c.labels.length)
    return st.sampled_from(c.labels)


def terms(functor: Any, max_nodes: int = 30):
    """Generic terms (nested :class:`~catauto.functor.Layer`) of ``functor`` with at most
    about ``max_nodes`` nodes (when the budget is spent only nullary constructors are used)."""
    st = _st()
    from catauto.functor import Layer

    nullary = [c for c in functor.constructors if c.arity == 0]
    if not nullary:
        raise CatautoError(f"{functor.name} has no nullary constructor: it has no finite terms")

    @st.composite
    def build(draw: Any) -> Layer:
        budget = [draw(st.integers(1, max_nodes))]

        def grow() -> Layer:
            budget[0] -= 1
            pool = functor.constructors if budget[0] > 0 else nullary
            c = draw(st.sampled_from(pool))
            label = draw(_label_strategy(c))
            return Layer(c.name, label, tuple(grow() for _ in range(c.arity)))

        return grow()

    return build()


def forests(functor: Any, max_terms: int = 8, max_nodes: int = 30):
    """Non-empty lists of :func:`terms`."""
    return _st().lists(terms(functor, max_nodes), min_size=1, max_size=max_terms)


def trees(labels: Sequence[Hashable] = tuple(range(10)), max_leaves: int = 16):
    """Leaf-labelled binary trees as ``Leaf``/``Node`` values (``catauto.algebra.trees``)."""
    st = _st()
    from catauto.algebra import Leaf, Node

    @st.composite
    def build(draw: Any) -> Any:
        def grow(n: int) -> Any:
            if n == 1:
                return Leaf(draw(st.sampled_from(tuple(labels))))
            k = draw(st.integers(1, n - 1))
            return Node(grow(k), grow(n - k))

        return grow(draw(st.integers(1, max_leaves)))

    return build()


# --- semantics --------------------------------------------------------------------------------


def all_words(inputs: Sequence[Hashable], max_len: int) -> list[tuple]:
    """Every word of length ``0..max_len``, shortest first."""
    return [w for n in range(max_len + 1) for w in itertools.product(inputs, repeat=n)]


def symbolic_run(machine: Any, batch: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """The symbolic counterpart of a compiled network's output on an encoded batch:
    ``accepts_batch`` for a DFA, ``transduce_batch(...)[0]`` for Moore and Mealy."""
    from catauto.automata import DFA

    words, lengths = batch
    if isinstance(machine, DFA):
        return machine.accepts_batch(words, lengths)
    return machine.transduce_batch(words, lengths)[0]


def assert_same_semantics(
    machine: Any,
    neural_model: Any,
    params: Any,
    words: Sequence[Sequence[Hashable]] | None = None,
    max_len: int = 6,
    decode: Callable[[Any], Any] | None = None,
) -> None:
    """Assert that ``neural_model.apply(params, machine.encode_batch(words))`` equals the
    symbolic run (see :func:`symbolic_run`) on every word.

    ``words`` defaults to every word up to ``max_len`` (at most 4096 of them, the
    shortest first). ``decode`` maps the model's raw output to the symbolic format
    (e.g. logits to indices) before comparing. Raises ``AssertionError`` naming the
    first word on which they differ and both answers.

    >>> from catauto.automata import DFA
    >>> from catauto.neural import compile_machine
    >>> m = DFA([[1, 0], [0, 1]], accepting=[True, False], inputs="ab")
    >>> para, params = compile_machine(m)
    >>> assert_same_semantics(m, para, params)
    """
    if words is None:
        words = all_words(machine.inputs, max_len)[:4096]
    words = [tuple(w) for w in words]
    if not words:
        raise CatautoError("assert_same_semantics: no words to compare on")
    batch = machine.encode_batch(words)
    expected = np.asarray(symbolic_run(machine, batch))
    got = neural_model.apply(params, batch)
    got = np.asarray(decode(got) if decode is not None else got)
    if got.shape != expected.shape:
        raise AssertionError(
            f"neural output has shape {got.shape}, the symbolic run {expected.shape}"
        )
    differ = got != expected
    if differ.ndim == 2:  # an output per step: the word's own steps count, not the padding
        width = np.asarray(batch[1]) + (0 if machine.kind == "mealy" else 1)
        differ &= np.arange(differ.shape[1]) < width[:, None]
    bad = np.flatnonzero(differ.reshape(len(words), -1).any(axis=1))
    if len(bad):
        i = bad[0]
        neural, symbolic = (x[i][: width[i]] if x.ndim == 2 else x[i] for x in (got, expected))
        raise AssertionError(
            f"neural and symbolic semantics differ on {len(bad)} of {len(words)} words; first "
            f"{words[i]!r}: neural {neural.tolist()!r}, symbolic {symbolic.tolist()!r}"
        )
