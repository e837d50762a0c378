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

Readers (each error is a ``FormatError``, a ``CatautoError`` whose message starts
with ``file:line:``):

- ``read_abbadingo``: header ``N A`` then ``label len s1 .. slen`` per line, labels
  1 / 0 (a DFA sample) or -1 (unlabelled); other integer labels make a Moore sample.
  FlexFringe's extension is read too: a header ``N A:attrs``, symbols
  ``sym:v1,v2`` (attribute values, dropped) and ``sym/out`` (an output per symbol:
  the file is then read as ``IOTraces`` and the labels are ignored).
- ``read_stamina``: ``+ s1 s2 ...`` (accepted), ``- ...`` (rejected), ``? ...``
  (unlabelled); a lone ``+`` or ``-`` is the empty word.
- ``read_csv``: a header row, then one trace per row. Columns ``word,label`` give a
  Sample, ``input,output`` give IOTraces; symbols inside a field are separated by
  spaces (an empty field is the empty word); an empty label is unlabelled. Labels
  ``0/1``, ``true/false`` (any case) or ``+/-`` make a DFA sample; other labels keep
  their case.
- ``read_jsonl``: one JSON object per line, ``{"word": [...], "label": x}`` (a JSON
  string as the word is a sequence of characters; ``label`` null or absent:
  unlabelled; booleans make a DFA sample) or ``{"input": [...], "output": [...]}``.

In every text format the tokens of a field kind (symbols, labels, outputs) are read as
``int`` when all of them are decimal integers, else they all stay strings. A line ends
at a line feed (CR LF too), not at a form feed, U+2028 or the other breaks
``str.splitlines`` knows.

``write_abbadingo`` (atomic) writes an alphabet by name when the reader gives the same
values back — input symbols that are Abbadingo's ``0 .. A-1``, outputs that are
``int``, Moore labels that are ``int`` (not -1, not only 0 / 1), input symbols and
outputs that are plain tokens none of which is an integer — and by alphabet index
otherwise. Reading the file back gives the same words, labels and outputs (alphabet
indices for what was written by index; a Moore sample whose labels are written 0 / 1
comes back as a DFA sample), but alphabets inferred again: ``(0, .., A-1)`` when the
input symbols are integers or no word has one, else the input symbols that occur,
sorted; the Moore labels and the outputs that occur, sorted.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Hashable, Iterable, Sequence
from functools import cached_property
from typing import Any

import numpy as np

from catauto._files import FormatError, PathLike, atomic_write, read_text, text_lines
from catauto.errors import CatautoError, ContradictionError, first_unhashable

__all__ = [
    "ContradictionError",
    "FormatError",
    "IOTraces",
    "Sample",
    "read_abbadingo",
    "read_csv",
    "read_jsonl",
    "read_stamina",
    "write_abbadingo",
]


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


# -- text formats -----------------------------------------------------------------------

_INT = re.compile(r"-?[0-9]+\Z")
_COUNT = re.compile(r"[0-9]+\Z")
_MAX_ALPHABET = 1 << 20
_TOKEN = re.compile(r"[^\s/:,]+\Z")


def _numeric(tokens: set) -> bool:
    return all(_INT.match(t) for t in tokens)


class _Lines:
    """The non-blank lines of a text file with their 1-based numbers."""

    def __init__(self, path: PathLike) -> None:
        self.name = os.fspath(path)
        self.text = read_text(path)

    @cached_property
    def rows(self) -> list[tuple[int, str]]:
        """``(line number, stripped line)`` of the non-blank lines (the CSV reader
        parses the text as a whole and never needs them)."""
        return [
            (n, line.strip()) for n, line in enumerate(text_lines(self.text), 1) if line.strip()
        ]

    def error(self, line: int, reason: str) -> FormatError:
        return FormatError(reason, self.name, line)

    def typed(self, lines: list[int], groups: list) -> dict:
        """The tokens of ``groups`` (``groups[i]``: those of line ``lines[i]``) to values:
        all ints when every token is an integer, else the strings."""
        tokens = {t for group in groups for t in group}
        if not _numeric(tokens):
            return {t: t for t in tokens}
        try:
            return {t: int(t) for t in tokens}
        except ValueError:  # a token too long for int(): name its line
            for n, group in zip(lines, groups):
                for t in group:
                    self.number(t, n)
            raise

    def number(self, token: str, line: int) -> int:
        """``int(token)`` of a decimal ``token``; a ``FormatError`` if it is too long."""
        try:
            return int(token)
        except ValueError:  # more digits than sys.get_int_max_str_digits() allows
            digits = len(token.lstrip("-"))
            raise self.error(
                line, f"integer {token[:12]}... is too long to read ({digits} digits)"
            ) from None


def read_abbadingo(path: PathLike) -> Sample | IOTraces:
    """Read an Abbadingo file (or FlexFringe's extension of it), see the module doc.

    Labels 1 / 0 give a DFA sample, -1 an unlabelled word; with other integer labels
    the sample is a Moore sample over the labels seen (a label that is not an integer
    is an error). Integer symbols must lie in ``0 .. A-1`` and the alphabet is
    ``(0, .., A-1)``; other symbols are strings and the alphabet is inferred (at most
    ``A`` symbols). Symbols written ``sym/out``
    make the file a Mealy trace file: ``IOTraces`` (the labels are then ignored).
    """
    f = _Lines(path)
    if not f.rows:
        raise f.error(1, "empty file: expected a header 'N A' (strings, alphabet size)")
    hline, header = f.rows[0]
    parts = header.split()
    if len(parts) != 2 or not _COUNT.match(parts[0]):
        raise f.error(hline, f"expected a header 'N A' (strings, alphabet size), got {header!r}")
    n_alpha = parts[1].split(":", 1)[0]
    if not _COUNT.match(n_alpha) or f.number(n_alpha, hline) > _MAX_ALPHABET:
        raise f.error(hline, f"alphabet size {parts[1]!r} is not a number up to {_MAX_ALPHABET}")
    n_words, n_alpha = f.number(parts[0], hline), int(n_alpha)
    body = f.rows[1:]
    if len(body) != n_words:
        where = body[-1][0] if body else hline
        raise f.error(where, f"the header announces {n_words} strings, the file has {len(body)}")
    labels, words, outs, lines = [], [], [], []
    any_out = False
    for n, line in body:
        tok = line.split()
        if len(tok) < 2 or not _COUNT.match(tok[1]):
            raise f.error(n, f"expected 'label length symbols...', got {line[:60]!r}")
        length = f.number(tok[1], n)
        if len(tok) - 2 != length:
            raise f.error(n, f"the length field says {length} symbols, the line has {len(tok) - 2}")
        syms, out = [], []
        for t in tok[2:]:
            sym, slash, o = t.partition("/")
            sym = sym.split(":", 1)[0]
            if not sym or (slash and not o):
                raise f.error(
                    n, f"malformed symbol {t!r} (expected 'sym', 'sym:attrs' or 'sym/out')"
                )
            syms.append(sym)
            out.append(o if slash else None)
            any_out |= bool(slash)
        labels.append(tok[0])
        words.append(syms)
        outs.append(out)
        lines.append(n)
    symbols = {s for w in words for s in w}
    value = f.typed(lines, words)
    words = [[value[s] for s in w] for w in words]
    if _numeric(symbols):
        alphabet = tuple(range(n_alpha))
        for n, w in zip(lines, words):
            for s in w:
                if not 0 <= s < n_alpha:
                    raise f.error(n, f"symbol {s} is outside the alphabet 0..{n_alpha - 1}")
    else:
        alphabet = infer_alphabet(symbols)
        if len(alphabet) > n_alpha:
            raise f.error(
                hline, f"the header declares {n_alpha} symbols, the file uses {len(alphabet)}"
            )
    if any_out:
        for n, o in zip(lines, outs):
            if None in o:
                raise f.error(n, "some symbols carry an output ('sym/out') and others do not")
        out_value = f.typed(lines, outs)
        outs = [[out_value[o] for o in w] for w in outs]
        return IOTraces(words, outs, alphabet, source=f.name, lines=lines)
    if set(labels) <= {"0", "1", "-1"}:
        labels = [None if x == "-1" else x == "1" for x in labels]
        return Sample(words, labels, alphabet, (False, True), source=f.name, lines=lines)
    for n, x in zip(lines, labels):
        if not _INT.match(x):
            raise f.error(n, f"label {x!r} is not an integer")
    value = f.typed(lines, [[x] for x in labels])
    labels = [None if x == "-1" else value[x] for x in labels]
    return Sample(words, labels, alphabet, source=f.name, lines=lines)


def read_stamina(path: PathLike) -> Sample:
    """Read a StaMinA file: ``+``/``-``/``?`` then the symbols, one word per line."""
    f = _Lines(path)
    labels, words, lines = [], [], []
    verdict = {"+": True, "-": False, "?": None}
    for n, line in f.rows:
        tok = line.split()
        if tok[0] not in verdict:
            raise f.error(n, f"a line must start with '+', '-' or '?', got {tok[0][:20]!r}")
        labels.append(verdict[tok[0]])
        words.append(tok[1:])
        lines.append(n)
    value = f.typed(lines, words)
    words = [[value[s] for s in w] for w in words]
    return Sample(words, labels, None, (False, True), source=f.name, lines=lines)


def read_csv(path: PathLike, delimiter: str = ",") -> Sample | IOTraces:
    """Read a CSV file with a header row: ``word,label`` or ``input,output`` columns.

    Symbols inside a field are separated by whitespace (a quoted field may span lines).
    Extra columns and blank lines are ignored. Labels ``0/1``, ``true/false`` (any
    case) or ``+/-`` make a DFA sample, an empty label is unlabelled, other labels make
    a Moore sample (as written: ``Open`` and ``open`` are different labels).
    """
    import csv

    f = _Lines(path)
    # one reader over the whole text (only "\n" ends a line, see _Lines), so quoted
    # newlines work; a record's first line is one after the previous record's last
    reader = csv.reader(io.StringIO(f.text, newline="\n"), delimiter=delimiter, strict=True)
    numbered, rows = [], []
    first = 1
    try:
        for row in reader:
            if len(row) > 1 or (row and row[0].strip()):
                numbered.append(first)
                rows.append(row)
            first = reader.line_num + 1
    except csv.Error as e:
        raise f.error(first, f"not CSV: {e}") from None
    if not rows:
        raise f.error(1, "empty file: expected a header row naming the columns")
    hline = numbered[0]
    header = [h.strip().lower() for h in rows[0]]

    def column(name: str) -> int | None:
        return header.index(name) if name in header else None

    word_col, label_col = column("word"), column("label")
    in_col, out_col = column("input"), column("output")
    if in_col is not None and out_col is not None:
        cols = (in_col, out_col)
    elif word_col is not None:
        cols = (word_col, label_col)
    else:
        raise f.error(hline, f"the header must name 'word,label' or 'input,output', got {rows[0]}")
    firsts, seconds, lines = [], [], []
    for n, row in zip(numbered[1:], rows[1:]):
        need = max(c for c in cols if c is not None)
        if len(row) <= need:
            raise f.error(n, f"expected at least {need + 1} columns, got {len(row)}")
        firsts.append(row[cols[0]].split())
        seconds.append(row[cols[1]].strip() if cols[1] is not None else "")
        lines.append(n)
    value = f.typed(lines, firsts)
    firsts = [[value[s] for s in w] for w in firsts]
    if cols == (in_col, out_col):
        outs = [s.split() for s in seconds]
        for n, w, o in zip(lines, firsts, outs):
            if len(w) != len(o):
                raise f.error(n, f"{len(w)} inputs but {len(o)} outputs")
        out_value = f.typed(lines, outs)
        outs = [[out_value[o] for o in w] for w in outs]
        return IOTraces(firsts, outs, source=f.name, lines=lines)
    return Sample(firsts, _csv_labels(seconds, f, lines), source=f.name, lines=lines)


def _csv_labels(raw: list[str], f: _Lines, lines: list[int]) -> list:
    """DFA labels (true/false in any case), else the labels as written."""
    given = {x for x in raw if x}
    folded = {x.lower() for x in given}
    for yes, no in (("1", "0"), ("true", "false"), ("+", "-")):
        if folded <= {yes, no}:
            return [None if not x else x.lower() == yes for x in raw]
    value = f.typed(lines, [[x] if x else [] for x in raw])
    return [value[x] if x else None for x in raw]


def read_jsonl(path: PathLike) -> Sample | IOTraces:
    """Read JSON Lines: ``{"word": [...], "label": x}`` or ``{"input": [...], "output": [...]}``.

    A JSON list inside a word becomes a tuple (symbols must be hashable); a string is a
    sequence of characters. Every line must use the same keys.
    """
    f = _Lines(path)
    kind = None
    firsts, seconds, lines = [], [], []
    for n, line in f.rows:
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise f.error(n, f"not JSON: {e.msg} (column {e.colno})") from None
        except ValueError as e:  # an integer with more digits than int() reads
            raise f.error(n, f"cannot read a number: {e}") from None
        except RecursionError:
            raise f.error(n, "JSON nested too deeply") from None
        try:
            this, first, second = _json_trace(obj, f, n)
        except RecursionError:
            raise f.error(n, "JSON nested too deeply") from None
        if kind is not None and this != kind:
            raise f.error(n, "mixes labelled words and input/output traces")
        kind = this
        firsts.append(first)
        seconds.append(second)
        lines.append(n)
    if kind == "io":
        return IOTraces(firsts, seconds, source=f.name, lines=lines)
    return Sample(firsts, seconds, source=f.name, lines=lines)


def _json_trace(obj: Any, f: _Lines, n: int) -> tuple[str, list, Any]:
    """``("io" | "word", first, second)`` from one JSON Lines object."""
    if not isinstance(obj, dict):
        raise f.error(n, "each line must be a JSON object")
    if "input" in obj:
        if "output" not in obj:
            raise f.error(n, "an 'input' needs an 'output'")
        first, second = _json_word(obj["input"], f, n), _json_word(obj["output"], f, n)
        if len(second) != len(first):
            raise f.error(n, f"{len(first)} inputs but {len(second)} outputs")
        return "io", first, second
    if "word" in obj:
        return "word", _json_word(obj["word"], f, n), _json_symbol(obj.get("label"), f, n)
    raise f.error(n, "an object needs a 'word' (and 'label') or 'input' and 'output'")


def _json_symbol(x: Any, f: _Lines, n: int) -> Hashable:
    if isinstance(x, list):
        return tuple(_json_symbol(y, f, n) for y in x)
    if isinstance(x, dict):
        raise f.error(n, "a symbol or label cannot be a JSON object")
    return x


def _json_word(x: Any, f: _Lines, n: int) -> list:
    if isinstance(x, str):
        return list(x)
    if not isinstance(x, list):
        raise f.error(n, f"a word must be a JSON list (or string), got {type(x).__name__}")
    return [_json_symbol(y, f, n) for y in x]


def _names(alphabet: tuple, inputs: bool = False, labels: bool = False) -> list[str]:
    """Tokens for an alphabet: each symbol's ``str`` when the reader gives the same
    symbols back, else the alphabet indices.

    Integers are written as themselves (input symbols only when they are ``0 .. A-1``,
    Abbadingo's convention; labels unless -1 or only 0 / 1), strings (not labels: the
    reader wants integers) when they are plain tokens (no whitespace, ``/``, ``:`` or
    ``,``) and none is an integer (the reader reads integers when all it meets are).
    """
    names = [str(s) for s in alphabet]
    if all(type(s) is int for s in alphabet):
        if inputs:
            ok = alphabet == tuple(range(len(alphabet)))
        else:
            ok = not labels or ("-1" not in names and not set(names) <= {"0", "1"})
    else:
        ok = not labels and all(
            isinstance(s, str) and _TOKEN.match(s) and not _INT.match(s) for s in alphabet
        )
    return names if ok else [str(i) for i in range(len(alphabet))]


def write_abbadingo(data: Sample | IOTraces, path: PathLike) -> None:
    """Write a sample (or Mealy traces with ``sym/out`` symbols) in Abbadingo format.

    Atomic. DFA labels are written 1 / 0, unlabelled words -1; Moore labels and symbols
    by name when the alphabet's names are tokens that read back as themselves,
    otherwise by index (see the module doc). IOTraces get the label 1.
    """
    lines = [f"{len(data)} {data.n_inputs}"]
    sym = np.array(_names(data.input_alphabet, inputs=True) or [""], dtype=object)
    lengths = data.lengths.tolist()
    offsets = data.offsets.tolist()
    if isinstance(data, IOTraces):
        out = np.array(_names(data.output_alphabet) or [""], dtype=object)
        tokens = [f"{a}/{b}" for a, b in zip(sym[data.symbols], out[data.out_symbols])]
        labels = ["1"] * len(data)
    else:
        tokens = sym[data.symbols].tolist()
        names = ["0", "1"] if data.kind == "dfa" else _names(data.output_alphabet, labels=True)
        labels = [names[x] if x >= 0 else "-1" for x in data.labels.tolist()]
    for i, (label, length) in enumerate(zip(labels, lengths)):
        lines.append(" ".join([label, str(length), *tokens[offsets[i] : offsets[i + 1]]]))
    atomic_write(path, "\n".join(lines) + "\n")
