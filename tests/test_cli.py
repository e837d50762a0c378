"""The ``catauto`` command line, end to end on small files, and its bad-input sweep."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from catauto import cli
from catauto.automata import DFA, Mealy, draw, io, zoo
from catauto.automata.draw import dot_available

# Three states, the last two equivalent: not minimal. Accepts words ending in 'b'.
ENDS_B = DFA([[0, 1], [0, 2], [0, 2]], [False, True, True], inputs=["a", "b"])
ENDS_A = DFA([[1, 0], [1, 0]], [False, True], inputs=["a", "b"])
TOGGLE = Mealy([[1, 0], [0, 1]], [[0, 1], [1, 1]], inputs=["t", "n"], outputs=["on", "off"])


def run(*argv: str, capsys: pytest.CaptureFixture) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "ends_b": tmp_path / "ends_b.json",
        "ends_b_dot": tmp_path / "ends_b.dot",
        "ends_a": tmp_path / "ends_a.gv",
        "toggle": tmp_path / "toggle.dot",
    }
    io.write(ENDS_B, paths["ends_b"])
    io.write(ENDS_B, paths["ends_b_dot"])
    io.write(ENDS_A, paths["ends_a"])
    io.write(TOGGLE, paths["toggle"])
    return paths


# -- each command ---------------------------------------------------------------------


def test_show(files, capsys) -> None:
    code, out, err = run("show", files["ends_b"], capsys=capsys)
    assert code == 0 and err == ""
    assert f"{files['ends_b']}: DFA" in out
    assert "states:    3 (initial: s0)" in out and "accepting: 2" in out
    assert "inputs:    2 (a, b)" in out and "complete:  yes" in out
    assert "minimal:   no (the minimal machine has 2 states)" in out
    code, out, _ = run("show", files["toggle"], capsys=capsys)
    assert code == 0 and "Mealy machine" in out and "outputs:   2 (on, off)" in out
    assert "minimal:   yes" in out


def test_show_to_output_file_and_quiet(files, tmp_path: Path, capsys) -> None:
    report = tmp_path / "report.txt"
    code, out, _ = run("show", files["toggle"], "-o", report, capsys=capsys)
    assert code == 0 and out == "" and "Mealy machine" in report.read_text(encoding="utf-8")
    assert run("show", files["toggle"], "--quiet", capsys=capsys) == (0, "", "")


def test_convert_round_trips(files, tmp_path: Path, capsys) -> None:
    code, out, _ = run("convert", files["toggle"], tmp_path / "t.json", capsys=capsys)
    assert code == 0 and "wrote" in out
    code, _, _ = run("convert", tmp_path / "t.json", "-o", tmp_path / "t2.gv", capsys=capsys)
    assert code == 0 and io.read(tmp_path / "t2.gv") == TOGGLE


def test_minimize(files, tmp_path: Path, capsys) -> None:
    target = tmp_path / "min.json"
    code, out, _ = run("minimize", files["ends_b"], "-o", target, capsys=capsys)
    assert code == 0 and "3 -> 2 states" in out
    small = io.read(target)
    assert small.n_states == 2 and small.equivalent(ENDS_B)
    code, out, _ = run("minimize", files["ends_b_dot"], capsys=capsys)  # DOT on stdout
    assert code == 0 and io.read_dot(out) == small


def test_equiv(files, capsys) -> None:
    code, out, _ = run("equiv", files["ends_b"], files["ends_b_dot"], capsys=capsys)
    assert (code, out) == (0, "equivalent\n")
    code, out, err = run("equiv", files["ends_b"], files["ends_a"], capsys=capsys)
    assert code == 1 and err == ""
    word = ENDS_B.counterexample(ENDS_A)
    assert len(word) == 1  # '' is rejected by both; 'a' already differs
    assert out.splitlines() == [
        "not equivalent; shortest counterexample: a",
        f"  {files['ends_b']}: reject",
        f"  {files['ends_a']}: accept",
    ]
    assert run("equiv", files["ends_b"], files["ends_a"], "-q", capsys=capsys) == (1, "", "")


def test_equiv_refuses_different_kinds(files, capsys) -> None:
    code, out, err = run("equiv", files["ends_b"], files["toggle"], capsys=capsys)
    assert code == 2 and "cannot compare a dfa" in err and err.count("\n") == 1


def test_run_words(files, tmp_path: Path, capsys) -> None:
    code, out, _ = run("run", files["ends_b"], "a b", "b a", "", capsys=capsys)
    assert code == 0
    assert out.splitlines() == ["a b -> accept", "b a -> reject", "(the empty word) -> reject"]
    words = tmp_path / "words.txt"
    words.write_text("tnt\nnn\n", encoding="utf-8")
    code, out, _ = run("run", files["toggle"], "--file", words, "--sep", "", capsys=capsys)
    assert out.splitlines() == ["t n t -> on off off", "n n -> off off"]
    assert TOGGLE.transduce("tnt") == ["on", "off", "off"]  # the reference


def test_run_moore_and_partial(tmp_path: Path, capsys) -> None:
    from catauto.automata import Moore

    m = Moore([[1], [-1]], [0, 1], inputs=["x"], outputs=["lo", "hi"])
    io.write(m, tmp_path / "m.json")
    code, out, _ = run("run", tmp_path / "m.json", "x", "x x", capsys=capsys)
    assert out.splitlines() == ["x -> lo hi", "x x -> lo hi (undefined at symbol 2)"]
    mealy = Mealy([[1], [-1]], [[0], [-1]], inputs=["x"], outputs=["go"])
    io.write(mealy, tmp_path / "p.json")
    code, out, _ = run("run", tmp_path / "p.json", "x x x", "", capsys=capsys)
    assert code == 0
    assert out.splitlines() == [
        "x x x -> go (undefined at symbol 2)",
        "(the empty word) -> (no output)",
    ]


def test_options_and_words_mix_in_any_order(files, capsys) -> None:
    expected = ["a b -> accept", "b a -> reject"]
    for argv in (
        ["run", files["ends_b"], "--sep", "", "ab", "ba"],
        ["run", files["ends_b"], "ab", "--sep", "", "ba"],
        ["run", "--sep", "", files["ends_b"], "ab", "ba"],
    ):
        code, out, err = run(*argv, capsys=capsys)
        assert (code, out.splitlines(), err) == (0, expected, "")


@pytest.mark.skipif(not dot_available(), reason="Graphviz 'dot' not installed")
def test_render(files, tmp_path: Path, capsys) -> None:
    target = tmp_path / "m.svg"
    code, out, _ = run(
        "render", files["toggle"], "-o", target, "--hide-sink", "--highlight", "t n", capsys=capsys
    )
    assert code == 0 and target.read_bytes().startswith(b"<?xml")
    code, _, _ = run("render", files["ends_b"], capsys=capsys)  # default: next to the model
    assert code == 0 and files["ends_b"].with_suffix(".svg").exists()


def test_render_readably_writes_short_labels_and_refuses_a_bad_bound(
    files, tmp_path: Path, capsys
) -> None:
    target = tmp_path / "m.dot"  # DOT text: the same drawing options, no Graphviz needed
    args = ("--max-label", "24", "--rankdir", "TB", "-o", target)
    code, _, _ = run("render", files["toggle"], *args, capsys=capsys)
    text = target.read_text(encoding="utf-8")
    assert code == 0 and 'rankdir="TB"' in text and "catauto_abridged" in text
    code, _, err = run("render", files["toggle"], "--max-label", "5", "-o", target, capsys=capsys)
    assert code == 2 and "max_label must be an integer >= 24" in err


def test_render_without_graphviz(files, tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    target = tmp_path / "m.png"
    code, out, err = run("render", files["toggle"], "-o", target, capsys=capsys)
    assert code == 2 and "apt-get install graphviz" in err and err.count("\n") == 1
    assert not target.exists()
    code, _, _ = run(
        "render", files["toggle"], "--format", "dot", "-o", tmp_path / "m.dot", capsys=capsys
    )
    assert code == 0 and io.read(tmp_path / "m.dot") == TOGGLE


def test_every_command_has_help_with_an_example(capsys) -> None:
    assert run("--help", capsys=capsys)[0] == 0
    for name in cli.COMMANDS:
        code, out, _ = run(name, "--help", capsys=capsys)
        assert code == 0 and "example:\n  catauto " + name in out
        for option in ("--seed", "--quiet", "--output"):
            assert option in out


def test_commands_can_be_added(capsys, monkeypatch) -> None:
    monkeypatch.setattr(cli, "COMMANDS", dict(cli.COMMANDS))

    def configure(p: argparse.ArgumentParser) -> None:
        p.add_argument("n", type=int)

    @cli.command("double", help="print 2n", example="catauto double 4", configure=configure)
    def _double(args: argparse.Namespace, out: cli.Output) -> int:
        out.print(2 * args.n, args.seed)
        return 0

    assert run("double", "21", "--seed", "5", capsys=capsys) == (0, "42 5\n", "")
    assert "catauto double 4" in run("double", "--help", capsys=capsys)[1]


# -- bad input ------------------------------------------------------------------------


def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    good_dot = io.to_dot(TOGGLE)
    good_json = io.to_json(TOGGLE)
    bad = {
        "missing": tmp_path / "missing.dot",
        "empty": tmp_path / "empty.dot",
        "empty_json": tmp_path / "empty.json",
        "directory": tmp_path / "dir.dot",
        "random": tmp_path / "random.dot",
        "random_json": tmp_path / "random.json",
        "truncated_dot": tmp_path / "trunc.dot",
        "truncated_json": tmp_path / "trunc.json",
        "unknown_extension": tmp_path / "model.txt",
    }
    bad["empty"].write_text("", encoding="utf-8")
    bad["empty_json"].write_text("", encoding="utf-8")
    bad["directory"].mkdir()
    rng = np.random.default_rng(1)
    bad["random"].write_bytes(rng.integers(0, 256, 300, dtype=np.uint8).tobytes())
    bad["random_json"].write_bytes(rng.integers(0, 256, 300, dtype=np.uint8).tobytes())
    bad["truncated_dot"].write_text(good_dot[: len(good_dot) // 2], encoding="utf-8")
    bad["truncated_json"].write_text(good_json[: len(good_json) // 2], encoding="utf-8")
    bad["unknown_extension"].write_text(good_dot, encoding="utf-8")
    return bad


BAD = [
    "missing",
    "empty",
    "empty_json",
    "directory",
    "random",
    "random_json",
    "truncated_dot",
    "truncated_json",
    "unknown_extension",
]
COMMAND_LINES = {
    "show": ["show", "{m}"],
    "render": ["render", "{m}", "-o", "{out}.svg"],
    "minimize": ["minimize", "{m}", "-o", "{out}.json"],
    "equiv": ["equiv", "{good}", "{m}"],
    "convert": ["convert", "{m}", "{out}.json"],
    "run": ["run", "{m}", "t n"],
    "learn": ["learn", "{m}", "-o", "{out}.json"],
    "learn-active": ["learn-active", "{m}", "-o", "{out}.json"],
}
TAKES_NO_FILE = {"demo"}  # its bad input (a --dir that is a file) is tested below


@pytest.mark.parametrize("what", BAD)
@pytest.mark.parametrize("name", list(COMMAND_LINES))
def test_bad_input_sweep(name: str, what: str, files, tmp_path: Path, capsys) -> None:
    assert set(COMMAND_LINES) | TAKES_NO_FILE == set(cli.COMMANDS), "add the command to the sweep"
    bad = _bad_inputs(tmp_path)[what]
    out_stem = tmp_path / "result"
    argv = [a.format(m=bad, good=files["toggle"], out=out_stem) for a in COMMAND_LINES[name]]
    code, out, err = run(*argv, capsys=capsys)
    assert code == 2, (out, err)
    assert err.count("\n") == 1 and err.startswith(f"catauto {name}: error: "), err
    assert bad.name in err  # names the file
    assert "Traceback" not in err
    assert not any(p.name.startswith("result") for p in tmp_path.iterdir())
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())


@pytest.mark.parametrize(
    "argv",
    [
        ["show"],
        ["show", "a.dot", "--frobnicate"],
        ["frobnicate"],
        [],
        ["run", "a.dot", "--seed", "x"],
        ["render", "a.dot", "--format", "bmp"],
    ],
)
def test_usage_errors_are_one_line(argv: list[str], capsys) -> None:
    code, out, err = run(*argv, capsys=capsys)
    assert code == 2 and out == "" and err.count("\n") == 1 and "error:" in err


def test_bad_words_and_files(files, tmp_path: Path, capsys) -> None:
    code, _, err = run("run", files["toggle"], "t x", capsys=capsys)
    assert code == 2 and "'x' (symbol 2 of word 1 't x') is not an input" in err
    code, _, err = run("run", files["toggle"], capsys=capsys)
    assert code == 2 and "no words given" in err
    code, _, err = run("run", files["toggle"], "--file", tmp_path / "nope.txt", capsys=capsys)
    assert code == 2 and "nope.txt: no such file" in err
    code, _, err = run(
        "render", files["toggle"], "--highlight", "q", "-o", tmp_path / "x.dot", capsys=capsys
    )
    assert code == 2 and "'q'" in err and not (tmp_path / "x.dot").exists()
    before = files["toggle"].read_bytes()
    code, _, err = run("render", files["toggle"], "--format", "dot", capsys=capsys)
    assert code == 2 and "would overwrite the model" in err
    assert files["toggle"].read_bytes() == before
    code, _, err = run("convert", files["toggle"], tmp_path / "x.png", capsys=capsys)
    assert code == 2 and "unknown machine format" in err


def test_console_script_exit_codes_without_traceback(files, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(cli.__file__).resolve().parents[1])}
    base = [sys.executable, "-m", "catauto.cli"]
    (tmp_path / "junk.json").write_bytes(b"\x00\xff{")
    for argv, expected in [
        (["equiv", files["ends_b"], files["ends_a"]], 1),
        (["show", tmp_path / "junk.json"], 2),
        (["show", "--nope"], 2),
        (["show", files["toggle"]], 0),
    ]:
        proc = subprocess.run(
            base + [str(a) for a in argv], capture_output=True, text=True, env=env, timeout=60
        )
        assert proc.returncode == expected, proc.stderr
        assert "Traceback" not in proc.stderr
        if expected == 2:
            assert proc.stderr.count("\n") == 1


ABBADINGO = "4 2\n1 2 0 1\n0 1 1\n1 0\n0 3 1 1 1\n"
BAD_TRACES = {
    "truncated_abbadingo": ABBADINGO[: len(ABBADINGO) // 2 + 3],
    "wrong_length": "2 2\n1 3 0 1\n0 1 1\n",
    "bad_symbol": "2 2\n1 2 0 7\n0 1 1\n",
    "contradictory": "3 2\n1 2 0 1\n0 1 1\n0 2 0 1\n",
    "contradictory_stamina": "+ a b\n- a\n- a b\n",
}


@pytest.mark.parametrize("what", sorted(BAD_TRACES))
@pytest.mark.parametrize("algorithm", ["rpni", "edsm"])
def test_bad_trace_files(what: str, algorithm: str, tmp_path: Path, capsys) -> None:
    path = tmp_path / f"{what}.txt"
    path.write_text(BAD_TRACES[what], encoding="utf-8")
    model = tmp_path / "result.json"
    code, out, err = run("learn", path, "--algorithm", algorithm, "-o", model, capsys=capsys)
    assert code == 2 and err.count("\n") == 1 and path.name in err, err
    assert "Traceback" not in err and not model.exists()
    if what == "contradictory":  # both traces, each with its file line
        assert f"{path.name}:2" in err and f"{path.name}:4" in err
    if what == "contradictory_stamina":
        assert f"{path.name}:1" in err and f"{path.name}:3" in err


def test_learn_writes_a_consistent_machine(tmp_path: Path, capsys) -> None:
    path = tmp_path / "train.a"
    path.write_text(ABBADINGO, encoding="utf-8")
    model, picture = tmp_path / "m.json", tmp_path / "m.dot"
    code, out, _ = run("learn", path, "-o", model, "--dot", picture, capsys=capsys)
    assert code == 0 and "training accuracy 100.0%" in out
    learned = io.read(model)
    assert learned.accepts([0, 1]) and not learned.accepts([1]) and learned.accepts([])
    assert io.read(picture) == learned


def test_learn_checks_its_outputs_first_and_keeps_their_formats(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    path = tmp_path / "train.a"
    path.write_text(ABBADINGO, encoding="utf-8")
    model, text = tmp_path / "m.json", tmp_path / "m_dot.txt"
    model.write_text("OLD", encoding="utf-8")
    code, out, err = run("learn", path, "-o", tmp_path / "m.txt", capsys=capsys)
    assert code == 2 and "unknown machine format" in err and "states" not in out  # not learned

    def no_graphviz(*args, **kwargs):
        raise draw.DotNotFoundError("dot failed")

    with monkeypatch.context() as patch:  # Graphviz there or not, the drawing fails
        patch.setattr(draw, "dot_available", lambda: True)
        patch.setattr(draw, "image", no_graphviz)
        code, _, err = run("learn", path, "-o", model, "--svg", tmp_path / "m.svg", capsys=capsys)
    assert code == 2 and "dot failed" in err
    assert model.read_text(encoding="utf-8") == "OLD"  # the picture comes first
    code, _, _ = run("learn", path, "-o", model, "--dot", text, capsys=capsys)
    assert code == 0 and text.read_text(encoding="utf-8").startswith("digraph")  # DOT, as asked
    if dot_available():
        picture = tmp_path / "m.dot"
        code, _, _ = run("learn", path, "--svg", picture, capsys=capsys)
        assert code == 0 and "<svg" in picture.read_text(encoding="utf-8")


def test_learn_with_a_search_and_its_bad_values(tmp_path: Path, capsys) -> None:
    path = tmp_path / "train.a"
    path.write_text(ABBADINGO, encoding="utf-8")
    model = tmp_path / "m.json"
    args = ("learn", path, "--search", "2", "--beam", "2", "--time-limit", "5", "-o", model)
    code, out, _ = run(*args, capsys=capsys)
    assert code == 0 and "training accuracy 100.0%" in out
    code, _, err = run("learn", path, "--search", "-1", capsys=capsys)
    assert code == 2 and err.count("\n") == 1 and "search >= 0" in err
    code, _, err = run("learn", path, "--search", "2", "--beam", "0", capsys=capsys)
    assert code == 2 and err.count("\n") == 1 and "beam >= 1" in err
    for wrong, message in (
        (["--algorithm", "rpni", "--search", "2"], "are for --algorithm edsm"),
        (["--beam", "3"], "needs --search"),
        (["--time-limit", "5"], "bounds edsm --search"),
        (["--algorithm", "rpni", "--time-limit", "5"], "bounds edsm --search"),
    ):
        code, _, err = run("learn", path, *wrong, capsys=capsys)
        assert code == 2 and message in err, wrong


def test_learn_active_checks_its_result(files, tmp_path: Path, capsys) -> None:
    model = tmp_path / "learned.json"
    code, out, _ = run(
        "learn-active", files["toggle"], "--oracle", "perfect", "-o", model, capsys=capsys
    )
    assert code == 0 and "equivalent" in out and io.read(model).equivalent(TOGGLE)
    code, out, _ = run(
        "learn-active", files["toggle"], "--oracle", "wp", "--forget-tests", capsys=capsys
    )
    assert code == 0 and "; equivalent" in out
    code, _, err = run(
        "learn-active", files["toggle"], "--oracle", "wp", "--tests", "5", capsys=capsys
    )
    assert code == 2 and "--tests is for the random-wp and random-words oracles" in err


def test_learn_active_says_what_to_try_when_the_result_is_wrong(tmp_path: Path, capsys) -> None:
    target = zoo.random_mealy(12, 3, 3, seed=0, minimal=True)
    path = tmp_path / "model.json"
    io.write(target, path)
    code, out, _ = run(
        "learn-active", path, "--oracle", "random-words", "--tests", "1", capsys=capsys
    )
    assert code == 1 and "NOT equivalent" in out
    assert "the model has 12 states (minimal)" in out and "--oracle wp" in out
    assert "--tests 10 --forget-tests" in out


def test_demo_refuses_a_file_as_its_folder(tmp_path: Path, capsys) -> None:
    not_a_dir = tmp_path / "report"
    not_a_dir.write_text("keep me", encoding="utf-8")
    code, _, err = run("demo", "--dir", not_a_dir, capsys=capsys)
    assert code == 2 and "not a folder" in err and not_a_dir.read_text() == "keep me"
    code, _, err = run("demo", "--dir", tmp_path, "-o", not_a_dir, capsys=capsys)
    assert code == 2 and "takes no -o" in err and not_a_dir.read_text() == "keep me"
