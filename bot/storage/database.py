"""The bot's SQLite database: durable writes committed in groups, reads of committed data.

Durability: ``synchronous=FULL`` by default, so a write that was acknowledged survives a power
cut (with NORMAL the last commits of a WAL database can be lost, and were, after a disk error).

Throughput: group commit. Every write is a *unit* (``transaction()``, ``execute()``,
``execute_returning()``). The first unit that finds no group open begins one transaction; the
units that come while it is open run inside it one after another, each in its own SAVEPOINT,
and one COMMIT (one fsync) ends them all. A unit returns only after the COMMIT that contains it,
so callers keep "one unit of work, committed when I return" semantics; a unit that fails rolls
back to its savepoint and fails alone. If the group's transaction is lost (the COMMIT fails, the
disk fails mid-group, the connection closes), every unit in it fails: none was acknowledged.

Reads go through a second connection (WAL lets it read while the writer writes) and therefore
see only committed data: nothing reads a reply whose group may still roll back.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

import aiosqlite

from bot.errors import StorageClosed, StorageUnavailable
from bot.storage.engine import Done, Script, Step

T = TypeVar("T")

log = logging.getLogger(__name__)

Synchronous = Literal["OFF", "NORMAL", "FULL", "EXTRA"]


class StorageError(StorageUnavailable):
    """The database cannot be opened or used; the message says where and why."""


class DatabaseClosed(StorageError, StorageClosed):
    """A query met a closed connection (the bot is shutting down)."""


class NestedWrite(RuntimeError):
    """A write through ``db.*`` (or a new ``db.transaction()``) by the task that holds the
    write lock in a transaction: it would wait for itself forever. Pass the transaction's
    ``conn`` to the store instead (bot/storage/README.md, "Joining the caller's
    transaction")."""


class _WriteLock(asyncio.Lock):
    """The writer's lock, knowing which task holds it, so that a write nested in the same
    task's transaction fails at once (:class:`NestedWrite`) instead of deadlocking."""

    def __init__(self) -> None:
        super().__init__()
        self._owner: asyncio.Task[Any] | None = None

    async def acquire(self) -> Literal[True]:
        task = asyncio.current_task()
        if task is not None and task is self._owner:
            raise NestedWrite(
                "a write inside a transaction of the same task would wait for itself: "
                "give the store the transaction's conn"
            )
        await super().acquire()
        self._owner = task
        return True

    def release(self) -> None:
        self._owner = None
        super().release()


class _Group:
    """One open transaction shared by the units written while it is open."""

    __slots__ = ("committed", "units")

    def __init__(self) -> None:
        self.committed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.units = 0

    def fail(self, error: BaseException) -> None:
        if not self.committed.done():
            self.committed.set_exception(error)
            self.committed.exception()  # retrieved: a group nobody waits for logs nothing


class _GroupLost(sqlite3.Error):
    """A script found no open transaction: its group was lost before it ran."""


class _SavepointFailed(sqlite3.Error):
    """A script's savepoint itself could not be undone: the group is lost."""


def _run_script(raw: sqlite3.Connection, name: str, make: Callable[[], Script[T]]) -> T:
    """On the database thread: ``make()``'s statements in savepoint ``name``, undone on
    failure. Nothing runs outside the group's transaction (after a loss, the units queued
    behind it fail without writing)."""
    if not raw.in_transaction:  # the group's transaction was lost before this ran
        raise _GroupLost("the group's transaction was rolled back")
    raw.execute(f"SAVEPOINT {name}")
    try:
        script = make()
        step = next(script)
        while True:
            cursor = raw.execute(step.sql, step.params)
            try:
                done = Done(cursor.fetchall(), cursor.rowcount, cursor.lastrowid)
            finally:
                cursor.close()
            step = script.send(done)
    except StopIteration as stop:
        raw.execute(f"RELEASE {name}")
        return stop.value  # type: ignore[no-any-return]
    except BaseException:
        if raw.in_transaction:
            try:
                raw.execute(f"ROLLBACK TO {name}")
                raw.execute(f"RELEASE {name}")
            except sqlite3.Error as exc:
                raise _SavepointFailed(str(exc)) from exc
        raise


def _queue(conn: aiosqlite.Connection, fn: Callable[..., T], *args: Any) -> asyncio.Future[T]:
    """Queue ``fn(raw sqlite3 connection, *args)`` on ``conn``'s thread now (in order with
    its queries, which aiosqlite queues the same way) and return its future: aiosqlite's own
    ``_execute`` queues only once awaited, too late to keep the order the write lock gives."""
    if not getattr(conn, "_running", False) or getattr(conn, "_connection", None) is None:
        raise DatabaseClosed("the database is not open")
    future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
    conn._tx.put_nowait((future, functools.partial(fn, conn._conn, *args)))
    return future


def _savepoint(raw: sqlite3.Connection, name: str) -> None:
    if not raw.in_transaction:
        raise _GroupLost("the group's transaction was rolled back")
    raw.execute(f"SAVEPOINT {name}")


def _in_transaction(conn: aiosqlite.Connection) -> bool | None:
    """Whether ``conn`` has an open transaction; None when the connection is closed."""
    try:
        return conn.in_transaction
    except ValueError:
        return None


class Database:
    """A writer connection with group commit and a reader connection (see the module doc).

    aiosqlite runs each connection's statements on its own thread, so the event loop never
    blocks on disk. The write lock keeps units from interleaving statements.
    ``group_window`` (seconds) lets a group stay open a little for more units to join; the
    default 0 commits as soon as the units already waiting have run, which batches on its own
    under load (units that arrive during one fsync share the next).
    """

    def __init__(
        self,
        path: Path,
        *,
        synchronous: Synchronous = "FULL",
        group_window: float = 0.0,
        read_only: bool = False,
    ) -> None:
        self.path = path
        self.read_only = read_only
        self.synchronous = synchronous
        self.group_window = group_window
        self._conn: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._write_lock = _WriteLock()
        self._group: _Group | None = None
        self._committers: set[asyncio.Task[None]] = set()
        self.groups_committed = 0
        self.units_committed = 0
        self._scripts = 0  # names each script unit's savepoint

    @property
    def conn(self) -> aiosqlite.Connection:
        """The writer connection (for migrations); write through ``transaction()``."""
        if self._conn is None:
            raise DatabaseClosed("the database is not open")
        return self._conn

    @property
    def reader(self) -> aiosqlite.Connection:
        if self._reader is None:
            raise DatabaseClosed("the database is not open")
        return self._reader

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    @property
    def pending_units(self) -> int:
        """Units written into the open group and not yet committed (none acknowledged)."""
        return 0 if self._group is None else self._group.units

    @property
    def _in_memory(self) -> bool:
        return str(self.path) == ":memory:"

    async def _connect(self, *, reader: bool) -> aiosqlite.Connection:
        try:
            conn = await aiosqlite.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StorageError(f"DATABASE_PATH: cannot open {self.path} ({exc})") from exc
        conn.row_factory = aiosqlite.Row
        try:
            if not reader:
                await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute(f"PRAGMA synchronous={self.synchronous}")
            if reader:
                await conn.execute("PRAGMA query_only=ON")  # writes must go through units
        except sqlite3.Error as exc:
            await conn.close()
            raise StorageError(
                f"DATABASE_PATH: {self.path} is not a usable database ({exc})"
            ) from exc
        return conn

    async def open(self) -> None:
        if self._conn is not None:
            return
        if self.read_only:
            self._conn = self._reader = await self._open_read_only()
            return
        if not self._in_memory:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(
                    f"DATABASE_PATH: cannot create the folder {self.path.parent} ({exc.strerror})"
                ) from exc
        writer = await self._connect(reader=False)
        if self._in_memory:
            reader = writer  # a second connection would be another, empty database
        else:
            try:
                reader = await self._connect(reader=True)
            except StorageError:
                await writer.close()
                raise
        self._conn, self._reader = writer, reader

    async def _open_read_only(self) -> aiosqlite.Connection:
        """An existing database opened without writing to it (``mode=ro``): no folder, no
        file, no pragma that changes the database (``check-config`` inspects, ``run``
        changes)."""
        if not self.path.is_file():
            raise StorageError(f"DATABASE_PATH: there is no database at {self.path}")
        # A WAL database opened read-only gets -wal and -shm files made beside it, unless they
        # exist (a bot is running, or stopped uncleanly). Without them every change is in the
        # main file, and ``immutable=1`` reads it without making them.
        wal = self.path.with_name(self.path.name + "-wal")
        uri = f"{self.path.resolve().as_uri()}?mode=ro" + ("" if wal.exists() else "&immutable=1")
        try:
            conn = await aiosqlite.connect(uri, uri=True, isolation_level=None)
        except sqlite3.Error as exc:
            raise StorageError(f"DATABASE_PATH: cannot open {self.path} ({exc})") from exc
        conn.row_factory = aiosqlite.Row
        try:
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute_fetchall("SELECT COUNT(*) FROM sqlite_schema")
        except sqlite3.Error as exc:
            await conn.close()
            raise StorageError(
                f"DATABASE_PATH: {self.path} is not a usable database ({exc})"
            ) from exc
        return conn

    async def flush(self, grace: float = 10.0) -> None:
        """Commit the open group now (waiting at most ``grace`` s for the units ahead)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(grace):
                async with self._write_lock:
                    if self._group is not None and self._conn is not None:
                        await self._commit(self._conn, self._group)
                return
        log.error("the database's write queue did not drain within %.0f s", grace)

    async def close(self, grace: float = 10.0) -> None:
        """Commit what is queued, then close; a unit arriving afterwards gets StorageError."""
        if self._conn is None:
            return
        await self.flush(grace)
        writer, reader = self._conn, self._reader
        self._conn = self._reader = None
        if self._group is not None:  # the flush timed out: nothing of it was acknowledged
            self._group.fail(StorageError("the database closed before the commit"))
            self._group = None
        for task in list(self._committers):
            task.cancel()
        if self._committers:
            await asyncio.wait(self._committers, timeout=grace)
        if reader is not None and reader is not writer:
            await reader.close()
        await writer.close()

    async def __aenter__(self) -> Database:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # writes ------------------------------------------------------------------------------

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One unit of work: the body's statements, all or nothing, committed (durably) when
        the ``async with`` ends. Read inside it through the yielded connection."""
        async with self._write_lock:
            conn = self.conn
            group = await self._join(conn)
            try:  # checked on the thread: never a savepoint outside the group's transaction
                await _queue(conn, _savepoint, "unit")
            except (sqlite3.Error, ValueError) as exc:
                await self._break(conn, group, exc)
                raise StorageError(f"the write was not committed ({exc})") from exc
            try:
                yield conn
            except BaseException as exc:
                await self._undo(conn, group)
                if isinstance(exc, ValueError) and _in_transaction(conn) is None:
                    raise self._lost() from exc
                raise
            await self._step(conn, group, "RELEASE unit")
            group.units += 1
        await self._wait_commit(group)

    async def run_script(self, make: Callable[[], Script[T]]) -> T:
        """A unit written as a :data:`bot.storage.engine.Script`: every statement of it, in its
        own savepoint, runs in one trip to the database thread. The write lock is held only to
        queue that trip (the thread runs its queue in order, and a script cannot interleave
        with anything), so the units of a group are queued back to back and run without a
        round trip each. Same semantics as ``transaction()``: all or nothing, returned once
        the group's COMMIT holds it; a failed script undoes only itself. A caller cancelled
        after its script was queued does not know the outcome (as with a cancel while
        waiting for the COMMIT): the script may still commit with its group."""
        async with self._write_lock:
            conn = self.conn
            group = await self._join(conn)
            self._scripts += 1
            hop = _queue(conn, _run_script, f"script{self._scripts}", make)
        try:
            result: T = await asyncio.shield(hop)
        except _GroupLost as exc:  # an earlier unit of the group lost its transaction
            raise StorageError(f"the write was not committed ({exc})") from exc
        except asyncio.CancelledError:
            raise
        except BaseException as exc:
            async with self._write_lock:
                if isinstance(exc, _SavepointFailed):
                    await self._break(conn, group, exc)
                    raise StorageError(f"the database failed ({exc})") from exc
                if self._group is group:  # did the error take the group's transaction?
                    await self._check_alive(conn, group)
                if isinstance(exc, ValueError) and _in_transaction(conn) is None:
                    raise self._lost() from exc
            raise
        group.units += 1
        await self._wait_commit(group)
        return result

    async def execute_returning(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        """One write statement with a RETURNING clause, a unit on its own; its first row."""
        rows = await self._single(sql, tuple(params), returning=True)
        return rows[0] if rows else None

    async def execute_returning_all(
        self, sql: str, params: Iterable[Any] = ()
    ) -> list[aiosqlite.Row]:
        """One write statement with a RETURNING clause, a unit on its own; all its rows."""
        return await self._single(sql, tuple(params), returning=True)

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """One write statement, a unit on its own (with any triggers it fires); returns the
        last inserted rowid."""
        rows = await self._single(sql, tuple(params), returning=False)
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    async def _single(self, sql: str, params: tuple[Any, ...], *, returning: bool) -> list[Any]:
        """One statement as a script unit (queued back to back with the others)."""

        def one() -> Script[list[Any]]:
            done = yield Step(sql, params)
            return done.rows if returning else [(done.lastrowid,)]

        return await self.run_script(one)

    def _lost(self) -> StorageError:
        """The error for a connection that went away under a statement: closed by shutdown
        (StorageClosed, which callers answer as "restarting"), or lost otherwise."""
        if self._conn is None:
            return DatabaseClosed("the database closed during a query")
        return StorageError("the database connection was lost")

    async def _join(self, conn: aiosqlite.Connection) -> _Group:
        """The open group, or a new one (BEGIN IMMEDIATE) with its committer. Lock held."""
        if self._group is not None:
            if _in_transaction(conn) is not False:
                return self._group
            # the open group's transaction was lost (a unit's error rolled it back)
            await self._break(conn, self._group, StorageError("the transaction was rolled back"))
        try:
            if _in_transaction(conn):  # left by a group whose committer never ran: unacknowledged
                await conn.execute("ROLLBACK")
            try:
                await conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                # A unit cancelled while its BEGIN was queued on the database thread releases
                # the lock before that BEGIN runs (in_transaction was still false above); the
                # stale transaction holds nothing acknowledged: roll it back and begin anew.
                if not _in_transaction(conn):
                    raise
                await conn.execute("ROLLBACK")
                await conn.execute("BEGIN IMMEDIATE")
        except ValueError as exc:  # aiosqlite: the connection was closed under us
            raise self._lost() from exc
        group = self._group = _Group()
        task = asyncio.create_task(self._commit_soon(group), name="tracktwo-group-commit")
        self._committers.add(task)
        task.add_done_callback(self._committers.discard)
        return group

    async def _step(self, conn: aiosqlite.Connection, group: _Group, sql: str) -> None:
        try:
            await conn.execute(sql)
        except (sqlite3.Error, ValueError) as exc:
            await self._break(conn, group, exc)
            raise StorageError(f"the database failed ({exc})") from exc

    async def _undo(self, conn: aiosqlite.Connection, group: _Group) -> None:
        """Roll back only this unit; if the group's transaction itself is gone, fail it."""
        if _in_transaction(conn):
            try:
                await conn.execute("ROLLBACK TO unit")
                await conn.execute("RELEASE unit")
                return
            except (sqlite3.Error, ValueError) as exc:
                await self._break(conn, group, exc)
                return
        await self._check_alive(conn, group)

    async def _check_alive(self, conn: aiosqlite.Connection, group: _Group) -> None:
        """After a unit: SQLite rolls a whole transaction back on some errors (disk full, I/O);
        then every unit of the group is lost and must fail, and the next unit begins anew."""
        if not _in_transaction(conn):
            await self._break(conn, group, StorageError("the group's transaction was rolled back"))

    async def _break(self, conn: aiosqlite.Connection, group: _Group, exc: BaseException) -> None:
        """The group cannot commit: fail all its units (lock held)."""
        if self._group is group:
            self._group = None
        group.fail(StorageError(f"the write was not committed ({exc})"))
        if _in_transaction(conn):
            with contextlib.suppress(sqlite3.Error, ValueError):
                await conn.execute("ROLLBACK")

    async def _commit_soon(self, group: _Group) -> None:
        try:
            if self.group_window > 0:
                await asyncio.sleep(self.group_window)
            async with self._write_lock:
                if self._group is group and self._conn is not None:
                    await self._commit(self._conn, group)
        finally:
            if self._group is group:  # cancelled before it could commit (the loop is ending)
                self._group = None
            group.fail(StorageError("the commit was interrupted"))  # no-op once committed

    async def _commit(self, conn: aiosqlite.Connection, group: _Group) -> None:
        """COMMIT the group (lock held) and answer its units."""
        self._group = None
        try:
            await conn.execute("COMMIT")
        except BaseException as exc:
            if _in_transaction(conn):
                with contextlib.suppress(sqlite3.Error, ValueError):
                    await conn.execute("ROLLBACK")
            group.fail(StorageError(f"the commit failed ({exc})"))
            if not isinstance(exc, sqlite3.Error | ValueError):
                raise
            log.error("a group commit of %d writes failed: %s", group.units, exc)
            return
        self.groups_committed += 1
        self.units_committed += group.units
        group.committed.set_result(None)

    @staticmethod
    async def _wait_commit(group: _Group) -> None:
        # shield: a caller cancelled while waiting must not cancel the group's shared future.
        # The committer always resolves it (its finally), so this wait ends.
        await asyncio.shield(group.committed)

    # reads (committed data only) ---------------------------------------------------------

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        rows = await self.fetchall(sql, params)
        for row in rows:
            return row
        return None

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        try:
            return list(await self.reader.execute_fetchall(sql, tuple(params)))
        except (sqlite3.ProgrammingError, ValueError) as exc:
            if self._reader is None:  # closed under the query (shutdown)
                raise DatabaseClosed("the database closed during a query") from exc
            raise

    async def fetchval(self, sql: str, params: Iterable[Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]
