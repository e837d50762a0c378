"""RNN extraction by queries (Weiss, Goldberg & Yahav, ICML 2018): a trained recurrent
classifier becomes the teacher of an active learner (``lstar``, ``lsharp``, ``kv``).

- :class:`RecurrentClassifier` is a folding RNN with a readout after every prefix: the
  Moore Para-coalgebra ``(transition, readout, start)`` run by
  :func:`catauto.neural.run_moore`, so one run classifies every prefix of a word.
  :func:`train_classifier` fits one to a labelled ``Sample`` with
  :func:`catauto.neural.fit`.
- :class:`RNNTeacher` answers membership (output) queries by classification: one run
  per query gives the output of every prefix.
- :class:`AbstractionOracle` answers equivalence queries in two stages. First it
  samples random words and compares the network with the hypothesis on every prefix
  (one batched run). Then it explores a finite **abstraction** of the network's
  hidden states *in parallel with the hypothesis*: hidden states are partitioned by
  their nearest centre (a Voronoi partition that starts from k-means centres of the
  hidden states of random words and is split on demand; Weiss et al. start from one
  cell and split with SVMs, the idea is the same), and a breadth-first search visits
  words, one per cell, checking the network's class of each against the hypothesis.
  When one cell is reached by two words on which the hypothesis is in different
  states, a word separating those two states decides: if the network disagrees with
  the hypothesis on it, that is the counterexample; otherwise the network tells the
  two words apart too, so the cell is split between their hidden states and the
  search starts again. A search that ends without a conflict says the hypothesis is
  equivalent to the network's abstraction.

>>> import jax.numpy as jnp
>>> clf = RecurrentClassifier(n_inputs=2, n_hidden=4)
>>> params = clf.init(0)
>>> clf.para().apply(params, (jnp.array([[0, 1, 1]]), jnp.array([3]))).shape  # [B, T+1, m]
(1, 4, 2)
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax

from catauto.automata.learn.active.oracle import HypothesisRunner, Oracle, Word
from catauto.automata.learn.active.system import System, until_difference
from catauto.automata.learn.active.teacher import Teacher
from catauto.automata.machine import Machine
from catauto.automata.traces import Sample
from catauto.errors import CatautoError, LearningError
from catauto.neural.cells import dense, elman, gru, learned_state
from catauto.neural.fold import run_moore
from catauto.neural.keys import as_key
from catauto.neural.train import FitResult, fit
from catauto.para import Para, split_key

__all__ = ["AbstractionOracle", "RNNTeacher", "RecurrentClassifier", "train_classifier"]

Array = jax.Array
CELLS = {"gru": gru, "elman": elman}


@dataclass(frozen=True)
class RecurrentClassifier:
    """A recurrent network that reads one-hot inputs left to right and classifies every
    prefix: ``(words: int[B, T], lengths: int[B]) -> logits [B, T + 1, n_outputs]``.

    ``cell``: ``"gru"`` or ``"elman"``; the start state is learned. Parameters: the
    pytree ``(start, transition, readout)`` of :func:`~catauto.neural.run_moore`.
    """

    n_inputs: int
    n_hidden: int
    n_outputs: int = 2
    cell: str = "gru"

    def __post_init__(self) -> None:
        if self.cell not in CELLS:
            raise CatautoError(f"cell must be one of {sorted(CELLS)}, got {self.cell!r}")

    def _parts(self) -> tuple[Para, Para, Para]:
        step = CELLS[self.cell](self.n_inputs, self.n_hidden)
        k = self.n_inputs

        def transition(p: Any, hx: tuple) -> Any:
            h, x = hx
            return step.apply(p, (h, jax.nn.one_hot(x, k)))

        start = learned_state(self.n_hidden)
        return start, Para(step.init, transition), dense(self.n_hidden, self.n_outputs)

    def init(self, key: Any) -> tuple:
        start, transition, readout = self._parts()
        k1, k2, k3 = split_key(as_key(key), 3)
        return (start.init(k1), transition.init(k2), readout.init(k3))

    def para(self) -> Para:
        """``batch -> logits [B, T + 1, n_outputs]``: the class of every prefix."""
        start, transition, readout = self._parts()
        return run_moore(transition, readout, start)

    def hidden(self, params: tuple, batch: Any) -> Array:
        """``[B, T + 1, n_hidden]``: the hidden state after every prefix."""
        start, transition, _ = self._parts()
        states = run_moore(transition, Para.identity(), start)
        return states.apply((params[0], params[1], ()), batch)


@lru_cache(maxsize=8)
def _classifier_loss(model: RecurrentClassifier) -> Any:
    run = model.para()

    def loss(params: tuple, batch: tuple) -> Array:
        words, lengths, labels = batch
        logits = run.apply(params, (words, lengths))
        last = jnp.take_along_axis(logits, lengths[:, None, None], 1)[:, 0]
        return optax.softmax_cross_entropy_with_integer_labels(last, labels).mean()

    return loss


def train_classifier(
    data: Sample,
    n_hidden: int = 16,
    cell: str = "gru",
    *,
    epochs: int = 60,
    batch_size: int = 64,
    learning_rate: float = 1e-2,
    seed: int = 0,
    progress: bool = False,
) -> tuple[RecurrentClassifier, tuple, FitResult]:
    """Fit a :class:`RecurrentClassifier` to the labelled words of ``data`` (cross-entropy
    of the class after the whole word), with Adam through :func:`~catauto.neural.fit`.
    Returns ``(classifier, params, fit_result)``."""
    if not isinstance(data, Sample):
        raise CatautoError(f"train_classifier needs a labelled Sample, got {type(data).__name__}")
    labelled = data.subset(data.labelled)
    if not len(labelled):
        raise CatautoError("train_classifier: the sample has no labelled words")
    model = RecurrentClassifier(labelled.n_inputs, n_hidden, len(labelled.output_alphabet), cell)
    words, lengths = labelled.padded()
    arrays = (words.astype(np.int32), lengths.astype(np.int32), labelled.labels.astype(np.int32))
    result = fit(
        _classifier_loss(model),
        model.init(seed),
        arrays,
        optimizer=optax.adam(learning_rate),
        epochs=epochs,
        batch_size=min(batch_size, len(labelled)),
        seed=seed,
        progress=progress,
    )
    return model, result.params, result


# -- the teacher -------------------------------------------------------------------------------


@partial(jax.jit, static_argnums=0)
def _classes(model: RecurrentClassifier, params: tuple, words: Array, lengths: Array) -> Array:
    return jnp.argmax(model.para().apply(params, (words, lengths)), -1)


@partial(jax.jit, static_argnums=0)
def _hidden(model: RecurrentClassifier, params: tuple, words: Array, lengths: Array) -> Array:
    return model.hidden(params, (words, lengths))


def _padded(words: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Index words as ``int32[B', T']`` with ``B'`` a power of two and ``T'`` a multiple
    of 8 (padding rows are empty words): few shapes, few compilations."""
    lengths = np.array([len(w) for w in words], dtype=np.int32)
    B = 1 << max(0, len(words) - 1).bit_length()
    T = 8 * max(1, math.ceil(int(lengths.max(initial=0)) / 8))
    out = np.zeros((B, T), np.int32)
    for i, w in enumerate(words):
        out[i, : len(w)] = w
    return out, np.pad(lengths, (0, B - len(words)))


class RNNTeacher(Teacher):
    """Membership queries answered by a :class:`RecurrentClassifier`: the output of a
    prefix is the class the network gives it (``outputs[argmax]``).

    ``kind``: ``"dfa"`` (class 1 accepts) or ``"moore"`` (classes name ``outputs``).

    >>> clf = RecurrentClassifier(n_inputs=2, n_hidden=4)
    >>> teacher = RNNTeacher(clf, clf.init(0), inputs="ab")
    >>> len(teacher.output_word("ab"))                  # every prefix classified
    3
    """

    def __init__(
        self,
        model: RecurrentClassifier,
        params: tuple,
        inputs: Sequence[Hashable],
        kind: str = "dfa",
        outputs: Sequence[Hashable] | None = None,
    ) -> None:
        if kind not in ("dfa", "moore"):
            raise LearningError(f"an RNN classifier teaches a dfa or moore machine, not {kind!r}")
        if kind == "dfa":
            outputs = (False, True)
        elif outputs is None:
            outputs = tuple(range(model.n_outputs))
        if len(outputs) != model.n_outputs or len(tuple(inputs)) != model.n_inputs:
            raise LearningError(
                f"the network has {model.n_inputs} inputs and {model.n_outputs} classes, "
                f"got {len(tuple(inputs))} inputs and {len(outputs)} outputs"
            )
        super().__init__(_ClassifierSystem(model, params, inputs, kind, outputs))
        self.model, self.params = model, params
        self.classes = tuple(outputs)

    def classify(self, words: Sequence[Sequence[int]]) -> list[list[int]]:
        """The teacher's output index of every prefix of each word (one batched run)."""
        return self.system.classify(words)

    def hidden(self, words: Sequence[Sequence[int]], prefixes: bool = False) -> np.ndarray:
        """``[B, n_hidden]``: the hidden state after each word (one batched run); with
        ``prefixes=True`` the states after every prefix, ``[sum(len + 1), n_hidden]``."""
        W, L = _padded(words)
        H = np.asarray(_hidden(self.model, self.params, W, L))[: len(words)]
        if prefixes:
            return H[np.arange(H.shape[1]) <= L[: len(words), None]]
        return H[np.arange(len(words)), L[: len(words)]]


class _ClassifierSystem(System):
    """A recurrent classifier as a system: one batched run classifies every prefix."""

    stepwise = False

    def __init__(
        self,
        model: RecurrentClassifier,
        params: tuple,
        inputs: Sequence[Hashable],
        kind: str,
        outputs: Sequence[Hashable],
    ) -> None:
        super().__init__(inputs, kind, outputs)
        self.model, self.params = model, params
        self._index = np.array([self.intern(o) for o in outputs], dtype=np.int32)

    def classify(self, words: Sequence[Sequence[int]]) -> list[list[int]]:
        """The output index of every prefix of each word (one batched run)."""
        W, L = _padded(words)
        got = self._index[np.asarray(_classes(self.model, self.params, W, L))]
        return [got[i, : len(w) + 1].tolist() for i, w in enumerate(words)]

    def run(
        self, word: Sequence[int], expected: Sequence[int] | None = None, stop: int = -1
    ) -> list[int]:
        outs = self.classify([word])[0]
        return outs if expected is None and stop < 0 else until_difference(outs, expected, stop)


# -- the equivalence oracle --------------------------------------------------------------------


def _separating_suffix(runner: HypothesisRunner, p: int, q: int) -> Word | None:
    """A shortest word after which the hypothesis states ``p`` and ``q`` give different
    outputs, or None if they are equivalent."""
    out, delta = runner.out, runner.delta
    if out[p] != out[q]:
        return ()
    parent: dict[tuple[int, int], tuple[tuple[int, int], int] | None] = {(p, q): None}
    queue = [(p, q)]
    for pair in queue:
        for a in range(runner.k):
            nxt = (delta[pair[0]][a], delta[pair[1]][a])
            if nxt in parent:
                continue
            parent[nxt] = (pair, a)
            if out[nxt[0]] != out[nxt[1]]:
                word, link = [], parent[nxt]
                while link is not None:
                    pair_, b = link
                    word.append(b)
                    link = parent[pair_]
                return tuple(reversed(word))
            queue.append(nxt)
    return None


def _kmeans(points: np.ndarray, k: int, rng: np.random.Generator, rounds: int = 20):
    """``k`` centres of ``points: [N, H]``: k-means++ seeding (far apart points are
    likely centres, so small regions such as the start state get one), Lloyd rounds."""
    centres = points[rng.integers(len(points))][None]
    while len(centres) < k:
        d2 = ((points[:, None] - centres[None]) ** 2).sum(-1).min(1)
        if d2.sum() <= 0:
            break
        centres = np.vstack([centres, points[rng.choice(len(points), p=d2 / d2.sum())]])
    for _ in range(rounds):
        cell = ((points[:, None] - centres[None]) ** 2).sum(-1).argmin(1)
        moved = centres.copy()
        for c in np.unique(cell):
            moved[c] = points[cell == c].mean(0)
        if np.allclose(moved, centres):
            break
        centres = moved
    return centres


class AbstractionOracle(Oracle):
    """Equivalence queries against an :class:`RNNTeacher` (see the module doc).

    ``n_samples`` random words with lengths uniform in ``0..max_length`` are compared
    on every prefix first. The abstraction starts from ``n_clusters`` k-means centres of
    the hidden states of ``cluster_words`` random words; its search visits at most
    ``max_words`` words per query and splits cells at most ``max_splits`` times in all.
    """

    def __init__(
        self,
        n_samples: int = 2000,
        max_length: int = 20,
        n_clusters: int = 16,
        cluster_words: int = 200,
        max_words: int = 5000,
        max_splits: int = 500,
        seed: int = 0,
    ) -> None:
        self.n_samples, self.max_length = n_samples, max_length
        self.n_clusters, self.cluster_words = n_clusters, cluster_words
        self.max_words, self.max_splits = max_words, max_splits
        self.rng = np.random.default_rng(seed)
        self.centres: np.ndarray | None = None
        self.splits = 0

    def find_counterexample(self, hypothesis: Machine, teacher: Teacher) -> Word | None:
        if not isinstance(teacher, RNNTeacher):
            raise LearningError(f"AbstractionOracle needs an RNNTeacher, got {type(teacher)}")
        runner = HypothesisRunner(hypothesis, teacher)
        cex = self._sample(runner, teacher)
        if cex is None:
            cex = self._explore(runner, teacher)
        return cex

    def _compare(self, words: list[Word], runner: HypothesisRunner, teacher: RNNTeacher):
        """The shortest prefix of ``words`` on which the network and hypothesis differ."""
        teacher.stats.tests += len(words)
        teacher.stats.symbols_eq += sum(map(len, words))
        best = None
        for w, got in zip(words, teacher.classify(words)):
            want = runner.expected(w)
            for i, (g, e) in enumerate(zip(got, want)):
                if g != e:
                    if best is None or i < len(best):
                        best = tuple(w[:i])
                    break
        return best

    def _random_words(self, n: int, k: int) -> list[Word]:
        lengths = self.rng.integers(0, self.max_length + 1, n)
        return [tuple(self.rng.integers(0, k, m).tolist()) for m in lengths]

    def _sample(self, runner: HypothesisRunner, teacher: RNNTeacher) -> Word | None:
        if not self.n_samples:
            return None
        return self._compare(self._random_words(self.n_samples, runner.k), runner, teacher)

    def _cell(self, hidden: np.ndarray) -> np.ndarray:
        assert self.centres is not None
        d = ((hidden[:, None, :] - self.centres[None]) ** 2).sum(-1)
        return d.argmin(1)

    def _explore(self, runner: HypothesisRunner, teacher: RNNTeacher) -> Word | None:
        if self.centres is None:
            words = self._random_words(self.cluster_words, runner.k)
            points = teacher.hidden(words, prefixes=True)
            self.centres = _kmeans(points, self.n_clusters, self.rng)
        while True:
            outcome = self._search(runner, teacher)
            if outcome is None or isinstance(outcome, tuple):
                return outcome
            if self.splits >= self.max_splits:
                return None
            self.centres = np.vstack([self.centres, outcome])
            self.splits += 1

    def _search(self, runner: HypothesisRunner, teacher: RNNTeacher) -> Any:
        """One breadth-first pass: a counterexample (tuple), new centres ``[2, H]`` after
        a conflict the network confirms, or None when the pass ends without conflict."""
        owner: dict[int, tuple[int, Word, np.ndarray]] = {}  # cell -> (state, word, hidden)
        level: list[Word] = [()]
        visited = 0
        while level and visited < self.max_words:
            visited += len(level)
            cex = self._compare(level, runner, teacher)
            if cex is not None:
                return cex
            hidden = teacher.hidden(level)
            grow = []
            for w, c, h in zip(level, self._cell(hidden).tolist(), hidden):
                q = runner.run(w)
                if c not in owner:
                    owner[c] = (q, w, h)
                    grow.append(w)
                    continue
                p, first, h_first = owner[c]
                suffix = _separating_suffix(runner, p, q) if p != q else None
                if suffix is None:  # the hypothesis does not tell them apart either
                    continue
                cex = self._compare([first + suffix, w + suffix], runner, teacher)
                if cex is not None:
                    return cex
                # the network tells them apart too: split the cell between them
                return np.stack([h_first, h])
            level = [w + (a,) for w in grow for a in range(runner.k)]
        return None
