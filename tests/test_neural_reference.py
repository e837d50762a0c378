"""Two neural helpers against references written out: circular_conv with a nonzero bias
against the convolution sum as loops, and the abstraction oracle's k-means against
well-separated clusters whose means are known."""

import itertools

import jax
import numpy as np
import pytest

from catauto.neural.geometric import circular_conv
from catauto.neural.oracle import _kmeans


@pytest.mark.parametrize("n, c_in, c_out", [(1, 1, 1), (4, 2, 3), (5, 1, 2)])
def test_circular_conv_equals_the_sum_as_loops(n: int, c_in: int, c_out: int) -> None:
    rng = np.random.default_rng(n)
    conv = circular_conv(n, c_in, c_out)
    w = rng.normal(size=(c_out, c_in, n)).astype(np.float32)
    b = rng.normal(size=c_out).astype(np.float32)
    x = rng.normal(size=(2, c_in, n)).astype(np.float32)
    y = np.asarray(conv.apply({"w": w, "b": b}, x))
    ref = np.zeros((2, c_out, n))
    for s, o, i in itertools.product(range(2), range(c_out), range(n)):
        ref[s, o, i] = b[o] + sum(
            w[o, c, k] * x[s, c, (i - k) % n] for c in range(c_in) for k in range(n)
        )
    assert np.allclose(y, ref, atol=1e-5)
    assert conv.init(jax.random.key(0))["b"].shape == (c_out,)


@pytest.mark.parametrize("k", [1, 2, 4])
def test_kmeans_finds_the_means_of_separated_clusters(k: int) -> None:
    rng = np.random.default_rng(k)
    means = np.array([[0.0, 0.0], [100.0, 0.0], [0.0, 100.0], [100.0, 100.0]])[:k]
    sizes = [30, 5, 12, 1][:k]  # a cluster of one point (a start state) gets a centre too
    points = np.vstack([m + rng.normal(scale=0.5, size=(s, 2)) for m, s in zip(means, sizes)])
    for seed in range(5):
        centres = _kmeans(points, k, np.random.default_rng(seed))
        assert len(centres) == k
        # each centre is the mean of one cluster (Lloyd's fixed point), every cluster one
        cell = ((points[:, None] - centres[None]) ** 2).sum(-1).argmin(1)
        truth = np.repeat(np.arange(k), sizes)
        assert len(set(zip(cell.tolist(), truth.tolist()))) == k
        for c in range(k):
            assert np.allclose(centres[c], points[cell == c].mean(0))


def test_kmeans_stops_at_the_distinct_points() -> None:
    same = np.ones((6, 3))
    assert np.array_equal(_kmeans(same, 3, np.random.default_rng(0)), np.ones((1, 3)))
    two = np.array([[0.0], [0.0], [1.0], [1.0]])
    centres = _kmeans(two, 4, np.random.default_rng(0))
    assert sorted(centres.ravel().tolist()) == [0.0, 1.0]
