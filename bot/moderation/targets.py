"""Who a moderator may act on, decided from plain facts the cog gathers from Discord."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import NotAllowed
from bot.permissions import MemberFacts


@dataclass(frozen=True, slots=True)
class TargetFacts:
    user_id: int
    is_owner: bool = False
    is_bot: bool = False
    top_role_position: int = 0
    is_administrator: bool = False


@dataclass(frozen=True, slots=True)
class Actor:
    """The moderator acting, in one guild, with the role positions the hierarchy rule needs."""

    guild_id: int
    member: MemberFacts
    top_role_position: int = 0
    bot_top_role_position: int = 0

    @property
    def user_id(self) -> int:
        return self.member.user_id


def check_target(actor: Actor, target: TargetFacts, *, timeout: bool = False) -> None:
    """Raise NotAllowed, with a sentence a moderator understands, when the action may not
    touch this member."""
    if target.user_id == actor.user_id:
        raise NotAllowed("moderation.error.target_self")
    if target.is_owner:
        raise NotAllowed("moderation.error.target_owner")
    if target.is_bot:
        raise NotAllowed("moderation.error.target_bot")
    if target.top_role_position >= actor.top_role_position and not actor.member.is_owner:
        raise NotAllowed("moderation.error.target_role")
    if target.top_role_position >= actor.bot_top_role_position:
        raise NotAllowed("moderation.error.target_bot_role")
    if timeout and target.is_administrator:
        raise NotAllowed("moderation.error.target_admin")
