"""The seam between the stores and the two database engines.

Stores are written against :class:`Storage`: SQLite's :class:`bot.storage.database.Database`
and PostgreSQL's :class:`bot.storage.postgres.PostgresDatabase` both implement it, and
:func:`open_database` picks one from ``DATABASE_URL``. The SQL a store writes is one text for
both engines: ``?`` placeholders (the PostgreSQL engine numbers them ``$1, $2…``), ``INSERT …
ON CONFLICT``, ``RETURNING``, and the timestamp text ``strftime('%Y-%m-%dT%H:%M:%fZ', 'now'[,
modifier])`` that the PostgreSQL schema defines as a function with SQLite's meaning.

Rows are read by column name or position on both engines (``aiosqlite.Row``,
``asyncpg.Record``). A unique or check violation is ``sqlite3.IntegrityError`` on both: the
PostgreSQL engine raises :class:`IntegrityError`, a subclass, so a store's ``except`` clause is
one text too.

Times: both engines store a moment as UTC text (``2026-12-01T18:45:00.123Z``, which sorts as
it compares); a column may one day be ``timestamptz``, which asyncpg reads as a ``datetime``.
Stores never hand either form to a service: every time a store returns goes through
:func:`to_datetime` / :func:`maybe_datetime` (or :func:`record` for a row kept as a dict,
which converts the columns named ``*_at`` / ``*_until``), and every time a store writes goes
through :func:`db_time`. Services and cogs get timezone-aware UTC ``datetime`` values only; see
bot/storage/README.md.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable, Generator, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable
from urllib.parse import urlsplit

#: One result row: ``aiosqlite.Row`` or ``asyncpg.Record``; ``row["name"]`` and ``row[0]``.
Row = Any


class Cursor(Protocol):
    """What ``await conn.execute(...)`` gives on both engines."""

    @property
    def rowcount(self) -> int: ...

    @property
    def lastrowid(self) -> int | None: ...

    async def fetchone(self) -> Row | None: ...

    async def fetchall(self) -> Iterable[Row]: ...


class PendingCursor(Protocol):
    """``conn.execute(...)``: awaited, or entered with ``async with``."""

    def __await__(self) -> Generator[Any, None, Cursor]: ...

    async def __aenter__(self) -> Cursor: ...

    async def __aexit__(self, *exc: Any) -> Any: ...


class TxConnection(Protocol):
    """The connection a ``transaction()`` yields (``aiosqlite.Connection`` or
    :class:`bot.storage.postgres.PgConnection`)."""

    def execute(self, sql: str, parameters: Iterable[Any] | None = None, /) -> PendingCursor: ...

    async def execute_fetchall(
        self, sql: str, parameters: Iterable[Any] | None = None, /
    ) -> Iterable[Row]: ...

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]], /) -> Any: ...


SQLITE = "sqlite"
POSTGRESQL = "postgresql"
DIALECTS = (SQLITE, POSTGRESQL)


class IntegrityError(sqlite3.IntegrityError):
    """A constraint violation on PostgreSQL, catchable as ``sqlite3.IntegrityError``."""


@runtime_checkable
class Storage(Protocol):
    """What every store needs from a database, on either engine."""

    @property
    def is_open(self) -> bool: ...

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def flush(self) -> None:
        """Commit what is queued now (SQLite's group commit); nothing on an engine without
        a queue."""
        ...

    async def __aenter__(self) -> Storage: ...

    async def __aexit__(self, *exc: object) -> None: ...

    def transaction(self) -> AbstractAsyncContextManager[TxConnection]: ...

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> Row | None: ...

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[Row]: ...

    async def fetchval(self, sql: str, params: Iterable[Any] = ()) -> Any: ...

    async def execute_returning(self, sql: str, params: Iterable[Any] = ()) -> Row | None: ...

    async def execute_returning_all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        """One write statement with a RETURNING clause, atomic on its own; all its rows."""
        ...

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int: ...


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Step:
    """One statement of a :data:`Script`."""

    sql: str
    params: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class Done:
    """What a :class:`Step` gave: its rows (all of them), rowcount and lastrowid."""

    rows: list[Row] = field(default_factory=list)
    rowcount: int = -1
    lastrowid: int | None = None

    def first(self) -> Row | None:
        return self.rows[0] if self.rows else None


Script = Generator[Step, Done, T]
"""A unit of work written as a generator: it yields each statement and is sent what it gave,
so one text runs on both engines. :func:`run_unit` runs it as one unit (all or nothing,
committed when it returns); on SQLite every statement of it runs in one trip to the database
thread, so the write lock is held for one hop rather than one per statement."""


async def run_script(conn: TxConnection, script: Script[T]) -> T:
    """``script`` inside a transaction the caller holds, one statement at a time."""
    try:
        step = next(script)
        while True:
            async with conn.execute(step.sql, step.params) as cursor:
                rows = list(await cursor.fetchall())
                done = Done(rows, cursor.rowcount, cursor.lastrowid)
            step = script.send(done)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]


async def run_unit(db: Storage, make: Callable[[], Script[T]]) -> T:
    """The script ``make()`` as one unit of ``db``: in one trip where the engine has it
    (SQLite's ``run_script``), else statement by statement in ``db.transaction()``."""
    direct = getattr(db, "run_script", None)
    if direct is not None:
        return await direct(make)  # type: ignore[no-any-return]
    async with db.transaction() as conn:
        return await run_script(conn, make())


@asynccontextmanager
async def joined(db: Storage, conn: TxConnection | None) -> AsyncIterator[TxConnection]:
    """The caller's transaction ``conn`` when given (its caller commits or rolls back), else a
    transaction of its own: how a store method takes an optional ``conn`` so that several
    stores' writes can be one unit of work (``/mydata delete``). On SQLite a store must not
    open ``db.transaction()`` (or write through ``db.*``) while its caller's is open: the write
    lock is not reentrant. Write through the ``conn`` this yields."""
    if conn is not None:
        yield conn
        return
    async with db.transaction() as own:
        yield own


def to_datetime(value: object) -> datetime:
    """A stored moment as a timezone-aware UTC ``datetime``: the text either engine stores
    (``…Z``, ``…+00:00``, or without an offset, read as UTC) or a driver's ``datetime``. The one
    place a store turns a time column into a value."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip().replace(" ", "T", 1))
        except ValueError as exc:
            raise ValueError(f"not a stored time: {value!r}") from exc
    else:
        raise TypeError(f"not a stored time: {type(value).__name__}")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def maybe_datetime(value: object) -> datetime | None:
    """:func:`to_datetime`, with NULL as None."""
    return None if value is None else to_datetime(value)


def db_time(moment: datetime) -> str:
    """The text a moment is stored as: what ``strftime('%Y-%m-%dT%H:%M:%fZ', …)`` writes on
    both engines (milliseconds, ``Z``), so stored times compare as text. A naive ``moment`` is
    taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def is_time_column(name: str) -> bool:
    """Whether a column holds a moment, by the schema's naming: ``*_at``, ``*_until``."""
    return name.endswith("_at") or name.endswith("_until")


def record(row: Row) -> dict[str, Any]:
    """A row as a plain dict (never the driver's row), its time columns as ``datetime``."""
    return {
        key: maybe_datetime(value) if is_time_column(key) else value
        for key, value in dict(row).items()
    }


def dialect(db: object) -> str:
    """``"sqlite"`` or ``"postgresql"``: the engine behind ``db``."""
    return str(getattr(db, "dialect", SQLITE))


@dataclass(frozen=True, slots=True)
class DatabaseUrl:
    """A parsed ``DATABASE_URL``: the engine and where it is."""

    dialect: str
    url: str
    path: Path | None = None  # SQLite only

    @property
    def redacted(self) -> str:
        """The URL without its password, for messages and logs."""
        if self.dialect == SQLITE:
            return self.url
        parts = urlsplit(self.url)
        if parts.password is None:
            return self.url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        return parts._replace(netloc=netloc).geturl()


class DatabaseUrlError(ValueError):
    pass


def sqlite_url(path: Path) -> str:
    """``sqlite:///relative/path`` or ``sqlite:////absolute/path`` (three slashes, then the
    path as written)."""
    return f"sqlite:///{path}"


def parse_database_url(raw: str) -> DatabaseUrl:
    """``sqlite:///path`` or ``postgresql://[user[:password]@][host][:port]/database[?…]``."""
    raw = raw.strip()
    if raw.startswith("sqlite:///"):
        path = raw.removeprefix("sqlite:///")
        if not path:
            raise DatabaseUrlError("DATABASE_URL sqlite:/// needs a file path after the slashes")
        return DatabaseUrl(SQLITE, raw, Path(path).expanduser())
    if raw.startswith("sqlite:"):
        raise DatabaseUrlError(
            "DATABASE_URL for SQLite is sqlite:///relative/path or sqlite:////absolute/path"
        )
    parts = urlsplit(raw)
    if parts.scheme in ("postgresql", "postgres"):
        if not parts.path.strip("/"):
            raise DatabaseUrlError(
                "DATABASE_URL must name the database: postgresql://user@host:5432/tracktwo"
            )
        return DatabaseUrl(POSTGRESQL, raw)
    raise DatabaseUrlError(
        "DATABASE_URL must start with sqlite:/// or postgresql:// "
        "(e.g. postgresql://tracktwo@127.0.0.1:5432/tracktwo)"
    )


async def table_exists(db: Storage, name: str) -> bool:
    """Whether ``name`` is a table, read without writing, on either engine."""
    if dialect(db) == POSTGRESQL:
        found = await db.fetchval("SELECT to_regclass(?) IS NOT NULL", (name,))
    else:
        found = await db.fetchval(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", (name,)
        )
    return bool(found)
