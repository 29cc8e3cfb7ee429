"""Reports from members on replies and messages (moderation/reports)."""

from __future__ import annotations

import pytest

from bot.effects import (
    Announce,
    DeleteMessage,
)
from bot.errors import Conflict, InvalidInput, NotAllowed
from bot.moderation.models import ItemKind
from bot.moderation.service import QueueAction
from bot.services import Services
from tests.service.conftest import GUILD, column_names
from tests.service.moderation.helpers import (
    ANI,
    BABEK,
    CAROL,
    DIALOGUE,
    MOD_A,
    MOD_B,
    TEXT,
    configured,
    kinds,
    lookup,
    mod,
    published,
)


async def test_report_on_reply_one_open_per_member_and_never_own(services: Services) -> None:
    round_id = await configured(services)
    reply_id = await published(services, round_id)
    m = services.moderation
    with pytest.raises(NotAllowed, match="own reply"):
        await m.reports.report_reply(GUILD, reply_id, ANI, "hostility", "")
    first = await m.reports.report_reply(GUILD, reply_id, BABEK, "hostility", "  calls us names  ")
    assert kinds(first) == [Announce]
    with pytest.raises(Conflict, match="already reported"):
        await m.reports.report_reply(GUILD, reply_id, BABEK, "threat", "again")
    second = await m.reports.report_reply(GUILD, reply_id, CAROL, "hate", "x" * 900)
    assert kinds(second) == []  # joins the same queue item
    with pytest.raises(InvalidInput):
        await m.reports.report_reply(GUILD, reply_id, MOD_B, "nonsense", "")

    item = await m.queue.next(mod(MOD_A))
    assert item is not None and item.kind is ItemKind.REPORT
    assert [r.reporter_id for r in item.reports] == [BABEK, CAROL]
    assert item.reports[0].reason == "calls us names"
    assert len(item.reports[1].reason) == 500
    assert item.reply is not None and item.reply.fields.brings_up == TEXT
    assert item.community == "Armenian"
    assert item.history is not None and item.history.count == 0


async def test_message_reports_store_ids_only_and_only_in_the_dialogue(
    services: Services,
) -> None:
    await configured(services)
    m = services.moderation
    common = {"message_id": 5555, "author_id": ANI, "category": "spam", "reason": "ads"}
    with pytest.raises(NotAllowed, match="dialogue channel"):
        await m.reports.report_message(
            GUILD, channel_id=1, parent_id=None, author_is_bot=False, reporter_id=BABEK, **common
        )
    with pytest.raises(InvalidInput, match="bot"):
        await m.reports.report_message(
            GUILD,
            channel_id=DIALOGUE,
            parent_id=None,
            author_is_bot=True,
            reporter_id=BABEK,
            **common,
        )
    with pytest.raises(NotAllowed, match="own message"):
        await m.reports.report_message(
            GUILD,
            channel_id=DIALOGUE,
            parent_id=None,
            author_is_bot=False,
            reporter_id=ANI,
            **common,
        )
    outcome = await m.reports.report_message(
        GUILD,
        channel_id=8001,
        parent_id=DIALOGUE,
        author_is_bot=False,
        reporter_id=BABEK,
        **common,
    )
    assert kinds(outcome) == [Announce]
    columns = set(await column_names(services.db, "reports"))
    assert not columns & {"content", "text", "excerpt", "body"}
    item = await m.queue.next(mod(MOD_A))
    assert item is not None and (item.channel_id, item.message_id) == (8001, 5555)

    removed = await m.act(mod(MOD_A), item.key, QueueAction.REMOVE, lookup=lookup)
    deletes = [e for e in removed.effects if isinstance(e, DeleteMessage)]
    assert [(e.channel_id, e.message_id) for e in deletes] == [(8001, 5555)]
    assert removed.cases[0].target_id == ANI


async def test_a_report_on_a_reply_message_becomes_a_reply_report(services: Services) -> None:
    round_id = await configured(services)
    reply_id = await published(services, round_id)
    reply = await services.replies.get(reply_id)
    assert reply.message_id is not None
    await services.moderation.reports.report_message(
        GUILD,
        channel_id=8001,
        parent_id=DIALOGUE,
        message_id=reply.message_id,
        author_id=999,  # the bot posted it
        author_is_bot=True,
        reporter_id=BABEK,
        category="hate",
        reason="",
    )
    item = await services.moderation.queue.next(mod(MOD_A))
    assert item is not None and item.reply is not None and item.reply.id == reply_id


async def test_member_text_in_reports_and_appeals_is_sanitized(services: Services) -> None:
    round_id = await configured(services)
    reply_id = await published(services, round_id)
    await services.moderation.reports.report_reply(
        GUILD, reply_id, BABEK, "hostility", "<script>alert(1)</script>@everyone look\u202e here"
    )
    stored = await services.db.fetchval("SELECT reason FROM reports")
    # a tag that is not the essay form's is the member's text (inert in Discord), kept as typed
    assert "<script>alert(1)</script>" in stored
    assert "@everyone" not in stored and "\u202e" not in stored
    assert "look" in stored and "here" in stored


async def test_every_queue_item_key_resolves_to_its_server(services: Services) -> None:
    """The cross-server guard (cogs/_guard.py) asks which server a queue item belongs to."""
    round_id = await configured(services)
    reply_id = await published(services, round_id)
    queue = services.moderation.queue
    await services.moderation.reports.report_reply(GUILD, reply_id, BABEK, "hostility", "")
    report_id = await services.db.fetchval("SELECT id FROM reports")
    assert await queue.owner_guild(f"report:{report_id}") == GUILD
    assert await queue.owner_guild(f"p:{report_id}") == GUILD  # an old button's key
    assert await queue.owner_guild(f"held:{reply_id}") == GUILD
    for missing in ("report:999", "held:999", "appeal:999", "paired:999", "nonsense"):
        assert await queue.owner_guild(missing) is None
