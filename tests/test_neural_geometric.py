"""Geometric layers are homomorphisms of group actions (checked with the core's
``is_homomorphism`` on JAX arrays), their linear parts lie in the core's solved
equivariant basis, and a plain dense layer fails the same check; G-CNNs (lifting and
group-to-group convolutions) for dihedral and symmetric groups."""

import inspect

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catauto.monad import (
    check_action_laws,
    cyclic,
    dihedral,
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
    group_conv,
    lifting_conv,
    message_passing,
    regular_action,
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


# --- G-CNNs for any finite group: lifting and group-to-group layers ----------------------

GROUPS = {"D4": dihedral(4), "S3": symmetric(3)}
GCNN = {
    name: (
        jax.jit(lifting_conv(G, 2, 3).apply),
        jax.jit(group_conv(G, 3, 2).apply),
        jax.jit(lifting_conv(G, 2, 3).init),
        jax.jit(group_conv(G, 3, 2).init),
    )
    for name, G in GROUPS.items()
}


@settings(max_examples=5, deadline=None)
@given(seed=seeds, name=st.sampled_from(sorted(GROUPS)))
def test_gcnn_layers_are_homomorphisms_of_group_actions(seed, name):
    G = GROUPS[name]
    lift_apply, conv_apply, lift_init, conv_init = GCNN[name]
    p, q = lift_init(jax.random.key(seed)), conv_init(jax.random.key(seed + 1))
    d = len(G.permutation(G.identity))
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(2, 2, d))  # signals on the points G permutes (numpy: cheap actions)
    lift = lambda v: np.asarray(lift_apply(p, v))  # noqa: E731
    conv = lambda v: np.asarray(conv_apply(q, v))  # noqa: E731
    points, regular = permutation_action(G), regular_action(G)
    assert check_action_laws(regular, [rng.normal(size=len(G.elements))])
    assert is_homomorphism(lift, points, regular, [x], atol=1e-5)
    y = lift(x)
    assert is_homomorphism(conv, regular, regular, [y], atol=1e-5)
    assert is_invariant(lambda v: conv(lift(v)).sum(-1), points, [x])  # pooled over G
    w = rng.normal(size=(len(G.elements), len(G.elements)))
    assert not is_homomorphism(lambda v: v @ w, regular, regular, [y], atol=1e-5)


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_group_conv_weights_lie_in_the_solved_basis(name):
    G = GROUPS[name]
    n = len(G.elements)
    regular = regular_action(G)
    basis = equivariant_basis(regular, regular, n)
    assert len(basis) == n  # the commutant of the regular representation: one per element
    conv = group_conv(G)
    p = conv.init(jax.random.key(0))
    p = {"psi": p["psi"], "b": jnp.zeros(1)}
    M = np.stack([np.asarray(conv.apply(p, e[None]))[0] for e in np.eye(n)], 1)
    assert in_span(M, basis)


def test_group_conv_on_a_cyclic_group_is_the_circular_conv():
    """For Z_n, psi[k] = w[-k mod n] turns the group (cross-)correlation into the
    circular convolution."""
    conv, gconv = circular_conv(N, 2, 3), group_conv(cyclic(N), 2, 3)
    p = conv.init(jax.random.key(7))
    q = {"psi": p["w"][..., (-np.arange(N)) % N], "b": p["b"]}
    x = normal(8, (4, 2, N))
    np.testing.assert_allclose(gconv.apply(q, x), conv.apply(p, x), atol=1e-5)
