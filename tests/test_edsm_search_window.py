"""EDSM's search looks again at the ``window`` decisions after each improvement: with a
window of one decision it still walks, improvement by improvement, to the targets of
sparse Abbadingo instances that greedy EDSM misses by twice their size."""

from __future__ import annotations

import pytest

from catauto.automata.learn import abbadingo_instance, edsm


@pytest.mark.parametrize(("seed", "target"), [(1, 14), (9, 11)])
def test_a_one_decision_window_keeps_searching_after_each_improvement(seed, target):
    inst = abbadingo_instance(16, 160, seed=seed)
    assert inst.target.minimize().n_states == target
    assert edsm(inst.train, progress=False).n_states > 2 * target
    m = edsm(inst.train, search=2, window=1, progress=False)
    assert m.n_states == target and inst.test.accuracy(m) == 1.0
