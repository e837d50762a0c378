"""Learning machines from traces (passive) and from queries (active).

Re-exports are appended here by the modules of this package.
"""

# -- active learning (teacher.py, tree.py, oracle.py, lstar.py, kv.py, lsharp.py, active.py) --
from catauto.automata.learn.active import ORACLES as ORACLES  # noqa: E402
from catauto.automata.learn.active import ActiveResult as ActiveResult  # noqa: E402
from catauto.automata.learn.active import learn_active_model as learn_active_model  # noqa: E402
from catauto.automata.learn.active import make_oracle as make_oracle  # noqa: E402
from catauto.automata.learn.kv import kv as kv  # noqa: E402
from catauto.automata.learn.lsharp import lsharp as lsharp  # noqa: E402
from catauto.automata.learn.lstar import lstar as lstar  # noqa: E402
from catauto.automata.learn.oracle import Oracle as Oracle  # noqa: E402
from catauto.automata.learn.oracle import PerfectOracle as PerfectOracle  # noqa: E402
from catauto.automata.learn.oracle import RandomWalkOracle as RandomWalkOracle  # noqa: E402
from catauto.automata.learn.oracle import RandomWOracle as RandomWOracle  # noqa: E402
from catauto.automata.learn.oracle import RandomWordOracle as RandomWordOracle  # noqa: E402
from catauto.automata.learn.oracle import RandomWpOracle as RandomWpOracle  # noqa: E402
from catauto.automata.learn.oracle import TestSuiteOracle as TestSuiteOracle  # noqa: E402
from catauto.automata.learn.oracle import WMethodOracle as WMethodOracle  # noqa: E402
from catauto.automata.learn.oracle import WpMethodOracle as WpMethodOracle  # noqa: E402
from catauto.automata.learn.teacher import FunctionTeacher as FunctionTeacher  # noqa: E402
from catauto.automata.learn.teacher import LearningError as LearningError  # noqa: E402
from catauto.automata.learn.teacher import MachineTeacher as MachineTeacher  # noqa: E402
from catauto.automata.learn.teacher import NondeterminismError as NondeterminismError  # noqa: E402
from catauto.automata.learn.teacher import Stats as Stats  # noqa: E402
from catauto.automata.learn.teacher import SULTeacher as SULTeacher  # noqa: E402
from catauto.automata.learn.teacher import Teacher as Teacher  # noqa: E402

# -- passive learning (sample.py, apta.py, passive.py, abbadingo.py) --
from catauto.automata.learn.sample import (  # noqa: E402
    ContradictionError,
    IOTraces,
    Sample,
    read_abbadingo,
    read_csv,
    read_jsonl,
    read_stamina,
    write_abbadingo,
)
from catauto.automata.learn.apta import PrefixTree, prefix_tree  # noqa: E402
from catauto.automata.learn.passive import StateBoundError, edsm, rpni  # noqa: E402
from catauto.automata.learn.abbadingo import AbbadingoInstance, abbadingo_instance  # noqa: E402
