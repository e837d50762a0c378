"""The layout of ``src/catauto``, checked from the source with ``ast``.

- No import cycle between modules. Every import in a file counts, at module level or
  inside a function, except those under ``if TYPE_CHECKING:``; a package's
  ``__init__.py`` importing its own submodules is not an edge. ``from pkg import name``
  is an edge to ``pkg.name`` when that is a module, to the module the package
  re-exports ``name`` from when it does, else to ``pkg`` itself.
- No import inside a function body in ``catauto.automata``, except the lazy ones of JAX,
  graphviz and PySAT (the SAT solver of ``learn.smallest``).
- The layers of DESIGN.md point downwards: core -> coalgebra -> automata -> neural
  (the core is ``catauto/*.py`` but the entry points ``cli``, ``demo`` and ``testing``,
  which sit above every layer); the core, coalgebra and automata import no third-party
  package but numpy (and graphviz and PySAT, lazily, for drawing and SAT);
  ``import catauto.automata`` loads no JAX.
- Every public module (no ``_``-prefixed part in its dotted name) has ``__all__``.

Also a command: ``python tests/test_layout.py`` prints the cycles, the imports inside
functions, the layer violations and the modules without ``__all__`` it finds (or that
there are none) and exits 1 if any.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
ROOT = "catauto"
LAZY_ALLOWED = {"jax", "jaxlib", "graphviz", "pysat"}
"""Top-level packages that ``catauto.automata`` may import inside a function."""
ENTRY_POINTS = {"catauto.cli", "catauto.demo", "catauto.testing"}
"""Modules above every layer: they may import anything."""
THIRD_PARTY_BELOW_NEURAL = {"numpy"}
"""The one third-party package that core, coalgebra and automata import at module level."""


@dataclass
class Import:
    target: str  # the module imported: an internal dotted name or a top-level package
    line: int
    in_function: bool
    text: str


@dataclass
class Module:
    name: str
    path: Path
    is_package: bool
    tree: ast.Module
    imports: list[Import] = field(default_factory=list)


def _module_name(path: Path, src: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _raw_imports(tree: ast.Module) -> list[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement with whether it sits inside a function; ``if TYPE_CHECKING``
    bodies (not their ``else``) are skipped."""
    found: list[tuple[ast.Import | ast.ImportFrom, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append((node, in_function))
            return
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child, in_function)
            return
        inner = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    visit(tree, False)
    return found


def load(src: Path = SRC) -> dict[str, Module]:
    """Every module of ``src/catauto`` with its imports resolved to module names."""
    modules: dict[str, Module] = {}
    sources: dict[str, str] = {}
    for path in sorted((src / ROOT).rglob("*.py")):
        name, is_package = _module_name(path, src)
        source = path.read_text(encoding="utf-8")  # read once: the lines below match the tree
        modules[name] = Module(name, path, is_package, ast.parse(source, str(path)))
        sources[name] = source
    reexports = {name: _reexports(m, modules) for name, m in modules.items() if m.is_package}
    for m in modules.values():
        for node, in_function in _raw_imports(m.tree):
            for target in _targets(m, node, modules, reexports):
                text = ast.get_source_segment(sources[m.name], node) or ""
                m.imports.append(Import(target, node.lineno, in_function, text.split("\n")[0]))
    return modules


def _base(m: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = m.name if m.is_package else m.name.rpartition(".")[0]
    parts = package.split(".")
    parts = parts[: len(parts) - node.level + 1]
    return ".".join(parts + ([node.module] if node.module else []))


def _reexports(pkg: Module, modules: dict[str, Module]) -> dict[str, str]:
    """Names a package's ``__init__`` imports from its own submodules -> that submodule."""
    names: dict[str, str] = {}
    for node, _ in _raw_imports(pkg.tree):
        if isinstance(node, ast.ImportFrom):
            base = _base(pkg, node)
            if base.startswith(pkg.name + ".") and base in modules:
                for alias in node.names:
                    names[alias.asname or alias.name] = base
    return names


def _targets(
    m: Module, node: ast.Import | ast.ImportFrom, modules: dict, reexports: dict
) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = _base(m, node)
    if base.split(".")[0] != ROOT:
        return [base]
    targets = []
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        if sub in modules:
            targets.append(sub)
        elif alias.name in reexports.get(base, {}):
            targets.append(_resolve(reexports, base, alias.name))
        else:
            targets.append(base)
    return targets


def _resolve(reexports: dict, package: str, name: str) -> str:
    """Follow re-exports down nested packages (``a`` re-exports from ``a.b``, itself a
    package re-exporting from ``a.b.c``)."""
    seen = set()
    while name in reexports.get(package, {}) and package not in seen:
        seen.add(package)
        package = reexports[package][name]
    return package


def _internal(target: str, modules: dict) -> str | None:
    """The module an import of ``target`` names (``catauto.x.y`` may be ``catauto.x``'s
    attribute ``y``: then the longest prefix that is a module)."""
    while target:
        if target in modules:
            return target
        target = target.rpartition(".")[0]
    return None


def graph(modules: dict[str, Module]) -> dict[str, set[str]]:
    """Module -> the internal modules it imports (a package's own submodules left out)."""
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for m in modules.values():
        for imp in m.imports:
            if imp.target.split(".")[0] != ROOT:
                continue
            target = _internal(imp.target, modules)
            if target is None or target == m.name:
                continue
            if m.is_package and target.startswith(m.name + "."):
                continue
            edges[m.name].add(target)
    return edges


def components(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def strong(v: str) -> None:  # recursion depth <= number of modules (~100)
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            strong(v)
    return sorted(components)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One shortest cycle (``a -> b -> ... -> a``) through the first module of every
    strongly connected component."""
    found = []
    for component in components(edges):
        members = set(component)
        start = component[0]
        parent: dict[str, str] = {}
        frontier = [start]
        while frontier and start not in parent:
            nxt = []
            for v in frontier:
                for w in sorted(edges[v] & members):
                    if w not in parent:
                        parent[w] = v
                        nxt.append(w)
            frontier = nxt
        path = [start]
        v = parent[start]
        while v != start:
            path.append(v)
            v = parent[v]
        found.append([start, *reversed(path[1:]), start])
    return found


def function_imports(modules: dict[str, Module], package: str = "catauto.automata") -> list[str]:
    """Imports inside a function body in ``package``, but the lazy JAX/graphviz ones."""
    bad = []
    for m in modules.values():
        if m.name != package and not m.name.startswith(package + "."):
            continue
        for imp in m.imports:
            if imp.in_function and imp.target.split(".")[0] not in LAZY_ALLOWED:
                bad.append(f"{m.path.relative_to(SRC.parent)}:{imp.line}: {imp.text.strip()}")
    return sorted(set(bad))


def layer(name: str) -> int | None:
    """0 core, 1 coalgebra, 2 automata, 3 neural; None for the entry points."""
    if name in ENTRY_POINTS:
        return None
    for depth, prefix in ((1, "catauto.coalgebra"), (2, "catauto.automata"), (3, "catauto.neural")):
        if name == prefix or name.startswith(prefix + "."):
            return depth
    return 0


LAYER_NAMES = ("core", "coalgebra", "automata", "neural")


def layer_violations(modules: dict[str, Module]) -> list[str]:
    """Imports that point up a layer, and third-party imports below ``neural`` other
    than numpy (graphviz and JAX inside functions aside)."""
    bad = []
    stdlib = set(sys.stdlib_module_names)
    for m in modules.values():
        here = layer(m.name)
        if here is None:
            continue
        where = f"{m.path.relative_to(SRC.parent)}"
        for imp in m.imports:
            top = imp.target.split(".")[0]
            if top == ROOT:
                target = _internal(imp.target, modules)
                there = layer(target) if target else None
                if there is None and target in ENTRY_POINTS:
                    bad.append(f"{where}:{imp.line}: {LAYER_NAMES[here]} imports {target}")
                elif there is not None and there > here:
                    bad.append(
                        f"{where}:{imp.line}: {LAYER_NAMES[here]} imports {LAYER_NAMES[there]}"
                        f" ({imp.text.strip()})"
                    )
            elif here < 3 and top not in stdlib and top != "__future__":
                if top in THIRD_PARTY_BELOW_NEURAL:
                    continue
                if imp.in_function and top in LAZY_ALLOWED:
                    continue
                bad.append(f"{where}:{imp.line}: {LAYER_NAMES[here]} imports {top}")
    return sorted(bad)


def jax_loaded_by(module: str) -> list[str]:
    """The JAX modules in ``sys.modules`` after a fresh ``import module``."""
    code = (
        f"import sys, {module}; "
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('jax', 'jaxlib'))))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    return run.stdout.split()


# -- the tests -------------------------------------------------------------------------

MODULES = load()


def test_the_checker_sees_the_package() -> None:
    assert "catauto.automata.machine" in MODULES and "catauto.coalgebra.partition" in MODULES
    edges = graph(MODULES)
    assert "catauto.errors" in edges["catauto.automata.machine"]
    assert not any(t.startswith("catauto.automata.") for t in edges["catauto.automata"])


def test_the_checker_finds_a_cycle_and_skips_type_checking(tmp_path: Path) -> None:
    pkg = tmp_path / ROOT
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from catauto.a import A\n")
    (pkg / "a.py").write_text("def f():\n    from catauto import sub\n")
    (pkg / "sub" / "__init__.py").write_text("from catauto.sub.b import B\n")
    (pkg / "sub" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from catauto.c import C\n"
        "from catauto import A\n"
    )
    (pkg / "c.py").write_text("from catauto.sub import B\n")
    modules = load(tmp_path)
    edges = graph(modules)
    assert edges["catauto.sub"] == set()  # its own submodule
    assert edges["catauto.sub.b"] == {"catauto.a"}  # A re-exported from catauto.a
    assert edges["catauto.c"] == {"catauto.sub.b"}
    assert cycles(edges) == []  # a -> sub, a package with no edges of its own
    (pkg / "a.py").write_text("def f():\n    from catauto.sub import B\n")
    edges = graph(load(tmp_path))
    assert cycles(edges) == [["catauto.a", "catauto.sub.b", "catauto.a"]]  # ...but through B


def test_no_import_cycle() -> None:
    found = cycles(graph(MODULES))
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(c) for c in found)


def test_no_import_inside_functions_in_automata() -> None:
    found = function_imports(MODULES)
    assert not found, "imports inside functions:\n" + "\n".join(found)


def test_layers_point_downwards() -> None:
    found = layer_violations(MODULES)
    assert not found, "layer violations:\n" + "\n".join(found)


def public_modules(modules: dict[str, Module]) -> list[str]:
    """Modules whose dotted name has no ``_``-prefixed part."""
    return sorted(n for n in modules if not any(p.startswith("_") for p in n.split(".")))


def missing_all(modules: dict[str, Module]) -> list[str]:
    """Public modules without a literal ``__all__``."""
    bad = []
    for name in public_modules(modules):
        tree = modules[name].tree
        targets = [
            t.id
            for node in tree.body
            if isinstance(node, ast.Assign | ast.AnnAssign)
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(t, ast.Name)
        ]
        if "__all__" not in targets:
            bad.append(name)
    return bad


def test_every_public_module_has_all() -> None:
    assert missing_all(MODULES) == []


def test_import_automata_loads_no_jax() -> None:
    assert jax_loaded_by("catauto.automata") == []


def main() -> int:
    modules = load()
    edges = graph(modules)
    found = cycles(edges)
    print(f"{len(modules)} modules, {sum(map(len, edges.values()))} import edges")
    print("cycles:" if found else "no cycle")
    for c in found:
        print("  " + " -> ".join(c))
    for component in components(edges):
        print("  modules on a cycle together: " + ", ".join(component))
    inside = function_imports(modules)
    print(
        "imports inside functions in catauto.automata:"
        if inside
        else "no import inside a function in catauto.automata (but JAX/graphviz)"
    )
    for line in inside:
        print("  " + line)
    layers = layer_violations(modules)
    print("layer violations:" if layers else "layers point downwards")
    for line in layers:
        print("  " + line)
    no_all = missing_all(modules)
    print(
        "public modules without __all__: " + ", ".join(no_all)
        if no_all
        else "every public module has __all__"
    )
    jax = jax_loaded_by("catauto.automata")
    print(
        f"import catauto.automata loads JAX: {' '.join(jax)}"
        if jax
        else "import catauto.automata loads no JAX"
    )
    return 1 if found or inside or layers or no_all or jax else 0


if __name__ == "__main__":
    sys.exit(main())
