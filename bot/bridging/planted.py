"""A planted round: raters, replies and votes drawn from a model whose truth is known.

Used by the simulation test (precision and recall of "bridging"), the benchmark and demos. Two (or
more) declared communities; every reply has an author in one of them and is of one of three kinds:

- **bridging**: both communities tend to endorse it (logit about +1.6 for everyone);
- **partisan**: its appeal follows the rater's viewpoint: about +1.6 for a typical rater of the
  author's community, -1.4 for a typical rater of the other, and in between for moderates;
- **poor**: nobody much likes it (-0.8 for everyone).

Every rater has a viewpoint on one axis (community A around -1, B around +1, some moderates near
0), a leniency (a random logit offset), and a preference for their own side's replies (+0.5
logit on replies whose author is in their community). Each reply gets a fixed number of votes
from every community, never its author's, and the raters who vote across the divide are drawn
mostly from the moderates of the other side (they are the ones who read it): that selection is
what makes the other side's share of a partisan reply look better than that side's real
opinion, and what Stage 2's viewpoint factor is there to see through. Seeded: the same arguments
give the same round.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from bot.bridging.votes import Vote


class Kind(StrEnum):
    BRIDGING = "bridging"
    PARTISAN = "partisan"
    POOR = "poor"


LENIENCY_SD = 0.6
OWN_SIDE_PREFERENCE = 0.5
VIEWPOINT_SD = 0.5
BRIDGING_LOGIT = 1.6
PARTISAN_CENTRE_LOGIT = 0.1
PARTISAN_SLOPE = 1.5
POOR_LOGIT = -0.8
REPLY_SD = 0.3
# How strongly raters nearer the author's side are the ones who vote (weight exp(this x side x
# viewpoint)); 0 would be random sampling.
SELECTION = 1.0


@dataclass(frozen=True, slots=True)
class PlantedRound:
    communities: tuple[str, ...]
    raters: dict[str, str]  # rater key -> community
    authors: dict[str, str]  # reply key -> author's rater key
    reply_community: dict[str, str]
    kinds: dict[str, Kind]
    votes: list[Vote]


def planted_round(
    n_raters: int,
    n_replies: int,
    votes_per_community: int,
    *,
    seed: int = 0,
    communities: tuple[str, ...] = ("A", "B"),
    mix: tuple[float, float, float] = (0.3, 0.4, 0.3),
) -> PlantedRound:
    """A round of ``n_raters`` raters (split evenly across ``communities``) and ``n_replies``
    replies, each voted on by ``votes_per_community`` raters of every community. ``mix`` is the
    share of bridging, partisan and poor replies."""
    rng = np.random.default_rng(seed)
    k = len(communities)
    rater_comm = np.arange(n_raters) % k
    rater_keys = [f"r{u}" for u in range(n_raters)]
    leniency = rng.normal(0.0, LENIENCY_SD, n_raters)
    kinds_idx = rng.choice(3, size=n_replies, p=np.asarray(mix) / sum(mix))
    author = np.empty(n_replies, dtype=np.intp)
    members = [np.flatnonzero(rater_comm == c) for c in range(k)]
    reply_comm = rng.integers(0, k, n_replies)
    for c in range(k):
        mine = reply_comm == c
        author[mine] = rng.choice(members[c], size=int(mine.sum()))
    # Communities sit at evenly spaced points of [-1, 1]; a rater's viewpoint scatters around
    # their community's point, and a reply's "side" is its author's community's point.
    centre = np.linspace(-1.0, 1.0, k) if k > 1 else np.zeros(1)
    viewpoint = centre[rater_comm] + rng.normal(0.0, VIEWPOINT_SD, n_raters)
    side = centre[reply_comm]
    noise = rng.normal(0.0, REPLY_SD, n_replies)
    us: list[np.ndarray] = []
    rs: list[np.ndarray] = []
    for c in range(k):
        pool = members[c]
        m = min(votes_per_community, pool.size - 1)
        if m <= 0:
            continue
        # Weighted sampling without replacement (Gumbel top-m): raters whose viewpoint leans
        # towards the reply's side are likelier to be among its voters.
        gumbel = -np.log(-np.log(rng.random((n_replies, pool.size))))
        keys = SELECTION * side[:, None] * viewpoint[pool][None, :] + gumbel
        keys[pool[None, :] == author[:, None]] = -np.inf  # never the author
        chosen = np.argpartition(-keys, m - 1, axis=1)[:, :m]
        us.append(pool[chosen].ravel())
        rs.append(np.repeat(np.arange(n_replies), m))
    u = np.concatenate(us) if us else np.zeros(0, dtype=np.intp)
    r = np.concatenate(rs) if rs else np.zeros(0, dtype=np.intp)
    kind = kinds_idx[r]
    logit = (
        np.select(
            [kind == 0, kind == 1],
            [
                np.full(r.size, BRIDGING_LOGIT),
                PARTISAN_CENTRE_LOGIT + PARTISAN_SLOPE * side[r] * viewpoint[u],
            ],
            POOR_LOGIT,
        )
        + noise[r]
        + leniency[u]
        + OWN_SIDE_PREFERENCE * (rater_comm[u] == reply_comm[r])
    )
    positive = rng.random(u.size) < 1.0 / (1.0 + np.exp(-logit))
    reply_keys = [f"p{i}" for i in range(n_replies)]
    kind_names = (Kind.BRIDGING, Kind.PARTISAN, Kind.POOR)
    votes = [
        Vote(rater_keys[a], reply_keys[b], 1 if p else -1)
        for a, b, p in zip(u.tolist(), r.tolist(), positive.tolist(), strict=True)
    ]
    return PlantedRound(
        communities=communities,
        raters={key: communities[rater_comm[i]] for i, key in enumerate(rater_keys)},
        authors={key: rater_keys[author[i]] for i, key in enumerate(reply_keys)},
        reply_community={key: communities[reply_comm[i]] for i, key in enumerate(reply_keys)},
        kinds={key: kind_names[kinds_idx[i]] for i, key in enumerate(reply_keys)},
        votes=votes,
    )
