"""The demo's table and report, on outcomes built by hand (the full run is `make demo`)."""

import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from catauto import demo
from catauto.automata import DFA, draw, io, zoo


def _renumbered(m: DFA, perm: list[int]) -> DFA:
    """``m`` with state ``q`` numbered ``perm[q]``: isomorphic, drawn differently."""
    inverse = [perm.index(i) for i in range(len(perm))]
    delta = [[perm[t] for t in m.delta[q]] for q in inverse]
    return DFA(delta, [bool(m.output[q]) for q in inverse], perm[m.initial], m.inputs)


def _outcomes() -> tuple[list[demo.Outcome], list[demo.Target]]:
    target = demo.Target("Tomita 4", zoo.tomita(4), "zoo.tomita(4)")
    wrong = zoo.tomita(7)
    cex = " ".join(wrong.counterexample(target.machine))
    shuffled = _renumbered(target.machine, [2, 0, 3, 1])
    outcomes = [
        demo.Outcome("Tomita 4", "RPNI", target.machine, "10 traces", 0.1, True),
        demo.Outcome("Tomita 4", "EDSM", wrong, "10 traces", 0.2, False, cex),
        demo.Outcome("Tomita 4", "L#", shuffled, "5 queries", 0.1, True),
    ]
    return outcomes, [target]


def test_table_names_every_method_and_the_counterexample() -> None:
    outcomes, _ = _outcomes()
    text = demo.table(outcomes)
    assert "RPNI" in text and "EDSM" in text and "NO, e.g. on 0 0 0" in text


@pytest.mark.parametrize("graphviz", [True, False])
def test_the_dot_files_go_next_to_the_report_and_are_linked(
    tmp_path: Path, monkeypatch, graphviz: bool
) -> None:
    if graphviz and not draw.dot_available():
        pytest.skip("Graphviz 'dot' not installed")
    monkeypatch.setattr(draw, "dot_available", lambda: graphviz)
    outcomes, targets = _outcomes()
    path = tmp_path / "report.html"
    demo.report(outcomes, targets, path)
    html = path.read_text(encoding="utf-8")
    assert "<table>" in html and "wrong on 0 0 0" in html
    files = demo.report_files(path)
    assert files == tmp_path / "report_files"
    names = sorted(p.name for p in files.iterdir())
    assert names == [f"tomita_4_{m}.dot" for m in ("edsm", "lsharp", "rpni", "target")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report_files"]
    for name in names:
        assert f"href='report_files/{name}'" in html
    assert html.count("<svg") == (4 if graphviz else 0)
    assert ("apt-get install graphviz" in html) is not graphviz


def test_an_isomorphic_result_is_drawn_with_the_targets_numbers(tmp_path: Path) -> None:
    outcomes, targets = _outcomes()
    path = tmp_path / "report.html"
    demo.report(outcomes, targets, path)
    files = demo.report_files(path)
    target = (files / "tomita_4_target.dot").read_text(encoding="utf-8")
    # L# learned the target with its states numbered otherwise: drawn as the target is
    assert outcomes[2].machine.delta.tolist() != zoo.tomita(4).delta.tolist()
    assert (files / "tomita_4_lsharp.dot").read_text(encoding="utf-8") == target
    assert io.read_dot(files / "tomita_4_lsharp.dot").delta.tolist() == zoo.tomita(4).delta.tolist()
    html = path.read_text(encoding="utf-8")
    assert "L#: 4 states, exact; numbered as the target" in html
    assert "EDSM: 5 states, wrong on 0 0 0; its own state numbers" in html
    # every machine is drawn whole: the sink too, as the caption's count says
    for name in ("target", "rpni", "lsharp"):
        text = (files / f"tomita_4_{name}.dot").read_text(encoding="utf-8")
        assert len(re.findall(r"^  s\d+ \[", text, flags=re.M)) == 4


def test_the_demo_writes_nothing_outside_its_folder(tmp_path: Path, monkeypatch) -> None:
    """The whole run (two fast learners), twice: once with Graphviz, once without (a
    stale DOT file of an earlier report goes, other files stay)."""
    monkeypatch.setattr(demo, "METHODS", {"RPNI": demo.METHODS["RPNI"], "L#": demo.METHODS["L#"]})
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    assert demo.main(out, data_dir=tmp_path / "no_data", quiet=True, strict=True) == 0
    files = demo.report_files(out / "report.html")
    (files / "old.dot").write_text("digraph {}", encoding="utf-8")
    (files / "notes.txt").write_text("mine", encoding="utf-8")
    monkeypatch.setattr(draw, "dot_available", lambda: False)
    assert demo.main(out, data_dir=tmp_path / "no_data", quiet=True, strict=True) == 0
    everything = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert all(p == "out" or p.startswith("out/") for p in everything), everything
    dots = sorted(p.name for p in files.glob("*.dot"))
    assert len(dots) == 6 and "old.dot" not in dots and (files / "notes.txt").exists()
    assert any(name.startswith("tls_server") for name in dots)


def test_a_fresh_clone_learns_the_shipped_protocol_model(tmp_path: Path) -> None:
    tomita, protocol = demo.targets(tmp_path / "no_data", 0)
    assert protocol.name == "TLS server (OpenSSL 1.0.2)" and protocol.machine.kind == "mealy"
    assert protocol.machine.n_states == protocol.machine.minimize().n_states == 7
    assert "ClientHelloRSA" in protocol.machine.inputs and "AALpy" in protocol.source
    folder = Path(demo.__file__).parent / "automata" / "models"
    notice = (folder / "README.md").read_text(encoding="utf-8")
    for fact in ("github.com/DES-Lab/AALpy", "DotModels/TLS/" + demo.SHIPPED_PROTOCOL,
                 "499270ac05c32596f5b165eb336be8cb2bf768d0", "MIT License",
                 "Permission is hereby granted"):  # fmt: skip
        assert fact in notice


def test_the_loss_curve_labels_its_axes_and_marks() -> None:
    history = [
        {"step": 10 * (i + 1), "loss": [loss], "phase": phase, "population": population}
        for i, (loss, phase, population) in enumerate(
            [(0.7, "search", 1), (0.6, "search", 1), (0.8, "search", 2), (0.1, "shrink", 2)]
        )
    ]
    svg = demo._loss_curve(history)
    for text in ("training step", "loss (mean over restarts)", "fresh restarts", "shrinking"):
        assert text in svg
    assert svg.count("stroke-dasharray") == 2
    assert "fresh restarts" in demo._LOSS_NOTE and "shrinking" in demo._LOSS_NOTE


def test_the_soft_automata_are_explained_and_thresholded() -> None:
    from catauto.neural import SoftAutomaton

    model = SoftAutomaton("dfa", n_states=8, n_inputs=2)
    params = model.init(3)
    machine = zoo.tomita(4)
    history = [{"step": s, "loss": [1.0], "temperature": t, "phase": "search", "population": 1}
               for s, t in ((10, 1.0), (20, 0.5))]  # fmt: skip
    result = SimpleNamespace(
        model=model, machine=machine, history=history, restart_errors=np.zeros(16),
        snapshots=[(10, params), (20, params)],
    )  # fmt: skip
    figures = demo._neural_figures(result, 4)
    notes = [content for caption, content in figures if not caption]
    assert any("twice the target's 4" in note and "8 states" in note for note in notes)
    soft = [(caption, content) for caption, content in figures if content.startswith("digraph")]
    assert len(soft) == 2 and "temperature 0.50" in soft[1][0]
    P = np.asarray(model.weights(params, 0.5)["transitions"])
    text = soft[1][1]
    edges = re.findall(r"^  s(\d+) -> s(\d+) \[", text, flags=re.M)
    assert len(edges) == len(set(edges))  # one edge per pair of states
    likely = {(str(q), str(r)) for a, q, r in zip(*np.nonzero(P >= demo.SOFT_THRESHOLD))}
    assert edges and set(edges) <= likely
    assert "probability" in text and "accepting" in text  # the legend


def test_protocol_traces_are_a_conformance_suite() -> None:
    m = zoo.random_mealy(5, "ab", "xy", seed=1, minimal=True)
    data = demo.traces(m, np.random.default_rng(0))
    assert len(data) > 0 and data.accuracy(m) == 1.0
