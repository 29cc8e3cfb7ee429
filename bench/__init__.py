"""Benchmarks: each ``bench/bench_*.py`` has ``async def main() -> None`` or ``def main() -> None``
and prints its figure beside a baseline measured in the same run, as a ratio."""
