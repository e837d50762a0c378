"""Machines as JSON in catauto's own versioned schema.

Schema, version 1 (one object; keys not listed here are ignored)::

    {"format": "catauto", "version": 1,
     "kind": "dfa" | "moore" | "mealy",
     "inputs": [symbol, ...], "outputs": [symbol, ...],    # a DFA's are [false, true]
     "initial": 0,
     "delta": [[state, ...], ...],      # n rows of k targets, -1 = undefined
     "output": [...]}                   # dfa/moore: n output indices; mealy: n rows of k
                                        # indices, -1 where the transition is undefined

Symbols may be any JSON scalar and come back with their Python type: a string as
``str``, an integer as ``int``, a number with a fraction or exponent as ``float``,
``true``/``false`` as ``bool``, ``null`` as ``None``. A tuple of those is written as a
JSON array and read back as a tuple (arrays are never symbols otherwise, since lists
are not hashable). numpy scalars are written as the Python number they equal. Other
symbols (objects, sets, NaN) cannot be written and raise ``FormatError``. (The codec,
shared with DOT's alphabet attributes, is ``catauto.automata.symbols``.)

Errors name the file and the JSON path of the offending value:

>>> from_json('{"format": "catauto", "version": 1, "kind": "dfa", "inputs": ["a"],'
...           ' "initial": 0, "delta": [[3]], "output": [1]}', "m.json")
Traceback (most recent call last):
...
catauto.errors.FormatError: m.json: $.delta[0][0]: 3 is not a state (0..0) nor -1 (undefined)

>>> from catauto.automata import Mealy
>>> m = Mealy([[1, 0], [1, 1]], [[0, 1], [1, 1]], inputs=["a", 7], outputs=[None, ("x", 1.5)])
>>> back = from_json(to_json(m)); back == m, back.inputs, back.outputs
(True, ('a', 7), (None, ('x', 1.5)))
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from catauto._files import PathLike, atomic_write, read_text
from catauto.automata.machine import DFA, KINDS, Machine
from catauto.automata.symbols import decode_symbol, encode_symbol
from catauto.errors import FormatError

__all__ = [
    "FORMAT",
    "VERSION",
    "FormatError",
    "from_dict",
    "from_json",
    "read_json",
    "to_dict",
    "to_json",
    "write_json",
]

FORMAT = "catauto"
VERSION = 1


# -- writing --------------------------------------------------------------------------


def to_dict(m: Machine) -> dict:
    """The schema's object for ``m`` (plain Python values, ready for ``json.dumps``)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "kind": m.kind,
        "inputs": [encode_symbol(s, "input symbol") for s in m.inputs],
        "outputs": [encode_symbol(s, "output symbol") for s in m.outputs],
        "initial": m.initial,
        "delta": m.delta.tolist(),
        "output": m.output.tolist(),
    }


def to_json(m: Machine) -> str:
    """``m`` as JSON text in the catauto schema (one table row per line)."""
    d = to_dict(m)
    head = {k: d[k] for k in ("format", "version", "kind", "inputs", "outputs", "initial")}
    text = json.dumps(head, ensure_ascii=False, allow_nan=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: only \u escapes can carry them
        text = json.dumps(head, allow_nan=False)
    lines = [text[:-1] + ","]
    for key in ("delta", "output"):
        rows = ",\n  ".join(json.dumps(r) for r in d[key])
        sep = "," if key == "delta" else ""
        lines.append(f' "{key}": [\n  {rows}\n ]{sep}')
    return "\n".join(lines) + "\n}\n"


def write_json(m: Machine, path: PathLike) -> None:
    """Write ``m`` to ``path`` as JSON, atomically."""
    try:
        text = to_json(m)
    except FormatError as e:
        raise FormatError(e.reason, str(path), path=e.source) from None
    atomic_write(path, text)


# -- reading --------------------------------------------------------------------------


class _Checker:
    """Validates the parsed object, every error naming the file and the JSON path."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, reason: str) -> FormatError:
        return FormatError(reason, self.source, path=path)

    def field(self, obj: dict, key: str) -> Any:
        if key not in obj:
            raise self.fail("$", f"missing the key {key!r}")
        return obj[key]

    def integer(self, value: Any, path: str, low: int, high: int, what: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(path, f"expected {what}, got {json.dumps(value)}")
        if not low <= value <= high:
            raise self.fail(path, f"{value} is not {what}")
        return value

    def array(self, value: Any, path: str, length: int | None = None) -> list:
        if not isinstance(value, list):
            raise self.fail(path, f"expected an array, got {type(value).__name__}")
        if length is not None and len(value) != length:
            raise self.fail(path, f"expected {length} entries, got {len(value)}")
        return value

    def alphabet(self, value: Any, path: str) -> tuple:
        symbols = []
        first: dict = {}
        for i, v in enumerate(self.array(value, path)):
            s = decode_symbol(v, f"{path}[{i}]", self.source)
            if s in first:
                raise self.fail(
                    f"{path}[{i}]", f"repeats the symbol {s!r} (first at {path}[{first[s]}])"
                )
            first[s] = i
            symbols.append(s)
        return tuple(symbols)

    def vector(self, value: Any, path: str, length: int, low: int, high: int, what: str):
        items = self.array(value, path, length)
        return np.array(
            [self.integer(v, f"{path}[{i}]", low, high, what) for i, v in enumerate(items)],
            dtype=np.int32,
        )

    def table(self, value: Any, path: str, rows: int, cols: int, low: int, high: int, what: str):
        table = self.array(value, path, rows)
        out = np.empty((rows, cols), dtype=np.int32)
        for q, row in enumerate(table):
            row = self.array(row, f"{path}[{q}]", cols)
            for a, v in enumerate(row):
                out[q, a] = self.integer(v, f"{path}[{q}][{a}]", low, high, what)
        return out


def from_dict(obj: Any, source: str = "<string>") -> Machine:
    """The machine described by a parsed schema object (see the module docstring)."""
    c = _Checker(source)
    if not isinstance(obj, dict):
        raise c.fail("$", f"expected an object, got {type(obj).__name__}")
    if c.field(obj, "format") != FORMAT:
        raise c.fail("$.format", f"expected {FORMAT!r}, got {json.dumps(obj['format'])}")
    version = obj.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise c.fail("$.version", f"expected a version number, got {json.dumps(version)}")
    if version > VERSION:
        raise c.fail("$.version", f"version {version} is newer than this catauto reads ({VERSION})")
    kind = c.field(obj, "kind")
    if not isinstance(kind, str) or kind not in KINDS:
        raise c.fail("$.kind", f"expected one of {', '.join(KINDS)}, got {json.dumps(kind)}")
    inputs = c.alphabet(c.field(obj, "inputs"), "$.inputs")
    if kind == "dfa":
        outputs = c.alphabet(obj.get("outputs", [False, True]), "$.outputs")
        if outputs != (False, True) or any(type(o) is not bool for o in outputs):
            raise c.fail("$.outputs", "a DFA's outputs are [false, true]")
    else:
        outputs = c.alphabet(c.field(obj, "outputs"), "$.outputs")
    rows = c.array(c.field(obj, "delta"), "$.delta")
    n, k = len(rows), len(inputs)
    if n == 0:
        raise c.fail("$.delta", "a machine needs at least one state")
    delta = c.table(rows, "$.delta", n, k, -1, n - 1, f"a state (0..{n - 1}) nor -1 (undefined)")
    initial = c.integer(c.field(obj, "initial"), "$.initial", 0, n - 1, f"a state (0..{n - 1})")
    n_out = len(outputs)
    out_what = f"an output index (0..{n_out - 1})" if n_out else "an output index (none exist)"
    raw = c.field(obj, "output")
    if kind == "mealy":
        output = c.table(raw, "$.output", n, k, -1, n_out - 1, out_what + " nor -1")
        bad = np.argwhere((delta >= 0) & (output < 0))
        if len(bad):
            q, a = bad[0]
            raise c.fail(f"$.output[{q}][{a}]", "the transition is defined but has no output")
    else:
        output = c.vector(raw, "$.output", n, 0, n_out - 1, out_what)
    try:
        if kind == "dfa":
            return DFA(delta, output.astype(bool), initial, inputs)
        return KINDS[kind](delta, output, initial, inputs, outputs)
    except FormatError:
        raise
    except ValueError as e:  # the machine's own checks, should the schema miss one
        raise c.fail("$", str(e)) from None


def from_json(text: str, source: str = "<string>") -> Machine:
    """Parse JSON ``text`` in the catauto schema; ``source`` names it in errors."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise FormatError(f"not valid JSON: {e.msg}", source, e.lineno, e.colno) from None
    except RecursionError:
        raise FormatError("not valid JSON: nested too deeply", source) from None
    try:
        return from_dict(obj, source)
    except RecursionError:
        raise FormatError("a symbol is nested too deeply", source) from None


def read_json(source: PathLike) -> Machine:
    """Read a machine from a JSON file, or from JSON text when ``source`` is a ``str``
    that contains ``{`` (see ``catauto.automata.io``)."""
    if isinstance(source, str) and "{" in source:
        return from_json(source)
    return from_json(read_text(source), str(source))
