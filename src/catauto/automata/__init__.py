"""Symbolic machines: DFA, Moore and Mealy as integer-indexed coalgebras (numpy only).

Submodules: ``io`` (DOT, JSON, trace files), ``draw`` (graphviz), ``zoo`` (Tomita and
random machines), ``learn`` (passive and active learning), ``ops`` (the machine algebra
behind the methods of each machine).
"""

from catauto.automata import draw, io, learn, ops, zoo
from catauto.automata.machine import DFA, Machine, MachineError, Mealy, Moore

__all__ = ["DFA", "Machine", "MachineError", "Mealy", "Moore", "draw", "io", "learn", "ops", "zoo"]
