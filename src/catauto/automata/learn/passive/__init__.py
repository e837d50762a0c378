"""Passive learning: a machine consistent with given traces, no questions asked.

``apta`` builds the prefix tree of the traces, ``_merge`` merges its states (with undo),
``state_merging`` drives the merges (RPNI, EDSM and EDSM's search), and ``abbadingo``
generates Abbadingo-style instances to learn from; ``sat.smallest`` finds the smallest
consistent machine with a SAT solver.
"""

from catauto.automata.learn.passive.abbadingo import AbbadingoInstance, abbadingo_instance
from catauto.automata.learn.passive.apta import PrefixTree, prefix_tree
from catauto.automata.learn.passive.sat import SatStep, SmallestResult, smallest
from catauto.automata.learn.passive.state_merging import edsm, rpni

__all__ = [
    "AbbadingoInstance",
    "PrefixTree",
    "SatStep",
    "SmallestResult",
    "abbadingo_instance",
    "edsm",
    "prefix_tree",
    "rpni",
    "smallest",
]
