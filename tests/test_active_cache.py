"""The teacher's cache with an error output, against brute force: a random system in
which the error output is absorbing (everything after it is the error); the cache holds
some recorded runs, and every lookup must agree with the system or say it does not know."""

from __future__ import annotations

import re

import numpy as np
import pytest

from catauto.automata import Mealy, Moore
from catauto.automata.learn.active.cache import Cache
from catauto.automata.learn.active.system import MachineSystem
from catauto.automata.learn.active.tree import TreeConflict
from catauto.errors import NondeterminismError

ERR = 2  # output index of the error: outputs are 0, 1 and the error


def make_cache(moore: bool, k: int) -> Cache:
    if moore:
        machine = Moore([[0] * k], output=[0], inputs=range(k), outputs="xye")
    else:
        machine = Mealy([[0] * k], output=[[0] * k], inputs=range(k), outputs="xye")
    cache = Cache(MachineSystem(machine))
    cache.error = ERR
    return cache


def truth(rng: np.random.Generator, moore: bool, k: int):
    """A random system's output word function, the error absorbing (brute force)."""
    n = int(rng.integers(1, 5))
    delta = rng.integers(0, n, size=(n, k)).tolist()
    out = rng.integers(0, 3, size=(n, k)).tolist()
    state_out = [*rng.integers(0, 2, size=1).tolist(), *rng.integers(0, 3, size=n - 1).tolist()]

    def outputs(word) -> list[int]:
        q, res = 0, [state_out[0]] if moore else []
        dead = moore and res[0] == ERR
        for a in word:
            if dead:
                res.append(ERR)
                continue
            o = out[q][a] if not moore else state_out[delta[q][a]]
            q = delta[q][a]
            res.append(o)
            dead = o == ERR
        return res

    return outputs


def first_difference(moore: bool, true: list[int], expected: list[int]) -> int:
    """The length of the shortest prefix whose output differs, -1 if none (by definition)."""
    for j, (t, e) in enumerate(zip(true, expected)):
        if t != e:
            return j if moore else j + 1
    return -1


def error_prefix(moore: bool, true: list[int]) -> int | None:
    """The length of the shortest prefix that ends in the error, or None."""
    for j, o in enumerate(true):
        if o == ERR:
            return j if moore else j + 1
    return None


def words(rng: np.random.Generator, k: int, count: int, longest: int = 6):
    return [
        rng.integers(0, k, size=int(rng.integers(0, longest + 1))).tolist() for _ in range(count)
    ]


@pytest.mark.parametrize("moore", [False, True], ids=["mealy", "moore"])
def test_cache_lookups_agree_with_the_system_after_errors(moore: bool) -> None:
    rng = np.random.default_rng(5)
    decided_after_error = 0
    for _ in range(150):
        k = int(rng.integers(1, 4))
        outputs, cache = truth(rng, moore, k), make_cache(moore, k)
        for w in words(rng, k, int(rng.integers(0, 6))):
            cache.record(w, outputs(w))
        for w in words(rng, k, 20, longest=8):
            true = outputs(w)
            recorded = [p for p in range(len(w) + 1) if cache.tree.node(w[:p]) >= 0]
            stop = error_prefix(moore, true)
            known_error = (
                stop is not None
                and stop <= max(recorded)
                and (cache.tree.outputs(w[:stop]) is not None)
            )
            held = cache.tree.outputs(w) is not None
            present = cache.tree.node(w) >= 0
            # a test: the true outputs, perhaps changed at one position
            expected = list(true)
            if rng.random() < 0.7:
                j = int(rng.integers(0, len(expected))) if expected else 0
                if expected:
                    expected[j] = int(rng.integers(0, 3))
            verdict = cache.verdict(w, expected)
            if verdict is not None:
                assert verdict == first_difference(moore, true, expected), (w, true, expected)
            if known_error or held:
                assert verdict == first_difference(moore, true, expected), (w, true, expected)
                decided_after_error += known_error and not held
            # fill: the node of w when the tree holds it or a prefix ends in the error
            node = cache.fill(w)
            if known_error or present:
                assert node >= 0 and cache.tree.node(w) == node
            if known_error or held:
                assert cache.tree.outputs(w) == true and cache.outputs(w) == true
                assert cache.last(w) == (true[-1] if true else -1)
            elif not present:
                assert node == -1 and cache.tree.node(w) == -1
                assert cache.outputs(w) is None and cache.last(w) == -1
    assert decided_after_error > 20  # the interesting case was drawn


@pytest.mark.parametrize("moore", [False, True], ids=["mealy", "moore"])
def test_pad_and_error_cut(moore: bool) -> None:
    cache = make_cache(moore, 2)
    shift = int(moore)
    word = [0, 1, 0, 1]
    stopped = [0] * shift + [1, ERR]  # a run that stopped at the error
    assert cache.pad(word, stopped) == stopped + [ERR] * (len(word) + shift - len(stopped))
    assert cache.pad(word, [0] * shift + [1, 0]) == [0] * shift + [1, 0]
    expected = [0] * shift + [1, ERR, ERR, 0]
    assert cache.error_cut(expected, stopped) == 4  # the prefix of length 4 differs
    assert cache.error_cut(expected[:-1] + [ERR], stopped) == -1


@pytest.mark.parametrize("moore", [False, True], ids=["mealy", "moore"])
def test_a_conflict_names_the_position_of_the_first_wrong_output(moore: bool) -> None:
    """Changing one output of a recorded run is a conflict at that index of the output
    word, and the cache's message names the prefix that ends there."""
    rng = np.random.default_rng(6)
    for _ in range(60):
        k = int(rng.integers(1, 4))
        outputs, cache = truth(rng, moore, k), make_cache(moore, k)
        word = rng.integers(0, k, size=int(rng.integers(1, 7))).tolist()
        true = outputs(word)
        cache.record(word, true)
        j = int(rng.integers(0, len(true)))
        changed = list(true)
        changed[j] = (true[j] + 1) % 3
        with pytest.raises(TreeConflict) as info:
            cache.tree.insert(word, changed)
        assert (info.value.position, info.value.cached, info.value.observed) == (
            j,
            true[j],
            changed[j],
        )
        prefix = word[: j + (0 if moore else 1)]
        with pytest.raises(
            NondeterminismError, match=rf"its prefix {re.escape(repr(prefix))} ended"
        ):
            cache.record(word, changed)
