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
        self, guild_id: int, facilitator_role_id: int | None, moderator_role_id: int | None
    ) -> GuildConfig:
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
            raise UserFacingError("Track Two does not speak that language yet.")
        return await self._guilds.update(guild_id, locale=code)
