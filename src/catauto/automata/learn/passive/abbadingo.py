"""Abbadingo-style learning problems (Lang, Pearlmutter & Price 1998).

A target is a random DFA on ``5n/4`` states over ``{0, 1}`` (random transitions,
each state accepting with probability 1/2), trimmed to its reachable part, kept only
when its depth (the longest shortest path from the initial state) is exactly
``2·log2(n) − 2`` — otherwise another is drawn. Training and ``n_test`` test strings
are drawn uniformly **without replacement** from all strings of length ``0`` to
``2·log2(n) + 3`` and labelled by the target.

>>> inst = abbadingo_instance(16, 200, seed=0)
>>> inst.depth, len(inst.train), len(inst.test)
(6, 200, 1800)
>>> inst.train.accuracy(inst.target), inst.test.accuracy(inst.target)
(1.0, 1.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from catauto.automata.machine import DFA
from catauto.automata.traces import Sample
from catauto.errors import CatautoError

__all__ = ["AbbadingoInstance", "abbadingo_instance", "abbadingo_target"]


@dataclass(frozen=True)
class AbbadingoInstance:
    """A target DFA with a training and a test sample (inputs ``(0, 1)``)."""

    target: DFA
    train: Sample
    test: Sample
    depth: int


def _depths(delta: np.ndarray, initial: int) -> np.ndarray:
    """Shortest-path depth of every state from ``initial`` (-1: unreachable)."""
    depth = np.full(len(delta), -1, dtype=np.int64)
    depth[initial] = 0
    frontier = np.array([initial])
    d = 0
    while len(frontier):
        d += 1
        nxt = np.unique(delta[frontier].ravel())
        nxt = nxt[depth[nxt] < 0]
        depth[nxt] = d
        frontier = nxt
    return depth


def abbadingo_target(n: int, rng: np.random.Generator, max_tries: int = 10_000) -> DFA:
    """A random DFA on ``5n/4`` states, trimmed to reachable, of depth ``2·log2(n) − 2``."""
    if n < 4 or n & (n - 1):
        raise CatautoError(f"n must be a power of two ≥ 4 (Abbadingo sizes), got {n}")
    size = 5 * n // 4
    want = 2 * int(math.log2(n)) - 2
    for _ in range(max_tries):
        delta = rng.integers(0, size, size=(size, 2))
        accepting = rng.random(size) < 0.5
        initial = int(rng.integers(size))
        depth = _depths(delta, initial)
        if depth.max() != want:
            continue
        keep = np.flatnonzero(depth >= 0)
        renumber = np.full(size, -1)
        renumber[keep] = np.arange(len(keep))
        return DFA(renumber[delta[keep]], accepting[keep], int(renumber[initial]), (0, 1))
    raise CatautoError(f"no random DFA of depth {want} found in {max_tries} tries")


def _strings(indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The binary strings numbered ``indices`` in shortlex order (0 = ε, 1 = "0", ...)."""
    lengths = np.floor(np.log2(indices + 1)).astype(np.int64)
    # guard against float rounding at powers of two
    lengths += (1 << (lengths + 1)) <= indices + 1
    lengths -= (1 << lengths) > indices + 1
    values = indices + 1 - (1 << lengths)
    offsets = np.zeros(len(indices) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    owner = np.repeat(np.arange(len(indices)), lengths)
    pos = np.arange(offsets[-1]) - offsets[owner]
    bits = (values[owner] >> (lengths[owner] - 1 - pos)) & 1
    return bits.astype(np.int32), offsets


def abbadingo_instance(
    n: int, n_train: int, seed: int = 0, n_test: int = 1800
) -> AbbadingoInstance:
    """A target for nominal size ``n`` with ``n_train`` training and ``n_test`` test strings.

    The competition's densities: n = 64 with 1,521 / 2,499 / 3,478 strings, n = 128 with
    4,382 / 8,839 / 10,723, n = 256 with 13,024 / 26,274 / 28,413, n = 512 with
    36,112 / 77,199 / 87,148.
    """
    rng = np.random.default_rng(seed)
    target = abbadingo_target(n, rng)
    max_len = 2 * int(math.log2(n)) + 3
    total = (1 << (max_len + 1)) - 1
    if n_train + n_test > total:
        raise CatautoError(f"only {total} strings of length ≤ {max_len} exist")
    picked = rng.choice(total, size=n_train + n_test, replace=False)
    bits, offsets = _strings(picked)
    labels = target.accepts_batch(*_padded(bits, offsets)).astype(np.int32)
    sample = Sample.from_arrays(bits, offsets, labels, (0, 1))
    train = sample.subset(np.arange(n_train))
    test = sample.subset(np.arange(n_train, n_train + n_test))
    depth = int(_depths(target.delta, target.initial).max())
    return AbbadingoInstance(target, train, test, depth)


def _padded(flat: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lengths = np.diff(offsets)
    width = int(lengths.max()) if len(lengths) else 0
    out = np.zeros((len(lengths), width), dtype=np.int32)
    out[np.arange(width) < lengths[:, None]] = flat
    return out, lengths
