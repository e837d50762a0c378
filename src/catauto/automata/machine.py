"""DFA, Moore and Mealy machines as compact, integer-indexed, immutable tables.

A machine with ``n`` states over ``k`` inputs is a coalgebra of ``MooreF(I, O)`` or
``MealyF(I, O)`` stored like AutomataLib's compact machines:

- ``delta``: ``int32[n, k]``, the next state, ``-1`` where a partial machine is undefined;
- ``output``: ``int32[n]`` (Moore, DFA) or ``int32[n, k]`` (Mealy; ``-1`` where undefined),
  indices into ``outputs``;
- ``initial``: the initial state; ``inputs`` / ``outputs``: tuples of hashable symbols.

A DFA is the Moore machine whose outputs are ``(False, True)``. An output alphabet may
hold symbols that no state uses. ``m.coalgebra()`` gives the structure map as a
:class:`catauto.coalgebra.Coalgebra`; the algebra of machines (``reachable``,
``complete``, ``minimize``, ``equivalent``, ``counterexample``, ``isomorphic``,
``product`` / ``*``, and on DFAs ``&``, ``|``, ``^``, ``-``, ``~``, ``is_empty``) lives in
:mod:`catauto.automata.ops`, the drawing (``to_dot``, ``render``, the notebook display)
in :mod:`catauto.automata.draw`. Neither imports this module: they build machines
through ``m.with_tables``, which finds the class of a kind in ``KINDS``.

>>> m = DFA([[1, 0], [0, 1]], accepting=[True, False], inputs="ab")
>>> m.accepts("aa"), m.accepts("a")
(True, False)
>>> m.run_batch(["aa", "a", ""]).tolist()
[0, 1, 0]
>>> m.minimize().n_states, m.counterexample(DFA([[0, 0]], [True], inputs="ab"))
(2, ('a',))
"""

from __future__ import annotations

import operator
from collections.abc import Hashable, Iterable, Mapping, Sequence
from itertools import chain
from typing import Any, ClassVar

import numpy as np

from catauto.automata import draw, ops
from catauto.automata.ops import with_sink
from catauto.errors import MachineError

__all__ = ["DFA", "KINDS", "Machine", "MachineError", "Mealy", "Moore"]

_SEQUENCES = (list, tuple, str)
"""Words of these types are used as they are; other iterables are listed first."""


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a, dtype=np.int32)
    a.flags.writeable = False
    return a


def _alphabet(symbols: Iterable[Hashable] | None, size: int | None, what: str) -> tuple:
    """The alphabet (default ``range(size)``); ``size`` None: any length will do."""
    if symbols is None:
        return tuple(range(size or 0))
    symbols = tuple(symbols)
    if size is not None and len(symbols) != size:
        raise MachineError(f"{what} alphabet has {len(symbols)} symbols, the table needs {size}")
    try:
        distinct = len(set(symbols))
    except TypeError:
        bad = next(s for s in symbols if not _hashable(s))
        raise MachineError(
            f"{what} symbol {bad!r} is not hashable (use a tuple instead of a list)"
        ) from None
    if distinct != len(symbols):
        seen: set = set()
        dup = next(s for s in symbols if s in seen or seen.add(s))
        raise MachineError(f"{what} alphabet repeats the symbol {dup!r}")
    return symbols


def _encode_chars(words: list, total: int, table: np.ndarray) -> np.ndarray | None:
    """The fast path of encoding when every input is a one-character ``str``.

    Joins all symbols with a separator ``S`` that is no input and looks the code points
    up at once; the string has the shape ``s S s S ... s`` (length ``2 * total - 1``,
    ``S`` exactly at the odd positions) iff every symbol was one character. None when
    that fails: the general path then encodes (or names the offending symbol).
    """
    sep = len(table) - 1
    try:
        # empty words are skipped before joining: a word of one empty symbol must count
        joined = chr(sep).join(chr(sep).join(w) for w in words if len(w))
        if len(joined) != 2 * total - 1:
            return None
        if sep < 256:
            points = np.frombuffer(joined.encode("latin-1"), np.uint8)
        else:
            points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), np.uint32)
    except (TypeError, UnicodeEncodeError):
        return None
    codes = table[np.minimum(points[::2], sep)]
    if (points[1::2] == sep).all() and (codes >= 0).all():
        return codes
    return None


def _hashable(x: object) -> bool:
    try:
        hash(x)
    except TypeError:
        return False
    return True


class Machine:
    """The shared part of DFA, Moore and Mealy: tables, alphabets, encoding and runs."""

    kind: ClassVar[str] = "machine"
    __slots__ = (
        "delta",
        "output",
        "initial",
        "inputs",
        "outputs",
        "_cache",
        "_in_index",
        "_out_index",
    )

    def __init__(
        self,
        delta: Any,
        output: Any,
        initial: int = 0,
        inputs: Iterable[Hashable] | None = None,
        outputs: Iterable[Hashable] | None = None,
    ) -> None:
        delta = np.asarray(delta)
        if delta.ndim != 2 or delta.shape[0] == 0:
            raise MachineError(f"delta must be a non-empty 2-d table, got shape {delta.shape}")
        if delta.dtype.kind not in "iu":
            raise MachineError(f"delta must hold integers, got dtype {delta.dtype}")
        n, k = delta.shape
        bad = np.argwhere((delta < -1) | (delta >= n))
        if len(bad):
            q, a = bad[0]
            raise MachineError(
                f"delta[{q}, {a}] = {delta[q, a]} is not a state (0..{n - 1}) nor -1 (undefined)"
            )
        try:
            initial = operator.index(initial)
        except TypeError:
            raise MachineError(f"initial state must be an int, got {initial!r}") from None
        if not 0 <= initial < n:
            raise MachineError(f"initial state {initial} is not a state (0..{n - 1})")
        output = np.asarray(output)
        if output.dtype == bool:
            output = output.astype(np.int32)
        if output.dtype.kind not in "iu":
            raise MachineError(f"output must hold integer indices, got dtype {output.dtype}")
        if output.size and (output.min() < -(2**31) or output.max() >= 2**31):
            # checked before the int32 tables, which would wrap such an index silently
            bad = output.min() if output.min() < -(2**31) else output.max()
            raise MachineError(f"output index {bad} is not an output")
        self.delta = _frozen(delta)
        self.initial = initial
        self.inputs = _alphabet(inputs, k, "input")
        n_out = int(output.max()) + 1 if output.size else 0
        # Given output alphabets may hold symbols no state uses; _check_output bounds them.
        self.outputs = _alphabet(outputs, None if outputs is not None else n_out, "output")
        self.output = _frozen(output)
        self._check_output()
        self._cache: dict[str, Any] = {}  # derived tables, built on first use
        self._in_index = {s: i for i, s in enumerate(self.inputs)}
        self._out_index = {s: i for i, s in enumerate(self.outputs)}

    # -- shape -------------------------------------------------------------------------
    def _check_output(self) -> None:
        raise NotImplementedError

    @property
    def n_states(self) -> int:
        return self.delta.shape[0]

    @property
    def n_inputs(self) -> int:
        return self.delta.shape[1]

    @property
    def n_outputs(self) -> int:
        return len(self.outputs)

    @property
    def is_complete(self) -> bool:
        """Whether every transition is defined."""
        return bool((self.delta >= 0).all())

    def input_index(self, symbol: Hashable) -> int:
        try:
            return self._in_index[symbol]
        except (KeyError, TypeError):
            raise MachineError(f"{symbol!r} is not an input symbol of this machine") from None

    def output_index(self, symbol: Hashable) -> int:
        try:
            return self._out_index[symbol]
        except (KeyError, TypeError):
            raise MachineError(f"{symbol!r} is not an output symbol of this machine") from None

    # -- encoding ----------------------------------------------------------------------
    def encode(self, word: Iterable[Hashable]) -> np.ndarray:
        """The word as ``int32[len]`` input indices; unknown symbols name their position."""
        index = self._in_index
        try:
            return np.fromiter((index[s] for s in word), dtype=np.int32)
        except (KeyError, TypeError):
            word = list(word)
            for pos, s in enumerate(word):
                if s not in index:
                    raise MachineError(
                        f"symbol {s!r} at position {pos} of word {word!r} is not an input"
                    ) from None
            raise

    def encode_batch(self, words: Iterable[Iterable[Hashable]]) -> tuple[np.ndarray, np.ndarray]:
        """Words as a padded ``int32[B, T]`` array (padding 0) and ``int64[B]`` lengths."""
        words = [w if isinstance(w, _SEQUENCES) else list(w) for w in words]
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        width = int(lengths.max()) if len(words) else 0
        flat = self._encode_flat(words, int(lengths.sum()))
        if len(flat) == len(words) * width:  # all of one length: no padding
            return flat.reshape(len(words), width), lengths
        padded = np.zeros((len(words), width), dtype=np.int32)
        padded[np.arange(width) < lengths[:, None]] = flat
        return padded, lengths

    def _encode_flat(self, words: list, total: int) -> np.ndarray:
        """All symbols of all words as one ``int32[total]`` array of input indices."""
        table = self._char_table()
        if table is not None and total:
            codes = _encode_chars(words, total, table)
            if codes is not None:
                return codes
        try:
            indices = map(self._in_index.__getitem__, chain.from_iterable(words))
            if self.n_inputs <= 256:  # bytes() collects small ints fastest
                return np.frombuffer(bytes(indices), dtype=np.uint8).astype(np.int32)
            return np.fromiter(indices, np.int32, total)
        except (KeyError, TypeError):
            for w in words:
                self.encode(w)  # raises, naming the symbol and its position
            raise

    def _char_table(self) -> np.ndarray | None:
        """Code point -> input index (-1: none) if every input is a one-character str."""
        if "chars" not in self._cache:
            table = None
            if self.inputs and all(type(a) is str and len(a) == 1 for a in self.inputs):
                points = [ord(a) for a in self.inputs]
                table = np.full(max(points) + 2, -1, dtype=np.int32)  # last entry: beyond
                table[points] = np.arange(len(points), dtype=np.int32)
            self._cache["chars"] = table
        return self._cache["chars"]

    def _as_batch(self, words: Any, lengths: Any) -> tuple[np.ndarray, np.ndarray]:
        if not isinstance(words, np.ndarray) and hasattr(words, "__array__"):
            words = np.asarray(words)  # e.g. a JAX array of input indices
        if isinstance(words, np.ndarray) and words.dtype.kind in "iu":
            words = np.atleast_2d(words)
            lengths = (
                np.full(len(words), words.shape[1], dtype=np.int64)
                if lengths is None
                else np.asarray(lengths, dtype=np.int64)
            )
            if lengths.shape != (len(words),) or ((lengths < 0) | (lengths > words.shape[1])).any():
                raise MachineError(
                    "lengths must give one length per row, from 0 to the row's width"
                )
            if words.size and (words.min() < 0 or words.max() >= self.n_inputs):
                mask = np.arange(words.shape[1]) < lengths[:, None]  # padding may be anything
                if ((words < 0) | (words >= self.n_inputs))[mask].any():
                    raise MachineError(f"encoded words hold indices outside 0..{self.n_inputs - 1}")
                words = np.where(mask, words, 0)  # the runs index every column
            return words, lengths
        if lengths is not None:
            raise MachineError(
                "lengths go with a padded int array of input indices; a list of words"
                " carries its own lengths"
            )
        return self.encode_batch(words)

    # -- runs --------------------------------------------------------------------------
    def state_index(self, state: Any) -> int:
        """``state`` as an int, or a ``MachineError`` if it is not a state of this machine."""
        try:
            q = operator.index(state)
        except TypeError:
            q = -1
        if not 0 <= q < self.n_states:
            raise MachineError(f"{state!r} is not a state of this machine (0..{self.n_states - 1})")
        return q

    def step(self, state: int, symbol: Hashable) -> int:
        """The successor of ``state`` on ``symbol`` (-1 where undefined)."""
        return int(self.delta[self.state_index(state), self.input_index(symbol)])

    def run(self, word: Iterable[Hashable], state: int | None = None) -> int:
        """The state reached from ``state`` (default: initial) on ``word``; -1 if undefined."""
        q = self.initial if state is None else self.state_index(state)
        delta = self.delta
        for a in self.encode(word):
            q = delta[q, a]
            if q < 0:
                return -1
        return int(q)

    def states_batch(self, words: Any, lengths: Any = None) -> tuple[np.ndarray, np.ndarray]:
        """All states visited: ``int32[B, T+1]`` (column 0 is the initial state) and lengths.

        Entries past a word's end repeat its last state; -1 marks an undefined run.
        """
        W, lengths = self._as_batch(words, lengths)
        total = with_sink(self.delta)
        B, T = W.shape
        Q = np.empty((B, T + 1), dtype=np.int32)
        Q[:, 0] = self.initial
        for t in range(T):
            live = lengths > t
            Q[:, t + 1] = np.where(live, total[Q[:, t], W[:, t]], Q[:, t])
        Q[Q == self.n_states] = -1
        return Q, lengths

    def run_batch(self, words: Any, lengths: Any = None) -> np.ndarray:
        """Final states ``int32[B]`` of many words at numpy speed (-1 where undefined).

        ``words`` is a list of symbol sequences, or an ``int[B, T]`` array of input
        indices with optional ``lengths`` (default: every row is a whole word).
        """
        W, lengths = self._as_batch(words, lengths)
        B, T = W.shape
        n, k = self.delta.shape
        if k == 0 or T == 0:
            return np.full(B, self.initial, dtype=np.int32)
        # State q is held as q * k, so one add and one gather make a step.
        table = self._scaled_table()
        r = np.full(B, self.initial * k, dtype=table.dtype)
        scratch = np.empty_like(r)
        if (lengths == T).all():
            columns = np.ascontiguousarray(W.T, dtype=table.dtype)
            for t in range(T):
                np.add(r, columns[t], out=scratch)
                np.take(table, scratch, out=r)
            q = r // k
        else:
            # Words sorted by decreasing length: at step t the live words are a prefix.
            order = np.argsort(-lengths, kind="stable")
            columns = np.ascontiguousarray(W.T[:, order], dtype=table.dtype)
            live_counts = np.searchsorted(-lengths[order], -np.arange(T), side="left")
            for t, live in enumerate(live_counts.tolist()):
                if live == 0:
                    break
                np.add(r[:live], columns[t, :live], out=scratch[:live])
                np.take(table, scratch[:live], out=r[:live])
            q = np.empty_like(r)
            q[order] = r // k
        q[q == n] = -1
        return q.astype(np.int32, copy=False)

    def _scaled_table(self) -> np.ndarray:
        """``k * total_delta``, flattened: entry ``q * k + a`` is ``k * delta[q, a]``."""
        if "scaled" not in self._cache:
            n, k = self.delta.shape
            dtype = np.int32 if (n + 1) * k < 2**31 else np.int64
            self._cache["scaled"] = (with_sink(self.delta).astype(dtype) * k).ravel()
        return self._cache["scaled"]

    # -- values ------------------------------------------------------------------------
    def _key(self) -> tuple:
        return (
            self.kind,
            self.initial,
            self.inputs,
            self.outputs,
            self.delta.shape,
            self.delta.tobytes(),
            self.output.tobytes(),
        )

    def __eq__(self, other: object) -> bool:
        """Identical tables and alphabets (use ``equivalent`` for equal behaviour)."""
        return type(other) is type(self) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__}: {self.n_states} states, {self.n_inputs} inputs"
            f", {self.n_outputs} outputs>"
        )

    # -- the algebra of machines (catauto.automata.ops) ----------------------------------
    def with_tables(
        self,
        delta: Any,
        output: Any,
        initial: int = 0,
        *,
        kind: str | None = None,
        outputs: Iterable[Hashable] | None = None,
    ) -> Any:
        """A machine over this one's inputs with new tables: of this one's kind, or of
        ``kind`` (``"dfa"``, ``"moore"``, ``"mealy"``), with this one's outputs or
        ``outputs`` (a DFA's are always ``(False, True)``, its ``output`` is read as bools).

        >>> m = DFA([[1], [0]], accepting=[True, False], inputs="a")
        >>> m.with_tables([[0]], [1]).accepts("aa")
        True
        >>> m.with_tables([[0]], [0], kind="moore", outputs=["x"]).transduce("a")
        ['x', 'x']
        """
        cls = KINDS[kind or self.kind]
        if cls.kind == "dfa":
            return cls(delta, np.asarray(output).astype(bool), initial, self.inputs)
        outs = self.outputs if outputs is None else outputs
        return cls(delta, output, initial, self.inputs, outs)

    def reachable(self) -> Any:
        """The reachable part in canonical breadth-first numbering (see ``ops.reachable``)."""
        return ops.reachable(self)

    def complete(self, sink: Any = ops.NO_SINK) -> Any:
        """Undefined transitions sent to a new sink state (see ``ops.complete``)."""
        return ops.complete(self, sink)

    def minimize(self) -> Any:
        """The minimal equivalent machine, canonically numbered (see ``ops.minimize``)."""
        return ops.minimize(self)

    def equivalent(self, other: Machine) -> bool:
        """Same output on every word (see ``ops.equivalent``)."""
        return ops.equivalent(self, other)

    def counterexample(self, other: Machine) -> tuple | None:
        """A shortest word telling the machines apart, or None (``ops.counterexample``)."""
        return ops.counterexample(self, other)

    def isomorphic(self, other: Machine) -> bool:
        """Equal reachable parts up to renaming states (see ``ops.isomorphic``)."""
        return ops.isomorphic(self, other)

    def product(self, other: Machine) -> Any:
        """The synchronous product with pair outputs (see ``ops.product``)."""
        return ops.product(self, other)

    def __mul__(self, other: Machine) -> Any:
        if not isinstance(other, Machine):
            return NotImplemented
        return self.product(other)

    def coalgebra(self) -> Any:
        """This machine as a ``catauto.coalgebra.Coalgebra`` of ``MooreF`` / ``MealyF``.

        States are ints; the structure map of state ``q`` is the layer
        ``(output, successors)``. A partial machine is a coalgebra of ``O × (1 + X)^I``:
        undefined successors (and Mealy outputs) are ``None``.
        """
        return ops.coalgebra(self)

    # -- drawing (catauto.automata.draw) -------------------------------------------------
    def to_dot(self, **options: Any) -> str:
        """DOT text for this machine; see ``catauto.automata.draw.to_dot``."""
        return draw.to_dot(self, **options)

    def render(self, path: Any, format: str | None = None, **options: Any) -> Any:
        """Draw into ``path`` (svg/png/pdf); see ``catauto.automata.draw.render``."""
        return draw.render(self, path, format, **options)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        return draw.mimebundle(self)

    def _repr_svg_(self) -> str | None:
        return self._repr_mimebundle_().get("image/svg+xml")

    def __setattr__(self, name: str, value: Any) -> None:
        if hasattr(self, "_out_index"):
            raise AttributeError(f"{type(self).__name__} is immutable")
        object.__setattr__(self, name, value)


class Moore(Machine):
    """A Moore machine: one output per state, ``transduce`` gives one per prefix.

    >>> m = Moore([[1], [0]], output=[0, 1], inputs=["t"], outputs=["off", "on"])
    >>> m.transduce(["t", "t"])
    ['off', 'on', 'off']
    """

    kind: ClassVar[str] = "moore"
    __slots__ = ()

    def _check_output(self) -> None:
        if self.output.shape != (self.n_states,):
            what = "accepting" if self.kind == "dfa" else "a Moore output table"
            raise MachineError(
                f"{what} has shape ({self.n_states},), one entry per state, got {self.output.shape}"
            )
        bad = np.flatnonzero((self.output < 0) | (self.output >= self.n_outputs))
        if len(bad):
            q = bad[0]
            raise MachineError(f"output[{q}] = {self.output[q]} is not an output index")

    def output_of(self, state: int) -> Hashable:
        return self.outputs[self.output[state]]

    def transduce(self, word: Iterable[Hashable]) -> list:
        """Outputs of every prefix of ``word``, the empty prefix first (``len(word) + 1``)."""
        q = self.initial
        out = [self.outputs[self.output[q]]]
        for pos, a in enumerate(self.encode(word)):
            if self.delta[q, a] < 0:
                raise MachineError(
                    f"no transition from state {q} on {self.inputs[a]!r} at position {pos}"
                )
            q = self.delta[q, a]
            out.append(self.outputs[self.output[q]])
        return out

    def transduce_batch(self, words: Any, lengths: Any = None) -> tuple[np.ndarray, np.ndarray]:
        """Output indices ``int32[B, T+1]`` per prefix (-1 past an undefined step), lengths."""
        Q, lengths = self.states_batch(words, lengths)
        return np.where(Q >= 0, self.output[Q], -1).astype(np.int32), lengths

    @classmethod
    def from_transitions(
        cls,
        transitions: Iterable[tuple[Hashable, Hashable, Hashable]],
        outputs: Mapping[Hashable, Hashable],
        initial: Hashable,
        inputs: Sequence[Hashable] | None = None,
        output_alphabet: Sequence[Hashable] | None = None,
    ) -> Moore:
        """From ``(source, input, target)`` triples and ``{state: output}`` (states: any names)."""
        transitions = list(transitions)
        states = _StateNames(initial, outputs)
        for src, _, dst in transitions:
            states.add(src), states.add(dst)
        ins = _symbols(inputs, (a for _, a, _ in transitions))
        outs = _symbols(output_alphabet, outputs.values())
        delta = _fill_delta(states, ins, ((s, a, d) for s, a, d in transitions))
        missing = [s for s in states.names if s not in outputs]
        if missing:
            raise MachineError(f"state {missing[0]!r} has no output")
        out_index = {o: i for i, o in enumerate(outs)}
        unknown = [s for s in states.names if outputs[s] not in out_index]
        if unknown:
            s = unknown[0]
            raise MachineError(f"output {outputs[s]!r} of state {s!r} is not in the outputs")
        output = [out_index[outputs[s]] for s in states.names]
        return cls(delta, output, 0, ins, outs)

    @classmethod
    def from_dict(
        cls,
        transitions: Mapping[Hashable, Mapping[Hashable, Hashable]],
        outputs: Mapping[Hashable, Hashable],
        initial: Hashable,
        **alphabets: Any,
    ) -> Moore:
        """From ``{state: {input: target}}`` and ``{state: output}``."""
        triples = [(s, a, d) for s, row in transitions.items() for a, d in row.items()]
        return cls.from_transitions(triples, outputs, initial, **alphabets)


class DFA(Moore):
    """A deterministic finite automaton: a Moore machine with outputs ``(False, True)``.

    ``accepting`` is ``bool[n]``. A partial DFA rejects a word that leaves its table.

    >>> even_a = DFA.from_dict({0: {"a": 1, "b": 0}, 1: {"a": 0, "b": 1}}, accepting={0}, initial=0)
    >>> [even_a.accepts(w) for w in ["", "ab", "aba"]]
    [True, False, True]
    """

    kind: ClassVar[str] = "dfa"
    __slots__ = ()

    def __init__(
        self,
        delta: Any,
        accepting: Any,
        initial: int = 0,
        inputs: Iterable[Hashable] | None = None,
        outputs: Any = None,
    ) -> None:
        accepting = np.asarray(accepting)
        if accepting.dtype != bool:
            if accepting.dtype.kind not in "iu" or not np.isin(accepting, (0, 1)).all():
                raise MachineError("accepting must be a boolean array, one entry per state")
            accepting = accepting.astype(bool)
        if outputs is not None and tuple(outputs) != (False, True):  # taken for uniformity
            raise MachineError(f"a DFA's outputs are (False, True), got {tuple(outputs)!r}")
        super().__init__(delta, accepting.astype(np.int32), initial, inputs, (False, True))

    @property
    def accepting(self) -> np.ndarray:
        """``bool[n]``: which states accept."""
        return self.output.astype(bool)

    def accepts(self, word: Iterable[Hashable]) -> bool:
        q = self.run(word)
        return bool(q >= 0 and self.output[q])

    def accepts_batch(self, words: Any, lengths: Any = None) -> np.ndarray:
        """``bool[B]``: acceptance of many words (see ``run_batch``)."""
        q = self.run_batch(words, lengths)
        return (q >= 0) & (self.output[np.maximum(q, 0)] == 1)

    @classmethod
    def from_transitions(  # type: ignore[override]
        cls,
        transitions: Iterable[tuple[Hashable, Hashable, Hashable]],
        accepting: Iterable[Hashable],
        initial: Hashable,
        inputs: Sequence[Hashable] | None = None,
        states: Iterable[Hashable] = (),
    ) -> DFA:
        """From ``(source, input, target)`` triples and the set of accepting state names.

        ``states`` names states that have no transitions at all (they exist all the same).
        """
        transitions = list(transitions)
        states = _StateNames(initial, states)
        accepting = set(accepting)
        for src, _, dst in transitions:
            states.add(src), states.add(dst)
        for s in accepting:
            states.add(s)
        ins = _symbols(inputs, (a for _, a, _ in transitions))
        delta = _fill_delta(states, ins, transitions)
        return cls(delta, [s in accepting for s in states.names], 0, ins)

    @classmethod
    def from_dict(  # type: ignore[override]
        cls,
        transitions: Mapping[Hashable, Mapping[Hashable, Hashable]],
        accepting: Iterable[Hashable],
        initial: Hashable,
        inputs: Sequence[Hashable] | None = None,
    ) -> DFA:
        """From ``{state: {input: target}}`` and the accepting state names."""
        triples = [(s, a, d) for s, row in transitions.items() for a, d in row.items()]
        return cls.from_transitions(triples, accepting, initial, inputs, states=transitions)

    # -- boolean operations (catauto.automata.ops) --------------------------------------
    def _boolean(self, other: Any, op: str) -> Any:
        return ops.boolean(self, other, op) if isinstance(other, DFA) else NotImplemented

    def __and__(self, other: DFA) -> DFA:
        """The words both accept."""
        return self._boolean(other, "and")

    def __or__(self, other: DFA) -> DFA:
        """The words either accepts."""
        return self._boolean(other, "or")

    def __xor__(self, other: DFA) -> DFA:
        """The words exactly one of the two accepts."""
        return self._boolean(other, "xor")

    def __sub__(self, other: DFA) -> DFA:
        """The words ``self`` accepts and ``other`` does not."""
        return self._boolean(other, "minus")

    def __invert__(self) -> DFA:
        """The words ``self`` rejects."""
        return ops.complement(self)

    def is_empty(self) -> bool:
        """Whether no word is accepted."""
        return ops.is_empty(self)

    @classmethod
    def from_words(
        cls, words: Iterable[Iterable[Hashable]], inputs: Iterable[Hashable] | None = None
    ) -> DFA:
        """The minimal (trim) DFA accepting exactly the given finite set of words.

        ``inputs`` defaults to the symbols of the words in order of first appearance.

        >>> m = DFA.from_words(["a", "ab", "b"])
        >>> [m.accepts(w) for w in ["", "a", "ab", "b", "ba"]]
        [False, True, True, True, False]
        """
        words = [tuple(w) for w in words]
        seen = dict.fromkeys(s for w in words for s in w)
        ins = tuple(seen) if inputs is None else tuple(inputs)
        index = {a: i for i, a in enumerate(ins)}
        missing = [s for s in seen if s not in index]
        if missing:
            raise MachineError(
                f"symbol {missing[0]!r} of the words is not among the inputs {ins!r}"
            )
        delta: list[list[int]] = [[-1] * len(ins)]
        accepting = [False]
        for w in words:
            q = 0
            for s in w:
                a = index[s]
                if delta[q][a] < 0:
                    delta[q][a] = len(delta)
                    delta.append([-1] * len(ins))
                    accepting.append(False)
                q = delta[q][a]
            accepting[q] = True
        table = np.array(delta, dtype=np.int32).reshape(len(delta), len(ins))
        return cls(table, accepting, 0, ins).minimize()


class Mealy(Machine):
    """A Mealy machine: one output per transition.

    >>> m = Mealy([[0, 1], [1, 0]], output=[[0, 1], [1, 0]], inputs="ab", outputs="xy")
    >>> m.transduce("abab")
    ['x', 'y', 'y', 'x']
    """

    kind: ClassVar[str] = "mealy"
    __slots__ = ()

    def _check_output(self) -> None:
        if self.output.shape != self.delta.shape:
            raise MachineError(
                f"a Mealy output table has delta's shape {self.delta.shape},"
                f" got {self.output.shape}"
            )
        defined = self.delta >= 0
        bad = np.argwhere(defined & ((self.output < 0) | (self.output >= self.n_outputs)))
        if len(bad):
            q, a = bad[0]
            raise MachineError(
                f"output[{q}, {a}] = {self.output[q, a]} is not an output index"
                f" for the defined transition on {self.inputs[a]!r}"
            )
        if (self.output[~defined] != -1).any():
            # an undefined transition has no output: one table per machine, so == and
            # everything reading output < 0 as "undefined" agree
            self.output = _frozen(np.where(defined, self.output, -1))

    def transduce(self, word: Iterable[Hashable]) -> list:
        """One output per input symbol."""
        q = self.initial
        out = []
        for pos, a in enumerate(self.encode(word)):
            if self.delta[q, a] < 0:
                raise MachineError(
                    f"no transition from state {q} on {self.inputs[a]!r} at position {pos}"
                )
            out.append(self.outputs[self.output[q, a]])
            q = self.delta[q, a]
        return out

    def transduce_batch(self, words: Any, lengths: Any = None) -> tuple[np.ndarray, np.ndarray]:
        """Output indices ``int32[B, T]`` (-1 past an undefined step or a word's end), lengths."""
        W, lengths = self._as_batch(words, lengths)
        Q, _ = self.states_batch(W, lengths)
        Q = Q[:, :-1]
        out = np.where(Q >= 0, self.output[np.maximum(Q, 0), W], -1)
        out[np.arange(W.shape[1]) >= lengths[:, None]] = -1
        return out.astype(np.int32), lengths

    @classmethod
    def from_transitions(
        cls,
        transitions: Iterable[tuple[Hashable, Hashable, Hashable, Hashable]],
        initial: Hashable,
        inputs: Sequence[Hashable] | None = None,
        outputs: Sequence[Hashable] | None = None,
        states: Iterable[Hashable] = (),
    ) -> Mealy:
        """From ``(source, input, output, target)`` quadruples (states: any names)."""
        transitions = list(transitions)
        states = _StateNames(initial, states)
        for src, _, _, dst in transitions:
            states.add(src), states.add(dst)
        ins = _symbols(inputs, (a for _, a, _, _ in transitions))
        outs = _symbols(outputs, (o for _, _, o, _ in transitions))
        delta = _fill_delta(states, ins, ((s, a, d) for s, a, _, d in transitions))
        out_index = {o: i for i, o in enumerate(outs)}
        output = np.full(delta.shape, -1, dtype=np.int32)
        for src, a, o, _ in transitions:
            if o not in out_index:
                raise MachineError(f"output {o!r} of {src!r} --{a!r}--> is not in the outputs")
            q, i = states.index[src], ins.index(a)
            if output[q, i] >= 0 and output[q, i] != out_index[o]:
                raise MachineError(
                    f"state {src!r} has two outputs on {a!r}: {outs[output[q, i]]!r} and {o!r}"
                    " (not deterministic)"
                )
            output[q, i] = out_index[o]
        return cls(delta, output, 0, ins, outs)

    @classmethod
    def from_dict(
        cls,
        transitions: Mapping[Hashable, Mapping[Hashable, tuple[Hashable, Hashable]]],
        initial: Hashable,
        **alphabets: Any,
    ) -> Mealy:
        """From ``{state: {input: (output, target)}}``."""
        quads = []
        for s, row in transitions.items():
            for a, pair in row.items():
                if not isinstance(pair, tuple | list) or len(pair) != 2:
                    raise MachineError(
                        f"state {s!r} on {a!r}: expected a pair (output, target), got {pair!r}"
                    )
                quads.append((s, a, *pair))
        return cls.from_transitions(quads, initial, states=transitions, **alphabets)


KINDS: dict[str, type[Machine]] = {"dfa": DFA, "moore": Moore, "mealy": Mealy}
"""The machine classes by their ``kind`` (the name the file formats use)."""


class _StateNames:
    """Numbers arbitrary state names in order of appearance, the initial state first."""

    def __init__(self, initial: Hashable, others: Iterable[Hashable] = ()) -> None:
        self.names: list = [initial]
        self.index: dict = {initial: 0}
        for name in others:
            self.add(name)

    def add(self, name: Hashable) -> None:
        if name not in self.index:
            self.index[name] = len(self.names)
            self.names.append(name)


def _symbols(given: Sequence[Hashable] | None, seen: Iterable[Hashable]) -> tuple:
    """The given alphabet, or the symbols seen, in order of first appearance."""
    if given is not None:
        return tuple(given)
    return tuple(dict.fromkeys(seen))


def _fill_delta(
    states: _StateNames, inputs: tuple, triples: Iterable[tuple[Hashable, Hashable, Hashable]]
) -> np.ndarray:
    in_index = {a: i for i, a in enumerate(inputs)}
    delta = np.full((len(states.names), len(inputs)), -1, dtype=np.int32)
    for src, a, dst in triples:
        if a not in in_index:
            raise MachineError(f"input {a!r} of transition {src!r} -> {dst!r} is not an input")
        q, i = states.index[src], in_index[a]
        if delta[q, i] >= 0 and delta[q, i] != states.index[dst]:
            raise MachineError(
                f"state {src!r} has two transitions on {a!r}: to"
                f" {states.names[delta[q, i]]!r} and to {dst!r} (not deterministic)"
            )
        delta[q, i] = states.index[dst]
    return delta
