"""Pauses (``pauses``): a facilitator's freeze of one round or a whole server, kept as a log."""

from __future__ import annotations

import sqlite3

from bot.storage.engine import Row, Storage

COLUMNS = "id, guild_id, round_id, reason, paused_by, paused_at, resumed_by, resumed_at"


class PauseStore:
    def __init__(self, db: Storage) -> None:
        self._db = db

    async def start(self, guild_id: int, round_id: int | None, reason: str, by: int) -> Row | None:
        """A new active pause; None when one is already active there."""
        try:
            return await self._db.execute_returning(
                "INSERT INTO pauses (guild_id, round_id, reason, paused_by) VALUES (?, ?, ?, ?) "
                f"RETURNING {COLUMNS}",
                (guild_id, round_id, reason, by),
            )
        except sqlite3.IntegrityError:  # PostgreSQL's engine raises a subclass
            return None

    async def end(self, guild_id: int, round_id: int | None, by: int) -> Row | None:
        """Resume the active pause there; None when there was none."""
        return await self._db.execute_returning(
            "UPDATE pauses SET resumed_by = ?, resumed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
            "WHERE guild_id = ? AND COALESCE(round_id, 0) = ? AND resumed_at IS NULL "
            f"RETURNING {COLUMNS}",
            (by, guild_id, round_id or 0),
        )

    async def active(self, guild_id: int, round_id: int | None) -> list[Row]:
        """The server-wide pause and, with ``round_id``, that round's: whichever are active."""
        return await self._db.fetchall(
            f"SELECT {COLUMNS} FROM pauses WHERE guild_id = ? AND resumed_at IS NULL "
            "AND (round_id IS NULL OR round_id = ?) ORDER BY id",
            (guild_id, round_id or 0),
        )

    async def active_in_guild(self, guild_id: int) -> list[Row]:
        return await self._db.fetchall(
            f"SELECT {COLUMNS} FROM pauses WHERE guild_id = ? AND resumed_at IS NULL ORDER BY id",
            (guild_id,),
        )

    async def log(self, guild_id: int, limit: int = 15) -> list[Row]:
        columns = ", ".join(f"p.{c}" for c in COLUMNS.split(", "))
        return await self._db.fetchall(
            f"SELECT {columns}, r.number AS round_number FROM pauses p "
            "LEFT JOIN rounds r ON r.id = p.round_id WHERE p.guild_id = ? "
            "ORDER BY p.id DESC LIMIT ?",
            (guild_id, limit),
        )
