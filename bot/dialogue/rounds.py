"""Rounds: a posted excerpt with its own thread; opened, closed, reopened, or scheduled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.dialogue.models import Excerpt, Round, Schedule
from bot.dialogue.packs import PackService
from bot.errors import Conflict, InvalidInput, NotFound
from bot.storage.communities import CommunityStore
from bot.storage.guilds import GuildStore
from bot.storage.rounds import RoundStore

MIN_COMMUNITIES = 2


def parse_hhmm(text: str) -> int:
    try:
        hours, minutes = text.strip().split(":")
        value = int(hours) * 60 + int(minutes)
        if not (0 <= int(hours) <= 23 and 0 <= int(minutes) <= 59):
            raise ValueError
    except ValueError:
        raise InvalidInput("rounds.error.time") from None
    return value


def next_slot(now: datetime, every_hours: int, at_minutes: int) -> datetime:
    """The first slot strictly after ``now``: slots are ``at`` (UTC) today plus multiples of
    ``every_hours``. Missed slots are never returned, so downtime catches up once."""
    anchor = now.replace(hour=at_minutes // 60, minute=at_minutes % 60, second=0, microsecond=0)
    step = timedelta(hours=every_hours)
    if anchor > now:
        while anchor - step > now:
            anchor -= step
        return anchor
    periods = int((now - anchor) / step) + 1
    return anchor + periods * step


class RoundService:
    def __init__(
        self,
        rounds: RoundStore,
        packs: PackService,
        guilds: GuildStore,
        communities: CommunityStore,
    ) -> None:
        self._rounds = rounds
        self._packs = packs
        self._guilds = guilds
        self._communities = communities

    async def prepare(self, guild_id: int, excerpt_id: int | None) -> tuple[Round, Excerpt]:
        """Create the round row for a post; the caller posts it and then calls ``attach``
        (or ``abandon`` if Discord refused)."""
        config = await self._guilds.get(guild_id)
        if config.dialogue_channel_id is None:
            raise InvalidInput("rounds.error.no_channel")
        if len(await self._communities.all(guild_id)) < MIN_COMMUNITIES:
            raise InvalidInput("rounds.error.two_communities")
        excerpt = (
            await self._packs.next_excerpt(guild_id)
            if excerpt_id is None
            else await self._packs.excerpt_for(guild_id, excerpt_id)
        )
        round_ = await self._rounds.create(guild_id, excerpt.id, config.dialogue_channel_id)
        return round_, excerpt

    async def attach(self, round_: Round, message_id: int, thread_id: int | None) -> Round:
        await self._rounds.attach(round_.id, message_id, thread_id)
        updated = await self._rounds.get(round_.id)
        assert updated is not None
        return updated

    async def abandon(self, round_: Round) -> None:
        await self._rounds.delete(round_.id)

    async def find(self, round_id: int) -> Round | None:
        """The round, or None (for the cross-server guard, which refuses either way)."""
        return await self._rounds.get(round_id)

    async def get(self, round_id: int) -> Round:
        round_ = await self._rounds.get(round_id)
        if round_ is None:
            raise NotFound("rounds.error.gone")
        return round_

    async def excerpt(self, round_: Round) -> Excerpt:
        return await self._packs.excerpt_for(round_.guild_id, round_.excerpt_id)

    async def resolve(self, guild_id: int, number: int | None, thread_id: int | None) -> Round:
        """The round named by number, else the one whose thread this is, else the latest open."""
        found: Round | None
        if number is not None:
            found = await self._rounds.by_number(guild_id, number)
        elif thread_id is not None and (found := await self._rounds.by_thread(thread_id)):
            pass
        else:
            found = await self._rounds.latest_open(guild_id)
        if found is None or found.guild_id != guild_id:
            raise NotFound(
                "There is no such round; /prompt list shows them.", key="error.no_such_round"
            )
        return found

    async def set_open(self, round_: Round, is_open: bool) -> Round:
        if not await self._rounds.set_open(round_.id, is_open):
            if is_open:
                raise Conflict("rounds.error.already_open", round=round_.number)
            raise Conflict("rounds.error.already_closed", round=round_.number)
        return await self.get(round_.id)

    async def recent(self, guild_id: int) -> list[Round]:
        return await self._rounds.recent(guild_id)

    # schedules -------------------------------------------------------------------------

    async def set_schedule(
        self, guild_id: int, every_hours: int, at: str, now: datetime | None = None
    ) -> Schedule:
        if not 1 <= every_hours <= 720:
            raise InvalidInput("rounds.error.every")
        at_minutes = parse_hhmm(at)
        now = now or datetime.now(UTC)
        when = next_slot(now, every_hours, at_minutes)
        await self._rounds.set_schedule(guild_id, every_hours, at_minutes, when)
        return Schedule(guild_id, every_hours, at_minutes, when)

    async def clear_schedule(self, guild_id: int) -> None:
        if not await self._rounds.clear_schedule(guild_id):
            raise NotFound("rounds.error.no_schedule")

    async def schedule(self, guild_id: int) -> Schedule | None:
        return await self._rounds.schedule(guild_id)

    async def schedules(self) -> list[Schedule]:
        return await self._rounds.schedules()

    async def mark_ran(self, schedule: Schedule, now: datetime) -> Schedule:
        when = next_slot(now, schedule.every_hours, schedule.at_minutes)
        await self._rounds.advance_schedule(schedule.guild_id, now, when)
        return Schedule(schedule.guild_id, schedule.every_hours, schedule.at_minutes, when)

    async def claim_run(self, schedule: Schedule, now: datetime) -> Schedule | None:
        """``mark_ran``, only if nobody (another process) ran this slot first: the advanced
        schedule when this caller is the one to post, else None."""
        when = next_slot(now, schedule.every_hours, schedule.at_minutes)
        if not await self._rounds.advance_schedule(
            schedule.guild_id, now, when, was_due_at=schedule.next_run_at
        ):
            return None
        return Schedule(schedule.guild_id, schedule.every_hours, schedule.at_minutes, when)
