"""The SAT encoding of "a machine with ``K`` states that agrees with this hypothesis",
with some nodes' colours fixed; ``smallest`` and ``edsm``'s ``finish="sat"`` use it.

DFASAT's step (Heule & Verwer, *Software model synthesis using satisfiability solvers*,
2013): after some greedy merges, the hypothesis is a red core (the states so far) with
trees hanging off it. Is there a machine with ``K`` states that extends it? Fixed node
``i`` (a red state here; for ``smallest``, the raw prefix tree with a clique of
pairwise-distinguishable prefixes fixed) gets colour ``i``; every other node ``v`` gets
one of the colours in its domain: a fixed colour ``i`` only when ``v``'s tree agrees with
what the hypothesis says after fixed node ``i`` (a read-only walk of both, so a colour no
machine could give is never offered), any colour ``≥ r`` (a new state) otherwise.

Variables: ``x[v, c]`` (node ``v`` has colour ``c``), ``y[a, i, j]`` (the machine goes
``i -a-> j``), ``l[i, b]`` (state ``i`` outputs ``b``: DFA/Moore) or ``o[i, a, b]``
(Mealy edge outputs). Clauses:

- each node has a colour in its domain; each ``(i, a)`` exactly one successor, each state
  (or edge) at most one output;
- an edge ``p -a-> v``: ``x[p, i] ∧ y[a, i, j] → x[v, j]`` and ``x[p, i] ∧ x[v, j] →
  y[a, i, j]`` (red parents and children are constants, so those edges are short);
- a labelled node: ``x[v, i] → l[i, b]``; a Mealy edge: ``x[p, i] → o[i, a, b]``;
- the new colours are interchangeable, so they are numbered in the order the nodes
  (breadth first) first use them ("value precedence": colour ``j + 1`` appears only after
  colour ``j``), which leaves one numbering per machine; or, with ``bfs_apart``, by
  Ulyantsev et al.'s BFS predicates.

"At most one colour per node" is left out, as Heule & Verwer do: a model that gives a
node two colours still defines a machine (the ``y`` and outputs) that agrees with every
trace, since each node's run follows ``y`` into one of its colours.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import cached_property

import numpy as np

from catauto.automata.learn.passive._merge import Hypothesis
from catauto.automata.machine import DFA, Machine, Mealy, Moore

__all__ = ["MAX_CLAUSES", "CoreProblem", "solve"]

# The largest encoding built (about 150 bytes a clause as Python lists: about 1 GB).
MAX_CLAUSES = 6_000_000


def solve(clauses: list, deadline: float | None) -> tuple[bool | None, list]:
    """Glucose 4 (PySAT) on ``clauses``: (True, model), (False, []) or (None, []) when
    ``deadline`` (a ``perf_counter`` time) passed first."""
    from pysat.solvers import Solver

    with Solver(name="glucose4", bootstrap_with=clauses) as s:
        if deadline is None:
            ok = s.solve()
        else:
            left = deadline - time.perf_counter()
            if left <= 0:
                return None, []
            timer = threading.Timer(left, s.interrupt)
            timer.start()
            try:
                ok = s.solve_limited(expect_interrupt=True)
            finally:
                timer.cancel()
        return ok, (s.get_model() or []) if ok else []


class CoreProblem:
    """The colouring problem of a hypothesis whose ``fixed`` nodes (default: its red
    states) take colours ``0..r-1`` (see the module doc).

    ``nodes``: the fixed nodes, then every other node reachable from the root, breadth
    first; ``domain[v]``: the fixed colours node ``v`` may take. With ``bfs_apart`` (a
    list of pairwise-distinguishable nodes) the symmetry breaking is Ulyantsev et al.'s
    BFS numbering instead: the root takes colour 0, the nodes of ``bfs_apart`` different
    colours, and the states are numbered as a breadth-first search meets them.
    """

    def __init__(
        self,
        hyp: Hypothesis,
        kind: str,
        inputs: tuple,
        outputs: tuple,
        fixed: list[int] | None = None,
        bfs_apart: list[int] | None = None,
    ) -> None:
        self.hyp, self.kind, self.inputs, self.outputs = hyp, kind, inputs, outputs
        self.bfs_apart = bfs_apart
        if bfs_apart is not None:
            fixed = [0]  # BFS numbering starts at the root's state
        self.fixed = list(hyp.red if fixed is None else fixed)
        self.r = len(self.fixed)
        k, ch = hyp.k, hyp.ch
        order = [0]
        seen = {0}
        for u in order:  # grows while it is read: breadth first
            for a in range(k):
                v = ch[u * k + a]
                if v >= 0 and v not in seen:
                    seen.add(v)
                    order.append(v)
        fixed_set = set(self.fixed)
        self.nodes = self.fixed + [v for v in order if v not in fixed_set]
        self._root: dict[int, int] = {}  # the root's colour variables in the last encoding

    @cached_property
    def domain(self) -> dict[int, list[int]]:
        # computed when first needed: a walk per node and fixed colour
        return {
            v: [i for i, q in enumerate(self.fixed) if self._agree(q, v)]
            for v in self.nodes[self.r :]
        }

    def _agree(self, q: int, v: int) -> bool:
        """Whether ``v``'s tree agrees with the hypothesis from red state ``q`` wherever
        both say something (a necessary condition for ``v`` to become ``q``)."""
        hyp = self.hyp
        k, ch, lab, eo = hyp.k, hyp.ch, hyp.lab, hyp.eo
        stack = [(q, v)]
        while stack:
            h, t = stack.pop()
            if not hyp.mealy and lab[t] >= 0 and lab[h] >= 0 and lab[t] != lab[h]:
                return False
            for a in range(k):
                ct, c = ch[t * k + a], ch[h * k + a]
                if ct >= 0 and c >= 0:
                    if hyp.mealy and eo[t * k + a] != eo[h * k + a]:
                        return False
                    stack.append((c, ct))
        return True

    def edge_clauses(self, K: int) -> int:
        """How many edge clauses ``encode(K)`` makes (most of them), without making them."""
        k, ch, r = self.hyp.k, self.hyp.ch, self.r
        total = 0
        for index, u in enumerate(self.nodes):
            colours = 1 if index < r else len(self.domain[u]) + K - r
            children = sum(ch[u * k + a] >= 0 for a in range(k))
            total += 2 * colours * K * children
        return total

    def encode(self, K: int) -> tuple[int, list]:
        """The clauses for ``K ≥ r`` colours; returns (number of variables, clauses)."""
        hyp, r = self.hyp, self.r
        k, ch, m = hyp.k, hyp.ch, max(len(self.outputs), 1)
        top = 0

        def block(*shape: int) -> np.ndarray:
            nonlocal top
            size = int(np.prod(shape))
            out = np.arange(top + 1, top + 1 + size).reshape(shape)
            top += size
            return out

        y = block(k, K, K).tolist()
        out = block(K, k, m).tolist() if hyp.mealy else block(K, m).tolist()
        true = block(1).item()  # the colour variable of a fixed node: always true
        x = {q: {i: true} for i, q in enumerate(self.fixed)}
        for v in self.nodes[r:]:
            choices = self.domain[v] + list(range(r, K))
            x[v] = dict(zip(choices, block(len(choices)).tolist()))
        clauses: list[list[int]] = [[true]]
        add = clauses.append

        def at_most_one(lits: list[int]) -> None:
            for i in range(len(lits)):
                for j in range(i + 1, len(lits)):
                    add([-lits[i], -lits[j]])

        for i in range(K):
            for a in range(k):
                add(y[a][i])
                at_most_one(y[a][i])
                if hyp.mealy:
                    at_most_one(out[i][a])
            if not hyp.mealy:
                at_most_one(out[i])
        for v in self.nodes[r:]:
            add(list(x[v].values()))
        for u in self.nodes:
            xu = x[u]
            if not hyp.mealy and hyp.lab[u] >= 0:
                for i, xi in xu.items():
                    add([-xi, out[i][hyp.lab[u]]])
            for a in range(k):
                v = ch[u * k + a]
                if v < 0:
                    continue
                xv = x[v]
                for i, xi in xu.items():
                    if hyp.mealy:
                        add([-xi, out[i][a][hyp.eo[u * k + a]]])
                    for j in range(K):
                        yj, xj = y[a][i][j], xv.get(j)
                        if xj is None:
                            add([-xi, -yj])
                        else:
                            add([-xi, -yj, xj])
                            add([-xi, -xj, yj])
        self._root = x[0]
        if self.bfs_apart is not None:
            _bfs_numbering(y, K, k, block, add)
            apart = self.bfs_apart
            for i, u in enumerate(apart):
                for v in apart[i + 1 :]:
                    for j in x[u].keys() & x[v].keys():
                        add([-x[u][j], -x[v][j]])
            return top, clauses
        # value precedence: f[v, j] = some node up to v has new colour j
        previous: dict[int, int] = {}
        for v in self.nodes[r:]:
            now = {}
            for j in range(r, K):
                f = now[j] = block(1).item()
                xj = x[v][j]
                add([-xj, f])
                if j in previous:
                    add([-previous[j], f])
                    add([-f, previous[j], xj])
                else:
                    add([-f, xj])
                if j > r:
                    add([-xj, previous[j - 1]] if j - 1 in previous else [-xj])
            previous = now
        return top, clauses

    def machine(self, K: int, model: list[int]) -> Machine:
        """The machine a model of the last ``encode(K)`` describes, minimised."""
        hyp = self.hyp
        true = np.zeros(max((abs(v) for v in model), default=0) + 1, dtype=bool)
        true[[v for v in model if v > 0]] = True
        start = next(i for i, v in self._root.items() if true[v])  # any of them will do
        k, m = hyp.k, max(len(self.outputs), 1)
        y = true[1 : 1 + k * K * K].reshape(k, K, K)
        delta = np.argmax(y, axis=2).T.astype(np.int32)  # [K, k]
        base = 1 + k * K * K
        if hyp.mealy:
            o = true[base : base + K * k * m].reshape(K, k, m)
            known = o.any(axis=2)
            out = np.where(known, np.argmax(o, axis=2), -1).astype(np.int32)
            delta = np.where(known, delta, -1).astype(np.int32)
            return Mealy(delta, out, start, self.inputs, self.outputs).minimize()
        lab = true[base : base + K * m].reshape(K, m)
        if self.kind == "dfa":
            return DFA(delta, lab[:, 1], start, self.inputs).minimize()
        label = np.where(lab.any(axis=1), np.argmax(lab, axis=1), 0).astype(np.int32)
        return Moore(delta, label, start, self.inputs, self.outputs or (None,)).minimize()


def _bfs_numbering(y: list, K: int, k: int, block: Callable, add: Callable) -> None:
    """Ulyantsev, Zakirzyanov & Shalyto's BFS symmetry breaking (ICGI 2015): the states
    are numbered in the order a breadth-first search from state 0 meets them, children in
    order of their least input. ``t[i][j]``: some transition i -> j; ``p[j][i]``: i is
    j's BFS parent (the least state with a transition to j); ``least[a][i][j]``: a is the
    least input i -> j."""
    t, p = block(K, K).tolist(), block(K, K).tolist()
    least = block(k, K, K).tolist()
    for j in range(1, K):
        add([p[j][i] for i in range(j)])  # every state j > 0 has a parent
        for i in range(j):
            ys = [y[a][i][j] for a in range(k)]
            add([-t[i][j], *ys])
            for ya in ys:
                add([-ya, t[i][j]])
            add([-p[j][i], t[i][j]])
            for h in range(i):
                add([-p[j][i], -t[h][j]])
            add([-t[i][j], *(t[h][j] for h in range(i)), p[j][i]])
            for a in range(k):
                add([-least[a][i][j], ys[a]])
                for b in range(a):
                    add([-least[a][i][j], -ys[b]])
                add([-ys[a], *ys[:a], least[a][i][j]])
            if j + 1 < K:
                # parents in order, and two children of one parent by their least input
                for h in range(i):
                    add([-p[j][i], -p[j + 1][h]])
                for a in range(k):
                    for b in range(a):
                        add([-p[j][i], -p[j + 1][i], -least[a][i][j], -least[b][i][j + 1]])
