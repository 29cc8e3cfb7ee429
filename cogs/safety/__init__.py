"""Participant safety on Discord: ``/mydata`` and the daily retention purge. ``/setup
retention`` and ``/round digest`` are subcommands of their groups (see subcommands.py)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from cogs._tasks import Sleeper
from cogs.safety.mydata import DeleteButton, MyDataGroup

if TYPE_CHECKING:
    from cogs._bot import TrackTwoBot

log = logging.getLogger(__name__)

MIN_SLEEP = 60.0
DAY = 86400.0


class Safety(commands.Cog):
    def __init__(self, bot: TrackTwoBot) -> None:
        self.bot = bot
        self._purger = Sleeper("tracktwo-purge", self._purge, DAY, retry=3600.0)

    async def cog_load(self) -> None:
        if self.bot.is_ready():  # loaded again into a running bot
            self._purger.start()

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        self._purger.start()  # idempotent: on_ready fires again after a reconnect

    async def _purge(self) -> float:
        """On startup when a purge is due (the last time is stored), then once a day."""
        retention = self.bot.services.safety.retention
        if not await self.bot.services.leases.hold("retention", seconds=2 * DAY):
            return DAY  # another process holds the retention lease; try again tomorrow
        await retention.purge_if_due()
        for round_id, thread_id in await retention.threads_to_delete():
            try:
                await self.bot.http.delete_channel(thread_id, reason="Track Two: retention period")
            except discord.NotFound:
                pass  # already gone
            except discord.HTTPException:
                log.warning("could not delete the thread of purged round %s; will retry", round_id)
                continue
            await retention.thread_deleted(round_id)
            log.info("deleted the thread of purged round %s", round_id)
        return max(MIN_SLEEP, await retention.seconds_until_due())

    async def cog_unload(self) -> None:
        await self._purger.stop()


async def setup(bot: TrackTwoBot) -> None:
    bot.add_dynamic_items(DeleteButton)
    bot.tree.add_command(MyDataGroup())
    await bot.add_cog(Safety(bot))
