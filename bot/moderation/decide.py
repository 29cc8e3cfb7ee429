"""Deciding a queue item: the one entry point behind every queue button and form. Held
replies and reports are approved, dismissed or sanctioned here; appeals and paired actions go
to their own modules."""

from __future__ import annotations

from datetime import timedelta

from bot.dialogue.models import ReplyStatus
from bot.effects import OutboxChanged, Outcome, Resolve
from bot.errors import InvalidInput
from bot.moderation._decision import (
    DECISION_NOTE_MAX,
    Desk,
    FactsLookup,
    QueueAction,
    SanctionPlan,
    nobody_known,
    outcome_of,
    report_summary,
)
from bot.moderation.appeals import Appeals
from bot.moderation.casetypes import CaseType
from bot.moderation.durations import check_timeout
from bot.moderation.models import ItemKind, NewCase, item_key
from bot.moderation.paired import Paired
from bot.moderation.queue import Subject
from bot.moderation.sanctions import Sanctions
from bot.moderation.targets import Actor
from bot.storage.moderation import AddCase, ClaimItem, CloseReports, Decision, SetReplyStatus, Write

SANCTIONS = (QueueAction.REMOVE, QueueAction.WARN, QueueAction.TIMEOUT)


class Decide:
    def __init__(self, desk: Desk, sanctions: Sanctions, paired: Paired, appeals: Appeals) -> None:
        self._desk = desk
        self._sanctions = sanctions
        self._paired = paired
        self._appeals = appeals

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
        await self._desk.queue.require(actor)
        kind, ident = self._desk.queue.parse(key)
        key = item_key(kind, ident)  # an old button's key (r:12) reads as today's (held:12)
        reason = self._desk.reason(reason)
        if kind in (ItemKind.APPEAL, ItemKind.PAIRED):
            reason = reason[:DECISION_NOTE_MAX]
        if kind is ItemKind.APPEAL:
            if action not in (QueueAction.UPHOLD, QueueAction.OVERTURN):
                raise InvalidInput("moderation.error.appeal_choice")
            return await self._appeals.decide(actor, key, ident, action, reason)
        if kind is ItemKind.PAIRED:
            if action is QueueAction.CONFIRM:
                return await self._paired.confirm(actor, key, ident, lookup, reason)
            if action is QueueAction.CANCEL:
                return await self._paired.cancel(actor, key, ident)
            raise InvalidInput("moderation.error.paired_choice")
        subject = await self._desk.queue.subject(actor.guild_id, key)
        if action is QueueAction.APPROVE:
            if kind is ItemKind.REPORT:
                return await self._close_reports(actor, key, subject, CaseType.KEPT, reason)
            return await self._approve(actor, key, subject, reason)
        if action is QueueAction.DISMISS:
            if kind is not ItemKind.REPORT:
                raise InvalidInput("moderation.error.held_choice")
            return await self._close_reports(actor, key, subject, CaseType.DISMISSAL, reason)
        if action in SANCTIONS:
            if action is QueueAction.TIMEOUT:
                if duration is None:
                    raise InvalidInput("moderation.error.timeout_length")
                check_timeout(duration)
            plan = SanctionPlan(
                subject.target_id,
                remove=True,
                warn=action is QueueAction.WARN,
                timeout=duration if action is QueueAction.TIMEOUT else None,
                reason=reason or report_summary(subject),
            )
            return await self._sanctions.sanction(actor, key, subject, plan, lookup)
        raise InvalidInput("moderation.error.action_item")

    async def _approve(self, actor: Actor, key: str, subject: Subject, reason: str) -> Outcome:
        assert subject.reply is not None
        case = NewCase(
            CaseType.APPROVAL,
            actor.user_id,
            subject.recorded_target,
            reason,
            reply_id=subject.reply.id,
        )
        writes: list[Write] = [
            ClaimItem(key, "approved", actor.user_id),
            SetReplyStatus(subject.reply.id, ReplyStatus.PENDING, (ReplyStatus.HELD,), "publish"),
            AddCase(case),
        ]
        committed = await self._desk.commit(actor.guild_id, Decision(self._desk.now(), writes))
        outcome = outcome_of("Approved; the reply will be published.", committed, [OutboxChanged()])
        outcome.effects.append(Resolve(key, "Approved", actor.user_id))
        return outcome

    async def _close_reports(
        self, actor: Actor, key: str, subject: Subject, type_: CaseType, reason: str
    ) -> Outcome:
        status = "kept" if type_ is CaseType.KEPT else "dismissed"
        case = NewCase(
            type_,
            actor.user_id,
            subject.recorded_target,
            reason or report_summary(subject),
            reply_id=None if subject.reply is None else subject.reply.id,
            report_id=subject.reports[0].id if subject.reports else None,
        )
        writes: list[Write] = [
            ClaimItem(key, status, actor.user_id),
            AddCase(case),
            CloseReports(tuple(subject.report_ids), status, actor.user_id),
        ]
        committed = await self._desk.commit(actor.guild_id, Decision(self._desk.now(), writes))
        word = "Kept" if type_ is CaseType.KEPT else "Dismissed"
        outcome = outcome_of(f"{word}; the reports are closed.", committed)
        outcome.effects.append(Resolve(key, word, actor.user_id))
        return outcome
