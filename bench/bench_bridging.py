"""Bridging scores for a whole round (Stage 1 tallies, the Stage 2 fit, damped statuses) beside
a plain per-reply, per-community vote count over the same votes in the same run.
Sizes are raters x replies with about 10 % of the pairs voted (issue 11); target: under 1 s for
100 x 1,000 on one core. The last lines show how the time grows with the number of votes."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable

from bench import report
from bot.bridging.planted import PlantedRound, planted_round
from bot.bridging.score import score_round

SIZES = ((20, 50), (100, 1000), (1000, 10000))
DENSITY = 0.10
TARGET_SECONDS = 1.0


def count_votes(planted: PlantedRound) -> int:
    """The baseline: one pass over the votes, counting positives and votes per reply and
    community — what Stage 1 alone would need, without numpy or the model."""
    counts: defaultdict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for vote in planted.votes:
        cell = counts[vote.reply, planted.raters[vote.rater]]
        cell[0] += 1
        cell[1] += vote.value > 0
    return len(counts)


def best_of(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    growth: list[tuple[int, float, float]] = []
    for raters, replies in SIZES:
        per_community = max(1, round(DENSITY * raters / 2))
        planted = planted_round(raters, replies, per_community, seed=0)
        runs = 3 if len(planted.votes) < 100_000 else 1
        scored = score_round(planted.communities, planted.raters, planted.authors, planted.votes)
        scoring = best_of(
            runs,
            lambda p=planted: score_round(p.communities, p.raters, p.authors, p.votes),
        )
        baseline = best_of(runs, lambda p=planted: count_votes(p))
        stage = f"Stage 2 in {scored.sweeps} sweeps" if scored.stage2_ran else "Stage 1 only"
        report(
            f"{raters:,} x {replies:,}, {len(planted.votes):,} votes ({stage})",
            scoring * 1000,
            "ms",
            baseline * 1000,
            "per-reply vote count",
        )
        growth.append((len(planted.votes), scoring, baseline))
        if (raters, replies) == (100, 1000):
            verdict = "met" if scoring < TARGET_SECONDS else "NOT met"
            print(f"  target < {TARGET_SECONDS:.0f} s for 100 x 1,000: {verdict}")
    print("  growth with the number of votes (time per vote, scoring | baseline):")
    for votes, scoring, baseline in growth:
        print(
            f"    {votes:>9,} votes: {scoring / votes * 1e6:6.2f} µs | {baseline / votes * 1e6:5.2f} µs"
        )
    # At one size, more votes per reply: the fit's sweeps are linear in the votes.
    for per_community in (5, 10, 20, 40):
        planted = planted_round(100, 1000, per_community, seed=0)
        scoring = best_of(
            3, lambda p=planted: score_round(p.communities, p.raters, p.authors, p.votes)
        )
        baseline = best_of(3, lambda p=planted: count_votes(p))
        report(
            f"100 x 1,000 at {2 * per_community / 100:.0%} voted ({len(planted.votes):,} votes)",
            scoring * 1000,
            "ms",
            baseline * 1000,
            "per-reply vote count",
        )
