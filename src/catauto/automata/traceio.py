"""Trace files: the formats that ``Sample`` and ``IOTraces`` are read from and written to.

Readers (each error is a ``FormatError``, a ``CatautoError`` whose message starts
with ``file:line:``; a missing file is a ``MissingFileError``, also a
``FileNotFoundError``; a file without a single trace is an error too):

- ``read_abbadingo``: header ``N A`` then ``label len s1 .. slen`` per line, labels
  1 / 0 (a DFA sample) or -1 (unlabelled); other integer labels make a Moore sample.
  FlexFringe's extension is read too: a header ``N A:attrs``, symbols
  ``sym:v1,v2`` (attribute values, dropped) and ``sym/out`` (an output per symbol:
  the file is then read as ``IOTraces`` and the labels are ignored).
- ``read_stamina``: ``+ s1 s2 ...`` (accepted), ``- ...`` (rejected), ``? ...``
  (unlabelled); a lone ``+`` or ``-`` is the empty word.
- ``read_csv``: a header row, then one trace per row. Columns ``word,label`` give a
  Sample, ``input,output`` give IOTraces; symbols inside a field are separated by
  spaces (an empty field is the empty word); an empty label is unlabelled.
- ``read_jsonl``: one JSON object per line, ``{"word": [...], "label": x}`` (``label``
  null or absent: unlabelled) or ``{"input": [...], "output": [...]}``. Words, inputs
  and outputs are JSON lists of symbols: a JSON string there is an error (is
  ``"ab"`` one symbol or two?), whose message says which list to write instead.

Labels (CSV, JSON Lines) make a DFA sample when all of them, in any case, are spellings
of one pair of ``DFA_LABELS`` (``yes``/``no``, ``true``/``false``, ``accept``/``reject``,
``1``/``0``, ``+``/``-``, ...; in JSON also the booleans and the numbers 1 / 0); other
labels make a Moore sample, the labels kept as written (``Open`` and ``open`` differ).

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

import csv
import io
import json
import os
import re
from collections.abc import Hashable
from functools import cached_property
from typing import Any

import numpy as np

from catauto._files import PathLike, atomic_write, read_text, text_lines
from catauto.automata.traces import IOTraces, Sample, infer_alphabet
from catauto.errors import FormatError

__all__ = [
    "DFA_LABELS",
    "read_abbadingo",
    "read_csv",
    "read_jsonl",
    "read_stamina",
    "write_abbadingo",
]

#: The spellings of accept / reject that make a DFA sample (compared in any case; all
#: the labels of a file must come from one pair).
DFA_LABELS: tuple[tuple[str, str], ...] = (
    ("yes", "no"),
    ("true", "false"),
    ("accept", "reject"),
    ("1", "0"),
    ("+", "-"),
    ("y", "n"),
    ("accepted", "rejected"),
    ("positive", "negative"),
    ("pos", "neg"),
)


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
        raise f.error(
            1, "no traces: the file is empty (expected a header 'N A': strings, alphabet size)"
        )
    hline, header = f.rows[0]
    parts = header.split()
    if len(parts) != 2 or not _COUNT.match(parts[0]):
        raise f.error(hline, f"expected a header 'N A' (strings, alphabet size), got {header!r}")
    n_alpha = parts[1].split(":", 1)[0]
    if not _COUNT.match(n_alpha) or f.number(n_alpha, hline) > _MAX_ALPHABET:
        raise f.error(hline, f"alphabet size {parts[1]!r} is not a number up to {_MAX_ALPHABET}")
    n_words, n_alpha = f.number(parts[0], hline), int(n_alpha)
    body = f.rows[1:]
    if not n_words and not body:
        raise f.error(hline, "no traces: the header announces 0 strings and none follow")
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
    if not f.rows:
        raise f.error(
            1, "no traces: the file is empty (expected lines '+ symbols...', '- ...' or '? ...')"
        )
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
    Extra columns and blank lines are ignored. Labels that all spell one pair of
    ``DFA_LABELS`` (``yes/no``, ``true/false``, ``1/0``, ... in any case) make a DFA
    sample, an empty label is unlabelled, other labels make a Moore sample (as written:
    ``Open`` and ``open`` are different labels). A file with no row after the header
    is an error.
    """
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
        raise f.error(
            1,
            "no traces: the file is empty (expected a header row, 'word,label' or 'input,output')",
        )
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
    if len(rows) == 1:
        raise f.error(hline, "no traces: the file has a header row and nothing after it")
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


def _dfa_labels(spelled: list[str | None]) -> list[bool | None] | None:
    """``spelled`` (``None``: unlabelled) as accept / reject when all the labels spell
    one pair of ``DFA_LABELS`` in any case, else ``None``.

    >>> _dfa_labels(["Yes", None, "no"]), _dfa_labels(["yes", "0"])
    ([True, None, False], None)
    """
    folded = {x.lower() for x in spelled if x is not None}
    for yes, no in DFA_LABELS:
        if folded <= {yes, no}:
            return [None if x is None else x.lower() == yes for x in spelled]
    return None


def _csv_labels(raw: list[str], f: _Lines, lines: list[int]) -> list:
    """DFA labels (see ``DFA_LABELS``), else the labels as written."""
    dfa = _dfa_labels([x or None for x in raw])
    if dfa is not None:
        return dfa
    value = f.typed(lines, [[x] if x else [] for x in raw])
    return [value[x] if x else None for x in raw]


def _json_label_text(x: Any) -> str:
    """How a JSON label is spelled, to compare it with ``DFA_LABELS`` (``"?"``: never
    one of them)."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, (str, int)):
        return str(x)
    return "?"


_JSONL_LINE = (
    'one JSON object per line, {"word": [...], "label": ...} or {"input": [...], "output": [...]}'
)


def read_jsonl(path: PathLike) -> Sample | IOTraces:
    """Read JSON Lines: ``{"word": [...], "label": x}`` or ``{"input": [...], "output": [...]}``.

    Words, inputs and outputs are JSON lists (a JSON string there is an error); a JSON
    list inside one becomes a tuple (symbols must be hashable). Every line must use the
    same keys. Labels that all spell one pair of ``DFA_LABELS`` (any case; the booleans
    and the numbers 1 / 0 too) make a DFA sample, ``null`` or no label is unlabelled,
    other labels make a Moore sample. A file with no object is an error.
    """
    f = _Lines(path)
    if not f.rows:
        raise f.error(1, f"no traces: the file is empty (expected {_JSONL_LINE})")
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
    dfa = _dfa_labels([None if x is None else _json_label_text(x) for x in seconds])
    return Sample(firsts, seconds if dfa is None else dfa, source=f.name, lines=lines)


def _json_trace(obj: Any, f: _Lines, n: int) -> tuple[str, list, Any]:
    """``("io" | "word", first, second)`` from one JSON Lines object."""
    if not isinstance(obj, dict):
        raise f.error(n, "each line must be a JSON object")
    if "input" in obj:
        if "output" not in obj:
            raise f.error(n, "an 'input' needs an 'output'")
        first = _json_word(obj["input"], "input", f, n)
        second = _json_word(obj["output"], "output", f, n)
        if len(second) != len(first):
            raise f.error(n, f"{len(first)} inputs but {len(second)} outputs")
        return "io", first, second
    if "word" in obj:
        return "word", _json_word(obj["word"], "word", f, n), _json_symbol(obj.get("label"), f, n)
    raise f.error(n, "an object needs a 'word' (and 'label') or 'input' and 'output'")


def _json_symbol(x: Any, f: _Lines, n: int) -> Hashable:
    if isinstance(x, list):
        return tuple(_json_symbol(y, f, n) for y in x)
    if isinstance(x, dict):
        raise f.error(n, "a symbol or label cannot be a JSON object")
    return x


def _json_word(x: Any, key: str, f: _Lines, n: int) -> list:
    if isinstance(x, str):
        hint = _list_hint(x)
        raise f.error(
            n, f"{key!r} must be a JSON list of symbols, not the string {_json_text(x)}: {hint}"
        )
    if not isinstance(x, list):
        kind = {dict: "an object", bool: "a boolean", type(None): "null"}.get(type(x), "a number")
        raise f.error(n, f"{key!r} must be a JSON list of symbols, got {kind}")
    return [_json_symbol(y, f, n) for y in x]


def _json_text(x: Any, limit: int = 60) -> str:
    text = json.dumps(x, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 4] + '..."'


def _list_hint(text: str) -> str:
    """What to write instead of the string ``text`` where a list of symbols belongs.

    >>> print(_list_hint("coin push"))
    write ["coin", "push"]
    >>> print(_list_hint("ab"))
    write ["a", "b"] (a symbol per character) or ["ab"] (one symbol)
    """
    tokens = text.split()
    if len(tokens) > 1:
        return f"write {_json_text(tokens)}"
    if len(text) > 1:
        each, one = _json_text(list(text)), _json_text([text])
        return f"write {each} (a symbol per character) or {one} (one symbol)"
    return f"write {_json_text([text] if text else [])}"


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
    otherwise by index (see the module doc). IOTraces get the label 1. Data without a
    trace is refused (no reader accepts a file without one).
    """
    if not len(data):
        raise FormatError("nothing to write: the data has no traces", os.fspath(path))
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
