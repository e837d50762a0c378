"""L# never asks an equivalence query about a hypothesis its own observations refute.

L# works on the observation tree (every answer the system gave); when a hypothesis
contradicts the tree, the contradiction itself is the counterexample and no oracle is
asked. The law, checked from outside through the public API only: the system is
wrapped so that it logs every word it is run on with the outputs it gave, and the
oracle first checks the hypothesis against every logged observation before it looks
for a counterexample of its own.

Contradictions are rare with shortest counterexamples (the tree holds little beyond the
hypothesis's own queries), so the oracle asks a fixed, seeded batch of long random
words first (long counterexamples and many observations: about one target in five
then exercises the tree's contradiction search), and only then the perfect oracle,
which ends the run. Targets have two outputs, so half of all wrong outputs in the tree
are output index 0.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from catauto.automata import zoo
from catauto.automata.learn import (
    FunctionTeacher,
    Oracle,
    PerfectOracle,
    RandomWordOracle,
    SULTeacher,
    lsharp,
)


class LoggedSystem:
    """A machine behind ``reset``/``step`` that logs every run: ``(inputs, outputs)``,
    Moore/DFA outputs starting with the initial one (as ``transduce`` gives them)."""

    def __init__(self, machine) -> None:
        self.m = machine
        self.log: list[tuple[list, list]] = []

    def reset(self):
        self.q = self.m.initial
        self.run: tuple[list, list] = ([], [])
        self.log.append(self.run)
        if self.m.kind != "mealy":
            first = self.m.outputs[self.m.output[self.q]]
            self.run[1].append(first)
            return first
        return None

    def step(self, symbol):
        a = self.m.input_index(symbol)
        if self.m.kind == "mealy":
            out = self.m.outputs[self.m.output[self.q, a]]
        self.q = int(self.m.delta[self.q, a])
        if self.m.kind != "mealy":
            out = self.m.outputs[self.m.output[self.q]]
        self.run[0].append(symbol)
        self.run[1].append(out)
        return out

    def word(self, word: list) -> list:
        """One whole run (for a ``FunctionTeacher`` with ``returns="word"``)."""
        self.reset()
        for a in word:
            self.step(a)
        return list(self.run[1])


def up_to_first_difference(hypothesis, word: list, outputs: list) -> tuple[list, list]:
    """The run ``(word, outputs)`` cut after the first output on which ``hypothesis``
    differs (whole if it agrees)."""
    expected = hypothesis.transduce(word)
    for j, (want, got) in enumerate(zip(expected, outputs)):
        if want != got:
            # Moore outputs start with the initial one: output j follows j inputs
            end = j if hypothesis.kind != "mealy" else j + 1
            return word[:end], outputs[: j + 1]
    return word, outputs


class CheckingOracle(Oracle):
    """Checks each hypothesis against the whole log, then asks ``oracles`` in turn.

    What a test of an equivalence oracle observes counts up to its first difference
    from the hypothesis under test: a teacher may drop the rest (a whole-word function
    runs to the end, but the counterexample ends there). Everything else counts whole.
    """

    def __init__(self, log: list, *oracles: Oracle) -> None:
        self.log = log
        self.oracles = oracles
        self.hypotheses = 0

    def find_counterexample(self, hypothesis, teacher):
        self.hypotheses += 1
        for word, outputs in self.log:
            got = hypothesis.transduce(word)
            assert got == outputs, (
                f"hypothesis {self.hypotheses} ({hypothesis.n_states} states) says {got}"
                f" on {word}, but the system answered {outputs} before it was submitted"
            )
        for oracle in self.oracles:
            start = len(self.log)
            cex = oracle.find_counterexample(hypothesis, teacher)
            for i in range(start, len(self.log)):
                self.log[i] = up_to_first_difference(hypothesis, *self.log[i])
            if cex is not None:
                return cex
        return None


def target(kind: str, n: int, seed: int):
    if kind == "dfa":
        return zoo.random_dfa(n, 2, seed=seed)
    if kind == "moore":
        return zoo.random_moore(n, 2, 2, seed=seed)
    return zoo.random_mealy(n, 2, 2, seed=seed)


@settings(max_examples=60)
@given(
    kind=st.sampled_from(["dfa", "moore", "mealy"]),
    n=st.integers(10, 16),
    seed=st.integers(0, 2**32 - 1),
    oracle_seed=st.integers(0, 2**16),
    by_function=st.booleans(),
)
def test_every_hypothesis_agrees_with_every_observation(kind, n, seed, oracle_seed, by_function):
    """Law: each hypothesis L# submits to the oracle agrees with every answer the
    system gave before it was submitted; with a perfect oracle at the end, L# ends with
    a machine equivalent to the system."""
    m = target(kind, n, seed)
    system = LoggedSystem(m)
    if by_function:
        teacher = FunctionTeacher(system.word, m.inputs, kind, returns="word")
    else:
        teacher = SULTeacher(system, m.inputs, kind)
    random_words = RandomWordOracle(n_words=50, min_length=10, max_length=30, seed=oracle_seed)
    oracle = CheckingOracle(system.log, random_words, PerfectOracle(m))
    hyp, _ = lsharp(teacher, oracle, progress=False)
    assert hyp.equivalent(m)
    assert oracle.hypotheses >= 1 and len(system.log) > 0
