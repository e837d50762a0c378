"""The one base class of every error a user can cause, and the checks shared by the
functions that take sizes, bounds and symbols."""

from collections.abc import Iterable
from numbers import Integral


class CatautoError(ValueError):
    """Bad input: the message says what was wrong and where (file, line, trace)."""


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
