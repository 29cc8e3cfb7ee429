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
        raise NotAllowed("You cannot take moderation action on yourself.")
    if target.is_owner:
        raise NotAllowed("The server owner cannot be moderated.")
    if target.is_bot:
        raise NotAllowed("Bots cannot be moderated with Track Two.")
    if target.top_role_position >= actor.top_role_position and not actor.member.is_owner:
        raise NotAllowed(
            "That member's highest role is at or above yours, so you cannot act on them."
        )
    if target.top_role_position >= actor.bot_top_role_position:
        raise NotAllowed(
            "That member's highest role is at or above Track Two's; move the bot's role higher."
        )
    if timeout and target.is_administrator:
        raise NotAllowed("Discord does not allow timing out administrators.")
