"""What moderation holds about a member, for /mydata: their reports, the cases about them
(without any moderator's identity), and the tombstone that replaces them on deletion. This is
:class:`bot.safety.records.ModerationRecords`."""

from __future__ import annotations

from typing import Any

from bot.storage.engine import TxConnection
from bot.storage.moderation import ModerationStore


class Records:
    def __init__(self, store: ModerationStore) -> None:
        self._store = store

    async def reports_by(self, guild_id: int, user_id: int) -> list[dict[str, Any]]:
        """The reports the member filed, as /mydata shows them."""
        return [
            {
                "report": report.id,
                "about": f"reply {report.reply_id}" if report.reply_id else "a message",
                "category": report.category.value,
                "reason": report.reason,
                "status": report.status,
                "filed_at": report.created_at.isoformat(),
            }
            for report in await self._store.reports.reports_by(guild_id, user_id)
        ]

    async def cases_about(self, guild_id: int, user_id: int) -> list[dict[str, Any]]:
        """The cases about the member, without any moderator's identity."""
        return [
            {
                "case": case.number,
                "type": case.type.info.label,
                "reason": case.reason,
                "created_at": case.created_at.isoformat(),
                "expires_at": case.expires_at.isoformat() if case.expires_at else None,
                "active": case.active,
                "moderator": "a moderator",
            }
            for case in await self._store.cases.cases_for(guild_id, user_id)
        ]

    async def tombstone(
        self, guild_id: int, user_id: int, *, conn: TxConnection | None = None
    ) -> int:
        """Forget the member in every case and report (in the caller's transaction ``conn``
        when given); the number of cases about them."""
        count = len(await self._store.cases.cases_for(guild_id, user_id))
        await self._store.cases.forget_member(guild_id, user_id, conn=conn)
        return count
