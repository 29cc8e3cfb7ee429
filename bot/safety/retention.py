"""Retention: replies of rounds closed long ago are deleted, drafts after a day.

A purge runs on startup when one is due and then daily (the cog's task). The time of the last
purge is stored, so a restart neither skips nor repeats one. Purges are logged with counts,
never content.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.errors import InvalidInput
from bot.safety.mydata import utcnow
from bot.storage.replies import ReplyStore
from bot.storage.safety import PurgeCounts, SafetyStore

log = logging.getLogger(__name__)

PURGE_EVERY = timedelta(days=1)
DRAFT_HOURS = 24
MAX_DAYS = 3650


@dataclass(frozen=True, slots=True)
class PurgeReport:
    at: datetime
    drafts: int = 0
    erased: int = 0  # emptied replies of erased members, once their messages were deleted
    per_guild: dict[int, PurgeCounts] = field(default_factory=dict)

    @property
    def total(self) -> PurgeCounts:
        return sum(self.per_guild.values(), PurgeCounts())


class RetentionService:
    def __init__(
        self,
        store: SafetyStore,
        replies: ReplyStore,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._store = store
        self._replies = replies
        self.clock = clock

    async def retention(self, guild_id: int) -> int | None:
        return await self._store.retention_days(guild_id)

    async def set_retention(self, guild_id: int, days: int | None) -> int | None:
        """Keep replies ``days`` after their round closes; None keeps them (the default)."""
        if days is not None and not 1 <= days <= MAX_DAYS:
            raise InvalidInput("retention.error.days", max=MAX_DAYS)
        await self._store.set_retention_days(guild_id, days)
        log.info("guild %s set retention to %s", guild_id, f"{days} days" if days else "off")
        return days

    async def purge(self) -> PurgeReport:
        now = self.clock()
        drafts = await self._replies.delete_drafts_older_than(DRAFT_HOURS)
        erased = await self._store.delete_erased()
        per_guild: dict[int, PurgeCounts] = {}
        for guild_id, days in await self._store.retention_settings():
            counts = await self._store.purge_closed_rounds(guild_id, days)
            if counts.rounds:
                per_guild[guild_id] = counts
                log.info(
                    "retention purge in guild %s (%d days): %d rounds, %d replies, "
                    "%d endorsements, %d edits, %d participant numbers",
                    guild_id,
                    days,
                    counts.rounds,
                    counts.replies,
                    counts.endorsements,
                    counts.edits,
                    counts.participants,
                )
        await self._store.set_last_purge_at(now)
        log.info(
            "purge done: %d old drafts, %d erased replies, %d guilds with expired rounds",
            drafts,
            erased,
            len(per_guild),
        )
        return PurgeReport(now, drafts, erased, per_guild)

    async def threads_to_delete(self) -> list[tuple[int, int]]:
        """Threads of purged rounds, to delete on Discord: the replies are still shown there."""
        return await self._store.threads_to_delete()

    async def thread_deleted(self, round_id: int) -> None:
        await self._store.thread_deleted(round_id)

    async def seconds_until_due(self) -> float:
        last = await self._store.last_purge_at()
        if last is None:
            return 0.0
        return max(0.0, (last + PURGE_EVERY - self.clock()).total_seconds())

    async def purge_if_due(self) -> PurgeReport | None:
        if await self.seconds_until_due() > 0:
            return None
        return await self.purge()
