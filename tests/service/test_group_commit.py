"""Group commit (issue 10, item 9): replies written at once share a transaction and its fsync,
each is answered only after that commit, a failing unit fails alone, and a crash mid-group
loses nothing that was acknowledged."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from app.services import build_services
from bot.dialogue.replies import Disposition, RawReply
from bot.errors import Conflict
from bot.services import Services
from bot.settings import Settings
from bot.storage import Database, StorageError, migrate
from bot.storage.engine import Script, Step, run_unit

from .conftest import GUILD

TEXT = "This excerpt reminds me of my grandmother's stories about her neighbours"


async def until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.005)):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("not reached in time")


async def round_with_members(services: Services, members: range) -> int:
    await services.packs.seed_builtin()
    await services.guild_config.set_dialogue_channel(GUILD, 900)
    first = await services.communities.add(GUILD, "Armenian", 501)
    await services.communities.add(GUILD, "Azerbaijani", 502)
    round_, _ = await services.rounds.prepare(GUILD, None)
    await services.rounds.attach(round_, 7001, 8001)
    for member in members:
        await services.communities.assign(GUILD, member, first.id)
    return round_.id


async def submit(services: Services, round_id: int, member: int) -> Disposition:
    raw = RawReply(f"{TEXT} ({member}).")
    return (await services.replies.submit(round_id, member, frozenset(), "x", raw)).disposition


async def test_concurrent_replies_are_all_committed_in_shared_commits(
    services: Services,
) -> None:
    members = range(2000, 2100)
    round_id = await round_with_members(services, members)
    db = services.db
    grouped = isinstance(db, Database)  # SQLite's group commit; PostgreSQL commits each
    groups = db.groups_committed if isinstance(db, Database) else 0
    async with asyncio.timeout(30):
        outcomes = await asyncio.gather(*(submit(services, round_id, m) for m in members))
    assert outcomes == [Disposition.ACCEPTED] * len(members)
    # every answer came after its commit: the reader connection sees only committed rows
    assert await db.fetchval("SELECT COUNT(*) FROM replies") == len(members)
    assert await services.replies.pending_outbox() == len(members)
    if isinstance(db, Database):
        assert grouped and db.groups_committed - groups < len(members)  # fsyncs were shared
        assert db.pending_units == 0


async def test_a_failing_unit_fails_alone_in_its_group(tmp_path: Path) -> None:
    settings = Settings(database_path=tmp_path / "db.sqlite3")
    async with Database(settings.database_path) as db:
        await migrate(db)
        services = build_services(settings, db)
        members = range(3000, 3020)
        round_id = await round_with_members(services, members)
        db.group_window = 0.2  # long enough that all of these land in one group

        async def failing_unit() -> None:
            async with db.transaction() as conn:
                await conn.execute("UPDATE rounds SET number = number WHERE id = ?", (round_id,))
                raise RuntimeError("this unit fails after writing")

        groups = db.groups_committed
        async with asyncio.timeout(30):
            results = await asyncio.gather(
                *(submit(services, round_id, m) for m in members[:10]),
                services.communities.add(GUILD, "Armenian", 777),  # duplicate name
                failing_unit(),
                *(submit(services, round_id, m) for m in members[10:]),
                return_exceptions=True,
            )
        assert db.groups_committed - groups == 1  # one group, one commit
        replies, duplicate, failed = results[:10] + results[12:], results[10], results[11]
        assert replies == [Disposition.ACCEPTED] * 20
        assert isinstance(duplicate, Conflict)
        assert isinstance(failed, RuntimeError)
        assert await db.fetchval("SELECT COUNT(*) FROM replies") == 20
        assert await db.fetchval("SELECT COUNT(*) FROM communities WHERE role_id = 777") == 0


async def test_a_crash_mid_group_loses_nothing_acknowledged(tmp_path: Path) -> None:
    settings = Settings(database_path=tmp_path / "db.sqlite3")
    db = Database(settings.database_path)
    await db.open()
    await migrate(db)
    services = build_services(settings, db)
    members = range(4000, 4020)
    round_id = await round_with_members(services, members)
    db.group_window = 1.0  # the in-flight group stays open until the "crash"
    async with asyncio.timeout(30):
        acknowledged = await asyncio.gather(*(submit(services, round_id, m) for m in members[:10]))
    assert acknowledged == [Disposition.ACCEPTED] * 10
    in_flight = [asyncio.create_task(submit(services, round_id, m)) for m in members[10:]]
    await until(lambda: db.pending_units == len(in_flight))  # all written, none committed
    async with asyncio.timeout(10):
        await db.conn.close()  # the process dies: the open transaction never commits
        results = await asyncio.gather(*in_flight, return_exceptions=True)
    # nobody in the lost group was told their reply was received
    assert all(isinstance(r, StorageError) for r in results), results
    await db.close()

    async with Database(settings.database_path) as reopened:
        stored = await reopened.fetchval("SELECT COUNT(*) FROM replies")
        queued = await reopened.fetchval("SELECT COUNT(*) FROM outbox WHERE kind = 'publish'")
    assert stored == queued == 10  # every acknowledged reply survived, with its outbox row


async def test_writes_after_close_are_refused_and_close_flushes(tmp_path: Path) -> None:
    db = Database(tmp_path / "db.sqlite3")
    await db.open()
    await db.execute("CREATE TABLE t (v INTEGER)")
    db.group_window = 5.0  # the next group would wait 5 s before committing
    write = asyncio.create_task(db.execute("INSERT INTO t (v) VALUES (1)"))
    await until(lambda: db.pending_units == 1)
    async with asyncio.timeout(2):
        await db.close()  # commits the queued write now instead of after the window
        assert await write > 0
    with pytest.raises(StorageError, match="not open"):
        await db.execute("INSERT INTO t (v) VALUES (2)")
    async with Database(tmp_path / "db.sqlite3") as reopened:
        assert await reopened.fetchval("SELECT COUNT(*) FROM t") == 1


async def test_a_unit_cancelled_while_its_begin_is_queued_leaves_the_next_unit_working(
    tmp_path: Path,
) -> None:
    """A unit cancelled while its BEGIN waits on the database thread gives the lock back
    before that BEGIN runs; the next unit must still begin, write and commit (seen when
    shutdown cancelled a handler and the retention purge wrote next)."""
    async with Database(tmp_path / "db.sqlite3") as db:
        await migrate(db)
        for _ in range(20):
            first = asyncio.create_task(
                db.execute(
                    "INSERT INTO bot_state (key, value) VALUES ('a', '1') "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                )
            )
            await asyncio.sleep(0)  # it takes the lock and queues its BEGIN
            first.cancel()
            async with asyncio.timeout(10):
                await db.execute(
                    "INSERT INTO bot_state (key, value) VALUES ('b', '2') "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                )
            assert await db.fetchval("SELECT value FROM bot_state WHERE key = 'b'") == "2"


# scripts: a unit's statements in one trip to the database thread ------------------------


def insert(value: int, *, then_fail: bool = False) -> Callable[[], Script[int]]:
    def script() -> Script[int]:
        done = yield Step("INSERT INTO t (v) VALUES (?)", (value,))
        yield Step("INSERT INTO t (v) VALUES (?)", (value + 1000,))
        if then_fail:
            raise RuntimeError("the unit changes its mind")
        return int(done.lastrowid or 0)

    return script


async def test_scripts_queued_together_share_a_commit_and_a_failing_one_fails_alone(
    tmp_path: Path,
) -> None:
    async with Database(tmp_path / "db.sqlite3") as db:
        await db.execute("CREATE TABLE t (v INTEGER)")
        groups = db.groups_committed
        queue = db.conn._tx  # the database thread's work queue (it keeps this one)
        hops: list[object] = []

        class Counting:
            def put_nowait(self, item: object) -> None:
                hops.append(item)
                queue.put_nowait(item)  # type: ignore[arg-type]

        db.conn._tx = Counting()  # type: ignore[assignment]
        try:
            results = await asyncio.gather(
                *(run_unit(db, insert(v, then_fail=v == 3)) for v in range(6)),
                return_exceptions=True,
            )
        finally:
            db.conn._tx = queue
        assert isinstance(results[3], RuntimeError)
        assert all(isinstance(r, int) for i, r in enumerate(results) if i != 3)
        # BEGIN, one trip per unit (two statements each), COMMIT: one group
        assert len(hops) == 1 + 6 + 1
        assert db.groups_committed == groups + 1
        stored = sorted(r[0] for r in await db.fetchall("SELECT v FROM t"))
    assert stored == sorted(
        [v for v in range(6) if v != 3] + [v + 1000 for v in range(6) if v != 3]
    )


async def test_a_lost_transaction_fails_its_group_and_writes_nothing_queued_behind_it(
    tmp_path: Path,
) -> None:
    """A unit whose error takes the group's transaction with it (as a full disk does): the
    units before it in the group fail (none was acknowledged), and the ones queued behind it
    run nothing outside a transaction."""
    async with Database(tmp_path / "db.sqlite3") as db:
        await db.execute("CREATE TABLE t (v INTEGER)")

        def loses_the_transaction() -> Script[None]:
            yield Step("INSERT INTO t (v) VALUES (-1)")
            yield Step("ROLLBACK")  # what SQLite does on its own after SQLITE_FULL or IOERR
            raise sqlite3.OperationalError("database or disk is full")

        await db.execute("INSERT INTO t (v) VALUES (0)")  # a group before, committed
        db._scripts = 0
        db.group_window = 5.0  # the group stays open while the four join it
        first = asyncio.create_task(run_unit(db, insert(1)))
        await until(lambda: db._scripts == 1)  # the group began, its first unit is queued
        busy = threading.Event()  # then the database thread waits until the rest are queued
        db.conn._tx.put_nowait((None, lambda: busy.wait(10)))
        scripts = [loses_the_transaction, insert(2), insert(3)]
        units = [first] + [asyncio.create_task(run_unit(db, script)) for script in scripts]
        await until(lambda: db._scripts == 4)
        busy.set()
        db.group_window = 0.0
        results = await asyncio.gather(*units, return_exceptions=True)
        assert all(isinstance(r, sqlite3.Error | StorageError) for r in results), results
        assert [r[0] for r in await db.fetchall("SELECT v FROM t")] == [0]
        # the next unit begins a new group and commits
        assert await run_unit(db, insert(7)) > 0
        assert sorted(r[0] for r in await db.fetchall("SELECT v FROM t")) == [0, 7, 1007]
