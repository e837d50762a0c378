"""Algebras, initial algebras and the recursion schemes ``cata``, ``ana``, ``hylo``.

An F-algebra is a map ``alg: F(B) -> B``, here a function from :class:`Layer` to a value.
The initial algebra ``μF`` has an ``embed: F(μF) -> μF`` whose inverse is ``project``
(Lambek), and for every algebra a unique homomorphism ``cata(alg): μF -> B``::

    cata(alg) ∘ embed = alg ∘ fmap(cata(alg))                 (fold equation)

>>> total = Algebra(ListF(), lambda l: 0 if l.con == "nil" else l.label + l.kids[0])
>>> cata(total, (1, 2, 3), lists())
6
>>> xs = (4, 5)
>>> cata(total, lists().embed(Layer("cons", 3, (xs,))), lists()) == total(Layer("cons", 3, (9,)))
True

All three schemes run on an explicit stack, so long lists and deep naturals do not hit
Python's recursion limit.

**Left folds and RNNs.** ``cata`` over lists is the categorical *right* fold:
``cata(alg, (a, b, c)) = alg(cons(a, alg(cons(b, alg(cons(c, alg(nil)))))))``, so the
last element is consumed first. A left-to-right RNN ``h_t = cell(h_{t-1}, x_t)`` is the
left fold :func:`foldl`, which is the right fold of the reversed list (or the right fold
into the carrier of functions ``h -> h``):

>>> cell = lambda h, x: 10 * h + x
>>> foldl(cell, 0, (1, 2, 3))
123
>>> cata(lambda l: 0 if l.con == "nil" else cell(l.kids[0], l.label), (3, 2, 1), lists())
123
>>> k = cata(lambda l: (lambda h: h) if l.con == "nil"
...          else (lambda h, a=l.label, rest=l.kids[0]: rest(cell(h, a))), (1, 2, 3), lists())
>>> k(0)
123
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from catauto.errors import CatautoError
from catauto.functor import Functor, Layer, ListF, NatF, Term, TreeF

__all__ = [
    "Algebra",
    "InitialAlgebra",
    "Leaf",
    "Node",
    "Forest",
    "cata",
    "fold",
    "ana",
    "unfold",
    "hylo",
    "refold",
    "foldl",
    "naturals",
    "lists",
    "trees",
    "terms",
    "flatten_forest",
]


@dataclass(frozen=True)
class Algebra:
    """An F-algebra: ``structure`` maps a :class:`Layer` over the carrier to the carrier.

    ``carrier`` is an optional description (documentation only). Algebras are callable.
    """

    functor: Functor
    structure: Callable[[Layer], Any]
    carrier: str | None = None

    def __post_init__(self) -> None:
        if not callable(self.structure):
            raise CatautoError(
                "Algebra(functor, structure, carrier=None): structure must be callable, "
                f"got {self.structure!r}"
            )

    def __call__(self, layer: Layer) -> Any:
        return self.structure(layer)


@dataclass(frozen=True)
class InitialAlgebra:
    """``μF`` with ``embed: F(T) -> T`` and ``project: T -> F(T)``, mutually inverse.

    ``fold`` and ``build`` are optional specialised versions of ``cata`` and ``ana`` for
    carriers where going through ``project``/``embed`` would be slow (a tuple's ``project``
    copies its tail, so lists fold and unfold in a loop instead); ``flatten`` likewise
    numbers the nodes of many values for :func:`flatten_forest` (``trees`` walks its
    ``Leaf``/``Node`` objects in one loop). They must agree with the generic schemes;
    the tests check that they do.

    Lambek's lemma: ``embed`` and ``project`` are mutually inverse.

    >>> L = lists()
    >>> L.embed(L.project((1, 2))) == (1, 2)
    True
    >>> layer = Layer("cons", 0, ((1, 2),))
    >>> L.project(L.embed(layer)) == layer
    True
    """

    functor: Functor
    embed: Callable[[Layer], Any]
    project: Callable[[Any], Layer]
    name: str = ""
    fold: Callable[[Callable[[Layer], Any], Any], Any] | None = None
    build: Callable[[Callable[[Any], Layer], Any, int | None], Any] | None = None
    flatten: Callable[[Sequence], tuple] | None = None

    def to_term(self, x: Any) -> Term:
        """The generic term of ``x`` (a nested :class:`Layer`)."""
        return cata(lambda layer: layer, x, self)

    def from_term(self, t: Term) -> Any:
        """Inverse of :meth:`to_term`."""
        return cata(self.embed, t, terms(self.functor))


# --- recursion schemes --------------------------------------------------------------------


def hylo(
    alg: Callable[[Layer], Any],
    coalg: Callable[[Any], Layer],
    seed: Any,
    max_layers: int | None = None,
) -> Any:
    """``hylo(alg, coalg) = alg ∘ fmap(hylo(alg, coalg)) ∘ coalg``, equal to
    ``cata(alg) ∘ ana(coalg)`` without building the intermediate term.

    ``max_layers`` bounds the number of ``coalg`` calls (a guard against coalgebras that
    are not well-founded); exceeding it raises :class:`CatautoError`.

    >>> count_down = lambda n: Layer("nil") if n == 0 else Layer("cons", n, (n - 1,))
    >>> product = lambda l: 1 if l.con == "nil" else l.label * l.kids[0]
    >>> hylo(product, count_down, 5)  # 5!
    120
    >>> hylo(product, count_down, 5) == cata(product, ana(count_down, 5, lists()), lists())
    True
    """
    for f in (coalg, alg):
        _has_finite_terms(getattr(f, "functor", None))
    results: list[Any] = []
    stack: list[tuple[bool, Any]] = [(False, seed)]
    calls = 0
    while stack:
        expanded, item = stack.pop()
        if expanded:  # all kids of `item` are done: their values top the results stack
            n = len(item.kids)
            kids = tuple(results[len(results) - n :]) if n else ()
            if n:
                del results[len(results) - n :]
            results.append(alg(Layer(item.con, item.label, kids)))
            continue
        layer = coalg(item)
        if not isinstance(layer, Layer) or not isinstance(layer.kids, tuple):
            raise CatautoError(
                f"coalgebra returned {layer!r} for {item!r}: expected a Layer with a tuple of kids"
            )
        calls += 1
        if max_layers is not None and calls > max_layers:
            raise CatautoError(_too_deep(max_layers))
        stack.append((True, layer))
        stack.extend((False, k) for k in reversed(layer.kids))
    return results[0]


def cata(
    alg: Callable[[Layer], Any], x: Any, initial: InitialAlgebra | Functor | None = None
) -> Any:
    """The fold: the unique ``h`` with ``h ∘ embed = alg ∘ fmap(h)``.

    ``x`` is a value of ``initial`` (default: a generic :class:`Term`; a :class:`Functor`
    stands for its term algebra). Fold fusion follows from uniqueness: if
    ``h ∘ f = g ∘ fmap(h)`` then ``h ∘ cata(f) = cata(g)``. Here ``h`` doubles, ``f``
    sums and ``g`` sums doubled labels:

    >>> f = lambda l: 0 if l.con == "nil" else l.label + l.kids[0]
    >>> g = lambda l: 0 if l.con == "nil" else 2 * l.label + l.kids[0]
    >>> 2 * cata(f, (1, 2, 3), lists()) == cata(g, (1, 2, 3), lists())
    True

    Shared subterms are folded once per occurrence (the value is treated as a tree).

    >>> height = lambda l: 0 if l.con == "leaf" else 1 + max(l.kids)
    >>> cata(height, Node(Node(Leaf(1), Leaf(2)), Leaf(3)), trees())
    2
    >>> cata(lambda l: 0 if l.con == "zero" else l.kids[0] + 2, 10_000, naturals)  # no recursion
    20000
    """
    if initial is None:
        functor = getattr(alg, "functor", None)
        return hylo(alg, functor.check if functor else _identity, x)
    initial = _initial(initial)
    _agree(alg, initial.functor)
    if initial.fold is not None:
        return initial.fold(alg, x)
    return hylo(alg, initial.project, x)


def ana(
    coalg: Callable[[Any], Layer],
    seed: Any,
    initial: InitialAlgebra | Functor | None = None,
    max_layers: int | None = None,
) -> Any:
    """The unfold of a well-founded coalgebra into ``initial`` (default: generic terms):
    ``project ∘ ana(coalg) = fmap(ana(coalg)) ∘ coalg``. ``unfold`` is an alias.

    It builds a *finite* term, so a coalgebra of a functor without a nullary constructor
    (``StreamF``, ``MooreF``, ``MealyF``) is refused at once; the unfold of a stream is
    :func:`catauto.coalgebra.unfold_stream` (into the final coalgebra) and the behaviour
    of a machine's state :func:`catauto.coalgebra.behaviour`. A coalgebra without a
    ``functor`` that never stops runs until ``max_layers`` (forever when it is ``None``).

    >>> ana(lambda n: Layer("zero") if n == 0 else Layer("succ", None, (n - 1,)), 2)
    Layer(con='succ', label=None, kids=(Layer(con='succ', label=None, kids=(Layer(con='zero', label=None, kids=()),)),))
    >>> ana(lambda n: Layer("nil") if n == 0 else Layer("cons", n, (n - 1,)), 3, lists())
    (3, 2, 1)
    """  # noqa: E501
    if initial is None:
        functor = getattr(coalg, "functor", None)
        return hylo(functor.check if functor else _identity, coalg, seed, max_layers)
    initial = _initial(initial)
    _has_finite_terms(initial.functor)
    _agree(coalg, initial.functor)
    if initial.build is not None:
        return initial.build(coalg, seed, max_layers)
    return hylo(initial.embed, coalg, seed, max_layers)


fold = cata
unfold = ana
refold = hylo


def foldl(step: Callable[[Any, Any], Any], init: Any, xs: Iterable) -> Any:
    """The left fold ``step(...step(step(init, x0), x1)..., x_{n-1})``: a left-to-right RNN.

    ``foldl(step, h, xs) = cata(alg, reversed(xs))`` with ``alg(cons(x, h)) = step(h, x)``.
    """
    h = init
    for x in xs:
        h = step(h, x)
    return h


def _too_deep(max_layers: int) -> str:
    return (
        f"unfold exceeded max_layers={max_layers}: is it well-founded? An unfold that never "
        "reaches a nullary constructor (a stream, a machine's run) never ends; for streams "
        "use catauto.coalgebra.unfold_stream, for machines catauto.coalgebra.behaviour"
    )


def _has_finite_terms(functor: Functor | None) -> None:
    """``ana``/``hylo`` build finite terms: refuse, at once, a functor that has none."""
    if functor is not None and not any(c.arity == 0 for c in functor.constructors):
        raise CatautoError(
            f"{functor.name} has no nullary constructor, so it has no finite terms and its "
            "unfold (ana) would never end: for streams use catauto.coalgebra.unfold_stream "
            "(the final coalgebra), for Moore/Mealy machines catauto.coalgebra.behaviour"
        )


def _identity(x: Any) -> Any:
    return x


def _initial(initial: InitialAlgebra | Functor) -> InitialAlgebra:
    return terms(initial) if isinstance(initial, Functor) else initial


def _agree(morphism: Any, functor: Functor) -> None:
    own = getattr(morphism, "functor", None)
    if own is not None and own.signature != functor.signature:
        raise CatautoError(
            f"(co)algebra of {own.name} {own.signature} used with {functor.name} "
            f"{functor.signature}"
        )


# --- initial algebras ----------------------------------------------------------------------


def terms(functor: Functor) -> InitialAlgebra:
    """The generic term algebra of ``functor``: terms are nested, checked :class:`Layer`."""
    return InitialAlgebra(functor, functor.check, functor.check, name=f"terms({functor.name})")


def _nat_embed(layer: Layer) -> int:
    NatF.check(layer)
    return 0 if layer.con == "zero" else layer.kids[0] + 1


def _nat_project(n: Any) -> Layer:
    if type(n) is not int:  # plain ints first: this runs once per layer
        if isinstance(n, bool) or not isinstance(n, int | np.integer):
            raise CatautoError(f"naturals: expected an int >= 0, got {n!r}")
        n = int(n)  # numpy integers
    if n < 0:
        raise CatautoError(f"naturals: expected an int >= 0, got {n!r}")
    return Layer("zero") if n == 0 else Layer("succ", None, (n - 1,))


naturals = InitialAlgebra(NatF, _nat_embed, _nat_project, name="naturals")
"""``μNatF`` with carrier Python ``int`` (>= 0)."""


def lists(A: Iterable | None = None) -> InitialAlgebra:
    """``μListF(A)`` with carrier Python ``tuple``: ``nil = ()``, ``cons(a, xs) = (a, *xs)``.

    >>> L = lists()
    >>> L.project((1, 2)), L.embed(L.project((1, 2)))
    (Layer(con='cons', label=1, kids=((2,),)), (1, 2))
    """
    F = ListF(A)
    cons = F.constructors[1]

    def embed(layer: Layer) -> tuple:
        F.check(layer)
        return () if layer.con == "nil" else (layer.label, *_tuple(layer.kids[0]))

    def project(xs: Any) -> Layer:
        xs = _tuple(xs)
        return F.check(Layer("cons", xs[0], (xs[1:],))) if xs else Layer("nil")

    def fold(alg: Callable[[Layer], Any], xs: Any) -> Any:
        acc = alg(Layer("nil"))
        for a in reversed(_tuple(xs)):
            if not cons.allows(a):
                raise CatautoError(f"lists: label {a!r} not in {cons.labels!r}")
            acc = alg(Layer("cons", a, (acc,)))
        return acc

    def build(coalg: Callable[[Any], Layer], seed: Any, max_layers: int | None) -> tuple:
        out = []
        while True:
            layer = F.check(coalg(seed))
            if max_layers is not None and len(out) >= max_layers:  # counted like hylo
                raise CatautoError(_too_deep(max_layers))
            if layer.con == "nil":
                return tuple(out)
            out.append(layer.label)
            (seed,) = layer.kids

    return InitialAlgebra(F, embed, project, name="lists", fold=fold, build=build)


def _tuple(xs: Any) -> tuple:
    if not isinstance(xs, tuple):
        raise CatautoError(f"lists: expected a tuple, got {xs!r}")
    return xs


@dataclass(frozen=True)
class Leaf:
    """A leaf of a leaf-labelled binary tree (carrier of :func:`trees`)."""

    label: Any


@dataclass(frozen=True)
class Node:
    """An inner node of a leaf-labelled binary tree (carrier of :func:`trees`)."""

    left: Leaf | Node
    right: Leaf | Node


def trees(A: Iterable | None = None) -> InitialAlgebra:
    """``μTreeF(A)`` with carrier :class:`Leaf` | :class:`Node`.

    >>> T = trees()
    >>> T.project(Node(Leaf(1), Leaf(2)))
    Layer(con='node', label=None, kids=(Leaf(label=1), Leaf(label=2)))
    """
    F = TreeF(A)

    def embed(layer: Layer) -> Leaf | Node:
        F.check(layer)
        return Leaf(layer.label) if layer.con == "leaf" else Node(*layer.kids)

    def project(t: Any) -> Layer:
        if isinstance(t, Leaf):
            return F.check(Layer("leaf", t.label))
        if isinstance(t, Node):
            return Layer("node", None, (t.left, t.right))
        raise CatautoError(f"trees: expected a Leaf or Node, got {t!r}")

    leaf_c = F.constructors[0]

    def flatten(values: Sequence) -> tuple:
        """Number the nodes of many trees in one loop (parents before kids), for
        :func:`flatten_forest`: ``(con, label, kids, height, roots)`` arrays."""
        kind: list[int] = []  # 0 leaf, 1 node (constructor ids of TreeF)
        label: list[Any] = []
        left: list[int] = []
        roots: list[int] = []
        stack: list[tuple[Any, int]] = []
        for v in values:
            roots.append(len(kind))
            kind.append(-1)
            label.append(None)
            left.append(-1)
            stack.append((v, len(kind) - 1))
            while stack:
                t, i = stack.pop()
                if isinstance(t, Node):
                    j = len(kind)  # left kid j, right kid j + 1
                    kind[i], left[i] = 1, j
                    kind += (-1, -1)
                    label += (None, None)
                    left += (-1, -1)
                    stack.append((t.right, j + 1))
                    stack.append((t.left, j))
                elif isinstance(t, Leaf):
                    kind[i], label[i] = 0, t.label
                else:
                    raise CatautoError(f"trees: expected a Leaf or Node, got {t!r}")
        con = np.array(kind, dtype=np.int32)
        lab = np.fromiter(label, dtype=object, count=len(label))
        if leaf_c.labels is not None:
            bad = [a for a in lab[con == 0] if not leaf_c.allows(a)]
            if bad:
                F.check(Layer("leaf", bad[0]))  # raises with the functor's message
        lefts = np.array(left, dtype=np.int32)
        kids = np.full((len(con), 2), -1, dtype=np.int32)
        inner = np.flatnonzero(con == 1)
        kids[inner, 0] = lefts[inner]
        kids[inner, 1] = lefts[inner] + 1
        # heights: kids are numbered after their parent, so one sweep from the end
        h = [0] * len(con)
        for i in inner[::-1].tolist():
            a, b = h[left[i]], h[left[i] + 1]
            h[i] = 1 + (a if a > b else b)
        return con, lab, kids, np.array(h, dtype=np.int32), np.array(roots, dtype=np.int32)

    return InitialAlgebra(F, embed, project, name="trees", flatten=flatten)


# --- flattened forests (shared with the neural level-batched fold) -------------------------


@dataclass(frozen=True)
class Forest:
    """Terms flattened into arrays, nodes sorted by height (children before parents).

    Shapes (``n`` nodes, ``t`` terms, ``k = functor.max_arity``, ``H`` the largest height):
    ``con: int32[n]`` constructor ids; ``label: object[n]``; ``kids: int32[n, k]`` node
    indices, ``-1`` past the constructor's arity; ``height: int32[n]`` (0 for nullary
    nodes), nondecreasing; ``roots: int32[t]``; ``levels: int64[H + 2]`` offsets, so the
    nodes of height ``h`` are ``levels[h]:levels[h + 1]`` and all their kids lie earlier.
    """

    functor: Functor
    con: np.ndarray
    label: np.ndarray
    kids: np.ndarray
    height: np.ndarray
    roots: np.ndarray
    levels: np.ndarray

    @property
    def n_nodes(self) -> int:
        return len(self.con)

    def fold(self, alg: Callable[[Layer], Any]) -> list:
        """Fold level by level; equals ``[cata(alg, t) for t in terms]``."""
        values: list[Any] = [None] * self.n_nodes
        cons = self.functor.constructors
        for i in range(self.n_nodes):  # sorted by height, so kids are already computed
            c = cons[self.con[i]]
            kids = tuple(values[k] for k in self.kids[i, : c.arity])
            values[i] = alg(Layer(c.name, self.label[i], kids))
        return [values[r] for r in self.roots]


def flatten_forest(values: Sequence, initial: InitialAlgebra | Functor) -> Forest:
    """Flatten values of ``initial`` (a :class:`Functor` means its generic terms).

    >>> f = flatten_forest([(7, 8), ()], lists())
    >>> f.con.tolist(), f.label.tolist(), f.kids.tolist(), f.height.tolist(), f.roots.tolist()
    ([0, 0, 1, 1], [None, None, 8, 7], [[-1], [-1], [0], [2]], [0, 0, 1, 2], [3, 1])
    >>> f.levels.tolist()
    [0, 2, 3, 4]
    """
    initial = _initial(initial)
    F = initial.functor
    if initial.flatten is not None:
        con_arr, label_arr, kid_arr, h, roots = initial.flatten(values)
        return _sorted_forest(F, con_arr, label_arr, kid_arr, h, roots)
    ids = {c.name: i for i, c in enumerate(F.constructors)}
    con: list[int] = []
    label: list[Any] = []
    kids: list[tuple] = []
    height: list[int] = []

    def number(layer: Layer) -> int:  # post-order numbering: kids are numbered already
        con.append(ids[layer.con])
        label.append(layer.label)
        kids.append(layer.kids)
        height.append(1 + max((height[k] for k in layer.kids), default=-1))
        return len(con) - 1

    roots = np.array([cata(number, v, initial) for v in values], dtype=np.int32)
    n = len(con)
    kid_arr = np.full((n, F.max_arity), -1, dtype=np.int32)
    for i, ks in enumerate(kids):
        kid_arr[i, : len(ks)] = ks
    return _sorted_forest(
        F,
        np.array(con, dtype=np.int32),
        np.fromiter(label, dtype=object, count=n),
        kid_arr,
        np.array(height, dtype=np.int32),
        roots,
    )


def _sorted_forest(
    F: Functor,
    con: np.ndarray,
    label: np.ndarray,
    kid_arr: np.ndarray,
    h: np.ndarray,
    roots: np.ndarray,
) -> Forest:
    """Nodes numbered in any order with kids, heights and roots -> the :class:`Forest`
    (nodes stably sorted by height, kid and root indices renumbered)."""
    n = len(con)
    order = np.argsort(h, kind="stable")
    new_index = np.empty(n, dtype=np.int32)
    new_index[order] = np.arange(n, dtype=np.int32)
    kid_arr = kid_arr[order]
    real = kid_arr >= 0
    kid_arr[real] = new_index[kid_arr[real]]
    counts = np.bincount(h, minlength=1) if n else np.zeros(0, dtype=np.int64)
    return Forest(
        functor=F,
        con=con[order],
        label=label[order],
        kids=kid_arr,
        height=h[order],
        roots=new_index[roots] if n else roots,
        levels=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
    )
