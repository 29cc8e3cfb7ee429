"""What every moderation decision shares: the queue actions, the planned sanction, the
limits, the clock, and the one commit wrapper that turns a committed decision into an
:class:`Outcome`. Every other module of the service imports from here, never the reverse."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from bot.civility.model import load_verdicts
from bot.dialogue.communities import CommunityService
from bot.dialogue.models import ReplyStatus
from bot.dialogue.replies import ReplyService, Sanitizer, strip_only
from bot.effects import Effect, Notify, Outcome, PostCase
from bot.errors import Conflict, InvalidInput, NotFound
from bot.moderation.durations import format_duration
from bot.moderation.models import Case
from bot.moderation.queue import ReviewQueue, Subject
from bot.moderation.targets import TargetFacts
from bot.notice import Mention, Moment, nested
from bot.storage.guilds import GuildStore
from bot.storage.moderation import (
    ClaimTaken,
    Committed,
    Decision,
    ModerationStore,
    ReplyMoved,
    Resolution,
)

REPORT_REASON_MAX = 500
CASE_REASON_MAX = 1000
APPEAL_REASON_MAX = 1000
DECISION_NOTE_MAX = 500  # a moderator's note on an appeal decision or a confirmation

Clock = Callable[[], datetime]
# The cog answers "who is this member on Discord right now?"; None when they left the server.
FactsLookup = Callable[[int], Awaitable[TargetFacts | None]]


def utcnow() -> datetime:
    return datetime.now(UTC)


async def nobody_known(user_id: int) -> TargetFacts | None:
    return None


def known(facts: TargetFacts) -> FactsLookup:
    """A lookup that knows one member: the one a command was given."""

    async def lookup(user_id: int) -> TargetFacts | None:
        return facts if user_id == facts.user_id else None

    return lookup


class QueueAction(StrEnum):
    APPROVE = "approve"  # publish a held reply; keep a reported one
    REMOVE = "remove"
    WARN = "warn"  # remove and warn
    TIMEOUT = "timeout"  # remove and time out
    DISMISS = "dismiss"  # close reports without action
    UPHOLD = "uphold"  # appeals
    OVERTURN = "overturn"
    CONFIRM = "confirm"  # paired actions
    CANCEL = "cancel"


PAST = {
    QueueAction.APPROVE: "approved",
    QueueAction.REMOVE: "removed",
    QueueAction.WARN: "warned",
    QueueAction.TIMEOUT: "timed out",
    QueueAction.DISMISS: "dismissed",
    QueueAction.UPHOLD: "upheld",
    QueueAction.OVERTURN: "overturned",
    QueueAction.CONFIRM: "confirmed",
    QueueAction.CANCEL: "cancelled",
}


@dataclass(frozen=True, slots=True)
class SanctionPlan:
    """A removal and/or sanction, decided now or (paired moderation) after confirmation.
    ``reason`` is the moderator's text."""

    target_id: int | None
    remove: bool = False
    warn: bool = False
    timeout: timedelta | None = None
    reason: str = ""

    @property
    def needs_pair(self) -> bool:
        return self.remove or self.timeout is not None

    @property
    def action(self) -> QueueAction:
        if self.timeout is not None:
            return QueueAction.TIMEOUT
        if self.warn:
            return QueueAction.WARN
        return QueueAction.REMOVE

    @property
    def done(self) -> str:
        """What was done, in the past tense: "Removed and warned"."""
        parts = []
        if self.remove:
            parts.append("removed")
        if self.warn:
            parts.append("warned")
        if self.timeout is not None:
            parts.append(f"timed out for {format_duration(self.timeout)}")
        return (" and ".join(parts) or "done").capitalize()


@dataclass(slots=True)
class Desk:
    """What every part of the service works with: the stores, the other services, the queue,
    the clock and the text cleaner."""

    store: ModerationStore
    guilds: GuildStore
    replies: ReplyService
    communities: CommunityService
    queue: ReviewQueue
    clock: Clock = utcnow
    sanitize: Sanitizer = strip_only

    def now(self) -> datetime:
        """The clock, to the millisecond that storage keeps, so effects and cases agree."""
        now = self.clock()
        return now.replace(microsecond=now.microsecond // 1000 * 1000)

    def reason(self, text: str, *, required: bool = False) -> str:
        """A moderator's reason, cleaned and cut to size; refused when required and empty."""
        cleaned = self.sanitize(text, CASE_REASON_MAX)[:CASE_REASON_MAX]
        if required and not cleaned:
            raise InvalidInput("moderation.error.reason")
        return cleaned

    async def case(self, guild_id: int, number: int) -> Case:
        case = await self.store.cases.case(guild_id, number)
        if case is None:
            raise NotFound("moderation.error.no_case", number=number)
        return case

    async def commit(self, guild_id: int, decision: Decision) -> Committed:
        """One transaction for the whole decision: its claim on the queue item, the reply's
        new status with its outbox row, the cases, notices and reports. A crash or a race
        leaves either all of it or none of it."""
        try:
            return await self.store.commit(guild_id, decision)
        except ClaimTaken as error:
            raise taken(error.resolution) from None
        except ReplyMoved:
            raise Conflict("moderation.error.reply_done") from None


def outcome_of(message: str, committed: Committed, effects: Sequence[Effect] = ()) -> Outcome:
    """The outcome of a committed decision: its cases, the notices to send, ``effects``, then
    the cases to post to the mod log."""
    outcome = Outcome(message, list(committed.cases))
    for notice_id, user_id, notice in committed.notices:
        outcome.effects.append(Notify(user_id, notice_id, notice))
    outcome.effects.extend(effects)
    outcome.effects.extend(PostCase(c) for c in committed.cases)
    return outcome


# What an earlier decision did to a queue item, by the word its claim stored.
DONE_MESSAGES = {
    "approved": "moderation.done.approved",
    "removed": "moderation.done.removed",
    "warned": "moderation.done.warned",
    "timed out": "moderation.done.timed_out",
    "dismissed": "moderation.done.dismissed",
    "kept": "moderation.done.kept",
    "upheld": "moderation.done.upheld",
    "overturned": "moderation.done.overturned",
    "confirmed": "moderation.done.confirmed",
    "cancelled": "moderation.done.cancelled",
    "proposed": "moderation.done.proposed",
}


def taken(earlier: Resolution) -> Conflict:
    return Conflict(
        "moderation.error.taken",
        moderator=Mention(earlier.resolved_by),
        action=nested(DONE_MESSAGES.get(earlier.action, "moderation.done.decided")),
        when=Moment(earlier.resolved_at),
    )


def report_summary(subject: Subject) -> str:
    """A reason for a decision the moderator gave none for: what the reports or rules said."""
    labels = sorted({r.category.label for r in subject.reports})
    if labels:
        return "Reported: " + ", ".join(labels)
    if subject.reply is not None and subject.reply.status is ReplyStatus.HELD:
        rules = sorted({v.category.value for v in load_verdicts(subject.reply.civility_detail)})
        return ("Held by the rules on " + ", ".join(rules)) if rules else ""
    return ""
