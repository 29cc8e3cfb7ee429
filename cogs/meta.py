"""``/about``: version, uptime, gateway latency, database status and stored replies."""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__

if TYPE_CHECKING:
    from cogs._bot import TrackTwoBot


def format_uptime(seconds: float) -> str:
    seconds = int(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{days}d"] if days else []
    if days or hours:
        parts.append(f"{hours}h")
    if days or hours or minutes:
        parts.append(f"{minutes}m")
    parts.append(f"{secs}s")
    return " ".join(parts)


class Meta(commands.Cog):
    def __init__(self, bot: TrackTwoBot) -> None:
        self.bot = bot

    @app_commands.command(name="about", description="What Track Two is, and how it is doing")
    async def about(self, interaction: discord.Interaction) -> None:
        services = self.bot.services
        health = await services.status.database_health(interaction.guild_id)
        latency = self.bot.latency
        latency_text = (
            "n/a" if math.isnan(latency) or math.isinf(latency) else f"{latency * 1000:.0f} ms"
        )
        embed = discord.Embed(
            title="Track Two",
            description=(
                "A space for people-to-people dialogue between communities in conflict: "
                "essay excerpts as prompts, structured replies, endorsements across the divide."
            ),
            colour=discord.Colour.teal(),
        )
        embed.add_field(name="Version", value=__version__)
        embed.add_field(name="Uptime", value=format_uptime(time.monotonic() - services.started_at))
        embed.add_field(name="Gateway latency", value=latency_text)
        embed.add_field(
            name="Database",
            value=f"ok (schema {health.schema_version})" if health.ok else "unavailable",
        )
        if interaction.guild_id is not None:  # this server's only
            embed.add_field(name="Stored replies", value=str(health.reply_count))
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: TrackTwoBot) -> None:
    await bot.add_cog(Meta(bot))
