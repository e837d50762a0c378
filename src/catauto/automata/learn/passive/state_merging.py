"""Passive learning by state merging: RPNI and EDSM, for DFA, Moore and Mealy machines.

Both start from the prefix tree of the data and grow a set of *red* states (the
states of the answer) in the red–blue (blue-fringe) framework; a *blue* node is a
child of a red state that is not red itself. Each step either merges a blue node into
a red state (with the determinising fold, see ``_merge``) or promotes it to red.

- ``rpni`` (Oncina & García 1992): take the blue node with the shortlex-least access
  word, merge it into the first red state (in order of promotion) it merges with
  consistently, promote it if there is none. Given a characteristic sample of a
  target, RPNI returns exactly the target's minimal machine.
- ``edsm`` (Lang, Pearlmutter & Price 1998): score every red–blue pair by its evidence
  (the number of outputs the fold finds equal); promote a blue node that merges with
  no red state, otherwise make the highest-scoring merge. ``search=`` adds a search
  over the merge choices that keeps the smallest machine, ``finish="sat"`` a SAT
  solver that looks for a smaller one on greedy EDSM's prefixes (see ``edsm``).

Why that search. On sparse data greedy EDSM goes wrong early and then needs about
three times the target's states (Abbadingo n = 64 at 1,521 strings: ~200 states
instead of ~64), so the size of the finished machine tells good decisions from bad
ones; replaying greedy EDSM against the target shows that its mistakes are almost
always the right blue node sent to the wrong red state (one of the next two or
three by score), or a blue node merged that should have been promoted. The search
therefore tries exactly those alternatives, in the spirit of Lang's ed-beam and of
the "try the top merges, keep the smallest DFA" strategies of the Abbadingo and
StaMinA winners. A beam keeps several improved paths, since the corrections that lead
to the target do not always shrink the machine most at first. On some instances the
first 5-14 corrections (chosen with the target's help) leave the size at ~200, so no
size-guided search finds them. Nor does ``finish="sat"``: its prefixes are right only
before greedy's first mistake, where SAT would have to place ~7,000 nodes in ~65
states (on Abbadingo n = 16 and 32 it proves no better than ~10 states a minute).

The kind of machine follows the data — a ``Sample`` with True/False labels gives a
``DFA``, one with other labels a ``Moore`` machine, ``IOTraces`` a ``Mealy`` machine
— or ``kind=`` (``"moore"`` reads a DFA sample or Mealy traces as Moore data).

What the data leaves undetermined:

- a DFA is returned **complete**: a transition no trace takes goes to a rejecting sink
  (what a partial DFA means anyway), and a state no word ends in rejects. On
  Abbadingo-style and StaMinA data red–blue merging leaves almost no transition
  undetermined (held-out words meeting one: 10 over 25 instances and 3 StaMinA sets),
  and rejecting sink, self-loop and most-used target scored within one word;
- a Moore or Mealy machine keeps such transitions undefined (-1), so the machine says
  what the data did not determine; a Moore state with no known output gets the most
  frequent output of the data.

The result is minimised, then checked against every trace (a failure would be a bug
and raises ``RuntimeError``). ``max_states`` (at least 1) bounds the states of the
returned machine, a DFA's rejecting sink included: when the data forces more, a
``StateBoundError`` says so. Runs longer than a second print a progress line on
stderr unless ``progress=False``.

>>> from catauto.automata.traces import Sample
>>> words = ["", "a", "aa", "aaa", "aaaa", "b", "ab", "ba"]
>>> m = rpni(Sample(words, [len(w) % 2 == 0 for w in words]))
>>> m.n_states, m.accepts("aaaaaa"), m.accepts("aba")
(2, True, False)
>>> edsm(Sample(words, [len(w) % 2 == 0 for w in words])).n_states
2
"""

from __future__ import annotations

import sys
import time
from bisect import insort

import numpy as np

from catauto.automata.learn.passive._core_sat import MAX_CLAUSES, CoreProblem, solve
from catauto.automata.learn.passive._merge import Edsm, Hypothesis
from catauto.automata.learn.passive.apta import PrefixTree, prefix_tree
from catauto.automata.machine import DFA, Machine, Mealy, Moore
from catauto.automata.traces import IOTraces, Sample
from catauto.errors import CatautoError, StateBoundError, check_count

__all__ = ["StateBoundError", "edsm", "rpni"]


class _Progress:
    """A throttled one-line progress report on stderr, only for runs longer than 1 s."""

    def __init__(self, name: str, enabled: bool) -> None:
        self.name, self.enabled = name, enabled
        self.start = self.last = time.perf_counter()
        self.shown = False
        self.note = ""

    def __call__(self, hyp: Hypothesis) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.start < 1.0 or now - self.last < 0.5:
            return
        self.last = now
        self.shown = True
        sys.stderr.write(
            f"\r{self.name}: {len(hyp.red)} states{self.note}, {now - self.start:.1f} s   "
        )
        sys.stderr.flush()

    def done(self, n_states: int) -> None:
        if self.shown:
            took = time.perf_counter() - self.start
            sys.stderr.write(f"\r{self.name}: {n_states} states in {took:.1f} s{' ' * 30}\n")
            sys.stderr.flush()


def _check_bound(max_states: int | None) -> None:
    if max_states is not None:
        check_count("max_states", max_states, 1)


def _bound_error(max_states: int) -> StateBoundError:
    return StateBoundError(
        f"no machine with at most max_states={max_states} states found: the data forces"
        " more (with this merge order); raise the bound or try another algorithm"
    )


# -- RPNI -------------------------------------------------------------------------------


def _rpni_run(hyp: Hypothesis, max_states: int | None, progress: _Progress) -> None:
    while True:
        blue = hyp.first_blue()
        if blue is None:
            return
        progress(hyp)
        b, parent, a = blue
        if hyp.merge_first(b, parent, a) < 0:
            if max_states is not None and len(hyp.red) >= max_states:
                raise _bound_error(max_states)
            hyp.promote(b, parent)


def rpni(
    data: Sample | IOTraces,
    max_states: int | None = None,
    *,
    kind: str | None = None,
    progress: bool = True,
) -> Machine:
    """Learn a machine consistent with ``data`` by RPNI (red–blue, shortlex order).

    ``data``: a ``Sample`` (DFA or Moore) or ``IOTraces`` (Mealy); ``kind`` overrides
    the kind; ``max_states`` bounds the states of the result (``StateBoundError``
    beyond it). Returns a minimal ``DFA`` / ``Moore`` / ``Mealy`` that agrees with every
    trace.
    """
    _check_bound(max_states)
    tree = prefix_tree(data, kind)
    hyp = Hypothesis(tree)
    report = _Progress("rpni", progress)
    _rpni_run(hyp, max_states, report)
    machine = _finish(tree, hyp, data, max_states)
    report.done(machine.n_states)
    return machine


# -- EDSM -------------------------------------------------------------------------------


def _apply(state: Edsm, choice: tuple) -> None:
    if choice[0] == "promote":
        state.promote(choice[1], choice[2])
    else:
        state.merge(*choice[1:])


def _walk(
    state: Edsm,
    first: int,
    start: int,
    stop: int,
    width: int,
    cap: int | None,
    progress: _Progress,
    finish: bool = True,
) -> tuple[Edsm | None, list]:
    """Greedy EDSM from ``state`` (changed in place), numbering merge decisions from
    ``first``; decisions numbered in ``[start, stop)`` are recorded as
    ``(number, copy of the state before it, alternatives)``. Returns the finished state
    (None if it needed more than ``cap`` red states, or if not ``finish``: then the
    walk ends at decision ``stop``) and the records."""
    records = []
    index = first
    while True:
        record = start <= index < stop
        step = state.decide(width if record else 0)
        if step is None:
            return state, records
        progress(state.hyp)
        if step[0] == "promote":
            if cap is not None and len(state.hyp.red) >= cap:
                return None, records
            state.promote(step[1], step[2])
            continue
        if record:
            records.append((index, state.copy(), step[2]))
        elif index >= stop:
            return (state if finish and state.run(cap) else None), records
        index += 1
        state.merge(*step[1])


# How far (in red states) a trial may fall behind the best finished run at the same
# point before it is dropped. On sparse Abbadingo data a trial that ends near the
# target's size runs up to ~10 states behind a greedy run of 3x the size for a while:
# 2 lost those trials, 15 and 16 kept every one (n = 64 / 1,521, seeds 0-5) and made
# the search 1.5-4.7x faster.
_SLACK = 16


def _search(
    state: Edsm,
    width: int,
    window: int,
    beam: int,
    time_limit: float | None,
    max_red: int | None,
    progress: _Progress,
) -> Edsm | None:
    """EDSM with a search over the merge decisions, keeping the smallest machine.

    A beam of steepest descents on the size of the final machine. A *path* is a
    sequence of decisions followed by greedy EDSM (at first: greedy EDSM alone). Every
    alternative of each of its decisions in its window (the ``window`` decisions after
    the path's last change, see ``Edsm.decide``) is completed by greedy EDSM, capped
    just below the path's size and dropped once it falls ``_SLACK`` red states behind
    the best run so far at the same point. The ``beam`` alternatives (over all paths)
    that end smallest become the new paths, and the decisions after each are searched
    again. When no path improves, every window doubles (only the new decisions are
    tried). Stops when the windows cover every path without help, or at ``time_limit``
    seconds; returns the best finished state (None: nothing within ``max_red``).
    """
    t0 = time.perf_counter()
    root = state.copy()
    best, records = _walk(state, 0, 0, window, width, max_red, progress)
    best_size = len(best.hyp.red) if best is not None else (max_red or 0) + 1
    # a path: (size it ends at, the records of decisions [.., stop), its state at
    # decision ``first``, first, stop)
    paths = [(best_size, records, root, 0, window)]
    while True:
        found: list = []  # by size: (size, number, alternative, state before it, trial)
        for size, records, *_ in paths:
            for index, before, alternatives in records:
                for alt in alternatives:
                    if time_limit is not None and time.perf_counter() - t0 > time_limit:
                        return best
                    # a trial must beat its path and the beam's worst so far
                    cap = min(size, found[beam - 1][0] if len(found) >= beam else size) - 1
                    if alt[0] == "promote" and len(before.hyp.red) >= cap:
                        continue
                    trial = before.copy()
                    _apply(trial, alt)
                    guide = best.curve if best is not None else None
                    if trial.run(cap, guide=guide, slack=_SLACK):
                        entry = (len(trial.hyp.red), index, alt, before, trial)
                        insort(found, entry, key=lambda f: f[0])
                        if len(trial.hyp.red) < best_size:
                            best, best_size = trial, len(trial.hyp.red)
                            progress.note = f" (search: best {best_size})"
        if found:
            # each new path: the decisions before the improvement, the improvement,
            # then greedy, searched over the next ``window`` decisions (alternatives
            # before the improvement were tried on the same prefix)
            paths = []
            for size, index, alt, before, _ in found[:beam]:
                base = before.copy()
                _apply(base, alt)
                first, stop = index + 1, index + 1 + window
                _, records = _walk(base.copy(), first, first, stop, width, None, progress, False)
                paths.append((size, records, base, first, stop))
            continue
        if all(not records or records[-1][0] < stop - 1 for _, records, _, _, stop in paths):
            return best  # the windows already cover every decision of every path
        wider = []
        for size, _, base, first, stop in paths:
            end = first + 2 * (stop - first)
            _, records = _walk(base.copy(), first, stop, end, width, None, progress, False)
            wider.append((size, records, base, first, end))
        paths = wider


def edsm(
    data: Sample | IOTraces,
    max_states: int | None = None,
    *,
    kind: str | None = None,
    search: int = 0,
    window: int = 40,
    beam: int = 1,
    time_limit: float | None = None,
    finish: str | None = None,
    progress: bool = True,
) -> Machine:
    """Learn a machine consistent with ``data`` by evidence-driven state merging.

    Arguments as for ``rpni``, and:

    - ``search``: 0 for plain blue-fringe EDSM; ``w ≥ 1`` searches over the merge
      decisions by steepest descent on the size of the finished machine: each
      alternative (the ``w`` next red states for EDSM's blue node, the ``w`` next merges
      of other blue nodes, promoting the blue node) of the first ``window`` decisions is
      completed by greedy EDSM, the best improvement is committed, and the ``window``
      decisions after it are searched again (the window doubles when nothing helps).
      The result is never larger than plain EDSM's. ``w = 2`` is a good choice for
      sparse data (each alternative costs about one EDSM run);
    - ``beam``: how many improved paths each round keeps (1: steepest descent). A wider
      beam follows improvements that are not the largest at first; it costs about
      ``beam`` times as much per round;
    - ``time_limit``: seconds after which the search returns the best machine so far
      (with ``finish="sat"``: the search and the SAT stage each get this long; 60 s
      for the SAT stage when None);
    - ``finish="sat"``: DFASAT's recipe (Heule & Verwer) on top. A *prefix* is a red
      core and the trees left to place: the finished hypothesis, then greedy EDSM's
      hypothesis before each of its merges, deepest first. For each, a SAT solver looks
      for a machine that extends it with fewer states than the best so far (``K`` = the
      core's size, +1, ...; see ``_core_sat``), and the smallest machine found wins. A
      prefix that is right (every merge before it correct) gives the smallest machine
      with that core, which greedy merging after it may miss. Each prefix gets an equal
      share of the time left.

    Returns a minimal machine that agrees with every trace.
    """
    if search < 0 or window < 1 or beam < 1 or (time_limit is not None and time_limit < 0):
        raise CatautoError(
            "edsm needs search >= 0, window >= 1, beam >= 1 and time_limit >= 0, got"
            f" search={search}, window={window}, beam={beam}, time_limit={time_limit}"
        )
    if finish not in (None, "sat"):
        raise CatautoError(f"edsm's finish must be None or 'sat', got {finish!r}")
    _check_bound(max_states)
    tree = prefix_tree(data, kind)
    state = Edsm(Hypothesis(tree))
    report = _Progress("edsm", progress)
    if search:
        state = _search(state, search, window, beam, time_limit, max_states, report)
        if state is None:
            raise _bound_error(max_states or 0)
    elif not state.run(max_states, report):
        raise _bound_error(max_states or 0)
    machine = _finish(tree, state.hyp, data, max_states)
    if finish == "sat":
        machine = _sat_finish(tree, data, state, machine, time_limit, report)
    report.done(machine.n_states)
    return machine


# -- DFASAT: SAT on greedy prefixes -------------------------------------------------------


# How many greedy prefixes the SAT finish tries (greedy EDSM's mistakes come early, and
# each prefix is a copy of the hypothesis).
_MAX_PREFIXES = 24


def _prefixes(tree: PrefixTree, bound: int) -> list[Edsm]:
    """Greedy EDSM's hypotheses before each of its first ``_MAX_PREFIXES`` merges, while
    the red core has fewer than ``bound`` states (a core of ``bound`` leaves no room
    below it)."""
    state = Edsm(Hypothesis(tree))
    out: list[Edsm] = []
    while len(out) < _MAX_PREFIXES and (step := state.decide()) is not None:
        if step[0] == "promote":
            if len(state.hyp.red) + 1 >= bound:
                return out
            state.promote(step[1], step[2])
        else:
            out.append(state.copy())
            state.merge(*step[1])
    return out


def _sat_finish(
    tree: PrefixTree,
    data: Sample | IOTraces,
    finished: Edsm,
    best: Machine,
    time_limit: float | None,
    progress: _Progress,
) -> Machine:
    """``edsm``'s ``finish="sat"``: the smallest machine found by SAT that beats
    ``best`` (the machine of the ``finished`` run), else ``best``. First on the finished
    hypothesis itself (SAT may send the transitions no trace takes elsewhere than to a
    DFA's rejecting sink), then on greedy EDSM's prefixes, deepest first."""
    deadline = time.perf_counter() + (60.0 if time_limit is None else time_limit)
    prefixes = [finished, *_prefixes(tree, best.n_states)[::-1]]
    for done, state in enumerate(prefixes):
        problem = CoreProblem(state.hyp, tree.kind, tree.inputs, tree.outputs)
        if 2 * (len(problem.nodes) - 1) * problem.r > MAX_CLAUSES:
            continue  # at least K = r clauses per edge: too big before the domains
        share = (deadline - time.perf_counter()) / (len(prefixes) - done)
        stop = time.perf_counter() + share
        for K in range(problem.r, best.n_states):
            if problem.edge_clauses(K) > MAX_CLAUSES:
                break  # would not fit in memory (about 150 bytes a clause)
            progress.note = f" (sat: prefix {done + 1}/{len(prefixes)}, K={K})"
            progress(state.hyp)
            sat, model = solve(problem.encode(K)[1], stop)
            if sat:
                machine = problem.machine(K, model)
                _verify(machine, data)
                best = machine
                break
            if sat is None:
                break
        if time.perf_counter() >= deadline:
            break
    return best


# -- from the hypothesis to a machine ---------------------------------------------------


def _finish(
    tree: PrefixTree, hyp: Hypothesis, data: Sample | IOTraces, max_states: int | None
) -> Machine:
    machine = _machine(tree, hyp).minimize()
    _verify(machine, data)
    # the red states fit the bound, but a DFA's rejecting sink may not
    if max_states is not None and machine.n_states > max_states:
        raise StateBoundError(
            f"the learned DFA needs {machine.n_states} states with the rejecting sink that"
            f" completes it, more than max_states={max_states}; raise the bound"
        )
    return machine


def _machine(tree: PrefixTree, hyp: Hypothesis) -> Machine:
    """The red states as a machine (see the module doc for what is filled in)."""
    delta, label, out = hyp.tables()
    if tree.kind == "mealy":
        return Mealy(delta, out, 0, tree.inputs, tree.outputs)
    if tree.kind == "dfa":
        return DFA(delta, label == 1, 0, tree.inputs).complete()
    known = tree.label[tree.label >= 0]
    common = int(np.bincount(known).argmax()) if len(known) else 0
    label = np.where(label >= 0, label, common)
    outputs = tree.outputs if tree.outputs else (None,)
    return Moore(delta, label, 0, tree.inputs, outputs)


def _verify(machine: Machine, data: Sample | IOTraces) -> None:
    """Raise ``RuntimeError`` if ``machine`` disagrees with a trace (a learner bug)."""
    bad = data.misses(machine)
    if len(bad):
        raise RuntimeError(
            f"internal error: the learned machine disagrees with {data.describe(int(bad[0]))}"
        )
