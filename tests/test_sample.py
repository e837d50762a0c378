"""Samples, I/O traces, their file formats and the prefix tree (with contradictions)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catauto import CatautoError
from catauto.automata import DFA
from catauto.automata.learn.passive.apta import prefix_tree
from catauto.automata.traceio import (
    read_abbadingo,
    read_csv,
    read_jsonl,
    read_stamina,
    write_abbadingo,
)
from catauto.automata.traces import IOTraces, Sample
from catauto.errors import ContradictionError

DATA = Path(__file__).resolve().parents[2] / "shared" / "automata_data"

binary_words = st.lists(st.lists(st.integers(0, 1), max_size=6), max_size=25)
symbols = st.sampled_from(["a", "b", "c", "10", 0, 1, 2, ("t", 1)])


# -- construction -------------------------------------------------------------------------
def test_alphabets_sorted_when_sortable_else_first_appearance():
    assert Sample(["ba", "c"], [True, False]).input_alphabet == ("a", "b", "c")
    assert Sample([[2, "x", 1]], [True]).input_alphabet == (2, "x", 1)
    assert Sample(["ab"], [True], inputs="ba").input_alphabet == ("b", "a")


def test_kind_follows_labels():
    assert Sample(["a"], [True]).kind == "dfa"
    assert Sample(["a"], [np.bool_(False)]).kind == "dfa"
    assert Sample(["a", "b"], ["x", "y"]).kind == "moore"
    assert Sample(["a", "b"], [1, 0]).kind == "moore"  # ints are not booleans
    s = Sample(["a", "b"], [None, True])
    assert s.labels.tolist() == [-1, 1] and s[0] == (("a",), None)


def test_construction_errors_say_what_and_where():
    with pytest.raises(CatautoError, match="2 words but 1 labels"):
        Sample(["a", "b"], [True])
    with pytest.raises(CatautoError, match=r"word #1: symbol 'c' at position 0"):
        Sample(["a", "c"], [True, True], inputs="ab")
    with pytest.raises(CatautoError, match="trace #0 has 2 inputs but 1 outputs"):
        IOTraces(["ab"], ["x"])
    with pytest.raises(CatautoError, match="not in the label alphabet"):
        Sample(["a"], ["z"], outputs=["x"])
    with pytest.raises(CatautoError, match="hashable"):
        Sample([[[1]]], [True])


def test_unhashable_alphabet_entries_and_labels_are_named():
    with pytest.raises(CatautoError, match=r"word alphabet .*symbol #0 \['a'\] is not hashable"):
        Sample(["a"], [True], inputs=[["a"]])
    with pytest.raises(CatautoError, match=r"label alphabet .*label #1 \['x'\] is not hashable"):
        Sample(["a"], [True], outputs=[False, ["x"]])
    with pytest.raises(CatautoError, match=r"output alphabet .*symbol #0 \['x'\] is not"):
        IOTraces(["a"], ["x"], output_alphabet=[["x"]])
    for outputs in (None, ["x"]):
        with pytest.raises(CatautoError, match=r"word #1: label \['x'\] is not hashable"):
            Sample(["a", "b"], ["x", ["x"]], outputs=outputs)


@given(binary_words, st.data())
def test_encoding_round_trips(words, data):
    labels = data.draw(st.lists(st.booleans(), min_size=len(words), max_size=len(words)))
    s = Sample(words, labels, inputs=(0, 1))
    assert [list(w) for w in s.words()] == words
    assert [s.label(i) for i in range(len(s))] == labels
    W, lengths = s.padded()
    assert lengths.tolist() == [len(w) for w in words]
    same = Sample.from_arrays(s.symbols, s.offsets, s.labels, (0, 1))
    assert same.words() == s.words() and same.labels.tolist() == s.labels.tolist()


@given(binary_words, st.integers(0, 2**32 - 1))
def test_split_partitions_and_keeps_sources(words, seed):
    s = Sample(words, [len(w) % 2 == 0 for w in words], (0, 1), lines=range(3, 3 + len(words)))
    a, b = s.split(0.7, seed=seed)
    assert len(a) + len(b) == len(s)
    merged = sorted(list(zip(a.lines.tolist(), a.words())) + list(zip(b.lines.tolist(), b.words())))
    assert merged == sorted(zip(s.lines.tolist(), s.words()))


def test_accuracy_and_predict_match_machine_alphabets_by_symbol():
    even = DFA([[1, 0], [0, 1]], [True, False], inputs="ab")
    s = Sample(["", "a", "aa", "ba"], [True, False, True, True], inputs="ba")
    assert s.accuracy(even) == 0.75
    traces = IOTraces(["ab"], [["x", "y"]])
    assert traces.describe(0) == 'trace #0 "a/x b/y"'


# -- the prefix tree ----------------------------------------------------------------------
def _slow_tree(words):
    """Reference: prefix -> node id by a plain dictionary walk."""
    nodes = {()}
    for w in words:
        for j in range(1, len(w) + 1):
            nodes.add(tuple(w[:j]))
    return sorted(nodes, key=lambda p: (len(p), p))


@given(binary_words)
def test_prefix_tree_nodes_are_the_prefixes_in_shortlex_order(words):
    s = Sample(words, [sum(w) % 2 == 0 for w in words], inputs=(0, 1))
    tree = prefix_tree(s)
    expected = _slow_tree([tuple(w) for w in words])
    assert tree.n_nodes == len(expected)
    index = {p: i for i, p in enumerate(expected)}
    for p, i in index.items():
        for a in (0, 1):
            assert tree.child[i, a] == index.get((*p, a), -1)
        assert tree.depth[i] == len(p)
    for w in words:
        assert tree.label[index[tuple(w)]] == (sum(w) % 2 == 0)


def test_mealy_prefix_tree_has_edge_outputs():
    t = prefix_tree(IOTraces(["ab", "aa", "b"], ["xy", "xx", "y"]))
    assert t.kind == "mealy"
    assert t.child.tolist() == [[1, 2], [3, 4], [-1, -1], [-1, -1], [-1, -1]]
    assert t.edge_output.tolist() == [[0, 1], [0, 1], [-1, -1], [-1, -1], [-1, -1]]


def test_prefix_tree_is_bulk_for_many_traces():
    rng = np.random.default_rng(0)
    lengths = rng.integers(0, 21, 20_000)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    flat = rng.integers(0, 2, offsets[-1])
    # labels from a parity function, so no contradictions
    labels = np.add.reduceat(np.append(flat, 0), offsets[:-1]) % 2
    labels[lengths == 0] = 0
    tree = prefix_tree(Sample.from_arrays(flat, offsets, labels, (0, 1)))
    assert tree.n_nodes > 20_000 and (tree.child[tree.parent[1:], tree.symbol[1:]] > 0).all()


# -- contradictions ----------------------------------------------------------------------
@given(binary_words.filter(bool), st.data())
def test_contradictions_are_always_reported_with_both_traces(words, data):
    labels = data.draw(st.lists(st.booleans(), min_size=len(words), max_size=len(words)))
    i = data.draw(st.integers(0, len(words) - 1))
    words = [*words, list(words[i])]
    labels = [*labels, not labels[i]]
    s = Sample(words, labels, inputs=(0, 1))
    with pytest.raises(ContradictionError) as err:
        prefix_tree(s)
    msg = str(err.value)
    quoted = re.findall(r"trace #(\d+)", msg)
    assert len(quoted) == 2
    a, b = map(int, quoted)
    assert s.word(a) == s.word(b) and s.label(a) != s.label(b)
    assert s.describe(a) in msg and s.describe(b) in msg


@given(st.lists(st.lists(st.integers(0, 1), min_size=1, max_size=5), min_size=1, max_size=10))
def test_io_contradiction_on_a_shared_prefix(words):
    outs = [[a for a in w] for w in words]  # output = input: consistent
    IOTraces(words, outs)  # fine
    bad = list(words[0])
    flipped = [*outs[0][:-1], 1 - outs[0][-1]]
    traces = IOTraces([*words, bad], [*outs, flipped])
    with pytest.raises(ContradictionError, match="different outputs") as err:
        prefix_tree(traces)
    assert str(err.value).count("trace #") == 2


def test_contradiction_from_a_file_names_both_lines(tmp_path):
    p = tmp_path / "c.a"
    p.write_text("3 2\n1 2 0 1\n0 1 1\n0 2 0 1\n")
    with pytest.raises(ContradictionError) as err:
        prefix_tree(read_abbadingo(p))
    msg = str(err.value)
    assert f"{p}:2" in msg and f"{p}:4" in msg and '"0 1"' in msg


# -- formats ------------------------------------------------------------------------------
def test_read_abbadingo_and_flexfringe_extensions(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("4 2\n1 3 0 1 1\n0 0\n-1 1 1\n1 2 1:3,4 0\n")
    s = read_abbadingo(p)
    assert s.kind == "dfa" and s.input_alphabet == (0, 1)
    assert list(s) == [((0, 1, 1), True), ((), False), ((1,), None), ((1, 0), True)]
    assert s.lines.tolist() == [2, 3, 4, 5]
    q = tmp_path / "io.txt"
    q.write_text("2 3:1\n1 2 a/x b/y\n0 1 c/x\n")
    t = read_abbadingo(q)
    assert isinstance(t, IOTraces) and list(t) == [(("a", "b"), ("x", "y")), (("c",), ("x",))]
    m = tmp_path / "moore.txt"
    m.write_text("2 2\n3 1 0\n5 0\n")
    assert read_abbadingo(m).output_alphabet == (3, 5)


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ("2 2\n1 1 0\nl 1 1\n", 3, "label 'l' is not an integer"),
        ("1 2\n1 1/x 0\n", 2, "expected 'label length"),
        ("", 1, "no traces: the file is empty"),
        ("2 2\n1 1 0\n", 2, "announces 2 strings"),
        ("1 2\n1 2 0\n", 2, "length field says 2"),
        ("1 2\n1 1 5\n", 2, "outside the alphabet"),
        ("x y\n", 1, "header"),
        ("1 2\n1 2 0/x 1\n", 2, "carry an output"),
        ("1 2\n1 1 /x\n", 2, "malformed symbol"),
    ],
)
def test_abbadingo_errors_name_file_and_line(tmp_path, text, line, what):
    p = tmp_path / "bad.a"
    p.write_text(text)
    with pytest.raises(CatautoError, match=re.escape(f"{p}:{line}:") + ".*" + what):
        read_abbadingo(p)


@given(
    st.lists(
        st.tuples(st.lists(symbols, max_size=5), st.sampled_from([True, False, None])),
        min_size=1,  # no reader accepts a file without a trace
    ),
    st.lists(symbols, max_size=3),
)
def test_abbadingo_round_trip(tmp_path_factory, rows, unused):
    """What the module doc promises: the same words (by name or by index), the same
    labels, the alphabet inferred again."""
    p = tmp_path_factory.mktemp("rt") / "s.a"
    words = [w for w, _ in rows]
    labels = [x for _, x in rows]
    used = Sample(words, labels).input_alphabet
    inputs = used + tuple(dict.fromkeys(s for s in unused if s not in used))
    sample = Sample(words, labels, inputs, outputs=(False, True))
    write_abbadingo(sample, p)
    back = read_abbadingo(p)
    assert back.labels.tolist() == sample.labels.tolist()
    # symbols come back by name when they are plain non-integer strings or
    # Abbadingo's 0..A-1, else by alphabet index
    rename = dict(zip(inputs, range(len(inputs))))
    ints = inputs == tuple(range(len(inputs))) and all(type(s) is int for s in inputs)
    plain = all(isinstance(s, str) and not s.isdigit() for s in inputs)
    expect = sample.words() if ints or plain else [tuple(rename[s] for s in w) for w in words]
    assert back.words() == expect
    seen = {s for w in expect for s in w}
    if plain and seen:
        assert back.input_alphabet == tuple(sorted(seen))
    else:
        assert back.input_alphabet == tuple(range(len(inputs)))


@given(st.lists(st.sampled_from([None, 0, 1, 3, -1, "x", "on"]), min_size=1, max_size=8))
def test_abbadingo_round_trip_of_moore_labels(tmp_path_factory, labels):
    p = tmp_path_factory.mktemp("rt") / "m.a"
    sample = Sample([["a"]] * len(labels), labels)
    write_abbadingo(sample, p)
    back = read_abbadingo(p)
    # Moore labels are written by name when they are integers (not -1, not only 0 / 1)
    outs = sample.output_alphabet
    by_name = all(type(o) is int for o in outs) and -1 not in outs and not set(outs) <= {0, 1}
    written = [x if x is None or by_name else outs.index(x) for x in labels]
    if {x for x in written if x is not None} <= {0, 1}:
        assert [back.label(i) for i in range(len(back))] == [
            None if x is None else x == 1 for x in written
        ]
    else:
        assert [back.label(i) for i in range(len(back))] == written
        assert back.output_alphabet == tuple(sorted({x for x in written if x is not None}))


@pytest.mark.parametrize(
    ("sample", "words", "alphabet"),
    [
        (Sample(["a"], [True], inputs="ab"), [("a",)], ("a",)),  # unused symbols are lost
        (Sample(["ba"], [True], inputs="ba"), [("b", "a")], ("a", "b")),  # order too
        (Sample([""], [True], inputs="ab"), [()], (0, 1)),  # no symbol: Abbadingo's
        (Sample([["10"]], [True]), [(0,)], (0,)),  # reads back as an int: by index
        (Sample([["5"]], [True], inputs=("a", "5")), [(1,)], (0, 1)),  # so is "5" here
        (Sample([[2]], [True], inputs=(1, 2)), [(1,)], (0, 1)),  # not 0..A-1: by index
    ],
)
def test_what_write_abbadingo_keeps(tmp_path, sample, words, alphabet):
    write_abbadingo(sample, tmp_path / "s.a")
    back = read_abbadingo(tmp_path / "s.a")
    assert (back.words(), back.input_alphabet) == (words, alphabet)


@given(
    st.lists(st.lists(st.sampled_from("abc"), min_size=0, max_size=5), min_size=1, max_size=8),
    st.data(),
)
def test_abbadingo_round_trip_io_traces(tmp_path_factory, words, data):
    outs = [
        data.draw(st.lists(st.sampled_from([0, 7]), min_size=len(w), max_size=len(w)))
        for w in words
    ]
    traces = IOTraces(words, outs)
    p = tmp_path_factory.mktemp("io") / "t.a"
    write_abbadingo(traces, p)
    back = read_abbadingo(p)
    if any(words):
        assert list(back) == list(traces)


def test_read_stamina(tmp_path):
    p = tmp_path / "s.txt"
    p.write_text("+ 0 1 1\n-\n? 2\n+\n")
    s = read_stamina(p)
    assert list(s) == [((0, 1, 1), True), ((), False), ((2,), None), ((), True)]
    p.write_text("+ 1\n* 2\n")
    with pytest.raises(CatautoError, match=re.escape(f"{p}:2:")):
        read_stamina(p)


def test_read_csv(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("word,label\na b,1\n,0\nb,\n")
    s = read_csv(p)
    assert s.kind == "dfa" and list(s) == [(("a", "b"), True), ((), False), (("b",), None)]
    p.write_text("id,input,output\n1,a b,x y\n2,a,x\n")
    assert list(read_csv(p)) == [(("a", "b"), ("x", "y")), (("a",), ("x",))]
    p.write_text("word,label\na,on\nb,off\n")
    assert read_csv(p).output_alphabet == ("off", "on")
    p.write_text("input,output\na b,x\n")
    with pytest.raises(CatautoError, match=re.escape(f"{p}:2:") + ".*2 inputs but 1 outputs"):
        read_csv(p)
    p.write_text("foo,bar\n")
    with pytest.raises(CatautoError, match=re.escape(f"{p}:1:")):
        read_csv(p)


def test_csv_labels_keep_their_case(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("word,label\na,Open\nb,Closed\nc,OPEN\nd,open\n")
    s = read_csv(p)
    assert s.output_alphabet == ("Closed", "OPEN", "Open", "open")
    assert [s.label(i) for i in range(4)] == ["Open", "Closed", "OPEN", "open"]
    p.write_text("word,label\na,A\nb,x\na,a\n")
    with pytest.raises(ContradictionError) as err:
        prefix_tree(read_csv(p))
    assert f"{p}:2" in str(err.value) and f"{p}:4" in str(err.value)
    p.write_text("word,label\na,TRUE\nb,False\n")  # but true/false in any case: a DFA
    assert list(read_csv(p)) == [(("a",), True), (("b",), False)]


def test_csv_quoted_newlines_and_the_lines_after_them(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text('word,label\r\n"a\nb",1\r\n\n  \nc,0\n"d\n\ne",\n')
    s = read_csv(p)
    assert list(s) == [(("a", "b"), True), (("c",), False), (("d", "e"), None)]
    assert s.lines.tolist() == [2, 6, 7]
    p.write_text('input,output\n"a\nb","x\ny"\n\nc d,x\n')
    with pytest.raises(CatautoError, match=re.escape(f"{p}:6:") + ".*2 inputs but 1 outputs"):
        read_csv(p)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('word,label\na,1\n\nb,"x\n', 4),  # unterminated quote: where the record starts
        ('word,label\na,1\nb,"x"y\n', 3),
        ('word,label\n"a\nb",1\nc,"x"y\n', 4),
        ('"word\n,label\n', 1),
    ],
)
def test_csv_syntax_errors_cite_the_bad_record(tmp_path, text, line):
    p = tmp_path / "s.csv"
    p.write_text(text)
    with pytest.raises(CatautoError, match=re.escape(f"{p}:{line}:") + " not CSV"):
        read_csv(p)


# form feed, NEL, line and paragraph separators, file separator: str.splitlines() breaks
# at them, the readers must not
ODD = "\x0c\x85\u2028\u2029\x1c\x0b"


@given(
    st.lists(
        st.tuples(
            st.text(st.sampled_from(ODD) | st.characters(blacklist_categories=["Cs"]), max_size=5),
            st.sampled_from([True, False, None]),
        ),
        min_size=1,
        max_size=6,
    ),
    st.booleans(),
)
def test_jsonl_lines_end_only_at_newlines(tmp_path_factory, rows, crlf):
    p = tmp_path_factory.mktemp("jl") / "s.jsonl"
    end = "\r\n" if crlf else "\n"
    lines = [json.dumps({"word": list(w), "label": x}, ensure_ascii=False) for w, x in rows]
    p.write_bytes(end.join(lines).encode())
    s = read_jsonl(p)
    assert list(s) == [(tuple(w), x) for w, x in rows]
    assert s.lines.tolist() == list(range(1, len(rows) + 1))


def test_jsonl_and_stamina_keep_odd_line_breaks_inside_a_line(tmp_path):
    p = tmp_path / "s.jsonl"
    p.write_text(json.dumps({"word": [ODD, "a"], "label": True}, ensure_ascii=False) + "\n")
    assert list(read_jsonl(p)) == [((ODD, "a"), True)]
    q = tmp_path / "s.txt"
    q.write_bytes("+ a\x0cb\r\n- c\u2028d\r\n? e\n".encode())
    s = read_stamina(q)  # odd breaks are whitespace between symbols, not line ends
    assert list(s) == [(("a", "b"), True), (("c", "d"), False), (("e",), None)]
    assert s.lines.tolist() == [1, 2, 3]
    r = tmp_path / "s.csv"
    r.write_bytes(b"word,label\na\x0cb,1\nc,0\n")
    assert read_csv(r).lines.tolist() == [2, 3]


BIG = "1" * 5000  # more digits than int() reads by default


@pytest.mark.parametrize(
    ("reader", "text", "line"),
    [
        (read_abbadingo, f"{BIG} 2\n", 1),
        (read_abbadingo, f"1 {BIG}\n", 1),
        (read_abbadingo, f"1 2\n1 {BIG} 0\n", 2),
        (read_abbadingo, f"2 2\n1 1 0\n1 1 {BIG}\n", 3),
        (read_abbadingo, f"2 2\n3 1 0\n{BIG} 1 1\n", 3),
        (read_abbadingo, f"2 2\n1 1 0/2\n1 1 1/{BIG}\n", 3),
        (read_stamina, f"+ 1\n\n- 2 {BIG}\n", 3),
        (read_csv, f"word,label\n1,x\n2 {BIG},y\n", 3),
        (read_csv, f"word,label\na,2\nb,{BIG}\n", 3),
        (read_csv, f"input,output\na,1\nb,{BIG}\n", 3),
        (read_jsonl, f'{{"word": [1], "label": true}}\n{{"word": [{BIG}]}}\n', 2),
    ],
)
def test_too_long_integers_are_format_errors(tmp_path, reader, text, line):
    p = tmp_path / "big.txt"
    p.write_text(text)
    with pytest.raises(CatautoError, match=re.escape(f"{p}:{line}:") + ".*(too long|digits)"):
        reader(p)


def test_read_jsonl(tmp_path):
    p = tmp_path / "s.jsonl"
    rows = [{"word": [1, 2], "label": True}, {"word": ["a", "b"], "label": False}, {"word": []}]
    p.write_text("\n".join(json.dumps(r) for r in rows))
    s = read_jsonl(p)
    assert list(s) == [((1, 2), True), (("a", "b"), False), ((), None)]
    p.write_text(json.dumps({"input": ["a"], "output": [[1, 2]]}))
    assert list(read_jsonl(p)) == [(("a",), ((1, 2),))]
    p.write_text('{"word": [1]}\n{"input": [1], "output": [2]}\n')
    with pytest.raises(CatautoError, match=re.escape(f"{p}:2:") + ".*mixes"):
        read_jsonl(p)
    p.write_text('{"word": [1]}\n{oops\n')
    with pytest.raises(CatautoError, match=re.escape(f"{p}:2:") + ".*not JSON"):
        read_jsonl(p)


READERS = [read_abbadingo, read_stamina, read_csv, read_jsonl]


@settings(max_examples=60)
@given(st.binary(max_size=80), st.sampled_from(READERS))
def test_readers_on_random_bytes_raise_only_catauto_errors(tmp_path_factory, data, reader):
    p = tmp_path_factory.mktemp("fz") / "f.txt"
    p.write_bytes(data)
    try:
        reader(p)
    except CatautoError as e:
        assert str(p) in str(e)
        assert re.search(re.escape(str(p)) + r":\d+", str(e)), str(e)


VALID = {
    read_abbadingo: "3 2\n1 3 0 1 1\n0 0\n-1 2 1/x 0/y\n",
    read_stamina: "+ 0 1\n- 1 1 0\n? 2\n",
    read_csv: "word,label\na b,1\nb,0\n",
    read_jsonl: '{"word": [1, 2], "label": true}\n{"word": [2], "label": false}\n',
}


@given(st.sampled_from(READERS), st.data())
def test_truncated_files_parse_or_raise_catauto_errors(tmp_path_factory, reader, data):
    text = VALID[reader].encode()
    cut = data.draw(st.integers(0, len(text)))
    p = tmp_path_factory.mktemp("tr") / "f.txt"
    p.write_bytes(text[:cut])
    try:
        reader(p)
    except CatautoError as e:
        assert re.search(re.escape(str(p)) + r":\d+", str(e)), str(e)


def test_unreadable_files_are_format_errors(tmp_path):
    with pytest.raises(CatautoError, match="no such file"):
        read_abbadingo(tmp_path / "missing.a")
    p = tmp_path / "latin1.a"
    p.write_bytes(b"1 2\n1 1 \xff\n")
    with pytest.raises(CatautoError, match=re.escape(f"{p}:2")):
        read_abbadingo(p)


# -- the real data -------------------------------------------------------------------------
def _real(*parts: str) -> Path:
    path = DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    return path


@pytest.mark.parametrize(
    ("name", "count"), [("problem_A_train.a", 4456), ("problem_2_train.a", 10723)]
)
def test_real_abbadingo_files_load(name, count):
    s = read_abbadingo(_real("abbadingo", name))
    assert len(s) == count and s.kind == "dfa" and s.input_alphabet == (0, 1)
    assert prefix_tree(s).n_nodes > count  # consistent data: no contradiction


def test_real_stamina_file_loads_and_matches_flexfringe_copy():
    s = read_stamina(_real("stamina", "16_training.txt"))
    f = read_abbadingo(_real("stamina_flexfringe_abbadingo_fmt", "16_training.txt.dat"))
    assert len(s) == len(f) == 810
    assert s.words() == f.words() and s.labels.tolist() == f.labels.tolist()
    test = read_stamina(_real("stamina", "16_test.txt"))
    assert not test.labelled.any() and len(test) == 1500
