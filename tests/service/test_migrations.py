from __future__ import annotations

from pathlib import Path

import pytest

from bot.storage import Database, MigrationError, migrate
from bot.storage.migrations import load_migrations, schema_version

SHIPPED = Path(__file__).resolve().parents[2] / "migrations"


def write(directory: Path, name: str, sql: str) -> None:
    (directory / name).write_text(sql, encoding="utf-8")


async def test_shipped_migrations_apply_in_order_and_are_idempotent(tmp_path: Path) -> None:
    async with Database(tmp_path / "db.sqlite3") as db:
        applied = await migrate(db)
        assert applied == [m.name for m in load_migrations()]
        assert applied == sorted(applied)
        assert await migrate(db) == []
        assert await schema_version(db) == load_migrations()[-1].version


async def test_pragmas_are_set(tmp_path: Path) -> None:
    async with Database(tmp_path / "db.sqlite3") as db:
        assert await db.fetchval("PRAGMA journal_mode") == "wal"
        assert await db.fetchval("PRAGMA foreign_keys") == 1
        assert await db.fetchval("PRAGMA busy_timeout") == 5000
        assert await db.fetchval("PRAGMA synchronous") == 1  # NORMAL


async def test_order_follows_numbers_not_file_system(tmp_path: Path) -> None:
    migrations = tmp_path / "m"
    migrations.mkdir()
    write(migrations, "0002_second.sql", "INSERT INTO t (v) VALUES ('second');")
    write(
        migrations,
        "0001_first.sql",
        "CREATE TABLE t (v TEXT);\nINSERT INTO t (v) VALUES ('first');",
    )
    async with Database(tmp_path / "db.sqlite3") as db:
        assert await migrate(db, migrations) == ["0001_first.sql", "0002_second.sql"]
        rows = await db.fetchall("SELECT v FROM t ORDER BY rowid")
        assert [r["v"] for r in rows] == ["first", "second"]


async def test_edited_migration_is_refused_by_name(tmp_path: Path) -> None:
    migrations = tmp_path / "m"
    migrations.mkdir()
    write(migrations, "0001_first.sql", "CREATE TABLE t (v TEXT);")
    async with Database(tmp_path / "db.sqlite3") as db:
        await migrate(db, migrations)
    write(migrations, "0001_first.sql", "CREATE TABLE t (v TEXT, w TEXT);")
    async with Database(tmp_path / "db.sqlite3") as db:
        with pytest.raises(MigrationError, match="0001_first.sql was edited"):
            await migrate(db, migrations)


async def test_failing_migration_rolls_back_to_previous_version(tmp_path: Path) -> None:
    migrations = tmp_path / "m"
    migrations.mkdir()
    write(migrations, "0001_first.sql", "CREATE TABLE t (v TEXT);")
    write(
        migrations,
        "0002_broken.sql",
        "CREATE TABLE u (v TEXT);\nINSERT INTO t (v) VALUES ('x');\n"
        "INSERT INTO nowhere VALUES (1);",
    )
    async with Database(tmp_path / "db.sqlite3") as db:
        with pytest.raises(MigrationError, match="0002_broken.sql failed and was rolled back"):
            await migrate(db, migrations)
        assert await schema_version(db) == 1
        assert await db.fetchval("SELECT COUNT(*) FROM t") == 0
        assert await db.fetchval("SELECT name FROM sqlite_master WHERE name = 'u'") is None


async def test_badly_named_migration_is_refused(tmp_path: Path) -> None:
    migrations = tmp_path / "m"
    migrations.mkdir()
    write(migrations, "first.sql", "SELECT 1;")
    with pytest.raises(MigrationError, match="first.sql is not named"):
        load_migrations(migrations)


async def test_triggers_with_inner_semicolons_apply(tmp_path: Path) -> None:
    migrations = tmp_path / "m"
    migrations.mkdir()
    write(
        migrations,
        "0001_trigger.sql",
        "CREATE TABLE t (v TEXT);\nCREATE TABLE log (v TEXT);\n"
        "CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN\n  INSERT INTO log VALUES (new.v);\nEND;\n"
        "-- trailing comment\n",
    )
    async with Database(tmp_path / "db.sqlite3") as db:
        await migrate(db, migrations)
        await db.execute("INSERT INTO t VALUES ('a')")
        assert await db.fetchval("SELECT v FROM log") == "a"


async def test_queue_keys_become_readable(tmp_path: Path) -> None:
    """0014 rewrites the stored one-letter keys (r:, p:, a:, c:) as held:, report:, appeal:,
    paired:, and leaves today's keys alone."""
    earlier = tmp_path / "before"
    for sub in ("", "sqlite", "postgresql"):
        (earlier / sub).mkdir(parents=True, exist_ok=True)
        for f in (SHIPPED / sub).glob("*.sql"):
            if int(f.name[:4]) < 14:
                write(earlier / sub, f.name, f.read_text(encoding="utf-8"))
    async with Database(tmp_path / "db.sqlite3") as db:
        await migrate(db, earlier)
        for key in ("r:1", "p:2", "a:3", "c:4", "held:5"):
            await db.execute(
                "INSERT INTO queue_resolutions (guild_id, item_key, action, resolved_by, "
                "resolved_at) VALUES (1, ?, 'approved', 9, '2026-01-01T00:00:00.000Z')",
                (key,),
            )
            await db.execute(
                "INSERT INTO queue_announcements (guild_id, item_key) VALUES (1, ?)", (key,)
            )
        assert await migrate(db) == ["0014_readable_queue_keys.sql"]
        expected = ["appeal:3", "held:1", "held:5", "paired:4", "report:2"]
        for table in ("queue_resolutions", "queue_announcements"):
            rows = await db.fetchall(f"SELECT item_key FROM {table} ORDER BY item_key")
            assert [r[0] for r in rows] == expected
