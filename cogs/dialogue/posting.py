"""Posting a round's prompt and keeping it current: used by /prompt post, /round close and
reopen, and the schedule."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.dialogue.models import Round
from bot.errors import UserFacingError
from bot.i18n import SOURCE, translate
from cogs._common import NO_MENTIONS
from cogs.dialogue.render import round_embed, round_view

if TYPE_CHECKING:
    from cogs._bot import TrackTwoBot

log = logging.getLogger(__name__)


async def post_round(bot: TrackTwoBot, guild_id: int, excerpt_id: int | None) -> Round:
    """Post an excerpt in the dialogue channel and open its thread."""
    services = bot.services
    round_, excerpt = await services.rounds.prepare(guild_id, excerpt_id)
    channel = bot.get_channel(round_.channel_id)
    if not isinstance(channel, discord.TextChannel):
        await services.rounds.abandon(round_)
        raise UserFacingError("posting.error.no_channel")
    lang = (await services.guild_config.get(guild_id)).language or "en"
    try:
        message = await channel.send(
            embed=round_embed(round_, excerpt, lang),
            view=round_view(round_, lang),
            allowed_mentions=NO_MENTIONS,
        )
    except discord.HTTPException:
        await services.rounds.abandon(round_)
        raise UserFacingError("posting.error.cannot_send") from None
    thread_id: int | None = None
    try:
        thread = await message.create_thread(
            name=thread_name(round_, excerpt.title, lang), auto_archive_duration=10080
        )
        thread_id = thread.id
    except discord.HTTPException:
        log.warning("round %s: could not open a thread; replies will wait", round_.id)
    return await services.rounds.attach(round_, message.id, thread_id)


def thread_name(round_: Round, title: str, lang: str = SOURCE) -> str:
    """In the server's language: everyone reads it."""
    short = title.split(":", maxsplit=1)[0]
    return translate("post.thread.name", lang, round=round_.number, title=short)[:100]


async def refresh_round_message(bot: TrackTwoBot, round_: Round) -> None:
    services = bot.services
    channel = bot.get_channel(round_.channel_id)
    if not isinstance(channel, discord.TextChannel) or round_.message_id is None:
        return
    excerpt = await services.rounds.excerpt(round_)
    lang = (await services.guild_config.get(round_.guild_id)).language or "en"
    paused = await services.pauses.active(round_.guild_id, round_.id) is not None
    try:
        await channel.get_partial_message(round_.message_id).edit(
            embed=round_embed(round_, excerpt, lang, paused=paused),
            view=round_view(round_, lang, paused=paused),
        )
    except discord.HTTPException:
        log.warning("round %s: could not update the prompt message", round_.id)
