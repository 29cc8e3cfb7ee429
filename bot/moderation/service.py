"""The moderation service: one small facade over the modules that do each job.

Every entry point a moderator calls takes an :class:`Actor` and checks the moderator
permission itself, so a cog cannot forget it. Nothing here calls Discord: each decision is
committed in one transaction, then returned as an :class:`~bot.effects.Outcome` whose effects
the cog applies (``cogs._effects.apply``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from bot.dialogue.communities import CommunityService
from bot.dialogue.replies import ReplyService, Sanitizer, strip_only
from bot.effects import Outcome
from bot.moderation._decision import (
    DECISION_NOTE_MAX,
    Clock,
    Desk,
    FactsLookup,
    QueueAction,
    SanctionPlan,
    nobody_known,
    utcnow,
)
from bot.moderation.appeals import Appeals
from bot.moderation.cases import Cases
from bot.moderation.decide import Decide
from bot.moderation.models import Case, History, NewCase, ReasonEdit
from bot.moderation.notices import Announcements, Notices
from bot.moderation.paired import Paired
from bot.moderation.queue import ReviewQueue
from bot.moderation.records import Records
from bot.moderation.reports import Reports
from bot.moderation.sanctions import Sanctions
from bot.moderation.settings import Policy
from bot.moderation.targets import Actor, TargetFacts
from bot.storage.guilds import GuildStore
from bot.storage.moderation import ModerationStore, Write


class ModerationService:
    """Moderation for one bot. Beside the methods below: ``queue`` shows the review queue,
    ``policy`` holds the server's settings, ``reports`` takes members' reports, ``notices`` and ``announcements`` see that each notice
    and each mod-channel post reaches its reader once, ``records`` answers /mydata."""

    def __init__(
        self,
        store: ModerationStore,
        guilds: GuildStore,
        replies: ReplyService,
        communities: CommunityService,
        *,
        clock: Clock = utcnow,
        sanitize: Sanitizer = strip_only,
    ) -> None:
        self.queue = ReviewQueue(store, guilds, replies, communities)
        self._desk = desk = Desk(store, guilds, replies, communities, self.queue, clock, sanitize)
        self.reports = Reports(desk)
        self.notices = Notices(desk)
        self.announcements = Announcements(desk)
        self.policy = Policy(desk)
        self._cases, self._appeals = Cases(desk), Appeals(desk)
        self._sanctions = Sanctions(desk)
        self._decide = Decide(desk, self._sanctions, Paired(desk, self._sanctions), self._appeals)
        self.records = Records(store)  # bot.safety.records.ModerationRecords, for /mydata

    @property
    def clock(self) -> Clock:
        """Where every decision's time comes from (a test may set it)."""
        return self._desk.clock

    @clock.setter
    def clock(self, value: Clock) -> None:
        self._desk.clock = value

    async def act(
        self,
        actor: Actor,
        key: str,
        action: QueueAction,
        *,
        reason: str = "",
        duration: timedelta | None = None,
        lookup: FactsLookup = nobody_known,
    ) -> Outcome:
        """Decide queue item ``key``. The first moderator wins; a second one gets a Conflict
        naming who acted. ``lookup`` tells who the target is on Discord now."""
        return await self._decide.act(
            actor, key, action, reason=reason, duration=duration, lookup=lookup
        )

    async def warn(self, actor: Actor, target: TargetFacts, reason: str) -> Outcome:
        """Warn a member; the escalation ladder may add a timeout in the same transaction."""
        return await self._sanctions.warn(actor, target, reason)

    async def timeout(
        self, actor: Actor, target: TargetFacts, duration: timedelta, reason: str
    ) -> Outcome:
        """Time a member out (at most 28 days); proposed instead under paired moderation."""
        return await self._sanctions.timeout(actor, target, duration, reason)

    async def untimeout(self, actor: Actor, target: TargetFacts, reason: str) -> Outcome:
        """Lift a member's timeout; their active timeout cases stop counting."""
        return await self._sanctions.untimeout(actor, target, reason)

    async def pardon(self, actor: Actor, number: int, reason: str) -> Outcome:
        """End an active warning or timeout early (never one's own)."""
        return await self._sanctions.pardon(actor, number, reason)

    async def appeal(self, guild_id: int, number: int, user_id: int, reason: str) -> Outcome:
        """The member a sanction is about asks for another look, once per case."""
        return await self._appeals.appeal(guild_id, number, user_id, reason)

    async def reveal(self, actor: Actor, reply_id: int | str, reason: str) -> Outcome:
        """Who wrote a pseudonymous reply (by id, or by its reference "R2-4"): always a case,
        always with a reason."""
        return await self._cases.reveal(actor, reply_id, reason)

    async def create_case(
        self, guild_id: int, new: NewCase, *, first: Sequence[Write] = ()
    ) -> Outcome:
        """Record a case decided elsewhere (e.g. community verification); the caller checked
        its own permission. ``first``: that feature's own writes, in the case's transaction
        (all or nothing). The outcome carries the mod-log and notice effects."""
        return await self._cases.create(guild_id, new, first)

    async def get_case(self, actor: Actor, number: int) -> tuple[Case, list[ReasonEdit]]:
        """Case ``number`` and its earlier reasons. Raises NotFound."""
        return await self._cases.get(actor, number)

    async def cases_for(self, actor: Actor, user_id: int) -> tuple[History, list[Case]]:
        """A member's history summary and every case about them, newest first."""
        return await self._cases.about(actor, user_id)

    async def edit_reason(self, actor: Actor, number: int, text: str) -> Case:
        """Replace a case's reason; the old one is kept as an edit."""
        return await self._cases.edit_reason(actor, number, text)

    async def expire_due(
        self, now: datetime | None = None, owned: Callable[[int], bool] | None = None
    ) -> list[Case]:
        """Mark warnings and timeouts whose time is up as ended; the cases this call ended.
        ``owned(guild_id)``: only the servers this process serves (its shards), so the process
        that logs an expiry sees the server's channels; each case ends once however many ask."""
        return await self._cases.expire_due(now, owned)

    async def next_timer_due(self) -> datetime | None:
        """When the next warning or timeout ends, if any is running."""
        return await self._desk.store.cases.next_expiry()


__all__ = ["DECISION_NOTE_MAX", "FactsLookup", "ModerationService", "QueueAction", "SanctionPlan"]
