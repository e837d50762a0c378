"""Symbolic machines against AALpy 2.0 and automata-lib, measured in the same run.

Run: ``.venv/bin/python benchmarks/bench_machines.py`` (needs ``pip install -e '.[bench]'``).
Each line prints catauto's time, the reference's time and their ratio (best of a few
repeats); absolute targets are checked where the issue gives them.
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

from catauto.automata import DFA, zoo


def best(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """The fastest of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def duel(
    ours: Callable[[], Any], ref: Callable[[], Any], repeat: int = 5
) -> tuple[float, Any, float, Any]:
    """Best times of both, runs interleaved so that a busy machine hurts both alike."""
    t_ours, t_ref, r_ours, r_ref = [], [], None, None
    for _ in range(repeat):
        t_o, r_ours = best(ours, 1)
        t_r, r_ref = best(ref, 1)
        t_ours.append(t_o)
        t_ref.append(t_r)
    return min(t_ours), r_ours, min(t_ref), r_ref


def line(task: str, ours: float, ref_name: str, ref: float, extra: str = "") -> None:
    print(
        f"{task}: catauto {ours:.3g} s, {ref_name} {ref:.3g} s, ratio {ref / ours:.1f}x{extra}",
        flush=True,
    )


def to_aalpy(m: DFA) -> Any:
    """The same DFA built through AALpy's public API."""
    from aalpy.automata import Dfa, DfaState

    states = [DfaState(f"s{q}", bool(m.accepting[q])) for q in range(m.n_states)]
    for q, row in enumerate(m.delta.tolist()):
        for a, t in zip(m.inputs, row):
            states[q].transitions[a] = states[t]
    return Dfa(states[m.initial], states)


def aalpy_accepts(automaton: Any, words: list[list[Any]]) -> list[bool]:
    """AALpy's way of running many words: reset, then ``execute_sequence``, per word."""
    out = []
    for w in words:
        automaton.reset_to_initial()
        out.append(automaton.execute_sequence(automaton.initial_state, w)[-1])
    return out


def to_automata_lib(m: DFA) -> Any:
    """The same DFA built through automata-lib's public API (states are ints)."""
    from automata.fa.dfa import DFA as AutomataDFA

    return AutomataDFA(
        states=set(range(m.n_states)),
        input_symbols=set(m.inputs),
        transitions={q: dict(zip(m.inputs, row)) for q, row in enumerate(m.delta.tolist())},
        initial_state=m.initial,
        final_states={int(q) for q in np.flatnonzero(m.accepting)},
    )


def bench_acceptance() -> None:
    m = zoo.random_dfa(1000, "ab", seed=0)
    rng = np.random.default_rng(1)
    W = rng.integers(0, 2, size=(10_000, 50)).astype(np.int32)
    lists = [[m.inputs[i] for i in row] for row in W.tolist()]
    strings = ["".join(w) for w in lists]
    aalpy = to_aalpy(m)

    def aalpy_run() -> list[bool]:
        return aalpy_accepts(aalpy, lists)

    lib = to_automata_lib(m)
    ours_array, verdict, t_aalpy, theirs = duel(lambda: m.accepts_batch(W), aalpy_run)
    ours_array2, _, t_lib, theirs_lib = duel(
        lambda: m.accepts_batch(W), lambda: [lib.accepts_input(s) for s in strings], 3
    )
    ours_lists, verdict_lists, t_aalpy2, _ = duel(lambda: m.accepts_batch(lists), aalpy_run)
    assert verdict.tolist() == theirs == theirs_lib == verdict_lists.tolist()
    task = "accept 10000 words of length 50 on a 1000-state DFA"
    line(f"{task} (encoded int array)", ours_array, "AALpy execute_sequence", t_aalpy)
    line(f"{task} (encoded int array)", ours_array2, "automata-lib accepts_input", t_lib)
    line(f"{task} (Python lists)", ours_lists, "AALpy execute_sequence", t_aalpy2)

    # Symbols that are not single characters take the general (dict lookup) path.
    named = DFA(m.delta, m.accepting, m.initial, ("go", "stop"))
    named_lists = [[named.inputs[i] for i in row] for row in W.tolist()]
    aalpy_named = to_aalpy(named)
    ours_named, verdict_named, t_named, theirs_named = duel(
        lambda: named.accepts_batch(named_lists), lambda: aalpy_accepts(aalpy_named, named_lists)
    )
    assert verdict_named.tolist() == theirs_named == theirs
    line(f"{task} (Python lists, multi-letter symbols)", ours_named, "AALpy", t_named)


def bench_minimize_20k() -> None:
    m = zoo.random_dfa(20_000, "ab", seed=2)
    lib = to_automata_lib(m)
    ours, small, t_lib, lib_small = duel(m.minimize, lib.minify, 2)
    assert small.n_states == len(lib_small.states), (small.n_states, len(lib_small.states))
    line(
        "minimize 20000-state DFA",
        ours,
        "automata-lib minify",
        t_lib,
        f" (both {small.n_states} states)",
    )


def bench_equivalence_20k() -> None:
    m = zoo.random_dfa(20_000, "ab", seed=3)
    rng = np.random.default_rng(4)
    perm = rng.permutation(m.n_states)  # a renamed copy: equivalent, so all is checked
    inv = np.argsort(perm)
    other = DFA(perm[m.delta[inv]], m.accepting[inv], int(perm[m.initial]), m.inputs)
    a, b = to_automata_lib(m), to_automata_lib(other)
    ours, same, t_lib, lib_same = duel(lambda: m.equivalent(other), lambda: a == b)
    assert same and lib_same
    line("equivalence of two 20000-state DFAs", ours, "automata-lib ==", t_lib)


def bench_large() -> None:
    big = zoo.random_dfa(1_000_000, "ab", seed=5)
    t_big, small = best(big.minimize, 2)
    tracemalloc.start()
    big.minimize()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB on Linux
    ok = "ok" if t_big < 5 and peak < 3 * 2**30 else "MISSED"
    print(
        f"minimize 1000000-state random DFA: catauto {t_big:.3g} s, peak traced memory"
        f" {peak / 2**30:.2f} GiB (process max RSS {rss:.2f} GiB),"
        f" {small.n_states} states (target < 5 s, < 3 GB: {ok})",
        flush=True,
    )
    chain = zoo.chain_dfa(100_000, "ab")
    t_chain, small = best(chain.minimize, 2)
    ok = "ok" if t_chain < 10 and small.n_states == 100_000 else "MISSED"
    print(
        f"minimize 100000-state chain DFA (100000 rounds of Moore refinement):"
        f" catauto {t_chain:.3g} s, {small.n_states} states (target < 10 s: {ok})",
        flush=True,
    )


def main() -> None:
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}", flush=True)
    bench_acceptance()
    bench_minimize_20k()
    bench_equivalence_20k()
    bench_large()


if __name__ == "__main__":
    main()
