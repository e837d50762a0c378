"""Para-coalgebras, lifted by the strength: ``cell: P ▶ X -> F(X)``.

The dual of :class:`catauto.para.LaxAlgebra`. Unfolding a Para-coalgebra into the
final coalgebra hands the *same* parameter to every step through the strength
``σ: P ▶ F(X) -> F(P ▶ X)`` (:func:`catauto.para.strength`): the step coalgebra is
``σ ∘ (Δ ▶ X)``-shaped, ``(p, x) -> σ(p, cell(p, x))``, so the parameter travels with
the state. Its square commutes up to ``Δ_P`` as the algebra's does:
``observe ∘ unfold(p) = F(unfold(p)) ∘ cell(p)`` once both sides read the one ``p``.

>>> from catauto.functor import Layer, StreamF
>>> from catauto.coalgebra.stream import take
>>> from catauto.para import Para
>>> geometric = LaxCoalgebra(StreamF(), Para(lambda key: 2, lambda p, x: Layer("cons", x, (p * x,))))
>>> take(geometric.unfold_stream(3, 1), 5)
(1, 3, 9, 27, 81)
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from catauto.coalgebra.behaviour import Behaviour
from catauto.coalgebra.core import Coalgebra
from catauto.coalgebra.stream import Stream, unfold_stream
from catauto.errors import CatautoError
from catauto.functor import Functor, Layer
from catauto.para import Para, strength

__all__ = ["LaxCoalgebra"]


@dataclass(frozen=True)
class LaxCoalgebra:
    """A Para-coalgebra ``cell: P ▶ X -> F(X)`` of a polynomial functor ``F``."""

    functor: Functor
    cell: Para

    def at(self, p: Any) -> Coalgebra:
        """The coalgebra of ``P ▶ X``, ``(p, x) -> σ(p, cell(p, x))``: the state carries
        the parameter, and the strength hands it on to every successor."""
        F = self.functor

        def structure(px: tuple) -> Layer:
            q, x = px
            return strength(F, q, self.cell.apply(q, x))

        return Coalgebra(F, structure, carrier="P ▶ X")

    def unfold_stream(self, p: Any, seed: Any) -> Stream:
        """The stream unfold (``F = StreamF``) at parameter ``p``: equal to
        ``unfold_stream(lambda x: cell(p, x), seed)`` (tested), but built through ``σ``."""
        if self.functor.signature != (("cons", 1),):
            raise CatautoError(f"unfold_stream needs StreamF, got {self.functor.signature}")
        return unfold_stream(self.at(p), (p, seed))

    def behaviour(self, p: Any, state: Any, inputs: Sequence[Hashable] | None = None) -> Behaviour:
        """The behaviour (``F = MooreF/MealyF``) of ``state`` at parameter ``p``
        (``p`` and the states must be hashable: behaviours compare by walking pairs)."""
        return Behaviour(self.at(p), (p, state), inputs)
