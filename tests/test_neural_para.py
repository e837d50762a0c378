"""Para over JAX is the core's Para: JAX keys split through the registered splitter,
parameters are pytrees, and apply/init work under jit, grad and vmap."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import catauto.para
from catauto import CatautoError
from catauto.neural import Para, as_key, dense, elman, gru, init_params, lstm, mlp, n_params
from catauto.para import assoc, split_key

seeds = st.integers(0, 2**31 - 1)


def test_the_jax_para_is_the_core_para():
    assert Para is catauto.para.Para


def test_jax_keys_split_through_the_registered_splitter():
    k = jax.random.key(0)
    kids = split_key(k, 3)
    assert len(kids) == 3
    data = [tuple(np.asarray(jax.random.key_data(c)).ravel()) for c in kids]
    assert len(set(data)) == 3
    raw = split_key(jax.random.PRNGKey(0), 2)  # raw uint32[2] keys too
    assert np.asarray(raw[0]).shape == (2,)
    with pytest.raises(CatautoError, match="expected a jax.random key"):
        as_key("seed")


@settings(max_examples=10, deadline=None)
@given(seed=seeds)
def test_composite_init_is_deterministic_and_uses_distinct_keys(seed):
    net = dense(3, 3) >> dense(3, 3)
    p1, p2 = net.init(jax.random.key(seed)), net.init(jax.random.key(seed))
    assert all(np.array_equal(a, b) for a, b in zip(jax.tree.leaves(p1), jax.tree.leaves(p2)))
    assert not np.allclose(p1[0]["w"], p1[1]["w"])  # the two layers got different keys
    q = init_params(net, seed)  # an int seed goes through jax.random.key
    assert jax.tree.structure(q) == jax.tree.structure(p1)


F, G, H = dense(3, 4, jnp.tanh), dense(4, 4, jnp.tanh), dense(4, 2)
LEFT, RIGHT = jax.jit(((F >> G) >> H).apply), jax.jit((F >> (G >> H)).apply)
INIT = jax.jit(((F >> G) >> H).init)


@settings(max_examples=10, deadline=None)
@given(seed=seeds)
def test_associativity_up_to_assoc_under_jit(seed):
    p = INIT(jax.random.key(seed))
    x = jax.random.normal(jax.random.key(seed + 1), (5, 3))
    np.testing.assert_allclose(LEFT(p, x), RIGHT(assoc(p), x), rtol=1e-6)


@jax.jit
def _tie_and_vmap(key):
    cell = elman(2, 3)
    net = Para(cell.init, lambda p, hx: cell.apply(p, (cell.apply(p, hx), hx[1])))
    two = Para(
        lambda key: (cell.init(key), cell.init(key)),
        lambda pq, hx: cell.apply(pq[1], (cell.apply(pq[0], hx), hx[1])),
    )
    p = cell.init(key)
    hx = (jnp.zeros((4, 3)), jnp.ones((4, 2)))
    outs = (net.apply(p, hx), two.tie().apply(p, hx))
    g = jax.grad(lambda q: two.tie().apply(q, hx).sum())(p)
    g2 = jax.grad(lambda pq: two.apply(pq, hx).sum())((p, p))
    ensemble = jax.vmap(cell.init)(jax.random.split(key, 6))
    many = jax.vmap(cell.apply, in_axes=(0, None))(ensemble, hx)
    return outs, g, g2, ensemble, many


def test_grad_vmap_and_tie_on_pytrees():
    (a, b), g, (g_first, g_second), ensemble, many = _tie_and_vmap(jax.random.key(0))
    np.testing.assert_allclose(a, b, rtol=1e-6)  # tie() feeds one p to both copies
    for x, y, z in zip(*(jax.tree.leaves(t) for t in (g, g_first, g_second))):
        np.testing.assert_allclose(x, y + z, rtol=1e-5, atol=1e-7)
    assert ensemble["wh"].shape == (6, 3, 3) and many.shape == (6, 4, 3)
    assert not np.allclose(ensemble["wh"][0], ensemble["wh"][1])


@jax.jit
def _cells(key):
    x, h = jnp.ones((2, 4)), jnp.zeros((2, 5))
    return (
        gru(4, 5).apply(gru(4, 5).init(key), (h, x)),
        lstm(4, 5).apply(lstm(4, 5).init(key), ((h, h), x)),
        mlp([4, 8, 2]).apply(mlp([4, 8, 2]).init(key), x),
        elman(4, 5).init(key),
    )


def test_cells_shapes_and_parameter_counts():
    g, (h, c), m, p = _cells(jax.random.key(0))
    assert g.shape == h.shape == c.shape == (2, 5) and m.shape == (2, 2)
    assert n_params(p) == 4 * 5 + 5 * 5 + 5


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_numpy_and_jax_int_seeds_are_seeds(seed):
    data = jax.random.key_data(jax.random.key(seed))
    for s in (seed, np.uint32(seed), jnp.uint32(seed)):
        assert np.array_equal(jax.random.key_data(as_key(s)), data)
    net = dense(2, 3) >> dense(3, 1)  # a composite splits a JAX int as it splits the int
    assert leaves_equal(net.init(jnp.uint32(seed)), net.init(seed))


def leaves_equal(a, b):
    return all(np.array_equal(x, y) for x, y in zip(jax.tree.leaves(a), jax.tree.leaves(b)))


@pytest.mark.parametrize("seed", [-1, 2**32, 2**32 + 3, np.int64(-5), jnp.int32(-1)])
def test_seeds_outside_32_bits_are_refused_not_wrapped(seed):
    with pytest.raises(CatautoError, match=r"seeds\) must be in 0\.\.2\*\*32-1"):
        as_key(seed)
    with pytest.raises(CatautoError, match="seeds"):
        dense(2, 3).init(seed)


def test_vmapped_int_seeds_are_seeds():
    keys = jax.vmap(lambda s: jax.random.key_data(as_key(s)))(jnp.arange(3))
    assert np.array_equal(keys[2], jax.random.key_data(jax.random.key(2)))
    # a composite splits an int seed as an int: a traced one cannot be, so it is refused
    net = dense(2, 3) >> dense(3, 1)
    with pytest.raises(CatautoError, match="vmap over jax.random.key"):
        jax.vmap(net.init)(jnp.arange(3))
