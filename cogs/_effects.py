"""The one place effects happen on Discord, after a service has committed its decision.

Usage, in any cog::

    outcome = await self.services.something.decide(...)
    await answer(interaction, outcome.message)
    await apply(self.bot, guild, outcome.effects)

Member-level effects (timeouts, roles, DMs, deletions) are applied here, one after another; a
Discord error on one is logged and the rest still run. Mod-channel effects (``PostCase``,
``Announce``, ``Resolve``) belong to the moderation feature, which owns the mod channel: they
are handed to it, in order, as one ``t2_mod_channel`` event (``on_t2_mod_channel(guild_id,
effects)``), so no cog reaches into another. ``QueueChanged`` and ``OutboxChanged`` become the
``t2_queue_changed`` and ``t2_outbox_changed`` events.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

import discord

from bot.effects import (
    OUTBOX_CHANGED,
    QUEUE_CHANGED,
    ROUND_CHANGED,
    AddRole,
    Announce,
    DeleteMessage,
    Effect,
    LeaveThread,
    Notify,
    OutboxChanged,
    PostCase,
    QueueChanged,
    RemoveRole,
    Resolve,
    RoundChanged,
    Timeout,
    Untimeout,
)
from cogs._common import NO_MENTIONS

if TYPE_CHECKING:
    from cogs._bot import TrackTwoBot

log = logging.getLogger(__name__)

MOD_CHANNEL = "t2_mod_channel"  # listened to as ``on_t2_mod_channel(guild_id, effects)``
AUDIT_REASON = "Track Two moderation"

ModChannelEffect = PostCase | Announce | Resolve


async def apply(bot: TrackTwoBot, guild: discord.Guild, effects: Iterable[Effect]) -> None:
    """Apply ``effects`` in order. Never raises for a Discord error: each failure is logged
    and the remaining effects still run (the decision is already committed)."""
    mod_channel: list[ModChannelEffect] = []
    for effect in effects:
        match effect:
            case PostCase() | Announce() | Resolve():
                mod_channel.append(effect)
                continue
            case QueueChanged():
                bot.dispatch(QUEUE_CHANGED)
                continue
            case OutboxChanged():
                bot.dispatch(OUTBOX_CHANGED)  # the dialogue's publisher listens
                continue
            case RoundChanged(round_id=round_id):
                bot.dispatch(ROUND_CHANGED, round_id)  # the dialogue redraws the prompt
                continue
        try:
            await _apply_one(bot, guild, effect)
        except discord.HTTPException:
            log.warning(
                "could not apply %s in guild %s", type(effect).__name__, guild.id, exc_info=True
            )
    if mod_channel:
        bot.dispatch(MOD_CHANNEL, guild.id, mod_channel)


async def _apply_one(bot: TrackTwoBot, guild: discord.Guild, effect: Effect) -> None:
    match effect:
        case Timeout(user_id=user_id, until=until):
            if (member := await _member(guild, user_id)) is not None:
                await member.timeout(until, reason=AUDIT_REASON)
        case Untimeout(user_id=user_id):
            if (member := await _member(guild, user_id)) is not None:
                await member.timeout(None, reason=AUDIT_REASON)
        case AddRole(user_id=user_id, role_id=role_id, reason=reason):
            if (member := await _member(guild, user_id)) is not None:
                await member.add_roles(discord.Object(role_id), reason=reason or AUDIT_REASON)
        case RemoveRole(user_id=user_id, role_id=role_id, reason=reason):
            if (member := await _member(guild, user_id)) is not None:
                await member.remove_roles(discord.Object(role_id), reason=reason or AUDIT_REASON)
        case Notify():
            await _notify(bot, guild, effect)
        case DeleteMessage(channel_id=channel_id, message_id=message_id):
            channel = guild.get_channel_or_thread(channel_id)
            if isinstance(channel, discord.abc.Messageable):
                with contextlib.suppress(discord.NotFound):
                    await channel.get_partial_message(message_id).delete()
        case LeaveThread(user_id=user_id, thread_id=thread_id):
            thread = guild.get_thread(thread_id)
            if thread is None:
                with contextlib.suppress(discord.NotFound):
                    found = await bot.fetch_channel(thread_id)
                    thread = found if isinstance(found, discord.Thread) else None
            if thread is not None:
                with contextlib.suppress(discord.NotFound):
                    await thread.remove_user(discord.Object(user_id))
        case _:
            raise AssertionError(f"not a member-level effect: {effect!r}")


async def _member(guild: discord.Guild, user_id: int) -> discord.Member | None:
    try:
        return await guild.fetch_member(user_id)
    except discord.NotFound:
        return None  # left the server: nothing to do


async def _notify(bot: TrackTwoBot, guild: discord.Guild, notice: Notify) -> None:
    """DM the member; when DMs are closed the notice stays pending and is shown the next time
    they use the bot."""
    try:
        user = bot.get_user(notice.user_id) or await bot.fetch_user(notice.user_id)
        # in the member's language: their choice, else the server's (a DM has no locale)
        lang = await bot.services.languages.of_member(guild.id, notice.user_id, None)
        text = notice.notice.render(lang)
        await user.send(f"**{guild.name}**: {text}", allowed_mentions=NO_MENTIONS)
    except discord.HTTPException:
        return
    await bot.services.moderation.notices.delivered([notice.notice_id])


__all__ = ["MOD_CHANNEL", "ModChannelEffect", "apply"]
