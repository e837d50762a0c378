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

>>> from catauto.automata.learn.sample import Sample
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

from catauto.automata.learn.apta import PrefixTree, distinct_prefixes, prefix_tree
from catauto.automata.learn.sample import IOTraces, Sample
from catauto.automata.machine import Machine
from catauto.errors import CatautoError
from catauto.neural.automaton import SoftAutomaton, machine_of, stacked_loss
from catauto.neural.train import Batches, fit

__all__ = ["InconsistentWarning", "NeuralResult", "learn_automaton", "encode_traces"]

CHUNK = 512  # words per block of the host-side check (bounds its memory)
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


def label_votes(model: SoftAutomaton, stacked: Any, enc: EncodedTraces) -> np.ndarray:
    """Label counts of every restart's argmax machine over all the data, in blocks of
    ``CHUNK`` words: ``[S, n, m]`` (Mealy ``[S, k, n, m]``), see ``SoftAutomaton.votes``."""
    total = None
    B, T = enc.words.shape
    width = _bucket(T)  # one shape for data of similar lengths
    words = _pad(enc.words, width, 0)
    all_targets = _pad(enc.targets, width if enc.kind == "mealy" else width + 1, -1)
    for lo in range(0, B, CHUNK):
        rows = np.arange(lo, lo + CHUNK)
        real = rows < B
        rows = np.minimum(rows, B - 1)  # pad the last block with silent copies
        lengths = np.where(real, enc.lengths[rows], 0)
        targets = np.where(real[:, None], all_targets[rows], -1)
        v = _stacked_votes(model, stacked, words[rows], lengths, targets)
        total = v if total is None else total + v
    if total is None:
        raise CatautoError("no traces to learn from")
    return np.asarray(total)


def unexplained(votes: np.ndarray) -> np.ndarray:
    """Labels no output table can give the argmax machine: per restart, the counts
    outside each state's (transition's) majority label."""
    missed = votes.sum(-1) - votes.max(-1)
    return missed.reshape(len(missed), -1).sum(1).astype(np.int64)


def with_outputs(model: SoftAutomaton, params: dict, votes: np.ndarray, default: int) -> dict:
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
    if max_states < 1 or seeds < 1 or steps < 1 or check_every < 1 or batch_size < 1:
        raise CatautoError(
            "max_states, seeds, steps, check_every and batch_size must be >= 1, got "
            f"{max_states}, {seeds}, {steps}, {check_every}, {batch_size}"
        )
    if settle < 0:
        raise CatautoError(f"settle must be >= 0, got {settle}")
    try:
        t_start, t_end = map(float, temperature)
    except (TypeError, ValueError):
        raise CatautoError(
            f"temperature must be a pair (start, end), got {temperature!r}"
        ) from None
    if not min(t_start, t_end, shrink_temperature) > 0:
        raise CatautoError(
            f"temperatures must be > 0, got {temperature} and shrink_temperature="
            f"{shrink_temperature}"
        )
    if not len(data):
        raise CatautoError("no traces to learn from")
    start_time = time.perf_counter()
    tree = prefix_tree(data, kind)
    enc = _encode(data, tree)
    if not enc.inputs:
        raise CatautoError(
            "learn_automaton: the data has no input symbols (every word is empty), so there "
            "are no transitions to learn; rpni(data) gives the one-state machine it implies"
        )
    if not enc.n_labels:
        raise CatautoError("learn_automaton: no word of the data is labelled: nothing to learn")
    needed = len(distinct_prefixes(tree))  # states any fit must have
    model = SoftAutomaton(
        enc.kind, max_states, len(enc.inputs), max(len(enc.outputs), 1), identity_bias, init_scale
    )
    stacked = _fresh(model, seed, seeds)
    loss = stacked_loss(model, float(entropy_weight))
    optimizer = _adam(float(learning_rate))
    rng = np.random.default_rng(seed)
    longest = int(enc.lengths.max())
    history: list[dict] = []
    snapshots: list[tuple[int, int, Any]] = []  # (check, step, stacked parameters)
    leader: _Leader | None = None
    shrinking = False
    unimproved = 0  # checks since the leader last changed
    lineage: list[tuple[int, int]] = []  # (check, restart) each shrink copied
    populations = [0]  # the checks after which fresh restarts began
    focus: np.ndarray | None = None  # words the leader gets wrong, drawn more often
    step = begun = 0
    while True:
        n = min(check_every, steps - step)
        if shrinking:  # reheated, whole words
            tau, max_length = shrink_temperature, longest
        else:
            age = step - begun  # steps since these restarts began
            tau = t_start * (t_end / t_start) ** min(1.0, age / max(anneal_steps, 1))
            max_length = _curriculum(curriculum, longest, age)
        batches = Batches(_round_batches(enc, rng, n, batch_size, max_length, tau, focus))
        fitted = fit(
            loss,
            stacked,
            batches,
            optimizer=optimizer,
            epochs=1,
            batch_size=None,
            seed=seed + len(history),
            progress=False,
        )
        stacked = fitted.params
        step += n
        votes = label_votes(model, stacked, enc)
        errors = unexplained(votes)
        record = {
            "step": step,
            "loss": fitted.history[0]["loss"] / seeds,
            "temperature": tau,
            "max_length": max_length,
            "errors": int(errors.min()),
            "consistent": int((errors == 0).sum()),
            "seconds": time.perf_counter() - start_time,
            "phase": "shrink" if shrinking else "search",
            "population": len(populations),
        }
        history.append(record)
        if progress:
            _report(record, steps, seeds, enc.n_labels)
        if snapshot_every and len(history) % snapshot_every == 0:
            snapshots.append((len(history), step, jax.device_get(stacked)))
        restart, params, machine = _choose(model, stacked, votes, errors, enc)
        found = _Leader(restart, params, machine, votes[restart], errors, len(history))
        if leader is None or found.key < leader.key:
            leader, unimproved = found, 0
            # the words it gets wrong (none when it fits): once per new leader
            focus = data.misses(leader.machine) if leader.key[0] else None
        else:
            unimproved += 1
        fits = leader.key[0] == 0
        minimal = fits and leader.machine.n_states <= needed  # nothing smaller can fit
        stalled = unimproved >= settle
        if settle and not shrinking and stalled and not fits:
            # no restart fits and none gets closer: fresh restarts, the schedule anew
            stacked = _fresh(model, seed + len(history), seeds)
            unimproved, stalled, begun = 0, False, step
            populations.append(len(history))
        elif settle and not minimal and (unimproved == 0 if shrinking else fits):
            # copies of the leader with states closed, whenever a new one is found
            shrinking, unimproved, stalled = True, 0, False
            stacked = _shrink(model, leader.params, leader.votes, seeds)
            lineage.append((leader.check, leader.restart))
        out_of_time = time_limit is not None and record["seconds"] > time_limit
        if (stalled if settle else fits) or minimal or step >= steps or out_of_time:
            break

    assert leader is not None
    restart, params, machine = leader.restart, leader.params, leader.machine
    if not lineage or lineage[-1] != (leader.check, restart):
        lineage.append((leader.check, restart))
    accuracy = data.accuracy(machine)
    consistent = accuracy == 1.0
    seconds = time.perf_counter() - start_time
    # what data.accuracy checked: a sample's labelled words, every input/output trace
    labelled = int(data.labelled.sum()) if isinstance(data, Sample) else None
    checked = f"{len(data)} traces" if labelled is None else f"{labelled} labelled words"
    if consistent:
        message = (
            f"consistent with all {checked}: {machine.n_states} states "
            f"(restart {restart} of {seeds}, {step} steps, {seconds:.1f} s)"
        )
    else:
        message = (
            f"no machine consistent with all {checked} found with "
            f"max_states={max_states}: the best of {seeds} restarts gets {accuracy:.1%} right "
            f"({leader.key[0]} labels unexplained) after {step} steps; raise "
            "max_states, steps or seeds"
        )
        warnings.warn(message, InconsistentWarning, stacklevel=2)
    if progress:
        print(f"neural {enc.kind}: {message}", file=sys.stderr, flush=True)
    return NeuralResult(
        machine=machine,
        consistent=consistent,
        accuracy=accuracy,
        restart=restart,
        restart_errors=leader.errors,
        history=history,
        params=params,
        model=model,
        steps=step,
        seconds=seconds,
        message=message,
        snapshots=_ancestors(snapshots, lineage, restart, populations, leader.check),
    )


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
    def key(self) -> tuple[int, int]:
        return int(self.errors[self.restart]), self.machine.n_states


def _ancestors(
    snapshots: list, lineage: list[tuple[int, int]], restart: int, populations: list, check: int
) -> list:
    """The snapshots of the returned restart's past: each check's parameters of the
    restart that the next shrink copied (or the returned one), from the checks of its
    own population of restarts up to ``check``, the one that found it."""
    since = max(c for c in populations if c < check)
    out = []
    for c, step, stacked in snapshots:
        owner = next((r for at, r in lineage if at >= c), None)
        if since < c <= check and owner is not None:
            out.append((step, _slice(stacked, owner)))
    return out


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
        params = with_outputs(model, _slice(stacked, int(s)), votes[s], enc.default_output)
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
