"""Scoring one round: Stage 1 tallies, Stage 2 model, and the damped status of every reply.

``score_round`` is pure and synchronous (numpy underneath); a service calls it with
``asyncio.to_thread`` and stores the statuses it returns, to pass them back as ``previous`` next
time: that is how a reply's status is damped (see ``settings.SHARE_TO_STAY``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from bot.bridging import model
from bot.bridging.settings import BridgingSettings
from bot.bridging.votes import Vote


class StatusKind(StrEnum):
    BRIDGING = "bridging"
    NEEDS_PERSPECTIVES = "needs-perspectives"
    ONE_SIDED = "one-sided"
    NOT_YET = "not-yet"


class Reason(StrEnum):
    """Why a reply has its status; ``not-yet`` has two quite different causes."""

    ENDORSED_BY_ALL = "endorsed-by-all"  # bridging
    MISSING_VOTES = "missing-votes"  # needs-perspectives, or not-yet when no community has enough
    SPLIT = "split"  # one-sided: endorsed by some community and not by another
    NO_SHARED_ENDORSEMENT = "no-shared-endorsement"  # not-yet: enough votes, no common ground
    MODEL_DISAGREES = "model-disagrees"  # not-yet: shares are high, Stage 2 sees a split


@dataclass(frozen=True, slots=True)
class Tally:
    votes: int
    positive: int

    @property
    def share(self) -> float:
        """The smoothed share of positive votes, (positive + ½) / (votes + 1)."""
        return (self.positive + 0.5) / (self.votes + 1)


@dataclass(frozen=True, slots=True)
class ReplyScore:
    reply: str
    status: StatusKind
    reason: Reason
    needs: tuple[str, ...]  # communities with too few votes, in declared order
    tallies: Mapping[str, Tally]  # per declared community, in declared order
    intercept: float | None  # Stage 2, None when it did not run or the reply had no votes
    factor: float | None
    intercept_error: float | None = None
    factor_error: float | None = None


@dataclass(frozen=True, slots=True)
class RoundScore:
    communities: tuple[str, ...]
    replies: Mapping[str, ReplyScore]  # in the order the replies were given
    stage2_ran: bool
    votes_used: int
    votes_ignored: (
        int  # by raters with no declared community, on replies not in the round, or by the author
    )
    sweeps: int
    global_intercept: float | None


def _stage2_ok(
    intercept: float | None, factor: float | None, was_bridging: bool, s: BridgingSettings
) -> bool:
    if intercept is None or factor is None:
        return True  # Stage 2 did not run: Stage 1 decides alone
    if was_bridging:
        return intercept >= s.intercept_to_stay and abs(factor) <= s.factor_to_stay
    return intercept >= s.intercept_to_enter and abs(factor) <= s.factor_to_enter


def required_votes(eligible: int, s: BridgingSettings) -> int:
    """Votes a community must give a reply: ``min_votes_per_community``, or fewer when the
    community has fewer raters in the round than that: then ``whole_community_share`` of them
    (rounded up, never below ``min_votes_floor``). The minimum guards against a sample that
    misrepresents a community; when nearly all of its raters in the round have voted, their
    votes are the community's view in this round, not a sample of it."""
    small = max(s.min_votes_floor, math.ceil(s.whole_community_share * eligible))
    return min(s.min_votes_per_community, small)


def decide(
    tallies: Sequence[Tally],
    required: Sequence[int],
    communities: Sequence[str],
    previous: StatusKind | None,
    intercept: float | None,
    factor: float | None,
    s: BridgingSettings,
) -> tuple[StatusKind, Reason, tuple[str, ...]]:
    """The status of one reply from its per-community tallies and required vote counts (in
    ``communities`` order), its Stage 2 parameters and its previous status. Pure."""
    enough = [t.votes >= need for t, need in zip(tallies, required, strict=True)]
    needs = tuple(c for c, ok in zip(communities, enough, strict=True) if not ok)
    if len(needs) == len(communities):
        return StatusKind.NOT_YET, Reason.MISSING_VOTES, needs
    judged = [t.share for t, ok in zip(tallies, enough, strict=True) if ok]
    was_bridging = previous is StatusKind.BRIDGING
    # Damping: a reply keeps its verdict inside the band between the two bars.
    bridge_bar = s.share_to_stay if was_bridging else s.share_to_enter
    held = previous in (StatusKind.BRIDGING, StatusKind.ONE_SIDED)
    high_bar = s.share_to_stay if held else s.share_to_enter
    low_bar = s.share_to_stay if was_bridging else s.share_to_enter
    if not needs and all(share >= bridge_bar for share in judged):
        if _stage2_ok(intercept, factor, was_bridging, s):
            return StatusKind.BRIDGING, Reason.ENDORSED_BY_ALL, needs
        return StatusKind.NOT_YET, Reason.MODEL_DISAGREES, needs
    if any(share >= high_bar for share in judged) and any(share < low_bar for share in judged):
        return StatusKind.ONE_SIDED, Reason.SPLIT, needs
    if needs:
        return StatusKind.NEEDS_PERSPECTIVES, Reason.MISSING_VOTES, needs
    return StatusKind.NOT_YET, Reason.NO_SHARED_ENDORSEMENT, needs


def score_round(
    communities: Sequence[str],
    raters: Mapping[str, str],
    replies: Iterable[str],
    votes: Iterable[Vote],
    previous: Mapping[str, StatusKind] | None = None,
    settings: BridgingSettings | None = None,
    authors: Mapping[str, str] | None = None,
) -> RoundScore:
    """Score every reply of a round.

    ``communities`` are the declared communities; their order fixes the factor's sign (the first
    is on the negative side). ``raters`` maps every rater of the round (who could vote, whether
    or not they did) to its community: a community with fewer raters than
    ``min_votes_per_community`` needs most of them, not more than it has. ``votes`` should
    already be one per rater per reply with authors' votes removed (``votes.fold_presses``).
    ``previous`` holds each reply's last status, for damping. ``authors`` (reply key to the
    author's rater key), when known, drops any author's vote on their own reply that slipped
    through and keeps an author from counting among the raters of their own community who could
    have voted on it."""
    s = settings or BridgingSettings()
    previous = previous or {}
    names = tuple(communities)
    if len(set(names)) != len(names) or not names:
        raise ValueError("communities must be a non-empty list without repeats")
    community_index = {name: i for i, name in enumerate(names)}
    reply_keys = list(dict.fromkeys(replies))
    reply_at = {key: i for i, key in enumerate(reply_keys)}
    rater_at: dict[str, int] = {}
    rater_community: list[int] = []
    u_list: list[int] = []
    r_list: list[int] = []
    y_list: list[float] = []
    ignored = 0
    for vote in votes:
        r = reply_at.get(vote.reply)
        c = community_index.get(raters.get(vote.rater, ""))
        if (
            r is None
            or c is None
            or (authors is not None and authors.get(vote.reply) == vote.rater)
        ):
            ignored += 1
            continue
        u = rater_at.get(vote.rater)
        if u is None:
            u = rater_at[vote.rater] = len(rater_community)
            rater_community.append(c)
        u_list.append(u)
        r_list.append(r)
        y_list.append(1.0 if vote.value > 0 else 0.0)
    k = len(names)
    n_replies = len(reply_keys)
    u_idx = np.asarray(u_list, dtype=np.intp)
    r_idx = np.asarray(r_list, dtype=np.intp)
    y = np.asarray(y_list, dtype=np.float64)
    comm = np.asarray(rater_community, dtype=np.intp)
    cell = r_idx * k + comm[u_idx] if u_idx.size else np.zeros(0, dtype=np.intp)
    votes_by_cell = np.bincount(cell, minlength=n_replies * k).reshape(n_replies, k)
    positive_by_cell = (
        np.bincount(cell, weights=y, minlength=n_replies * k)
        .round()
        .astype(np.intp)
        .reshape(n_replies, k)
    )

    raters_per_community = np.bincount(comm, minlength=k)
    stage2 = y.size >= s.stage2_min_votes and bool(
        np.all(raters_per_community >= s.stage2_min_raters_per_community)
    )
    fit: model.FactorFit | None = None
    if stage2:
        # Start each community at its own point of [-1, 1]: -1 / +1 with two communities.
        start = np.linspace(-1.0, 1.0, k) if k > 1 else np.zeros(1)
        fit = model.fit(
            u_idx,
            r_idx,
            y,
            start[comm],
            n_replies,
            intercept_ridge=s.intercept_ridge,
            factor_ridge=s.factor_ridge,
            max_sweeps=s.max_sweeps,
            tolerance=s.tolerance,
            first_community_raters=comm == 0,
        )
    votes_per_reply = votes_by_cell.sum(axis=1)
    # Who could have voted: every rater the caller declared in each community.
    raters_in = [0] * k
    for community in raters.values():
        j = community_index.get(community)
        if j is not None:
            raters_in[j] += 1
    scores: dict[str, ReplyScore] = {}
    for i, key in enumerate(reply_keys):
        tallies = [Tally(int(votes_by_cell[i, j]), int(positive_by_cell[i, j])) for j in range(k)]
        eligible = list(raters_in)
        author = authors.get(key) if authors else None
        author_at = community_index.get(raters.get(author, "")) if author is not None else None
        if author_at is not None:
            eligible[author_at] -= 1
        required = [required_votes(n, s) for n in eligible]
        intercept = factor = intercept_error = factor_error = None
        if fit is not None and votes_per_reply[i] > 0:
            intercept = float(fit.reply_intercepts[i])
            factor = float(fit.reply_factors[i])
            intercept_error = float(fit.reply_intercept_errors[i])
            factor_error = float(fit.reply_factor_errors[i])
        status, reason, needs = decide(
            tallies, required, names, previous.get(key), intercept, factor, s
        )
        scores[key] = ReplyScore(
            key,
            status,
            reason,
            needs,
            dict(zip(names, tallies, strict=True)),
            intercept,
            factor,
            intercept_error,
            factor_error,
        )
    return RoundScore(
        names,
        scores,
        stage2_ran=fit is not None,
        votes_used=int(y.size),
        votes_ignored=ignored,
        sweeps=fit.sweeps if fit else 0,
        global_intercept=fit.global_intercept if fit else None,
    )
