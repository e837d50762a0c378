"""Symbolic machines: DFA, Moore and Mealy as integer-indexed coalgebras (numpy only)."""

from catauto.automata.machine import DFA, Machine, MachineError, Mealy, Moore

__all__ = ["DFA", "Machine", "MachineError", "Mealy", "Moore"]
