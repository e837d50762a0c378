"""The main job: learn two machines four ways, check each against the truth, write a report.

``catauto demo`` (and ``make demo``) takes a regular language (Tomita 4) and a protocol
model (the TCP Linux client from ``../shared/automata_data`` when present, else the
OpenSSL 1.0.2 TLS server model shipped in ``catauto/automata/models``, from AALpy),
generates traces, learns each target with RPNI, EDSM, L# and the neural learner, checks
every result by equivalence, prints one table and writes ``report.html``.

The report draws every machine whole (a sink included, so a caption's state count is
what the picture shows) with the target's state numbers where a learned machine is
isomorphic to it, and the neural learner's loss curve and soft automata with a legend.
The DOT text of every drawing goes into ``report_files/`` beside the report (and
nowhere else), linked from each figure; without Graphviz those files are the pictures.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from catauto._files import atomic_write
from catauto.automata import DFA, Machine, draw, io, learn, zoo

__all__ = [
    "METHODS",
    "SHIPPED_PROTOCOL",
    "SOFT_THRESHOLD",
    "TCP_CLIENT",
    "Learner",
    "Outcome",
    "Target",
    "default_data_dir",
    "main",
    "report",
    "report_files",
    "run_all",
    "table",
    "targets",
    "traces",
]

TCP_CLIENT = Path("automata_wiki") / "TCP" / "TCP_Linux_Client.dot"
SHIPPED_PROTOCOL = "OpenSSL_1.0.2_server_regular.dot"
"""The protocol model a fresh clone learns (``catauto/automata/models``; see its README)."""


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
    # (caption, content): content is DOT text (drawn), an inline <svg>, or, with an
    # empty caption, a paragraph of HTML that explains the figures after it
    figures: list[tuple[str, str]] = field(default_factory=list)


def targets(data_dir: Path, seed: int) -> list[Target]:
    """Tomita 4 and a protocol: the TCP Linux client from ``data_dir`` when it is there,
    else the TLS server model shipped with catauto (``seed`` is unused: both are fixed)."""
    tcp = data_dir / TCP_CLIENT
    if tcp.exists():
        protocol = Target("TCP Linux client", io.read_dot(tcp), str(tcp))
    else:
        shipped = resources.files("catauto.automata") / "models" / SHIPPED_PROTOCOL
        protocol = Target(
            "TLS server (OpenSSL 1.0.2)",
            io.read_dot(shipped.read_text(encoding="utf-8")),
            f"catauto/automata/models/{SHIPPED_PROTOCOL}: the TLS handshake of an OpenSSL"
            " 1.0.2 server, from AALpy's DotModels (MIT licence; see the folder's README)",
        )
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
    return result.machine, used, _neural_figures(result, size)


SOFT_THRESHOLD = 0.3
"""The soft automata in the report show the moves at least this likely."""

# one edge per pair of states (no heap of parallel edges), short names, and an edge of
# many moves labelled with their count
_SOFT_OPTIONS = {"threshold": SOFT_THRESHOLD, "merge": True, "max_symbol": 12, "max_lines": 2}


def _neural_figures(result: Any, size: int) -> list[tuple[str, str]]:
    """The loss curve and three snapshots of the soft automaton, each explained."""
    from catauto import neural

    n = result.model.n_states
    restarts = len(result.restart_errors)
    figures = [
        ("", _LOSS_NOTE.format(restarts=restarts)),
        ("loss at each check (mean over the restarts)", _loss_curve(result.history)),
    ]
    temperature = {h["step"]: float(h["temperature"]) for h in result.history}
    options = {
        **_SOFT_OPTIONS,
        "inputs": result.machine.inputs,
        "outputs": result.machine.outputs if result.model.kind != "dfa" else None,
        "rankdir": "LR" if result.model.kind == "dfa" else "TB",
    }
    if result.snapshots:
        figures.append(("", _soft_note(result.model.kind, n, size, result.machine.n_states)))
    for step, params in _spread(result.snapshots, 3):
        tau = temperature.get(step, 1.0)
        text = neural.soft_to_dot(
            result.model, params, temperature=tau, name=f"step {step}", **options
        )
        drawn = len(re.findall(r"^  s\d+ \[", text, flags=re.M))
        figures.append(
            (
                f"the soft automaton at step {step}, temperature {tau:.2f}:"
                f" {drawn} of its {n} states are reachable along moves of probability"
                f" \u2265 {SOFT_THRESHOLD}",
                text,
            )
        )
    return figures


_LOSS_NOTE = (
    "<p class='note'><b>The neural learner's loss curve.</b> The loss is the negative"
    " log-likelihood of the labels (per label) under the soft automaton, averaged over the"
    " {restarts} restarts trained side by side, at each check; lower is better, and it"
    " reaches 0 when the machine is certain of every label. Dashed lines mark a change of"
    " phase: <i>fresh restarts</i> means that no restart had fitted the data for a while,"
    " so every restart was drawn anew (the best machine so far is kept); <i>shrinking</i>"
    " means that a restart fits the data: from then on every restart is a copy of the best"
    " one with some of its least used states closed, trained at a higher temperature."
    " The loss jumps up at both marks (new parameters, fewer states, a softer machine)"
    " and comes down again as training goes on.</p>"
)


def _soft_note(kind: str, n: int, size: int, learned: int) -> str:
    edge = (
        "<code>a / x 0.97</code>: on input <code>a</code> the machine moves there with"
        " probability 0.97, and its likeliest output is <code>x</code>"
        if kind == "mealy"
        else "<code>1 0.55</code>: on input <code>1</code> the machine moves there with"
        " probability 0.55"
    )
    state = {
        "dfa": "; the number under a state's name is its probability of accepting (a double"
        " circle when above 1/2)",
        "moore": "; under a state's name, its likeliest output and that output's probability",
        "mealy": "",
    }[kind]
    return (
        f"<p class='note'><b>How to read the soft automata.</b> The neural learner trains a"
        f" <i>soft</i> automaton with {n} states, twice the target's {size}: every move is"
        f" a probability, and spare states make a fit easier for gradient descent to find."
        f" Drawn are the states reachable from s0 along moves of probability at least"
        f" {SOFT_THRESHOLD} (at the temperature training used then), and those moves, one"
        f" line of an edge's label per input: {edge}{state}; thicker and darker edges are"
        f" likelier, long names are cut short (…), and an edge of more than"
        f" {_SOFT_OPTIONS['max_lines']} moves says how many and their range of"
        f" probabilities. Its state numbers are its own. Shrinking then closes states, and"
        f" the machine read off at the end"
        f" (the likeliest moves, their reachable part, minimised) has {learned} states:"
        f" the <i>neural</i> drawing above.</p>"
    )


METHODS: dict[str, Learner] = {"RPNI": _rpni, "EDSM": _edsm, "L#": _lsharp, "neural": _neural}


def _spread(items: list, k: int) -> list:
    """``k`` items spread evenly over ``items``, first and last included."""
    if len(items) <= k:
        return items
    return [items[round(i * (len(items) - 1) / (k - 1))] for i in range(k)]


def _loss_curve(history: list[dict], width: int = 520, height: int = 220) -> str:
    """An inline SVG line chart of the mean loss over restarts at each check, with
    labelled axes (x: training step, y: loss) and a dashed line, named, where fresh
    restarts were drawn or shrinking began (the loss jumps there: new parameters,
    states closed, a higher temperature)."""
    points = [(h["step"], float(np.mean(h["loss"]))) for h in history]
    if len(points) < 2:
        step, loss = points[0] if points else (0, float("nan"))
        return (
            f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='30'><text x='2'"
            f" y='20' font-size='12'>one check: loss {loss:.3g} at step {step}</text></svg>"
        )
    steps, losses = np.array(points).T
    left, right, top, bottom = 62, 12, 12, height - 42  # the plot area
    x = left + (steps - steps.min()) / max(np.ptp(steps), 1e-9) * (width - left - right)
    y = top + (losses.max() - losses) / max(np.ptp(losses), 1e-9) * (bottom - top)  # top: max
    line = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(x, y))
    small = "font-size='11' fill='#333'"
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}'>",
        f"<line x1='{left}' y1='{top}' x2='{left}' y2='{bottom}' stroke='#444'/>",
        f"<line x1='{left}' y1='{bottom}' x2='{width - right}' y2='{bottom}' stroke='#444'/>",
        f"<text x='{left - 4}' y='{top + 9}' text-anchor='end' {small}>{losses.max():.3g}</text>",
        f"<text x='{left - 4}' y='{bottom}' text-anchor='end' {small}>{losses.min():.3g}</text>",
        f"<text x='{left}' y='{bottom + 14}' text-anchor='middle' {small}>{steps.min():.0f}</text>",
        f"<text x='{width - right}' y='{bottom + 14}' text-anchor='end' {small}>"
        f"{steps.max():.0f}</text>",
        f"<text x='{(left + width - right) / 2:.0f}' y='{height - 8}' text-anchor='middle'"
        f" font-size='12'>training step</text>",
        f"<text transform='translate(14 {(top + bottom) / 2:.0f}) rotate(-90)'"
        f" text-anchor='middle' font-size='12'>loss (mean over restarts)</text>",
    ]
    stage = [(h["phase"], h["population"]) for h in history]
    for i in range(1, len(history)):
        if stage[i] != stage[i - 1]:
            what = "shrinking" if stage[i][0] == "shrink" else "fresh restarts"
            x0 = (x[i - 1] + x[i]) / 2
            parts.append(
                f"<line x1='{x0:.1f}' x2='{x0:.1f}' y1='{top}' y2='{bottom}' stroke='#888'"
                f" stroke-dasharray='4 3'/><text x='{x0 + 3:.1f}' y='{top + 10}'"
                f" font-size='11' fill='#555'>{what}</text>"
            )
    parts.append(f"<polyline fill='none' stroke='#1f77b4' stroke-width='2' points='{line}'/>")
    parts.extend(
        f"<circle cx='{a:.1f}' cy='{b:.1f}' r='2.5' fill='#1f77b4'/>" for a, b in zip(x, y)
    )
    parts.append("</svg>")
    return "".join(parts)


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


def report_files(path: Path) -> Path:
    """The folder beside the report ``path`` that holds its DOT files (``report_files``
    for ``report.html``): the demo writes nothing outside it and the report."""
    return path.with_name(f"{path.stem}_files")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _style(target: Machine) -> dict[str, Any]:
    """How the pictures of a target's machines are drawn, all alike: a language as it
    is; a protocol top to bottom with edge labels cut to 40 characters (the DOT files
    keep the whole machine)."""
    return {} if target.kind == "dfa" else {"max_label": 40, "rankdir": "TB"}


class _Figures:
    """Writes each figure's DOT text into the report's folder and returns its HTML:
    the inline SVG picture when Graphviz is here, else a link to the DOT file."""

    def __init__(self, folder: Path, drawn: bool) -> None:
        self.folder, self.drawn, self.written = folder, drawn, set()

    def figure(self, caption: str, name: str, dot_text: str, picture: str | None = None) -> str:
        path = self.folder / f"{name}.dot"
        self.folder.mkdir(parents=True, exist_ok=True)
        atomic_write(path, dot_text)
        self.written.add(path.name)
        href = html.escape(f"{self.folder.name}/{path.name}", quote=True)
        link = f"<a href='{href}'>{html.escape(path.name)}</a>"
        if not self.drawn:
            body = f"<p class='dot'>{link} (DOT text: no picture without Graphviz)</p>"
            return f"<figure>{body}<figcaption>{html.escape(caption)}</figcaption></figure>"
        body = draw.dot_image(picture or dot_text, "svg").decode("utf-8").split("?>", 1)[-1]
        return (
            f"<figure>{body}<figcaption>{html.escape(caption)}"
            f" <span class='src'>(DOT: {link})</span></figcaption></figure>"
        )

    def remove_stale(self) -> None:
        """Remove the DOT files of an earlier report that this one does not link."""
        if self.folder.is_dir():
            for old in self.folder.glob("*.dot"):
                if old.name not in self.written:
                    old.unlink()


def _machines_note(target: Target) -> str:
    cut = (
        " Edge labels longer than 40 characters are shortened in the pictures"
        " (<code>+N more</code>: N more inputs; <code>other (k)</code>: the k inputs not on"
        " the state's other edges; <code>…</code>: an output cut short); the DOT files"
        " hold the whole machines."
        if _style(target.machine)
        else ""
    )
    return (
        "<p class='note'>Every machine is drawn whole, its sink included, so a caption's"
        " state count is what its picture shows. A learned machine isomorphic to the"
        " target (an exact result is, when it is minimal) is drawn with the target's state"
        " numbers and layout: <code>s2</code> is the same state in each of those"
        f" drawings.{cut}</p>"
    )


def report(outcomes: list[Outcome], targets_: list[Target], path: Path) -> None:
    """Write the HTML report: the table, every machine and the neural figures. Pictures
    are inline SVG (Graphviz) and the DOT text of each goes into :func:`report_files`,
    linked from its caption; nothing is written anywhere else."""
    drawn = draw.dot_available()
    figures = _Figures(report_files(path), drawn)
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>catauto demo</title>",
        "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}"
        "figure{display:inline-block;vertical-align:top;margin:8px;max-width:100%}"
        "svg{max-width:100%;height:auto}.no{color:#b00}.note{max-width:900px}"
        ".src{color:#666;font-size:smaller}</style></head><body>",
        "<h1>catauto demo</h1><p>Two targets, each learned four ways: from traces (RPNI, EDSM,"
        " gradient descent) and by queries (L#). Every result is checked against the truth"
        " by equivalence.</p>",
    ]
    if not drawn:
        parts.append(
            f"<p><b>No pictures:</b> Graphviz's <code>dot</code> was not found, so each"
            f" machine is a DOT file in <code>{html.escape(figures.folder.name)}/</code>"
            f" beside this report, linked below; {draw.INSTALL_HINT} and run"
            f" <code>make demo</code> again.</p>"
        )
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in _row(o)) + "</tr>" for o in outcomes
    )
    head = "".join(f"<th>{h}</th>" for h in _HEADER)
    parts.append(f"<table><tr>{head}</tr>{rows}</table>")
    for t in targets_:
        slug, style = _slug(t.name), _style(t.machine)
        parts.append(f"<h2>{html.escape(t.name)}</h2><p>{html.escape(t.source)}</p>")
        parts.append(_machines_note(t))
        parts.append(
            figures.figure(
                f"the target: {t.machine.n_states} states",
                f"{slug}_target",
                io.to_dot(t.machine),
                io.to_dot(t.machine, **style),
            )
        )
        for o in (o for o in outcomes if o.target == t.name):
            tag = f"{slug}_{_slug(o.method.replace('#', 'sharp'))}"
            verdict = "exact" if o.exact else f"wrong on {o.counterexample}"
            numbering = draw.numbering_like(o.machine, t.machine)
            numbered = (
                "numbered as the target"
                if numbering is not None
                else "its own state numbers (not isomorphic to the target)"
            )
            parts.append(
                figures.figure(
                    f"{o.method}: {o.machine.n_states} states, {verdict}; {numbered}",
                    tag,
                    io.to_dot(o.machine, numbering=numbering),
                    io.to_dot(o.machine, numbering=numbering, **style),
                )
            )
        for o in (o for o in outcomes if o.target == t.name and o.figures):
            tag = f"{slug}_{_slug(o.method.replace('#', 'sharp'))}"
            parts.append(
                f"<h3>{html.escape(t.name)}: how the {html.escape(o.method)} learner got there</h3>"
            )
            drawings = 0
            for caption, content in o.figures:
                if not caption:  # a paragraph that explains the figures after it
                    parts.append(content)
                elif content.startswith("<svg"):
                    parts.append(
                        f"<figure>{content}<figcaption>{html.escape(o.method)}:"
                        f" {html.escape(caption)}</figcaption></figure>"
                    )
                else:
                    drawings += 1
                    name = f"{tag}_soft_{drawings}"
                    parts.append(figures.figure(f"{o.method}: {caption}", name, content))
    parts.append("</body></html>")
    atomic_write(path, "\n".join(parts))
    figures.remove_stale()


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
