"""The one aiosqlite connection the bot uses, with the pragmas a long-running bot wants."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import StorageClosed, StorageUnavailable


class StorageError(StorageUnavailable):
    """The database cannot be opened or used; the message says where and why."""


class DatabaseClosed(StorageError, StorageClosed):
    """A query met a closed connection (the bot is shutting down)."""


class Database:
    """One connection, serialised writes.

    aiosqlite runs every statement on one worker thread, so the event loop never blocks on
    disk. ``transaction()`` takes a lock so that two coroutines never interleave statements
    inside one ``BEGIN IMMEDIATE ... COMMIT``.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise DatabaseClosed("the database is not open")
        return self._conn

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    async def open(self) -> None:
        if self._conn is not None:
            return
        if str(self.path) != ":memory:":
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(
                    f"DATABASE_PATH: cannot create the folder {self.path.parent} ({exc.strerror})"
                ) from exc
        try:
            conn = await aiosqlite.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StorageError(f"DATABASE_PATH: cannot open {self.path} ({exc})") from exc
        conn.row_factory = aiosqlite.Row
        try:
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as exc:
            await conn.close()
            raise StorageError(
                f"DATABASE_PATH: {self.path} is not a usable database ({exc})"
            ) from exc
        self._conn = conn

    async def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await conn.close()

    async def __aenter__(self) -> Database:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @contextmanager
    def _unless_closed(self) -> Iterator[None]:
        """A connection closed under a running query (shutdown) raises sqlite3's or aiosqlite's
        own error; callers get :class:`~bot.errors.StorageClosed` instead."""
        try:
            yield
        except (sqlite3.ProgrammingError, ValueError) as exc:
            if self._conn is None:
                raise DatabaseClosed("the database closed during a query") from exc
            raise

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any exception."""
        async with self._write_lock:
            with self._unless_closed():
                conn = self.conn
                await conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    await conn.execute("ROLLBACK")
                    raise
                else:
                    await conn.execute("COMMIT")

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        with self._unless_closed():
            rows = await self.conn.execute_fetchall(sql, tuple(params))
        for row in rows:
            return row
        return None

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        with self._unless_closed():
            return list(await self.conn.execute_fetchall(sql, tuple(params)))

    async def fetchval(self, sql: str, params: Iterable[Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def execute_returning(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        """One write statement with a RETURNING clause, atomic on its own; its first row."""
        async with self._write_lock:
            with self._unless_closed():
                rows = await self.conn.execute_fetchall(sql, tuple(params))
        for row in rows:
            return row
        return None

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """One write statement, atomic on its own (with any triggers it fires); returns the
        last inserted rowid. One trip to the database thread: the write lock keeps it out of
        another coroutine's open transaction on this shared connection."""
        async with self._write_lock:
            with self._unless_closed():
                row = await self.conn.execute_insert(sql, tuple(params))
        return int(row[0]) if row and row[0] is not None else 0
