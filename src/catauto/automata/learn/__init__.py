"""Learning machines from traces (passive) and from queries (active).

Passive: ``Sample`` / ``IOTraces`` (read from Abbadingo, StaMinA, CSV, JSON Lines), the
prefix tree, ``rpni`` and ``edsm``. Active: teachers, equivalence oracles, ``lstar``,
``kv`` and ``lsharp``, and ``learn_active_model`` behind ``catauto learn-active``.
"""

from catauto.automata.learn.abbadingo import AbbadingoInstance, abbadingo_instance
from catauto.automata.learn.active import ORACLES, ActiveResult, learn_active_model, make_oracle
from catauto.automata.learn.apta import PrefixTree, prefix_tree
from catauto.automata.learn.kv import kv
from catauto.automata.learn.lsharp import lsharp
from catauto.automata.learn.lstar import lstar
from catauto.automata.learn.oracle import (
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
from catauto.automata.learn.passive import StateBoundError, edsm, rpni
from catauto.automata.learn.sample import (
    ContradictionError,
    IOTraces,
    Sample,
    read_abbadingo,
    read_csv,
    read_jsonl,
    read_stamina,
    write_abbadingo,
)
from catauto.automata.learn.teacher import (
    FunctionTeacher,
    LearningError,
    MachineTeacher,
    NondeterminismError,
    Stats,
    SULTeacher,
    Teacher,
)

__all__ = [
    "AbbadingoInstance",
    "ActiveResult",
    "ContradictionError",
    "FunctionTeacher",
    "IOTraces",
    "LearningError",
    "MachineTeacher",
    "NondeterminismError",
    "ORACLES",
    "Oracle",
    "PerfectOracle",
    "PrefixTree",
    "RandomWOracle",
    "RandomWalkOracle",
    "RandomWordOracle",
    "RandomWpOracle",
    "SULTeacher",
    "Sample",
    "StateBoundError",
    "Stats",
    "Teacher",
    "TestSuiteOracle",
    "WMethodOracle",
    "WpMethodOracle",
    "abbadingo_instance",
    "edsm",
    "kv",
    "learn_active_model",
    "lsharp",
    "lstar",
    "make_oracle",
    "prefix_tree",
    "read_abbadingo",
    "read_csv",
    "read_jsonl",
    "read_stamina",
    "rpni",
    "write_abbadingo",
]
