"""Training data for passive learning: labelled words and input/output traces.

- ``Sample(words, labels)``: words with one label each. Boolean labels make a DFA
  sample (accept / reject); any other hashable labels make a Moore sample (the output
  after the whole word). A label ``None`` marks an unlabelled word (a test word).
- ``IOTraces(inputs, outputs)``: input sequences with output sequences of the same
  length, one output per input (a Mealy machine's transduction).

Words and symbols are any hashable values. Alphabets are given, or inferred from the
data: **sorted** when the symbols can be sorted, otherwise in order of first
appearance. Both classes store their data encoded: ``symbols`` is a flat ``int32``
array of alphabet indices and ``offsets`` (``int64[B+1]``) cuts it into ``B`` words;
Sample labels are ``int32[B]`` indices into ``output_alphabet`` (-1 = unlabelled).
Where a trace came from (a file and line, or its position in the Python list) is kept
for error messages: ``describe(i)``.

>>> s = Sample(["ab", "", "b"], [True, False, True])
>>> s.kind, s.input_alphabet, len(s), s[0]
('dfa', ('a', 'b'), 3, (('a', 'b'), True))
>>> s.symbols.tolist(), s.offsets.tolist(), s.labels.tolist()
([0, 1, 1], [0, 2, 2, 3], [1, 0, 1])
>>> t = IOTraces([["on", "off"]], [[1, 0]])
>>> t.kind, t.input_alphabet, t.output_alphabet, t[0]
('mealy', ('off', 'on'), (0, 1), (('on', 'off'), (1, 0)))

Their file formats are read and written by :mod:`catauto.automata.traceio`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np

from catauto.errors import CatautoError, first_unhashable

__all__ = ["IOTraces", "Sample", "infer_alphabet"]


# -- alphabets and encoding ------------------------------------------------------------


def infer_alphabet(symbols: Iterable[Hashable]) -> tuple:
    """The distinct symbols, sorted when they can be, else in order of first appearance.

    >>> infer_alphabet("banana"), infer_alphabet([2, "x", 1])
    (('a', 'b', 'n'), (2, 'x', 1))
    """
    try:
        seen = dict.fromkeys(symbols)
    except TypeError as e:
        raise CatautoError(f"symbols must be hashable: {e}") from None
    try:
        return tuple(sorted(seen))
    except TypeError:
        return tuple(seen)


def _given_alphabet(alphabet: Iterable[Hashable], what: str, entry: str) -> tuple:
    """A given alphabet as a tuple of distinct hashable ``entry`` values."""
    alphabet = tuple(alphabet)
    i = first_unhashable(alphabet)
    if i is not None:
        raise CatautoError(
            f"the {what} alphabet {alphabet!r}: {entry} #{i} {alphabet[i]!r} is not hashable"
        )
    if len(set(alphabet)) != len(alphabet):
        raise CatautoError(f"the {what} alphabet {alphabet!r} repeats a {entry}")
    return alphabet


def _as_list(words: Iterable[Any], what: str) -> list:
    if isinstance(words, (str, bytes)):
        raise CatautoError(f"{what} must be a collection of sequences, got a single {words!r}")
    try:
        return [w if isinstance(w, (str, tuple, list)) else tuple(w) for w in words]
    except TypeError as e:
        raise CatautoError(f"{what} must be sequences of symbols: {e}") from None


def _encode(
    words: list, alphabet: Sequence[Hashable] | None, what: str
) -> tuple[np.ndarray, np.ndarray, tuple]:
    """Flat ``int32`` indices, ``int64[B+1]`` offsets and the alphabet of ``words``."""
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    offsets = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    if alphabet is None:
        alphabet = infer_alphabet(s for w in words for s in w)
    else:
        alphabet = _given_alphabet(alphabet, what, "symbol")
    index = {s: i for i, s in enumerate(alphabet)}
    try:
        flat = np.fromiter(
            (index[s] for w in words for s in w), dtype=np.int32, count=int(offsets[-1])
        )
    except (KeyError, TypeError):
        for i, w in enumerate(words):
            for pos, s in enumerate(w):
                try:
                    index[s]
                except (KeyError, TypeError):
                    raise CatautoError(
                        f"{what} #{i}: symbol {s!r} at position {pos} is not in the"
                        f" alphabet {alphabet!r}"
                    ) from None
        raise
    return flat, offsets, alphabet


def _is_bool(x: Any) -> bool:
    return isinstance(x, (bool, np.bool_))


def _is_dfa_alphabet(outputs: tuple) -> bool:
    """``(False, True)`` as booleans (``(0, 1) == (False, True)`` in Python)."""
    return outputs == (False, True) and all(type(o) is bool for o in outputs)


# -- the shared part of Sample and IOTraces --------------------------------------------


class _Traces:
    """Words stored as a flat index array cut by offsets, with where each came from."""

    symbols: np.ndarray
    offsets: np.ndarray
    input_alphabet: tuple
    output_alphabet: tuple
    source: str | None
    lines: np.ndarray | None

    def _set_source(self, source: str | None, lines: Any) -> None:
        self.source = source
        if lines is not None:
            lines = np.asarray(lines, dtype=np.int64)
            if lines.shape != (len(self),):
                raise CatautoError(f"lines must give one line number per trace ({len(self)})")
        self.lines = lines

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @property
    def lengths(self) -> np.ndarray:
        """``int64[B]``: the length of every word."""
        return np.diff(self.offsets)

    @property
    def n_inputs(self) -> int:
        return len(self.input_alphabet)

    def word(self, i: int) -> tuple:
        """The ``i``-th word as a tuple of input symbols."""
        a = self.input_alphabet
        return tuple(a[s] for s in self.symbols[self.offsets[i] : self.offsets[i + 1]].tolist())

    def words(self) -> list[tuple]:
        """Every word as a tuple of input symbols."""
        return [self.word(i) for i in range(len(self))]

    def padded(self, fill: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Words as ``int32[B, T]`` alphabet indices padded with ``fill``, and lengths."""
        lengths = self.lengths
        width = int(lengths.max()) if len(lengths) else 0
        out = np.full((len(self), width), fill, dtype=np.int32)
        out[np.arange(width) < lengths[:, None]] = self.symbols
        return out, lengths

    def where(self, i: int) -> str:
        """Where trace ``i`` came from: ``file:line``, or ``trace #i``."""
        if self.lines is not None:
            return f"{self.source or '<data>'}:{int(self.lines[i])}"
        if self.source is not None:
            return f"{self.source}: trace #{i}"
        return f"trace #{i}"

    def _subset_sources(self, idx: np.ndarray) -> dict:
        return {"source": self.source, "lines": None if self.lines is None else self.lines[idx]}

    def _gather(self, flat: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``flat`` (aligned with ``symbols``) restricted to the traces ``idx``, new offsets."""
        lengths = self.lengths[idx]
        offsets = np.zeros(len(idx) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        starts = np.repeat(self.offsets[:-1][idx] - offsets[:-1], lengths)
        return flat[starts + np.arange(offsets[-1])], offsets

    def split(self, fraction: float, seed: int = 0) -> tuple[Any, Any]:
        """A random ``(fraction, 1 - fraction)`` split of the traces: ``(train, test)``.

        >>> a, b = Sample(["a", "b", "ab", "ba", ""], [True] * 5).split(0.8, seed=1)
        >>> len(a), len(b)
        (4, 1)
        """
        if not 0 <= fraction <= 1:
            raise CatautoError(f"split fraction must be in [0, 1], got {fraction}")
        perm = np.random.default_rng(seed).permutation(len(self))
        cut = round(fraction * len(self))
        return self.subset(np.sort(perm[:cut])), self.subset(np.sort(perm[cut:]))

    def subset(self, idx: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def _word_text(self, i: int) -> str:
        w = self.word(i)
        return " ".join(map(str, w)) if w else "ε"


class Sample(_Traces):
    """Labelled words: bool labels for a DFA, any hashable label for a Moore machine.

    ``words``: sequences of hashable symbols (a ``str`` is a sequence of characters);
    ``labels``: one per word, ``None`` for an unlabelled word (``labels=None``: all
    unlabelled); ``inputs`` / ``outputs``: the input and label alphabets (inferred when
    omitted: sorted if sortable, else in order of first appearance). When every label
    is a ``bool`` the sample is a DFA sample with ``output_alphabet == (False, True)``.

    Stored as ``symbols: int32[total]``, ``offsets: int64[B+1]``, ``labels: int32[B]``
    (-1 = unlabelled), plus ``source`` (a file name or None) and ``lines`` (``int64[B]``,
    the line of each word in that file, or None).

    >>> s = Sample([[1, 2], [2]], ["x", None])
    >>> s.kind, s.output_alphabet, s.labels.tolist(), s.describe(1)
    ('moore', ('x',), [0, -1], 'trace #1 "2" (unlabelled)')
    """

    def __init__(
        self,
        words: Iterable[Iterable[Hashable]],
        labels: Iterable[Hashable | None] | None = None,
        inputs: Sequence[Hashable] | None = None,
        outputs: Sequence[Hashable] | None = None,
        *,
        source: str | None = None,
        lines: Any = None,
    ) -> None:
        words = _as_list(words, "words")
        if labels is None:
            labels = [None] * len(words)
        else:
            labels = list(labels.tolist() if isinstance(labels, np.ndarray) else labels)
        if len(labels) != len(words):
            raise CatautoError(f"{len(words)} words but {len(labels)} labels")
        i = first_unhashable(labels)
        if i is not None:
            raise CatautoError(f"word #{i}: label {labels[i]!r} is not hashable")
        flat, offsets, alphabet = _encode(words, inputs, "word")
        given = [x for x in labels if x is not None]
        if outputs is None:
            if given and all(map(_is_bool, given)):
                outputs = (False, True)
            else:
                outputs = infer_alphabet(given)
        outputs = _given_alphabet(outputs, "label", "label")
        self._init(flat, offsets, alphabet, outputs, labels, source, lines)

    def _init(self, flat, offsets, alphabet, outputs, labels, source, lines) -> None:
        index = {o: i for i, o in enumerate(outputs)}
        try:
            coded = [-1 if x is None else index[x] for x in labels]
        except (KeyError, TypeError):
            i = next(i for i, x in enumerate(labels) if x is not None and x not in index)
            raise CatautoError(
                f"word #{i}: label {labels[i]!r} is not in the label alphabet {outputs!r}"
            ) from None
        self.symbols = flat
        self.offsets = offsets
        self.input_alphabet = tuple(alphabet)
        self.output_alphabet = outputs
        self.labels = np.asarray(coded, dtype=np.int32).reshape(-1)
        self._set_source(source, lines)

    @classmethod
    def from_arrays(
        cls,
        symbols: Any,
        offsets: Any,
        labels: Any,
        inputs: Sequence[Hashable],
        outputs: Sequence[Hashable] = (False, True),
        *,
        source: str | None = None,
        lines: Any = None,
    ) -> Sample:
        """From encoded arrays (no per-symbol Python work): the fast path for big data.

        ``symbols``: ``int[total]`` indices into ``inputs``; ``offsets``: ``int[B+1]``;
        ``labels``: ``int[B]`` indices into ``outputs`` or -1 (unlabelled).

        >>> Sample.from_arrays([0, 1, 1], [0, 2, 3], [1, 0], "ab").words()
        [('a', 'b'), ('b',)]
        """
        self = cls.__new__(cls)
        symbols = np.ascontiguousarray(symbols, dtype=np.int32).reshape(-1)
        offsets = np.ascontiguousarray(offsets, dtype=np.int64).reshape(-1)
        labels = np.ascontiguousarray(labels, dtype=np.int32).reshape(-1)
        inputs, outputs = tuple(inputs), tuple(outputs)
        _check_arrays(symbols, offsets, len(inputs), "symbols")
        if labels.shape != (len(offsets) - 1,):
            raise CatautoError(f"{len(offsets) - 1} words but {len(labels)} labels")
        if ((labels < -1) | (labels >= len(outputs))).any():
            raise CatautoError(f"labels must be -1 or indices into {len(outputs)} outputs")
        self.symbols, self.offsets, self.labels = symbols, offsets, labels
        self.input_alphabet, self.output_alphabet = inputs, outputs
        self._set_source(source, lines)
        return self

    @property
    def kind(self) -> str:
        """``"dfa"`` for the label alphabet ``(False, True)``, else ``"moore"``."""
        return "dfa" if _is_dfa_alphabet(self.output_alphabet) else "moore"

    @property
    def labelled(self) -> np.ndarray:
        """``bool[B]``: which words carry a label."""
        return self.labels >= 0

    def label(self, i: int) -> Hashable | None:
        code = int(self.labels[i])
        return None if code < 0 else self.output_alphabet[code]

    def __getitem__(self, i: int) -> tuple[tuple, Hashable | None]:
        if not -len(self) <= i < len(self):
            raise IndexError(f"trace {i} out of range for {len(self)} traces")
        i %= len(self)
        return self.word(i), self.label(i)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def subset(self, idx: Any) -> Sample:
        """The words ``idx`` (indices or a boolean mask), sources kept."""
        idx = np.arange(len(self))[np.asarray(idx)] if len(self) else np.zeros(0, np.int64)
        flat, offsets = self._gather(self.symbols, idx)
        return Sample.from_arrays(
            flat,
            offsets,
            self.labels[idx],
            self.input_alphabet,
            self.output_alphabet,
            **self._subset_sources(idx),
        )

    def describe(self, i: int) -> str:
        """Trace ``i`` for a message: where it came from, the word and its label."""
        label = self.label(i)
        said = "(unlabelled)" if label is None else f"-> {label!r}"
        return f'{self.where(i)} "{self._word_text(i)}" {said}'

    def predict(self, machine: Any) -> np.ndarray:
        """``int32[B]``: the label index ``machine`` gives each word (-1: run undefined).

        The machine's alphabets are matched to the sample's by symbol, not by index.
        """
        W, lengths = self.padded()
        in_map = _index_map(self.input_alphabet, machine.inputs, "input symbol")
        q = machine.run_batch(in_map[W] if W.size else W.astype(np.int32), lengths)
        if machine.kind == "dfa" and self.kind == "dfa":
            return ((q >= 0) & (machine.output[np.maximum(q, 0)] == 1)).astype(np.int32)
        out_map = _index_map(machine.outputs, self.output_alphabet, "output", missing_ok=True)
        return np.where(q >= 0, out_map[machine.output[np.maximum(q, 0)]], -1).astype(np.int32)

    def misses(self, machine: Any) -> np.ndarray:
        """The labelled words (indices) on which ``machine`` does not give the label."""
        return np.flatnonzero(self.labelled & (self.predict(machine) != self.labels))

    def accuracy(self, machine: Any) -> float:
        """The fraction of labelled words on which ``machine`` gives the label.

        >>> from catauto.automata import DFA
        >>> even = DFA([[1], [0]], [True, False], inputs="a")
        >>> Sample(["", "a", "aa", "aaa"], [True, False, True, True]).accuracy(even)
        0.75
        >>> Sample(["", "a", "aa", "aaa"], [True, False, True, True]).misses(even).tolist()
        [3]
        """
        n = int(self.labelled.sum())
        if not n:
            raise CatautoError("the sample has no labelled words to measure accuracy on")
        return (n - len(self.misses(machine))) / n

    def __repr__(self) -> str:
        n_lab = int(self.labelled.sum())
        return (
            f"<Sample ({self.kind}): {len(self)} words ({n_lab} labelled),"
            f" {self.n_inputs} inputs, {len(self.output_alphabet)} labels>"
        )


class IOTraces(_Traces):
    """Input words with their output words (one output per input): Mealy traces.

    ``inputs``: sequences of input symbols; ``outputs``: for each, a sequence of the
    same length. Alphabets are inferred when not given (sorted if sortable, else in
    order of first appearance). Stored as ``symbols`` (inputs) and ``out_symbols``
    (outputs), both flat ``int32`` cut by the shared ``offsets``.

    >>> t = IOTraces(["ab", "a"], ["xy", "x"])
    >>> t.out_symbols.tolist(), t.describe(0)
    ([0, 1, 0], 'trace #0 "a/x b/y"')
    """

    kind = "mealy"

    def __init__(
        self,
        inputs: Iterable[Iterable[Hashable]],
        outputs: Iterable[Iterable[Hashable]],
        input_alphabet: Sequence[Hashable] | None = None,
        output_alphabet: Sequence[Hashable] | None = None,
        *,
        source: str | None = None,
        lines: Any = None,
    ) -> None:
        inputs = _as_list(inputs, "inputs")
        outputs = _as_list(outputs, "outputs")
        if len(inputs) != len(outputs):
            raise CatautoError(f"{len(inputs)} input words but {len(outputs)} output words")
        for i, (w, o) in enumerate(zip(inputs, outputs)):
            if len(w) != len(o):
                raise CatautoError(
                    f"trace #{i} has {len(w)} inputs but {len(o)} outputs (one each needed)"
                )
        self.symbols, self.offsets, self.input_alphabet = _encode(inputs, input_alphabet, "input")
        self.out_symbols, _, self.output_alphabet = _encode(outputs, output_alphabet, "output")
        self._set_source(source, lines)

    @classmethod
    def from_arrays(
        cls,
        symbols: Any,
        out_symbols: Any,
        offsets: Any,
        input_alphabet: Sequence[Hashable],
        output_alphabet: Sequence[Hashable],
        *,
        source: str | None = None,
        lines: Any = None,
    ) -> IOTraces:
        """From encoded arrays: ``symbols`` / ``out_symbols`` ``int[total]``, ``offsets``."""
        self = cls.__new__(cls)
        self.symbols = np.ascontiguousarray(symbols, dtype=np.int32).reshape(-1)
        self.out_symbols = np.ascontiguousarray(out_symbols, dtype=np.int32).reshape(-1)
        self.offsets = np.ascontiguousarray(offsets, dtype=np.int64).reshape(-1)
        self.input_alphabet, self.output_alphabet = tuple(input_alphabet), tuple(output_alphabet)
        _check_arrays(self.symbols, self.offsets, len(self.input_alphabet), "symbols")
        _check_arrays(self.out_symbols, self.offsets, len(self.output_alphabet), "out_symbols")
        self._set_source(source, lines)
        return self

    def output_word(self, i: int) -> tuple:
        """The ``i``-th output word."""
        a = self.output_alphabet
        lo, hi = self.offsets[i], self.offsets[i + 1]
        return tuple(a[s] for s in self.out_symbols[lo:hi].tolist())

    def __getitem__(self, i: int) -> tuple[tuple, tuple]:
        if not -len(self) <= i < len(self):
            raise IndexError(f"trace {i} out of range for {len(self)} traces")
        i %= len(self)
        return self.word(i), self.output_word(i)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def subset(self, idx: Any) -> IOTraces:
        """The traces ``idx`` (indices or a boolean mask), sources kept."""
        idx = np.arange(len(self))[np.asarray(idx)] if len(self) else np.zeros(0, np.int64)
        flat, offsets = self._gather(self.symbols, idx)
        out, _ = self._gather(self.out_symbols, idx)
        return IOTraces.from_arrays(
            flat,
            out,
            offsets,
            self.input_alphabet,
            self.output_alphabet,
            **self._subset_sources(idx),
        )

    def describe(self, i: int, upto: int | None = None) -> str:
        """Trace ``i`` for a message (its first ``upto`` steps when given)."""
        w, o = self[i]
        if upto is not None:
            w, o = w[:upto], o[:upto]
        text = " ".join(f"{a}/{b}" for a, b in zip(w, o)) or "ε"
        return f'{self.where(i)} "{text}"'

    def predict(self, machine: Any) -> np.ndarray:
        """``int32[total]``: the output index ``machine`` gives each step (-1: undefined)."""
        W, lengths = self.padded()
        in_map = _index_map(self.input_alphabet, machine.inputs, "input symbol")
        out_map = _index_map(machine.outputs, self.output_alphabet, "output", missing_ok=True)
        W = in_map[W] if W.size else W.astype(np.int32)
        if machine.kind == "mealy":
            out, _ = machine.transduce_batch(W, lengths)
            out = out[:, : W.shape[1]]
        else:  # a Moore machine: the output of the state after each step
            Q, _ = machine.states_batch(W, lengths)
            out = np.where(Q[:, 1:] >= 0, machine.output[np.maximum(Q[:, 1:], 0)], -1)
        mask = np.arange(W.shape[1]) < lengths[:, None]
        out = out[mask]
        return np.where(out >= 0, out_map[np.maximum(out, 0)], -1).astype(np.int32)

    def misses(self, machine: Any) -> np.ndarray:
        """The traces (indices) with an output ``machine`` does not reproduce."""
        wrong = self.predict(machine) != self.out_symbols
        trace_of = np.repeat(np.arange(len(self)), self.lengths)  # empty traces are fine
        return np.flatnonzero(np.bincount(trace_of, weights=wrong, minlength=len(self)))

    def accuracy(self, machine: Any) -> float:
        """The fraction of traces whose every output ``machine`` reproduces.

        >>> from catauto.automata import Mealy
        >>> m = Mealy([[0]], [[0]], inputs="a", outputs="x")
        >>> IOTraces(["aa", "a"], ["xx", "y"]).accuracy(m)
        0.5
        >>> IOTraces(["aa", "a"], ["xx", "y"]).misses(m).tolist()
        [1]
        >>> IOTraces(["a", ""], ["x", ""]).accuracy(m)   # an empty trace is always right
        1.0
        """
        if not len(self):
            raise CatautoError("no traces to measure accuracy on")
        return (len(self) - len(self.misses(machine))) / len(self)

    def __repr__(self) -> str:
        return (
            f"<IOTraces: {len(self)} traces, {self.n_inputs} inputs,"
            f" {len(self.output_alphabet)} outputs>"
        )


def _check_arrays(flat: np.ndarray, offsets: np.ndarray, k: int, what: str) -> None:
    if len(offsets) == 0 or offsets[0] != 0 or offsets[-1] != len(flat):
        raise CatautoError(f"offsets must start at 0 and end at len({what}) = {len(flat)}")
    if (np.diff(offsets) < 0).any():
        raise CatautoError("offsets must not decrease")
    if flat.size and (flat.min() < 0 or flat.max() >= k):
        raise CatautoError(f"{what} must be indices 0..{k - 1} into the alphabet")


def _index_map(source: tuple, target: tuple, what: str, missing_ok: bool = False) -> np.ndarray:
    """``int32[len(source)]``: each symbol's index in ``target`` (-1 if absent)."""
    index = {s: i for i, s in enumerate(target)}
    out = np.array([index.get(s, -1) for s in source], dtype=np.int32).reshape(-1)
    if not missing_ok and (out < 0).any():
        s = source[int(np.flatnonzero(out < 0)[0])]
        raise CatautoError(f"{what} {s!r} of the data is not in the machine's alphabet")
    return out
