"""Teachers: the systems that active learners ask, each behind a cache that counts.

A teacher answers *output queries* about a system under learning (SUL) whose kind is
``"dfa"``, ``"moore"`` or ``"mealy"``. There is one query notion, the **output word**,
read off one run from the initial state:

- Mealy: one output per input symbol (``len(word)`` outputs);
- Moore and DFA: the output of every prefix, the empty one first (``len(word) + 1``);
  a DFA's outputs are ``False``/``True`` (acceptance).

The *last output* of a word is the last entry of its output word (for a DFA: whether it
accepts the word). Learners ask ``query`` when they use the whole word and ``query_last``
when they use only the end; a teacher that runs its system step by step learns the whole
output word either way, and a teacher built on a function that only reports the end (a
classifier) is never asked for more than it must.

Three ways to build a teacher:

- :class:`SULTeacher` around an object with ``reset()`` and ``step(symbol)`` (one symbol
  at a time; for Moore/DFA systems ``reset()`` returns the output of the initial state);
- :class:`FunctionTeacher` around a plain function from words to outputs;
- :class:`MachineTeacher` around a known DFA, Moore or Mealy machine.

Every teacher keeps an :class:`~catauto.automata.learn.tree.ObservationTree` of answered
queries in front of its system: an answer it can read from the tree never reaches the
system, and the tree never changes an answer (a system that contradicts an earlier answer
is reported as non-deterministic, naming both traces). The counts are in ``teacher.stats``.
With ``keep_tests=False`` an oracle's test that agrees with the hypothesis is not kept
(its counterexamples are): with test budgets in the hundreds of thousands the tree
would otherwise hold every test word, and L#, which learns on the tree, slows down with it.

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
from dataclasses import dataclass, fields
from typing import Any, Protocol

import numpy as np

from catauto.automata.learn.active.tree import ObservationTree, TreeConflict
from catauto.automata.machine import DFA, Machine, Mealy, Moore
from catauto.errors import LearningError, NondeterminismError, first_unhashable

KINDS = ("dfa", "moore", "mealy")


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


class SUL(Protocol):
    """A system under learning that is driven one symbol at a time."""

    def reset(self) -> Hashable | None:
        """Back to the initial state; Moore/DFA systems return the initial output."""

    def step(self, symbol: Hashable) -> Hashable:
        """Feed one input; return its output (Moore/DFA: the new state's output)."""


class Teacher:
    """A system under learning behind a cache (observation tree) with query counts.

    Subclasses implement ``_ask`` (a fresh run of the system on a whole word, returning
    output indices) and, if they can, ``_open``/``_step`` for step-by-step runs. With
    ``keep_tests=False`` (every teacher takes it) the cache keeps an oracle's failed tests
    only, not the passed ones (see the module doc).
    """

    #: Whether one run of the system reports the output of every prefix.
    whole_words = True

    def __init__(
        self,
        inputs: Iterable[Hashable],
        kind: str,
        outputs: Iterable[Hashable] = (),
        *,
        keep_tests: bool = True,
    ) -> None:
        if kind not in KINDS:
            raise LearningError(f"kind must be one of {KINDS}, got {kind!r}")
        self.kind = kind
        self.inputs = tuple(inputs)
        if not self.inputs:
            raise LearningError("the input alphabet is empty")
        try:
            self._in_index = {s: i for i, s in enumerate(self.inputs)}
        except TypeError:
            bad = first_unhashable(self.inputs)
            if bad is None:
                raise
            raise LearningError(f"input symbol {self.inputs[bad]!r} is not hashable") from None
        if len(self._in_index) != len(self.inputs):
            raise LearningError(f"the input alphabet {self.inputs!r} repeats a symbol")
        self.outputs: list[Hashable] = []
        self._out_index: dict[Hashable, int] = {}
        if kind == "dfa":
            self.outputs, self._out_index = [False, True], {False: 0, True: 1}
        for o in outputs:
            self.intern(o)
        self.moore = kind != "mealy"
        self.keep_tests = keep_tests
        self.tree = ObservationTree(len(self.inputs), moore=self.moore)
        self.stats = Stats()
        self._runner: Any = None  # the last hypothesis's runner (see oracle.runner_for)

    # -- alphabets -----------------------------------------------------------------------
    def intern(self, output: Hashable) -> int:
        """The index of an output symbol (new symbols get the next index; DFA: bools only)."""
        try:
            return self._out_index[output]
        except KeyError:
            pass
        except TypeError:
            raise LearningError(f"output {output!r} is not hashable") from None
        if self.kind == "dfa":
            raise LearningError(f"a DFA answers True or False, got {output!r}")
        self._out_index[output] = len(self.outputs)
        self.outputs.append(output)
        return len(self.outputs) - 1

    def encode(self, word: Iterable[Hashable]) -> tuple[int, ...]:
        """A word of input symbols as input indices."""
        word = list(word)  # an iterator would be spent before an error could quote it
        index = self._in_index
        try:
            return tuple(index[s] for s in word)
        except (KeyError, TypeError):  # TypeError: an unhashable symbol
            for i, s in enumerate(word):
                try:
                    index[s]
                except (KeyError, TypeError):
                    raise LearningError(
                        f"symbol {s!r} at position {i} of {word!r} is not an input"
                        f" (inputs: {self.inputs!r})"
                    ) from None
            raise

    def decode(self, word: Iterable[int]) -> list:
        return [self.inputs[a] for a in word]

    # -- queries (index level) -------------------------------------------------------------
    def query(self, word: Sequence[int]) -> list[int]:
        """The output word of ``word`` (Moore/DFA: ``len + 1`` outputs), via the cache."""
        cached = self.tree.outputs(word)
        if cached is not None:
            self.stats.mq_cached += 1
            return cached
        if self.whole_words:
            return self._fetch(word)
        # A system that only reports the end: ask for every prefix the tree lacks.
        start = 0 if self.moore else 1
        for i in range(start, len(word) + 1):
            if self.tree.outputs(word[:i]) is None:
                self.query_last(word[:i])
        return self.tree.outputs(word)  # type: ignore[return-value]

    def query_last(self, word: Sequence[int]) -> int:
        """The output at the end of ``word`` (for a DFA: 1 if it accepts, else 0)."""
        tree = self.tree
        if not word and not self.moore:
            raise LearningError("a Mealy machine has no output for the empty word")
        n = tree.node(word)
        if n >= 0 and tree.out[n] >= 0:
            self.stats.mq_cached += 1
            return tree.out[n]
        if self.whole_words:
            return self._fetch(word)[-1]
        stats = self.stats
        stats.mq += 1
        stats.resets += 1
        stats.symbols += len(word)
        out = self._ask_last(word)
        self._record_last(word, out)
        return out

    def _fetch(self, word: Sequence[int]) -> list[int]:
        stats = self.stats
        stats.mq += 1
        stats.resets += 1
        stats.symbols += len(word)
        outs = self._ask(word)
        self._record(word, outs)
        return outs

    def query_adaptive(self, prefix: Sequence[int], chooser: Generator[int, int, None]) -> int:
        """Run ``prefix``, then inputs chosen one at a time; return the final tree node.

        ``chooser`` is a generator (an adaptive distinguishing sequence computed as it
        goes): it is sent the output at the end of ``prefix`` (Mealy: -1), yields an
        input, is sent that input's output, and so on; it stops to end the query.
        Answered from the tree as far as the tree goes; one query otherwise.
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
        if not (self.whole_words and self.stepwise):
            if not started:  # every output along the prefix, so its nodes are all known
                outs = self.query(word)
                a = _send(chooser, outs[-1] if moore else -1)
            while a >= 0:
                word.append(a)
                a = _send(chooser, self.query_last(word))
            return tree.node(word)
        stats = self.stats
        stats.mq += 1
        stats.resets += 1
        step = self._step
        first = self._open()
        outs = [first] if moore else []
        outs.extend(step(b) for b in word)
        if not started:
            a = _send(chooser, outs[-1] if moore else -1)
        while a >= 0:
            word.append(a)
            o = step(a)
            outs.append(o)
            a = _send(chooser, o)
        stats.symbols += len(word)
        return self._record(word, outs)

    def run_test(
        self, word: Sequence[int], expected: Sequence[int], every_prefix: bool = True
    ) -> int:
        """Run a test word for an equivalence oracle; compare with ``expected`` outputs.

        Returns the length of the shortest prefix of ``word`` whose (last) output
        differs from ``expected``, or -1 if the system agrees. The cache is read first;
        the system is stopped at the first difference when it runs step by step. A
        system that reports only the end answers one prefix per run: with
        ``every_prefix`` (the W- and Wp-methods need it to be complete) each prefix the
        cache lacks is asked, else only the whole word.
        """
        tree = self.tree
        succ, out, k = tree.succ, tree.out, tree.k
        shift = 1 if self.moore else 0
        stats = self.stats
        if self.moore and 0 <= out[0] != expected[0]:
            stats.tests_cached += 1
            return 0
        n = 0
        known = out[0] >= 0 or not self.moore
        for i, a in enumerate(word):
            n = succ[n * k + a]
            if n < 0:
                known = False
                break
            o = out[n]
            if o < 0:
                known = False
            elif o != expected[i + shift]:
                stats.tests_cached += 1
                return i + 1
        if known:
            stats.tests_cached += 1
            return -1
        stats.tests += 1
        if not self.whole_words:
            if every_prefix:
                return self._test_prefixes(word, expected)
            stats.resets += 1
            stats.symbols += len(word)
            stats.symbols_eq += len(word)
            # not cached: the outputs on its way stay unknown, and L# reads every tree
            # node's output (equivalence_query asks a counterexample's prefixes anyway)
            return -1 if self._ask_last(word) == expected[-1] else len(word)
        stats.resets += 1
        outs = self._run_until(word, expected)
        done = len(outs) - shift
        sent = done if self.stepwise else len(word)  # a whole-word function runs it all
        stats.symbols += sent
        stats.symbols_eq += sent
        failed = bool(outs) and outs[-1] != expected[len(outs) - 1]
        if self.keep_tests or failed:
            self._record(word[:done], outs)
        return done if failed else -1

    def _test_prefixes(self, word: Sequence[int], expected: Sequence[int]) -> int:
        """``run_test`` for a system that reports only the end: a test compares whole
        output words, so every prefix the tree cannot answer is asked (a run each), up
        to the first difference."""
        tree, stats, keep = self.tree, self.stats, self.keep_tests
        shift = 1 if self.moore else 0
        asked = []
        for i in range(1 - shift, len(word) + 1):
            n = tree.node(word[:i])
            o = tree.out[n] if n >= 0 else -1
            if o < 0:
                stats.resets += 1
                stats.symbols += i
                stats.symbols_eq += i
                o = self._ask_last(word[:i])
                asked.append((i, o))
                if keep:
                    self._record_last(word[:i], o)
            if o != expected[i - 1 + shift]:
                if not keep:  # the counterexample, with every output on its way
                    for j, oj in asked:
                        self._record_last(word[:j], oj)
                return i
        return -1

    def _record(self, word: Sequence[int], outs: list[int]) -> int:
        try:
            return self.tree.insert(word, outs)
        except TreeConflict as c:
            self._conflict(word, outs, c)
            raise  # pragma: no cover

    def _record_last(self, word: Sequence[int], out: int) -> int:
        try:
            return self.tree.insert_last(word, out)
        except TreeConflict as c:
            self._conflict(word, [-1] * (len(word) + self.moore - 1) + [out], c)
            raise  # pragma: no cover

    def _conflict(self, word: Sequence[int], outs: list[int], c: TreeConflict) -> None:
        end = c.position + (0 if self.moore else 1)
        prefix = self.decode(word[:end])
        seen = [self.outputs[o] if o >= 0 else "?" for o in outs]
        raise NondeterminismError(
            f"the system is not deterministic: the word {self.decode(word)!r} gave outputs"
            f" {seen!r}, but earlier its prefix {prefix!r} ended with output"
            f" {self.outputs[c.cached]!r}, now {self.outputs[c.observed]!r}"
        ) from None

    # -- queries (symbol level) ------------------------------------------------------------
    def output_word(self, word: Iterable[Hashable]) -> list:
        """The output word of a word of symbols (Moore/DFA: ``len + 1`` outputs)."""
        return [self.outputs[o] for o in self.query(self.encode(word))]

    def output(self, word: Iterable[Hashable]) -> Hashable:
        """The output at the end of a word (DFA: whether it is accepted)."""
        return self.outputs[self.query_last(self.encode(word))]

    # -- the system ------------------------------------------------------------------------
    @property
    def stepwise(self) -> bool:
        """Whether the system can be run one symbol at a time (``_open``/``_step``)."""
        return type(self)._step is not Teacher._step

    def _ask(self, word: Sequence[int]) -> list[int]:
        """Run the system afresh on ``word``: its output word as indices."""
        first = self._open()
        outs = [first] if self.moore else []
        step = self._step
        outs.extend(step(a) for a in word)
        return outs

    def _ask_last(self, word: Sequence[int]) -> int:
        return self._ask(word)[-1]

    def _run_until(self, word: Sequence[int], expected: Sequence[int]) -> list[int]:
        """The output word of a prefix of ``word``: up to its first output that differs
        from ``expected`` (all of it if none does; a system that cannot stop runs it all).
        """
        if not self.stepwise:
            outs = self._ask(word)
            for i, o in enumerate(outs):
                if o != expected[i]:
                    return outs[: i + 1]
            return outs
        first = self._open()
        outs = [first] if self.moore else []
        if self.moore and first != expected[0]:
            return outs
        step = self._step
        shift = 1 if self.moore else 0
        for i, a in enumerate(word):
            o = step(a)
            outs.append(o)
            if o != expected[i + shift]:
                break
        return outs

    def _open(self) -> int:
        """Reset the system (Moore/DFA: return the initial output index)."""
        raise NotImplementedError

    def _step(self, a: int) -> int:
        raise NotImplementedError

    # -- hypotheses ------------------------------------------------------------------------
    def machine(self, delta: Any, output: Any, initial: int = 0) -> Machine:
        """A hypothesis over this teacher's alphabets from index tables.

        ``delta``: ``int[n, k]``; ``output``: ``int[n]`` (Moore/DFA) or ``int[n, k]``.
        """
        output = np.asarray(output, dtype=np.int32)
        if self.kind == "dfa":
            return DFA(delta, output.astype(bool), initial, self.inputs)
        outs = tuple(self.outputs[: int(output.max()) + 1]) if output.size else ()
        cls = Moore if self.kind == "moore" else Mealy
        return cls(delta, output, initial, self.inputs, outs)


def _send(chooser: Generator[int, int, None], output: int) -> int:
    """The chooser's next input after ``output``, or -1 when it stops."""
    try:
        return chooser.send(output)
    except StopIteration:
        return -1


class SULTeacher(Teacher):
    """A teacher for a system driven by ``reset()``/``step(symbol)``.

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
        super().__init__(inputs, kind, keep_tests=keep_tests)
        self.sul = sul

    def _open(self) -> int:
        first = self.sul.reset()
        if not self.moore:
            return -1
        if first is None:
            raise LearningError(
                f"reset() of a {self.kind} system must return the output of the initial state"
            )
        return self.intern(first)

    def _step(self, a: int) -> int:
        return self.intern(self.sul.step(self.inputs[a]))


class FunctionTeacher(Teacher):
    """A teacher for a plain function from words (lists of symbols) to outputs.

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
        super().__init__(inputs, kind, keep_tests=keep_tests)
        returns = returns or ("word" if kind == "mealy" else "last")
        if returns not in ("last", "word"):
            raise LearningError(f"returns must be 'last' or 'word', got {returns!r}")
        self.fn = fn
        self.returns = returns
        self.whole_words = returns == "word"

    def _ask(self, word: Sequence[int]) -> list[int]:
        symbols = self.decode(word)
        if self.returns == "last":
            return [self._ask_last(word)]  # pragma: no cover - whole_words is False then
        result = list(self.fn(symbols))
        want = len(word) + (1 if self.moore else 0)
        if len(result) != want:
            raise LearningError(
                f"the function returned {len(result)} outputs for the word {symbols!r};"
                f" a {self.kind} output word has {want}"
            )
        return [self.intern(o) for o in result]

    def _ask_last(self, word: Sequence[int]) -> int:
        symbols = self.decode(word)
        if self.returns == "word":
            return self._ask(word)[-1]
        out = self.fn(symbols)
        if self.kind == "dfa":
            if out not in (False, True):  # bool() would turn "no" into True
                raise LearningError(
                    f"a DFA classifier answers True or False, got {out!r} for {symbols!r}"
                )
            out = bool(out)
        return self.intern(out)


class MachineTeacher(Teacher):
    """A teacher that answers from a known machine (its tables, at list speed).

    The machine must be complete (every transition defined) for words to have outputs;
    an undefined step raises :class:`LearningError` naming the state and symbol.
    """

    def __init__(self, machine: Machine, *, keep_tests: bool = True) -> None:
        kind = machine.kind
        if kind not in KINDS:
            raise LearningError(f"cannot teach a {type(machine).__name__}")
        super().__init__(machine.inputs, kind, machine.outputs, keep_tests=keep_tests)
        self.target = machine
        self._delta = machine.delta.tolist()
        self._out = machine.output.tolist()  # indices agree: outputs interned in order
        self._q = machine.initial

    def _undefined(self, q: int, a: int) -> None:
        raise LearningError(
            f"the machine has no transition from state {q} on {self.inputs[a]!r};"
            " learning needs a complete machine (complete it with a sink first)"
        )

    def _ask(self, word: Sequence[int]) -> list[int]:
        delta, out = self._delta, self._out
        q = self.target.initial
        if self.moore:
            res = [out[q]]
            for a in word:
                nxt = delta[q][a]
                if nxt < 0:
                    self._undefined(q, a)
                q = nxt
                res.append(out[q])
            return res
        res = []
        for a in word:
            row = delta[q]
            if row[a] < 0:
                self._undefined(q, a)
            res.append(out[q][a])
            q = row[a]
        return res

    def _run_until(self, word: Sequence[int], expected: Sequence[int]) -> list[int]:
        delta, out = self._delta, self._out
        q = self.target.initial
        if self.moore:
            res = [out[q]]
            if res[0] != expected[0]:
                return res
            for i, a in enumerate(word, 1):
                nxt = delta[q][a]
                if nxt < 0:
                    self._undefined(q, a)
                q = nxt
                o = out[q]
                res.append(o)
                if o != expected[i]:
                    break
            return res
        res = []
        for i, a in enumerate(word):
            row = delta[q]
            if row[a] < 0:
                self._undefined(q, a)
            o = out[q][a]
            res.append(o)
            if o != expected[i]:
                break
            q = row[a]
        return res

    def _open(self) -> int:
        self._q = self.target.initial
        return self._out[self._q] if self.moore else -1

    def _step(self, a: int) -> int:
        q = self._q
        nxt = self._delta[q][a]
        if nxt < 0:
            self._undefined(q, a)
        self._q = nxt
        return self._out[nxt] if self.moore else self._out[q][a]


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
