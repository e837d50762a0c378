"""Training data drawn from a known machine, for the tests and benchmarks of learners.

- ``balanced_sample``: words with lengths uniform in ``0..max_length``, half accepted
  and half rejected, each uniform among the words of its length and label (exact
  sampling by counting completions), so sparse languages such as Tomita 1 and 2 still
  get their positive words (repeated: there are few);
- ``random_traces``: input words with lengths uniform in ``lengths`` and the outputs a
  Mealy or Moore machine gives them (Moore: the output after each step).
"""

from __future__ import annotations

import numpy as np

from catauto.automata import DFA, Machine, Moore
from catauto.automata.traces import IOTraces, Sample


def balanced_sample(target: DFA, n: int, max_length: int = 20, seed: int = 0) -> Sample:
    rng = np.random.default_rng(seed)
    delta, accept = target.delta, target.output.astype(np.int64)
    states = np.arange(target.n_states)
    # count[r, q, y]: words of length r from state q that end with label y (floats: fine
    # for the relative weights we draw with)
    count = np.zeros((max_length + 1, target.n_states, 2))
    count[0, states, accept] = 1.0
    for r in range(1, max_length + 1):
        count[r] = count[r - 1][delta].sum(axis=1)
    words, labels = [], []
    while len(words) < n:
        label = len(words) % 2
        length = int(rng.integers(0, max_length + 1))
        if count[length, target.initial, label] == 0:
            continue
        q, word = target.initial, []
        for r in range(length, 0, -1):
            weights = count[r - 1, delta[q], label]
            a = int(rng.choice(target.n_inputs, p=weights / weights.sum()))
            word.append(target.inputs[a])
            q = delta[q, a]
        words.append(tuple(word))
        labels.append(bool(label))
    return Sample(words, labels, inputs=target.inputs)


def random_traces(
    target: Machine, n: int, lengths: tuple[int, int] = (10, 20), seed: int = 0
) -> IOTraces:
    rng = np.random.default_rng(seed)
    inputs, outputs = [], []
    for _ in range(n):
        size = int(rng.integers(lengths[0], lengths[1] + 1))
        word = [target.inputs[a] for a in rng.integers(0, target.n_inputs, size)]
        out = target.transduce(word)
        inputs.append(word)
        outputs.append(out[1:] if isinstance(target, Moore) else out)
    return IOTraces(inputs, outputs, target.inputs, target.outputs)
