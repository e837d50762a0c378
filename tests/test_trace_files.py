"""Trace files as the README documents them, and the traps a new user met (issue 16):
labels spelled ``yes``/``no`` and the like, a JSON string where a list belongs, files
without a trace, missing files."""

from __future__ import annotations

import errno
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catauto import CatautoError, cli
from catauto.automata import io
from catauto.automata.traceio import (
    DFA_LABELS,
    read_abbadingo,
    read_csv,
    read_jsonl,
    read_stamina,
    write_abbadingo,
)
from catauto.automata.traces import Sample
from catauto.errors import FormatError, MissingFileError

README = Path(__file__).resolve().parents[1] / "README.md"


def run(*argv: object, capsys: pytest.CaptureFixture) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def readme_blocks(language: str) -> list[str]:
    """The README's fenced blocks in ``language``, in order."""
    text = README.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```$", text, re.S | re.M)


# -- the documented examples ---------------------------------------------------------------


def test_the_readme_documents_each_format_with_a_three_line_example() -> None:
    csv_blocks, jsonl_blocks = readme_blocks("csv"), readme_blocks("jsonl")
    assert [b.splitlines()[0] for b in csv_blocks] == ["word,label", "input,output"]
    assert [json.loads(b.splitlines()[0]).keys() for b in jsonl_blocks] == [
        {"word", "label"},
        {"input", "output"},
    ]
    assert all(len(b.splitlines()) == 3 for b in csv_blocks + jsonl_blocks)


@pytest.mark.parametrize(
    ("language", "index", "kind"),
    [
        ("csv", 0, "DFA"),
        ("csv", 1, "Mealy machine"),
        ("jsonl", 0, "DFA"),
        ("jsonl", 1, "Mealy machine"),
    ],
)
def test_the_readme_examples_learn_through_the_cli(
    tmp_path: Path, capsys, language: str, index: int, kind: str
) -> None:
    """Each example, written exactly as the README shows it, is learned by ``catauto
    learn`` into a machine of the documented kind that agrees with every trace; and
    ``catauto learn --help`` shows the same example."""
    block = readme_blocks(language)[index]
    traces = tmp_path / f"traces.{language}"
    traces.write_text(block, encoding="utf-8")
    model = tmp_path / "model.json"
    for algorithm in ("edsm", "rpni"):
        code, out, err = run("learn", traces, "--algorithm", algorithm, "-o", model, capsys=capsys)
        assert (code, err) == (0, ""), err
        assert f"{algorithm}: {kind} with" in out and "training accuracy 100.0%" in out
        data = read_csv(traces) if language == "csv" else read_jsonl(traces)
        header = language == "csv"
        assert len(data) == len(block.splitlines()) - header
        assert data.accuracy(io.read(model)) == 1.0
    code, help_text, _ = run("learn", "--help", capsys=capsys)
    assert code == 0
    for line in block.splitlines():
        assert line in help_text, line


def test_the_readme_examples_read_as_documented(tmp_path: Path) -> None:
    (dfa_csv, io_csv), (dfa_jsonl, io_jsonl) = readme_blocks("csv"), readme_blocks("jsonl")
    for name, text in [("a.csv", dfa_csv), ("a.jsonl", dfa_jsonl)]:
        (tmp_path / name).write_text(text, encoding="utf-8")
    s, t = read_csv(tmp_path / "a.csv"), read_jsonl(tmp_path / "a.jsonl")
    assert s.kind == t.kind == "dfa"
    assert list(s) == [(("a", "b"), True), (("b", "a"), False)]
    assert list(t) == [*s, ((), False)]
    for name, text in [("b.csv", io_csv), ("b.jsonl", io_jsonl)]:
        (tmp_path / name).write_text(text, encoding="utf-8")
    u, v = read_csv(tmp_path / "b.csv"), read_jsonl(tmp_path / "b.jsonl")
    assert u.kind == v.kind == "mealy"
    assert list(u) == [(("coin", "push"), ("ok", "open")), (("push",), ("blocked",))]
    assert list(v) == [*u, (("coin", "coin"), ("ok", "ok"))]


# -- labels: yes / no and the other spellings make a DFA sample ------------------------------


def any_case(word: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda ups: "".join(c.upper() if up else c for c, up in zip(word, ups))
    )


@st.composite
def spelled_labels(draw) -> tuple[list[str | None], list[bool | None]]:
    """Labels from one pair of ``DFA_LABELS``, each in a drawn case, some unlabelled;
    and the accept / reject they stand for."""
    yes, no = draw(st.sampled_from(DFA_LABELS))
    meant = draw(st.lists(st.sampled_from([True, False, None]), min_size=1, max_size=6))
    spelled = [None if m is None else draw(any_case(yes if m else no)) for m in meant]
    return spelled, meant


@given(spelled_labels())
def test_every_spelling_of_accept_and_reject_gives_a_dfa_sample(tmp_path_factory, labels):
    """Law: CSV and JSON Lines read the labels of ``DFA_LABELS`` (any case) as
    accept / reject, whatever pair the file uses."""
    spelled, meant = labels
    folder = tmp_path_factory.mktemp("labels")
    words = [["a"] * i for i in range(len(spelled))]
    rows = [" ".join(w) + "," + (x or "") for w, x in zip(words, spelled)]
    (folder / "s.csv").write_text("word,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    objects = [{"word": w, "label": x} for w, x in zip(words, spelled)]
    (folder / "s.jsonl").write_text("\n".join(map(json.dumps, objects)), encoding="utf-8")
    for data in (read_csv(folder / "s.csv"), read_jsonl(folder / "s.jsonl")):
        if any(m is not None for m in meant):
            assert data.kind == "dfa"
        assert [data.label(i) for i in range(len(data))] == meant


@pytest.mark.parametrize(
    ("labels", "kind", "alphabet"),
    [
        (["yes", "no"], "dfa", (False, True)),
        (["ACCEPT", "Reject"], "dfa", (False, True)),
        ([True, False], "dfa", (False, True)),  # JSON booleans
        ([1, 0], "dfa", (False, True)),  # JSON numbers 1 / 0, as CSV and Abbadingo read them
        (["yes", "0"], "moore", ("0", "yes")),  # two pairs mixed: labels as written
        (["yes", "maybe"], "moore", ("maybe", "yes")),
        ([1, 2], "moore", (1, 2)),
    ],
)
def test_json_labels(tmp_path: Path, labels: list, kind: str, alphabet: tuple) -> None:
    p = tmp_path / "s.jsonl"
    p.write_text("\n".join(json.dumps({"word": [i], "label": x}) for i, x in enumerate(labels)))
    s = read_jsonl(p)
    assert (s.kind, s.output_alphabet) == (kind, alphabet)


def test_labels_that_are_not_a_pair_make_a_moore_sample(tmp_path: Path) -> None:
    p = tmp_path / "s.csv"
    p.write_text("word,label\na,yes\nb,no\nc,maybe\n")
    assert read_csv(p).output_alphabet == ("maybe", "no", "yes")
    p.write_text("word,label\na,1\nb,-\n")  # 1/0 and +/- mixed: not one pair
    assert read_csv(p).kind == "moore"


def test_yes_no_labels_learn_a_dfa_through_the_cli(tmp_path: Path, capsys) -> None:
    p = tmp_path / "s.csv"
    p.write_text("word,label\na,Yes\nb,NO\na a,yes\n")
    code, out, err = run("learn", p, "--algorithm", "rpni", capsys=capsys)
    assert code == 0 and "rpni: DFA with" in out, out + err


# -- a JSON string where a list of symbols belongs ------------------------------------------


@pytest.mark.parametrize(
    ("line", "key", "hint"),
    [
        ('{"input": "coin push", "output": ["ok", "open"]}', "input", '["coin", "push"]'),
        ('{"input": ["coin"], "output": "ok"}', "output", '["ok"]'),
        ('{"word": "ab", "label": true}', "word", '["a", "b"] (a symbol per character) or ["ab"]'),
        ('{"word": "", "label": true}', "word", "write []"),
    ],
)
def test_a_json_string_where_a_list_belongs_is_an_error(tmp_path, line, key, hint) -> None:
    """Not split into characters ("12 inputs but 14 outputs" before): an error at the
    file and line that says which list to write instead."""
    p = tmp_path / "t.jsonl"
    first = '{"word": ["a"], "label": true}' if key == "word" else '{"input": [], "output": []}'
    p.write_text(first + "\n" + line + "\n")
    with pytest.raises(FormatError) as e:
        read_jsonl(p)
    message = str(e.value)
    assert message.startswith(f"{p}:2: '{key}' must be a JSON list of symbols, not the string")
    assert hint in message


def test_other_non_lists_are_errors_too(tmp_path: Path) -> None:
    p = tmp_path / "t.jsonl"
    for value, kind in [("{}", "an object"), ("3", "a number"), ("null", "null")]:
        p.write_text(json.dumps({"word": json.loads(value), "label": True}) + "\n")
        with pytest.raises(FormatError, match=re.escape(f"{p}:1: 'word'") + f".*got {kind}"):
            read_jsonl(p)


# -- files without a trace ------------------------------------------------------------------


EMPTY = [
    ("empty.jsonl", "", 1),
    ("blank.jsonl", "\n  \n\n", 1),
    ("header.csv", "word,label\n", 1),
    ("io_header.csv", "\n input,output\n\n", 2),
    ("empty.csv", "", 1),
    ("none.a", "0 2\n", 1),
    ("empty.a", "", 1),
]
READ = {".jsonl": read_jsonl, ".csv": read_csv, ".a": read_abbadingo}


@pytest.mark.parametrize(("name", "text", "line"), EMPTY)
def test_a_file_without_traces_is_an_error_naming_it(tmp_path, capsys, name, text, line) -> None:
    """Not an empty sample, which the learners turn into a 1-state machine: an error
    that names the file, from Python and from the CLI (before any learning)."""
    p = tmp_path / name
    p.write_text(text)
    with pytest.raises(FormatError, match=re.escape(f"{p}:{line}: no traces")):
        READ[p.suffix](p)
    code, out, err = run("learn", p, "-o", tmp_path / "m.json", capsys=capsys)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert f"{p}:{line}: no traces" in err and not (tmp_path / "m.json").exists()


def test_an_empty_stamina_file_is_an_error(tmp_path: Path) -> None:
    p = tmp_path / "s.txt"
    for text in ("", "\n \n"):
        p.write_text(text)
        with pytest.raises(FormatError, match=re.escape(f"{p}:1: no traces")):
            read_stamina(p)


def test_data_without_traces_is_not_written(tmp_path: Path) -> None:
    """What no reader accepts is not written either."""
    p = tmp_path / "s.a"
    with pytest.raises(FormatError, match=re.escape(f"{p}: nothing to write")):
        write_abbadingo(Sample([], []), p)
    assert not p.exists()


# -- missing files ----------------------------------------------------------------------------


def test_missing_file_error_is_both_kinds() -> None:
    assert issubclass(MissingFileError, FormatError)
    assert issubclass(MissingFileError, CatautoError)
    assert issubclass(MissingFileError, ValueError)
    assert issubclass(MissingFileError, FileNotFoundError)
    e = MissingFileError("no such file", "x.csv")
    assert (str(e), e.filename, e.errno, e.source) == ("x.csv: no such file", "x.csv", 2, "x.csv")


@pytest.mark.parametrize(
    ("reader", "name"),
    [
        (read_csv, "t.csv"),
        (read_jsonl, "t.jsonl"),
        (read_abbadingo, "t.a"),
        (read_stamina, "t.txt"),
        (io.read_dot, "m.dot"),
        (io.read_json, "m.json"),
        (io.read, "m.json"),
        (io.read, "m.gv"),
    ],
)
def test_a_missing_file_is_a_catauto_error_and_a_file_not_found_error(
    tmp_path: Path, reader, name: str
) -> None:
    missing = tmp_path / name
    for catch in (CatautoError, FileNotFoundError):
        with pytest.raises(catch) as e:
            reader(missing)
        assert isinstance(e.value, MissingFileError)
        assert str(e.value) == f"{missing}: no such file"
        assert e.value.errno == errno.ENOENT and e.value.filename == str(missing)


@pytest.mark.parametrize(
    "argv",
    [
        ["learn", "{missing}.csv"],
        ["learn", "{missing}.jsonl"],
        ["learn", "{missing}"],
        ["show", "{missing}.dot"],
        ["run", "{model}", "--file", "{missing}.txt"],
    ],
)
def test_the_cli_names_a_missing_file(tmp_path: Path, capsys, argv: list[str]) -> None:
    model = tmp_path / "m.json"
    io.write_json(io.read_dot('digraph { __start0 -> s0; s0 -> s0 [label="a"] }'), model)
    missing = tmp_path / "nope"
    args = [a.format(missing=missing, model=model) for a in argv]
    code, out, err = run(*args, capsys=capsys)
    name = next(a for a in args if a.startswith(str(missing)))
    assert code == 2 and out == ""
    assert err == f"catauto {argv[0]}: error: {name}: no such file\n"
