"""Coalgebras ``state -> F(state)`` and their unfolds.

A coalgebra of a polynomial functor observes a state one layer deep. Its unfold (the
anamorphism) is the unique map into the final coalgebra; for a well-founded coalgebra
the result is a finite term of the initial algebra, built by :func:`catauto.algebra.ana`:

>>> from catauto.algebra import lists
>>> from catauto.functor import Layer, ListF
>>> digits = Coalgebra(ListF(), lambda n: Layer("nil") if n == 0 else Layer("cons", n % 10, (n // 10,)))
>>> ana(digits, 1234, lists())
(4, 3, 2, 1)

``unfold`` here *is* :func:`catauto.algebra.ana` (re-exported, one function): the unfold
into the initial algebra, which ends only for well-founded coalgebras. Infinite
behaviour has its own names: streams, the final coalgebra of ``StreamF``, are built by
:func:`catauto.coalgebra.unfold_stream` (:mod:`catauto.coalgebra.stream`), and the
behaviour of a Moore/Mealy machine's state is :func:`catauto.coalgebra.behaviour`.
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from catauto.algebra import ana, hylo, refold, unfold
from catauto.errors import CatautoError
from catauto.functor import Functor, Layer

__all__ = ["Coalgebra", "ana", "unfold", "hylo", "refold"]


@dataclass(frozen=True)
class Coalgebra:
    """An F-coalgebra: ``structure`` maps a state to a :class:`Layer` over states.

    ``carrier`` is an optional description (documentation only). Coalgebras are callable.
    """

    functor: Functor
    structure: Callable[[Any], Layer]
    carrier: str | None = None

    def __post_init__(self) -> None:
        if not callable(self.structure):
            raise CatautoError(
                "Coalgebra(functor, structure, carrier=None): structure must be callable, "
                f"got {self.structure!r}"
            )

    def __call__(self, state: Any) -> Layer:
        return self.structure(state)

    def observe(self, state: Any) -> Layer:
        """``structure(state)``, checked against the functor."""
        return self.functor.check(self.structure(state))
