"""The pure part of a sanction: what a removal and/or sanction writes, what Discord is
asked to do once it is written, and the escalation ladder's step, planned inside the
warning's transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.dialogue.models import ReplyStatus
from bot.effects import Announce, DeleteMessage, Effect, OutboxChanged, Outcome, Timeout
from bot.moderation._decision import Desk, SanctionPlan, outcome_of
from bot.moderation.casetypes import CaseType
from bot.moderation.durations import format_duration
from bot.moderation.models import ItemKind, LadderStep, ModerationSettings, NewCase, item_key
from bot.moderation.queue import Subject
from bot.notice import EVERY_CASE, THIS_CASE, Notice, duration_message, nested
from bot.storage.moderation import (
    AddCase,
    CloseReports,
    Committed,
    Decision,
    ProposePaired,
    SetReplyStatus,
    Write,
)


def plan_sanction(
    desk: Desk,
    moderator_id: int,
    confirmed_by: int | None,
    subject: Subject,
    plan: SanctionPlan,
    settings: ModerationSettings,
    present: bool,
    now: datetime | None = None,
) -> tuple[list[Write], list[Effect]]:
    """What a removal and/or sanction writes, and what Discord is asked to do once it is
    written. Pure, so the ladder can plan its step inside the decision's transaction.
    ``now``: the decision's time, so a timeout's end is exactly its case's time + duration."""
    now = desk.now() if now is None else now
    writes: list[Write] = []
    effects: list[Effect] = []
    reply = subject.reply
    if plan.remove and reply is not None:
        if reply.status is ReplyStatus.HELD:
            writes.append(SetReplyStatus(reply.id, ReplyStatus.REJECTED, (ReplyStatus.HELD,)))
        else:
            writes.append(
                SetReplyStatus(
                    reply.id,
                    ReplyStatus.REMOVED,
                    (ReplyStatus.PUBLISHED, ReplyStatus.PENDING),
                    "unpublish",
                )
            )
            effects.append(OutboxChanged())
    if plan.remove and reply is None and subject.message_id and subject.channel_id:
        effects.append(DeleteMessage(subject.channel_id, subject.message_id))
    rule: object = plan.reason or nested("moderation.notice.rule_default")
    planned: list[tuple[CaseType, datetime | None]] = []
    told = Notice()
    if plan.remove:
        planned.append((CaseType.REMOVAL, None))
        told = told.then("moderation.notice.removed", what=_what(subject))
    if plan.warn:
        planned.append((CaseType.WARNING, now + timedelta(days=settings.warning_days)))
        told = told.then("moderation.notice.warned", count=settings.warning_days)
    until: datetime | None = None
    if plan.timeout is not None and plan.target_id is not None:
        until = now + plan.timeout
        planned.append((CaseType.TIMEOUT, until))
        told = told.then("moderation.notice.timed_out", duration=duration_message(plan.timeout))
    # one decision, one notice: it goes with the decision's last case and names every case
    told = told.then("moderation.notice.reason", rule=rule)
    if len(planned) == 1:
        told = told.then("moderation.notice.case", case=THIS_CASE)
    else:
        told = told.then("moderation.notice.cases", cases=EVERY_CASE)
    told = told.then(
        "moderation.notice.appeal" if len(planned) == 1 else "moderation.notice.appeal_each",
        case=THIS_CASE,
    )
    for index, (type_, expires_at) in enumerate(planned):
        last = index == len(planned) - 1
        writes.append(
            AddCase(
                NewCase(
                    type_,
                    moderator_id,
                    plan.target_id,
                    plan.reason,
                    reply_id=None if reply is None else reply.id,
                    report_id=subject.reports[0].id if subject.reports else None,
                    expires_at=expires_at,
                    confirmed_by=confirmed_by,
                    notice=told if last else None,
                )
            )
        )
    if until is not None and present and plan.target_id is not None:
        effects.append(Timeout(plan.target_id, until))
    status = "removed" if plan.remove else "kept"
    writes.append(CloseReports(tuple(subject.report_ids), status, moderator_id))
    return writes, effects


def ladder_for(
    desk: Desk,
    moderator_id: int,
    target_id: int,
    settings: ModerationSettings,
    present: bool,
    effects: list[Effect],
) -> Callable[[int], Decision | None]:
    """The escalation ladder, as the store calls it inside the warning's transaction with
    the member's active warnings: the step reached becomes its own case (or, with paired
    moderation, a proposal); its Discord effects are collected into ``effects``."""

    def step_for(active: int) -> Decision | None:
        step = settings.step_for(active)
        if step is None:
            return None
        reason = f"Automatic: {active} active warnings (ladder step {step.warnings})"
        if step.recommend_removal:
            reason += "; removal from the dialogue recommended"
        if settings.paired:
            proposal = ProposePaired(
                None, target_id, False, False, step.timeout, reason, moderator_id, None
            )
            return Decision(desk.now(), [proposal])
        plan = SanctionPlan(target_id, timeout=step.timeout, reason=reason)
        at = desk.now()
        writes, planned = plan_sanction(
            desk, moderator_id, None, Subject(target_id=target_id), plan, settings, present, at
        )
        effects.extend(planned)
        return Decision(at, writes)

    return step_for


def escalated(outcome: Outcome, ladder: Committed, step: LadderStep, effects: list[Effect]) -> None:
    """Tell the moderator (and Discord) what the ladder added to their warning."""
    outcome.recommend_removal = step.recommend_removal
    if ladder.paired_id is not None:
        outcome.effects.append(Announce(item_key(ItemKind.PAIRED, ladder.paired_id)))
        outcome.message += f" The ladder proposes a {format_duration(step.timeout)} timeout; "
        outcome.message += "it waits for a second moderator."
        return
    more = outcome_of("", ladder, effects)
    outcome.cases.extend(more.cases)
    outcome.effects.extend(more.effects)
    outcome.message += f" The ladder added a {format_duration(step.timeout)} timeout."
    if step.recommend_removal:
        outcome.message += " Removal from the dialogue is recommended."


def _what(subject: Subject) -> dict[str, object]:
    if subject.reply is not None:
        return nested("moderation.notice.what_reply", round=subject.reply.round_number)
    if subject.message_id is not None:
        return nested("moderation.notice.what_message")
    return nested("moderation.notice.what_text")
