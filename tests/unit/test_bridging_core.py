"""The signal, Stage 1, Stage 2 and damping, on small hand-made rounds."""

from __future__ import annotations

import numpy as np
import pytest

from bot.bridging import model
from bot.bridging.score import Reason, StatusKind, Tally, decide, required_votes, score_round
from bot.bridging.settings import BridgingSettings
from bot.bridging.votes import Endorsement, Press, Vote, fold_presses, latest_votes

R, L, D = Endorsement.RESONATES, Endorsement.LEARNED, Endorsement.DISAGREE
AUTHORS = {"x": "author", "y": "author2"}


def votes_of(presses: list[Press]) -> dict[tuple[str, str], int]:
    return {(v.rater, v.reply): v.value for v in fold_presses(presses, AUTHORS)}


def test_latest_press_wins_and_taking_it_back_falls_back_to_the_one_still_held() -> None:
    assert votes_of([Press("a", "x", R, 1), Press("a", "x", D, 2)]) == {("a", "x"): -1}
    assert votes_of([Press("a", "x", D, 1), Press("a", "x", L, 2)]) == {("a", "x"): 1}
    # resonates, then disagree, then disagree taken back: resonates is still held
    taken_back = [Press("a", "x", R, 1), Press("a", "x", D, 2), Press("a", "x", D, 3, held=False)]
    assert votes_of(taken_back) == {("a", "x"): 1}
    # every press taken back: no vote at all
    assert votes_of([Press("a", "x", R, 1), Press("a", "x", R, 2, held=False)]) == {}


def test_presses_are_folded_in_time_order_whatever_order_they_arrive_in() -> None:
    late = [Press("a", "x", D, 5), Press("a", "x", R, 3), Press("a", "x", R, 4, held=False)]
    assert votes_of(late) == {("a", "x"): -1}
    # re-pressing after taking back counts again
    again = [Press("a", "x", R, 1), Press("a", "x", R, 2, held=False), Press("a", "x", R, 3)]
    assert votes_of(again) == {("a", "x"): 1}


def test_author_votes_and_unknown_replies_never_count() -> None:
    presses = [Press("author", "x", R, 1), Press("a", "gone", R, 1), Press("author", "y", D, 1)]
    assert votes_of(presses) == {("author", "y"): -1}
    kept = latest_votes([Vote("author", "x", 1), Vote("a", "x", 1), Vote("a", "x", -1)], AUTHORS)
    assert kept == [Vote("a", "x", -1)]
    with pytest.raises(ValueError, match="vote is"):
        latest_votes([Vote("a", "x", 2)], AUTHORS)


def test_smoothed_share() -> None:
    assert Tally(0, 0).share == 0.5
    assert Tally(10, 6).share == pytest.approx(6.5 / 11)
    assert Tally(4, 4).share == pytest.approx(0.9)


def small_round(pattern: dict[str, tuple[int, int]], per_community: int = 10) -> list[Vote]:
    """Votes on reply "x": pattern maps community to (positive, negative) counts."""
    votes = []
    for community, (pos, neg) in pattern.items():
        for i in range(pos + neg):
            votes.append(Vote(f"{community}{i}", "x", 1 if i < pos else -1))
    return votes


def raters_for(*communities: str, n: int = 12) -> dict[str, str]:
    return {f"{c}{i}": c for c in communities for i in range(n)}


@pytest.mark.parametrize(
    ("pattern", "status", "needs"),
    [
        ({"A": (8, 2), "B": (7, 3)}, StatusKind.BRIDGING, ()),
        ({"A": (9, 1), "B": (2, 8)}, StatusKind.ONE_SIDED, ()),
        ({"A": (9, 1), "B": (2, 1)}, StatusKind.NEEDS_PERSPECTIVES, ("B",)),
        ({"A": (1, 9), "B": (2, 1)}, StatusKind.NEEDS_PERSPECTIVES, ("B",)),
        ({"A": (3, 7), "B": (2, 8)}, StatusKind.NOT_YET, ()),
        ({"A": (2, 1), "B": (1, 1)}, StatusKind.NOT_YET, ("A", "B")),
    ],
)
def test_stage1_statuses(
    pattern: dict[str, tuple[int, int]], status: StatusKind, needs: tuple[str, ...]
) -> None:
    scored = score_round(("A", "B"), raters_for("A", "B"), ["x"], small_round(pattern))
    assert not scored.stage2_ran  # 20 votes are far too few for the model
    reply = scored.replies["x"]
    assert (reply.status, reply.needs) == (status, needs)
    assert reply.tallies["A"].votes == sum(pattern["A"])


def test_not_yet_says_which_of_its_two_causes() -> None:
    few = score_round(("A", "B"), raters_for("A", "B"), ["x"], [])
    assert few.replies["x"].reason is Reason.MISSING_VOTES
    cold = score_round(
        ("A", "B"), raters_for("A", "B"), ["x"], small_round({"A": (3, 7), "B": (2, 8)})
    )
    assert cold.replies["x"].reason is Reason.NO_SHARED_ENDORSEMENT


def test_a_small_community_needs_most_of_its_raters_not_eight() -> None:
    s = BridgingSettings()
    assert required_votes(50, s) == 8
    assert required_votes(5, s) == 4  # ceil(0.8 x 5)
    assert required_votes(2, s) == 3  # never below the floor
    # four raters in B, three voted: 0.8 x 4 rounds up to 4, so B still needs perspectives
    raters = {**raters_for("A"), **{f"B{i}": "B" for i in range(4)}}
    votes = small_round({"A": (8, 2), "B": (3, 0)})
    scored = score_round(("A", "B"), raters, ["x"], votes)
    assert scored.replies["x"].needs == ("B",)
    votes.append(Vote("B3", "x", 1))
    scored = score_round(("A", "B"), raters, ["x"], votes)
    assert scored.replies["x"].status is StatusKind.BRIDGING


def test_the_author_does_not_count_among_the_raters_who_could_vote() -> None:
    raters = {**raters_for("A"), **{f"B{i}": "B" for i in range(4)}}
    votes = small_round({"A": (8, 2), "B": (3, 0)})
    without = score_round(("A", "B"), raters, ["x"], votes)
    assert without.replies["x"].needs == ("B",)
    with_author = score_round(("A", "B"), raters, ["x"], votes, authors={"x": "B3"})
    assert with_author.replies["x"].status is StatusKind.BRIDGING


def test_votes_from_raters_without_a_community_are_ignored_and_counted() -> None:
    votes = [Vote("stranger", "x", 1), Vote("A0", "nowhere", 1), Vote("A0", "x", 1)]
    scored = score_round(("A", "B"), raters_for("A", "B"), ["x"], votes)
    assert (scored.votes_used, scored.votes_ignored) == (1, 2)
    by_author = score_round(("A", "B"), raters_for("A", "B"), ["x"], votes, authors={"x": "A0"})
    assert (by_author.votes_used, by_author.votes_ignored) == (0, 3)


def test_bad_communities_and_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="communities"):
        score_round(("A", "A"), {}, [], [])
    with pytest.raises(ValueError, match="share_to_stay"):
        BridgingSettings(share_to_enter=0.4, share_to_stay=0.5)
    with pytest.raises(ValueError, match="min_votes_floor"):
        BridgingSettings(min_votes_floor=9)


S = BridgingSettings()
TEN = [10, 10]


def test_damping_keeps_a_bridging_reply_inside_the_band() -> None:
    # shares 6.5/11 = 0.59 and 5.5/11 = 0.50: in the band between stay (0.50) and enter (0.55)
    band = [Tally(10, 6), Tally(10, 5)]
    fresh = decide(band, TEN, ("A", "B"), None, None, None, S)[0]
    held = decide(band, TEN, ("A", "B"), StatusKind.BRIDGING, None, None, S)[0]
    assert fresh is not StatusKind.BRIDGING
    assert held is StatusKind.BRIDGING
    # below the stay bar it does fall, to one-sided (A still endorses it)
    fallen = decide(
        [Tally(10, 7), Tally(10, 4)], TEN, ("A", "B"), StatusKind.BRIDGING, None, None, S
    )
    assert fallen[0] is StatusKind.ONE_SIDED


def test_damping_keeps_a_one_sided_reply_until_the_other_side_clearly_endorses() -> None:
    almost = [Tally(10, 9), Tally(10, 5)]  # B at 0.50: not yet an endorsement
    assert (
        decide(almost, TEN, ("A", "B"), StatusKind.ONE_SIDED, None, None, S)[0]
        is StatusKind.ONE_SIDED
    )
    crossed = [Tally(10, 9), Tally(10, 6)]  # B at 0.59 >= 0.55
    assert (
        decide(crossed, TEN, ("A", "B"), StatusKind.ONE_SIDED, None, None, S)[0]
        is StatusKind.BRIDGING
    )


def test_stage2_vetoes_with_its_own_band() -> None:
    good = [Tally(10, 8), Tally(10, 8)]
    assert decide(good, TEN, ("A", "B"), None, 0.2, 0.05, S)[0] is StatusKind.BRIDGING
    split = decide(good, TEN, ("A", "B"), None, 0.2, 0.3, S)
    assert split[:2] == (StatusKind.NOT_YET, Reason.MODEL_DISAGREES)
    assert decide(good, TEN, ("A", "B"), None, 0.05, 0.0, S)[0] is StatusKind.NOT_YET
    # factor 0.20 and intercept 0.08: too much to enter, enough to stay
    assert decide(good, TEN, ("A", "B"), None, 0.08, -0.2, S)[0] is StatusKind.NOT_YET
    assert (
        decide(good, TEN, ("A", "B"), StatusKind.BRIDGING, 0.08, -0.2, S)[0] is StatusKind.BRIDGING
    )


def test_damping_cuts_flips_as_votes_arrive_one_by_one() -> None:
    """A reply whose true support sits near the bar, voted on one vote at a time: fed its
    previous status, it changes status far less often than scored afresh each time."""
    rng = np.random.default_rng(7)
    raters = raters_for("A", "B", n=40)
    order = [(c, i) for i in range(40) for c in "AB"]
    votes: list[Vote] = []
    damped: StatusKind | None = None
    flips_damped = flips_fresh = 0
    last_fresh: StatusKind | None = None
    for community, i in order:
        votes.append(Vote(f"{community}{i}", "x", 1 if rng.random() < 0.56 else -1))
        fresh = score_round(("A", "B"), raters, ["x"], votes).replies["x"].status
        prev = damped
        damped = (
            score_round(
                ("A", "B"), raters, ["x"], votes, previous={"x": damped} if damped else None
            )
            .replies["x"]
            .status
        )
        flips_damped += prev is not None and damped is not prev
        flips_fresh += last_fresh is not None and fresh is not last_fresh
        last_fresh = fresh
    assert flips_fresh >= 4
    assert flips_damped * 2 <= flips_fresh


def test_the_model_recovers_a_planted_split_and_fixes_the_sign_by_community() -> None:
    # 20 raters per side; reply 0 liked by everyone, reply 1 only by A, reply 2 only by B
    raters = [("A", u) for u in range(20)] + [("B", u) for u in range(20, 40)]
    u_idx, r_idx, y = [], [], []
    for community, u in raters:
        for r, liked in enumerate((True, community == "A", community == "B")):
            u_idx.append(u)
            r_idx.append(r)
            y.append(1.0 if liked else 0.0)
    first = np.array([c == "A" for c, _ in raters])
    for start in (1.0, -1.0):  # whichever way the fit starts, A ends on the negative side
        init = np.where(first, -start, start)
        fit = model.fit(
            np.array(u_idx),
            np.array(r_idx),
            np.array(y),
            init,
            3,
            intercept_ridge=1.5,
            factor_ridge=0.3,
            max_sweeps=200,
            tolerance=1e-6,
            first_community_raters=first,
        )
        assert fit.converged
        assert fit.rater_factors[first].mean() < 0 < fit.rater_factors[~first].mean()
        assert np.sqrt(np.mean(fit.rater_factors**2)) == pytest.approx(1.0)
        assert fit.reply_intercepts[0] > fit.reply_intercepts[1] + 0.2
        assert abs(fit.reply_factors[0]) < 0.05
        assert fit.reply_factors[1] < -0.3 and fit.reply_factors[2] > 0.3
        assert fit.reply_intercept_errors[0] > 0
