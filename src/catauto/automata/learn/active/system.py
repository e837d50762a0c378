"""System adapters: a system under learning (SUL) seen at the level of indices.

A system answers *runs*: from its initial state, a word of input indices gives an output
word of output indices, read off one run:

- Mealy: one output per input (``len(word)`` outputs);
- Moore and DFA: the output of every prefix, the empty one first (``len(word) + 1``); a
  DFA's outputs are ``False``/``True`` (acceptance).

An adapter holds the system's alphabets (``inputs`` as given, ``outputs`` interned in
order of first appearance) and says what the system can do: ``stepwise`` (driven one
input at a time by ``reset``/``step``, so a run can stop early) and ``whole_words`` (one
run reports every prefix's output; a classifier reports only the end, ``run_last``).
Adapters count nothing and remember nothing: the :class:`~.counter.Counter` and the
:class:`~.cache.Cache` in front of them do (see :class:`~.teacher.Teacher`).

Three adapters, for the three things users have:

- :class:`StepSystem` around an object with ``reset()`` and ``step(symbol)``;
- :class:`FunctionSystem` around a function from words to outputs;
- :class:`MachineSystem` around a known DFA, Moore or Mealy machine.

>>> from catauto.automata import DFA
>>> s = MachineSystem(DFA([[1, 0], [0, 1]], accepting=[True, False], inputs="ab"))
>>> s.run([0, 1, 0]), s.run([0, 1, 0], expected=[1, 0, 1, 1])   # stops at the difference
([1, 0, 0, 1], [1, 0, 0])
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

import numpy as np

from catauto.automata.machine import DFA, KINDS, Machine, Mealy, Moore
from catauto.errors import LearningError, first_unhashable

__all__ = [
    "REFUSED",
    "FunctionSystem",
    "MachineSystem",
    "StepSystem",
    "System",
    "completed",
    "partial_machine",
    "until_difference",
]


class System:
    """A system under learning at index level: its alphabets and fresh runs.

    Subclasses define ``reset``/``step`` (then every run method works) or override
    ``run`` (and ``run_last`` for a system that reports only the end).
    """

    #: Whether one run reports the output of every prefix (not only the end).
    whole_words = True
    #: Whether the system is driven one input at a time (``reset``/``step``).
    stepwise = True

    def __init__(self, inputs: Iterable[Hashable], kind: str, outputs: Iterable[Hashable] = ()):
        if kind not in KINDS:
            raise LearningError(f"kind must be one of {tuple(KINDS)}, got {kind!r}")
        self.kind = kind
        self.moore = kind != "mealy"
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

    # -- alphabets -------------------------------------------------------------------------
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

    def machine(self, delta: Any, output: Any, initial: int = 0) -> Machine:
        """A machine over these alphabets from index tables (a learner's hypothesis).

        ``delta``: ``int[n, k]``; ``output``: ``int[n]`` (Moore/DFA) or ``int[n, k]``.
        """
        output = np.asarray(output, dtype=np.int32)
        if self.kind == "dfa":
            return DFA(delta, output.astype(bool), initial, self.inputs)
        outs = tuple(self.outputs[: int(output.max()) + 1]) if output.size else ()
        cls = Moore if self.kind == "moore" else Mealy
        return cls(delta, output, initial, self.inputs, outs)

    # -- runs ------------------------------------------------------------------------------
    def reset(self) -> int:
        """Back to the initial state; Moore/DFA: return its output index (Mealy: -1)."""
        raise NotImplementedError

    def step(self, a: int) -> int:
        """Feed input ``a``; return its output index (Moore/DFA: the new state's)."""
        raise NotImplementedError

    def initial_output(self, first: Any) -> int:
        """The index of what a reset/step system's ``reset()`` returned (Mealy: -1)."""
        if not self.moore:
            return -1
        if first is None:
            raise LearningError(
                f"reset() of a {self.kind} system must return the output of the initial state"
            )
        return self.intern(first)

    def run(
        self, word: Sequence[int], expected: Sequence[int] | None = None, stop: int = -1
    ) -> list[int]:
        """The output word of a fresh run on ``word``. With ``expected`` (an output word
        of the same length) the run ends after the first output that differs from it;
        with ``stop`` (an output index) after the first output ``stop`` (an error)."""
        first = self.reset()
        outs = [first] if self.moore else []
        step = self.step
        if expected is None and stop < 0:
            outs.extend(step(a) for a in word)
            return outs
        if self.moore and (first == stop or (expected is not None and first != expected[0])):
            return outs
        shift = len(outs)
        for i, a in enumerate(word):
            o = step(a)
            outs.append(o)
            if o == stop or (expected is not None and o != expected[i + shift]):
                break
        return outs

    def run_last(self, word: Sequence[int]) -> int:
        """The output at the end of a fresh run on ``word``."""
        return self.run(word)[-1]

    def run_many(
        self,
        words: Sequence[Sequence[int]],
        expected: Sequence[Sequence[int] | None] | None = None,
        stop: int = -1,
    ) -> list[list[int]]:
        """``run`` on each word of a batch (``expected``: one entry per word, or None),
        the output words in batch order. A pool of systems runs them concurrently
        (:class:`~.pool.SystemPool`); here they run one after the other."""
        if stop >= 0:
            if expected is None:
                return [self.run(w, None, stop) for w in words]
            return [self.run(w, e, stop) for w, e in zip(words, expected, strict=True)]
        if expected is None:  # (a subclass's run may not know stop)
            return [self.run(w) for w in words]
        return [self.run(w, e) for w, e in zip(words, expected, strict=True)]

    def run_adaptive(self, word: list[int], choose: Callable[[int], int]) -> list[int]:
        """Run ``word``, then inputs chosen one at a time: ``choose(output)`` is given
        the output at the end of ``word`` (Mealy: -1), then each chosen input's output,
        and returns the next input, or -1 to stop. ``word`` grows in place; returns its
        output word."""
        first = self.reset()
        step = self.step
        outs = [first] if self.moore else []
        outs.extend(step(b) for b in word)
        a = choose(outs[-1] if self.moore else -1)
        while a >= 0:
            word.append(a)
            o = step(a)
            outs.append(o)
            a = choose(o)
        return outs


def until_difference(outs: list[int], expected: Sequence[int] | None, stop: int = -1) -> list[int]:
    """``outs`` cut after its first entry that differs from ``expected`` (if given) or
    equals ``stop``."""
    for i, o in enumerate(outs):
        if o == stop or (expected is not None and o != expected[i]):
            return outs[: i + 1]
    return outs


class StepSystem(System):
    """A system driven by ``reset()``/``step(symbol)`` on symbols.

    For Moore and DFA systems ``reset()`` returns the initial state's output.
    """

    def __init__(self, sul: Any, inputs: Iterable[Hashable], kind: str) -> None:
        super().__init__(inputs, kind)
        self.sul = sul

    def reset(self) -> int:
        return self.initial_output(self.sul.reset())

    def step(self, a: int) -> int:
        return self.intern(self.sul.step(self.inputs[a]))


class FunctionSystem(System):
    """A plain function from words (lists of symbols) to outputs.

    ``returns="last"`` (default for DFA and Moore): ``fn(word)`` is the output at the end
    of the word (a DFA: whether it accepts). ``returns="word"`` (default for Mealy):
    ``fn(word)`` is the whole output word (Moore: ``len + 1`` outputs).
    """

    stepwise = False

    def __init__(
        self,
        fn: Callable[[list], Any],
        inputs: Iterable[Hashable],
        kind: str = "dfa",
        returns: str | None = None,
    ) -> None:
        super().__init__(inputs, kind)
        returns = returns or ("word" if kind == "mealy" else "last")
        if returns not in ("last", "word"):
            raise LearningError(f"returns must be 'last' or 'word', got {returns!r}")
        self.fn = fn
        self.returns = returns
        self.whole_words = returns == "word"

    def run(
        self, word: Sequence[int], expected: Sequence[int] | None = None, stop: int = -1
    ) -> list[int]:
        if not self.whole_words:
            raise AssertionError("a function that reports the end is asked with run_last")
        symbols = self.decode(word)
        result = list(self.fn(symbols))
        want = len(word) + (1 if self.moore else 0)
        if len(result) != want:
            raise LearningError(
                f"the function returned {len(result)} outputs for the word {symbols!r};"
                f" a {self.kind} output word has {want}"
            )
        outs = [self.intern(o) for o in result]
        return outs if expected is None and stop < 0 else until_difference(outs, expected, stop)

    def run_last(self, word: Sequence[int]) -> int:
        if self.whole_words:
            return self.run(word)[-1]
        symbols = self.decode(word)
        out = self.fn(symbols)
        if self.kind == "dfa":
            if out not in (False, True):  # bool() would turn "no" into True
                raise LearningError(
                    f"a DFA classifier answers True or False, got {out!r} for {symbols!r}"
                )
            out = bool(out)
        return self.intern(out)


#: The output with which a system over a partial machine refuses an undefined input.
REFUSED = "refused"


def completed(machine: Machine, refusal: Hashable = REFUSED) -> Machine:
    """A partial machine as the system a learner sees: an undefined input is refused
    (Mealy: output ``refusal``; Moore: a state of output ``refusal``) and every input
    after a refusal is refused too (a sink). A DFA's undefined inputs reject. A
    complete machine is returned as it is.

    >>> from catauto.automata import Mealy
    >>> m = Mealy([[0, -1]], [[0, 0]], 0, "ab", ["ok"])
    >>> completed(m).transduce("aba")
    ['ok', 'refused', 'refused']
    """
    if machine.is_complete:
        return machine
    if machine.kind == "dfa":
        return machine.complete()
    if refusal in machine.outputs:
        raise LearningError(
            f"the refusal output {refusal!r} is already an output of the machine;"
            " choose another refusal="
        )
    return machine.complete(refusal)


def partial_machine(machine: Machine, refusal: Hashable = REFUSED) -> Machine:
    """The inverse of :func:`completed`: a learned machine read back as a partial one.

    Mealy: every transition with output ``refusal`` is removed; Moore: every state of
    output ``refusal`` (and the transitions into it); a DFA: its rejecting sinks. What
    is left is the reachable part, minimised.
    """
    delta = machine.delta.copy()
    out = machine.output
    if machine.kind == "mealy":
        if refusal not in machine.outputs:
            return machine.minimize()
        delta[out == machine.outputs.index(refusal)] = -1
        return machine.with_tables(delta, out, machine.initial).reachable().minimize()
    if machine.kind == "dfa":
        loops = (delta == np.arange(machine.n_states)[:, None]).all(axis=1)
        gone = loops & ~machine.accepting
    else:
        if refusal not in machine.outputs:
            return machine.minimize()
        gone = out == machine.outputs.index(refusal)
    if gone[machine.initial]:
        return machine.minimize()  # the machine refuses everything: nothing to cut
    delta[np.isin(delta, np.flatnonzero(gone))] = -1
    return machine.with_tables(delta, out, machine.initial).reachable().minimize()


class MachineSystem(System):
    """A known machine, run from its tables at list speed.

    A partial machine answers an undefined input with the output ``refusal`` and
    refuses everything after it (see :func:`completed`; a DFA rejects): a refusal is an
    observation like any other, and ``refusal`` is the natural ``error=`` of a teacher.
    """

    def __init__(self, machine: Machine, refusal: Hashable = REFUSED) -> None:
        if not isinstance(machine, Machine):
            raise LearningError(f"cannot teach a {type(machine).__name__}")
        self.partial = not machine.is_complete
        self.refusal = refusal if self.partial and machine.kind != "dfa" else None
        machine = completed(machine, refusal)
        super().__init__(machine.inputs, machine.kind, machine.outputs)
        self.target = machine
        self._delta = machine.delta.tolist()
        self._out = machine.output.tolist()  # indices agree: outputs interned in order
        self._q = machine.initial

    def _undefined(self, q: int, a: int) -> None:
        raise LearningError(
            f"the machine has no transition from state {q} on {self.inputs[a]!r};"
            " learning needs a complete machine (complete it with a sink first)"
        )

    def run(
        self, word: Sequence[int], expected: Sequence[int] | None = None, stop: int = -1
    ) -> list[int]:
        delta, out = self._delta, self._out
        q = self.target.initial
        if self.moore:
            res = [out[q]]
            if res[0] == stop or (expected is not None and res[0] != expected[0]):
                return res
            for i, a in enumerate(word, 1):
                nxt = delta[q][a]
                if nxt < 0:
                    self._undefined(q, a)
                q = nxt
                o = out[q]
                res.append(o)
                if o == stop or (expected is not None and o != expected[i]):
                    break
            return res
        res = []
        for i, a in enumerate(word):
            row = delta[q]
            if row[a] < 0:
                self._undefined(q, a)
            o = out[q][a]
            res.append(o)
            if o == stop or (expected is not None and o != expected[i]):
                break
            q = row[a]
        return res

    def reset(self) -> int:
        self._q = self.target.initial
        return self._out[self._q] if self.moore else -1

    def step(self, a: int) -> int:
        q = self._q
        nxt = self._delta[q][a]
        if nxt < 0:
            self._undefined(q, a)
        self._q = nxt
        return self._out[nxt] if self.moore else self._out[q][a]
