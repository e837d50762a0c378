"""Partition refinement's numpy rounds against naive refinement, on purpose in the cases
random machines rarely reach: many small machines through each numpy path (Hopcroft
signatures mix splitter blocks and -1, so a key base of n_blocks collides), signatures
too wide for one packed int64 key (the lexsort path), a key base that is a power of two,
and labels given as rows (dense_labels packs their columns)."""

from __future__ import annotations

import numpy as np
import pytest

import catauto.coalgebra.partition as R
from catauto import CatautoError
from catauto.coalgebra import refine
from catauto.coalgebra.partition import dense_labels
from test_refine import PATHS, naive_refine, same_partition

NUMPY_PATHS = ["numpy rounds, inverse lists", "numpy rounds, scans", "moore then numpy"]


def machines(rng, count: int, states=(1, 13), width: int = 1, n_labels: int = 6):
    """Random machines of ``states`` (a range) states; with ``width`` > 1 each column of
    a table of 1..3 inputs is repeated at random positions of a table ``width`` times
    wider (the same behaviour, wide keys)."""
    for _ in range(count):
        n, k = int(rng.integers(*states)), int(rng.integers(1, 4))
        delta = rng.integers(0, n, size=(n, k))
        if width > 1:
            delta = delta[:, rng.integers(0, k, size=k * width)]
        labels = rng.integers(0, int(rng.integers(1, n_labels + 1)), size=n)
        yield delta, labels


def all_equal_naive(path: str, tables, **patches) -> None:
    with pytest.MonkeyPatch.context() as mp:
        for name, value in {**PATHS[path], **patches}.items():
            mp.setattr(R, name, value)
        for delta, labels in tables:
            assert same_partition(refine(delta, labels), naive_refine(delta, labels))


@pytest.mark.parametrize("path", NUMPY_PATHS)
def test_numpy_rounds_equal_naive_on_many_small_machines(path: str) -> None:
    all_equal_naive(path, machines(np.random.default_rng(11), 600))


@pytest.mark.parametrize("path", NUMPY_PATHS)
def test_numpy_rounds_equal_naive_on_medium_machines(path: str) -> None:
    """60 to 200 states: blocks start far into the layout (past bit 64 of any shift)."""
    all_equal_naive(path, machines(np.random.default_rng(14), 40, (60, 200), n_labels=2))


@pytest.mark.parametrize("path", ["default", *NUMPY_PATHS])
def test_wide_signatures_take_the_lexsort_path_and_equal_naive(path: str) -> None:
    """24+ inputs and 5+ blocks: nb ** (k + 1) >= 2**62, so signatures are sorted by
    lexsort; the machines need several rounds (their columns repeat)."""
    calls, real = [], np.lexsort
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(np, "lexsort", lambda keys: calls.append(1) or real(keys))
        all_equal_naive(path, machines(np.random.default_rng(12), 250, width=12))
    assert calls  # the path was taken


def test_a_packed_key_whose_base_is_a_power_of_two_keeps_every_column() -> None:
    """15 labels (key base 16) and 15 inputs: 16 ** 16 = 2**64 is past the guard, so
    lexsort; were it packed anyway, the label column would overflow out of the key and
    states with different labels but the same successors would look alike."""
    n = 30
    labels = np.arange(n) % 15
    for delta in (np.zeros((n, 15), dtype=int), np.tile(np.arange(n)[::-1, None], 15)):
        block = refine(delta, labels)
        assert same_partition(block, naive_refine(delta, labels))
    assert len(set(refine(np.zeros((n, 15), dtype=int), labels).tolist())) == 15


@pytest.mark.parametrize("seed", range(4))
def test_dense_labels_of_rows_equal_first_occurrence(seed: int) -> None:
    """Row labels with many distinct values per column: the packed key of the columns
    must never let two different rows share a number (brute force on tuples)."""
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, int(rng.integers(2, 40)), size=(200, int(rng.integers(2, 6))))
    number = dense_labels(rows).tolist()
    first: dict[tuple, int] = {}
    ref = [first.setdefault(tuple(r), len(first)) for r in rows.tolist()]
    assert all((number[p] == number[q]) == (ref[p] == ref[q]) for p in range(200) for q in range(p))
    # numbered in sorted order of the rows
    assert [tuple(r) for r in rows[np.argsort(number, kind="stable")].tolist()] == sorted(
        map(tuple, rows.tolist())
    )


@pytest.mark.parametrize("n", [1, 2, 3, 8])
def test_messages_name_the_range_of_states(n: int) -> None:
    """Every message that refuses a state names the states there are: 0..n-1."""
    complete = np.zeros((n, 2), dtype=int)
    bad = complete.copy()
    bad[n - 1, 1] = n
    with pytest.raises(
        CatautoError, match=rf"delta\[{n - 1}, 1\] = {n} is not a state 0\.\.{n - 1}:"
    ):
        refine(bad, np.zeros(n))
    bad[n - 1, 1] = -2
    with pytest.raises(
        CatautoError, match=rf"= -2 is neither -1 \(undefined\) nor a state 0\.\.{n - 1}$"
    ):
        R.bfs_order(bad, 0)
    with pytest.raises(CatautoError, match=rf"initial = {n} is not a state 0\.\.{n - 1}$"):
        refine(complete, np.zeros(n), initial=n)


def test_a_machine_without_states_has_no_blocks() -> None:
    for k in (0, 2):
        empty = np.zeros((0, k), dtype=int)
        assert refine(empty, []).tolist() == []
        assert refine(empty, np.zeros((0, 3))).tolist() == []


def naive_bfs(delta: np.ndarray, initial: int) -> list[int]:
    """Breadth-first search with a queue, successors in input order, -1 skipped."""
    order, seen, queue = [initial], {initial}, [initial]
    while queue:
        q = queue.pop(0)
        for t in delta[q].tolist():
            if t >= 0 and t not in seen:
                seen.add(t)
                order.append(t)
                queue.append(t)
    return order


@pytest.mark.parametrize("seed", range(6))
def test_bfs_order_of_partial_machines_with_wide_levels(seed: int) -> None:
    """Levels of more than 64 successors run in numpy; undefined (-1) entries are skipped."""
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(100, 600)), int(rng.integers(2, 9))
    delta = rng.integers(0, n, size=(n, k))
    delta[rng.random((n, k)) < 0.3] = -1
    initial = int(rng.integers(0, n))
    assert R.bfs_order(delta, initial).tolist() == naive_bfs(delta, initial)


def test_more_labels_than_fit_in_16_bits() -> None:
    """70,000 labels, each on two states: the initial blocks are laid out by a sort of
    the labels that must not wrap them around 2**16. Twins that swap places stay
    together; twins of which one moves to state 0 split (but for states 0 and 1)."""
    n = 140_000
    labels = np.arange(n) // 2
    swap = (np.arange(n) ^ 1)[:, None]
    assert np.array_equal(refine(swap, labels), labels)
    apart = np.where(np.arange(n) % 2, 0, np.arange(n))[:, None]
    block = refine(apart, labels)
    assert block[0] == block[1] and len(np.unique(block)) == n - 1
