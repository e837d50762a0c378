"""The soft automaton's loss with its entropy regulariser (``entropy_weight > 0``) is a
function of the words and their labels only: the padding that makes a batch
rectangular, its length and its symbols, changes nothing (the regulariser averages the
state use over the positions inside the words, not over the padding).

The loss is jitted once per kind (two batch widths each: a few compilations for the
file); a DFA is the Moore machine with two outputs, so Moore and Mealy cover the code.
"""

from __future__ import annotations

from functools import cache

import jax
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from catauto import neural

B, T, PAD, N_STATES, N_INPUTS = 4, 4, 3, 3, 2
KINDS = ["moore", "mealy"]
N_OUTPUTS = 3


@cache
def model_and_loss(kind: str):
    model = neural.SoftAutomaton(kind, N_STATES, N_INPUTS, N_OUTPUTS)
    return model, jax.jit(model.loss)


def logits(kind: str, rng: np.random.Generator) -> dict:
    """Random parameters (logits) of the soft automaton, drawn here rather than by
    ``init`` (its random numbers would compile once more)."""
    out_shape = (N_INPUTS,) if kind == "mealy" else ()
    return {
        "transitions": rng.normal(0, 2, (N_INPUTS, N_STATES, N_STATES)).astype(np.float32),
        "outputs": rng.normal(0, 2, (*out_shape, N_STATES, N_OUTPUTS)).astype(np.float32),
    }


def labelled_batch(kind: str, rng: np.random.Generator, m: int) -> dict:
    """``B`` words of lengths ``0..T`` (one of length ``T``, drawn on purpose: it fills
    the batch, so any position past it is padding), labelled where the words have
    labels, -1 elsewhere; padded with random symbols."""
    lengths = rng.integers(0, T + 1, B).astype(np.int32)
    lengths[rng.integers(B)] = T
    words = rng.integers(0, N_INPUTS, (B, T)).astype(np.int32)
    width = T if kind == "mealy" else T + 1  # Moore: a label before the first input too
    targets = rng.integers(-1, m, (B, width)).astype(np.int32)
    live = np.arange(width) < (lengths[:, None] + (kind != "mealy"))
    return {
        "words": words,
        "lengths": lengths,
        "targets": np.where(live, targets, -1).astype(np.int32),
        "temperature": 0.7,
    }


def padded(batch: dict, extra: int, rng: np.random.Generator) -> dict:
    """The same batch with ``extra`` more columns of random padding (no labels there)."""
    B_ = batch["words"].shape[0]
    more = rng.integers(0, N_INPUTS, (B_, extra)).astype(np.int32)
    return {
        **batch,
        "words": np.concatenate([batch["words"], more], 1),
        "targets": np.concatenate([batch["targets"], np.full((B_, extra), -1, np.int32)], 1),
    }


def repadded(batch: dict, rng: np.random.Generator) -> dict:
    """The same batch with its padding (past each length) replaced by other symbols."""
    words = batch["words"].copy()
    past = np.arange(words.shape[1]) >= batch["lengths"][:, None]
    words[past] = rng.integers(0, N_INPUTS, int(past.sum()))
    return {**batch, "words": words}


@settings(deadline=None)
@given(kind=st.sampled_from(KINDS), seed=st.integers(0, 2**16), weight=st.floats(0.05, 2.0))
def test_padding_does_not_change_the_regularised_loss(kind, seed, weight) -> None:
    """Law: with ``entropy_weight > 0`` the loss of a batch is the same after its padding
    is lengthened or its padding symbols are changed."""
    rng = np.random.default_rng(seed)
    _, loss = model_and_loss(kind)
    params = logits(kind, rng)
    batch = labelled_batch(kind, rng, N_OUTPUTS)
    base = float(loss(params, batch, weight))
    longer = float(loss(params, padded(batch, PAD, rng), weight))
    other = float(loss(params, repadded(batch, rng), weight))
    assert np.isclose(longer, base, rtol=1e-5, atol=1e-6), (longer, base)
    assert np.isclose(other, base, rtol=1e-5, atol=1e-6), (other, base)
    # and the term is there: the regularised loss grows with the weight
    assert float(loss(params, batch, 2 * weight)) > base


@settings(max_examples=10, deadline=None)
@given(kind=st.sampled_from(KINDS), seed=st.integers(0, 2**16))
def test_a_batch_of_equal_lengths_needs_no_padding(kind, seed) -> None:
    """Law: for words that all have the same length the regularised loss is the same
    without padding (every position live) and with it."""
    rng = np.random.default_rng(seed)
    _, loss = model_and_loss(kind)
    params = logits(kind, rng)
    batch = labelled_batch(kind, rng, N_OUTPUTS)
    batch["lengths"] = np.full(B, T, np.int32)  # the labels stay as drawn: fewer, fine
    base = float(loss(params, batch, 0.5))
    assert np.isclose(float(loss(params, padded(batch, PAD, rng), 0.5)), base, rtol=1e-5)
