"""``tracktwo migrate``, ``check-config`` and ``copy-database`` on both engines, as processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings
from bot.storage import Database, migrate
from tests.pg import scratch_schema
from tests.unit.test_cli import run_cli


async def test_migrate_and_check_config_on_postgresql(tmp_path: Path) -> None:
    async with scratch_schema() as url:
        env = {"DATABASE_URL": url}
        first = run_cli("migrate", env=env, cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        assert "0001_foundation.sql" in first.stdout and "0012_folded_names.sql" in first.stdout
        assert run_cli("migrate", env=env, cwd=tmp_path).stdout.strip() == (
            "applied 0 migration(s)"
        )
        checked = run_cli("check-config", env=env, cwd=tmp_path)
        assert checked.returncode == 0, checked.stderr
        assert "configuration ok" in checked.stdout and "postgresql://" in checked.stdout


def test_check_config_names_an_unreachable_server_in_one_line(tmp_path: Path) -> None:
    env = {"DATABASE_URL": "postgresql://bot:s3cret-pw@127.0.0.1:1/tracktwo"}
    result = run_cli("check-config", env=env, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DATABASE_URL" in lines[0], result.stderr
    assert "s3cret-pw" not in result.stderr + result.stdout


async def test_copy_database_command_sqlite_to_postgresql_and_back(tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    back = f"sqlite:///{tmp_path / 'b.sqlite3'}"
    async with Database(tmp_path / "a.sqlite3") as db:
        await migrate(db)
        await db.execute(
            "INSERT INTO communities (guild_id, name, name_key, role_id) VALUES (?, ?, ?, ?)",
            (1, "Հայեր", "հայեր", 10),
        )
        await db.execute("INSERT INTO bot_state (key, value) VALUES ('k', 'v')")
    async with scratch_schema() as url:
        there = run_cli("copy-database", source, url, env={}, cwd=tmp_path)
        assert there.returncode == 0, there.stderr
        assert "communities: 1 rows" in there.stdout and "copied and verified" in there.stdout
        again = run_cli("copy-database", source, url, env={}, cwd=tmp_path)
        assert again.returncode == 1
        assert "already has rows in bot_state" in again.stderr
        home = run_cli("copy-database", url, back, env={}, cwd=tmp_path)
        assert home.returncode == 0, home.stderr
    async with Database(tmp_path / "b.sqlite3") as db:
        row = await db.fetchone("SELECT name, name_key, role_id FROM communities")
        assert tuple(row) == ("Հայեր", "հայեր", 10)


def test_database_url_and_shard_settings(tmp_path: Path) -> None:
    settings = load_settings({"DATABASE_URL": "sqlite:///x/db.sqlite3"}, env_file=None)
    assert settings.database_path == Path("x/db.sqlite3")
    assert settings.database.dialect == "sqlite"
    default = load_settings({"DATABASE_PATH": str(tmp_path / "d.db")}, env_file=None)
    assert default.database.path == tmp_path / "d.db"
    pg = load_settings(
        {
            "DATABASE_URL": "postgresql://u:pw@127.0.0.1/t",
            "SHARD_COUNT": "4",
            "SHARD_IDS": "2,3",
            "PSEUDONYM_SECRET": "s" * 32,
        },
        env_file=None,
    )
    assert pg.database.dialect == "postgresql" and "pw" not in str(pg)
    assert pg.shard_count == 4 and pg.shard_ids == (2, 3) and not pg.owns_direct_messages
    assert load_settings({"SHARD_COUNT": "2"}, env_file=None).shard_ids == (0, 1)
    for bad in (
        {"DATABASE_URL": "mysql://x/y"},
        {"SHARD_IDS": "0"},
        {"SHARD_COUNT": "2", "SHARD_IDS": "2"},
        {"SHARD_COUNT": "zero"},
        {"SHARD_COUNT": "2", "SHARD_IDS": "1"},  # some shards only, no shared secret
    ):
        with pytest.raises(SettingsError):
            load_settings(bad, env_file=None)


async def test_the_bot_runs_the_shards_it_is_given(tmp_path: Path) -> None:
    from discord.ext import commands

    from app.startup import TrackTwoBot
    from bot.settings import Settings

    settings = Settings(database_path=tmp_path / "db.sqlite3", shard_count=4, shard_ids=(2, 3))
    bot = TrackTwoBot(settings, extensions=[])
    assert isinstance(bot, commands.AutoShardedBot)
    assert (bot.shard_count, bot.shard_ids) == (4, [2, 3])
    assert not settings.owns_direct_messages  # shard 0, where DMs arrive, runs elsewhere
    await bot.close()  # never started: closes cleanly
