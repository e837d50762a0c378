"""L#: active learning by apartness (Vaandrager, Garhewal, Rot, Wißmann, TACAS 2022).

L# keeps no table: it works on the observation tree itself (here the teacher's cache, so
every answer the teacher ever gave, the equivalence tests included, is evidence). Two
tree nodes are *apart* when some word has different known outputs from them; the word is
a *witness*. The tree's nodes fall into

- the **basis**: pairwise apart nodes, each a state of the hypothesis (prefix closed);
- the **frontier**: the immediate successors of basis nodes outside the basis, each with
  its *candidates*, the basis nodes it is not (yet) apart from.

Four rules grow the tree until a hypothesis can be read off it:

1. *promotion*: a frontier node apart from the whole basis joins the basis;
2. *extension*: a basis node lacking a successor gets one (query ``access·a``, followed
   by a witness of two basis nodes: ``extension="sepseq"``, or an adaptive distinguishing
   sequence over the basis: ``"ads"``, or nothing: ``None``);
3. *separation*: a frontier node with two or more candidates is queried with a witness of
   two of them (``separation="sepseq"``) or an adaptive distinguishing sequence over all
   of them (``"ads"``), which eliminates at least one;
   With a teacher whose ``batch`` is above 1 (a :class:`~.teacher.ParallelTeacher`),
   each round's extension and separation queries are asked as one batch, run
   concurrently: a witness of two basis nodes (candidates) for each, not an adaptive
   sequence, since no query of a batch may depend on another's answer.
4. *equivalence*: when every frontier node has one candidate the hypothesis is built; if
   the tree already contradicts it the contradiction is the counterexample, otherwise the
   oracle is asked.

A counterexample is processed by the paper's binary search (ProcCounterEx): it either
makes a frontier node apart from its candidate or reaches a new frontier node. Apartness
is only rechecked for pairs one of whose subtrees changed since the last check (the tree
stamps every change), which keeps large runs fast.

>>> from catauto.automata import zoo
>>> from catauto.automata.learn import MachineTeacher, PerfectOracle
>>> target = zoo.tomita(3)
>>> hyp, stats = lsharp(MachineTeacher(target), PerfectOracle(target), progress=False)
>>> hyp.equivalent(target)
True
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator

import numpy as np

from catauto.automata.learn.active.common import Run, prepare
from catauto.automata.learn.active.counter import Stats
from catauto.automata.learn.active.oracle import Oracle
from catauto.automata.learn.active.teacher import Teacher
from catauto.automata.machine import Machine
from catauto.errors import LearningError

__all__ = ["RULES", "lsharp"]

RULES = (None, "sepseq", "ads")


def lsharp(
    teacher: Teacher | Machine,
    oracle: Oracle,
    *,
    kind: str | None = None,
    extension: str | None = "ads",
    separation: str = "ads",
    progress: bool = True,
    max_rounds: int | None = None,
) -> tuple[Machine, Stats]:
    """Learn the teacher's system with L#; return the hypothesis and the run's statistics.

    ``teacher`` is a :class:`Teacher` (or a machine, wrapped in a ``MachineTeacher``);
    ``kind`` if given must be the teacher's kind. ``progress`` prints one line per round
    on stderr. ``max_rounds`` stops after that many equivalence queries (the result may
    then be wrong). The hypothesis is complete and minimal for the evidence; with a
    perfect oracle it is equivalent to the system.
    """
    teacher = prepare(teacher, kind)
    if extension not in RULES or separation not in RULES[1:]:
        raise LearningError(
            f"extension must be one of {RULES} and separation one of {RULES[1:]},"
            f" got {extension!r}, {separation!r}"
        )
    run = Run("lsharp", teacher, progress, max_rounds)
    learner = _LSharp(teacher, extension, separation)
    while True:
        hypothesis = learner.adequate_hypothesis()
        cex = run.equivalence(oracle, hypothesis)
        if cex is None:
            return run.finish(hypothesis)
        teacher.query(cex)
        learner.process_counterexample(cex)


class _LSharp:
    def __init__(self, teacher: Teacher, extension: str | None, separation: str) -> None:
        self.teacher = teacher
        self.tree = teacher.tree
        self.k = len(teacher.inputs)
        self.moore = teacher.moore
        self.extension = extension
        self.separation = separation
        if self.moore:
            teacher.query_last(())
        self.basis: list[int] = [0]
        self.index: dict[int, int] = {0: 0}  # basis node -> state number
        self.born: dict[int, int] = {0: -1}  # clock at which a node joined the basis
        self.cand: dict[int, list[int]] = {}  # frontier node -> candidate basis nodes
        self.seen: dict[int, int] = {}  # frontier node -> clock of its last refinement
        self.witnesses: dict[tuple[int, int], list[int]] = {}
        # Basis nodes whose successors' outputs are all known never change their first
        # step: node -> row of the tables of those outputs and successors (for the ADS).
        self.complete: dict[int, int] = {}
        self.row_out = np.zeros((16, self.k), dtype=np.int64)
        self.row_succ = np.zeros((16, self.k), dtype=np.int64)
        self.hyp_delta: list[list[int]] = []
        self.hyp: Machine | None = None

    # -- apartness ---------------------------------------------------------------------------
    def apart(self, x: int, y: int, since: int = -1) -> bool:
        """Whether some word has different known outputs from tree nodes x and y.

        With ``since``: x and y were not apart at that clock, so only pairs of which one
        side's subtree changed afterwards (its stamp is later) need a look. The children
        of x are walked through the sibling lists (x is the sparse side: a frontier node).
        """
        tree = self.tree
        succ, out, stamp, k = tree.succ, tree.out, tree.stamp, self.k
        first, nxt, sym = tree.first, tree.nxt, tree.sym
        if self.moore:
            ox, oy = out[x], out[y]
            if ox != oy and ox >= 0 and oy >= 0:
                return True
        stack = [x, y]
        pop, push = stack.pop, stack.append
        while stack:
            y = pop()
            cx = first[pop()]
            by = y * k
            while cx >= 0:
                cy = succ[by + sym[cx]]
                if cy >= 0 and (stamp[cx] > since or stamp[cy] > since):
                    ox, oy = out[cx], out[cy]
                    if ox != oy and ox >= 0 and oy >= 0:
                        return True
                    push(cx)
                    push(cy)
                cx = nxt[cx]
        return False

    def witness(self, x: int, y: int) -> list[int] | None:
        """A shortest witness of x # y (a word from both nodes), or None."""
        tree = self.tree
        succ, out, k = tree.succ, tree.out, self.k
        first, nxt, sym = tree.first, tree.nxt, tree.sym
        if self.moore and out[x] != out[y] and out[x] >= 0 and out[y] >= 0:
            return []
        queue = deque([(x, y)])
        while queue:
            px, py = queue.popleft()
            kids = []
            cx = first[px]
            while cx >= 0:
                kids.append((sym[cx], cx))
                cx = nxt[cx]
            kids.sort()  # inputs in order: the first shortest witness
            by = py * k
            for a, cx in kids:
                cy = succ[by + a]
                if cy >= 0:
                    ox, oy = out[cx], out[cy]
                    if ox != oy and ox >= 0 and oy >= 0:
                        return tree.access(cx, x)
                    queue.append((cx, cy))
        return None

    def basis_witness(self, b1: int, b2: int) -> list[int]:
        key = (b1, b2) if b1 < b2 else (b2, b1)
        w = self.witnesses.get(key)
        if w is None:
            w = self.witness(b1, b2)
            if w is None:
                raise AssertionError(f"internal: basis nodes {b1} and {b2} are not apart")
            self.witnesses[key] = w
        return w

    # -- frontier bookkeeping ----------------------------------------------------------------
    def refine(self, f: int) -> list[int]:
        """Drop the candidates of frontier node f that are now apart from it."""
        tree = self.tree
        seen = self.seen[f]
        now = tree.clock
        if seen == now:
            return self.cand[f]
        stamp, born, apart = tree.stamp, self.born, self.apart
        changed = stamp[f] > seen
        cand = self.cand[f]
        if not changed:  # only news about the candidates can matter
            for b in cand:
                if stamp[b] > seen or born[b] > seen:
                    break
            else:
                self.seen[f] = now
                return cand
        succ, out, k = tree.succ, tree.out, self.k
        # f's known one-step outputs: most candidates are apart right there.
        kids = []
        c = tree.first[f]
        sym, nxt = tree.sym, tree.nxt
        while c >= 0:
            if out[c] >= 0:
                kids.append((sym[c], out[c]))
            c = nxt[c]
        own = out[f] if self.moore else -1
        keep = []
        for b in cand:
            new = born[b] > seen
            if new or changed or stamp[b] > seen:
                if own >= 0 and 0 <= out[b] != own:
                    continue
                bk = b * k
                for a, o in kids:
                    cb = succ[bk + a]
                    if cb >= 0 and 0 <= out[cb] != o:
                        break
                else:
                    if not apart(f, b, -1 if new else seen):
                        keep.append(b)
                continue
            keep.append(b)
        self.cand[f] = keep
        self.seen[f] = now
        return keep

    def add_frontier(self, b: int) -> None:
        """Make the existing successors of basis node b frontier nodes."""
        succ, k = self.tree.succ, self.k
        for a in range(k):
            c = succ[b * k + a]
            if c >= 0 and c not in self.index and c not in self.cand:
                self.cand[c] = list(self.basis)
                self.seen[c] = -2

    def promote(self, f: int) -> None:
        tree = self.tree
        tree.clock += 1
        self.born[f] = tree.clock
        self.index[f] = len(self.basis)
        self.basis.append(f)
        del self.cand[f], self.seen[f]
        for c in self.cand.values():
            c.append(f)
        self.add_frontier(f)

    def update_frontier(self) -> None:
        for b in self.basis:
            self.add_frontier(b)

    # -- the rules -------------------------------------------------------------------------
    def refine_all(self) -> None:
        refine = self.refine
        for f in self.cand:
            refine(f)

    def promotions(self) -> bool:
        done = False
        while True:
            self.refine_all()
            isolated = next((f for f, c in self.cand.items() if not c), None)
            if isolated is None:
                return done
            self.promote(isolated)
            done = True

    def extensions(self) -> bool:
        succ, k, teacher, tree = self.tree.succ, self.k, self.teacher, self.tree
        out = tree.out
        done = False
        if teacher.batch > 1:  # one batch for the round: no query adapts to another
            words = []
            for b in self.basis:
                for a in range(k):
                    if succ[b * k + a] < 0:
                        word = tree.access(b)
                        word.append(a)
                        if self.extension is not None and len(self.basis) > 1:
                            other = self.basis[1] if b == self.basis[0] else self.basis[0]
                            word += self.basis_witness(b, other)
                        words.append(word)
            if words:
                teacher.query_many(words)
                done = True
        for b in list(self.basis):
            for a in range(k):
                if succ[b * k + a] >= 0:
                    continue
                word = tree.access(b)
                word.append(a)
                if self.extension == "sepseq" and len(self.basis) > 1:
                    other = self.basis[1] if b == self.basis[0] else self.basis[0]
                    teacher.query(word + self.basis_witness(b, other))
                elif self.extension == "ads" and len(self.basis) > 1:
                    teacher.query_adaptive(word, self.ads(list(self.basis)))
                else:
                    teacher.query(word)
                done = True
            self.add_frontier(b)
            if b not in self.complete:
                kids = succ[b * k : b * k + k]
                row = [out[c] if c >= 0 else -1 for c in kids]
                if -1 not in row:
                    self._add_row(b, row, kids)
        return done

    def _add_row(self, b: int, row: list[int], kids: list[int]) -> None:
        r = len(self.complete)
        if r == len(self.row_out):
            self.row_out = np.vstack([self.row_out, np.zeros_like(self.row_out)])
            self.row_succ = np.vstack([self.row_succ, np.zeros_like(self.row_succ)])
        self.row_out[r] = row
        self.row_succ[r] = kids
        self.complete[b] = r

    def separations(self) -> bool:
        teacher, tree = self.teacher, self.tree
        done = False
        if teacher.batch > 1:  # one batch for the round: a witness of two candidates each
            todo = [f for f in self.cand if len(self.refine(f)) > 1]
            if not todo:
                return False
            sizes = [len(self.cand[f]) for f in todo]
            teacher.query_many(
                [
                    tree.access(f) + self.basis_witness(self.cand[f][0], self.cand[f][1])
                    for f in todo
                ]
            )
            for f, size in zip(todo, sizes, strict=True):
                if len(self.refine(f)) == size:
                    raise AssertionError("internal: separation did not remove a candidate")
            return True
        for f in [f for f, c in self.cand.items() if len(c) > 1]:
            cands = self.refine(f)
            if len(cands) < 2:
                continue
            size = len(cands)
            if self.separation == "ads" and size > 2:
                teacher.query_adaptive(tree.access(f), self.ads(cands))
                cands = self.refine(f)
            if len(cands) == size:
                teacher.query(tree.access(f) + self.basis_witness(cands[0], cands[1]))
                if len(self.refine(f)) == size:
                    raise AssertionError("internal: separation did not remove a candidate")
            done = True
        return done

    def adequate_hypothesis(self) -> Machine:
        """Apply the rules until the tree is adequate and consistent with the hypothesis."""
        while True:
            self.update_frontier()
            while self.promotions() or self.extensions() or self.separations():
                pass
            self.refine_all()
            if any(len(c) != 1 for c in self.cand.values()):
                continue  # new frontier nodes appeared at the end: go on
            hyp = self.build()
            cex = self.tree_counterexample()
            if cex is None:
                return hyp
            self.process_counterexample(cex)

    # -- adaptive distinguishing sequences ----------------------------------------------------
    def ads(self, block: list[int]) -> Generator[int, int, None]:
        """An adaptive distinguishing sequence for ``block``, chosen as the query runs.

        It is first sent the output where it starts (Moore: members with another output
        leave the block). Then at each step the input that best splits the block by the
        outputs the tree knows is sent (the L# paper's score: the expected number of
        members shown apart; ties go to the smaller input) and the output observed keeps
        the members that agree with it. When no input splits the block, a witness of two
        members is sent.
        """
        tree = self.tree
        succ, out, k = tree.succ, tree.out, self.k
        here = yield -1
        if self.moore:
            block = [x for x in block if out[x] == here]
        complete = self.complete
        while len(block) > 1:
            if all(x in complete for x in block):
                best_a, parts = self._best_split_complete(block)
            else:
                best_a, parts = self._best_split(block)
            if best_a >= 0:
                o = yield best_a
                block = parts.get(o, [])
                continue
            # No single input splits the block: follow a witness of two members
            # (looking at a few pairs only: a witness search can be long).
            for other in block[1:4]:
                if block[0] in complete and other in complete:
                    w = self.basis_witness(block[0], other)
                    break
                w = self.witness(block[0], other)
                if w is not None:
                    break
            else:
                return
            for a in w:
                o = yield a
                block = [c for x in block if (c := succ[x * k + a]) >= 0 and out[c] == o]

    def _best_split_complete(self, block: list[int]) -> tuple[int, dict[int, list[int]]]:
        """``_best_split`` for complete basis nodes, from their tables (numpy)."""
        rows = np.fromiter((self.complete[x] for x in block), np.int64, len(block))
        out = self.row_out[rows]  # [B, k]
        n_out = int(out.max()) + 1
        k = self.k
        counts = np.bincount((out + np.arange(k) * n_out).ravel(), minlength=k * n_out)
        size = len(block)
        score = (size * size - (counts.reshape(k, n_out) ** 2).sum(axis=1)) / size
        a = int(score.argmax())  # the first of the best: ties go to the smaller input
        if score[a] <= 0:
            return -1, {}
        parts: dict[int, list[int]] = {}
        for o, c in zip(out[:, a].tolist(), self.row_succ[rows, a].tolist(), strict=True):
            p = parts.get(o)
            if p is None:
                parts[o] = [c]
            else:
                p.append(c)
        return a, parts

    def _best_split(self, block: list[int]) -> tuple[int, dict[int, list[int]]]:
        """The input that best splits ``block`` (-1 if none) and its parts by output."""
        tree = self.tree
        out, first, nxt, sym = tree.out, tree.first, tree.nxt, tree.sym
        by_input: dict[int, dict[int, list[int]]] = {}
        for x in block:
            c = first[x]
            while c >= 0:
                o = out[c]
                if o >= 0:
                    parts = by_input.get(sym[c])
                    if parts is None:
                        by_input[sym[c]] = {o: [c]}
                    else:
                        p = parts.get(o)
                        if p is None:
                            parts[o] = [c]
                        else:
                            p.append(c)
                c = nxt[c]
        best_score, best_a = 0.0, -1
        for a, parts in by_input.items():
            if len(parts) < 2:
                continue
            sizes = [len(p) for p in parts.values()]
            u = sum(sizes)
            score = sum(z * (u - z) for z in sizes) / u
            if score > best_score or (score == best_score and a < best_a):
                best_score, best_a = score, a
        return best_a, by_input.get(best_a, {})

    # -- hypothesis ----------------------------------------------------------------------------
    def build(self) -> Machine:
        tree, k, index = self.tree, self.k, self.index
        succ, out = tree.succ, tree.out
        n = len(self.basis)
        delta = [[0] * k for _ in range(n)]
        output = [[0] * k for _ in range(n)] if not self.moore else [0] * n
        for i, b in enumerate(self.basis):
            row = delta[i]
            for a in range(k):
                c = succ[b * k + a]
                j = index.get(c)
                if j is None:
                    (target,) = self.cand[c]
                    j = index[target]
                row[a] = j
                if not self.moore:
                    output[i][a] = out[c]  # type: ignore[index]
            if self.moore:
                output[i] = out[b]
        self.hyp_delta = delta
        self.hyp_output = output
        self.hyp = self.teacher.machine(delta, output)
        return self.hyp

    def tree_counterexample(self) -> list[int] | None:
        """A shortest word on which the tree contradicts the hypothesis, or None."""
        tree = self.tree
        n = len(tree)
        if n <= 4096:  # small trees: plain Python beats numpy's overhead
            return self._tree_counterexample_small()
        parent = np.asarray(tree.parent, dtype=np.int64)
        sym = np.asarray(tree.sym, dtype=np.int64)
        out = np.asarray(tree.out, dtype=np.int64)
        depth = np.asarray(tree.depth, dtype=np.int64)
        delta = np.asarray(self.hyp_delta, dtype=np.int64)
        hout = np.asarray(self.hyp_output, dtype=np.int64)
        order = np.argsort(depth, kind="stable")
        bounds = np.searchsorted(depth[order], np.arange(depth.max() + 2))
        state = np.zeros(n, dtype=np.int64)
        bad = []
        for d in range(1, len(bounds) - 1):
            nodes = order[bounds[d] : bounds[d + 1]]
            if not len(nodes):
                break
            ps, a = state[parent[nodes]], sym[nodes]
            qs = delta[ps, a]
            state[nodes] = qs
            expect = hout[qs] if self.moore else hout[ps, a]
            o = out[nodes]
            wrong = nodes[(o >= 0) & (o != expect)]
            if len(wrong):
                bad = tree.access(int(wrong[0]))
                return bad
        return None

    def _tree_counterexample_small(self) -> list[int] | None:
        tree = self.tree
        parent, sym, out, depth = tree.parent, tree.sym, tree.out, tree.depth
        delta, hout, moore = self.hyp_delta, self.hyp_output, self.moore
        state = [0] * len(tree)
        best = -1
        for c in range(1, len(tree)):  # parents come before their children
            p = state[parent[c]]
            q = state[c] = delta[p][sym[c]]
            o = out[c]
            if o >= 0 and o != (hout[q] if moore else hout[p][sym[c]]):  # type: ignore[index]
                if best < 0 or depth[c] < depth[best]:
                    best = c
        return tree.access(best) if best >= 0 else None

    # -- counterexamples -------------------------------------------------------------------------
    def process_counterexample(self, cex: tuple[int, ...] | list[int]) -> None:
        """Binary search for the paper's ProcCounterEx; ``cex``'s last output is wrong."""
        sigma = list(cex) if self.moore else list(cex[:-1])
        tree, teacher = self.tree, self.teacher
        succ, k, index, basis = tree.succ, self.k, self.index, self.basis
        delta = self.hyp_delta

        def hyp_state(word: list[int]) -> int:
            q = 0
            for a in word:
                q = delta[q][a]
            return q

        while True:
            r = tree.node(sigma)
            if r in index or tree.parent[r] in index:
                self.update_frontier()
                return
            q = basis[hyp_state(sigma)]
            # rho: the prefix of sigma that reaches the frontier.
            node, j = 0, 0
            while node in index:
                node = succ[node * k + sigma[j]]
                j += 1
            h = (j + len(sigma)) // 2
            sigma1, sigma2 = sigma[:h], sigma[h:]
            q1 = basis[hyp_state(sigma1)]
            eta = self.witness(r, q)
            if eta is None:
                raise AssertionError("internal: counterexample node is not apart from its state")
            access1 = tree.access(q1)
            teacher.query(access1 + sigma2 + eta)
            if self.apart(tree.node(sigma1), q1):
                sigma = sigma1
            else:
                sigma = access1 + sigma2
