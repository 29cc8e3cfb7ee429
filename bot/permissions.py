"""Who may do what, decided on the server side from facts about the member.

Discord's ``default_member_permissions`` only hides commands in the client; a server admin can
change it, and buttons have no such setting at all. So every command and button checks here.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.dialogue.models import GuildConfig
from bot.errors import NotAllowed


@dataclass(frozen=True, slots=True)
class MemberFacts:
    user_id: int
    role_ids: frozenset[int]
    is_owner: bool = False
    administrator: bool = False
    manage_guild: bool = False
    moderate_members: bool = False


def is_admin(member: MemberFacts) -> bool:
    return member.is_owner or member.administrator or member.manage_guild


def is_facilitator(member: MemberFacts, config: GuildConfig) -> bool:
    role = config.facilitator_role_id
    return is_admin(member) or (role is not None and role in member.role_ids)


def is_moderator(member: MemberFacts, config: GuildConfig) -> bool:
    role = config.moderator_role_id
    return (
        member.is_owner
        or member.administrator
        or member.moderate_members
        or (role is not None and role in member.role_ids)
    )


def require_admin(member: MemberFacts) -> None:
    if not is_admin(member):
        raise NotAllowed("permission.admin")


def require_facilitator(member: MemberFacts, config: GuildConfig) -> None:
    if not is_facilitator(member, config):
        raise NotAllowed("permission.facilitator")


def require_moderator(member: MemberFacts, config: GuildConfig) -> None:
    if not is_moderator(member, config):
        raise NotAllowed("permission.moderator")
