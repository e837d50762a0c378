"""Drawing a soft automaton: edges weighted by their probability.

:func:`soft_to_dot` draws the relaxed machine of :class:`~catauto.neural.SoftAutomaton`
parameters at a temperature: one edge ``q -> r`` per input ``a`` with
``P[a][q, r] >= threshold``, labelled with the input and the probability of that move
(Mealy: ``input / likeliest output`` and the probability of the move), its pen width
and darkness growing with it; each state shows its most likely output (a DFA: the
probability of accepting, and a double circle when it is above 1/2). States that the
start cannot reach along drawn edges are left out. A legend under the drawing says what
the numbers are, the threshold and the temperature. Drawing the ``snapshots`` of a learning run one
after the other shows the distribution settle into a machine:

>>> import jax
>>> from catauto.neural.automaton import SoftAutomaton
>>> model = SoftAutomaton("dfa", n_states=2, n_inputs=2)
>>> text = soft_to_dot(model, model.init(jax.random.key(0)), inputs="ab")
>>> text.startswith('digraph "soft dfa"'), "__start0 -> s0;" in text
(True, True)

The text is plain DOT (render it with ``graphviz.Source(text)`` where the ``dot``
binary is installed); :func:`snapshots_to_dot` draws every snapshot of a
:class:`~catauto.neural.NeuralResult`.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from catauto.automata.dotio import escape_symbol, symbol_text
from catauto.errors import CatautoError
from catauto.neural.automaton import SoftAutomaton

__all__ = ["soft_to_dot", "snapshots_to_dot"]


def _text(symbol: Hashable, limit: int | None = None) -> str:
    """``symbol`` as DOT label text, cut to ``limit`` characters (``…``) when given."""
    text = symbol_text(symbol)
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 1)] + "…"
    return escape_symbol(text).replace('"', '\\"')


def _reachable(P: np.ndarray, threshold: float) -> list[int]:
    """States reached from state 0 along transitions of probability >= threshold."""
    seen, queue = {0}, [0]
    for q in queue:
        for r in np.flatnonzero((P[:, q, :] >= threshold).any(0)):
            if int(r) not in seen:
                seen.add(int(r))
                queue.append(int(r))
    return sorted(seen)


def soft_to_dot(
    model: SoftAutomaton,
    params: dict,
    *,
    temperature: float = 1.0,
    threshold: float = 0.05,
    inputs: Sequence[Hashable] | None = None,
    outputs: Sequence[Hashable] | None = None,
    name: str | None = None,
    rankdir: str = "LR",
    legend: bool = True,
    merge: bool = False,
    max_symbol: int | None = None,
    max_lines: int | None = None,
) -> str:
    """DOT text of the relaxed machine ``params`` at ``temperature`` (0: the argmax
    machine, every state kept). Edges below ``threshold`` are hidden; ``inputs`` /
    ``outputs`` name the symbols (default: their indices); ``name``: the graph's name;
    ``legend``: a line under the drawing saying what its numbers are; ``merge``: one
    edge per pair of states, its label one line per input (drawn as thick as its
    likeliest move), instead of one edge per input; ``max_symbol``: cut longer input
    and output names to that many characters (``…``); ``max_lines``: a merged edge of
    more moves is labelled with their count and range of probabilities instead.
    """
    if not 0 <= threshold <= 1:
        raise CatautoError(f"threshold must lie in [0, 1], got {threshold}")
    w = model.weights(params, temperature)
    P = np.asarray(w["transitions"])  # [k, n, n]
    O = np.asarray(w["outputs"])  # [n, m] or [k, n, m]
    ins = tuple(range(model.n_inputs)) if inputs is None else tuple(inputs)
    outs = tuple(range(model.n_outputs)) if outputs is None else tuple(outputs)
    if len(ins) != model.n_inputs or len(outs) != model.n_outputs:
        raise CatautoError(
            f"the model has {model.n_inputs} inputs and {model.n_outputs} outputs, got "
            f"{len(ins)} input and {len(outs)} output names"
        )
    states = _reachable(P, threshold) if temperature else list(range(model.n_states))
    title = name if name is not None else f"soft {model.kind}"
    graph = f'rankdir="{rankdir}"'
    if legend:
        graph += (
            f', label="{_legend(model.kind, threshold, temperature, max_lines)}", labelloc="b",'
            ' labeljust="l", fontsize=11'
        )
    lines = [
        f'digraph "{title}" {{',
        f"  graph [{graph}];",
        "  node [shape=circle];",
        '  __start0 [label="", shape=none, width=0, height=0];',
    ]
    for q in states:
        if model.kind == "dfa":
            accept = float(O[q, 1])
            shape = ", shape=doublecircle" if accept > 0.5 else ""
            lines.append(f'  s{q} [label="s{q}\\n{accept:.2f}"{shape}];')
        elif model.kind == "moore":
            o = int(O[q].argmax())
            lines.append(f'  s{q} [label="s{q}\\n{_text(outs[o])} {O[q, o]:.2f}"];')
        else:
            lines.append(f'  s{q} [label="s{q}"];')
    lines.append("  __start0 -> s0;")
    for q in states:
        moves: list[tuple[int, str, float]] = []  # (target, label, probability)
        for a in range(model.n_inputs):
            for r in np.flatnonzero(P[a, q] >= threshold):
                p = float(P[a, q, r])
                said = _text(ins[a], max_symbol)
                if model.kind == "mealy":
                    said += f" / {_text(outs[int(O[a, q].argmax())], max_symbol)}"
                moves.append((int(r), f"{said} {p:.2f}", p))
        edges: dict[int, list[tuple[int, str, float]]] = {}
        for move in moves:  # one edge per move, or per target state (in order of first move)
            edges.setdefault(move[0] if merge else len(edges), []).append(move)
        for group in edges.values():
            r, p = group[0][0], max(move[2] for move in group)
            label = "\\n".join(move[1] for move in group)
            if max_lines is not None and len(group) > max_lines:
                low = min(move[2] for move in group)
                label = f"{len(group)} inputs\\n{low:.2f} to {p:.2f}"
            alpha = int(round(55 + 200 * p))
            lines.append(
                f'  s{q} -> s{r} [label="{label}", penwidth={0.5 + 3 * p:.2f}, '
                f'color="#000000{alpha:02x}"];'
            )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _legend(kind: str, threshold: float, temperature: float, max_lines: int | None) -> str:
    """What the numbers of a soft drawing are, as one DOT label (``\\l``: line ends)."""
    edge = (
        "edge a / x p: on input a, move there with probability p (x: the likeliest output)"
        if kind == "mealy"
        else "edge a p: on input a, move there with probability p"
    )
    state = {
        "dfa": "state: its probability of accepting (double circle: above 1/2)",
        "moore": "state: its likeliest output and that output's probability",
        "mealy": "",
    }[kind]
    shown = f"moves with p >= {threshold:g} and the states they reach from s0"
    if not temperature:
        shown = "the likeliest moves (temperature 0)"
    else:
        shown += f", at temperature {float(temperature):.2g}"
    many = (
        f"k inputs, p1 to p2: an edge of more than {max_lines} moves, their probabilities"
        if max_lines is not None
        else ""
    )
    return "\\l".join(filter(None, [edge, many, state, f"drawn: {shown}"])) + "\\l"


def snapshots_to_dot(result: Any, **options: Any) -> list[tuple[int, str]]:
    """``(step, DOT text)`` for every snapshot of a ``NeuralResult`` (learned with
    ``snapshot_every``), drawn with the data's alphabets; ``options`` go to
    :func:`soft_to_dot`."""
    machine = result.machine
    options.setdefault("inputs", machine.inputs)
    if result.model.kind != "dfa":
        options.setdefault("outputs", machine.outputs)
    return [
        (step, soft_to_dot(result.model, params, name=f"step {step}", **options))
        for step, params in result.snapshots
    ]
