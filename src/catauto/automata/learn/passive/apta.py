"""The prefix tree of a sample (APTA) or of Mealy traces (prefix-tree transducer).

Every distinct prefix of the data is one node; node 0 is the empty word. The tree is
built in bulk, one numpy pass per depth: at depth ``j`` the words still alive map
``(node, symbol)`` keys to child nodes with ``np.unique``, so the work is a few array
operations per depth, not a Python step per symbol. Nodes come out numbered in
**shortlex order** of their words (by depth, then lexicographically by alphabet index),
which is the order red–blue state merging visits them.

Contradictions are found on the way: two words ending at the same node with different
labels, or two traces giving different outputs after the same prefix, raise a
``ContradictionError`` quoting both traces (with their file lines when read from a file).

>>> from catauto.automata.traces import Sample
>>> t = prefix_tree(Sample(["ab", "a", "b"], [True, False, True]))
>>> t.n_nodes, t.child.tolist(), t.label.tolist()
(4, [[1, 2], [-1, 3], [-1, -1], [-1, -1]], [-1, 0, 1, 1])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from catauto.automata.traces import IOTraces, Sample
from catauto.errors import CatautoError, ContradictionError

__all__ = ["PrefixTree", "distinct_prefixes", "prefix_tree"]


@dataclass(frozen=True, eq=False)
class PrefixTree:
    """A prefix tree over ``n`` nodes and ``k`` inputs (node 0 is the empty word).

    - ``child``: ``int32[n, k]``, the child of a node on an input, -1 if absent;
    - ``label``: ``int32[n]``, the output index at a node (DFA: 1 accept, 0 reject;
      Moore: index into ``outputs``), -1 where no trace says;
    - ``edge_output``: ``int32[n, k]`` (Mealy only, else None): the output of each edge;
    - ``depth``: ``int32[n]``; ``parent`` / ``symbol``: ``int32[n]`` (-1 at the root);
    - ``kind``: ``"dfa"``, ``"moore"`` or ``"mealy"``; ``inputs`` / ``outputs``: alphabets.
    """

    kind: str
    child: np.ndarray
    label: np.ndarray
    edge_output: np.ndarray | None
    depth: np.ndarray
    parent: np.ndarray
    symbol: np.ndarray
    inputs: tuple
    outputs: tuple

    @property
    def n_nodes(self) -> int:
        return self.child.shape[0]

    @property
    def n_inputs(self) -> int:
        return self.child.shape[1]


def prefix_tree(data: Sample | IOTraces, kind: str | None = None) -> PrefixTree:
    """The prefix tree of ``data``; ``kind`` overrides the kind the data implies.

    ``kind="moore"`` on ``IOTraces`` labels each non-root node with the output of the
    step that reaches it (a Moore reading of the traces; the root stays unlabelled).
    A DFA ``Sample`` can be read as ``kind="moore"`` (outputs ``(False, True)``).
    """
    kind = _resolve_kind(data, kind)
    B = len(data)
    lengths = data.lengths
    k = data.n_inputs
    offsets = data.offsets[:-1]
    order = np.argsort(-lengths, kind="stable")  # the live words at each depth: a prefix
    sorted_len = lengths[order]
    maxlen = int(sorted_len[0]) if B else 0
    node = np.zeros(B, dtype=np.int64)  # current node of each word, in ``order``
    parents, symbols, sizes = [np.zeros(1, np.int64)], [np.zeros(1, np.int64)], [1]
    edge_outs = []
    end_node = np.zeros(B, dtype=np.int64)
    n_nodes = 1
    io = isinstance(data, IOTraces)
    live_counts = np.searchsorted(-sorted_len, -np.arange(1, maxlen + 1), side="right")
    for j in range(maxlen):
        live = int(live_counts[j])
        idx = order[:live]
        sym = data.symbols[offsets[idx] + j].astype(np.int64)
        keys = node[:live] * k + sym
        uniq, first, inv = np.unique(keys, return_index=True, return_inverse=True)
        node[:live] = n_nodes + inv
        parents.append(uniq // k)
        symbols.append(uniq % k)
        if io:
            out = data.out_symbols[offsets[idx] + j]
            clash = np.flatnonzero(out != out[first][inv])
            if len(clash):
                p = int(clash[0])
                _io_contradiction(data, int(idx[first[inv[p]]]), int(idx[p]), j)
            edge_outs.append(out[first])
        n_nodes += len(uniq)
        sizes.append(len(uniq))
        ending = slice(int(live_counts[j + 1]) if j + 1 < maxlen else 0, live)
        end_node[order[ending]] = node[ending]
    parent = np.concatenate(parents).astype(np.int32)
    symbol = np.concatenate(symbols).astype(np.int32)
    parent[0] = symbol[0] = -1
    depth = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
    child = np.full((n_nodes, k), -1, dtype=np.int32)
    child[parent[1:], symbol[1:]] = np.arange(1, n_nodes, dtype=np.int32)
    label = np.full(n_nodes, -1, dtype=np.int32)
    edge_output = None
    if io:
        out = np.concatenate(edge_outs).astype(np.int32) if edge_outs else np.zeros(0, np.int32)
        if kind == "mealy":
            edge_output = np.full((n_nodes, k), -1, dtype=np.int32)
            edge_output[parent[1:], symbol[1:]] = out
        else:
            label[1:] = out
    else:
        _label_nodes(data, end_node, label)
    if kind == "dfa" and data.kind != "dfa":
        raise CatautoError(f"a DFA needs labels True/False, the data has {data.output_alphabet}")
    return PrefixTree(
        kind, child, label, edge_output, depth, parent, symbol,
        data.input_alphabet, data.output_alphabet,
    )  # fmt: skip


def distinct_prefixes(tree: PrefixTree, budget: int = 200_000) -> list[int]:
    """Nodes whose words no machine consistent with the data may send to one state:
    every two of them have a common continuation the data labels differently. So any
    consistent machine has at least this many states (a lower bound, as in the clique
    of Heule & Verwer's DFASAT). Greedy, in shortlex order; the comparisons stop after
    ``budget`` node pairs visited.

    >>> from catauto.automata.traces import Sample
    >>> words = ["", "a", "aa", "aaa", "b", "ab", "ba", "bb"]
    >>> distinct_prefixes(prefix_tree(Sample(words, [len(w) % 3 == 0 for w in words])))
    [0, 1, 3]
    """
    child, label, out = tree.child.tolist(), tree.label.tolist(), tree.edge_output
    edges = out.tolist() if out is not None else None
    k = tree.n_inputs
    chosen: list[int] = []
    spent = 0

    def apart(u: int, v: int) -> bool:
        nonlocal spent
        stack = [(u, v)]
        while stack:
            x, y = stack.pop()
            spent += 1
            if 0 <= label[x] != label[y] >= 0:
                return True
            for a in range(k):
                cx, cy = child[x][a], child[y][a]
                if cx >= 0 and cy >= 0:
                    if edges is not None and edges[x][a] != edges[y][a]:
                        return True
                    stack.append((cx, cy))
        return False

    for node in range(tree.n_nodes):
        if spent > budget:
            break
        if all(apart(node, other) for other in chosen):
            chosen.append(node)
    return chosen


def _resolve_kind(data: Any, kind: str | None) -> str:
    if not isinstance(data, (Sample, IOTraces)):
        raise CatautoError(f"expected a Sample or IOTraces, got {type(data).__name__}")
    natural = data.kind
    if kind is None:
        return natural
    if kind not in ("dfa", "moore", "mealy"):
        raise CatautoError(f"kind must be 'dfa', 'moore' or 'mealy', got {kind!r}")
    allowed = {"dfa": {"dfa", "moore"}, "moore": {"moore"}, "mealy": {"mealy", "moore"}}
    if kind not in allowed[natural]:
        hint = "IOTraces" if kind == "mealy" else "a Sample with True/False labels"
        raise CatautoError(f"cannot learn a {kind} machine from {natural} data (needs {hint})")
    return kind


def _label_nodes(data: Sample, end_node: np.ndarray, label: np.ndarray) -> None:
    """Put each labelled word's label on its end node; clashing labels are an error."""
    lab = np.flatnonzero(data.labels >= 0)
    nodes = end_node[lab]
    order = np.argsort(nodes, kind="stable")
    nodes, lab = nodes[order], lab[order]
    values = data.labels[lab]
    clash = np.flatnonzero((nodes[1:] == nodes[:-1]) & (values[1:] != values[:-1]))
    if len(clash):
        c = int(clash[0])
        a, b = int(lab[c]), int(lab[c + 1])
        raise ContradictionError(
            f"contradictory traces: {data.describe(a)} and {data.describe(b)}"
            " label the same word differently"
        )
    label[nodes] = values


def _io_contradiction(data: IOTraces, a: int, b: int, step: int) -> None:
    word = " ".join(map(str, data.word(a)[:step])) or "ε"
    sym = data.word(a)[step]
    raise ContradictionError(
        f"contradictory traces: {data.describe(a, step + 1)} and {data.describe(b, step + 1)}"
        f" give different outputs for {sym!r} after the prefix {word}"
    )
