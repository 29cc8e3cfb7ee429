"""Health facts for ``/about`` and ``check-config``: is the database usable, what is stored."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import asyncpg

from bot.storage import Storage
from bot.storage.migrations import schema_version
from bot.storage.state import StateStore


@dataclass(frozen=True, slots=True)
class DatabaseHealth:
    ok: bool
    schema_version: int
    reply_count: int
    detail: str = ""


class StatusService:
    def __init__(self, db: Storage) -> None:
        self._db = db
        self._state = StateStore(db)

    async def database_health(self, guild_id: int | None = None) -> DatabaseHealth:
        """``reply_count`` counts the replies of ``guild_id`` only (0 without one): one server
        never learns how much another stores."""
        try:
            version = await schema_version(self._db)
            replies = await self._state.stored_replies(guild_id) if guild_id is not None else 0
        except (sqlite3.Error, asyncpg.PostgresError, OSError, RuntimeError) as exc:
            return DatabaseHealth(ok=False, schema_version=0, reply_count=0, detail=str(exc))
        return DatabaseHealth(ok=True, schema_version=version, reply_count=replies)
