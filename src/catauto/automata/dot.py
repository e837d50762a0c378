"""The DOT language: a tokenizer and a recursive-descent parser into a flat graph.

This module knows DOT, not automata (``catauto.automata.dotio`` reads machines from
the graphs it returns). The grammar is Graphviz's::

    graph     : [strict] (graph | digraph) [ID] '{' stmt_list '}'
    stmt_list : [stmt [';'] stmt_list]
    stmt      : node_stmt | edge_stmt | attr_stmt | ID '=' ID | subgraph
    attr_stmt : (graph | node | edge) attr_list
    attr_list : '[' [a_list] ']' [attr_list]
    a_list    : ID '=' ID [(';' | ',')] [a_list]
    edge_stmt : (node_id | subgraph) edgeRHS [attr_list]
    edgeRHS   : edgeop (node_id | subgraph) [edgeRHS]
    node_stmt : node_id [attr_list]
    node_id   : ID [':' ID [':' ID]]
    subgraph  : [subgraph [ID]] '{' stmt_list '}'

An ID is a name (letters, digits, ``_``, any non-ASCII character; not starting with
a digit), a numeral (``-1.5``), a double-quoted string (``\\"`` is a quote, a
backslash-newline continues the line, ``"a" + "b"`` concatenates) or an HTML string
``<...>`` with nested angle brackets. Keywords are case-insensitive. ``//`` and
``/* */`` comments and lines starting with ``#`` (C preprocessor output) are skipped.

Semantics follow Graphviz: subgraphs are flattened (a subgraph used as an edge end
stands for all of its nodes), ``node [...]`` / ``edge [...]`` defaults apply to the
objects created after them in their (sub)graph, a node's attributes accumulate over its
statements, and a ``strict`` graph merges edges with the same ends. Ports are parsed
and dropped.

Quoted strings keep every backslash except the one in ``\\"`` and in a line
continuation: the second level of escapes (``\\n``, ``\\\\``, ...) belongs to the
attribute that holds the string (labels are Graphviz "escString"s).

>>> g = parse_dot('digraph { a -> b -> c [label="x"]; node [shape=box] d }')
>>> list(g.nodes), [(e.tail, e.head, e.attrs["label"]) for e in g.edges]
(['a', 'b', 'c', 'd'], [('a', 'b', 'x'), ('b', 'c', 'x')])
>>> g.nodes["d"].attrs
{'shape': 'box'}
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from catauto.errors import FormatError

__all__ = ["DotEdge", "DotGraph", "DotNode", "FormatError", "parse_dot"]

_MAX_DEPTH = 100
_KEYWORDS = ("strict", "graph", "digraph", "node", "edge", "subgraph")


@dataclass
class DotNode:
    """A node: its attributes and where it first appeared."""

    name: str
    attrs: dict[str, str]
    line: int
    column: int


@dataclass
class DotEdge:
    """An edge ``tail -> head`` with its attributes and the position of its statement."""

    tail: str
    head: str
    attrs: dict[str, str]
    line: int
    column: int


@dataclass
class DotGraph:
    """A parsed DOT graph, subgraphs flattened; ``nodes`` in order of first appearance."""

    name: str | None
    directed: bool
    strict: bool
    attrs: dict[str, str] = field(default_factory=dict)
    nodes: dict[str, DotNode] = field(default_factory=dict)
    edges: list[DotEdge] = field(default_factory=list)
    source: str = "<string>"
    line: int = 1
    column: int = 1
    attr_positions: dict[str, tuple[int, int]] = field(default_factory=dict)


# -- tokens ---------------------------------------------------------------------------


# kinds: "id" (name or numeral), "qid" (quoted), "html", "kw" (keyword, lowercased),
# "op" (-> or --), a punctuation character, "eof".
class _Token(NamedTuple):
    kind: str
    value: str
    pos: int


# Each match is the white space and comments before a token, then the token (so one
# regex call per token); the group that matched says which kind it is.
# The skip is possessive (*+): backtracking into it would be exponential in the spaces.
_SKIP = r"(?:[ \t\r\n\f\v]++|//[^\n]*+|/\*[^*]*+\*++(?:[^/*][^*]*+\*++)*+/)*+"
_TOKEN = re.compile(
    _SKIP
    + r"""(?:
    (?P<name>[A-Za-z_\u0080-\U0010ffff][A-Za-z_0-9\u0080-\U0010ffff]*)
  | (?P<punct>[{}\[\];,=:+])
  | (?P<quoted>"(?P<body>[^"\\]*+(?:\\[\s\S][^"\\]*+)*+)")
  | (?P<op>->|--)
  | (?P<num>-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?))
  | (?P<quote>")
  | (?P<html><)
  | (?P<hash>\#)
  | (?P<unclosed>/\*)
  | (?P<end>\Z)
    )""",
    re.VERBOSE,
)
_SKIP_ONLY = re.compile(_SKIP)
_QUOTED_ESCAPE = re.compile(r'\\(\r\n|[\n"\\])')


def _unquote(match: re.Match) -> str:
    c = match.group(1)
    return '"' if c == '"' else "\\\\" if c == "\\" else ""


class _Lexer:
    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def where(self, pos: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, pos)
        return line, pos - self.line_starts[line - 1] + 1

    def error(self, reason: str, pos: int) -> FormatError:
        line, column = self.where(pos)
        return FormatError(reason, self.source, line, column)

    def tokens(self) -> list[_Token]:
        text, pos, out = self.text, 0, []
        match, append = _TOKEN.match, out.append
        while True:
            m = match(text, pos)
            if m is None:
                pos = _SKIP_ONLY.match(text, pos).end()
                raise self.error(f"unexpected character {text[pos]!r}", pos)
            kind = m.lastgroup
            start = m.start(kind)
            if kind == "name":
                word = m.group(kind)
                low = word.lower()
                append(_Token("kw", low, start) if low in _KEYWORDS else _Token("id", word, start))
            elif kind == "quoted":
                body = m.group("body")
                if "\\" in body:
                    body = _QUOTED_ESCAPE.sub(_unquote, body)
                append(_Token("qid", body, start))
            elif kind == "punct":
                append(_Token(m.group(kind), m.group(kind), start))
            elif kind == "op":
                append(_Token("op", m.group(kind), start))
            elif kind == "num":
                append(_Token("id", m.group(kind), start))
            elif kind == "end":
                append(_Token("eof", "", len(text)))
                return out
            elif kind == "quote":
                raise self.error("string is never closed (missing '\"')", start)
            elif kind == "unclosed":
                raise self.error("comment '/*' is never closed", start)
            elif kind == "hash":
                line_start = self.line_starts[self.where(start)[0] - 1]
                if text[line_start:start].strip():
                    raise self.error(
                        "unexpected character '#' (only a line may start with #)", start
                    )
                end = text.find("\n", start)
                pos = len(text) if end < 0 else end
                continue
            else:  # html
                end = self._html_end(start)
                append(_Token("html", text[start + 1 : end], start))
                pos = end + 1
                continue
            pos = m.end()

    def _html_end(self, start: int) -> int:
        depth = 0
        for i in range(start, len(self.text)):
            c = self.text[i]
            if c == "<":
                depth += 1
            elif c == ">":
                depth -= 1
                if depth == 0:
                    return i
        raise self.error("HTML string '<...>' is never closed", start)


# -- parser ---------------------------------------------------------------------------


@dataclass
class _Scope:
    node_defaults: dict[str, str]
    edge_defaults: dict[str, str]
    nodes: list[str]  # every node mentioned in this (sub)graph, for edges to subgraphs


def _describe(tok: _Token) -> str:
    if tok.kind == "eof":
        return "end of input"
    if tok.kind == "qid":
        return "a quoted string"
    if tok.kind == "html":
        return "an HTML string"
    return repr(tok.value)


class _Parser:
    def __init__(self, text: str, source: str) -> None:
        self.lexer = _Lexer(text, source)
        self.toks = self.lexer.tokens()
        self.last = len(self.toks) - 1  # the eof token; one more pads peek(1)
        self.toks.append(self.toks[-1])
        self.i = 0
        self.graph: DotGraph
        self.depth = 0  # of subgraphs, bounded so that recursion cannot run out
        self.strict_edges: dict = {}  # a strict graph keeps one edge per pair of ends

    # token helpers
    def peek(self, ahead: int = 0) -> _Token:
        return self.toks[self.i + ahead]

    def next(self) -> _Token:
        tok = self.toks[self.i]
        if self.i < self.last:
            self.i += 1
        return tok

    def error(self, reason: str, tok: _Token | None = None) -> FormatError:
        tok = tok or self.peek()
        return self.lexer.error(reason, tok.pos)

    def expect(self, kind: str, what: str) -> _Token:
        tok = self.peek()
        if tok.kind != kind:
            raise self.error(f"expected {what}, found {_describe(tok)}")
        return self.next()

    def is_id(self, tok: _Token) -> bool:
        return tok.kind in ("id", "qid", "html")

    def ident(self, what: str) -> str:
        tok = self.peek()
        if not self.is_id(tok):
            raise self.error(f"expected {what}, found {_describe(tok)}")
        self.next()
        value = tok.value
        if tok.kind == "qid":
            while self.peek().kind == "+":
                self.next()
                part = self.peek()
                if part.kind != "qid":
                    raise self.error(f"expected a quoted string after '+', found {_describe(part)}")
                value += self.next().value
        return value

    def position(self, tok: _Token) -> tuple[int, int]:
        return self.lexer.where(tok.pos)

    # grammar
    def parse(self) -> DotGraph:
        if self.peek().kind == "eof":
            raise self.error("empty input, expected 'digraph' or 'graph'")
        strict = False
        if self.peek().kind == "kw" and self.peek().value == "strict":
            self.next()
            strict = True
        head = self.peek()
        if head.kind != "kw" or head.value not in ("graph", "digraph"):
            raise self.error(f"expected 'digraph' or 'graph', found {_describe(head)}")
        self.next()
        name = self.ident("a graph name") if self.is_id(self.peek()) else None
        line, column = self.position(head)
        self.graph = DotGraph(
            name,
            head.value == "digraph",
            strict,
            source=self.lexer.source,
            line=line,
            column=column,
        )
        self.expect("{", "'{'")
        self.stmt_list(_Scope({}, {}, []), root=True)
        self.expect("}", "'}' or a statement")
        if self.peek().kind != "eof":
            raise self.error(
                f"expected end of input after the graph, found {_describe(self.peek())}"
            )
        return self.graph

    def stmt_list(self, scope: _Scope, root: bool) -> None:
        while self.peek().kind not in ("}", "eof"):
            self.stmt(scope, root)
            if self.peek().kind == ";":
                self.next()

    def stmt(self, scope: _Scope, root: bool) -> None:
        tok = self.peek()
        if tok.kind == "kw" and tok.value in ("graph", "node", "edge"):
            self.next()
            if self.peek().kind != "[":
                raise self.error(
                    f"expected '[' after {tok.value!r}, found {_describe(self.peek())}"
                )
            attrs = self.attr_list()
            if tok.value == "graph":
                if root:
                    self.set_graph_attrs(attrs, tok)
            else:
                (scope.node_defaults if tok.value == "node" else scope.edge_defaults).update(attrs)
            return
        if self.is_id(tok) and self.peek(1).kind == "=":
            key = self.ident("an attribute name")
            self.next()
            value = self.ident(f"a value for {key!r}")
            if root:
                self.set_graph_attrs({key: value}, tok)
            return
        if tok.kind == "{" or (tok.kind == "kw" and tok.value == "subgraph"):
            ends = self.subgraph(scope)
        elif self.is_id(tok):
            ends = [self.node_id(scope)]
        else:
            raise self.error(f"expected a statement, found {_describe(tok)}")
        if self.peek().kind == "op":
            self.edge_rhs(scope, ends, tok)
        elif self.peek().kind == "[":
            if tok.kind == "{" or tok.kind == "kw":
                raise self.error("a subgraph takes no attribute list")
            self.graph.nodes[ends[0]].attrs.update(self.attr_list())

    def set_graph_attrs(self, attrs: dict[str, str], tok: _Token) -> None:
        self.graph.attrs.update(attrs)
        where = self.position(tok)
        for key in attrs:
            self.graph.attr_positions[key] = where

    def edge_rhs(self, scope: _Scope, tails: list[str], start: _Token) -> None:
        chain = [tails]
        while self.peek().kind == "op":
            op = self.next()
            want = "->" if self.graph.directed else "--"
            if op.value != want:
                kind = "digraph" if self.graph.directed else "graph"
                raise self.error(f"a {kind} uses {want!r} for edges, found {op.value!r}", op)
            tok = self.peek()
            if tok.kind == "{" or (tok.kind == "kw" and tok.value == "subgraph"):
                chain.append(self.subgraph(scope))
            elif self.is_id(tok):
                chain.append([self.node_id(scope)])
            else:
                raise self.error(
                    f"expected a node or subgraph after {op.value!r}, found {_describe(tok)}"
                )
        attrs = self.attr_list() if self.peek().kind == "[" else {}
        line, column = self.position(start)
        for tails_, heads in zip(chain, chain[1:]):
            for t in tails_:
                for h in heads:
                    self.add_edge(t, h, {**scope.edge_defaults, **attrs}, line, column)

    def add_edge(self, tail: str, head: str, attrs: dict, line: int, column: int) -> None:
        edge = DotEdge(tail, head, attrs, line, column)
        if self.graph.strict:
            key = (tail, head) if self.graph.directed else frozenset((tail, head))
            if key in self.strict_edges:
                self.strict_edges[key].attrs.update(attrs)
                return
            self.strict_edges[key] = edge
        self.graph.edges.append(edge)

    def node_id(self, scope: _Scope) -> str:
        tok = self.peek()
        name = self.ident("a node name")
        for _ in range(2):  # ports: name:port[:compass], dropped
            if self.peek().kind != ":":
                break
            self.next()
            self.ident("a port name")
        if name not in self.graph.nodes:
            line, column = self.position(tok)
            self.graph.nodes[name] = DotNode(name, dict(scope.node_defaults), line, column)
        scope.nodes.append(name)
        return name

    def subgraph(self, scope: _Scope) -> list[str]:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise self.error(f"subgraphs nested more than {_MAX_DEPTH} deep")
        if self.peek().kind == "kw":
            self.next()
            if self.is_id(self.peek()):
                self.ident("a subgraph name")
        self.expect("{", "'{' to open the subgraph")
        inner = _Scope(dict(scope.node_defaults), dict(scope.edge_defaults), [])
        self.stmt_list(inner, root=False)
        self.expect("}", "'}' to close the subgraph")
        scope.nodes.extend(inner.nodes)
        self.depth -= 1
        return list(dict.fromkeys(inner.nodes))

    def attr_list(self) -> dict[str, str]:
        attrs: dict[str, str] = {}
        while self.peek().kind == "[":
            self.next()
            while self.peek().kind != "]":
                key = self.ident("an attribute name or ']'")
                self.expect("=", f"'=' after attribute {key!r}")
                attrs[key] = self.ident(f"a value for attribute {key!r}")
                if self.peek().kind in (",", ";"):
                    self.next()
            self.next()
        return attrs


def parse_dot(text: str, source: str = "<string>") -> DotGraph:
    """Parse DOT ``text`` into a flat ``DotGraph``; errors are ``FormatError`` at line:column.

    >>> parse_dot("digraph { a -> }", "m.dot")
    Traceback (most recent call last):
    ...
    catauto.errors.FormatError: m.dot:1:16: expected a node or subgraph after '->', found '}'
    """
    return _Parser(text, source).parse()
