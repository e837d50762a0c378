"""The final-coalgebra view of Moore and Mealy machines: the behaviour of any state.

A Moore machine is a coalgebra ``X -> O × X^I`` of ``MooreF(I, O)``, a Mealy machine one
``X -> (O × X)^I`` of ``MealyF(I, O)`` (stored as the pair of tables ``O^I × X^I``).
Their final coalgebras are the functions ``I* -> O`` (Moore: the output after a word)
and the causal functions ``I+ -> O`` (Mealy: the output of a word's last step). The
unique coalgebra map into the final coalgebra sends a state ``q`` to its behaviour
:func:`behaviour`, characterised by (the square of a coalgebra homomorphism)::

    output(behaviour(q))       = output(q)
    behaviour(q) after a       = behaviour(delta(q, a))          for every input a

so the behaviour of *any* state can be observed without rebuilding a machine with
another initial state. Behaviours of finite machines compare exactly (``==`` walks the
pairs of reachable states, i.e. decides bisimilarity).

>>> from catauto.functor import Layer, MooreF
>>> parity = Coalgebra(MooreF(("a",), ("even", "odd")),
...                    lambda q: Layer("moore", ("even", "odd")[q], (1 - q,)))
>>> b = behaviour(parity, 0, inputs=("a",))
>>> b(()), b(("a",)), b.after(("a", "a")) == b, b == behaviour(parity, 1, ("a",))
('even', 'odd', True, False)
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from catauto.coalgebra.core import Coalgebra
from catauto.errors import CatautoError
from catauto.functor import Layer

__all__ = ["Behaviour", "behaviour"]


class Behaviour:
    """The element of the final ``MooreF``/``MealyF`` coalgebra that ``state`` of
    ``coalg`` unfolds to. Lazy: nothing is computed until observed.

    ``inputs`` names the inputs in the order of the layer's kids (default: their
    positions ``0..|I|-1``). ``None`` stands for an undefined successor of a partial
    machine; :meth:`after` returns ``None`` once a word leaves the machine.
    """

    __slots__ = ("coalg", "state", "inputs", "_index")

    def __init__(self, coalg: Coalgebra, state: Any, inputs: Sequence[Hashable] | None = None):
        con = coalg.functor.constructors
        if len(con) != 1 or con[0].name not in ("moore", "mealy"):
            raise CatautoError(
                f"behaviour needs a coalgebra of MooreF or MealyF, got {coalg.functor.name}"
            )
        self.coalg = coalg
        self.state = state
        self.inputs = tuple(inputs) if inputs is not None else tuple(range(con[0].arity))
        if len(self.inputs) != con[0].arity:
            raise CatautoError(f"behaviour: {len(self.inputs)} input names for {con[0].arity}")
        self._index = {a: i for i, a in enumerate(self.inputs)}

    @property
    def kind(self) -> str:
        """``"moore"`` or ``"mealy"``."""
        return self.coalg.functor.constructors[0].name

    def _next(self, state: Any) -> Behaviour | None:
        return None if state is None else Behaviour(self.coalg, state, self.inputs)

    def observe(self) -> Layer:
        """The final coalgebra's structure: the state's output layer with the
        behaviours of its successors as kids."""
        layer = self.coalg(self.state)
        return Layer(layer.con, layer.label, tuple(self._next(k) for k in layer.kids))

    @property
    def output(self) -> Any:
        """Moore: the output now; Mealy: the tuple of outputs, one per input."""
        return self.coalg(self.state).label

    def step(self, symbol: Hashable) -> Behaviour | None:
        """The behaviour after one input (``None`` where undefined)."""
        if symbol not in self._index:
            raise CatautoError(f"behaviour: input {symbol!r} not in {self.inputs!r}")
        return self._next(self.coalg(self.state).kids[self._index[symbol]])

    def after(self, word: Iterable[Hashable]) -> Behaviour | None:
        """The behaviour after a word (the derivative along it)."""
        b: Behaviour | None = self
        for a in word:
            if b is None:
                return None
            b = b.step(a)
        return b

    def __call__(self, word: Sequence[Hashable]) -> Any:
        """The value of the behaviour on a word: Moore, the output after it; Mealy, the
        output of its last step (a nonempty word). ``None`` where undefined."""
        word = tuple(word)
        if self.kind == "moore":
            b = self.after(word)
            return None if b is None else b.output
        if not word:
            raise CatautoError("a Mealy behaviour is defined on nonempty words only")
        b = self.after(word[:-1])
        return None if b is None else b.output[b._index_of(word[-1])]

    def _index_of(self, symbol: Hashable) -> int:
        if symbol not in self._index:
            raise CatautoError(f"behaviour: input {symbol!r} not in {self.inputs!r}")
        return self._index[symbol]

    def equals(self, other: Behaviour, max_pairs: int = 1_000_000) -> bool:
        """Exact equality of behaviours: a walk over the pairs of states reachable
        together (it ends for finite machines; ``max_pairs`` guards infinite ones)."""
        if not isinstance(other, Behaviour) or self.kind != other.kind:
            return False
        if len(self.inputs) != len(other.inputs):
            return False
        seen = {(self.state, other.state)}
        todo = deque(seen)
        while todo:
            p, q = todo.popleft()
            lp, lq = self.coalg(p), other.coalg(q)
            if lp.label != lq.label:
                return False
            for kp, kq in zip(lp.kids, lq.kids):
                if (kp is None) != (kq is None):
                    return False
                if kp is not None and (kp, kq) not in seen:
                    if len(seen) >= max_pairs:
                        raise CatautoError(
                            f"behaviour comparison visited {max_pairs} pairs of states: "
                            "is the machine finite?"
                        )
                    seen.add((kp, kq))
                    todo.append((kp, kq))
        return True

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Behaviour) and self.equals(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Behaviour({self.kind}, state={self.state!r})"


def behaviour(
    machine: Any, state: Any = None, inputs: Sequence[Hashable] | None = None
) -> Behaviour:
    """The behaviour of ``state`` (default: the initial state) of a machine, or of a
    state of a :class:`Coalgebra` of ``MooreF``/``MealyF`` (then ``state`` is needed, and
    ``inputs`` names the kids, default their positions).

    A machine is anything with a ``coalgebra()`` method (``catauto.automata`` machines);
    its ``inputs`` name the inputs.
    """
    if isinstance(machine, Coalgebra):
        if state is None:
            raise CatautoError("behaviour(coalgebra, state): a coalgebra has no initial state")
        return Behaviour(machine, state, inputs)
    if not callable(getattr(machine, "coalgebra", None)):
        raise CatautoError(f"behaviour needs a machine or a Coalgebra, got {machine!r}")
    coalg = machine.coalgebra()
    q = machine.initial if state is None else machine.state_index(state)
    return Behaviour(coalg, q, getattr(machine, "inputs", None))
