"""Geometric constraints as Para: layers that commute with a group action.

An equivariant layer is an algebra homomorphism between two actions of a group ``G``
(algebras of the monad ``G × -``): ``f(g·x) == g·f(x)``. Each layer below is a Para
whose every parameter value gives such a homomorphism, and the tests check it with the
core's :func:`catauto.monad.is_homomorphism` on JAX arrays.

- :func:`circular_conv`: ``Z_n`` shifting the last axis (cyclic convolution; its weight
  matrices are exactly the circulants, the span of ``equivariant_basis`` for shifts);
- :func:`deepsets`: ``S_n`` permuting the elements of a set ``[..., n, d]`` (the lift
  of the core's :func:`catauto.monad.deepsets`);
- :func:`message_passing`: ``S_n`` relabelling the nodes of a graph, acting on node
  features ``X: [..., n, d]`` and adjacency ``A: [..., n, n]`` together;
- :func:`lifting_conv` and :func:`group_conv`: the G-CNN for any finite group ``G``,
  from signals on the points ``G`` permutes to signals on ``G`` and from ``G`` to ``G``
  (:func:`regular_action`).

>>> import jax, jax.numpy as jnp
>>> from catauto.monad import cyclic, is_homomorphism, permutation_action
>>> conv = circular_conv(5, 1, 2)
>>> p = conv.init(jax.random.key(0))
>>> shift = permutation_action(cyclic(5))
>>> x = jax.random.normal(jax.random.key(1), (3, 1, 5))
>>> is_homomorphism(lambda v: conv.apply(p, v), shift, shift, [x])
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from catauto.errors import CatautoError
from catauto.monad import Action, Group
from catauto.neural.cells import glorot
from catauto.neural.keys import as_key
from catauto.para import Para, split_key

__all__ = [
    "circular_conv",
    "group_conv",
    "lifting_conv",
    "regular_action",
    "deepsets",
    "message_passing",
    "sum_pool",
    "set_action",
    "graph_action",
]

Array = jax.Array


def circular_conv(n: int, c_in: int = 1, c_out: int = 1) -> Para:
    """Cyclic convolution over ``Z_n``: ``x: [..., c_in, n] -> [..., c_out, n]``,
    ``y[o, i] = sum_c sum_k w[o, c, k] x[c, (i - k) mod n] + b[o]``.

    Params ``w: [c_out, c_in, n]``, ``b: [c_out]``. Equivariant for the shift of the
    last axis (``permutation_action(cyclic(n))``).
    """
    shift = (np.arange(n)[:, None] - np.arange(n)[None, :]) % n  # C[i, j] = w[(i - j) % n]

    def init(key: Any) -> dict:
        w = jax.random.normal(as_key(key), (c_out, c_in, n)) / np.sqrt(c_in * n)
        return {"w": w, "b": jnp.zeros(c_out)}

    def apply(p: dict, x: Array) -> Array:
        if x.shape[-2:] != (c_in, n):
            raise CatautoError(f"circular_conv: expected [..., {c_in}, {n}], got {x.shape}")
        circulants = p["w"][..., shift]  # [c_out, c_in, n, n]
        return jnp.einsum("ocij,...cj->...oi", circulants, x) + p["b"][:, None]

    return Para(init, apply)


def deepsets(d_in: int, d_out: int, pool: str = "sum") -> Para:
    """DeepSets' permutation-equivariant layer (Zaheer et al. 2017) as a Para: the lift of
    :func:`catauto.monad.deepsets` (``x -> a x + b pool(x)``) to ``d_in -> d_out``
    channels, with the weights as the parameter. On sets of ``n`` elements,
    ``x: [..., n, d_in] -> [..., n, d_out]``, ``y = x @ lam + pool(x) @ gam + b`` with
    ``pool`` the sum (default, as in the core) or the mean over the set. With one
    channel, ``lam = [[a]]``, ``gam = [[b]]`` and ``b = 0`` it *is* the core layer
    ``monad.deepsets(a, b, pool)`` on ``[..., n]`` (``tests/test_neural_geometric.py``).
    """
    if pool not in ("mean", "sum"):
        raise CatautoError(f"deepsets: pool must be 'sum' or 'mean', got {pool!r}")

    def init(key: Any) -> dict:
        k1, k2 = split_key(as_key(key), 2)
        return {
            "lam": glorot(k1, (d_in, d_out)),
            "gam": glorot(k2, (d_in, d_out)),
            "b": jnp.zeros(d_out),
        }

    def apply(p: dict, x: Array) -> Array:
        pooled = x.mean(-2, keepdims=True) if pool == "mean" else x.sum(-2, keepdims=True)
        return x @ p["lam"] + pooled @ p["gam"] + p["b"]

    return Para(init, apply)


def message_passing(
    d_in: int, d_out: int, activation: Callable[[Array], Array] = jax.nn.relu
) -> Para:
    """One message-passing layer on a graph ``(X, A)``, ``X: [..., n, d_in]`` node
    features, ``A: [..., n, n]`` adjacency (``A[i, j]``: edge weight ``j -> i``):
    ``X' = activation(X @ w_self + (A @ X) @ w_msg + b)``, ``[..., n, d_out]``.
    Equivariant for node relabelling: ``(P X, P A P^T) -> P X'``.
    """

    def init(key: Any) -> dict:
        k1, k2 = split_key(as_key(key), 2)
        return {
            "w_self": glorot(k1, (d_in, d_out)),
            "w_msg": glorot(k2, (d_in, d_out)),
            "b": jnp.zeros(d_out),
        }

    def apply(p: dict, graph: tuple[Array, Array]) -> Array:
        X, A = graph
        return activation(X @ p["w_self"] + (A @ X) @ p["w_msg"] + p["b"])

    return Para(init, apply)


def _index_table(group: Group) -> tuple[dict, np.ndarray]:
    """Element positions and ``T[g, h] = index(g⁻¹ h)`` over ``group.elements``."""
    index = {g: i for i, g in enumerate(group.elements)}
    table = np.array(
        [[index[group.mul(group.inv(g), h)] for h in group.elements] for g in group.elements],
        dtype=np.int32,
    )
    return index, table


def group_conv(group: Group, c_in: int = 1, c_out: int = 1) -> Para:
    """Group convolution, group to group (the G-CNN layer; Cohen & Welling 2016; App C.3
    of Gavranović et al.): signals on ``G``, ``x: [..., c_in, |G|] -> [..., c_out, |G|]``,
    ``y[o, g] = sum_c sum_h psi[o, c, g⁻¹h] x[c, h] + b[o]`` (positions follow
    ``group.elements``). Params ``psi: [c_out, c_in, |G|]``, ``b: [c_out]``.
    Equivariant for :func:`regular_action`, for any finite group; for ``cyclic(n)`` it
    is :func:`circular_conv`.
    """
    _, table = _index_table(group)
    n = len(group.elements)

    def init(key: Any) -> dict:
        psi = jax.random.normal(as_key(key), (c_out, c_in, n)) / np.sqrt(c_in * n)
        return {"psi": psi, "b": jnp.zeros(c_out)}

    def apply(p: dict, x: Array) -> Array:
        if x.shape[-2:] != (c_in, n):
            raise CatautoError(
                f"group_conv on {group.name}: expected [..., {c_in}, {n}], got {x.shape}"
            )
        kernel = p["psi"][..., table]  # [c_out, c_in, |G| (g), |G| (h)]
        return jnp.einsum("ocgh,...ch->...og", kernel, x) + p["b"][:, None]

    return Para(init, apply)


def lifting_conv(group: Group, c_in: int = 1, c_out: int = 1) -> Para:
    """The lifting layer of a G-CNN: signals on the points ``range(d)`` that ``G``
    permutes (``group.permutation``) to signals on ``G``,
    ``x: [..., c_in, d] -> [..., c_out, |G|]``,
    ``y[o, g] = sum_c sum_i psi[o, c, g⁻¹(i)] x[c, i] + b[o]``. Params
    ``psi: [c_out, c_in, d]``, ``b``. Equivariant from ``permutation_action(group)`` to
    :func:`regular_action` (``A_G(g, psi)(h) = psi(g⁻¹h)``, App C.3).
    """
    inverse = _inverse_permutations(group)  # g -> the permutation of g⁻¹ as an array
    table = np.stack([inverse[g] for g in group.elements])  # [|G|, d]: g⁻¹(i)
    d = table.shape[1]

    def init(key: Any) -> dict:
        psi = jax.random.normal(as_key(key), (c_out, c_in, d)) / np.sqrt(c_in * d)
        return {"psi": psi, "b": jnp.zeros(c_out)}

    def apply(p: dict, x: Array) -> Array:
        if x.shape[-2:] != (c_in, d):
            raise CatautoError(
                f"lifting_conv on {group.name}: expected [..., {c_in}, {d}], got {x.shape}"
            )
        kernel = p["psi"][..., table]  # [c_out, c_in, |G|, d]
        return jnp.einsum("ocgi,...ci->...og", kernel, x) + p["b"][:, None]

    return Para(init, apply)


def sum_pool() -> Para:
    """``[..., n, d] -> [..., d]``: the sum over the set; invariant under ``S_n``."""
    return Para.lift(lambda x: x.sum(-2))


# --- the actions these layers respect -------------------------------------------------------


def _inverse_permutations(group: Group) -> dict:
    if group.permutation is None:
        raise CatautoError(f"group {group.name} has no permutation representation")
    return {g: np.argsort(group.permutation(g)) for g in group.elements}


def regular_action(group: Group) -> Action:
    """``G`` on signals on ``G``, the last axis indexed by ``group.elements``:
    ``(g·f)(h) = f(g⁻¹h)`` (the left regular representation)."""
    _, table = _index_table(group)
    index = {g: i for i, g in enumerate(group.elements)}
    return Action(group, lambda g, f: f[..., table[index[g]]], "regular action")


def set_action(group: Group) -> Action:
    """``G`` permuting the set axis ``-2`` of ``[..., n, d]``: ``(g·x)[g(i)] = x[i]``."""
    inverse = _inverse_permutations(group)
    return Action(group, lambda g, x: x[..., inverse[g], :], "set action")


def graph_action(group: Group) -> Action:
    """``G`` relabelling graph nodes: ``(X, A) -> (P X, P A P^T)``."""
    inverse = _inverse_permutations(group)

    def act(g: Any, graph: tuple[Array, Array]) -> tuple[Array, Array]:
        X, A = graph
        i = inverse[g]
        return (X[..., i, :], A[..., i, :][..., :, i])

    return Action(group, act, "graph action")
