"""Laws of Para: associativity and units up to parameter isomorphisms, interchange,
contravariant reparametrisation, tying as reparametrisation by Δ, comonoid laws."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from catauto import CatautoError
from catauto.para import (
    Para,
    Reparam,
    assoc,
    copy,
    delete,
    lunitor,
    register_split,
    split_key,
    swap,
    tensor,
    unassoc,
    unitor,
)

D = 3


def affine(d_in: int = D, d_out: int = D) -> Para:
    """x -> W x + b with W, b drawn from the (int) key."""

    def init(key):
        rng = np.random.default_rng(key)
        return (rng.normal(size=(d_out, d_in)), rng.normal(size=d_out))

    return Para(init, lambda p, x: p[0] @ x + p[1])


seeds = st.integers(0, 2**32 - 1)
vectors = arrays(np.float64, D, elements=st.floats(-10, 10))
f, g, h, k = affine(), affine(), affine(), affine()


def close(a, b) -> bool:
    if isinstance(a, tuple):
        return isinstance(b, tuple) and len(a) == len(b) and all(map(close, a, b))
    return np.allclose(a, b)


def shuffle(p):
    """((pf, pg), (ph, pk)) -> ((pf, ph), (pg, pk)): the interchange isomorphism."""
    (pf, pg), (ph, pk) = p
    return ((pf, ph), (pg, pk))


@given(seeds, vectors)
def test_sequential_matches_matrix_reference(seed, x):
    p = (f >> g).init(seed)
    (wf, bf), (wg, bg) = p
    assert np.allclose((f >> g)(p, x), wg @ (wf @ x + bf) + bg)


@given(seeds, vectors, vectors)
def test_parallel_matches_componentwise_reference(seed, x, y):
    p = (f @ g).init(seed)
    pf, pg = p
    assert not np.allclose(pf[0], pg[0])  # the two sides get their own parameters
    assert close((f @ g)(p, (x, y)), (f(pf, x), g(pg, y)))
    assert close((f @ g)(p, (x, y)), (pf[0] @ x + pf[1], pg[0] @ y + pg[1]))


@given(seeds, vectors)
def test_associativity_up_to_assoc(seed, x):
    left, right = (f >> g) >> h, f >> (g >> h)
    p = left.init(seed)
    assert np.allclose(left(p, x), right(assoc(p), x))
    assert np.allclose(left(unassoc(assoc(p)), x), right(assoc(p), x))
    # the same law as an equation of 1-cells: left == right reparametrised by assoc
    assert np.allclose(left(p, x), right.reparam(Reparam(left.init, assoc))(p, x))


@given(seeds, vectors)
def test_unit_laws(seed, x):
    ident = Para.identity()
    p = f.init(seed)
    assert np.allclose((f >> ident)((p, ()), x), f(p, x))
    assert np.allclose((ident >> f)(((), p), x), f(p, x))
    assert np.allclose((f >> ident)((p, ()), x), f(unitor((p, ())), x))
    assert np.allclose((ident >> f)(((), p), x), f(lunitor(((), p)), x))


@given(seeds, vectors, vectors)
def test_interchange(seed, x, y):
    left = (f @ g) >> (h @ k)
    right = (f >> h) @ (g >> k)
    p = left.init(seed)
    assert close(left(p, (x, y)), right(shuffle(p), (x, y)))


@given(seeds, vectors, vectors)
def test_tensor_is_functorial_in_each_side(seed, x, y):
    ident = Para.identity()
    p = f.init(seed)
    assert close((f @ ident)((p, ()), (x, y)), (f(p, x), y))
    # identity ⊗ identity is the identity on pairs
    assert close((ident @ ident)(((), ()), (x, y)), (x, y))


@given(vectors, st.floats(-3, 3), st.floats(-3, 3))
def test_reparam_is_contravariant(x, a, c):
    r1 = Reparam(f.init, lambda q: (a * q[0], q[1] + a))  # P -> P: rescale the weights
    r2 = Reparam(lambda key: c, lambda s: (s * np.eye(D), np.full(D, s)))  # R -> P
    lhs = f.reparam(r1).reparam(r2)
    rhs = f.reparam(r1.after(r2))
    assert lhs.init(0) == rhs.init(0) == c
    assert np.allclose(lhs(c, x), rhs(c, x))
    assert np.allclose(lhs(c, x), a * c * x + c + a)  # independent reference


@given(seeds, vectors, vectors)
def test_tie_is_reparam_by_copy(seed, x, y):
    for two, inp in ((f >> f, x), (f @ f, (x, y))):
        tied = two.tie()
        by_copy = two.reparam(Reparam(lambda key, two=two: two.init(key)[0], copy))
        p = tied.init(seed)
        assert close(p, by_copy.init(seed))
        assert close(tied(p, inp), two((p, p), inp))
        assert close(tied(p, inp), by_copy(p, inp))
    p = f.init(seed)
    assert np.allclose((f >> f).tie()(p, x), f(p, f(p, x)))


params = st.recursive(st.integers() | st.just(()), lambda kids: st.tuples(kids, kids), max_leaves=6)


@given(params)
def test_comonoid_laws(p):
    ident = lambda q: q  # noqa: E731
    assert unitor(tensor(ident, delete)(copy(p))) == p  # right counit
    assert lunitor(tensor(delete, ident)(copy(p))) == p  # left counit
    assert assoc(tensor(copy, ident)(copy(p))) == tensor(ident, copy)(copy(p))
    assert swap(copy(p)) == copy(p)
    assert delete(p) == ()
    # naturality of Δ and ! for any parameter map r
    r = lambda q: (q, q, 1)  # noqa: E731
    assert copy(r(p)) == tensor(r, r)(copy(p))
    assert delete(r(p)) == delete(p)


@given(params, params, params)
def test_structural_isomorphisms_are_inverse(p, q, r):
    assert unassoc(assoc(((p, q), r))) == ((p, q), r)
    assert assoc(unassoc((p, (q, r)))) == (p, (q, r))
    assert swap(swap((p, q))) == (p, q)


def test_lift_embed_discard_and_callables():
    sq = Para.lift(lambda x: x * x)
    assert Para.embed is Para.lift
    assert sq.init(0) == () and sq((), 3) == 9
    assert Para.discard()((), 42) == ()
    net = sq >> (lambda x: x + 1)  # plain callables are lifted
    assert net(net.init(1), 3) == 10
    with pytest.raises(CatautoError, match="not callable"):
        sq >> 3  # noqa: B018
    with pytest.raises(CatautoError, match="Reparam"):
        sq.reparam(lambda q: q)


def test_keys_split_deterministically_and_differently():
    assert split_key(7, 3) == split_key(7, 3)
    assert len(set(split_key(7, 3))) == 3
    p1, p2 = (f >> g).init(5)
    assert not np.allclose(p1[0], p2[0])  # children get different keys
    assert close((f >> g).init(5), (f >> g).init(5))
    assert close((f >> g).init(np.int64(5)), (f >> g).init(5))
    gen_key = np.random.default_rng(0)
    assert len(split_key(gen_key, 2)) == 2
    with pytest.raises(CatautoError, match="cannot split key"):
        split_key("seed", 2)


def test_register_split_is_pluggable():
    class Token(str):
        pass

    register_split(Token, lambda k, n: [Token(f"{k}/{i}") for i in range(n)])
    seen = Para(lambda key: str(key), lambda p, x: x)
    assert (seen >> seen).init(Token("k")) == ("k/0", "k/1")


def test_tie_and_int_keys_fail_clearly():
    with pytest.raises(CatautoError, match=r"tie needs a Para whose parameter is a pair \(p, p\)"):
        Para.lift(abs).tie().init(0)  # parameter ()
    scale = Para(lambda key: 2.0, lambda p, x: p * x)
    with pytest.raises(CatautoError, match=r"parameter is a pair \(p, p\), got 2.0"):
        scale.tie().init(0)
    assert (scale >> scale).tie().init(0) == 2.0
    with pytest.raises(CatautoError, match=r"int keys \(seeds\) must be in 0..2\*\*32-1, got -1"):
        (scale >> scale).init(-1)
    with pytest.raises(CatautoError, match=r"must be in 0..2\*\*32-1"):
        split_key(np.int64(-3), 2)
    with pytest.raises(CatautoError, match=r"must be in 0..2\*\*32-1"):
        (scale >> scale).init(2**40)  # as a layer's JAX seed would be
