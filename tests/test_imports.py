"""The import structure stays a tree of layers: no module imports the front end, no import cycle."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = {".venv", "tests", ".git", "build", "dist", ".data", "__pycache__"}


def _modules() -> dict[str, Path]:
    mods = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if any(part in SKIP or part.startswith(".") for part in rel.parts[:-1]):
            continue
        name = ".".join(rel.with_suffix("").parts)
        mods[name.removesuffix(".__init__")] = path
    return mods


def _imports(mods: dict[str, Path]) -> dict[str, set[str]]:
    """Module → project modules it imports (anywhere in the file, lazy imports included)."""

    def resolve(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    edges: dict[str, set[str]] = {}
    for mod, path in mods.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        targets: list[str] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(parts + ([base] if base else []))
                targets += [base] + [f"{base}.{a.name}" for a in node.names]
        found = {r for t in targets if (r := resolve(t)) and r != mod}
        # A package's __init__ re-exporting its own children is not a cycle; a child importing its package is.
        edges[mod] = {t for t in found if not (path.name == "__init__.py" and t.startswith(mod + "."))}
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in edges:
        if v not in index:
            visit(v)
    return cycles


def test_no_module_but_the_front_end_imports_cli():
    edges = _imports(_modules())
    assert sorted(m for m, targets in edges.items() if "cli" in targets and m != "cli") == []


def test_no_import_cycles():
    assert _cycles(_imports(_modules())) == []


def test_the_checker_finds_a_cycle_and_a_child_importing_its_package():
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]
    assert _cycles({"pkg": {"pkg.x"}, "pkg.x": {"pkg"}}) == [["pkg", "pkg.x"]]


def test_agent_knows_nothing_of_the_shop():
    """The framework stays neutral in words too: the application brings its own."""
    words = ("shop", "cart", "product", "catalog")
    # Defended: sessions.db files written before the rename still open (the old column name, read once).
    allowed = {"agent/session.py": ['if "shopper_id" in columns:', 'RENAME COLUMN shopper_id TO user_id']}
    hits = [f"{p.relative_to(ROOT)}:{i}: {line.strip()}" for p in (ROOT / "agent").rglob("*.py")
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if any(w in line.lower() for w in words)
            and not any(a in line for a in allowed.get(str(p.relative_to(ROOT)), []))]
    assert hits == []
