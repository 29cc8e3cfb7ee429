"""Warnings, the ladder, timeouts, expiry, pardons and the target rules (moderation/sanctions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.dialogue.models import ReplyStatus
from bot.effects import (
    Announce,
    Timeout,
    Untimeout,
)
from bot.errors import InvalidInput, NotAllowed
from bot.moderation.casetypes import CaseType
from bot.moderation.service import QueueAction
from bot.moderation.targets import Actor, TargetFacts
from bot.permissions import MemberFacts
from bot.services import Services
from tests.service.conftest import GUILD
from tests.service.moderation.helpers import (
    ANI,
    BABEK,
    MOD_A,
    MOD_B,
    configured,
    kinds,
    lookup,
    member,
    mod,
    published,
)


async def test_warning_ladder_escalates_each_step_its_own_case(services: Services) -> None:
    await configured(services)
    m = services.moderation
    one = await m.warn(mod(MOD_A), member(BABEK), "insult")
    assert [c.type for c in one.cases] == [CaseType.WARNING]
    assert Timeout not in kinds(one)
    two = await m.warn(mod(MOD_A), member(BABEK), "insult again")
    assert [c.type for c in two.cases] == [CaseType.WARNING, CaseType.TIMEOUT]
    (timeout,) = [e for e in two.effects if isinstance(e, Timeout)]
    assert timeout.until is not None and two.cases[1].expires_at == timeout.until
    assert timeout.until - two.cases[1].created_at == timedelta(hours=1)
    three = await m.warn(mod(MOD_A), member(BABEK), "x")
    assert three.cases[1].expires_at - three.cases[1].created_at == timedelta(hours=24)  # type: ignore[operator]
    four = await m.warn(mod(MOD_A), member(BABEK), "x")
    assert four.recommend_removal
    assert "removal from the dialogue recommended" in four.cases[1].reason
    assert [c.number for c in four.cases] == [6, 7]
    history, cases = await m.cases_for(mod(MOD_B), BABEK)
    assert [c.number for c in cases] == list(range(7, 0, -1))
    assert history.count == 7 and history.active_warnings == 4 and len(history.recent) == 3


async def test_a_warning_whose_ladder_step_fails_is_not_written_either(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ladder's timeout is written in the warning's transaction: a failure after the
    warning was written but before its step leaves neither, and warning again escalates."""
    round_id = await configured(services)
    reply_id = await published(services, round_id, BABEK)
    m = services.moderation
    await m.warn(mod(MOD_A), member(BABEK), "insult")
    await m.reports.report_reply(GUILD, reply_id, ANI, "hostility", "")
    item = await m.queue.next(mod(MOD_B))
    assert item is not None
    store = m._desk.store
    original = store.decisions._write_all
    calls = 0

    async def second_write_fails(*args: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 2:  # the ladder's step, after the warning was written
            raise RuntimeError("the process died here, between the warning and its step")
        return await original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(store.decisions, "_write_all", second_write_fails)
    with pytest.raises(RuntimeError):
        await m.act(mod(MOD_B), item.key, QueueAction.WARN, lookup=lookup)
    monkeypatch.undo()
    assert calls == 2
    assert await services.db.fetchval("SELECT COUNT(*) FROM cases") == 1
    assert (await services.replies.get(reply_id)).status is ReplyStatus.PUBLISHED
    assert await services.db.fetchval("SELECT status FROM reports") == "open"
    assert [k for k, _ in await store.queue.pending_keys(GUILD)] == [item.key]
    done = await m.act(mod(MOD_B), item.key, QueueAction.WARN, lookup=lookup)
    assert [c.type for c in done.cases] == [CaseType.REMOVAL, CaseType.WARNING, CaseType.TIMEOUT]
    assert [c.number for c in done.cases] == [2, 3, 4]
    assert Timeout in kinds(done) and "ladder added" in done.message


async def test_with_paired_moderation_the_ladder_proposes_its_timeout(
    services: Services,
) -> None:
    await configured(services)
    m = services.moderation
    admin = Actor(GUILD, MemberFacts(MOD_A, frozenset(), administrator=True), 10, 50)
    await m.policy.update(admin, paired=True)
    await m.warn(mod(MOD_A), member(BABEK), "insult")
    two = await m.warn(mod(MOD_A), member(BABEK), "insult again")
    assert [c.type for c in two.cases] == [CaseType.WARNING]
    assert Timeout not in kinds(two) and "ladder proposes a 1h timeout" in two.message
    (queued,) = [e for e in two.effects if isinstance(e, Announce)]
    paired = await m.queue.get(mod(MOD_B), queued.item_key)
    assert paired.paired is not None and paired.paired.timeout == timedelta(hours=1)


async def test_warnings_expire_after_the_configured_days(services: Services) -> None:
    await configured(services)
    m = services.moderation
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    m.clock = lambda: now
    admin = Actor(GUILD, MemberFacts(MOD_A, frozenset(), manage_guild=True), 10, 50)
    with pytest.raises(NotAllowed):
        await m.policy.update(mod(MOD_A), warning_days=10)
    await m.policy.update(admin, warning_days=10)
    first = await m.warn(mod(MOD_A), member(BABEK), "x")
    assert await m.next_timer_due() == first.cases[0].expires_at
    assert await m.expire_due(now + timedelta(days=9)) == []
    now += timedelta(days=10, seconds=1)
    expired = await m.expire_due()
    assert [c.number for c in expired] == [1]
    assert not (await m.get_case(mod(MOD_A), 1))[0].active
    assert await m.next_timer_due() is None
    # an expired warning no longer counts towards the ladder
    again = await m.warn(mod(MOD_A), member(BABEK), "x")
    assert [c.type for c in again.cases] == [CaseType.WARNING]


async def test_expiry_survives_a_restart(services: Services) -> None:
    await configured(services)
    m = services.moderation
    outcome = await m.timeout(mod(MOD_A), member(BABEK), timedelta(hours=2), "cool down")
    from bot.moderation.service import ModerationService
    from bot.storage.guilds import GuildStore
    from bot.storage.moderation import ModerationStore

    fresh = ModerationService(
        ModerationStore(services.db),
        GuildStore(services.db),
        services.replies,
        services.communities,
    )
    assert await fresh.next_timer_due() == outcome.cases[0].expires_at
    later = outcome.cases[0].created_at + timedelta(hours=2, seconds=1)
    assert [c.number for c in await fresh.expire_due(later)] == [1]


async def test_timeout_limits_and_untimeout(services: Services) -> None:
    await configured(services)
    m = services.moderation
    with pytest.raises(InvalidInput, match="28 days"):
        await m.timeout(mod(MOD_A), member(BABEK), timedelta(days=29), "x")
    with pytest.raises(InvalidInput, match="reason"):
        await m.timeout(mod(MOD_A), member(BABEK), timedelta(hours=1), "  ")
    with pytest.raises(NotAllowed, match="administrators"):
        await m.timeout(mod(MOD_A), member(BABEK, is_administrator=True), timedelta(hours=1), "x")
    done = await m.timeout(mod(MOD_A), member(BABEK), timedelta(hours=1), "x")
    assert Timeout in kinds(done)
    lifted = await m.untimeout(mod(MOD_B), member(BABEK), "talked it out")
    assert lifted.cases[0].type is CaseType.UNTIMEOUT and lifted.cases[0].related_case == 1
    assert Untimeout in kinds(lifted)
    assert not (await m.get_case(mod(MOD_A), 1))[0].active


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (TargetFacts(MOD_A, top_role_position=1), "yourself"),
        (TargetFacts(BABEK, is_owner=True), "owner"),
        (TargetFacts(BABEK, is_bot=True), "Bots"),
        (TargetFacts(BABEK, top_role_position=10), "at or above yours"),
        (TargetFacts(BABEK, top_role_position=60), "at or above yours"),
    ],
)
async def test_target_rules(services: Services, target: TargetFacts, message: str) -> None:
    await configured(services)
    with pytest.raises(NotAllowed, match=message):
        await services.moderation.warn(mod(MOD_A), target, "x")
    assert await services.db.fetchval("SELECT COUNT(*) FROM cases") == 0


async def test_bot_role_must_be_above_the_target(services: Services) -> None:
    await configured(services)
    owner = Actor(GUILD, MemberFacts(MOD_A, frozenset(), is_owner=True), 100, 5)
    with pytest.raises(NotAllowed, match="Track Two's"):
        await services.moderation.warn(owner, member(BABEK, top=7), "x")


async def test_pardon_ends_a_timeout(services: Services) -> None:
    await configured(services)
    m = services.moderation
    await m.timeout(mod(MOD_A), member(BABEK), timedelta(hours=5), "x")
    pardon = await m.pardon(mod(MOD_B), 1, "apologised")
    assert pardon.cases[0].type is CaseType.PARDON
    assert Untimeout in kinds(pardon)
    with pytest.raises(InvalidInput):
        await m.pardon(mod(MOD_B), 1, "again")
