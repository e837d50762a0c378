"""Active learning side by side with AALpy 2.0: same models, same oracle settings.

Run: ``.venv/bin/python benchmarks/bench_active.py [--quick] [--seeds N]`` (``--seeds``:
random-Wp seeds for the TCP server, default 3; ``--quick``: two models, one seed).

Every model is read once with ``catauto.automata.io.read_dot`` and handed to both
libraries (AALpy gets the same machine converted to its own classes, since AALpy 2.0
cannot parse several Automata Wiki files). For each model, algorithm and oracle:

- catauto: ``lstar`` / ``kv`` / ``lsharp`` on a ``MachineTeacher`` with ``PerfectOracle``
  or ``RandomWpOracle(min_length, expected_length, n_tests, seed)``;
- AALpy: ``run_Lstar`` / ``run_KV`` / ``run_Lsharp`` (default options, cache on) on an
  ``AutomatonSUL`` with ``PerfectKnowledgeEqOracle`` or ``RandomWpMethodEqOracle`` with
  the same three numbers, after ``random.seed(seed)``.

Columns: MQ = the learner's queries that reached the system (AALpy's
``queries_learning``: its cache answers the rest, as ours does; our counterexample
confirmations, run as tests, are added for the perfect oracle, since AALpy's learners
query the counterexample themselves); EQ = equivalence
queries (hypotheses); symbols = all inputs sent to the system, tests included (AALpy:
``steps_learning + steps_eq_oracle``); time = CPU seconds of the whole run (the machine
is shared, so CPU time is steadier than wall time); correct = the result is equivalent
to the model. Random-Wp uses (min_length 1, expected_length 10, 10000 tests): with it
AALpy's L* learned the TCP server with 17,960 MQs (seed 1), the figure in issue 5. The
random oracles draw different words in the two libraries, so random-Wp rows say little
one by one (a run that misses states asks fewer queries): TCP runs three seeds each, and
the MQ targets are read on the perfect-oracle rows. The 500-state random Mealy machine
and ASML m22 (93 states, 108 inputs) are learned by our L# only: AALpy's L# already
takes seconds for 60 states and grows far faster. m22 also runs with random-Wp at
(1, 3, 10,000,000 tests per query), caching only failed tests (``keep_tests=False``),
to show how many of its states random testing finds (about 1.5 minutes).

The latency row (``--latency`` runs only it; ``--quick`` leaves it out): the TCP Linux
client behind a reset/step system that sleeps 1 ms per step, learned by L# with the
default oracle (``HybridADSOracle``, 2,000 tests per query, seed 0) through a
``ParallelTeacher`` (batches of 64) on 1, 4 and 8 thread workers;
wall time, speed-up against 1 worker in the same run, and whether the counts and the
hypothesis are the same.

The error-aware rows (``--errors`` runs only them; ``--quick`` leaves them out): L# on
ASML m183, m54 and m22, plain and error-aware (``error="error"``, the models' refusal
output, and ``error="auto"``), with the perfect oracle and with ``HybridADSOracle``
(seed 0); symbols and resets, ratios against plain L# in the same run; AALpy's L# with
the perfect oracle on m183 and m54 (on m22 it would take hours).

The enabled-inputs rows (``--enabled`` runs only them; ``--quick`` leaves them out):
partial models (ASML m183, m54 and m22 with their error transitions undefined, a random
Mealy machine of 40 states with half its transitions undefined) learned by
``learn_active_model`` with L#, the enabled-inputs variant (``enabled=True``) against
the refusal as the error output, with the perfect oracle and with Hybrid-ADS (seed 0):
symbols and resets; AALpy's L# with the perfect oracle on the completed models, but m22.

``--aalpy-m22 MINUTES`` runs only AALpy's L# with the perfect oracle on ASML m22, in a
child process cut after MINUTES (issue 17: 30), counting through a wrapper SUL so that
the counts at the cut survive it.

The black-box rows (``--black-box`` runs only them; ``--quick`` leaves them out): every
DOT model under ``automata_data`` learned by ``learn_active_model`` with its defaults
(L#, ``HybridADSOracle``, ``error="auto"``), three seeds, checked by equivalence after
learning; the reference in the same run is the previous default (L# with random-Wp,
10,000 tests per query, no error-awareness), one seed.
"""

from __future__ import annotations

import argparse
import io as _io
import random
import statistics
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

from catauto.automata import Machine, Mealy, io, zoo
from catauto.automata.learn import (
    MachineTeacher,
    PerfectOracle,
    RandomWpOracle,
    kv,
    lsharp,
    lstar,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "automata_data"
RWP = {"min_length": 1, "expected_length": 10, "n_tests": 10000}  # the setting
M22_RWP = {"min_length": 1, "expected_length": 3, "n_tests": 10_000_000}


def to_aalpy(m: Machine):  # noqa: ANN201 - AALpy types
    from aalpy.automata import Dfa, DfaState, MealyMachine, MealyState, MooreMachine, MooreState

    n = m.n_states
    if m.kind == "dfa":
        states = [DfaState(f"s{q}", is_accepting=bool(m.output[q])) for q in range(n)]
        cls = Dfa
    elif m.kind == "moore":
        states = [MooreState(f"s{q}", output=m.outputs[m.output[q]]) for q in range(n)]
        cls = MooreMachine
    else:
        states = [MealyState(f"s{q}") for q in range(n)]
        cls = MealyMachine
    for q in range(n):
        for a, sym in enumerate(m.inputs):
            states[q].transitions[sym] = states[int(m.delta[q, a])]
            if m.kind == "mealy":
                states[q].output_fun[sym] = m.outputs[m.output[q, a]]
    return cls(states[m.initial], states)


def from_aalpy(a, like: Machine) -> Machine:  # noqa: ANN001
    """AALpy's hypothesis as a catauto machine over ``like``'s alphabets."""
    states = a.states
    index = {s: i for i, s in enumerate(states)}
    delta = [[index[s.transitions[x]] for x in like.inputs] for s in states]
    init = index[a.initial_state]
    if like.kind == "dfa":
        from catauto.automata import DFA

        return DFA(delta, [s.is_accepting for s in states], init, like.inputs)
    outs = list(like.outputs)
    extra = {s.output_fun[x] for s in states for x in like.inputs} - set(outs)
    outs += sorted(extra, key=str)
    oi = {o: i for i, o in enumerate(outs)}
    output = [[oi[s.output_fun[x]] for x in like.inputs] for s in states]
    used = max(max(r) for r in output) + 1
    return Mealy(delta, output, init, like.inputs, outs[:used])


def cpu_time(run):  # noqa: ANN001, ANN201
    """``run()``'s result and its CPU time, averaged over repeats when a run is short."""
    reps, total, result = 0, 0.0, None
    while reps == 0 or (total < 0.2 and reps < 100):
        start = time.process_time()
        result = run()
        total += time.process_time() - start
        reps += 1
    return result, total / reps


def run_catauto(
    m: Machine, algorithm: str, oracle: str, seed: int, rwp: dict = RWP, keep_tests: bool = True
) -> dict:
    learn = {"lstar": lstar, "kv": kv, "lsharp": lsharp}[algorithm]

    def run():  # noqa: ANN202
        orc = PerfectOracle(m) if oracle == "perfect" else RandomWpOracle(seed=seed, **rwp)
        return learn(MachineTeacher(m, keep_tests=keep_tests), orc, progress=False)

    (hyp, stats), seconds = cpu_time(run)
    return {
        # With the perfect oracle our only tests confirm its counterexamples, which AALpy
        # counts as the learner's queries: count them as MQ too.
        "mq": stats.mq + (stats.tests if oracle == "perfect" else 0),
        "eq": stats.eq,
        "symbols": stats.symbols,
        "time": seconds,
        "states": hyp.n_states,
        "correct": hyp.equivalent(m),
    }


def run_aalpy(m: Machine, algorithm: str, oracle: str, seed: int) -> dict:
    from aalpy.learning_algs import run_KV, run_Lsharp, run_Lstar
    from aalpy.oracles import PerfectKnowledgeEqOracle, RandomWpMethodEqOracle
    from aalpy.SULs import AutomatonSUL

    learn = {"lstar": run_Lstar, "kv": run_KV, "lsharp": run_Lsharp}[algorithm]
    model = to_aalpy(m)
    alphabet = list(m.inputs)

    def run():  # noqa: ANN202
        sul = AutomatonSUL(model)
        random.seed(seed)
        if oracle == "perfect":
            orc = PerfectKnowledgeEqOracle(alphabet, sul, model)
        else:
            orc = RandomWpMethodEqOracle(
                alphabet,
                sul,
                min_length=RWP["min_length"],
                expected_length=RWP["expected_length"],
                num_tests=RWP["n_tests"],
            )
        with redirect_stdout(_io.StringIO()):
            return learn(alphabet, sul, orc, m.kind, return_data=True, print_level=0)

    (hyp, info), seconds = cpu_time(run)
    return {
        "mq": info["queries_learning"],
        "eq": info["learning_rounds"],
        "symbols": info["steps_learning"] + info["steps_eq_oracle"],
        "time": seconds,
        "states": hyp.size,
        "correct": from_aalpy(hyp, m).equivalent(m),
    }


def models(quick: bool) -> list[tuple[str, Machine]]:
    named = [
        ("TCP Ubuntu server", "aalpy_dot/TCP/tcp_server_ubuntu_trans.dot"),
        ("MQTT mosquitto", "aalpy_dot/MQTT/mosquitto__two_client_will_retain.dot"),
        ("SSH OpenSSH", "automata_wiki/SSH/OpenSSH.dot"),
        ("SSH BitVise", "automata_wiki/SSH/BitVise.dot"),
        ("DTLS tinydtls", "automata_wiki/DTLS/ctinydtls_psk.dot"),
        ("TLS GnuTLS", "automata_wiki/TLS/GnuTLS_3.3.8_server_full.dot"),
        ("ASML m54", "automata_wiki/ASMLRERS2019/m54.dot"),
        ("Tomita 3", "aalpy_dot/tomitaGrammars/tomita_3.dot"),
    ]
    if quick:
        named = named[:2]
    out = [(name, io.read_dot(DATA / path)) for name, path in named if (DATA / path).exists()]
    out.append(("random Mealy 60", zoo.random_mealy(60, 10, 2, seed=0, minimal=True)))
    return out


class SleepySUL:
    """A reset/step system around a machine that sleeps ``latency`` seconds per step."""

    def __init__(self, m: Machine, latency: float) -> None:
        from catauto.automata.learn.active.system import MachineSystem

        self.system = MachineSystem(m)
        self.latency = latency

    def reset(self):  # noqa: ANN201
        o = self.system.reset()
        return None if o < 0 else self.system.outputs[o]

    def step(self, symbol):  # noqa: ANN001, ANN201
        time.sleep(self.latency)
        return self.system.outputs[self.system.step(self.system.encode([symbol])[0])]


def latency_row(
    workers_list: tuple[int, ...] = (1, 4, 8), latency: float = 0.001, n_tests: int = 2000
) -> list[str]:
    """L# with the default oracle (``HybridADSOracle``, seed 0, ``n_tests`` tests per
    query: its default 100,000 would take half an hour of sleeping per worker count),
    batches of 64, on the TCP Linux client behind a system that sleeps ``latency`` per
    step, on pools of thread workers."""
    import functools

    from catauto.automata.learn.active import HybridADSOracle, ParallelTeacher

    path = DATA / "automata_wiki/TCP/TCP_Linux_Client.dot"
    if not path.exists():
        return []
    m = io.read_dot(path)
    factory = functools.partial(SleepySUL, m, latency)
    print(
        f"\nlatency {latency * 1000:g} ms/step, TCP Linux client ({m.n_states} states,"
        f" {m.n_inputs} inputs), lsharp + hybrid-ads ({n_tests} tests, seed 0), batch 64,"
        " thread workers"
    )
    print(
        f"{'workers':>7} {'wall s':>8} {'states':>6} {'MQ':>6} {'tests':>6} {'symbols':>8} correct"
    )
    rows = []
    for workers in workers_list:
        with ParallelTeacher(factory, m.inputs, m.kind, workers=workers, batch=64) as t:
            start = time.perf_counter()
            hyp, stats = lsharp(t, HybridADSOracle(n_tests=n_tests, seed=0), progress=False)
            wall = time.perf_counter() - start
        counts = (stats.mq, stats.tests, stats.symbols, stats.resets, stats.eq)
        rows.append((workers, wall, counts, hyp))
        print(
            f"{workers:>7} {wall:>8.2f} {hyp.n_states:>6} {stats.mq:>6} {stats.tests:>6}"
            f" {stats.symbols:>8} {'yes' if hyp.equivalent(m) else 'NO'}",
            flush=True,
        )
    ref_wall, ref_counts, ref_hyp = rows[0][1], rows[0][2], rows[0][3]
    same = all(c == ref_counts and h.equivalent(ref_hyp) for _, _, c, h in rows)
    return [
        f"latency {latency * 1000:g} ms/step, TCP Linux client: wall {w} workers {wall:.2f} s,"
        f" speed-up {ref_wall / wall:.2f}x vs 1 worker (target >= 5x with 8);"
        f" same hypothesis and counts as 1 worker: {same}"
        for w, wall, _, _ in rows[1:]
    ]


def error_rows(names: tuple[str, ...] = ("m183", "m54", "m22")) -> list[str]:
    """Error-aware L# (``error="error"``, and ``error="auto"``) against plain L# on the
    ASML RERS-2019 models, with the perfect oracle and with ``HybridADSOracle`` (seed 0):
    symbols and resets; AALpy's L# (perfect oracle, no error-awareness) where it
    finishes in minutes (m183, m54; m22 would take hours)."""
    from catauto.automata.learn.active import HybridADSOracle

    print(
        f"\n{'model':<6} {'oracle':<10} {'teacher':<16} {'states':>6} {'MQ':>7} {'tests':>7}"
        f" {'symbols':>9} {'resets':>7} {'CPU s':>7} correct"
    )
    lines = []
    runs = (
        ("perfect", "plain", None),
        ("perfect", "error='error'", "error"),
        ("perfect", "error='auto'", "auto"),
        ("hybrid-ads", "plain", None),
        ("hybrid-ads", "error='auto'", "auto"),
    )
    for name in names:
        path = DATA / f"automata_wiki/ASMLRERS2019/{name}.dot"
        if not path.exists():
            continue
        m = io.read_dot(path)
        got, exact = {}, {}
        for oracle, label, error in runs:
            orc = PerfectOracle(m) if oracle == "perfect" else HybridADSOracle(seed=0)
            start = time.process_time()
            hyp, stats = lsharp(MachineTeacher(m, error=error), orc, progress=False)
            cpu = time.process_time() - start
            got[oracle, label] = stats
            exact[oracle, label] = hyp.equivalent(m)
            print(
                f"{name:<6} {oracle:<10} {label:<16} {hyp.n_states:>6} {stats.mq:>7}"
                f" {stats.tests:>7} {stats.symbols:>9} {stats.resets:>7} {cpu:>7.2f}"
                f" {'yes' if hyp.equivalent(m) else 'NO'}",
                flush=True,
            )
        if name != "m22":
            r = run_aalpy(m, "lsharp", "perfect", 0)
            print(
                f"{name:<6} {'perfect':<10} {'AALpy lsharp':<16} {r['states']:>6} {r['mq']:>7}"
                f" {'':>7} {r['symbols']:>9} {'':>7} {r['time']:>7.2f}"
                f" {'yes' if r['correct'] else 'NO'}",
                flush=True,
            )
            ours = got["perfect", "error='error'"]
            lines.append(
                f"ASML {name}: AALpy lsharp perfect {r['symbols']} symbols, catauto"
                f" error-aware lsharp perfect {ours.symbols}"
                f" ({r['symbols'] / max(ours.symbols, 1):.1f}x fewer)"
            )
        for oracle, label, _ in runs:
            if label == "plain":
                continue
            base, st = got[oracle, "plain"], got[oracle, label]
            lines.append(
                f"ASML {name} ({m.n_states} states, {m.n_inputs} inputs), lsharp {oracle},"
                f" {label} vs plain: symbols {st.symbols} vs {base.symbols}"
                f" ({base.symbols / max(st.symbols, 1):.1f}x fewer), resets {st.resets} vs"
                f" {base.resets} ({base.resets / max(st.resets, 1):.1f}x fewer)"
                + ("" if exact[oracle, "plain"] else f"; plain NOT exact ({base.states} states)")
                + (
                    " (target: >= 10x fewer symbols)"
                    if name == "m22" and oracle == "perfect"
                    else ""
                )
            )
    return lines


def _aalpy_lsharp_counted(m: Machine, counts) -> None:  # noqa: ANN001
    """AALpy's L# with the perfect oracle on ``m``, counting into the shared array
    ``counts`` = [resets, symbols, hypotheses, last hypothesis size, finished, correct]
    as it goes (run in a child process, so a cut keeps the counts)."""
    from aalpy.base import SUL
    from aalpy.learning_algs import run_Lsharp
    from aalpy.oracles import PerfectKnowledgeEqOracle
    from aalpy.SULs import AutomatonSUL

    class CountingSUL(SUL):
        """What reaches the system under AALpy's cache: one reset per query, symbols."""

        def __init__(self, inner: SUL) -> None:
            super().__init__()
            self.inner = inner

        def pre(self) -> None:
            counts[0] += 1
            self.inner.pre()

        def post(self) -> None:
            self.inner.post()

        def step(self, letter):  # noqa: ANN001, ANN201
            counts[1] += letter is not None
            return self.inner.step(letter)

    class CountingOracle(PerfectKnowledgeEqOracle):
        def find_cex(self, hypothesis):  # noqa: ANN001, ANN201
            counts[2] += 1
            counts[3] = hypothesis.size
            return super().find_cex(hypothesis)

    model = to_aalpy(m)
    alphabet = list(m.inputs)
    sul = CountingSUL(AutomatonSUL(model))
    orc = CountingOracle(alphabet, sul, model)
    with redirect_stdout(_io.StringIO()):
        hyp = run_Lsharp(alphabet, sul, orc, m.kind, print_level=0)
    counts[5] = int(from_aalpy(hyp, m).equivalent(m))
    counts[4] = 1


def aalpy_m22_row(limit_s: float = 1800.0) -> list[str]:
    """AALpy's L# with the perfect oracle on ASML m22 in a child process, cut after
    ``limit_s`` seconds of wall time; its counts (resets = queries that reached the
    system, symbols) at the end or at the cut, read from a counting SUL."""
    import multiprocessing

    path = DATA / "automata_wiki/ASMLRERS2019/m22.dot"
    if not path.exists():
        return []
    m = io.read_dot(path)
    ctx = multiprocessing.get_context("fork")
    counts = ctx.Array("q", 6)  # resets, symbols, hypotheses, size, finished, correct
    child = ctx.Process(target=_aalpy_lsharp_counted, args=(m, counts), daemon=True)
    start = time.perf_counter()
    child.start()
    child.join(limit_s)
    wall = time.perf_counter() - start
    if child.is_alive():
        child.terminate()
        child.join()
    resets, symbols, hyps, size, finished, correct = counts[:]
    end = f"finished, correct: {bool(correct)}" if finished else f"cut at {limit_s / 60:g} min"
    line = (
        f"ASML m22 ({m.n_states} states, {m.n_inputs} inputs), AALpy lsharp perfect: {end},"
        f" wall {wall:.0f} s, {symbols} symbols, {resets} resets (= queries reaching the"
        f" system), {hyps} hypotheses, last {size} states"
    )
    print(line, flush=True)
    return [line]


def partial_models() -> list[tuple[str, Machine]]:
    """Partial models: ASML m183, m54 and m22 with their error transitions undefined
    (every error of theirs enters a sink), and a random Mealy machine (40 states, 8
    inputs) with half its transitions undefined."""
    import numpy as np

    from catauto.automata.learn.active.system import partial_machine

    out = []
    for name in ("m183", "m54", "m22"):
        path = DATA / f"automata_wiki/ASMLRERS2019/{name}.dot"
        if path.exists():
            out.append((f"{name} partial", partial_machine(io.read_dot(path), "error")))
    m = zoo.random_mealy(40, 8, 3, seed=0, minimal=True)
    delta = m.delta.copy()
    delta[np.random.default_rng(1).random(delta.shape) < 0.5] = -1
    out.append(("random 40 partial", m.with_tables(delta, m.output, m.initial)))
    return out


def enabled_rows() -> list[str]:
    """The enabled-inputs variant (``enabled=True``) against the refusal as the error
    output (``error=`` the refusal), both by ``learn_active_model`` with L#, with the
    perfect oracle and with Hybrid-ADS (seed 0), on partial models; AALpy's L# with
    the perfect oracle on the completed model (the refusal an output like any other)
    where it finishes in minutes (not m22: see ``--aalpy-m22``)."""
    from catauto.automata.learn import learn_active_model
    from catauto.automata.learn.active.system import completed

    print(
        f"\n{'model':<18} {'oracle':<10} {'teacher':<16} {'states':>6} {'MQ':>7} {'tests':>7}"
        f" {'symbols':>9} {'resets':>7} {'CPU s':>7} exact"
    )
    lines = []
    for name, m in partial_models():
        got = {}
        for oracle in ("perfect", "hybrid-ads"):
            for label, enabled in (("refusal=error", False), ("enabled", True)):
                start = time.process_time()
                r = learn_active_model(m, "lsharp", oracle, 0, progress=False, enabled=enabled)
                cpu = time.process_time() - start
                s = got[oracle, label] = r.stats
                print(
                    f"{name:<18} {oracle:<10} {label:<16} {r.machine.n_states:>6} {s.mq:>7}"
                    f" {s.tests:>7} {s.symbols:>9} {s.resets:>7} {cpu:>7.2f}"
                    f" {'yes' if r.equivalent else 'NO'}",
                    flush=True,
                )
            base, st = got[oracle, "refusal=error"], got[oracle, "enabled"]
            lines.append(
                f"{name} ({m.n_states} states, {m.n_inputs} inputs), lsharp {oracle}, enabled"
                f" vs refusal=error: symbols {st.symbols} vs {base.symbols}"
                f" ({base.symbols / max(st.symbols, 1):.1f}x fewer), resets {st.resets} vs"
                f" {base.resets} ({base.resets / max(st.resets, 1):.1f}x fewer)"
            )
        if not name.startswith("m22"):
            r = run_aalpy(completed(m), "lsharp", "perfect", 0)
            print(
                f"{name:<18} {'perfect':<10} {'AALpy lsharp':<16} {r['states']:>6} {r['mq']:>7}"
                f" {'':>7} {r['symbols']:>9} {r['mq']:>7} {r['time']:>7.2f}"
                f" {'yes' if r['correct'] else 'NO'}",
                flush=True,
            )
            st = got["perfect", "enabled"]
            lines.append(
                f"{name}: AALpy lsharp perfect {r['symbols']} symbols, {r['mq']} resets;"
                f" catauto enabled lsharp perfect {st.symbols} symbols, {st.resets} resets"
                f" ({r['symbols'] / max(st.symbols, 1):.1f}x fewer symbols)"
            )
    return lines


def black_box_rows(seeds: int = 3) -> list[str]:
    """Every DOT model of the data set learned as a black box with the defaults of
    ``learn_active_model`` (L#, Hybrid-ADS, ``error="auto"``), ``seeds`` seeds, checked
    by equivalence afterwards; the reference, in the same run, is the previous default
    (L# with random-Wp at 10,000 tests per query, no error-awareness), seed 0."""
    from catauto.automata.learn import learn_active_model

    paths = sorted(DATA.glob("**/*.dot"))
    print(
        f"\n{'model':<52} {'states':>6} {'seed':>4} {'MQ':>7} {'tests':>7} {'symbols':>9}"
        f" {'resets':>7} {'CPU s':>7} exact | reference: exact, CPU s"
    )
    exact = ref_exact = runs = 0
    total = ref_total = 0.0
    for path in paths:
        m = io.read_dot(path)
        name = str(path.relative_to(DATA))
        start = time.process_time()
        ref = learn_active_model(m, "lsharp", "random-wp", 0, progress=False, error=None)
        ref_s = time.process_time() - start
        ref_exact += ref.equivalent
        ref_total += ref_s
        for seed in range(seeds):
            start = time.process_time()
            r = learn_active_model(m, seed=seed, progress=False)
            cpu = time.process_time() - start
            s = r.stats
            runs += 1
            exact += r.equivalent
            total += cpu
            ref_note = ""
            if seed == 0:
                ref_note = f" | {'yes' if ref.equivalent else 'NO'}, {ref_s:.2f}"
                if not ref.equivalent:
                    ref_note += f" ({ref.machine.n_states} states)"
            print(
                f"{name:<52} {m.n_states:>6} {seed:>4} {s.mq:>7} {s.tests:>7} {s.symbols:>9}"
                f" {s.resets:>7} {cpu:>7.2f} {'yes' if r.equivalent else 'NO':>5}{ref_note}",
                flush=True,
            )
    return [
        f"black box, defaults (lsharp, hybrid-ads, error='auto'): {exact}/{runs} runs exact"
        f" ({len(paths)} models x {seeds} seeds), CPU {total:.1f} s; reference (lsharp,"
        f" random-wp 10,000, no error): {ref_exact}/{len(paths)} exact, CPU {ref_total:.1f} s"
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two models, one seed")
    parser.add_argument("--seeds", type=int, default=3, help="random-Wp seeds for TCP")
    parser.add_argument(
        "--latency", action="store_true", help="only the 1 ms/step latency row (about 1 min)"
    )
    parser.add_argument(
        "--errors", action="store_true", help="only the error-aware rows (ASML, about 3 min)"
    )
    parser.add_argument(
        "--black-box",
        action="store_true",
        help="only the black-box rows: all 28 DOT models, defaults, 3 seeds (about 5 min)",
    )
    parser.add_argument(
        "--enabled",
        action="store_true",
        help="only the enabled-inputs rows: partial ASML and random models (about 3 min)",
    )
    parser.add_argument(
        "--aalpy-m22",
        type=float,
        metavar="MINUTES",
        help="only AALpy's L# (perfect oracle) on ASML m22, cut after MINUTES (30 in issue 17)",
    )
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"no data at {DATA}")
    if args.aalpy_m22 is not None:
        aalpy_m22_row(args.aalpy_m22 * 60)
        return
    if args.latency or args.errors or args.black_box or args.enabled:
        lines = latency_row() if args.latency else []
        lines += enabled_rows() if args.enabled else []
        lines += error_rows() if args.errors else []
        lines += black_box_rows() if args.black_box else []
        print()
        for line in lines:
            print(line)
        return
    header = (
        f"{'model':<18} {'alg':<6} {'oracle':<9} {'library':<8} {'states':>6} {'MQ':>7}"
        f" {'EQ':>4} {'symbols':>9} {'CPU s':>8} correct"
    )
    print(header)
    print("-" * len(header))
    ratios: list[str] = []
    for name, m in models(args.quick):
        n_seeds = args.seeds if name.startswith("TCP") and not args.quick else 1
        for algorithm in ("lstar", "kv", "lsharp"):
            for oracle in ("perfect", "random-wp"):
                if name.startswith("random") and oracle != "perfect":
                    continue
                results: dict[str, list[dict]] = {"catauto": [], "aalpy": []}
                for seed in range(n_seeds if oracle != "perfect" else 1):
                    for lib, runner in (("catauto", run_catauto), ("aalpy", run_aalpy)):
                        r = runner(m, algorithm, oracle, seed)
                        results[lib].append(r)
                        print(
                            f"{name:<18} {algorithm:<6} {oracle:<9} {lib:<8} {r['states']:>6}"
                            f" {r['mq']:>7} {r['eq']:>4} {r['symbols']:>9} {r['time']:>8.4f}"
                            f" {'yes' if r['correct'] else 'NO'}",
                            flush=True,
                        )
                ours, theirs = results["catauto"], results["aalpy"]
                mq_o = statistics.mean(r["mq"] for r in ours)
                mq_t = statistics.mean(r["mq"] for r in theirs)
                t_o = statistics.mean(r["time"] for r in ours)
                t_t = statistics.mean(r["time"] for r in theirs)
                seeds = f" (mean of {len(ours)} seeds)" if len(ours) > 1 else ""
                right = ""
                if oracle != "perfect":
                    right = (
                        f"; correct catauto {sum(r['correct'] for r in ours)}/{len(ours)},"
                        f" AALpy {sum(r['correct'] for r in theirs)}/{len(theirs)}"
                    )
                ratios.append(
                    f"{name} {algorithm} {oracle}{seeds}: MQ catauto {mq_o:.0f}, AALpy {mq_t:.0f},"
                    f" ratio {mq_t / max(mq_o, 1):.2f}x; time catauto {t_o:.4f} s,"
                    f" AALpy {t_t:.4f} s, ratio {t_t / max(t_o, 1e-9):.1f}x{right}"
                )
    # Ours only: AALpy's L# needs hours on these (minutes already for 60 states).
    solo = [("random Mealy 500", zoo.random_mealy(500, 10, 2, seed=0, minimal=True), "perfect")]
    m22 = DATA / "automata_wiki/ASMLRERS2019/m22.dot"
    if m22.exists() and not args.quick:
        model = io.read_dot(m22)
        solo += [("ASML m22", model, "perfect"), ("ASML m22", model, "random-wp")]
    notes = []
    for name, m, oracle in solo:
        r = run_catauto(m, "lsharp", oracle, 0, M22_RWP, keep_tests=oracle == "perfect")
        print(
            f"{name:<18} {'lsharp':<6} {oracle:<9} {'catauto':<8} {r['states']:>6}"
            f" {r['mq']:>7} {r['eq']:>4} {r['symbols']:>9} {r['time']:>8.4f}"
            f" {'yes' if r['correct'] else 'NO'}",
            flush=True,
        )
        setting = "" if oracle == "perfect" else f" {M22_RWP}"
        notes.append(
            f"{name} ({m.n_states} states, {m.n_inputs} inputs), lsharp {oracle}{setting}:"
            f" catauto {r['time']:.2f} s, {r['mq']} MQ, {r['states']} states,"
            f" correct: {r['correct']}"
            + (" (target: under 60 s)" if name.startswith("random") else "")
        )
    if not args.quick:  # a minute of sleeping: --quick leaves it out (--latency runs it)
        notes += latency_row()
        notes += error_rows()
        notes += enabled_rows()
        notes += black_box_rows()
    print()
    for line in ratios + notes:
        print(line)


if __name__ == "__main__":
    main()
