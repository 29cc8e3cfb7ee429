"""``/about``: version, uptime, gateway latency, database status and stored replies."""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot.i18n import SOURCE, translate
from cogs._common import language_of

if TYPE_CHECKING:
    from cogs._bot import TrackTwoBot


def format_uptime(seconds: float, lang: str = SOURCE) -> str:
    seconds = int(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [translate("about.unit.day", lang, count=days)] if days else []
    if days or hours:
        parts.append(translate("about.unit.hour", lang, count=hours))
    if days or hours or minutes:
        parts.append(translate("about.unit.minute", lang, count=minutes))
    parts.append(translate("about.unit.second", lang, count=secs))
    return " ".join(parts)


class Meta(commands.Cog):
    def __init__(self, bot: TrackTwoBot) -> None:
        self.bot = bot

    @app_commands.command(name="about", description="What Track Two is, and how it is doing")
    async def about(self, interaction: discord.Interaction) -> None:
        services = self.bot.services
        health = await services.status.database_health()
        lang = await language_of(interaction)
        latency = self.bot.latency
        latency_text = (
            translate("about.latency.unknown", lang)
            if math.isnan(latency) or math.isinf(latency)
            else translate("about.latency.ms", lang, ms=f"{latency * 1000:.0f}")
        )
        embed = discord.Embed(
            title=translate("about.title", lang),
            description=translate("about.description", lang),
            colour=discord.Colour.teal(),
        )
        embed.add_field(name=translate("about.version", lang), value=__version__)
        uptime = format_uptime(time.monotonic() - services.started_at, lang)
        embed.add_field(name=translate("about.uptime", lang), value=uptime)
        embed.add_field(name=translate("about.latency", lang), value=latency_text)
        database = (
            translate("about.database.ok", lang, schema=health.schema_version)
            if health.ok
            else translate("about.database.unavailable", lang)
        )
        embed.add_field(name=translate("about.database", lang), value=database)
        embed.add_field(name=translate("about.replies", lang), value=str(health.reply_count))
        await interaction.response.send_message(embed=embed, ephemeral=True)


async def setup(bot: TrackTwoBot) -> None:
    await bot.add_cog(Meta(bot))
