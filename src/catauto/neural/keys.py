"""JAX keys and pytree parameters for :class:`catauto.para.Para` (there is no second Para).

Importing this module registers ``jax.random.split`` as the key splitter for JAX keys
(typed ``jax.random.key`` keys and raw ``uint32[2]`` ``PRNGKey`` keys alike), so every
composite (``>>``, ``@``, ``tie``) splits JAX keys the way it splits int seeds;
``catauto.neural`` imports it, so every Para of the JAX layer does. Parameters are
pytrees (tuples and dicts of arrays), so ``jax.jit``, ``jax.grad`` and ``jax.vmap``
apply to ``para.apply`` and ``para.init`` directly:

>>> import jax, jax.numpy as jnp
>>> from catauto.para import Para
>>> scale = Para(lambda key: jax.random.normal(as_key(key), ()), lambda p, x: p * x)
>>> net = (scale >> jnp.tanh >> scale)
>>> p = net.init(jax.random.key(0))
>>> grads = jax.grad(lambda p, x: net.apply(p, x).sum())(p, jnp.ones(3))
>>> jax.tree.structure(grads) == jax.tree.structure(p)
True
>>> ensemble = jax.vmap(net.init)(jax.random.split(jax.random.key(1), 5))  # 5 inits at once
>>> ensemble[0][0].shape
(5,)

Int seeds work as well: the core splits them deterministically and :func:`as_key`
turns the leaf seeds into JAX keys, so ``net.init(0)`` is reproducible.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from catauto.errors import CatautoError
from catauto.para import Para, register_split, split_key

__all__ = ["as_key", "init_params", "n_params"]


def _split_jax(key: jax.Array, n: int) -> tuple[Any, ...]:
    if _is_seed(key):
        if isinstance(key, jax.core.Tracer):  # its value is unknown: cannot split as an int
            raise CatautoError(
                "a composite Para cannot split an int seed traced by jit or vmap:"
                " vmap over jax.random.key(seed) keys instead"
            )
        return tuple(split_key(_seed(key), n))  # a JAX int is a seed like any int
    return tuple(jax.random.split(as_key(key), n))


register_split(jax.Array, _split_jax)


def _is_seed(key: Any) -> bool:
    """An integer scalar (Python, numpy or JAX; not a bool) rather than a JAX key."""
    if isinstance(key, jax.Array):
        return key.ndim == 0 and jnp.issubdtype(key.dtype, np.integer)
    return isinstance(key, int | np.integer) and not isinstance(key, bool)


def _seed(key: Any) -> int:
    seed = int(key)
    if not 0 <= seed < 2**32:  # JAX seeds are 32-bit: refuse rather than wrap
        raise CatautoError(f"int keys (seeds) must be in 0..2**32-1, got {seed}")
    return seed


def as_key(key: Any) -> jax.Array:
    """A JAX key from a JAX key (returned as is) or an int seed ``0 <= seed < 2**32``
    (a Python, numpy or JAX integer; a traced one, e.g. under ``vmap``, is unchecked).

    >>> bool((jax.random.key_data(as_key(3)) == jax.random.key_data(jax.random.key(3))).all())
    True
    """
    if _is_seed(key):
        return jax.random.key(key if isinstance(key, jax.core.Tracer) else _seed(key))
    if isinstance(key, jax.Array):
        return key
    raise CatautoError(f"expected a jax.random key or an int seed, got {type(key).__name__}")


def init_params(para: Para, seed: int | jax.Array = 0) -> Any:
    """``para.init`` from an int seed (or a JAX key): the parameters as a pytree."""
    return para.init(as_key(seed))


def n_params(params: Any) -> int:
    """The number of scalars in a parameter pytree.

    >>> import jax.numpy as jnp
    >>> n_params({"w": jnp.zeros((3, 4)), "b": jnp.zeros(4)})
    16
    """
    return int(sum(np.size(leaf) for leaf in jax.tree.leaves(params)))
