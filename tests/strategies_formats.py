"""Hypothesis strategies for small machines with awkward symbols (format tests)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from catauto.automata import DFA, Mealy, Moore
from catauto.automata.dotio import symbol_text

# Characters that mean something to DOT, to our label syntax or to Graphviz records.
NASTY = list(' ,/\\"<>{}|()[]\n\r\t;=#-+:&') + ["é", "ß", "→", "😀", "\u00a0", "\x00", "a", "b"]

# No lone surrogates: UTF-8 files cannot hold them (tested separately).
text_symbols = st.text(
    alphabet=st.sampled_from(NASTY) | st.characters(exclude_categories=("Cs",)), max_size=6
)
scalar_symbols = (
    text_symbols
    | st.integers(-(2**40), 2**40)
    | st.booleans()
    | st.none()
    | st.floats(allow_nan=False, allow_infinity=False)
)
json_symbols = st.recursive(scalar_symbols, lambda inner: st.tuples(inner, inner), max_leaves=4)


def _distinct(symbols: st.SearchStrategy, n: int, by_text: bool) -> st.SearchStrategy:
    # distinct as Python values (1 == 1.0 == True), and as text where DOT needs that
    keys = (lambda s: s, symbol_text) if by_text else (lambda s: s,)
    return st.lists(symbols, min_size=n, max_size=n, unique_by=keys)


@st.composite
def format_machines(
    draw: st.DrawFn,
    kinds: tuple[str, ...] = ("dfa", "moore", "mealy"),
    symbols: st.SearchStrategy = text_symbols,
    by_text: bool = True,
    max_states: int = 4,
    max_inputs: int = 3,
    partial: bool = True,
) -> DFA | Moore | Mealy:
    """A small machine, possibly partial, whose symbols are drawn from ``symbols``.

    ``by_text``: symbols are distinct as text too (what DOT needs).
    """
    kind = draw(st.sampled_from(kinds))
    n = draw(st.integers(1, max_states))
    k = draw(st.integers(1, max_inputs))
    low = -1 if partial else 0
    delta = np.array(draw(st.lists(st.integers(low, n - 1), min_size=n * k, max_size=n * k)))
    delta = delta.reshape(n, k)
    inputs = draw(_distinct(symbols, k, by_text))
    initial = draw(st.integers(0, n - 1))
    if kind == "dfa":
        accepting = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        return DFA(delta, accepting, initial, inputs)
    n_out = draw(st.integers(1, 3))
    outputs = draw(_distinct(symbols, n_out, by_text))
    shape = (n,) if kind == "moore" else (n, k)
    size = int(np.prod(shape))
    out = np.array(draw(st.lists(st.integers(0, n_out - 1), min_size=size, max_size=size)))
    out = out.reshape(shape)
    if kind == "mealy":
        out = np.where(delta >= 0, out, -1)
    cls = Moore if kind == "moore" else Mealy
    return cls(delta, out, initial, inputs, outputs)
