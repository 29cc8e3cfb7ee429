"""What the bot keeps about itself (``bot_state``) and the counts its health check reads."""

from __future__ import annotations

from bot.storage.engine import Storage, table_exists


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

    async def secret_fingerprint(self) -> str | None:
        """The pseudonym secret's fingerprint recorded on the first run; None before it (or on
        a database that predates migration 0015, read without migrating)."""
        if not await table_exists(self._db, "secret_fingerprint"):
            return None
        value = await self._db.fetchval("SELECT fingerprint FROM secret_fingerprint WHERE id = 1")
        return None if value is None else str(value)

    async def record_secret_fingerprint(self, fingerprint: str) -> str:
        """Record ``fingerprint`` unless one is already there; return the one stored."""
        await self._db.execute(
            "INSERT INTO secret_fingerprint (id, fingerprint) VALUES (1, ?) "
            "ON CONFLICT(id) DO NOTHING",
            (fingerprint,),
        )
        stored = await self.secret_fingerprint()
        assert stored is not None
        return stored

    async def stored_replies(self, guild_id: int) -> int:
        """Replies members of this server submitted (published, held or pending), not drafts."""
        return int(
            await self._db.fetchval(
                "SELECT COUNT(*) FROM replies JOIN rounds ON rounds.id = replies.round_id "
                "WHERE rounds.guild_id = ? AND replies.status != 'draft'",
                (guild_id,),
            )
        )
