"""Communities: configured by admins, joined by members, each a label and a Discord role."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.dialogue.models import Community
from bot.errors import Conflict, InvalidInput, NotFound
from bot.labels_text import echo, sanitize_label
from bot.storage.communities import CommunityStore, DuplicateCommunity
from bot.storage.guilds import GuildStore

MAX_NAME = 40


class JoinState(StrEnum):
    JOINED = "joined"
    REQUESTED = "requested"


@dataclass(frozen=True, slots=True)
class JoinOutcome:
    state: JoinState
    community: Community
    request_id: int | None = None


@dataclass(frozen=True, slots=True)
class CommunityStats:
    community: Community
    members: int
    replies: int


@dataclass(frozen=True, slots=True)
class JoinDecision:
    approved: bool
    guild_id: int
    user_id: int
    community: Community


class CommunityService:
    def __init__(self, store: CommunityStore, guilds: GuildStore) -> None:
        self._store = store
        self._guilds = guilds

    async def add(self, guild_id: int, name: str, role_id: int) -> Community:
        name = sanitize_label(name[: MAX_NAME * 8])  # nothing longer can fit after cleaning
        if not name:
            raise InvalidInput(
                "A community name needs visible letters or digits.",
                key="error.community_name_empty",
            )
        if len(name) > MAX_NAME:
            raise InvalidInput("community.error.name_length", max=MAX_NAME)
        try:
            return await self._store.add(guild_id, name, role_id)
        except DuplicateCommunity:
            raise Conflict("community.error.taken") from None

    async def remove(self, guild_id: int, name: str) -> Community:
        community = await self._store.by_name(guild_id, name.strip())
        if community is None:
            raise NotFound("community.no_such", name=echo(name))
        await self._store.remove(guild_id, community.id)
        return community

    async def all(self, guild_id: int) -> list[Community]:
        return await self._store.all(guild_id)

    async def get(self, guild_id: int, community_id: int) -> Community:
        community = await self._store.get(guild_id, community_id)
        if community is None:
            raise NotFound("community.error.gone")
        return community

    async def of_member(
        self, guild_id: int, user_id: int, role_ids: frozenset[int]
    ) -> Community | None:
        """The member's community: the stored membership, else the one community role they hold
        (given by hand before the bot knew), which is then recorded."""
        stored = await self._store.membership(guild_id, user_id)
        if stored is not None:
            return stored
        held = [c for c in await self._store.all(guild_id) if c.role_id in role_ids]
        if len(held) == 1:
            await self._store.set_membership(guild_id, user_id, held[0])
            return held[0]
        return None

    async def join(
        self, guild_id: int, user_id: int, role_ids: frozenset[int], community_id: int
    ) -> JoinOutcome:
        community = await self.get(guild_id, community_id)
        current = await self.of_member(guild_id, user_id, role_ids)
        if current is not None:
            if current.id == community.id:
                raise Conflict("community.error.already_in", community=current.name)
            raise Conflict("community.error.change_needs_moderator", community=current.name)
        config = await self._guilds.get(guild_id)
        if config.community_verification:
            request_id = await self._store.open_request(guild_id, user_id, community.id)
            if request_id is None:
                raise Conflict("community.error.request_waiting")
            return JoinOutcome(JoinState.REQUESTED, community, request_id)
        await self._store.set_membership(guild_id, user_id, community)
        return JoinOutcome(JoinState.JOINED, community)

    async def leave(self, guild_id: int, user_id: int, role_ids: frozenset[int]) -> Community:
        current = await self.of_member(guild_id, user_id, role_ids)
        if current is None:
            raise NotFound("community.error.not_in_one")
        await self._store.clear_membership(guild_id, user_id)
        return current

    async def assign(self, guild_id: int, user_id: int, community_id: int) -> Community:
        """A moderator sets (or changes) a member's community."""
        community = await self.get(guild_id, community_id)
        await self._store.set_membership(guild_id, user_id, community)
        return community

    async def request_guild(self, request_id: int) -> int | None:
        """The server join request ``request_id`` was made in, or None when there is none."""
        request = await self._store.request(request_id)
        return None if request is None else request.guild_id

    async def request_of(self, guild_id: int, request_id: int, approved: bool) -> JoinDecision:
        """The decision ``approved`` would make on a request of server ``guild_id``, read
        only (another server's request reads as missing); the caller writes it."""
        request = await self._store.request(request_id)
        if request is None or request.guild_id != guild_id:
            raise NotFound("community.error.request_gone")
        if request.status != "pending":
            raise Conflict("community.error.request_decided")
        community = await self.get(request.guild_id, request.community_id)
        return JoinDecision(approved, request.guild_id, request.user_id, community)

    async def decide(
        self, guild_id: int, request_id: int, approved: bool, moderator_id: int
    ) -> JoinDecision:
        """Decide a request of server ``guild_id``; another server's request reads as missing."""
        decision = await self.request_of(guild_id, request_id, approved)
        if not await self._store.decide_request(request_id, approved, moderator_id):
            raise Conflict("community.error.request_decided")
        return decision

    def memberships_changed(self) -> None:
        """A membership was written outside this service (a join request decided in a
        moderation decision's transaction): forget the cached ones."""
        self._store.forget_members()

    async def stats(self, guild_id: int) -> list[CommunityStats]:
        return [CommunityStats(c, m, r) for c, m, r in await self._store.stats(guild_id)]
