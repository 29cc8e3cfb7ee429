"""Leases: one owner at a time for work that must happen once, across processes."""

from __future__ import annotations

from bot.storage.engine import SQLITE, Storage, dialect


class LeaseStore:
    def __init__(self, db: Storage) -> None:
        self._db = db

    async def acquire(self, name: str, holder: str, seconds: float) -> bool:
        """Take or renew ``name`` for ``seconds``: True when ``holder`` holds it now (it was
        free, expired, or already ours). One statement, atomic on both engines.

        On SQLite one process holds the file (``SingleWriterDatabase``), so a lease held by
        another name was left by this bot before a restart: it is taken at once."""
        if dialect(self._db) == SQLITE:
            await self._db.execute(
                "INSERT INTO leases (name, holder, expires_at) "
                "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)) "
                "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
                "expires_at = excluded.expires_at",
                (name, holder, f"+{seconds:.3f} seconds"),
            )
            return True
        row = await self._db.execute_returning(
            "INSERT INTO leases (name, holder, expires_at) "
            "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)) "
            "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
            "expires_at = excluded.expires_at "
            "WHERE leases.holder = excluded.holder "
            "OR leases.expires_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
            "RETURNING holder",
            (name, holder, f"+{seconds:.3f} seconds"),
        )
        return row is not None and row[0] == holder

    async def release(self, name: str, holder: str) -> None:
        await self._db.execute("DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder))

    async def holder(self, name: str) -> str | None:
        value = await self._db.fetchval(
            "SELECT holder FROM leases WHERE name = ? "
            "AND expires_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            (name,),
        )
        return None if value is None else str(value)
