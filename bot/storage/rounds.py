"""Rounds (a posted excerpt and its thread) and prompt schedules."""

from __future__ import annotations

from datetime import datetime

from bot.dialogue.models import Round, Schedule
from bot.storage.cache import TtlCache
from bot.storage.engine import Row, Storage, db_time, to_datetime


def _schedule(row: Row) -> Schedule:
    return Schedule(
        guild_id=int(row["guild_id"]),
        every_hours=int(row["every_hours"]),
        at_minutes=int(row["at_minutes"]),
        next_run_at=to_datetime(row["next_run_at"]),
    )


def _round(row: Row) -> Round:
    return Round(
        id=row["id"],
        guild_id=row["guild_id"],
        number=row["number"],
        excerpt_id=row["excerpt_id"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        thread_id=row["thread_id"],
        is_open=row["status"] == "open",
    )


class RoundStore:
    def __init__(self, db: Storage) -> None:
        self._db = db
        # Every reply and button reads its round; rounds change only here: cache by id.
        self._cache: TtlCache[int, Round] = TtlCache.for_db(db)

    async def create(self, guild_id: int, excerpt_id: int, channel_id: int) -> Round:
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM rounds WHERE guild_id = ?", (guild_id,)
            ) as cur:
                number = int((await cur.fetchone() or (1,))[0])
            cursor = await conn.execute(
                "INSERT INTO rounds (guild_id, number, excerpt_id, channel_id) VALUES (?, ?, ?, ?)",
                (guild_id, number, excerpt_id, channel_id),
            )
            round_id = int(cursor.lastrowid or 0)
        return Round(round_id, guild_id, number, excerpt_id, channel_id, None, None, True)

    async def attach(self, round_id: int, message_id: int, thread_id: int | None) -> None:
        await self._db.execute(
            "UPDATE rounds SET message_id = ?, thread_id = ? WHERE id = ?",
            (message_id, thread_id, round_id),
        )
        self._cache.pop(round_id, None)

    async def delete(self, round_id: int) -> None:
        await self._db.execute("DELETE FROM rounds WHERE id = ?", (round_id,))
        self._cache.pop(round_id, None)

    async def get(self, round_id: int) -> Round | None:
        cached = self._cache.get(round_id)
        if cached is not None:
            return cached
        row = await self._db.fetchone("SELECT * FROM rounds WHERE id = ?", (round_id,))
        if row is None:
            return None
        self._cache[round_id] = found = _round(row)
        return found

    async def by_number(self, guild_id: int, number: int) -> Round | None:
        row = await self._db.fetchone(
            "SELECT * FROM rounds WHERE guild_id = ? AND number = ?", (guild_id, number)
        )
        return None if row is None else _round(row)

    async def by_thread(self, thread_id: int) -> Round | None:
        row = await self._db.fetchone("SELECT * FROM rounds WHERE thread_id = ?", (thread_id,))
        return None if row is None else _round(row)

    async def latest_open(self, guild_id: int) -> Round | None:
        row = await self._db.fetchone(
            "SELECT * FROM rounds WHERE guild_id = ? AND status = 'open' "
            "AND message_id IS NOT NULL ORDER BY number DESC LIMIT 1",
            (guild_id,),
        )
        return None if row is None else _round(row)

    async def recent(self, guild_id: int, limit: int = 10) -> list[Round]:
        rows = await self._db.fetchall(
            "SELECT * FROM rounds WHERE guild_id = ? ORDER BY number DESC LIMIT ?",
            (guild_id, limit),
        )
        return [_round(r) for r in rows]

    async def all_ids(self, guild_id: int) -> list[int]:
        rows = await self._db.fetchall("SELECT id FROM rounds WHERE guild_id = ?", (guild_id,))
        return [int(r[0]) for r in rows]

    async def set_open(self, round_id: int, is_open: bool) -> bool:
        """False when the round was already in that state."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE rounds SET status = ?1, closed_at = CASE WHEN ?1 = 'closed' "
                "THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END WHERE id = ?2 AND status != ?1",
                ("open" if is_open else "closed", round_id),
            )
        self._cache.pop(round_id, None)
        return cursor.rowcount > 0

    # schedules -------------------------------------------------------------------------

    async def set_schedule(
        self, guild_id: int, every_hours: int, at_minutes: int, next_run_at: datetime
    ) -> None:
        await self._db.execute(
            "INSERT INTO prompt_schedules (guild_id, every_hours, at_minutes, next_run_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(guild_id) DO UPDATE SET "
            "every_hours = excluded.every_hours, at_minutes = excluded.at_minutes, "
            "next_run_at = excluded.next_run_at",
            (guild_id, every_hours, at_minutes, db_time(next_run_at)),
        )

    async def clear_schedule(self, guild_id: int) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM prompt_schedules WHERE guild_id = ?", (guild_id,)
            )
            return cursor.rowcount > 0

    async def schedule(self, guild_id: int) -> Schedule | None:
        row = await self._db.fetchone(
            "SELECT * FROM prompt_schedules WHERE guild_id = ?", (guild_id,)
        )
        return None if row is None else _schedule(row)

    async def schedules(self) -> list[Schedule]:
        rows = await self._db.fetchall("SELECT * FROM prompt_schedules ORDER BY next_run_at")
        return [_schedule(r) for r in rows]

    async def advance_schedule(
        self,
        guild_id: int,
        ran_at: datetime,
        next_run_at: datetime,
        *,
        was_due_at: datetime | None = None,
    ) -> bool:
        """Move the schedule on; with ``was_due_at``, only if it is still due then (so of two
        processes that both saw it due, one advances it and posts). True when advanced."""
        sql = "UPDATE prompt_schedules SET last_run_at = ?, next_run_at = ? WHERE guild_id = ?"
        params: list[object] = [db_time(ran_at), db_time(next_run_at), guild_id]
        if was_due_at is not None:
            # the text it was read from: db_time's, or isoformat's (written before db_time)
            sql += " AND next_run_at IN (?, ?)"
            params += [db_time(was_due_at), was_due_at.isoformat()]
        async with self._db.transaction() as conn:
            cursor = await conn.execute(sql, params)
            return cursor.rowcount > 0
