"""The main job: learn two machines four ways, check each against the truth, write a report.

``catauto demo`` (and ``make demo``) takes a regular language (Tomita 4) and a protocol
model (the TCP Linux client from ``../shared/automata_data`` when present, else a zoo
Mealy machine), generates traces, learns each target with RPNI, EDSM, L# and the neural
learner, checks every result by equivalence, prints one table and writes ``report.html``.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from catauto._files import atomic_write
from catauto.automata import DFA, Machine, draw, io, learn, zoo

__all__ = [
    "METHODS",
    "TCP_CLIENT",
    "Learner",
    "Outcome",
    "Target",
    "default_data_dir",
    "main",
    "report",
    "run_all",
    "table",
    "targets",
    "traces",
]

TCP_CLIENT = Path("automata_wiki") / "TCP" / "TCP_Linux_Client.dot"


def default_data_dir() -> Path:
    """``../shared/automata_data`` next to the repository root."""
    return Path(__file__).resolve().parents[3] / "shared" / "automata_data"


@dataclass
class Target:
    name: str
    machine: Machine
    source: str


@dataclass
class Outcome:
    """One learner's result on one target: a row of the table."""

    target: str
    method: str
    machine: Machine | None
    used: str
    seconds: float
    exact: bool
    counterexample: str = ""
    figures: list[tuple[str, str]] = field(default_factory=list)  # (caption, svg)


def targets(data_dir: Path, seed: int) -> list[Target]:
    tcp = data_dir / TCP_CLIENT
    if tcp.exists():
        protocol = Target("TCP Linux client", io.read_dot(tcp), str(tcp))
    else:
        m = zoo.random_mealy(8, ("a", "b", "c"), ("x", "y"), seed=seed, minimal=True)
        protocol = Target("zoo Mealy (8 states)", m, f"zoo.random_mealy(seed={seed})")
    return [Target("Tomita 4", zoo.tomita(4), "zoo.tomita(4)"), protocol]


def _random_words(target: Machine, n: int, max_len: int, rng: np.random.Generator) -> list:
    """``n`` uniformly random words of length 0..max_len over the target's inputs."""
    lengths = rng.integers(0, max_len + 1, size=n)
    return [
        tuple(target.inputs[a] for a in rng.integers(0, target.n_inputs, size=k)) for k in lengths
    ]


def _conformance_words(target: Machine, rng: np.random.Generator) -> list:
    """The W-method test suite of depth 1, shuffled: what a protocol tester logs."""
    tests = learn.WMethodOracle(extra_states=0).tests(target)
    words = sorted({tuple(target.inputs[a] for a in w) for w in tests if w})
    return [words[i] for i in rng.permutation(len(words))]


def traces(target: Machine, rng: np.random.Generator):
    """The data every passive learner gets: labelled random words for a language, the
    traces of a conformance test suite for a protocol (random words rarely tell deep
    protocol states apart: RPNI needs 256,000 of them for the TCP client)."""
    if target.kind == "mealy":
        words = _conformance_words(target, rng)
        return learn.IOTraces(
            words, [target.transduce(w) for w in words], target.inputs, target.outputs
        )
    words = _random_words(target, 2000, 20, rng)
    if isinstance(target, DFA):
        return learn.Sample(words, [target.accepts(w) for w in words], target.inputs)
    labels = [target.transduce(w)[-1] for w in words]
    return learn.Sample(words, labels, target.inputs, target.outputs)


# -- the four learners; each returns (machine, what it used, figures for the report) --------

Learner = Callable[[Target, np.random.Generator], tuple[Machine, str, list]]


def _sample_for(target: Target, rng: np.random.Generator):
    data = traces(target.machine, rng)
    return data, f"{len(data)} traces"


def _rpni(target: Target, rng: np.random.Generator) -> tuple[Machine, str, list]:
    data, used = _sample_for(target, rng)
    return learn.rpni(data, progress=False), used, []


def _edsm(target: Target, rng: np.random.Generator) -> tuple[Machine, str, list]:
    data, used = _sample_for(target, rng)
    return learn.edsm(data, progress=False), used, []


def _lsharp(target: Target, rng: np.random.Generator) -> tuple[Machine, str, list]:
    oracle = learn.RandomWpOracle(
        min_length=1, expected_length=20, n_tests=5000, seed=int(rng.integers(2**31))
    )
    machine, stats = learn.lsharp(learn.MachineTeacher(target.machine), oracle, progress=False)
    return machine, f"{stats.mq} queries ({stats.eq} EQ)", []


def _neural(target: Target, rng: np.random.Generator) -> tuple[Machine, str, list]:
    from catauto import neural  # JAX loads only when the neural learner runs

    data, used = _sample_for(target, rng)
    size = target.machine.minimize().n_states
    result = neural.learn_automaton(
        data,
        max_states=2 * size,
        seeds=16,
        seed=int(rng.integers(2**31)),
        # a small language fits within a few dozen steps: check it often, so that the
        # report has a loss curve and snapshots to show
        check_every=10 if size <= 5 else 50,
        time_limit=80,
        snapshot_every=1,
        progress=False,
    )
    figures = [("mean loss over restarts during training", _loss_curve(result.history))]
    snapshots = neural.snapshots_to_dot(result)
    for step, text in _spread(snapshots, 3):
        figures.append((f"the soft automaton at step {step}", text))
    return result.machine, used, figures


METHODS: dict[str, Learner] = {"RPNI": _rpni, "EDSM": _edsm, "L#": _lsharp, "neural": _neural}


def _spread(items: list, k: int) -> list:
    """``k`` items spread evenly over ``items``, first and last included."""
    if len(items) <= k:
        return items
    return [items[round(i * (len(items) - 1) / (k - 1))] for i in range(k)]


def _loss_curve(history: list[dict], width: int = 420, height: int = 160) -> str:
    """An inline SVG line chart of the mean loss over restarts at each check, with a
    dashed line where fresh restarts were drawn or shrinking began (the loss jumps
    there: new parameters, states closed, a higher temperature)."""
    points = [(h["step"], float(np.mean(h["loss"]))) for h in history]
    if len(points) < 2:
        step, loss = points[0] if points else (0, float("nan"))
        return (
            f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='30'><text x='2'"
            f" y='20' font-size='12'>one check: loss {loss:.3g} at step {step}</text></svg>"
        )
    steps, losses = np.array(points).T
    x = 40 + (steps - steps.min()) / max(np.ptp(steps), 1e-9) * (width - 50)
    y = 10 + (losses.max() - losses) / max(np.ptp(losses), 1e-9) * (height - 30)  # top: max
    line = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(x, y))
    marks = []
    stage = [(h["phase"], h["population"]) for h in history]
    for i in range(1, len(history)):
        if stage[i] != stage[i - 1]:
            what = "shrinking" if stage[i][0] == "shrink" else "fresh restarts"
            x0 = (x[i - 1] + x[i]) / 2
            marks.append(
                f"<line x1='{x0:.1f}' x2='{x0:.1f}' y1='10' y2='{height - 20}' stroke='#888'"
                f" stroke-dasharray='4 3'/><text x='{x0 + 3:.1f}' y='{height - 24}'"
                f" font-size='10' fill='#555'>{what}</text>"
            )
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}'>"
        f"{''.join(marks)}"
        f"<polyline fill='none' stroke='#1f77b4' stroke-width='2' points='{line}'/>"
        f"<text x='40' y='{height - 4}' font-size='11'>step {steps.min():.0f}</text>"
        f"<text x='{width - 70}' y='{height - 4}' font-size='11'>step {steps.max():.0f}</text>"
        f"<text x='2' y='14' font-size='11'>{losses.max():.3g}</text>"
        f"<text x='2' y='{height - 22}' font-size='11'>{losses.min():.3g}</text></svg>"
    )


# -- running and reporting ------------------------------------------------------------------


def run_all(targets_: list[Target], seed: int, say: Callable[[str], None]) -> list[Outcome]:
    outcomes = []
    for target in targets_:
        say(f"{target.name}: {target.machine!r} from {target.source}")
        for method, learner in METHODS.items():
            rng = np.random.default_rng([seed, len(outcomes)])
            start = time.perf_counter()
            machine, used, figures = learner(target, rng)
            seconds = time.perf_counter() - start
            cex = machine.counterexample(target.machine)
            outcome = Outcome(target.name, method, machine, used, seconds, cex is None)
            if cex is not None:
                outcome.counterexample = " ".join(map(str, cex)) or "ε (the empty word)"
            outcome.figures = figures
            outcomes.append(outcome)
            say("  " + "  ".join(_row(outcome)[1:]))
    return outcomes


_HEADER = ("target", "method", "states", "traces or queries", "time", "exact?")


def _row(o: Outcome) -> tuple[str, ...]:
    exact = "yes" if o.exact else f"NO, e.g. on {o.counterexample}"
    return (o.target, o.method, str(o.machine.n_states), o.used, f"{o.seconds:.1f} s", exact)


def table(outcomes: list[Outcome]) -> str:
    rows = [_HEADER, *map(_row, outcomes)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(_HEADER))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _picture(dot_text: str, name: str, folder: Path, drawn: bool) -> str:
    """Inline SVG when Graphviz is here; otherwise a DOT file beside the report."""
    if drawn:
        return draw.dot_image(dot_text, "svg").decode("utf-8").split("?>", 1)[-1]
    path = folder / f"{name}.dot"
    atomic_write(path, dot_text)
    return f"<p><code>{html.escape(path.name)}</code> (DOT text; see the note above)</p>"


def report(outcomes: list[Outcome], targets_: list[Target], path: Path) -> None:
    """Write a self-contained HTML report: the table, every machine and the neural figures."""
    drawn = draw.dot_available()
    folder = path.parent
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>catauto demo</title>",
        "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}"
        "figure{display:inline-block;vertical-align:top;margin:8px}"
        "svg{max-width:100%;height:auto}.no{color:#b00}</style></head><body>",
        "<h1>catauto demo</h1><p>Two targets, each learned four ways: from traces (RPNI, EDSM,"
        " gradient descent) and by queries (L#). Every result is checked against the truth"
        " by equivalence.</p>",
    ]
    if not drawn:
        parts.append(
            f"<p><b>No pictures:</b> Graphviz's <code>dot</code> was not found, so the"
            f" machines are written as DOT files beside this report; {draw.INSTALL_HINT}"
            f" and run <code>make demo</code> again.</p>"
        )
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in _row(o)) + "</tr>" for o in outcomes
    )
    head = "".join(f"<th>{h}</th>" for h in _HEADER)
    parts.append(f"<table><tr>{head}</tr>{rows}</table>")
    for t in targets_:
        slug = t.name.lower().replace(" ", "_")
        parts.append(f"<h2>{html.escape(t.name)}</h2><p>{html.escape(t.source)}</p>")
        figures = [("the target", io.to_dot(t.machine), f"{slug}_target")]
        for o in (o for o in outcomes if o.target == t.name):
            tag = f"{slug}_{o.method.replace('#', 'sharp').lower()}"
            verdict = "exact" if o.exact else f"wrong on {o.counterexample}"
            figures.append(
                (
                    f"{o.method}: {o.machine.n_states} states, {verdict}",
                    io.to_dot(o.machine, hide_sink=t.machine.kind == "dfa"),
                    tag,
                )
            )
            for i, (caption, content) in enumerate(o.figures):
                figures.append((f"{o.method}: {caption}", content, f"{tag}_{i}"))
        for caption, content, name in figures:
            body = content if content.startswith("<svg") else _picture(content, name, folder, drawn)
            parts.append(f"<figure>{body}<figcaption>{html.escape(caption)}</figcaption></figure>")
    parts.append("</body></html>")
    atomic_write(path, "\n".join(parts))


def main(
    out_dir: Path = Path("."),
    seed: int = 0,
    data_dir: Path | None = None,
    quiet: bool = False,
    strict: bool = False,
) -> int:
    """Run the demo and write the report; returns 0, or 1 when ``strict`` and a learned
    machine is not exact (the table and the report say which, with a counterexample)."""
    say = (lambda line: None) if quiet else (lambda line: print(line, flush=True))
    start = time.perf_counter()
    targets_ = targets(data_dir or default_data_dir(), seed)
    outcomes = run_all(targets_, seed, say)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "report.html"
    report(outcomes, targets_, path)
    say("")
    say(table(outcomes))
    wrong = [f"{o.method} on {o.target}" for o in outcomes if not o.exact]
    if wrong:
        say(f"\nNOT EXACT: {', '.join(wrong)} (see the counterexamples above)")
    say(f"\nreport: {path} ({time.perf_counter() - start:.0f} s in all)")
    return 1 if strict and wrong else 0
