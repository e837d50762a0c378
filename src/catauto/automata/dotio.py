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

**Writing** (``to_dot``) quotes every label, merges parallel edges, marks the initial
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
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np

from catauto._files import FormatError, PathLike, atomic_write, read_text
from catauto.automata.dot import DotGraph, DotNode, parse_dot
from catauto.automata.jsonio import decode_symbol, encode_symbol
from catauto.automata.machine import DFA, KINDS, Machine, Mealy, Moore
from catauto.errors import CatautoError

__all__ = ["from_dot", "read_dot", "to_dot", "write_dot", "escape_symbol", "sink_states"]

HIGHLIGHT = "#d62728"  # not "red": old files mark the initial state with color="red"
_OPEN, _CLOSE = "([{", ")]}"


# -- escaping -------------------------------------------------------------------------


def symbol_text(symbol: Hashable) -> str:
    """How a symbol is shown in a label: strings as they are, others through ``str``."""
    return symbol if isinstance(symbol, str) else str(symbol)


def _balanced(text: str) -> bool:
    depth = 0
    for c in text:
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            if depth == 0:
                return False
            depth -= 1
    return depth == 0


def escape_symbol(text: str, record: bool = False) -> str:
    r"""``text`` escaped for a label (see the module docstring), before DOT quoting.

    >>> print(escape_symbol(" a/b, c\\ "), escape_symbol("f(x"), escape_symbol("f(x)"))
    \ a\/b\, c\\\  f\(x f(x)
    >>> print(escape_symbol("out {1} | 2", record=True))
    out\ \{1\}\ \|\ 2
    """
    brackets = not _balanced(text)
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    tail = len(text.rstrip()) if stripped else 0
    out = []
    for i, c in enumerate(text):
        if c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\0":
            out.append("\\0")
        elif c in ",/" or (brackets and c in "()[]{}"):
            out.append("\\" + c)
        elif record and (c in "{}|<> "):
            out.append("\\" + c)
        elif c.isspace() and (i < lead or i >= tail):
            out.append("\\" + c)
        else:
            out.append(c)
    return "".join(out)


def _quote(label: str) -> str:
    """A DOT quoted string for an already escaped label (its backslashes come in pairs)."""
    return '"' + label.replace('"', '\\"') + '"'


def _escstr(text: str) -> str:
    """Any text as a label that decodes back to exactly ``text``."""
    text = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
    return text.replace("\0", "\\0")


_DECODE = re.compile(r"\\([\s\S])")
_ESCAPED_AS = {"n": "\n", "l": "\n", "r": "\r", "0": "\0"}


class _Label:
    """A decoded label: its text and which positions were escaped (hence literal)."""

    __slots__ = ("text", "escaped")

    def __init__(self, raw: str) -> None:
        if "\\" not in raw:
            self.text, self.escaped = raw, frozenset()
            return
        chars: list[str] = []
        escaped = set()
        pos = 0
        for m in _DECODE.finditer(raw):
            chars.extend(raw[pos : m.start()])
            escaped.add(len(chars))
            chars.append(_ESCAPED_AS.get(m.group(1), m.group(1)))
            pos = m.end()
        chars.extend(raw[pos:])
        self.text, self.escaped = "".join(chars), frozenset(escaped)

    def plain(self, i: int, chars: str) -> bool:
        return 0 <= i < len(self.text) and self.text[i] in chars and i not in self.escaped

    def space(self, i: int) -> bool:
        return 0 <= i < len(self.text) and self.text[i].isspace() and i not in self.escaped

    def find(self, char: str, start: int = 0, end: int | None = None) -> list[int]:
        end = len(self.text) if end is None else end
        hits = []
        i = self.text.find(char, start, end)
        while i >= 0:
            if i not in self.escaped:
                hits.append(i)
            i = self.text.find(char, i + 1, end)
        return hits

    def strip(self, start: int, end: int) -> str:
        while start < end and self.space(start):
            start += 1
        while end > start and self.space(end - 1):
            end -= 1
        return self.text[start:end]

    def output_split(self) -> int | None:
        """Where input and output meet: the first free ``/`` spaced on both sides, or else
        the first free ``/``; ``None`` when there is none."""
        slashes = self.find("/")
        for i in slashes:
            if self.space(i - 1) and self.space(i + 1):
                return i
        return slashes[0] if slashes else None

    def symbols(self, start: int, end: int) -> list[str]:
        """The symbols between ``start`` and ``end``, split at free ``", "`` outside brackets."""
        cuts, depth = [], 0
        if self.find(",", start, end):
            for i in range(start, end):
                if self.plain(i, _OPEN):
                    depth += 1
                elif self.plain(i, _CLOSE):
                    depth = max(0, depth - 1)
                elif depth == 0 and self.plain(i, ",") and self.space(i + 1):
                    cuts.append(i)
        bounds = [start, *(c + 1 for c in cuts)], [*cuts, end]
        return [self.strip(a, b) for a, b in zip(*bounds)]

    def record_fields(self) -> list[str]:
        """The fields of a record label ``a|b`` or ``{a|b}``; the rest after the first
        ``|`` is one field."""
        start, end = 0, len(self.text)
        while start < end and self.space(start):
            start += 1
        while end > start and self.space(end - 1):
            end -= 1
        if self.plain(start, "{") and self.plain(end - 1, "}"):
            start, end = start + 1, end - 1
        bars = self.find("|", start, end)
        if not bars:
            return [self.strip(start, end)]
        return [self.strip(start, bars[0]), self.strip(bars[0] + 1, end)]


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

    def edge_label(self, e: Any) -> _Label:
        if "label" not in e.attrs:
            raise self.fail(f"edge {e.tail} -> {e.head} has no label", e)
        return _Label(e.attrs["label"])

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
            values = json.loads(_Label(self.g.attrs[key]).text)
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
            if "|" in node.attrs.get("label", "") and _Label(node.attrs["label"]).find("|"):
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
            fields = _Label(node.attrs["label"]).record_fields()
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


def sink_states(m: Machine) -> list[int]:
    """Non-initial states every defined transition of which loops back (and, in a DFA,
    rejecting): what ``to_dot(hide_sink=True)`` leaves out.

    >>> from catauto.automata import DFA
    >>> sink_states(DFA([[1, 2], [1, 1], [2, 2]], [False, True, False]))
    [2]
    """
    n = m.n_states
    loops = (m.delta == np.arange(n)[:, None]) | (m.delta < 0)
    sinks = loops.all(axis=1)
    sinks[m.initial] = False
    if m.kind == "dfa":
        sinks &= ~m.output.astype(bool)
    return [int(q) for q in np.flatnonzero(sinks)]


def _run_path(m: Machine, word: Iterable[Hashable]) -> tuple[set[int], set[tuple[int, int]]]:
    q = m.initial
    states, transitions = {q}, set()
    for a in m.encode(word):
        t = int(m.delta[q, a])
        if t < 0:
            break
        transitions.add((q, int(a)))
        states.add(t)
        q = t
    return states, transitions


def _meta(key: str, symbols: Sequence[Hashable]) -> str:
    """``, key="[...]"`` with the exact alphabet, or nothing for symbols JSON cannot hold."""
    try:
        values = [encode_symbol(s) for s in symbols]
    except FormatError:
        return ""
    return f", {key}={_quote(_escstr(json.dumps(values, ensure_ascii=False)))}"


def to_dot(
    m: Machine,
    *,
    hide_sink: bool = False,
    highlight: Iterable[Hashable] | None = None,
    name: str | None = None,
    rankdir: str = "LR",
) -> str:
    """``m`` as DOT text (pure Python; see the module docstring for the label syntax).

    - ``hide_sink``: leave out ``sink_states(m)`` and the edges into them (the drawing
      of a partial machine; reading it back gives one);
    - ``highlight``: a word whose run (states and edges from the initial state) is
      drawn in colour, as far as it is defined;
    - ``name``: the graph's name (default: the kind); ``rankdir``: Graphviz layout.

    >>> from catauto.automata import DFA
    >>> print(to_dot(DFA([[1], [1]], [False, True], inputs=["a"])))  # doctest: +ELLIPSIS
    digraph "dfa" {
      graph [rankdir="LR", catauto_kind="dfa", catauto_inputs="[\\"a\\"]"];
      node [shape=circle];
      __start0 [label="", shape=none, width=0, height=0];
      s0 [label="s0"];
      s1 [label="s1", shape=doublecircle];
      __start0 -> s0;
      s0 -> s1 [label="a"];
      s1 -> s1 [label="a"];
    }
    """
    kind = m.kind
    hidden = set(sink_states(m)) if hide_sink else set()
    states, steps = _run_path(m, highlight) if highlight is not None else (set(), set())
    mark = f', color="{HIGHLIGHT}", fontcolor="{HIGHLIGHT}", penwidth=2'
    texts = [escape_symbol(symbol_text(s)) for s in m.inputs]
    out_texts = [escape_symbol(symbol_text(s), record=kind == "moore") for s in m.outputs]
    graph_attrs = f'rankdir={_quote(_escstr(rankdir))}, catauto_kind="{kind}"'
    graph_attrs += _meta("catauto_inputs", m.inputs)
    if kind != "dfa":
        graph_attrs += _meta("catauto_outputs", m.outputs)
    node_style = "shape=record, style=rounded" if kind == "moore" else "shape=circle"
    lines = [
        f"digraph {_quote(_escstr(name if name is not None else kind))} {{",
        f"  graph [{graph_attrs}];",
        f"  node [{node_style}];",
        '  __start0 [label="", shape=none, width=0, height=0];',
    ]
    for q in range(m.n_states):
        if q in hidden:
            continue
        if kind == "moore":
            attrs = f'label="s{q}|{_quote(out_texts[m.output[q]])[1:-1]}"'
        else:
            attrs = f'label="s{q}"'
        if kind == "dfa" and m.output[q]:
            attrs += ", shape=doublecircle"
        if q in states:
            attrs += mark
        lines.append(f"  s{q} [{attrs}];")
    lines.append(f"  __start0 -> s{m.initial}{f' [{mark[2:]}]' if highlight is not None else ''};")
    delta, output = m.delta, m.output
    for q in range(m.n_states):
        if q in hidden:
            continue
        groups: dict[tuple[int, int], list[int]] = {}
        for a in range(m.n_inputs):
            t = int(delta[q, a])
            if t >= 0 and t not in hidden:
                groups.setdefault((t, int(output[q, a]) if kind == "mealy" else -1), []).append(a)
        for (t, o), letters in groups.items():
            label = ", ".join(texts[a] for a in letters)
            if kind == "mealy":
                label += " / " + out_texts[o]
            attrs = f"label={_quote(label)}"
            if any((q, a) in steps for a in letters):
                attrs += mark
            lines.append(f"  s{q} -> s{t} [{attrs}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


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
