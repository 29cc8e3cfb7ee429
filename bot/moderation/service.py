"""Moderation: reports, queue decisions, cases, warnings with a ladder, timeouts, appeals,
paired moderation and reveals.

Every entry point a moderator calls takes an :class:`Actor` and checks the moderator
permission itself, so a cog cannot forget it. Nothing here calls Discord: decisions are
committed first, then returned as :class:`Effect` values for the cog to apply.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from bot.dialogue.communities import CommunityService
from bot.dialogue.models import Reply, ReplyStatus
from bot.dialogue.replies import ReplyService, Sanitizer, strip_only
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.moderation.casetypes import CaseType
from bot.moderation.durations import check_timeout, format_duration
from bot.moderation.models import (
    Case,
    Effect,
    EffectKind,
    History,
    ItemKind,
    LadderStep,
    ModerationSettings,
    NewCase,
    Outcome,
    PairedAction,
    ReasonEdit,
    ReportCategory,
    item_key,
)
from bot.moderation.queue import ReviewQueue, Subject, verdict_of
from bot.moderation.targets import Actor, TargetFacts, check_target
from bot.permissions import require_admin
from bot.storage.guilds import GuildStore
from bot.storage.moderation import (
    Changes,
    Claim,
    ClaimTaken,
    Committed,
    DuplicateReport,
    ModerationStore,
    NewPaired,
    NewReport,
    ReplyChange,
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
class Intent:
    """A removal and/or sanction, decided now or (paired moderation) after confirmation."""

    target_id: int | None
    remove: bool = False
    warn: bool = False
    timeout: timedelta | None = None
    reason: str = ""

    @property
    def needs_pair(self) -> bool:
        return self.remove or self.timeout is not None


def appeal_hint(case: str = "{case}") -> str:
    return f"If you think this was a mistake, use `/appeal case:{case} reason:…` in the server."


class ModerationService:
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
        self._store = store
        self._guilds = guilds
        self._replies = replies
        self._communities = communities
        self.clock = clock
        self.sanitize = sanitize
        self.queue = ReviewQueue(store, guilds, replies, communities)

    # settings --------------------------------------------------------------------------

    async def settings(self, actor: Actor) -> ModerationSettings:
        await self.queue.require(actor)
        return await self._store.settings(actor.guild_id)

    async def update_settings(
        self,
        actor: Actor,
        *,
        warning_days: int | None = None,
        ladder: tuple[LadderStep, ...] | None = None,
        paired: bool | None = None,
    ) -> ModerationSettings:
        """Policy, so server admins only."""
        require_admin(actor.member)
        current = await self._store.settings(actor.guild_id)
        if warning_days is not None and not 1 <= warning_days <= 365:
            raise InvalidInput("Warnings expire after 1 to 365 days.")
        if ladder is not None:
            counts = [s.warnings for s in ladder]
            if len(set(counts)) != len(counts) or any(c < 1 for c in counts):
                raise InvalidInput("Each ladder step needs its own number of warnings (1 or more).")
            for step in ladder:
                check_timeout(step.timeout)
        updated = ModerationSettings(
            actor.guild_id,
            current.warning_days if warning_days is None else warning_days,
            current.ladder if ladder is None else tuple(sorted(ladder, key=lambda s: s.warnings)),
            current.paired if paired is None else paired,
        )
        await self._store.save_settings(updated)
        return updated

    # reports (any member) ----------------------------------------------------------------

    def _report_reason(self, reason: str) -> str:
        return self.sanitize(reason, REPORT_REASON_MAX)[:REPORT_REASON_MAX]

    async def check_reply_report(self, guild_id: int, reply_id: int, reporter_id: int) -> Reply:
        """Refuse early (before the member fills the form) what would be refused anyway."""
        reply = await self._replies.get(reply_id)
        visible = (ReplyStatus.PUBLISHED, ReplyStatus.PENDING)  # on Discord, maybe not yet recorded
        if reply.guild_id != guild_id or reply.status not in visible:
            raise NotFound("That reply is no longer published, so there is nothing to report.")
        if self._replies.is_author(reply, reporter_id):
            raise NotAllowed("You cannot report your own reply; withdraw or edit it instead.")
        return reply

    async def check_message_report(
        self,
        guild_id: int,
        *,
        channel_id: int,
        parent_id: int | None,
        message_id: int,
        author_id: int,
        author_is_bot: bool,
        reporter_id: int,
    ) -> Reply | None:
        """The reply a message shows, if it is one; else refuse what cannot be reported."""
        reply = await self._replies.by_message(message_id)
        if reply is not None:
            return await self.check_reply_report(guild_id, reply.id, reporter_id)
        config = await self._guilds.get(guild_id)
        dialogue = config.dialogue_channel_id
        if dialogue is None or dialogue not in (channel_id, parent_id):
            raise NotAllowed(
                "Only messages in the dialogue channel and its threads can be reported."
            )
        if author_is_bot:
            raise InvalidInput("That is a message from a bot; report a member's message or reply.")
        if author_id == reporter_id:
            raise NotAllowed("You cannot report your own message; edit or delete it instead.")
        return None

    async def report_reply(
        self, guild_id: int, reply_id: int, reporter_id: int, category: str, reason: str
    ) -> Outcome:
        reply = await self.check_reply_report(guild_id, reply_id, reporter_id)
        return await self._report(
            NewReport(
                guild_id=guild_id,
                reporter_id=reporter_id,
                category=_category(category),
                reason=self._report_reason(reason),
                created_at=self._now(),
                reply_id=reply.id,
            )
        )

    async def report_message(
        self,
        guild_id: int,
        *,
        channel_id: int,
        parent_id: int | None,
        message_id: int,
        author_id: int,
        author_is_bot: bool,
        reporter_id: int,
        category: str,
        reason: str,
    ) -> Outcome:
        """A message in the dialogue channel or its threads. Only its ids are stored."""
        reply = await self.check_message_report(
            guild_id,
            channel_id=channel_id,
            parent_id=parent_id,
            message_id=message_id,
            author_id=author_id,
            author_is_bot=author_is_bot,
            reporter_id=reporter_id,
        )
        if reply is not None:
            return await self.report_reply(guild_id, reply.id, reporter_id, category, reason)
        return await self._report(
            NewReport(
                guild_id=guild_id,
                reporter_id=reporter_id,
                category=_category(category),
                reason=self._report_reason(reason),
                created_at=self._now(),
                channel_id=channel_id,
                message_id=message_id,
                author_id=author_id,
            )
        )

    async def _report(self, new: NewReport) -> Outcome:
        try:
            report_id = await self._store.add_report(new)
        except DuplicateReport:
            raise Conflict(
                "You already reported this; moderators will look at your report."
            ) from None
        report = await self._store.report(report_id)
        assert report is not None
        first = (await self._store.open_reports_like(report))[0]
        outcome = Outcome("Thank you; your report went to the moderators.")
        if first.id == report_id:
            outcome.effects.append(Effect.queued(item_key(ItemKind.REPORT, report_id)))
        return outcome

    # cases -----------------------------------------------------------------------------

    async def create_case(self, guild_id: int, new: NewCase) -> Outcome:
        """Record a case decided elsewhere (e.g. a community verification decision); the caller
        has checked its own permission. The outcome carries the mod-log and notice effects."""
        return self._outcome("", await self._store.commit(guild_id, Changes(self._now(), [new])))

    async def get_case(self, actor: Actor, number: int) -> tuple[Case, list[ReasonEdit]]:
        await self.queue.require(actor)
        case = await self._case(actor.guild_id, number)
        return case, await self._store.reason_edits(case.id)

    async def cases_for(self, actor: Actor, user_id: int) -> tuple[History, list[Case]]:
        await self.queue.require(actor)
        history = await self.queue.history(actor.guild_id, user_id, self._now())
        return history, await self._store.cases_for(actor.guild_id, user_id)

    async def edit_reason(self, actor: Actor, number: int, text: str) -> Case:
        await self.queue.require(actor)
        case = await self._case(actor.guild_id, number)
        text = self._reason(text, required=True)
        await self._store.edit_reason(case.id, text, actor.user_id, self._now())
        return await self._case(actor.guild_id, number)

    async def _case(self, guild_id: int, number: int) -> Case:
        case = await self._store.case(guild_id, number)
        if case is None:
            raise NotFound(f"There is no case {number} in this server.")
        return case

    def _reason(self, text: str, *, required: bool = False) -> str:
        cleaned = self.sanitize(text, CASE_REASON_MAX)[:CASE_REASON_MAX]
        if required and not cleaned:
            raise InvalidInput("Please give a reason; it goes into the case.")
        return cleaned

    # the queue -------------------------------------------------------------------------

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
        """Decide a queue item. The first moderator wins; a second one gets a Conflict naming
        who acted."""
        await self.queue.require(actor)
        kind, ident = self.queue.parse(key)
        reason = self._reason(reason)
        if kind in (ItemKind.APPEAL, ItemKind.PAIRED):
            reason = reason[:DECISION_NOTE_MAX]
        if kind is ItemKind.APPEAL:
            if action not in (QueueAction.UPHOLD, QueueAction.OVERTURN):
                raise InvalidInput("An appeal is upheld or overturned.")
            return await self._decide_appeal(actor, key, ident, action, reason)
        if kind is ItemKind.PAIRED:
            if action is QueueAction.CONFIRM:
                return await self._confirm(actor, key, ident, lookup, reason)
            if action is QueueAction.CANCEL:
                return await self._cancel(actor, key, ident)
            raise InvalidInput("A paired action is confirmed or cancelled.")
        subject = await self.queue.subject(actor.guild_id, key)
        if action is QueueAction.APPROVE:
            return await self._approve(actor, key, kind, subject, reason)
        if action is QueueAction.DISMISS:
            if kind is not ItemKind.REPORT:
                raise InvalidInput("A held reply is approved or removed, not dismissed.")
            return await self._close_reports(actor, key, subject, CaseType.DISMISSAL, reason)
        if action in (QueueAction.REMOVE, QueueAction.WARN, QueueAction.TIMEOUT):
            if action is QueueAction.TIMEOUT:
                if duration is None:
                    raise InvalidInput("Choose how long the timeout lasts.")
                check_timeout(duration)
            intent = Intent(
                subject.target_id,
                remove=True,
                warn=action is QueueAction.WARN,
                timeout=duration if action is QueueAction.TIMEOUT else None,
                reason=reason or _report_summary(subject),
            )
            return await self._sanction(actor, key, subject, intent, lookup)
        raise InvalidInput("That action does not apply to this queue item.")

    async def _commit(self, guild_id: int, changes: Changes) -> Committed:
        """One transaction for the whole decision: its claim on the queue item, the reply's
        new status with its outbox row, the cases, notices and reports. A crash or a race
        leaves either all of it or none of it."""
        try:
            return await self._store.commit(guild_id, changes)
        except ClaimTaken as error:
            raise _taken(error.resolution) from None
        except ReplyMoved:
            raise Conflict("That reply was already withdrawn, removed or decided.") from None

    async def _approve(
        self, actor: Actor, key: str, kind: ItemKind, subject: Subject, reason: str
    ) -> Outcome:
        if kind is ItemKind.REPORT:
            return await self._close_reports(actor, key, subject, CaseType.KEPT, reason)
        assert subject.reply is not None
        case = NewCase(
            CaseType.APPROVAL,
            actor.user_id,
            subject.recorded_target,
            reason,
            reply_id=subject.reply.id,
        )
        changes = Changes(
            self._now(),
            [case],
            claim=Claim(key, "approved", actor.user_id),
            reply_change=ReplyChange(
                subject.reply.id, ReplyStatus.PENDING, (ReplyStatus.HELD,), "publish"
            ),
        )
        committed = await self._commit(actor.guild_id, changes)
        outcome = self._outcome("Approved; the reply will be published.", committed)
        outcome.effects.append(Effect.resolved(key, f"Approved by <@{actor.user_id}>"))
        return outcome

    async def _close_reports(
        self, actor: Actor, key: str, subject: Subject, type_: CaseType, reason: str
    ) -> Outcome:
        status = "kept" if type_ is CaseType.KEPT else "dismissed"
        changes = Changes(
            self._now(),
            [
                NewCase(
                    type_,
                    actor.user_id,
                    subject.recorded_target,
                    reason or _report_summary(subject),
                    reply_id=None if subject.reply is None else subject.reply.id,
                    report_id=subject.reports[0].id if subject.reports else None,
                )
            ],
            close_reports=subject.report_ids,
            report_status=status,
            decided_by=actor.user_id,
            claim=Claim(key, status, actor.user_id),
        )
        committed = await self._commit(actor.guild_id, changes)
        word = "Kept" if type_ is CaseType.KEPT else "Dismissed"
        outcome = self._outcome(f"{word}; the reports are closed.", committed)
        outcome.effects.append(Effect.resolved(key, f"{word} by <@{actor.user_id}>"))
        return outcome

    # sanctions -------------------------------------------------------------------------

    async def warn(self, actor: Actor, target: TargetFacts, reason: str) -> Outcome:
        await self.queue.require(actor)
        intent = Intent(target.user_id, warn=True, reason=self._reason(reason, required=True))
        return await self._sanction(
            actor, None, Subject(target_id=target.user_id), intent, _known(target)
        )

    async def timeout(
        self, actor: Actor, target: TargetFacts, duration: timedelta, reason: str
    ) -> Outcome:
        await self.queue.require(actor)
        intent = Intent(
            target.user_id,
            timeout=check_timeout(duration),
            reason=self._reason(reason, required=True),
        )
        return await self._sanction(
            actor, None, Subject(target_id=target.user_id), intent, _known(target)
        )

    async def _check(self, actor: Actor, intent: Intent, lookup: FactsLookup) -> TargetFacts | None:
        if intent.target_id is None:
            if intent.warn or intent.timeout is not None:
                raise NotFound("The author of that text is not known, so only removal is possible.")
            return None
        facts = await lookup(intent.target_id)
        if facts is None:
            if intent.timeout is not None:
                raise NotFound(
                    "That member is no longer in the server, so they cannot be timed out."
                )
            return None
        check_target(actor, facts, timeout=intent.timeout is not None)
        return facts

    async def _sanction(
        self,
        actor: Actor,
        key: str | None,
        subject: Subject,
        intent: Intent,
        lookup: FactsLookup,
    ) -> Outcome:
        facts = await self._check(actor, intent, lookup)
        settings = await self._store.settings(actor.guild_id)
        if settings.paired and intent.needs_pair:
            return await self._propose(actor, key, intent)
        claim = None if key is None else Claim(key, PAST[_action_of(intent)], actor.user_id)
        return await self._execute(
            actor.guild_id,
            actor.user_id,
            None,
            key,
            subject,
            intent,
            settings,
            facts is not None,
            claim=claim,
        )

    async def _execute(
        self,
        guild_id: int,
        moderator_id: int,
        confirmed_by: int | None,
        key: str | None,
        subject: Subject,
        intent: Intent,
        settings: ModerationSettings,
        present: bool,
        *,
        claim: Claim | None = None,
        decide_paired: tuple[int, str] | None = None,
    ) -> Outcome:
        """Apply a decided removal and/or sanction, with the item's claim (when given), the
        reply's removal and the escalation ladder's step in the same transaction as the
        cases."""
        changes, effects = self._plan(
            moderator_id, confirmed_by, subject, intent, settings, present
        )
        changes.claim = claim
        changes.decide_paired = decide_paired
        ladder_effects: list[Effect] = []
        if intent.warn and intent.target_id is not None:
            changes.ladder = self._ladder(
                moderator_id, intent.target_id, settings, present, ladder_effects
            )
        committed = await self._commit(guild_id, changes)
        outcome = self._outcome(_done_sentence(intent), committed, effects)
        if key is not None:
            outcome.effects.append(
                Effect.resolved(key, f"{_done_sentence(intent)[:-1]} by <@{moderator_id}>")
            )
        step = settings.step_for(committed.active_warnings)
        if committed.ladder is not None and step is not None:
            self._escalated(outcome, committed.ladder, step, ladder_effects)
        return outcome

    def _plan(
        self,
        moderator_id: int,
        confirmed_by: int | None,
        subject: Subject,
        intent: Intent,
        settings: ModerationSettings,
        present: bool,
    ) -> tuple[Changes, list[Effect]]:
        """What a removal and/or sanction writes, and what Discord is asked to do once it is
        written. Pure, so the ladder can plan its step inside the decision's transaction."""
        now = self._now()
        effects: list[Effect] = []
        reply = subject.reply
        reply_change: ReplyChange | None = None
        if intent.remove and reply is not None:
            if reply.status is ReplyStatus.HELD:
                reply_change = ReplyChange(reply.id, ReplyStatus.REJECTED, (ReplyStatus.HELD,))
            else:
                reply_change = ReplyChange(
                    reply.id,
                    ReplyStatus.REMOVED,
                    (ReplyStatus.PUBLISHED, ReplyStatus.PENDING),
                    "unpublish",
                )
        if intent.remove and reply is None and subject.message_id and subject.channel_id:
            effects.append(Effect.delete_message(subject.channel_id, subject.message_id))
        rule = intent.reason or "the server's dialogue rules"
        what = _what(subject)

        def case(type_: CaseType, notice: str, expires_at: datetime | None = None) -> NewCase:
            return NewCase(
                type_,
                moderator_id,
                intent.target_id,
                intent.reason,
                reply_id=None if reply is None else reply.id,
                report_id=subject.reports[0].id if subject.reports else None,
                expires_at=expires_at,
                confirmed_by=confirmed_by,
                notice=notice + " This is case {case}. " + appeal_hint(),
            )

        cases: list[NewCase] = []
        if intent.remove:
            cases.append(case(CaseType.REMOVAL, f"Moderators removed {what}. Reason: {rule}."))
        if intent.warn:
            cases.append(
                case(
                    CaseType.WARNING,
                    f"You received a warning. Reason: {rule}. "
                    f"It expires in {settings.warning_days} days.",
                    now + timedelta(days=settings.warning_days),
                )
            )
        if intent.timeout is not None and intent.target_id is not None:
            until = now + intent.timeout
            cases.append(
                case(
                    CaseType.TIMEOUT,
                    f"You are timed out for {format_duration(intent.timeout)}. Reason: {rule}.",
                    until,
                )
            )
            if present:
                effects.append(Effect.timeout(intent.target_id, until))
        changes = Changes(
            now,
            cases,
            close_reports=subject.report_ids,
            report_status="removed" if intent.remove else "kept",
            decided_by=moderator_id,
            count_warnings_for=intent.target_id if intent.warn else None,
            reply_change=reply_change,
        )
        return changes, effects

    def _ladder(
        self,
        moderator_id: int,
        target_id: int,
        settings: ModerationSettings,
        present: bool,
        effects: list[Effect],
    ) -> Callable[[int], Changes | None]:
        """The escalation ladder, as the store calls it inside the warning's transaction with
        the member's active warnings: the step reached becomes its own case (or, with paired
        moderation, a proposal); its Discord effects are collected into ``effects``."""

        def step_for(active: int) -> Changes | None:
            step = settings.step_for(active)
            if step is None:
                return None
            reason = f"Automatic: {active} active warnings (ladder step {step.warnings})"
            if step.recommend_removal:
                reason += "; removal from the dialogue recommended"
            if settings.paired:
                return Changes(
                    self._now(),
                    new_paired=NewPaired(
                        None, target_id, False, False, step.timeout, reason, moderator_id, None
                    ),
                )
            intent = Intent(target_id, timeout=step.timeout, reason=reason)
            changes, planned = self._plan(
                moderator_id, None, Subject(target_id=target_id), intent, settings, present
            )
            effects.extend(planned)
            return changes

        return step_for

    def _escalated(
        self, outcome: Outcome, ladder: Committed, step: LadderStep, effects: list[Effect]
    ) -> None:
        """Tell the moderator (and Discord) what the ladder added to their warning."""
        outcome.recommend_removal = step.recommend_removal
        if ladder.paired_id is not None:
            outcome.effects.append(Effect.queued(item_key(ItemKind.PAIRED, ladder.paired_id)))
            outcome.message += f" The ladder proposes a {format_duration(step.timeout)} timeout; "
            outcome.message += "it waits for a second moderator."
            return
        more = self._outcome("", ladder, effects)
        outcome.cases.extend(more.cases)
        outcome.effects.extend(more.effects)
        outcome.message += f" The ladder added a {format_duration(step.timeout)} timeout."
        if step.recommend_removal:
            outcome.message += " Removal from the dialogue is recommended."

    async def untimeout(self, actor: Actor, target: TargetFacts, reason: str) -> Outcome:
        await self.queue.require(actor)
        check_target(actor, target)
        now = self._now()
        active = await self._store.active_of_type(
            actor.guild_id, target.user_id, CaseType.TIMEOUT, now
        )
        changes = Changes(
            now,
            [
                NewCase(
                    CaseType.UNTIMEOUT,
                    actor.user_id,
                    target.user_id,
                    self._reason(reason, required=True),
                    related_case=active[-1].number if active else None,
                    notice="Your timeout was lifted by the moderators (case {case}).",
                )
            ],
            deactivate_cases=[c.id for c in active],
        )
        committed = await self._store.commit(actor.guild_id, changes)
        return self._outcome("Timeout lifted.", committed, [Effect.untimeout(target.user_id)])

    async def pardon(self, actor: Actor, number: int, reason: str) -> Outcome:
        """End an active warning or timeout early."""
        await self.queue.require(actor)
        case = await self._case(actor.guild_id, number)
        if not case.active or case.type not in (CaseType.WARNING, CaseType.TIMEOUT):
            raise InvalidInput(f"Case {number} is not an active warning or timeout.")
        if case.target_id == actor.user_id:
            raise NotAllowed("You cannot pardon a case about yourself.")
        changes = Changes(
            self._now(),
            [
                NewCase(
                    CaseType.PARDON,
                    actor.user_id,
                    case.target_id,
                    self._reason(reason, required=True),
                    related_case=case.number,
                    notice=f"Case {case.number} was pardoned by the moderators (case {{case}}).",
                )
            ],
            deactivate_cases=[case.id],
        )
        committed = await self._store.commit(actor.guild_id, changes)
        effects = []
        if case.type is CaseType.TIMEOUT and case.target_id is not None:
            effects.append(Effect.untimeout(case.target_id))
        return self._outcome(f"Case {number} pardoned.", committed, effects)

    # paired moderation -----------------------------------------------------------------

    async def _propose(self, actor: Actor, key: str | None, intent: Intent) -> Outcome:
        community = await self._communities.of_member(
            actor.guild_id, actor.user_id, actor.member.role_ids
        )
        changes = Changes(
            self._now(),
            claim=None if key is None else Claim(key, "proposed", actor.user_id),
            new_paired=NewPaired(
                key,
                intent.target_id,
                intent.remove,
                intent.warn,
                intent.timeout,
                intent.reason,
                actor.user_id,
                None if community is None else community.id,
            ),
        )
        committed = await self._commit(actor.guild_id, changes)
        assert committed.paired_id is not None
        pending = item_key(ItemKind.PAIRED, committed.paired_id)
        outcome = Outcome(
            "Paired moderation is on: this waits for a moderator from another community to "
            "confirm it; nothing happens to the member until then.",
            pending_key=pending,
        )
        outcome.effects.append(Effect.queued(pending))
        if key is not None:
            outcome.effects.append(Effect.resolved(key, f"Proposed by <@{actor.user_id}>"))
        return outcome

    async def _paired(self, guild_id: int, ident: int) -> PairedAction:
        paired = await self._store.paired(ident)
        if paired is None or paired.guild_id != guild_id:
            raise NotFound("That proposed action no longer exists.")
        return paired

    async def _confirm(
        self, actor: Actor, key: str, ident: int, lookup: FactsLookup, note: str = ""
    ) -> Outcome:
        paired = await self._paired(actor.guild_id, ident)
        if paired.proposed_by == actor.user_id:
            raise NotAllowed(
                "You proposed this; a moderator from another community must confirm it."
            )
        community = await self._communities.of_member(
            actor.guild_id, actor.user_id, actor.member.role_ids
        )
        if community is None:
            raise NotAllowed(
                "Paired moderation needs the confirming moderator's community, and you have "
                "not joined one; join with /community join, or ask another moderator."
            )
        if community.id == paired.proposer_community_id:
            raise NotAllowed(
                f"This needs a moderator from a community other than {community.name}, "
                "the proposer's."
            )
        reason = f"{paired.reason} (confirmed: {note})" if note else paired.reason
        intent = Intent(paired.target_id, paired.remove, paired.warn, paired.timeout, reason)
        facts = await self._check(actor, intent, lookup)
        subject = (
            Subject(target_id=paired.target_id)
            if paired.item_key is None
            else await self.queue.subject(actor.guild_id, paired.item_key)
        )
        settings = await self._store.settings(actor.guild_id)
        outcome = await self._execute(
            actor.guild_id,
            paired.proposed_by,
            actor.user_id,
            None,
            subject,
            intent,
            settings,
            facts is not None,
            claim=Claim(key, "confirmed", actor.user_id),
            decide_paired=(paired.id, "confirmed"),
        )
        outcome.effects.append(Effect.resolved(key, f"Confirmed by <@{actor.user_id}>"))
        return outcome

    async def _cancel(self, actor: Actor, key: str, ident: int) -> Outcome:
        paired = await self._paired(actor.guild_id, ident)
        await self._commit(
            actor.guild_id,
            Changes(
                self._now(),
                decide_paired=(paired.id, "cancelled"),
                decided_by=actor.user_id,
                claim=Claim(key, "cancelled", actor.user_id),
                release=paired.item_key,  # the original item goes back to the queue
            ),
        )
        outcome = Outcome("Cancelled; nothing happened to the member.")
        outcome.effects.append(Effect.resolved(key, f"Cancelled by <@{actor.user_id}>"))
        if paired.item_key is not None:
            outcome.effects.append(Effect.queued(paired.item_key))
        return outcome

    # appeals ---------------------------------------------------------------------------

    async def appeal(self, guild_id: int, number: int, user_id: int, reason: str) -> Outcome:
        """The member a sanction is about asks for another look, once per case."""
        case = await self._store.case(guild_id, number)
        if case is None or case.target_id != user_id:
            raise NotFound(f"You have no case {number} to appeal; the number is in your notice.")
        if not case.is_sanction:
            raise InvalidInput(f"Case {number} is not a sanction, so there is nothing to appeal.")
        text = self.sanitize(reason, APPEAL_REASON_MAX)[:APPEAL_REASON_MAX]
        if not text:
            raise InvalidInput("Please say why you think the decision was wrong.")
        appeal_id = await self._store.add_appeal(guild_id, case.id, user_id, text, self._now())
        if appeal_id is None:
            raise Conflict(f"You already appealed case {number}; each case is appealed once.")
        outcome = Outcome(
            f"Your appeal of case {number} went to the moderators; you will hear back here "
            "or by direct message."
        )
        outcome.effects.append(Effect.queued(item_key(ItemKind.APPEAL, appeal_id)))
        return outcome

    async def _decide_appeal(
        self, actor: Actor, key: str, ident: int, action: QueueAction, reason: str
    ) -> Outcome:
        appeal = await self._store.appeal(ident)
        if appeal is None or appeal.guild_id != actor.guild_id:
            raise NotFound("That appeal no longer exists.")
        case = await self._store.case_by_id(appeal.case_id)
        assert case is not None
        if actor.user_id in (case.moderator_id, case.confirmed_by):
            raise NotAllowed("You took part in that case, so another moderator decides its appeal.")
        overturn = action is QueueAction.OVERTURN
        now = self._now()
        if overturn:
            notice = (
                f"Your appeal of case {case.number} was accepted: the "
                f"{case.type.info.label.lower()} no longer counts against you (case {{case}})."
            )
            if case.type is CaseType.REMOVAL:
                notice += " The removed text is not restored; you may post it again."
        else:
            notice = (
                f"Your appeal of case {case.number} was considered and the decision stands "
                "(case {case})."
            )
        if reason:
            notice += f" Moderator's note: {reason}"
        changes = Changes(
            now,
            [
                NewCase(
                    CaseType.APPEAL_OVERTURNED if overturn else CaseType.APPEAL_UPHELD,
                    actor.user_id,
                    case.target_id,
                    reason,
                    related_case=case.number,
                    notice=notice,
                )
            ],
            deactivate_cases=[case.id] if overturn else [],
            decide_appeal=(appeal.id, "overturned" if overturn else "upheld"),
            decided_by=actor.user_id,
            claim=Claim(key, PAST[action], actor.user_id),
        )
        committed = await self._commit(actor.guild_id, changes)
        effects = []
        running = case.expires_at is None or case.expires_at > now
        if overturn and case.type is CaseType.TIMEOUT and case.active and running:
            effects.append(Effect.untimeout(appeal.user_id))
        outcome = self._outcome(
            f"Appeal {'overturned' if overturn else 'upheld'}; the member is told.",
            committed,
            effects,
        )
        outcome.effects.append(
            Effect.resolved(key, f"{PAST[action].capitalize()} by <@{actor.user_id}>")
        )
        return outcome

    # reveal ----------------------------------------------------------------------------

    async def reveal(self, actor: Actor, reply_id: int, reason: str) -> Outcome:
        """Who wrote a pseudonymous reply: always a case, always with a reason."""
        await self.queue.require(actor)
        reason = self._reason(reason, required=True)
        reply = await self._replies.get(reply_id)
        if reply.guild_id != actor.guild_id:
            raise NotFound("That reply no longer exists.")
        author = self._replies.author_of(reply)
        committed = await self._store.commit(
            actor.guild_id,
            Changes(
                self._now(),
                [NewCase(CaseType.REVEAL, actor.user_id, author, reason, reply_id=reply.id)],
            ),
        )
        outcome = self._outcome(
            f"Reply {reply.id} was written by <@{author}> (case {committed.cases[0].number}).",
            committed,
        )
        outcome.user_id = author
        return outcome

    # timers ----------------------------------------------------------------------------

    async def due_timers(self, now: datetime | None = None) -> list[Case]:
        return await self._store.due_cases(now or self._now())

    async def next_timer_due(self) -> datetime | None:
        return await self._store.next_expiry()

    async def expire_due(
        self, now: datetime | None = None, owned: Callable[[int], bool] | None = None
    ) -> list[Case]:
        """Mark warnings and timeouts whose time is up as no longer active. Discord lifts a
        timeout by itself, so there is nothing to undo there. ``owned(guild_id)``: only the
        servers this process serves (its shards), so the one that logs an expiry is the one
        that sees the server's channels; each case is expired once however many ask."""
        due = [c for c in await self.due_timers(now) if owned is None or owned(c.guild_id)]
        done = set(await self._store.expire([c.id for c in due]))
        return [c for c in due if c.id in done]

    # notices ---------------------------------------------------------------------------

    async def pending_notices_for(self, guild_id: int, user_id: int) -> list[tuple[int, str]]:
        return await self._store.undelivered(guild_id, user_id)

    async def mark_delivered(self, notice_ids: list[int]) -> None:
        await self._store.mark_delivered(notice_ids, self._now())

    async def take_pending_notices(self, guild_id: int, user_id: int) -> list[tuple[int, str]]:
        """The notices to show the member now; each is handed out once."""
        return await self._store.take_undelivered(guild_id, user_id, self._now())

    async def return_notices(self, notice_ids: list[int]) -> None:
        await self._store.return_undelivered(notice_ids)

    # mod channel bookkeeping -------------------------------------------------------------

    async def unannounced(self) -> list[tuple[int, str]]:
        return await self._store.unannounced()

    async def claim_announcement(self, guild_id: int, key: str) -> bool:
        return await self._store.claim_announcement(guild_id, key)

    async def set_announcement(self, guild_id: int, key: str, message_id: int) -> None:
        await self._store.set_announcement(guild_id, key, message_id)

    async def announcement(self, guild_id: int, key: str) -> int | None:
        return await self._store.announcement(guild_id, key)

    async def forget_member(self, guild_id: int, user_id: int) -> None:
        await self._store.forget_member(guild_id, user_id)

    # /mydata (bot.safety.records.ModerationRecords) --------------------------------------

    async def reports_by(self, guild_id: int, user_id: int) -> list[dict[str, Any]]:
        return [
            {
                "report": report.id,
                "about": f"reply {report.reply_id}" if report.reply_id else "a message",
                "category": report.category.value,
                "reason": report.reason,
                "status": report.status,
                "filed_at": report.created_at.isoformat(),
            }
            for report in await self._store.reports_by(guild_id, user_id)
        ]

    async def cases_about(self, guild_id: int, user_id: int) -> list[dict[str, Any]]:
        """Cases about the member, without any moderator's identity."""
        return [
            {
                "case": case.number,
                "type": case.type.info.label,
                "reason": case.reason,
                "created_at": case.created_at.isoformat(),
                "expires_at": case.expires_at.isoformat() if case.expires_at else None,
                "active": case.active,
                "moderator": "a moderator",
            }
            for case in await self._store.cases_for(guild_id, user_id)
        ]

    async def tombstone(self, guild_id: int, user_id: int) -> int:
        count = len(await self._store.cases_for(guild_id, user_id))
        await self._store.forget_member(guild_id, user_id)
        return count

    # helpers ---------------------------------------------------------------------------

    def _now(self) -> datetime:
        """The clock, to the millisecond that storage keeps, so effects and cases agree."""
        now = self.clock()
        return now.replace(microsecond=now.microsecond // 1000 * 1000)

    @staticmethod
    def _outcome(
        message: str, committed: Committed, effects: list[Effect] | None = None
    ) -> Outcome:
        outcome = Outcome(message, list(committed.cases))
        for notice_id, user_id, text in committed.notices:
            outcome.effects.append(Effect.notify(user_id, text, notice_id))
        outcome.effects.extend(effects or [])
        outcome.effects.extend(Effect.log(c) for c in committed.cases)
        return outcome


def _known(facts: TargetFacts) -> FactsLookup:
    async def lookup(user_id: int) -> TargetFacts | None:
        return facts if user_id == facts.user_id else None

    return lookup


def _category(value: str) -> ReportCategory:
    try:
        return ReportCategory(value)
    except ValueError:
        raise InvalidInput("Please choose what kind of problem this is.") from None


def _taken(earlier: Resolution) -> Conflict:
    return Conflict(
        f"<@{earlier.resolved_by}> already {earlier.action} this item "
        f"<t:{int(earlier.resolved_at.timestamp())}:R>."
    )


def _report_summary(subject: Subject) -> str:
    labels = sorted({r.category.label for r in subject.reports})
    if labels:
        return "Reported: " + ", ".join(labels)
    if subject.reply is not None and subject.reply.status is ReplyStatus.HELD:
        rules = sorted(
            {r.get("category", "civility") for r in verdict_of(subject.reply.civility_detail)}
        )
        return ("Held by the rules on " + ", ".join(rules)) if rules else ""
    return ""


def _what(subject: Subject) -> str:
    if subject.reply is not None:
        return f"your reply in round {subject.reply.round_number}"
    if subject.message_id is not None:
        return "your message in the dialogue channel"
    return "your text"


def _action_of(intent: Intent) -> QueueAction:
    if intent.timeout is not None:
        return QueueAction.TIMEOUT
    if intent.warn:
        return QueueAction.WARN
    return QueueAction.REMOVE


def _done_sentence(intent: Intent) -> str:
    parts = []
    if intent.remove:
        parts.append("removed")
    if intent.warn:
        parts.append("warned")
    if intent.timeout is not None:
        parts.append(f"timed out for {format_duration(intent.timeout)}")
    return (" and ".join(parts) or "done").capitalize() + "."


__all__ = ["EffectKind", "FactsLookup", "Intent", "ModerationService", "QueueAction"]
