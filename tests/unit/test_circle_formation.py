"""The balancing of circles, over many volunteer mixes (property-style, seeded)."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from bot.circles.formation import SIZE_MAX, SIZE_MIN, NotEnoughVolunteers, Volunteer, form
from bot.errors import InvalidInput


def mixes(n: int = 400) -> list[tuple[list[Volunteer], int]]:
    rng = random.Random(12)
    found = []
    for case in range(n):
        communities = rng.randint(2, 4)
        counts = [rng.randint(0, 25) for _ in range(communities)]
        counts[0] = max(counts[0], 1)
        counts[1] = max(counts[1], 1)
        people = [
            Volunteer(1000 * case + 100 * c + i, c + 1)
            for c, count in enumerate(counts)
            for i in range(count)
        ]
        found.append((people, rng.randint(SIZE_MIN, SIZE_MAX)))
    return found


@pytest.mark.parametrize(("people", "size"), mixes())
def test_everyone_is_placed_in_mixed_balanced_circles(people: list[Volunteer], size: int) -> None:
    plans = form(people, [], size)
    placed = [v for p in plans for v in p.members]
    assert Counter(placed) == Counter(people)  # everyone, once: nobody dropped
    sizes = [len(p.members) for p in plans]
    assert max(sizes) - min(sizes) <= 1
    for plan in plans:
        assert len({v.community_id for v in plan.members}) >= 2, "a one-community circle"
    total = len(people)
    largest = max(Counter(v.community_id for v in people).values())
    # within ±1 of the size asked whenever some number of mixed circles allows it
    feasible = [
        k
        for k in range(1, total // 2 + 1)
        if (k > largest or k <= total - largest)
        and total // k >= size - 1
        and -(-total // k) <= size + 1
    ]
    if feasible:
        assert all(size - 1 <= s <= size + 1 for s in sizes), (sizes, size, feasible)


def test_the_same_volunteers_form_the_same_circles_in_any_order() -> None:
    people, size = mixes(1)[0]
    shuffled = list(people)
    random.Random(3).shuffle(shuffled)
    assert form(people, [], size) == form(shuffled, [], size)


def test_one_community_alone_is_refused_with_the_reason() -> None:
    with pytest.raises(NotEnoughVolunteers) as refused:
        form([Volunteer(i, 1) for i in range(10)], [], 4)
    assert refused.value.key == "circles.not_enough"
    assert refused.value.params == {"count": 10, "communities": 1}


@pytest.mark.parametrize("size", [1, 2, 13, 1000])
def test_sizes_out_of_range_are_refused(size: int) -> None:
    with pytest.raises(InvalidInput):
        form([Volunteer(1, 1), Volunteer(2, 2)], [], size)


def test_facilitators_are_paired_across_communities_where_possible() -> None:
    people = [Volunteer(i, 1 + i % 2) for i in range(12)]
    facilitators = [Volunteer(900, 1), Volunteer(901, 1), Volunteer(902, 2), Volunteer(903, 2)]
    plans = form(people, facilitators, 6)
    assert len(plans) == 2
    for plan in plans:
        assert len(plan.facilitators) == 2
        assert len({f.community_id for f in plan.facilitators}) == 2
    assert {f for p in plans for f in p.facilitators} == set(facilitators)
