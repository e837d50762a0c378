"""The enabled-inputs variant of error-aware learning (after Kruger, Junges and Rot,
*Error-awareness Accelerates Active Automata Learning*, 2026): a system that says, in
every state it reaches, which of its inputs are enabled there.

The system is partial: a disabled input is refused with the refusal output, and a
refusal is final, as an error is in the paper (the system enters an error sink that
refuses everything; see :func:`~.system.completed`). So this is the same system as the
refusal-as-error route (``error=`` the refusal), with more said: besides each output,
the set of inputs enabled in the state reached. The learner learns those sets along
with the machine, as part of its outputs: :class:`EnabledSystem` answers the pair
``(output, enabled inputs after it)``, and the refusal is the pair ``(refusal, {})``,
the error output of its teacher. Whatever those sets already say is never asked:

- the cache answers a query that uses an input disabled after a prefix it knows (the
  refusal, then only refusals) without the system (:meth:`~.cache.Cache.refuses`);
- a run that comes to an input disabled in the state it has reached stops there
  without sending it (its refusal is known; the counter still counts that input, so
  the symbol counts are an upper bound).

The learned machine, read back by :meth:`EnabledSystem.partial`, is a partial machine
whose undefined inputs are the disabled ones, equivalent to the model.

>>> from catauto.automata import Mealy
>>> from catauto.automata.learn.active import MachineTeacher, PerfectOracle, lsharp
>>> m = Mealy([[1, -1], [-1, 0]], [[0, 0], [0, 1]], 0, "ab", ["x", "y"])
>>> t = MachineTeacher(m, enabled=True)
>>> t.output_word("ab")    # after "a" only "b" is enabled
[('x', frozenset({'b'})), ('y', frozenset({'a'}))]
>>> t.output_word("aab")[1:], t.stats.symbols    # known: the cache answers
([('refused', frozenset()), ('refused', frozenset())], 2)
>>> hyp, stats = lsharp(t, PerfectOracle(t.system.paired(m)), progress=False)
>>> t.system.partial(hyp).equivalent(m), stats.symbols
(True, 3)
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np

from catauto.automata.learn.active.system import (
    REFUSED,
    MachineSystem,
    StepSystem,
    System,
    completed,
    partial_machine,
)
from catauto.automata.machine import Machine, Mealy, Moore
from catauto.errors import LearningError

__all__ = ["EnabledSystem"]


class EnabledSystem(System):
    """A reset/step system whose outputs are ``(output, enabled inputs)`` pairs.

    ``inner`` says which inputs are enabled in its current state: a
    :class:`~.system.MachineSystem` from its (partial) machine, a
    :class:`~.system.StepSystem` by its object's ``enabled()`` (the enabled input
    symbols). Mealy and Moore systems (a DFA has no refusal output). Only enabled
    inputs ever reach ``inner``.
    """

    def __init__(self, inner: System, refusal: Hashable = REFUSED) -> None:
        if inner.kind == "dfa":
            raise LearningError("enabled inputs are learned for Mealy and Moore systems, not DFAs")
        if isinstance(inner, MachineSystem):
            refusal = inner.refusal if inner.refusal is not None else refusal
            self._machine_sets = _enabled_sets(inner.target, refusal)
        elif isinstance(inner, StepSystem) and callable(getattr(inner.sul, "enabled", None)):
            self._machine_sets = None
        else:
            raise LearningError(
                "enabled=True needs a reset/step system whose object has enabled()"
                " (the input symbols enabled in its current state), or a machine"
            )
        self.sets: list[frozenset[int] | None] = []  # per output: the inputs enabled after it
        super().__init__(inner.inputs, inner.kind)
        self.inner = inner
        self.refusal = refusal
        self.error = self._pair(refusal, frozenset())
        self.initial: frozenset[int] | None = None  # the initial state's, once seen
        self._now: frozenset[int] = frozenset()

    def intern(self, output: Hashable) -> int:
        index = super().intern(output)
        if index == len(self.sets):  # new: a pair (output, enabled symbols), or unknown
            pair = output if isinstance(output, tuple) and len(output) == 2 else (None, None)
            enabled = pair[1]
            known = isinstance(enabled, frozenset) and enabled <= set(self.inputs)
            self.sets.append(frozenset(self.encode(enabled)) if known else None)
        return index

    def _pair(self, output: Hashable, enabled: frozenset[int]) -> int:
        return self.intern((output, frozenset(self.inputs[a] for a in enabled)))

    def _enabled(self) -> frozenset[int]:
        if self._machine_sets is not None:
            return self._machine_sets[self.inner._q]  # type: ignore[attr-defined]
        return frozenset(self.encode(self.inner.sul.enabled()))  # type: ignore[attr-defined]

    def enabled_at(self, output: int) -> frozenset[int] | None:
        """The inputs enabled after an output (-1: in the initial state; None: unknown)."""
        return self.initial if output < 0 else self.sets[output]

    def reset(self) -> int:
        first = self.inner.reset()
        self._now = self._enabled()
        if self.initial is None:
            self.initial = self._now
        if not self.moore:
            return -1
        return self._pair(self.inner.outputs[first], self._now)

    def step(self, a: int) -> int:
        if a not in self._now:  # known to be refused: not sent
            self._now = frozenset()
            return self.error
        o = self.inner.step(a)
        self._now = self._enabled()
        return self._pair(self.inner.outputs[o], self._now)

    def paired(self, machine: Machine) -> Machine:
        """``machine`` (partial or complete) as this system answers: the machine the
        teacher learns (the target of a perfect oracle)."""
        m = completed(machine, self.refusal)
        sets = _enabled_sets(m, self.refusal)
        labels: dict[tuple, int] = {}  # (output, enabled symbols) -> index, in order

        def pair(o: int, q: int) -> int:
            label = (m.outputs[o], frozenset(m.inputs[a] for a in sets[q]))
            return labels.setdefault(label, len(labels))

        if m.kind == "mealy":
            rows = zip(m.output.tolist(), m.delta.tolist(), strict=True)
            table = [[pair(o, d) for o, d in zip(*row, strict=True)] for row in rows]
            return Mealy(m.delta, table, m.initial, m.inputs, list(labels))
        table = [pair(o, q) for q, o in enumerate(m.output.tolist())]
        return Moore(m.delta, table, m.initial, m.inputs, list(labels))

    def partial(self, machine: Machine) -> Machine:
        """A learned machine (outputs: pairs) read back as a partial machine: the
        enabled sets dropped and the refused inputs undefined."""
        firsts = [o[0] for o in machine.outputs]
        used = np.unique(machine.output).tolist()  # (the refusal may be unused)
        plain = list(dict.fromkeys(firsts[o] for o in used))
        remap = np.zeros(len(firsts), dtype=np.int32)
        remap[used] = [plain.index(firsts[o]) for o in used]
        cls = Mealy if machine.kind == "mealy" else Moore
        m = cls(machine.delta, remap[machine.output], machine.initial, machine.inputs, plain)
        return partial_machine(m, self.refusal)


def _enabled_sets(m: Machine, refusal: Hashable) -> list[frozenset[int]]:
    """Per state of a complete machine: the inputs it does not refuse."""
    k = m.n_inputs
    if refusal not in m.outputs:
        return [frozenset(range(k))] * m.n_states
    r = m.outputs.index(refusal)
    refused = m.output == r if m.kind == "mealy" else m.output[m.delta] == r
    return [frozenset(np.flatnonzero(~row).tolist()) for row in refused]
