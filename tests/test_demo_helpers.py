"""Demo helpers against their definitions: ``_spread`` picks k evenly spaced items, first
and last included; the demo's Moore training data labels each word with the output at its
end."""

from __future__ import annotations

import numpy as np
import pytest

from catauto.automata import zoo
from catauto.demo import _spread, traces


@pytest.mark.parametrize("n", [1, 2, 5, 9, 100])
@pytest.mark.parametrize("k", [2, 3, 7])
def test_spread_is_even_with_both_ends(n: int, k: int) -> None:
    items = list(range(n))
    got = _spread(items, k)
    if n <= k:
        assert got == items
        return
    assert len(got) == k and got[0] == 0 and got[-1] == n - 1
    assert got == sorted(got) and len(set(got)) == k
    gaps = np.diff(got)
    assert gaps.max() - gaps.min() <= 1  # as even as whole steps allow


def test_moore_training_data_is_labelled_by_the_last_output() -> None:
    target = zoo.random_moore(5, 2, 3, seed=1)
    sample = traces(target, np.random.default_rng(0))
    words = sample.words()
    labels = [sample.output_alphabet[i] for i in sample.labels.tolist()]
    assert len(words) == len(labels) > 100
    assert all(target.transduce(w)[-1] == y for w, y in zip(words, labels))
