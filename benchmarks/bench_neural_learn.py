"""Neural automaton learning, side by side with state merging (RPNI, EDSM, AALpy's RPNI).

Run: ``.venv/bin/python benchmarks/bench_neural_learn.py [--quick] [--part NAME ...]``

Parts (all by default):

- ``tomita``: Tomita 1-7, 2,000 balanced words (lengths 0-20) per data seed, three data
  seeds: is the extracted DFA equivalent to ``zoo.tomita(k)``, and how long did it take;
- ``machines``: random minimal 6-state Mealy and Moore machines (2 inputs, 2 outputs),
  500 random traces of length 10-20, ten seeds each;
- ``gru``: a GRU trained on Tomita k, extracted by L# with the abstraction oracle;
- ``protocol``: the TCP Linux client (15 states, 10 inputs, 11 outputs) from the traces
  of its W-method conformance suite (1,322 traces, shuffled per seed), as ``make demo``
  learns it: 30 states, 16 restarts, 80 s; RPNI and EDSM on the same traces;
- ``table``: for each Tomita grammar, the smallest number of random balanced training
  words (from a doubling grid, the first N words of one 2,000-word draw per seed) at
  which each learner returns exactly the grammar's DFA, median over seeds, and the time
  of that run (median). References in the same run: catauto's ``rpni``, ``edsm``,
  ``smallest`` (SAT) and ``edsm(finish="sat")``, and AALpy 2.0's ``run_RPNI``.

Times are wall-clock seconds on a shared 2-core CPU and include JAX compilation the
first time a shape is met.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from catauto.automata import DFA, zoo  # noqa: E402
from catauto.automata.learn import lsharp, smallest  # noqa: E402
from catauto.automata.learn.passive.state_merging import edsm, rpni  # noqa: E402
from catauto.automata.traces import Sample  # noqa: E402
from catauto.neural.extract import InconsistentWarning, learn_automaton  # noqa: E402
from catauto.neural.oracle import AbstractionOracle, RNNTeacher, train_classifier  # noqa: E402
from sampling import balanced_sample, random_traces  # noqa: E402

GRID = (16, 32, 64, 128, 256, 512, 1024, 2000)


def neural(data: Sample, target: DFA, seed: int):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InconsistentWarning)
        return learn_automaton(data, max_states=2 * target.n_states, seed=seed, progress=False)


def aalpy_rpni(data: Sample) -> DFA | None:
    """AALpy's RPNI on the same words, its DFA converted to ours (None if it fails)."""
    from aalpy.learning_algs import run_RPNI

    pairs = [(tuple(w), bool(y)) for w, y in data]
    model = run_RPNI(pairs, automaton_type="dfa", print_info=False)
    if model is None:
        return None
    states = model.states
    index = {id(s): i for i, s in enumerate(states)}
    delta = [[index[id(s.transitions[a])] if a in s.transitions else -1 for a in ("0", "1")]
             for s in states]  # fmt: skip
    accepting = [s.is_accepting for s in states]
    return DFA(delta, accepting, index[id(model.initial_state)], ("0", "1"))


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def part_tomita(seeds: int) -> None:
    print("== Tomita 1-7: 2000 balanced words (lengths 0-20), extracted DFA vs zoo.tomita(k)")
    for k in range(1, 8):
        target = zoo.tomita(k)
        exact, times = 0, []
        for seed in range(seeds):
            data = balanced_sample(target, 2000, seed=seed)
            result, seconds = timed(neural, data, target, seed)
            ok = result.machine.equivalent(target)
            exact += ok
            times.append(seconds)
            print(
                f"tomita {k} seed {seed}: neural {'exact' if ok else 'WRONG'}, "
                f"{result.machine.n_states} states, {result.steps} steps, {seconds:.1f} s"
            )
        print(f"tomita {k}: exact {exact}/{seeds}, slowest {max(times):.1f} s")


def part_machines(seeds: int) -> None:
    print("== random minimal 6-state machines, 2 inputs, 2 outputs, 500 traces of length 10-20")
    for kind, make in (("mealy", zoo.random_mealy), ("moore", zoo.random_moore)):
        exact, times = 0, []
        for seed in range(seeds):
            target = make(6, 2, 2, seed=seed, minimal=True)
            data = random_traces(target, 500, (10, 20), seed=100 + seed)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", InconsistentWarning)
                result, seconds = timed(
                    learn_automaton, data, kind=kind, max_states=12, progress=False
                )
            ok = result.machine.equivalent(target)
            exact += ok
            times.append(seconds)
            print(f"random {kind} seed {seed}: {'exact' if ok else 'WRONG'}, {seconds:.1f} s")
        print(f"random {kind}: exact {exact}/{seeds}, median {statistics.median(times):.1f} s")


def part_gru(grammars: list[int]) -> None:
    print("== GRU (16 hidden) trained on 2000 balanced words, extracted by L# + abstraction")
    for k in grammars:
        target = zoo.tomita(k)
        data = balanced_sample(target, 2000, seed=0)
        (model, params, _), train_s = timed(train_classifier, data)
        teacher = RNNTeacher(model, params, inputs=target.inputs)
        (machine, stats), extract_s = timed(
            lsharp, teacher, AbstractionOracle(seed=0), progress=False
        )
        ok = machine.equivalent(target)
        print(
            f"gru tomita {k}: training {train_s:.1f} s, lsharp {extract_s:.1f} s, "
            f"{machine.n_states} states, {'exact' if ok else 'WRONG'} ({stats})"
        )


def part_protocol(seeds: int) -> None:
    import numpy as np

    from catauto.automata import io
    from catauto.demo import TCP_CLIENT, default_data_dir, traces

    path = default_data_dir() / TCP_CLIENT
    if not path.exists():
        print(f"protocol: skipped, {path} not found")
        return
    target = io.read_dot(path)
    print(f"== TCP Linux client ({target.minimize().n_states} states): conformance-suite traces")
    exact, times = 0, []
    for seed in range(seeds):
        data = traces(target, np.random.default_rng(seed))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InconsistentWarning)
            result, seconds = timed(
                learn_automaton, data, max_states=30, seeds=16, seed=seed, time_limit=80,
                progress=False,
            )  # fmt: skip
        ok = result.machine.equivalent(target)
        exact += ok
        times.append(seconds)
        merging = (("rpni", rpni), ("edsm", edsm))
        merged = {name: timed(learn, data, progress=False) for name, learn in merging}
        others = ", ".join(
            f"{name} {m.n_states} states {'exact' if m.equivalent(target) else 'WRONG'} {t:.2f} s"
            for name, (m, t) in merged.items()
        )
        print(
            f"tcp client seed {seed}: neural {'exact' if ok else 'WRONG'}, "
            f"{result.machine.n_states} states, {result.steps} steps, {seconds:.1f} s; {others}"
        )
    print(f"tcp client: neural exact {exact}/{seeds}, median {statistics.median(times):.1f} s")


def part_table(seeds: int) -> None:
    print("== smallest exact sample (first N of 2000 balanced words), median over seeds")
    learners = {
        "neural": None,
        "rpni": lambda d: rpni(d, progress=False),
        "edsm": lambda d: edsm(d, progress=False),
        "aalpy-rpni": aalpy_rpni,
        "smallest": lambda d: smallest(d, progress=False).machine,
        "edsm-sat": lambda d: edsm(d, finish="sat", time_limit=20, progress=False),
    }
    rows = []
    for k in range(1, 8):
        target = zoo.tomita(k)
        found: dict[str, list[tuple[int, float]]] = {name: [] for name in learners}
        for seed in range(seeds):
            full = balanced_sample(target, 2000, seed=seed)
            for name, learn in learners.items():
                for n in GRID:
                    data = full.subset(range(n))
                    if learn is None:
                        result, seconds = timed(neural, data, target, seed)
                        machine = result.machine
                    else:
                        machine, seconds = timed(learn, data)
                    if machine is not None and machine.equivalent(target):
                        found[name].append((n, seconds))
                        break
                else:
                    found[name].append((10**9, float("nan")))
        row = [k]
        for name in learners:
            sizes = [n for n, _ in found[name]]
            size = statistics.median(sizes)
            secs = statistics.median(s for _, s in found[name])
            text = f">{GRID[-1]}" if size > GRID[-1] else f"{size:g}"
            row.append((text, secs))
            print(f"tomita {k} smallest exact sample: {name} {text} words ({secs:.3f} s)")
        n_rpni, t_rpni = row[2]
        n_aalpy, t_aalpy = row[4]
        if n_rpni == n_aalpy:
            print(
                f"rpni tomita {k} ({n_rpni} words): catauto {t_rpni:.3f} s, "
                f"AALpy {t_aalpy:.3f} s, ratio {t_aalpy / t_rpni:.1f}x"
            )
        rows.append(row)
    header = "| Tomita | " + " | ".join(f"{n} words (s)" for n in learners) + " |"
    print()
    print(header)
    print("|" + "---|" * (len(learners) + 1))
    for row in rows:
        cells = " | ".join(f"{n} ({s:.3f})" for n, s in row[1:])
        print(f"| {row[0]} | {cells} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one seed per experiment")
    parser.add_argument(
        "--part", nargs="*", default=["tomita", "machines", "gru", "protocol", "table"],
        choices=["tomita", "machines", "gru", "protocol", "table"],
    )  # fmt: skip
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if "tomita" in args.part:
        part_tomita(1 if args.quick else 3)
    if "machines" in args.part:
        part_machines(2 if args.quick else 10)
    if "gru" in args.part:
        part_gru([4] if args.quick else list(range(1, 8)))
    if "protocol" in args.part:
        part_protocol(2 if args.quick else 8)
    if "table" in args.part:
        part_table(1 if args.quick else 3)
    print(f"total {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
