"""`catauto learn` exits 0 only when the machine fits every training trace: a neural
machine too small for its data is still written, with exit code 1 (scripts notice)."""

from __future__ import annotations

from pathlib import Path

import pytest

from catauto.automata import io
from test_cli import run


@pytest.mark.filterwarnings("ignore::catauto.neural.extract.InconsistentWarning")
def test_learn_exits_1_below_full_training_accuracy(tmp_path: Path, capsys) -> None:
    path = tmp_path / "parity.csv"  # even number of a's: needs two states
    path.write_text("word,label\n,yes\na,no\naa,yes\naaa,no\nb,yes\nab,no\n", encoding="utf-8")
    model = tmp_path / "m.json"
    base = ["learn", path, "-o", model]
    code, out, _ = run(*base, "--algorithm", "neural", "--max-states", "1", "--time-limit",
                       "0.5", capsys=capsys)  # fmt: skip
    assert code == 1 and "training accuracy 50.0%" in out
    assert io.read(model).n_states == 1
    code, out, _ = run(*base, capsys=capsys)  # edsm fits every trace
    assert code == 0 and "training accuracy 100.0%" in out
