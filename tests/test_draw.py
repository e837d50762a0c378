"""Drawing: to_dot's content (merged edges, escaping, hidden sink, highlighted run) and
rendering through Graphviz, with a clear error when the ``dot`` program is missing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catauto import CatautoError
from catauto.automata import DFA, Mealy, Moore, draw
from catauto.automata.dot import parse_dot
from catauto.automata.dotio import from_dot, sink_states, to_dot
from strategies_formats import format_machines

needs_dot = pytest.mark.skipif(not draw.dot_available(), reason="Graphviz 'dot' not installed")

# 0 --a,b--> 1 --a--> 2 (sink) ; 1 --b--> 0 ; accepting: 1
DFA3 = DFA([[1, 1], [2, 0], [2, 2]], [False, True, False], inputs=["a", "b"])
# A Mealy machine with parallel edges that differ in output, and a sink state 2.
MEALY = Mealy(
    [[1, 1, 0], [2, 0, 0], [2, 2, 2]],
    [[0, 0, 1], [1, 0, 1], [1, 1, 1]],
    inputs=["a", "b", "c"],
    outputs=["ok", "closed"],
)


def _edges(text: str) -> list[tuple[str, str, dict]]:
    g = parse_dot(text)
    return [(e.tail, e.head, e.attrs) for e in g.edges if not e.tail.startswith("__")]


def test_parallel_edges_merge_by_target_and_output() -> None:
    edges = sorted((t, h, a["label"]) for t, h, a in _edges(to_dot(MEALY)))
    assert edges == [
        ("s0", "s0", "c / closed"),
        ("s0", "s1", "a, b / ok"),
        ("s1", "s0", "b / ok"),  # like c in target, not in output: two edges
        ("s1", "s0", "c / closed"),
        ("s1", "s2", "a / closed"),
        ("s2", "s2", "a, b, c / closed"),
    ]
    dfa_edges = sorted((t, h, a["label"]) for t, h, a in _edges(to_dot(DFA3)))
    assert dfa_edges == [
        ("s0", "s1", "a, b"),
        ("s1", "s0", "b"),
        ("s1", "s2", "a"),
        ("s2", "s2", "a, b"),
    ]


def test_every_label_is_quoted_and_escaped() -> None:
    m = Mealy([[0]], [[0]], inputs=['say "hi", /x'], outputs=["<b>\\"])
    text = to_dot(m)
    assert 's0 -> s0 [label="say \\"hi\\"\\, \\/x / <b>\\\\"];' in text
    assert all(v.startswith('"') for v in re.findall(r"label=(\S+?)[,\]]", text))
    assert from_dot(text) == m


def test_initial_marker_and_accepting_shape() -> None:
    g = parse_dot(to_dot(DFA([[0], [0]], [False, True], initial=1, inputs="a")))
    assert [(e.tail, e.head) for e in g.edges if e.tail == "__start0"] == [("__start0", "s1")]
    assert g.nodes["__start0"].attrs["shape"] == "none"
    assert (
        g.nodes["s1"].attrs["shape"] == "doublecircle" and g.nodes["s0"].attrs["shape"] == "circle"
    )


def test_hide_sink() -> None:
    assert sink_states(DFA3) == [2] and sink_states(MEALY) == [2]
    for m in (DFA3, MEALY):
        text = to_dot(m, hide_sink=True)
        g = parse_dot(text)
        assert "s2" not in g.nodes and all("s2" not in (e.tail, e.head) for e in g.edges)
    # the hidden DFA still means the same language (a partial DFA rejects off the table)
    partial = from_dot(to_dot(DFA3, hide_sink=True))
    assert partial.n_states == 2 and partial.equivalent(DFA3)
    # an accepting absorbing state is not a sink, nor is the initial state
    assert sink_states(DFA([[0], [1]], [False, True], inputs="a")) == []


def test_highlight_colours_the_run() -> None:
    text = to_dot(MEALY, highlight=["a", "c"])  # s0 -a-> s1 -c-> s0
    g = parse_dot(text)
    marked = {n for n, node in g.nodes.items() if "color" in node.attrs}
    assert marked == {"s0", "s1"}
    hot = sorted((e.tail, e.head, e.attrs.get("label")) for e in g.edges if "color" in e.attrs)
    assert hot == [("__start0", "s0", None), ("s0", "s1", "a, b / ok"), ("s1", "s0", "c / closed")]
    assert from_dot(text) == MEALY  # colours do not change the machine


def test_highlight_stops_where_the_run_is_undefined_and_checks_symbols() -> None:
    m = DFA([[1, -1], [-1, -1]], [False, True], inputs="ab")
    g = parse_dot(to_dot(m, highlight="aab"))
    assert {n for n, node in g.nodes.items() if "color" in node.attrs} == {"s0", "s1"}
    with pytest.raises(CatautoError, match="'z'"):
        to_dot(m, highlight="z")


def test_moore_record_labels() -> None:
    m = Moore([[1], [0]], [0, 1], inputs=["t"], outputs=["{off}", "on | <1>"])
    g = parse_dot(to_dot(m))
    assert g.nodes["s0"].attrs["label"] == "s0|\\{off\\}"
    assert g.nodes["s1"].attrs["label"] == "s1|on\\ \\|\\ \\<1\\>"
    assert from_dot(to_dot(m)) == m


@needs_dot
@pytest.mark.parametrize("ext, magic", [("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF")])
def test_render_formats(tmp_path: Path, ext: str, magic: bytes) -> None:
    path = draw.render(MEALY, tmp_path / f"m.{ext}", hide_sink=True, highlight="ab")
    assert path.read_bytes().startswith(magic)
    assert [p.name for p in tmp_path.iterdir()] == [f"m.{ext}"]


@needs_dot
def test_svg_shows_the_labels_and_notebook_display() -> None:
    m = Mealy([[0]], [[0]], inputs=["a/b, c"], outputs=["<x>"])
    svg = draw.svg(m)
    assert "a/b, c / &lt;x&gt;" in svg
    bundle = m._repr_mimebundle_()
    assert bundle["image/svg+xml"] == svg and m._repr_svg_() == svg


@needs_dot
@settings(max_examples=30, deadline=None)
@given(format_machines())
def test_graphviz_accepts_every_label_we_write(m) -> None:
    assert "<svg" in draw.svg(m, highlight=m.inputs[:1])


def test_render_dot_text_needs_no_graphviz(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", "")
    path = MEALY.render(tmp_path / "m.gv", hide_sink=True)
    assert from_dot(path.read_text(encoding="utf-8")).n_states == 2


def test_missing_dot_gives_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no 'dot' in there
    assert not draw.dot_available()
    with pytest.raises(draw.DotNotFoundError, match="apt-get install graphviz") as info:
        draw.render(DFA3, tmp_path / "m.svg")
    assert "brew install graphviz" in str(info.value) and "conda" in str(info.value)
    assert isinstance(info.value, CatautoError)
    assert not (tmp_path / "m.svg").exists()
    bundle = DFA3._repr_mimebundle_()
    assert "image/svg+xml" not in bundle and "digraph" in bundle["text/plain"]
    assert DFA3._repr_svg_() is None


@pytest.mark.parametrize("executable", [True, False])
def test_a_dot_that_fails_gives_a_catauto_error(tmp_path: Path, monkeypatch, executable) -> None:
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\necho 'Error: broken' >&2\nexit 1\n", encoding="utf-8")
    if executable:
        fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(draw, "dot_available", lambda: True)
    expected = "Graphviz failed: Error: broken" if executable else "could not be run"
    with pytest.raises(CatautoError, match=expected):
        draw.render(DFA3, tmp_path / "m.svg")
    assert not (tmp_path / "m.svg").exists()


def test_lone_surrogates_cannot_be_drawn_or_written(tmp_path: Path) -> None:
    m = DFA([[0]], [True], inputs=["\ud800"])
    assert from_dot(to_dot(m)) == m  # as text it is fine
    with pytest.raises(CatautoError, match="UTF-8"):
        draw.render(m, tmp_path / "m.svg")
    with pytest.raises(CatautoError, match="UTF-8"):
        m.render(tmp_path / "m.dot")
    assert list(tmp_path.iterdir()) == []


def test_render_refuses_unknown_formats(tmp_path: Path) -> None:
    with pytest.raises(CatautoError, match="cannot draw 'bmp'"):
        draw.render(DFA3, tmp_path / "m.bmp")
    with pytest.raises(CatautoError, match="no extension"):
        draw.render(DFA3, tmp_path / "m")
    assert list(tmp_path.iterdir()) == []


# -- large machines drawn readably ----------------------------------------------------------
DATA = Path(__file__).resolve().parents[2] / "shared" / "automata_data"


@settings(max_examples=60, deadline=None)
@given(format_machines())
def test_hiding_the_sinks_keeps_what_a_dfa_accepts(m) -> None:
    """The hidden states are dead in a DFA: the drawing read back is the same language."""
    if m.kind == "dfa":
        assert from_dot(to_dot(m, hide_sink=True)).equivalent(m)
    for q in sink_states(m):  # closed: no transition leads out of the hidden states
        assert set(m.delta[q][m.delta[q] >= 0].tolist()) <= set(sink_states(m))


def test_a_closed_group_of_states_is_a_sink_but_not_the_initial_ones() -> None:
    # 0 -> {1, 2} loop between themselves: the error part of a protocol
    m = Mealy([[1, 0], [2, 1], [1, 2]], [[0, 0], [1, 1], [1, 1]], inputs="ab", outputs="xy")
    assert sink_states(m) == [1, 2]
    assert sink_states(Mealy([[1], [0]], [[0], [1]], inputs="a", outputs="xy")) == []


@settings(max_examples=60, deadline=None)
@given(format_machines(), st.integers(24, 60))
def test_a_readable_drawing_keeps_every_label_short(m, limit) -> None:
    text = to_dot(m, max_label=limit, hide_sink=True)
    for _, _, attrs in _edges(text):
        assert len(attrs["label"].replace("\\\\", "\\")) <= limit
    with pytest.raises(CatautoError, match="abridged"):
        from_dot(text)


def test_a_readable_drawing_names_what_it_leaves_out() -> None:
    # state 0: a loop on a, b, c with two outputs; d, e, f go to 1 with one output
    m = Mealy(
        [[0, 0, 0, 1, 1, 1], [1, 1, 1, 1, 1, 1]],
        [[0, 1, 1, 0, 0, 0], [0] * 6],
        inputs="abcdef",
        outputs=["x", "y" * 60],
    )
    labels = {(t, h): a["label"] for t, h, a in _edges(to_dot(m, max_label=24))}
    assert labels[("s0", "s0")] == "3 inputs / 2 outputs"
    assert labels[("s0", "s1")] == "other (3) / x"
    for bad in (23, 0, True, "40"):
        with pytest.raises(CatautoError, match="max_label"):
            to_dot(m, max_label=bad)


@needs_dot
@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/automata_data is absent")
def test_openssh_drawn_readably_fits_4000_pixels(tmp_path: Path) -> None:
    from catauto.automata import io

    m = io.read(DATA / "automata_wiki" / "SSH" / "OpenSSH.dot")
    png = draw.render(m, tmp_path / "ssh.png", max_label=40, hide_sink=True, rankdir="TB")
    head = png.read_bytes()[:24]
    width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    assert max(width, height) <= 4000
    assert all(len(a["label"]) <= 40 for _, _, a in _edges(to_dot(m, max_label=40)))


# -- numbering a machine like another -------------------------------------------------------


def _permuted(m, perm: list[int]):
    """``m`` with state ``q`` renumbered ``perm[q]`` (the same machine, other numbers)."""
    inverse = [perm.index(i) for i in range(len(perm))]
    moved = [[perm[t] if t >= 0 else -1 for t in m.delta[q]] for q in inverse]
    output = [m.output[q] for q in inverse]
    return m.with_tables(moved, output, perm[m.initial])


@settings(max_examples=60, deadline=None)
@given(format_machines(), st.randoms(use_true_random=False))
def test_an_isomorphic_machine_is_drawn_with_the_other_ones_numbers(m, rnd) -> None:
    """Renumbered states drawn with ``numbering_like`` give the very same DOT text (so
    Graphviz lays both out alike), and reading it back gives the reference's numbering."""
    like = m.reachable()
    perm = list(range(like.n_states))
    rnd.shuffle(perm)
    other = _permuted(like, perm)
    numbering = draw.numbering_like(other, like)
    assert numbering == [perm.index(q) for q in range(like.n_states)]
    assert to_dot(other, numbering=numbering) == to_dot(like)
    assert to_dot(other, numbering=numbering, max_label=24) == to_dot(like, max_label=24)
    back = from_dot(to_dot(other, numbering=numbering))
    assert back.delta.tolist() == like.delta.tolist() and back.initial == like.initial


def test_numbering_like_says_none_unless_isomorphic() -> None:
    assert draw.numbering_like(DFA3, DFA3) == [0, 1, 2]
    other = DFA([[1, 1], [2, 0], [2, 2]], [False, True, True], inputs=["a", "b"])
    assert draw.numbering_like(other, DFA3) is None  # an output differs
    assert draw.numbering_like(DFA3, DFA3.minimize()) in (None, [0, 1, 2])
    assert draw.numbering_like(DFA3, MEALY) is None  # another kind
    bigger = DFA([[1, 1], [2, 0], [2, 2], [3, 3]], [False, True, False, False], inputs="ab")
    assert draw.numbering_like(bigger, DFA3) is None  # a state the start does not reach
    assert draw.numbering_like(DFA3, bigger) == [0, 1, 2]  # like's extra state is unused
    for bad in ([0, 1], [0, 0, 1], [0, 1, -1]):
        with pytest.raises(CatautoError, match="numbering"):
            to_dot(DFA3, numbering=bad)
    assert 's7 [label="s7"' in to_dot(DFA3, numbering=[5, 7, 9])
