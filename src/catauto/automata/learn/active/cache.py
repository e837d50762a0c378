"""The cache in front of a system: an observation tree of every answer so far.

A cached answer never reaches the system, and the cache never changes an answer: an
observation that contradicts an earlier one is a :class:`NondeterminismError` that names
both (and leaves the tree as it was).

>>> from catauto.automata import Mealy
>>> from catauto.automata.learn.active.system import MachineSystem
>>> cache = Cache(MachineSystem(Mealy([[0]], output=[[0]], inputs="a", outputs="xy")))
>>> cache.record([0, 0], [0, 0]), cache.outputs([0]), cache.verdict([0, 0], [0, 1])
(2, [0], 2)
"""

from __future__ import annotations

from collections.abc import Sequence

from catauto.automata.learn.active.system import System
from catauto.automata.learn.active.tree import ObservationTree, TreeConflict
from catauto.errors import NondeterminismError

__all__ = ["Cache"]


class Cache:
    """The observation tree (``tree``) of the answers of ``system``."""

    def __init__(self, system: System) -> None:
        self.system = system
        self.tree = ObservationTree(len(system.inputs), moore=system.moore)

    def outputs(self, word: Sequence[int]) -> list[int] | None:
        """The output word of ``word``, or None unless every output is known."""
        return self.tree.outputs(word)

    def last(self, word: Sequence[int]) -> int:
        """The output at the end of ``word``, or -1 if unknown."""
        n = self.tree.node(word)
        return self.tree.out[n] if n >= 0 else -1

    def verdict(self, word: Sequence[int], expected: Sequence[int]) -> int | None:
        """A test decided by the cache alone: the length of the shortest prefix of
        ``word`` whose output differs from ``expected`` (-1: none does), or None when
        the cache does not know enough."""
        tree = self.tree
        succ, out, k = tree.succ, tree.out, tree.k
        moore = tree.moore
        if moore and 0 <= out[0] != expected[0]:
            return 0
        shift = 1 if moore else 0
        n = 0
        known = out[0] >= 0 or not moore
        for i, a in enumerate(word):
            n = succ[n * k + a]
            if n < 0:
                return None
            o = out[n]
            if o < 0:
                known = False
            elif o != expected[i + shift]:
                return i + 1
        return -1 if known else None

    def record(self, word: Sequence[int], outputs: Sequence[int]) -> int:
        """Record the output word of ``word`` (-1 entries: unknown); return its node."""
        try:
            return self.tree.insert(word, outputs)
        except TreeConflict as c:
            raise self._conflict(word, outputs, c) from None

    def record_last(self, word: Sequence[int], output: int) -> int:
        """Record only the output at the end of ``word``; return its node."""
        try:
            return self.tree.insert_last(word, output)
        except TreeConflict as c:
            unknown = [-1] * (len(word) + self.tree.moore - 1)
            raise self._conflict(word, [*unknown, output], c) from None

    def _conflict(
        self, word: Sequence[int], outputs: Sequence[int], c: TreeConflict
    ) -> NondeterminismError:
        system = self.system
        end = c.position + (0 if system.moore else 1)
        seen = [system.outputs[o] if o >= 0 else "?" for o in outputs]
        return NondeterminismError(
            f"the system is not deterministic: the word {system.decode(word)!r} gave outputs"
            f" {seen!r}, but earlier its prefix {system.decode(word[:end])!r} ended with output"
            f" {system.outputs[c.cached]!r}, now {system.outputs[c.observed]!r}"
        )
