"""Cases: reading them, editing a reason (the old one is kept), expiry, and data deletion.
New cases are written by a decision (``decision.py``), which numbers them."""

from __future__ import annotations

from datetime import datetime

from bot.moderation.casetypes import CaseType
from bot.moderation.models import Case, ReasonEdit
from bot.storage.engine import Storage, TxConnection, joined
from bot.storage.moderation._rows import case_of, from_text, marks, to_text


class CaseStore:
    def __init__(self, db: Storage) -> None:
        self._db = db

    async def case_by_id(self, case_id: int) -> Case | None:
        row = await self._db.fetchone("SELECT * FROM cases WHERE id = ?", (case_id,))
        return None if row is None else case_of(row)

    async def case(self, guild_id: int, number: int) -> Case | None:
        row = await self._db.fetchone(
            "SELECT * FROM cases WHERE guild_id = ? AND number = ?", (guild_id, number)
        )
        return None if row is None else case_of(row)

    async def cases_for(self, guild_id: int, user_id: int, limit: int | None = None) -> list[Case]:
        rows = await self._db.fetchall(
            "SELECT * FROM cases WHERE guild_id = ? AND target_id = ? ORDER BY number DESC LIMIT ?",
            (guild_id, user_id, 2**62 if limit is None else limit),  # no limit, both engines
        )
        return [case_of(r) for r in rows]

    async def sanctions_for(
        self, guild_id: int, user_id: int, types: tuple[str, ...], limit: int
    ) -> tuple[int, list[Case]]:
        """How many cases of ``types`` are about the member, and the latest ``limit``."""
        where = f"guild_id = ? AND target_id = ? AND type IN ({marks(types)})"
        count = await self._db.fetchval(
            f"SELECT COUNT(*) FROM cases WHERE {where}", (guild_id, user_id, *types)
        )
        rows = await self._db.fetchall(
            f"SELECT * FROM cases WHERE {where} ORDER BY number DESC LIMIT ?",
            (guild_id, user_id, *types, limit),
        )
        return int(count), [case_of(r) for r in rows]

    async def count_for(self, guild_id: int, user_id: int) -> int:
        return int(
            await self._db.fetchval(
                "SELECT COUNT(*) FROM cases WHERE guild_id = ? AND target_id = ?",
                (guild_id, user_id),
            )
        )

    async def active_of_type(
        self, guild_id: int, user_id: int, type_: CaseType, now: datetime
    ) -> list[Case]:
        rows = await self._db.fetchall(
            "SELECT * FROM cases WHERE guild_id = ? AND target_id = ? AND type = ? AND active = 1 "
            "AND (expires_at IS NULL OR expires_at > ?) ORDER BY number",
            (guild_id, user_id, type_.value, to_text(now)),
        )
        return [case_of(r) for r in rows]

    async def edit_reason(self, case_id: int, text: str, by: int, at: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO reason_edits (case_id, previous, edited_by, edited_at) "
                "SELECT id, reason, ?, ? FROM cases WHERE id = ?",
                (by, to_text(at), case_id),
            )
            await conn.execute("UPDATE cases SET reason = ? WHERE id = ?", (text, case_id))

    async def reason_edits(self, case_id: int) -> list[ReasonEdit]:
        rows = await self._db.fetchall(
            "SELECT previous, edited_by, edited_at FROM reason_edits WHERE case_id = ? ORDER BY id",
            (case_id,),
        )
        return [ReasonEdit(r[0], r[1], from_text(r[2])) for r in rows]

    async def due_cases(self, now: datetime) -> list[Case]:
        rows = await self._db.fetchall(
            "SELECT * FROM cases WHERE active = 1 AND expires_at IS NOT NULL AND expires_at <= ? "
            "ORDER BY expires_at",
            (to_text(now),),
        )
        return [case_of(r) for r in rows]

    async def expire(self, case_ids: list[int]) -> list[int]:
        """Deactivate the cases still active; return the ones this call deactivated."""
        done = []
        async with self._db.transaction() as conn:
            for case_id in case_ids:
                cursor = await conn.execute(
                    "UPDATE cases SET active = 0 WHERE id = ? AND active = 1", (case_id,)
                )
                if cursor.rowcount:
                    done.append(case_id)
        return done

    async def next_expiry(self) -> datetime | None:
        value = await self._db.fetchval(
            "SELECT MIN(expires_at) FROM cases WHERE active = 1 AND expires_at IS NOT NULL"
        )
        return None if value is None else from_text(str(value))

    async def forget_member(
        self, guild_id: int, user_id: int, *, conn: TxConnection | None = None
    ) -> None:
        """Data deletion: cases keep their numbers and reasons, with a tombstone as target;
        the member's pending notices go, and reports keep no trace of them. With ``conn``, in
        the caller's transaction."""
        async with joined(self._db, conn) as tx:
            await tx.execute(
                "UPDATE cases SET target_id = NULL, target_tombstoned = 1 "
                "WHERE guild_id = ? AND target_id = ?",
                (guild_id, user_id),
            )
            await tx.execute(
                "DELETE FROM pending_notices WHERE guild_id = ? AND user_id = ?",
                (guild_id, user_id),
            )
            await tx.execute(
                "UPDATE reports SET author_id = NULL WHERE guild_id = ? AND author_id = ?",
                (guild_id, user_id),
            )
            # Reports the member filed stay for the record, without the reporter: ``-id`` is a
            # tombstone that stays unique per report (one open report per reporter and target).
            await tx.execute(
                "UPDATE reports SET reporter_id = -id WHERE guild_id = ? AND reporter_id = ?",
                (guild_id, user_id),
            )
