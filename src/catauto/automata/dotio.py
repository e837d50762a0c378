r"""Machines in DOT: the Automata Wiki and AALpy dialects, read and written.

**Reading** (``from_dot``) accepts, through the grammar of ``catauto.automata.dot``:

- Mealy machines (Automata Wiki, AALpy, LearnLib): ``s0 -> s1 [label="in / out"]``;
  spaces around the ``/`` are optional (``"in/out"``, ``"coin/ beep"``).
- DFAs (AALpy): ``s0 -> s1 [label="a"]``, accepting states have ``shape=doublecircle``
  (or ``peripheries=2``).
- Moore machines (AALpy): ``s0 [shape=record, label="s0|out"]`` (also ``{s0|out}``),
  edges labelled with the input.
- The initial state: the target of the edge from ``__start0`` (any node named
  ``__start...``); in older files without one, the node with ``color="red"``; else
  the first state in the file.

The kind is detected: an edge label with a ``/`` means Mealy, else a node label with a
``|`` means Moore, else DFA; ``kind=`` overrides it. States are numbered in order of
first appearance. Symbols are read as strings, alphabets in order of first appearance,
unless the graph carries catauto's own attributes (below).

**Labels.** An edge label lists inputs separated by ``", "`` (a comma followed by
white space, outside brackets), then for Mealy ``" / "`` and the output, so parallel
edges merge into one: ``a, b / x``. A label is a Graphviz escString, so a backslash
makes the next character literal (``\n`` is a newline, ``\\`` a backslash), which is
how symbols carry separators::

    symbol character          written as
    \                         \\
    / and ,                   \/ and \,          (always)
    ( ) [ ] { }               \( ...             (only in a symbol whose brackets
                                                  do not balance)
    white space at either end \<space>, \<tab>   (inner spaces stay as they are)
    newline, carriage return  \n, \r
    NUL                       \0                 (Graphviz cannot read a raw NUL)
    "                         \"                 (DOT's own quoting)
    in Moore record labels:   { } | < > and every space escaped, as Graphviz wants

Graphviz draws ``\x`` as ``x``, so escaped labels still look right. When reading,
the output is split at the first unescaped ``/`` with white space on both sides, or
else at the first unescaped ``/``; each symbol is stripped of unescaped white space.

**Writing** (``to_dot``, which lives in ``catauto.automata.draw`` with the other
drawing, and ``write_dot``) quotes every label, merges parallel edges, marks the initial
state with ``__start0``, can hide sink states and highlight the run of a word, and
records the exact alphabets (with their Python types, as in the JSON schema) and the
kind in the graph attributes ``catauto_kind``, ``catauto_inputs`` and
``catauto_outputs``, so that reading our own output gives back an equal machine.
Without those attributes symbols come back as strings (``str(symbol)``).

>>> from catauto.automata import Mealy
>>> m = Mealy([[1, 0], [1, 1]], [[0, 1], [1, 1]], inputs=["a", "b/c"], outputs=["x", "y, z"])
>>> text = to_dot(m)
>>> 's0 -> s1 [label="a / x"]' in text, 's1 -> s1 [label="a, b\\/c / y\\, z"]' in text
(True, True)
>>> from_dot(text) == m
True
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Hashable
from typing import Any

import numpy as np

from catauto._files import PathLike, atomic_write, read_text
from catauto.automata.dot import DotGraph, DotNode, parse_dot
from catauto.automata.draw import sink_states, to_dot
from catauto.automata.machine import DFA, KINDS, Machine, Mealy, Moore
from catauto.automata.symbols import DotLabel, decode_symbol, escape_symbol, symbol_text
from catauto.errors import CatautoError, FormatError

__all__ = [
    "escape_symbol",
    "from_dot",
    "read_dot",
    "sink_states",
    "symbol_text",
    "to_dot",
    "write_dot",
]

# -- reading --------------------------------------------------------------------------


def _kind_of(kind: Any) -> str | None:
    if kind is None:
        return None
    if isinstance(kind, type) and issubclass(kind, Machine):
        return kind.kind
    if isinstance(kind, str) and kind.lower() in KINDS:
        return kind.lower()
    raise CatautoError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")


class _Reader:
    def __init__(self, graph: DotGraph, kind: str | None) -> None:
        self.g = graph
        self.source = graph.source
        if not graph.directed:
            raise self.fail("an automaton is a digraph, this is an undirected graph", graph)
        self.starts = {name for name in graph.nodes if name.startswith("__start")}
        if "catauto_abridged" in graph.attrs:
            raise self.fail(
                "the graph was drawn with abridged edge labels (max_label): it is a"
                " picture, not a machine; write the machine without max_label",
                self.attr_where("catauto_abridged"),
            )
        self.states = [name for name in graph.nodes if name not in self.starts]
        if not self.states:
            raise self.fail("the graph has no states", graph)
        self.index = {name: i for i, name in enumerate(self.states)}
        self.edges = []
        start_edges = []
        for e in graph.edges:
            if e.head in self.starts:
                raise self.fail(f"edge {e.tail} -> {e.head} enters the start marker", e)
            (start_edges if e.tail in self.starts else self.edges).append(e)
        self.labels = [self.edge_label(e) for e in self.edges]
        self.initial = self.find_initial(start_edges)
        self.meta_inputs = self.meta_alphabet("catauto_inputs")
        self.meta_outputs = self.meta_alphabet("catauto_outputs")
        self.kind = kind or self.meta_kind() or self.detect_kind()

    def fail(self, reason: str, where: Any) -> FormatError:
        return FormatError(reason, self.source, where.line, where.column)

    def edge_label(self, e: Any) -> DotLabel:
        if "label" not in e.attrs:
            raise self.fail(f"edge {e.tail} -> {e.head} has no label", e)
        return DotLabel(e.attrs["label"])

    def find_initial(self, start_edges: list) -> int:
        heads = list(dict.fromkeys(e.head for e in start_edges))
        if len(heads) > 1:
            e = next(e for e in start_edges if e.head == heads[1])
            raise self.fail(f"two initial states: {heads[0]} and {heads[1]}", e)
        if heads:
            return self.index[heads[0]]
        for i, name in enumerate(self.states):
            if self.g.nodes[name].attrs.get("color", "").strip().lower() == "red":
                return i
        return 0

    def attr_where(self, key: str) -> Any:
        line, column = self.g.attr_positions.get(key, (self.g.line, self.g.column))
        return DotNode(key, {}, line, column)

    def meta_kind(self) -> str | None:
        kind = self.g.attrs.get("catauto_kind")
        if kind is None:
            return None
        if kind not in KINDS:
            raise self.fail(
                f"catauto_kind must be one of {', '.join(KINDS)}, got {kind!r}",
                self.attr_where("catauto_kind"),
            )
        return kind

    def meta_alphabet(self, key: str) -> tuple | None:
        if key not in self.g.attrs:
            return None
        where = self.attr_where(key)
        try:
            values = json.loads(DotLabel(self.g.attrs[key]).text)
            if not isinstance(values, list):
                raise ValueError("not a JSON array")
            symbols = tuple(
                decode_symbol(v, f"{key}[{i}]", self.source) for i, v in enumerate(values)
            )
        except (ValueError, RecursionError) as e:
            reason = e.reason if isinstance(e, FormatError) else str(e)
            raise self.fail(f"{key} must be a JSON array of symbols: {reason}", where) from None
        texts = [symbol_text(s) for s in symbols]
        if len(set(texts)) != len(texts):
            dup = next(t for i, t in enumerate(texts) if t in texts[:i])
            raise self.fail(f"{key} names the symbol {dup!r} twice", where)
        return symbols

    def detect_kind(self) -> str:
        if any(label.output_split() is not None for label in self.labels):
            return "mealy"
        for name in self.states:
            node = self.g.nodes[name]
            if "|" in node.attrs.get("label", "") and DotLabel(node.attrs["label"]).find("|"):
                return "moore"
        return "dfa"

    def alphabet(self, meta: tuple | None) -> tuple[list, dict[str, int]]:
        """The symbols so far and a map from their label text to their index."""
        if meta is None:
            return [], {}
        return list(meta), {symbol_text(s): i for i, s in enumerate(meta)}

    def symbol_index(
        self, text: str, symbols: list, index: dict, fixed: bool, what: str, where: Any
    ) -> int:
        i = index.get(text)
        if i is None:
            if fixed:
                raise self.fail(f"{what} {text!r} is not in the alphabet catauto_{what}s", where)
            i = index[text] = len(symbols)
            symbols.append(text)
        return i

    def machine(self) -> Machine:
        n = len(self.states)
        inputs, in_index = self.alphabet(self.meta_inputs)
        outputs, out_index = self.alphabet(self.meta_outputs if self.kind != "dfa" else None)
        fixed_in, fixed_out = self.meta_inputs is not None, self.meta_outputs is not None
        mealy = self.kind == "mealy"
        trans: dict[tuple[int, int], tuple[int, int, Any]] = {}
        for e, label in zip(self.edges, self.labels):
            q, t = self.index[e.tail], self.index[e.head]
            out = -1
            end = len(label.text)
            if mealy:
                cut = label.output_split()
                if cut is None:
                    raise self.fail(
                        f"edge {e.tail} -> {e.head}: label {label.text!r} has no '/'"
                        " between input and output",
                        e,
                    )
                out = self.symbol_index(
                    label.strip(cut + 1, end), outputs, out_index, fixed_out, "output", e
                )
                end = cut
            for text in label.symbols(0, end):
                a = self.symbol_index(text, inputs, in_index, fixed_in, "input", e)
                old = trans.get((q, a))
                if old is not None and old[:2] != (t, out):
                    raise self.fail(
                        f"state {e.tail} has two transitions on {text!r} (line {old[2].line}"
                        " and here): not deterministic",
                        e,
                    )
                trans[q, a] = (t, out, e)
        delta = np.full((n, len(inputs)), -1, dtype=np.int32)
        out_table = np.full((n, len(inputs)), -1, dtype=np.int32)
        for (q, a), (t, out, _) in trans.items():
            delta[q, a] = t
            out_table[q, a] = out
        try:
            if self.kind == "dfa":
                return DFA(delta, self.accepting(), self.initial, inputs)
            if self.kind == "moore":
                state_out = self.moore_outputs(outputs, out_index, fixed_out)
                return Moore(delta, state_out, self.initial, inputs, outputs)
            return Mealy(delta, out_table, self.initial, inputs, outputs)
        except FormatError:
            raise
        except CatautoError as e:
            raise self.fail(str(e), self.g) from None

    def accepting(self) -> list[bool]:
        result = []
        for name in self.states:
            attrs = self.g.nodes[name].attrs
            peripheries = attrs.get("peripheries", "1").strip()
            result.append(
                "doublecircle" in attrs.get("shape", "").lower()
                or (re.fullmatch("[0-9]+", peripheries) is not None and int(peripheries) >= 2)
            )
        return result

    def moore_outputs(self, outputs: list, index: dict, fixed: bool) -> np.ndarray:
        out = np.empty(len(self.states), dtype=np.int32)
        for q, name in enumerate(self.states):
            node = self.g.nodes[name]
            if "label" not in node.attrs:
                raise self.fail(f"state {name} has no output (label it 'name|output')", node)
            fields = DotLabel(node.attrs["label"]).record_fields()
            out[q] = self.symbol_index(fields[-1], outputs, index, fixed, "output", node)
        return out


def from_dot(text: str, kind: Any = None, source: str = "<string>") -> Machine:
    """The machine drawn by DOT ``text`` (see the module docstring for the dialects).

    ``kind``: ``"dfa"``, ``"moore"``, ``"mealy"`` (or the class) to override detection.
    Errors are ``FormatError`` naming ``source``, the line and the column.

    >>> m = from_dot('digraph { __start0 -> s0; s0 -> s1 [label="a / x"]; '
    ...              's1 -> s1 [label="a/y"] }')
    >>> m.kind, m.inputs, m.outputs, m.transduce("aa")
    ('mealy', ('a',), ('x', 'y'), ['x', 'y'])
    """
    kind = _kind_of(kind)
    return _Reader(parse_dot(text, source), kind).machine()


def _is_text(source: Any) -> bool:
    return isinstance(source, str) and ("{" in source or "\n" in source)


def read_dot(source: PathLike | bytes, kind: Any = None) -> Machine:
    """Read a machine from a DOT file, or from DOT text.

    ``source`` is text when it is ``bytes`` (UTF-8) or a ``str`` containing ``{`` or a
    newline (no sensible file name has those); otherwise it is a path (``str`` or
    ``os.PathLike``).
    """
    if isinstance(source, bytes):
        try:
            return from_dot(source.decode("utf-8").removeprefix("\ufeff"), kind)
        except UnicodeDecodeError as e:
            line = source[: e.start].count(b"\n") + 1
            raise FormatError(
                f"not UTF-8 text (byte {source[e.start]:#04x})", "<bytes>", line
            ) from None
    if _is_text(source):
        return from_dot(source, kind)
    return from_dot(read_text(source), kind, os.fspath(source))


# -- writing --------------------------------------------------------------------------


def write_dot(m: Machine, path: PathLike, **options: Any) -> None:
    """Write ``to_dot(m, **options)`` to ``path``, atomically.

    Raises ``FormatError`` when two symbols of an alphabet look the same in a label
    (``1`` and ``"1"``): DOT could not tell them apart, JSON can.
    """
    for what, symbols in (("input", m.inputs), ("output", m.outputs)):
        seen: dict[str, Hashable] = {}
        for s in symbols:
            other = seen.setdefault(symbol_text(s), s)
            if other is not s and other != s:
                raise FormatError(
                    f"the {what} symbols {other!r} and {s!r} look the same in DOT; use JSON",
                    os.fspath(path),
                )
    atomic_write(path, to_dot(m, **options))
