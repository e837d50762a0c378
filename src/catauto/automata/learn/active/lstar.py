"""L*: Angluin's observation table, with Rivest–Schapire counterexample processing.

The table has rows for a prefix-closed set ``S`` of access words (the states) and their
one-symbol extensions ``S·A``, and columns for a set ``E`` of suffixes; a cell holds the
outputs of the suffix after the row's word (the whole output word of the suffix when the
teacher reports whole words, which is the same as having every prefix of the suffix as a
column, else only its last output). ``E`` starts with ``()`` (Moore/DFA: the state's own
output) or the one-symbol words (Mealy: the transition outputs). The table is kept
*closed* (every ``S·A`` row equals some ``S`` row); distinct ``S`` rows are the states.

A counterexample is processed as Rivest and Schapire do: binary search for the position
``i`` where replacing the prefix ``w[:i]`` by the access word of the state it reaches
first changes the answer; the rest of the counterexample after that position is a new
column, which makes the table unclosed, so a new state appears. The counterexample is
reused until the hypothesis gets it right (no equivalence query in between).

>>> from catauto.automata import zoo
>>> from catauto.automata.learn import MachineTeacher, PerfectOracle
>>> target = zoo.tomita(5)
>>> hyp, stats = lstar(MachineTeacher(target), PerfectOracle(target), progress=False)
>>> hyp.equivalent(target), hyp.n_states
(True, 4)
"""

from __future__ import annotations

from catauto.automata.learn.active.common import Run, Word, prepare, refine, rivest_schapire
from catauto.automata.learn.active.counter import Stats
from catauto.automata.learn.active.oracle import Oracle
from catauto.automata.learn.active.teacher import Teacher
from catauto.automata.machine import Machine

__all__ = ["lstar"]


def lstar(
    teacher: Teacher | Machine,
    oracle: Oracle,
    *,
    kind: str | None = None,
    progress: bool = True,
    max_rounds: int | None = None,
) -> tuple[Machine, Stats]:
    """Learn the teacher's system with L*; return the hypothesis and the run's statistics.

    Arguments as for :func:`~catauto.automata.learn.active.lsharp.lsharp`.
    """
    teacher = prepare(teacher, kind)
    return refine(Run("lstar", teacher, progress, max_rounds), oracle, _Table(teacher))


class _Table:
    def __init__(self, teacher: Teacher) -> None:
        self.teacher = teacher
        self.k = len(teacher.inputs)
        self.moore = teacher.moore
        self.whole = teacher.whole_words
        self.E: list[Word] = [()] if self.moore else [(a,) for a in range(self.k)]
        self.S: list[Word] = [()]
        self.in_s: set[Word] = {()}
        self.rows: dict[Word, list] = {}
        self.state: dict[tuple, int] = {}  # S row -> state number
        self._fill([()] + [(a,) for a in range(self.k)])
        self.delta: list[list[int]] = []

    def _cell(self, word: Word, e: Word) -> object:
        if self.whole or not e:
            outs = self.teacher.query(word + e)
            if not e:
                return outs[-1]
            return tuple(outs[-len(e) :]) if self.whole else outs[-1]
        return self.teacher.query_last(word + e)

    def _fill(self, words: list[Word]) -> None:
        """Add rows (all columns) for ``words``."""
        cell, E = self._cell, self.E
        # Longest suffixes first: their answers cover the suffixes that are prefixes.
        order = sorted(range(len(E)), key=lambda i: -len(E[i]))
        for u in words:
            if u not in self.rows:
                row: list = [None] * len(E)
                for i in order:
                    row[i] = cell(u, E[i])
                self.rows[u] = row

    def add_column(self, e: Word) -> None:
        self.E.append(e)
        cell = self._cell
        # Longest rows first: their answers also cover shorter rows' prefixes.
        for u in sorted(self.rows, key=len, reverse=True):
            self.rows[u].append(cell(u, e))

    def close(self) -> None:
        k, rows = self.k, self.rows
        while True:
            known = {tuple(rows[s]) for s in self.S}
            fresh = []
            for s in self.S:
                for a in range(k):
                    u = s + (a,)
                    if u in self.in_s:
                        continue
                    r = tuple(rows[u])
                    if r not in known:
                        known.add(r)
                        fresh.append(u)
            if not fresh:
                return
            for u in fresh:
                self.S.append(u)
                self.in_s.add(u)
            self._fill([u + (a,) for u in fresh for a in range(k)])

    def hypothesis(self) -> Machine:
        self.close()
        rows, k = self.rows, self.k
        self.state = {tuple(rows[s]): i for i, s in enumerate(self.S)}
        self.delta = [[self.state[tuple(rows[s + (a,)])] for a in range(k)] for s in self.S]
        if self.moore:
            output = [rows[s][0] for s in self.S]
        else:  # column a is the suffix (a,): its cell holds the transition output
            output = [[_last(rows[s][a]) for a in range(k)] for s in self.S]
        return self.teacher.machine(self.delta, output)

    def process(self, cex: Word) -> None:
        """Add the suffix after the counterexample's breakpoint as a column."""
        self.add_column(cex[rivest_schapire(self.teacher, self.delta, self.S, cex) + 1 :])


def _last(cell: object) -> int:
    return cell[-1] if isinstance(cell, tuple) else cell  # type: ignore[return-value]
