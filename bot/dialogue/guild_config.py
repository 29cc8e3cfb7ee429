"""The server's configuration (:class:`GuildConfig`): channels, roles, anonymity, verification,
language. Read by every feature; changed by admins only (checked by callers through
:mod:`bot.permissions`)."""

from __future__ import annotations

from bot.dialogue.models import Anonymity, GuildConfig
from bot.errors import UserFacingError
from bot.i18n import SUPPORTED
from bot.storage.guilds import GuildStore


class GuildConfigService:
    def __init__(self, guilds: GuildStore) -> None:
        self._guilds = guilds

    async def get(self, guild_id: int) -> GuildConfig:
        return await self._guilds.get(guild_id)

    async def set_dialogue_channel(self, guild_id: int, channel_id: int) -> GuildConfig:
        return await self._guilds.update(guild_id, dialogue_channel_id=channel_id)

    async def set_mod_channel(self, guild_id: int, channel_id: int) -> GuildConfig:
        return await self._guilds.update(guild_id, mod_channel_id=channel_id)

    async def set_roles(
        self,
        guild_id: int,
        facilitator_role_id: int | None,
        moderator_role_id: int | None,
        *,
        known_roles: frozenset[int] | None = None,
    ) -> GuildConfig:
        """Both roles are checked before either is written: a role the server does not have
        (or @everyone, which would make every member a moderator) changes nothing."""
        for role_id in (facilitator_role_id, moderator_role_id):
            if role_id is None:
                continue
            if role_id == guild_id:
                raise UserFacingError(
                    "@everyone cannot be the facilitator or moderator role; nothing was changed.",
                    key="error.everyone_role",
                )
            if known_roles is not None and role_id not in known_roles:
                raise UserFacingError(
                    "That role is not in this server; nothing was changed.",
                    key="error.unknown_role",
                )
        values: dict[str, int | None] = {}
        if facilitator_role_id is not None:
            values["facilitator_role_id"] = facilitator_role_id
        if moderator_role_id is not None:
            values["moderator_role_id"] = moderator_role_id
        if not values:
            return await self._guilds.get(guild_id)
        return await self._guilds.update(guild_id, **values)

    async def set_anonymity(self, guild_id: int, mode: Anonymity) -> GuildConfig:
        return await self._guilds.update(guild_id, anonymity=mode.value)

    async def set_verification(self, guild_id: int, enabled: bool) -> GuildConfig:
        return await self._guilds.update(guild_id, community_verification=int(enabled))

    async def set_active_pack(self, guild_id: int, pack_id: int) -> GuildConfig:
        return await self._guilds.update(guild_id, active_pack_id=pack_id)

    async def set_language(self, guild_id: int, code: str) -> GuildConfig:
        if code not in SUPPORTED:
            raise UserFacingError("language.unsupported")
        return await self._guilds.update(guild_id, locale=code)
