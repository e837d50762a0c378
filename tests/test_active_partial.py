"""Partial systems: a machine that leaves inputs undefined refuses them (an observation
like any other); learned as a black box and read back as a partial machine, it is
equivalent to the model."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catauto.automata import DFA, Mealy, zoo
from catauto.automata.learn.active import (
    MachineTeacher,
    PerfectOracle,
    kv,
    learn_active_model,
    lsharp,
    lstar,
)
from catauto.automata.learn.active.system import MachineSystem, completed, partial_machine
from test_active_errors import with_error_sink


def partial(kind: str, n: int, k: int, seed: int, p: float, sink: bool):
    """A random machine (with an error sink if ``sink``) with each transition undefined
    with probability ``p``."""
    if sink and kind != "dfa":
        m = with_error_sink(kind, n, k, seed, 0.3)
    elif kind == "dfa":
        m = zoo.random_dfa(n, k, seed=seed)
    elif kind == "moore":
        m = zoo.random_moore(n, k, 2, seed=seed)
    else:
        m = zoo.random_mealy(n, k, 2, seed=seed)
    rng = np.random.default_rng(seed + 1)
    delta = m.delta.copy()
    delta[rng.random(delta.shape) < p] = -1
    return m.with_tables(delta, m.output, m.initial)


partials = st.builds(
    partial,
    st.sampled_from(["dfa", "moore", "mealy"]),
    st.integers(1, 7),
    st.integers(1, 3),
    st.integers(0, 10**6),
    st.sampled_from([0.1, 0.3, 0.6]),
    st.booleans(),
)


@settings(max_examples=40, deadline=None)
@given(model=partials, learn=st.sampled_from([lstar, kv, lsharp]))
def test_partial_machines_are_learned_and_read_back(model, learn):
    teacher = MachineTeacher(model)
    hyp, _ = learn(teacher, PerfectOracle(model), progress=False)
    assert hyp.is_complete
    back = partial_machine(hyp, teacher.system.refusal)
    assert back.equivalent(model), (model, back)


@settings(max_examples=20, deadline=None)
@given(model=partials, seed=st.integers(0, 100))
def test_partial_machines_as_black_boxes(model, seed):
    r = learn_active_model(model, "lsharp", "random-wp", seed, progress=False, n_tests=3000)
    assert r.equivalent, r.summary()


def test_a_refusal_is_an_observation():
    m = Mealy([[1, -1], [1, 0]], [[0, 0], [1, 0]], 0, "ab", ["x", "y"])
    s = MachineSystem(m)
    assert s.refusal == "refused" and s.partial
    t = MachineTeacher(m)
    assert t.error == "refused"
    assert t.output_word("abbab") == ["x", "x", "refused", "refused", "refused"]
    assert t.stats.symbols == 3  # stopped at the refusal
    assert completed(m).transduce("aabb") == ["x", "y", "x", "refused"]
    with pytest.raises(Exception, match="already an output"):
        MachineSystem(m, refusal="x")
    # a DFA rejects what it leaves undefined
    d = DFA([[1, -1], [1, 1]], accepting=[False, True], inputs="ab")
    assert MachineSystem(d).refusal is None
    hyp, _ = lsharp(MachineTeacher(d), PerfectOracle(d), progress=False)
    assert partial_machine(hyp).equivalent(d)


def test_auto_error_never_takes_a_dfas_rejection_for_an_error():
    """A DFA's rejecting sink looks like an error sink, but rejected words may have
    accepted extensions: this machine was learned as 'reject everything' when error="auto"
    believed rejection was final."""
    model = partial("dfa", 6, 3, 1, 0.3, False)
    r = learn_active_model(model, "lsharp", "random-wp", 0, progress=False, n_tests=3000)
    assert r.equivalent, r.summary()
