"""How volunteers are placed in circles: a pure function, deterministic given the volunteers.

Rules (tests/unit/test_circle_formation.py checks them over many volunteer mixes):

- every volunteer is placed (leftovers are spread over the circles, never dropped);
- no circle holds one community alone;
- circle sizes differ by at most one, and the number of circles is the one that keeps them
  closest to the size asked for (so within ±1 of it whenever the volunteers allow);
- facilitators are dealt two per circle, from different communities where possible.

Formation is refused, with the reason, when fewer than two communities have volunteers.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bot.errors import InvalidInput

SIZE_MIN = 3
SIZE_MAX = 12


@dataclass(frozen=True, slots=True, order=True)
class Volunteer:
    user_id: int
    community_id: int | None


@dataclass(frozen=True, slots=True)
class Plan:
    members: tuple[Volunteer, ...]
    facilitators: tuple[Volunteer, ...]


class NotEnoughVolunteers(InvalidInput):
    """Fewer than two communities (or too few people) volunteered."""


def seed_of(volunteers: Sequence[Volunteer], salt: int = 0) -> int:
    """The same volunteers (in any order) give the same seed."""
    text = ",".join(f"{v.user_id}:{v.community_id}" for v in sorted(volunteers))
    return int.from_bytes(hashlib.sha256(f"{salt}|{text}".encode()).digest()[:8], "big")


def circle_count(total: int, largest: int, size: int) -> int:
    """How many circles: the count whose sizes sit closest to ``size``, capped so every circle
    gets at least two people and at least one person outside the largest community."""
    best = min(
        range(1, total + 1),
        key=lambda k: (max(abs(total // k - size), abs(-(-total // k) - size)), k),
    )
    count = min(best, total // 2)
    if count <= largest:  # every circle gets one of the largest: and one from elsewhere
        count = min(count, total - largest)
    return max(1, count)


def form(
    volunteers: Sequence[Volunteer],
    facilitators: Sequence[Volunteer],
    size: int,
    *,
    salt: int = 0,
) -> list[Plan]:
    if not SIZE_MIN <= size <= SIZE_MAX:
        raise InvalidInput(
            f"A circle has {SIZE_MIN} to {SIZE_MAX} members.",
            key="circles.size_range",
            min=SIZE_MIN,
            max=SIZE_MAX,
        )
    by_community: dict[int | None, list[Volunteer]] = defaultdict(list)
    for volunteer in sorted(set(volunteers)):
        by_community[volunteer.community_id].append(volunteer)
    by_community.pop(None, None)  # a member without a community cannot be placed
    if len(by_community) < 2:
        raise NotEnoughVolunteers(
            "Circles mix communities: volunteers from at least two communities are needed.",
            key="circles.not_enough",
            count=sum(len(v) for v in by_community.values()),
            communities=len(by_community),
        )
    rng = random.Random(seed_of(volunteers, salt))
    groups = list(by_community.values())
    for group in groups:
        rng.shuffle(group)
    # the largest community first (ties in a seeded order), then dealt round-robin: each
    # community spreads evenly, and the smaller ones fill the circles the largest cannot
    rng.shuffle(groups)
    groups.sort(key=len, reverse=True)
    total = sum(len(g) for g in groups)
    count = circle_count(total, len(groups[0]), size)
    dealt: list[list[Volunteer]] = [[] for _ in range(count)]
    for position, volunteer in enumerate(v for group in groups for v in group):
        dealt[position % count].append(volunteer)
    assert all(len({v.community_id for v in c}) >= 2 for c in dealt), "a one-community circle"
    pairs = _facilitator_pairs(facilitators, count, rng)
    return [Plan(tuple(c), pairs[i]) for i, c in enumerate(dealt)]


def _facilitator_pairs(
    facilitators: Sequence[Volunteer], count: int, rng: random.Random
) -> list[tuple[Volunteer, ...]]:
    """Two per circle, from different communities where possible (co-facilitation); a
    facilitator may serve several circles when there are fewer than two per circle."""
    pool = sorted(set(facilitators))
    if not pool:
        return [() for _ in range(count)]
    by_community: dict[int | None, list[Volunteer]] = defaultdict(list)
    for f in pool:
        by_community[f.community_id].append(f)
    groups = list(by_community.values())
    rng.shuffle(groups)
    for group in groups:
        rng.shuffle(group)
    # interleave the communities: A1, B1, A2, B2, … so neighbours differ where they can
    order: list[Volunteer] = []
    while any(groups):
        for group in groups:
            if group:
                order.append(group.pop(0))
    pairs: list[tuple[Volunteer, ...]] = []
    for i in range(count):
        first = order[(2 * i) % len(order)]
        if len(order) == 1:
            pairs.append((first,))
            continue
        second = order[(2 * i + 1) % len(order)]
        if second.community_id == first.community_id:  # look for a partner from elsewhere
            second = next((f for f in order if f.community_id != first.community_id), second)
        pairs.append((first, second))
    return pairs
