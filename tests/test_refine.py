"""Partition refinement against naive round-by-round refinement, in every code path."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import catauto.coalgebra.partition as R
from catauto import CatautoError
from catauto.coalgebra import bfs_order, bisimilar, quotient, refine
from catauto.coalgebra.partition import dense_labels


def naive_refine(delta: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Moore's algorithm, written independently: split by successor classes until stable."""
    n, k = delta.shape
    labels = labels.reshape(n, -1)
    names: dict = {}
    block = [names.setdefault(tuple(row), len(names)) for row in labels.tolist()]
    while True:
        names = {}
        new = [
            names.setdefault((block[q], *(block[t] for t in delta[q].tolist())), len(names))
            for q in range(n)
        ]
        if len(names) == len(set(block)):
            return np.array(new)
        block = new


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    pairs = set(zip(a.tolist(), b.tolist()))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


@st.composite
def complete_tables(draw, max_states: int = 40):
    n = draw(st.integers(1, max_states))
    k = draw(st.integers(1, 3))
    shape = draw(st.sampled_from(["random", "chain", "cycle"]))
    if shape == "random":
        seed = draw(st.integers(0, 2**32 - 1))
        delta = np.random.default_rng(seed).integers(0, n, size=(n, k))
    elif shape == "chain":
        delta = np.repeat(np.minimum(np.arange(1, n + 1), n - 1)[:, None], k, axis=1)
    else:
        delta = np.repeat(((np.arange(n) + 1) % n)[:, None], k, axis=1)
    width = draw(st.sampled_from([0, 1, k]))  # one label per state, or a row
    n_labels = draw(st.integers(1, 3))
    cells = draw(st.lists(st.integers(0, n_labels - 1), min_size=n, max_size=n))
    labels = np.array(cells)
    if width:
        labels = np.stack([np.roll(labels, j) for j in range(width)], axis=1)
    return delta, labels


PATHS = {
    "default": {},
    "hopcroft only": {"_MOORE_PHASE": False},
    "numpy rounds, inverse lists": {"_MOORE_PHASE": False, "_SMALL_ROUND": 0, "_SCAN": 0},
    "numpy rounds, scans": {"_MOORE_PHASE": False, "_SMALL_ROUND": 0, "_SCAN": 10**9},
    "python rounds": {"_MOORE_PHASE": False, "_SMALL_ROUND": 10**9},
    "moore then numpy": {"_SMALL_ROUND": 0, "_SCAN": 0},
}


@pytest.mark.parametrize("path", PATHS)
@given(table=complete_tables())
def test_refine_equals_naive_refinement(path: str, table) -> None:
    delta, labels = table
    with pytest.MonkeyPatch.context() as mp:
        for name, value in PATHS[path].items():
            mp.setattr(R, name, value)
        block = refine(delta, labels)
    assert same_partition(block, naive_refine(delta, labels))
    # canonical numbering: blocks by smallest state
    firsts = [int(np.flatnonzero(block == b)[0]) for b in range(block.max() + 1)]
    assert firsts == sorted(firsts)


@given(table=complete_tables(), data=st.data())
def test_numbering_from_an_initial_state_is_breadth_first(table, data) -> None:
    delta, labels = table
    initial = data.draw(st.integers(0, len(delta) - 1))
    block = refine(delta, labels, initial=initial)
    q = quotient(delta, block)
    reached = bfs_order(q, int(block[initial]))
    assert reached.tolist() == list(range(len(reached)))  # BFS order is the numbering
    assert same_partition(block, refine(delta, labels))


@given(table=complete_tables(), data=st.data())
def test_quotient_is_a_homomorphism(table, data) -> None:
    delta, labels = table
    block = refine(delta, labels)
    q = quotient(delta, block)
    assert (q[block] == block[delta]).all()  # block ∘ delta = quotient ∘ block
    p, r = data.draw(st.integers(0, len(delta) - 1)), data.draw(st.integers(0, len(delta) - 1))
    assert bisimilar(delta, labels, p, r) == (block[p] == block[r])


def test_chain_needs_many_rounds_yet_splits_fully() -> None:
    n = 3000
    delta = np.repeat(np.minimum(np.arange(1, n + 1), n - 1)[:, None], 2, axis=1)
    labels = np.arange(n) == n - 1
    assert refine(delta, labels, initial=0).tolist() == list(range(n))


def test_large_random_machine_matches_naive() -> None:
    rng = np.random.default_rng(7)
    delta = rng.integers(0, 5000, size=(5000, 2))
    delta[:2500] = delta[:2500] % 2500  # two halves, one feeding the other: many rounds
    labels = rng.integers(0, 2, size=5000)
    assert same_partition(refine(delta, labels), naive_refine(delta, labels))


def test_bfs_order_skips_undefined() -> None:
    delta = np.array([[2, -1], [1, 1], [2, 1], [0, 0]])
    assert bfs_order(delta, 0).tolist() == [0, 2, 1]
    big = np.repeat(np.arange(1, 202)[:, None] % 201, 3, axis=1)  # numpy levels too
    assert bfs_order(big, 0).tolist() == list(range(201))


def test_dense_labels() -> None:
    assert dense_labels(np.array(["b", "a", "b"])).tolist() == [1, 0, 1]
    assert dense_labels(["b", "a", "b"]).tolist() == [0, 1, 0]  # first occurrence
    assert dense_labels(np.zeros((3, 0))).tolist() == [0, 0, 0]
    with pytest.raises(CatautoError, match="labels must have shape"):
        dense_labels([1, 2], n=3)


def test_refine_refuses_partial_tables() -> None:
    with pytest.raises(CatautoError, match=r"delta\[0, 1\] = -1 .* complete"):
        refine([[0, -1]], [0])
    with pytest.raises(CatautoError, match="2-d integer table"):
        refine([0, 1], [0, 1])


# Labels of different types, some equal across types (1 == True == 1.0), some unsortable.
MIXED = [0, 1, True, 1.0, 2.5, "0", "1", "a", b"1", None, (0,), (1, "a")]


@st.composite
def mixed_labels(draw, n: int):
    width = draw(st.sampled_from([None, 0, 1, 2]))  # one label per state, or a row
    if width is None:
        return draw(st.lists(st.sampled_from(MIXED), min_size=n, max_size=n))
    row = st.lists(st.sampled_from(MIXED[:-2]), min_size=width, max_size=width)
    return draw(st.lists(row, min_size=n, max_size=n))


def first_equal(labels: list) -> list[int]:
    """Brute force: the first state whose label equals (==) each state's label."""
    return [next(p for p, b in enumerate(labels) if b == a) for a in labels]


@given(data=st.data(), n=st.integers(1, 12))
def test_labels_are_blocked_by_equality(data, n) -> None:
    labels = data.draw(mixed_labels(n))
    first = first_equal(labels)
    number = dense_labels(labels, n).tolist()
    assert all(
        (number[p] == number[q]) == (first[p] == first[q]) for p in range(n) for q in range(n)
    )
    delta = np.random.default_rng(data.draw(st.integers(0, 99))).integers(0, n, size=(n, 2))
    assert same_partition(refine(delta, labels), naive_refine(delta, np.array(first)))


def test_labels_of_different_types_differ() -> None:
    assert not bisimilar([[0], [1]], ["1", 1], 0, 1)
    assert bisimilar([[0], [1]], [None, None], 0, 1)
    assert bisimilar([[0], [1]], [1, 1.0], 0, 1)
    assert bisimilar([[0], [1]], np.array([np.int64(1), 1], dtype=object), 0, 1)
    with pytest.raises(CatautoError, match=r"label of state 1 is not hashable: \[2\]"):
        dense_labels([1, [2]])


def test_states_are_validated() -> None:
    delta, labels = [[1], [0], [2]], [0, 0, 1]
    with pytest.raises(CatautoError, match=r"bisimilar: p = -1 is not a state 0\.\.2"):
        bisimilar(delta, labels, -1, 2)
    with pytest.raises(CatautoError, match=r"bisimilar: q = 3 is not a state"):
        bisimilar(delta, labels, 0, 3)
    with pytest.raises(CatautoError, match=r"refine: initial = -1 is not a state"):
        refine(delta, labels, initial=-1)
    with pytest.raises(CatautoError, match=r"refine: initial = '0' is not a state"):
        refine(delta, labels, initial="0")
    with pytest.raises(CatautoError, match=r"bfs_order: initial = -1 is not a state"):
        bfs_order(delta, -1)
    with pytest.raises(CatautoError, match=r"delta\[1, 0\] = -2 is neither -1"):
        bfs_order([[1], [-2], [2]], 0)
    with pytest.raises(CatautoError, match=r"delta\[2, 0\] = 3 is neither -1"):
        bfs_order([[1], [2], [3]], 0)
    assert bfs_order([[1], [-1]], np.int64(0)).tolist() == [0, 1]


@pytest.mark.parametrize("path", ["default", "python rounds"])
def test_refine_equals_naive_on_many_small_machines(path: str) -> None:
    """A seeded sweep: some splits go wrong on about one small machine in a thousand,
    more than a property test's examples would draw."""
    rng = np.random.default_rng(0)
    assert len(set(refine(np.array([[1, 3], [3, 0], [3, 2], [3, 2]]), [1, 1, 0, 1]))) == 4
    with pytest.MonkeyPatch.context() as mp:
        for name, value in PATHS[path].items():
            mp.setattr(R, name, value)
        for _ in range(1500):
            n, k = int(rng.integers(1, 13)), int(rng.integers(1, 4))
            delta = rng.integers(0, n, size=(n, k))
            labels = rng.integers(0, int(rng.integers(1, 4)), size=n)
            assert same_partition(refine(delta, labels), naive_refine(delta, labels))


def test_refine_equals_naive_on_a_wide_alphabet() -> None:
    rng = np.random.default_rng(1)
    for n in (60, 400):
        delta = rng.integers(0, n, size=(n, 24))
        labels = rng.integers(0, 2, size=n)
        assert same_partition(refine(delta, labels), naive_refine(delta, labels))
