"""Safety subcommands that live in other features' groups: ``/setup retention`` (cogs/setup.py).
The group checks the permission; the body parses, calls the service and answers. (``/round
digest`` is the bridging digest's, in cogs/bridging.py.)"""

from __future__ import annotations

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
