"""RPNI and EDSM: consistency with every trace, identification from characteristic
samples, the Tomita grammars, bounds, kinds and the real data."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catauto import CatautoError
from catauto.automata import DFA, Mealy, Moore, zoo
from catauto.automata.covers import state_cover
from catauto.automata.learn.passive._merge import Edsm, Hypothesis
from catauto.automata.learn.passive.abbadingo import abbadingo_instance
from catauto.automata.learn.passive.apta import distinct_prefixes, prefix_tree
from catauto.automata.learn.passive.state_merging import edsm, rpni
from catauto.automata.traceio import read_abbadingo
from catauto.automata.traces import IOTraces, Sample
from catauto.errors import ContradictionError, StateBoundError

DATA = Path(__file__).resolve().parents[2] / "shared" / "automata_data"
LEARNERS = [
    pytest.param(rpni, id="rpni"),
    pytest.param(edsm, id="edsm"),
    pytest.param(lambda data, **kw: edsm(data, search=1, **kw), id="edsm-search"),
]
kinds = st.sampled_from(["dfa", "moore", "mealy"])


def _target(kind: str, n: int, k: int, seed: int, minimal: bool = False):
    inputs = "abc"[:k]
    if kind == "dfa":
        return zoo.random_dfa(n, inputs, seed=seed, minimal=minimal)
    if kind == "moore":
        return zoo.random_moore(n, inputs, "xyz", seed=seed, minimal=minimal)
    return zoo.random_mealy(n, inputs, "xy", seed=seed, minimal=minimal)


def _data(target, words: list[tuple]):
    """Traces of ``target`` on ``words``: labels (DFA, Moore) or output words (Mealy)."""
    if isinstance(target, Mealy):
        return IOTraces(words, [target.transduce(w) for w in words], target.inputs)
    if isinstance(target, DFA):
        return Sample(words, [target.accepts(w) for w in words], target.inputs)
    return Sample(words, [target.transduce(w)[-1] for w in words], target.inputs)


def _random_words(rng: np.random.Generator, alphabet: str, count: int, max_len: int) -> list:
    return [tuple(rng.choice(list(alphabet), rng.integers(0, max_len + 1))) for _ in range(count)]


# -- consistency ---------------------------------------------------------------------------
@pytest.mark.parametrize("learn", LEARNERS)
@settings(max_examples=30)
@given(kinds, st.integers(1, 6), st.integers(1, 3), st.integers(0, 2**31), st.integers(1, 60))
def test_learned_machine_agrees_with_every_trace(learn, kind, n, k, seed, count):
    target = _target(kind, n, k, seed)
    rng = np.random.default_rng(seed)
    words = _random_words(rng, "abc"[:k], count, 8)
    if kind == "mealy":
        words = [w for w in words if w] or [("a",)]
    data = _data(target, words)
    m = learn(data, progress=False)
    assert data.accuracy(m) == 1.0
    assert m.kind == kind
    assert m.minimize() == m  # minimal, canonically numbered
    if kind == "dfa":
        assert m.is_complete


@settings(max_examples=40)
@given(kinds, st.integers(1, 6), st.integers(1, 3), st.integers(0, 2**31), st.integers(1, 60))
def test_distinct_prefixes_reach_distinct_states_of_every_consistent_machine(
    kind, n, k, seed, count
):
    """The prefixes the data tells apart pairwise reach pairwise different states of
    the target and of every learned machine, so their number bounds the states."""
    target = _target(kind, n, k, seed)
    words = _random_words(np.random.default_rng(seed), "abc"[:k], count, 8)
    if kind == "mealy":
        words = [w for w in words if w] or [("a",)]
    data = _data(target, words)
    tree = prefix_tree(data)
    chosen = distinct_prefixes(tree)
    access = {0: ()}
    for node in range(1, tree.n_nodes):  # shortlex: a parent comes before its children
        access[node] = access[int(tree.parent[node])] + (tree.inputs[tree.symbol[node]],)
    for machine in (target, rpni(data, progress=False), edsm(data, progress=False)):
        reached = {machine.run(access[node]) for node in chosen}
        assert len(reached) == len(chosen)
    assert len(chosen) <= rpni(data, progress=False).n_states


@settings(max_examples=20)
@given(st.integers(1, 6), st.integers(0, 2**31), st.integers(5, 60))
def test_search_is_never_larger_than_plain_edsm(n, seed, count):
    target = _target("dfa", n, 2, seed)
    words = _random_words(np.random.default_rng(seed), "ab", count, 8)
    data = _data(target, words)
    plain = edsm(data, progress=False)
    for beam in (1, 3):
        searched = edsm(data, search=2, beam=beam, window=4, progress=False)
        assert data.accuracy(searched) == 1.0
        assert searched.n_states <= plain.n_states


def test_a_capped_run_fails_when_the_state_is_already_past_the_cap():
    # the search compares finished trials by their red states: one already at the
    # current best size must not count as an improvement
    words = ["", "a", "b", "aa", "ab", "ba", "bb", "aab", "abb", "bab"]
    tree = prefix_tree(Sample(words, [w.count("a") % 2 == 0 for w in words]), None)
    state = Edsm(Hypothesis(tree))
    assert state.run()
    size = len(state.hyp.red)
    assert state.copy().run(size) and not state.copy().run(size - 1)


@settings(max_examples=20)
@given(kinds, st.integers(1, 6), st.integers(0, 2**31), st.integers(5, 60))
def test_a_run_guided_by_its_own_curve_is_never_dropped(kind, n, seed, count):
    target = _target(kind, n, 2, seed)
    data = _data(target, _random_words(np.random.default_rng(seed), "ab", count, 8))
    tree = prefix_tree(data, None)
    alone = Edsm(Hypothesis(tree))
    assert alone.run()
    assert len(alone.curve) == len(alone.hyp.red) - 1  # one entry per promotion
    assert Edsm(Hypothesis(tree)).run(guide=alone.curve, slack=0)
    # a guide that never promotes allows the root only, plus the slack
    size = len(alone.hyp.red)
    assert Edsm(Hypothesis(tree)).run(guide=[], slack=size - 1)
    assert Edsm(Hypothesis(tree)).run(guide=[], slack=size - 2) == (size == 1)


# -- identification from a characteristic sample -------------------------------------------
def characteristic_words(m) -> list[tuple]:
    """The kernel (access words and their one-letter extensions) times every suffix up
    to length ``n``: all states reached, every pair of states told apart."""
    access = [tuple(m.inputs[a] for a in w) for w in state_cover(m)]
    kernel = set(access) | {(*u, a) for u in access for a in m.inputs}
    suffixes = [w for L in range(m.n_states + 1) for w in itertools.product(m.inputs, repeat=L)]
    words = {(*u, *w) for u in kernel for w in suffixes}
    return sorted(words, key=lambda w: (len(w), w))


@settings(max_examples=40)
@given(kinds, st.integers(1, 4), st.integers(1, 2), st.integers(0, 2**31))
def test_rpni_identifies_the_target_from_a_characteristic_sample(kind, n, k, seed):
    target = _target(kind, n, k, seed, minimal=True)
    words = characteristic_words(target)
    if kind == "mealy":
        words = [w for w in words if w]
    m = rpni(_data(target, words), progress=False)
    assert m.equivalent(target)
    assert m.n_states == target.n_states


@settings(max_examples=20)
@given(st.integers(1, 4), st.integers(0, 2**31))
def test_characteristic_sample_inside_more_data_still_identifies(n, seed):
    target = _target("dfa", n, 2, seed, minimal=True)
    extra = _random_words(np.random.default_rng(seed), "ab", 50, 10)
    m = rpni(_data(target, characteristic_words(target) + extra), progress=False)
    assert m.equivalent(target) and m.n_states == target.n_states


# -- Tomita ---------------------------------------------------------------------------------
def _tomita_sample(k: int, count: int, seed: int) -> Sample:
    rng = np.random.default_rng(seed)
    words = ["".join(rng.choice(["0", "1"], rng.integers(0, 21))) for _ in range(count)]
    target = zoo.tomita(k)
    return Sample(words, [target.accepts(w) for w in words], inputs=("0", "1"))


@pytest.mark.parametrize("k", [1, 3, 5, 7])
def test_tomita_exact_from_2000_words(k):
    data = _tomita_sample(k, 2000, seed=k)
    for learn in (rpni, edsm):
        assert learn(data, progress=False).equivalent(zoo.tomita(k))


@pytest.mark.parametrize("k", range(1, 8))
def test_edsm_tomita_exact_from_200_words(k):
    assert edsm(_tomita_sample(k, 200, seed=100 + k), progress=False).equivalent(zoo.tomita(k))


# -- options and errors ---------------------------------------------------------------------
@pytest.mark.parametrize("learn", [rpni, edsm])
def test_contradictions_are_reported(learn):
    with pytest.raises(ContradictionError, match="trace #0.*trace #2"):
        learn(Sample(["ab", "b", "ab"], [True, False, False]), progress=False)
    with pytest.raises(ContradictionError):
        learn(IOTraces(["ab", "aa"], ["xy", "yx"]), progress=False)


@pytest.mark.parametrize("learn", [rpni, edsm])
def test_state_bound(learn):
    data = _tomita_sample(3, 500, seed=0)
    assert learn(data, max_states=5, progress=False).equivalent(zoo.tomita(3))
    with pytest.raises(StateBoundError, match="max_states=2"):
        learn(data, max_states=2, progress=False)
    with pytest.raises(StateBoundError):
        edsm(data, max_states=2, search=1, progress=False)


@pytest.mark.parametrize("learn", LEARNERS)
def test_state_bound_counts_the_rejecting_sink(learn):
    # two red states ("" and "a"); "b" and every "a·x" go to the sink, a third state
    data = Sample(["", "a", "b"], [False, True, False])
    with pytest.raises(StateBoundError, match="max_states=2"):
        learn(data, max_states=2, progress=False)
    assert learn(data, max_states=3, progress=False).n_states == 3
    # here minimising merges the sink with the rejecting red state "a": two states fit
    assert learn(Sample(["", "a"], [True, False]), max_states=2, progress=False).n_states == 2


@pytest.mark.parametrize("learn", LEARNERS)
@pytest.mark.parametrize("bound", [0, -1, 2.5, "3", True])
def test_max_states_must_be_a_positive_int(learn, bound):
    with pytest.raises(
        CatautoError, match=f"max_states must be an integer >= 1, got {bound!r}"
    ) as e:
        learn(Sample([], []), max_states=bound, progress=False)
    assert not isinstance(e.value, StateBoundError)


def test_kind_override():
    words = ["", "a", "aa", "b"]
    dfa_data = Sample(words, [True, False, True, False])
    as_moore = edsm(dfa_data, kind="moore", progress=False)
    assert isinstance(as_moore, Moore) and not isinstance(as_moore, DFA)
    assert dfa_data.accuracy(as_moore) == 1.0
    traces = IOTraces(["ab", "ba"], ["xy", "yy"])
    moore = rpni(traces, kind="moore", progress=False)
    assert moore.kind == "moore" and traces.accuracy(moore) == 1.0
    with pytest.raises(Exception, match="cannot learn a mealy machine"):
        rpni(dfa_data, kind="mealy", progress=False)


def test_undetermined_choices_are_documented_ones():
    # "b" is never seen after "a": the DFA sends it to a rejecting sink; Moore/Mealy leave it
    dfa = rpni(Sample(["", "a", "aa", "b"], [True, False, True, False]), progress=False)
    assert dfa.is_complete and not dfa.accepts("ab")
    mealy = rpni(IOTraces(["aa", "b"], ["xy", "x"]), progress=False)
    assert not mealy.is_complete


@pytest.mark.parametrize("learn", [rpni, edsm])
def test_empty_data_gives_the_trivial_machine(learn):
    assert learn(Sample([], []), progress=False).n_states == 1
    assert learn(Sample([""], [True]), progress=False).accepts(())
    assert learn(IOTraces([], []), progress=False).n_states == 1
    assert learn(IOTraces(["ab", ""], ["xy", ""]), progress=False).transduce("ab") == ["x", "y"]


def test_unlabelled_words_are_ignored():
    s = Sample(["", "a", "aa", "aaa"], [True, False, None, None])
    assert rpni(s, progress=False).n_states == 2


def test_progress_line_only_when_enabled(capsys):
    data = _tomita_sample(4, 300, seed=1)
    edsm(data, progress=False)
    assert capsys.readouterr().err == ""
    # a run that has lasted more than a second reports, throttled, on one line
    from catauto.automata.learn.passive._merge import Hypothesis
    from catauto.automata.learn.passive.apta import prefix_tree
    from catauto.automata.learn.passive.state_merging import _Progress

    report = _Progress("edsm", True)
    report.start -= 5.0
    report.last -= 5.0
    hyp = Hypothesis(prefix_tree(data))
    report(hyp)
    report(hyp)  # within 0.5 s of the last line: nothing
    report.done(4)
    err = capsys.readouterr().err
    assert err.count("edsm: 1 states") == 1 and "edsm: 4 states in" in err
    quiet = _Progress("edsm", False)
    quiet.start -= 5.0
    quiet(hyp)
    quiet.done(4)
    assert capsys.readouterr().err == ""


def test_abbadingo_instance_protocol():
    inst = abbadingo_instance(16, 300, seed=3)
    assert inst.depth == 2 * 4 - 2
    train, test = set(inst.train.words()), set(inst.test.words())
    assert len(train) == 300 and len(test) == 1800 and not train & test
    assert max(map(len, train | test)) <= 2 * 4 + 3
    m = edsm(inst.train, search=1, progress=False)
    assert inst.train.accuracy(m) == 1.0


def test_a_wider_beam_finds_the_target_where_steepest_descent_stalls():
    # a sparse instance: greedy EDSM ends at 34 states, steepest descent at 32; the
    # beam follows improvements that are not the largest at first, down to the target
    inst = abbadingo_instance(16, 200, seed=1)
    size = inst.target.minimize().n_states
    plain = edsm(inst.train, progress=False)
    descent = edsm(inst.train, search=2, progress=False)
    wide = edsm(inst.train, search=2, beam=3, progress=False)
    assert plain.n_states > descent.n_states > size
    assert wide.n_states == size and inst.test.accuracy(wide) >= 0.99


# -- real data ------------------------------------------------------------------------------
def test_problem_a_learned_from_80_percent():
    path = DATA / "abbadingo" / "problem_A_train.a"
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    train, test = read_abbadingo(path).split(0.8, seed=0)
    m = edsm(train, progress=False)
    assert train.accuracy(m) == 1.0 and test.accuracy(m) > 0.95


def _mealy_model(*parts: str):
    path = DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    from catauto.automata import io

    return io.read_dot(path)


def test_rpni_learns_the_mqtt_broker_from_random_traces():
    model = _mealy_model("automata_wiki", "MQTT", "mosquitto__two_client.dot")
    rng = np.random.default_rng(0)
    words = [
        tuple(model.inputs[i] for i in rng.integers(0, model.n_inputs, rng.integers(1, 31)))
        for _ in range(5000)
    ]
    data = IOTraces(words, [model.transduce(w) for w in words], model.inputs)
    for learn in (rpni, edsm):
        m = learn(data, progress=False)
        assert data.accuracy(m) == 1.0
        assert m.equivalent(model.minimize())
