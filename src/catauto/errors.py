"""Every error a user can cause, in one place, and the checks shared by the functions
that take sizes, bounds and symbols.

Each error is a :class:`CatautoError`, which is also a ``ValueError``; the message says
what was wrong and where (file and line, the JSON path, or the two traces that disagree).
The modules that raise them re-export them where users meet them (``io.FormatError``,
``learn.LearningError``, ...). Failures of the library's own invariants are not here:
they raise ``AssertionError`` or ``RuntimeError``.
"""

import errno
import os
from collections.abc import Iterable
from numbers import Integral
from typing import Any

__all__ = [
    "CatautoError",
    "ContradictionError",
    "DotNotFoundError",
    "FormatError",
    "LearningError",
    "MachineError",
    "MissingFileError",
    "NondeterminismError",
    "NonFiniteLossError",
    "StateBoundError",
    "check_count",
    "first_unhashable",
]


class CatautoError(ValueError):
    """Bad input: the message says what was wrong and where (file, line, trace)."""


class FormatError(CatautoError):
    """A file or text is malformed; the message starts with ``source:line:column:``.

    >>> str(FormatError("expected '{'", "m.dot", 3, 7))
    "m.dot:3:7: expected '{'"
    >>> str(FormatError("bad state", "m.json", path="$.delta[2]"))
    'm.json: $.delta[2]: bad state'
    """

    def __init__(
        self,
        reason: str,
        source: str = "<string>",
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
    ) -> None:
        where = source
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        if path is not None:
            where += f": {path}"
        super().__init__(f"{where}: {reason}")
        self.reason = reason
        self.source = source
        self.line = line
        self.column = column
        self.path = path


class MissingFileError(FormatError, FileNotFoundError):
    """A file to read does not exist: a ``FormatError`` that names it, and also a
    ``FileNotFoundError`` (``errno`` ENOENT, ``filename``) for code that catches those.

    >>> e = MissingFileError("no such file", "traces.csv")
    >>> str(e), e.filename, isinstance(e, FileNotFoundError), isinstance(e, ValueError)
    ('traces.csv: no such file', 'traces.csv', True, True)
    """

    def __init__(self, reason: str, source: str = "<string>") -> None:
        super().__init__(reason, source)
        self.errno, self.strerror = errno.ENOENT, os.strerror(errno.ENOENT)
        self.filename = source

    def __str__(self) -> str:  # FormatError's message, not OSError's "[Errno 2] ..."
        return BaseException.__str__(self)


class MachineError(CatautoError):
    """A machine's tables, alphabets or a word given to it are malformed."""


class DotNotFoundError(CatautoError):
    """Graphviz's ``dot`` program is not installed (or not on PATH)."""


class ContradictionError(CatautoError):
    """Two traces disagree on the same word or prefix; the message quotes both."""


class StateBoundError(CatautoError):
    """The data needs more states than ``max_states`` allows (with this heuristic)."""


class LearningError(CatautoError):
    """Active learning cannot go on: a malformed teacher, oracle or answer."""


class NondeterminismError(LearningError):
    """The system answered a query differently from an earlier answer."""


class NonFiniteLossError(CatautoError):
    """The loss (or the validation loss) became NaN or infinite; ``step``/``epoch`` say
    where, ``params`` holds the last parameters with a finite training loss."""

    def __init__(self, message: str, step: int, epoch: int, params: Any) -> None:
        super().__init__(message)
        self.step, self.epoch, self.params = step, epoch, params


def check_count(
    name: str, value: object, minimum: int = 0, error: type[CatautoError] = CatautoError
) -> int:
    """``value`` as an int of at least ``minimum`` (any integer type, not a bool), or an
    ``error`` naming ``name``.

    >>> check_count("n_tests", 5)
    5
    >>> check_count("walk_len", 0, 1)
    Traceback (most recent call last):
    ...
    catauto.errors.CatautoError: walk_len must be an integer >= 1, got 0
    """
    if isinstance(value, bool) or not isinstance(value, Integral) or value < minimum:
        raise error(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def first_unhashable(values: Iterable[object]) -> int | None:
    """The index of the first value that cannot be hashed (None: every one can), to
    name it when a dict or set of symbols or labels cannot be built.

    >>> first_unhashable(["a", ("b",), ["c"]]), first_unhashable("ab")
    (2, None)
    """
    for i, x in enumerate(values):
        try:
            hash(x)
        except TypeError:
            return i
    return None
