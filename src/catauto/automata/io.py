"""Reading and writing machines: one place for every file format.

=========  ============================  ===========================================
format     read                          write
=========  ============================  ===========================================
DOT        ``read_dot(path_or_text)``    ``to_dot(m)`` (text), ``write_dot(m, path)``
JSON       ``read_json(path_or_text)``   ``to_json(m)`` (text), ``write_json(m, path)``
Abbadingo  ``read_abbadingo(path)``      ``write_abbadingo(data, path)``  (traces, from
                                         ``catauto.automata.traceio``)
StaMinA    ``read_stamina(path)``
any        ``read(path)``                ``write(m, path)``  (by extension: ``.dot``,
                                         ``.gv``, ``.json``)
=========  ============================  ===========================================

Paths may be ``str`` or ``pathlib.Path``. A ``str`` given to ``read_dot`` or
``read_json`` is taken as the file's *text* when it contains ``{`` or a newline (a
DOT graph and a JSON object always have a ``{``, a file name practically never), and
as a path otherwise; ``read_dot`` also takes ``bytes`` as text. The dialects and the
label escaping are described in ``catauto.automata.dotio``, the JSON schema in
``catauto.automata.jsonio``. Every write is atomic; every error is a ``FormatError``
(a ``CatautoError``) naming the file and the line, or the JSON path.

>>> import os, tempfile
>>> from catauto.automata import DFA
>>> m = DFA([[1, 0], [0, 1]], [True, False], inputs="ab")
>>> d = tempfile.mkdtemp()
>>> for ext in (".dot", ".json"):
...     write(m, os.path.join(d, "m" + ext))
...     print(ext, read(os.path.join(d, "m" + ext)) == m)
.dot True
.json True
"""

from __future__ import annotations

import os
from pathlib import Path

from catauto._files import PathLike
from catauto.automata.dotio import from_dot, read_dot, to_dot, write_dot
from catauto.automata.jsonio import from_json, read_json, to_json, write_json
from catauto.automata.machine import Machine
from catauto.automata.traceio import read_abbadingo, read_stamina, write_abbadingo
from catauto.errors import FormatError

__all__ = [
    "FormatError",
    "from_dot",
    "from_json",
    "read",
    "read_dot",
    "read_json",
    "to_dot",
    "to_json",
    "write",
    "write_dot",
    "write_json",
    "EXTENSIONS",
    "format_of",
    "read_abbadingo",
    "read_stamina",
    "write_abbadingo",
]

EXTENSIONS = {".dot": "dot", ".gv": "dot", ".json": "json"}


def format_of(path: PathLike) -> str:
    """``"dot"`` or ``"json"`` from the file extension; ``FormatError`` for anything else."""
    ext = Path(path).suffix.lower()
    if ext not in EXTENSIONS:
        known = ", ".join(EXTENSIONS)
        got = f"extension {ext!r}" if ext else "no extension"
        raise FormatError(f"unknown machine format ({got}); use one of {known}", os.fspath(path))
    return EXTENSIONS[ext]


def read(path: PathLike) -> Machine:
    """Read a machine from ``path``, the format chosen by the extension."""
    if format_of(path) == "dot":
        return read_dot(Path(path))
    return read_json(Path(path))


def write(m: Machine, path: PathLike) -> None:
    """Write ``m`` to ``path`` atomically, the format chosen by the extension."""
    if format_of(path) == "dot":
        write_dot(m, path)
    else:
        write_json(m, path)
