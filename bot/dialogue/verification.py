"""A moderator's decision on a join request, recorded as a verification case.

The decision and its case are written by their own features (communities, the moderation case
log); this service asks both and returns what Discord should do afterwards: give the role,
post the case to the mod log, tell the member.
"""

from __future__ import annotations

from typing import Protocol

from bot.dialogue.communities import CommunityService, JoinDecision
from bot.effects import AddRole, Outcome
from bot.moderation.casetypes import CaseType
from bot.moderation.models import NewCase
from bot.notice import Notice


class CaseLog(Protocol):
    """The moderation case log's public facade (:class:`bot.moderation.service.ModerationService`)."""

    async def create_case(self, guild_id: int, new: NewCase) -> Outcome: ...


class VerificationService:
    def __init__(self, communities: CommunityService, cases: CaseLog) -> None:
        self._communities = communities
        self._cases = cases

    async def decide(
        self, guild_id: int, request_id: int, approved: bool, moderator_id: int
    ) -> tuple[JoinDecision, Outcome]:
        """Record the decision (refused when another moderator was first) and its case; the
        outcome's effects give the community role (when approved), post the case and tell the
        member (kept as a pending notice when their DMs are closed)."""
        decision = await self._communities.decide(guild_id, request_id, approved, moderator_id)
        name = decision.community.name
        verdict = "approved" if approved else "denied"
        notice = Notice.of(
            "verification.notice.approved" if approved else "verification.notice.denied",
            community=name,
        )
        outcome = await self._cases.create_case(
            decision.guild_id,
            NewCase(
                CaseType.VERIFICATION,
                moderator_id,
                target_id=decision.user_id,
                reason=f"Join request #{request_id} for {name}: {verdict}",
                notice=notice,
            ),
        )
        if approved:
            role = AddRole(
                decision.user_id, decision.community.role_id, "Track Two: join request approved"
            )
            outcome.effects.insert(0, role)
        return decision, outcome
