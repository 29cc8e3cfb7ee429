"""The seam between /mydata and the features that keep records *about* a member.

The moderation service (cases and reports, migration 0004) implements
:class:`ModerationRecords` and is handed to :class:`~bot.safety.mydata.MyDataService` in
``app/services.py``; without it (some tests) nothing is reported about cases, and nothing is
tombstoned.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.storage.engine import TxConnection


class ModerationRecords(Protocol):
    async def reports_by(self, guild_id: int, user_id: int) -> list[dict[str, Any]]:
        """Reports the member filed, JSON-serializable, as the member may see them."""
        ...

    async def cases_about(self, guild_id: int, user_id: int) -> list[dict[str, Any]]:
        """Cases about the member, JSON-serializable, *without* any moderator's identity
        (no moderator ids or names; "a moderator" at most)."""
        ...

    async def tombstone(
        self, guild_id: int, user_id: int, *, conn: TxConnection | None = None
    ) -> int:
        """Replace the member in cases and reports by a tombstone (the case stays, for the
        moderators' record, but no longer names anyone), in the caller's transaction ``conn``
        when given; returns how many rows changed."""
        ...


class NoModerationRecords:
    """The default: no moderation feature, so nothing is stored about anyone."""

    async def reports_by(self, guild_id: int, user_id: int) -> list[dict[str, Any]]:
        return []

    async def cases_about(self, guild_id: int, user_id: int) -> list[dict[str, Any]]:
        return []

    async def tombstone(
        self, guild_id: int, user_id: int, *, conn: TxConnection | None = None
    ) -> int:
        return 0
