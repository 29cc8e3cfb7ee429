"""What the bot keeps about itself (``bot_state``) and the counts its health check reads."""

from __future__ import annotations

from bot.storage.engine import Storage


class StateStore:
    def __init__(self, db: Storage) -> None:
        self._db = db

    async def get(self, key: str) -> str | None:
        value = await self._db.fetchval("SELECT value FROM bot_state WHERE key = ?", (key,))
        return None if value is None else str(value)

    async def set(self, key: str, value: str) -> None:
        await self._db.execute(
            "INSERT INTO bot_state (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    async def stored_replies(self) -> int:
        """Replies members submitted (published, held or pending), not drafts."""
        return int(await self._db.fetchval("SELECT COUNT(*) FROM replies WHERE status != 'draft'"))
