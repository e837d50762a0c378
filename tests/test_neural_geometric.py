"""Geometric layers are homomorphisms of group actions (checked with the core's
``is_homomorphism`` on JAX arrays), their linear parts lie in the core's solved
equivariant basis, and a plain dense layer fails the same check."""

import inspect

import jax
import jax.numpy as jnp
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from catauto.monad import (
    check_action_laws,
    cyclic,
    equivariant_basis,
    is_homomorphism,
    is_invariant,
    permutation_action,
    symmetric,
)
from catauto.monad import deepsets as core_deepsets
from catauto.neural import (
    circular_conv,
    deepsets,
    dense,
    graph_action,
    message_passing,
    set_action,
    sum_pool,
)

N = 5
SHIFT = permutation_action(cyclic(N))
S4 = symmetric(4)
seeds = st.integers(0, 2**31 - 1)


def normal(seed, shape):
    return jax.random.normal(jax.random.key(seed), shape)


def in_span(M: np.ndarray, basis: list[np.ndarray]) -> bool:
    B = np.stack([b.ravel() for b in basis], 1)
    coef, *_ = np.linalg.lstsq(B, M.ravel(), rcond=None)
    return np.allclose(B @ coef, M.ravel(), atol=1e-5)


CONV = circular_conv(N, 2, 3)
CONV_APPLY, CONV_INIT = jax.jit(CONV.apply), jax.jit(CONV.init)


@settings(max_examples=10, deadline=None)
@given(seed=seeds)
def test_circular_conv_commutes_with_cyclic_shifts(seed):
    p = CONV_INIT(jax.random.key(seed))
    x = normal(seed + 1, (4, 2, N))
    assert is_homomorphism(lambda v: CONV_APPLY(p, v), SHIFT, SHIFT, [x], atol=1e-5)


def test_dense_layer_is_not_shift_equivariant():
    layer = dense(N, N)
    p = layer.init(jax.random.key(0))
    x = normal(1, (3, N))
    assert not is_homomorphism(lambda v: layer.apply(p, v), SHIFT, SHIFT, [x], atol=1e-5)


def test_circular_conv_weights_are_the_solved_circulant_basis():
    basis = equivariant_basis(SHIFT, SHIFT, N)
    assert len(basis) == N  # one weight per shift, as circular_conv has
    conv = circular_conv(N)
    p = conv.init(jax.random.key(3))
    p = {"w": p["w"], "b": jnp.zeros(1)}
    M = np.stack([np.asarray(conv.apply(p, e[None]))[0] for e in np.eye(N)], 1)  # columns
    assert in_span(M, basis)


DEEPSETS = {pool: deepsets(3, 2, pool) for pool in ("mean", "sum")}
DS_APPLY = {pool: jax.jit(layer.apply) for pool, layer in DEEPSETS.items()}
DS_LIFT = {pool: jax.jit(deepsets(1, 1, pool).apply) for pool in ("mean", "sum")}
DS_POOLED = {pool: jax.jit((layer >> sum_pool()).apply) for pool, layer in DEEPSETS.items()}


@settings(max_examples=6, deadline=None)
@given(seed=seeds, pool=st.sampled_from(["mean", "sum"]))
def test_deepsets_is_permutation_equivariant_and_pooling_invariant(seed, pool):
    p = DEEPSETS[pool].init(jax.random.key(seed))
    x = normal(seed + 1, (2, 4, 3))
    act = set_action(S4)
    assert is_homomorphism(lambda v: DS_APPLY[pool](p, v), act, act, [x], atol=1e-5)
    assert is_invariant(lambda v: DS_POOLED[pool]((p, ()), v), act, [x])


@settings(max_examples=10, deadline=None)
@given(a=st.floats(-3, 3), b=st.floats(-3, 3), pool=st.sampled_from(["mean", "sum"]))
def test_neural_deepsets_is_the_lift_of_the_core_layer(a, b, pool):
    """One name, one meaning: neural.deepsets at (lam, gam, b) = ([[a]], [[b]], 0) is
    catauto.monad.deepsets(a, b, pool), and the default pool is the core's."""
    x = np.asarray(normal(7, (3, 4)))
    p = {"lam": jnp.array([[a]]), "gam": jnp.array([[b]]), "b": jnp.zeros(1)}
    got = np.asarray(DS_LIFT[pool](p, x[..., None]))[..., 0]
    np.testing.assert_allclose(got, core_deepsets(a, b, pool)(x), rtol=1e-5, atol=1e-5)
    assert inspect.signature(deepsets).parameters["pool"].default == "sum"
    assert inspect.signature(core_deepsets).parameters["pool"].default == "sum"


def test_deepsets_linear_part_is_the_two_parameter_layer():
    perm = permutation_action(S4)
    basis = equivariant_basis(perm, perm, 4)
    assert len(basis) == 2
    layer = deepsets(1, 1)
    p = layer.init(jax.random.key(5))
    M = np.stack([np.asarray(layer.apply(p, e[:, None]))[:, 0] for e in np.eye(4)], 1)
    assert in_span(M, basis)


MP = message_passing(3, 4, jnp.tanh)
MP_APPLY = jax.jit(MP.apply)


@settings(max_examples=6, deadline=None)
@given(seed=seeds)
def test_message_passing_is_equivariant_for_node_relabelling(seed):
    p = MP.init(jax.random.key(seed))
    X = normal(seed + 1, (4, 3))
    A = np.asarray(jax.random.uniform(jax.random.key(seed + 2), (4, 4)) < 0.5, np.float32)
    act = graph_action(S4)
    out = set_action(S4)
    assert is_homomorphism(lambda g: MP_APPLY(p, g), act, out, [(X, A)], atol=1e-5)
    # acting on the features alone (forgetting the adjacency) breaks the square
    features_only = type(act)(S4, lambda g, xa: (set_action(S4)(g, xa[0]), xa[1]))
    A[0, 1], A[1, 0] = 1.0, 0.0  # an asymmetric edge, so some relabelling matters
    assert not is_homomorphism(lambda g: MP_APPLY(p, g), features_only, out, [(X, A)])


def test_actions_obey_the_action_laws():
    x = np.arange(12.0).reshape(4, 3)
    assert check_action_laws(set_action(S4), [x])
    A = np.arange(16.0).reshape(4, 4)
    assert check_action_laws(graph_action(S4), [(x, A)])
