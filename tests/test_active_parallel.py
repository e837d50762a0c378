"""Queries in parallel: a teacher over a pool of system instances gives the same answers,
the same counts and the same hypothesis whatever the pool size, and the same as a serial
teacher with the same batch size."""

from __future__ import annotations

import functools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catauto.automata import zoo
from catauto.automata.learn.active import (
    ParallelTeacher,
    RandomWpOracle,
    SystemPool,
    Teacher,
    WpMethodOracle,
    kv,
    lsharp,
    lstar,
)
from catauto.automata.learn.active.system import MachineSystem, StepSystem
from catauto.errors import LearningError, NondeterminismError
from strategies_machines import random_machine


class MachineSUL:
    """A reset/step system of symbols around a known machine (module level: it pickles)."""

    def __init__(self, machine) -> None:  # noqa: ANN001
        self.system = MachineSystem(machine)

    def reset(self):  # noqa: ANN201
        o = self.system.reset()
        return None if o < 0 else self.system.outputs[o]

    def step(self, symbol):  # noqa: ANN001, ANN201
        return self.system.outputs[self.system.step(self.system.encode([symbol])[0])]


def _without_times(stats) -> dict:  # noqa: ANN001
    d = stats.as_dict()
    del d["seconds"], d["eq_seconds"]
    return d


def _learn(teacher, learn, oracle_seed: int):  # noqa: ANN001, ANN202
    hyp, stats = learn(teacher, RandomWpOracle(n_tests=300, seed=oracle_seed), progress=False)
    return hyp, _without_times(stats), list(teacher.outputs), len(teacher.tree)


@settings(max_examples=25, deadline=None)
@given(
    kind=st.sampled_from(["dfa", "moore", "mealy"]),
    n=st.integers(1, 9),
    k=st.integers(1, 3),
    seed=st.integers(0, 10**6),
    learn=st.sampled_from([lstar, kv, lsharp]),
    batch=st.integers(2, 40),
    oracle_seed=st.integers(0, 100),
)
def test_parallel_teacher_is_the_serial_teacher(kind, n, k, seed, learn, batch, oracle_seed):
    m = random_machine(kind, n, k, seed)
    factory = functools.partial(MachineSUL, m)
    serial = _learn(Teacher(StepSystem(factory(), m.inputs, kind), batch=batch), learn, oracle_seed)
    for workers in (1, 3, 8):
        with ParallelTeacher(factory, m.inputs, kind, workers=workers, batch=batch) as t:
            hyp, stats, outputs, size = _learn(t, learn, oracle_seed)
        assert stats == serial[1] and outputs == serial[2] and size == serial[3]
        assert hyp.equivalent(serial[0]) and hyp.n_states == serial[0].n_states


@settings(max_examples=20, deadline=None)
@given(
    kind=st.sampled_from(["dfa", "moore", "mealy"]),
    n=st.integers(1, 6),
    k=st.integers(1, 3),
    seed=st.integers(0, 10**6),
    words=st.lists(st.lists(st.integers(0, 2), max_size=6), max_size=12),
    workers=st.integers(1, 5),
)
def test_a_batch_answers_as_word_by_word_queries(kind, n, k, seed, words, workers):
    m = random_machine(kind, n, k, seed)
    words = [tuple(a % k for a in w) for w in words]
    factory = functools.partial(MachineSUL, m)
    one = Teacher(StepSystem(factory(), m.inputs, kind))
    with ParallelTeacher(factory, m.inputs, kind, workers=workers) as t:
        answers = t.query_many(words)
        assert [t.decode(w) for w in words] == [one.decode(w) for w in words]
        assert [[t.outputs[o] for o in a] for a in answers] == [
            one.output_word(one.decode(w)) for w in words
        ]
        # the cache holds every answer: asking again reaches no system
        before = t.stats.copy()
        assert t.query_many(words) == answers
        assert t.stats.mq == before.mq and t.stats.symbols == before.symbols
        # tests stop at their first difference, and the cuts are those of run_test
        expected = [[0] * (len(w) + (kind != "mealy")) for w in words]
        cuts = t.run_tests(words, expected)
        assert cuts == [one.run_test(w, e) for w, e in zip(words, expected, strict=True)]


def test_a_learned_machine_on_a_process_pool_and_a_given_executor():
    m = zoo.random_mealy(12, 3, 2, seed=4, minimal=True)
    factory = functools.partial(MachineSUL, m)
    oracle = functools.partial(WpMethodOracle, extra_states=1)
    with ParallelTeacher(factory, m.inputs, "mealy", workers=1, batch=16) as t:
        ref_hyp, ref = lsharp(t, oracle(), progress=False)
    # spawn, not fork: the suite has JAX's threads running, and fork could deadlock
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as ex:
        t = ParallelTeacher(factory, m.inputs, "mealy", workers=2, executor=ex, batch=16)
        hyp, stats = lsharp(t, oracle(), progress=False)
        t.close()  # leaves a given executor running
        assert ex.submit(int, "3").result() == 3
    assert hyp.equivalent(m) and ref_hyp.equivalent(m)
    assert _without_times(stats) == _without_times(ref)


def test_dask_executor_when_installed():
    distributed = pytest.importorskip("distributed")
    m = zoo.random_mealy(6, 2, 2, seed=1, minimal=True)
    factory = functools.partial(MachineSUL, m)
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2) as client:
        t = ParallelTeacher(factory, m.inputs, "mealy", executor=client.get_executor())
        hyp, _ = lsharp(t, WpMethodOracle(1), progress=False)
    assert hyp.equivalent(m)


def test_pool_errors_and_nondeterminism_are_reported_in_batch_order():
    with pytest.raises(LearningError, match="factory must be callable"):
        SystemPool(3, "ab", "mealy")
    with pytest.raises(LearningError, match="workers"):
        SystemPool(object, "ab", "mealy", workers=0)
    with pytest.raises(LearningError, match="batch"):
        Teacher(StepSystem(object(), "ab", "mealy"), batch=0)

    class NoFirst:
        def reset(self):  # noqa: ANN202
            return None

        def step(self, symbol):  # noqa: ANN001, ANN202
            return 1

    with ThreadPoolExecutor(2) as ex, pytest.raises(LearningError, match="reset"):
        SystemPool(NoFirst, "a", "moore", executor=ex).run_many([(0,)])

    class Flaky:  # a different answer every run
        n = 0

        def reset(self) -> None:
            Flaky.n += 1

        def step(self, symbol):  # noqa: ANN001, ANN202
            return Flaky.n

    with ParallelTeacher(Flaky, "a", "mealy", workers=2) as t:
        with pytest.raises(NondeterminismError, match="not deterministic"):
            t.query_many([(0,), (0, 0)])
