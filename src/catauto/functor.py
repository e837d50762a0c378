"""Polynomial functors as data.

A polynomial functor ``F`` is a finite sum of constructors; constructor ``c`` carries a
label from a set ``A_c`` and ``arity_c`` recursive positions::

    F(X) = sum over c of  A_c × X^arity_c

One layer of ``F`` applied to ``X`` is a :class:`Layer` ``(con, label, kids)`` with
``len(kids) == arity_c``. ``fmap(f)`` acts on the recursive positions only, and obeys the
functor laws ``fmap(id) = id`` and ``fmap(g ∘ f) = fmap(g) ∘ fmap(f)``:

>>> F = ListF(("a", "b"))
>>> layer = F.layer("cons", "a", 41)
>>> F.fmap(lambda x: x + 1, layer)
Layer(con='cons', label='a', kids=(42,))
>>> F.fmap(lambda x: x, layer) == layer                                  # identity
True
>>> f, g = (lambda x: x + 1), (lambda x: 2 * x)
>>> F.fmap(lambda x: g(f(x)), layer) == F.fmap(g, F.fmap(f, layer))     # composition
True

Everything generic (folds, flattening of terms, strategies for tests, drawing) is written
once against this description.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from catauto.errors import CatautoError

__all__ = [
    "UNIT",
    "Constructor",
    "Functor",
    "LabelSet",
    "Layer",
    "ListF",
    "MealyF",
    "MooreF",
    "NatF",
    "Power",
    "StreamF",
    "Term",
    "TreeF",
]

UNIT: tuple = (None,)
"""The one-point label set: a constructor with labels ``UNIT`` carries no information."""


@dataclass(frozen=True)
class Power:
    """The label set ``base^length``: tuples of ``length`` elements of ``base``.

    >>> P = Power((0, 1), 2)
    >>> (1, 0) in P, (1, 2) in P, len(P)
    (True, False, 4)
    """

    base: tuple
    length: int

    def __contains__(self, x: object) -> bool:
        return isinstance(x, tuple) and len(x) == self.length and all(v in self.base for v in x)

    def __iter__(self) -> Iterator[tuple]:
        return itertools.product(self.base, repeat=self.length)

    def __len__(self) -> int:
        return len(self.base) ** self.length


LabelSet = tuple | Power | None
"""A finite tuple of allowed labels, a :class:`Power` of one, or ``None`` (any value)."""


@dataclass(frozen=True)
class Constructor:
    """One summand ``labels × X^arity`` of a polynomial functor."""

    name: str
    labels: LabelSet
    arity: int

    def __post_init__(self) -> None:
        if not isinstance(self.arity, int) or self.arity < 0:
            raise CatautoError(f"constructor {self.name!r}: arity must be an int >= 0")
        if self.labels is not None and not isinstance(self.labels, tuple | Power):
            raise CatautoError(f"constructor {self.name!r}: labels must be a tuple, Power or None")

    def allows(self, label: object) -> bool:
        """Whether ``label`` lies in this constructor's label set."""
        return self.labels is None or label in self.labels


@dataclass(frozen=True)
class Layer:
    """One layer ``F(X)``: constructor name, label, and the recursive positions in order.

    A *term* of the initial algebra ``μF`` is a Layer whose kids are terms.
    Equality, hashing and repr of a term recurse on its depth: compare very deep terms
    through folds or :func:`catauto.algebra.flatten_forest` instead.
    """

    con: str
    label: Hashable = None
    kids: tuple = ()


Term = Layer
"""A generic element of ``μF``: a :class:`Layer` whose kids are again terms."""


@dataclass(frozen=True)
class Functor:
    """A polynomial functor: a name and a tuple of :class:`Constructor`.

    Constructor ids (used by flattened forests and neural cells) are the tuple positions.
    """

    name: str
    constructors: tuple[Constructor, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "constructors", tuple(self.constructors))
        for c in self.constructors:
            if not isinstance(c, Constructor):
                raise CatautoError(
                    f"functor {self.name!r}: constructors must be "
                    f"Constructor(name, labels, arity), got {c!r}"
                )
        names = [c.name for c in self.constructors]
        if not names:
            raise CatautoError(f"functor {self.name!r} has no constructors")
        if len(set(names)) != len(names):
            raise CatautoError(f"functor {self.name!r}: constructor names repeat: {names}")

    @property
    def max_arity(self) -> int:
        return max(c.arity for c in self.constructors)

    @property
    def signature(self) -> tuple[tuple[str, int], ...]:
        """The shape ``((name, arity), ...)``, ignoring label sets."""
        return tuple((c.name, c.arity) for c in self.constructors)

    def index(self, con: str) -> int:
        """The id of constructor ``con``; raises :class:`CatautoError` when unknown."""
        for i, c in enumerate(self.constructors):
            if c.name == con:
                return i
        known = ", ".join(c.name for c in self.constructors)
        raise CatautoError(f"functor {self.name}: unknown constructor {con!r} (known: {known})")

    def constructor(self, con: str) -> Constructor:
        return self.constructors[self.index(con)]

    def check(self, layer: Layer) -> Layer:
        """Return ``layer`` unchanged if it is a layer of this functor, else raise.

        >>> NatF.check(Layer("succ", None, ()))
        Traceback (most recent call last):
        ...
        catauto.errors.CatautoError: functor NatF: constructor 'succ' has arity 1, got 0 kids
        """
        if not isinstance(layer, Layer):
            raise CatautoError(f"functor {self.name}: expected a Layer, got {layer!r}")
        c = self.constructor(layer.con)
        if not isinstance(layer.kids, tuple):
            raise CatautoError(
                f"functor {self.name}: the kids of a Layer must be a tuple, got {layer.kids!r}"
            )
        if len(layer.kids) != c.arity:
            raise CatautoError(
                f"functor {self.name}: constructor {c.name!r} has arity {c.arity}, "
                f"got {len(layer.kids)} kids"
            )
        if not c.allows(layer.label):
            raise CatautoError(
                f"functor {self.name}: label {layer.label!r} not allowed for "
                f"constructor {c.name!r} (allowed: {c.labels!r})"
            )
        return layer

    def layer(self, con: str, label: Hashable = None, *kids: Any) -> Layer:
        """Build and check one layer: ``F.layer("cons", "a", rest)``."""
        return self.check(Layer(con, label, tuple(kids)))

    def fmap(self, f: Callable[[Any], Any], layer: Layer) -> Layer:
        """Apply ``f`` to every recursive position of a (checked) layer; keep con and label."""
        self.check(layer)
        return Layer(layer.con, layer.label, tuple(map(f, layer.kids)))


def _labels(A: Iterable | None) -> tuple | None:
    return None if A is None else tuple(A)


NatF = Functor("NatF", (Constructor("zero", UNIT, 0), Constructor("succ", UNIT, 1)))
"""``1 + X``: natural numbers."""


def ListF(A: Iterable | None = None) -> Functor:
    """``1 + A × X``: finite lists over ``A`` (``None``: any label)."""
    return Functor("ListF", (Constructor("nil", UNIT, 0), Constructor("cons", _labels(A), 1)))


def TreeF(A: Iterable | None = None) -> Functor:
    """``A + X × X``: leaf-labelled binary trees."""
    return Functor("TreeF", (Constructor("leaf", _labels(A), 0), Constructor("node", UNIT, 2)))


def StreamF(A: Iterable | None = None) -> Functor:
    """``A × X``: one constructor ``cons``; its final coalgebra is the streams over ``A``."""
    return Functor("StreamF", (Constructor("cons", _labels(A), 1),))


def MooreF(I: Iterable, O: Iterable | None = None) -> Functor:
    """``O × X^I``: constructor ``moore``, label an output, kid ``i`` the successor on ``I[i]``.

    >>> MooreF(("a", "b"), (False, True)).layer("moore", True, 3, 5)
    Layer(con='moore', label=True, kids=(3, 5))
    """
    if I is None:
        raise CatautoError("MooreF needs a finite input alphabet I, got None")
    return Functor("MooreF", (Constructor("moore", _labels(O), len(tuple(I))),))


def MealyF(I: Iterable, O: Iterable | None = None) -> Functor:
    """``(O × X)^I``: constructor ``mealy``; label the tuple of outputs, one per input,
    kid ``i`` the successor on ``I[i]``.

    >>> MealyF(("a", "b"), ("x", "y")).layer("mealy", ("y", "x"), 0, 1)
    Layer(con='mealy', label=('y', 'x'), kids=(0, 1))
    """
    if I is None:
        raise CatautoError("MealyF needs a finite input alphabet I, got None")
    n = len(tuple(I))
    labels = None if O is None else Power(tuple(O), n)
    return Functor("MealyF", (Constructor("mealy", labels, n),))
