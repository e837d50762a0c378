"""Lifted folds: the level-batched fold equals the core's cata; on lists the scan and
the level-batched fold are the same cata, and foldl(xs) == fold(reversed(xs)); weight
tying is the copy map (gradient = sum of per-step gradients); unfolds and Mealy/Moore
runs equal their unrolled loops; buckets do not recompile."""

import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catauto import CatautoError
from catauto.algebra import cata, lists, trees
from catauto.algebra import foldl as core_foldl
from catauto.functor import UNIT, Constructor, Functor, Layer, ListF, NatF, Power, TreeF
from catauto.neural import (
    Para,
    ParaAlgebra,
    constant_state,
    elman,
    embedding,
    fold,
    foldl,
    gru,
    list_algebra,
    lstm,
    mealy_cell,
    moore_cell,
    one_hot,
    pack_forest,
    pack_lists,
    run_mealy,
    run_moore,
    scan,
    stream_prefix,
    tree_algebra,
    tree_lstm,
    tree_rnn,
)
from catauto.testing import terms
from catauto.testing import trees as tree_values

# --- a numeric algebra, for any functor, with an independent pure-Python reference -------

ExprF = Functor(
    "ExprF",
    (
        Constructor("digit", tuple(range(10)), 0),
        Constructor("add", UNIT, 2),
        Constructor("mul", UNIT, 2),
    ),
)
OddF = Functor(  # two nullary constructors, a ternary one, Power and open label sets
    "OddF",
    (
        Constructor("a", ("x", "y", "z"), 0),
        Constructor("b", None, 0),
        Constructor("t", Power(("u", "v"), 2), 3),
        Constructor("s", UNIT, 1),
    ),
)
MOD = 1009.0


def label_code(c: Constructor, label) -> float:
    if isinstance(c.labels, Power):
        return float(sum((r + 1) * c.labels.base.index(a) for r, a in enumerate(label)))
    if isinstance(c.labels, tuple):
        return float(c.labels.index(label))
    return float(label)


def reference(F: Functor):
    """value = (1 + 7 id + 3 code + sum_j (j + 2) kid_j) mod 1009, in Python floats."""

    def alg(layer):
        i = F.index(layer.con)
        c = F.constructors[i]
        v = 1 + 7 * i + 3 * label_code(c, layer.label)
        v += sum((j + 2) * k for j, k in enumerate(layer.kids))
        return v % MOD

    return alg


def numeric_algebra(F: Functor) -> ParaAlgebra:
    def cell(i: int, c: Constructor) -> Para:
        def apply(p, lk):
            labels, kids = lk
            code = labels.astype(jnp.float32)
            if isinstance(c.labels, Power):
                code = (code * jnp.arange(1, c.labels.length + 1)).sum(-1)
            v = 1 + 7 * i + 3 * code
            for j, k in enumerate(kids):
                v = v + (j + 2) * k
            return jnp.mod(v, MOD)

        return Para(lambda key: (), apply)

    return ParaAlgebra.of(F, {c.name: cell(i, c) for i, c in enumerate(F.constructors)})


FUNCTORS = [TreeF(("p", "q")), ListF(("0", "1")), NatF, ExprF, OddF]
ALGEBRAS = {F.name: numeric_algebra(F) for F in FUNCTORS}
FOLDS = {F.name: jax.jit(fold(ALGEBRAS[F.name], via="levels").apply) for F in FUNCTORS}


@pytest.mark.parametrize("F", FUNCTORS, ids=lambda F: F.name)
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_level_fold_equals_core_cata(F, data):
    values = data.draw(st.lists(terms(F, max_nodes=25), min_size=4, max_size=4))
    alg = ALGEBRAS[F.name]
    packed = pack_forest(values, alg, width=8, min_leaves=128, min_steps=32)  # one bucket
    got = np.asarray(FOLDS[F.name](alg.init(0), packed))
    expected = [cata(reference(F), t) for t in values]
    np.testing.assert_array_equal(got, np.array(expected, np.float32))


def test_pack_forest_layout_and_buckets():
    alg = ALGEBRAS["ExprF"]
    t = ExprF.layer
    term = t("add", None, t("digit", 1), t("mul", None, t("digit", 2), t("digit", 3)))
    pf = pack_forest([term, t("digit", 4)], alg)
    assert pf.bucket == (4, 2, 8, 2)  # 4 leaf slots, 2 steps of width 8, 2 roots
    assert pf.n_nodes == 6
    assert pf.leaf_con.tolist() == [0, 0, 0, 0]
    assert pf.leaf_labels["digit"].tolist() == [1, 2, 3, 4]
    # mul is at height 1 (step 0), add at height 2 (step 1); kids are buffer positions
    assert pf.step_con[0, 0] == 2 and pf.step_kids[0, 0].tolist() == [1, 2]
    assert pf.step_con[1, 0] == 1 and pf.step_kids[1, 0].tolist() == [0, 4]
    assert pf.roots.tolist() == [12, 3]
    with pytest.raises(CatautoError, match="power of two"):
        pack_forest([term], alg, width=6)
    with pytest.raises(CatautoError, match="not allowed"):
        pack_forest([Layer("digit", 12)], alg)


# --- trees: batched tree-RNN / Tree-LSTM equal the eager per-node core cata ---------------

H = 8
RNN_ALG = tree_algebra(embedding(10, H), tree_rnn(H), labels=range(10))
LSTM_ALG = tree_algebra(
    Para(
        embedding(10, H).init,
        lambda p, i: (jnp.tanh(p["table"][i]), p["table"][i]),
    ),
    tree_lstm(H),
    labels=range(10),
)
TREE_FOLDS = {
    "rnn": (RNN_ALG, jax.jit(fold(RNN_ALG).apply)),
    "lstm": (LSTM_ALG, jax.jit(fold(LSTM_ALG).apply)),
}


@pytest.mark.parametrize("kind", ["rnn", "lstm"])
@settings(max_examples=5, deadline=None)
@given(ts=st.lists(tree_values(max_leaves=6), min_size=3, max_size=3))
def test_tree_fold_equals_eager_cata(kind, ts):
    alg, f = TREE_FOLDS[kind]
    p = alg.init(jax.random.key(0))
    got = f(p, pack_forest(ts, alg, trees(range(10)), width=8, min_leaves=32, min_steps=8))
    for i, t in enumerate(ts):
        want = alg.cata(p, t, trees(range(10)))
        for g, w in zip(jax.tree.leaves(got), jax.tree.leaves(want)):
            np.testing.assert_allclose(g[i], w, atol=1e-5)


def test_para_algebra_is_the_core_lax_algebra():
    """ParaAlgebra.lax() is the core's LaxAlgebra of the same cells: its fold's square
    commutes up to Δ, and the batched fold equals its fold."""
    p = RNN_ALG.init(jax.random.key(3))
    lax = RNN_ALG.lax()
    lhs, rhs = lax.square()
    t = TreeF(range(10)).layer
    term = t("node", None, t("leaf", 3), t("node", None, t("leaf", 1), t("leaf", 4)))
    np.testing.assert_allclose(lhs(p, term), rhs.reparam(lax.copy)(p, term), atol=1e-6)
    np.testing.assert_allclose(fold(RNN_ALG).apply(p, [term])[0], lhs(p, term), atol=1e-5)


def test_same_bucket_does_not_recompile():
    traces = []

    def loss(p, pf):
        traces.append(1)  # runs only while tracing
        return (fold(RNN_ALG).apply(p, pf) ** 2).sum()

    g = jax.jit(jax.grad(loss))
    p = RNN_ALG.init(jax.random.key(1))
    rng = np.random.default_rng(0)
    from catauto.algebra import Leaf, Node

    def rand_tree(n):
        if n == 1:
            return Leaf(int(rng.integers(10)))
        k = int(rng.integers(1, n))
        return Node(rand_tree(k), rand_tree(n - k))

    buckets = set()
    for _ in range(5):  # different trees, one bucket: traced (and compiled) once
        ts = [rand_tree(int(rng.integers(2, 7))) for _ in range(4)]
        pf = pack_forest(ts, RNN_ALG, trees(range(10)), width=8, min_steps=8)
        g(p, pf)
        buckets.add(pf.bucket)
    assert len(buckets) == 1 and len(traces) == 1


# --- lists: fold means cata whatever the strategy; foldl is fold of the reversed list ----

WORDS = st.lists(st.lists(st.sampled_from("01"), max_size=6), min_size=5, max_size=5)


def _list_algebras():
    return {
        "elman": list_algebra(elman(2, H), constant_state(jnp.zeros(H)), one_hot(2), "01"),
        "gru": list_algebra(gru(2, H), constant_state(jnp.zeros(H)), one_hot(2), "01"),
        "lstm": list_algebra(
            lstm(2, H), constant_state((jnp.zeros(H), jnp.zeros(H))), one_hot(2), "01"
        ),
    }


LIST_ALGS = _list_algebras()
LIST_FOLDS = {  # (fold via scan, fold via levels, foldl), each compiled once
    k: (jax.jit(fold(a).apply), jax.jit(fold(a, via="levels").apply), jax.jit(foldl(a).apply))
    for k, a in LIST_ALGS.items()
}


def _encode(words, width=6):
    W = np.zeros((len(words), width), np.int32)
    for i, w in enumerate(words):
        W[i, : len(w)] = ["01".index(a) for a in w]
    return W, np.array([len(w) for w in words])


def _close(a, b):
    for x, y in zip(jax.tree.leaves(a), jax.tree.leaves(b), strict=True):
        np.testing.assert_allclose(x, y, atol=1e-5)


@pytest.mark.parametrize("kind", ["elman", "gru", "lstm"])
@settings(max_examples=8, deadline=None)
@given(words=WORDS)
def test_list_fold_is_cata_whatever_via(kind, words):
    """fold via scan == fold via levels == the eager core cata, on every list."""
    alg = LIST_ALGS[kind]
    via_scan, via_levels, _ = LIST_FOLDS[kind]
    p = alg.init(jax.random.key(2))
    a = via_scan(p, pack_lists(words, alg, min_length=8))
    b = via_levels(
        p, pack_forest([tuple(w) for w in words], alg, lists("01"), width=8, min_steps=8)
    )
    _close(a, b)
    for i, w in enumerate(words[:2]):  # the per-node reference is slow: two rows suffice
        _close(jax.tree.map(lambda v, i=i: v[i], a), alg.cata(p, tuple(w), lists("01")))


@pytest.mark.parametrize("kind", ["elman", "gru", "lstm"])
@settings(max_examples=8, deadline=None)
@given(words=WORDS)
def test_foldl_is_fold_of_reversed(kind, words):
    """The law foldl(alg, xs) == fold(alg, reversed(xs)), for both fold strategies."""
    alg = LIST_ALGS[kind]
    via_scan, via_levels, left = LIST_FOLDS[kind]
    p = alg.init(jax.random.key(2))
    rev = [tuple(reversed(w)) for w in words]
    a = left(p, pack_lists(words, alg, min_length=8))
    _close(a, via_scan(p, pack_lists(rev, alg, min_length=8)))
    _close(a, via_levels(p, pack_forest(rev, alg, lists("01"), width=8, min_steps=8)))
    _close(a, left(p, _encode(words)))  # encoded by hand: the same map


def test_list_folds_take_labels_through_the_encoder():
    """The scan path takes what the levels path takes: lists of labels, values of lists(),
    generic terms (issue 18: this call raised AttributeError)."""
    alg = LIST_ALGS["elman"]
    p = alg.init(jax.random.key(0))
    words = [("0", "1"), (), ("1", "1", "0")]
    want = fold(alg, via="levels").apply(p, words)
    _close(fold(alg).apply(p, words), want)
    _close(fold(alg, initial=lists("01")).apply(p, words), want)
    generic = [lists("01").to_term(w) for w in words]
    _close(fold(alg).apply(p, generic), want)
    _close(fold(alg, via="levels").apply(p, generic), want)
    _close(foldl(alg).apply(p, [w[::-1] for w in words]), want)
    as_strings = ["01", "", "110"]  # any sequence of labels, on both paths
    _close(fold(alg).apply(p, as_strings), want)
    _close(fold(alg, via="levels").apply(p, iter(as_strings)), want)
    with pytest.raises(CatautoError, match="not in"):
        fold(alg).apply(p, [("0", "2")])


def test_list_folds_of_digits_match_the_core():
    """fold reads right to left (cata), foldl left to right (the core's foldl)."""
    alg = ParaAlgebra.of(
        ListF(),
        {
            "nil": Para.lift(lambda lk: jnp.zeros(lk[0].shape[0])),
            "cons": Para.lift(lambda lk: 10 * lk[1][0] + lk[0]),
        },
    )
    batch = (jnp.array([[1.0, 2, 3], [4, 5, 0]]), [3, 2])
    p = {"nil": (), "cons": ()}
    assert foldl(alg).apply(p, batch).tolist() == [123.0, 45.0]
    assert fold(alg).apply(p, batch).tolist() == [321.0, 54.0]
    assert fold(alg, via="levels").apply(p, [(1.0, 2.0, 3.0), (4.0, 5.0)]).tolist() == [321, 54]
    digits = lambda l: 0 if l.con == "nil" else 10 * l.kids[0] + l.label  # noqa: E731
    assert cata(digits, (1, 2, 3), lists()) == 321
    assert core_foldl(lambda h, x: 10 * h + x, 0, (1, 2, 3)) == 123


# --- weight tying is Δ: gradient through the tied parameter = sum of per-step gradients ----


T_TIE = 4
CELL = elman(3, 4)


def _step(t: int) -> Para:
    """The cell consuming ``x_t``: ``(h, xs) -> (h', xs)``."""
    return Para(CELL.init, lambda q, hx: (CELL.apply(q, (hx[0], hx[1][:, t])), hx[1]))


UNTIED = functools.reduce(lambda f, g: f >> g, [_step(t) for t in range(T_TIE)])
TIED = _step(0)
for _t in range(1, T_TIE):
    TIED = (TIED >> _step(_t)).tie()  # Δ: one parameter feeds both sides


def _copies(q):
    """The parameter of UNTIED, ((q, q), q)..., with every slot equal to q."""
    out = q
    for _ in range(1, T_TIE):
        out = (out, q)
    return out


def _losses(q, xs):
    h0 = jnp.zeros((2, 4))
    alg = list_algebra(CELL, constant_state(jnp.zeros(4)))
    fold_loss = lambda q: foldl(alg).apply({"nil": (), "cons": (q, ())}, xs).sum()  # noqa: E731
    tied_loss = lambda q: TIED.apply(q, (h0, xs))[0].sum()  # noqa: E731
    untied_loss = lambda qs: UNTIED.apply(qs, (h0, xs))[0].sum()  # noqa: E731
    values = (fold_loss(q), untied_loss(_copies(q)))
    grads = (jax.grad(fold_loss)(q), jax.grad(tied_loss)(q), jax.grad(untied_loss)(_copies(q)))
    return values, grads


LOSSES = jax.jit(_losses)


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**16))
def test_tied_gradient_is_sum_of_untied_gradients(seed):
    p = CELL.init(jax.random.key(seed))
    xs = jax.random.normal(jax.random.key(seed + 1), (2, T_TIE, 3))
    (v_fold, v_untied), (g_fold, g_tied, g_untied) = LOSSES(p, xs)
    np.testing.assert_allclose(v_fold, v_untied, rtol=1e-5)
    per_step, node = [], g_untied
    for _ in range(1, T_TIE):
        node, last = node
        per_step.append(last)
    per_step.append(node)
    g_sum = jax.tree.map(lambda *gs: sum(gs), *per_step)
    for a, b, c in zip(jax.tree.leaves(g_fold), jax.tree.leaves(g_tied), jax.tree.leaves(g_sum)):
        np.testing.assert_allclose(a, c, rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(b, c, rtol=1e-4, atol=1e-6)
    assert not np.allclose(jax.tree.leaves(per_step[0])[0], jax.tree.leaves(per_step[-1])[0])


# --- unfolds, Mealy and Moore runs equal their Python loops --------------------------------


def test_stream_prefix_equals_python_iteration():
    coalg = Para(lambda key: 0.5, lambda p, h: (jnp.sin(h), p * h + 1.0))
    h0 = jnp.array([0.0, 1.0, -2.0])
    ys = stream_prefix(coalg, 6).apply(0.5, h0)
    h, want = h0, []
    for _ in range(6):
        y, h = coalg.apply(0.5, h)
        want.append(y)
    np.testing.assert_allclose(ys, jnp.stack(want, 1), rtol=1e-6)


MEALY_CELL = mealy_cell(2, H, 3)
MOORE_TRANS, MOORE_READ = moore_cell(2, H, 3)
START = constant_state(jnp.zeros(H))
MEALY, MOORE = run_mealy(MEALY_CELL, START), run_moore(MOORE_TRANS, MOORE_READ, START)
MP, OP = MEALY.init(jax.random.key(3)), MOORE.init(jax.random.key(4))


@jax.jit
def _runs_and_loops(x, lengths):
    """Both runs, and the same maths unrolled in a Python loop (t by t, no scan)."""
    ys, zs = MEALY.apply(MP, (x, lengths)), MOORE.apply(OP, (x, lengths))
    h = g = jnp.zeros((x.shape[0], H))
    loop_y, loop_z = [], [MOORE_READ.apply(OP[2], g)]
    for t in range(x.shape[1]):
        live = (t < lengths)[:, None]
        h_new, y = MEALY_CELL.apply(MP[1], (h, x[:, t]))
        h = jnp.where(live, h_new, h)
        g = jnp.where(live, MOORE_TRANS.apply(OP[1], (g, x[:, t])), g)
        loop_y.append(y)
        loop_z.append(MOORE_READ.apply(OP[2], g))
    return ys, zs, jnp.stack(loop_y, 1), jnp.stack(loop_z, 1)


@settings(max_examples=8, deadline=None)
@given(words=WORDS)
def test_mealy_and_moore_runs_equal_unrolled_loops(words):
    W, lengths = _encode(words)
    ys, zs, loop_y, loop_z = _runs_and_loops(jax.nn.one_hot(W, 2), lengths)
    assert ys.shape == (5, 6, 3) and zs.shape == (5, 7, 3)
    live = np.arange(6) < lengths[:, None]
    np.testing.assert_allclose(np.asarray(ys)[live], np.asarray(loop_y)[live], atol=1e-5)
    np.testing.assert_allclose(zs, loop_z, atol=1e-5)
    for i, n in enumerate(lengths):  # a Moore output stays put after the word's end
        np.testing.assert_allclose(zs[i, n:], np.broadcast_to(zs[i, n], zs[i, n:].shape))


def test_scan_masks_by_length_and_keeps_pytrees():
    step = lambda p, h, x: ((h[0] + x, h[1] * 2), h[0])  # noqa: E731
    h, ys = scan(step, None, (jnp.zeros(2), jnp.ones(2)), jnp.ones((2, 4)), jnp.array([4, 2]))
    assert h[0].tolist() == [4.0, 2.0] and h[1].tolist() == [16.0, 4.0]
    assert ys.shape == (2, 4)


def test_algebra_needs_one_cell_per_constructor():
    with pytest.raises(CatautoError, match="one cell per constructor"):
        ParaAlgebra.of(TreeF(), {"leaf": Para.identity()})
    with pytest.raises(CatautoError, match="list functor"):
        fold(RNN_ALG, via="scan")
    with pytest.raises(CatautoError, match="list functor"):
        foldl(RNN_ALG)
