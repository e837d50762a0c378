"""Hypothesis strategies for layers, terms and values of the categorical core (tests only)."""

from __future__ import annotations

from hypothesis import strategies as st

from catauto.algebra import InitialAlgebra, Leaf, Node, lists, naturals, trees
from catauto.functor import (
    Constructor,
    Functor,
    Layer,
    ListF,
    MealyF,
    MooreF,
    NatF,
    Power,
    StreamF,
    TreeF,
)

ZOO: list[Functor] = [
    NatF,
    ListF(),
    ListF(("a", "b")),
    TreeF(),
    TreeF((0, 1, 2)),
    StreamF(),
    StreamF(("x", "y")),
    MooreF(("a", "b"), (False, True)),
    MooreF((0, 1, 2)),
    MooreF((), ("only",)),
    MealyF(("a", "b"), ("x", "y")),
    MealyF((0,)),
]

# Functors with a nullary constructor have finite terms (a non-empty initial algebra).
FINITE = [F for F in ZOO if any(c.arity == 0 for c in F.constructors)]


def labels(c: Constructor) -> st.SearchStrategy:
    if c.labels is None:
        return st.integers(-3, 3)
    if isinstance(c.labels, Power):
        return st.tuples(*[st.sampled_from(c.labels.base)] * c.labels.length)
    return st.sampled_from(c.labels)


def layers(F: Functor, kids: st.SearchStrategy, max_arity: int | None = None):
    """One layer of ``F`` whose recursive positions are drawn from ``kids``."""
    return st.one_of(
        [
            st.builds(
                Layer,
                st.just(c.name),
                labels(c),
                st.lists(kids, min_size=c.arity, max_size=c.arity).map(tuple),
            )
            for c in F.constructors
            if max_arity is None or c.arity <= max_arity
        ]
    )


def terms(F: Functor, max_leaves: int = 12) -> st.SearchStrategy:
    """Finite generic terms of ``F`` (needs a nullary constructor)."""
    return st.recursive(
        layers(F, st.nothing(), 0), lambda sub: layers(F, sub), max_leaves=max_leaves
    )


small_ints = st.integers(-5, 5)
nat_values = st.integers(0, 40)
list_values = st.lists(small_ints, max_size=15).map(tuple)
tree_values = st.recursive(
    st.builds(Leaf, small_ints), lambda sub: st.builds(Node, sub, sub), max_leaves=12
)

INITIAL: list[tuple[InitialAlgebra, st.SearchStrategy]] = [
    (naturals, nat_values),
    (lists(), list_values),
    (trees(), tree_values),
]


def label_code(label: object) -> int:
    """A deterministic integer for any label in the zoo (None, ints, bools, str, tuples)."""
    return sum((i + 1) * ord(ch) for i, ch in enumerate(repr(label))) % 101


P = 1009


def numeric_algebra(F: Functor, weights: list[int]):
    """An order-sensitive integer algebra: ``w[con] + code(label) + sum (j+2) * kid_j  mod P``."""
    ids = {c.name: i for i, c in enumerate(F.constructors)}

    def alg(layer: Layer) -> int:
        s = weights[ids[layer.con]] + label_code(layer.label)
        return (s + sum((j + 2) * k for j, k in enumerate(layer.kids))) % P

    return alg
