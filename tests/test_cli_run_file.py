"""`catauto run --file`: a word that is not over the inputs is named by its position,
symbol i of word j (arguments) or of line j of the file, counting from 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from catauto.automata import io
from test_cli import TOGGLE, run


@pytest.mark.parametrize("bad_line", [1, 2, 5])
def test_a_bad_word_is_named_by_its_line(tmp_path: Path, capsys, bad_line: int) -> None:
    model = tmp_path / "toggle.json"
    io.write(TOGGLE, model)
    lines = ["t n", "n", "t t", "n t", "t"]
    lines[bad_line - 1] = "t x"
    words = tmp_path / "words.txt"
    words.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run("run", model, "--file", words, capsys=capsys)
    assert code != 0
    assert f"'x' (symbol 2 of line {bad_line} of {words} 't x')" in err
    code, _, err = run("run", model, "t", "n x", capsys=capsys)
    assert code != 0 and "'x' (symbol 2 of word 2 'n x')" in err
