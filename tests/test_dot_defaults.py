"""DOT attribute defaults: ``node [...]`` and ``edge [...]`` statements set defaults for
the nodes and edges that come after them in their (sub)graph, and a statement's own
attributes win over the defaults (Graphviz's rule). Laws over random attribute sets
whose keys overlap on purpose, and the same rule seen through the machine reader.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catauto.automata import io
from catauto.automata.dot import parse_dot
from strategies_formats import format_machines

KEYS = ("label", "color", "style", "shape", "weight", "fontname")
values = st.text(alphabet="abxyz019 _./|", max_size=5)


def quoted(value: str) -> str:
    return '"' + value + '"'


def attr_list(attrs: dict) -> str:
    return "[" + ", ".join(f"{k}={quoted(v)}" for k, v in attrs.items()) + "]"


@st.composite
def default_and_own(draw):
    """``(defaults, own)``: two attribute sets that share at least one key (``label``
    often), with different values on the shared keys."""
    shared = draw(st.sets(st.sampled_from(KEYS), min_size=1, max_size=3))
    if draw(st.booleans()):
        shared.add("label")
    defaults = {k: draw(values) for k in shared}
    own = {k: draw(values.filter(lambda v, k=k: v != defaults[k])) for k in shared}
    for k in draw(st.sets(st.sampled_from(KEYS))) - shared:  # keys in one set only
        (defaults if draw(st.booleans()) else own)[k] = draw(values)
    keys = list(defaults)
    order = draw(st.permutations(keys))
    return {k: defaults[k] for k in order}, own


@given(default_and_own(), default_and_own(), st.booleans())
def test_own_attributes_win_over_defaults(edge_attrs, node_attrs, strict) -> None:
    """Law: an edge's (a node's) attributes are ``{**defaults, **own}``: defaults fill in,
    the statement's own attributes override, whatever the keys and their order."""
    edge_defaults, edge_own = edge_attrs
    node_defaults, node_own = node_attrs
    text = (
        f"{'strict ' if strict else ''}digraph {{\n"
        f"  edge {attr_list(edge_defaults)}\n"
        f"  node {attr_list(node_defaults)}\n"
        f"  a {attr_list(node_own)}\n"
        f"  a -> b {attr_list(edge_own)}\n"
        f"  b -> c -> d {attr_list(edge_own)}\n"
        f"  c -> a\n"
        f"}}"
    )
    g = parse_dot(text)
    edges = {(e.tail, e.head): e.attrs for e in g.edges}
    want = {**edge_defaults, **edge_own}
    assert edges[("a", "b")] == want
    assert edges[("b", "c")] == want and edges[("c", "d")] == want
    assert edges[("c", "a")] == edge_defaults  # no attributes of its own
    assert g.nodes["a"].attrs == {**node_defaults, **node_own}
    assert g.nodes["b"].attrs == node_defaults


@settings(max_examples=25)
@given(default_and_own(), default_and_own())
def test_later_defaults_and_subgraph_scopes(first, second) -> None:
    """Law: a later default overrides an earlier one for what follows only; a subgraph's
    defaults apply inside it and end with it; own attributes win in every scope."""
    d1, own = first
    d2, _ = second
    text = (
        "digraph {\n"
        f"  edge {attr_list(d1)}\n"
        f"  a -> b {attr_list(own)}\n"
        f"  subgraph s {{ edge {attr_list(d2)} b -> c {attr_list(own)}; c -> d }}\n"
        "  d -> e\n"
        f"  edge {attr_list(d2)}\n"
        "  e -> f\n"
        "}"
    )
    edges = {(e.tail, e.head): e.attrs for e in parse_dot(text).edges}
    assert edges[("a", "b")] == {**d1, **own}
    assert edges[("b", "c")] == {**d1, **d2, **own}
    assert edges[("c", "d")] == {**d1, **d2}
    assert edges[("d", "e")] == d1
    assert edges[("e", "f")] == {**d1, **d2}


def with_defaults(text: str, defaults: str) -> str:
    """``text`` (from ``to_dot``) with ``defaults`` statements right after its own
    ``node [...]`` defaults (so before every node and edge)."""
    new, count = re.subn(
        r"(\n  node \[[^\]\n]*\];)", lambda m: m.group(1) + defaults, text, count=1
    )
    assert count == 1, text
    return new


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(format_machines())
def test_machines_read_the_same_under_default_labels(m) -> None:
    """Law: a default ``label`` for edges and nodes changes nothing in a file whose every
    transition and state has a label of its own (``to_dot`` writes them all)."""
    junk = '\n  edge [label="zz / zz", color=red];\n  node [label="zz|zz", color=blue];'
    assert io.read_dot(with_defaults(io.to_dot(m), junk)) == m
