"""Covers and separating families of a machine: the words that reach every state and the
words that tell states apart (AutomataLib's ``Covers`` and ``CharacterizingSets``).

Words here are tuples of input *indices* into ``m.inputs``. Conformance testing (the W-
and Wp-methods, random-Wp) and the learners build their tests from these; the laws,
checked in the tests, are that ``access_words(m)[q]`` leads to ``q`` and that a
separating word of ``p`` and ``q`` gives different outputs from them.

>>> from catauto.automata import DFA
>>> m = DFA([[1, 0], [2, 1], [2, 2]], accepting=[0, 0, 1], inputs="ab")
>>> state_cover(m), separating_family(m)[0]
([(), (0,), (0, 0)], [(), (0,)])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from catauto.automata.machine import Machine

__all__ = [
    "PairSeparators",
    "Word",
    "access_words",
    "separating_family",
    "state_cover",
    "transition_cover",
]

Word = tuple[int, ...]


def access_words(m: Machine) -> list[Word | None]:
    """Shortest access word of every state (breadth first, inputs in order); None if unreachable.

    >>> from catauto.automata import DFA
    >>> access_words(DFA([[1, 0], [2, 1], [2, 2]], accepting=[0, 0, 1], inputs="ab"))
    [(), (0,), (0, 0)]
    """
    delta = m.delta.tolist()
    words: list[Word | None] = [None] * m.n_states
    words[m.initial] = ()
    queue = [m.initial]
    for q in queue:
        for a, r in enumerate(delta[q]):
            if r >= 0 and words[r] is None:
                words[r] = words[q] + (a,)  # type: ignore[operator]
                queue.append(r)
    return words


def separating_family(m: Machine) -> tuple[list[Word], list[list[Word]]]:
    """A characterization set W and a state identifier W_q for every state.

    Built as a splitting tree: blocks of states are split by the outputs of words; the
    words of the splits on the path to ``q``'s leaf separate ``q`` from every state that is
    not equivalent to it (the Wp-method's W_q), and all split words form W. Words are
    tuples of input indices; a Moore machine's ``()`` splits by the state output.

    >>> from catauto.automata import DFA
    >>> w, wq = separating_family(DFA([[1, 0], [2, 1], [2, 2]], accepting=[0, 0, 1], inputs="ab"))
    >>> sorted(w)
    [(), (0,)]
    >>> wq[2]
    [()]
    """
    n, k = m.n_states, m.n_inputs
    moore = m.kind != "mealy"
    sink = n  # the undefined state: outputs -1, loops
    delta = np.vstack([np.where(m.delta < 0, sink, m.delta), np.full(k, sink)]).astype(np.int64)
    if moore:
        out = np.append(m.output, -1).astype(np.int64)
    else:
        out = np.vstack([np.where(m.delta < 0, -1, m.output), np.full(k, -1)]).astype(np.int64)

    def response(states: np.ndarray, word: Word) -> np.ndarray:
        q = states
        cols = [out[q]] if moore else []
        for a in word:
            if moore:
                q = delta[q, a]
                cols.append(out[q])
            else:
                cols.append(out[q, a])
                q = delta[q, a]
        return np.stack(cols, axis=1) if cols else np.zeros((len(states), 0), np.int64)

    # Splitting tree: node -> (parent, word); every block is a leaf node.
    node_parent = [-1]
    node_word: list[Word | None] = [None]
    node_depth = [0]
    block_of = np.zeros(n + 1, dtype=np.int64)
    blocks: list[np.ndarray] = [np.arange(n + 1)]
    leaf = [0]

    def split(b: int, word: Word) -> bool:
        states = blocks[b]
        resp = response(states, word)
        _, cls = np.unique(resp, axis=0, return_inverse=True)
        cls = cls.ravel()
        if cls.max() == 0:
            return False
        parent = leaf[b]
        node_word[parent] = word
        for c in range(int(cls.max()) + 1):
            members = states[cls == c]
            node_parent.append(parent)
            node_word.append(None)
            node_depth.append(node_depth[parent] + 1)
            if c == 0:
                blocks[b], leaf[b] = members, len(node_word) - 1
            else:
                block_of[members] = len(blocks)
                blocks.append(members)
                leaf.append(len(node_word) - 1)
        return True

    def lca_word(b1: int, b2: int) -> Word:
        x, y = leaf[b1], leaf[b2]
        while node_depth[x] > node_depth[y]:
            x = node_parent[x]
        while node_depth[y] > node_depth[x]:
            y = node_parent[y]
        while x != y:
            x, y = node_parent[x], node_parent[y]
        return node_word[x]  # type: ignore[return-value]

    for word in [()] if moore else [(a,) for a in range(k)]:
        for b in range(len(blocks)):
            if len(blocks[b]) > 1:
                split(b, word)
    changed = True
    while changed:
        changed = False
        for b in range(len(blocks)):
            states = blocks[b]
            if len(states) < 2:
                continue
            for a in range(k):
                targets = block_of[delta[states, a]]
                differ = np.flatnonzero(targets != targets[0])
                if len(differ):
                    word = (a, *lca_word(int(targets[0]), int(targets[differ[0]])))
                    changed |= split(b, word)
                    break

    words = sorted({w for w in node_word if w is not None}, key=lambda w: (len(w), w))
    identifiers = []
    for q in range(n):
        path: list[Word] = []
        x = node_parent[leaf[block_of[q]]]
        while x >= 0:
            path.append(node_word[x])  # type: ignore[arg-type]
            x = node_parent[x]
        identifiers.append(path[::-1])
    return words, identifiers


class PairSeparators:
    """Shortest separating words for every pair of states, read off on demand.

    ``first[p, q]`` is the first input of a shortest word on which states ``p`` and ``q``
    differ (-1: their own outputs differ, Moore; -2: equivalent); the rest of the word
    separates the successor pair. Computed level by level over all pairs with numpy
    (``O(n^2 k)`` per level). ``identifier(q)`` is the set of words separating ``q`` from
    each other state: the Wp-method's W_q as AALpy builds it for random-Wp.

    >>> from catauto.automata import DFA
    >>> sep = PairSeparators(DFA([[1, 0], [2, 1], [2, 2]], accepting=[0, 0, 1], inputs="ab"))
    >>> sep.word(0, 1), sep.word(0, 2), sep.identifier(0)
    ((0,), (), [(), (0,)])
    """

    def __init__(self, m: Machine) -> None:
        n, k = m.n_states, m.n_inputs
        self.moore = m.kind != "mealy"
        partial = not m.is_complete
        size = n + 1 if partial else n  # an extra sink for undefined transitions
        delta = np.where(m.delta < 0, n, m.delta).astype(np.int64)
        out = m.output.astype(np.int64)
        if partial:
            delta = np.vstack([delta, np.full(k, n)])
            if self.moore:
                out = np.append(out, -1)
            else:
                out = np.vstack([np.where(m.delta < 0, -1, out), np.full(k, -1)])
        first = np.full((size, size), -2, dtype=np.int64)
        if self.moore:
            first[out[:, None] != out[None, :]] = -1
        else:
            for a in range(k - 1, -1, -1):  # the smallest input wins
                first[out[:, a][:, None] != out[:, a][None, :]] = a
        done = first != -2
        while True:
            new = np.zeros_like(done)
            for a in range(k - 1, -1, -1):
                da = delta[:, a]
                hit = done[da[:, None], da[None, :]] & ~done
                first[hit] = a
                new |= hit
            if not new.any():
                break
            done |= new
        self.first, self.delta, self.out, self.n = first, delta, out, n
        self._ident: dict[int, list[Word]] = {}

    def word(self, p: int, q: int) -> Word | None:
        """A shortest word on which ``p`` and ``q`` differ, or None if equivalent."""
        first, delta, out = self.first, self.delta, self.out
        if first[p, q] == -2:
            return None
        w = []
        while True:
            a = int(first[p, q])
            if a == -1:
                break
            w.append(a)
            if not self.moore and out[p, a] != out[q, a]:
                break
            p, q = delta[p, a], delta[q, a]
        return tuple(w)

    def identifier(self, q: int) -> list[Word]:
        """The distinct words separating ``q`` from every other state (sorted)."""
        if q not in self._ident:
            words = {self.word(q, r) for r in range(self.n) if r != q}
            words.discard(None)
            self._ident[q] = sorted(words, key=lambda w: (len(w), w))  # type: ignore[arg-type]
        return self._ident[q]


def state_cover(m: Machine) -> list[Word]:
    """The access words of the reachable states, shortest first (length-lexicographic).

    >>> from catauto.automata import DFA
    >>> state_cover(DFA([[1, 0], [1, 1], [2, 2]], accepting=[0, 1, 1], inputs="ab"))
    [(), (0,)]
    """
    return [w for w in access_words(m) if w is not None]


def transition_cover(m: Machine) -> list[Word]:
    """Every access word followed by every input: one word per reachable transition.

    Law: it holds the state cover's one-letter extensions, so ``len == states * inputs``.

    >>> from catauto.automata import DFA
    >>> transition_cover(DFA([[1, 0], [1, 1]], accepting=[0, 1], inputs="ab"))
    [(0,), (1,), (0, 0), (0, 1)]
    """
    return [w + (a,) for w in state_cover(m) for a in range(m.n_inputs)]
