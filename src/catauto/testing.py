"""Helpers for users' own tests: hypothesis strategies and a semantics check.

Strategies (need ``hypothesis``, a dev dependency: ``pip install 'catauto[dev]'``; it
is imported only when a strategy is built, so ``import catauto.testing`` stays light):

- :func:`dfas`, :func:`moores`, :func:`mealys`: random machines (optionally partial);
- :func:`words`, :func:`word_lists`: words over an alphabet;
- :func:`terms`, :func:`forests`: generic terms of any polynomial functor;
- :func:`trees`: leaf-labelled binary trees (``catauto.algebra.Leaf``/``Node``).

:func:`assert_same_semantics` checks that a neural model (e.g. from
``catauto.neural.compile_machine``, or a trained network wrapped to the same batch
format) agrees with a symbolic machine word by word, and :func:`assert_equivalent` that
two machines do on every word (failing with a shortest counterexample). Both compare
symbols, not indices: alphabets listed in different orders are mapped by name.

:func:`settings` is ``hypothesis.settings`` with ``deadline=None`` (the first example of
a property that compiles JAX outlasts hypothesis' default 200 ms deadline), and
:func:`register_profile` registers a profile with no deadline for a whole suite.
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
    "assert_equivalent",
    "symbolic_run",
    "settings",
    "register_profile",
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


# --- hypothesis settings ----------------------------------------------------------------------


def settings(**overrides: Any) -> Any:
    """``hypothesis.settings`` with ``deadline=None`` (and ``overrides``), for properties
    that run JAX.

    Hypothesis fails an example that takes longer than its deadline (200 ms by default),
    and the first example of a property that compiles a network (``compile_machine``, a
    jitted run) spends longer than that compiling: use this instead of
    ``hypothesis.settings``, or load :func:`register_profile`'s profile for a whole suite.

    >>> settings().deadline is None
    True
    >>> settings(max_examples=5).max_examples
    5
    """
    from hypothesis import settings as hypothesis_settings

    return hypothesis_settings(**{"deadline": None, **overrides})


def register_profile(name: str = "catauto", **overrides: Any) -> str:
    """Register a hypothesis profile with ``deadline=None`` (and ``overrides``) under
    ``name`` and return the name; load it once, e.g. in your ``conftest.py``::

        from hypothesis import settings
        from catauto.testing import register_profile

        settings.load_profile(register_profile())

    >>> from hypothesis import settings as hypothesis_settings
    >>> name = register_profile("catauto-doctest", max_examples=20)
    >>> profile = hypothesis_settings.get_profile(name)
    >>> profile.deadline is None, profile.max_examples
    (True, 20)
    """
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile(name, **{"deadline": None, **overrides})
    return name


# --- semantics --------------------------------------------------------------------------------


class _Undefined:
    """Stands for "no output" (an undefined transition) in messages."""

    def __repr__(self) -> str:
        return "undefined"


_UNDEFINED = _Undefined()


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


def _alphabet_difference(what: str, first: Sequence, second: Sequence, names: tuple) -> str:
    """``""`` when the alphabets are equal as sets, else a sentence naming the symbols only
    one side has."""
    only1 = [s for s in first if s not in set(second)]
    only2 = [s for s in second if s not in set(first)]
    if not only1 and not only2:
        return ""
    sides = [f"only {n} has {only!r}" for n, only in zip(names, (only1, only2)) if only]
    return f"their {what} alphabets differ: {', '.join(sides)}"


def _in_model_order(batch: tuple, inputs: tuple, model_inputs: tuple) -> tuple:
    """``batch`` (indices into ``inputs``) re-encoded as indices into ``model_inputs``."""
    if inputs == model_inputs:
        return batch
    index = {s: i for i, s in enumerate(model_inputs)}
    perm = np.array([index[s] for s in inputs], dtype=np.int32)
    words, lengths = batch
    return perm[words], lengths


def _as_indices(got: np.ndarray) -> np.ndarray:
    """The model's output as integer indices (whole floats are accepted as such)."""
    if got.dtype.kind in "iub":
        return got.astype(np.int64)
    if got.dtype.kind == "f" and np.array_equal(got, np.round(got)):
        return got.astype(np.int64)
    raise AssertionError(
        f"the neural output holds {got.dtype} values, not output indices: pass decode= to"
        " map it to indices (e.g. decode=lambda y: y.argmax(-1))"
    )


def _carries_alphabets(model: Any) -> bool:
    """Whether ``model`` carries the alphabets of its indices: ``inputs`` and ``outputs``
    tuples, as :class:`catauto.neural.compile.CompiledPara` does (a plain Para has none)."""
    return isinstance(getattr(model, "inputs", None), tuple) and isinstance(
        getattr(model, "outputs", None), tuple
    )


def assert_same_semantics(
    machine: Any,
    neural_model: Any,
    params: Any,
    words: Sequence[Sequence[Hashable]] | None = None,
    max_len: int = 6,
    decode: Callable[[Any], Any] | None = None,
    *,
    model_alphabets: Any = None,
) -> None:
    """Assert that a neural model means what ``machine`` means: on every word, its
    output equals the symbolic run (see :func:`symbolic_run`), compared by symbol.

    The model reads and writes indices: ``neural_model.apply(params, (W, lengths))``
    takes input indices ``W: int[B, T]`` and returns what a compiled machine returns
    (DFA ``bool[B]``; Moore ``int[B, T + 1]``, Mealy ``int[B, T]`` output indices, -1
    for "undefined"). The alphabets its indices stand for are those of
    ``model_alphabets``: anything with ``inputs`` and ``outputs`` tuples, usually the
    machine the model was compiled from or extracted into. By default they are the
    model's own when it carries them (the Para of ``compile_machine(spec)`` has
    ``spec``'s as ``inputs`` and ``outputs``), else ``machine``'s. Words are
    encoded into the model's input order and its outputs read back as symbols, so two
    machines that differ only in the order of their alphabets (one built with
    ``Mealy.from_dict``, in order of appearance, one learned from traces, sorted) compare
    equal. The input alphabets must be the same set of symbols; output alphabets may
    differ (a symbol one side never outputs changes nothing).

    ``words`` defaults to every word up to ``max_len`` (at most 4096 of them, the
    shortest first). ``decode`` maps the model's raw output to indices (e.g. logits to
    ``argmax``) before comparing. Raises ``AssertionError`` naming the number of words
    on which they differ and the first, with both outputs in symbols.

    >>> from catauto.automata import Mealy
    >>> from catauto.neural import compile_machine
    >>> spec = Mealy.from_dict({"off": {"press": ("on!", "on"), "wait": ("-", "off")},
    ...                         "on": {"press": ("off!", "off"), "wait": ("-", "on")}},
    ...                        initial="off")
    >>> para, weights = compile_machine(spec)
    >>> assert_same_semantics(spec, para, weights)
    >>> sorted_spec = Mealy(spec.delta[:, ::-1], spec.output[:, ::-1], 0,
    ...                     ("wait", "press"), spec.outputs)   # the same machine
    >>> assert_same_semantics(sorted_spec, para, weights)  # para carries spec's alphabets
    >>> assert_same_semantics(sorted_spec, para, weights, model_alphabets=spec)
    >>> stuck = Mealy([[0, 0]], [[0, 1]], 0, ("press", "wait"), ("on!", "-"))
    >>> assert_same_semantics(stuck, para, weights, model_alphabets=spec)
    Traceback (most recent call last):
    ...
    AssertionError: neural and symbolic semantics differ on 99 of 127 words; first
    ('press', 'press'): neural ['on!', 'off!'], symbolic ['on!', 'on!']
    (their output alphabets differ: only the model has ['off!'])
    """
    if model_alphabets is None and _carries_alphabets(neural_model):
        model_alphabets = neural_model  # a compiled Para knows its alphabets
    alphabets = machine if model_alphabets is None else model_alphabets
    model_inputs, model_outputs = tuple(alphabets.inputs), tuple(alphabets.outputs)
    names = ("the machine", "the model")
    differ_in = _alphabet_difference("input", machine.inputs, model_inputs, names)
    if differ_in:
        raise AssertionError(
            f"the neural model and the machine cannot mean the same: {differ_in}"
            " (model_alphabets gives the model's alphabets)"
        )
    if words is None:
        words = all_words(machine.inputs, max_len)[:4096]
    words = [tuple(w) for w in words]
    if not words:
        raise CatautoError("assert_same_semantics: no words to compare on")
    batch = machine.encode_batch(words)
    expected = np.asarray(symbolic_run(machine, batch))
    got = neural_model.apply(params, _in_model_order(batch, machine.inputs, model_inputs))
    got = np.asarray(decode(got) if decode is not None else got)
    if got.shape != expected.shape:
        hint = " (pass decode= to map it to output indices)" if got.ndim > expected.ndim else ""
        raise AssertionError(
            f"neural output has shape {got.shape}, the symbolic run {expected.shape}{hint}"
        )
    if machine.kind == "dfa":  # accepted or not: no output alphabet to map
        got, expected = got.astype(bool), expected.astype(bool)
        differ = got != expected
        neural, symbolic = got, expected

        def shown(row: Any, i: int) -> Any:
            return bool(row[i])
    else:  # output indices of each side, read as symbols of one common alphabet
        got = _as_indices(got)
        width = np.asarray(batch[1]) + (0 if machine.kind == "mealy" else 1)
        live = np.arange(got.shape[1]) < width[:, None]  # the padding after a word is ignored
        out_of_range = live & ((got < -1) | (got >= len(model_outputs)))
        if out_of_range.any():
            i, t = np.argwhere(out_of_range)[0]
            raise AssertionError(
                f"on {words[i]!r} the neural model outputs index {got[i, t]} at step {t}, but"
                f" its output alphabet {model_outputs!r} has {len(model_outputs)} symbols"
            )
        common = list(dict.fromkeys((*machine.outputs, *model_outputs)))
        index = {o: c for c, o in enumerate(common)}
        from_model = np.array([index[o] for o in model_outputs] + [-1], dtype=np.int64)
        from_machine = np.array([index[o] for o in machine.outputs] + [-1], dtype=np.int64)
        neural = np.where(live, from_model[got], -1)  # index -1 reads the last entry: -1
        symbolic = np.where(live, from_machine[expected], -1)
        differ = neural != symbolic

        def shown(row: Any, i: int) -> Any:
            return [common[c] if c >= 0 else _UNDEFINED for c in row[i][: width[i]].tolist()]

    bad = np.flatnonzero(differ.reshape(len(words), -1).any(axis=1))
    if len(bad):
        i = bad[0]
        message = (
            f"neural and symbolic semantics differ on {len(bad)} of {len(words)} words; first"
            f" {words[i]!r}: neural {shown(neural, i)!r}, symbolic {shown(symbolic, i)!r}"
        )
        differ_out = _alphabet_difference("output", machine.outputs, model_outputs, names)
        if differ_out and machine.kind != "dfa":
            message += f"\n({differ_out})"
        if model_alphabets is None:
            message += (
                "\n(the model's indices were read as the machine's alphabets, inputs"
                f" {tuple(machine.inputs)!r} and outputs {tuple(machine.outputs)!r}; if it was"
                " compiled from another machine, pass model_alphabets=that machine)"
            )
        raise AssertionError(message)


def _outputs_along(m: Any, word: tuple) -> list:
    """``m``'s output on every prefix of ``word`` (Mealy: on each input; DFA and Moore:
    after each prefix, the empty one first), ``_UNDEFINED`` once the run is undefined."""
    mealy = m.kind == "mealy"
    q = m.initial
    out = [] if mealy else [m.outputs[m.output[q]]]
    for a in word:
        step = -1 if q < 0 else int(m.delta[q, m.input_index(a)])
        if step < 0:
            out.append(_UNDEFINED)
        elif mealy:
            out.append(m.outputs[m.output[q, m.input_index(a)]])
        else:
            out.append(m.outputs[m.output[step]])
        q = step
    return out


def _text_table(rows: list[list[str]], marks: list[str]) -> list[str]:
    widths = [max(len(r[j]) for r in rows) for j in range(len(rows[0]))]
    lines = ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    return [(line + mark).rstrip() for line, mark in zip(lines, marks)]


def assert_equivalent(a: Any, b: Any, names: tuple[str, str] = ("a", "b")) -> None:
    """Assert that two machines give the same output on every word (by symbol: the
    order of their alphabets does not matter; see :meth:`Machine.equivalent`).

    On failure the ``AssertionError`` gives a shortest word on which they differ
    (:meth:`Machine.counterexample`) and both machines' outputs along it, one row per
    step: a DFA's row says whether the prefix is accepted, a Moore machine's the output
    after the prefix (the empty prefix first), a Mealy machine's the output on that step's
    input; ``undefined`` where a partial machine has no transition. When the input
    alphabets are different sets the machines cannot be equivalent and the message says
    which symbols only one has. ``names`` label the machines in messages. Machines of
    kinds that cannot be compared (a Mealy machine and a DFA) raise
    :class:`~catauto.automata.MachineError`.

    >>> from catauto.automata import Mealy
    >>> a = Mealy.from_dict({"off": {"press": ("on!", "on")},
    ...                      "on": {"press": ("off!", "off")}}, initial="off")
    >>> b = Mealy.from_dict({0: {"press": ("on!", 1)}, 1: {"press": ("off!", 2)},
    ...                      2: {"press": ("on!", 0)}}, initial=0)
    >>> assert_equivalent(a, a.minimize())
    >>> assert_equivalent(a, b)
    Traceback (most recent call last):
    ...
    AssertionError: the machines differ; a shortest counterexample is
    ('press', 'press', 'press', 'press') (4 inputs), with both machines' outputs along it:
      step  input    a       b
      1     'press'  'on!'   'on!'
      2     'press'  'off!'  'off!'
      3     'press'  'on!'   'on!'
      4     'press'  'off!'  'on!'   <- differ
    """
    differ_in = _alphabet_difference("input", a.inputs, b.inputs, names)
    if differ_in:
        raise AssertionError(f"the machines are not equivalent: {differ_in}")
    word = a.counterexample(b)
    if word is None:
        return
    outs_a, outs_b = _outputs_along(a, word), _outputs_along(b, word)
    start = len(word) + 1 - len(outs_a)  # Mealy: no output before the first input
    rows = [["step", "input", *names]]
    marks = [""]
    for t, (x, y) in enumerate(zip(outs_a, outs_b), start):
        rows.append([str(t), repr(word[t - 1]) if t else "-", repr(x), repr(y)])
        marks.append("  <- differ" if repr(x) != repr(y) else "")
    lines = _text_table(rows, marks)
    if len(lines) > 32:  # a long counterexample: every step but the last agrees
        lines = [*lines[:6], f"  ... {len(lines) - 27} steps with equal outputs ...", *lines[-20:]]
    what = "whether accepted" if a.kind == b.kind == "dfa" else "outputs"
    message = "\n".join(
        [
            f"the machines differ; a shortest counterexample is {word!r}"
            f" ({len(word)} inputs), with both machines' {what} along it:",
            *lines,
        ]
    )
    differ_out = _alphabet_difference("output", a.outputs, b.outputs, names)
    if differ_out:
        message += f"\n({differ_out})"
    raise AssertionError(message)
