"""SQL for civility: per-guild policy, terms, allow-list and link settings (migration 0003)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.storage.engine import Storage, to_datetime


@dataclass(frozen=True, slots=True)
class StoredTerm:
    term: str
    term_key: str
    category: str
    added_by: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class StoredAllow:
    term: str
    term_key: str
    added_by: int
    created_at: datetime


class CivilityStore:
    def __init__(self, db: Storage) -> None:
        self._db = db

    async def actions(self, guild_id: int) -> dict[str, str]:
        rows = await self._db.fetchall(
            "SELECT category, action FROM civility_policy WHERE guild_id = ?", (guild_id,)
        )
        return {row["category"]: row["action"] for row in rows}

    async def set_action(
        self, guild_id: int, category: str, action: str, updated_by: int | None
    ) -> None:
        await self._db.execute(
            "INSERT INTO civility_policy (guild_id, category, action, updated_by) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (guild_id, category) DO UPDATE SET "
            "action = excluded.action, updated_by = excluded.updated_by, "
            "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            (guild_id, category, action, updated_by),
        )

    async def terms(self, guild_id: int) -> list[StoredTerm]:
        rows = await self._db.fetchall(
            "SELECT term, term_key, category, added_by, created_at FROM civility_terms "
            "WHERE guild_id = ? ORDER BY category, term_key",
            (guild_id,),
        )
        return [StoredTerm(r[0], r[1], r[2], r[3], to_datetime(r[4])) for r in rows]

    async def add_term(
        self, guild_id: int, term: str, term_key: str, category: str, added_by: int
    ) -> bool:
        """False when the guild already has a term with this key."""
        try:
            await self._db.execute(
                "INSERT INTO civility_terms (guild_id, term, term_key, category, added_by) "
                "VALUES (?, ?, ?, ?, ?)",
                (guild_id, term, term_key, category, added_by),
            )
        except sqlite3.IntegrityError:
            return False
        return True

    async def remove_term(self, guild_id: int, term_key: str) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM civility_terms WHERE guild_id = ? AND term_key = ?",
                (guild_id, term_key),
            )
            return cursor.rowcount > 0

    async def allowed(self, guild_id: int) -> list[StoredAllow]:
        rows = await self._db.fetchall(
            "SELECT term, term_key, added_by, created_at FROM civility_allow "
            "WHERE guild_id = ? ORDER BY term_key",
            (guild_id,),
        )
        return [StoredAllow(r[0], r[1], r[2], to_datetime(r[3])) for r in rows]

    async def add_allow(self, guild_id: int, term: str, term_key: str, added_by: int) -> bool:
        try:
            await self._db.execute(
                "INSERT INTO civility_allow (guild_id, term, term_key, added_by) "
                "VALUES (?, ?, ?, ?)",
                (guild_id, term, term_key, added_by),
            )
        except sqlite3.IntegrityError:
            return False
        return True

    async def remove_allow(self, guild_id: int, term_key: str) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM civility_allow WHERE guild_id = ? AND term_key = ?",
                (guild_id, term_key),
            )
            return cursor.rowcount > 0

    async def link_policy(self, guild_id: int) -> str | None:
        value = await self._db.fetchval(
            "SELECT policy FROM civility_link_settings WHERE guild_id = ?", (guild_id,)
        )
        return None if value is None else str(value)

    async def set_link_policy(self, guild_id: int, policy: str, updated_by: int | None) -> None:
        await self._db.execute(
            "INSERT INTO civility_link_settings (guild_id, policy, updated_by) VALUES (?, ?, ?) "
            "ON CONFLICT (guild_id) DO UPDATE SET policy = excluded.policy, "
            "updated_by = excluded.updated_by, "
            "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            (guild_id, policy, updated_by),
        )

    async def link_domains(self, guild_id: int) -> list[str]:
        rows = await self._db.fetchall(
            "SELECT domain FROM civility_link_domains WHERE guild_id = ? ORDER BY domain",
            (guild_id,),
        )
        return [row["domain"] for row in rows]

    async def add_link_domain(self, guild_id: int, domain: str, added_by: int) -> bool:
        try:
            await self._db.execute(
                "INSERT INTO civility_link_domains (guild_id, domain, added_by) VALUES (?, ?, ?)",
                (guild_id, domain, added_by),
            )
        except sqlite3.IntegrityError:
            return False
        return True

    async def remove_link_domain(self, guild_id: int, domain: str) -> bool:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM civility_link_domains WHERE guild_id = ? AND domain = ?",
                (guild_id, domain),
            )
            return cursor.rowcount > 0
