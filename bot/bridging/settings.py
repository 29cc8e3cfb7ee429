"""Thresholds of the bridging score: named constants with where they come from, and the
dataclass a server may tune.

Community Notes (twitter/communitynotes, ``scoring/src/scoring``) shows a note as helpful when its
fitted intercept is at least 0.40 and the absolute value of its factor below 0.50, on ratings
coded 1 (helpful) / 0 (not helpful). Those figures suit millions of ratings, rater factors of
whatever scale the optimizer leaves, and a product that rejects only strongly polarized notes.
A Track Two round has tens of raters and a few hundred votes, so ours differ (each says why), and
the planted simulation in ``tests/unit/test_bridging_simulation.py`` is what they were tuned on.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

# --- Stage 1: smoothed share of positive votes, per community -----------------------------------

# Votes a community must have given a reply before its share says anything; below it the reply
# "needs perspectives" from that community. Eight is what the planted simulation needs: with
# five or six votes per community one or two friendly (or selected) raters carry a partisan reply
# over the line often enough that precision falls to 0.88-0.94; at eight it is 0.94-0.96 and at
# ten 0.96-0.98 (three seeds each).
MIN_VOTES_PER_COMMUNITY = 8
# ...unless the community has fewer raters in the round than that. Then this share of them
# (rounded up) is enough, and never fewer than the floor: the minimum protects against a sample
# misrepresenting a community, and when nearly all of its raters in this round have voted there
# is no sample any more. Three is the smallest count the public digest shows (small counts
# identify people), so a verdict never rests on fewer.
WHOLE_COMMUNITY_SHARE = 0.8
MIN_VOTES_FLOOR = 3

# A community "endorses" a reply when its smoothed share (positive + ½) / (votes + 1) reaches
# this: with ten votes, six positive (6.5 / 11 = 0.59) is enough and five (0.5) is not, so a
# bridging reply has a clear majority of every community. Higher bars (Pol.is' 0.60 majority)
# cost a tenth of the recall in the simulation without buying precision that Stage 2 does not
# already give.
SHARE_TO_ENTER = 0.55
# Damping: a reply already bridging (or endorsed by a community) keeps that until its share falls
# below half. The band is about one vote wide at ten votes and two at twenty, so a single late
# "disagree" does not flip a reply back and forth.
SHARE_TO_STAY = 0.50

# --- Stage 2: the Community Notes model --------------------------------------------------------

# Stage 2 runs only when the round has this many votes in all and this many raters in every
# declared community: with fewer, the factor has too little to separate viewpoints and Stage 1
# decides alone. (Community Notes requires 5 ratings per note and a large rater pool; a round of
# 20 members x 50 replies at 10 % has 100 votes, so 150 keeps Stage 2 for real rounds.)
STAGE2_MIN_VOTES = 150
STAGE2_MIN_RATERS_PER_COMMUNITY = 5

# Ridge penalties, in the sum-of-squares form. Community Notes uses lambda 0.03 on factors and
# 5 x 0.03 = 0.15 on intercepts, applied to means, which is 0.15 x (ratings per note) per note in
# sum form: 1.5 at ten ratings. We keep the 5:1 ratio (intercepts regularized more than factors:
# a reply earns a high intercept only from votes the viewpoint factor cannot explain, and a reply
# with few votes keeps an intercept near zero) at 1.5 : 0.3. The simulation's precision and recall
# move by less than 0.01 between 0.5 : 0.1 and 5 : 1.
INTERCEPT_RIDGE = 1.5
FACTOR_RIDGE = 0.3
# Alternating least squares: stop when no parameter moves more than TOLERANCE in a sweep (20-110
# sweeps on the simulation's and the benchmark's rounds), never after more than MAX_SWEEPS (a bound
# on time). 1e-3 is a thirtieth of the narrowest band (intercept 0.07-0.10); going on to 1e-4
# changed two statuses in 1,000 in the simulation and none in the benchmark's million votes.
MAX_SWEEPS = 200
TOLERANCE = 1e-3

# A reply's intercept (on the 0/1 scale, above the round's global intercept, for a rater at the
# centre of the viewpoint axis) must reach this. Community Notes asks 0.40 over a global
# intercept near 0.1-0.2; our rounds are friendlier (global intercept near 0.55, so 0.40 would
# need nearly every vote positive) and our intercepts shrink more (few votes per reply), so 0.10
# means "liked clearly more than the round's average reply, by a rater of no particular side".
INTERCEPT_TO_ENTER = 0.10
INTERCEPT_TO_STAY = 0.07
# The reply factor's absolute value must stay below this. Rater factors are rescaled to a root
# mean square of 1 after each fit, so a reply factor f means raters one step to either side of
# the axis are predicted to differ by about 2f in endorsement (0/1 scale). Community Notes' 0.50
# (no such rescaling, and only a guard against strong polarization) would pass every partisan
# reply of the simulation (their factors sit near 0.3); 0.18 allows a gap of about a third.
FACTOR_TO_ENTER = 0.18
FACTOR_TO_STAY = 0.22


@dataclass(frozen=True, slots=True)
class BridgingSettings:
    """The thresholds one server uses; the defaults are the constants above."""

    min_votes_per_community: int = MIN_VOTES_PER_COMMUNITY
    whole_community_share: float = WHOLE_COMMUNITY_SHARE
    min_votes_floor: int = MIN_VOTES_FLOOR
    share_to_enter: float = SHARE_TO_ENTER
    share_to_stay: float = SHARE_TO_STAY
    stage2_min_votes: int = STAGE2_MIN_VOTES
    stage2_min_raters_per_community: int = STAGE2_MIN_RATERS_PER_COMMUNITY
    intercept_ridge: float = INTERCEPT_RIDGE
    factor_ridge: float = FACTOR_RIDGE
    max_sweeps: int = MAX_SWEEPS
    tolerance: float = TOLERANCE
    intercept_to_enter: float = INTERCEPT_TO_ENTER
    intercept_to_stay: float = INTERCEPT_TO_STAY
    factor_to_enter: float = FACTOR_TO_ENTER
    factor_to_stay: float = FACTOR_TO_STAY

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise ValueError("; ".join(problems))

    def problems(self) -> list[str]:
        """What is inconsistent, in words a facilitator can act on (empty when all is well)."""
        found: list[str] = []
        if not 1 <= self.min_votes_floor <= self.min_votes_per_community:
            found.append("votes must satisfy 1 <= min_votes_floor <= min_votes_per_community")
        if not 0.0 < self.whole_community_share <= 1.0:
            found.append("whole_community_share must be in (0, 1]")
        if not 0.0 < self.share_to_stay <= self.share_to_enter < 1.0:
            found.append("shares must satisfy 0 < share_to_stay <= share_to_enter < 1")
        if not 0.0 <= self.intercept_to_stay <= self.intercept_to_enter:
            found.append("intercepts must satisfy 0 <= intercept_to_stay <= intercept_to_enter")
        if not 0.0 < self.factor_to_enter <= self.factor_to_stay:
            found.append("factors must satisfy 0 < factor_to_enter <= factor_to_stay")
        if self.intercept_ridge <= 0 or self.factor_ridge <= 0:
            found.append("ridge penalties must be positive")
        if self.max_sweeps < 1 or self.tolerance <= 0:
            found.append("max_sweeps must be at least 1 and tolerance positive")
        if self.stage2_min_votes < 0 or self.stage2_min_raters_per_community < 1:
            found.append("stage 2 minimums must be non-negative (raters at least 1)")
        return found

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))
