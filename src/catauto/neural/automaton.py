r"""The differentiable automaton: a machine's coalgebra relaxed to distributions over states.

A DFA, Moore or Mealy machine with ``n`` states over ``k`` inputs is a coalgebra
``X -> O × X^I`` (Mealy: ``(O × X)^I``). Replacing the state set ``X`` by the simplex of
distributions over it makes every part of the structure map a stochastic matrix:

- input ``a`` moves a distribution ``h: [n]`` to ``h @ P[a]``, with
  ``P[a] = softmax(logits[a] / τ)`` row-stochastic ``[n, n]``;
- a Moore (or DFA) state emits ``softmax(out_logits[q] / τ)`` over ``m`` outputs, a
  Mealy transition ``(q, a)`` emits ``softmax(out_logits[a, q] / τ)``;
- the run starts in the one-hot state 0.

The weights have the layout of :func:`catauto.neural.machine_weights` (``start: [n]``,
``transitions: [k, n, n]``, ``outputs: [n, m]`` or ``[k, n, m]``), and at temperature
``τ = 0`` they *are* the compiled weights of the machine read off by ``argmax``: the
relaxed run at zero temperature is the symbolic run of the extracted machine (a law the
tests check). The run itself is the lifted Moore coalgebra run of
:func:`catauto.neural.run_moore`, i.e. the one batched scan of the library.

A DFA is the Moore machine with outputs ``(False, True)``.

>>> import jax, jax.numpy as jnp
>>> model = SoftAutomaton("dfa", n_states=3, n_inputs=2)
>>> params = model.init(jax.random.key(0))
>>> params["transitions"].shape, params["outputs"].shape
((2, 3, 3), (3, 2))
>>> words, lengths = jnp.array([[0, 1, 1], [1, 0, 0]]), jnp.array([3, 1])
>>> probs = model.run(params, (words, lengths))          # [B, T + 1, m]
>>> probs.shape, bool(jnp.allclose(probs.sum(-1), 1.0))
((2, 4, 2), True)
>>> hard = model.run(params, (words, lengths), temperature=0.0)
>>> bool(((hard == 0) | (hard == 1)).all())              # one-hot: a symbolic run
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from catauto.automata.machine import DFA, KINDS, Machine, Mealy, Moore
from catauto.errors import CatautoError
from catauto.neural.cells import constant_state
from catauto.neural.compile import checked_batch
from catauto.neural.fold import run_moore, scan, split_batch
from catauto.neural.keys import as_key
from catauto.para import Para, Reparam

__all__ = ["SoftAutomaton", "machine_of", "relax", "stacked_loss", "transition_logits"]

Array = jax.Array


def relax(logits: Array, temperature: float | Array) -> Array:
    """``softmax(logits / temperature)`` over the last axis; temperature ``0`` (any
    concrete scalar: a Python, numpy or JAX number) gives the one-hot ``argmax`` (first
    maximum on ties), the limit ``τ -> 0``. A traced temperature (an argument of a
    ``jit``-ed function) cannot be inspected: it is taken as nonzero, so a traced 0
    gives NaN; pass 0 as a concrete (or static) value.

    >>> relax(jnp.array([1.0, 3.0, 3.0]), 0).tolist()
    [0.0, 1.0, 0.0]
    """
    if _is_zero(temperature):
        return jax.nn.one_hot(jnp.argmax(logits, -1), logits.shape[-1], dtype=logits.dtype)
    return jax.nn.softmax(logits / temperature, axis=-1)


def _transition_step(P: Array, hx: tuple[Array, Array]) -> Array:
    """``h' = h @ P[x]`` for a batch: ``h: [B, n]``, ``x: int[B]``, ``P: [k, n, n]``."""
    h, x = hx
    moved = jnp.einsum("bq,aqr->bar", h, P)  # every input at once: one matmul
    return jnp.einsum("bar,ba->br", moved, jax.nn.one_hot(x, P.shape[0], dtype=h.dtype))


@dataclass(frozen=True)
class SoftAutomaton:
    """A relaxed ``kind`` machine with ``n_states`` states (see the module doc).

    Parameters are logits ``{"transitions": [k, n, n], "outputs": [n, m] | [k, n, m]}``
    (``m = 2`` for a DFA: index 1 accepts). ``init`` draws transition logits
    ``init_scale · N(0, 1) + identity_bias · I``: every state starts out leaning towards
    staying put, so that long words do not wash the distribution out before learning
    has begun.
    """

    kind: str
    n_states: int
    n_inputs: int
    n_outputs: int = 2
    identity_bias: float = 1.0
    init_scale: float = 2.0

    def __post_init__(self) -> None:
        kinds = tuple(KINDS)  # a tuple also refuses an unhashable kind with this message
        if self.kind not in kinds:
            raise CatautoError(f"kind must be one of {kinds}, got {self.kind!r}")
        if self.n_states < 1 or self.n_inputs < 1 or self.n_outputs < 1:
            raise CatautoError(
                f"a soft automaton needs n_states, n_inputs, n_outputs >= 1, got "
                f"{self.n_states}, {self.n_inputs}, {self.n_outputs}"
            )
        if self.kind == "dfa" and self.n_outputs != 2:
            raise CatautoError(f"a DFA has 2 outputs (reject, accept), got {self.n_outputs}")

    # -- parameters and weights -------------------------------------------------------------
    def init(self, key: Any) -> dict[str, Array]:
        """Fresh logits from a JAX key or an int seed (``jax.vmap`` it for many restarts)."""
        n, k, m = self.n_states, self.n_inputs, self.n_outputs
        k1, k2 = jax.random.split(as_key(key))
        transitions = self.init_scale * jax.random.normal(k1, (k, n, n))
        transitions = transitions + self.identity_bias * jnp.eye(n)
        shape = (k, n, m) if self.kind == "mealy" else (n, m)
        return {"transitions": transitions, "outputs": jax.random.normal(k2, shape)}

    def weights(self, params: dict, temperature: float | Array = 1.0) -> dict[str, Array]:
        """The stochastic matrices at ``temperature`` (0: one-hot), in the layout of
        :func:`~catauto.neural.machine_weights`."""
        start = jnp.zeros(self.n_states).at[0].set(1.0)
        return {
            "start": start,
            "transitions": relax(transition_logits(params), temperature),
            "outputs": relax(params["outputs"], temperature),
        }

    # -- runs ---------------------------------------------------------------------------------
    def state_run(self) -> Para:
        """The lifted Moore coalgebra run on weights: ``batch -> H: [B, T + 1, n]``, the
        distribution over states after each prefix (constant past a row's length)."""
        transition = Para(lambda key: None, _transition_step)
        start = constant_state(jnp.zeros(self.n_states).at[0].set(1.0))
        run = run_moore(transition, Para.identity(), start)
        return Para(run.init, lambda w, batch: run.apply(((), w["transitions"], ()), batch))

    def states(self, params: dict, batch: Any, temperature: float | Array = 1.0) -> Array:
        """``H: [B, T + 1, n]`` for a batch ``(words: int[B, T], lengths: int[B])``."""
        return self.state_run().apply(self.weights(params, temperature), batch)

    def emit(self, weights: dict, words: Array, H: Array) -> Array:
        """Output distributions from state distributions: Moore/DFA ``[B, T + 1, m]``
        (the output after each prefix), Mealy ``[B, T, m]`` (one per input)."""
        O = weights["outputs"]
        if self.kind == "mealy":
            x = jax.nn.one_hot(words, self.n_inputs, dtype=H.dtype)
            return jnp.einsum("btq,bta,aqm->btm", H[:, :-1], x, O)
        return H @ O

    def run(self, params: dict, batch: Any, temperature: float | Array = 1.0) -> Array:
        """Output distributions of a batch (see :meth:`emit`); jitted per model."""
        words, lengths = _encoded(self, batch)
        hard = _is_zero(temperature)
        return _run(self, hard, params, words, lengths, 1.0 if hard else temperature)

    def decide(self, params: dict, batch: Any, temperature: float | Array = 0.0) -> Array:
        """The most likely outputs, in the format of a compiled machine
        (:func:`~catauto.neural.compile_machine`): DFA ``bool[B]`` (accepted),
        Moore ``int32[B, T + 1]``, Mealy ``int32[B, T]`` (-1 past a row's length).
        At temperature 0 this is the symbolic run of :func:`machine_of`'s machine."""
        words, lengths = _encoded(self, batch)
        hard = _is_zero(temperature)
        return _decide(self, hard, params, words, lengths, 1.0 if hard else temperature)

    def hard_para(self) -> Para:
        """:meth:`decide` at temperature 0 as a Para (parameter: the logits), comparable
        with a compiled machine, e.g. by ``catauto.testing.assert_same_semantics``."""
        return Para(self.init, lambda p, batch: self.decide(p, batch, 0.0))

    def para(self, temperature: float | Array = 1.0) -> Para:
        """The relaxed machine as a Para ``batch -> outputs`` with the logits as parameter:
        the run on weights reparametrised by ``logits -> weights`` at ``temperature``."""

        def run_weights(w: dict, batch: Any) -> Array:
            words, _ = split_batch(batch)
            return self.emit(w, jnp.asarray(words), self.state_run().apply(w, batch))

        relaxed = Reparam(self.init, lambda p: self.weights(p, temperature))
        return Para(lambda key: None, run_weights).reparam(relaxed)

    # -- training objective -------------------------------------------------------------------
    def loss(self, params: dict, batch: dict, entropy_weight: float | Array = 0.0) -> Array:
        """The negative log-likelihood of the labels given the words, per label, plus
        ``entropy_weight`` times the entropy of the average state use (a small machine
        uses few states).

        The likelihood is the forward algorithm's: the distribution over states is
        conditioned on every label as it is read (Bayes' rule, then the transition), so
        a label narrows down where the run can be and the next prediction uses that.
        For data with one label per word (a DFA sample) this is plain cross-entropy; at
        temperature 0 the loss is 0 exactly when the machine fits the labels.

        ``batch``: ``words: int[B, T]``, ``lengths: int[B]``, ``targets``: output indices
        shaped like :meth:`emit`'s result without the last axis (-1: no label there),
        ``temperature``: a scalar.
        """
        words, lengths, targets = batch["words"], batch["lengths"], batch["targets"]
        w = self.weights(params, batch["temperature"])
        nll, H = self.filtered(w, words, lengths, targets)
        labelled = targets >= 0
        nll = jnp.sum(nll) / jnp.maximum(labelled.sum(), 1)
        if _is_zero(entropy_weight):  # skip the term's cost when it is off
            return nll
        live = jnp.arange(H.shape[1]) < lengths[:, None]
        use = jnp.sum(H * live[..., None], axis=(0, 1)) / jnp.maximum(live.sum(), 1)
        entropy = -jnp.sum(use * jnp.log(use + 1e-9))
        return nll + entropy_weight * entropy

    def filtered(
        self, weights: dict, words: Array, lengths: Array, targets: Array
    ) -> tuple[Array, Array]:
        """The forward algorithm on a labelled batch: ``(nll, H)`` with ``nll`` the
        ``-log P(label | words, earlier labels)`` at each labelled position (0 elsewhere),
        shaped like ``targets``, and ``H: [B, T, n]`` the belief over states before
        each input, conditioned on the labels before it."""
        O, P = weights["outputs"], weights["transitions"]
        mealy = self.kind == "mealy"

        def likelihood(x: Array, y: Array) -> Array:
            """``P(y | q)`` for every state ``q`` (all ones where ``y`` is -1); one-hot
            contractions rather than gathers, whose gradients are slow scatters."""
            y_hot = jax.nn.one_hot(y, O.shape[-1], dtype=O.dtype)  # -1: all zeros
            if mealy:
                x_hot = jax.nn.one_hot(x, self.n_inputs, dtype=O.dtype)
                picked = jnp.einsum("ba,aqm,bm->bq", x_hot, O, y_hot)
            else:
                picked = y_hot @ O.T
            return jnp.where(y[:, None] >= 0, picked, 1.0)

        def condition(h: Array, x: Array, y: Array) -> tuple[Array, Array]:
            joint = h * likelihood(x, y)
            evidence = joint.sum(-1)
            nll = jnp.where(y >= 0, -jnp.log(evidence + 1e-7), 0.0)
            return (joint + 1e-9) / (evidence + self.n_states * 1e-9)[:, None], nll

        def step(_: Any, h: Array, xy: tuple[Array, Array]) -> tuple[Array, Any]:
            x, y = xy
            seen, nll = condition(h, x, y)
            return _transition_step(P, (seen, x)), (nll, h)

        h0 = jnp.zeros((words.shape[0], self.n_states), P.dtype).at[:, 0].set(1.0)
        steps = targets if mealy else targets[:, :-1]
        h, (nll, H) = scan(step, None, h0, (words, steps), lengths)
        if not mealy:  # the label after the whole word
            _, last = condition(h, jnp.zeros_like(lengths), targets[:, -1])  # x unused
            nll = jnp.concatenate([nll, last[:, None]], 1)
        return nll, H

    def votes(self, params: dict, words: Array, lengths: Array, targets: Array) -> Array:
        """How often the zero-temperature (argmax) machine meets each label where:
        ``[n, m]`` counts of (state, output) for Moore/DFA, ``[k, n, m]`` of
        (input, state, output) for Mealy. The machine fits the data with *some* output
        table iff every row holds at most one nonzero count."""
        w = self.weights(params, 0)
        H = self.state_run().apply(w, (words, lengths))
        y = jax.nn.one_hot(targets, self.n_outputs, dtype=H.dtype)  # -1 -> zeros
        if self.kind == "mealy":
            x = jax.nn.one_hot(words, self.n_inputs, dtype=H.dtype)
            return jnp.einsum("btq,bta,btm->aqm", H[:, :-1], x, y)
        return jnp.einsum("btq,btm->qm", H, y)


def transition_logits(params: dict) -> Array:
    """The transition logits, with the states listed as closed (an optional ``closed:
    [n]`` entry: 0 open, a large negative number closed) made unreachable. The entry is
    held constant: no gradient reaches it, so an optimiser leaves it as it is."""
    logits = params["transitions"]
    if "closed" in params:
        logits = logits + jax.lax.stop_gradient(params["closed"])
    return logits


def _is_zero(x: Any) -> bool:
    """Whether ``x`` is a concrete scalar equal to 0 (a traced value is not)."""
    if isinstance(x, jax.core.Tracer) or np.ndim(x) != 0:
        return False
    return bool(x == 0)


@lru_cache(maxsize=32)
def _index_machine(k: int) -> Machine:
    """A machine with the soft automaton's inputs ``0..k-1`` (as :func:`machine_of`
    names them): its batch encoding checks the soft automaton's batches."""
    return DFA(np.zeros((1, k), np.int32), [False])


def _encoded(model: SoftAutomaton, batch: Any) -> tuple[Array, Array]:
    """``(int32[B, T], int32[B])`` from ``words`` or ``(words, lengths)``, checked on the
    host (see :func:`~catauto.neural.compile.checked_batch`): input indices ``0..k-1``."""
    words, lengths = split_batch(batch)
    dtype = getattr(words, "dtype", None)
    if dtype is not None and not np.issubdtype(dtype, np.integer):
        raise CatautoError(f"soft automaton: words must be integer input indices, got {dtype}")
    words, lengths = checked_batch(_index_machine(model.n_inputs), batch)
    if lengths is None:
        return words, jnp.full(words.shape[0], words.shape[1], jnp.int32)
    return words, lengths


@partial(jax.jit, static_argnums=(0, 1))
def _run(model: SoftAutomaton, hard: bool, params: dict, words: Array, lengths: Array, t: Any):
    w = model.weights(params, 0 if hard else t)
    return model.emit(w, words, model.state_run().apply(w, (words, lengths)))


@partial(jax.jit, static_argnums=(0, 1))
def _decide(model: SoftAutomaton, hard: bool, params: dict, words: Array, lengths: Array, t: Any):
    labels = jnp.argmax(_run(model, hard, params, words, lengths, t), -1).astype(jnp.int32)
    if model.kind == "dfa":
        return jnp.take_along_axis(labels, lengths[:, None], 1)[:, 0] == 1
    if model.kind == "mealy":
        return jnp.where(jnp.arange(words.shape[1]) < lengths[:, None], labels, -1)
    return labels


@lru_cache(maxsize=32)
def stacked_loss(model: SoftAutomaton, entropy_weight: float) -> Callable[[Any, dict], Array]:
    """The loss of many restarts at once: parameters carry a leading restart axis, the
    batch is shared, the result is the sum over restarts (so each restart's gradient is
    its own). Cached, so that ``fit`` reuses one compilation across calls."""

    def loss(stacked: Any, batch: dict) -> Array:
        one = jax.vmap(lambda p: model.loss(p, batch, entropy_weight))
        return jnp.sum(one(stacked))

    return loss


def machine_of(
    model: SoftAutomaton,
    params: dict,
    inputs: tuple | None = None,
    outputs: tuple | None = None,
) -> Machine:
    """The symbolic machine read off by ``argmax`` (all ``n_states`` states, state 0
    initial, not minimised): the zero-temperature semantics of ``params``.

    >>> import jax
    >>> model = SoftAutomaton("mealy", n_states=2, n_inputs=2, n_outputs=3)
    >>> m = machine_of(model, model.init(jax.random.key(1)), inputs="ab", outputs="xyz")
    >>> m.kind, m.n_states, m.inputs
    ('mealy', 2, ('a', 'b'))
    """
    delta = np.asarray(jnp.argmax(transition_logits(params), -1)).T.astype(np.int32)  # [n, k]
    out = np.asarray(jnp.argmax(params["outputs"], -1)).astype(np.int32)
    if model.kind == "dfa":
        return DFA(delta, out == 1, 0, inputs)
    if model.kind == "mealy":
        return Mealy(delta, out.T, 0, inputs, _outputs(outputs, model.n_outputs))
    return Moore(delta, out, 0, inputs, _outputs(outputs, model.n_outputs))


def _outputs(outputs: tuple | None, m: int) -> tuple:
    return tuple(range(m)) if outputs is None else tuple(outputs)
