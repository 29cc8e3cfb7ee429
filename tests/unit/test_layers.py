"""The import layers, read from the source (ast), function-local imports included:

app (composition root) → cogs (Discord) → bot services → bot/storage (SQL)

- discord is imported only in app/, cogs/ and sandbox/;
- bot/ imports none of app/, cogs/, sandbox/; cogs/ and sandbox/ never import app/;
- cogs/ never import bot.storage, and SQL runs only in bot/storage (no ``.execute(`` elsewhere);
- the modules of bot/ and cogs/ form no import cycle.

bench/ and tests/ measure and check the layers; they are not one of them and are not walked.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "bot", "cogs", "sandbox")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


@cache
def tree(name: str) -> ast.Module:
    path = modules()[name]
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported(name: str) -> Iterator[tuple[str, int]]:
    """Every module ``name`` imports (``from a import b`` gives ``a.b`` when that is a module),
    with its line."""
    is_package = modules()[name].name == "__init__.py"
    for node in ast.walk(tree(name)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            yield base, node.lineno
            for alias in node.names:
                if f"{base}.{alias.name}" in modules():
                    yield f"{base}.{alias.name}", node.lineno


def top(module: str) -> str:
    return module.split(".", maxsplit=1)[0]


def violations(where: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for name in modules():
        if top(name) != where:
            continue
        for target, line in imported(name):
            if any(target == f or target.startswith(f + ".") for f in forbidden):
                found.append(f"{modules()[name].relative_to(ROOT)}:{line} imports {target}")
    return found


def test_discord_is_imported_only_by_app_cogs_and_sandbox() -> None:
    assert violations("bot", ("discord", "aiohttp", "yarl")) == []


def test_bot_knows_no_layer_above_it() -> None:
    assert violations("bot", ("app", "cogs", "sandbox")) == []


def test_nothing_imports_the_composition_root() -> None:
    for layer in ("bot", "cogs", "sandbox"):
        assert violations(layer, ("app",)) == []


def test_cogs_do_not_reach_into_storage() -> None:
    assert violations("cogs", ("bot.storage", "sqlite3", "aiosqlite")) == []


SQL = re.compile(
    r"^\s*(SELECT\s|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|TRIGGER)"
    r"|ALTER\s+TABLE|DROP\s+TABLE|PRAGMA\s|BEGIN\s+IMMEDIATE)"
)


def test_sql_runs_only_in_storage() -> None:
    """Outside bot/storage: no string that reads as SQL, and no ``.execute*(`` handed a string
    (a service's own ``execute`` method with other arguments is not SQL)."""
    found = []
    for name in modules():
        if top(name) not in ("app", "bot", "cogs") or name.startswith("bot.storage"):
            continue
        for node in ast.walk(tree(name)):
            where = f"{modules()[name].relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if SQL.match(node.value):
                    found.append(where)
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr
                in ("execute", "executemany", "executescript", "execute_fetchall")
                and node.args
                and isinstance(node.args[0], ast.Constant | ast.JoinedStr)
            ):
                found.append(where)
    assert found == [], "SQL outside bot/storage"


def test_the_sql_check_recognises_sql() -> None:
    assert SQL.match("SELECT id FROM replies")
    assert SQL.match("  INSERT INTO cases (id) VALUES (?)")
    assert not SQL.match("Select a community")
    assert not SQL.match("Update your reply while the round is open")


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module, or a module importing itself
    (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    found.append(sorted(component))
    return found


def import_graph(layers: tuple[str, ...]) -> dict[str, set[str]]:
    names = [name for name in modules() if top(name) in layers]
    return {
        name: {target for target, _ in imported(name) if target in names and target != name}
        for name in names
    }


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles_in_bot_and_cogs() -> None:
    graph = import_graph(("bot", "cogs"))
    assert len(graph) > 50  # the walk saw the code
    assert cycles(graph) == []
