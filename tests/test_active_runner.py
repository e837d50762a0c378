"""The hypothesis runner's expected output words: the machine's outputs in the teacher's
indices, and -1 (no system output) from an undefined transition on, for partial Mealy
and Moore hypotheses, against a run written out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from catauto.automata import zoo
from catauto.automata.learn import MachineTeacher
from catauto.automata.learn.active.oracle import HypothesisRunner


def by_hand(m, word, index) -> list[int]:
    delta, out, moore = m.delta.tolist(), m.output.tolist(), m.kind != "mealy"
    q, res = m.initial, [index[out[m.initial]]] if moore else []
    for a in word:
        if q < 0:
            res.append(-1)
            continue
        if moore:
            q = delta[q][a]
            res.append(index[out[q]] if q >= 0 else -1)
        else:
            res.append(index[out[q][a]] if delta[q][a] >= 0 else -1)
            q = delta[q][a]
    return res


@pytest.mark.parametrize("kind", ["mealy", "moore"])
def test_expected_outputs_of_partial_hypotheses(kind: str) -> None:
    make = zoo.random_mealy if kind == "mealy" else zoo.random_moore
    rng = np.random.default_rng(8)
    target = make(3, 2, 3, seed=0)
    teacher = MachineTeacher(target)
    undefined_seen = 0
    for seed in range(20):
        m = make(4, 2, 3, seed=seed)
        delta = m.delta.copy()
        delta[rng.random(delta.shape) < 0.3] = -1
        hyp = type(m)(delta, m.output, m.initial, m.inputs, m.outputs)
        runner = HypothesisRunner(hyp, teacher)
        index = [teacher.intern(o) for o in hyp.outputs]
        for _ in range(20):
            word = rng.integers(0, 2, size=int(rng.integers(0, 6))).tolist()
            want = by_hand(hyp, word, index)
            assert runner.expected(word) == want
            undefined_seen += -1 in want
    assert undefined_seen > 20
