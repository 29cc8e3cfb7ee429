"""Pending notices: what a member is told about a case, kept until it reaches them (by DM, or
shown privately the next time they use the bot). Notices are written by a decision."""

from __future__ import annotations

from datetime import datetime

from bot.notice import Notice
from bot.storage.engine import Storage
from bot.storage.moderation._rows import marks, to_text


class NoticeStore:
    def __init__(self, db: Storage) -> None:
        self._db = db

    async def undelivered(self, guild_id: int, user_id: int) -> list[tuple[int, Notice]]:
        rows = await self._db.fetchall(
            "SELECT id, message, text FROM pending_notices WHERE guild_id = ? AND user_id = ? "
            "AND delivered_at IS NULL ORDER BY id",
            (guild_id, user_id),
        )
        return [(r[0], Notice.from_row(r[1], r[2])) for r in rows]

    async def take_undelivered(
        self, guild_id: int, user_id: int, at: datetime
    ) -> list[tuple[int, Notice]]:
        """Mark the member's undelivered notices delivered and return them, in one statement,
        so two interactions at once cannot both show them."""
        async with self._db.transaction() as conn:
            rows = await conn.execute_fetchall(
                "UPDATE pending_notices SET delivered_at = ? WHERE guild_id = ? AND user_id = ? "
                "AND delivered_at IS NULL RETURNING id, message, text",
                (to_text(at), guild_id, user_id),
            )
        return [(r[0], Notice.from_row(r[1], r[2])) for r in sorted(rows, key=lambda r: r[0])]

    async def return_undelivered(self, notice_ids: list[int]) -> None:
        """Notices taken but not shown after all (the followup failed)."""
        if not notice_ids:
            return
        await self._db.execute(
            f"UPDATE pending_notices SET delivered_at = NULL WHERE id IN ({marks(notice_ids)})",
            notice_ids,
        )

    async def mark_delivered(self, notice_ids: list[int], at: datetime) -> None:
        if not notice_ids:
            return
        await self._db.execute(
            f"UPDATE pending_notices SET delivered_at = ? WHERE id IN ({marks(notice_ids)}) "
            "AND delivered_at IS NULL",
            (to_text(at), *notice_ids),
        )
