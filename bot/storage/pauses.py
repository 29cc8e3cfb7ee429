"""Pauses (``pauses``): a facilitator's freeze of one round or a whole server, kept as a log."""

from __future__ import annotations

import sqlite3

from bot.dialogue.models import Pause
from bot.storage.engine import Row, Storage, maybe_datetime, to_datetime

COLUMNS = "id, guild_id, round_id, reason, paused_by, paused_at, resumed_by, resumed_at"


def _pause(row: Row, *, numbered: bool = False) -> Pause:
    return Pause(
        id=int(row["id"]),
        guild_id=int(row["guild_id"]),
        round_id=None if row["round_id"] is None else int(row["round_id"]),
        reason=str(row["reason"]),
        paused_by=int(row["paused_by"]),
        paused_at=to_datetime(row["paused_at"]),
        resumed_by=None if row["resumed_by"] is None else int(row["resumed_by"]),
        resumed_at=maybe_datetime(row["resumed_at"]),
        round_number=int(row["round_number"])
        if numbered and row["round_number"] is not None
        else None,
    )


def _maybe(row: Row | None) -> Pause | None:
    return None if row is None else _pause(row)


class PauseStore:
    def __init__(self, db: Storage) -> None:
        self._db = db

    async def start(
        self, guild_id: int, round_id: int | None, reason: str, by: int
    ) -> Pause | None:
        """A new active pause; None when one is already active there."""
        try:
            return _maybe(
                await self._db.execute_returning(
                    "INSERT INTO pauses (guild_id, round_id, reason, paused_by) VALUES (?, ?, ?, ?) "
                    f"RETURNING {COLUMNS}",
                    (guild_id, round_id, reason, by),
                )
            )
        except sqlite3.IntegrityError:  # PostgreSQL's engine raises a subclass
            return None

    async def end(self, guild_id: int, round_id: int | None, by: int) -> Pause | None:
        """Resume the active pause there; None when there was none."""
        row = await self._db.execute_returning(
            "UPDATE pauses SET resumed_by = ?, resumed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
            "WHERE guild_id = ? AND COALESCE(round_id, 0) = ? AND resumed_at IS NULL "
            f"RETURNING {COLUMNS}",
            (by, guild_id, round_id or 0),
        )
        return _maybe(row)

    async def active(self, guild_id: int, round_id: int | None) -> list[Pause]:
        """The server-wide pause and, with ``round_id``, that round's: whichever are active."""
        rows = await self._db.fetchall(
            f"SELECT {COLUMNS} FROM pauses WHERE guild_id = ? AND resumed_at IS NULL "
            "AND (round_id IS NULL OR round_id = ?) ORDER BY id",
            (guild_id, round_id or 0),
        )
        return [_pause(r) for r in rows]

    async def active_in_guild(self, guild_id: int) -> list[Pause]:
        rows = await self._db.fetchall(
            f"SELECT {COLUMNS} FROM pauses WHERE guild_id = ? AND resumed_at IS NULL ORDER BY id",
            (guild_id,),
        )
        return [_pause(r) for r in rows]

    async def log(self, guild_id: int, limit: int = 15) -> list[Pause]:
        columns = ", ".join(f"p.{c}" for c in COLUMNS.split(", "))
        rows = await self._db.fetchall(
            f"SELECT {columns}, r.number AS round_number FROM pauses p "
            "LEFT JOIN rounds r ON r.id = p.round_id WHERE p.guild_id = ? "
            "ORDER BY p.id DESC LIMIT ?",
            (guild_id, limit),
        )
        return [_pause(r, numbered=True) for r in rows]
