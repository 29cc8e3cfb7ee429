"""Benchmarks: each ``bench/bench_*.py`` has ``async def main() -> None`` or ``def main() -> None``
and prints its figure beside a baseline measured in the same run, as a ratio."""


def report(name: str, figure: float, unit: str, baseline: float, baseline_name: str) -> None:
    """One line per benchmark: the figure, the baseline from the same run, and the ratio."""
    ratio = figure / baseline if baseline else float("inf")
    print(
        f"  {name}: {figure:,.1f} {unit}  |  baseline ({baseline_name}): {baseline:,.1f} {unit}"
        f"  |  ratio {ratio:.2f}x"
    )
