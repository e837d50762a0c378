"""Learning an automaton by gradient descent, then reading the exact machine back.

:func:`learn_automaton` trains many restarts of a :class:`~catauto.neural.SoftAutomaton`
at once (their parameters stacked along a leading axis, one ``vmap``-ed loss, one
optax optimiser through :func:`catauto.neural.fit`), with

- a **curriculum**: the first steps see short words only (DFA and Moore samples: the
  words up to the current length; input/output traces: their prefixes), the bound
  growing to the longest word;
- **temperature annealing**: the softmax temperature decays geometrically;
- an optional entropy regulariser on state use (see ``SoftAutomaton.loss``);
- a **check on the host** every ``check_every`` steps: every restart's zero-temperature
  (argmax) machine is run on *all* the data, counting per state (Mealy: per
  transition) how often each label falls there. A restart whose counts have at most one
  label per state fits the data;
- **shrinking**: gradient descent has no reason to prefer few states, and a fitting
  restart often keeps several copies of one state apart (the data never tells them
  apart, so minimisation cannot merge them, and the machine generalises wrongly). The
  *leader* is the best restart seen at any check: fewest unexplained labels, then
  fewest states. Once it fits, every restart is replaced by a copy of the leader with
  some of its least used states *closed* (made unreachable, see ``closed`` in
  :func:`~catauto.neural.automaton.transition_logits`), trained on at the
  ``shrink_temperature``; each new leader is copied and shrunk again. Training stops
  after ``settle`` checks without a new leader, or as soon as the leader has no more
  states than the data forces (pairwise distinct prefixes, see
  :func:`~catauto.automata.learn.apta.distinct_prefixes`): then it is minimal;
- **fresh restarts**: when ``settle`` checks pass before anything fits without a new
  leader, the restarts are drawn anew and the schedule starts again (the leader is
  kept). An eighth of every batch is drawn from the words the leader gets wrong.

**Extraction** reads the ``argmax`` transitions, takes for each state (transition) the
label the data puts there (states the data never reaches get the most frequent label;
a DFA's reject, as the passive learners do), writes that output table back into the
parameters (so the returned parameters at zero temperature *are* the machine), keeps
the reachable part and minimises. The machine is then checked symbolically against
every trace. Among the restarts that fit, the smallest minimal machine wins. When none
fits, the closest one is returned with ``consistent=False``, an explanation in
``message`` and an :class:`InconsistentWarning`.

>>> from catauto.automata.traces import Sample
>>> words = ["", "a", "aa", "aaa", "aaaa", "b", "ab", "ba", "bb", "aab", "aba"]
>>> data = Sample(words, [w.count("a") % 2 == 0 for w in words])
>>> r = learn_automaton(data, max_states=3, seeds=8, progress=False)
>>> r.consistent, r.machine.n_states, r.accuracy
(True, 2, 1.0)
"""

from __future__ import annotations

import math
import sys
import time
import warnings
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax

from catauto.automata.learn.passive.apta import PrefixTree, distinct_prefixes, prefix_tree
from catauto.automata.machine import Machine
from catauto.automata.traces import IOTraces, Sample
from catauto.errors import CatautoError
from catauto.neural.automaton import SoftAutomaton, machine_of, stacked_loss
from catauto.neural.train import Batches, fit

__all__ = [
    "CLOSED",
    "EncodedTraces",
    "InconsistentWarning",
    "NeuralResult",
    "encode_traces",
    "learn_automaton",
]

_CHUNK = 512  # words per block of the host-side check (bounds its memory)
CLOSED = -1e9  # the logit bias that closes a state


class InconsistentWarning(UserWarning):
    """``learn_automaton`` found no machine consistent with every trace."""


@dataclass
class NeuralResult:
    """What :func:`learn_automaton` found.

    - ``machine``: the extracted machine, reachable and minimal;
    - ``consistent``: whether it gives every trace its label (checked symbolically);
    - ``accuracy``: the fraction of traces it gets right (labelled words for a sample);
    - ``restart`` / ``restart_errors``: the chosen restart and, for each restart of the
      check that found it, how many labels its argmax machine cannot fit (0: it fits);
    - ``history``: one dict per check: ``step``, ``loss`` (mean per restart over the
      steps since the last check), ``temperature``, ``max_length``, ``errors`` (fewest
      over restarts), ``consistent`` (restarts that fit), ``seconds``, ``phase``
      (``"search"`` or ``"shrink"``: what the steps before the check did) and
      ``population`` (1, 2, ...: which draw of fresh restarts);
    - ``params`` / ``model``: the chosen restart's logits (with the extracted output
      table written in) and its :class:`SoftAutomaton`; ``snapshots``: ``(step, params)``
      of that restart during training when asked for;
    - ``steps``, ``seconds``, ``message`` (a plain-words summary).
    """

    machine: Machine
    consistent: bool
    accuracy: float
    restart: int
    restart_errors: np.ndarray
    history: list[dict]
    params: dict
    model: SoftAutomaton
    steps: int
    seconds: float
    message: str
    snapshots: list[tuple[int, dict]] = field(default_factory=list)


# -- data ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EncodedTraces:
    """Traces as arrays: ``words: int32[B, T]``, ``lengths: int32[B]`` and ``targets``,
    the label index after each prefix ``[B, T + 1]`` (DFA, Moore) or of each step
    ``[B, T]`` (Mealy), -1 where the data says nothing. ``prefix_closed``: every prefix
    of a trace is a trace too (input/output traces), so words may be cut.
    ``default_output``: the label of states the data never reaches, chosen as the
    passive learners choose it (reject for a DFA, else the most frequent label over the
    distinct prefixes of the data)."""

    kind: str
    words: np.ndarray
    lengths: np.ndarray
    targets: np.ndarray
    prefix_closed: bool
    inputs: tuple
    outputs: tuple
    default_output: int

    @property
    def n_labels(self) -> int:
        return int((self.targets >= 0).sum())


def encode_traces(data: Sample | IOTraces, kind: str | None = None) -> EncodedTraces:
    """``data`` as arrays for a ``kind`` machine (default: the kind the data implies;
    ``"moore"`` also reads a DFA sample or Mealy traces). Contradictory traces raise
    ``ContradictionError`` naming both.

    >>> e = encode_traces(IOTraces(["ab"], ["xy"]), kind="moore")
    >>> e.words.tolist(), e.targets.tolist()
    ([[0, 1]], [[-1, 0, 1]])
    """
    return _encode(data, prefix_tree(data, kind))  # checks the kind, finds contradictions


def _encode(data: Sample | IOTraces, tree: PrefixTree) -> EncodedTraces:
    """:func:`encode_traces` with the prefix tree of ``data`` already built."""
    kind = tree.kind
    known = tree.edge_output if kind == "mealy" else tree.label
    known = known[known >= 0]
    default = 0 if kind == "dfa" or not known.size else int(np.bincount(known).argmax())
    words, lengths = data.padded()
    B, T = words.shape
    live = np.arange(T) < lengths[:, None]
    if isinstance(data, IOTraces):
        steps = np.full((B, T), -1, np.int32)
        steps[live] = data.out_symbols
        targets = steps if kind == "mealy" else np.hstack([np.full((B, 1), -1, np.int32), steps])
    else:
        targets = np.full((B, T + 1), -1, np.int32)
        targets[np.arange(B), lengths] = data.labels
    return EncodedTraces(
        kind,
        words.astype(np.int32),
        lengths.astype(np.int32),
        targets,
        isinstance(data, IOTraces),
        data.input_alphabet,
        data.output_alphabet,
        default,
    )


def _bucket(length: int) -> int:
    """Pad widths to multiples of 8: few shapes, few compilations."""
    return 8 * max(1, math.ceil(length / 8))


def _pad(a: np.ndarray, width: int, fill: int) -> np.ndarray:
    if a.shape[1] >= width:
        return a[:, :width]
    return np.pad(a, ((0, 0), (0, width - a.shape[1])), constant_values=fill)


def _round_batches(
    enc: EncodedTraces,
    rng: np.random.Generator,
    n_batches: int,
    batch_size: int,
    max_length: int,
    temperature: float,
    focus: np.ndarray | None = None,
) -> list[dict]:
    """``n_batches`` minibatches of one shape for the words up to ``max_length``
    (traces: cut to it), each with the round's temperature. An eighth of every batch
    is drawn from ``focus`` (words the leader gets wrong) when it has any in reach."""
    lengths = enc.lengths
    size = batch_size  # always: one shape whatever the data's size (small data repeats)
    if enc.prefix_closed:
        pool, cut = np.arange(len(lengths)), max_length
    else:
        pool = np.flatnonzero(lengths <= max_length)
        if len(pool) < size:  # too few short words: take the shortest ones
            pool = np.argsort(lengths, kind="stable")[:size]
        cut = int(lengths[pool].max())
    width = _bucket(cut)
    out_width = width if enc.kind == "mealy" else width + 1
    batches = []
    if focus is not None:
        focus = np.intersect1d(focus, pool)
    extra = size // 8 if focus is not None and len(focus) else 0
    for _ in range(n_batches):
        idx = rng.choice(pool, size - extra, replace=len(pool) < size)
        if extra:  # a rare label the leader gets wrong has too little say otherwise
            idx = np.concatenate([idx, rng.choice(focus, extra)])
        cut_lengths = np.minimum(lengths[idx], cut).astype(np.int32)
        # labels past the cut belong to the longer word: drop them
        last = cut_lengths[:, None] - (1 if enc.kind == "mealy" else 0)
        targets = _pad(enc.targets[idx], out_width, -1)
        targets = np.where(np.arange(out_width) > last, -1, targets).astype(np.int32)
        batches.append(
            {
                "words": _pad(enc.words[idx], width, 0),
                "lengths": cut_lengths,
                "targets": targets,
                "temperature": np.float32(temperature),
            }
        )
    return batches


# -- the check on the host ---------------------------------------------------------------------


@partial(jax.jit, static_argnums=0)
def _stacked_votes(model: SoftAutomaton, stacked: Any, words: Any, lengths: Any, targets: Any):
    return jax.vmap(lambda p: model.votes(p, words, lengths, targets))(stacked)


def _label_votes(model: SoftAutomaton, stacked: Any, enc: EncodedTraces) -> np.ndarray:
    """Label counts of every restart's argmax machine over all the data, in blocks of
    ``_CHUNK`` words: ``[S, n, m]`` (Mealy ``[S, k, n, m]``), see ``SoftAutomaton.votes``."""
    total = None
    B, T = enc.words.shape
    width = _bucket(T)  # one shape for data of similar lengths
    words = _pad(enc.words, width, 0)
    all_targets = _pad(enc.targets, width if enc.kind == "mealy" else width + 1, -1)
    for lo in range(0, B, _CHUNK):
        rows = np.arange(lo, lo + _CHUNK)
        real = rows < B
        rows = np.minimum(rows, B - 1)  # pad the last block with silent copies
        lengths = np.where(real, enc.lengths[rows], 0)
        targets = np.where(real[:, None], all_targets[rows], -1)
        v = _stacked_votes(model, stacked, words[rows], lengths, targets)
        total = v if total is None else total + v
    if total is None:
        raise CatautoError("no traces to learn from")
    return np.asarray(total)


def _unexplained(votes: np.ndarray) -> np.ndarray:
    """Labels no output table can give the argmax machine: per restart, the counts
    outside each state's (transition's) majority label."""
    missed = votes.sum(-1) - votes.max(-1)
    return missed.reshape(len(missed), -1).sum(1).astype(np.int64)


def _with_outputs(model: SoftAutomaton, params: dict, votes: np.ndarray, default: int) -> dict:
    """``params`` with the output logits replaced by the majority label of each state
    (transition), ``default`` where no label falls: the argmax machine's best fit."""
    chosen = np.where(votes.sum(-1) > 0, votes.argmax(-1), default)
    logits = 8.0 * jax.nn.one_hot(chosen, model.n_outputs)
    return {**params, "outputs": jnp.asarray(logits, params["outputs"].dtype)}


# -- learning ----------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _adam(learning_rate: float) -> optax.GradientTransformation:
    """One optimiser object per learning rate, so ``fit`` reuses its compilation."""
    return optax.adam(learning_rate)


def _slice(stacked: Any, i: int) -> Any:
    return jax.tree.map(lambda a: a[i], stacked)


def learn_automaton(
    data: Sample | IOTraces,
    kind: str | None = None,
    max_states: int = 10,
    seeds: int = 32,
    *,
    steps: int = 2000,
    batch_size: int = 256,
    learning_rate: float = 0.1,
    check_every: int = 50,
    temperature: tuple[float, float] = (1.0, 0.2),
    anneal_steps: int = 2000,
    shrink_temperature: float = 1.0,
    curriculum: tuple[int, int] | None = (5, 200),
    entropy_weight: float = 0.0,
    identity_bias: float = 1.0,
    init_scale: float = 2.0,
    seed: int = 0,
    settle: int = 8,
    time_limit: float | None = None,
    snapshot_every: int | None = None,
    progress: bool = True,
) -> NeuralResult:
    """Learn a DFA, Moore or Mealy machine from ``data`` by gradient descent.

    - ``data``: a ``Sample`` (DFA or Moore) or ``IOTraces`` (Mealy); ``kind`` as for
      ``rpni`` (``"moore"`` also reads DFA samples and Mealy traces);
    - ``max_states``: states of the relaxed machine (a bit above the expected size, say
      twice, works best); ``seeds``: random restarts trained at once;
    - ``steps``: the most optimiser steps; ``batch_size`` words per step;
      ``learning_rate`` for Adam; ``check_every``: steps between checks (and early stop);
    - ``temperature=(start, end)`` decays geometrically over ``anneal_steps`` (until
      shrinking starts);
      ``curriculum=(first_length, steps_to_full_length)`` or None;
    - ``entropy_weight``: weight of the state-use entropy; ``identity_bias``,
      ``init_scale``: the initial transition logits (see ``SoftAutomaton``);
    - ``settle``: checks without a new leader after which fresh restarts are drawn
      (nothing fits yet) or training stops (shrinking, see the module doc); 0 stops at
      the first fit;
      ``shrink_temperature``: the temperature while shrinking;
    - ``seed``: everything random derives from it (same seed, same result);
    - ``time_limit``: seconds after which training stops at the next check;
    - ``snapshot_every``: keep the chosen restart's parameters every that many checks
      (for drawing, see :func:`catauto.neural.soft_to_dot`);
    - ``progress``: one line per check on stderr.
    """
    settings = _Settings(
        max_states=max_states,
        seeds=seeds,
        steps=steps,
        batch_size=batch_size,
        learning_rate=learning_rate,
        check_every=check_every,
        temperature=temperature,
        anneal_steps=anneal_steps,
        shrink_temperature=shrink_temperature,
        curriculum=curriculum,
        entropy_weight=entropy_weight,
        identity_bias=identity_bias,
        init_scale=init_scale,
        seed=seed,
        settle=settle,
        time_limit=time_limit,
        snapshot_every=snapshot_every,
        progress=progress,
    )
    learner = _Learner(data, kind, settings)
    while True:
        learner.round()
        learner.next_phase()
        if learner.done():
            break
    result = learner.result()
    if not result.consistent:
        warnings.warn(result.message, InconsistentWarning, stacklevel=2)
    if progress:
        print(f"neural {learner.enc.kind}: {result.message}", file=sys.stderr, flush=True)
    return result


@dataclass(frozen=True)
class _Settings:
    """The knobs of :func:`learn_automaton` (see there), checked when the record is made:
    counts ``>= 1``, ``settle >= 0``, temperatures ``> 0``. ``temperature`` is kept as a
    pair of floats."""

    max_states: int
    seeds: int
    steps: int
    batch_size: int
    learning_rate: float
    check_every: int
    temperature: tuple[float, float]
    anneal_steps: int
    shrink_temperature: float
    curriculum: tuple[int, int] | None
    entropy_weight: float
    identity_bias: float
    init_scale: float
    seed: int
    settle: int
    time_limit: float | None
    snapshot_every: int | None
    progress: bool

    def __post_init__(self) -> None:
        max_states, seeds, steps = self.max_states, self.seeds, self.steps
        check_every, batch_size = self.check_every, self.batch_size
        if max_states < 1 or seeds < 1 or steps < 1 or check_every < 1 or batch_size < 1:
            raise CatautoError(
                "max_states, seeds, steps, check_every and batch_size must be >= 1, got "
                f"{max_states}, {seeds}, {steps}, {check_every}, {batch_size}"
            )
        if self.settle < 0:
            raise CatautoError(f"settle must be >= 0, got {self.settle}")
        try:
            start, end = map(float, self.temperature)
        except (TypeError, ValueError):
            raise CatautoError(
                f"temperature must be a pair (start, end), got {self.temperature!r}"
            ) from None
        if not min(start, end, self.shrink_temperature) > 0:
            raise CatautoError(
                f"temperatures must be > 0, got {self.temperature} and shrink_temperature="
                f"{self.shrink_temperature}"
            )
        object.__setattr__(self, "temperature", (start, end))  # frozen: set once, here


@dataclass
class _Leader:
    """The best restart so far: fewest unexplained labels, then fewest states."""

    restart: int
    params: dict
    machine: Machine
    votes: np.ndarray  # its label counts (they rank its states by use)
    errors: np.ndarray  # every restart's unexplained labels at that check
    check: int

    @property
    def missed(self) -> int:
        """The labels its argmax machine cannot fit (0: it fits the data)."""
        return int(self.errors[self.restart])

    @property
    def fits(self) -> bool:
        return self.missed == 0

    @property
    def key(self) -> tuple[int, int]:
        return self.missed, self.machine.n_states


class _Learner:
    """One run of :func:`learn_automaton`: the restarts in training (stacked), the leader
    and where the schedule stands. Each :meth:`round` trains and checks; then
    :meth:`next_phase` may draw :meth:`fresh_restarts` (the search stalled) or
    :meth:`shrink` the leader; :meth:`done` says when to stop.

    The phase is ``"search"`` (annealed, a curriculum) until the first fit, ``"shrink"``
    (reheated, whole words) from then on; fresh restarts happen only while searching.
    ``leader`` is set by the first check, so every method after :meth:`round` has one."""

    def __init__(self, data: Sample | IOTraces, kind: str | None, settings: _Settings) -> None:
        if not len(data):
            raise CatautoError("no traces to learn from")
        s = self.settings = settings
        self.start = time.perf_counter()
        tree = prefix_tree(data, kind)
        enc = _encode(data, tree)
        if not enc.inputs:
            raise CatautoError(
                "learn_automaton: the data has no input symbols (every word is empty), so "
                "there are no transitions to learn; rpni(data) gives the one-state machine "
                "it implies"
            )
        if not enc.n_labels:
            raise CatautoError("learn_automaton: no word of the data is labelled: nothing to learn")
        self.data, self.enc = data, enc
        self.needed = len(distinct_prefixes(tree))  # states any fit must have
        self.model = SoftAutomaton(
            enc.kind,
            s.max_states,
            len(enc.inputs),
            max(len(enc.outputs), 1),
            s.identity_bias,
            s.init_scale,
        )
        self.stacked = _fresh(self.model, s.seed, s.seeds)
        self.loss = stacked_loss(self.model, float(s.entropy_weight))
        self.optimizer = _adam(float(s.learning_rate))
        self.rng = np.random.default_rng(s.seed)
        self.longest = int(enc.lengths.max())
        self.phase = "search"
        self.step = 0
        self.begun = 0  # the step at which the current restarts began
        self.history: list[dict] = []
        self.leader: _Leader | None = None  # set by the first check
        self.unimproved = 0  # checks since the leader last changed
        self.focus: np.ndarray | None = None  # words the leader gets wrong, drawn more often
        self.populations = [0]  # the checks after which fresh restarts began
        self.snapshots: list[tuple[int, int, Any]] = []  # (check, step, stacked parameters)
        self.lineage: list[tuple[int, int]] = []  # (check, restart) each shrink copied

    # -- a round: train, then check ------------------------------------------------------
    def schedule(self) -> tuple[float, int]:
        """The temperature and the longest words of the next steps: annealed and growing
        with the age of the restarts while searching, reheated on whole words while
        shrinking."""
        s = self.settings
        if self.phase == "shrink":
            return s.shrink_temperature, self.longest
        age = self.step - self.begun
        start, end = s.temperature
        tau = start * (end / start) ** min(1.0, age / max(s.anneal_steps, 1))
        return tau, _curriculum(s.curriculum, self.longest, age)

    def round(self) -> None:
        """Train every restart ``check_every`` steps (fewer at the end), then check."""
        s = self.settings
        n = min(s.check_every, s.steps - self.step)
        tau, max_length = self.schedule()
        fitted = fit(
            self.loss,
            self.stacked,
            Batches(
                _round_batches(self.enc, self.rng, n, s.batch_size, max_length, tau, self.focus)
            ),
            optimizer=self.optimizer,
            epochs=1,
            batch_size=None,
            seed=s.seed + len(self.history),
            progress=False,
        )
        self.stacked = fitted.params
        self.step += n
        self.check(fitted.history[0]["loss"] / s.seeds, tau, max_length)

    def check(self, loss: float, tau: float, max_length: int) -> None:
        """Run every restart's argmax machine on all the data, record the check, and make
        the best restart the leader if it beats the one so far."""
        s = self.settings
        votes = _label_votes(self.model, self.stacked, self.enc)
        errors = _unexplained(votes)
        record = {
            "step": self.step,
            "loss": loss,
            "temperature": tau,
            "max_length": max_length,
            "errors": int(errors.min()),
            "consistent": int((errors == 0).sum()),
            "seconds": time.perf_counter() - self.start,
            "phase": self.phase,
            "population": len(self.populations),
        }
        self.history.append(record)
        if s.progress:
            _report(record, s.steps, s.seeds, self.enc.n_labels)
        if s.snapshot_every and len(self.history) % s.snapshot_every == 0:
            self.snapshots.append((len(self.history), self.step, jax.device_get(self.stacked)))
        restart, params, machine = _choose(self.model, self.stacked, votes, errors, self.enc)
        found = _Leader(restart, params, machine, votes[restart], errors, len(self.history))
        if self.leader is None or found.key < self.leader.key:
            self.leader, self.unimproved = found, 0
            # the words it gets wrong (none when it fits): once per new leader
            self.focus = self.data.misses(found.machine) if found.missed else None
        else:
            self.unimproved += 1

    # -- the phases -----------------------------------------------------------------------
    @property
    def minimal(self) -> bool:
        """The leader fits with no more states than the data forces: nothing smaller fits."""
        return self.leader.fits and self.leader.machine.n_states <= self.needed

    def next_phase(self) -> None:
        """After a check (never with ``settle=0``): fresh restarts when the search has had
        ``settle`` checks without a new leader and nothing fits; a new shrink at the first
        fit and at every new leader while shrinking, unless the leader is minimal."""
        settle = self.settings.settle
        if not settle:
            return
        fits = self.leader.fits
        if self.phase == "search" and self.unimproved >= settle and not fits:
            self.fresh_restarts()
        elif not self.minimal and (self.unimproved == 0 if self.phase == "shrink" else fits):
            self.shrink()

    def fresh_restarts(self) -> None:
        """New random restarts and the search's schedule anew (the leader is kept)."""
        s = self.settings
        self.stacked = _fresh(self.model, s.seed + len(self.history), s.seeds)
        self.unimproved, self.begun = 0, self.step
        self.populations.append(len(self.history))

    def shrink(self) -> None:
        """Every restart becomes a copy of the leader with some of its least used states
        closed (see :func:`_shrink`), trained from now on at the shrink temperature."""
        self.phase, self.unimproved = "shrink", 0
        self.stacked = _shrink(
            self.model, self.leader.params, self.leader.votes, self.settings.seeds
        )
        self.lineage.append((self.leader.check, self.leader.restart))

    def done(self) -> bool:
        """Stop at a minimal leader, out of steps or time, and after ``settle`` checks
        without a new leader (``settle=0``: at the first fit)."""
        s = self.settings
        settled = self.unimproved >= s.settle if s.settle else self.leader.fits
        out_of_time = s.time_limit is not None and self.history[-1]["seconds"] > s.time_limit
        return settled or self.minimal or self.step >= s.steps or out_of_time

    # -- the result -----------------------------------------------------------------------
    def result(self) -> NeuralResult:
        """The leader as a :class:`NeuralResult`, checked symbolically against the data."""
        s, leader, data = self.settings, self.leader, self.data
        machine = leader.machine
        accuracy = data.accuracy(machine)
        consistent = accuracy == 1.0
        seconds = time.perf_counter() - self.start
        # what data.accuracy checked: a sample's labelled words, every input/output trace
        labelled = int(data.labelled.sum()) if isinstance(data, Sample) else None
        checked = f"{len(data)} traces" if labelled is None else f"{labelled} labelled words"
        if consistent:
            message = (
                f"consistent with all {checked}: {machine.n_states} states "
                f"(restart {leader.restart} of {s.seeds}, {self.step} steps, {seconds:.1f} s)"
            )
        else:
            message = (
                f"no machine consistent with all {checked} found with "
                f"max_states={s.max_states}: the best of {s.seeds} restarts gets "
                f"{accuracy:.1%} right ({leader.missed} labels unexplained) after "
                f"{self.step} steps; raise max_states, steps or seeds"
            )
        return NeuralResult(
            machine=machine,
            consistent=consistent,
            accuracy=accuracy,
            restart=leader.restart,
            restart_errors=leader.errors,
            history=self.history,
            params=leader.params,
            model=self.model,
            steps=self.step,
            seconds=seconds,
            message=message,
            snapshots=self.leader_snapshots(),
        )

    def leader_snapshots(self) -> list[tuple[int, dict]]:
        """``(step, params)`` of the leader's past: at each snapshot, the restart that the
        next shrink copied (the leader itself after the last one), from the checks of the
        leader's own population of restarts up to the check that found it."""
        leader, lineage = self.leader, self.lineage
        if not lineage or lineage[-1] != (leader.check, leader.restart):
            lineage = [*lineage, (leader.check, leader.restart)]
        since = max(c for c in self.populations if c < leader.check)
        return [
            (step, _slice(stacked, next(r for at, r in lineage if at >= c)))
            for c, step, stacked in self.snapshots
            if since < c <= leader.check
        ]


def _curriculum(curriculum: tuple[int, int] | None, longest: int, step: int) -> int:
    """The longest words seen at ``step``: ``first`` growing to ``longest`` in ``ramp``."""
    if curriculum is None:
        return longest
    first, ramp = curriculum
    length = round(first + (longest - first) * min(1.0, step / max(ramp, 1)))
    return max(1, min(longest, length))


def _fresh(model: SoftAutomaton, seed: int, copies: int) -> dict:
    """``copies`` new random restarts (stacked), no state closed."""
    stacked = jax.vmap(model.init)(jax.random.split(jax.random.key(seed), copies))
    return {**stacked, "closed": jnp.zeros((copies, model.n_states))}


def _shrink(model: SoftAutomaton, params: dict, votes: np.ndarray, copies: int) -> dict:
    """``copies`` copies of ``params`` (stacked) with the states the data does not use
    closed, and more closed in each copy: one state each (the least used first) in all
    but a few copies, which close the 2, 3, ... least used together (big steps while
    there are many spare states). Never the start state; ``votes`` counts the use."""
    use = votes.reshape(-1, model.n_states, votes.shape[-1]).sum(axis=(0, 2)).astype(float)
    use[np.asarray(params["closed"]) < 0] = 0.0  # closed already: stays closed
    use[0] = np.inf
    unused = use == 0
    order = [q for q in np.argsort(use, kind="stable") if not unused[q] and q != 0]
    together = min(copies // 4, max(len(order) - 1, 0))
    singles = [order[i : i + 1] for i in range(copies - together)]
    groups = singles + [order[: j + 2] for j in range(together)]
    masks = np.where(unused, CLOSED, 0.0).astype(np.float32)[None].repeat(copies, 0)
    for mask, group in zip(masks, groups):
        mask[group] = CLOSED
    stacked = jax.tree.map(lambda a: jnp.broadcast_to(a, (copies, *a.shape)), params)
    return {**stacked, "closed": jnp.asarray(masks)}


def _choose(
    model: SoftAutomaton, stacked: Any, votes: np.ndarray, errors: np.ndarray, enc: EncodedTraces
) -> tuple[int, dict, Machine]:
    """The restart with the smallest minimal machine among those that fit (the closest
    one when none does): ``(restart, params with outputs written in, machine)``."""
    fitting = np.flatnonzero(errors == 0)
    candidates = fitting if len(fitting) else [int(errors.argmin())]
    best = None
    for s in candidates:
        params = _with_outputs(model, _slice(stacked, int(s)), votes[s], enc.default_output)
        machine = machine_of(model, params, enc.inputs, enc.outputs).minimize()
        if best is None or machine.n_states < best[2].n_states:
            best = (int(s), params, machine)
    assert best is not None
    return best


def _report(record: dict, steps: int, seeds: int, n_labels: int) -> None:
    print(
        f"neural: step {record['step']}/{steps}, loss {record['loss']:.4f}, "
        f"temperature {record['temperature']:.2f}, words up to {record['max_length']}, "
        f"best restart {1 - record['errors'] / max(n_labels, 1):.2%} of labels, "
        f"{record['consistent']}/{seeds} restarts consistent, {record['seconds']:.1f} s",
        file=sys.stderr,
        flush=True,
    )
