"""The red–blue state-merging engine shared by RPNI, EDSM and the search on top of them.

The hypothesis lives in flat Python lists (fast scalar access, unlike numpy):

- ``ch[q * k + a]``: the successor of node ``q`` on input ``a`` (-1: none);
- ``lab[q]``: the output at node ``q`` (-1: unknown) — DFA / Moore;
- ``eo[q * k + a]``: the output of the edge ``q --a-->`` (-1: none) — Mealy.

Red nodes are the states of the hypothesis; every other node belongs to a tree
hanging off a red node (a *blue* node is the root of such a tree). Merging a blue node
``b`` into a red node ``r`` redirects ``b``'s one incoming edge to ``r`` and then
*folds* ``b``'s tree into the hypothesis from ``r``: node pairs ``(h, t)`` are walked
with ``t`` in ``b``'s tree; ``t``'s output is copied onto ``h`` or compared with it,
and each child of ``t`` is either paired with ``h``'s child on the same input or, where
``h`` has none, hung under ``h`` whole. Every ``t`` is visited once and the nodes hung
under ``h`` keep their one incoming edge, so the invariant (red core plus trees)
survives and no union–find is needed.

Every write goes into an undo log (each write turns a -1 into a value), so trying a
merge and taking it back costs no more than the fold itself. A fold fails as soon as
two outputs differ; its *score* is the number of outputs it found equal (the evidence
of Lang, Pearlmutter & Price's EDSM).

Two facts keep EDSM cheap:

- merging is monotone: if ``b`` cannot merge into ``r`` now, it cannot after further
  merges (the hypothesis only gets coarser), so failed pairs are dropped for good;
- a fold only reads the nodes it visits, so a merge invalidates the cached score of a
  pair only if it wrote to a node that pair's fold visited, or entered its blue tree.
"""

from __future__ import annotations

from bisect import bisect_right

import numpy as np

from catauto.automata.learn.passive.apta import PrefixTree

__all__ = ["Edsm", "Hypothesis"]

_REDIRECT = -(1 << 62)  # undo-log marker: the two entries before it are (index, old child)


class Hypothesis:
    """A red–blue hypothesis over a prefix tree: fold, undo, promote, merge."""

    __slots__ = ("k", "n", "ch", "lab", "eo", "mealy", "red", "is_red", "red_key")

    def __init__(self, tree: PrefixTree) -> None:
        self.k = tree.n_inputs
        self.n = tree.n_nodes
        self.ch: list[int] = tree.child.ravel().tolist()
        self.lab: list[int] = tree.label.tolist()
        self.mealy = tree.edge_output is not None
        self.eo: list[int] = tree.edge_output.ravel().tolist() if self.mealy else []
        self.red: list[int] = [0]
        self.is_red = bytearray(self.n)
        self.is_red[0] = 1
        # shortlex key of a red node's access word: (length, promotion rank)
        self.red_key: dict[int, tuple[int, int]] = {0: (0, 0)}

    def copy(self) -> Hypothesis:
        new = Hypothesis.__new__(Hypothesis)
        new.k, new.n, new.mealy = self.k, self.n, self.mealy
        new.ch, new.lab, new.eo = self.ch.copy(), self.lab.copy(), self.eo.copy()
        new.red, new.is_red, new.red_key = self.red.copy(), self.is_red[:], dict(self.red_key)
        return new

    # -- the fringe ----------------------------------------------------------------------
    def blue(self) -> list[tuple[int, int, int]]:
        """Blue nodes as ``(b, parent, input)``, in shortlex order of their access words."""
        ch, k, is_red, key = self.ch, self.k, self.is_red, self.red_key
        out = []
        for r in self.red:
            base = r * k
            depth, rank = key[r]
            for a in range(k):
                c = ch[base + a]
                if c >= 0 and not is_red[c]:
                    out.append(((depth, rank, a), c, r, a))
        out.sort()
        return [(c, r, a) for _, c, r, a in out]

    def first_blue(self) -> tuple[int, int, int] | None:
        """The first of :meth:`blue` (None if there is none), without sorting them all."""
        ch, k, is_red, key = self.ch, self.k, self.is_red, self.red_key
        best, found = None, None
        for r in self.red:
            depth, rank = key[r]
            if best is not None and (depth, rank) > best[:2]:
                continue  # any blue under r comes later than the one found
            base = r * k
            for a in range(k):
                c = ch[base + a]
                if c >= 0 and not is_red[c]:
                    best, found = (depth, rank, a), (c, r, a)
                    break
        return found

    def promote(self, b: int, parent: int) -> None:
        self.is_red[b] = 1
        self.red_key[b] = (self.red_key[parent][0] + 1, len(self.red))
        self.red.append(b)

    # -- merging -------------------------------------------------------------------------
    def fold(self, r: int, b: int, parent: int, a: int, undo: list, visit: list) -> int:
        """Merge blue ``b`` (child of ``parent`` on ``a``) into red ``r``.

        Returns the score (≥ 0), or -1 if two outputs clash; writes are logged in
        ``undo`` (the caller undoes a clash), the nodes visited on the hypothesis side
        are appended to ``visit``.
        """
        ch, k = self.ch, self.k
        x = parent * k + a
        ch[x] = r
        undo.append(x)
        undo.append(b)
        undo.append(_REDIRECT)
        if self.mealy:
            return _fold_mealy(ch, self.eo, k, r, b, undo, visit)
        return _fold_moore(ch, self.lab, k, r, b, undo, visit)

    def undo(self, log: list) -> None:
        """Take back the writes of ``fold`` recorded in ``log`` (and empty it)."""
        ch, lab, eo, mealy = self.ch, self.lab, self.eo, self.mealy
        i = len(log) - 1
        while i >= 0:
            x = log[i]
            if x == _REDIRECT:
                ch[log[i - 2]] = log[i - 1]
                i -= 3
                continue
            if x >= 0:
                ch[x] = -1
                if mealy:
                    eo[x] = -1
            else:
                lab[~x] = -1
            i -= 1
        log.clear()

    def written(self, log: list) -> set[int]:
        """The nodes whose entries the fold that made ``log`` wrote."""
        k = self.k
        out = set()
        i = len(log) - 1
        while i >= 0:
            x = log[i]
            if x == _REDIRECT:
                out.add(log[i - 2] // k)
                i -= 3
                continue
            out.add(x // k if x >= 0 else ~x)
            i -= 1
        return out

    def merge_first(self, b: int, parent: int, a: int) -> int:
        """Merge ``b`` into the first red state (in promotion order) it merges with;
        return that state, or -1 (hypothesis unchanged) if there is none. RPNI's step,
        with the undo inlined: it runs once per red state tried."""
        ch, k, mealy = self.ch, self.k, self.mealy
        out = self.eo if mealy else self.lab
        fold = _fold_mealy if mealy else _fold_moore
        x = parent * k + a
        log: list = []
        visit: list = []
        for r in self.red:
            ch[x] = r
            if fold(ch, out, k, r, b, log, visit) >= 0:
                return r
            # each write turned a distinct -1 into a value: reset them in any order
            for y in log:
                if y >= 0:
                    ch[y] = -1
                    if mealy:
                        out[y] = -1
                else:
                    out[~y] = -1
            log.clear()
            visit.clear()
        ch[x] = b
        return -1

    # -- result --------------------------------------------------------------------------
    def tables(self) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """``delta int32[m, k]`` (-1: undetermined), ``label int32[m]`` (-1: unknown) and,
        for Mealy, ``output int32[m, k]``, over the red states in promotion order."""
        red, k = self.red, self.k
        index = np.full(self.n, -1, dtype=np.int64)
        index[red] = np.arange(len(red))
        ch = np.asarray(self.ch, dtype=np.int64).reshape(self.n, k)[red]
        delta = np.where(ch >= 0, index[np.maximum(ch, 0)], -1).astype(np.int32)
        if (delta[ch >= 0] < 0).any():  # pragma: no cover - a blue node was left
            raise AssertionError("a transition leaves the red states")
        label = np.asarray(self.lab, dtype=np.int32)[red]
        out = None
        if self.mealy:
            out = np.asarray(self.eo, dtype=np.int32).reshape(self.n, k)[red]
        return delta, label, out


class Edsm:
    """Blue-fringe EDSM over a hypothesis, with the scores of mergeable pairs cached.

    ``cand[b]``: the red states ``b`` may still merge with (the others failed, for
    good), ``seen[b]``: how many red states (in promotion order) were considered for
    ``b``; ``cache[r * n + b] = (score, visited)`` for mergeable pairs.

    ``folded`` counts the tree nodes folded away by merges; every node ends up red or
    folded, so ``folded + len(red)`` measures how far the run has come, and
    ``curve[i]`` is that measure at the ``i``-th promotion (compared by ``run``).
    """

    __slots__ = ("hyp", "cand", "seen", "cache", "folded", "curve")

    def __init__(self, hyp: Hypothesis) -> None:
        self.hyp = hyp
        self.cand: dict[int, list[int]] = {}
        self.seen: dict[int, int] = {}
        self.cache: dict[int, tuple[int, frozenset]] = {}
        self.folded = 0
        self.curve: list[int] = []

    def copy(self) -> Edsm:
        new = Edsm.__new__(Edsm)
        new.hyp = self.hyp.copy()
        new.cand = {b: c.copy() for b, c in self.cand.items()}
        new.seen = dict(self.seen)
        new.cache = dict(self.cache)
        new.folded, new.curve = self.folded, self.curve.copy()
        return new

    def options(self, b: int, parent: int, a: int) -> list[tuple[int, int]]:
        """``(score, red)`` for every red state ``b`` merges with (in promotion order)."""
        hyp, cache, n = self.hyp, self.cache, self.hyp.n
        red = hyp.red
        cand = self.cand.get(b)
        if cand is None:
            cand = self.cand[b] = []
            self.seen[b] = 0
        seen = self.seen[b]
        if seen < len(red):
            cand.extend(red[seen:])
            self.seen[b] = len(red)
        out = []
        keep = []
        log: list = []
        for r in cand:
            key = r * n + b
            hit = cache.get(key)
            if hit is None:
                visit: list = []
                s = hyp.fold(r, b, parent, a, log, visit)
                hyp.undo(log)
                if s < 0:
                    continue
                cache[key] = (s, frozenset(visit))
            else:
                s = hit[0]
            keep.append(r)
            out.append((s, r))
        if len(keep) != len(cand):
            self.cand[b] = keep
        return out

    def decide(self, width: int = 0) -> tuple | None:
        """The next step of greedy EDSM, and with ``width > 0`` the alternatives to it.

        Returns None when no blue node is left; ``("promote", b, parent)`` for the first
        blue node (shortlex) that merges with no red state; else ``("merge", best,
        others)`` where ``best = (r, b, parent, a)`` is the best-scoring merge (ties:
        shortlex blue, then promotion order) and ``others`` lists other choices a search
        should weigh: the ``width`` next best red states for the same blue node (EDSM
        picks the right blue node far more often than the right red state), the
        ``width`` next best merges of other blue nodes, and promoting the blue node.
        """
        blues = self.hyp.blue()
        if not blues:
            return None
        best = None
        best_score = -1
        every = [] if width else None
        for b, parent, a in blues:
            opts = self.options(b, parent, a)
            if not opts:
                return ("promote", b, parent)
            for s, r in opts:
                if s > best_score:
                    best_score, best = s, (r, b, parent, a)
                if every is not None:
                    every.append((s, r, b, parent, a))
        assert best is not None
        if not width:
            return ("merge", best, [])
        every.sort(key=lambda c: -c[0])  # stable: ties keep shortlex order
        same = [("merge", *c[1:]) for c in every if c[2] == best[1] and c[1] != best[0]]
        other = [("merge", *c[1:]) for c in every if c[2] != best[1]]
        return ("merge", best, [*same[:width], *other[:width], ("promote", best[1], best[2])])

    def promote(self, b: int, parent: int) -> None:
        self.hyp.promote(b, parent)
        self.cand.pop(b, None)
        self.curve.append(self.folded + len(self.hyp.red))

    def merge(self, r: int, b: int, parent: int, a: int) -> None:
        """Merge ``b`` into ``r`` for good and drop the cached scores it invalidates."""
        hyp = self.hyp
        log: list = []
        visit: list = []
        if hyp.fold(r, b, parent, a, log, visit) < 0:  # pragma: no cover - caller's bug
            hyp.undo(log)
            raise AssertionError(f"merge of {b} into {r} clashes")
        written = hyp.written(log)
        entered = set(visit)
        n = hyp.n
        self.folded += len(visit)  # one pair per node of b's tree
        self.cand.pop(b, None)
        stale = [
            key
            for key, (_, seen) in self.cache.items()
            if key % n in entered or key % n == b or not seen.isdisjoint(written)
        ]
        for key in stale:
            del self.cache[key]

    def run(
        self,
        max_red: int | None = None,
        progress=None,
        guide: list[int] | None = None,
        slack: int = 0,
    ) -> bool:
        """Greedy EDSM to the end; False if the red states would exceed ``max_red``, or
        exceed by more than ``slack`` those of the run whose ``curve`` is ``guide`` at
        the same point (a run that falls that far behind rarely ends smaller)."""
        red = self.hyp.red
        if max_red is not None and len(red) > max_red:
            return False
        while True:
            step = self.decide()
            if step is None:
                return True
            if progress is not None:
                progress(self.hyp)
            if step[0] == "promote":
                if max_red is not None and len(red) >= max_red:
                    return False
                if guide is not None:
                    allowed = 1 + bisect_right(guide, self.folded + len(red) + 1)
                    if len(red) + 1 > allowed + slack:
                        return False
                self.promote(step[1], step[2])
            else:
                self.merge(*step[1])


def _fold_moore(ch: list, lab: list, k: int, r: int, b: int, undo: list, visit: list) -> int:
    # Depth first (labels sit deep in a prefix tree), but a pair's labels are compared
    # when the pair is made, so a clash between siblings is found before going down.
    log, seen = undo.append, visit.append
    score = 0
    lt = lab[b]
    if lt >= 0:
        lh = lab[r]
        if lh < 0:
            lab[r] = lt
            log(~r)
        elif lh != lt:
            return -1
        else:
            score += 1
    stack = [r, b]
    pop, push = stack.pop, stack.append
    while stack:
        t = pop()
        h = pop()
        seen(h)
        bt = t * k
        bh = h * k
        for a in range(k):
            ct = ch[bt + a]
            if ct >= 0:
                x = bh + a
                c = ch[x]
                if c >= 0:
                    lt = lab[ct]
                    if lt >= 0:
                        lh = lab[c]
                        if lh < 0:
                            lab[c] = lt
                            log(~c)
                        elif lh != lt:
                            return -1
                        else:
                            score += 1
                    push(c)
                    push(ct)
                else:
                    ch[x] = ct
                    log(x)
    return score


def _fold_mealy(ch: list, eo: list, k: int, r: int, b: int, undo: list, visit: list) -> int:
    stack = [r, b]
    pop, push = stack.pop, stack.append
    log, seen = undo.append, visit.append
    score = 0
    while stack:
        t = pop()
        h = pop()
        seen(h)
        bt = t * k
        bh = h * k
        for a in range(k):
            ct = ch[bt + a]
            if ct >= 0:
                x = bh + a
                c = ch[x]
                if c >= 0:
                    if eo[x] != eo[bt + a]:
                        return -1
                    score += 1
                    push(c)
                    push(ct)
                else:
                    ch[x] = ct
                    eo[x] = eo[bt + a]
                    log(x)
    return score
