"""catauto.testing's assertions compare by symbol: the same machine with its alphabets in
another order passes, a machine with one output changed fails naming a word on which the
two differ, in symbols; and its hypothesis settings carry no deadline."""

import ast
import re

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from catauto.automata import DFA, MachineError, Mealy, Moore, learn
from catauto.neural import compile_machine
from catauto.para import Para
from catauto.testing import (
    all_words,
    assert_equivalent,
    assert_same_semantics,
    dfas,
    mealys,
    moores,
    register_profile,
    settings,
)

INPUTS = ("a", "b", "c")
MAX_STATES = 4
SIZE = MAX_STATES + 1  # room for a partial machine's "undefined" state: one compilation


def any_machine(partial: bool | None = None):
    partials = st.booleans() if partial is None else st.just(partial)
    return partials.flatmap(
        lambda p: st.one_of(
            dfas(MAX_STATES, INPUTS, partial=p),
            moores(MAX_STATES, INPUTS, partial=p),
            mealys(MAX_STATES, INPUTS, partial=p),
        )
    )


@st.composite
def reordered(draw, m):
    """The same machine with its states, inputs and outputs numbered in another order."""
    n, k = m.delta.shape
    states = np.array(draw(st.permutations(range(n))))  # old state -> new state
    cols = np.array(draw(st.permutations(range(k))))  # new column -> old column
    delta = np.full_like(m.delta, -1)
    delta[states] = np.where(m.delta < 0, -1, states[np.maximum(m.delta, 0)])[:, cols]
    inputs = tuple(m.inputs[c] for c in cols)
    if m.kind == "dfa":
        accepting = np.zeros(n, bool)
        accepting[states] = m.output.astype(bool)
        return DFA(delta, accepting, states[m.initial], inputs)
    order = draw(st.permutations(range(m.n_outputs)))  # new output index -> old
    new_index = np.argsort(order)  # old output index -> new
    outputs = tuple(m.outputs[o] for o in order)
    output = np.full_like(m.output, -1)
    if m.kind == "moore":
        output[states] = new_index[m.output]
        return Moore(delta, output, states[m.initial], inputs, outputs)
    output[states] = np.where(m.output < 0, -1, new_index[np.maximum(m.output, 0)])[:, cols]
    return Mealy(delta, output, states[m.initial], inputs, outputs)


def with_one_output_changed(m, data):
    """``m`` (complete, reachable) with one output of one state or transition changed."""
    q = data.draw(st.integers(0, m.n_states - 1))
    output = np.array(m.output)
    if m.kind == "dfa":
        output[q] = 1 - output[q]
        return DFA(m.delta, output.astype(bool), m.initial, m.inputs)
    where = (q,) if m.kind == "moore" else (q, data.draw(st.integers(0, m.n_inputs - 1)))
    output[where] = (output[where] + data.draw(st.integers(1, m.n_outputs - 1))) % m.n_outputs
    return type(m)(m.delta, output, m.initial, m.inputs, m.outputs)


def outputs_differ(m1, m2, word) -> bool:
    if m1.kind == "dfa":
        return m1.accepts(word) != m2.accepts(word)
    return m1.transduce(word)[-1] != m2.transduce(word)[-1]


# -- properties ----------------------------------------------------------------------------


@given(data=st.data())
def test_a_machine_is_equivalent_to_itself_in_any_alphabet_order(data):
    m = data.draw(any_machine())
    other = data.draw(reordered(m))
    assert_equivalent(m, other)
    assert_equivalent(other, m)


@pytest.mark.parametrize("partial", [False, True], ids=["complete", "partial"])
@settings(max_examples=10)  # catauto.testing.settings: no deadline, JAX compiles at first
@given(data=st.data())
def test_a_compiled_machine_means_itself_in_any_alphabet_order(partial, data):
    m = data.draw(any_machine(partial))
    other = data.draw(reordered(m))
    para, weights = compile_machine(m, size=SIZE)
    assert_same_semantics(other, para, weights, max_len=4, model_alphabets=m)


@given(data=st.data())
def test_one_changed_output_fails_with_a_shortest_word_they_differ_on(data):
    m = data.draw(any_machine(partial=False)).reachable()
    assume(m.kind == "dfa" or m.n_outputs > 1)
    changed = with_one_output_changed(m, data)
    other = data.draw(reordered(changed))
    with pytest.raises(AssertionError, match="shortest counterexample") as failure:
        assert_equivalent(m, other)
    word = ast.literal_eval(re.search(r"counterexample is (\(.*?\)) \(", str(failure.value))[1])
    assert outputs_differ(m, other, word)
    assert len(word) == len(m.counterexample(changed))
    assert str(failure.value).splitlines()[-1].endswith("<- differ")


@settings(max_examples=10)
@given(data=st.data())
def test_a_compiled_machine_is_told_apart_from_a_changed_one(data):
    m = data.draw(any_machine(partial=False)).reachable()
    assume(m.kind == "dfa" or m.n_outputs > 1)
    changed = data.draw(reordered(with_one_output_changed(m, data)))
    para, weights = compile_machine(m, size=SIZE)
    with pytest.raises(AssertionError, match="semantics differ") as failure:
        assert_same_semantics(changed, para, weights, max_len=4, model_alphabets=m)
    word = ast.literal_eval(re.search(r"first (\(.*?\)): neural", str(failure.value))[1])
    assert outputs_differ(m, changed, word)


# -- the same machine built twice: from a dict and from its traces --------------------------

SPEC = Mealy.from_dict(  # inputs and outputs in order of appearance
    {
        "out": {"user": ("ok", "named"), "pass": ("err", "out")},
        "named": {"user": ("err", "named"), "pass": ("ok", "in")},
        "in": {"user": ("err", "in"), "pass": ("err", "in")},
    },
    initial="out",
)


def learned_from_traces():
    words = all_words(SPEC.inputs, 4)
    machine = learn.rpni(learn.IOTraces(words, [SPEC.transduce(w) for w in words]), progress=False)
    assert machine.inputs == ("pass", "user") and machine.outputs == ("err", "ok")  # sorted
    assert SPEC.inputs == ("user", "pass") and SPEC.outputs == ("ok", "err")
    return machine


def test_a_dict_built_and_a_learned_machine_mean_the_same():
    learned = learned_from_traces()
    assert_equivalent(SPEC, learned)
    para, weights = compile_machine(SPEC)
    assert_same_semantics(learned, para, weights, model_alphabets=SPEC)
    assert_same_semantics(SPEC, para, weights)  # the model's own alphabets: the default
    para, weights = compile_machine(learned)
    assert_same_semantics(SPEC, para, weights, model_alphabets=learned)


def test_a_compiled_para_carries_its_alphabets_and_the_check_reads_them():
    para, weights = compile_machine(SPEC)
    assert isinstance(para, Para) and (para.inputs, para.outputs) == (SPEC.inputs, SPEC.outputs)
    learned = learned_from_traces()  # the same machine, its alphabets in another order
    assert_same_semantics(learned, para, weights)  # no model_alphabets needed
    locked = Mealy.from_dict(
        {"out": {"user": ("ok", "named"), "pass": ("err", "out")},
         "named": {"user": ("err", "named"), "pass": ("err", "named")}},
        initial="out",
    )  # fmt: skip
    with pytest.raises(AssertionError) as failure:  # read by symbol, and no hint: it knows
        assert_same_semantics(locked, para, weights, max_len=2)
    assert str(failure.value) == (
        "neural and symbolic semantics differ on 1 of 7 words; first ('user', 'pass'):"
        " neural ['ok', 'ok'], symbolic ['ok', 'err']"
    )
    # an explicit model_alphabets still wins; a composite is a plain Para without them
    assert_same_semantics(learned, para, weights, model_alphabets=SPEC)
    assert not hasattr(para >> Para.identity(), "inputs")


def test_read_in_the_wrong_alphabet_order_the_failure_says_how_it_read_the_model():
    compiled, weights = compile_machine(SPEC)
    para = Para(compiled.init, compiled.apply)  # a model that does not carry its alphabets
    with pytest.raises(AssertionError) as failure:
        assert_same_semantics(learned_from_traces(), para, weights, max_len=2)
    assert str(failure.value) == (
        "neural and symbolic semantics differ on 4 of 7 words; first ('pass', 'pass'):"
        " neural ['err', 'ok'], symbolic ['err', 'err']\n"
        "(the model's indices were read as the machine's alphabets, inputs ('pass', 'user')"
        " and outputs ('err', 'ok'); if it was compiled from another machine, pass"
        " model_alphabets=that machine)"
    )


def test_a_different_machine_fails_with_a_message_in_symbols():
    learned = learned_from_traces()
    locked = Mealy.from_dict(  # never lets the user in
        {"out": {"user": ("ok", "named"), "pass": ("err", "out")},
         "named": {"user": ("err", "named"), "pass": ("err", "named")}},
        initial="out",
    )  # fmt: skip
    para, weights = compile_machine(locked)
    with pytest.raises(AssertionError) as failure:
        assert_same_semantics(learned, para, weights, max_len=3, model_alphabets=locked)
    assert str(failure.value) == (
        "neural and symbolic semantics differ on 5 of 15 words; first ('user', 'pass'):"
        " neural ['ok', 'err'], symbolic ['ok', 'ok']"
    )
    with pytest.raises(AssertionError) as failure:
        assert_equivalent(learned, locked, names=("learned", "locked"))
    assert str(failure.value) == "\n".join(
        [
            "the machines differ; a shortest counterexample is ('user', 'pass') (2 inputs),"
            " with both machines' outputs along it:",
            "  step  input   learned  locked",
            "  1     'user'  'ok'     'ok'",
            "  2     'pass'  'ok'     'err'   <- differ",
        ]
    )


# -- messages -------------------------------------------------------------------------------


def test_different_input_alphabets_are_said_plainly():
    other = Mealy([[0, 0, 0]], [[0, 0, 0]], 0, ("user", "pass", "quit"), ("ok",))
    with pytest.raises(AssertionError) as failure:
        assert_equivalent(SPEC, other)
    assert str(failure.value) == (
        "the machines are not equivalent: their input alphabets differ: only b has ['quit']"
    )
    para, weights = compile_machine(other)
    with pytest.raises(AssertionError, match=r"cannot mean the same: their input alphabets"
                       r" differ: only the model has \['quit'\]"):  # fmt: skip
        assert_same_semantics(SPEC, para, weights, model_alphabets=other)


def test_output_alphabets_may_differ_and_the_failure_says_so():
    spare = Mealy(SPEC.delta, SPEC.output, 0, SPEC.inputs, (*SPEC.outputs, "unused"))
    assert_equivalent(SPEC, spare)
    other = Mealy([[0, 0]], [[0, 0]], 0, ("user", "pass"), ("denied",))
    with pytest.raises(AssertionError) as failure:
        assert_equivalent(SPEC, other)
    assert str(failure.value).splitlines()[-1] == (
        "(their output alphabets differ: only a has ['ok', 'err'], only b has ['denied'])"
    )


def test_machines_of_kinds_that_cannot_be_compared_are_an_error():
    with pytest.raises(MachineError, match="cannot compare"):
        assert_equivalent(SPEC, DFA([[0, 0]], [True], 0, ("user", "pass")))


def test_a_dfa_counterexample_shows_acceptance_from_the_empty_prefix():
    a = DFA([[1, 0], [0, 1]], [True, False], 0, "ab")
    b = DFA([[0, 0]], [True], 0, "ba")
    with pytest.raises(AssertionError) as failure:
        assert_equivalent(a, b)
    assert str(failure.value) == "\n".join(
        [
            "the machines differ; a shortest counterexample is ('a',) (1 inputs), with both"
            " machines' whether accepted along it:",
            "  step  input  a      b",
            "  0     -      True   True",
            "  1     'a'    False  True  <- differ",
        ]
    )


def test_an_undefined_step_is_shown_as_undefined():
    a = Moore([[1], [-1]], [0, 1], 0, "a", ("x", "y"))
    b = Moore([[1], [1]], [0, 1], 0, "a", ("x", "y"))
    with pytest.raises(AssertionError) as failure:
        assert_equivalent(a, b)
    assert str(failure.value).splitlines()[-1] == "  2     'a'    undefined  'y'  <- differ"
    para, weights = compile_machine(a)
    with pytest.raises(AssertionError, match=r"neural \['x', 'y', undefined\], symbolic"):
        assert_same_semantics(b, para, weights, max_len=2)


def test_a_long_counterexample_is_shortened_in_the_middle():
    def cycle(n):
        return DFA([[(q + 1) % n] for q in range(n)], [q == 0 for q in range(n)], 0, "a")

    with pytest.raises(AssertionError) as failure:
        assert_equivalent(cycle(40), cycle(41))
    lines = str(failure.value).splitlines()
    assert "(40 inputs)" in lines[0]
    assert len(lines) == 28 and lines[7] == "  ... 15 steps with equal outputs ..."
    assert lines[-1] == "  40    'a'    True   False  <- differ"


def test_model_outputs_outside_its_alphabet_are_named():
    class Confused:
        def apply(self, params, batch):
            return np.full(np.shape(batch[0]), 5)

    with pytest.raises(AssertionError, match=r"on \('user',\) the neural model outputs index 5"):
        assert_same_semantics(SPEC, Confused(), None, words=[("user",)])


def test_scores_need_a_decode():
    para, weights = compile_machine(SPEC, scores=True)
    with pytest.raises(AssertionError, match="pass decode="):
        assert_same_semantics(SPEC, para, weights, max_len=2)
    assert_same_semantics(SPEC, para, weights, max_len=2, decode=lambda y: np.argmax(y, -1))


# -- settings --------------------------------------------------------------------------------


def test_the_settings_have_no_deadline():
    assert settings().deadline is None
    assert settings(max_examples=3).max_examples == 3
    from hypothesis import settings as hypothesis_settings

    name = register_profile("catauto-test-profile", max_examples=7)
    profile = hypothesis_settings.get_profile(name)
    assert profile.deadline is None and profile.max_examples == 7
