"""The observation tree: a prefix tree of answered queries, kept in flat integer lists.

One tree serves as the cache in front of every teacher and as L#'s observation tree.
Node ``0`` is the root (the empty word). A node is identified by the word that leads to
it; each node stores the output observed there, as an index into the teacher's output
alphabet:

- Moore / DFA: the output of the state reached by the node's word;
- Mealy: the output of the last symbol of the node's word (the root stores nothing).

``-1`` marks an output that was never observed (a node created by a query that only
reported the output of its last symbol). All tables are flat lists of ints, so a lookup is
one multiplication and one index: ``succ[node * k + a]`` is the ``a``-successor (``-1``
if absent).

Children are also linked as lists, ``first[node]`` and ``nxt[child]`` (-1 ends), so a
sparse node's children are visited without scanning all ``k`` inputs.

``stamp[node]`` is the value of ``clock`` when the subtree of ``node`` last gained a node
or an output; L# uses it to recheck an apartness pair only when one side changed.

>>> t = ObservationTree(n_inputs=2, moore=False)
>>> t.insert([0, 1, 1], [5, 6, 5])
3
>>> t.outputs([0, 1]), t.outputs([1])
([5, 6], None)
>>> t.access(3)
[0, 1, 1]
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["ObservationTree", "TreeConflict"]


class TreeConflict(Exception):
    """A new observation contradicts the tree (raised internally; teachers report it)."""

    def __init__(self, position: int, cached: int, observed: int) -> None:
        super().__init__(position, cached, observed)
        self.position = position  # index into the output word
        self.cached = cached
        self.observed = observed


class ObservationTree:
    """A prefix-closed tree of observed outputs over input indices ``0..n_inputs-1``."""

    __slots__ = (
        "k",
        "moore",
        "succ",
        "out",
        "parent",
        "sym",
        "depth",
        "stamp",
        "clock",
        "first",
        "nxt",
    )

    def __init__(self, n_inputs: int, moore: bool) -> None:
        self.k = n_inputs
        self.moore = moore
        self.succ: list[int] = [-1] * n_inputs
        self.out: list[int] = [-1]
        self.parent: list[int] = [-1]
        self.sym: list[int] = [-1]
        self.depth: list[int] = [0]
        self.stamp: list[int] = [0]
        self.first: list[int] = [-1]
        self.nxt: list[int] = [-1]
        self.clock = 0

    def __len__(self) -> int:
        return len(self.out)

    # -- lookups -----------------------------------------------------------------------
    def node(self, word: Sequence[int], start: int = 0) -> int:
        """The node reached by ``word`` from ``start``, or -1 if the tree does not hold it."""
        succ, k = self.succ, self.k
        n = start
        for a in word:
            n = succ[n * k + a]
            if n < 0:
                return -1
        return n

    def outputs(self, word: Sequence[int]) -> list[int] | None:
        """The output word of ``word`` (Moore: ``len + 1`` outputs), or None if not all known."""
        succ, out, k = self.succ, self.out, self.k
        n = 0
        res = [out[0]] if self.moore else []
        for a in word:
            n = succ[n * k + a]
            if n < 0:
                return None
            res.append(out[n])
        if -1 in res:
            return None
        return res

    def access(self, node: int, start: int = 0) -> list[int]:
        """The word leading from ``start`` (an ancestor) to ``node``."""
        parent, sym = self.parent, self.sym
        word = []
        while node != start:
            word.append(sym[node])
            node = parent[node]
        word.reverse()
        return word

    # -- growth ------------------------------------------------------------------------
    def insert(self, word: Sequence[int], outputs: Sequence[int]) -> int:
        """Record that ``word`` produced the output word ``outputs``; return its node.

        Moore: ``len(word) + 1`` outputs, the root's first; Mealy: ``len(word)``.
        Entries ``-1`` are unknown. Raises :class:`TreeConflict` if a known output differs.
        """
        succ, k = self.succ, self.k
        shift = 1 if self.moore else 0
        written = []  # nodes whose output this call filled in
        n = 0
        m = len(word)
        i = 0
        try:
            if self.moore and self._set(0, outputs[0], 0):
                written.append(0)
            while i < m:
                c = succ[n * k + word[i]]
                if c < 0:
                    break
                if self._set(c, outputs[i + shift], i + shift):
                    written.append(c)
                n = c
                i += 1
        except TreeConflict:
            for x in written:  # a rejected observation leaves the tree as it was
                self.out[x] = -1
            raise
        changed = bool(written)
        if i < m:
            changed = True
            n = self._grow(n, word, i, outputs, shift)
        if changed:
            self.touch(n)
        return n

    def insert_last(self, word: Sequence[int], output: int) -> int:
        """Record only the output of the whole ``word`` (earlier outputs stay as they are)."""
        n = self.node(word)
        changed = False
        if n < 0:
            m = len(word)
            succ, k = self.succ, self.k
            n, i = 0, 0
            while succ[n * k + word[i]] >= 0:
                n = succ[n * k + word[i]]
                i += 1
            n = self._grow(n, word, i, None, 0)
            changed = True
            assert self.depth[n] == m
        changed |= self._set(n, output, len(word) - (0 if self.moore else 1))
        if changed:
            self.touch(n)
        return n

    def _grow(
        self, n: int, word: Sequence[int], i: int, outputs: Sequence[int] | None, shift: int
    ) -> int:
        """Append the nodes of ``word[i:]`` below ``n`` (outputs unknown if None)."""
        succ, out, k = self.succ, self.out, self.k
        parent, sym, depth, stamp = self.parent, self.sym, self.depth, self.stamp
        first, nxt = self.first, self.nxt
        d = depth[n]
        neg = [-1] * k
        for j in range(i, len(word)):
            a = word[j]
            c = len(out)
            succ[n * k + a] = c
            succ.extend(neg)
            nxt.append(first[n])
            first[n] = c
            first.append(-1)
            out.append(-1 if outputs is None else outputs[j + shift])
            parent.append(n)
            sym.append(a)
            d += 1
            depth.append(d)
            stamp.append(0)
            n = c
        return n

    def _set(self, node: int, value: int, position: int) -> bool:
        """Store an output; True if it was unknown before."""
        have = self.out[node]
        if have == value or value < 0:
            return False
        if have >= 0:
            raise TreeConflict(position, have, value)
        self.out[node] = value
        return True

    def touch(self, node: int) -> None:
        """Advance the clock and stamp ``node`` and its ancestors as changed."""
        self.clock += 1
        clock, stamp, parent = self.clock, self.stamp, self.parent
        while node >= 0:
            stamp[node] = clock
            node = parent[node]
