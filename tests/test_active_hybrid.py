"""The conformance-testing oracle (Hybrid-ADS style) and the defaults of
``learn_active_model``: L#, Hybrid-ADS, ``error="auto"``. The 28-model black-box table is
``benchmarks/bench_active.py --black-box``, not a test."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catauto.automata import zoo
from catauto.automata.learn.active import (
    HybridADSOracle,
    MachineTeacher,
    kv,
    learn_active_model,
    lsharp,
    lstar,
)
from catauto.automata.learn.active.oracle import _Suffixes
from catauto.errors import LearningError
from strategies_machines import random_machine
from test_active_errors import with_error_sink

plain = st.builds(
    random_machine,
    st.sampled_from(["dfa", "moore", "mealy"]),
    st.integers(1, 4),
    st.integers(1, 3),
    st.integers(0, 10**6),
)
with_sink = st.builds(
    with_error_sink,
    st.sampled_from(["mealy", "moore"]),
    st.integers(1, 3),
    st.integers(1, 3),
    st.integers(0, 10**6),
    st.sampled_from([0.3, 0.6]),
)


@settings(max_examples=6, deadline=None)
@given(
    target=st.one_of(plain, with_sink),
    learn=st.sampled_from([lstar, kv, lsharp]),
    error=st.sampled_from([None, "auto"]),
    seed=st.integers(0, 100),
)
def test_every_learner_is_exact_with_hybrid_ads_given_the_depth(target, learn, error, seed):
    # exhaustive infixes as deep as the target has states: a complete test suite
    oracle = HybridADSOracle(depth=target.n_states, n_tests=10**5, seed=seed)
    hyp, _ = learn(MachineTeacher(target, error=error), oracle, progress=False)
    assert hyp.equivalent(target)


@settings(max_examples=40, deadline=None)
@given(target=st.one_of(plain, with_sink))
def test_each_suffix_tells_its_state_apart_from_every_other(target):
    m = target.minimize()
    suffixes = _Suffixes(m)
    for q in range(m.n_states):
        words = suffixes.of(q)
        for r in range(m.n_states):
            if r != q:
                assert any(_outputs(m, q, w) != _outputs(m, r, w) for w in words), (q, r)


def _outputs(m, q: int, word) -> list:  # noqa: ANN001
    res = [int(m.output[q])] if m.kind != "mealy" else []
    for a in word:
        if m.kind == "mealy":
            res.append(int(m.output[q, a]))
        q = int(m.delta[q, a])
        if m.kind != "mealy":
            res.append(int(m.output[q]))
    return res


def test_hybrid_ads_is_bounded_seeded_and_checks_its_settings():
    target = zoo.random_mealy(30, 4, 2, seed=5, minimal=True)
    wrong = zoo.random_mealy(29, 4, 2, seed=6, minimal=True)
    hyp = wrong.with_tables(wrong.delta, wrong.output, wrong.initial)
    for n_tests, budget in ((50, None), (10**6, 400)):
        t = MachineTeacher(target)
        oracle = HybridADSOracle(depth=0, n_tests=n_tests, max_symbols=budget, seed=1)
        oracle.find_counterexample(_same_outputs(hyp, target), t)
        assert t.stats.tests + t.stats.tests_cached <= n_tests
        assert budget is None or t.stats.symbols_eq <= budget

    def run(seed: int):  # noqa: ANN202
        t = MachineTeacher(target)
        h, stats = lsharp(t, HybridADSOracle(n_tests=500, seed=seed), progress=False)
        return h, stats.tests, stats.symbols

    a, b = run(3), run(3)
    assert a[1:] == b[1:] and a[0].equivalent(b[0])
    for bad in ({"depth": -1}, {"n_tests": 1.5}, {"expected_length": "long"}):
        with pytest.raises(LearningError):
            HybridADSOracle(**bad)


def _same_outputs(m, like):  # noqa: ANN001, ANN202
    """``m`` over ``like``'s output alphabet (the oracle compares output indices)."""
    return m.with_tables(m.delta, m.output, m.initial)


def test_the_exhaustive_part_skips_what_follows_a_refusal():
    target = with_error_sink("mealy", 5, 3, seed=2, p=0.6)
    t = MachineTeacher(target, error="err")
    hyp, _ = lsharp(t, HybridADSOracle(depth=2, n_tests=3000), progress=False)
    assert hyp.equivalent(target)
    plain = MachineTeacher(target)
    lsharp(plain, HybridADSOracle(depth=2, n_tests=3000), progress=False)
    assert t.stats.symbols < plain.stats.symbols
    assert t.stats.tests < plain.stats.tests  # the rest the cache decided


def test_the_defaults_learn_a_black_box_and_report_each_round(capsys):
    target = with_error_sink("mealy", 8, 4, seed=11, p=0.5)
    r = learn_active_model(target, n_tests=3000)
    assert r.equivalent and r.machine.n_states == target.minimize().n_states
    err = capsys.readouterr().err
    for word in ("round", "states", "MQ", "tests", "symbols", "resets"):
        assert word in err
    # the default oracle and error-awareness are what learn_active_model uses
    import inspect

    sig = inspect.signature(learn_active_model)
    assert sig.parameters["oracle"].default == "hybrid-ads"
    assert sig.parameters["algorithm"].default == "lsharp"
    assert sig.parameters["error"].default == "auto"
    assert list(itertools.islice(iter(r.machine.inputs), 1)) == [target.inputs[0]]
