"""``python -m bench [name ...]`` runs every benchmark (or the named ones) in turn."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import pkgutil
import sys
import time

import bench


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
