"""The one base class of every error a user can cause."""


class CatautoError(ValueError):
    """Bad input: the message says what was wrong and where (file, line, trace)."""
