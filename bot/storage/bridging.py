"""Bridging: the votes of a round as the scorer reads them, each reply's last status (for
damping), the replies a reader skipped, and a server's bridging options."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.engine import Storage


@dataclass(frozen=True, slots=True)
class StoredVote:
    voter_key: str
    community_id: int | None
    reply_id: int
    kind: str
    at: str  # when the press still held was made (ISO 8601, UTC)


@dataclass(frozen=True, slots=True)
class BridgingOptions:
    notices: bool = False
    min_votes: int | None = None
    last_notice: str | None = None


class BridgingStore:
    def __init__(self, db: Storage) -> None:
        self._db = db

    async def votes(self, round_id: int) -> list[StoredVote]:
        """Every endorsement held on the round's replies, oldest first."""
        rows = await self._db.fetchall(
            "SELECT e.voter_key, e.community_id, e.reply_id, e.kind, e.created_at "
            "FROM endorsements e JOIN replies r ON r.id = e.reply_id "
            "WHERE r.round_id = ? ORDER BY e.created_at, e.reply_id",
            (round_id,),
        )
        return [StoredVote(r[0], r[1], int(r[2]), str(r[3]), str(r[4])) for r in rows]

    async def statuses(self, round_id: int) -> dict[int, str]:
        rows = await self._db.fetchall(
            "SELECT reply_id, status FROM bridging_status WHERE round_id = ?", (round_id,)
        )
        return {int(r[0]): str(r[1]) for r in rows}

    async def save_statuses(self, round_id: int, statuses: dict[int, str]) -> None:
        if not statuses:
            return
        async with self._db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO bridging_status (reply_id, round_id, status) VALUES (?, ?, ?) "
                "ON CONFLICT(reply_id) DO UPDATE SET status = excluded.status, "
                "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                "WHERE bridging_status.status <> excluded.status",
                [(reply_id, round_id, status) for reply_id, status in statuses.items()],
            )

    async def skips(self, round_id: int, reader_key: str) -> set[int]:
        rows = await self._db.fetchall(
            "SELECT reply_id FROM bridging_skips WHERE round_id = ? AND reader_key = ?",
            (round_id, reader_key),
        )
        return {int(r[0]) for r in rows}

    async def skip(self, round_id: int, reader_key: str, reply_id: int) -> None:
        await self._db.execute(
            "INSERT INTO bridging_skips (round_id, reader_key, reply_id) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (round_id, reader_key, reply_id),
        )

    async def options(self, guild_id: int) -> BridgingOptions:
        row = await self._db.fetchone(
            "SELECT notices, min_votes, last_notice FROM bridging_settings WHERE guild_id = ?",
            (guild_id,),
        )
        if row is None:
            return BridgingOptions()
        return BridgingOptions(bool(row[0]), row[1], row[2])

    async def set_options(self, guild_id: int, notices: bool | None, min_votes: int | None) -> None:
        await self._db.execute(
            "INSERT INTO bridging_settings (guild_id, notices, min_votes) VALUES (?, ?, ?) "
            "ON CONFLICT(guild_id) DO UPDATE SET "
            "notices = COALESCE(?, bridging_settings.notices), "
            "min_votes = COALESCE(?, bridging_settings.min_votes)",
            (
                guild_id,
                int(notices or False),
                min_votes,
                None if notices is None else int(notices),
                min_votes,
            ),
        )

    async def mark_noticed(self, guild_id: int, day: str) -> bool:
        """Record that today's notice ran; False when it already had (only one process posts)."""
        row = await self._db.execute_returning(
            "UPDATE bridging_settings SET last_notice = ? WHERE guild_id = ? AND notices = 1 "
            "AND (last_notice IS NULL OR last_notice <> ?) RETURNING guild_id",
            (day, guild_id, day),
        )
        return row is not None

    async def guilds_with_notices(self) -> list[int]:
        rows = await self._db.fetchall("SELECT guild_id FROM bridging_settings WHERE notices = 1")
        return [int(r[0]) for r in rows]
