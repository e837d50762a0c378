"""Folds, unfolds and initial algebras: the fold equations, uniqueness, fusion, Lambek,
hylo = cata ∘ ana, and the flattened forest that the neural fold reuses."""

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catauto import CatautoError
from catauto.algebra import (
    Algebra,
    Leaf,
    Node,
    ana,
    cata,
    flatten_forest,
    fold,
    foldl,
    hylo,
    lists,
    naturals,
    refold,
    trees,
    unfold,
)
from catauto.algebra import terms as term_algebra
from catauto.functor import Layer, ListF, NatF, TreeF
from strategies_core import (
    FINITE,
    INITIAL,
    P,
    label_code,
    layers,
    list_values,
    nat_values,
    numeric_algebra,
    small_ints,
    terms,
    tree_values,
)

weights = st.lists(st.integers(0, P - 1), min_size=2, max_size=2)
ALL = INITIAL + [(term_algebra(F), terms(F)) for F in FINITE]
ids = [f"{I.name}" for I, _ in ALL]


def reference_cata(alg, x, initial):
    """The fold equation read as a recursive definition: an independent second algorithm."""
    layer = initial.project(x)
    return alg(
        Layer(layer.con, layer.label, tuple(reference_cata(alg, k, initial) for k in layer.kids))
    )


@pytest.mark.parametrize("initial, values", ALL, ids=ids)
@settings(max_examples=25)
@given(data=st.data(), w=weights)
def test_fold_equation(initial, values, data, w):
    F = initial.functor
    alg = numeric_algebra(F, w)
    layer = data.draw(layers(F, values))
    h = lambda x: cata(alg, x, initial)  # noqa: E731
    assert h(initial.embed(layer)) == alg(F.fmap(h, layer))


@pytest.mark.parametrize("initial, values", ALL, ids=ids)
@settings(max_examples=25)
@given(data=st.data(), w=weights)
def test_fold_is_unique(initial, values, data, w):
    alg = numeric_algebra(initial.functor, w)
    x = data.draw(values)
    assert cata(alg, x, initial) == reference_cata(alg, x, initial)


def rec_sum(xs):
    return 0 if not xs else xs[0] + rec_sum(xs[1:])


def rec_height(t):
    return 0 if isinstance(t, Leaf) else 1 + max(rec_height(t.left), rec_height(t.right))


@given(xs=list_values, t=tree_values, n=nat_values)
@settings(max_examples=60)
def test_hand_written_recursions_equal_cata(xs, t, n):
    L, T = ListF(), TreeF()
    total = Algebra(L, lambda l: 0 if l.con == "nil" else l.label + l.kids[0], "int")
    length = Algebra(L, lambda l: 0 if l.con == "nil" else 1 + l.kids[0])
    height = Algebra(T, lambda l: 0 if l.con == "leaf" else 1 + max(l.kids))
    double = Algebra(NatF, lambda l: 0 if l.con == "zero" else l.kids[0] + 2)
    assert cata(total, xs, lists()) == rec_sum(xs) == sum(xs)
    assert fold(length, xs, lists()) == len(xs)
    assert cata(height, t, trees()) == rec_height(t)
    assert cata(double, n, naturals) == 2 * n


@pytest.mark.parametrize("initial, values", ALL, ids=ids)
@settings(max_examples=25)
@given(data=st.data())
def test_lambek(initial, values, data):
    x = data.draw(values)
    assert initial.embed(initial.project(x)) == x
    layer = data.draw(layers(initial.functor, values))
    assert initial.project(initial.embed(layer)) == layer
    assert initial.from_term(initial.to_term(x)) == x


def check_fusion(h, f, g, initial, xs, layer_values):
    """Premise h ∘ f = g ∘ fmap(h) on sample layers, then the conclusion on sample values."""
    F = initial.functor
    for layer in layer_values:
        assert h(f(layer)) == g(F.fmap(h, layer))
    for x in xs:
        assert h(cata(f, x, initial)) == cata(g, x, initial)


@settings(max_examples=40)
@given(
    k=st.integers(-4, 4),
    xs=st.lists(list_values, max_size=4),
    ls=st.lists(layers(ListF(), small_ints), max_size=4),
)
def test_fusion_lists(k, xs, ls):
    f = lambda l: 0 if l.con == "nil" else l.label + l.kids[0]  # noqa: E731  sum
    g = lambda l: 0 if l.con == "nil" else k * l.label + l.kids[0]  # noqa: E731
    check_fusion(lambda y: k * y, f, g, lists(), xs, ls)


@settings(max_examples=40)
@given(
    ts=st.lists(tree_values, max_size=4),
    ls=st.lists(layers(TreeF(), st.lists(small_ints, max_size=3).map(tuple)), max_size=4),
)
def test_fusion_trees(ts, ls):
    leaves = lambda l: (l.label,) if l.con == "leaf" else l.kids[0] + l.kids[1]  # noqa: E731
    count = lambda l: 1 if l.con == "leaf" else l.kids[0] + l.kids[1]  # noqa: E731
    check_fusion(len, leaves, count, trees(), ts, ls)


@settings(max_examples=40)
@given(ns=st.lists(nat_values, max_size=4), ls=st.lists(layers(NatF, nat_values), max_size=4))
def test_fusion_naturals_with_embed(ns, ls):
    # cata(embed) = id, so fusion says any h with h ∘ embed = g ∘ fmap(h) is cata(g).
    g = lambda l: 0 if l.con == "zero" else l.kids[0] + 3  # noqa: E731
    check_fusion(lambda n: 3 * n, naturals.embed, g, naturals, ns, ls)


def test_fusion_premise_failing_is_detected():
    # Squaring does not commute with the sum algebra: the premise (and conclusion) fail.
    f = lambda l: 0 if l.con == "nil" else l.label + l.kids[0]  # noqa: E731
    g = lambda l: 0 if l.con == "nil" else l.label**2 + l.kids[0]  # noqa: E731
    assert cata(f, (1, 2), lists()) ** 2 != cata(g, (1, 2), lists())


def count_down(n):
    return Layer("nil") if n <= 0 else Layer("cons", n % 7, (n - 1,))


def split(seed):
    lo, hi = seed
    if hi - lo <= 1:
        return Layer("leaf", lo)
    mid = (lo + hi) // 2
    return Layer("node", None, ((lo, mid), (mid, hi)))


def nat_coalg(n):
    return Layer("zero") if n == 0 else Layer("succ", None, (n - 1,))


COALGEBRAS = [
    (naturals, nat_coalg, nat_values),
    (lists(), count_down, st.integers(0, 30)),
    (
        trees(),
        split,
        st.tuples(st.integers(0, 10), st.integers(1, 10)).map(lambda p: (p[0], p[0] + p[1])),
    ),
]


@pytest.mark.parametrize("initial, coalg, seeds", COALGEBRAS, ids=lambda x: getattr(x, "name", ""))
@settings(max_examples=25)
@given(data=st.data(), w=weights)
def test_hylo_is_cata_after_ana(initial, coalg, seeds, data, w):
    alg = numeric_algebra(initial.functor, w)
    seed = data.draw(seeds)
    built = ana(coalg, seed, initial)
    assert hylo(alg, coalg, seed) == refold(alg, coalg, seed) == cata(alg, built, initial)
    # the unfold equation: project ∘ ana = fmap(ana) ∘ coalg
    F = initial.functor
    assert initial.project(built) == F.fmap(lambda s: unfold(coalg, s, initial), coalg(seed))
    # generic terms: the same unfold, carried by nested layers
    assert cata(alg, ana(coalg, seed, F), F) == cata(alg, built, initial)
    # the specialised list loops agree with the generic stack machine
    assert hylo(initial.embed, coalg, seed) == built
    assert hylo(alg, initial.project, built) == cata(alg, built, initial)


@pytest.mark.parametrize("F", FINITE, ids=lambda F: repr(F.signature))
@settings(max_examples=25)
@given(data=st.data(), w=weights)
def test_hylo_on_generic_terms(F, data, w):
    # Terms are a coalgebra via project (identity), so hylo(alg, project) = cata(alg).
    alg = numeric_algebra(F, w)
    t = data.draw(terms(F))
    assert hylo(alg, F.check, t) == cata(alg, t, F) == cata(Algebra(F, alg), t)
    assert ana(F.check, t) == t


def test_deep_structures_do_not_recurse():
    n = 100_000
    xs = tuple(range(n))
    total = lambda l: 0 if l.con == "nil" else l.label + l.kids[0]  # noqa: E731
    assert cata(total, xs, lists()) == n * (n - 1) // 2
    assert ana(count_down, n, lists()) == tuple(k % 7 for k in range(n, 0, -1))
    assert cata(lambda l: 0 if l.con == "zero" else l.kids[0] + 1, n, naturals) == n
    assert foldl(lambda h, x: h + x, 0, xs) == n * (n - 1) // 2
    m = 20_000  # far past the recursion limit, kept small for the generic (slower) path
    assert sys.getrecursionlimit() < m
    deep = ana(nat_coalg, m, NatF)  # a generic term m layers deep
    assert naturals.from_term(deep) == m
    forest = flatten_forest([deep, naturals.to_term(3)], NatF)
    assert forest.n_nodes == m + 5 and forest.height.max() == m
    del deep, forest  # freeing a deep chain must not crash either


def test_foldl_is_fold_of_reversed_list():
    cell = lambda h, x: (3 * h + x) % 101  # noqa: E731
    for xs in [(), (1,), (4, 0, 2, 9)]:
        right = cata(lambda l: 5 if l.con == "nil" else cell(l.kids[0], l.label), xs[::-1], lists())
        assert foldl(cell, 5, xs) == right


def test_errors_name_the_problem():
    with pytest.raises(CatautoError, match="naturals: expected an int >= 0, got -1"):
        cata(lambda l: 0, -1, naturals)
    with pytest.raises(CatautoError, match="lists: expected a tuple"):
        cata(lambda l: 0, [1, 2], lists())
    with pytest.raises(CatautoError, match="label 'z' not in"):
        cata(lambda l: 0, ("a", "z"), lists("ab"))
    with pytest.raises(CatautoError, match="trees: expected a Leaf or Node"):
        cata(lambda l: 0, (1, 2), trees())
    with pytest.raises(CatautoError, match="TreeF"):
        cata(Algebra(TreeF(), lambda l: 0), (1,), lists())
    with pytest.raises(CatautoError, match="max_layers=50"):
        ana(lambda n: Layer("succ", None, (n,)), 0, naturals, max_layers=50)
    with pytest.raises(CatautoError, match="max_layers=50"):
        ana(lambda n: Layer("cons", n, (n,)), 0, lists(), max_layers=50)
    with pytest.raises(CatautoError, match="expected a Layer"):
        hylo(lambda l: 0, lambda n: n, 3)
    with pytest.raises(CatautoError, match="unknown constructor 'succ'"):
        cata(lambda l: 0, Layer("succ", None, (Layer("zero"),)), ListF())


def vectorised_level_fold(forest, w):
    """The numeric algebra of strategies_core, one numpy step per level (as the neural fold)."""
    codes = np.array([label_code(x) for x in forest.label], dtype=np.int64)
    vals = np.zeros(forest.n_nodes, dtype=np.int64)
    coef = np.arange(forest.kids.shape[1], dtype=np.int64) + 2
    for h in range(len(forest.levels) - 1):
        sl = slice(forest.levels[h], forest.levels[h + 1])
        kids = forest.kids[sl]
        kid_vals = np.where(kids >= 0, vals[np.maximum(kids, 0)], 0)
        vals[sl] = (np.asarray(w)[forest.con[sl]] + codes[sl] + kid_vals @ coef) % P
    return vals[forest.roots].tolist()


@pytest.mark.parametrize("initial, values", ALL, ids=ids)
@settings(max_examples=25)
@given(data=st.data(), w=weights)
def test_flattened_forest_folds_like_cata(initial, values, data, w):
    xs = data.draw(st.lists(values, max_size=5))
    forest = flatten_forest(xs, initial)
    alg = numeric_algebra(initial.functor, w)
    expected = [cata(alg, x, initial) for x in xs]
    assert forest.fold(alg) == expected
    assert vectorised_level_fold(forest, w) == expected
    # children come before parents, on strictly lower levels; levels partition the nodes
    n = forest.n_nodes
    assert np.all(np.diff(forest.height) >= 0) and forest.levels[-1] == n
    for i in range(n):
        arity = forest.functor.constructors[forest.con[i]].arity
        real = forest.kids[i, :arity]
        assert np.all(forest.kids[i, arity:] == -1) and np.all((0 <= real) & (real < i))
        assert np.all(forest.height[real] < forest.height[i])
        assert forest.height[i] == (1 + forest.height[real].max() if arity else 0)
    assert [initial.from_term(t) for t in _terms_of(forest)] == xs


def _terms_of(forest):
    """Rebuild generic terms from the arrays (checks nothing was lost in flattening)."""
    built = []
    for i in range(forest.n_nodes):
        c = forest.functor.constructors[forest.con[i]]
        built.append(
            Layer(c.name, forest.label[i], tuple(built[k] for k in forest.kids[i, : c.arity]))
        )
    return [built[r] for r in forest.roots]


def test_empty_forest():
    f = flatten_forest([], lists())
    assert f.n_nodes == 0 and f.kids.shape == (0, 1) and f.roots.tolist() == []
    assert f.fold(lambda l: 0) == []


def test_tree_forest_shares_nothing_and_orders_levels():
    t = Node(Node(Leaf(1), Leaf(2)), Leaf(3))
    f = flatten_forest([t, Leaf(4)], trees())
    assert f.height.tolist() == [0, 0, 0, 0, 1, 2]
    assert f.levels.tolist() == [0, 4, 5, 6]
    assert f.label[f.roots].tolist() == [None, 4]


def test_algebra_structure_must_be_callable():
    from catauto.coalgebra import Coalgebra

    msg = r"Algebra\(functor, structure, carrier=None\): structure must be callable, got 'int'"
    with pytest.raises(CatautoError, match=msg):
        Algebra(ListF(), "int", lambda l: 0)  # the order of DESIGN.md's sketch
    with pytest.raises(CatautoError, match=r"Coalgebra\(functor, structure, carrier=None\)"):
        Coalgebra(ListF(), "int", lambda n: Layer("nil"))


def test_unfolds_need_a_tuple_of_kids():
    bad = lambda n: Layer("nil") if n == 0 else Layer("cons", n, n - 1)  # noqa: E731
    with pytest.raises(CatautoError, match="the kids of a Layer must be a tuple"):
        ana(bad, 3, lists())
    with pytest.raises(CatautoError, match="expected a Layer with a tuple of kids"):
        hylo(lambda l: 0, bad, 3)
    with pytest.raises(CatautoError, match="expected a Layer with a tuple of kids"):
        ana(lambda s: Layer("cons", 1, s), "ab")  # a string is not a tuple of kids


@given(n=st.integers(0, 6), max_layers=st.none() | st.integers(0, 8))
def test_list_unfold_counts_layers_like_the_generic_unfold(n, max_layers):
    coalg = lambda k: Layer("nil") if k == 0 else Layer("cons", k, (k - 1,))  # noqa: E731

    def run(initial, back):
        try:
            return back(ana(coalg, n, initial, max_layers=max_layers))
        except CatautoError as e:
            return str(e)

    assert run(lists(), lambda xs: xs) == run(ListF(), lists().from_term)
    assert isinstance(run(lists(), len), str) == (max_layers is not None and max_layers <= n)


def test_naturals_accept_numpy_integers():
    succ = lambda l: 0 if l.con == "zero" else l.kids[0] + 1  # noqa: E731
    assert cata(succ, np.int64(3), naturals) == cata(succ, np.uint8(3), naturals) == 3
    for bad in (True, np.bool_(True), np.int64(-1), 2.0):
        with pytest.raises(CatautoError, match="naturals: expected an int >= 0"):
            cata(succ, bad, naturals)


@settings(max_examples=40)
@given(ts=st.lists(tree_values, max_size=6))
def test_the_tree_flatten_fast_path_agrees_with_the_generic_one(ts):
    """trees() numbers nodes in one loop (issue 18, item 7); the forest it gives has the
    same levels and the same terms as the generic post-order numbering."""
    import dataclasses

    fast = flatten_forest(ts, trees())
    generic = flatten_forest(ts, dataclasses.replace(trees(), flatten=None))
    assert fast.levels.tolist() == generic.levels.tolist()
    assert fast.height.tolist() == generic.height.tolist()
    assert _terms_of(fast) == _terms_of(generic)
    assert sorted(map(repr, fast.label)) == sorted(map(repr, generic.label))


def test_the_tree_flatten_fast_path_checks_its_input():
    with pytest.raises(CatautoError, match="not allowed"):
        flatten_forest([Node(Leaf("a"), Leaf("z"))], trees(("a", "b")))
    with pytest.raises(CatautoError, match="expected a Leaf or Node"):
        flatten_forest([Node(Leaf(1), (2,))], trees())
