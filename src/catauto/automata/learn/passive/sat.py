"""The smallest machine consistent with the data, by SAT (exact identification).

``smallest`` answers the question state merging only approximates: which DFA (from a
``Sample`` with True/False labels), Moore machine (a ``Sample`` with other labels) or
Mealy machine (from ``IOTraces``) with the fewest states agrees with every trace? It
follows Heule & Verwer, *Exact DFA identification using SAT solvers* (ICGI 2010): for a
number of states ``k``, every prefix-tree node gets one of ``k`` colours, the colours'
transitions and outputs are variables, and every tree edge and label constrains them
(the encoding, shared with ``edsm``'s ``finish="sat"``, is in ``_core_sat``). Symmetry
breaking (``symmetry=``), each leaving one numbering per machine:

- ``"clique"`` (the default): a clique of pairwise-distinguishable prefixes
  (``distinct_prefixes``) takes colours ``0, 1, ...``, a node may take a clique colour
  only where its subtree agrees with that prefix's, and the other colours are numbered
  in the order the nodes (breadth first) first use them;
- ``"bfs"``: Ulyantsev, Zakirzyanov & Shalyto's BFS predicates (ICGI 2015): states are
  numbered as a breadth-first search from the initial state meets them, and the clique
  only adds "different colours" clauses.

On Abbadingo n = 16 / 160 strings the two take about as long per ``k`` (seed 0, k = 9,
unsatisfiable: 10–12 s); on n = 32 / 500 ``"clique"`` is faster (k = 10 unsatisfiable in
17 s; ``"bfs"`` had no answer in 25 s). The clique's size is the lower bound the search
starts from.

A model gives the machine directly (the colours' tables); it is minimised and checked
against every trace. The search tries ``k`` = clique size, +1, ... and stops at the
first satisfiable ``k`` (a proof of minimality: every smaller ``k`` was unsatisfiable),
or below the size of EDSM's machine, which is computed first as the upper bound and
the fallback: when EDSM already meets the clique bound, or every ``k`` below its size is
unsatisfiable, EDSM's machine is the answer. ``time_limit`` bounds the whole search; if
it runs out, or the next encoding would have more than ``MAX_CLAUSES`` clauses (about
1 GB), the best machine found so far is returned with ``proved_minimal=False``.

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

from catauto.automata.learn.passive._core_sat import MAX_CLAUSES, CoreProblem, solve
from catauto.automata.learn.passive._merge import Hypothesis
from catauto.automata.learn.passive.apta import distinct_prefixes, prefix_tree
from catauto.automata.learn.passive.state_merging import _verify, edsm
from catauto.automata.machine import Machine
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


def smallest(
    data: Sample | IOTraces,
    max_states: int | None = None,
    time_limit: float | None = None,
    progress: bool = True,
    symmetry: str = "clique",
) -> SmallestResult:
    """The smallest DFA or Moore machine (``Sample``) or Mealy machine (``IOTraces``)
    consistent with ``data``, by SAT; see the module doc. ``max_states`` bounds the
    search (a ``StateBoundError`` if no machine that small exists, or none was found in
    time); ``time_limit`` (seconds) bounds the whole search; ``progress`` prints a line
    per ``k`` on stderr; ``symmetry``: ``"clique"`` or ``"bfs"`` (see the module doc).
    The result lists each ``k`` tried with its time and encoding size. Contradictory data
    raises ``ContradictionError``.
    """
    if max_states is not None:
        check_count("max_states", max_states, 1)
    if symmetry not in ("clique", "bfs"):
        raise CatautoError(f"symmetry must be 'clique' or 'bfs', got {symmetry!r}")
    if time_limit is not None and time_limit < 0:
        raise CatautoError(f"time_limit must be >= 0, got {time_limit}")
    start = time.perf_counter()
    deadline = None if time_limit is None else start + time_limit
    tree = prefix_tree(data)
    clique = distinct_prefixes(tree)
    args = {"fixed": clique} if symmetry == "clique" else {"bfs_apart": clique}
    problem = CoreProblem(Hypothesis(tree), tree.kind, tree.inputs, tree.outputs, **args)
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
        if problem.edge_clauses(k) > MAX_CLAUSES:
            timed_out = True  # as good as out of time: the encoding would not fit
            say(f"k={k}: the encoding would have over {MAX_CLAUSES:,} clauses; stopped")
            break
        t0 = time.perf_counter()
        n_vars, clauses = problem.encode(k)
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
            best = problem.machine(k, model)
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
