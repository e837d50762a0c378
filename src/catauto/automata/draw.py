"""Drawing machines: DOT text in pure Python, pictures through Graphviz.

``to_dot`` writes the DOT text of a machine (the dialect, which ``read_dot`` reads back,
is described in ``catauto.automata.dotio``) and needs nothing but Python. Turning DOT
into pictures needs the ``dot`` program of Graphviz, called through the ``graphviz``
Python package. Without it, ``render`` and ``svg`` raise a ``CatautoError`` that says how
to install it, while notebooks fall back to showing the DOT text.

This module builds no machine (it only reads them), so the machine classes draw
themselves through it: ``m.to_dot()``, ``m.render(path)`` and the notebook display.

>>> from catauto.automata import DFA
>>> m = DFA([[1], [1]], [False, True], inputs="a")
>>> svg(m).startswith("<?xml") if dot_available() else True
True
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Hashable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from catauto._files import PathLike, atomic_write
from catauto.automata.symbols import encode_symbol, escape_symbol, symbol_text
from catauto.errors import CatautoError, DotNotFoundError, FormatError

if TYPE_CHECKING:
    from catauto.automata.machine import Machine

__all__ = [
    "FORMATS",
    "HIGHLIGHT",
    "INSTALL_HINT",
    "DotNotFoundError",
    "dot_available",
    "dot_image",
    "image",
    "mimebundle",
    "numbering_like",
    "render",
    "sink_states",
    "svg",
    "to_dot",
]

FORMATS = ("svg", "png", "pdf")

INSTALL_HINT = (
    "install Graphviz: 'apt-get install graphviz' (Debian/Ubuntu), "
    "'brew install graphviz' (macOS), 'conda install -c conda-forge graphviz', "
    "or see https://graphviz.org/download/"
)

HIGHLIGHT = "#d62728"  # not "red": old files mark the initial state with color="red"


# -- DOT text -------------------------------------------------------------------------


def _quote(label: str) -> str:
    """A DOT quoted string for an already escaped label (its backslashes come in pairs)."""
    return '"' + label.replace('"', '\\"') + '"'


def _escstr(text: str) -> str:
    """Any text as a label that decodes back to exactly ``text``."""
    text = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
    return text.replace("\0", "\\0")


def sink_states(m: Machine) -> list[int]:
    """The states a run never leaves once it enters them, the initial state's group
    excluded: the closed groups of states (no transition leads out; a single absorbing
    state, or an error part such as a protocol's disconnected states), in a DFA only
    those that reject. What ``to_dot(hide_sink=True)`` leaves out.

    >>> from catauto.automata import DFA
    >>> sink_states(DFA([[1, 2], [1, 1], [2, 2]], [False, True, False]))
    [2]
    >>> sink_states(DFA([[1, 1], [2, 2], [1, 1]], [False, False, False]))  # a dead loop
    [1, 2]
    """
    delta = m.delta.tolist()
    reach: list[frozenset[int]] = []
    for q in range(m.n_states):
        seen, todo = {q}, [q]
        while todo:
            for t in delta[todo.pop()]:
                if t >= 0 and t not in seen:
                    seen.add(t)
                    todo.append(t)
        reach.append(frozenset(seen))
    closed = [all(reach[r] == reach[q] for r in reach[q]) for q in range(m.n_states)]
    start = reach[m.initial] if closed[m.initial] else frozenset()
    accepting = m.output.astype(bool) if m.kind == "dfa" else None
    sinks = []
    for q in range(m.n_states):
        group = reach[q]
        if not closed[q] or q in start:
            continue
        if accepting is not None and any(accepting[r] for r in group):
            continue
        sinks.append(q)
    return sinks


def _run_path(m: Machine, word: Iterable[Hashable]) -> tuple[set[int], set[tuple[int, int]]]:
    q = m.initial
    states, transitions = {q}, set()
    for a in m.encode(word):
        t = int(m.delta[q, a])
        if t < 0:
            break
        transitions.add((q, int(a)))
        states.add(t)
        q = t
    return states, transitions


def _meta(key: str, symbols: Sequence[Hashable]) -> str:
    """``, key="[...]"`` with the exact alphabet, or nothing for symbols JSON cannot hold."""
    try:
        values = [encode_symbol(s) for s in symbols]
    except FormatError:
        return ""
    return f", {key}={_quote(_escstr(json.dumps(values, ensure_ascii=False)))}"


def to_dot(
    m: Machine,
    *,
    hide_sink: bool = False,
    highlight: Iterable[Hashable] | None = None,
    name: str | None = None,
    rankdir: str = "LR",
    max_label: int | None = None,
    numbering: Sequence[int] | None = None,
) -> str:
    """``m`` as DOT text (pure Python; the dialect is described in ``catauto.automata.dotio``).

    - ``hide_sink``: leave out ``sink_states(m)`` and the edges into them (the drawing
      of a partial machine; reading it back gives one);
    - ``highlight``: a word whose run (states and edges from the initial state) is
      drawn in colour, as far as it is defined;
    - ``name``: the graph's name (default: the kind); ``rankdir``: Graphviz layout
      (``LR`` left to right, ``TB`` top to bottom, ``RL``, ``BT``);
    - ``max_label``: draw a large machine readably, every edge label at most this long
      (24 or more):
      a state's self-loops with different outputs become one loop ``k inputs / m
      outputs``, each state's edge with the most inputs (two or more) is labelled
      ``other (k)``, meaning the ``k`` inputs not on the state's other drawn edges (nor
      into a hidden sink), and lists or outputs still too long are cut (``+N more``,
      ``…``), and the picture is scaled to fit 4,000 pixels a side. Such a
      drawing is a picture, not a file to read back: ``read_dot`` refuses it;
    - ``numbering``: the number drawn for each state (``numbering[q]`` for state ``q``:
      distinct, non-negative), states and edges written in that order, e.g. the
      numbering of another machine from :func:`numbering_like`, so that two isomorphic
      machines are drawn alike. Reading the text back numbers the states in that order.

    >>> from catauto.automata import DFA
    >>> print(to_dot(DFA([[1], [1]], [False, True], inputs=["a"])))  # doctest: +ELLIPSIS
    digraph "dfa" {
      graph [rankdir="LR", catauto_kind="dfa", catauto_inputs="[\\"a\\"]"];
      node [shape=circle];
      __start0 [label="", shape=none, width=0, height=0];
      s0 [label="s0"];
      s1 [label="s1", shape=doublecircle];
      __start0 -> s0;
      s0 -> s1 [label="a"];
      s1 -> s1 [label="a"];
    }
    """
    kind = m.kind
    names = _numbering(m, numbering)
    order = sorted(range(m.n_states), key=names.__getitem__)
    hidden = set(sink_states(m)) if hide_sink else set()
    states, steps = _run_path(m, highlight) if highlight is not None else (set(), set())
    mark = f', color="{HIGHLIGHT}", fontcolor="{HIGHLIGHT}", penwidth=2'
    texts = [escape_symbol(symbol_text(s)) for s in m.inputs]
    out_texts = [escape_symbol(symbol_text(s), record=kind == "moore") for s in m.outputs]
    graph_attrs = f'rankdir={_quote(_escstr(rankdir))}, catauto_kind="{kind}"'
    graph_attrs += _meta("catauto_inputs", m.inputs)
    if kind != "dfa":
        graph_attrs += _meta("catauto_outputs", m.outputs)
    if max_label is not None:
        if isinstance(max_label, bool) or not isinstance(max_label, int) or max_label < 24:
            raise CatautoError(f"max_label must be an integer >= 24, got {max_label!r}")
        # read_dot refuses to read it back; size: at most 4,000 px a side at 96 dpi
        graph_attrs += ', catauto_abridged="true", size="41.6,41.6"'
    node_style = "shape=record, style=rounded" if kind == "moore" else "shape=circle"
    lines = [
        f"digraph {_quote(_escstr(name if name is not None else kind))} {{",
        f"  graph [{graph_attrs}];",
        f"  node [{node_style}];",
        '  __start0 [label="", shape=none, width=0, height=0];',
    ]
    for q in order:
        if q in hidden:
            continue
        if kind == "moore":
            attrs = f'label="s{names[q]}|{_quote(out_texts[m.output[q]])[1:-1]}"'
        else:
            attrs = f'label="s{names[q]}"'
        if kind == "dfa" and m.output[q]:
            attrs += ", shape=doublecircle"
        if q in states:
            attrs += mark
        lines.append(f"  s{names[q]} [{attrs}];")
    start_mark = f" [{mark[2:]}]" if highlight is not None else ""
    lines.append(f"  __start0 -> s{names[m.initial]}{start_mark};")
    delta, output = m.delta, m.output
    for q in order:
        if q in hidden:
            continue
        groups: dict[tuple[int, int], list[int]] = {}
        for a in range(m.n_inputs):
            t = int(delta[q, a])
            if t >= 0 and t not in hidden:
                groups.setdefault((t, int(output[q, a]) if kind == "mealy" else -1), []).append(a)
        other = None
        if max_label is not None:
            mixed = _merge_loops(groups, q)
            other = _largest(groups)
        for (t, o), letters in groups.items():
            said = " / " + out_texts[o] if kind == "mealy" else ""
            if o == _MIXED:
                label = f"{len(letters)} inputs / {mixed} outputs"
            elif max_label is None:
                label = ", ".join(texts[a] for a in letters) + said
            elif (t, o) == other:
                label = _abridged([f"other ({len(letters)})"], said, max_label)
            else:
                label = _abridged([texts[a] for a in letters], said, max_label)
            attrs = f"label={_quote(label)}"
            if any((q, a) in steps for a in letters):
                attrs += mark
            lines.append(f"  s{names[q]} -> s{names[t]} [{attrs}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _numbering(m: Machine, numbering: Sequence[int] | None) -> list[int]:
    """``numbering`` checked (one distinct non-negative integer per state), or ``0..n-1``."""
    if numbering is None:
        return list(range(m.n_states))
    names = [int(x) for x in numbering]
    if len(names) != m.n_states or len(set(names)) != len(names) or min(names, default=0) < 0:
        raise CatautoError(
            f"numbering must give each of the {m.n_states} states its own number >= 0,"
            f" got {list(numbering)!r}"
        )
    return names


def numbering_like(m: Machine, like: Machine) -> list[int] | None:
    """The state numbers of ``like`` carried over to ``m`` when the two are isomorphic
    (every state of ``m`` paired with one of ``like``, reached by the same words, with
    the same outputs; alphabets matched by symbol, in any order): ``numbering[q]`` is
    the number of the state of ``like`` that ``q`` stands for, to pass to
    ``to_dot(m, numbering=...)``. ``None`` when they are not isomorphic (including when
    ``m`` has states its initial state does not reach).

    >>> from catauto.automata import DFA
    >>> a = DFA([[1, 0], [1, 1]], [False, True], inputs="xy")
    >>> b = DFA([[0, 0], [0, 1]], [True, False], initial=1, inputs="xy")  # a, renumbered
    >>> numbering_like(b, a), numbering_like(a, b)
    ([1, 0], [1, 0])
    >>> print(to_dot(b, numbering=numbering_like(b, a)) == to_dot(a))  # drawn alike
    True
    >>> numbering_like(a, DFA([[0, 0]], [True], inputs="xy")) is None
    True
    """
    if m.kind != like.kind or set(m.inputs) != set(like.inputs) or m.n_states > like.n_states:
        return None
    columns = [like.input_index(s) for s in m.inputs]
    mealy = m.kind == "mealy"

    def out(x: Machine, q: int, a: int | None) -> Hashable:
        return x.outputs[x.output[q, a] if a is not None else x.output[q]]

    pairs = {m.initial: like.initial}
    todo = [m.initial]
    if not mealy and out(m, m.initial, None) != out(like, like.initial, None):
        return None
    while todo:
        q = todo.pop()
        p = pairs[q]
        for a, b in enumerate(columns):
            t, u = int(m.delta[q, a]), int(like.delta[p, b])
            if (t < 0) != (u < 0):
                return None
            if t < 0:
                continue
            if mealy and out(m, q, a) != out(like, p, b):
                return None
            if t in pairs:
                if pairs[t] != u:
                    return None
                continue
            if not mealy and out(m, t, None) != out(like, u, None):
                return None
            pairs[t] = u
            todo.append(t)
    if len(pairs) != m.n_states or len(set(pairs.values())) != len(pairs):
        return None
    return [pairs[q] for q in range(m.n_states)]


_MIXED = -2
"""The output key of a state's self-loops merged across outputs (``_merge_loops``)."""


def _merge_loops(groups: dict[tuple[int, int], list[int]], q: int) -> int:
    """Merge the self-loops of ``q`` that differ in their outputs into one group keyed
    ``(q, _MIXED)`` (in place); return how many outputs they had (1: nothing merged)."""
    loops = [key for key in groups if key[0] == q]
    if len(loops) < 2:
        return 1
    groups[(q, _MIXED)] = sorted(a for key in loops for a in groups.pop(key))
    return len(loops)


def _largest(groups: dict[tuple[int, int], list[int]]) -> tuple[int, int] | None:
    """The key of the group with the most inputs, if it has two or more (first on ties)."""
    best = max(groups, key=lambda key: len(groups[key]), default=None)
    return best if best is not None and len(groups[best]) >= 2 else None


def _abridged(names: list[str], output: str, limit: int) -> str:
    """``names`` joined by commas, then ``output`` (`` / out``), in at most ``limit``
    characters: names that do not fit become ``+N more``, a long output is cut with
    ``…`` (an escaped character is never split).

    >>> _abridged(["alpha", "beta", "gamma"], " / ok", 20)
    'alpha, +2 more / ok'
    >>> _abridged(["a"], " / " + "x" * 30, 12)
    'a / xx…'
    """
    label = ", ".join(names)
    if len(label) + len(output) <= limit:
        return label + output
    output = _cut(output, limit // 2)
    shown: list[str] = []
    for i, name in enumerate(names):
        rest = [f"+{len(names) - i - 1} more"] if i < len(names) - 1 else []
        if len(", ".join([*shown, name, *rest])) + len(output) > limit:
            break
        shown.append(name)
    if len(shown) < len(names):
        shown.append(f"+{len(names) - len(shown)} more")
    label = ", ".join(shown)
    return label + _cut(output, limit - len(label))


def _cut(text: str, width: int) -> str:
    """``text``, or its start and ``…`` in ``width`` characters (no escape split)."""
    if len(text) <= width:
        return text
    end = max(0, width - 1)
    while end > 0 and text[:end].endswith("\\"):
        end -= 1
    return text[:end] + "…"


# -- pictures -------------------------------------------------------------------------


def dot_available() -> bool:
    """Whether Graphviz's ``dot`` program can be found on PATH."""
    return shutil.which("dot") is not None


def image(m: Machine, format: str = "svg", **options: Any) -> bytes:
    """The picture of ``m`` as ``format`` (svg, png, pdf) bytes; ``options`` go to ``to_dot``."""
    return dot_image(to_dot(m, **options), format)


def dot_image(text: str, format: str = "svg") -> bytes:
    """The picture of any DOT ``text`` (a machine's, a soft automaton's) as ``format`` bytes."""
    if format not in FORMATS:
        raise CatautoError(f"cannot draw {format!r}; formats: {', '.join(FORMATS)}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        bad = text[e.start : e.end]
        raise CatautoError(f"cannot draw {bad!r}: Graphviz reads UTF-8 only") from None
    if not dot_available():
        raise DotNotFoundError(
            f"drawing needs Graphviz's 'dot' program, not found on PATH; {INSTALL_HINT}"
        )
    import graphviz  # only here: the package is needed for pictures, not for DOT text

    try:
        return graphviz.Source(text).pipe(format=format)
    except graphviz.ExecutableNotFound:
        raise DotNotFoundError(
            f"Graphviz's 'dot' program could not be run; {INSTALL_HINT}"
        ) from None
    except OSError as e:  # found on PATH but not runnable (permissions, bad binary)
        raise DotNotFoundError(
            f"Graphviz's 'dot' program could not be run ({e.strerror or e}); {INSTALL_HINT}"
        ) from None
    except graphviz.CalledProcessError as e:
        detail = (e.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        raise CatautoError(f"Graphviz failed: {detail[-1] if detail else e}") from None


def svg(m: Machine, **options: Any) -> str:
    """The SVG picture of ``m`` as text."""
    return image(m, "svg", **options).decode("utf-8")


def render(m: Machine, path: PathLike, format: str | None = None, **options: Any) -> Path:
    """Draw ``m`` into ``path`` (atomically); the format is ``format`` or the extension.

    ``options`` go to ``to_dot`` (``hide_sink``, ``highlight``, ...). A ``.dot`` or
    ``.gv`` path gets the DOT text itself, which needs no Graphviz. Returns the path.
    """
    path = Path(path)
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt in ("dot", "gv"):
        atomic_write(path, to_dot(m, **options))
        return path
    if fmt not in FORMATS:
        got = f"{fmt!r}" if fmt else "no extension"
        raise CatautoError(
            f"{os.fspath(path)}: cannot draw {got}; use .svg, .png, .pdf (or .dot for the text)"
        )
    atomic_write(path, image(m, fmt, **options))
    return path


def mimebundle(m: Machine) -> dict[str, str]:
    """What a notebook shows: the SVG when Graphviz is there, else the DOT text."""
    if dot_available():
        try:
            return {"image/svg+xml": svg(m), "text/plain": repr(m)}
        except CatautoError:
            pass
    note = f"{m!r}\n(no picture: {INSTALL_HINT})\n"
    return {"text/plain": note + to_dot(m)}
