"""Per-guild configuration (``guild_settings``)."""

from __future__ import annotations

from typing import Any

from bot.dialogue.models import Anonymity, GuildConfig
from bot.storage.cache import TtlCache
from bot.storage.engine import Storage

_COLUMNS = {
    "dialogue_channel_id",
    "mod_channel_id",
    "facilitator_role_id",
    "moderator_role_id",
    "anonymity",
    "active_pack_id",
    "community_verification",
    "locale",
}


class GuildStore:
    def __init__(self, db: Storage) -> None:
        self._db = db
        # Read on every reply and button press, written only by /setup: cache it. This
        # process owns the database, so its own writes are the only invalidation needed.
        self._cache: TtlCache[int, GuildConfig] = TtlCache.for_db(db)

    async def get(self, guild_id: int) -> GuildConfig:
        cached = self._cache.get(guild_id)
        if cached is not None:
            return cached
        config = await self._load(guild_id)
        self._cache[guild_id] = config
        return config

    async def _load(self, guild_id: int) -> GuildConfig:
        row = await self._db.fetchone(
            "SELECT * FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        if row is None:
            return GuildConfig(guild_id=guild_id)
        return GuildConfig(
            guild_id=guild_id,
            dialogue_channel_id=row["dialogue_channel_id"],
            mod_channel_id=row["mod_channel_id"],
            facilitator_role_id=row["facilitator_role_id"],
            moderator_role_id=row["moderator_role_id"],
            anonymity=Anonymity(row["anonymity"]),
            active_pack_id=row["active_pack_id"],
            community_verification=bool(row["community_verification"]),
            language=row["locale"],
        )

    async def update(self, guild_id: int, **values: Any) -> GuildConfig:
        unknown = set(values) - _COLUMNS
        if unknown:
            raise ValueError(f"unknown guild settings: {sorted(unknown)}")
        columns = sorted(values)
        assignments = ", ".join(f"{c} = excluded.{c}" for c in columns)
        placeholders = ", ".join("?" for _ in columns)
        await self._db.execute(
            f"INSERT INTO guild_settings (guild_id, {', '.join(columns)}) VALUES (?, {placeholders}) "
            f"ON CONFLICT(guild_id) DO UPDATE SET {assignments}, "
            "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            (guild_id, *(values[c] for c in columns)),
        )
        self._cache.pop(guild_id, None)
        return await self.get(guild_id)
