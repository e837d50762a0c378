"""Teachers: a system under learning behind a cache and a counter.

A teacher answers *output queries* about a system whose kind is ``"dfa"``, ``"moore"``
or ``"mealy"``. There is one query notion, the **output word**, read off one run from the
initial state (see :mod:`~catauto.automata.learn.active.system`). The *last output* of a
word is the last entry of its output word (for a DFA: whether it accepts the word).
Learners ask ``query`` when they use the whole word and ``query_last`` when they use only
the end; a system that runs step by step reports the whole output word either way, and a
classifier that reports only the end is never asked for more than it must.

A teacher is made of three parts, composed in one line, ``Teacher(MachineSystem(m))``:

- a system adapter (:class:`~.system.StepSystem`, :class:`~.system.FunctionSystem`,
  :class:`~.system.MachineSystem`): the alphabets and fresh runs;
- a :class:`~.cache.Cache`: the observation tree of every answer, read first (an answer
  it holds never reaches the system, and a system that contradicts it is reported as
  non-deterministic, naming both traces);
- a :class:`~.counter.Counter`: what reaches the system, in ``teacher.stats``.

``SULTeacher``, ``FunctionTeacher`` and ``MachineTeacher`` are those compositions under
one name; ``ParallelTeacher`` runs independent queries (``query_many``, ``run_tests``:
an oracle's tests, a round of L#'s frontier queries) on a pool of system instances at
once (:mod:`~catauto.automata.learn.active.pool`). ``batch`` (default 1) is how many
tests an oracle hands over at once; with ``batch > 1`` L# also asks each round's
frontier queries as one batch.

With ``enabled=True`` a teacher learns a partial system whose states say which inputs
they enable: the enabled-inputs variant of error-aware learning (:mod:`~.enabled`).

With ``keep_tests=False`` an oracle's test that agrees with the hypothesis is not kept
(its counterexamples are): with test budgets in the hundreds of thousands the tree would
otherwise hold every test word, and L#, which learns on the tree, slows down.

Inside the package words are tuples of input *indices* into ``teacher.inputs`` and
outputs are indices into ``teacher.outputs`` (interned in order of first appearance);
the symbol-level methods ``output_word``/``output`` translate.

>>> from catauto.automata import Mealy
>>> m = Mealy([[1, 0], [1, 0]], output=[[0, 0], [1, 0]], inputs="ab", outputs="xy")
>>> t = MachineTeacher(m)
>>> t.output_word("aab")
['x', 'y', 'x']
>>> t.output_word("aa"), t.stats.mq, t.stats.mq_cached   # a prefix: answered by the cache
(['x', 'y'], 1, 1)
"""

from __future__ import annotations

import random
from collections.abc import Callable, Generator, Hashable, Iterable, Sequence
from typing import Any

import numpy as np

from catauto.automata.covers import access_words
from catauto.automata.learn.active.cache import Cache
from catauto.automata.learn.active.counter import Counter
from catauto.automata.learn.active.enabled import EnabledSystem
from catauto.automata.learn.active.pool import SystemPool
from catauto.automata.learn.active.system import (
    REFUSED,
    FunctionSystem,
    MachineSystem,
    StepSystem,
    System,
)
from catauto.automata.machine import Machine
from catauto.errors import LearningError, check_count

__all__ = [
    "FunctionTeacher",
    "MachineTeacher",
    "ParallelTeacher",
    "SULTeacher",
    "Teacher",
    "as_teacher",
    "error_sink_output",
]


class Teacher:
    """A system under learning behind a cache and a counter (see the module doc).

    Learners and oracles use ``query``, ``query_last``, ``query_adaptive`` and
    ``run_test``; ``tree`` is the cache's observation tree (L# learns on it) and
    ``stats`` the counter's counts.
    """

    def __init__(
        self,
        system: System,
        *,
        keep_tests: bool = True,
        batch: int = 1,
        error: Hashable | None = None,
        enabled: bool = False,
    ) -> None:
        if not isinstance(system, System):
            raise LearningError(f"a teacher needs a System, got {type(system).__name__}")
        if enabled:  # the enabled-inputs variant: the refusal is the error
            if error is not None and not (isinstance(error, str) and error == "auto"):
                raise LearningError("with enabled=True the refusal is the error: leave error out")
            system = EnabledSystem(system)
            error = None
        self.system = system
        self.keep_tests = keep_tests
        self.batch = check_count("batch", batch, 1, LearningError)
        self.cache = Cache(system)
        self.counter = Counter(system)
        self.tree = self.cache.tree
        self.stats = self.counter.stats
        self.auto_error = isinstance(error, str) and error == "auto"
        self._refuted: set = set()  # outputs of error sinks the system refuted
        if error is not None and not self.auto_error:
            self.cache.error = self.intern(error)
        if enabled:
            self.cache.error = system.error
            self.cache.enabled = system.enabled_at

    # -- error-awareness ----------------------------------------------------------------------
    @property
    def error(self) -> Hashable | None:
        """The error output (after it the system only outputs it), or None."""
        return self.outputs[self.cache.error] if self.cache.error >= 0 else None

    def observe(self, hypothesis: Machine) -> None:
        """With ``error="auto"``: look for the error output in a hypothesis (learners
        call this before each equivalence query).

        A hypothesis's *error sink* (see :func:`error_sink_output`) that is not its
        initial state is a candidate; it is checked on the system before it is believed:
        from a shortest word ``w`` that enters the sink (Mealy: with the output ``o``),
        for every input ``a``, the queries
        ``w · a · r`` with ``r`` a random word (seeded) of ``4n + 16`` inputs (``n``: the
        hypothesis's states; at least 8 queries in all) must output only the sink's output
        after ``w``. A refuted
        candidate is not tried again. The check is a heuristic: a system whose output
        repeats for that long and then changes fools it (give ``error=`` explicitly, or
        None, when you know). A DFA is never given an error this way: rejection is the
        output of most of its words, and a rejected word may have accepted extensions.
        """
        if not self.auto_error or self.cache.error >= 0 or self.kind == "dfa":
            return
        found = error_sink_output(hypothesis, with_state=True)
        if found is None:
            return
        o, sink = found
        if sink == hypothesis.initial or o in self._refuted:
            return
        index = self.intern(o)
        access = access_words(hypothesis)
        w = tuple(access[sink] or ())
        if hypothesis.kind == "mealy":  # a word whose last output is o: into the sink
            o_index = hypothesis.outputs.index(o)
            w = min(
                (
                    (*access[p], a)
                    for p, a in zip(*np.nonzero(hypothesis.output == o_index), strict=True)
                    if access[p] is not None and p != sink
                ),
                key=lambda x: (len(x), x),
                default=w,
            )
        rng = random.Random(len(self._refuted))
        k, n = len(self.inputs), hypothesis.n_states
        # long enough, and at least 8 of them, that a state which merely outputs o for a
        # while is caught (a short check believed a 2-state hypothesis's 'sink' of a
        # 5-state target of mostly o)
        length, repeats = 4 * n + 16, -(-8 // k)
        words = [
            w + (a,) + tuple(rng.randrange(k) for _ in range(length))
            for a in range(k)
            for _ in range(repeats)
        ]
        skip = len(w) + self.moore
        for word in words:
            outs = self.query(word)
            if any(x != index for x in outs[skip:]):
                self._refuted.add(o)
                return
        self.cache.error = index

    # -- the system's alphabets ------------------------------------------------------------
    @property
    def kind(self) -> str:
        return self.system.kind

    @property
    def moore(self) -> bool:
        return self.system.moore

    @property
    def inputs(self) -> tuple:
        return self.system.inputs

    @property
    def outputs(self) -> list[Hashable]:
        return self.system.outputs

    @property
    def whole_words(self) -> bool:
        """Whether one run of the system reports the output of every prefix."""
        return self.system.whole_words

    def intern(self, output: Hashable) -> int:
        return self.system.intern(output)

    def encode(self, word: Iterable[Hashable]) -> tuple[int, ...]:
        return self.system.encode(word)

    def decode(self, word: Iterable[int]) -> list:
        return self.system.decode(word)

    def machine(self, delta: Any, output: Any, initial: int = 0) -> Machine:
        """A hypothesis over this teacher's alphabets from index tables."""
        return self.system.machine(delta, output, initial)

    # -- queries (index level) -------------------------------------------------------------
    def query(self, word: Sequence[int]) -> list[int]:
        """The output word of ``word`` (Moore/DFA: ``len + 1`` outputs), via the cache."""
        cached = self.cache.outputs(word)
        if cached is not None:
            self.stats.mq_cached += 1
            return cached
        if self.whole_words:
            cache = self.cache
            outs = cache.pad(word, self.counter.query(word, cache.error))
            cache.record(word, outs)
            return outs
        # A system that only reports the end: ask for every prefix the cache lacks.
        for i in range(0 if self.moore else 1, len(word) + 1):
            if self.cache.outputs(word[:i]) is None:
                self.query_last(word[:i])
        return self.cache.outputs(word)  # type: ignore[return-value]

    def query_last(self, word: Sequence[int]) -> int:
        """The output at the end of ``word`` (for a DFA: 1 if it accepts, else 0)."""
        if not word and not self.moore:
            raise LearningError("a Mealy machine has no output for the empty word")
        out = self.cache.last(word)
        if out >= 0:
            self.stats.mq_cached += 1
            return out
        if self.whole_words:
            return self.query(word)[-1]
        out = self.counter.query_last(word)
        self.cache.record_last(word, out)
        return out

    def query_adaptive(self, prefix: Sequence[int], chooser: Generator[int, int, None]) -> int:
        """Run ``prefix``, then inputs chosen one at a time; return the final tree node.

        ``chooser`` is a generator (an adaptive distinguishing sequence computed as it
        goes): it is sent the output at the end of ``prefix`` (Mealy: -1), yields an
        input, is sent that input's output, and so on; it stops to end the query.
        Answered from the cache as far as it goes; one query otherwise.
        """
        tree, moore = self.tree, self.moore
        succ, out, k = tree.succ, tree.out, tree.k
        err = self.cache.error
        word = list(prefix)
        next(chooser)
        n = self.cache.fill(word) if err >= 0 else tree.node(word)
        # the tree knows the output at the end of the prefix (Mealy: none for the root)
        started = n >= 0 and (out[n] >= 0 or (n == 0 and not moore))
        a = -1
        if started:
            a = _send(chooser, out[n] if moore else -1)
            while a >= 0:
                c = succ[n * k + a]
                if c < 0 and (out[n] == err >= 0 or self.cache.refuses(n, a)):  # the error
                    c = tree.insert([*word, a], [-1] * (len(word) + moore) + [err])
                if c < 0 or out[c] < 0:
                    break
                word.append(a)
                n = c
                a = _send(chooser, out[c])
            if a < 0:
                self.stats.mq_cached += 1
                return n
        if not (self.whole_words and self.system.stepwise):
            if not started:  # every output along the prefix, so its nodes are all known
                outs = self.query(word)
                a = _send(chooser, outs[-1] if moore else -1)
            while a >= 0:
                word.append(a)
                a = _send(chooser, self.query_last(word))
            return tree.node(word)
        choose = _chosen(chooser, a if started else None)
        if err >= 0:
            outs = self._adaptive_until_error(word, choose, err)
        else:
            outs = self.counter.query_adaptive(word, choose)
        return self.cache.record(word, outs)

    def _adaptive_until_error(
        self, word: list[int], choose: Callable[[int], int], err: int
    ) -> list[int]:
        """``counter.query_adaptive`` on a system that stops at the error output: the
        inputs after it are not sent, their outputs (the error) are filled in."""
        system, moore = self.system, self.moore
        first = system.reset()
        outs = [first] if moore else []
        stopped = first == err
        sent = 0
        for b in word:
            if stopped:
                outs.append(err)
                continue
            o = system.step(b)
            sent += 1
            outs.append(o)
            stopped = o == err
        a = choose(outs[-1] if moore else -1)
        while a >= 0:
            word.append(a)
            if stopped:
                o = err
            else:
                o = system.step(a)
                sent += 1
                stopped = o == err
            outs.append(o)
            a = choose(o)
        self.counter.count_query(sent)
        return outs

    def run_test(
        self, word: Sequence[int], expected: Sequence[int], every_prefix: bool = True
    ) -> int:
        """Run a test word for an equivalence oracle; compare with ``expected`` outputs.

        Returns the length of the shortest prefix of ``word`` whose (last) output
        differs from ``expected``, or -1 if the system agrees. The cache is read first;
        the system is stopped at the first difference when it runs step by step. A
        system that reports only the end answers one prefix per run: with
        ``every_prefix`` (the W- and Wp-methods need it to be complete) each prefix the
        cache lacks is asked, else only the whole word (and nothing is kept: L# reads
        the output of every node of the tree).
        """
        cut = self.cache.verdict(word, expected)
        if cut is not None:
            self.stats.tests_cached += 1
            return cut
        self.stats.tests += 1
        if self.whole_words:
            outs = self.counter.test(word, expected, self.cache.error)
        elif every_prefix:
            outs = self._test_prefixes(word, expected)
        else:
            return -1 if self.counter.test_last(word) == expected[-1] else len(word)
        return self._verdict(word, expected, outs)

    def _verdict(self, word: Sequence[int], expected: Sequence[int], outs: list[int]) -> int:
        """Record a test's run (``outs``: up to a difference or an error) and return
        its cut (see :meth:`run_test`)."""
        cache = self.cache
        shift = 1 if self.moore else 0
        failed = bool(outs) and outs[-1] != expected[len(outs) - 1]
        cut = len(outs) - shift if failed else -1
        if not failed and len(outs) < len(expected) and outs and outs[-1] == cache.error >= 0:
            cut = cache.error_cut(expected, outs)  # the rest is the error, known
            failed = cut >= 0
        if self.keep_tests or failed:
            cache.record(word[: len(outs) - shift], outs)
        return cut

    def query_many(self, words: Sequence[Sequence[int]]) -> list[list[int]]:
        """The output words of a batch of words, in order (see :meth:`query`).

        The cache answers what it knew when the batch began; the other words (each
        distinct word once) run as one batch on the system (concurrently on a
        :class:`~.pool.SystemPool`) and are recorded in batch order. A system that
        reports only the end is asked word by word.
        """
        if not self.whole_words:
            return [self.query(w) for w in words]
        cache = self.cache
        answers: list[list[int] | None] = [cache.outputs(w) for w in words]
        todo: dict[tuple[int, ...], list[int]] = {}
        for i, (w, a) in enumerate(zip(words, answers, strict=True)):
            if a is None:
                todo.setdefault(tuple(w), []).append(i)
            else:
                self.stats.mq_cached += 1
        if todo:
            asked = list(todo)
            for w, outs in zip(asked, self.counter.query_many(asked, cache.error), strict=True):
                outs = cache.pad(w, outs)
                cache.record(w, outs)
                for i in todo[w]:
                    answers[i] = outs
        return answers  # type: ignore[return-value]

    def run_tests(
        self,
        words: Sequence[Sequence[int]],
        expected: Sequence[Sequence[int]],
        every_prefix: bool = True,
    ) -> list[int]:
        """:meth:`run_test` on every word of a batch; the cuts in batch order.

        Every test of the batch runs (none is skipped because an earlier one failed):
        what runs depends on the batch alone, not on how many systems run it. The cache
        decides what it can as the batch begins; the rest run as one batch (concurrently
        on a :class:`~.pool.SystemPool`) and are recorded in batch order. A system that
        reports only the end runs them one by one.
        """
        if not self.whole_words:
            return [self.run_test(w, e, every_prefix) for w, e in zip(words, expected, strict=True)]
        cache, stats = self.cache, self.stats
        cuts: list[int] = [-1] * len(words)
        todo = []
        for i, (w, e) in enumerate(zip(words, expected, strict=True)):
            cut = cache.verdict(w, e)
            if cut is None:
                todo.append(i)
            else:
                stats.tests_cached += 1
                cuts[i] = cut
        if not todo:
            return cuts
        stats.tests += len(todo)
        results = self.counter.test_many(
            [words[i] for i in todo], [expected[i] for i in todo], cache.error
        )
        for i, outs in zip(todo, results, strict=True):
            cuts[i] = self._verdict(words[i], expected[i], outs)
        return cuts

    def _test_prefixes(self, word: Sequence[int], expected: Sequence[int]) -> list[int]:
        """A test's output word on a system that reports only the end: each prefix whose
        output the cache lacks is asked (a run each), up to the first difference."""
        shift = 1 if self.moore else 0
        outs = []
        for i in range(1 - shift, len(word) + 1):
            o = self.cache.last(word[:i])
            if o < 0:
                o = self.counter.test_last(word[:i])
            outs.append(o)
            if o != expected[i - 1 + shift]:
                break
        return outs

    # -- queries (symbol level) ------------------------------------------------------------
    def output_word(self, word: Iterable[Hashable]) -> list:
        """The output word of a word of symbols (Moore/DFA: ``len + 1`` outputs)."""
        return [self.outputs[o] for o in self.query(self.encode(word))]

    def output(self, word: Iterable[Hashable]) -> Hashable:
        """The output at the end of a word (DFA: whether it is accepted)."""
        return self.outputs[self.query_last(self.encode(word))]


def error_sink_output(hypothesis: Machine, with_state: bool = False) -> Any:
    """The output of an *error sink* of ``hypothesis``, or None: a state that every
    input leads back to with one output ``o`` (Mealy; Moore and DFA: a state of output
    ``o`` whose every input loops), where ``o`` occurs nowhere else (Mealy: every
    transition with output ``o`` enters that state; Moore: no other state has output
    ``o``). So a rejecting sink of a DFA that also has other rejecting states is no
    error sink. The first such state in state order decides; ``with_state``: the pair
    (output, state)."""
    delta = hypothesis.delta
    n = hypothesis.n_states
    out = hypothesis.output
    loops = (delta == np.arange(n)[:, None]).all(axis=1)
    for s in np.flatnonzero(loops).tolist():
        if hypothesis.kind == "mealy":
            o = int(out[s, 0])
            if (out[s] == o).all() and (delta[out == o] == s).all():
                return (hypothesis.outputs[o], s) if with_state else hypothesis.outputs[o]
        else:
            o = int(out[s])
            if int((out == o).sum()) == 1:
                return (hypothesis.outputs[o], s) if with_state else hypothesis.outputs[o]
    return None


def _send(chooser: Generator[int, int, None], output: int) -> int:
    """The chooser's next input after ``output``, or -1 when it stops."""
    try:
        return chooser.send(output)
    except StopIteration:
        return -1


def _chosen(chooser: Generator[int, int, None], pending: int | None) -> Callable[[int], int]:
    """``chooser`` as a ``choose(output) -> input`` function; ``pending``: an input it
    already chose (its first call then returns that without sending)."""

    def choose(output: int) -> int:
        nonlocal pending
        if pending is not None:
            a, pending = pending, None
            return a
        return _send(chooser, output)

    return choose


class SULTeacher(Teacher):
    """A teacher for a system driven by ``reset()``/``step(symbol)``:
    ``Teacher(StepSystem(sul, inputs, kind))``.

    For Moore and DFA systems ``reset()`` must return the initial state's output. With
    ``enabled=True`` the object's ``enabled()`` says which input symbols its current
    state enables, and the teacher learns them too (:mod:`~.enabled`).

    >>> class Toggle:
    ...     def reset(self):
    ...         self.on = False
    ...         return self.on
    ...     def step(self, symbol):
    ...         self.on = self.on != (symbol == "t")
    ...         return self.on
    >>> t = SULTeacher(Toggle(), inputs=["t", "n"], kind="dfa")
    >>> t.output_word(["t", "n", "t"])
    [False, True, True, False]
    """

    def __init__(
        self,
        sul: Any,
        inputs: Iterable[Hashable],
        kind: str,
        *,
        keep_tests: bool = True,
        batch: int = 1,
        error: Hashable | None = None,
        enabled: bool = False,
    ) -> None:
        super().__init__(
            StepSystem(sul, inputs, kind),
            keep_tests=keep_tests,
            batch=batch,
            error=error,
            enabled=enabled,
        )


class FunctionTeacher(Teacher):
    """A teacher for a plain function from words (lists of symbols) to outputs:
    ``Teacher(FunctionSystem(fn, inputs, kind, returns))``.

    ``returns="last"`` (default for DFA and Moore): ``fn(word)`` is the output at the end
    of the word (a DFA: whether it accepts). ``returns="word"`` (default for Mealy):
    ``fn(word)`` is the whole output word (Moore: ``len + 1`` outputs).

    >>> t = FunctionTeacher(lambda w: w.count("a") % 2 == 0, inputs="ab", kind="dfa")
    >>> t.output("aba"), t.output_word("ab")
    (True, [True, False, False])
    """

    def __init__(
        self,
        fn: Callable[[list], Any],
        inputs: Iterable[Hashable],
        kind: str = "dfa",
        returns: str | None = None,
        *,
        keep_tests: bool = True,
        batch: int = 1,
        error: Hashable | None = None,
    ) -> None:
        super().__init__(
            FunctionSystem(fn, inputs, kind, returns),
            keep_tests=keep_tests,
            batch=batch,
            error=error,
        )


class ParallelTeacher(Teacher):
    """A teacher over a pool of instances of a reset/step system, ``factory()`` making
    each: ``Teacher(SystemPool(factory, inputs, kind, ...), batch=batch)``.

    Independent queries run concurrently on ``workers`` instances (threads unless an
    ``executor`` is given, see :class:`~.pool.SystemPool`). ``batch`` is how many tests
    an oracle hands over at once; it does not depend on ``workers``, so the answers,
    the counts and the hypothesis are the same whatever the pool size, and the same as
    a serial ``Teacher(StepSystem(factory(), inputs, kind), batch=batch)``.
    """

    def __init__(
        self,
        factory: Callable[[], Any],
        inputs: Iterable[Hashable],
        kind: str,
        *,
        workers: int = 4,
        executor: Any = None,
        batch: int = 64,
        keep_tests: bool = True,
        error: Hashable | None = None,
    ) -> None:
        pool = SystemPool(factory, inputs, kind, workers=workers, executor=executor)
        super().__init__(pool, keep_tests=keep_tests, batch=batch, error=error)

    def close(self) -> None:
        """Shut down the executor the pool made."""
        self.system.close()  # type: ignore[attr-defined]

    def __enter__(self) -> ParallelTeacher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class MachineTeacher(Teacher):
    """A teacher that answers from a known machine: ``Teacher(MachineSystem(machine))``.

    A partial machine refuses an undefined input with the output ``refusal`` (see
    :class:`~.system.MachineSystem`), and ``error`` is then ``refusal`` unless given
    (pass ``error="auto"`` to have it found instead); read the learned machine back
    with :func:`~.system.partial_machine`. With ``enabled=True`` the teacher also learns
    which inputs each state enables (:mod:`~.enabled`); read the learned machine back
    with ``teacher.system.partial``.
    """

    def __init__(
        self,
        machine: Machine,
        *,
        keep_tests: bool = True,
        batch: int = 1,
        error: Hashable | None = None,
        refusal: Hashable = REFUSED,
        enabled: bool = False,
    ) -> None:
        system = MachineSystem(machine, refusal)
        if error is None and not enabled:
            error = system.refusal
        super().__init__(system, keep_tests=keep_tests, batch=batch, error=error, enabled=enabled)


def as_teacher(system: Teacher | Machine) -> Teacher:
    """A teacher as is; a machine wrapped in a :class:`MachineTeacher`."""
    if isinstance(system, Teacher):
        return system
    if isinstance(system, Machine):
        return MachineTeacher(system)
    raise LearningError(
        f"expected a Teacher or a machine, got {type(system).__name__}"
        " (wrap a reset/step system in SULTeacher, a function in FunctionTeacher)"
    )
