"""Sanctions: warn, time out, lift a timeout, pardon; the escalation ladder; and, under
paired moderation, proposing a removal or timeout for a second moderator to confirm."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.effects import (
    Announce,
    Effect,
    Outcome,
    Resolve,
    Untimeout,
)
from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.moderation._decision import (
    PAST,
    Desk,
    FactsLookup,
    SanctionPlan,
    known,
    outcome_of,
)
from bot.moderation.casetypes import CaseType
from bot.moderation.durations import check_timeout
from bot.moderation.ladder import escalated, ladder_for, plan_sanction
from bot.moderation.models import ItemKind, ModerationSettings, NewCase, item_key
from bot.moderation.queue import Subject
from bot.moderation.targets import Actor, TargetFacts, check_target
from bot.notice import THIS_CASE, Notice
from bot.safety.labels import pseudonymous_label
from bot.storage.moderation import (
    AddCase,
    ClaimItem,
    Committed,
    CountWarnings,
    Deactivate,
    DecidePaired,
    Decision,
    ProposePaired,
    Write,
)


@dataclass(frozen=True, slots=True)
class SanctionDecision:
    """A removal and/or sanction that is decided, ready to be written and carried out."""

    guild_id: int
    moderator_id: int  # who decided it (under paired moderation: who proposed it)
    subject: Subject
    plan: SanctionPlan
    settings: ModerationSettings
    present: bool  # the target is in the server, so Discord can time them out
    confirmed_by: int | None = None
    key: str | None = None  # the queue item whose mod-channel post is marked done
    claim: ClaimItem | None = None
    decide_paired: DecidePaired | None = None


class Sanctions:
    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    async def warn(self, actor: Actor, target: TargetFacts, reason: str) -> Outcome:
        await self._desk.queue.require(actor)
        plan = SanctionPlan(
            target.user_id, warn=True, reason=self._desk.reason(reason, required=True)
        )
        return await self.sanction(
            actor, None, Subject(target_id=target.user_id), plan, known(target)
        )

    async def timeout(
        self, actor: Actor, target: TargetFacts, duration: timedelta, reason: str
    ) -> Outcome:
        await self._desk.queue.require(actor)
        plan = SanctionPlan(
            target.user_id,
            timeout=check_timeout(duration),
            reason=self._desk.reason(reason, required=True),
        )
        return await self.sanction(
            actor, None, Subject(target_id=target.user_id), plan, known(target)
        )

    async def untimeout(self, actor: Actor, target: TargetFacts, reason: str) -> Outcome:
        await self._desk.queue.require(actor)
        check_target(actor, target)
        now = self._desk.now()
        active = await self._desk.store.cases.active_of_type(
            actor.guild_id, target.user_id, CaseType.TIMEOUT, now
        )
        case = NewCase(
            CaseType.UNTIMEOUT,
            actor.user_id,
            target.user_id,
            self._desk.reason(reason, required=True),
            related_case=active[-1].number if active else None,
            notice=Notice.of("moderation.notice.untimeout", case=THIS_CASE),
        )
        decision = Decision(now, [AddCase(case), Deactivate(tuple(c.id for c in active))])
        committed = await self._desk.store.commit(actor.guild_id, decision)
        return outcome_of("Timeout lifted.", committed, [Untimeout(target.user_id)])

    async def pardon(self, actor: Actor, number: int, reason: str) -> Outcome:
        await self._desk.queue.require(actor)
        case = await self._desk.case(actor.guild_id, number)
        if not case.active or case.type not in (CaseType.WARNING, CaseType.TIMEOUT):
            raise InvalidInput("moderation.error.pardon_inactive", number=number)
        if case.target_id == actor.user_id:
            raise NotAllowed("moderation.error.pardon_self")
        pardon = NewCase(
            CaseType.PARDON,
            actor.user_id,
            case.target_id,
            self._desk.reason(reason, required=True),
            related_case=case.number,
            notice=Notice.of("moderation.notice.pardon", number=case.number, case=THIS_CASE),
        )
        decision = Decision(self._desk.now(), [AddCase(pardon), Deactivate((case.id,))])
        committed = await self._desk.store.commit(actor.guild_id, decision)
        effects: list[Effect] = []
        if case.type is CaseType.TIMEOUT and case.target_id is not None:
            effects.append(Untimeout(case.target_id))
        return outcome_of(f"Case {number} pardoned.", committed, effects)

    async def check(
        self, actor: Actor, plan: SanctionPlan, lookup: FactsLookup
    ) -> TargetFacts | None:
        """The target as Discord knows them now, checked against the actor; None when there is
        nobody to sanction (an unknown author, a member who left)."""
        if plan.target_id is None:
            if plan.warn or plan.timeout is not None:
                raise NotFound("moderation.error.author_unknown")
            return None
        facts = await lookup(plan.target_id)
        if facts is None:
            if plan.timeout is not None:
                raise NotFound("moderation.error.timeout_gone")
            return None
        check_target(actor, facts, timeout=plan.timeout is not None)
        return facts

    async def sanction(
        self,
        actor: Actor,
        key: str | None,
        subject: Subject,
        plan: SanctionPlan,
        lookup: FactsLookup,
    ) -> Outcome:
        """Carry out ``plan`` now, or propose it when paired moderation applies."""
        facts = await self.check(actor, plan, lookup)
        settings = await self._desk.store.settings.settings(actor.guild_id)
        if settings.paired and plan.needs_pair:
            return await self.propose(actor, key, plan)
        claim = None if key is None else ClaimItem(key, PAST[plan.action], actor.user_id)
        decision = SanctionDecision(
            actor.guild_id,
            actor.user_id,
            subject,
            plan,
            settings,
            facts is not None,
            key=key,
            claim=claim,
        )
        return await self.execute(decision)

    async def execute(self, decided: SanctionDecision) -> Outcome:
        """Write a decided removal and/or sanction, with the item's claim (when given), the
        reply's removal and the escalation ladder's step in the same transaction as the
        cases, then say what happened."""
        plan, settings = decided.plan, decided.settings
        at = self._desk.now()  # one time for the cases and the timeout's end
        writes, effects = plan_sanction(
            self._desk,
            decided.moderator_id,
            decided.confirmed_by,
            decided.subject,
            plan,
            settings,
            decided.present,
            at,
        )
        if decided.claim is not None:
            writes.insert(0, decided.claim)
        if decided.decide_paired is not None:
            writes.append(decided.decide_paired)
        ladder_effects: list[Effect] = []
        if plan.warn and plan.target_id is not None:
            ladder = ladder_for(
                self._desk,
                decided.moderator_id,
                plan.target_id,
                settings,
                decided.present,
                ladder_effects,
            )
            writes.append(CountWarnings(plan.target_id, then=ladder))
        committed = await self._desk.commit(decided.guild_id, Decision(at, writes))
        outcome = outcome_of(confirmation(plan, decided.subject, committed), committed, effects)
        if decided.key is not None:
            outcome.effects.append(Resolve(decided.key, plan.done, decided.moderator_id))
        step = settings.step_for(committed.active_warnings)
        if committed.ladder is not None and step is not None:
            escalated(outcome, committed.ladder, step, ladder_effects)
        return outcome

    async def propose(self, actor: Actor, key: str | None, plan: SanctionPlan) -> Outcome:
        """Paired moderation: hold ``plan`` until a moderator from another community confirms."""
        community = await self._desk.communities.of_member(
            actor.guild_id, actor.user_id, actor.member.role_ids
        )
        writes: list[Write] = []
        if key is not None:
            writes.append(ClaimItem(key, "proposed", actor.user_id))
        writes.append(
            ProposePaired(
                key,
                plan.target_id,
                plan.remove,
                plan.warn,
                plan.timeout,
                plan.reason,
                actor.user_id,
                None if community is None else community.id,
            )
        )
        committed = await self._desk.commit(actor.guild_id, Decision(self._desk.now(), writes))
        assert committed.paired_id is not None
        pending = item_key(ItemKind.PAIRED, committed.paired_id)
        outcome = Outcome(
            "Paired moderation is on: this waits for a moderator from another community to "
            "confirm it; nothing happens to the member until then.",
            pending_key=pending,
        )
        outcome.effects.append(Announce(pending))
        if key is not None:
            outcome.effects.append(Resolve(key, "Proposed", actor.user_id))
        return outcome


def confirmation(plan: SanctionPlan, subject: Subject, committed: Committed) -> str:
    """What the moderator is told: what was done, to whom (the reply's pseudonymous label,
    never the author's name), and the case numbers."""
    if subject.reply is not None:
        whom = pseudonymous_label(subject.reply)
    elif plan.target_id is not None:
        whom = "the member"
    else:
        whom = "the message"
    numbers = [c.number for c in committed.cases]
    cases = ""
    if numbers:
        word = "case" if len(numbers) == 1 else "cases"
        cases = f" ({word} {', '.join(str(n) for n in numbers)})"
    told = " The member is sent one notice." if plan.target_id is not None else ""
    return f"{plan.done}: {whom}{cases}.{told}"
