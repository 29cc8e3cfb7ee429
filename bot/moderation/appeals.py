"""Appeals: the member a sanction is about asks for another look, once per case; a moderator
who took no part in the case upholds or overturns it."""

from __future__ import annotations

from bot.effects import Announce, Effect, Outcome, Resolve, Untimeout
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.moderation._decision import APPEAL_REASON_MAX, PAST, Desk, QueueAction, outcome_of
from bot.moderation.casetypes import CaseType
from bot.moderation.models import ItemKind, NewCase, item_key
from bot.moderation.targets import Actor
from bot.notice import THIS_CASE, Notice
from bot.storage.moderation import AddCase, ClaimItem, Deactivate, DecideAppeal, Decision, Write


class Appeals:
    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    async def appeal(self, guild_id: int, number: int, user_id: int, reason: str) -> Outcome:
        case = await self._desk.store.cases.case(guild_id, number)
        if case is None or case.target_id != user_id:
            raise NotFound("moderation.error.appeal_no_case", number=number)
        if not case.is_sanction:
            raise InvalidInput("moderation.error.appeal_not_sanction", number=number)
        text = self._desk.sanitize(reason, APPEAL_REASON_MAX)[:APPEAL_REASON_MAX]
        if not text:
            raise InvalidInput("moderation.error.appeal_why")
        appeal_id = await self._desk.store.reports.add_appeal(
            guild_id, case.id, user_id, text, self._desk.now()
        )
        if appeal_id is None:
            raise Conflict("moderation.error.appeal_twice", number=number)
        outcome = Outcome(
            f"Your appeal of case {number} went to the moderators; you will hear back here "
            "or by direct message."
        )
        outcome.effects.append(Announce(item_key(ItemKind.APPEAL, appeal_id)))
        return outcome

    async def decide(
        self, actor: Actor, key: str, ident: int, action: QueueAction, reason: str
    ) -> Outcome:
        """Uphold or overturn appeal ``ident``; ``reason`` is the moderator's note to the
        member."""
        appeal = await self._desk.store.reports.appeal(ident)
        if appeal is None or appeal.guild_id != actor.guild_id:
            raise NotFound("moderation.error.appeal_gone")
        case = await self._desk.store.cases.case_by_id(appeal.case_id)
        assert case is not None
        if actor.user_id in (case.moderator_id, case.confirmed_by):
            raise NotAllowed("moderation.error.appeal_own")
        overturn = action is QueueAction.OVERTURN
        now = self._desk.now()
        # named by what happens to the member's sanction: it is lifted, or it stands
        if overturn:
            notice = Notice.of(
                "moderation.notice.appeal_lifted", number=case.number, case=THIS_CASE
            )
            if case.type is CaseType.REMOVAL:
                notice = notice.then("moderation.notice.appeal_lifted_removal")
        else:
            notice = Notice.of(
                "moderation.notice.appeal_stands", number=case.number, case=THIS_CASE
            )
        if reason:
            notice = notice.then("moderation.notice.note", note=reason)
        decided = NewCase(
            CaseType.APPEAL_OVERTURNED if overturn else CaseType.APPEAL_UPHELD,
            actor.user_id,
            case.target_id,
            reason,
            related_case=case.number,
            notice=notice,
        )
        status = "overturned" if overturn else "upheld"
        writes: list[Write] = [
            ClaimItem(key, PAST[action], actor.user_id),
            AddCase(decided),
            Deactivate((case.id,) if overturn else ()),
            DecideAppeal(appeal.id, status, actor.user_id),
        ]
        committed = await self._desk.commit(actor.guild_id, Decision(now, writes))
        effects: list[Effect] = []
        running = case.expires_at is None or case.expires_at > now
        if overturn and case.type is CaseType.TIMEOUT and case.active and running:
            effects.append(Untimeout(appeal.user_id))
        result = "the sanction is lifted" if overturn else "the sanction stands"
        numbers = ", ".join(str(c.number) for c in committed.cases)
        outcome = outcome_of(
            f"Appeal of case {case.number} decided: {result} (case {numbers}); "
            "the member is sent a notice.",
            committed,
            effects,
        )
        done = "Sanction lifted" if overturn else "Sanction stands"
        outcome.effects.append(Resolve(key, done, actor.user_id))
        return outcome
