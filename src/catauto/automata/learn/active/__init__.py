"""Active learning: a machine learned by asking a teacher.

A teacher (``teacher``) is a system adapter (``system``; or ``pool``, instances of a
system that run a batch of independent queries concurrently) behind a cache (``cache``,
on the observation tree of ``tree``) and a counter (``counter``); equivalence oracles
(``oracle``) test hypotheses through it; the learners (``lstar``, ``kv``, ``lsharp``)
share the run bookkeeping of ``common``; ``driver`` is the one call behind
``catauto learn-active``.
"""

from catauto.automata.learn.active.counter import Stats
from catauto.automata.learn.active.driver import (
    ORACLES,
    ActiveResult,
    learn_active_model,
    make_oracle,
)
from catauto.automata.learn.active.enabled import EnabledSystem
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
    TestSuiteOracle,
    WMethodOracle,
    WpMethodOracle,
)
from catauto.automata.learn.active.pool import SystemPool
from catauto.automata.learn.active.teacher import (
    FunctionTeacher,
    MachineTeacher,
    ParallelTeacher,
    SULTeacher,
    Teacher,
)

__all__ = [
    "ORACLES",
    "ActiveResult",
    "EnabledSystem",
    "FunctionTeacher",
    "HybridADSOracle",
    "MachineTeacher",
    "Oracle",
    "ParallelTeacher",
    "PerfectOracle",
    "RandomWOracle",
    "RandomWalkOracle",
    "RandomWordOracle",
    "RandomWpOracle",
    "SULTeacher",
    "Stats",
    "SystemPool",
    "Teacher",
    "TestSuiteOracle",
    "WMethodOracle",
    "WpMethodOracle",
    "kv",
    "learn_active_model",
    "lsharp",
    "lstar",
    "make_oracle",
]
