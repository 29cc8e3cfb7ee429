"""Posts the next excerpt on each server's schedule. One task sleeps until the soonest slot
and is woken early when a schedule changes. After downtime it posts once, not once per
missed slot (the next slot is always computed from "now")."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.errors import UserFacingError

if TYPE_CHECKING:
    from bot.startup import TrackTwoBot

log = logging.getLogger(__name__)

MAX_SLEEP = 3600.0


class PromptScheduler:
    def __init__(self, bot: TrackTwoBot) -> None:
        self.bot = bot
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="tracktwo-prompt-schedule")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        while True:
            try:
                await self.run_due(datetime.now(UTC))
            except Exception:
                log.exception("the prompt schedule failed; retrying shortly")
            schedules = await self.bot.services.rounds.schedules()
            timeout = MAX_SLEEP
            if schedules:
                soonest = min(s.next_run_at for s in schedules)
                timeout = max(0.0, min(MAX_SLEEP, (soonest - datetime.now(UTC)).total_seconds()))
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=timeout)

    async def run_due(self, now: datetime) -> int:
        from cogs.dialogue.flows import post_round

        posted = 0
        rounds = self.bot.services.rounds
        for schedule in await rounds.schedules():
            if schedule.next_run_at > now:
                continue
            # Advance first: a failure must not turn into a burst of posts later.
            await rounds.mark_ran(schedule, now)
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
