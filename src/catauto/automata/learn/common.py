"""What the active learners share: kinds, progress lines, the equivalence-query step."""

from __future__ import annotations

import sys
import time

from catauto.automata.learn.oracle import Oracle, equivalence_query
from catauto.automata.learn.teacher import LearningError, Stats, Teacher, as_teacher
from catauto.automata.machine import Machine


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
            print(
                f"{self.name} round {stats.rounds - self.start_stats.rounds}:"
                f" {hypothesis.n_states} states, MQ {stats.mq - self.start_stats.mq},"
                f" EQ {stats.eq - self.start_stats.eq},"
                f" symbols {stats.symbols - self.start_stats.symbols},"
                f" {time.perf_counter() - self.start:.2f} s",
                file=sys.stderr,
                flush=True,
            )
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
