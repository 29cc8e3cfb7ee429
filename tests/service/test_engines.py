"""What the two engines must agree on: folded names, numbering without triggers, migrations
per engine, and (PostgreSQL) several processes drawing numbers from one server at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.dialogue.models import ReplyFields, ReplyStatus
from bot.errors import Conflict
from bot.moderation.casetypes import CaseType
from bot.moderation.models import NewCase
from bot.services import Services
from bot.storage import Database, Storage, migrate
from bot.storage.communities import CommunityStore
from bot.storage.engine import DatabaseUrlError, dialect, parse_database_url
from bot.storage.folding import fold_name
from bot.storage.migrations import MigrationError, load_migrations
from bot.storage.moderation import AddCase, Decision, ModerationStore
from bot.storage.postgres import PostgresDatabase, translate
from bot.storage.replies import NewReply, ReplyStore
from tests.pg import scratch_schema

from .conftest import GUILD

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


# -- names compared without regard to case, beyond ASCII ----------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Հայեր", "ՀԱՅԵՐ"),  # Armenian
        ("Азербайджанцы", "АЗЕРБАЙДЖАНЦЫ"),  # Cyrillic
        ("Ελληνοκύπριοι", "ΕΛΛΗΝΟΚΎΠΡΙΟΙ"),  # Greek
        ("Straße", "STRASSE"),  # casefold, not lower
        ("Armenian", "ARMENIAN"),
    ],
)
async def test_a_name_differing_only_in_case_is_one_community(
    services: Services, first: str, second: str
) -> None:
    assert fold_name(first) == fold_name(second)
    created = await services.communities.add(GUILD, first, 501)
    with pytest.raises(Conflict):
        await services.communities.add(GUILD, second, 502)
    found = await CommunityStore(services.db).by_name(GUILD, second)
    assert found is not None and found.id == created.id and found.name == first
    # another server may use the name
    await services.communities.add(GUILD + 1, second, 503)


async def test_existing_case_duplicates_are_kept_and_keyed_apart_by_the_migration(
    tmp_path: Path,
) -> None:
    """A SQLite database from before 0012 may hold the duplicates NOCASE let in: both rows
    stay, the later one's key is made unique, and new duplicates are refused."""
    async with Database(tmp_path / "old.sqlite3") as db:
        await migrate(db, _upto(tmp_path, 10))
        await db.execute(
            "INSERT INTO communities (guild_id, name, role_id) VALUES (?, ?, ?), (?, ?, ?)",
            (GUILD, "Русские", 1, GUILD, "РУССКИЕ", 2),
        )
        await migrate(db)
        rows = await db.fetchall("SELECT id, name, name_key FROM communities ORDER BY id")
        assert [r["name"] for r in rows] == ["Русские", "РУССКИЕ"]
        assert rows[0]["name_key"] == "русские"
        assert rows[1]["name_key"] == f"русские#{rows[1]['id']}"


# -- numbering written by the store, the same on both engines ------------------------------


def _new_reply(round_id: int, author: str, status: ReplyStatus) -> NewReply:
    return NewReply(
        round_id=round_id,
        guild_id=GUILD,
        author_key=author,
        author_seal="seal",
        author_name=None,
        community_id=None,
        community_label="A",
        fields=ReplyFields("text", "", "", ""),
        quote_consent=False,
        status=status,
        civility_action="allow",
        civility_detail="[]",
    )


async def _round(db: Storage) -> int:
    excerpt = await db.fetchval("SELECT id FROM excerpts ORDER BY id LIMIT 1")
    return await db.execute(
        "INSERT INTO rounds (guild_id, number, excerpt_id, channel_id) VALUES (?, 1, ?, 9)",
        (GUILD, excerpt),
    )


async def test_participants_are_numbered_in_order_of_first_submission(
    services: Services,
) -> None:
    db = services.db
    store = ReplyStore(db)
    round_id = await _round(db)
    a1, n_a = await store.create(_new_reply(round_id, "a", ReplyStatus.PENDING))
    draft, n_draft = await store.create(_new_reply(round_id, "b", ReplyStatus.DRAFT))
    _, n_c = await store.create(_new_reply(round_id, "c", ReplyStatus.HELD))
    a2, n_a2 = await store.create(_new_reply(round_id, "a", ReplyStatus.PENDING))
    assert (n_a, n_draft, n_c, n_a2) == (1, None, 2, 1)
    assert await store.set_status(draft, ReplyStatus.PENDING, expected=(ReplyStatus.DRAFT,))
    numbers = {
        r["author_key"]: r["number"]
        for r in await db.fetchall("SELECT author_key, number FROM round_participants")
    }
    assert numbers == {"a": 1, "c": 2, "b": 3}
    # the publish rows of the pending replies, written in their transactions
    # the publish rows of the replies created pending, written in their transactions (a
    # submitted draft is queued by its caller, through outbox_kind)
    rows = await db.fetchall("SELECT kind, reply_id FROM outbox ORDER BY id")
    assert [(r["kind"], r["reply_id"]) for r in rows] == [("publish", a1), ("publish", a2)]


# -- migrations per engine ----------------------------------------------------------------


def _upto(tmp_path: Path, version: int) -> Path:
    """A copy of the shipped migrations up to ``version`` (with the engine folders)."""
    target = tmp_path / f"upto{version}"
    for sub in ("", "sqlite", "postgresql"):
        (target / sub).mkdir(parents=True, exist_ok=True)
        for f in (MIGRATIONS / sub).glob("*.sql"):
            if int(f.name[:4]) <= version:
                (target / sub / f.name).write_text(f.read_text(encoding="utf-8"), "utf-8")
    return target


def test_every_number_exists_for_both_engines_and_sqlite_keeps_its_applied_files() -> None:
    sqlite = load_migrations(engine="sqlite")
    postgres = load_migrations(engine="postgresql")
    assert [m.version for m in sqlite] == [m.version for m in postgres]
    assert [m.version for m in sqlite] == list(range(1, len(sqlite) + 1))
    # SQLite's 0001-0010 are the shared files, as applied on existing databases
    for migration in sqlite[:10]:
        assert migration.sql == (MIGRATIONS / migration.name).read_text(encoding="utf-8")


def test_an_edition_for_one_engine_only_is_refused(tmp_path: Path) -> None:
    (tmp_path / "postgresql").mkdir()
    (tmp_path / "0001_a.sql").write_text("CREATE TABLE a (x INTEGER);")
    (tmp_path / "postgresql" / "0002_b.sql").write_text("CREATE TABLE b (x BIGINT);")
    with pytest.raises(MigrationError, match=r"postgresql/0002_b.sql has no sqlite edition"):
        load_migrations(tmp_path, "postgresql")


async def test_upgrading_a_sqlite_database_with_triggers_keeps_the_numbering(
    tmp_path: Path,
) -> None:
    async with Database(tmp_path / "old.sqlite3") as db:
        await migrate(db, _upto(tmp_path, 10))
        await db.execute(
            "INSERT INTO packs (slug, title, author) VALUES ('p', 't', 'a')",
        )
        await db.execute(
            "INSERT INTO excerpts (pack_id, position, text, text_hash) VALUES (1, 1, 'x', 'h')"
        )
        round_id = await _round(db)
        for key in ("a", "b"):  # numbered by the old triggers
            await db.execute(
                "INSERT INTO replies (round_id, author_key, author_seal, community_label, "
                "brings_up, status) VALUES (?, ?, 's', 'A', 'x', 'pending')",
                (round_id, key),
            )
        assert await db.fetchval("SELECT COUNT(*) FROM outbox") == 2
        await migrate(db)
        triggers = await db.fetchval("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'")
        assert triggers == 0
        _, number = await ReplyStore(db).create(_new_reply(round_id, "c", ReplyStatus.PENDING))
        assert number == 3
        assert await db.fetchval("SELECT COUNT(*) FROM outbox") == 3


def test_database_urls() -> None:
    assert parse_database_url("sqlite:///data/x.sqlite3").path == Path("data/x.sqlite3")
    assert parse_database_url("sqlite:////abs/x.sqlite3").path == Path("/abs/x.sqlite3")
    url = parse_database_url("postgresql://bot:hunter2@127.0.0.1:5432/tracktwo")
    assert url.dialect == "postgresql" and "hunter2" not in url.redacted
    for bad in ("mysql://x/y", "postgresql://127.0.0.1", "sqlite://x", "sqlite:///"):
        with pytest.raises(DatabaseUrlError):
            parse_database_url(bad)


def test_placeholders_are_numbered_outside_literals() -> None:
    assert translate("SELECT '?', \"a?\" FROM t WHERE a = ? AND b = ? -- ?\n") == (
        "SELECT '?', \"a?\" FROM t WHERE a = $1 AND b = $2 -- ?\n"
    )
    assert translate("WHERE g = ?1 OR h = ?1 AND 'it''s ?' = ?") == (
        "WHERE g = $1 OR h = $1 AND 'it''s ?' = $1"
    )


# -- several processes on one PostgreSQL server ---------------------------------------------


async def test_two_processes_draw_gapless_case_and_participant_numbers() -> None:
    """Two pools stand for two bot processes (each with its own in-process lock): 50
    decisions at once across both give cases 1..50; 40 new authors give participants 1..40."""
    async with (
        scratch_schema() as url,
        PostgresDatabase(url) as first,
        PostgresDatabase(url) as second,
    ):
        await migrate(first)
        await migrate(second)  # nothing left to do, under the same lock
        await first.execute("INSERT INTO packs (slug, title, author) VALUES ('p', 't', 'a')")
        await first.execute(
            "INSERT INTO excerpts (pack_id, position, text, text_hash) "
            "SELECT id, 1, 'x', 'h' FROM packs"
        )
        round_id = await _round(first)
        stores = [ModerationStore(first), ModerationStore(second)]
        at = datetime(2026, 12, 1, tzinfo=UTC)
        await asyncio.gather(
            *(
                stores[i % 2].commit(
                    GUILD,
                    Decision(at, [AddCase(NewCase(CaseType.WARNING, 1, target_id=100 + i))]),
                )
                for i in range(50)
            )
        )
        numbers = [r[0] for r in await first.fetchall("SELECT number FROM cases ORDER BY 1")]
        assert numbers == list(range(1, 51))

        replies = [ReplyStore(first), ReplyStore(second)]
        results = await asyncio.gather(
            *(
                replies[i % 2].create(_new_reply(round_id, f"m{i % 40}", ReplyStatus.PENDING))
                for i in range(60)  # 20 authors reply twice, from either process
            )
        )
        drawn = await first.fetchall("SELECT number FROM round_participants ORDER BY 1")
        assert [r[0] for r in drawn] == list(range(1, 41))
        by_author: dict[str, set[int | None]] = {}
        for i, (_, number) in enumerate(results):
            by_author.setdefault(f"m{i % 40}", set()).add(number)
        assert all(len(n) == 1 for n in by_author.values())


# -- one process per SQLite file ------------------------------------------------------------


def test_a_second_process_on_one_sqlite_file_stops_with_one_clear_line(tmp_path: Path) -> None:
    import subprocess
    import sys
    import textwrap

    path = tmp_path / "bot.sqlite3"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import asyncio, sys
                from bot.storage import open_database
                async def main():
                    async with open_database("sqlite:///{path}"):
                        print("open", flush=True)
                        sys.stdin.readline()
                asyncio.run(main())
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        env = {"PATH": "/usr/bin:/bin", "DATABASE_PATH": str(path)}
        second = subprocess.run(
            [sys.executable, "-m", "app", "migrate"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            cwd=tmp_path,
        )
        assert second.returncode == 1
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1, second.stderr
        assert "in use by another Track Two process" in lines[0] and f"pid {holder.pid}" in lines[0]
    finally:
        holder.communicate("\n", timeout=30)
    # the holder ended: the file is free again
    again = subprocess.run(
        [sys.executable, "-m", "app", "migrate"],
        env={"PATH": "/usr/bin:/bin", "DATABASE_PATH": str(path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert again.returncode == 0, again.stderr


# -- work that must happen once: leases and outbox claims -----------------------------------


async def test_a_lease_has_one_holder_and_passes_on_when_it_lapses(database: Storage) -> None:
    from bot.leases import Leases
    from bot.storage.leases import LeaseStore

    first, second = Leases(LeaseStore(database), "p1"), Leases(LeaseStore(database), "p2")
    if dialect(database) == "sqlite":
        # one process per file: a lease under another name is this bot's own from before a
        # restart (under another name, e.g. its shards changed), so it is taken over at once
        assert await first.hold("retention", seconds=60)
        assert await second.hold("retention", seconds=60)
        assert await first.holder_of("retention") == second.holder
        return
    assert await first.hold("retention", seconds=60)
    assert not await second.hold("retention", seconds=60)
    assert await first.hold("retention", seconds=60)  # renewing is holding
    assert await first.holder_of("retention") == first.holder
    # the holder dies: it stops renewing, the lease lapses, the other takes it over
    await database.execute(
        "UPDATE leases SET expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 seconds')"
    )
    assert await second.hold("retention", seconds=60)
    assert not await first.hold("retention", seconds=60)
    await second.release("retention")
    assert await first.hold("retention", seconds=60)


async def _pending_rows(db: Storage, guilds: list[int]) -> None:
    for guild in guilds:
        await db.execute("INSERT INTO outbox (guild_id, kind) VALUES (?, 'refresh')", (guild,))


async def test_outbox_claims_are_exclusive_and_lapse(database: Storage) -> None:
    store = ReplyStore(database)
    await _pending_rows(database, [GUILD] * 5)
    mine = await store.claim_outbox("a", limit=3)
    theirs = await store.claim_outbox("b", limit=10)
    assert [i.id for i in mine] == [1, 2, 3] and [i.id for i in theirs] == [4, 5]
    assert await store.claim_outbox("c") == []
    # "a" restarted: the same process takes its claims back at once
    assert [i.id for i in await store.claim_outbox("a")] == [1, 2, 3]
    await store.retry_later(mine[0].id, "HTTP 500", 0)  # a failed row is free to retry
    assert [i.id for i in await store.claim_outbox("c")] == [mine[0].id]
    assert [i.id for i in await store.claim_outbox("a")] == [2, 3]
    await database.execute(
        "UPDATE outbox SET claimed_until = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 seconds') "
        "WHERE claimed_by = 'b'"
    )  # b died
    assert [i.id for i in await store.claim_outbox("c")] == [1, 4, 5]  # its own 1, and b's


async def test_outbox_claims_follow_the_shards(database: Storage) -> None:
    store = ReplyStore(database)
    guilds = [(n << 22) | 7 for n in range(8)]  # shard (id >> 22) % 4 = n % 4
    await _pending_rows(database, guilds)
    got = await store.claim_outbox("p1", shard_count=4, shard_ids=(1, 3))
    assert sorted(i.guild_id >> 22 for i in got) == [1, 3, 5, 7]
    rest = await store.claim_outbox("p0", shard_count=4, shard_ids=(0, 2))
    assert sorted(i.guild_id >> 22 for i in rest) == [0, 2, 4, 6]


async def test_two_publishers_on_postgresql_never_claim_one_row() -> None:
    async with (
        scratch_schema() as url,
        PostgresDatabase(url) as first,
        PostgresDatabase(url) as second,
    ):
        await migrate(first)
        await _pending_rows(first, [GUILD] * 200)
        stores = [ReplyStore(first), ReplyStore(second)]
        claimed: list[list[int]] = [[], [], [], []]

        async def publisher(n: int) -> None:
            """One publisher per process (holder), each working what it claimed."""
            store = stores[n % 2]
            while batch := await store.claim_outbox(f"p{n}", limit=7):
                claimed[n] += [i.id for i in batch]
                for item in batch:
                    await store.complete(item.id)

        async with asyncio.timeout(60):
            await asyncio.gather(*(publisher(n) for n in range(4)))
        every = sorted(i for ids in claimed for i in ids)
        assert every == list(range(1, 201))  # each row exactly once
        assert all(claimed)


async def test_a_schedule_slot_is_claimed_by_one_process(services: Services) -> None:
    from datetime import timedelta

    rounds = services.rounds
    set_at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    schedule = await rounds.set_schedule(GUILD, 24, "10:00", set_at)
    now = schedule.next_run_at + timedelta(minutes=1)
    results = await asyncio.gather(*(rounds.claim_run(schedule, now) for _ in range(5)))
    assert sum(r is not None for r in results) == 1


async def test_caches_see_another_process_write_on_postgresql(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Memberships are cached; on PostgreSQL a change written by another process shows within
    the cache's lifetime."""
    from bot.storage import cache

    monkeypatch.setattr(cache, "SHARED_TTL", 0.2)
    async with (
        scratch_schema() as url,
        PostgresDatabase(url) as first,
        PostgresDatabase(url) as second,
    ):
        await migrate(first)
        here, there = CommunityStore(first), CommunityStore(second)
        one = await here.add(GUILD, "One", 1)
        two = await here.add(GUILD, "Two", 2)
        await here.set_membership(GUILD, 42, one)
        assert (await here.membership(GUILD, 42)).id == one.id
        await there.set_membership(GUILD, 42, two)  # another process moves the member
        await asyncio.sleep(0.3)
        assert (await here.membership(GUILD, 42)).id == two.id


async def test_expiries_are_done_by_the_process_serving_the_server(services: Services) -> None:
    from datetime import timedelta

    past = datetime.now(UTC) - timedelta(minutes=1)
    for guild in (GUILD, GUILD + 1):
        await services.moderation.create_case(
            guild, NewCase(CaseType.WARNING, 1, target_id=7, reason="r", expires_at=past)
        )
    mine = await services.moderation.expire_due(owned=lambda g: g == GUILD)
    assert [c.guild_id for c in mine] == [GUILD]
    assert await services.moderation.expire_due(owned=lambda g: g == GUILD) == []  # once
    theirs = await services.moderation.expire_due(owned=lambda g: g == GUILD + 1)
    assert [c.guild_id for c in theirs] == [GUILD + 1]


async def test_postgresql_statements_join_their_tasks_transaction_only() -> None:
    """Inside a transaction the task's db.* statements see its uncommitted writes (and a
    nested transaction is a savepoint); a task started inside it does not join it."""
    async with scratch_schema() as url, PostgresDatabase(url) as db:
        await migrate(db)
        seen_by_child: list[int] = []
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO bot_state (key, value) VALUES ('a', '1')")
            assert await db.fetchval("SELECT COUNT(*) FROM bot_state") == 1  # joined
            with pytest.raises(RuntimeError):
                async with db.transaction() as inner:  # a savepoint, rolled back alone
                    await inner.execute("INSERT INTO bot_state (key, value) VALUES ('b', '2')")
                    raise RuntimeError("undo b")

            async def child() -> None:
                seen_by_child.append(int(await db.fetchval("SELECT COUNT(*) FROM bot_state")))

            await asyncio.create_task(child())
        assert seen_by_child == [0]  # the child read outside the uncommitted transaction
        assert [r[0] for r in await db.fetchall("SELECT key FROM bot_state")] == ["a"]
