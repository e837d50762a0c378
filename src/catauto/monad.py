"""Monads, their algebras, and group actions with equivariance.

A :class:`Monad` is given by ``unit: A -> T A`` and ``bind: (T A, A -> T B) -> T B``;
``fmap``, ``join`` and Kleisli composition follow. Every instance obeys

- left unit:     ``bind(unit(a), f) == f(a)``
- right unit:    ``bind(m, unit) == m``
- associativity: ``bind(bind(m, f), g) == bind(m, lambda a: bind(f(a), g))``

>>> LIST.bind([1, 2], lambda a: [a, 10 * a])
[1, 10, 2, 20]
>>> f, g, m = (lambda a: [a, a + 1]), (lambda b: [10 * b]), [1, 5]
>>> LIST.bind(LIST.unit(3), f) == f(3)                            # left unit
True
>>> LIST.bind(m, LIST.unit) == m                                   # right unit
True
>>> LIST.bind(LIST.bind(m, f), g) == LIST.bind(m, lambda a: LIST.bind(f(a), g))
True

Instances: :data:`LIST`, :data:`MAYBE` (``Just(x)`` or :data:`NOTHING`),
:data:`DISTRIBUTION` (``dict`` outcome -> probability), :func:`writer` (over a monoid
``(empty, combine)``), :func:`action_monad` (``G × -`` for a finite :class:`Group`) and
:func:`free_monad` of a polynomial functor (terms :class:`Pure` / :class:`Roll`).

Equivariance is the homomorphism square of two actions of one group (algebras of
``G × -``): :func:`is_homomorphism`, :func:`is_invariant`; :func:`equivariant_basis`
solves for all linear maps that commute with a linear action.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from numbers import Integral, Number
from typing import Any

import numpy as np

from catauto.algebra import Algebra, hylo
from catauto.errors import CatautoError
from catauto.functor import Functor, Layer

__all__ = [
    "DISTRIBUTION",
    "LIST",
    "MAYBE",
    "NOTHING",
    "Action",
    "FreeMonad",
    "Group",
    "Just",
    "Monoid",
    "LawReport",
    "Monad",
    "MonadAlgebra",
    "Pure",
    "Roll",
    "action_monad",
    "check_action_laws",
    "circulant",
    "circulant_matrix",
    "cyclic",
    "deepsets",
    "dihedral",
    "dist_equal",
    "equal",
    "equivariant_basis",
    "free_monad",
    "from_monad_algebra",
    "is_homomorphism",
    "is_invariant",
    "permutation_action",
    "symmetric",
    "to_monad_algebra",
    "trivial_action",
    "truncated_naturals",
    "truncating_shifts",
    "uniform",
    "writer",
]

# --- equality with numeric tolerance, law reports -------------------------------------


def equal(a: Any, b: Any, atol: float = 1e-8) -> bool:
    """Structural equality; numbers and arrays (numpy or JAX) compare with ``np.allclose``
    whenever either side is a float. Symmetric: ``equal(a, b) == equal(b, a)``.

    >>> equal((1.0, [np.ones(2)]), (1.0 + 1e-12, [np.ones(2)])), equal("a", "b")
    (True, False)
    >>> equal(0, 1e-12), equal(1e-12, 0)
    (True, True)
    """
    pairs = [(a, b)]  # an explicit stack: free terms can be deeper than the recursion limit
    while pairs:
        a, b = pairs.pop()
        if hasattr(a, "shape") or hasattr(b, "shape"):  # numpy or JAX arrays (and scalars)
            if not _arrays_equal(np.asarray(a), np.asarray(b), atol):
                return False
        elif isinstance(a, tuple | list) or isinstance(b, tuple | list):
            if type(a) is not type(b) or len(a) != len(b):
                return False
            pairs.extend(zip(a, b))
        elif isinstance(a, dict) or isinstance(b, dict):
            if type(a) is not type(b) or a.keys() != b.keys():
                return False
            pairs.extend((a[k], b[k]) for k in a)
        elif dataclasses.is_dataclass(a) and not isinstance(a, type):
            if type(a) is not type(b):
                return False
            pairs.extend((getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
        elif isinstance(a, Number) and isinstance(b, Number):
            exact = isinstance(a, Integral) and isinstance(b, Integral)
            if not (a == b if exact else _close(a, b, atol)):
                return False
        elif not a == b:
            return False
    return True


def _arrays_equal(a: np.ndarray, b: np.ndarray, atol: float) -> bool:
    if a.shape != b.shape:
        return False
    if _numeric(a) and _numeric(b):
        return _close(a, b, atol)
    return bool(np.array_equal(a, b))


def _close(a: Any, b: Any, atol: float, rtol: float = 1e-5) -> bool:
    """``np.allclose``'s test with the relative tolerance scaled by the smaller of
    ``|a|, |b|`` (allclose scales by ``|b|`` alone, which is not symmetric)."""
    if isinstance(a, Number) and isinstance(b, Number):  # scalars: no numpy call
        return a == b or abs(a - b) <= atol + rtol * min(abs(a), abs(b))
    a, b = np.asarray(a), np.asarray(b)
    with np.errstate(invalid="ignore"):  # inf - inf
        near = np.abs(a - b) <= atol + rtol * np.minimum(np.abs(a), np.abs(b))
    return bool(np.all(near | (a == b)))


def _numeric(x: np.ndarray) -> bool:
    return x.dtype.kind in "biufc"


def _show(x: Any) -> str:
    """``repr(x)`` for messages; a term too deep for ``repr`` is named by its type."""
    try:
        return repr(x)
    except RecursionError:
        return f"<{type(x).__name__} too deep to show>"


@dataclass(frozen=True)
class LawReport:
    """The outcome of a law check: truthy when no law failed; ``raise_if_failed`` raises."""

    what: str
    failures: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return not self.failures

    def raise_if_failed(self) -> LawReport:
        if self.failures:
            shown = "\n  ".join(self.failures[:5])
            more = f"\n  ... and {len(self.failures) - 5} more" if len(self.failures) > 5 else ""
            raise CatautoError(f"{self.what}: {len(self.failures)} law failures:\n  {shown}{more}")
        return self


# --- monads -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Monad:
    """A monad by ``unit`` and ``bind``; ``eq`` compares values of ``T A`` in law checks."""

    name: str
    unit: Callable[[Any], Any]
    bind: Callable[[Any, Callable[[Any], Any]], Any]
    eq: Callable[[Any, Any], bool] = equal

    def fmap(self, f: Callable[[Any], Any], m: Any) -> Any:
        """``T f``: ``bind(m, unit ∘ f)``."""
        return self.bind(m, lambda a: self.unit(f(a)))

    def join(self, mm: Any) -> Any:
        """``μ: T T A -> T A``: ``bind(mm, id)``.

        >>> LIST.join([[1], [], [2, 3]])
        [1, 2, 3]
        """
        return self.bind(mm, lambda m: m)

    def kleisli(self, f: Callable[[Any], Any], g: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """Kleisli composite ``f >=> g`` (first ``f``, then ``g``); ``unit`` is its identity.

        >>> half = lambda n: Just(n // 2) if n % 2 == 0 else NOTHING
        >>> MAYBE.kleisli(half, half)(12), MAYBE.kleisli(half, half)(6)
        (Just(value=3), NOTHING)
        """
        return lambda a: self.bind(f(a), g)


LIST = Monad("list", lambda a: [a], lambda m, f: [b for a in m for b in f(a)])
"""Non-determinism: ``T A`` = Python lists."""


class _Nothing:
    """The one value ``NOTHING`` of :data:`MAYBE` that holds no result."""

    def __repr__(self) -> str:
        return "NOTHING"


NOTHING = _Nothing()


@dataclass(frozen=True)
class Just:
    """A present value of :data:`MAYBE` (``Just(NOTHING)`` differs from ``NOTHING``)."""

    value: Any


MAYBE = Monad("maybe", Just, lambda m, f: NOTHING if m is NOTHING else f(m.value))
"""Partiality: ``T A = Just(A) | NOTHING``."""


def dist_equal(p: dict, q: dict, atol: float = 1e-9) -> bool:
    """Equality of finite distributions up to ``atol``; zero-mass outcomes are ignored.

    >>> dist_equal({"a": 0.5, "b": 0.5, "c": 0.0}, {"b": 0.5, "a": 0.5 + 1e-12})
    True
    """
    return all(abs(p.get(k, 0.0) - q.get(k, 0.0)) <= atol for k in set(p) | set(q))


def _dist_bind(m: dict, f: Callable[[Any], dict]) -> dict:
    out: dict = {}
    for a, pa in m.items():
        for b, pb in f(a).items():
            out[b] = out.get(b, 0.0) + pa * pb  # equal outcomes merge
    return out


DISTRIBUTION = Monad("distribution", lambda a: {a: 1.0}, _dist_bind, dist_equal)
"""Finite probability: ``T A`` = ``dict`` hashable outcome -> probability (summing to 1).

>>> coin = uniform(["H", "T"])
>>> DISTRIBUTION.bind(coin, lambda a: coin if a == "H" else {"T": 1.0})
{'H': 0.25, 'T': 0.75}
"""


def uniform(outcomes: Iterable[Hashable]) -> dict:
    """The uniform distribution on the given outcomes (repeats add up)."""
    outcomes = list(outcomes)
    if not outcomes:
        raise CatautoError("uniform: no outcomes given")
    out: dict = {}
    for o in outcomes:
        out[o] = out.get(o, 0.0) + 1.0 / len(outcomes)
    return out


def writer(empty: Any, combine: Callable[[Any, Any], Any], name: str = "writer") -> Monad:
    """``M × -`` for a monoid ``(empty, combine)``: values are pairs ``(log, a)``.

    >>> W = writer("", lambda u, v: u + v)
    >>> W.bind(("a", "x"), lambda s: ("b", s + s))
    ('ab', 'xx')
    """

    def bind(m: tuple, f: Callable[[Any], tuple]) -> tuple:
        w, a = m
        w2, b = f(a)
        return (combine(w, w2), b)

    return Monad(name, lambda a: (empty, a), bind)


# --- finite groups ----------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """A finite group of hashable elements. ``permutation(g)`` (optional) represents ``g``
    as a permutation ``(g(0), g(1), ..., g(d-1))`` of ``range(d)``, with
    ``permutation(mul(g, h)) == permutation(g) ∘ permutation(h)``."""

    name: str
    elements: tuple
    mul: Callable[[Any, Any], Any]
    inv: Callable[[Any], Any]
    identity: Hashable
    permutation: Callable[[Any], tuple[int, ...]] | None = None

    def check_axioms(self) -> LawReport:
        """Closure, associativity, identity and inverses, by enumeration (``|G|^3`` products).

        >>> bool(dihedral(4).check_axioms())
        True
        """
        bad = _monoid_failures(self.elements, self.mul, self.identity)
        if not callable(self.inv):
            bad.append(
                f"no inverse map (inv={self.inv!r}): a structure without inverses is a "
                "catauto.monad.Monoid"
            )
            return LawReport(f"group {self.name}", bad)
        e = self.identity
        for g in self.elements:
            if not self.mul(g, self.inv(g)) == e == self.mul(self.inv(g), g):
                bad.append(f"inverse fails at {g!r}")
        return LawReport(f"group {self.name}", bad)


def _monoid_failures(elements: tuple, mul: Callable[[Any, Any], Any], e: Any) -> list[str]:
    """Closure, associativity and identity, by enumeration (``|M|^3`` products)."""
    els, bad = set(elements), []
    for g, h in itertools.product(elements, repeat=2):
        if mul(g, h) not in els:
            bad.append(f"not closed: {g!r}*{h!r} = {mul(g, h)!r}")
    for g, h, k in itertools.product(elements, repeat=3):
        if mul(mul(g, h), k) != mul(g, mul(h, k)):
            bad.append(f"not associative at {g!r}, {h!r}, {k!r}")
    for g in elements:
        if not mul(e, g) == g == mul(g, e):
            bad.append(f"identity {e!r} fails at {g!r}")
    return bad


@dataclass(frozen=True)
class Monoid:
    """A finite monoid of hashable elements: associative ``mul`` with an ``identity``,
    no inverses (Gavranović et al., Rem 2.7: actions of monoids, not only of groups,
    are algebras of ``M × -``). It acts wherever a :class:`Group` does:
    :class:`Action`, :func:`check_action_laws`, :func:`is_homomorphism`,
    :func:`equivariant_basis`, :func:`action_monad`.

    An infinite monoid enters through a finite quotient that its action factors
    through, e.g. ℕ acting by truncating shifts on ``R^n`` (:func:`truncated_naturals`).
    """

    name: str
    elements: tuple
    mul: Callable[[Any, Any], Any]
    identity: Hashable

    def check_axioms(self) -> LawReport:
        """Closure, associativity and identity, by enumeration.

        >>> bool(truncated_naturals(3).check_axioms())
        True
        """
        return LawReport(f"monoid {self.name}", _monoid_failures(
            self.elements, self.mul, self.identity))  # fmt: skip


def truncated_naturals(n: int) -> Monoid:
    """``{0, ..., n}`` under addition capped at ``n``: the quotient of ``(ℕ, +, 0)``
    through which ℕ's action by truncating shifts on ``R^n`` factors (every ``k >= n``
    shifts everything out). It has no inverses: a shift loses the entries it drops."""
    _check_order(n)
    return Monoid(f"N≤{n}", tuple(range(n + 1)), lambda a, b: min(a + b, n), 0)


def truncating_shifts(n: int) -> Action:
    """ℕ acting on vectors ``(..., n)`` by shifting the last axis right and filling
    with zeros: ``(k·x)[i] = x[i - k]`` for ``i >= k``, else 0. Linear maps equivariant
    for it are exactly the causal (lower-triangular Toeplitz) convolutions.

    >>> truncating_shifts(4)(1, np.array([1.0, 2.0, 3.0, 4.0]))
    array([0., 1., 2., 3.])
    >>> len(equivariant_basis(truncating_shifts(4), truncating_shifts(4), 4))
    4
    """
    monoid = truncated_naturals(n)

    def act(k: int, x: Any) -> Any:
        x = _as_array(x)
        if x.shape[-1:] != (n,):
            raise CatautoError(
                f"truncating shifts on R^{n}: expected vectors of length {n} (last axis), "
                f"got shape {tuple(x.shape)}"
            )
        out = np.zeros_like(x) if isinstance(x, np.ndarray) else x * 0
        if k >= n:
            return out
        if isinstance(x, np.ndarray):
            out[..., k:] = x[..., : n - k]
            return out
        return out.at[..., k:].set(x[..., : n - k])  # JAX arrays

    return Action(monoid, act, "truncating shifts")


def _compose(p: Sequence[int], q: Sequence[int]) -> tuple[int, ...]:
    return tuple(p[i] for i in q)  # (p ∘ q)(i) = p(q(i))


def _check_order(n: int) -> None:
    if not isinstance(n, int) or n < 1:
        raise CatautoError(f"group size parameter must be an int >= 1, got {n!r}")


def cyclic(n: int) -> Group:
    """``Z_n``: ints mod n; ``k`` shifts ``range(n)`` by ``k`` (``np.roll`` by ``k``)."""
    _check_order(n)
    return Group(
        f"Z{n}", tuple(range(n)), lambda a, b: (a + b) % n, lambda a: -a % n, 0,
        lambda k: tuple((i + k) % n for i in range(n)),
    )  # fmt: skip


def symmetric(n: int) -> Group:
    """``S_n``: permutations of ``range(n)`` as tuples, ``mul`` is composition ``p ∘ q``."""
    _check_order(n)
    return Group(
        f"S{n}", tuple(itertools.permutations(range(n))), _compose,
        lambda p: tuple(np.argsort(p).tolist()), tuple(range(n)), tuple,
    )  # fmt: skip


def dihedral(n: int) -> Group:
    """``D_n`` (order ``2n``): ``(k, s)`` is the symmetry ``i -> (-1)^s i + k`` of an n-gon."""
    _check_order(n)

    def mul(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
        (k1, s1), (k2, s2) = a, b
        return ((k1 + (-1) ** s1 * k2) % n, s1 ^ s2)

    return Group(
        f"D{n}", tuple((k, s) for s in (0, 1) for k in range(n)), mul,
        lambda a: ((-((-1) ** a[1]) * a[0]) % n, a[1]), (0, 0),
        lambda a: tuple(((-1) ** a[1] * i + a[0]) % n for i in range(n)),
    )  # fmt: skip


def action_monad(group: Group | Monoid) -> Monad:
    """``G × -``: the writer monad of the group's (or a monoid's) multiplication; its
    algebras are G-actions (M-actions)."""
    return writer(group.identity, group.mul, f"{group.name} × -")


# --- free monad of a polynomial functor -------------------------------------------------


@dataclass(frozen=True)
class Pure:
    """A variable (generator) leaf of a free term."""

    value: Any


@dataclass(frozen=True)
class Roll:
    """One functor layer whose kids are free terms."""

    layer: Layer


@dataclass(frozen=True)
class FreeMonad(Monad):
    """The free monad of ``functor``: terms built from ``Roll`` layers over ``Pure`` leaves."""

    functor: Functor | None = None

    def generator(self, layer: Layer) -> Roll:
        """The insertion of generators ``F A -> Free A``: ``Roll(fmap(Pure, layer))``."""
        return Roll(self.functor.fmap(Pure, layer))


def free_monad(functor: Functor) -> FreeMonad:
    """``bind`` substitutes a term for every ``Pure`` leaf.

    >>> from catauto.functor import TreeF
    >>> T = free_monad(TreeF())
    >>> t = Roll(Layer("node", None, (Pure(1), Pure(2))))
    >>> T.bind(t, lambda a: Pure(a * 10)) == Roll(Layer("node", None, (Pure(10), Pure(20))))
    True
    """

    def bind(m: Pure | Roll, f: Callable[[Any], Any]) -> Pure | Roll:
        return _fold_free(functor, f, Roll, m)

    return FreeMonad(f"Free({functor.name})", Pure, bind, functor=functor)


_PURE = object()
"""The constructor that marks a ``Pure`` leaf while :func:`_fold_free` runs."""


def _fold_free(
    functor: Functor, pure: Callable[[Any], Any], roll: Callable[[Layer], Any], t: Pure | Roll
) -> Any:
    """The fold of a free term: ``Pure(x) -> pure(x)``, ``Roll(l) -> roll(fmap(fold, l))``.

    Runs on :func:`~catauto.algebra.hylo`'s explicit stack, so terms may be deeper than
    Python's recursion limit. ``bind(m, f)`` is ``_fold_free(F, f, Roll, m)``.
    """

    def project(t: Any) -> Layer:
        if isinstance(t, Pure):
            return Layer(_PURE, t.value)
        if isinstance(t, Roll):
            return functor.check(t.layer)
        raise CatautoError(f"free monad of {functor.name}: not a Pure/Roll term: {_show(t)}")

    return hylo(lambda layer: pure(layer.label) if layer.con is _PURE else roll(layer), project, t)


# --- monad algebras ---------------------------------------------------------------------


@dataclass(frozen=True)
class MonadAlgebra:
    """An Eilenberg–Moore algebra ``a: T A -> A`` of ``monad``; ``eq`` compares carriers.

    Laws: unit ``a(unit(x)) == x``; multiplication ``a(join(tt)) == a(fmap(a, tt))``.
    Algebras of :data:`LIST` are monoids, e.g. ``sum``; "first element or 0" is not one:

    >>> bool(MonadAlgebra(LIST, sum).check_laws([1, 2], [[[1], [2, 3]], []]))
    True
    >>> first = MonadAlgebra(LIST, lambda xs: xs[0] if xs else 0)
    >>> first.check_laws([1], [[[], [5]]]).failures
    ['multiplication law fails at [[], [5]]: a(join t) = 5, a(T a t) = 0']
    """

    monad: Monad
    structure: Callable[[Any], Any]
    eq: Callable[[Any, Any], bool] = equal

    def __call__(self, t: Any) -> Any:
        return self.structure(t)

    def check_laws(self, samples: Iterable[Any], nested: Iterable[Any] = ()) -> LawReport:
        """Check the unit law on ``samples`` (elements of A) and the multiplication law
        on ``nested`` (elements of T T A). Returns a :class:`LawReport`."""
        a, T, bad = self.structure, self.monad, []
        for x in samples:
            back = a(T.unit(x))
            if not self.eq(back, x):
                bad.append(f"unit law fails at {_show(x)}: a(unit x) = {_show(back)}")
        for t in nested:
            lhs, rhs = a(T.join(t)), a(T.fmap(a, t))
            if not self.eq(lhs, rhs):
                bad.append(f"multiplication law fails at {_show(t)}: a(join t) = {_show(lhs)}, "
                           f"a(T a t) = {_show(rhs)}")  # fmt: skip
        return LawReport(f"{T.name}-algebra", bad)


def to_monad_algebra(alg: Algebra) -> MonadAlgebra:
    """The Free(F)-algebra of an F-algebra: interpret a free term by folding with ``alg``.

    ``alg.structure`` maps a :class:`Layer` over ``A`` to ``A``; the result sends
    ``Pure(x)`` to ``x`` and ``Roll(l)`` to ``alg(fmap(interpret, l))``. Inverse (up to
    agreement on every input): :func:`from_monad_algebra`.

    >>> from catauto.functor import TreeF
    >>> plus = Algebra(TreeF(), lambda l: l.label if l.con == "leaf" else sum(l.kids))
    >>> ma = to_monad_algebra(plus)
    >>> ma(Roll(Layer("node", None, (Pure(4), Roll(Layer("leaf", 3, ()))))))
    7
    >>> from_monad_algebra(ma).structure(Layer("node", None, (1, 2)))
    3
    """
    functor, structure = alg.functor, alg.structure

    def interpret(t: Pure | Roll) -> Any:
        return _fold_free(functor, lambda x: x, structure, t)

    return MonadAlgebra(free_monad(functor), interpret)


def from_monad_algebra(ma: MonadAlgebra, carrier: str | None = None) -> Algebra:
    """The F-algebra of a Free(F)-algebra: restrict along the insertion of generators."""
    free = ma.monad
    if not isinstance(free, FreeMonad):
        raise CatautoError(f"from_monad_algebra needs a free-monad algebra, got {free.name}")
    return Algebra(free.functor, lambda layer: ma.structure(free.generator(layer)), carrier)


# --- group actions and equivariance -----------------------------------------------------


@dataclass(frozen=True)
class Action:
    """A left action ``act(g, x)`` of ``group`` (a :class:`Group` or a :class:`Monoid`):
    ``act(e, x) == x`` and ``act(mul(g, h), x) == act(g, act(h, x))`` -- exactly an
    algebra of ``G × -`` (``M × -``)."""

    group: Group | Monoid
    act: Callable[[Any, Any], Any]
    name: str = "action"

    def __call__(self, g: Any, x: Any) -> Any:
        return self.act(g, x)

    def as_monad_algebra(self) -> MonadAlgebra:
        """This action as an algebra of :func:`action_monad` ``(g, x) -> g·x``."""
        return MonadAlgebra(action_monad(self.group), lambda gx: self.act(gx[0], gx[1]))

    def matrix(self, g: Any, dim: int) -> np.ndarray:
        """``ρ(g)``, shape ``(dim, dim)``: column ``i`` is ``g·e_i`` (for linear actions)."""
        return np.stack([np.asarray(self.act(g, e), dtype=float) for e in np.eye(dim)], axis=1)


def check_action_laws(action: Action, samples: Iterable[Any]) -> LawReport:
    """Identity and compatibility for all group elements, via the ``G × -`` algebra laws.

    >>> bool(check_action_laws(permutation_action(symmetric(3)), [np.arange(3.0)]))
    True
    """
    samples = list(samples)
    els = action.group.elements
    nested = [(g, (h, x)) for g in els for h in els for x in samples]
    report = action.as_monad_algebra().check_laws(samples, nested)
    return LawReport(f"{action.name} of {action.group.name}", report.failures)


def _as_array(x: Any) -> Any:
    return x if hasattr(x, "shape") else np.asarray(x)  # keeps JAX arrays JAX


def permutation_action(group: Group) -> Action:
    """``G`` on vectors ``(..., degree)`` by permuting the last axis: ``(g·x)[g(i)] = x[i]``.

    For :func:`cyclic` this is the cyclic shift ``np.roll(x, k, axis=-1)``:

    >>> permutation_action(cyclic(4))(1, np.array([1, 2, 3, 4]))
    array([4, 1, 2, 3])
    """
    if group.permutation is None:
        raise CatautoError(f"group {group.name} has no permutation representation")
    inverse = {g: np.argsort(group.permutation(g)) for g in group.elements}
    degree = len(inverse[group.identity])

    def act(g: Any, x: Any) -> Any:
        x = _as_array(x)
        if x.shape[-1:] != (degree,):  # indexing would silently drop the extra entries
            raise CatautoError(
                f"permutation action of {group.name}: expected vectors of length {degree}"
                f" (last axis), got shape {tuple(x.shape)}"
            )
        return x[..., inverse[g]]

    return Action(group, act, "permutation action")


def trivial_action(group: Group | Monoid) -> Action:
    """``g·x = x`` for every ``g``."""
    return Action(group, lambda g, x: x, "trivial action")


def is_homomorphism(
    f: Callable[[Any], Any], act_in: Action, act_out: Action, samples: Iterable[Any],
    atol: float = 1e-6,
) -> bool:  # fmt: skip
    """The square ``f(g·x) == g·f(x)`` for every ``g`` and sample ``x`` (numpy or JAX).

    >>> shift = permutation_action(cyclic(3))
    >>> is_homomorphism(np.cumsum, shift, shift, [np.array([1.0, 2.0, 3.0])])
    False
    >>> is_homomorphism(circulant([1.0, 2.0, 0.0]), shift, shift, [np.array([1.0, 2.0, 3.0])])
    True
    """
    group = _common_group(act_in, act_out)
    samples = list(samples)
    return all(
        equal(f(act_in(g, x)), act_out(g, f(x)), atol) for g in group.elements for x in samples
    )


def is_invariant(f: Callable[[Any], Any], act_in: Action, samples: Iterable[Any]) -> bool:
    """``f(g·x) == f(x)``: a homomorphism into the trivial action.

    >>> is_invariant(np.sum, permutation_action(symmetric(3)), [np.array([1.0, 5.0, 2.0])])
    True
    """
    return is_homomorphism(f, act_in, trivial_action(act_in.group), samples)


def _common_group(act_in: Action, act_out: Action) -> Group | Monoid:
    if act_in.group is not act_out.group and act_in.group.elements != act_out.group.elements:
        raise CatautoError(
            f"actions of different groups: {act_in.group.name} and {act_out.group.name}"
        )
    return act_in.group


def equivariant_basis(
    act_in: Action, act_out: Action, dim_in: int, dim_out: int | None = None, tol: float = 1e-9
) -> list[np.ndarray]:
    """A basis of the linear maps ``W`` (shape ``(dim_out, dim_in)``) with
    ``W ρ_in(g) = ρ_out(g) W`` for all ``g``, for linear actions on ``R^dim``.

    Row-major ``vec`` turns each constraint into ``(I ⊗ ρ_in(g)^T - ρ_out(g) ⊗ I) vec W = 0``;
    the basis spans the null space of the stacked constraints (SVD), orthonormal in
    the Frobenius inner product.

    >>> shift, perm = permutation_action(cyclic(5)), permutation_action(symmetric(4))
    >>> len(equivariant_basis(shift, shift, 5)), len(equivariant_basis(perm, perm, 4))
    (5, 2)
    """
    dim_out = dim_in if dim_out is None else dim_out
    group = _common_group(act_in, act_out)
    eye_in, eye_out = np.eye(dim_in), np.eye(dim_out)
    rows = [
        np.kron(eye_out, act_in.matrix(g, dim_in).T) - np.kron(act_out.matrix(g, dim_out), eye_in)
        for g in group.elements
    ]
    _, s, vh = np.linalg.svd(np.concatenate(rows), full_matrices=True)
    rank = int(np.sum(s > tol * max(1.0, s[0] if s.size else 0.0)))
    return [v.reshape(dim_out, dim_in) for v in vh[rank:]]


def circulant_matrix(w: Sequence[float]) -> np.ndarray:
    """``C[i, j] = w[(i - j) mod n]``, shape ``(n, n)``: the convolution by ``w``."""
    w = np.asarray(w, dtype=float)
    n = len(w)
    return w[(np.arange(n)[:, None] - np.arange(n)[None, :]) % n]


def circulant(w: Sequence[float]) -> Callable[[Any], Any]:
    """The circulant layer ``x -> C x`` on ``(..., n)``; commutes with cyclic shifts.

    >>> circulant([1.0, 1.0, 0.0])(np.array([1.0, 2.0, 4.0]))
    array([5., 3., 6.])
    """
    c_t = circulant_matrix(w).T
    return lambda x: _as_array(x) @ c_t


def deepsets(a: float, b: float, pool: str = "sum") -> Callable[[Any], Any]:
    """DeepSets' layer ``x -> a x + b pool(x)`` on ``(..., n)`` (pool ``"sum"`` or
    ``"mean"`` over the last axis); commutes with every permutation of coordinates.
    Its lift to Para, with learned weights and channels, is
    ``catauto.neural.deepsets(d_in, d_out, pool)`` (the same map at ``lam = [[a]]``,
    ``gam = [[b]]``, ``b = 0``).

    >>> deepsets(2.0, 1.0)(np.array([1.0, 2.0, 3.0]))
    array([ 8., 10., 12.])
    """
    if pool not in ("sum", "mean"):
        raise CatautoError(f"deepsets: pool must be 'sum' or 'mean', got {pool!r}")

    def layer(x: Any) -> Any:
        x = _as_array(x)
        pooled = x.sum(axis=-1, keepdims=True) if pool == "sum" else x.mean(-1, keepdims=True)
        return a * x + b * pooled

    return layer
