"""JSON: the versioned schema, exact round trips, errors with JSON paths, atomic writes."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catauto.automata import DFA, Mealy, Moore, io
from catauto.automata.jsonio import FormatError, from_json, to_dict, to_json
from strategies_formats import format_machines, json_symbols

GOOD = {
    "format": "catauto",
    "version": 1,
    "kind": "mealy",
    "inputs": ["a", 1],
    "outputs": ["x", None],
    "initial": 0,
    "delta": [[1, -1], [0, 1]],
    "output": [[0, -1], [1, 0]],
}


def test_schema_fields() -> None:
    m = from_json(json.dumps(GOOD))
    assert isinstance(m, Mealy) and m.inputs == ("a", 1) and m.outputs == ("x", None)
    assert m.transduce(["a", 1, "a"]) == ["x", "x", None]
    assert to_dict(m) == GOOD


def test_dfa_and_moore_schema() -> None:
    d = DFA([[1], [1]], [False, True], inputs=["a"])
    assert json.loads(to_json(d))["outputs"] == [False, True]
    assert json.loads(to_json(d))["output"] == [0, 1]
    moore = Moore([[1], [0]], [0, 1], inputs=["t"], outputs=[(1, "on"), 2.5])
    back = from_json(to_json(moore))
    assert back == moore and back.outputs == ((1, "on"), 2.5)
    assert type(back.outputs[1]) is float


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(format_machines(symbols=json_symbols, by_text=False))
def test_round_trip_keeps_tables_symbols_and_types(m) -> None:
    back = from_json(to_json(m))
    assert back == m
    assert [type(s) for s in back.inputs] == [type(s) for s in m.inputs]
    assert [type(s) for s in back.outputs] == [type(s) for s in m.outputs]


def test_numpy_symbols_become_python_numbers() -> None:
    m = DFA([[0, 0]], [True], inputs=[np.int64(3), np.float32(0.5)])
    back = from_json(to_json(m))
    assert back.inputs == (3, 0.5) and type(back.inputs[0]) is int


@pytest.mark.parametrize("symbol", [frozenset({1}), float("nan"), object()])
def test_symbols_without_json_form_are_refused(symbol, tmp_path: Path) -> None:
    m = DFA([[0]], [True], inputs=[symbol])
    with pytest.raises(FormatError, match="m.json: input symbol: .* JSON"):
        io.write_json(m, tmp_path / "m.json")
    assert list(tmp_path.iterdir()) == []


def _with(path: str, value) -> str:
    obj = json.loads(json.dumps(GOOD))
    keys = re.findall(r"\.(\w+)|\[(\d+)\]", path)
    target = obj
    for name, idx in keys[:-1]:
        target = target[name] if name else target[int(idx)]
    name, idx = keys[-1]
    if value is KeyError:
        del target[name]
    else:
        target[name if name else int(idx)] = value
    return json.dumps(obj)


@pytest.mark.parametrize(
    "path, value, reason",
    [
        ("$.format", "other", "expected 'catauto'"),
        ("$.version", 2, "newer than this catauto reads"),
        ("$.version", "1", "expected a version number"),
        ("$.kind", "nfa", "expected one of dfa, moore, mealy"),
        ("$.kind", ["dfa"], "expected one of dfa, moore, mealy"),
        ("$.inputs[1]", "a", "repeats the symbol 'a' (first at $.inputs[0])"),
        ("$.inputs[1]", {"x": 1}, "a symbol must be a string"),
        ("$.outputs", "xy", "expected an array"),
        ("$.initial", 2, "is not a state (0..1)"),
        ("$.initial", True, "expected a state"),
        ("$.delta[1][0]", 5, "5 is not a state (0..1) nor -1"),
        ("$.delta[1]", [0], "expected 2 entries"),
        ("$.delta[0][1]", 1.0, "expected a state"),
        ("$.output[1][1]", 2, "2 is not an output index (0..1) nor -1"),
        ("$.output[0][0]", -1, "defined but has no output"),
    ],
)
def test_validation_errors_name_the_json_path(path: str, value, reason: str) -> None:
    with pytest.raises(FormatError) as info:
        from_json(_with(path, value), "m.json")
    assert str(info.value).startswith(f"m.json: {path}: ")
    assert reason in str(info.value)


def test_missing_keys_and_other_shapes() -> None:
    with pytest.raises(FormatError, match=r"m.json: \$: missing the key 'delta'"):
        from_json(_with("$.delta", KeyError), "m.json")
    with pytest.raises(FormatError, match=r"m.json: \$: expected an object"):
        from_json("[1, 2]", "m.json")
    with pytest.raises(FormatError, match=r"m.json:1:9: not valid JSON"):
        from_json('{"a": 1,', "m.json")
    with pytest.raises(FormatError, match=r"\$.outputs: a DFA's outputs are \[false, true\]"):
        from_json(json.dumps({**GOOD, "kind": "dfa", "outputs": [0, 1]}), "m.json")


def test_read_and_write_files(tmp_path: Path) -> None:
    m = Mealy([[0]], [[0]], inputs=["é"], outputs=['"'])
    p = tmp_path / "m.json"
    io.write_json(m, p)
    assert io.read_json(p) == m and io.read_json(str(p)) == m
    assert io.read_json(p.read_text(encoding="utf-8")) == m  # a str with "{" is JSON text
    assert "é" in p.read_text(encoding="utf-8")  # readable, not \u-escaped
    assert [q.name for q in tmp_path.iterdir()] == ["m.json"]  # no temporary file left
    with pytest.raises(FormatError, match="is a directory"):
        io.read_json(tmp_path)
    with pytest.raises(FormatError, match="is a directory"):
        io.write_json(m, tmp_path)


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch) -> None:
    p = tmp_path / "m.json"
    p.write_text("old", encoding="utf-8")

    def broken(fd, *args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(FormatError, match="No space left"):
        io.write_json(DFA([[0]], [True]), p)
    assert p.read_text(encoding="utf-8") == "old"
    assert [q.name for q in tmp_path.iterdir()] == ["m.json"]


def test_lone_surrogates_survive_as_escapes(tmp_path: Path) -> None:
    m = DFA([[0]], [True], inputs=["\ud800"])
    io.write_json(m, tmp_path / "m.json")
    assert io.read_json(tmp_path / "m.json") == m


_LOCATED = re.compile(r"^m\.json(:\d+:\d+)?: ")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_fuzz_arbitrary_bytes(tmp_path_factory, data: bytes) -> None:
    p = tmp_path_factory.mktemp("fuzz") / "m.json"
    p.write_bytes(data)
    try:
        io.read_json(p)
    except FormatError as e:
        assert str(e).startswith(f"{p}:"), str(e)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = json.dumps(GOOD)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        c = draw(st.sampled_from(list('{}[]",:-019eE.tnf ') + ["true", "null", "[[", "1e999"]))
        op = draw(st.sampled_from(["delete", "insert", "replace"]))
        j = min(len(text), i + draw(st.integers(1, 4)))
        text = text[:i] + (c if op != "delete" else "") + text[(j if op != "insert" else i) :]
    return text


@settings(max_examples=200, deadline=None)
@given(mutated())
def test_fuzz_mutated_valid_files(text: str) -> None:
    try:
        from_json(text, "m.json")
    except FormatError as e:
        assert _LOCATED.match(str(e)) and ("$" in str(e) or re.match(r"m\.json:\d+:\d+", str(e)))


def test_writing_keeps_a_files_permissions_and_writes_through_a_symlink(tmp_path: Path) -> None:
    m = DFA([[1, 0], [0, 1]], [True, False], inputs="ab")
    private = tmp_path / "private.json"
    private.write_text("old", encoding="utf-8")
    private.chmod(0o600)
    io.write(m, private)
    assert io.read(private) == m and (private.stat().st_mode & 0o777) == 0o600
    link = tmp_path / "link.json"
    link.symlink_to(private)
    io.write(~m, link)
    assert link.is_symlink() and io.read(private) == ~m
