"""Sampled mutation testing of catauto with cosmic-ray (``make mutate``; slow, never in CI).

What it does, in order:

1. Copies the working tree (the files git tracks plus the untracked ones it does not
   ignore) into a temporary folder, so that no mutant is ever written into the checkout;
   ``../shared`` is linked next to the copy when it exists, so the tests that read it run.
   The copy is deleted at the end (``--keep`` keeps it). The tests import the copy's
   ``src`` (``PYTHONPATH``), never the editable install.
2. Lists every cosmic-ray mutant of each package's modules (``cosmic_ray.commands.init``
   into ``out/mutate/<package>.sqlite``), drops the mutants inside type annotations (the
   modules use ``from __future__ import annotations``: those are never evaluated, so they
   are equivalent by construction) and the ``==``/``is`` swaps (equivalent on small ints
   and ``None``; ``--all-operators`` keeps them), and draws a fixed random sample of
   ``--mutants`` per package from ``--seed``. The sample is a random order, so a run cut
   short by the budget still holds a random sample; packages take turns, one mutant each.
3. Runs the tests each mutant's package needs once on the clean copy (``--junitxml``),
   to time each test file and to find tests that already fail; those are deselected (and
   listed in the report), since they would "kill" every mutant.
4. Runs each mutant: cosmic-ray applies it to the copy's file, pytest runs the selected
   tests (``-x``, fastest files first, the package's doctests first; a fixed
   ``--hypothesis-seed`` and an empty example database, so a verdict is reproducible),
   and the file is restored. A mutant gets ``--timeout-factor`` times its tests' clean
   time plus ``--timeout-slack`` seconds; the whole run stops after ``--minutes``.
5. Writes ``out/mutate/report.md`` (kill rate per package, killed / (killed +
   survived), timeouts apart, and every survivor: file, line and the change) and
   ``out/mutate/results.jsonl`` (one line a mutant), and prints the report. The session
   databases take the results too, so ``cr-report out/mutate/core.sqlite`` works.

Which tests a mutant runs: the test files of its package (``PACKAGES``: name globs,
matched anywhere under ``tests/``, so moving a test file into a subfolder keeps it; a test
file that no package's globs name goes to each package it imports a module of), plus
every test file that imports the mutated module itself (found by reading the imports of
``tests/``, through helper modules such as ``strategies_*.py``), so a module moved to a
new package path keeps its tests (not for ``__init__.py``: every test imports names
from the packages). ``--list`` prints the mapping and the mutant counts
without running anything.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import fnmatch
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# package -> (source globs relative to the root, test-file name globs under tests/)
PACKAGES: dict[str, tuple[list[str], list[str]]] = {
    "core": (
        ["src/catauto/*.py"],
        [
            "test_functor*.py",
            "test_algebra*.py",
            "test_para*.py",
            "test_monad*.py",
            "test_errors*.py",
            "test_files*.py",
            "test_testing*.py",
            "test_cli*.py",
            "test_demo*.py",
            "test_readme*.py",
        ],
    ),
    "coalgebra": (
        ["src/catauto/coalgebra/**/*.py"],
        [
            "test_coalgebra*.py",
            "test_refine*.py",
            "test_partition*.py",
            "test_bisim*.py",
            "test_stream*.py",
            "test_ops*.py",  # minimisation is the coalgebra quotient
        ],
    ),
    "automata": (
        ["src/catauto/automata/**/*.py"],
        [
            "test_machine*.py",
            "test_ops*.py",
            "test_zoo*.py",
            "test_dot*.py",
            "test_jsonio*.py",
            "test_io*.py",
            "test_format*.py",
            "test_draw*.py",
            "test_sample*.py",
            "test_trace*.py",
            "test_passive*.py",
            "test_active*.py",
            "test_learn*.py",
            "test_oracle*.py",
            "test_teacher*.py",
            "test_lstar*.py",
            "test_kv*.py",
            "test_lsharp*.py",
            "test_cli*.py",
        ],
    ),
    "neural": (["src/catauto/neural/**/*.py"], ["test_neural*.py"]),
}

EXCLUDE_OPERATORS = ("core/VariableReplacer", "core/VariableInserter")  # need arguments
# == <-> is, != <-> is not: on small ints, None and interned strings CPython makes these
# equivalent, so most such mutants would only be judged "equivalent" by hand; dropped
# unless --all-operators
IDENTITY_SWAPS = tuple(
    f"core/ReplaceComparisonOperator_{a}_{b}"
    for a, b in (("Eq", "Is"), ("Is", "Eq"), ("NotEq", "IsNot"), ("IsNot", "NotEq"))
)

PLUGIN = '''"""Loaded by tools/mutate.py into each pytest run (-p): the name that cosmic-ray's
ExceptionReplacer writes into an except clause must exist, so that the handler is
disabled rather than turned into a NameError."""
import builtins


class CosmicRayTestingException(Exception):
    pass


builtins.CosmicRayTestingException = CosmicRayTestingException
'''


# -- the copy ---------------------------------------------------------------------------


def copy_tree(source: Path, dest: Path) -> None:
    """The files git tracks plus the untracked ones it does not ignore (or, outside git,
    everything but the usual caches) from ``source`` into ``dest``."""
    try:
        listing = subprocess.run(
            ["git", "-C", str(source), "ls-files", "-z", "--cached", "--others"]
            + ["--exclude-standard"],
            check=True,
            capture_output=True,
        ).stdout.decode()
        names = sorted({n for n in listing.split("\0") if n})
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", ".venv", "out", "__pycache__", ".hypothesis", ".pytest_cache"}
        names = [
            str(p.relative_to(source))
            for p in source.rglob("*")
            if p.is_file() and not skip & set(p.relative_to(source).parts)
        ]
    for name in names:
        src = source / name
        if not src.is_file():  # deleted in the working tree, or a submodule
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)


# -- which tests cover what -------------------------------------------------------------


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root / "src").with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(path: Path) -> set[str]:
    """Dotted names a file imports: ``from a.b import c`` gives ``a.b`` and ``a.b.c``."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (SyntaxError, UnicodeDecodeError):
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                names.update(".".join(parts[: i + 1]) for i in range(len(parts)))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_imports(root: Path) -> dict[Path, set[str]]:
    """Per test file, the dotted names it imports, through the helper modules of tests/."""
    files = sorted((root / "tests").rglob("*.py"))
    direct = {p: imported_names(p) for p in files}
    helpers = {p.stem: p for p in files if not p.name.startswith("test_")}
    result = {}
    for path in files:
        if not path.name.startswith("test_"):
            continue
        seen, todo, names = {path}, [path], set()
        while todo:
            here = todo.pop()
            names |= direct[here]
            for stem, helper in helpers.items():
                if stem in direct[here] and helper not in seen:
                    seen.add(helper)
                    todo.append(helper)
        result[path] = names
    return result


@dataclass
class Package:
    name: str
    sources: list[Path]
    globbed: list[Path]  # test files named by the package's globs
    importers: dict[Path, list[Path]] = field(default_factory=dict)  # module -> extra tests

    def tests_for(self, module: Path) -> list[Path]:
        return sorted(set(self.globbed) | set(self.importers.get(module, [])))

    def doctest_args(self, root: Path) -> list[str]:
        return [str(p.relative_to(root)) for p in self.sources]


def packages(root: Path, names: list[str]) -> list[Package]:
    """The packages ``names``, each with its modules and the tests that cover it."""
    imports = test_imports(root)
    tests = sorted(imports)
    matched = {
        name: [t for t in tests if any(fnmatch.fnmatch(t.name, g) for g in test_globs)]
        for name, (_, test_globs) in PACKAGES.items()
    }
    claimed = {t for ts in matched.values() for t in ts}
    result = []
    for name in names:
        if name not in PACKAGES:
            raise SystemExit(f"unknown package {name!r}; known: {', '.join(PACKAGES)}")
        sources = sorted({p for g in PACKAGES[name][0] for p in root.glob(g) if p.is_file()})
        dotted = {p: module_name(root, p) for p in sources}
        own = {d for d in dotted.values() if d != "catauto"}  # every test imports catauto
        # a test file no package names is the package's if it imports one of its modules
        orphans = [t for t in tests if t not in claimed and imports[t] & own]
        pkg = Package(name, sources, sorted(matched[name] + orphans))
        for module in sources:
            if module.name == "__init__.py":  # `from catauto.x import Y` is not a test of it
                continue
            extra = [t for t in tests if dotted[module] in imports[t] and t not in pkg.globbed]
            if extra:
                pkg.importers[module] = extra
        result.append(pkg)
    return result


def unclaimed(root: Path, pkgs: list[Package]) -> list[Path]:
    """Test files that no package runs (worth a look when tests move)."""
    used = {t for p in pkgs for t in p.globbed} | {
        t for p in pkgs for ts in p.importers.values() for t in ts
    }
    return [t for t in sorted(test_imports(root)) if t not in used]


# -- mutants ----------------------------------------------------------------------------


def in_annotation(leaf) -> bool:
    """Whether a parso leaf lies in a parameter, return or variable annotation."""
    from parso.python.tree import Function

    node = leaf
    while node.parent is not None:
        parent = node.parent
        if parent.type == "tfpdef" and node is parent.children[-1]:  # name: annotation
            return True
        if isinstance(parent, Function) and node is parent.annotation:  # -> annotation
            return True
        if parent.type == "annassign" and node is parent.children[1]:  # x: annotation = v
            return True
        node = parent
    return False


def list_mutants(
    pkg: Package, db_path: Path, root: Path, skip: tuple[str, ...] = ()
) -> tuple[list, int]:
    """All work items of the package (session written to ``db_path``), in a stable order,
    without the mutants in annotations and those of the operators ``skip`` (returned as a
    count)."""
    import cosmic_ray.plugins
    from cosmic_ray.ast import get_ast_from_path
    from cosmic_ray.commands import init
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    operators = {n: [] for n in cosmic_ray.plugins.operator_names() if n in EXCLUDE_OPERATORS}
    db_path.unlink(missing_ok=True)
    with use_db(str(db_path), WorkDB.Mode.create) as db:
        init([p.relative_to(root) for p in pkg.sources], db, operators)
        items = sorted(
            db.work_items,
            key=lambda w: (str(w.mutations[0].module_path), w.mutations[0].operator_name,
                           w.mutations[0].occurrence),
        )  # fmt: skip
        trees, kept, dropped = {}, [], []
        for item in items:
            spec = item.mutations[0]
            if spec.module_path not in trees:
                trees[spec.module_path] = get_ast_from_path(root / spec.module_path)
            try:
                leaf = trees[spec.module_path].get_leaf_for_position(tuple(spec.start_pos))
            except ValueError:  # a position parso does not resolve to a leaf
                leaf = None
            drop = spec.operator_name in skip or (leaf is not None and in_annotation(leaf))
            (dropped if drop else kept).append(item)
        if dropped:
            db.set_multiple_results(
                [w.job_id for w in dropped],
                WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output="not mutated"),
            )
    return kept, len(dropped)


def mark_skipped(db_path: Path, job_ids: list[str], why: str) -> None:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    if job_ids:
        with use_db(str(db_path), WorkDB.Mode.open) as db:
            db.set_multiple_results(
                job_ids, WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output=why)
            )


# -- running pytest ---------------------------------------------------------------------


class Budget(Exception):
    """The run's minutes are spent."""


def run_pytest(args: list[str], cwd: Path, env: dict, timeout: float) -> tuple[int | None, str]:
    """Exit code (None on timeout) and the output's tail; kills the whole process group."""
    storage = Path(env["HYPOTHESIS_STORAGE_DIRECTORY"])
    shutil.rmtree(storage, ignore_errors=True)  # no examples carried between runs
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out.decode(errors="replace")[-4000:]
    except subprocess.TimeoutExpired:
        return None, "timeout"
    finally:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                proc.kill()
            proc.communicate()


def junit_times(path: Path, root: Path) -> tuple[dict[str, float], list[str]]:
    """Seconds per test file (or doctest module) and the node ids that failed."""
    times: dict[str, float] = {}
    failed = []
    for case in ET.parse(path).iter("testcase"):
        parts = (case.get("classname") or "").split(".")
        for cut in range(len(parts), 0, -1):  # the longest prefix that is a file
            file = "/".join(parts[:cut]) + ".py"
            if (root / file).is_file():
                break
        else:
            cut, file = len(parts), "/".join(parts) + ".py"
        times[file] = times.get(file, 0.0) + float(case.get("time") or 0)
        if case.find("failure") is not None or case.find("error") is not None:
            failed.append("::".join([file, *parts[cut:], case.get("name") or ""]))
    return times, failed


# -- the report -------------------------------------------------------------------------


def changed_line(diff: str) -> tuple[str, str]:
    old = [ln[1:].strip() for ln in diff.splitlines() if ln.startswith("-") and ln[1:3] != "--"]
    new = [ln[1:].strip() for ln in diff.splitlines() if ln.startswith("+") and ln[1:3] != "++"]
    return " / ".join(old), " / ".join(new)


def describe(source: Path) -> str:
    """The source tree's commit, and whether it has uncommitted changes."""
    try:
        git = ["git", "-C", str(source)]
        head = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
        ).stdout.strip()
        return f"{source} at {head}" + (" with uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return str(source)


def summarise(
    results: list[dict], plan: dict[str, dict], elapsed: float, stopped: str, settings: str
) -> str:
    lines = ["# Mutation testing (cosmic-ray, sampled)", "", settings, ""]
    lines.append(
        f"{time.strftime('%Y-%m-%d %H:%M')}, {elapsed / 60:.1f} min; {stopped}. "
        "Kill rate = killed / (killed + survived); timeouts and incompetent mutants apart."
    )
    lines += [
        "",
        "| package | mutants (all / sampled / run) | killed | survived | timeout | "
        "incompetent | kill rate | clean tests (s) | mutant runs (min) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, info in plan.items():
        mine = [r for r in results if r["package"] == name]
        count = {k: sum(r["outcome"] == k for r in mine) for k in ("killed", "survived")}
        count["timeout"] = sum(r["outcome"] == "timeout" for r in mine)
        count["incompetent"] = sum(r["outcome"] == "incompetent" for r in mine)
        judged = count["killed"] + count["survived"]
        rate = f"{100 * count['killed'] / judged:.1f} %" if judged else "-"
        lines.append(
            f"| {name} | {info['total']} / {info['sampled']} / {len(mine)} | {count['killed']} "
            f"| {count['survived']} | {count['timeout']} | {count['incompetent']} | {rate} "
            f"| {info.get('clean_s', 0):.0f} | {sum(r['seconds'] for r in mine) / 60:.1f} |"
        )
    for name, info in plan.items():
        if info.get("deselected"):
            lines += ["", f"Tests failing on the clean copy, deselected for {name}:"]
            lines += [f"- `{t}`" for t in info["deselected"]]
    survivors = [r for r in results if r["outcome"] in ("survived", "timeout")]
    lines += ["", f"## Survivors and timeouts ({len(survivors)})", ""]
    for r in sorted(survivors, key=lambda r: (r["package"], r["file"], r["line"])):
        tag = "" if r["outcome"] == "survived" else " (timeout)"
        lines.append(
            f"- {r['package']}: `{r['file']}:{r['line']}` in `{r['definition']}`: "
            f"{r['operator']}{tag}: `{r['old']}` -> `{r['new']}`"
        )
    return "\n".join(lines) + "\n"


def cosmic_ray_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cosmic-ray")
    except PackageNotFoundError:
        return "?"


# -- main -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--packages", nargs="+", default=list(PACKAGES), choices=list(PACKAGES))
    parser.add_argument("--mutants", type=int, default=300, help="sample size per package")
    parser.add_argument("--seed", type=int, default=0, help="sample and hypothesis seed")
    parser.add_argument("--minutes", type=float, default=600, help="budget of the whole run")
    parser.add_argument("--timeout-factor", type=float, default=3.0)
    parser.add_argument("--timeout-slack", type=float, default=30.0, help="seconds")
    parser.add_argument("--source", type=Path, default=ROOT, help="tree to copy and mutate")
    parser.add_argument("--shared", type=Path, help="the data folder (default source/../shared)")
    parser.add_argument("--out", type=Path, help="report folder (default source/out/mutate)")
    parser.add_argument(
        "--all-operators", action="store_true", help="keep the ==/is and !=/is not swaps"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy")
    parser.add_argument("--list", action="store_true", help="print the plan, run nothing")
    args = parser.parse_args(argv)

    here = Path.cwd()
    start = time.monotonic()
    deadline = start + args.minutes * 60
    source = args.source.resolve()
    out = (args.out or source / "out" / "mutate").resolve()
    out.mkdir(parents=True, exist_ok=True)
    shared = (args.shared or source.parent / "shared").resolve()
    work = Path(tempfile.mkdtemp(prefix="catauto-mutate-"))
    root = work / source.name
    results: list[dict] = []
    plan: dict[str, dict] = {}
    stopped = "all sampled mutants run"

    def on_signal(signum, frame):  # restore the file and delete the copy on the way out
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        copy_tree(source, root)
        if shared.is_dir():
            (work / "shared").symlink_to(shared, target_is_directory=True)
        plugin_dir = work / "plugin"
        plugin_dir.mkdir()
        (plugin_dir / "catauto_mutate_plugin.py").write_text(PLUGIN, encoding="utf-8")
        env = dict(os.environ)
        env.update(
            PYTHONPATH=os.pathsep.join([str(root / "src"), str(plugin_dir)]),
            PYTHONDONTWRITEBYTECODE="1",
            HYPOTHESIS_STORAGE_DIRECTORY=str(work / "hypothesis"),
            JAX_PLATFORMS=env.get("JAX_PLATFORMS", "cpu"),
        )
        # XLA's persistent cache, filled by the clean run: a mutant that leaves a traced
        # function alone reuses its compiled code (the neural tests run ~2.5x faster); one
        # that changes it changes the HLO, the key, and compiles afresh
        env.setdefault("JAX_COMPILATION_CACHE_DIR", str(work / "jax-cache"))
        env.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")
        env.setdefault("JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES", "-1")
        probe = subprocess.run(
            [sys.executable, "-c", "import catauto; print(catauto.__file__)"],
            cwd=root, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        if not Path(probe.stdout.strip()).resolve().is_relative_to(root):
            raise SystemExit(f"the tests would import {probe.stdout.strip()}, not the copy")

        os.chdir(root)  # cosmic-ray keeps module paths relative: src/catauto/...
        pkgs = packages(root, args.packages)
        queues: dict[str, list] = {}
        for pkg in pkgs:
            skip = () if args.all_operators else IDENTITY_SWAPS
            items, dropped = list_mutants(pkg, out / f"{pkg.name}.sqlite", root, skip)
            rng = random.Random(f"{args.seed}/{pkg.name}")
            sample = rng.sample(items, min(args.mutants, len(items)))
            chosen = {w.job_id for w in sample}
            mark_skipped(
                out / f"{pkg.name}.sqlite",
                [w.job_id for w in items if w.job_id not in chosen],
                "not in the sample",
            )
            queues[pkg.name] = sample
            plan[pkg.name] = {"total": len(items), "annotation": dropped, "sampled": len(sample)}
            print(
                f"{pkg.name}: {len(pkg.sources)} modules, {len(items)} mutants "
                f"({dropped} dropped: annotations, identity swaps), sample {len(sample)}; tests: "
                + ", ".join(t.name for t in pkg.globbed),
                flush=True,
            )
            for module, extra in pkg.importers.items():
                print(
                    f"  {module.relative_to(root)} also: " + ", ".join(t.name for t in extra),
                    flush=True,
                )
        if set(args.packages) == set(PACKAGES):
            for test in unclaimed(root, pkgs):
                print(f"no package runs {test.relative_to(root)}", flush=True)
        if args.list:
            return 0

        base = ["-q", "-p", "no:cacheprovider", "-p", "catauto_mutate_plugin", "--no-header"]
        base += [f"--hypothesis-seed={args.seed}", "--doctest-modules"]
        # one clean run over everything any sampled mutant will run, to time each file
        by_pkg = {p.name: p for p in pkgs}
        needed: set[str] = set()
        for pkg in pkgs:
            needed.update(pkg.doctest_args(root))
            for item in queues[pkg.name]:
                module = root / item.mutations[0].module_path
                needed.update(str(t.relative_to(root)) for t in pkg.tests_for(module))
        print(f"clean run of {len(needed)} files ...", flush=True)
        t0 = time.monotonic()
        junit = work / "clean.xml"
        code, tail = run_pytest(
            [*base, f"--junitxml={junit}", *sorted(needed)], root, env,
            max(1.0, deadline - time.monotonic()),
        )  # fmt: skip
        clean_wall = time.monotonic() - t0
        if code is None:
            raise Budget
        if code not in (0, 1) or not junit.exists():
            print(tail)
            raise SystemExit(f"the clean run failed to run (exit {code})")
        times, failed = junit_times(junit, root)
        overhead = max(0.0, clean_wall - sum(times.values()))
        print(f"clean run: {clean_wall:.0f} s, {len(failed)} failing", flush=True)
        deselect = [a for t in failed for a in ("--deselect", t)]
        for name in plan:
            prefixes = set(by_pkg[name].doctest_args(root))
            for item in queues[name]:
                module = root / item.mutations[0].module_path
                prefixes.update(str(t.relative_to(root)) for t in by_pkg[name].tests_for(module))
            plan[name]["deselected"] = sorted(t for t in failed if t.split("::")[0] in prefixes)
            plan[name]["clean_s"] = sum(times.get(p, 0.0) for p in prefixes)

        from cosmic_ray.mutating import use_mutation
        from cosmic_ray.plugins import get_operator
        from cosmic_ray.work_db import WorkDB, use_db
        from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkResult

        order = [
            (name, q[i])
            for i in range(max((len(q) for q in queues.values()), default=0))
            for name, q in queues.items()
            if i < len(q)
        ]
        log = (out / "results.jsonl").open("w", encoding="utf-8")
        for n, (name, item) in enumerate(order, 1):
            pkg = by_pkg[name]
            spec = item.mutations[0]
            module = (root / spec.module_path).resolve()
            if not module.is_relative_to(root):  # never write outside the copy
                raise SystemExit(f"refusing to mutate {module}")
            tests = sorted(
                (str(t.relative_to(root)) for t in pkg.tests_for(module)),
                key=lambda f: times.get(f, 0.0),
            )
            files = pkg.doctest_args(root) + tests
            estimate = sum(times.get(f, 0.0) for f in files) + overhead
            timeout = args.timeout_factor * estimate + args.timeout_slack
            left = deadline - time.monotonic()
            if left < min(timeout, estimate + args.timeout_slack):
                stopped = f"budget of {args.minutes:g} min spent after {n - 1} mutants"
                break
            operator = get_operator(spec.operator_name)(**(spec.operator_args or {}))
            t0 = time.monotonic()
            with use_mutation(module, operator, spec.occurrence) as (original, mutated):
                if mutated is None:
                    code, tail = -1, "no mutation"
                else:
                    code, tail = run_pytest(
                        [*base, "-x", "--tb=line", *deselect, *files], root, env,
                        min(timeout, left),
                    )  # fmt: skip
            seconds = time.monotonic() - t0
            if code is None and timeout > left:
                stopped = f"budget of {args.minutes:g} min spent during mutant {n}"
                break
            outcome = {None: "timeout", 0: "survived", 1: "killed", 2: "killed"}.get(
                code, "incompetent"
            )
            diff = "\n".join(
                difflib.unified_diff(
                    original.split("\n"), (mutated or original).split("\n"),
                    f"a/{spec.module_path}", f"b/{spec.module_path}", lineterm="",
                )
            )  # fmt: skip
            old, new = changed_line(diff)
            record = {
                "package": name,
                "file": str(spec.module_path),
                "line": spec.start_pos[0],
                "col": spec.start_pos[1],
                "definition": spec.definition_name,
                "operator": spec.operator_name,
                "occurrence": spec.occurrence,
                "outcome": outcome,
                "exit": code,
                "seconds": round(seconds, 1),
                "timeout": round(timeout),
                "old": old,
                "new": new,
                "tests": len(files),
            }
            results.append(record)
            log.write(json.dumps(record) + "\n")
            log.flush()
            with use_db(str(out / f"{name}.sqlite"), WorkDB.Mode.open) as db:
                test_outcome = {
                    "survived": TestOutcome.SURVIVED,
                    "incompetent": TestOutcome.INCOMPETENT,
                }.get(outcome, TestOutcome.KILLED)
                db.set_result(
                    item.job_id,
                    WorkResult(
                        worker_outcome=WorkerOutcome.NORMAL,
                        test_outcome=test_outcome,
                        output=tail,
                        diff=diff,
                    ),
                )
            print(
                f"[{n}/{len(order)} {(time.monotonic() - start) / 60:.0f}m] {outcome:11s} "
                f"{spec.module_path}:{spec.start_pos[0]} {spec.operator_name} "
                f"({seconds:.0f} s): {old} -> {new}",
                flush=True,
            )
        log.close()
    except Budget:
        stopped = f"budget of {args.minutes:g} min spent in the clean run"
    except KeyboardInterrupt:
        stopped = "interrupted"
    finally:
        os.chdir(here)
        if args.keep:
            print(f"kept the copy in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if plan and not args.list:
        settings = (
            f"Source: {describe(source)}; seed {args.seed}, {args.mutants} mutants a package, "
            f"budget {args.minutes:g} min, timeout {args.timeout_factor:g} x clean time "
            f"+ {args.timeout_slack:g} s; cosmic-ray {cosmic_ray_version()}."
        )
        report = summarise(results, plan, time.monotonic() - start, stopped, settings)
        (out / "report.md").write_text(report, encoding="utf-8")
        print(report)
        print(f"report: {out / 'report.md'}; per mutant: {out / 'results.jsonl'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
