"""Reading order: the replies one's own community has voted on least come first."""

from __future__ import annotations

import asyncio

import pytest

from bot.bridging.planted import planted_round
from bot.bridging.routing import reading_order
from bot.bridging.score import score_round
from bot.bridging.votes import Vote

RATERS = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B"}
AUTHORS = {"p": "a1", "q": "b1", "r": "b2", "s": "a2"}
VOTES = [
    Vote("a2", "p", 1),
    Vote("a3", "p", 1),
    Vote("b2", "p", 1),  # p: A 2, B 1
    Vote("a1", "q", 1),  # q: A 1
    Vote("b1", "s", 1),
    Vote("b2", "s", -1),  # s: A 0, B 2; r: nothing
]


def test_fewest_own_community_votes_first_and_never_ones_own_or_seen() -> None:
    scored = score_round(("A", "B"), RATERS, list(AUTHORS), VOTES)
    # a3 (A): s and r have no A votes; s has more votes overall, so r first; then q, then p
    assert reading_order(scored, "A", "a3", AUTHORS) == ["r", "s", "q", "p"]
    # a1 wrote p and voted on q
    assert reading_order(scored, "A", "a1", AUTHORS, voted=["q"]) == ["r", "s"]
    # b1 (B) wrote q and skipped r: p (one B vote), then s (two)
    assert reading_order(scored, "B", "b1", AUTHORS, skipped=["r"]) == ["p", "s"]
    with pytest.raises(ValueError, match="declared"):
        reading_order(scored, "C", "a3", AUTHORS)


def test_replies_with_enough_votes_from_the_readers_community_come_last() -> None:
    scored = score_round(("A", "B"), RATERS, list(AUTHORS), VOTES)
    assert reading_order(scored, "A", "a3", AUTHORS, required=1) == ["r", "s", "q", "p"]
    assert reading_order(scored, "A", "a3", AUTHORS, required=2)[-1] == "p"
    # a B reader: q and r lack B votes (r has fewer overall), p and s have enough
    assert reading_order(scored, "B", "b9", AUTHORS, required=1) == ["r", "q", "p", "s"]


async def test_scoring_a_round_runs_in_a_thread() -> None:
    planted = planted_round(100, 1000, 10, seed=0)
    async with asyncio.timeout(60):
        scored = await asyncio.to_thread(
            score_round, planted.communities, planted.raters, planted.authors, planted.votes
        )
    assert scored.stage2_ran and len(scored.replies) == 1000
