"""Posts the next excerpt on each server's schedule. One task sleeps until the soonest slot
and is woken early when a schedule changes. After downtime it posts once, not once per
missed slot (the next slot is always computed from "now")."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.errors import UserFacingError
from cogs._tasks import Sleeper
from cogs.dialogue.posting import post_round

if TYPE_CHECKING:
    from cogs._bot import TrackTwoBot

log = logging.getLogger(__name__)

MAX_SLEEP = 3600.0


class PromptScheduler(Sleeper):
    def __init__(self, bot: TrackTwoBot) -> None:
        super().__init__("tracktwo-prompt-schedule", self._tick, MAX_SLEEP)
        self.bot = bot

    async def _tick(self) -> float | None:
        await self.run_due(datetime.now(UTC))
        schedules = await self.bot.services.rounds.schedules()
        if not schedules:
            return None
        soonest = min(s.next_run_at for s in schedules)
        return (soonest - datetime.now(UTC)).total_seconds()

    async def run_due(self, now: datetime) -> int:
        posted = 0
        rounds = self.bot.services.rounds
        for schedule in await rounds.schedules():
            if schedule.next_run_at > now or self.bot.get_guild(schedule.guild_id) is None:
                continue  # not due, or the server is on another process's shard
            # Advance first: a failure must not turn into a burst of posts later; and only
            # the process that advanced this slot posts it.
            if await rounds.claim_run(schedule, now) is None:
                continue
            if await self.bot.services.pauses.server_paused(schedule.guild_id):
                log.info("scheduled prompt for guild %s held: paused", schedule.guild_id)
                continue  # held: the slot passes without a post while the server is paused
            try:
                round_ = await post_round(self.bot, schedule.guild_id, None)
            except UserFacingError as error:
                log.warning(
                    "scheduled prompt for guild %s skipped: %s", schedule.guild_id, error.message
                )
                continue
            posted += 1
            log.info("scheduled prompt posted: guild %s round %s", schedule.guild_id, round_.number)
        return posted
