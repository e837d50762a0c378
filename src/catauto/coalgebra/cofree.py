"""The cofree comonad of a polynomial functor, and coalgebras on both sides of it.

``Cofree(F)(X) = νY. X × F(Y)``: a possibly infinite tree with an ``X`` at every node
and an ``F``-layer of subtrees below it (for ``StreamF`` these are streams of pairs, for
``ListF`` nonempty colists, for ``MooreF`` the unfoldings of a machine). A value is a
:class:`Cofree`: an eager ``head`` and a ``tail`` layer computed on first use, then
memoised. The comonad has ``extract(w) = w.head`` and ``duplicate(w)``, the tree of
subtrees; the laws hold to any depth (tested):

    extract ∘ duplicate = id       fmap(extract) ∘ duplicate = id
    duplicate ∘ duplicate = fmap(duplicate) ∘ duplicate

F-coalgebras ``S -> F(S)`` correspond one-to-one to the (Eilenberg–Moore) coalgebras of
the comonad, ``k: S -> Cofree(F)(S)`` with ``extract ∘ k = id`` and
``duplicate ∘ k = fmap(k) ∘ k`` (:func:`to_comonad_coalgebra`,
:func:`from_comonad_coalgebra`, round trips tested): the dual of the free monad's
``to_monad_algebra`` / ``from_monad_algebra`` in :mod:`catauto.monad`.

>>> from catauto.functor import StreamF
>>> count = Coalgebra(StreamF(), lambda n: Layer("cons", n % 2, (n + 1,)))
>>> w = to_comonad_coalgebra(count)(0)     # the cofree unfolding, labelled by states
>>> w.head, w.tail.label, w.tail.kids[0].head, prefix(w, 2)
(0, 0, 1, (0, Layer(con='cons', label=0, kids=((1, Layer(con='cons', label=1, kids=(2,))),))))
>>> from_comonad_coalgebra(StreamF(), to_comonad_coalgebra(count))(5) == count(5)
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from catauto.coalgebra.core import Coalgebra
from catauto.errors import CatautoError
from catauto.functor import Functor, Layer

__all__ = [
    "Cofree",
    "extract",
    "duplicate",
    "cofree_map",
    "prefix",
    "to_comonad_coalgebra",
    "from_comonad_coalgebra",
]


class Cofree:
    """A value of ``Cofree(F)(X)``: ``head: X`` and a lazily computed, memoised
    ``tail: F(Cofree(F)(X))`` (a :class:`Layer` whose kids are :class:`Cofree`)."""

    __slots__ = ("functor", "head", "_tail", "_make_tail")

    def __init__(self, functor: Functor, head: Any, make_tail: Callable[[], Layer]) -> None:
        self.functor = functor
        self.head = head
        self._tail: Layer | None = None
        self._make_tail: Callable[[], Layer] | None = make_tail

    @property
    def tail(self) -> Layer:
        if self._make_tail is not None:
            layer = self.functor.check(self._make_tail())
            if not all(isinstance(k, Cofree) for k in layer.kids):
                raise CatautoError(f"the kids of a Cofree tail must be Cofree, got {layer!r}")
            self._tail, self._make_tail = layer, None
        return self._tail  # type: ignore[return-value]

    def __repr__(self) -> str:
        return f"Cofree({self.head!r}, ...)"


def extract(w: Cofree) -> Any:
    """The counit ``ε: Cofree(F)(X) -> X``: the root's label."""
    return w.head


def cofree_map(f: Callable[[Any], Any], w: Cofree) -> Cofree:
    """``Cofree(F)(f)``: apply ``f`` to every node's label (lazily)."""
    F = w.functor
    return Cofree(F, f(w.head), lambda: F.fmap(lambda k: cofree_map(f, k), w.tail))


def duplicate(w: Cofree) -> Cofree:
    """The comultiplication ``δ``: the tree whose label at each node is the subtree
    rooted there (lazily)."""
    F = w.functor
    return Cofree(F, w, lambda: F.fmap(duplicate, w.tail))


def prefix(w: Cofree, depth: int, show: Callable[[Any], Any] = lambda x: x) -> Any:
    """The first ``depth`` layers of ``w`` as a finite value, for comparisons:
    ``(show(head), Layer(con, label, kids))`` with kids cut to ``show(head)`` at the
    bottom. Two cofree values are equal iff all their prefixes are."""
    if depth <= 0:
        return show(w.head)
    t = w.tail
    return (show(w.head), Layer(t.con, t.label, tuple(prefix(k, depth - 1, show) for k in t.kids)))


def to_comonad_coalgebra(coalg: Coalgebra) -> Callable[[Any], Cofree]:
    """The comonad coalgebra ``S -> Cofree(F)(S)`` of an F-coalgebra: the cofree
    unfolding of a state, every node labelled by its state."""
    F = coalg.functor

    def k(s: Any) -> Cofree:
        return Cofree(F, s, lambda: F.fmap(k, coalg(s)))

    return k


def from_comonad_coalgebra(functor: Functor, k: Callable[[Any], Cofree]) -> Coalgebra:
    """The F-coalgebra of a comonad coalgebra: ``s -> F(extract)(tail(k(s)))``."""
    return Coalgebra(functor, lambda s: functor.fmap(extract, k(s).tail))
