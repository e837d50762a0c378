"""Cells: ordinary :class:`~catauto.para.Para` values with dict-of-array parameters.

Conventions (``B`` the batch, ``H`` the hidden size):

- a *recurrent* cell maps ``(h, x) -> h'``: ``h: [B, H]`` (a pair ``(h, c)`` for LSTMs),
  ``x: [B, n_in]``; it is the ``cons`` of a list algebra (see :mod:`catauto.neural.fold`);
- a *binary tree* cell maps ``(left, right) -> parent``, the ``node`` of a tree algebra;
- a *Mealy* cell maps ``(h, x) -> (h', y)``; a *Moore* cell is a transition
  ``(h, x) -> h'`` plus a readout ``h -> y``;
- a readout (:func:`dense`) maps ``x: [..., n_in] -> [..., n_out]``.

>>> import jax, jax.numpy as jnp
>>> cell = gru(4, 8)
>>> p = cell.init(jax.random.key(0))
>>> cell.apply(p, (jnp.zeros((2, 8)), jnp.ones((2, 4)))).shape
(2, 8)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from catauto.functor import ListF, TreeF
from catauto.neural.fold import ParaAlgebra
from catauto.neural.keys import as_key
from catauto.para import Para, split_key

__all__ = [
    "glorot",
    "dense",
    "mlp",
    "one_hot",
    "embedding",
    "elman",
    "gru",
    "lstm",
    "tree_rnn",
    "tree_lstm",
    "tree_tensor",
    "tree_algebra",
    "list_algebra",
    "mealy_cell",
    "moore_cell",
    "constant_state",
    "learned_state",
]

Array = jax.Array


def glorot(key: Any, shape: tuple[int, ...], dtype: Any = jnp.float32) -> Array:
    """Glorot-uniform weights ``U(-l, l)``, ``l = sqrt(6 / (fan_in + fan_out))``."""
    limit = float(np.sqrt(6.0 / (shape[0] + shape[-1])))
    return jax.random.uniform(as_key(key), shape, dtype, -limit, limit)


def dense(n_in: int, n_out: int, activation: Callable[[Array], Array] | None = None) -> Para:
    """``x -> activation(x @ w + b)``; ``x: [..., n_in] -> [..., n_out]``; params ``w, b``.

    A dense readout is ``dense(H, n_out)`` (logits) composed after a recurrent network.
    """

    def init(key: Any) -> dict:
        return {"w": glorot(key, (n_in, n_out)), "b": jnp.zeros(n_out)}

    def apply(p: dict, x: Array) -> Array:
        y = x @ p["w"] + p["b"]
        return y if activation is None else activation(y)

    return Para(init, apply)


def mlp(sizes: Sequence[int], activation: Callable[[Array], Array] = jax.nn.relu) -> Para:
    """Dense layers ``sizes[0] -> ... -> sizes[-1]``, ``activation`` between (not after).

    The parameter is the tuple of the layers' parameters (``>>`` nests pairs; this keeps
    a flat tuple, which is friendlier to read).
    """
    layers = [
        dense(a, b, activation if i < len(sizes) - 2 else None)
        for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]))
    ]

    def init(key: Any) -> tuple:
        return tuple(layer.init(k) for layer, k in zip(layers, split_key(as_key(key), len(layers))))

    def apply(p: tuple, x: Array) -> Array:
        for layer, q in zip(layers, p):
            x = layer.apply(q, x)
        return x

    return Para(init, apply)


def one_hot(n: int) -> Para:
    """``int[...] -> float[..., n]``, no parameters (``Para.lift``)."""
    return Para.lift(lambda i: jax.nn.one_hot(i, n, dtype=jnp.float32))


def embedding(n: int, dim: int) -> Para:
    """``int[...] -> float[..., dim]`` by a learned table ``{"table": [n, dim]}``."""
    return Para(
        lambda key: {"table": jax.random.normal(as_key(key), (n, dim)) / np.sqrt(dim)},
        lambda p, i: p["table"][i],
    )


# --- recurrent cells: (h, x) -> h' ------------------------------------------------------


def elman(n_in: int, n_hidden: int, activation: Callable[[Array], Array] = jnp.tanh) -> Para:
    """Elman cell ``h' = activation(x @ wx + h @ wh + b)``; params ``wx, wh, b``."""

    def init(key: Any) -> dict:
        k1, k2 = split_key(as_key(key), 2)
        return {
            "wx": glorot(k1, (n_in, n_hidden)),
            "wh": glorot(k2, (n_hidden, n_hidden)),
            "b": jnp.zeros(n_hidden),
        }

    def apply(p: dict, hx: tuple[Array, Array]) -> Array:
        h, x = hx
        return activation(x @ p["wx"] + h @ p["wh"] + p["b"])

    return Para(init, apply)


def gru(n_in: int, n_hidden: int) -> Para:
    """GRU cell (Cho et al. 2014): gates ``r, z`` and candidate ``n``;
    ``h' = (1 - z) * n + z * h``. Params ``wx: [n_in, 3H]``, ``wh: [H, 3H]``, ``b, bh``."""
    H = n_hidden

    def init(key: Any) -> dict:
        k1, k2 = split_key(as_key(key), 2)
        return {
            "wx": glorot(k1, (n_in, 3 * H)),
            "wh": glorot(k2, (H, 3 * H)),
            "b": jnp.zeros(3 * H),
            "bh": jnp.zeros(3 * H),
        }

    def apply(p: dict, hx: tuple[Array, Array]) -> Array:
        h, x = hx
        gx = x @ p["wx"] + p["b"]
        gh = h @ p["wh"] + p["bh"]
        r = jax.nn.sigmoid(gx[..., :H] + gh[..., :H])
        z = jax.nn.sigmoid(gx[..., H : 2 * H] + gh[..., H : 2 * H])
        n = jnp.tanh(gx[..., 2 * H :] + r * gh[..., 2 * H :])
        return (1.0 - z) * n + z * h

    return Para(init, apply)


def lstm(n_in: int, n_hidden: int, forget_bias: float = 1.0) -> Para:
    """LSTM cell on the carrier ``(h, c)``: ``((h, c), x) -> (h', c')``.

    Params ``wx: [n_in, 4H]``, ``wh: [H, 4H]``, ``b: [4H]`` (gates i, f, g, o; the forget
    gate's bias starts at ``forget_bias``).
    """
    H = n_hidden

    def init(key: Any) -> dict:
        k1, k2 = split_key(as_key(key), 2)
        b = jnp.zeros(4 * H).at[H : 2 * H].set(forget_bias)
        return {"wx": glorot(k1, (n_in, 4 * H)), "wh": glorot(k2, (H, 4 * H)), "b": b}

    def apply(p: dict, hcx: tuple[tuple[Array, Array], Array]) -> tuple[Array, Array]:
        (h, c), x = hcx
        g = x @ p["wx"] + h @ p["wh"] + p["b"]
        i, f, u, o = (g[..., j * H : (j + 1) * H] for j in range(4))
        c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(u)
        return (jax.nn.sigmoid(o) * jnp.tanh(c), c)

    return Para(init, apply)


# --- binary tree cells: (left, right) -> parent --------------------------------------------


def tree_rnn(n_hidden: int, activation: Callable[[Array], Array] = jnp.tanh) -> Para:
    """Tree-RNN node cell ``(l, r) -> activation(l @ wl + r @ wr + b)`` (Socher-style)."""

    def init(key: Any) -> dict:
        k1, k2 = split_key(as_key(key), 2)
        return {
            "wl": glorot(k1, (n_hidden, n_hidden)),
            "wr": glorot(k2, (n_hidden, n_hidden)),
            "b": jnp.zeros(n_hidden),
        }

    def apply(p: dict, lr: tuple[Array, Array]) -> Array:
        left, right = lr
        return activation(left @ p["wl"] + right @ p["wr"] + p["b"])

    return Para(init, apply)


def tree_tensor(
    n_hidden: int, activation: Callable[[Array], Array] = jnp.tanh, n_in: int | None = None
) -> Para:
    """Bilinear (tensor) tree cell, RNTN-style (Socher et al. 2013):
    ``(l, r) -> activation(vec(l ⊗ r) @ w + l @ wl + r @ wr + b)``, kids ``[m, n_in]``
    (default ``n_hidden``), output ``[m, n_hidden]``. On one-hot kids the bilinear term is
    a table lookup, so it can represent any finite binary operation exactly.
    """
    n_in = n_hidden if n_in is None else n_in

    def init(key: Any) -> dict:
        k1, k2, k3 = split_key(as_key(key), 3)
        return {
            "w": glorot(k1, (n_in * n_in, n_hidden)),
            "wl": glorot(k2, (n_in, n_hidden)),
            "wr": glorot(k3, (n_in, n_hidden)),
            "b": jnp.zeros(n_hidden),
        }

    def apply(p: dict, lr: tuple[Array, Array]) -> Array:
        left, right = lr
        outer = (left[..., :, None] * right[..., None, :]).reshape(*left.shape[:-1], -1)
        return activation(outer @ p["w"] + left @ p["wl"] + right @ p["wr"] + p["b"])

    return Para(init, apply)


def tree_lstm(n_hidden: int) -> Para:
    """Binary (N-ary, N = 2) Tree-LSTM node cell (Tai et al. 2015) on ``(h, c)`` pairs:
    ``((hl, cl), (hr, cr)) -> (h, c)``, with one forget gate per child."""
    H = n_hidden

    def init(key: Any) -> dict:
        k1, k2 = split_key(as_key(key), 2)
        b = jnp.zeros(5 * H).at[H : 3 * H].set(1.0)  # both forget gates start open
        return {"wl": glorot(k1, (H, 5 * H)), "wr": glorot(k2, (H, 5 * H)), "b": b}

    def apply(p: dict, kids: tuple) -> tuple[Array, Array]:
        (hl, cl), (hr, cr) = kids
        g = hl @ p["wl"] + hr @ p["wr"] + p["b"]
        i, fl, fr, u, o = (g[..., j * H : (j + 1) * H] for j in range(5))
        c = jax.nn.sigmoid(i) * jnp.tanh(u) + jax.nn.sigmoid(fl) * cl + jax.nn.sigmoid(fr) * cr
        return (jax.nn.sigmoid(o) * jnp.tanh(c), c)

    return Para(init, apply)


def list_algebra(
    step: Para,
    start: Para,
    inputs: Para | None = None,
    labels: Sequence[Hashable] | None = None,
) -> ParaAlgebra:
    """The Para-algebra of ``ListF(labels)`` of a recurrent cell: ``nil`` is
    ``start: B -> h0``, ``cons(x, h) = step(h, inputs(x))`` (``inputs`` e.g.
    :func:`one_hot` or :func:`embedding`; default: the identity). Parameter
    ``{"nil": p_start, "cons": (p_step, p_inputs)}``. Its left fold
    :func:`~catauto.neural.fold.foldl` is the left-to-right RNN over a padded batch; its
    fold :func:`~catauto.neural.fold.fold` (= ``cata``) reads each list right to left.
    """
    inputs = inputs if inputs is not None else Para.identity()

    def cons_init(key: Any) -> tuple:
        k1, k2 = split_key(key, 2)
        return (step.init(k1), inputs.init(k2))

    def cons(p: tuple, lk: tuple) -> Any:
        x, (h,) = lk
        return step.apply(p[0], (h, inputs.apply(p[1], x)))

    def nil(p: Any, lk: tuple) -> Any:
        return start.apply(p, lk[0].shape[0])

    return ParaAlgebra.of(
        ListF(labels), {"nil": Para(start.init, nil), "cons": Para(cons_init, cons)}
    )


def tree_algebra(leaf: Para, node: Para, labels: Sequence[Hashable] | None = None) -> ParaAlgebra:
    """The Para-algebra of ``TreeF(labels)`` with ``leaf: label_code[m] -> carrier`` and
    ``node: (left, right) -> carrier``; parameter ``{"leaf": p_leaf, "node": p_node}``.

    Leaf labels reach ``leaf`` encoded (indices into ``labels`` when given; see
    :class:`~catauto.neural.fold.ParaAlgebra`).
    """
    return ParaAlgebra.of(
        TreeF(labels),
        {
            "leaf": Para(leaf.init, lambda p, lk: leaf.apply(p, lk[0])),
            "node": Para(node.init, lambda p, lk: node.apply(p, lk[1])),
        },
    )


# --- Mealy and Moore cells, start states ---------------------------------------------------


def mealy_cell(n_in: int, n_hidden: int, n_out: int) -> Para:
    """``(h, x) -> (h', y)``: a GRU transition and logits ``y = [h, x] @ wy + by`` read
    from the state *before* the step (a Mealy output depends on the state and input)."""
    step = gru(n_in, n_hidden)
    out = dense(n_hidden + n_in, n_out)

    def apply(p: dict, hx: tuple[Array, Array]) -> tuple[Array, Array]:
        h, x = hx
        return step.apply(p["step"], hx), out.apply(p["out"], jnp.concatenate([h, x], -1))

    def init(key: Any) -> dict:
        k1, k2 = split_key(as_key(key), 2)
        return {"step": step.init(k1), "out": out.init(k2)}

    return Para(init, apply)


def moore_cell(n_in: int, n_hidden: int, n_out: int) -> tuple[Para, Para]:
    """A Moore cell as ``(transition, readout)``: a GRU ``(h, x) -> h'`` and
    ``dense(H, n_out)`` logits ``h -> y`` read from each state."""
    return gru(n_in, n_hidden), dense(n_hidden, n_out)


def constant_state(value: Any) -> Para:
    """Start state ``B -> value`` broadcast to ``[B, ...]``; no parameters.

    ``value`` is an array (or pytree of arrays) for one sequence, e.g. ``jnp.zeros(H)``.
    """
    value = jax.tree.map(jnp.asarray, value)
    return Para.lift(lambda b: jax.tree.map(lambda v: jnp.broadcast_to(v, (b, *v.shape)), value))


def learned_state(shape: int | tuple[int, ...]) -> Para:
    """Learned start state: parameter ``h0`` (zeros at init) broadcast to ``[B, *shape]``."""
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    return Para(
        lambda key: jnp.zeros(shape),
        lambda h0, b: jnp.broadcast_to(h0, (b, *h0.shape)),
    )
