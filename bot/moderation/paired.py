"""Paired moderation: a proposed removal or timeout is confirmed by a moderator from another
community than the proposer's, or cancelled. Proposing is a sanction's job (``sanctions``)."""

from __future__ import annotations

from bot.effects import Announce, Outcome, Resolve
from bot.errors import NotAllowed, NotFound
from bot.moderation._decision import Desk, FactsLookup, SanctionPlan
from bot.moderation.models import PairedAction
from bot.moderation.queue import Subject
from bot.moderation.sanctions import SanctionDecision, Sanctions
from bot.moderation.targets import Actor
from bot.storage.moderation import ClaimItem, DecidePaired, Decision, Release, Write


class Paired:
    def __init__(self, desk: Desk, sanctions: Sanctions) -> None:
        self._desk = desk
        self._sanctions = sanctions

    async def confirm(
        self, actor: Actor, key: str, ident: int, lookup: FactsLookup, note: str = ""
    ) -> Outcome:
        paired = await self._paired(actor.guild_id, ident)
        if paired.proposed_by == actor.user_id:
            raise NotAllowed("moderation.error.paired_own")
        community = await self._desk.communities.of_member(
            actor.guild_id, actor.user_id, actor.member.role_ids
        )
        if community is None:
            raise NotAllowed("moderation.error.paired_no_community")
        if community.id == paired.proposer_community_id:
            raise NotAllowed("moderation.error.paired_other", community=community.name)
        reason = f"{paired.reason} (confirmed: {note})" if note else paired.reason
        plan = SanctionPlan(paired.target_id, paired.remove, paired.warn, paired.timeout, reason)
        facts = await self._sanctions.check(actor, plan, lookup)
        subject = (
            Subject(target_id=paired.target_id)
            if paired.item_key is None
            else await self._desk.queue.subject(actor.guild_id, paired.item_key)
        )
        settings = await self._desk.store.settings.settings(actor.guild_id)
        outcome = await self._sanctions.execute(
            SanctionDecision(
                actor.guild_id,
                paired.proposed_by,
                subject,
                plan,
                settings,
                facts is not None,
                confirmed_by=actor.user_id,
                claim=ClaimItem(key, "confirmed", actor.user_id),
                # decided_by has always been the proposer here, as in the decision's reports
                decide_paired=DecidePaired(paired.id, "confirmed", paired.proposed_by),
            )
        )
        outcome.effects.append(Resolve(key, "Confirmed", actor.user_id))
        return outcome

    async def cancel(self, actor: Actor, key: str, ident: int) -> Outcome:
        paired = await self._paired(actor.guild_id, ident)
        writes: list[Write] = [ClaimItem(key, "cancelled", actor.user_id)]
        if paired.item_key is not None:
            writes.append(Release(paired.item_key))  # the original item goes back to the queue
        writes.append(DecidePaired(paired.id, "cancelled", actor.user_id))
        await self._desk.commit(actor.guild_id, Decision(self._desk.now(), writes))
        outcome = Outcome("Cancelled; nothing happened to the member.")
        outcome.effects.append(Resolve(key, "Cancelled", actor.user_id))
        if paired.item_key is not None:
            outcome.effects.append(Announce(paired.item_key))
        return outcome

    async def _paired(self, guild_id: int, ident: int) -> PairedAction:
        paired = await self._desk.store.queue.paired(ident)
        if paired is None or paired.guild_id != guild_id:
            raise NotFound("moderation.error.proposal_gone")
        return paired
