"""Circles on both engines: volunteering, formation recorded with members and facilitators,
the reply gate, leaving, dissolving, /mydata export and delete, and retention."""

from __future__ import annotations

import pytest

from bot.errors import Conflict, NotAllowed, NotFound
from bot.services import Services
from tests.service.conftest import GUILD

ARM, AZE = 901, 902
FACILITATOR = 333333333333333333


async def volunteers(services: Services, n: int = 8) -> list[int]:
    await services.communities.add(GUILD, "Armenian", ARM)
    await services.communities.add(GUILD, "Azerbaijani", AZE)
    people = []
    for i in range(n):
        user = 5000 + i
        await services.circles.join(
            GUILD, user, frozenset({ARM if i % 2 else AZE}), facilitator=False
        )
        people.append(user)
    return people


async def test_formation_is_recorded_mixed_and_stable(services: Services) -> None:
    people = await volunteers(services)
    circles = services.circles
    with pytest.raises(NotAllowed):  # no community, not a facilitator
        await circles.join(GUILD, 42, frozenset(), facilitator=False)
    await circles.join(GUILD, FACILITATOR, frozenset({ARM}), facilitator=True)
    await circles.join(GUILD, FACILITATOR + 1, frozenset({AZE}), facilitator=True)
    formed = await circles.plan(GUILD, FACILITATOR, 4)
    assert len(formed) == 2
    placed = [m.user_id for c in formed for m in c.participants]
    assert sorted(placed) == people
    for circle in formed:
        assert len({m.community_id for m in circle.participants}) == 2
        assert {m.user_id for m in circle.facilitators} == {FACILITATOR, FACILITATOR + 1}
        await circles.attach(circle, 7000 + circle.number)
    with pytest.raises(Conflict):  # stable until dissolved
        await circles.plan(GUILD, FACILITATOR, 4)
    again = await circles.active(GUILD)
    assert [[m.user_id for m in c.members] for c in again] == [
        [m.user_id for m in c.members] for c in formed
    ]


async def test_the_gate_leave_export_delete_and_dissolve(services: Services) -> None:
    people = await volunteers(services, 6)
    circles = services.circles
    (circle,) = await circles.plan(GUILD, FACILITATOR, 6)
    await circles.attach(circle, 7001)
    round_id = 1
    with pytest.raises(NotFound):  # the round was not posted in it (no such round either)
        await circles.ensure_member(circle.id, GUILD, round_id, people[0])
    with pytest.raises(NotAllowed):
        await circles.ensure_member(circle.id, GUILD, round_id, 424242)
    exported = await circles.export(GUILD, people[0])
    assert exported["volunteered"]["as"] == "member"
    assert [c["circle"] for c in exported["circles"]] == [1]
    left = await circles.leave(GUILD, people[1])
    assert left.threads == (7001,)
    gone = await circles.forget(GUILD, people[2])
    assert gone.threads == (7001,) and gone.memberships == 1
    assert await circles.export(GUILD, people[2]) == {"volunteered": None, "circles": []}
    remaining = {m.user_id for m in (await circles.get(circle.id)).members}
    assert people[1] not in remaining and people[2] not in remaining
    dissolved = await circles.dissolve(GUILD)
    assert [c.id for c in dissolved] == [circle.id]
    with pytest.raises(Conflict):
        await circles.ensure_member(circle.id, GUILD, round_id, people[0])
    with pytest.raises(Conflict):
        await circles.dissolve(GUILD)
    assert await circles.purge(GUILD, 30) == 0  # dissolved just now: kept
