"""Safety subcommands that live in other features' groups: ``/setup retention`` (cogs/setup.py)
and ``/round digest`` (cogs/dialogue/slash.py). Those groups check the permission; these
bodies parse, call the service and answer."""

from __future__ import annotations

import io
from typing import Any

import discord

from cogs._common import answer, guild_id_of, services_of


async def set_retention(interaction: discord.Interaction[Any], days: int) -> None:
    """``days`` 0 turns retention off."""
    services = services_of(interaction)
    kept = await services.safety.retention.set_retention(guild_id_of(interaction), days or None)
    if kept is None:
        text = "Replies are now kept until someone deletes them (retention off)."
    else:
        text = (
            f"Replies, with their endorsements and edit history, will be deleted {kept} days "
            "after their round closes (checked daily). Messages already in the threads stay."
        )
    await answer(interaction, text)


async def send_digest(interaction: discord.Interaction[Any], number: int | None) -> None:
    services = services_of(interaction)
    thread_id = interaction.channel_id if isinstance(interaction.channel, discord.Thread) else None
    await interaction.response.defer(ephemeral=True, thinking=True)
    digest = await services.safety.digest.digest(guild_id_of(interaction), number, thread_id)
    file = discord.File(io.BytesIO(digest.markdown.encode("utf-8")), filename=digest.filename)
    await answer(
        interaction,
        f"Round {digest.round_number}: {digest.quoted} repl"
        f"{'y' if digest.quoted == 1 else 'ies'} whose authors agreed to be quoted, "
        "under their pseudonyms.",
        file=file,
    )
