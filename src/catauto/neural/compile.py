"""Compile a symbolic DFA, Moore or Mealy machine into the weights of a recurrent network.

States become one-hot vectors, each input ``a`` a 0/1 transition matrix
``T[a]: [n', n']`` (``T[a][q, delta[q, a]] = 1``), outputs 0/1 matrices. A partial
machine gets one extra absorbing state ``n`` standing for "undefined" (``n' = n + 1``);
it has no output. The network is a Mealy/Moore Para-coalgebra run by the one
:func:`~catauto.neural.fold.scan`, and its run equals the symbolic run *exactly*: the
arithmetic only ever adds products of zeros and ones.

Batch format: ``(words, lengths)``, ``words: int[B, T]`` input indices (padding past a
row's length is ignored) and ``lengths: int[B]``, exactly what ``m.encode_batch(words)``
returns; a bare ``int[B, T]`` means every row is a whole word, and a list of words is
encoded through ``m``'s alphabet (its symbols are never read as indices). The batch is
checked as ``m.accepts_batch`` checks it (see :func:`checked_batch`). ``para.apply``
returns

- DFA: ``bool[B]``, equal to ``m.accepts_batch(words)``;
- Moore: ``int32[B, T + 1]`` output indices, equal to ``m.transduce_batch(words)[0]``;
- Mealy: ``int32[B, T]`` output indices, equal to ``m.transduce_batch(words)[0]``

(``-1`` where the symbolic run is undefined or, for Mealy, past a row's end). With
``scores=True`` it returns the underlying float one-hot scores instead (DFA ``[B]``,
Moore ``[B, T + 1, n_out]``, Mealy ``[B, T, n_out]``), differentiable in the weights.

>>> from catauto.automata import DFA
>>> even_a = DFA([[1, 0], [0, 1]], accepting=[True, False], inputs="ab")
>>> para, params = compile_machine(even_a)
>>> para.apply(params, even_a.encode_batch(["", "a", "aba", "bb"])).tolist()
[True, False, True, True]
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from catauto.automata.machine import DFA, Machine, Mealy, Moore
from catauto.errors import CatautoError
from catauto.neural.fold import scan, split_batch
from catauto.para import Para

__all__ = ["CompiledPara", "checked_batch", "compile_machine", "machine_weights"]

Array = jax.Array


def machine_weights(m: Machine, size: int | None = None) -> dict[str, np.ndarray]:
    """The weights of ``m``: ``start: [n']`` one-hot, ``transitions: [k, n', n']``,
    ``outputs: [n', n_out]`` (Moore, DFA) or ``[k, n', n_out]`` (Mealy), all float32 0/1;
    ``n' = n + 1`` for a partial machine (state ``n`` is "undefined"), else ``n``.

    ``size`` pads the state dimension to ``size >= n'`` with unreachable states, so
    machines of different sizes share one shape (one compilation, or a ``vmap``).
    """
    if not isinstance(m, Moore | Mealy):  # DFA is a Moore machine
        raise CatautoError(f"compile_machine: expected a DFA, Moore or Mealy, got {type(m)}")
    n, k = m.delta.shape
    partial = not m.is_complete
    needed = n + 1 if partial else n
    size = needed if size is None else size
    if size < needed:
        raise CatautoError(f"compile_machine: size {size} < the {needed} states needed")
    delta = np.where(m.delta < 0, n, m.delta)
    T = np.zeros((k, size, size), np.float32)
    a, q = np.meshgrid(np.arange(k), np.arange(n), indexing="ij")
    T[a, q, delta.T] = 1.0
    extra = np.arange(n, size)
    T[:, extra, extra] = 1.0  # "undefined" and padding states are absorbing
    start = np.zeros(size, np.float32)
    start[m.initial] = 1.0
    n_out = m.n_outputs
    if isinstance(m, Mealy):
        O = np.zeros((k, size, n_out), np.float32)
        aa, qq = np.nonzero(m.output.T >= 0)
        O[aa, qq, m.output.T[aa, qq]] = 1.0
    else:
        O = np.zeros((size, n_out), np.float32)
        O[np.arange(n), m.output] = 1.0
    return {"start": start, "transitions": T, "outputs": O}


def checked_batch(m: Machine, batch: Any) -> tuple[Array, Array | None]:
    """``batch`` as ``(int32[B, T], int32[B] | None)`` for ``m`` (``None``: every row is
    whole), checked on the host by ``m``'s own batch encoding: a list of words is
    encoded through ``m``'s alphabet, an integer array must hold indices ``0..k-1`` and
    lengths from 0 to its width, else a :class:`~catauto.automata.MachineError`.

    Traced inputs (the batch of a ``jit``-ed or ``vmap``-ed call) cannot be inspected:
    they are taken as indices unchecked (an index outside ``0..k-1`` reads as no input
    at all: its one-hot row is zero), so check a concrete batch before tracing.
    """
    words, lengths = split_batch(batch)
    if isinstance(words, jax.core.Tracer) or isinstance(lengths, jax.core.Tracer):
        lengths = None if lengths is None else jnp.asarray(lengths, jnp.int32)
        return jnp.asarray(words, jnp.int32), lengths
    dtype = getattr(words, "dtype", None)
    if dtype is not None and np.issubdtype(dtype, np.integer) and np.ndim(words) != 2:
        raise CatautoError(f"a batch's words must be int[B, T], got shape {np.shape(words)}")
    W, L = m._as_batch(words, lengths)  # raises what m.accepts_batch raises
    whole = lengths is None and (L == W.shape[1]).all()  # the unmasked run: cheaper
    return jnp.asarray(W, jnp.int32), None if whole else jnp.asarray(L, jnp.int32)


def _step(T: Array, h: Array, x: Array) -> Array:
    """``h' = h @ T[x]`` for a batch: ``h: [B, n']``, ``x: int[B]``."""
    onehot = jax.nn.one_hot(x, T.shape[0], dtype=h.dtype)  # [B, k]
    return jnp.einsum("bq,ba,aqr->br", h, onehot, T)


def _decode(scores: Array) -> Array:
    """One-hot scores -> indices, -1 where the row is all zeros (undefined)."""
    return jnp.where(scores.max(-1) > 0.5, scores.argmax(-1), -1).astype(jnp.int32)


@partial(jax.jit, static_argnames=("kind", "scores"))
def _run(kind: str, scores: bool, p: dict, words: Array, lengths: Array | None) -> Array:
    """The compiled run; module level, so machines of one shape share one compilation."""
    B, T = words.shape
    h0 = jnp.broadcast_to(p["start"], (B, p["start"].shape[0]))
    O = p["outputs"]

    def step(T_: Array, h: Array, x: Array) -> tuple[Array, Array]:
        if kind == "mealy":
            onehot = jax.nn.one_hot(x, O.shape[0], dtype=h.dtype)
            y = jnp.einsum("bq,ba,aqo->bo", h, onehot, O)
        else:
            y = h @ O  # the output of the carried state, before reading x
        return _step(T_, h, x), y

    h, ys = scan(step, p["transitions"], h0, words, lengths)
    if kind == "dfa":
        accept = (h @ O)[:, 1]
        return accept if scores else accept > 0.5
    if kind == "moore":
        ys = jnp.concatenate([ys, (h @ O)[:, None]], 1)
    elif lengths is not None:
        live = jnp.arange(T) < lengths[:, None]
        ys = ys * live[..., None].astype(ys.dtype)  # past the end: no output
    return ys if scores else _decode(ys)


@dataclass(frozen=True)
class CompiledPara(Para):
    """The :class:`~catauto.para.Para` of :func:`compile_machine`, which also carries the
    alphabets its indices stand for: ``inputs`` and ``outputs``, the compiled machine's
    (``catauto.testing.assert_same_semantics`` reads them). It composes like any Para;
    a composite (``>>``, ``@``, ``reparam``) is a plain Para without them.

    >>> from catauto.automata import DFA
    >>> para, _ = compile_machine(DFA([[1, 0], [0, 1]], [True, False], inputs="ab"))
    >>> isinstance(para, Para), para.inputs, para.outputs
    (True, ('a', 'b'), (False, True))
    """

    inputs: tuple[Hashable, ...] = ()
    outputs: tuple[Hashable, ...] = ()


def compile_machine(
    m: Machine, scores: bool = False, size: int | None = None
) -> tuple[CompiledPara, dict[str, Array]]:
    """``(para, params)`` whose ``para.apply(params, batch)`` equals ``m``'s symbolic run.

    ``para.init`` ignores its key and returns the compiled weights (so the Para composes
    and trains like any other; see the module doc for shapes and the batch format).
    ``size`` pads the state dimension (see :func:`machine_weights`). The Para is a
    :class:`CompiledPara`: it carries ``m``'s alphabets as ``para.inputs`` and
    ``para.outputs``.
    """
    params = {name: jnp.asarray(w) for name, w in machine_weights(m, size).items()}
    kind = "dfa" if isinstance(m, DFA) else "mealy" if isinstance(m, Mealy) else "moore"

    def apply(p: dict, batch: Any) -> Array:
        return _run(kind, scores, p, *checked_batch(m, batch))

    para = CompiledPara(lambda key: params, apply, tuple(m.inputs), tuple(m.outputs))
    return para, params
