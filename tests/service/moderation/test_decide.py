"""Deciding queue items: approve, remove, keep, dismiss; who may; who wins (moderation/decide)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.civility.model import Category
from bot.dialogue.models import ReplyStatus
from bot.effects import (
    Notify,
    PostCase,
)
from bot.errors import Conflict, InvalidInput, NotAllowed
from bot.moderation.casetypes import CaseType
from bot.moderation.models import ItemKind
from bot.moderation.service import QueueAction
from bot.moderation.targets import Actor
from bot.notice import Mention
from bot.permissions import MemberFacts
from bot.services import Services
from tests.service.conftest import GUILD
from tests.service.moderation.helpers import (
    ANI,
    BABEK,
    CAROL,
    MOD_A,
    MOD_B,
    configured,
    held,
    kinds,
    lookup,
    member,
    mod,
    published,
)


async def test_held_reply_in_queue_is_approved_once(services: Services) -> None:
    round_id = await configured(services)
    reply_id = await held(services, round_id)
    m = services.moderation
    item = await m.queue.next(mod(MOD_A))
    assert item is not None and item.key == f"held:{reply_id}"
    assert item.verdicts[0].rule == "lexicon" and item.verdicts[0].matched == "vermin"
    assert item.verdicts[0].category is Category.DEHUMANIZATION and item.verdicts[0].field
    assert item.community == "Armenian"

    outcome = await m.act(mod(MOD_A), item.key, QueueAction.APPROVE)
    assert outcome.cases[0].type is CaseType.APPROVAL
    # the case log does not name the author of a pseudonymous reply (only /mod reveal does)
    assert outcome.cases[0].target_id is None
    assert [i.kind for i in await services.replies.due_outbox()] == ["publish"]
    with pytest.raises(Conflict, match="already approved") as taken:
        await m.act(mod(MOD_B), item.key, QueueAction.REMOVE, lookup=lookup)
    assert taken.value.params["moderator"] == Mention(MOD_A)  # the cog renders the mention
    assert await m.queue.next(mod(MOD_A)) is None


async def test_two_moderators_at_once_one_wins(services: Services) -> None:
    round_id = await configured(services)
    reply_id = await held(services, round_id)
    results = await asyncio.gather(
        services.moderation.act(mod(MOD_A), f"held:{reply_id}", QueueAction.APPROVE),
        services.moderation.act(mod(MOD_B), f"held:{reply_id}", QueueAction.REMOVE, lookup=lookup),
        return_exceptions=True,
    )
    assert sum(isinstance(r, Conflict) for r in results) == 1
    cases = await services.db.fetchval("SELECT COUNT(*) FROM cases")
    assert cases == 1


async def test_remove_a_reported_reply_unpublishes_and_tells_the_author(
    services: Services,
) -> None:
    round_id = await configured(services)
    reply_id = await published(services, round_id)
    m = services.moderation
    await m.reports.report_reply(GUILD, reply_id, BABEK, "hate", "")
    item = await m.queue.next(mod(MOD_B))
    assert item is not None
    outcome = await m.act(mod(MOD_B), item.key, QueueAction.REMOVE, reason="Slur", lookup=lookup)
    (case,) = outcome.cases
    assert case.type is CaseType.REMOVAL and case.reply_id == reply_id
    assert (await services.replies.get(reply_id)).status is ReplyStatus.REMOVED
    assert [i.kind for i in await services.replies.due_outbox()] == ["unpublish"]
    (notify,) = [e for e in outcome.effects if isinstance(e, Notify)]
    assert notify.user_id == ANI
    assert f"case {case.number}" in notify.text and f"/appeal case:{case.number}" in notify.text
    assert "Slur" in notify.text
    assert PostCase in kinds(outcome)
    status = await services.db.fetchval("SELECT status FROM reports")
    assert status == "removed"
    # the notice waits until delivered
    pending = await m.notices.pending(GUILD, ANI)
    assert [notice for _, notice in pending] == [notify.notice]
    # kept as message ids: delivered in the member's language
    russian = pending[0][1].render("ru")
    assert f"Номер дела: {case.number}." in russian and "Slur" in russian
    await m.notices.delivered([notify.notice_id])
    assert await m.notices.pending(GUILD, ANI) == []


async def test_keep_and_dismiss_close_reports_with_a_case(services: Services) -> None:
    round_id = await configured(services)
    reply_id = await published(services, round_id)
    m = services.moderation
    await m.reports.report_reply(GUILD, reply_id, BABEK, "hostility", "")
    item = await m.queue.next(mod(MOD_A))
    assert item is not None
    with pytest.raises(InvalidInput):
        await m.act(mod(MOD_A), item.key, QueueAction.UPHOLD)
    kept = await m.act(mod(MOD_A), item.key, QueueAction.APPROVE)
    assert kept.cases[0].type is CaseType.KEPT and kept.cases[0].target_id is None
    assert (await services.replies.get(reply_id)).status is ReplyStatus.PUBLISHED
    # a new report on the same reply is a new item
    await m.reports.report_reply(GUILD, reply_id, BABEK, "threat", "now a threat")
    again = await m.queue.next(mod(MOD_A))
    assert again is not None and again.key != item.key
    dismissed = await m.act(mod(MOD_B), again.key, QueueAction.DISMISS)
    assert dismissed.cases[0].type is CaseType.DISMISSAL
    assert await m.queue.next(mod(MOD_A)) is None


async def test_queue_next_walks_items_oldest_first(services: Services) -> None:
    round_id = await configured(services)
    m = services.moderation
    first = await held(services, round_id)
    await asyncio.sleep(0.01)  # timestamps have millisecond precision
    reply_id = await published(services, round_id, BABEK)
    await m.reports.report_reply(GUILD, reply_id, ANI, "spam", "")
    a = await m.queue.next(mod(MOD_A))
    assert a is not None and a.key == f"held:{first}" and (a.position, a.total) == (1, 2)
    b = await m.queue.next(mod(MOD_A), after=a.key)
    assert b is not None and b.kind is ItemKind.REPORT and b.position == 2
    c = await m.queue.next(mod(MOD_A), after=b.key)
    assert c is not None and c.key == a.key  # wraps around


async def test_non_moderators_are_refused_everywhere(services: Services) -> None:
    round_id = await configured(services)
    reply_id = await held(services, round_id)
    m = services.moderation
    nobody = Actor(GUILD, MemberFacts(CAROL, frozenset()), 10, 50)
    calls = [
        m.queue.next(nobody),
        m.act(nobody, f"held:{reply_id}", QueueAction.APPROVE),
        m.warn(nobody, member(BABEK), "x"),
        m.timeout(nobody, member(BABEK), timedelta(hours=1), "x"),
        m.untimeout(nobody, member(BABEK), "x"),
        m.reveal(nobody, reply_id, "x"),
        m.get_case(nobody, 1),
        m.cases_for(nobody, BABEK),
        m.edit_reason(nobody, 1, "x"),
        m.policy.get(nobody),
        m.pardon(nobody, 1, "x"),
    ]
    for call in calls:
        with pytest.raises(NotAllowed, match="Only moderators"):
            await call
    assert (await services.replies.get(reply_id)).status is ReplyStatus.HELD
    assert await services.db.fetchval("SELECT COUNT(*) FROM cases") == 0
