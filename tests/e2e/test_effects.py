"""The one effect applier (cogs/_effects.py) against the local Discord: every member-level
effect lands, a failing effect does not stop the rest, the wake-up events fire, and the
mod-channel effects reach the mod channel through the moderation feature."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.effects import (
    AddRole,
    DeleteMessage,
    Effect,
    OutboxChanged,
    QueueChanged,
    RemoveRole,
    Timeout,
    Untimeout,
)
from bot.moderation.casetypes import CaseType
from bot.moderation.models import NewCase
from bot.notice import Notice
from cogs._effects import apply
from sandbox.harness import BotHarness
from sandbox.world import World

pytestmark = pytest.mark.e2e


async def until(predicate: Any, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not reached")


async def test_member_effects_land_and_one_failure_does_not_stop_the_rest(
    world: World, tracktwo: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    bot = tracktwo.bot
    guild = bot.get_guild(world.guild.id)
    assert guild is not None
    woken: list[str] = []

    async def on_t2_queue_changed() -> None:
        woken.append("queue")

    async def on_t2_outbox_changed() -> None:
        woken.append("outbox")

    bot.add_listener(on_t2_queue_changed)
    bot.add_listener(on_t2_outbox_changed)
    message = await world.ani.send(world.general, "a message to delete")
    later = datetime.now(UTC) + timedelta(hours=1)
    effects: list[Effect] = [
        Timeout(world.owner.id, later),  # Discord refuses: the owner cannot be timed out
        Timeout(123456789, later),  # nobody by that id: skipped
        AddRole(world.bob.id, world.armenian.id),
        Timeout(world.babek.id, later),
        DeleteMessage(world.general.id, message.id),
        DeleteMessage(world.general.id, message.id),  # already gone: fine
        QueueChanged(),
        OutboxChanged(),
    ]
    await apply(bot, guild, effects)
    assert world.armenian.id in world.bob.member.role_ids
    assert world.babek.member.timed_out
    assert not world.owner.member.timed_out
    refused = [r for r in caplog.records if r.name == "cogs._effects"]
    assert [r.getMessage() for r in refused] == [f"could not apply Timeout in guild {guild.id}"]
    assert message.id not in [m.id for m in world.emu.messages_in(world.general)]
    await until(lambda: sorted(woken) == ["outbox", "queue"])

    await apply(
        bot, guild, [RemoveRole(world.bob.id, world.armenian.id), Untimeout(world.babek.id)]
    )
    assert world.armenian.id not in world.bob.member.role_ids
    assert not world.babek.member.timed_out


async def test_a_case_from_another_feature_reaches_the_mod_log_and_the_member(
    world: World, tracktwo: BotHarness
) -> None:
    """What community verification does: record a case, then apply its outcome; the mod log
    is the moderation feature's, reached by event, and the notice goes by DM."""
    bot = tracktwo.bot
    services = bot.services
    await services.guild_config.set_mod_channel(world.guild.id, world.mod_channel.id)
    guild = bot.get_guild(world.guild.id)
    assert guild is not None
    outcome = await services.moderation.create_case(
        world.guild.id,
        NewCase(
            CaseType.VERIFICATION,
            world.mod.id,
            target_id=world.bob.id,
            reason="Join request for Armenian: approved",
            notice=Notice.of("verification.notice.approved", community="Armenian"),
        ),
    )
    await apply(bot, guild, outcome.effects)
    await until(lambda: any(m.embeds for m in world.emu.messages_in(world.mod_channel)))
    (logged,) = [m for m in world.emu.messages_in(world.mod_channel) if m.embeds]
    assert "1" in logged.embeds[0]["title"]
    dms = world.emu.messages_in(world.emu.dm_channel(world.bob.member.user))
    assert any("join **Armenian** was approved" in m.content for m in dms)
    assert await services.moderation.notices.pending(world.guild.id, world.bob.id) == []
