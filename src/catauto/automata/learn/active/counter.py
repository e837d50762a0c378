"""Counting what reaches a system: every run is a reset, every input a symbol.

:class:`Counter` sits between the cache and the system adapter (see
:class:`~.teacher.Teacher`): whatever the cache cannot answer passes through it, and it
tells a learner's query (``mq``) from an oracle's test (``symbols_eq``). What the cache
answers is counted by the teacher (``mq_cached``, ``tests_cached``), and a test is one
``tests`` however many runs it takes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from catauto.automata.learn.active.system import System

__all__ = ["Counter", "Stats"]


@dataclass
class Stats:
    """What a learning run cost.

    ``mq`` counts the learner's queries that reached the system (cache misses) and
    ``mq_cached`` those the cache answered; ``tests`` counts the equivalence oracles' test
    words run on the system (``tests_cached``: decided by the cache alone); ``symbols``
    counts every input symbol sent to the system, ``symbols_eq`` those sent by the
    oracles; ``resets`` counts system resets; ``eq`` equivalence queries; ``rounds``
    the hypotheses sent to an oracle (a learner's rounds); ``states`` the final
    hypothesis's states; times in seconds (``eq_seconds`` spent inside oracles).
    """

    mq: int = 0
    mq_cached: int = 0
    eq: int = 0
    tests: int = 0
    tests_cached: int = 0
    symbols: int = 0
    symbols_eq: int = 0
    resets: int = 0
    rounds: int = 0
    states: int = 0
    seconds: float = 0.0
    eq_seconds: float = 0.0

    def copy(self) -> Stats:
        return Stats(*[getattr(self, name) for name in _STAT_FIELDS])

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _STAT_FIELDS}

    def __sub__(self, other: Stats) -> Stats:
        return Stats(*[getattr(self, name) - getattr(other, name) for name in _STAT_FIELDS])

    def __str__(self) -> str:
        return (
            f"{self.states} states, {self.rounds} rounds, MQ {self.mq} (+{self.mq_cached} cached),"
            f" EQ {self.eq} ({self.tests} tests), symbols {self.symbols}"
            f" ({self.symbols_eq} in tests), resets {self.resets}, {self.seconds:.2f} s"
        )


_STAT_FIELDS = tuple(f.name for f in fields(Stats))


class Counter:
    """A system whose runs are counted in ``stats``: the same runs as the system's, each
    as a learner's query or as an oracle's test."""

    def __init__(self, system: System, stats: Stats | None = None) -> None:
        self.system = system
        self.stats = Stats() if stats is None else stats

    def query(self, word: Sequence[int], stop: int = -1) -> list[int]:
        """The output word of ``word``: one query (with ``stop``, an error output, the
        run ends after the first ``stop``)."""
        if stop < 0:
            self._query(len(word))
            return self.system.run(word)
        outs = self.system.run(word, None, stop)
        self._query(self._length(word, outs))
        return outs

    def _length(self, word: Sequence[int], outs: list[int]) -> int:
        """The symbols a run sent: a stepwise system stops, a function runs to the end."""
        return len(outs) - self.system.moore if self.system.stepwise else len(word)

    def query_last(self, word: Sequence[int]) -> int:
        """The output at the end of ``word``: one query."""
        self._query(len(word))
        return self.system.run_last(word)

    def query_many(self, words: Sequence[Sequence[int]], stop: int = -1) -> list[list[int]]:
        """The output words of a batch of words: one query each (run as one batch)."""
        stats = self.stats
        stats.mq += len(words)
        stats.resets += len(words)
        if stop < 0:
            stats.symbols += sum(len(w) for w in words)
            return self.system.run_many(words)
        results = self.system.run_many(words, None, stop)
        stats.symbols += sum(self._length(w, o) for w, o in zip(words, results, strict=True))
        return results

    def count_query(self, symbols: int) -> None:
        """Count one query that sent ``symbols`` inputs (a run the teacher drove)."""
        self._query(symbols)

    def query_adaptive(self, word: list[int], choose: Callable[[int], int]) -> list[int]:
        """One query whose inputs after ``word`` are chosen as it runs (``word`` grows)."""
        stats = self.stats
        stats.mq += 1
        stats.resets += 1
        outs = self.system.run_adaptive(word, choose)
        stats.symbols += len(word)
        return outs

    def test(self, word: Sequence[int], expected: Sequence[int], stop: int = -1) -> list[int]:
        """The output word of a test, up to its first output that differs from
        ``expected`` (or is ``stop``; a system that cannot stop runs, and is counted, to
        the end)."""
        self.stats.resets += 1
        outs = (
            self.system.run(word, expected) if stop < 0 else self.system.run(word, expected, stop)
        )
        self._sent(len(outs) - self.system.moore if self.system.stepwise else len(word))
        return outs

    def test_many(
        self, words: Sequence[Sequence[int]], expected: Sequence[Sequence[int]], stop: int = -1
    ) -> list[list[int]]:
        """``test`` on each word of a batch (run as one batch), in batch order."""
        self.stats.resets += len(words)
        results = self.system.run_many(words, expected, stop)
        stepwise, moore = self.system.stepwise, self.system.moore
        self._sent(sum(len(o) - moore for o in results) if stepwise else sum(len(w) for w in words))
        return results

    def test_last(self, word: Sequence[int]) -> int:
        """The output at the end of ``word``, run as (part of) a test."""
        self.stats.resets += 1
        self._sent(len(word))
        return self.system.run_last(word)

    def _query(self, length: int) -> None:
        stats = self.stats
        stats.mq += 1
        stats.resets += 1
        stats.symbols += length

    def _sent(self, length: int) -> None:
        self.stats.symbols += length
        self.stats.symbols_eq += length
