"""Per-guild moderation settings: warning expiry, the escalation ladder, paired moderation."""

from __future__ import annotations

from bot.moderation.models import DEFAULT_LADDER, ModerationSettings
from bot.storage.engine import Storage
from bot.storage.moderation._rows import ladder_from_json, ladder_to_json


class SettingsStore:
    def __init__(self, db: Storage) -> None:
        self._db = db

    async def settings(self, guild_id: int) -> ModerationSettings:
        row = await self._db.fetchone(
            "SELECT * FROM moderation_settings WHERE guild_id = ?", (guild_id,)
        )
        if row is None:
            return ModerationSettings(guild_id)
        return ModerationSettings(
            guild_id, row["warning_days"], ladder_from_json(row["ladder"]), bool(row["paired"])
        )

    async def save_settings(self, value: ModerationSettings) -> None:
        ladder = None if value.ladder == DEFAULT_LADDER else ladder_to_json(value.ladder)
        await self._db.execute(
            "INSERT INTO moderation_settings (guild_id, warning_days, ladder, paired) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(guild_id) DO UPDATE SET "
            "warning_days = excluded.warning_days, ladder = excluded.ladder, "
            "paired = excluded.paired",
            (value.guild_id, value.warning_days, ladder, int(value.paired)),
        )
