"""What members file: reports (on a reply or a message) and appeals (of a case)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.moderation.models import Appeal, Report, ReportCategory
from bot.storage.engine import Storage
from bot.storage.moderation._rows import appeal_of, report_of, to_text


@dataclass(frozen=True, slots=True)
class NewReport:
    guild_id: int
    reporter_id: int
    category: ReportCategory
    reason: str
    created_at: datetime
    reply_id: int | None = None
    channel_id: int | None = None
    message_id: int | None = None
    author_id: int | None = None


class DuplicateReport(Exception):
    """The member already has an open report on that reply or message."""


class ReportStore:
    def __init__(self, db: Storage) -> None:
        self._db = db

    async def add_report(self, new: NewReport) -> int:
        try:
            return await self._db.execute(
                "INSERT INTO reports (guild_id, reply_id, channel_id, message_id, author_id, "
                "reporter_id, category, reason, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    new.guild_id,
                    new.reply_id,
                    new.channel_id,
                    new.message_id,
                    new.author_id,
                    new.reporter_id,
                    new.category.value,
                    new.reason,
                    to_text(new.created_at),
                ),
            )
        except sqlite3.IntegrityError as exc:
            raise DuplicateReport(str(exc)) from exc

    async def report(self, report_id: int) -> Report | None:
        row = await self._db.fetchone("SELECT * FROM reports WHERE id = ?", (report_id,))
        return None if row is None else report_of(row)

    async def open_reports_like(self, report: Report) -> list[Report]:
        """All open reports on the same reply or message as ``report``."""
        rows = await self._db.fetchall(
            "SELECT * FROM reports WHERE guild_id = ? AND status = 'open' "
            "AND COALESCE(reply_id, 0) = ? AND COALESCE(message_id, 0) = ? ORDER BY id",
            (report.guild_id, report.reply_id or 0, report.message_id or 0),
        )
        return [report_of(r) for r in rows]

    async def reports_by(self, guild_id: int, user_id: int) -> list[Report]:
        rows = await self._db.fetchall(
            "SELECT * FROM reports WHERE guild_id = ? AND reporter_id = ? ORDER BY id",
            (guild_id, user_id),
        )
        return [report_of(r) for r in rows]

    async def add_appeal(
        self, guild_id: int, case_id: int, user_id: int, reason: str, at: datetime
    ) -> int | None:
        """The new appeal's id, or None when the case was appealed already."""
        try:
            return await self._db.execute(
                "INSERT INTO appeals (guild_id, case_id, user_id, reason, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (guild_id, case_id, user_id, reason, to_text(at)),
            )
        except sqlite3.IntegrityError:
            return None

    async def appeal(self, appeal_id: int) -> Appeal | None:
        row = await self._db.fetchone("SELECT * FROM appeals WHERE id = ?", (appeal_id,))
        return None if row is None else appeal_of(row)
