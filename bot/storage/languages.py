"""Members' chosen languages (``member_languages``), by keyed hash only."""

from __future__ import annotations

from bot.storage.engine import Storage, TxConnection, joined


class LanguageStore:
    def __init__(self, db: Storage) -> None:
        self._db = db

    async def get(self, member_key: str) -> str | None:
        value = await self._db.fetchval(
            "SELECT language FROM member_languages WHERE member_key = ?", (member_key,)
        )
        return None if value is None else str(value)

    async def set(self, member_key: str, language: str) -> None:
        await self._db.execute(
            "INSERT INTO member_languages (member_key, language) VALUES (?, ?) "
            "ON CONFLICT(member_key) DO UPDATE SET language = excluded.language, "
            "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            (member_key, language),
        )

    async def delete(self, member_key: str, *, conn: TxConnection | None = None) -> bool:
        """Forget the choice; with ``conn``, in the caller's transaction."""
        async with joined(self._db, conn) as tx:
            cursor = await tx.execute(
                "DELETE FROM member_languages WHERE member_key = ?", (member_key,)
            )
            return cursor.rowcount > 0
