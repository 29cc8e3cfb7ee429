"""The sandbox's modules import each other one way: no import cycle, counting imports inside
functions and under ``TYPE_CHECKING`` too (a lazy import hides a cycle, it does not remove it),
and no module over 600 lines.

Run as a script to print the import graph: ``python -m tests.sandbox.test_layers``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import sandbox

PACKAGE = Path(sandbox.__file__).parent
MAX_LINES = 600


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def sandbox_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every sandbox module ``name`` imports, wherever the import statement stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        for target in targets:
            # "import sandbox.a.b" also imports sandbox.a; take the deepest sandbox module
            module = target
            while module and module not in known:
                module = module.rpartition(".")[0]
            if module and module not in (name, "sandbox"):
                found.add(module)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = sandbox_modules()
    known = set(modules)
    return {name: imports_of(name, path, known) for name, path in modules.items()}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_the_cycle_finder_sees_a_cycle_through_three_modules() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycles(graph) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_function_local_and_type_checking_imports_count(tmp_path: Path) -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from sandbox.state import DiscordState\n"
        "def later():\n    from sandbox import members\n    import sandbox.http\n"
    )
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    known = {"sandbox.state", "sandbox.members", "sandbox.http", "sandbox.probe"}
    assert imports_of("sandbox.probe", path, known) == {
        "sandbox.state",
        "sandbox.members",
        "sandbox.http",
    }


def test_no_import_cycle_in_the_sandbox() -> None:
    graph = import_graph()
    assert "sandbox.state" in graph and graph["sandbox.emulator"]  # the walk found the package
    assert find_cycles(graph) == []


def test_the_state_is_the_lowest_layer() -> None:
    graph = import_graph()
    assert graph["sandbox.state"] <= {"sandbox.models", "sandbox.calls"}
    above_state = {"sandbox.emulator", "sandbox.rest", "sandbox.members", "sandbox.harness"}
    importers_of_emulator = {m for m, deps in graph.items() if "sandbox.emulator" in deps}
    routes = {"sandbox.rest", "sandbox.rest_channels", "sandbox.rest_interactions"}
    low = routes | {"sandbox.gateway", "sandbox.transcript", "sandbox.members", "sandbox.http"}
    assert not importers_of_emulator & low, "routes, gateway and members see only the state"
    assert above_state - set(graph) == set()


def test_no_sandbox_module_over_600_lines() -> None:
    sizes = {
        name: len(path.read_text(encoding="utf-8").splitlines())
        for name, path in sandbox_modules().items()
    }
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


if __name__ == "__main__":
    graph = import_graph()
    for name in sorted(graph):
        print(f"{name:28} -> {', '.join(sorted(graph[name])) or '-'}")
    print("cycles:", find_cycles(graph) or "none")
