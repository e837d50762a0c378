"""The smallest machine consistent with the data, by SAT (exact identification).

``smallest`` answers the question state merging only approximates: which DFA (from a
``Sample`` with True/False labels) or Mealy machine (from ``IOTraces``) with the fewest
states agrees with every trace? It follows Heule & Verwer, *Exact DFA identification
using SAT solvers* (ICGI 2010): for a number of states ``k``, every prefix-tree node
``v`` gets a colour (variables ``x[v, i]``), the colours' transitions are variables
``y[a, i, j]`` and their outputs ``z[i]`` (DFA: accepting) or ``o[i, a, b]`` (Mealy);

- every node has exactly one colour;
- an edge ``p -a-> c`` of the tree: ``x[p, i] ∧ x[c, j] → y[a, i, j]`` and
  ``x[p, i] ∧ y[a, i, j] → x[c, j]``; each ``(i, a)`` has exactly one ``y[a, i, ·]``, so
  the colours form a complete deterministic machine;
- a node labelled accept/reject: ``x[v, i] → ±z[i]``; a Mealy edge with output ``b``:
  ``x[p, i] → o[i, a, b]``, with at most one output per ``(i, a)``;
- symmetry breaking (``symmetry=``): ``"bfs"`` (the default), Ulyantsev, Zakirzyanov &
  Shalyto's BFS predicates (ICGI 2015): the states are numbered in the order a
  breadth-first search from the initial state 0 meets them, children in order of their
  least input, which leaves one numbering per machine; the clique of
  pairwise-distinguishable prefixes (``distinct_prefixes``) then only adds "different
  colours" clauses. ``"clique"``: Heule & Verwer's, the clique takes colours 0, 1, ...
  (the two cannot be combined: each fixes the numbering its own way). BFS is the faster
  by an order of magnitude on the unsatisfiable ``k`` (Abbadingo n = 16, k = 7: 0.6 s
  against 8.5 s). The clique's size is the lower bound the search starts from.

A model gives the machine directly (the colours' tables); it is minimised and checked
against every trace. The search tries ``k`` = clique size, +1, ... and stops at the
first satisfiable ``k`` (a proof of minimality: every smaller ``k`` was unsatisfiable),
or below the size of EDSM's machine, which is computed first as the upper bound and
the fallback: when EDSM already meets the clique bound, or every ``k`` below its size is
unsatisfiable, EDSM's machine is the answer. ``time_limit`` bounds the whole search; if
it runs out, the best machine found so far is returned with ``proved_minimal=False``.

The solver is Glucose 4 from PySAT (``python-sat``; it can be interrupted at the time
limit, its CaDiCaL cannot), imported when ``smallest`` runs so that
``import catauto.automata`` stays light. The encoding has about ``2 E k²`` clauses for a
tree of ``E`` edges, so it is meant for small targets and sparse data (a few thousand
tree nodes, up to a few dozen states).

>>> from catauto.automata.traces import Sample
>>> words = ["", "a", "aa", "aaa", "aaaa", "b", "ab", "ba"]
>>> r = smallest(Sample(words, [len(w) % 2 == 0 for w in words]), progress=False)
>>> r.machine.n_states, r.proved_minimal
(2, True)
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

import numpy as np

from catauto.automata.learn.passive._core_sat import solve
from catauto.automata.learn.passive.apta import PrefixTree, distinct_prefixes, prefix_tree
from catauto.automata.learn.passive.state_merging import _verify, edsm
from catauto.automata.machine import DFA, Machine, Mealy
from catauto.automata.traces import IOTraces, Sample
from catauto.errors import CatautoError, StateBoundError, check_count

__all__ = ["SatStep", "SmallestResult", "smallest"]


@dataclass(frozen=True)
class SatStep:
    """One ``k`` of the search: ``sat`` is True, False, or None (time ran out)."""

    k: int
    sat: bool | None
    seconds: float
    variables: int
    clauses: int


@dataclass(frozen=True)
class SmallestResult:
    """What ``smallest`` found: ``machine`` (minimised, consistent with every trace),
    whether no smaller machine exists (``proved_minimal``), the clique ``lower_bound``,
    the size of EDSM's machine (``upper_bound``) and one ``SatStep`` per ``k`` tried."""

    machine: Machine
    proved_minimal: bool
    lower_bound: int
    upper_bound: int
    steps: list[SatStep] = field(default_factory=list)

    @property
    def ks(self) -> list[int]:
        return [s.k for s in self.steps]


def _encode(
    tree: PrefixTree, k: int, clique: list[int], symmetry: str = "clique"
) -> tuple[int, list, dict]:
    """The clauses for ``k`` colours; returns (number of variables, clauses, offsets)."""
    n, m = tree.n_nodes, tree.n_inputs
    mealy = tree.kind == "mealy"
    n_out = max(len(tree.outputs), 1) if mealy else 0
    X = 1
    Y = X + n * k
    Z = Y + m * k * k
    O = Z + (0 if mealy else k)
    n_vars = O + (k * m * n_out if mealy else 0) - 1
    x = (X + np.arange(n * k, dtype=np.int64)).reshape(n, k)
    y = (Y + np.arange(m * k * k, dtype=np.int64)).reshape(m, k, k)
    parts: list[np.ndarray] = []
    parts_ragged: list[list[int]] = []
    parts_ragged += x.tolist()  # at least one colour per node
    iu, ju = np.triu_indices(k, 1)
    parts.append(np.stack([-x[:, iu], -x[:, ju]], -1).reshape(-1, 2))  # at most one
    parts_ragged += y.reshape(m * k, k).tolist()  # at least one successor
    parts.append(np.stack([-y[:, :, iu], -y[:, :, ju]], -1).reshape(-1, 2))  # at most one
    p = np.flatnonzero(tree.parent >= 0)
    par, sym = tree.parent[p], tree.symbol[p]
    xp = x[par][:, :, None]  # [E, i, 1]
    xc = x[p][:, None, :]  # [E, 1, j]
    ya = y[sym]  # [E, i, j]
    xp, xc = np.broadcast_arrays(xp, xc)
    parts.append(np.stack([-xp, -xc, ya], -1).reshape(-1, 3))
    parts.append(np.stack([-xp, -ya, xc], -1).reshape(-1, 3))
    if mealy:
        o = (O + np.arange(k * m * n_out, dtype=np.int64)).reshape(k, m, n_out)
        eo = tree.edge_output[par, sym]
        parts.append(np.stack([-x[par], o[:, sym, eo].T], -1).reshape(-1, 2))
        bu, bv = np.triu_indices(n_out, 1)
        parts.append(np.stack([-o[:, :, bu], -o[:, :, bv]], -1).reshape(-1, 2))
    else:
        z = Z + np.arange(k, dtype=np.int64)
        lab = np.flatnonzero(tree.label >= 0)
        sign = np.where(tree.label[lab] == 1, 1, -1)[:, None]
        parts.append(np.stack([-x[lab], sign * z[None, :]], -1).reshape(-1, 2))
    if symmetry == "clique":
        units = [[int(x[v, i])] for i, v in enumerate(clique)]
    else:
        units = [[int(x[0, 0])]]
        c = np.array(clique, dtype=np.int64)
        cu, cv = np.triu_indices(len(c), 1)
        parts.append(np.stack([-x[c[cu]], -x[c[cv]]], -1).reshape(-1, 2))
        n_vars, more = _bfs_clauses(y, k, m, n_vars)
        units += more
    clauses = parts_ragged + units
    for arr in parts:
        clauses += arr.tolist()
    return n_vars, clauses, {"X": X, "Y": Y, "Z": Z, "O": O}


def _bfs_clauses(y: np.ndarray, k: int, m: int, top: int) -> tuple[int, list]:
    """Ulyantsev et al.'s BFS symmetry breaking: the states are numbered in the order a
    breadth-first search from state 0 meets them, children in order of their least
    input. ``t[i, j]``: some transition i -> j; ``p[j, i]``: i is j's BFS parent (the
    least state with a transition to j); ``mn[a, i, j]``: a is the least input i -> j."""
    t = (top + 1 + np.arange(k * k)).reshape(k, k)
    p = (top + 1 + k * k + np.arange(k * k)).reshape(k, k)  # p[j, i]
    mn = (top + 1 + 2 * k * k + np.arange(m * k * k)).reshape(m, k, k)
    out: list[list[int]] = []
    for j in range(1, k):
        out.append([int(p[j, i]) for i in range(j)])  # every state j > 0 has a parent
        for i in range(j):
            ys = [int(y[a, i, j]) for a in range(m)]
            out.append([-int(t[i, j]), *ys])
            out += [[-ya, int(t[i, j])] for ya in ys]
            out.append([-int(p[j, i]), int(t[i, j])])
            out += [[-int(p[j, i]), -int(t[h, j])] for h in range(i)]
            out.append([-int(t[i, j]), *(int(t[h, j]) for h in range(i)), int(p[j, i])])
            for a in range(m):
                out.append([-int(mn[a, i, j]), ys[a]])
                out += [[-int(mn[a, i, j]), -ys[b]] for b in range(a)]
                out.append([-ys[a], *ys[:a], int(mn[a, i, j])])
            if j + 1 < k:
                # parents in order, and two children of one parent by their least input
                out += [[-int(p[j, i]), -int(p[j + 1, h])] for h in range(i)]
                for a in range(m):
                    for b in range(a):
                        out.append(
                            [-int(p[j, i]), -int(p[j + 1, i]), -int(mn[a, i, j]),
                             -int(mn[b, i, j + 1])]
                        )  # fmt: skip
    return top + 2 * k * k + m * k * k, out


def _read_back(tree: PrefixTree, k: int, model: list[int], off: dict) -> Machine:
    true = np.zeros(max(abs(v) for v in model) + 1, dtype=bool)
    pos = np.array([v for v in model if v > 0], dtype=np.int64)
    true[pos] = True
    n, m = tree.n_nodes, tree.n_inputs
    x = true[off["X"] : off["X"] + n * k].reshape(n, k)
    y = true[off["Y"] : off["Y"] + m * k * k].reshape(m, k, k)
    delta = np.argmax(y, axis=2).T.astype(np.int32)  # [k, m]
    if tree.kind == "mealy":
        n_out = max(len(tree.outputs), 1)
        o = true[off["O"] : off["O"] + k * m * n_out].reshape(k, m, n_out)
        out = np.argmax(o, axis=2).astype(np.int32)
        colour = np.argmax(x, axis=1)
        used = np.zeros((k, m), dtype=bool)
        e = np.flatnonzero(tree.parent >= 0)
        used[colour[tree.parent[e]], tree.symbol[e]] = True
        delta = np.where(used, delta, -1).astype(np.int32)
        out = np.where(used, out, -1).astype(np.int32)
        return Mealy(delta, out, 0, tree.inputs, tree.outputs).minimize()
    z = true[off["Z"] : off["Z"] + k]
    return DFA(delta, z, 0, tree.inputs).minimize()


def smallest(
    data: Sample | IOTraces,
    max_states: int | None = None,
    time_limit: float | None = None,
    progress: bool = True,
    symmetry: str = "bfs",
) -> SmallestResult:
    """The smallest DFA (``Sample``) or Mealy machine (``IOTraces``) consistent with
    ``data``, by SAT; see the module doc. ``max_states`` bounds the search (a
    ``StateBoundError`` if no machine that small exists, or none was found in time);
    ``time_limit`` (seconds) bounds the whole search; ``progress`` prints a line per
    ``k`` on stderr; ``symmetry``: ``"bfs"`` or ``"clique"`` symmetry breaking. The
    result lists each ``k`` tried with its time and encoding size. Contradictory data
    raises ``ContradictionError``.
    """
    if max_states is not None:
        check_count("max_states", max_states, 1)
    if symmetry not in ("bfs", "clique"):
        raise CatautoError(f"symmetry must be 'bfs' or 'clique', got {symmetry!r}")
    if time_limit is not None and time_limit < 0:
        raise CatautoError(f"time_limit must be >= 0, got {time_limit}")
    start = time.perf_counter()
    deadline = None if time_limit is None else start + time_limit
    tree = prefix_tree(data)
    if tree.kind not in ("dfa", "mealy"):
        raise CatautoError(
            f"smallest learns a DFA (True/False labels) or a Mealy machine, not {tree.kind}"
        )
    clique = distinct_prefixes(tree)
    lower = max(len(clique), 1)
    best = edsm(data, progress=False)
    upper = best.n_states
    steps: list[SatStep] = []

    def say(text: str) -> None:
        if progress:
            sys.stderr.write(f"smallest: {text}\n")
            sys.stderr.flush()

    say(f"clique lower bound {lower}, edsm upper bound {upper}")
    proved = lower >= upper
    top = upper - 1 if max_states is None else min(upper - 1, max_states)
    k = lower
    timed_out = False
    while not proved and k <= top:
        if deadline is not None and time.perf_counter() >= deadline:
            timed_out = True  # before building an encoding that could not be solved
            say(f"k={k}: time limit reached")
            break
        t0 = time.perf_counter()
        n_vars, clauses, off = _encode(tree, k, clique, symmetry)
        sat, model = solve(clauses, deadline)
        secs = time.perf_counter() - t0
        steps.append(SatStep(k, sat, secs, n_vars, len(clauses)))
        word = {True: "satisfiable", False: "unsatisfiable", None: "time limit reached"}[sat]
        say(f"k={k}: {word} ({n_vars} variables, {len(clauses)} clauses, {secs:.2f} s)")
        del clauses
        if sat is None:
            timed_out = True
            break
        if sat:
            best = _read_back(tree, k, model, off)
            _verify(best, data)
            proved = True
            break
        k += 1
    if not proved and not timed_out:
        # every k from the lower bound to ``top`` is unsatisfiable
        if top >= upper - 1:
            proved = True  # so EDSM's machine is the smallest
        else:
            raise StateBoundError(
                f"no machine with at most max_states={max_states} states exists"
                f" (the smallest has more; EDSM found {upper})"
            )
    if max_states is not None and best.n_states > max_states:
        raise StateBoundError(
            f"no machine with at most max_states={max_states} states found in the time"
            f" limit of {time_limit} s: the smallest found has {best.n_states}"
        )
    _verify(best, data)
    say(f"{best.n_states} states, {'minimal' if proved else 'minimality not proved'}")
    return SmallestResult(best, proved, lower, upper, steps)
