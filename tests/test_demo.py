"""The demo's table and report, on outcomes built by hand (the full run is `make demo`)."""

from pathlib import Path

import numpy as np

from catauto import demo
from catauto.automata import draw, zoo


def _outcomes() -> tuple[list[demo.Outcome], list[demo.Target]]:
    target = demo.Target("Tomita 4", zoo.tomita(4), "zoo.tomita(4)")
    wrong = zoo.tomita(7)
    cex = " ".join(wrong.counterexample(target.machine))
    outcomes = [
        demo.Outcome("Tomita 4", "RPNI", target.machine, "10 traces", 0.1, True),
        demo.Outcome("Tomita 4", "EDSM", wrong, "10 traces", 0.2, False, cex),
    ]
    return outcomes, [target]


def test_table_names_every_method_and_the_counterexample() -> None:
    outcomes, _ = _outcomes()
    text = demo.table(outcomes)
    assert "RPNI" in text and "EDSM" in text and "NO, e.g. on 0 0 0" in text


def test_report_is_self_contained(tmp_path: Path, monkeypatch) -> None:
    outcomes, targets = _outcomes()
    path = tmp_path / "report.html"
    demo.report(outcomes, targets, path)
    html = path.read_text(encoding="utf-8")
    assert "<table>" in html and "wrong on 0 0 0" in html
    if draw.dot_available():
        assert html.count("<svg") == 3 and not list(tmp_path.glob("*.dot"))
    monkeypatch.setattr(draw, "dot_available", lambda: False)
    demo.report(outcomes, targets, path)
    assert "apt-get install graphviz" in path.read_text(encoding="utf-8")
    assert len(list(tmp_path.glob("*.dot"))) == 3  # the target and both results


def test_protocol_traces_are_a_conformance_suite() -> None:
    m = zoo.random_mealy(5, "ab", "xy", seed=1, minimal=True)
    data = demo.traces(m, np.random.default_rng(0))
    assert len(data) > 0 and data.accuracy(m) == 1.0
