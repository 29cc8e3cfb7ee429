"""Circles (``circles``, ``circle_members``, ``circle_volunteers``, ``circle_posts``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.storage.engine import Storage, TxConnection, record

Record = dict[str, Any]

Member = tuple[int, int | None, str]  # user id, community id, role ("member"/"facilitator")


class CircleStore:
    def __init__(self, db: Storage) -> None:
        self._db = db

    # volunteers ---------------------------------------------------------------------------

    async def volunteer(
        self, guild_id: int, user_id: int, community_id: int | None, role: str
    ) -> None:
        await self._db.execute(
            "INSERT INTO circle_volunteers (guild_id, user_id, community_id, role) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO UPDATE SET "
            "community_id = excluded.community_id, role = excluded.role",
            (guild_id, user_id, community_id, role),
        )

    async def volunteers(self, guild_id: int) -> list[Record]:
        return _all(
            await self._db.fetchall(
                "SELECT user_id, community_id, role, joined_at FROM circle_volunteers "
                "WHERE guild_id = ? ORDER BY user_id",
                (guild_id,),
            )
        )

    async def volunteering(self, guild_id: int, user_id: int) -> Record | None:
        return _one(
            await self._db.fetchone(
                "SELECT user_id, community_id, role, joined_at FROM circle_volunteers "
                "WHERE guild_id = ? AND user_id = ?",
                (guild_id, user_id),
            )
        )

    # circles ------------------------------------------------------------------------------

    async def create(
        self, guild_id: int, formed_by: int, circles: Sequence[Sequence[Member]]
    ) -> list[int]:
        """The circles and their members, in one transaction; their ids in order."""
        ids: list[int] = []
        async with self._db.transaction() as conn:
            async with conn.execute(
                "SELECT COALESCE(MAX(number), 0) FROM circles WHERE guild_id = ?", (guild_id,)
            ) as cur:
                row = await cur.fetchone()
            number = int(row[0]) if row is not None else 0
            for members in circles:
                number += 1
                cursor = await conn.execute(
                    "INSERT INTO circles (guild_id, number, formed_by) VALUES (?, ?, ?)",
                    (guild_id, number, formed_by),
                )
                circle_id = int(cursor.lastrowid or 0)
                ids.append(circle_id)
                await conn.executemany(
                    "INSERT INTO circle_members (circle_id, user_id, community_id, role) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (circle_id, user_id) DO NOTHING",
                    [(circle_id, u, c, role) for u, c, role in members],
                )
        return ids

    async def attach_thread(self, circle_id: int, thread_id: int) -> None:
        await self._db.execute(
            "UPDATE circles SET thread_id = ? WHERE id = ?", (thread_id, circle_id)
        )

    async def discard(self, circle_ids: Sequence[int]) -> None:
        """Circles whose thread could not be opened (nothing was written in them)."""
        async with self._db.transaction() as conn:
            for circle_id in circle_ids:
                await conn.execute("DELETE FROM circles WHERE id = ?", (circle_id,))

    async def get(self, circle_id: int) -> Record | None:
        return _one(await self._db.fetchone("SELECT * FROM circles WHERE id = ?", (circle_id,)))

    async def active(self, guild_id: int) -> list[Record]:
        return _all(
            await self._db.fetchall(
                "SELECT * FROM circles WHERE guild_id = ? AND dissolved_at IS NULL ORDER BY number",
                (guild_id,),
            )
        )

    async def members(self, circle_id: int) -> list[Record]:
        return _all(
            await self._db.fetchall(
                "SELECT user_id, community_id, role FROM circle_members WHERE circle_id = ? "
                "ORDER BY role DESC, user_id",
                (circle_id,),
            )
        )

    async def is_member(self, circle_id: int, user_id: int) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 FROM circle_members WHERE circle_id = ? AND user_id = ?",
            (circle_id, user_id),
        )
        return row is not None

    async def circles_of(self, guild_id: int, user_id: int, *, active_only: bool) -> list[Record]:
        where = " AND c.dissolved_at IS NULL" if active_only else ""
        return _all(
            await self._db.fetchall(
                "SELECT c.*, m.role AS member_role FROM circle_members m "
                "JOIN circles c ON c.id = m.circle_id "
                f"WHERE c.guild_id = ? AND m.user_id = ?{where} ORDER BY c.id",
                (guild_id, user_id),
            )
        )

    async def remove_member(self, circle_id: int, user_id: int) -> bool:
        removed = await self._db.execute(
            "DELETE FROM circle_members WHERE circle_id = ? AND user_id = ?",
            (circle_id, user_id),
        )
        return removed > 0

    async def dissolve(self, guild_id: int) -> list[Record]:
        return _all(
            await self._db.execute_returning_all(
                "UPDATE circles SET dissolved_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                "WHERE guild_id = ? AND dissolved_at IS NULL RETURNING *",
                (guild_id,),
            )
        )

    # posts --------------------------------------------------------------------------------

    async def record_post(self, circle_id: int, round_id: int, message_id: int) -> None:
        await self._db.execute(
            "INSERT INTO circle_posts (circle_id, round_id, message_id) VALUES (?, ?, ?) "
            "ON CONFLICT (circle_id, round_id) DO UPDATE SET message_id = excluded.message_id",
            (circle_id, round_id, message_id),
        )

    async def posted(self, circle_id: int, round_id: int) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 FROM circle_posts WHERE circle_id = ? AND round_id = ?",
            (circle_id, round_id),
        )
        return row is not None

    # /mydata and retention ----------------------------------------------------------------

    async def forget(
        self, guild_id: int, user_id: int, *, conn: TxConnection | None = None
    ) -> tuple[list[int], int]:
        """Erase the member's volunteering and memberships in this server: the threads of
        the active circles they were in (to take them out), and how many memberships went.
        With ``conn``, inside that transaction."""
        if conn is None:
            async with self._db.transaction() as own:
                return await self._forget(own, guild_id, user_id)
        return await self._forget(conn, guild_id, user_id)

    @staticmethod
    async def _forget(conn: TxConnection, guild_id: int, user_id: int) -> tuple[list[int], int]:
        threads = [
            int(r[0])
            for r in await conn.execute_fetchall(
                "SELECT c.thread_id FROM circle_members m JOIN circles c ON c.id = m.circle_id "
                "WHERE c.guild_id = ? AND m.user_id = ? AND c.dissolved_at IS NULL "
                "AND c.thread_id IS NOT NULL",
                (guild_id, user_id),
            )
        ]
        cur = await conn.execute(
            "DELETE FROM circle_members WHERE user_id = ? AND circle_id IN "
            "(SELECT id FROM circles WHERE guild_id = ?)",
            (user_id, guild_id),
        )
        removed = cur.rowcount
        await conn.execute(
            "DELETE FROM circle_volunteers WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        return threads, removed

    async def unvolunteer(self, guild_id: int, user_id: int) -> bool:
        removed = await self._db.execute(
            "DELETE FROM circle_volunteers WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        return removed > 0

    async def purge_dissolved(self, guild_id: int, days: int) -> int:
        """Who was in the circles dissolved more than ``days`` ago: the membership lists go
        (the circle's replies follow their round's retention, like every reply)."""
        rows = await self._db.execute_returning_all(
            "DELETE FROM circle_members WHERE circle_id IN (SELECT id FROM circles "
            "WHERE guild_id = ? AND dissolved_at IS NOT NULL "
            "AND dissolved_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)) RETURNING user_id",
            (guild_id, f"-{int(days)} days"),
        )
        return len(rows)


def _all(rows: list[Any]) -> list[Record]:
    return [record(r) for r in rows]


def _one(row: Any) -> Record | None:
    return None if row is None else record(row)
