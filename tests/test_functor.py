"""Polynomial functors: the functor laws for the whole zoo, and validation."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catauto import CatautoError
from catauto.functor import (
    UNIT,
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
from strategies_core import ZOO, layers

ints = st.integers(-100, 100)
int_functions = st.functions(like=lambda x: x, returns=ints, pure=True)


@pytest.mark.parametrize("F", ZOO, ids=lambda F: repr(F.signature))
@settings(max_examples=25)
@given(data=st.data())
def test_identity_law(F, data):
    layer = data.draw(layers(F, ints))
    assert F.fmap(lambda x: x, layer) == layer


@pytest.mark.parametrize("F", ZOO, ids=lambda F: repr(F.signature))
@settings(max_examples=25)
@given(data=st.data(), f=int_functions, g=int_functions)
def test_composition_law(F, data, f, g):
    layer = data.draw(layers(F, ints))
    assert F.fmap(lambda x: g(f(x)), layer) == F.fmap(g, F.fmap(f, layer))


@pytest.mark.parametrize("F", ZOO, ids=lambda F: repr(F.signature))
@settings(max_examples=25)
@given(data=st.data())
def test_fmap_keeps_shape_and_label(F, data):
    layer = data.draw(layers(F, ints))
    mapped = F.fmap(str, layer)
    assert (mapped.con, mapped.label) == (layer.con, layer.label)
    assert mapped.kids == tuple(str(k) for k in layer.kids)


def test_zoo_shapes():
    assert NatF.signature == (("zero", 0), ("succ", 1))
    assert ListF("ab").signature == (("nil", 0), ("cons", 1))
    assert ListF("ab").constructors[1].labels == ("a", "b")
    assert TreeF().signature == (("leaf", 0), ("node", 2))
    assert StreamF().signature == (("cons", 1),)
    assert MooreF("abc", (0, 1)).signature == (("moore", 3),)
    assert MealyF("ab", "xy").constructors[0].labels == Power(("x", "y"), 2)
    assert ListF() == ListF(None) and ListF("ab") != ListF("abc")
    assert TreeF().max_arity == 2 and StreamF().index("cons") == 0


def test_moore_kids_follow_input_order():
    F = MooreF(("a", "b", "c"), (0, 1))
    layer = F.layer("moore", 1, "qa", "qb", "qc")
    assert dict(zip(("a", "b", "c"), layer.kids)) == {"a": "qa", "b": "qb", "c": "qc"}


@given(
    base=st.lists(st.integers(0, 3), max_size=3, unique=True),
    n=st.integers(0, 3),
    x=st.tuples(st.integers(0, 4), st.integers(0, 4)) | st.tuples(st.integers(0, 4)),
)
def test_power_membership_matches_enumeration(base, n, x):
    P = Power(tuple(base), n)
    enumerated = list(itertools.product(base, repeat=n))
    assert list(P) == enumerated and len(P) == len(enumerated)
    assert (x in P) == (x in enumerated)


@pytest.mark.parametrize(
    "F, layer, needle",
    [
        (NatF, Layer("cons", None, ()), "unknown constructor 'cons'"),
        (NatF, Layer("succ", None, (1, 2)), "constructor 'succ' has arity 1, got 2"),
        (ListF("ab"), Layer("cons", "z", (0,)), "label 'z' not allowed for constructor 'cons'"),
        (TreeF(), Layer("node", None, (1,)), "constructor 'node' has arity 2, got 1"),
        (MealyF("ab", "xy"), Layer("mealy", ("x",), (0, 1)), "constructor 'mealy'"),
        (MooreF("ab"), Layer("moore", 5, (0,)), "constructor 'moore' has arity 2, got 1"),
        (StreamF(), (1, 2), "expected a Layer"),
    ],
)
def test_bad_layers_are_rejected_by_name(F, layer, needle):
    with pytest.raises(CatautoError, match=needle):
        F.check(layer)
    with pytest.raises(CatautoError, match=needle):
        F.fmap(lambda x: x, layer)


def test_bad_functors():
    with pytest.raises(CatautoError, match="arity"):
        Constructor("c", UNIT, -1)
    with pytest.raises(CatautoError, match="labels"):
        Constructor("c", ["a"], 0)
    with pytest.raises(CatautoError, match="repeat"):
        Functor("F", (Constructor("c", UNIT, 0), Constructor("c", UNIT, 1)))
    with pytest.raises(CatautoError, match="no constructors"):
        Functor("F", ())
    with pytest.raises(CatautoError, match="input alphabet"):
        MooreF(None)
    with pytest.raises(CatautoError, match="input alphabet"):
        MealyF(None)


@pytest.mark.parametrize("kids", ["a", [0], 3, None])
def test_kids_must_be_a_tuple(kids):
    with pytest.raises(CatautoError, match="the kids of a Layer must be a tuple"):
        ListF().check(Layer("cons", 1, kids))
    with pytest.raises(CatautoError, match="the kids of a Layer must be a tuple"):
        ListF().fmap(lambda x: x, Layer("cons", 1, kids))


def test_constructor_specs_must_be_constructors():
    with pytest.raises(CatautoError, match=r"must be Constructor\(name, labels, arity\), got \("):
        Functor("F", [("nil", None, 0)])
