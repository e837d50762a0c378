r"""Symbols in text files: as JSON values, and as the text of DOT labels.

A symbol is any hashable Python value. The JSON schema (``catauto.automata.jsonio``)
and DOT's ``catauto_inputs`` / ``catauto_outputs`` attributes (``catauto.automata.dotio``)
write the exact symbols with ``encode_symbol`` and read them back with ``decode_symbol``;
a DOT label shows ``symbol_text(symbol)``, escaped by ``escape_symbol`` and read back
through ``DotLabel`` (the escaping is described in ``catauto.automata.dotio``).

This module builds no machine, so the writers (``to_dot``, ``to_json``) can be used by
the machine classes themselves.

>>> encode_symbol(("a", 1)), decode_symbol(["a", 1], "$", "<string>")
(['a', 1], ('a', 1))
>>> escape_symbol("a/b, c"), DotLabel(escape_symbol("a/b, c")).text
('a\\/b\\, c', 'a/b, c')
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable
from typing import Any

import numpy as np

from catauto.errors import FormatError

__all__ = [
    "DotLabel",
    "decode_symbol",
    "encode_symbol",
    "escape_symbol",
    "symbol_text",
]

_OPEN, _CLOSE = "([{", ")]}"


# -- JSON -----------------------------------------------------------------------------


def encode_symbol(symbol: Hashable, where: str = "symbol") -> Any:
    """A symbol as a JSON value (tuples become arrays); ``FormatError`` if it has none.

    >>> encode_symbol(("a", 1, (True, None))), encode_symbol(np.int64(3))
    (['a', 1, [True, None]], 3)
    """
    if symbol is None or isinstance(symbol, (str, bool)):
        return symbol
    if isinstance(symbol, np.bool_):
        return bool(symbol)
    if isinstance(symbol, (int, np.integer)):
        return int(symbol)
    if isinstance(symbol, (float, np.floating)):
        if not math.isfinite(symbol):
            raise FormatError(f"{symbol!r} is not finite and has no JSON form", where)
        return float(symbol)
    if isinstance(symbol, tuple):
        return [encode_symbol(s, where) for s in symbol]
    raise FormatError(
        f"{symbol!r} ({type(symbol).__name__}) has no JSON form: symbols must be strings,"
        " numbers, booleans, None or tuples of those",
        where,
    )


def decode_symbol(value: Any, path: str, source: str) -> Hashable:
    """A JSON value as a symbol (arrays become tuples); ``FormatError`` at ``path`` if not one."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise FormatError(f"{value!r} is not a finite number", source, path=path)
        return value
    if isinstance(value, list):
        return tuple(decode_symbol(v, f"{path}[{i}]", source) for i, v in enumerate(value))
    raise FormatError(
        "a symbol must be a string, number, boolean, null or an array of those,"
        f" got {type(value).__name__}",
        source,
        path=path,
    )


# -- DOT labels -----------------------------------------------------------------------


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
    r"""``text`` escaped for a label (see ``catauto.automata.dotio``), before DOT quoting.

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


_DECODE = re.compile(r"\\([\s\S])")
_ESCAPED_AS = {"n": "\n", "l": "\n", "r": "\r", "0": "\0"}


class DotLabel:
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
