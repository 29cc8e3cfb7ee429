"""Group agreements (``guild_agreements``) and members' acceptances (``agreement_acceptances``,
by keyed hash only)."""

from __future__ import annotations

from bot.storage.engine import Row, Storage


class AgreementStore:
    def __init__(self, db: Storage) -> None:
        self._db = db

    async def current(self, guild_id: int) -> Row | None:
        return await self._db.fetchone(
            "SELECT version, body, updated_at FROM guild_agreements WHERE guild_id = ?",
            (guild_id,),
        )

    async def replace(self, guild_id: int, body: str) -> int:
        """Store the server's own text; the new version."""
        row = await self._db.execute_returning(
            "INSERT INTO guild_agreements (guild_id, version, body) VALUES (?, 1, ?) "
            "ON CONFLICT(guild_id) DO UPDATE SET version = guild_agreements.version + 1, "
            "body = excluded.body, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
            "RETURNING version",
            (guild_id, body),
        )
        assert row is not None
        return int(row["version"])

    async def acceptance(self, member_key: str) -> Row | None:
        return await self._db.fetchone(
            "SELECT version, accepted_at FROM agreement_acceptances WHERE member_key = ?",
            (member_key,),
        )

    async def accept(self, member_key: str, version: int) -> None:
        await self._db.execute(
            "INSERT INTO agreement_acceptances (member_key, version) VALUES (?, ?) "
            "ON CONFLICT(member_key) DO UPDATE SET version = excluded.version, "
            "accepted_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            (member_key, version),
        )

    async def delete(self, member_key: str) -> bool:
        count = await self._db.execute(
            "DELETE FROM agreement_acceptances WHERE member_key = ?", (member_key,)
        )
        return count > 0
