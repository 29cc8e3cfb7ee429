"""``tracktwo copy-database``: SQLite → PostgreSQL → SQLite without loss, checked row by row."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services import build_services
from bot.settings import Settings
from bot.storage import Database, migrate
from bot.storage.copy import CopyError, checksum, columns, copy_database, tables
from tests.pg import scratch_postgres

from .conftest import GUILD
from .test_privacy_at_rest import dialogue


async def _snapshot(db: Database) -> dict[str, tuple[int, str]]:
    found = {}
    for table in await tables(db):
        cols = await columns(db, table)
        rows = [tuple(r) for r in await db.fetchall(f"SELECT {', '.join(cols)} FROM {table}")]
        found[table] = checksum(rows)
    return found


async def test_sqlite_to_postgresql_and_back_keeps_every_row(tmp_path: Path) -> None:
    settings = Settings(database_path=tmp_path / "first.sqlite3")
    async with Database(tmp_path / "first.sqlite3") as first:
        await migrate(first)
        services = build_services(settings, first)
        await services.packs.seed_builtin()
        await dialogue(services)  # communities, rounds, replies, edits, endorsements, outbox
        await services.communities.add(GUILD, "Русские", 777)
        before = await _snapshot(first)
        assert before["replies"][0] == 6 and before["reply_edits"][0] == 1

        async with scratch_postgres() as pg:
            reports = await copy_database(first, pg)
            assert {r.table: (r.rows, r.checksum) for r in reports} == before
            # identities continue after the copied ids
            last = await pg.fetchval("SELECT MAX(id) FROM communities")
            new_id = await pg.execute(
                "INSERT INTO communities (guild_id, name, name_key, role_id) VALUES (?,?,?,?)",
                (GUILD + 1, "x", "x", 1),
            )
            assert new_id == last + 1
            await pg.execute("DELETE FROM communities WHERE id = ?", (new_id,))
            # a second copy into the now full database is refused, naming the table
            with pytest.raises(CopyError, match="already has rows in"):
                await copy_database(first, pg)

            async with Database(tmp_path / "back.sqlite3") as back:
                await copy_database(pg, back)
                assert await _snapshot(back) == before


async def test_one_server_only(tmp_path: Path) -> None:
    settings = Settings(database_path=tmp_path / "a.sqlite3")
    async with Database(tmp_path / "a.sqlite3") as source:
        await migrate(source)
        services = build_services(settings, source)
        await services.packs.seed_builtin()
        await dialogue(services)
        await services.communities.add(GUILD + 5, "Other server", 778)
        async with scratch_postgres() as pg:
            reports = {r.table: r.rows for r in await copy_database(source, pg, GUILD)}
            assert reports["replies"] == 6
            names = [r[0] for r in await pg.fetchall("SELECT name FROM communities")]
            assert "Other server" not in names and names
            assert "member_languages" not in reports  # keyed by an HMAC: not a server's
