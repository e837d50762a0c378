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
one name. With ``keep_tests=False`` an oracle's test that agrees with the hypothesis is
not kept (its counterexamples are): with test budgets in the hundreds of thousands the
tree would otherwise hold every test word, and L#, which learns on the tree, slows down.

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

from collections.abc import Callable, Generator, Hashable, Iterable, Sequence
from typing import Any

from catauto.automata.learn.active.cache import Cache
from catauto.automata.learn.active.counter import Counter
from catauto.automata.learn.active.system import (
    FunctionSystem,
    MachineSystem,
    StepSystem,
    System,
)
from catauto.automata.machine import Machine
from catauto.errors import LearningError

__all__ = ["FunctionTeacher", "MachineTeacher", "SULTeacher", "Teacher", "as_teacher"]


class Teacher:
    """A system under learning behind a cache and a counter (see the module doc).

    Learners and oracles use ``query``, ``query_last``, ``query_adaptive`` and
    ``run_test``; ``tree`` is the cache's observation tree (L# learns on it) and
    ``stats`` the counter's counts.
    """

    def __init__(self, system: System, *, keep_tests: bool = True) -> None:
        if not isinstance(system, System):
            raise LearningError(f"a teacher needs a System, got {type(system).__name__}")
        self.system = system
        self.keep_tests = keep_tests
        self.cache = Cache(system)
        self.counter = Counter(system)
        self.tree = self.cache.tree
        self.stats = self.counter.stats

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
            outs = self.counter.query(word)
            self.cache.record(word, outs)
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
        word = list(prefix)
        next(chooser)
        n = tree.node(word)
        # the tree knows the output at the end of the prefix (Mealy: none for the root)
        started = n >= 0 and (out[n] >= 0 or (n == 0 and not moore))
        a = -1
        if started:
            a = _send(chooser, out[n] if moore else -1)
            while a >= 0:
                c = succ[n * k + a]
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
        outs = self.counter.query_adaptive(word, _chosen(chooser, a if started else None))
        return self.cache.record(word, outs)

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
            outs = self.counter.test(word, expected)
        elif every_prefix:
            outs = self._test_prefixes(word, expected)
        else:
            return -1 if self.counter.test_last(word) == expected[-1] else len(word)
        shift = 1 if self.moore else 0
        failed = bool(outs) and outs[-1] != expected[len(outs) - 1]
        if self.keep_tests or failed:
            self.cache.record(word[: len(outs) - shift], outs)
        return len(outs) - shift if failed else -1

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

    For Moore and DFA systems ``reset()`` must return the initial state's output.

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
        self, sul: Any, inputs: Iterable[Hashable], kind: str, *, keep_tests: bool = True
    ) -> None:
        super().__init__(StepSystem(sul, inputs, kind), keep_tests=keep_tests)


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
    ) -> None:
        super().__init__(FunctionSystem(fn, inputs, kind, returns), keep_tests=keep_tests)


class MachineTeacher(Teacher):
    """A teacher that answers from a known, complete machine:
    ``Teacher(MachineSystem(machine))``."""

    def __init__(self, machine: Machine, *, keep_tests: bool = True) -> None:
        super().__init__(MachineSystem(machine), keep_tests=keep_tests)


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
