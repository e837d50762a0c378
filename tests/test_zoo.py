"""The zoo: Tomita grammars against direct predicates, seeded random machines."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from catauto import CatautoError
from catauto.automata import DFA, Mealy, Moore, zoo


def _tomita3(w: str) -> bool:
    """No maximal odd run of 1s followed, anywhere later, by a maximal odd run of 0s."""
    runs = [(m.group()[0], len(m.group())) for m in re.finditer(r"0+|1+", w)]
    seen_odd_ones = False
    for symbol, length in runs:
        if symbol == "0" and length % 2 and seen_odd_ones:
            return False
        if symbol == "1" and length % 2:
            seen_odd_ones = True
    return True


PREDICATES = {
    1: lambda w: re.fullmatch("1*", w) is not None,
    2: lambda w: re.fullmatch("(10)*", w) is not None,
    3: _tomita3,
    4: lambda w: "000" not in w,
    5: lambda w: w.count("0") % 2 == 0 and w.count("1") % 2 == 0,
    6: lambda w: (w.count("0") - w.count("1")) % 3 == 0,
    7: lambda w: re.fullmatch("0*1*0*1*", w) is not None,
}

# Weiss, Goldberg & Yahav's own test for T3 (the complement of this regular expression).
_NOT_T3 = re.compile("((0|1)*0)*1(11)*(0(0|1)*1)*0(00)*(1(0|1)*)*$")

ALL_WORDS = ["".join(w) for n in range(13) for w in itertools.product("01", repeat=n)]


@pytest.mark.parametrize("k", range(1, 8))
def test_tomita_against_predicates_on_all_words_up_to_12(k: int) -> None:
    m = zoo.tomita(k)
    assert m.inputs == ("0", "1") and m.is_complete
    got = m.accepts_batch(ALL_WORDS).tolist()
    assert got == [PREDICATES[k](w) for w in ALL_WORDS]
    assert m.minimize() == m  # stored minimal and canonically numbered


def test_tomita3_predicate_is_the_wgy_definition() -> None:
    assert [_tomita3(w) for w in ALL_WORDS] == [_NOT_T3.match(w) is None for w in ALL_WORDS]


def test_tomita_numbering() -> None:
    with pytest.raises(CatautoError, match="numbered 1..7"):
        zoo.tomita(8)


@given(st.integers(1, 30), st.integers(1, 3), st.integers(0, 2**32 - 1))
def test_random_dfa_is_seeded(n: int, k: int, seed: int) -> None:
    a = zoo.random_dfa(n, k, seed=seed)
    assert a == zoo.random_dfa(n, k, seed=seed) and a.n_states == n and a.inputs == tuple(range(k))
    assert a.is_complete


@given(st.integers(1, 25), st.integers(1, 3), st.integers(0, 2**32 - 1))
def test_minimal_random_machines_are_minimal_and_reachable(n: int, k: int, seed: int) -> None:
    for m in [
        zoo.random_dfa(n, k, seed=seed, minimal=True),
        zoo.random_moore(n, k, "xyz", seed=seed, minimal=True),
        zoo.random_mealy(n, k, 2, seed=seed, minimal=True),
    ]:
        assert m.n_states == n and len(m.reachable().delta) == n
        assert m.minimize().n_states == n


def test_random_machines_kinds_and_alphabets() -> None:
    moore = zoo.random_moore(10, "ab", ["lo", "hi"], seed=3)
    mealy = zoo.random_mealy(10, ["go", "stop"], 4, seed=3)
    assert isinstance(moore, Moore) and moore.outputs == ("lo", "hi")
    assert isinstance(mealy, Mealy) and mealy.outputs == (0, 1, 2, 3)
    assert mealy.inputs == ("go", "stop") and mealy.is_complete
    # accepting fraction follows p_accept
    dfa = zoo.random_dfa(2000, 2, seed=0, p_accept=0.25)
    assert isinstance(dfa, DFA) and 0.2 < dfa.accepting.mean() < 0.3


def test_impossible_minimal_machines_are_refused() -> None:
    with pytest.raises(CatautoError, match="one output has one state"):
        zoo.random_moore(3, 2, ["only"], seed=0, minimal=True)
    with pytest.raises(CatautoError, match="without inputs has one state"):
        zoo.random_dfa(3, 0, seed=0, minimal=True)
    with pytest.raises(CatautoError, match="Mealy machine without inputs has one state"):
        zoo.random_mealy(3, 0, 2, seed=0, minimal=True)
    with pytest.raises(CatautoError, match="Mealy machine with one output has one state"):
        zoo.random_mealy(3, 2, 1, seed=0, minimal=True)
    with pytest.raises(CatautoError, match="needs at least one output symbol"):
        zoo.random_moore(3, 2, [], seed=0)
    with pytest.raises(CatautoError, match="n >= 1"):
        zoo.random_dfa(0, 2)


def test_chain() -> None:
    m = zoo.chain_dfa(50, "ab")
    assert m.minimize().n_states == 50
    assert np.flatnonzero(m.accepting).tolist() == [49]
