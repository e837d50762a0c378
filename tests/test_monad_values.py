"""Terms are values: a free-monad term, a tree, a functor layer or a ``Just`` built twice
is equal to itself, hashes alike (so it can key a dict or sit in a set, as memo tables
and law checks do) and cannot be changed in place."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from catauto.algebra import Leaf, Node
from catauto.functor import Layer, TreeF
from catauto.monad import Just, Pure, Roll, equal, free_monad


def free_terms():
    """Free terms over TreeF: Pure leaves, Roll layers of leaf or node constructors."""
    leaves = st.integers(0, 3).map(Pure)
    return st.recursive(
        leaves,
        lambda kids: st.one_of(
            st.integers(0, 2).map(lambda a: Roll(Layer("leaf", a))),
            st.tuples(kids, kids).map(lambda ab: Roll(Layer("node", None, ab))),
        ),
        max_leaves=8,
    )


def rebuilt(t):
    """The same term built again from scratch (brute force: no object shared)."""
    if isinstance(t, Pure):
        return Pure(t.value)
    layer = t.layer
    return Roll(Layer(layer.con, layer.label, tuple(rebuilt(k) for k in layer.kids)))


def rebuilt_tree(t):
    return (
        Node(rebuilt_tree(t.left), rebuilt_tree(t.right)) if isinstance(t, Node) else Leaf(t.label)
    )


def trees():
    return st.recursive(
        st.integers(0, 3).map(Leaf), lambda kids: st.builds(Node, kids, kids), max_leaves=8
    )


@given(t=free_terms(), u=free_terms())
def test_free_terms_are_hashable_values(t, u) -> None:
    copy = rebuilt(t)
    assert copy == t and hash(copy) == hash(t)
    table = {t: "t"}
    assert table[copy] == "t" and len({t, copy, u}) == (1 if u == t else 2)
    # bind by a dict of terms: substitution keyed by values works as by identity
    T = free_monad(TreeF())
    assert T.bind(t, lambda a: {Pure(a): u}[Pure(a)]) == T.bind(copy, lambda a: u)


@given(t=trees())
def test_trees_and_justs_are_hashable_values(t) -> None:
    assert {t: 1}[rebuilt_tree(t)] == 1
    assert hash(Just(t)) == hash(Just(t)) and {Just(t)} == {Just(t)}


@pytest.mark.parametrize(
    "value, field",
    [
        (Pure(1), "value"),
        (Roll(Layer("leaf", 1)), "layer"),
        (Layer("leaf", 1), "label"),
        (Leaf(1), "label"),
        (Node(Leaf(1), Leaf(2)), "left"),
        (Just(1), "value"),
    ],
)
def test_terms_cannot_be_changed_in_place(value, field: str) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, field, 0)


@given(
    a=st.floats(allow_nan=False),
    b=st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6),
)
def test_equal_numbers_within_tolerance_only(a: float, b: float) -> None:
    """``equal`` on floats: reflexive (inf too), symmetric, and false for numbers
    further apart than any tolerance, as Python floats or as numpy arrays."""
    assert equal(a, a) and equal(np.array([a]), np.array([a]))
    assert equal(a, b) == equal(b, a)
    far = abs(a - b) > 1e-3 * max(1.0, abs(b))
    if far:
        assert not equal(a, b) and not equal(np.array([a]), np.array([b]))
    assert equal(b, b + 1e-12) and not equal(b, b + 1.0 + abs(b))
