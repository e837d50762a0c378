"""The enabled-inputs variant (``enabled=True``): a partial system that says which
inputs each state enables is learned with its enabled sets, never asked what those
sets already tell, and read back as a partial machine equivalent to the model, the
same machine as the refusal-as-error route learns."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catauto.automata import Mealy, io, zoo
from catauto.automata.learn.active import (
    MachineTeacher,
    PerfectOracle,
    SULTeacher,
    kv,
    learn_active_model,
    lsharp,
    lstar,
)
from catauto.automata.learn.active.system import partial_machine
from catauto.errors import LearningError
from test_active_partial import partial
from test_active_partial import partials as any_partials

partials = any_partials.filter(lambda m: m.kind != "dfa")  # a DFA has no refusal output


@settings(max_examples=25, deadline=None)
@given(model=partials, seed=st.integers(0, 100))
def test_partial_machines_as_black_boxes_agree_with_refusal_as_error(model, seed):
    enabled = learn_active_model(model, seed=seed, progress=False, enabled=True, n_tests=2000)
    assert enabled.equivalent, enabled.summary()
    refusal = learn_active_model(model, seed=seed, progress=False, n_tests=2000)
    assert refusal.equivalent, refusal.summary()
    assert enabled.machine.equivalent(refusal.machine)


@settings(max_examples=20, deadline=None)
@given(model=partials, learn=st.sampled_from([lstar, kv, lsharp]))
def test_every_learner_learns_the_enabled_sets(model, learn):
    teacher = MachineTeacher(model, enabled=True)
    paired = teacher.system.paired(model)
    hyp, _ = learn(teacher, PerfectOracle(paired), progress=False)
    assert hyp.equivalent(paired)  # the machine and its enabled sets
    assert teacher.system.partial(hyp).equivalent(model)


class Strict:
    """A partial Mealy machine as a reset/step object with ``enabled()``; stepping a
    disabled input is a failure of the test (the learner asked what it knew)."""

    def __init__(self, m: Mealy) -> None:
        self.m = m

    def reset(self) -> None:
        self.q = self.m.initial

    def enabled(self) -> list:
        return [x for a, x in enumerate(self.m.inputs) if self.m.delta[self.q, a] >= 0]

    def step(self, x):  # noqa: ANN001, ANN201
        a = self.m.input_index(x)
        assert self.m.delta[self.q, a] >= 0, f"disabled input {x!r} was sent"
        o = self.m.outputs[self.m.output[self.q, a]]
        self.q = int(self.m.delta[self.q, a])
        return o


def test_a_disabled_input_never_reaches_the_system():
    model = partial("mealy", 12, 6, 3, 0.6, False)
    teacher = SULTeacher(Strict(model), model.inputs, "mealy", enabled=True)
    hyp, stats = lsharp(teacher, PerfectOracle(teacher.system.paired(model)), progress=False)
    assert teacher.system.partial(hyp).equivalent(model)
    plain = MachineTeacher(model)  # the refusal as the error output
    hyp2, stats2 = lsharp(plain, PerfectOracle(model), progress=False)
    assert partial_machine(hyp2).equivalent(model)
    assert stats.symbols < stats2.symbols and stats.resets < stats2.resets


def test_what_enabled_needs():
    with pytest.raises(LearningError, match="not DFAs"):
        MachineTeacher(zoo.tomita(3), enabled=True)
    m = Mealy([[0, -1]], [[0, 0]], 0, "ab", ["x"])
    with pytest.raises(LearningError, match="leave error out"):
        MachineTeacher(m, enabled=True, error="x")
    with pytest.raises(LearningError, match="enabled()"):
        SULTeacher(object(), "ab", "mealy", enabled=True)


def test_learn_active_enabled_from_the_shell(tmp_path, capsys):
    from test_cli import run

    model = partial("mealy", 6, 3, 7, 0.5, False)
    path, learned = tmp_path / "partial.json", tmp_path / "learned.json"
    io.write(model, path)
    code, out, err = run("learn-active", path, "--enabled", "-o", learned, capsys=capsys)
    assert code == 0 and "; equivalent" in out, (out, err)
    assert io.read(learned).equivalent(model)


def test_a_complete_machine_enables_every_input():
    model = zoo.random_mealy(10, 3, 2, seed=1)
    r = learn_active_model(model, enabled=True, progress=False)
    assert r.equivalent and r.machine.is_complete
    assert set(r.machine.outputs) == set(model.outputs)  # no unused refusal
