"""Equivalence oracles: find a word on which a hypothesis and the teacher's system differ.

An oracle's ``find_counterexample(hypothesis, teacher)`` returns a counterexample as a
tuple of input indices (into ``teacher.inputs``) whose last output differs, or ``None``.
Test words run through the teacher, so they are cached, counted (``stats.tests``,
``stats.symbols_eq``) and a counterexample is always a real one. Random oracles take a
``seed`` and keep their generator across equivalence queries, so a learning run is
reproducible; every oracle is bounded (a number of tests or steps per query, or the depth
of its exhaustive suite). With a teacher whose ``batch`` is above 1 (a
:class:`~.teacher.ParallelTeacher`) the tests go to it ``batch`` at a time
(``teacher.run_tests``), each batch run whole, and the first failure in test order is
the counterexample.

The oracles, and their AALpy 2.0 counterparts (same parameters, same meaning):

- ``PerfectOracle(target)``: a shortest difference from a known machine, no tests
  (``PerfectKnowledgeEqOracle``);
- ``RandomWordOracle(n_words, min_length, max_length)``: uniform random words
  (``RandomWordEqOracle``);
- ``RandomWalkOracle(n_steps, reset_prob)``: one random walk, reset before a step with
  probability ``reset_prob`` (``RandomWalkEqOracle``);
- ``WMethodOracle(extra_states)``: transition cover · I^≤e · W (``WMethodEqOracle``);
- ``WpMethodOracle(extra_states)``: state cover · I^≤e · W, then the other transitions
  · I^≤e · W_q (``WpMethodEqOracle``);
- ``RandomWpOracle(min_length, expected_length, n_tests)``: an access word, a random
  middle, a word of W or W_q (``RandomWpMethodEqOracle``);
- ``RandomWOracle(walks_per_state, walk_len)``: an access word, a random walk, a word of
  W, so many per state (``RandomWMethodEqOracle``);
- ``TestSuiteOracle(words)``: a fixed list of words (``ProvidedSequencesOracleWrapper``);
- ``HybridADSOracle(depth, n_tests, max_symbols, expected_length)``: access word ·
  infix (exhaustive up to ``depth``, then random) · a suffix that separates the state
  reached from all others (the conformance tester of the L# paper; AALpy has none).

``e`` is ``extra_states`` (AALpy's ``max_number_of_states`` minus the hypothesis size,
which ``max_states=`` reproduces).

>>> from catauto.automata import DFA
>>> from catauto.automata.learn.active.teacher import MachineTeacher
>>> even_a = DFA([[1, 0], [0, 1]], accepting=[True, False], inputs="ab")
>>> everything = DFA([[0, 0]], accepting=[True], inputs="ab")
>>> t = MachineTeacher(even_a)
>>> t.decode(RandomWordOracle(n_words=20, seed=1).find_counterexample(everything, t))[-1]
'a'
>>> WMethodOracle(extra_states=1).find_counterexample(even_a, t) is None
True
"""

from __future__ import annotations

import operator
import random
import time
from collections.abc import Hashable, Iterable, Iterator, Sequence
from itertools import islice, product

import numpy as np

from catauto.automata.covers import (
    PairSeparators,
    Word,
    access_words,
    separating_family,
    state_cover,
    transition_cover,
)
from catauto.automata.learn.active.system import REFUSED, completed
from catauto.automata.learn.active.teacher import Teacher
from catauto.automata.machine import Machine
from catauto.errors import LearningError, check_count

__all__ = [
    "HybridADSOracle",
    "HypothesisRunner",
    "Oracle",
    "PerfectOracle",
    "RandomWOracle",
    "RandomWalkOracle",
    "RandomWordOracle",
    "RandomWpOracle",
    "TestSuiteOracle",
    "WMethodOracle",
    "WpMethodOracle",
    "equivalence_query",
    "runner_for",
]


class HypothesisRunner:
    """A machine's tables as lists, outputs translated into a teacher's output indices.

    An undefined transition leads to the state ``-1``, whose outputs are ``-1`` (which
    no system output equals, so a partial hypothesis is wrong wherever it is undefined).
    """

    def __init__(self, machine: Machine, teacher: Teacher) -> None:
        if tuple(machine.inputs) != teacher.inputs:
            raise LearningError(
                f"the hypothesis inputs {machine.inputs!r} differ from the teacher's"
                f" {teacher.inputs!r}"
            )
        if (machine.kind == "mealy") != (teacher.kind == "mealy"):
            raise LearningError(f"a {machine.kind} hypothesis for a {teacher.kind} teacher")
        self.machine = machine
        self.moore = machine.kind != "mealy"
        self.initial = machine.initial
        self.n = machine.n_states
        self.k = machine.n_inputs
        self.delta: list[list[int]] = machine.delta.tolist()
        index = [teacher.intern(o) for o in machine.outputs]
        if self.moore:
            self.out: list = [index[o] for o in machine.output.tolist()]
        else:
            self.out = [
                [index[o] if d >= 0 else -1 for o, d in zip(row, drow, strict=True)]
                for row, drow in zip(machine.output.tolist(), self.delta, strict=True)
            ]

    def run(self, word: Iterable[int], q: int | None = None) -> int:
        delta = self.delta
        q = self.initial if q is None else q
        for a in word:
            if q < 0:
                return -1
            q = delta[q][a]
        return q

    def expected(self, word: Sequence[int]) -> list[int]:
        """The hypothesis's output word (Moore: ``len + 1`` outputs)."""
        delta, out = self.delta, self.out
        q = self.initial
        if self.moore:
            res = [out[q]]
            for a in word:
                q = delta[q][a] if q >= 0 else -1
                res.append(out[q] if q >= 0 else -1)
            return res
        res = []
        for a in word:
            if q < 0:
                res.append(-1)
                continue
            res.append(out[q][a])
            q = delta[q][a]
        return res


def runner_for(machine: Machine, teacher: Teacher) -> HypothesisRunner:
    """The runner of ``machine`` for ``teacher``, reused while the same pair is asked
    (a learner's rounds ask one hypothesis many times)."""
    global _last_runner
    last = _last_runner
    if last is not None and last[0] is machine and last[1] is teacher:
        return last[2]
    runner = HypothesisRunner(machine, teacher)
    _last_runner = (machine, teacher, runner)
    return runner


_last_runner: tuple[Machine, Teacher, HypothesisRunner] | None = None


class Oracle:
    """Base class: ``find_counterexample(hypothesis, teacher) -> word | None``."""

    #: Whether a system that reports only the end is asked every prefix of a test (a
    #: run each): complete test suites need it, random tests draw prefixes themselves.
    every_prefix = False

    def find_counterexample(self, hypothesis: Machine, teacher: Teacher) -> Word | None:
        raise NotImplementedError

    def _first_failure(
        self, tests: Iterable[Sequence[int]], runner: HypothesisRunner, teacher: Teacher
    ) -> Word | None:
        run_test, expected, every = teacher.run_test, runner.expected, self.every_prefix
        if teacher.batch > 1:  # batches of tests, each run whole (on a pool: concurrently)
            tests = iter(tests)
            while batch := list(islice(tests, teacher.batch)):
                cuts = teacher.run_tests(batch, [expected(w) for w in batch], every)
                for word, cut in zip(batch, cuts, strict=True):
                    if cut >= 0:
                        return tuple(word[:cut])
            return None
        for word in tests:
            cut = run_test(word, expected(word), every)
            if cut >= 0:
                return tuple(word[:cut])
        return None


def equivalence_query(oracle: Oracle, hypothesis: Machine, teacher: Teacher) -> Word | None:
    """Ask ``oracle``, count the query and check that a counterexample is one.

    Returns the counterexample cut after its first differing output.
    """
    name = type(oracle).__name__
    if not callable(getattr(oracle, "find_counterexample", None)):
        raise LearningError(f"expected an equivalence oracle, got a {name}")
    start = time.perf_counter()
    teacher.stats.eq += 1
    try:
        cex = oracle.find_counterexample(hypothesis, teacher)
    finally:
        teacher.stats.eq_seconds += time.perf_counter() - start
    if cex is None:
        return None
    try:
        cex = tuple(operator.index(a) for a in cex)
    except TypeError:
        raise LearningError(
            f"{name} returned {cex!r}: a counterexample is a word of input indices"
        ) from None
    if any(not 0 <= a < len(teacher.inputs) for a in cex):
        raise LearningError(f"{name} returned a word outside the inputs: {cex}")
    cut = teacher.run_test(cex, runner_for(hypothesis, teacher).expected(cex))
    if cut < 0:
        raise LearningError(
            f"{name} returned {teacher.decode(cex)!r}, on which the hypothesis"
            " and the system agree: not a counterexample"
        )
    return cex[:cut]


# -- the oracles ----------------------------------------------------------------------------


class PerfectOracle(Oracle):
    """Equivalence with a known machine: a shortest counterexample, found without tests.

    A breadth-first search over pairs (hypothesis state, target state), inputs in order,
    that stops at the first pair whose outputs differ: the same shortest,
    length-lexicographically first word as the machine algebra's ``counterexample``
    (which first decides equivalence by partition refinement, dearer when the
    difference is near). Like every counterexample, it is confirmed with the teacher
    by :func:`equivalence_query` (a target that disagrees with the teacher is an error).
    """

    def __init__(self, target: Machine, refusal: Hashable = REFUSED) -> None:
        # a partial target refuses its undefined inputs, as a MachineSystem does
        self.target = completed(target, refusal)
        self._tables: tuple | None = None

    def _target_tables(self, teacher: Teacher) -> tuple[list, list, list[int]]:
        if self._tables is None or self._tables[0] is not teacher:
            t = self.target
            if set(t.inputs) != set(teacher.inputs) or len(t.inputs) != len(teacher.inputs):
                raise LearningError(
                    f"the target's inputs {t.inputs!r} differ from the teacher's {teacher.inputs!r}"
                )
            perm = [t.input_index(s) for s in teacher.inputs]
            index = [teacher.intern(o) for o in t.outputs]
            delta = [[row[a] for a in perm] for row in t.delta.tolist()]
            if t.kind == "mealy":
                out = [
                    [index[row[a]] if row[a] >= 0 else -1 for a in perm]
                    for row in t.output.tolist()
                ]
            else:
                out = [index[o] for o in t.output.tolist()]
            self._tables = (teacher, delta, out)
        return self._tables[1], self._tables[2], [self.target.initial]

    def find_counterexample(self, hypothesis: Machine, teacher: Teacher) -> Word | None:
        runner = runner_for(hypothesis, teacher)
        tdelta, tout, (t0,) = self._target_tables(teacher)
        hdelta, hout, k = runner.delta, runner.out, runner.k
        moore = runner.moore
        start = (runner.initial, t0)
        if moore and hout[start[0]] != tout[t0]:
            return ()
        parent: dict[tuple[int, int], tuple[tuple[int, int], int] | None] = {start: None}
        level = [start]
        found = None
        while level and found is None:
            nxt = []
            for pair in level:
                p, q = pair
                hrow, trow = hdelta[p], tdelta[q]
                for a in range(k):
                    p2, q2 = hrow[a], trow[a]
                    if moore:
                        differ = (hout[p2] if p2 >= 0 else -1) != (tout[q2] if q2 >= 0 else -1)
                    else:
                        differ = hout[p][a] != tout[q][a]
                    if differ:
                        found = (pair, a)
                        break
                    if p2 < 0 or q2 < 0:
                        continue
                    succ = (p2, q2)
                    if succ not in parent:
                        parent[succ] = (pair, a)
                        nxt.append(succ)
                if found is not None:
                    break
            level = nxt
        if found is None:
            return None
        pair, a = found
        word = [a]
        link = parent[pair]
        while link is not None:
            pair, b = link
            word.append(b)
            link = parent[pair]
        word.reverse()
        return tuple(word)  # equivalence_query confirms it with the teacher


def _count(name: str, value: object, minimum: int = 0) -> int:
    return check_count(name, value, minimum, LearningError)


class _Seeded(Oracle):
    def __init__(self, seed: int | None) -> None:
        self.seed = seed
        self.rng = random.Random(seed)


class RandomWordOracle(_Seeded):
    """``n_words`` words per query, lengths uniform in ``[min_length, max_length]``."""

    def __init__(
        self, n_words: int = 500, min_length: int = 10, max_length: int = 30, seed: int | None = 0
    ) -> None:
        super().__init__(seed)
        self.n_words = _count("n_words", n_words)
        self.min_length = _count("min_length", min_length)
        self.max_length = _count("max_length", max_length, self.min_length)

    def tests(self, k: int) -> Iterator[Word]:
        rng = self.rng
        for _ in range(self.n_words):
            yield tuple(
                rng.randrange(k) for _ in range(rng.randint(self.min_length, self.max_length))
            )

    def find_counterexample(self, hypothesis: Machine, teacher: Teacher) -> Word | None:
        runner = runner_for(hypothesis, teacher)
        return self._first_failure(self.tests(runner.k), runner, teacher)


class RandomWalkOracle(_Seeded):
    """A random walk of ``n_steps`` inputs per query, reset before a step w.p. ``reset_prob``."""

    def __init__(self, n_steps: int = 5000, reset_prob: float = 0.09, seed: int | None = 0) -> None:
        super().__init__(seed)
        if not isinstance(reset_prob, (int, float)) or not 0 < reset_prob <= 1:
            raise LearningError(f"reset_prob must be in (0, 1], got {reset_prob!r}")
        self.n_steps, self.reset_prob = _count("n_steps", n_steps), reset_prob

    def tests(self, k: int) -> Iterator[Word]:
        rng, left = self.rng, self.n_steps
        word: list[int] = []
        while left > 0:
            if word and rng.random() <= self.reset_prob:
                yield tuple(word)
                word = []
            word.append(rng.randrange(k))
            left -= 1
        if word:
            yield tuple(word)

    def find_counterexample(self, hypothesis: Machine, teacher: Teacher) -> Word | None:
        runner = runner_for(hypothesis, teacher)
        return self._first_failure(self.tests(runner.k), runner, teacher)


def _depth(extra_states: int, max_states: int | None, n: int) -> int:
    return max(0, max_states - n) if max_states is not None else extra_states


class WMethodOracle(Oracle):
    """The W-method: transition cover · all middles of length ``<= e`` · W.

    ``e`` is ``extra_states``, or ``max_states - n`` when ``max_states`` is given. Finds
    every fault of a system with at most ``n + e`` states. ``max_tests`` bounds a query.
    """

    every_prefix = True

    def __init__(
        self, extra_states: int = 1, max_states: int | None = None, max_tests: int | None = None
    ) -> None:
        self.extra_states = _count("extra_states", extra_states)
        self.max_states = None if max_states is None else _count("max_states", max_states, 1)
        self.max_tests = None if max_tests is None else _count("max_tests", max_tests)

    def tests(self, m: Machine) -> Iterator[Word]:
        cover = transition_cover(m)
        w, _ = separating_family(m)
        w = w or [()]
        depth = _depth(self.extra_states, self.max_states, m.n_states)
        for d in range(depth + 1):
            for mid in product(range(m.n_inputs), repeat=d):
                for p in cover:
                    for s in w:
                        yield p + mid + s

    def find_counterexample(self, hypothesis: Machine, teacher: Teacher) -> Word | None:
        runner = runner_for(hypothesis, teacher)
        tests = self.tests(hypothesis)
        if self.max_tests is not None:
            tests = (t for _, t in zip(range(self.max_tests), tests, strict=False))
        return self._first_failure(tests, runner, teacher)


class WpMethodOracle(WMethodOracle):
    """The Wp-method: state cover · I^≤e · W, then the other transitions · I^≤e · W_q."""

    def tests(self, m: Machine) -> Iterator[Word]:
        states, cover = state_cover(m), transition_cover(m)
        w, ident = separating_family(m)
        w = w or [()]
        depth = _depth(self.extra_states, self.max_states, m.n_states)
        in_states = set(states)
        rest = [t for t in cover if t not in in_states]
        delta = m.delta.tolist()
        for d in range(depth + 1):
            for mid in product(range(m.n_inputs), repeat=d):
                for p in states:
                    for s in w:
                        yield p + mid + s
        for d in range(depth + 1):
            for mid in product(range(m.n_inputs), repeat=d):
                for t in rest:
                    q = m.initial
                    for a in t + mid:
                        q = delta[q][a] if q >= 0 else -1
                    for s in (ident[q] or [()]) if q >= 0 else [()]:
                        yield t + mid + s


class RandomWpOracle(_Seeded):
    """Random Wp-method (Smetsers, Moerman, Janssen, Verwer 2016), as AALpy's RandomWp.

    Each of ``n_tests`` tests per query: the access word of a uniformly chosen state,
    ``min_length`` random inputs and a geometric number more (``expected_length`` on
    average), then w.p. 1/2 a word of the characterization set W, else
    one of the shortest words separating the state reached from each other state (W_q).
    """

    def __init__(
        self,
        min_length: int = 1,
        expected_length: int = 10,
        n_tests: int = 1000,
        seed: int | None = 0,
    ) -> None:
        super().__init__(seed)
        if isinstance(expected_length, bool) or not isinstance(expected_length, (int, float)):
            raise LearningError(f"expected_length must be a number, got {expected_length!r}")
        if not expected_length >= 0:
            raise LearningError(f"expected_length must be >= 0, got {expected_length!r}")
        self.min_length = _count("min_length", min_length)
        self.n_tests = _count("n_tests", n_tests)
        self.expected_length = expected_length

    def find_counterexample(self, hypothesis: Machine, teacher: Teacher) -> Word | None:
        runner = runner_for(hypothesis, teacher)
        access = state_cover(hypothesis)
        w, _ = separating_family(hypothesis)
        w = w or [(a,) for a in range(runner.k)]
        pairs = PairSeparators(hypothesis)
        rand, k = self.rng.random, runner.k
        stop = 1 / (self.expected_length + 1)
        delta = runner.delta

        def tests() -> Iterator[Word]:
            for _ in range(self.n_tests):
                p = access[int(rand() * len(access))]
                word = list(p)
                limit = self.min_length
                while limit > 0 or rand() > stop:
                    word.append(int(rand() * k))
                    limit -= 1
                if rand() > 0.5:
                    word.extend(w[int(rand() * len(w))])
                else:
                    q = runner.initial
                    for a in word:
                        q = delta[q][a]
                        if q < 0:
                            break
                    local = (pairs.identifier(q) if q >= 0 else None) or w
                    word.extend(local[int(rand() * len(local))])
                yield word

        return self._first_failure(tests(), runner, teacher)


class RandomWOracle(_Seeded):
    """Random W-method, as AALpy's RandomWMethod: ``walks_per_state`` tests per state in all.

    A test is the state's access word, 1..``walk_len`` random inputs and a word of W;
    states already tested in earlier queries (same access word) are not tested again.
    """

    def __init__(self, walks_per_state: int = 25, walk_len: int = 12, seed: int | None = 0) -> None:
        super().__init__(seed)
        self.walks_per_state = _count("walks_per_state", walks_per_state)
        self.walk_len = _count("walk_len", walk_len, 1)
        self.done: dict[Word, int] = {}

    def find_counterexample(self, hypothesis: Machine, teacher: Teacher) -> Word | None:
        runner = runner_for(hypothesis, teacher)
        w, _ = separating_family(hypothesis)
        w = w or [(a,) for a in range(runner.k)]
        rng, k = self.rng, runner.k
        todo = []
        for p in access_words(hypothesis):
            if p is not None:
                todo.extend([p] * (self.walks_per_state - self.done.get(p, 0)))
        rng.shuffle(todo)

        def tests() -> Iterator[Word]:
            for p in todo:
                self.done[p] = self.done.get(p, 0) + 1
                walk = tuple(rng.randrange(k) for _ in range(rng.randint(1, self.walk_len)))
                yield p + walk + rng.choice(w)

        return self._first_failure(tests(), runner, teacher)


class HybridADSOracle(_Seeded):
    """Conformance testing in the style of Hybrid-ADS (Moerman; the oracle the L#
    authors pair with L#): each test is an access word of a hypothesis state, an infix,
    and a suffix that tells the state reached apart from every other state.

    - infixes: first every word of length ``<= depth`` after every access word (one
      that the hypothesis refuses, with an error output known, only as the last
      input: what follows is known; the exhaustive part finds every fault of a system
      with up to ``depth`` more states whose difference the suffixes show), then
      random ones: a random access
      word, ``depth + 1`` random inputs and a geometric number more
      (``expected_length`` on average); with a teacher that knows its error output,
      drawn among the inputs that the hypothesis does not refuse (what follows an
      error is known; the exhaustive part tests the refusals themselves);
    - suffixes: for the state ``q`` the hypothesis predicts, the branch that an
      adaptive distinguishing sequence would follow from ``q`` (built per state
      greedily from the hypothesis: at each step an input that shows ``q`` apart from
      the most states still agreeing with it and sends none of them to ``q``'s own
      successor, else a shortest word separating ``q`` from one of them): one word
      that separates ``q`` from every other state. Where no such word is found, the
      state's identifier ``W_q`` of the separating family (a random word of it).

    Following the hypothesis's branch is as good as adapting to the system: a system
    that answers otherwise has already failed the test. Bounded by ``n_tests`` tests
    and ``max_symbols`` test symbols per query (None: no bound); random and seeded.
    """

    def __init__(
        self,
        depth: int = 2,
        n_tests: int = 100_000,
        max_symbols: int | None = 5_000_000,
        expected_length: float = 10,
        seed: int | None = 0,
    ) -> None:
        super().__init__(seed)
        self.depth = _count("depth", depth)
        self.n_tests = _count("n_tests", n_tests)
        self.max_symbols = None if max_symbols is None else _count("max_symbols", max_symbols)
        if isinstance(expected_length, bool) or not isinstance(expected_length, (int, float)):
            raise LearningError(f"expected_length must be a number, got {expected_length!r}")
        if not expected_length >= 0:
            raise LearningError(f"expected_length must be >= 0, got {expected_length!r}")
        self.expected_length = expected_length

    def find_counterexample(self, hypothesis: Machine, teacher: Teacher) -> Word | None:
        runner = runner_for(hypothesis, teacher)
        suffixes = _Suffixes(hypothesis)
        access = [w for w in access_words(hypothesis) if w is not None]
        k, delta, rng = runner.k, runner.delta, self.rng
        rand = rng.random
        stop = 1 / (self.expected_length + 1)

        # With an error output known, the random infixes walk around the inputs the
        # hypothesis refuses: what follows an error is known, and a system whose inputs
        # mostly lead to the error would keep the random walks there.
        # Only where the hypothesis agrees that an error is final (it enters a state
        # that loops on the error): elsewhere a test past the error is the one that
        # shows the hypothesis wrong (and the cache decides it without the system).
        err, out = teacher.cache.error, runner.out
        every = list(range(k))
        n = len(delta)
        if err < 0:
            live = [every] * n
        elif runner.moore:
            final = [out[q] == err and all(d == q for d in delta[q]) for q in range(n)]
            live = [[a for a in every if not (0 <= row[a] and final[row[a]])] for row in delta]
        else:
            final = [
                all(d == q for d in delta[q]) and all(o == err for o in out[q]) for q in range(n)
            ]
            live = [
                [a for a in every if not (out[q][a] == err and final[delta[q][a]])]
                for q in range(n)
            ]
        live_sets = [set(x) for x in live]

        def state(word: Sequence[int]) -> int:
            q = runner.initial
            for a in word:
                q = delta[q][a]
                if q < 0:
                    return -1
            return q

        def infixes(q: int, d: int) -> Iterator[Word]:
            """Every infix of length ``d`` from state q, in order; one that the
            hypothesis refuses goes no further (what follows is known)."""
            if d == 0:
                yield ()
                return
            for a in every:
                if d == 1:
                    yield (a,)
                elif q >= 0 and a in live_sets[q]:
                    for rest in infixes(delta[q][a], d - 1):
                        yield (a, *rest)

        def suffix(q: int) -> Word:
            words = suffixes.of(q) if q >= 0 else [()]
            return words[0] if len(words) == 1 else words[int(rand() * len(words))]

        def tests() -> Iterator[Word]:
            count, symbols = 0, 0
            budget = self.max_symbols
            for d in range(self.depth + 1):
                for p in access:
                    for mid in infixes(state(p), d):
                        word = p + mid
                        word += suffix(state(word))
                        count += 1
                        symbols += len(word)
                        if count > self.n_tests or (budget is not None and symbols > budget):
                            return
                        yield word
            while True:
                word = list(access[int(rand() * len(access))])
                q = state(word)
                limit = self.depth + 1
                while limit > 0 or rand() > stop:
                    ways = live[q] if q >= 0 and live[q] else every
                    a = ways[int(rand() * len(ways))]
                    word.append(a)
                    q = delta[q][a] if q >= 0 else -1
                    limit -= 1
                word.extend(suffix(q))
                count += 1
                symbols += len(word)
                if count > self.n_tests or (budget is not None and symbols > budget):
                    return
                yield tuple(word)

        return self._first_failure(tests(), runner, teacher)


class _Suffixes:
    """Per state of a machine: one word separating it from every other state (the
    branch of a greedy adaptive distinguishing sequence), else its W_q."""

    def __init__(self, m: Machine) -> None:
        self.m = m
        self.n = m.n_states
        self.moore = m.kind != "mealy"
        self.delta = np.where(m.delta < 0, self.n, m.delta).astype(np.int64)
        self.delta = np.vstack([self.delta, np.full(m.n_inputs, self.n)])
        out = m.output.astype(np.int64)
        if self.moore:
            self.out = np.append(out, -1)
        else:
            self.out = np.vstack([np.where(m.delta < 0, -1, out), np.full(m.n_inputs, -1)])
        self.pairs: PairSeparators | None = None
        self.done: dict[int, list[Word]] = {}

    def of(self, q: int) -> list[Word]:
        got = self.done.get(q)
        if got is None:
            w = self._greedy(q)
            if w is not None:
                got = [w]
            else:
                got = self._pairs().identifier(q) or [()]
            self.done[q] = got
        return got

    def _pairs(self) -> PairSeparators:
        if self.pairs is None:
            self.pairs = PairSeparators(self.m)
        return self.pairs

    def _greedy(self, q: int) -> Word | None:
        delta, out, moore = self.delta, self.out, self.moore
        n = self.n
        cur = np.arange(n)
        alive = np.ones(n, dtype=bool)
        alive[q] = False
        if moore:
            alive &= out[:n] == out[q]
        word: list[int] = []
        limit = 4 * n + 8
        while alive.any():
            if len(word) > limit:
                return None
            c, cq = cur[alive], cur[q]
            succ = delta[c]  # [B, k]
            if moore:
                same = out[succ] == out[delta[cq]][None, :]
            else:
                same = out[c] == out[cq][None, :]
            merged = (same & (succ == delta[cq][None, :])).any(axis=0)
            score = np.where(merged, -1, (~same).sum(axis=0))
            a = int(score.argmax())
            if score[a] > 0:
                steps: Sequence[int] = (a,)
            else:  # no single input: a shortest word separating q from one of them
                r = int(np.flatnonzero(alive)[0])
                sep = self._pairs().word(int(cur[r]), int(cq)) if cur[r] < n else None
                if not sep:
                    return None
                steps = sep
            for a in steps:
                cq = cur[q]
                if moore:
                    agree = out[delta[cur, a]] == out[delta[cq, a]]
                else:
                    agree = out[cur, a] == out[cq, a]
                alive &= agree
                cur = delta[cur, a]
                word.append(int(a))
                if (alive & (cur == cur[q])).any():
                    return None  # a state still agreeing with q merged into it
        return tuple(word)


class TestSuiteOracle(Oracle):
    """A fixed test suite: words of input symbols, tried in order."""

    __test__ = False  # not a pytest class

    def __init__(self, words: Iterable[Iterable[Hashable]]) -> None:
        self.words = [list(w) for w in words]

    def find_counterexample(self, hypothesis: Machine, teacher: Teacher) -> Word | None:
        runner = runner_for(hypothesis, teacher)
        return self._first_failure((teacher.encode(w) for w in self.words), runner, teacher)
