"""A moderator's decision on a join request, recorded as a verification case.

The decision and its case are one transaction: the request's decision (with the membership on
approval) is the first write of the moderation case log's decision, so a crash or a second
moderator leaves both or neither. This service returns what Discord should do afterwards:
give the role, post the case to the mod log, tell the member.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.dialogue.communities import CommunityService, JoinDecision
from bot.effects import AddRole, Outcome
from bot.errors import Conflict
from bot.moderation.casetypes import CaseType
from bot.moderation.models import NewCase
from bot.notice import Notice
from bot.storage.moderation import DecideJoinRequest, RequestTaken, Write


class CaseLog(Protocol):
    """The moderation case log's public facade (:class:`bot.moderation.service.ModerationService`)."""

    async def create_case(
        self, guild_id: int, new: NewCase, *, first: Sequence[Write] = ()
    ) -> Outcome: ...


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
        decision = await self._communities.request_of(guild_id, request_id, approved)
        name = decision.community.name
        verdict = "approved" if approved else "denied"
        notice = Notice.of(
            "verification.notice.approved" if approved else "verification.notice.denied",
            community=name,
        )
        try:
            outcome = await self._cases.create_case(
                decision.guild_id,
                NewCase(
                    CaseType.VERIFICATION,
                    moderator_id,
                    target_id=decision.user_id,
                    reason=f"Join request #{request_id} for {name}: {verdict}",
                    notice=notice,
                ),
                first=(DecideJoinRequest(request_id, approved, moderator_id),),
            )
        except RequestTaken:
            raise Conflict("community.error.request_decided") from None
        finally:
            self._communities.memberships_changed()
        if approved:
            role = AddRole(
                decision.user_id, decision.community.role_id, "Track Two: join request approved"
            )
            outcome.effects.insert(0, role)
        return decision, outcome
