"""Kearns–Vazirani: learning with a discrimination tree.

The states of the hypothesis are access words, the leaves of a *discrimination tree*
whose inner nodes hold suffixes (discriminators). A word is *sifted* from the root: at a
node with discriminator ``v`` the outputs of ``v`` after the word pick the child; the leaf
reached is the word's state (an output no child has yet makes a new leaf: a new state).
Transitions are sifted once and re-sifted only when their leaf splits. Moore and DFA
trees start with the discriminator ``()`` (the state's own output); a Mealy tree starts
as one leaf.

A counterexample is processed with Rivest–Schapire's binary search: at the breakpoint
``u·a·v``, the word ``access(u)·a`` is a new state, told apart from the state it was
mistaken for by the discriminator ``v``, which splits that state's leaf. The
counterexample is reused until the hypothesis gets it right.

>>> from catauto.automata import zoo
>>> from catauto.automata.learn import MachineTeacher, PerfectOracle
>>> target = zoo.tomita(4)
>>> hyp, stats = kv(MachineTeacher(target), PerfectOracle(target), progress=False)
>>> hyp.equivalent(target), hyp.n_states
(True, 4)
"""

from __future__ import annotations

from catauto.automata.learn.active.common import Run, Word, prepare, refine, rivest_schapire
from catauto.automata.learn.active.counter import Stats
from catauto.automata.learn.active.oracle import Oracle
from catauto.automata.learn.active.teacher import Teacher
from catauto.automata.machine import Machine

__all__ = ["kv"]


def kv(
    teacher: Teacher | Machine,
    oracle: Oracle,
    *,
    kind: str | None = None,
    progress: bool = True,
    max_rounds: int | None = None,
) -> tuple[Machine, Stats]:
    """Learn the teacher's system with Kearns–Vazirani; return the hypothesis and statistics.

    Arguments as for :func:`~catauto.automata.learn.active.lsharp.lsharp`.
    """
    teacher = prepare(teacher, kind)
    return refine(Run("kv", teacher, progress, max_rounds), oracle, _DiscriminationTree(teacher))


class _Node:
    """An inner node (``word`` is its discriminator) or a leaf (``state`` >= 0)."""

    __slots__ = ("word", "children", "state", "parent")

    def __init__(self, parent: _Node | None, word: Word = (), state: int = -1) -> None:
        self.parent = parent
        self.word = word
        self.children: dict[object, _Node] = {}
        self.state = state


class _DiscriminationTree:
    def __init__(self, teacher: Teacher) -> None:
        self.teacher = teacher
        self.k = len(teacher.inputs)
        self.moore = teacher.moore
        self.access: list[Word] = []
        self.leaf: list[_Node] = []
        self.delta: list[list[int]] = []  # -1: to be sifted
        self.incoming: list[set[tuple[int, int]]] = []
        self.todo: list[tuple[int, int, _Node]] = []  # transitions to sift, from a node
        self.output: list = []  # per state: its output (Moore) or its row of outputs
        if self.moore:
            self.root = _Node(None, ())
            self._new_state((), self.root, self._cell((), ()))
        else:
            self.root = self._new_state((), None, None)

    def _cell(self, word: Word, v: Word) -> object:
        teacher = self.teacher
        if not v:
            return teacher.query_last(word)
        if teacher.whole_words:
            return tuple(teacher.query(word + v)[-len(v) :])
        return teacher.query_last(word + v)

    def _new_state(self, access: Word, parent: _Node | None, key: object) -> _Node:
        q = len(self.access)
        node = _Node(parent, state=q)
        if parent is not None:
            parent.children[key] = node
        self.access.append(access)
        self.leaf.append(node)
        self.delta.append([-1] * self.k)
        self.incoming.append(set())
        for a in range(self.k):
            self.todo.append((q, a, self.root if parent is not None or q else node))
        return node

    def sift(self, word: Word, node: _Node) -> int:
        """The state of ``word``, sifted down from ``node`` (may create a new state)."""
        while node.state < 0:
            key = self._cell(word, node.word)
            child = node.children.get(key)
            if child is None:
                return self._new_state(word, node, key).state
            node = child
        return node.state

    def complete(self) -> None:
        """Sift every pending transition (new states add their own)."""
        todo = self.todo
        while todo:
            q, a, node = todo.pop()
            r = self.sift(self.access[q] + (a,), node)
            self.delta[q][a] = r
            self.incoming[r].add((q, a))

    def hypothesis(self) -> Machine:
        self.complete()
        teacher, output = self.teacher, self.output
        for q in range(len(output), len(self.access)):  # outputs of new states
            w = self.access[q]
            if self.moore:
                output.append(teacher.query_last(w))
            else:
                output.append([teacher.query_last(w + (a,)) for a in range(self.k)])
        return teacher.machine(self.delta, output)

    def process(self, cex: Word) -> None:
        """Split the leaf of the state that the counterexample's breakpoint mistook a
        new state for, by the rest of the counterexample."""
        delta, access = self.delta, self.access
        lo = rivest_schapire(self.teacher, delta, access, cex)
        a, v = cex[lo], cex[lo + 1 :]
        p = 0
        for b in cex[:lo]:
            p = delta[p][b]
        old = delta[p][a]
        new_access = access[p] + (a,)
        # Split the leaf of `old` by v: access[old] and new_access differ on v.
        leaf = self.leaf[old]
        parent = leaf.parent
        inner = _Node(parent, v)
        if parent is None:
            self.root = inner
        else:
            key = next(key for key, child in parent.children.items() if child is leaf)
            parent.children[key] = inner
        leaf.parent = inner
        old_key = self._cell(access[old], v)
        new_key = self._cell(new_access, v)
        if old_key == new_key:
            raise AssertionError(
                "internal: the counterexample's discriminator does not split the state"
                " (is the system deterministic?)"
            )
        inner.children[old_key] = leaf
        self._new_state(new_access, inner, new_key)
        # Transitions into the old leaf are sifted again from the new inner node.
        for q, b in self.incoming[old]:
            delta[q][b] = -1
            self.todo.append((q, b, inner))
        self.incoming[old] = set()
