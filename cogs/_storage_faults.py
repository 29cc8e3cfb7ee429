"""Answering a member truthfully when the database fails (issue 10, item 14): what happened,
their text given back so nothing is lost, and the moderation channel told once while the
failures last (bot/faults.py keeps that count and rate-limits the traceback)."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.i18n import translate
from cogs._common import NO_MENTIONS, answer, language_of, services_of

log = logging.getLogger(__name__)


async def answer_storage_failure(
    interaction: discord.Interaction[Any], error: BaseException, text: str
) -> None:
    """Tell the member their text was not saved and give it back; alert the moderators once."""
    services = services_of(interaction)
    health = services.storage_health
    alert = health.failed(interaction.guild_id)
    if health.log_traceback():
        log.error(
            "a reply could not be saved: the database failed (%d similar tracebacks not shown)",
            health.suppressed,
            exc_info=error,
        )
        health.suppressed = 0
    else:
        log.warning("a reply could not be saved: the database failed (%s)", type(error).__name__)
    lang = await language_of(interaction)
    await answer(interaction, f"{translate('storage.unsaved', lang)}\n```\n{text[:1700]}\n```")
    if alert and interaction.guild_id is not None:
        await tell_moderators(interaction, interaction.guild_id)


async def tell_moderators(interaction: discord.Interaction[Any], guild_id: int) -> None:
    try:
        config = await services_of(interaction).guild_config.get(guild_id)
    except Exception:  # the reads fail too: nobody can be told through the bot
        log.error("the database is failing and the moderators cannot be told (no config)")
        return
    channel = (
        interaction.client.get_channel(config.mod_channel_id) if config.mod_channel_id else None
    )
    if not isinstance(channel, discord.abc.Messageable):
        log.error("the database is failing; server %s has no moderation channel to tell", guild_id)
        return
    try:
        await channel.send(
            translate("storage.mod_alert", config.language or "en"), allowed_mentions=NO_MENTIONS
        )
    except discord.HTTPException:
        log.warning("could not tell the moderators that the database is failing", exc_info=True)
