"""Partition refinement: the quotient of a finite coalgebra by bisimilarity.

A deterministic machine with ``n`` states over ``k`` inputs is given by its complete
transition table ``delta: int[n, k]`` and a *label* per state: its output (Moore, DFA)
or its row of transition outputs ``output[q, :]`` (Mealy). Two states are bisimilar when
they carry the same label and, for every input, their successors are again bisimilar;
bisimilar states have the same behaviour (the same image in the final coalgebra), so the
quotient by bisimilarity is the minimal machine.

:func:`refine` computes the bisimilarity classes by partition refinement in bulk. The
partition is an array ``elems`` in which every block is a contiguous segment; a *round*
splits every block by the signature ``(block of q, block reached on each input)``,
grouping the states by one sort of their signatures:

1. *Moore rounds* split by all blocks at once (only states in blocks of two or more
   take part). On typical machines a handful of them reach the fixpoint. Each one must
   follow a round that doubled the number of blocks or halved the states still in
   non-singleton blocks, so there are at most ``2 log2 n + 1`` of them.
2. Then *Hopcroft rounds*: the pending splitters (every piece of a split block except
   its largest — "process the smaller half") are processed together; the predecessors
   of their states come from a CSR array of inverse transitions, and a signature entry
   is the splitter block reached, or -1. A state enters a splitter at most ``log2 n``
   times, so the rounds do ``O(k n log n)`` element operations in all (the sort of
   each round's marked states adds a logarithmic factor of the round's size). Small
   rounds run in plain Python, so a long sequential refinement (a chain of ``n``
   states needs ``n`` rounds) stays cheap.

Partial machines are the caller's business: complete them first (``Machine.complete``),
or add an absorbing "undefined" state with a label of its own, as ``Machine.minimize``
does.

>>> refine([[1], [2], [3], [3]], [0, 0, 0, 1]).tolist()  # a chain: all states apart
[0, 1, 2, 3]
>>> refine([[1, 2], [1, 2], [0, 2]], [0, 0, 1]).tolist()  # states 0 and 1 alike
[0, 0, 1]
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from catauto.errors import CatautoError, first_unhashable

__all__ = ["bfs_order", "bisimilar", "dense_labels", "quotient", "refine"]

_SMALL_ROUND = 256
"""Rounds whose splitters have fewer predecessors than this run in plain Python."""

_SMALL_LEVEL = 64
"""BFS levels with fewer successors than this run in plain Python."""

_SCAN = 2
"""A Hopcroft round scans the whole table when ``_SCAN * |splitters| >= n``."""

_MOORE_PHASE = True
"""Start with Moore rounds (tests switch it off to exercise Hopcroft alone)."""


def _as_delta(delta: Any, partial: bool = False) -> np.ndarray:
    """``delta`` as an ``int32[n, k]`` table of states (or ``-1``, undefined, if partial)."""
    delta = np.asarray(delta)
    if delta.ndim != 2 or delta.dtype.kind not in "iu":
        raise CatautoError(f"delta must be a 2-d integer table, got {delta.dtype} {delta.shape}")
    n, low = delta.shape[0], -1 if partial else 0
    if delta.size and (delta.min() < low or delta.max() >= n):
        q, a = np.argwhere((delta < low) | (delta >= n))[0]
        if partial:
            raise CatautoError(
                f"delta[{q}, {a}] = {delta[q, a]} is neither -1 (undefined) nor a state 0..{n - 1}"
            )
        raise CatautoError(
            f"delta[{q}, {a}] = {delta[q, a]} is not a state 0..{n - 1}: refine needs a"
            " complete table (complete the machine, or add an 'undefined' state)"
        )
    return delta.astype(np.int32, copy=False)


def _state(q: Any, n: int, where: str) -> int:
    """``q`` as a state ``0..n-1``; negative indices do not wrap around."""
    try:
        i = operator.index(q)
    except TypeError:
        i = -1
    if not 0 <= i < n:
        raise CatautoError(f"{where} = {q!r} is not a state 0..{n - 1}")
    return i


def dense_labels(labels: Any, n: int | None = None) -> np.ndarray:
    """Labels (``[n]`` values or ``[n, m]`` rows) renumbered ``0..c-1``: two states get
    the same number iff their labels are equal (``==``).

    Int and bool labels, and numpy arrays of floats or strings, are numbered in sorted
    order; other labels (``None``, mixed types...) in order of first occurrence, by hash.

    >>> dense_labels([7, 3, 7]).tolist()
    [1, 0, 1]
    >>> dense_labels([[1, 2], [1, 3], [1, 2]]).tolist()
    [0, 1, 0]
    >>> dense_labels(["1", 1, None, 1.0]).tolist()
    [0, 1, 2, 1]
    """
    try:
        array = np.asarray(labels)
    except ValueError:  # ragged: labels of different shapes
        array = np.asarray(labels, dtype=object)
    # np.asarray turns ['1', 1] into equal strings and [2**53 + 1, 0.5] into floats: only
    # ints, bools and the caller's own float or string arrays keep their values exactly.
    native = array is labels and array.dtype.kind in "fUS"
    if not (array.dtype.kind in "biu" or native):
        array = np.asarray(labels, dtype=object)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2 or (n is not None and array.shape[0] != n):
        raise CatautoError(f"labels must have shape ({n},) or ({n}, m), got {array.shape}")
    if array.dtype == object:
        return _hashed_labels(array)
    if array.shape[1] == 0:
        return np.zeros(array.shape[0], dtype=np.int32)
    key = np.unique(array[:, 0], return_inverse=True)[1].reshape(-1).astype(np.int64)
    for j in range(1, array.shape[1]):
        col = np.unique(array[:, j], return_inverse=True)[1].reshape(-1)
        key = np.unique(key * (int(col.max()) + 1) + col, return_inverse=True)[1].reshape(-1)
    return key.astype(np.int32)


def _hashed_labels(rows: np.ndarray) -> np.ndarray:
    labels = rows[:, 0].tolist() if rows.shape[1] == 1 else list(map(tuple, rows.tolist()))
    ids: dict = {}
    try:
        return np.array([ids.setdefault(x, len(ids)) for x in labels], dtype=np.int32)
    except TypeError:
        q = first_unhashable(labels)
        if q is None:
            raise
        raise CatautoError(f"label of state {q} is not hashable: {labels[q]!r}") from None


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The concatenation of ``arange(s, e)`` for every pair, without a Python loop."""
    lens = ends - starts
    total = int(lens.sum())
    offsets = np.cumsum(lens) - lens
    return np.repeat(starts - offsets, lens) + np.arange(total)


class _Hopcroft:
    """The state of one refinement: blocks as contiguous segments of ``elems``."""

    def __init__(self, delta: np.ndarray, labels: np.ndarray) -> None:
        n, k = delta.shape
        self.delta, self.n, self.k = delta, n, k
        self.columns = [np.ascontiguousarray(delta[:, a]) for a in range(k)]  # 1-d gathers
        self._pred: np.ndarray | None = None  # built on the first round that needs it
        # Initial partition: one block per label, blocks laid out in label order.
        self.block = labels.astype(np.int32)
        sizes = np.bincount(labels, minlength=1)
        self.n_blocks = len(sizes)
        small = labels.astype(np.uint16) if self.n_blocks < 2**16 else labels
        self.elems = np.argsort(small, kind="stable").astype(np.int32)  # radix sort if small
        self.loc = np.empty(n, dtype=np.int32)
        self.loc[self.elems] = np.arange(n, dtype=np.int32)
        self.start = np.zeros(n, dtype=np.int64)
        self.end = np.zeros(n, dtype=np.int64)
        self.end[: self.n_blocks] = np.cumsum(sizes)
        self.start[: self.n_blocks] = self.end[: self.n_blocks] - sizes
        # Scratch arrays, always reset to their neutral value after use.
        self.in_splitter = np.zeros(n, dtype=bool)
        self.marked = np.zeros(n, dtype=bool)
        self.stamp = np.zeros(n, dtype=np.int64)
        self.n_active = n  # states in blocks of two or more, counted by Moore rounds

    @property
    def pred(self) -> np.ndarray:
        """Predecessors over all letters as CSR: ``pred[ptr[s]:ptr[s+1]]`` enter ``s``."""
        if self._pred is None:
            targets = self.delta.ravel()
            self._pred = (np.argsort(targets, kind="stable") // self.k).astype(np.int32)
            self.ptr = np.zeros(self.n + 1, dtype=np.int64)
            np.cumsum(np.bincount(targets, minlength=self.n), out=self.ptr[1:])
        return self._pred

    def run(self) -> np.ndarray:
        # Phase 1, Moore rounds (split every block by all blocks at once) while they pay:
        # each one must follow a round that doubled the blocks or halved the states still
        # in non-singleton blocks, so there are at most 2 log2(n) + 1 of them.
        if _MOORE_PHASE:
            while True:
                blocks, active = self.n_blocks, self.n_active
                pending = self._bulk_round(None)
                if not len(pending):
                    return self.block  # stable: nothing split
                if self.n_blocks < 2 * blocks and 2 * self.n_active > active:
                    break
        else:
            # Q itself is stable (delta is total): all blocks but the largest suffice.
            sizes = self.end[: self.n_blocks] - self.start[: self.n_blocks]
            pending = np.flatnonzero(np.arange(self.n_blocks) != np.argmax(sizes))
        # Phase 2, Hopcroft from the pieces of the last Moore round.
        k = self.k
        start, end = self.start, self.end
        while len(pending):
            if len(pending) <= _SMALL_ROUND:
                size = sum(int(end[b] - start[b]) for b in pending)
                if size * k <= _SMALL_ROUND:
                    pending = self._small_round([int(b) for b in pending])
                    continue
            pending = self._bulk_round(np.asarray(pending, dtype=np.int64))
        return self.block

    # -- one round in numpy ------------------------------------------------------------
    def _bulk_round(self, splitters: np.ndarray | None) -> np.ndarray:
        """Split by ``splitters`` (block ids), or by all blocks (a Moore round) if None.

        Returns the new splitters: every piece of a split block but its largest.
        """
        block, elems, loc = self.block, self.elems, self.loc
        start, end = self.start, self.end
        if splitters is None:
            # Moore round: every state of a non-singleton block, every successor counts.
            sizes = end[: self.n_blocks] - start[: self.n_blocks]
            marked = np.flatnonzero(sizes[block] > 1)
            self.n_active = len(marked)
            reach = [block[column[marked]] for column in self.columns]
        elif _SCAN * int((end[splitters] - start[splitters]).sum()) >= self.n:
            # Big round: one scan of the whole table costs at most twice the splitters.
            self.in_splitter[splitters] = True
            reach = [block[column] for column in self.columns]
            hit = [self.in_splitter[t] for t in reach]
            self.in_splitter[splitters] = False
            marked_mask = np.logical_or.reduce(hit)
            sizes = end[: self.n_blocks] - start[: self.n_blocks]
            marked_mask &= sizes[block] > 1  # singleton blocks never split
            marked = np.flatnonzero(marked_mask)
            reach = [np.where(h, t, -1)[marked] for t, h in zip(reach, hit)]
        else:
            pred = self.pred
            states = elems[_ranges(start[splitters], end[splitters])]
            preds = pred[_ranges(self.ptr[states], self.ptr[states + 1])]
            # Deduplicate without sorting: exactly one copy of each state keeps its stamp.
            serial = np.arange(len(preds))
            self.stamp[preds] = serial
            marked = preds[self.stamp[preds] == serial]
            bm = block[marked]
            marked = marked[end[bm] - start[bm] > 1]
            self.in_splitter[splitters] = True
            reach = [block[column[marked]] for column in self.columns]
            reach = [np.where(self.in_splitter[t], t, -1) for t in reach]
            self.in_splitter[splitters] = False
        if not len(marked):
            return np.zeros(0, dtype=np.int64)

        # Signature: own block, then per letter the splitter block reached (or -1).
        nb = self.n_blocks + 1
        columns = [block[marked].astype(np.int64)] + [t.astype(np.int64) + 1 for t in reach]
        if nb ** (self.k + 1) < 2**62:
            key = columns[0]
            for c in columns[1:]:
                key = key * nb + c
            order = np.argsort(key)
            key = key[order]
            new_group = key[1:] != key[:-1]
        else:
            order = np.lexsort(columns[::-1])
            new_group = np.zeros(len(marked) - 1, dtype=bool)
            for c in columns:
                cs = c[order]
                new_group |= cs[1:] != cs[:-1]
        ms = marked[order]
        bs = columns[0][order]

        # Keep only the touched blocks that really split.
        new_block = np.concatenate(([True], bs[1:] != bs[:-1]))
        new_group = np.concatenate(([True], new_group))
        run_of = np.cumsum(new_block) - 1
        run_first = np.flatnonzero(new_block)
        touched = bs[run_first]
        n_marked = np.diff(np.append(run_first, len(ms)))
        n_groups = np.bincount(run_of[new_group], minlength=len(touched))
        rest = end[touched] - start[touched] - n_marked
        splits = (n_groups > 1) | (rest > 0)
        if not splits.any():
            return np.zeros(0, dtype=np.int64)
        if not splits.all():
            keep = splits[run_of]
            ms, bs, new_block, new_group = ms[keep], bs[keep], new_block[keep], new_group[keep]
            touched, n_marked, rest = touched[splits], n_marked[splits], rest[splits]
            run_of = np.cumsum(new_block) - 1
            run_first = np.flatnonzero(new_block)

        # Move the marked states to the tail of their block, grouped by signature.
        tail = end[touched] - n_marked
        new_pos = np.repeat(tail - run_first, n_marked) + np.arange(len(ms))
        old_pos = loc[ms]
        holes = old_pos[old_pos < tail[run_of]]
        in_tail = elems[_ranges(tail, end[touched])]
        self.marked[ms] = True
        movers = in_tail[~self.marked[in_tail]]
        self.marked[ms] = False
        elems[holes] = movers
        loc[movers] = holes
        elems[new_pos] = ms
        loc[ms] = new_pos

        # Number the pieces: the unmarked rest keeps the block's id, or else its first group.
        group_first = np.flatnonzero(new_group)
        group_size = np.diff(np.append(group_first, len(ms)))
        group_run = run_of[group_first]
        keeps_id = new_block[group_first] & (rest[group_run] == 0)
        fresh = ~keeps_id
        ids = bs[group_first].copy()
        ids[fresh] = self.n_blocks + np.arange(int(fresh.sum()))
        self.n_blocks += int(fresh.sum())
        end[touched] = tail
        start[ids] = new_pos[group_first]
        end[ids] = new_pos[group_first] + group_size
        block[ms] = np.repeat(ids, group_size).astype(np.int32)

        # New splitters: every piece but the largest of its block.
        biggest_group = np.maximum.reduceat(group_size, np.flatnonzero(new_block[group_first]))
        rest_is_biggest = rest >= biggest_group
        candidate = (group_size == biggest_group[group_run]) & ~rest_is_biggest[group_run]
        cand = np.flatnonzero(candidate)
        cand_run = group_run[cand]
        skip = np.zeros(len(ids), dtype=bool)
        skip[cand[np.flatnonzero(np.diff(cand_run, prepend=-1))]] = True
        return np.concatenate((ids[~skip], touched[(rest > 0) & ~rest_is_biggest]))

    # -- one round in plain Python (same steps, for small rounds) ----------------------
    def _small_round(self, splitters: list[int]) -> list[int]:
        block, elems, loc, delta = self.block, self.elems, self.loc, self.delta
        start, end = self.start, self.end
        pred = self.pred
        ptr = self.ptr
        marked: dict[int, None] = {}
        for b in splitters:
            for i in range(start[b], end[b]):
                s = elems[i]
                for p in range(ptr[s], ptr[s + 1]):
                    marked[int(pred[p])] = None
        in_splitter = set(splitters)
        by_block: dict[int, dict[tuple, list[int]]] = {}
        for q in marked:
            sig = tuple(t if t in in_splitter else -1 for t in block[delta[q]].tolist())
            by_block.setdefault(int(block[q]), {}).setdefault(sig, []).append(q)
        pending: list[int] = []
        for b, groups in by_block.items():
            members = [q for g in groups.values() for q in g]
            s, e = int(start[b]), int(end[b])
            rest = e - s - len(members)
            if rest == 0 and len(groups) == 1:
                continue
            tail = e - len(members)
            member_set = set(members)
            holes = [int(loc[q]) for q in members if loc[q] < tail]
            movers = [int(elems[i]) for i in range(tail, e) if int(elems[i]) not in member_set]
            for h, u in zip(holes, movers):
                elems[h] = u
                loc[u] = h
            pieces = []
            if rest:
                end[b] = tail
                pieces.append((rest, b))
            pos = tail
            for j, g in enumerate(groups.values()):
                if rest == 0 and j == 0:
                    gid = b
                else:
                    gid = self.n_blocks
                    self.n_blocks += 1
                start[gid] = pos
                for q in g:
                    elems[pos] = q
                    loc[q] = pos
                    block[q] = gid
                    pos += 1
                end[gid] = pos
                pieces.append((len(g), gid))
            largest = max(range(len(pieces)), key=lambda i: pieces[i][0])
            pending.extend(gid for i, (_, gid) in enumerate(pieces) if i != largest)
        return pending


def bfs_order(delta: Any, initial: int) -> np.ndarray:
    """States reachable from ``initial`` in breadth-first order (successors by letter).

    ``delta`` is ``int[n, k]`` with ``-1`` for undefined transitions (skipped). The
    result ``int32[r]`` starts with ``initial``; it is the canonical numbering of the
    reachable part: two machines are isomorphic iff their tables renumbered this way
    are equal.

    >>> bfs_order([[2, 1], [1, 1], [0, -1]], 0).tolist()
    [0, 2, 1]
    """
    delta = _as_delta(delta, partial=True)
    n, k = delta.shape
    initial = _state(initial, n, "bfs_order: initial")
    seen = np.zeros(n, dtype=bool)
    seen[initial] = True
    found: list[np.ndarray] = [np.array([initial])]
    run: list[int] = []  # found by small levels, not yet appended to `found`
    frontier: Any = [int(initial)]
    first = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    while len(frontier):
        if len(frontier) * k <= _SMALL_LEVEL:
            nxt = []
            for q in frontier if isinstance(frontier, list) else frontier.tolist():
                for t in delta[q].tolist():
                    if t >= 0 and not seen[t]:
                        seen[t] = True
                        nxt.append(t)
            run.extend(nxt)
            frontier = nxt
            continue
        if run:
            found.append(np.array(run))
            run = []
        succ = np.take(delta, frontier, axis=0).ravel()  # much faster than delta[frontier]
        succ = succ[succ >= 0]
        succ = succ[~seen[succ]]
        serial = np.arange(len(succ))
        np.minimum.at(first, succ, serial)  # the first occurrence wins
        frontier = succ[first[succ] == serial]
        first[succ] = np.iinfo(np.int64).max
        seen[frontier] = True
        found.append(frontier)
    found.append(np.array(run, dtype=np.int64))
    return np.concatenate(found).astype(np.int32)


def quotient(delta: Any, block: Any) -> np.ndarray:
    """The transition table ``int32[b, k]`` of the quotient by a stable partition.

    >>> quotient([[1, 2], [1, 2], [0, 2]], [0, 0, 1]).tolist()
    [[0, 1], [0, 1]]
    """
    delta, block = np.asarray(delta), np.asarray(block)
    rep = np.empty(int(block.max()) + 1, dtype=np.int64)
    rep[block[::-1]] = np.arange(len(block))[::-1]  # any representative does
    return block[np.take(delta, rep, axis=0)].astype(np.int32)


def refine(delta: Any, labels: Any, initial: int | None = None) -> np.ndarray:
    """Bisimilarity classes ``block: int32[n]`` of a complete machine.

    ``delta``: ``int[n, k]``, complete (every entry a state). ``labels``: ``[n]`` (one
    label per state, e.g. Moore outputs) or ``[n, m]`` (a row per state, e.g. the Mealy
    transition outputs ``output[q, :]``); states start in the same block iff their
    labels are equal. Law: ``block[p] == block[q]`` iff ``p`` and ``q`` have the same
    output on every word.

    Numbering is canonical: with ``initial``, the blocks reachable from it come in
    breadth-first order of the quotient (then the others by smallest state); without,
    blocks are numbered by their smallest state. Time ``O(k n log n)``.

    >>> refine([[1], [2], [0]], [0, 0, 0]).tolist()
    [0, 0, 0]
    >>> refine([[1], [2], [2]], [0, 0, 1], initial=0).tolist()
    [0, 1, 2]
    """
    delta = _as_delta(delta)
    n = delta.shape[0]
    if initial is not None:
        initial = _state(initial, n, "refine: initial")
    if n == 0:
        return np.zeros(0, dtype=np.int32)
    block = _Hopcroft(delta, dense_labels(labels, n)).run()
    return _canonical(delta, block, initial)


def _canonical(delta: np.ndarray, block: np.ndarray, initial: int | None) -> np.ndarray:
    n, n_blocks = len(block), int(block.max()) + 1
    smallest = np.full(n_blocks, n, dtype=np.int64)
    np.minimum.at(smallest, block, np.arange(n))
    is_smallest = np.zeros(n, dtype=bool)
    is_smallest[smallest] = True
    order = block[is_smallest]  # blocks by their smallest state, without a sort
    if initial is not None:
        reached = bfs_order(quotient(delta, block), int(block[initial]))
        if len(reached) < n_blocks:
            seen = np.zeros(n_blocks, dtype=bool)
            seen[reached] = True
            order = np.concatenate((reached, order[~seen[order]]))
        else:
            order = reached
    rename = np.empty(n_blocks, dtype=np.int32)
    rename[order] = np.arange(n_blocks, dtype=np.int32)
    return rename[block]


def bisimilar(delta: Any, labels: Any, p: int, q: int) -> bool:
    """Whether states ``p`` and ``q`` of one complete machine are bisimilar.

    >>> bisimilar([[1], [0]], [0, 0], 0, 1), bisimilar([[1], [0]], [0, 1], 0, 1)
    (True, False)
    """
    block = refine(delta, labels)
    p, q = _state(p, len(block), "bisimilar: p"), _state(q, len(block), "bisimilar: q")
    return bool(block[p] == block[q])
