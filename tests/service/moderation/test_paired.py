"""Paired moderation: confirm and cancel (moderation/paired)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.dialogue.models import ReplyStatus
from bot.effects import (
    Announce,
    Timeout,
)
from bot.errors import Conflict, NotAllowed
from bot.moderation.casetypes import CaseType
from bot.moderation.models import ItemKind
from bot.moderation.service import QueueAction
from bot.moderation.targets import Actor
from bot.notice import Mention
from bot.permissions import MemberFacts
from bot.services import Services
from bot.storage.moderation import decision as decision_module
from tests.service.conftest import GUILD
from tests.service.moderation.helpers import (
    ANI,
    BABEK,
    MOD_A,
    MOD_A2,
    MOD_B,
    MOD_X,
    configured,
    held,
    kinds,
    lookup,
    member,
    mod,
    published,
)


async def test_paired_moderation_needs_a_second_moderator_of_another_community(
    services: Services,
) -> None:
    round_id = await configured(services)
    reply_id = await published(services, round_id, BABEK)
    m = services.moderation
    admin = Actor(GUILD, MemberFacts(MOD_A, frozenset(), administrator=True), 10, 50)
    await m.policy.update(admin, paired=True)
    await m.reports.report_reply(GUILD, reply_id, ANI, "hostility", "")
    item = await m.queue.next(mod(MOD_A))
    assert item is not None
    proposed = await m.act(
        mod(MOD_A), item.key, QueueAction.TIMEOUT, duration=timedelta(hours=3), lookup=lookup
    )
    assert proposed.pending_key is not None and proposed.cases == []
    assert Timeout not in kinds(proposed)
    assert (await services.replies.get(reply_id)).status is ReplyStatus.PUBLISHED
    pending = await m.queue.next(mod(MOD_B))
    assert pending is not None and pending.key == proposed.pending_key
    assert pending.kind is ItemKind.PAIRED and pending.reply is not None  # shows what it is about
    key = proposed.pending_key

    with pytest.raises(NotAllowed, match="You proposed"):
        await m.act(mod(MOD_A), key, QueueAction.CONFIRM, lookup=lookup)
    with pytest.raises(NotAllowed, match="other than Armenian"):
        await m.act(mod(MOD_A2), key, QueueAction.CONFIRM, lookup=lookup)
    with pytest.raises(NotAllowed, match="not joined one"):
        await m.act(mod(MOD_X), key, QueueAction.CONFIRM, lookup=lookup)
    done = await m.act(mod(MOD_B), key, QueueAction.CONFIRM, lookup=lookup)
    assert [c.type for c in done.cases] == [CaseType.REMOVAL, CaseType.TIMEOUT]
    assert all(c.moderator_id == MOD_A and c.confirmed_by == MOD_B for c in done.cases)
    assert Timeout in kinds(done)
    assert (await services.replies.get(reply_id)).status is ReplyStatus.REMOVED
    with pytest.raises(Conflict, match="already confirmed") as taken:
        await m.act(mod(MOD_A2), key, QueueAction.CANCEL)
    assert taken.value.params["moderator"] == Mention(MOD_B)  # the cog renders the mention
    assert await m.queue.next(mod(MOD_A)) is None


async def test_cancelled_paired_action_returns_the_item_to_the_queue(services: Services) -> None:
    round_id = await configured(services)
    reply_id = await held(services, round_id, BABEK)
    m = services.moderation
    admin = Actor(GUILD, MemberFacts(MOD_A, frozenset(), administrator=True), 10, 50)
    await m.policy.update(admin, paired=True)
    proposed = await m.act(mod(MOD_A), f"held:{reply_id}", QueueAction.REMOVE, lookup=lookup)
    assert proposed.pending_key is not None
    cancelled = await m.act(mod(MOD_B), proposed.pending_key, QueueAction.CANCEL)
    assert Announce in kinds(cancelled)
    item = await m.queue.next(mod(MOD_A))
    assert item is not None and item.key == f"held:{reply_id}"
    # warnings alone are not paired
    warned = await m.warn(mod(MOD_A), member(BABEK), "x")
    assert warned.cases[0].type is CaseType.WARNING


async def test_a_cancel_that_fails_midway_leaves_the_proposal_waiting(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancelling decides the proposal and reopens the original item in one transaction: a
    failure after the reopening leaves the proposal waiting and the item still claimed, not
    an item that is neither in the queue nor decided."""
    round_id = await configured(services)
    reply_id = await held(services, round_id, BABEK)
    m = services.moderation
    admin = Actor(GUILD, MemberFacts(MOD_A, frozenset(), administrator=True), 10, 50)
    await m.policy.update(admin, paired=True)
    proposed = await m.act(mod(MOD_A), f"held:{reply_id}", QueueAction.REMOVE, lookup=lookup)
    assert proposed.pending_key is not None
    store = m._desk.store
    original = decision_module.release_in

    async def reopen_then_fail(*args: object) -> None:
        await original(*args)  # type: ignore[arg-type]
        raise RuntimeError("the process died here, after the item was reopened")

    monkeypatch.setattr(decision_module, "release_in", reopen_then_fail)
    with pytest.raises(RuntimeError):
        await m.act(mod(MOD_B), proposed.pending_key, QueueAction.CANCEL)
    monkeypatch.undo()
    keys = [k for k, _ in await store.queue.pending_keys(GUILD)]
    assert keys == [proposed.pending_key]  # the proposal waits; the held reply is still its
    assert await services.db.fetchval("SELECT status FROM paired_actions") == "waiting"
    # and the cancel can simply be done again
    await m.act(mod(MOD_B), proposed.pending_key, QueueAction.CANCEL)
    assert [k for k, _ in await store.queue.pending_keys(GUILD)] == [f"held:{reply_id}"]
