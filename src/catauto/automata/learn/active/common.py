"""What the active learners share: kinds, progress lines, the equivalence-query step,
and for L* and KV the refinement loop and Rivest–Schapire's counterexample search."""

from __future__ import annotations

import sys
import time
from typing import Protocol

from catauto.automata.learn.active.counter import Stats
from catauto.automata.learn.active.oracle import Oracle, equivalence_query, runner_for
from catauto.automata.learn.active.teacher import Teacher, as_teacher
from catauto.automata.machine import Machine
from catauto.errors import LearningError

__all__ = ["Refiner", "Run", "prepare", "refine", "rivest_schapire"]


def prepare(teacher: Teacher | Machine, kind: str | None) -> Teacher:
    """The teacher to learn from; ``kind`` must be its kind (or None)."""
    teacher = as_teacher(teacher)
    if kind is not None and kind != teacher.kind:
        raise LearningError(f"cannot learn a {kind} from a {teacher.kind} teacher")
    return teacher


class Run:
    """Bookkeeping of one learning run: stats baseline, timing, progress on stderr."""

    def __init__(self, name: str, teacher: Teacher, progress: bool, max_rounds: int | None) -> None:
        self.name = name
        self.teacher = teacher
        self.progress = progress
        self.max_rounds = max_rounds
        self.start_stats = teacher.stats.copy()
        self.start = time.perf_counter()

    def equivalence(self, oracle: Oracle, hypothesis: Machine) -> tuple[int, ...] | None:
        """Count a round, report it, and ask the oracle (None: learning is over)."""
        stats = self.teacher.stats
        stats.rounds += 1
        if self.progress:
            base = self.start_stats
            print(
                f"{self.name} round {stats.rounds - base.rounds}:"
                f" {hypothesis.n_states} states, MQ {stats.mq - base.mq},"
                f" EQ {stats.eq - base.eq}, tests {stats.tests - base.tests},"
                f" symbols {stats.symbols - base.symbols},"
                f" resets {stats.resets - base.resets},"
                f" {time.perf_counter() - self.start:.2f} s",
                file=sys.stderr,
                flush=True,
            )
        self.teacher.observe(hypothesis)
        cex = equivalence_query(oracle, hypothesis, self.teacher)
        if cex is not None and self.max_rounds is not None:
            if stats.rounds - self.start_stats.rounds >= self.max_rounds:
                return None
        return cex

    def finish(self, hypothesis: Machine) -> tuple[Machine, Stats]:
        stats = self.teacher.stats
        stats.seconds += time.perf_counter() - self.start
        stats.states = hypothesis.n_states
        result = stats - self.start_stats
        result.states = hypothesis.n_states
        if self.progress:
            print(f"{self.name} done: {result}", file=sys.stderr, flush=True)
        return hypothesis, result


Word = tuple[int, ...]


class Refiner(Protocol):
    """A learner that builds hypotheses and refines them with counterexamples."""

    def hypothesis(self) -> Machine: ...

    def process(self, cex: Word) -> None: ...


def refine(run: Run, oracle: Oracle, learner: Refiner) -> tuple[Machine, Stats]:
    """Hypothesis, counterexample, refinement, until the oracle has none. A
    counterexample is reused (no equivalence query) while the hypothesis still gets it
    wrong: one counterexample can reveal several states."""
    teacher = run.teacher
    cex: Word | None = None
    while True:
        hypothesis = learner.hypothesis()
        wrong = cex is not None and (
            teacher.query_last(cex) != runner_for(hypothesis, teacher).expected(cex)[-1]
        )
        if not wrong:
            cex = run.equivalence(oracle, hypothesis)
            if cex is None:
                return run.finish(hypothesis)
        learner.process(cex)


def rivest_schapire(teacher: Teacher, delta: list[list[int]], access: list[Word], cex: Word) -> int:
    """Rivest–Schapire's binary search over a counterexample whose last output the
    hypothesis (``delta``, with ``access[q]`` the access word of state ``q``) gets wrong.

    With ``alpha(i)``: "``access[state reached by cex[:i]] + cex[i:]`` has the teacher's
    last output", ``alpha(0)`` holds and ``alpha(len)`` (Moore; ``len - 1`` Mealy: the
    hypothesis's own answer) fails; returns an ``i`` with ``alpha(i)`` and not
    ``alpha(i + 1)``: ``access(cex[:i]) · cex[i]`` reaches a state the hypothesis lacks,
    told apart by ``cex[i + 1:]``.
    """
    want = teacher.query_last(cex)

    def alpha(i: int) -> bool:
        q = 0
        for a in cex[:i]:
            q = delta[q][a]
        return teacher.query_last(access[q] + cex[i:]) == want

    lo, hi = 0, len(cex) if teacher.moore else len(cex) - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if alpha(mid):
            lo = mid
        else:
            hi = mid
    return lo
