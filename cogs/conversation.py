"""Commands that take a reply's reference ("R2-4", shown under every reply, in the queue and
in the mod log): ``/report reply:R2-4`` opens the same report form as a reply's Report button,
for a member who would rather name the reply than find its message (issue 13 item 9)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from cogs import _ids as ids
from cogs._common import guild_id_of, services_of
from cogs.moderation._views import ReportModal

if TYPE_CHECKING:
    from cogs._bot import TrackTwoBot


class Conversation(commands.Cog):
    def __init__(self, bot: TrackTwoBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="report", description="Report a reply to the moderators by its reference"
    )
    @app_commands.describe(reply="The reference under the reply, e.g. R2-4")
    @app_commands.guild_only()
    async def report(
        self, interaction: discord.Interaction[Any], reply: app_commands.Range[str, 1, 40]
    ) -> None:
        services = services_of(interaction)
        guild_id = guild_id_of(interaction)
        # this server's reply only: the reference is looked up within the server
        found = await services.replies.by_reference(guild_id, reply)
        await services.moderation.reports.check_reply(guild_id, found.id, interaction.user.id)
        await interaction.response.send_modal(ReportModal(ids.REPORT_FORM.build(reply_id=found.id)))


async def setup(bot: TrackTwoBot) -> None:
    await bot.add_cog(Conversation(bot))
