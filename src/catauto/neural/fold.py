"""Lifted folds and unfolds: Para-algebras and Para-coalgebras run in batches.

A **Para-algebra** of a polynomial functor ``F`` is one Para cell per constructor, all
reading one shared parameter ``p`` (:class:`ParaAlgebra`). Folding it over a term uses
the same ``p`` at every node: ``F`` is lifted to Para by its strength
``σ: P ▶ F(A) -> F(P ▶ A)`` (:func:`catauto.para.strength`, :func:`catauto.para.lift`),
and the fold is the lax algebra map whose square commutes up to ``Δ``
(:class:`catauto.para.LaxAlgebra`, which :meth:`ParaAlgebra.cata` runs eagerly; the
batched folds below hand the one ``p`` to every cell call in the same way). The weight
tying of a recursive network is that copy map Δ, not a convention
(``tests/test_neural_fold.py`` checks that the gradient through the tied ``p`` is the
sum of the per-node gradients of the untied network).

The **fold** of a Para-algebra means one thing: the categorical fold, the unique
algebra map out of the initial algebra, equal to the core's :func:`catauto.algebra.cata`
term by term, whatever the execution strategy. :func:`fold` runs it in two ways:

- **lists** (``via="scan"``, the default for ``nil | cons``): a reversed ``lax.scan``
  over a padded batch ``xs: [B, T, ...]`` with optional ``lengths: int[B]``, reading each
  row *right to left*: ``h = cons(x_0, cons(x_1, ... cons(x_{n-1}, nil)))``;
- **any polynomial functor** (``via="levels"``): a level-batched fold over a flattened
  forest (:func:`pack_forest`, built on ``catauto.algebra.flatten_forest``). Nodes are
  grouped by height; the leaves (height 0) are computed with one call per nullary
  constructor, then a ``lax.scan`` runs over *steps* of ``W`` node slots each (a level
  wider than ``W`` takes several steps), gathering the kids from a value buffer and
  calling each non-nullary cell once per step. All sizes are padded to powers of two,
  so batches with similar shapes share one compiled program.

The left-to-right RNN ``h_t = cons(x_t, h_{t-1})`` from ``h_0 = nil`` is a different
map with its own name, :func:`foldl` (a forward ``lax.scan``), and
``foldl(alg)(xs) == fold(alg)(reversed(xs))`` (``tests/test_neural_fold.py``). Both
take the same inputs: encoded arrays, or lists of labels that go through the algebra's
encoders (:func:`pack_lists`).

:func:`scan` is *the* batched scan: both list folds, Mealy and Moore runs
(:func:`run_mealy`, :func:`run_moore`), stream unfolds (:func:`stream_prefix`,
:func:`unfold_stream`) and compiled
machines all use it.

>>> import jax, jax.numpy as jnp
>>> from catauto.functor import ListF
>>> summer = ParaAlgebra.of(ListF(), {
...     "nil": Para.lift(lambda lk: jnp.zeros(lk[0].shape[0])),
...     "cons": Para(lambda key: 10.0, lambda p, lk: p * lk[1][0] + lk[0])})
>>> p = summer.init(0)
>>> fold(summer).apply(p, jnp.array([[1.0, 2.0, 3.0]])).tolist()   # cata: right to left
[321.0]
>>> fold(summer, via="levels").apply(p, [(1.0, 2.0, 3.0)]).tolist()   # the same map
[321.0]
>>> foldl(summer).apply(p, [(1.0, 2.0, 3.0)]).tolist()                # left to right
[123.0]
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from catauto.algebra import Forest, InitialAlgebra, flatten_forest, lists, terms
from catauto.coalgebra import Stream
from catauto.errors import CatautoError
from catauto.functor import Constructor, Functor, Layer, Power
from catauto.para import LaxAlgebra, Para, Reparam, split_key

__all__ = [
    "ParaAlgebra",
    "PackedForest",
    "scan",
    "fold",
    "foldl",
    "pack_forest",
    "pack_lists",
    "stream_prefix",
    "unfold_stream",
    "run_mealy",
    "run_moore",
    "split_batch",
]

Array = jax.Array
Encoder = Callable[[np.ndarray], np.ndarray]


# --- the one scan -----------------------------------------------------------------------


def split_batch(batch: Any) -> tuple[Any, Array | None]:
    """A batch is ``xs`` or ``(xs, lengths)``: ``xs`` a pytree of ``[B, T, ...]`` arrays,
    ``lengths`` an ``int[B]`` (the pair ``m.encode_batch(words)`` returns)."""
    if isinstance(batch, tuple) and len(batch) == 2 and np.ndim(batch[1]) == 1:
        return batch[0], batch[1]
    return batch, None


def _where(mask: Array, new: Any, old: Any) -> Any:
    """Per-row select on pytrees: rows where ``mask[i]`` take ``new``."""

    def pick(a: Array, b: Array) -> Array:
        m = mask.reshape(mask.shape + (1,) * (a.ndim - mask.ndim))
        return jnp.where(m, a, b.astype(a.dtype))

    return jax.tree.map(pick, new, old)


def scan(
    step: Callable[[Any, Any, Any], tuple[Any, Any]],
    params: Any,
    h0: Any,
    xs: Any = None,
    lengths: Array | None = None,
    *,
    length: int | None = None,
    unroll: int = 1,
    reverse: bool = False,
) -> tuple[Any, Any]:
    """Run ``step(params, h, x) -> (h', y)`` along a batch of sequences, left to right
    (right to left with ``reverse=True``: ``t = T - 1, ..., 0``, ``ys`` still indexed by
    ``t``).

    ``h0``: pytree of ``[B, ...]``; ``xs``: pytree of ``[B, T, ...]`` (batch-major), or
    ``None`` with ``length=T`` (a stream unfold). With ``lengths: int[B]`` a row's state
    ignores the steps at or past its length (its ``ys`` there are computed but
    meaningless). Returns ``(h_T, ys)`` with ``ys`` a pytree of ``[B, T, ...]``.

    >>> h, ys = scan(lambda p, h, x: (h + x, 2 * h), None, jnp.zeros(2),
    ...              jnp.array([[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]), jnp.array([3, 1]))
    >>> h.tolist(), ys[0].tolist()
    ([3.0, 1.0], [0.0, 2.0, 4.0])
    """
    xs_t = None if xs is None else jax.tree.map(lambda a: jnp.swapaxes(a, 0, 1), xs)
    if lengths is None:

        def body(h: Any, x: Any) -> tuple[Any, Any]:
            return step(params, h, x)

        inputs = xs_t
    else:
        T = jax.tree.leaves(xs_t)[0].shape[0] if xs is not None else length
        lengths = jnp.asarray(lengths)

        def body(h: Any, tx: tuple[Array, Any]) -> tuple[Any, Any]:
            t, x = tx
            h_new, y = step(params, h, x)
            return _where(t < lengths, h_new, h), y

        inputs = (jnp.arange(T), xs_t)
    h, ys = lax.scan(body, h0, inputs, length=length, unroll=unroll, reverse=reverse)
    return h, jax.tree.map(lambda a: jnp.swapaxes(a, 0, 1), ys)


# --- Para-algebras ------------------------------------------------------------------------


def _default_encoder(c: Constructor) -> Encoder:
    """Labels -> arrays: indices for a finite label tuple, index rows for a :class:`Power`,
    ``float32`` values when the label set is ``None`` (any value)."""
    if isinstance(c.labels, tuple):
        index = {a: i for i, a in enumerate(c.labels)}

        def by_index(labels: np.ndarray) -> np.ndarray:
            try:
                return np.fromiter((index[a] for a in labels), np.int32, len(labels))
            except (KeyError, TypeError):
                bad = next(a for a in labels if a not in index)
                raise CatautoError(
                    f"constructor {c.name!r}: label {bad!r} not in {c.labels!r}"
                ) from None

        return by_index
    if isinstance(c.labels, Power):
        index = {a: i for i, a in enumerate(c.labels.base)}
        width = c.labels.length
        return lambda labels: np.array(
            [[index[a] for a in row] for row in labels], np.int32
        ).reshape(len(labels), width)

    def by_value(labels: np.ndarray) -> np.ndarray:
        if len(labels) == 0:
            return np.zeros(0, np.float32)
        return np.asarray(labels.tolist(), np.float32)

    return by_value


@dataclass(frozen=True)
class ParaAlgebra:
    """A Para-algebra ``F(X) -> X``: one cell per constructor, one shared parameter.

    ``cells[c].apply(p, (labels, kids))`` gets the *whole* shared parameter ``p`` (the
    copy map Δ hands it to every cell), a batch of encoded labels ``[m, ...]`` and a
    tuple of ``arity_c`` kid carriers (pytrees of ``[m, ...]``), and returns the
    carrier ``[m, ...]``. ``encoders[c]`` turns an object array of labels into the
    label array (default: see :func:`_default_encoder`); an encoder must also accept an
    empty array.

    :meth:`of` builds one from independent cells, with parameter ``{name: p_c}``.
    """

    functor: Functor
    init: Callable[[Any], Any]
    cells: Mapping[str, Para]
    encoders: Mapping[str, Encoder] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = [c.name for c in self.functor.constructors]
        if sorted(self.cells) != sorted(names):
            raise CatautoError(
                f"a Para-algebra of {self.functor.name} needs one cell per constructor "
                f"{names}, got {sorted(self.cells)}"
            )
        unknown = set(self.encoders) - set(names)
        if unknown:
            raise CatautoError(f"encoders for unknown constructors {sorted(unknown)}")

    @staticmethod
    def of(
        functor: Functor, cells: Mapping[str, Para], encoders: Mapping[str, Encoder] | None = None
    ) -> ParaAlgebra:
        """The algebra of independent cells: parameter ``{name: p_name}``; cell ``c`` is
        reparametrised by the projection ``P -> P[c]``."""
        names = list(cells)

        def init(key: Any) -> dict:
            return {n: cells[n].init(k) for n, k in zip(names, split_key(key, len(names)))}

        shared = {n: cells[n].reparam(Reparam(init, _Project(n))) for n in names}
        return ParaAlgebra(functor, init, shared, dict(encoders or {}))

    def encode(self, con: str, labels: np.ndarray) -> np.ndarray:
        """The label array of constructor ``con`` for an object array of labels."""
        enc = self.encoders.get(con) or _default_encoder(self.functor.constructor(con))
        return np.asarray(enc(labels))

    def apply_layer(self, params: Any, layer: Layer) -> Any:
        """One unbatched layer (kids are carriers without batch axis): the eager,
        per-node reference that :func:`catauto.algebra.cata` can fold with."""
        self.functor.check(layer)
        labels = np.empty(1, dtype=object)
        labels[0] = layer.label
        kids = tuple(jax.tree.map(lambda a: jnp.asarray(a)[None], k) for k in layer.kids)
        out = self.cells[layer.con].apply(params, (self.encode(layer.con, labels), kids))
        return jax.tree.map(lambda a: a[0], out)

    def as_para(self) -> Para:
        """This algebra as one Para ``P ▶ F(X) -> X`` on unbatched layers."""
        return Para(self.init, self.apply_layer)

    def lax(self) -> LaxAlgebra:
        """This algebra as the core's lax algebra of ``Para(F)``
        (:class:`catauto.para.LaxAlgebra`): its fold hands ``p`` to every node through
        the strength ``σ``, and its square commutes up to ``Δ``."""
        return LaxAlgebra(self.functor, self.as_para())

    def cata(self, params: Any, value: Any, initial: InitialAlgebra | None = None) -> Any:
        """Eager per-node fold, the reference semantics (slow): the fold of
        :meth:`lax`, i.e. the core's ``cata`` with every cell reading ``params``."""
        return self.lax().fold(initial or terms(self.functor)).apply(params, value)


@dataclass(frozen=True)
class _Project:
    name: str

    def __call__(self, p: Mapping) -> Any:
        return p[self.name]


# --- packed forests -------------------------------------------------------------------------


@jax.tree_util.register_dataclass
@dataclass(frozen=True)
class PackedForest:
    """A forest laid out for the level-batched fold; every size a power of two.

    Buffer positions: the ``L`` leaf slots first, then ``S`` steps of ``W`` slots.
    ``leaf_con: int32[L]`` constructor ids (-1: padding); ``leaf_labels[c]: [L, ...]``;
    ``step_con: int32[S, W]``; ``step_kids: int32[S, W, k]`` buffer positions of the
    kids (0 past the arity); ``step_labels[c]: [S, W, ...]``; ``roots: int32[t]``.
    Padding slots compute harmless values nobody reads.
    """

    leaf_con: Any
    leaf_labels: dict
    step_con: Any
    step_kids: Any
    step_labels: dict
    roots: Any

    @property
    def bucket(self) -> tuple[int, ...]:
        """``(L, S, W, t)``: batches with equal buckets share one compiled fold."""
        S, W = self.step_con.shape
        return (self.leaf_con.shape[0], S, W, self.roots.shape[0])

    @property
    def n_nodes(self) -> int:
        """Real (non-padding) nodes."""
        return int((np.asarray(self.leaf_con) >= 0).sum() + (np.asarray(self.step_con) >= 0).sum())


def _pow2(n: int, least: int = 1) -> int:
    return max(least, 1 << max(0, int(n) - 1).bit_length())


def _choose_width(counts: np.ndarray, nodes_per_step: int = 24) -> int:
    """The step width ``W``: the widest level rounded up to a power of two, but no more
    than about ``1 / nodes_per_step`` of the inner nodes, so that a tall, thin forest
    takes few padded slots and a wide one few steps. It depends on coarse statistics
    only, so similar batches get the same ``W`` (and the same compiled program)."""
    if len(counts) == 0:
        return 8
    return max(8, min(_pow2(counts.max()), _pow2(-(-int(counts.sum()) // nodes_per_step))))


def pack_forest(
    values: Sequence | Forest,
    algebra: ParaAlgebra,
    initial: InitialAlgebra | Functor | None = None,
    *,
    width: int | None = None,
    min_leaves: int = 1,
    min_steps: int = 0,
) -> PackedForest:
    """Flatten ``values`` (terms of ``initial``, default the generic terms of the
    algebra's functor; or a ready :class:`~catauto.algebra.Forest`) and lay them out
    for :func:`fold` (``via="levels"``). Host-side numpy, vectorised over nodes except
    for label encoding; pack once and reuse across epochs.

    ``width`` fixes the step width ``W`` (a power of two); by default it is chosen from
    the level sizes. ``min_leaves`` and ``min_steps`` are floors for the padded sizes
    ``L`` and ``S``: batches that fit under them all land in one bucket.
    """
    F = algebra.functor
    if isinstance(values, Forest):
        forest = values
    else:
        forest = flatten_forest(values, initial if initial is not None else terms(F))
    if forest.functor.signature != F.signature:
        raise CatautoError(
            f"forest of {forest.functor.name} {forest.functor.signature} given to an "
            f"algebra of {F.name} {F.signature}"
        )
    n, k = forest.n_nodes, max(F.max_arity, 1)
    levels = forest.levels
    n0 = int(levels[1]) if len(levels) > 1 else 0
    inner = np.diff(levels)[1:]  # nodes per height 1, 2, ...
    if width is not None and (width < 1 or width & (width - 1)):
        raise CatautoError(f"pack_forest: width must be a power of two, got {width}")
    W = width or _choose_width(inner)
    chunks = -(-inner // W)
    S = int(chunks.sum())
    S_pad = max(_pow2(S) if S else 0, _pow2(min_steps) if min_steps else 0)
    L = max(_pow2(n0), _pow2(min_leaves))

    # Buffer position of every node: leaves in order, inner nodes by (step, slot).
    pos = np.arange(n, dtype=np.int64)
    if n > n0:
        h = forest.height[n0:].astype(np.int64)
        j = np.arange(n0, n) - levels[h]
        first_step = np.concatenate([[0], np.cumsum(chunks)[:-1]])
        pos[n0:] = L + (first_step[h - 1] + j // W) * W + j % W
    slot = pos[n0:] - L  # inner nodes' flat step slots

    leaf_con = np.full(L, -1, np.int32)
    leaf_con[:n0] = forest.con[:n0]
    step_con = np.full(S_pad * W, -1, np.int32)
    step_con[slot] = forest.con[n0:]
    kids = forest.kids[n0:]
    step_kids = np.zeros((S_pad * W, k), np.int32)
    step_kids[slot, : kids.shape[1]] = np.where(kids >= 0, pos[np.maximum(kids, 0)], 0)

    leaf_labels, step_labels = {}, {}
    for i, c in enumerate(F.constructors):
        nodes = np.flatnonzero(forest.con == i)
        enc = algebra.encode(c.name, forest.label[nodes])
        if c.arity == 0:
            out = np.zeros((L, *enc.shape[1:]), enc.dtype)
            out[pos[nodes]] = enc
            leaf_labels[c.name] = out
        else:
            out = np.zeros((S_pad * W, *enc.shape[1:]), enc.dtype)
            out[pos[nodes] - L] = enc
            step_labels[c.name] = out.reshape(S_pad, W, *enc.shape[1:])
    return PackedForest(
        leaf_con=leaf_con,
        leaf_labels=leaf_labels,
        step_con=step_con.reshape(S_pad, W),
        step_kids=step_kids.reshape(S_pad, W, k),
        step_labels=step_labels,
        roots=pos[forest.roots].astype(np.int32),
    )


def _fold_levels(alg: ParaAlgebra, p: Any, pf: PackedForest) -> Any:
    cons = list(enumerate(alg.functor.constructors))
    value = None
    for i, c in cons:
        if c.arity == 0:
            out = alg.cells[c.name].apply(p, (pf.leaf_labels[c.name], ()))
            value = out if value is None else _where(pf.leaf_con == i, out, value)
    if value is None:
        raise CatautoError(f"{alg.functor.name} has no nullary constructor: no finite terms")
    S, W = pf.step_con.shape
    inner = [(i, c) for i, c in cons if c.arity > 0]
    if S and inner:
        L = pf.leaf_con.shape[0]
        buffer = jax.tree.map(
            lambda a: jnp.concatenate([a, jnp.zeros((S * W, *a.shape[1:]), a.dtype)]), value
        )

        def step(buf: Any, xs: tuple) -> tuple[Any, None]:
            s, con, kid_pos, labels = xs
            gathered = jax.tree.map(lambda b: b[kid_pos], buf)  # [W, k, ...]
            new = None
            for i, c in inner:
                kids = tuple(jax.tree.map(lambda g, j=j: g[:, j], gathered) for j in range(c.arity))
                out = alg.cells[c.name].apply(p, (labels[c.name], kids))
                new = out if new is None else _where(con == i, out, new)
            buf = jax.tree.map(
                lambda b, o: lax.dynamic_update_slice_in_dim(b, o.astype(b.dtype), L + s * W, 0),
                buf,
                new,
            )
            return buf, None

        value, _ = lax.scan(
            step, buffer, (jnp.arange(S), pf.step_con, pf.step_kids, pf.step_labels)
        )
    return jax.tree.map(lambda b: b[pf.roots], value)


def _is_list_functor(F: Functor) -> bool:
    return F.signature == (("nil", 0), ("cons", 1))


def _is_array(x: Any) -> bool:
    return isinstance(x, np.ndarray | jax.Array)


def _is_encoded(batch: Any) -> bool:
    """``xs`` or ``(xs, lengths)`` of arrays (not a sequence of lists of labels)."""
    xs, _ = split_batch(batch)
    leaves = jax.tree.leaves(xs)
    return bool(leaves) and all(_is_array(a) for a in leaves)


def _labels_of(value: Any, initial: InitialAlgebra | None) -> list:
    """The labels of one list, first to last: a value of ``initial``, a generic term
    (nested :class:`Layer`) or any Python sequence of labels."""
    if initial is None and not isinstance(value, Layer):
        return list(value)
    project = initial.project if initial is not None else (lambda v: v)
    out = []
    layer = project(value)
    while layer.con == "cons":
        out.append(layer.label)
        layer = project(layer.kids[0])
    return out


def pack_lists(
    values: Sequence,
    algebra: ParaAlgebra,
    initial: InitialAlgebra | Functor | None = None,
    *,
    min_length: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """Encode lists for the list folds (:func:`fold`, :func:`foldl`): ``(xs, lengths)``
    with ``xs: [B, T, ...]`` the ``cons`` labels through the algebra's encoder, row ``i``
    left-aligned and zero-padded, ``lengths: int32[B]``. ``T`` is the longest list
    rounded up to a power of two (at least ``min_length``), so similar batches share one
    compiled fold. A list is a value of ``initial`` (e.g. a tuple of
    :func:`~catauto.algebra.lists`), a generic term, or any sequence of labels.

    >>> from catauto.functor import ListF
    >>> alg = ParaAlgebra.of(ListF(("a", "b")), {"nil": Para.identity(), "cons": Para.identity()})
    >>> xs, n = pack_lists([("a", "b", "b"), ()], alg)
    >>> xs.tolist(), n.tolist()
    ([[0, 1, 1, 0], [0, 0, 0, 0]], [3, 0])
    """
    F = algebra.functor
    if not _is_list_functor(F):
        raise CatautoError(f"pack_lists needs a list functor nil | cons, got {F.signature}")
    if isinstance(initial, Functor):
        initial = terms(initial)
    rows = [_labels_of(v, initial) for v in values]
    lengths = np.array([len(r) for r in rows], np.int32)
    flat = np.empty(int(lengths.sum()), dtype=object)
    for i, a in enumerate(a for r in rows for a in r):  # labels may be tuples
        flat[i] = a
    enc = algebra.encode("cons", flat)
    T = _pow2(int(lengths.max(initial=0)), max(1, min_length))
    xs = np.zeros((len(rows), T, *enc.shape[1:]), enc.dtype)
    mask = np.arange(T) < lengths[:, None]
    xs[mask] = enc
    return xs, lengths


def _list_fold(
    alg: ParaAlgebra, initial: InitialAlgebra | Functor | None, reverse: bool, name: str
) -> Para:
    if not _is_list_functor(alg.functor):
        raise CatautoError(f"{name} needs a list functor nil | cons, got {alg.functor.signature}")
    nil, cons = alg.cells["nil"], alg.cells["cons"]

    def apply(p: Any, batch: Any) -> Any:
        if not _is_encoded(batch):
            batch = pack_lists(batch, alg, initial)
        xs, lengths = split_batch(batch)
        B = jax.tree.leaves(xs)[0].shape[0]
        h0 = nil.apply(p, (jnp.zeros(B, jnp.int32), ()))

        def step(q: Any, h: Any, x: Any) -> tuple[Any, None]:
            return cons.apply(q, (x, (h,))), None

        return scan(step, p, h0, xs, lengths, reverse=reverse)[0]

    return Para(alg.init, apply)


def fold(
    alg: ParaAlgebra,
    via: str = "auto",
    *,
    initial: InitialAlgebra | Functor | None = None,
    width: int | None = None,
) -> Para:
    """The fold (``cata``) of a Para-algebra, as a Para with the algebra's parameter: the
    value of each term equals :func:`catauto.algebra.cata` of the algebra on it, whatever
    ``via`` says; ``via`` chooses only how the batch is computed.

    - ``via="scan"`` (the default for list functors ``nil | cons``): a reversed
      ``lax.scan``. Input ``xs`` or ``(xs, lengths)``, ``xs`` the encoded ``cons``
      labels ``[B, T, ...]`` (rows left-aligned), or a sequence of lists (values of
      ``initial``, generic terms, or sequences of labels), encoded by :func:`pack_lists`;
      output the carrier ``[B, ...]``, ``cons(x_0, cons(x_1, ... nil))``.
    - ``via="levels"`` (the default otherwise): input a :class:`PackedForest` (jit-able),
      or a :class:`~catauto.algebra.Forest` or a sequence of terms of ``initial``
      (packed on the fly, eagerly; for a list functor, Python sequences of labels are
      lists); output the carrier of each root ``[t, ...]``.

    The left-to-right RNN is :func:`foldl`, not a flag of this function.
    """
    if via == "auto":
        via = "scan" if _is_list_functor(alg.functor) else "levels"
    if via == "scan":
        return _list_fold(alg, initial, reverse=True, name="fold via scan")
    if via != "levels":
        raise CatautoError(f"fold: via must be 'auto', 'scan' or 'levels', got {via!r}")

    def apply_levels(p: Any, forest: Any) -> Any:
        if not isinstance(forest, PackedForest):
            init = initial
            if init is None and _is_list_functor(alg.functor) and not isinstance(forest, Forest):
                forest = list(forest)
                if not any(isinstance(v, Layer) for v in forest):
                    init = lists()  # sequences of labels, as the scan path takes them
                    forest = [tuple(v) for v in forest]
            forest = pack_forest(forest, alg, init, width=width)
        return _fold_levels(alg, p, forest)

    return Para(alg.init, apply_levels)


def foldl(alg: ParaAlgebra, *, initial: InitialAlgebra | Functor | None = None) -> Para:
    """The left fold of a list Para-algebra: the left-to-right RNN
    ``h_t = cons(x_t, h_{t-1})`` from ``h_0 = nil``, a forward ``lax.scan``.

    It takes what :func:`fold` takes (encoded ``xs`` or ``(xs, lengths)``, or lists of
    labels through the algebra's encoder) and ``foldl(alg)(xs) == fold(alg)(reversed(xs))``
    for every list (the core's :func:`catauto.algebra.foldl` likewise).

    >>> from catauto.functor import ListF
    >>> digits = ParaAlgebra.of(ListF(), {
    ...     "nil": Para.lift(lambda lk: jnp.zeros(lk[0].shape[0])),
    ...     "cons": Para.lift(lambda lk: 10 * lk[1][0] + lk[0])})
    >>> p = {"nil": (), "cons": ()}
    >>> foldl(digits).apply(p, [(1.0, 2.0, 3.0), (4.0,)]).tolist()
    [123.0, 4.0]
    >>> fold(digits).apply(p, [(3.0, 2.0, 1.0), (4.0,)]).tolist()
    [123.0, 4.0]
    """
    return _list_fold(alg, initial, reverse=False, name="foldl")


# --- unfolds and full RNNs (Para-coalgebras) ------------------------------------------------


def _stream_step(coalg: Para) -> Callable[[Any, Any, Any], tuple[Any, Any]]:
    """The scan step of a ``StreamF`` Para-coalgebra: ``coalg.apply(p, h)`` is the core's
    layer ``Layer("cons", y, (h',))`` or the pair ``(y, h')``."""

    def step(p: Any, h: Any, _: Any) -> tuple[Any, Any]:
        out = coalg.apply(p, h)
        if isinstance(out, Layer):
            if out.con != "cons" or len(out.kids) != 1:
                raise CatautoError(
                    f"a StreamF coalgebra returns Layer('cons', y, (h',)), got {out.con!r} "
                    f"with {len(out.kids)} kids"
                )
            return out.kids[0], out.label
        y, h2 = out
        return h2, y

    return step


def _as_para(coalg: Para | Callable[[Any], Any]) -> Para:
    """A :class:`Para`, or a parameterless coalgebra (a function, e.g. a core
    :class:`~catauto.coalgebra.Coalgebra`) lifted to one."""
    return coalg if isinstance(coalg, Para) else Para.lift(coalg)


def stream_prefix(coalg: Para | Callable[[Any], Any], steps: int) -> Para:
    """The first ``steps`` outputs of the stream unfold of a Para-coalgebra of ``StreamF``
    (:func:`unfold_stream`), as one jit-able Para.

    ``coalg.apply(p, h)`` returns the core's layer ``Layer("cons", y, (h',))`` (the shape
    :func:`catauto.coalgebra.unfold_stream` takes) or the pair ``(y, h')``; a
    parameterless coalgebra (a plain function or a core ``Coalgebra``) is lifted with
    ``Para.lift``. The result maps seeds ``h0: [B, ...]`` to ``[B, steps, ...]``, the
    prefix of :func:`unfold_stream` (a lazily extended view of the whole stream).

    >>> from catauto.functor import Layer
    >>> counter = Para.lift(lambda h: Layer("cons", h, (h + 1.0,)))
    >>> stream_prefix(counter, 4).apply((), jnp.array([0.0, 10.0])).tolist()
    [[0.0, 1.0, 2.0, 3.0], [10.0, 11.0, 12.0, 13.0]]
    """
    coalg = _as_para(coalg)
    step = _stream_step(coalg)
    return Para(coalg.init, lambda p, h0: scan(step, p, h0, None, length=steps)[1])


@functools.lru_cache(maxsize=32)
def _chunk_runner(coalg: Para, chunk: int) -> Callable[[Any, Any], tuple[Any, Any]]:
    step = _stream_step(coalg)
    return jax.jit(lambda p, h: scan(step, p, h, None, length=chunk))


def unfold_stream(
    coalg: Para | Callable[[Any], Any], params: Any, seed: Any, *, chunk: int = 16
) -> Stream:
    """The stream unfold of a Para-coalgebra of ``StreamF`` at ``params``, as a lazy
    :class:`~catauto.coalgebra.Stream` (the lift of
    :func:`catauto.coalgebra.unfold_stream`): elements ``y_0, y_1, ...`` (each a pytree
    of ``[B, ...]`` for a batch of seeds ``[B, ...]``) computed ``chunk`` steps at a
    time by one compiled scan, extended only when read past the computed prefix.

    Its prefixes equal the core unfold of the same coalgebra,
    ``unfold_stream(lambda h: coalg.apply(params, h), seed)``, the unfold of the core
    Para-coalgebra ``LaxCoalgebra(StreamF(), coalg).unfold_stream(params, seed)`` (which
    hands ``params`` to every step through the strength), and those of
    :func:`stream_prefix`; it satisfies the unfold equations ``head = y(seed)``,
    ``tail = unfold_stream(next(seed))`` (``tests/test_neural_stream.py``).

    >>> from catauto.coalgebra import take
    >>> from catauto.functor import Layer
    >>> doubling = Para(lambda key: 2.0, lambda p, h: Layer("cons", h, (p * h,)))
    >>> s = unfold_stream(doubling, 2.0, jnp.array([1.0]), chunk=3)
    >>> [float(y[0]) for y in take(s, 5)]
    [1.0, 2.0, 4.0, 8.0, 16.0]
    """
    if chunk < 1:
        raise CatautoError(f"unfold_stream: chunk must be >= 1, got {chunk}")
    run = _chunk_runner(_as_para(coalg), chunk)

    def from_state(h: Any) -> Stream:
        h_end, ys = run(params, h)

        def at(t: int) -> Stream:
            y = jax.tree.map(lambda a: a[:, t], ys)
            if t + 1 == chunk:
                return Stream(y, lambda: from_state(h_end))
            return Stream(y, lambda: at(t + 1))

        return at(0)

    return from_state(seed)


def _batch_size(xs: Any) -> int:
    return jax.tree.leaves(xs)[0].shape[0]


def run_mealy(cell: Para, start: Para) -> Para:
    """A Mealy Para-coalgebra run over input batches: the full RNN ``xs -> ys``.

    ``cell: (h, x) -> (h', y)``; ``start: B -> h0``. Input ``xs`` or ``(xs, lengths)``;
    output ``ys: [B, T, ...]`` (rows past their length: meaningless). Parameter
    ``(p_start, p_cell)``.
    """

    def apply(p: tuple, batch: Any) -> Any:
        xs, lengths = split_batch(batch)
        h0 = start.apply(p[0], _batch_size(xs))
        return scan(lambda q, h, x: cell.apply(q, (h, x)), p[1], h0, xs, lengths)[1]

    return Para((start @ cell).init, apply)


def run_moore(transition: Para, readout: Para, start: Para) -> Para:
    """A Moore Para-coalgebra run over input batches: ``ys[:, t]`` is the readout of the
    state after ``t`` inputs, so ``ys: [B, T + 1, ...]`` (past a row's length the state,
    hence the output, stays). ``transition: (h, x) -> h'``, ``readout: h -> y``,
    ``start: B -> h0``; parameter ``(p_start, p_transition, p_readout)``.
    """

    def apply(p: tuple, batch: Any) -> Any:
        ps, pt, pr = p
        xs, lengths = split_batch(batch)
        h0 = start.apply(ps, _batch_size(xs))

        def step(q: Any, h: Any, x: Any) -> tuple[Any, Any]:
            # read the carried (length-masked) state, so outputs stay put past the end
            return transition.apply(q, (h, x)), readout.apply(pr, h)

        h, ys = scan(step, pt, h0, xs, lengths)
        last = readout.apply(pr, h)
        return jax.tree.map(lambda a, b: jnp.concatenate([a, b[:, None]], 1), ys, last)

    def init(key: Any) -> tuple:
        k1, k2, k3 = split_key(key, 3)
        return (start.init(k1), transition.init(k2), readout.init(k3))

    return Para(init, apply)
