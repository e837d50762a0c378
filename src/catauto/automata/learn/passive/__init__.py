"""Passive learning: a machine consistent with given traces, no questions asked.

``apta`` builds the prefix tree of the traces, ``_merge`` merges its states (with undo),
``state_merging`` drives the merges (RPNI, EDSM and EDSM's search), and ``abbadingo``
generates Abbadingo-style instances to learn from.
"""

from catauto.automata.learn.passive.abbadingo import AbbadingoInstance, abbadingo_instance
from catauto.automata.learn.passive.apta import PrefixTree, prefix_tree
from catauto.automata.learn.passive.state_merging import edsm, rpni

__all__ = ["AbbadingoInstance", "PrefixTree", "abbadingo_instance", "edsm", "prefix_tree", "rpni"]
