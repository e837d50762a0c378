"""A folding GRU learns Tomita grammar 4 (binary words without "000").

The network is the left fold (``foldl``, reading each word left to right) of a
Para-algebra of lists, ``nil = h0`` and ``cons(x, h) = GRU(h, one_hot(x))``, followed by
a dense readout: one GRU cell whose weights the fold ties across time. It trains on
words of length <= 14 and is tested on unseen words of the same lengths and on longer
ones (15..30). It also compares itself with the symbolic DFA on all words up to length
10 through ``catauto.testing``.

Prints the accuracies; exits with status 1 if a target (99%) is missed.
"""

from __future__ import annotations

import sys
import time

import jax
import numpy as np
import optax

from catauto.automata import DFA
from catauto.neural import Para, dense, fit, foldl, gru, learned_state, list_algebra, one_hot
from catauto.testing import assert_same_semantics

TARGET = 0.99
HIDDEN = 32


def tomita4() -> DFA:
    try:
        from catauto.automata.zoo import tomita

        return tomita(4)
    except ImportError:  # the zoo is optional here: the table by hand
        delta = [[1, 0], [2, 0], [3, 0], [3, 3]]  # state = trailing zeros, 3 = saw "000"
        return DFA(delta, accepting=[True, True, True, False], inputs=("0", "1"))


def sample(m: DFA, rng: np.random.Generator, n: int, lengths: tuple[int, int]) -> set[str]:
    """About n distinct words, half accepted and half rejected where possible."""
    pos, neg = set(), set()
    tries = 0
    while (len(pos) < n // 2 or len(neg) < n // 2) and tries < 50 * n:
        tries += 1
        length = int(rng.integers(lengths[0], lengths[1] + 1))
        w = "".join(rng.choice(["0", "1"], size=length))
        (pos if m.accepts(w) else neg).add(w)
    return set(list(pos)[: n // 2]) | set(list(neg)[: n // 2])


def main() -> int:
    t0 = time.time()
    m = tomita4()
    rng = np.random.default_rng(0)
    train_words = sorted(sample(m, rng, 2000, (0, 14)))
    test_words = sorted(sample(m, rng, 1200, (0, 14)) - set(train_words))
    long_words = sorted(sample(m, rng, 600, (15, 30)))

    rnn = foldl(list_algebra(gru(2, HIDDEN), learned_state(HIDDEN), one_hot(2)))
    net = rnn >> dense(HIDDEN, 1)

    def logits(p, batch):
        return net.apply(p, batch)[:, 0]

    def loss(p, batch):
        words, lengths, labels = batch
        return optax.sigmoid_binary_cross_entropy(logits(p, (words, lengths)), labels).mean()

    def encode(words):
        W, lengths = m.encode_batch(words)
        return W, lengths, m.accepts_batch(W, lengths).astype(np.float32)

    params = net.init(jax.random.key(0))
    result = fit(
        loss,
        params,
        encode(train_words),
        optimizer=optax.adam(1e-2),
        epochs=40,
        batch_size=100,
        seed=0,
        patience=8,
        val_data=encode(test_words[:200]),
        progress=sys.stderr.isatty(),
    )
    predict = jax.jit(lambda p, W, lengths: logits(p, (W, lengths)) > 0)

    def accuracy(words):
        W, lengths, labels = encode(words)
        return float((np.asarray(predict(result.params, W, lengths)) == (labels > 0.5)).mean())

    acc_train, acc_test, acc_long = map(accuracy, (train_words, test_words, long_words))
    print(f"Tomita 4 with a folding GRU (hidden {HIDDEN}), {len(result.history)} epochs:")
    print(f"  train accuracy            {acc_train:.4f} ({len(train_words)} words, length <= 14)")
    print(f"  test accuracy (unseen)    {acc_test:.4f} ({len(test_words)} words, length <= 14)")
    print(f"  longer words (15..30)     {acc_long:.4f} ({len(long_words)} words)")

    # The trained network against the DFA on every word up to length 10, as a user test would.
    as_acceptor = Para(net.init, lambda p, batch: logits(p, batch) > 0)
    try:
        assert_same_semantics(m, as_acceptor, result.params, max_len=10)
        print("  agrees with the DFA on all 2047 words of length <= 10")
    except AssertionError as e:
        print(f"  differs from the DFA: {e}")
    print(f"  ({time.time() - t0:.0f} s)")
    ok = min(acc_test, acc_long) >= TARGET
    if not ok:
        print(f"target {TARGET:.0%} missed", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
