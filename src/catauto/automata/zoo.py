"""A zoo of machines: the Tomita grammars and seeded random DFA, Moore and Mealy machines.

>>> t4 = tomita(4)                       # no "000"
>>> t4.accepts("1001"), t4.accepts("10001")
(True, False)
>>> m = random_dfa(20, "ab", seed=0, minimal=True)
>>> m.n_states, m.minimize().n_states
(20, 20)
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from catauto.automata.machine import DFA, MachineError, Mealy, Moore

# Tables over inputs ("0", "1"): row q is [successor on "0", successor on "1"]; minimal
# and numbered canonically (breadth-first), so tomita(k).minimize() == tomita(k).
_TOMITA: dict[int, tuple[list[list[int]], list[bool], str]] = {
    1: ([[1, 0], [1, 1]], [True, False], "1*"),
    2: ([[1, 2], [1, 1], [0, 1]], [True, False, False], "(10)*"),
    # Runs: 0 = no odd run of 1s yet, 1 = inside an odd run of 1s (none before),
    # 2 = odd run of 0s after an odd run of 1s, 3 = even run of 0s or any 1s after one.
    3: (
        [[0, 1], [2, 0], [3, 4], [2, 3], [4, 4]],
        [True, True, False, True, False],
        "no odd run of 1s followed, later, by an odd run of 0s",
    ),
    4: ([[1, 0], [2, 0], [3, 0], [3, 3]], [True, True, True, False], 'no "000"'),
    5: ([[1, 2], [0, 3], [3, 0], [2, 1]], [True, False, False, False], "even #0 and even #1"),
    6: ([[1, 2], [2, 0], [0, 1]], [True, False, False], "#0 - #1 = 0 mod 3"),
    7: (
        [[0, 1], [2, 1], [2, 3], [4, 3], [4, 4]],
        [True, True, True, True, False],
        "0*1*0*1*",
    ),
}


def tomita(k: int) -> DFA:
    """The minimal complete DFA of Tomita grammar ``k`` (1..7) over inputs ``("0", "1")``.

    Definitions of Weiss, Goldberg & Yahav (2018): T1 ``1*``; T2 ``(10)*``; T3 the words
    with no odd-length run of 1s followed (anywhere later) by an odd-length run of 0s;
    T4 no ``000``; T5 an even number of 0s and of 1s; T6 ``#0 - #1`` divisible by 3;
    T7 ``0*1*0*1*``.

    >>> [tomita(k).n_states for k in range(1, 8)]
    [2, 3, 5, 4, 4, 3, 5]
    >>> tomita(3).accepts("1100"), tomita(3).accepts("10"), tomita(3).accepts("110100")
    (True, False, True)
    """
    if k not in _TOMITA:
        raise MachineError(f"Tomita grammars are numbered 1..7, got {k!r}")
    delta, accepting, _ = _TOMITA[k]
    return DFA(delta, accepting, 0, ("0", "1"))


def _alphabet(symbols: int | Sequence[Hashable], what: str) -> tuple:
    if isinstance(symbols, int | np.integer):
        if symbols < 0:
            raise MachineError(f"the number of {what} symbols must be >= 0, got {symbols}")
        return tuple(range(int(symbols)))
    return tuple(symbols)


def _outputs(outputs: int | Sequence[Hashable], n: int, minimal: bool, what: str) -> tuple:
    """The output alphabet of a random machine, refused when no such machine exists."""
    outs = _alphabet(outputs, "output")
    if not outs:
        raise MachineError(f"a {what} needs at least one output symbol")
    if minimal and len(outs) == 1 and n > 1:
        raise MachineError(f"a minimal {what} with one output has one state, not {n}")
    return outs


def _spanning_delta(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    """A random complete table in which every state is reachable from state 0.

    State ``i > 0`` is first entered through a random free transition of a state
    ``< i`` (a random spanning tree); all other transitions are uniform.
    """
    delta = rng.integers(0, n, size=(n, k), dtype=np.int64).astype(np.int32)
    free = list(range(k))  # free transition slots q * k + a of the states so far
    picks = rng.random(n)
    for i in range(1, n):
        j = int(picks[i] * len(free))
        slot = free[j]
        free[j] = free[-1]
        free.pop()
        delta[slot // k, slot % k] = i
        free.extend(range(i * k, (i + 1) * k))
    return delta


def _random(
    make: Any, n: int, k: int, seed: Any, minimal: bool, what: str, tries: int = 1000
) -> Any:
    if not isinstance(n, int | np.integer) or n < 1:
        raise MachineError(f"a machine needs n >= 1 states, got {n!r}")
    rng = np.random.default_rng(seed)
    if not minimal:
        return make(rng, rng.integers(0, n, size=(n, k), dtype=np.int64).astype(np.int32))
    if k == 0 and n > 1:
        raise MachineError(f"a minimal {what} without inputs has one state, not {n}")
    for _ in range(tries):
        m = make(rng, _spanning_delta(rng, n, k))
        if m.minimize().n_states == n:
            return m
    raise MachineError(f"found no minimal {what} with {n} states in {tries} tries")


def random_dfa(
    n: int,
    inputs: int | Sequence[Hashable],
    seed: Any = None,
    minimal: bool = False,
    p_accept: float = 0.5,
) -> DFA:
    """A random complete DFA: uniform transitions, each state accepting with ``p_accept``.

    ``inputs``: an alphabet, or a number ``k`` for ``range(k)``. ``seed`` seeds
    ``numpy.random.default_rng``. With ``minimal=True`` the result is minimal with
    exactly ``n`` states, all reachable (tables are redrawn until they are).

    >>> random_dfa(5, 2, seed=1) == random_dfa(5, 2, seed=1)
    True
    """
    ins = _alphabet(inputs, "input")

    def make(rng: np.random.Generator, delta: np.ndarray) -> DFA:
        return DFA(delta, rng.random(n) < p_accept, 0, ins)

    return _random(make, n, len(ins), seed, minimal, "DFA")


def random_moore(
    n: int,
    inputs: int | Sequence[Hashable],
    outputs: int | Sequence[Hashable],
    seed: Any = None,
    minimal: bool = False,
) -> Moore:
    """A random complete Moore machine: uniform transitions and outputs (see ``random_dfa``).

    >>> m = random_moore(6, "ab", "xyz", seed=0, minimal=True)
    >>> m.n_states, m.outputs
    (6, ('x', 'y', 'z'))
    """
    ins, outs = _alphabet(inputs, "input"), _outputs(outputs, n, minimal, "Moore machine")

    def make(rng: np.random.Generator, delta: np.ndarray) -> Moore:
        return Moore(delta, rng.integers(0, len(outs), size=n), 0, ins, outs)

    return _random(make, n, len(ins), seed, minimal, "Moore machine")


def random_mealy(
    n: int,
    inputs: int | Sequence[Hashable],
    outputs: int | Sequence[Hashable],
    seed: Any = None,
    minimal: bool = False,
) -> Mealy:
    """A random complete Mealy machine: uniform transitions and transition outputs.

    >>> m = random_mealy(6, 2, 2, seed=0, minimal=True)
    >>> m.n_states, m.minimize().n_states
    (6, 6)
    """
    ins, outs = _alphabet(inputs, "input"), _outputs(outputs, n, minimal, "Mealy machine")

    def make(rng: np.random.Generator, delta: np.ndarray) -> Mealy:
        output = rng.integers(0, len(outs), size=delta.shape)
        return Mealy(delta, output, 0, ins, outs)

    return _random(make, n, len(ins), seed, minimal, "Mealy machine")


def chain_dfa(n: int, inputs: int | Sequence[Hashable] = 2) -> DFA:
    """Every input moves one step along a line of ``n`` states; only the last accepts.

    The worst case of round-by-round refinement: telling the states apart takes ``n``
    rounds. (The last state loops.)

    >>> m = chain_dfa(4)
    >>> [m.accepts([0] * i) for i in range(5)], m.minimize().n_states
    ([False, False, False, True, True], 4)
    """
    ins = _alphabet(inputs, "input")
    if n < 1:
        raise MachineError(f"a chain needs n >= 1 states, got {n}")
    step = np.minimum(np.arange(1, n + 1), n - 1)
    accepting = np.arange(n) == n - 1
    return DFA(np.repeat(step[:, None], len(ins), axis=1), accepting, 0, ins)


__all__ = ["tomita", "random_dfa", "random_moore", "random_mealy", "chain_dfa"]
