"""Reading and writing files the same way everywhere: errors name the file, writes are atomic.

Every reader turns an unreadable file (missing, a directory, not UTF-8) into a
``FormatError`` that names it (a missing file: ``MissingFileError``, which is also a
``FileNotFoundError``), and every writer goes through ``atomic_write``: the data
lands in a temporary file in the target's directory, which then replaces the target in
one ``os.replace``, so a crash or an error never leaves a half-written file behind.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from catauto.errors import FormatError, MissingFileError

PathLike = str | os.PathLike


def read_text(path: PathLike) -> str:
    """The UTF-8 text of ``path``; unreadable files raise ``FormatError`` naming the file
    (``MissingFileError``, also a ``FileNotFoundError``, when there is no such file)."""
    name = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise FormatError("is a directory, expected a file", name) from None
    except FileNotFoundError:
        raise MissingFileError("no such file", name) from None
    except OSError as e:
        raise FormatError(f"cannot read: {e.strerror or e}", name) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise FormatError(f"not UTF-8 text (byte {data[e.start]:#04x})", name, line) from None
    return text.removeprefix("\ufeff")


def text_lines(text: str) -> list[str]:
    """The lines of ``text``, ended by ``\\n`` only (``\\r\\n`` too): ``str.splitlines``
    also breaks at form feeds, U+2028 and more, which a symbol or a JSON string may hold.

    >>> text_lines("a\\r\\nb\\u2028c\\n")
    ['a', 'b\\u2028c']
    """
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if lines[-1] == "":
        lines.pop()  # the final newline ends the last line, it starts none
    return lines


def atomic_write(path: PathLike, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically: all of it or nothing.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "x.txt")
    >>> atomic_write(p, "hello"); open(p).read()
    'hello'
    """
    name = os.fspath(path)
    target = Path(os.path.realpath(path))  # through a symlink to the file it names
    if isinstance(data, str):
        try:
            data = data.encode("utf-8")
        except UnicodeEncodeError as e:
            raise FormatError(f"cannot encode {data[e.start : e.end]!r} as UTF-8", name) from None
    if target.is_dir():
        raise FormatError("is a directory, cannot write a file there", name)
    directory = target.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as e:
        raise FormatError(f"cannot write: {e.strerror or e}", name) from None
    try:
        try:  # an existing file keeps its permissions; mkstemp makes 0600
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()  # as a plain new file would get
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise FormatError(f"cannot write: {e.strerror or e}", name) from None
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
