"""``python -m bench [name ...]`` runs every benchmark (or the named ones) in turn."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import pkgutil
import sys
import time

import bench


def report(name: str, figure: float, unit: str, baseline: float, baseline_name: str) -> None:
    """One line per benchmark: the figure, the baseline from the same run, and the ratio."""
    ratio = figure / baseline if baseline else float("inf")
    print(
        f"  {name}: {figure:,.1f} {unit}  |  baseline ({baseline_name}): {baseline:,.1f} {unit}"
        f"  |  ratio {ratio:.2f}x"
    )


def main(argv: list[str]) -> int:
    names = sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")
    )
    if argv:
        names = [n for n in names if any(a in n for a in argv)]
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}")
        started = time.perf_counter()
        result = module.main()
        if inspect.isawaitable(result):
            asyncio.run(result)
        print(f"   ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
