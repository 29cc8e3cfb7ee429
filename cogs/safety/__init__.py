"""Participant safety on Discord: ``/mydata`` and the daily retention purge. ``/setup
retention`` and ``/round digest`` are subcommands of their groups (see subcommands.py)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from discord.ext import commands

from cogs.safety.mydata import DeleteButton, MyDataGroup

if TYPE_CHECKING:
    from bot.startup import TrackTwoBot

log = logging.getLogger(__name__)

MIN_SLEEP = 60.0


class Safety(commands.Cog):
    def __init__(self, bot: TrackTwoBot) -> None:
        self.bot = bot
        self._task: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        if self.bot.is_ready():  # loaded again into a running bot
            self._start()

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        self._start()

    def _start(self) -> None:
        """Idempotent: on_ready fires again after a reconnect."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._purge_daily(), name="tracktwo-purge")

    async def _purge_daily(self) -> None:
        """On startup when a purge is due (the last time is stored), then once a day."""
        retention = self.bot.services.safety.retention
        while True:
            try:
                await retention.purge_if_due()
                delay = max(MIN_SLEEP, await retention.seconds_until_due())
            except Exception:
                log.exception("the retention purge failed; trying again in an hour")
                delay = 3600.0
            await asyncio.sleep(delay)

    async def cog_unload(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None


async def setup(bot: TrackTwoBot) -> None:
    bot.add_dynamic_items(DeleteButton)
    bot.tree.add_command(MyDataGroup())
    await bot.add_cog(Safety(bot))
