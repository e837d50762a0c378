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

from collections.abc import Callable, Sequence

from catauto.automata.learn.active.system import System
from catauto.automata.learn.active.tree import ObservationTree, TreeConflict
from catauto.errors import NondeterminismError

__all__ = ["Cache"]


class Cache:
    """The observation tree (``tree``) of the answers of ``system``.

    ``error`` (an output index, -1: none) is an output after which the system only
    outputs ``error`` (the refusal of an error-aware teacher): what follows a node whose
    output is ``error`` is known without asking, and the cache fills it in. ``enabled``
    (None, or a function from a node's output to the inputs enabled after it, see
    :mod:`~.enabled`): an input that is not is refused (``error``), known without asking.
    """

    def __init__(self, system: System) -> None:
        self.system = system
        self.tree = ObservationTree(len(system.inputs), moore=system.moore)
        self.error = -1
        self.enabled: Callable[[int], frozenset[int] | None] | None = None

    def refuses(self, n: int, a: int) -> bool:
        """Whether input ``a`` is known to be refused at node ``n`` (its enabled inputs
        are known and ``a`` is not one of them)."""
        if self.enabled is None:
            return False
        o = self.tree.out[n]
        if o < 0 and (n or self.tree.moore):  # unknown (-1 at a Mealy root: the initial)
            return False
        enabled = self.enabled(o)
        return enabled is not None and a not in enabled

    def outputs(self, word: Sequence[int]) -> list[int] | None:
        """The output word of ``word``, or None unless every output is known."""
        if self.error >= 0:
            self.fill(word)
        return self.tree.outputs(word)

    def last(self, word: Sequence[int]) -> int:
        """The output at the end of ``word``, or -1 if unknown."""
        if self.error >= 0:
            self.fill(word)
        n = self.tree.node(word)
        return self.tree.out[n] if n >= 0 else -1

    def fill(self, word: Sequence[int]) -> int:
        """With an error output: if a prefix of ``word`` ends in an error, add the rest
        of ``word`` to the tree (its outputs are all the error); return the node of
        ``word``, or -1 if the tree does not hold it."""
        tree, err = self.tree, self.error
        succ, out, k = tree.succ, tree.out, tree.k
        n = 0
        for i, a in enumerate(word):
            if out[n] == err or self.refuses(n, a):
                rest = len(word) - i
                known = [-1] * (i + tree.moore)
                return tree.insert(word, [*known, *([err] * rest)])
            n = succ[n * k + a]
            if n < 0:
                return -1
        return n

    def pad(self, word: Sequence[int], outputs: list[int]) -> list[int]:
        """A run's output word that stopped at the error, completed to ``word``'s length."""
        want = len(word) + self.tree.moore
        if len(outputs) < want and outputs and outputs[-1] == self.error >= 0:
            return outputs + [self.error] * (want - len(outputs))
        return outputs

    def error_cut(self, expected: Sequence[int], outputs: Sequence[int]) -> int:
        """A test's verdict after its run stopped at an error that agreed with
        ``expected``: the shortest prefix length whose expected output is not the error
        (everything after an error is the error), or -1."""
        shift = 1 if self.tree.moore else 0
        err = self.error
        for j in range(len(outputs), len(expected)):
            if expected[j] != err:
                return j + 1 - shift
        return -1

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
        err = self.error
        for i, a in enumerate(word):
            if known and (out[n] == err >= 0 or self.refuses(n, a)):  # only the error
                for j in range(i + shift, len(word) + shift):
                    if expected[j] != err:
                        return j + 1 - shift
                return -1
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
