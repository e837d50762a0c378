"""Learn a model file as a black box: the entry point behind ``catauto learn-active``.

The model is only used as the system under learning (through a ``MachineTeacher``) and,
for the perfect oracle, as the reference; the result says whether the learner got it.

>>> from catauto.automata import zoo
>>> r = learn_active_model(zoo.tomita(6), "kv", "wp", progress=False)
>>> r.equivalent, r.machine.n_states, r.counterexample
(True, 3, None)
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from catauto.automata.io import read as read_machine
from catauto.automata.learn.active.counter import Stats
from catauto.automata.learn.active.kv import kv
from catauto.automata.learn.active.lsharp import lsharp
from catauto.automata.learn.active.lstar import lstar
from catauto.automata.learn.active.oracle import (
    HybridADSOracle,
    Oracle,
    PerfectOracle,
    RandomWalkOracle,
    RandomWOracle,
    RandomWordOracle,
    RandomWpOracle,
    WMethodOracle,
    WpMethodOracle,
)
from catauto.automata.learn.active.system import partial_machine
from catauto.automata.learn.active.teacher import MachineTeacher
from catauto.automata.machine import Machine
from catauto.errors import LearningError

__all__ = ["ALGORITHMS", "ORACLES", "ActiveResult", "learn_active_model", "make_oracle"]

ALGORITHMS: dict[str, Callable[..., tuple[Machine, Stats]]] = {
    "lstar": lstar,
    "kv": kv,
    "lsharp": lsharp,
}
ORACLES = (
    "hybrid-ads",
    "perfect",
    "random-wp",
    "random-w",
    "random-words",
    "random-walk",
    "w",
    "wp",
)


def make_oracle(
    name: str,
    target: Machine | None = None,
    seed: int | None = 0,
    *,
    n_tests: int | None = None,
    min_length: int = 1,
    expected_length: int = 10,
    depth: int = 2,
    max_symbols: int | None = 5_000_000,
    extra_states: int = 1,
    walks_per_state: int = 25,
    walk_len: int = 12,
    n_steps: int = 5000,
    reset_prob: float = 0.09,
    min_word: int = 10,
    max_word: int = 30,
) -> Oracle:
    """An equivalence oracle by name (see ``ORACLES``) with its settings.

    ``n_tests`` serves hybrid-ads (default 100,000 per query), random-wp and
    random-words (default 10,000); ``depth``, ``max_symbols`` and ``expected_length``
    serve hybrid-ads (:class:`~.oracle.HybridADSOracle`); ``perfect`` needs ``target``.
    """
    if name == "hybrid-ads":
        return HybridADSOracle(
            depth,
            100_000 if n_tests is None else n_tests,
            max_symbols,
            expected_length,
            seed=seed,
        )
    n_tests = 10000 if n_tests is None else n_tests
    if name == "perfect":
        if target is None:
            raise LearningError("the perfect oracle needs the target machine")
        return PerfectOracle(target)
    if name == "random-wp":
        return RandomWpOracle(min_length, expected_length, n_tests, seed=seed)
    if name == "random-w":
        return RandomWOracle(walks_per_state, walk_len, seed=seed)
    if name == "random-words":
        return RandomWordOracle(n_tests, min_word, max_word, seed=seed)
    if name == "random-walk":
        return RandomWalkOracle(n_steps, reset_prob, seed=seed)
    if name == "w":
        return WMethodOracle(extra_states)
    if name == "wp":
        return WpMethodOracle(extra_states)
    raise LearningError(f"unknown oracle {name!r}; choose one of {', '.join(ORACLES)}")


@dataclass
class ActiveResult:
    """What ``learn_active_model`` found: the hypothesis, its cost, and whether it is right."""

    machine: Machine
    stats: Stats
    target: Machine
    equivalent: bool
    counterexample: tuple | None  # a shortest word telling them apart, as input symbols

    def summary(self) -> str:
        verdict = (
            "equivalent to the model"
            if self.equivalent
            else f"NOT equivalent to the model (counterexample {list(self.counterexample or ())})"
        )
        return f"learned {self.stats}; {verdict}"


def learn_active_model(
    model: Machine | str | os.PathLike,
    algorithm: str = "lsharp",
    oracle: str = "hybrid-ads",
    seed: int | None = 0,
    *,
    progress: bool = True,
    max_rounds: int | None = None,
    keep_tests: bool = True,
    error: Any = "auto",
    enabled: bool = False,
    **oracle_settings: Any,
) -> ActiveResult:
    """Learn ``model`` (a machine, or a model file read by ``catauto.automata.io.read``).

    The defaults are those that learn every model of the project's benchmark set
    exactly as a black box (``benchmarks/bench_active.py --black-box``): L#, the
    Hybrid-ADS conformance tester and ``error="auto"``.

    ``algorithm``: ``lstar``, ``kv`` or ``lsharp``; ``oracle``: one of ``ORACLES`` with
    ``oracle_settings`` as for :func:`make_oracle`; ``keep_tests`` as for a
    :class:`~catauto.automata.learn.active.teacher.Teacher`. Progress goes to stderr, one line per
    round. ``error``: the error output (an output after which the system only outputs
    it), ``"auto"`` (default) to find it, or None (see :class:`~.teacher.Teacher`). A
    partial model refuses its undefined inputs with the output ``"refused"`` (the error
    unless ``error`` names another; a DFA rejects them), and the learned machine is read back
    as a partial machine (:func:`~.system.partial_machine`) before it is compared.
    ``enabled=True``: the enabled-inputs variant (:mod:`~.enabled`; Mealy and Moore):
    the teacher also learns which inputs each state enables (the refusal is the error,
    ``error`` is not used), and the result is read back by ``EnabledSystem.partial``.
    """
    if algorithm not in ALGORITHMS:
        raise LearningError(
            f"unknown algorithm {algorithm!r}; choose one of {', '.join(ALGORITHMS)}"
        )
    if not isinstance(model, Machine):
        model = read_machine(model)
    known = set(inspect.signature(make_oracle).parameters) - {"name", "target", "seed"}
    unknown = sorted(set(oracle_settings) - known)
    if unknown:
        raise LearningError(
            f"unknown oracle settings {unknown}; the settings are {', '.join(sorted(known))}"
        )
    if enabled:
        teacher = MachineTeacher(model, keep_tests=keep_tests, enabled=True)
        system = teacher.system  # an EnabledSystem
        orc = make_oracle(oracle, system.paired(model), seed, **oracle_settings)  # type: ignore[attr-defined]
    else:
        orc = make_oracle(oracle, model, seed, **oracle_settings)
        if not model.is_complete and model.kind != "dfa" and error == "auto":
            error = None  # the refusal is the error
        teacher = MachineTeacher(model, keep_tests=keep_tests, error=error)
    hyp, stats = ALGORITHMS[algorithm](teacher, orc, progress=progress, max_rounds=max_rounds)
    if enabled:
        hyp = system.partial(hyp)  # type: ignore[attr-defined]
    elif not model.is_complete:  # read back as a partial machine, as the model is
        hyp = partial_machine(hyp, teacher.system.refusal)
    cex = hyp.counterexample(model)
    return ActiveResult(hyp, stats, model, cex is None, cex)
