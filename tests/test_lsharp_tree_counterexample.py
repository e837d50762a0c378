"""L#'s search of its observation tree for a contradiction of the hypothesis, against
brute force: over every node, the shallowest whose observed output differs from the
hypothesis's. Trees of more than 4096 nodes take the numpy path, smaller ones plain
Python; both must find a shallowest contradiction, also when exactly one node
contradicts."""

from __future__ import annotations

import numpy as np
import pytest

from catauto.automata import zoo
from catauto.automata.learn import MachineTeacher
from catauto.automata.learn.active.lsharp import _LSharp


def learner_with_tree(target, n_words: int, seed: int) -> _LSharp:
    """An L# learner whose hypothesis is ``target`` and whose tree holds the target's
    answers to ``n_words`` random words."""
    learner = _LSharp(MachineTeacher(target), "ads", "ads")
    delta, out = target.delta.tolist(), target.output.tolist()
    learner.hyp_delta, learner.hyp_output = delta, out
    rng = np.random.default_rng(seed)
    tree, moore = learner.tree, target.kind != "mealy"
    for _ in range(n_words):
        word = rng.integers(0, target.n_inputs, size=int(rng.integers(1, 15))).tolist()
        q, outs = target.initial, [out[target.initial]] if moore else []
        for a in word:
            outs.append(out[delta[q][a]] if moore else out[q][a])
            q = delta[q][a]
        tree.insert(word, outs)
    return learner


def shallowest_contradictions(learner: _LSharp) -> tuple[int, set]:
    """Brute force: (depth, words) of the shallowest nodes that contradict the hypothesis."""
    tree, delta, hout = learner.tree, learner.hyp_delta, learner.hyp_output
    found: dict[int, set] = {}
    for node in range(1, len(tree)):
        word = tree.access(node)
        q = 0
        for a in word[:-1]:
            q = delta[q][a]
        expect = hout[delta[q][word[-1]]] if learner.moore else hout[q][word[-1]]
        if 0 <= tree.out[node] != expect:
            found.setdefault(len(word), set()).add(tuple(word))
    if not found:
        return -1, set()
    depth = min(found)
    return depth, found[depth]


@pytest.mark.parametrize("kind, n_words", [("mealy", 2000), ("moore", 2000), ("mealy", 60)])
def test_tree_counterexample_is_a_shallowest_contradiction(kind: str, n_words: int) -> None:
    make = zoo.random_mealy if kind == "mealy" else zoo.random_moore
    target = make(6, 3, 3, seed=3, minimal=True)
    learner = learner_with_tree(target, n_words, seed=4)
    big = len(learner.tree) > 4096
    assert big == (n_words > 100)  # the numpy path, or plain Python
    assert learner.tree_counterexample() is None
    rng = np.random.default_rng(5)
    for wrong in (1, 1, 2, 3):  # one contradicting node, then several
        tampered = rng.choice(np.arange(1, len(learner.tree)), size=wrong, replace=False)
        saved = [learner.tree.out[x] for x in tampered]
        for x in tampered:
            learner.tree.out[x] = (learner.tree.out[x] + 1) % 3
        depth, words = shallowest_contradictions(learner)
        cex = learner.tree_counterexample()
        assert cex is not None and len(cex) == depth and tuple(cex) in words
        for x, o in zip(tampered, saved):
            learner.tree.out[x] = o
