"""PostgreSQL engine (asyncpg) with the same interface as the SQLite :class:`Database`.

The stores' SQL is one text for both engines; this module adapts it at the edge:

* ``?`` placeholders become ``$1, $2…`` (outside string literals, identifiers and comments);
* ``INSERT`` into a table with an ``id`` column gets ``RETURNING id`` when it has no
  ``RETURNING`` of its own, so ``execute()`` and ``cursor.lastrowid`` give the new row's id as
  SQLite's do;
* constraint violations are raised as :class:`bot.storage.engine.IntegrityError` (a
  ``sqlite3.IntegrityError``).

Transactions: ``transaction()`` takes a per-process lock, as the SQLite engine does, so the
stores' read-then-write transactions (next round number, …) keep SQLite's single-writer
meaning inside one process; across processes the stores use row locks and counters (see the
numbering in ``replies.py`` and ``moderation.py``). Inside a transaction every statement of the
same task, through ``db.*`` or the yielded connection, runs on the transaction's connection,
and a nested ``transaction()`` is a savepoint in it: a caller's transaction can be joined.
"""

from __future__ import annotations

import asyncio
import contextvars
import re
from collections.abc import AsyncIterator, Generator, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from functools import lru_cache
from types import TracebackType
from typing import TYPE_CHECKING, Any

import asyncpg

from bot.storage.database import StorageError
from bot.storage.engine import POSTGRESQL, IntegrityError, Row, parse_database_url

CONNECT_TIMEOUT = 15.0
ACQUIRE_TIMEOUT = 30.0
COMMAND_TIMEOUT = 60.0

if TYPE_CHECKING:
    RawConnection = asyncpg.Connection[Any] | asyncpg.pool.PoolConnectionProxy[Any]

_RETURNS_ROWS = re.compile(r"^\s*(SELECT|WITH|VALUES|SHOW|EXPLAIN)\b|\bRETURNING\b", re.I)
_INSERT_TABLE = re.compile(r"^\s*INSERT\s+INTO\s+\"?([A-Za-z_][A-Za-z0-9_]*)\"?", re.I)


@lru_cache(maxsize=2048)
def translate(sql: str) -> str:
    """``?`` → ``$n`` (and ``?NNN`` → ``$NNN``), skipping '…' literals, "…" identifiers and -- comments."""
    out: list[str] = []
    n = 0
    i = 0
    length = len(sql)
    while i < length:
        ch = sql[i]
        if ch in ("'", '"'):
            end = sql.find(ch, i + 1)
            while end != -1 and end + 1 < length and sql[end + 1] == ch:  # '' or "" escape
                end = sql.find(ch, end + 2)
            end = length - 1 if end == -1 else end
            out.append(sql[i : end + 1])
            i = end + 1
            continue
        if ch == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            end = length if end == -1 else end
            out.append(sql[i:end])
            i = end
            continue
        if ch == "?":
            digits = i + 1
            while digits < length and sql[digits].isdigit():
                digits += 1
            if digits > i + 1:  # ?NNN: SQLite's numbered parameter, the same as $NNN
                out.append("$" + sql[i + 1 : digits])
                i = digits
                continue
            n += 1
            out.append(f"${n}")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _rowcount(status: str) -> int:
    last = status.rsplit(" ", 1)[-1] if status else ""
    return int(last) if last.isdigit() else -1


class PgCursor:
    """What a store reads from ``await conn.execute(...)``: rows, rowcount, lastrowid."""

    def __init__(self, rows: list[Row], rowcount: int, lastrowid: int | None) -> None:
        self._rows = rows
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    async def fetchone(self) -> Row | None:
        return self._rows[0] if self._rows else None

    async def fetchall(self) -> list[Row]:
        return list(self._rows)

    async def __aenter__(self) -> PgCursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


class _Pending:
    """``conn.execute(...)``: awaitable, or ``async with`` like aiosqlite's."""

    def __init__(self, coro: Any) -> None:
        self._coro = coro
        self._cursor: PgCursor | None = None

    def __await__(self) -> Generator[Any, None, PgCursor]:
        return self._coro.__await__()  # type: ignore[no-any-return]

    async def __aenter__(self) -> PgCursor:
        self._cursor = await self._coro
        return self._cursor

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


class PgConnection:
    """One asyncpg connection spoken to in the stores' SQL."""

    def __init__(self, raw: RawConnection, db: PostgresDatabase) -> None:
        self.raw = raw
        self._db = db

    def execute(self, sql: str, params: Iterable[Any] | None = None) -> _Pending:
        return _Pending(self._run(sql, tuple(params or ())))

    async def execute_fetchall(self, sql: str, params: Iterable[Any] | None = None) -> list[Row]:
        cursor = await self._run(sql, tuple(params or ()))
        return await cursor.fetchall()

    async def executemany(self, sql: str, seq: Iterable[Iterable[Any]]) -> None:
        try:
            await self.raw.executemany(translate(sql), [tuple(p) for p in seq])
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise IntegrityError(str(exc)) from exc

    async def _run(self, sql: str, params: tuple[Any, ...]) -> PgCursor:
        query = translate(sql)
        want_id = False
        if not _RETURNS_ROWS.search(query):
            match = _INSERT_TABLE.match(query)
            if match is not None and await self._db.has_id(self.raw, match.group(1)):
                query = f"{query.rstrip().rstrip(';')} RETURNING id"
                want_id = True
        try:
            if want_id or _RETURNS_ROWS.search(query):
                rows = list(await self.raw.fetch(query, *params))
                lastrowid = int(rows[-1][0]) if want_id and rows else None
                return PgCursor([] if want_id else rows, len(rows), lastrowid)
            status = await self.raw.execute(query, *params)
            return PgCursor([], _rowcount(status), None)
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise IntegrityError(str(exc)) from exc


@dataclass(slots=True)
class _Joined:
    """The transaction a task is in: its database, connection and owning task. Tasks started
    inside it inherit the context variable but not the transaction (they would share its
    connection concurrently, or use it after it went back to the pool)."""

    db: PostgresDatabase
    conn: PgConnection
    task: asyncio.Task[Any] | None
    open: bool = True


_current: contextvars.ContextVar[_Joined | None] = contextvars.ContextVar(
    "tracktwo_pg_transaction", default=None
)


class PostgresDatabase:
    """A small asyncpg pool; the interface of :class:`bot.storage.database.Database`."""

    dialect = POSTGRESQL

    def __init__(self, url: str, *, min_size: int = 1, max_size: int = 8) -> None:
        self.url = url
        self._redacted = parse_database_url(url).redacted
        self._min_size = min_size
        self._max_size = max_size
        self._pool: asyncpg.Pool | None = None
        self._write_lock = asyncio.Lock()
        self._has_id: dict[str, bool] = {}

    def __repr__(self) -> str:
        return f"PostgresDatabase({self._redacted})"

    @property
    def is_open(self) -> bool:
        return self._pool is not None

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise StorageError("the database is not open")
        return self._pool

    async def open(self) -> None:
        if self._pool is not None:
            return
        try:
            async with asyncio.timeout(CONNECT_TIMEOUT):
                self._pool = await asyncpg.create_pool(
                    self.url,
                    min_size=self._min_size,
                    max_size=self._max_size,
                    command_timeout=COMMAND_TIMEOUT,
                    timeout=CONNECT_TIMEOUT,
                )
        except TimeoutError as exc:
            raise StorageError(
                f"DATABASE_URL: no answer from {self._redacted} within {CONNECT_TIMEOUT:.0f} s"
            ) from exc
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            raise StorageError(f"DATABASE_URL: cannot connect to {self._redacted} ({exc})") from exc

    async def flush(self) -> None:
        """Every write has committed when it returned: nothing is queued here."""

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            try:
                async with asyncio.timeout(10):
                    await pool.close()
            except TimeoutError:
                pool.terminate()

    async def __aenter__(self) -> PostgresDatabase:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def has_id(self, raw: RawConnection, table: str) -> bool:
        known = self._has_id.get(table)
        if known is None:
            known = bool(
                await raw.fetchval(
                    "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE "
                    "table_schema = current_schema() AND table_name = $1 AND column_name = 'id')",
                    table,
                )
            )
            self._has_id[table] = known
        return known

    def _joined(self) -> PgConnection | None:
        current = _current.get()
        if (
            current is not None
            and current.open
            and current.db is self
            and current.task is asyncio.current_task()
        ):
            return current.conn
        return None

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[PgConnection]:
        joined = self._joined()
        if joined is not None:
            yield joined
            return
        try:
            async with asyncio.timeout(ACQUIRE_TIMEOUT):
                raw = await self.pool.acquire()
        except TimeoutError as exc:
            raise StorageError(
                f"no database connection free within {ACQUIRE_TIMEOUT:.0f} s"
            ) from exc
        try:
            yield PgConnection(raw, self)
        finally:
            await self.pool.release(raw)

    def transaction(self) -> AbstractAsyncContextManager[PgConnection]:
        """``BEGIN`` … ``COMMIT``, rolled back on any exception; nested: a savepoint."""
        return self._transaction()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[PgConnection]:
        """``BEGIN`` … ``COMMIT``, rolled back on any exception; nested: a savepoint."""
        joined = self._joined()
        if joined is not None:
            async with joined.raw.transaction():
                yield joined
            return
        async with self._write_lock, self._connection() as conn:
            current = _Joined(self, conn, asyncio.current_task())
            token = _current.set(current)
            try:
                async with conn.raw.transaction():
                    yield conn
            finally:
                current.open = False
                _current.reset(token)

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        async with self._connection() as conn:
            return await conn.execute_fetchall(sql, params)

    async def fetchval(self, sql: str, params: Iterable[Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def execute_returning(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        async with self._connection() as conn:
            cursor = await conn.execute(sql, params)
            return await cursor.fetchone()

    async def execute_returning_all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        async with self._connection() as conn:
            cursor = await conn.execute(sql, params)
            return list(await cursor.fetchall())

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """One statement, atomic on its own; the id of the row it inserted (else 0)."""
        async with self._connection() as conn:
            cursor = await conn.execute(sql, params)
            return int(cursor.lastrowid or 0)
