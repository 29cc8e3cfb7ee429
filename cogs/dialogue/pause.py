"""``/round pause|resume|pauses`` and ``/setup pause|resume``: the cog side of
:mod:`bot.dialogue.pauses`. Facilitators only (the groups check it server-side)."""

from __future__ import annotations

from typing import Any

import discord

from bot.i18n import translate
from cogs._common import answer, guild_id_of, language_of, services_of, truncate
from cogs._effects import apply


def _thread_id(interaction: discord.Interaction[Any]) -> int | None:
    channel = interaction.channel
    return channel.id if isinstance(channel, discord.Thread) else None


async def pause(
    interaction: discord.Interaction[Any], *, server: bool, number: int | None, reason: str
) -> None:
    services = services_of(interaction)
    guild_id = guild_id_of(interaction)
    round_ = (
        None if server else await services.rounds.resolve(guild_id, number, _thread_id(interaction))
    )
    outcome = await services.pauses.pause(guild_id, round_, interaction.user.id, reason)
    lang = await language_of(interaction)
    if round_ is None:
        await answer(interaction, translate("pause.done.server", lang))
    else:
        await answer(interaction, translate("pause.done.round", lang, round=round_.number))
    if interaction.guild is not None:
        await apply(interaction.client, interaction.guild, outcome.effects)


async def resume(
    interaction: discord.Interaction[Any], *, server: bool, number: int | None
) -> None:
    services = services_of(interaction)
    guild_id = guild_id_of(interaction)
    round_ = (
        None if server else await services.rounds.resolve(guild_id, number, _thread_id(interaction))
    )
    outcome = await services.pauses.resume(guild_id, round_, interaction.user.id)
    lang = await language_of(interaction)
    if round_ is None:
        await answer(interaction, translate("pause.resumed.server", lang))
        interaction.client.dispatch("t2_schedule_changed")
    else:
        await answer(interaction, translate("pause.resumed.round", lang, round=round_.number))
    if interaction.guild is not None:
        await apply(interaction.client, interaction.guild, outcome.effects)


async def pause_log(interaction: discord.Interaction[Any]) -> None:
    """The pause log: who paused what, when and why, and who resumed it when."""
    services = services_of(interaction)
    guild_id = guild_id_of(interaction)
    lang = await language_of(interaction)
    lines = []
    for entry in await services.pauses.log(guild_id):
        where = (
            translate("pause.log.server", lang)
            if entry.round_id is None
            else translate("pause.log.round", lang, round=entry.round_number or "?")
        )
        line = f"#{entry.id} · {where} · <@{entry.paused_by}> · {discord.utils.format_dt(entry.paused_at, 'f')} — "
        line += entry.reason
        if entry.resumed_at is not None:
            line += f" · ▶️ <@{entry.resumed_by}> {discord.utils.format_dt(entry.resumed_at, 'f')}"
        else:
            line += " · ⏸️"
        lines.append(line)
    embed = discord.Embed(
        title=translate("pause.log.title", lang),
        description=truncate("\n".join(lines) or translate("pause.log.empty", lang), 4096),
        colour=discord.Colour.light_grey(),
    )
    await answer(interaction, embed=embed)
