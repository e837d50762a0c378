"""Para: the category of parametric maps, framework-neutral (plain Python / numpy).

A 1-cell ``Para(init, apply)`` is a map ``X -> Y`` with a parameter ``p``:
``init(key) -> p`` and ``apply(p, x) -> y``. Parameters are pytrees (tuples, dicts,
arrays); the unit parameter is ``()``.

Composition keeps parameters in *application order*: ``f >> g`` has parameter
``(p_f, p_g)``. Gavranović et al. ("Categorical Deep Learning") write the composite's
parameter as ``Q ⊗ P`` (g's first); catauto follows stax and DisCoPy instead. The laws
hold *up to* the structural isomorphisms on parameters (``assoc``, ``unitor``...), which
are exactly the reparametrisation 2-cells that make Para a bicategory.

>>> double = Para.lift(lambda x: 2 * x)
>>> shift = Para(init=lambda key: 1.0, apply=lambda p, x: x + p)
>>> net = double >> shift
>>> p = net.init(0)
>>> p, net(p, 3.0)
(((), 1.0), 7.0)

Keys. ``init`` receives an opaque key; composites split it with :func:`split_key`, which
dispatches on the key's type. ints (and numpy ``SeedSequence``/``Generator``) work out
of the box and derive child keys deterministically; ``catauto.neural`` registers
``jax.random.split`` for JAX keys with :func:`register_split`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from catauto.algebra import InitialAlgebra, hylo, terms
from catauto.errors import CatautoError
from catauto.functor import Functor, Layer

__all__ = [
    "Key",
    "LaxAlgebra",
    "Para",
    "Reparam",
    "Split",
    "assoc",
    "copy",
    "delete",
    "lift",
    "lunitor",
    "register_split",
    "split_key",
    "strength",
    "swap",
    "tensor",
    "unassoc",
    "unitor",
]

Key = Any
Split = Callable[[Key, int], Sequence[Key]]


def _split_int(key: int, n: int) -> list[int]:
    if not 0 <= key < 2**32:  # the seeds JAX takes: one domain for layers and composites
        raise CatautoError(f"int keys (seeds) must be in 0..2**32-1, got {key!r}")
    return [int(s) for s in np.random.SeedSequence(int(key)).generate_state(n)]


_SPLITTERS: list[tuple[type, Split]] = [
    (int, _split_int),
    (np.integer, _split_int),
    (np.random.SeedSequence, lambda k, n: k.spawn(n)),
    (np.random.Generator, lambda k, n: k.spawn(n)),
]


def register_split(key_type: type, split: Split) -> None:
    """Teach :func:`split_key` to split keys of ``key_type`` (latest registration wins)."""
    _SPLITTERS.insert(0, (key_type, split))


def split_key(key: Key, n: int) -> Sequence[Key]:
    """``n`` independent child keys of ``key``; deterministic for ints.

    >>> split_key(0, 2) == split_key(0, 2), len(set(split_key(0, 3)))
    (True, 3)
    """
    for key_type, split in _SPLITTERS:
        if isinstance(key, key_type) and not isinstance(key, bool):
            return split(key, n)
    raise CatautoError(
        f"cannot split key {key!r} of type {type(key).__name__}; "
        "use an int seed or register_split(type, split)"
    )


# --- parameter maps: the comonoid (copy, delete) and the structural isomorphisms -------


def copy(p: Any) -> tuple[Any, Any]:
    """Δ: ``p -> (p, p)``. Counit: ``unitor((p, delete(p))) == p``; coassociative up to
    ``assoc``; cocommutative: ``swap(copy(p)) == copy(p)``.

    >>> p, ident = 3, (lambda q: q)
    >>> unitor(tensor(ident, delete)(copy(p))) == p       # counit
    True
    >>> assoc(tensor(copy, ident)(copy(p))) == tensor(ident, copy)(copy(p))
    True
    >>> swap(copy(p)) == copy(p)
    True
    """
    return (p, p)


def delete(p: Any) -> tuple[()]:
    """!: ``p -> ()``, the map to the unit parameter."""
    return ()


def tensor(r: Callable[[Any], Any], s: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``r ⊗ s`` on pairs: ``(p, q) -> (r(p), s(q))``."""
    return lambda pq: (r(pq[0]), s(pq[1]))


def assoc(pqr: Any) -> Any:
    """``((p, q), r) -> (p, (q, r))``; inverse :func:`unassoc`."""
    (p, q), r = pqr
    return (p, (q, r))


def unassoc(pqr: Any) -> Any:
    """``(p, (q, r)) -> ((p, q), r)``."""
    p, (q, r) = pqr
    return ((p, q), r)


def swap(pq: Any) -> Any:
    """``(p, q) -> (q, p)``."""
    return (pq[1], pq[0])


def unitor(pu: Any) -> Any:
    """``(p, ()) -> p`` (right unitor); :func:`lunitor` is ``((), p) -> p``."""
    return pu[0]


def lunitor(up: Any) -> Any:
    """``((), p) -> p``."""
    return up[1]


# --- 2-cells and 1-cells ---------------------------------------------------------------


@dataclass(frozen=True)
class Reparam:
    """A reparametrisation 2-cell ``r: Q -> P``: ``map(q) -> p``, with ``init`` for ``Q``.

    Reparametrising is contravariant: ``f.reparam(r1).reparam(r2)`` equals
    ``f.reparam(r1.after(r2))``, where ``r1.after(r2)`` is ``q -> r1(r2(q))`` (``r1 ∘ r2``).
    """

    init: Callable[[Key], Any]
    map: Callable[[Any], Any]

    def __call__(self, q: Any) -> Any:
        return self.map(q)

    def after(self, other: Reparam) -> Reparam:
        """``self ∘ other``: first ``other`` (from its ``Q``), then ``self``."""
        return Reparam(other.init, lambda q: self.map(other.map(q)))


@dataclass(frozen=True)
class Para:
    """A parametric map ``X -> Y``: ``init(key) -> p``, ``apply(p, x) -> y``.

    Laws (``≅`` means equal after the parameter isomorphism named on the right):

    - ``(f >> g) >> h ≅ f >> (g >> h)`` via ``assoc``;
    - ``Para.identity() >> f ≅ f ≅ f >> Para.identity()`` via ``lunitor`` / ``unitor``;
    - ``(f @ g) >> (h @ k) ≅ (f >> h) @ (g >> k)`` via the shuffle
      ``((pf, pg), (ph, pk)) -> ((pf, ph), (pg, pk))``;
    - ``f.reparam(r1).reparam(r2) == f.reparam(r1.after(r2))``;
    - ``f.tie() == f.reparam(Reparam(q_init, copy))``.

    >>> f = Para(lambda k: 2.0, lambda p, x: p * x)
    >>> g = Para(lambda k: 1.0, lambda p, x: x + p)
    >>> p, q, r, x = 2.0, 1.0, 3.0, 5.0
    >>> ((f >> g) >> f)(((p, q), r), x) == (f >> (g >> f))(assoc(((p, q), r)), x)
    True
    >>> (Para.identity() >> f)(((), p), x) == f(p, x) == (f >> Para.identity())((p, ()), x)
    True
    >>> left, right = (f @ g) >> (g @ f), (f >> g) @ (g >> f)     # interchange
    >>> left(((p, q), (r, p)), (x, x)) == right(((p, r), (q, p)), (x, x))
    True
    >>> halve = Reparam(lambda key: 4.0, lambda s: s / 2)         # Q -> P
    >>> square = Reparam(lambda key: 3.0, lambda s: s * s)        # R -> Q
    >>> f.reparam(halve).reparam(square)(3.0, x) == f.reparam(halve.after(square))(3.0, x)
    True
    >>> tied = (f >> f).tie()                     # one weight used twice
    >>> tied.init(0), tied(3.0, 1.0), tied(3.0, 1.0) == (f >> f)(copy(3.0), 1.0)
    (2.0, 9.0, True)
    >>> (f @ f)((2.0, 5.0), (1.0, 1.0))
    (2.0, 5.0)
    """

    init: Callable[[Key], Any]
    apply: Callable[[Any, Any], Any]

    def __call__(self, params: Any, x: Any) -> Any:
        return self.apply(params, x)

    @staticmethod
    def identity() -> Para:
        """The identity ``X -> X`` with unit parameter ``()``."""
        return Para(lambda key: (), lambda p, x: x)

    @staticmethod
    def lift(fn: Callable[[Any], Any]) -> Para:
        """A plain function as a Para with unit parameter ``()``."""
        return Para(lambda key: (), lambda p, x: fn(x))

    embed = lift

    @staticmethod
    def discard() -> Para:
        """``!``: the map ``X -> ()`` to the unit object, with unit parameter."""
        return Para(lambda key: (), lambda p, x: ())

    def __rshift__(self, other: Para | Callable[[Any], Any]) -> Para:
        """``self >> other``: apply ``self`` then ``other``; parameter ``(p_self, p_other)``."""
        g = _as_para(other)
        return Para(_pair_init(self, g), lambda p, x: g.apply(p[1], self.apply(p[0], x)))

    def __matmul__(self, other: Para | Callable[[Any], Any]) -> Para:
        """``self @ other`` on pairs ``(x1, x2) -> (y1, y2)``; parameter ``(p_self, p_other)``."""
        g = _as_para(other)
        return Para(_pair_init(self, g), lambda p, x: (self.apply(p[0], x[0]), g.apply(p[1], x[1])))

    def reparam(self, r: Reparam) -> Para:
        """Precompose the parameter with the 2-cell ``r: Q -> P``; the result has parameter Q."""
        if not isinstance(r, Reparam):
            raise CatautoError(f"reparam expects a Reparam(init, map), got {type(r).__name__}")
        return Para(r.init, lambda q, x: self.apply(r.map(q), x))

    def tie(self) -> Para:
        """Weight tying: for parameter ``(p, p)``, share one ``p`` through Δ (:func:`copy`).

        The shared parameter is initialised like the first component of ``self.init``.
        """

        def init(key: Key) -> Any:
            p = self.init(key)
            if not (isinstance(p, tuple | list) and len(p) == 2):
                raise CatautoError(f"tie needs a Para whose parameter is a pair (p, p), got {p!r}")
            return p[0]

        return self.reparam(Reparam(init, copy))


def _pair_init(f: Para, g: Para) -> Callable[[Key], tuple[Any, Any]]:
    """The parameter ``(p_f, p_g)`` of a composite, from two child keys."""

    def init(key: Key) -> tuple[Any, Any]:
        k1, k2 = split_key(key, 2)
        return (f.init(k1), g.init(k2))

    return init


def _as_para(f: Para | Callable[[Any], Any]) -> Para:
    if isinstance(f, Para):
        return f
    if callable(f):
        return Para.lift(f)
    raise CatautoError(f"cannot compose a Para with {type(f).__name__} (not callable)")


# --- Para(F): lifting a polynomial functor by its strength; lax algebras ------------------


def strength(functor: Functor, p: Any, layer: Layer) -> Layer:
    """The actegorical strength ``σ_{P,A}: P ▶ F(A) -> F(P ▶ A)`` of a polynomial functor
    (``P ▶ A = P × A``): hand the one parameter ``p`` to every recursive position,
    ``(p, c(l, a_1, ..., a_n)) -> c(l, (p, a_1), ..., (p, a_n))``. A nullary constructor
    discards ``p`` (``!``); an ``n``-ary one copies it ``n`` times (``Δ``).

    Laws (``tests/test_para.py``, as properties): unit ``F(lunitor) ∘ σ_{I,A} = lunitor``;
    associativity ``F(unassoc) ∘ σ_{P,Q▶A} ∘ (P ▶ σ_{Q,A}) = σ_{P⊗Q,A} ∘ unassoc``;
    naturality in ``A`` (``σ ∘ (P ▶ F f) = F(P ▶ f) ∘ σ``) and in ``P``
    (``σ ∘ (r ▶ F A) = F(r ▶ A) ∘ σ`` for a reparametrisation ``r``).

    >>> from catauto.functor import TreeF
    >>> strength(TreeF(), "p", Layer("node", None, (1, 2)))
    Layer(con='node', label=None, kids=(('p', 1), ('p', 2)))
    """
    functor.check(layer)
    return Layer(layer.con, layer.label, tuple((p, a) for a in layer.kids))


def lift(functor: Functor, f: Para) -> Para:
    """``Para(F)(P, f) = (P, F(f) ∘ σ)``: the lift of a parametric map ``f: P ▶ A -> B``
    to ``P ▶ F(A) -> F(B)``, applying ``f`` with the *same* ``p`` at every recursive
    position (that sameness is the strength's Δ, and nowhere else).

    ``lift`` is a functor on Para (tested): ``lift(f >> g) == lift(f) >> lift(g)`` at the
    same parameter, ``lift(identity) == identity``, ``lift(f.reparam(r)) ==
    lift(f).reparam(r)``.

    >>> from catauto.functor import ListF
    >>> scale = Para(lambda key: 2.0, lambda p, x: p * x)
    >>> lift(ListF(), scale)(3.0, Layer("cons", "a", (5.0,)))
    Layer(con='cons', label='a', kids=(15.0,))
    """
    return Para(
        f.init, lambda p, layer: functor.fmap(lambda pa: f.apply(*pa), strength(functor, p, layer))
    )


@dataclass(frozen=True)
class LaxAlgebra:
    """A Para-algebra of a polynomial functor ``F``, read as a *lax* algebra of
    ``Para(F)`` (Gavranović et al., Def F.2, Thm G.10): ``cell: P ▶ F(A) -> A``.

    Its fold :meth:`fold` is the Para ``(P, h)`` whose square commutes *up to* the
    2-cell ``Δ_P`` (:meth:`square`): ``h ∘ embed = (lift(F, h) >> cell) ∘ Δ_P``; the two
    sides have parameters ``P`` and ``P × P``, and no strict equation relates them. The
    comonoid that this lax structure uses is :attr:`copy` (``Δ``, from the square at
    every layer with kids) and :attr:`discard` (``!``, from the square at nullary
    layers, whose lifted fold reads no parameter).

    Checked on running code (``tests/test_para.py``, properties over terms, parameters
    and functors): the square commutes at ``Δ`` and generally fails at an untied pair
    ``(p, q)`` (laxness is real); counit: at nullary layers the square commutes with
    ``(! ⊗ id) ∘ Δ`` (the lifted fold gets the unit parameter); coassociativity: the
    square unrolled twice commutes with both ``(Δ ⊗ id) ∘ Δ`` and
    ``unassoc ∘ (id ⊗ Δ) ∘ Δ``; cocommutativity: ``swap ∘ Δ`` works as well as ``Δ``.
    Only stated: the coherence axioms of Def F.2 between these 2-cells in the
    bicategory Para (all of them are composites of copies, deletions and the structural
    isomorphisms, which are equalities on parameter values here), and that ``(Δ, !)``
    is natural in ``P`` with respect to every reparametrisation.

    >>> from catauto.algebra import lists
    >>> from catauto.functor import ListF
    >>> horner = LaxAlgebra(ListF(), Para(lambda key: 10,
    ...     lambda p, l: 0 if l.con == "nil" else p * l.kids[0] + l.label))
    >>> horner.fold(lists())(10, (1, 2, 3))
    321
    """

    functor: Functor
    cell: Para

    @property
    def copy(self) -> Reparam:
        """``Δ_P: P -> P × P`` as a 2-cell (parameter ``P`` initialised like the cell)."""
        return Reparam(self.cell.init, copy)

    @property
    def discard(self) -> Reparam:
        """``!_P: P -> I`` as a 2-cell."""
        return Reparam(self.cell.init, delete)

    def fold(self, initial: InitialAlgebra | Functor | None = None) -> Para:
        """The fold ``(P, h)``: ``h(p, x)`` folds ``x`` (a value of ``initial``, default
        the generic terms) with the cell at every node reading the parameter that the
        strength ``σ`` delivered to it; equal to ``cata`` of ``cell(p, -)``."""
        F = self.functor
        mu = _mu(F, initial)

        def coalg(px: tuple) -> Layer:  # σ(p, project x), the node's p kept in its label
            p, x = px
            layer = strength(F, p, mu.project(x))
            return Layer(layer.con, (p, layer.label), layer.kids)

        def alg(layer: Layer) -> Any:
            p, label = layer.label
            return self.cell.apply(p, Layer(layer.con, label, layer.kids))

        return Para(self.cell.init, lambda p, x: hylo(alg, coalg, (p, x)))

    def square(self, initial: InitialAlgebra | Functor | None = None) -> tuple[Para, Para]:
        """The two sides of the fold's square on a layer ``F(μF)`` of values of
        ``initial``: ``lhs = h ∘ embed`` (parameter ``P``) and
        ``rhs = lift(F, h) >> cell`` (parameter ``(P, P)``, application order).
        They agree after reparametrising ``rhs`` by :attr:`copy`:
        ``lhs(p, x) == rhs.reparam(self.copy)(p, x)``.
        """
        mu = _mu(self.functor, initial)
        h = self.fold(initial)
        lhs = Para(self.cell.init, lambda p, layer: h.apply(p, mu.embed(layer)))
        return lhs, lift(self.functor, h) >> self.cell


def _mu(functor: Functor, initial: InitialAlgebra | Functor | None) -> InitialAlgebra:
    if initial is None or isinstance(initial, Functor):
        return terms(functor if initial is None else initial)
    return initial
