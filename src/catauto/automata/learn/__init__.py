"""Learning machines from traces (passive) and from queries (active).

Passive (``learn.passive``): the prefix tree, ``rpni`` and ``edsm``, Abbadingo-style
instances. Active (``learn.active``): teachers, equivalence oracles, ``lstar``, ``kv`` and
``lsharp``, and ``learn_active_model`` behind ``catauto learn-active``. The traces both
learn from live with the other formats, ``Sample`` and ``IOTraces`` in
:mod:`catauto.automata.traces`, their files in :mod:`catauto.automata.traceio`; they are
re-exported here, as are the errors.
"""

from catauto.automata.learn.active import (
    ORACLES,
    ActiveResult,
    FunctionTeacher,
    HybridADSOracle,
    MachineTeacher,
    Oracle,
    ParallelTeacher,
    PerfectOracle,
    RandomWalkOracle,
    RandomWOracle,
    RandomWordOracle,
    RandomWpOracle,
    Stats,
    SULTeacher,
    SystemPool,
    Teacher,
    TestSuiteOracle,
    WMethodOracle,
    WpMethodOracle,
    kv,
    learn_active_model,
    lsharp,
    lstar,
    make_oracle,
)
from catauto.automata.learn.passive import (
    AbbadingoInstance,
    PrefixTree,
    abbadingo_instance,
    edsm,
    prefix_tree,
    rpni,
)
from catauto.automata.traceio import (
    read_abbadingo,
    read_csv,
    read_jsonl,
    read_stamina,
    write_abbadingo,
)
from catauto.automata.traces import IOTraces, Sample
from catauto.errors import (
    ContradictionError,
    LearningError,
    NondeterminismError,
    StateBoundError,
)

__all__ = [
    "AbbadingoInstance",
    "ActiveResult",
    "ContradictionError",
    "FunctionTeacher",
    "HybridADSOracle",
    "IOTraces",
    "LearningError",
    "MachineTeacher",
    "NondeterminismError",
    "ORACLES",
    "Oracle",
    "ParallelTeacher",
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
    "SystemPool",
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
