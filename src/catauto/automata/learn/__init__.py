"""Learning machines from traces (passive) and from queries (active).

Re-exports are appended here by the modules of this package.
"""

# -- active learning (teacher.py, oracle.py, lstar.py, kv.py, lsharp.py, active.py) --
from catauto.automata.learn.teacher import (  # noqa: E402
    FunctionTeacher,
    LearningError,
    MachineTeacher,
    NondeterminismError,
    Stats,
    SULTeacher,
    Teacher,
)
from catauto.automata.learn.oracle import (  # noqa: E402
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
from catauto.automata.learn.lstar import lstar  # noqa: E402
from catauto.automata.learn.kv import kv  # noqa: E402
from catauto.automata.learn.lsharp import lsharp  # noqa: E402
