"""A system's run with ``expected`` and ``stop`` ends right after the first output that
differs from ``expected`` or equals ``stop``, for every kind of system (tables, a
reset/step object, a function of whole words), against the rule applied by hand to the
full output word."""

from __future__ import annotations

import numpy as np
import pytest

from catauto.automata import zoo
from catauto.automata.learn.active.system import (
    FunctionSystem,
    MachineSystem,
    StepSystem,
    until_difference,
)


def cut(full: list[int], expected: list[int] | None, stop: int) -> list[int]:
    """By hand: the shortest prefix of ``full`` holding the first difference or stop."""
    for i in range(len(full)):
        if full[i] == stop or (expected is not None and full[i] != expected[i]):
            return full[: i + 1]
    return full


class Stepper:
    def __init__(self, m) -> None:
        self.m, self.q = m, m.initial

    def reset(self):
        self.q = self.m.initial
        return self.m.outputs[self.m.output[self.q]] if self.m.kind == "moore" else None

    def step(self, a):
        q, i = self.q, self.m.inputs.index(a)
        self.q = int(self.m.delta[q, i])
        o = self.m.output[self.q] if self.m.kind == "moore" else self.m.output[q, i]
        return self.m.outputs[o]


def systems(m):
    yield MachineSystem(m)
    yield StepSystem(Stepper(m), m.inputs, m.kind)
    yield FunctionSystem(lambda w: list(m.transduce(w)), m.inputs, m.kind, returns="word")


@pytest.mark.parametrize("kind", ["mealy", "moore"])
def test_runs_stop_at_the_first_difference_or_stop(kind: str) -> None:
    make = zoo.random_mealy if kind == "mealy" else zoo.random_moore
    rng = np.random.default_rng(7)
    for seed in range(6):
        m = make(4, 2, 3, seed=seed)
        for system in systems(m):
            for _ in range(30):
                word = rng.integers(0, 2, size=int(rng.integers(0, 7))).tolist()
                full = system.run(word)
                m_out = list(m.transduce([m.inputs[a] for a in word]))
                assert [system.outputs[o] for o in full] == m_out
                expected = list(full)
                if expected and rng.random() < 0.8:
                    j = int(rng.integers(0, len(expected)))
                    expected[j] = system.intern(m.outputs[int(rng.integers(0, 3))])
                stop = int(rng.choice([-1, *range(len(system.outputs))]))
                want = cut(full, expected, stop)
                assert system.run(word, expected, stop) == want
                assert system.run(word, expected) == cut(full, expected, -1)
                assert system.run(word, None, stop) == cut(full, None, stop)
                assert until_difference(full, expected, stop) == want
                assert system.run_many([word, word], [expected, expected], stop) == [want, want]
