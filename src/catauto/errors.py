"""The one base class of every error a user can cause, and the count check shared by
the functions that take sizes and bounds."""

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
