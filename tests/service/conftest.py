"""The service suite runs on both engines: every test that takes ``services`` (or ``database``)
runs once on SQLite (a file in tmp_path) and once on PostgreSQL (a fresh schema on the server
in TEST_DATABASE_URL, dropped afterwards; skipped, with the reason, when it is unset)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from app.services import build_services
from bot.services import Services
from bot.settings import Settings
from bot.storage import Database, Storage, dialect, migrate
from tests.pg import scratch_postgres
from tests.service.store_checks import instrument

GUILD = 111111111111111111

ENGINES = ("sqlite", "postgresql")


@pytest.fixture(autouse=True)
def store_returns(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every store call of the test is checked: models and aware UTC datetimes, never driver
    rows or timestamp text (tests/service/store_checks.py); the test fails if one broke it."""
    found: list[str] = []
    instrument(monkeypatch.setattr, found)
    yield found
    if found:
        unique = list(dict.fromkeys(found))
        pytest.fail(
            "stores returned rows or timestamp text (map rows to models or "
            "bot.storage.engine.record(), times through to_datetime; see "
            "bot/storage/README.md):\n" + "\n".join(unique[:20])
        )


@pytest.fixture(params=ENGINES)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Storage]:
    """An empty, migrated database on the engine of this run."""
    if request.param == "sqlite":
        async with Database(tmp_path / "db.sqlite3") as db:
            await migrate(db)
            yield db
        return
    async with scratch_postgres() as db:
        await migrate(db)
        yield db


@pytest.fixture
async def services(database: Storage, tmp_path: Path) -> AsyncIterator[Services]:
    settings = Settings(database_path=tmp_path / "db.sqlite3")
    built = build_services(settings, database)
    await built.packs.seed_builtin()
    yield built


async def table_names(db: Storage) -> list[str]:
    """Every table of the schema (bookkeeping included), on either engine."""
    if dialect(db) == "sqlite":
        rows = await db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    else:
        rows = await db.fetchall(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() ORDER BY table_name"
        )
    return [r[0] for r in rows]


async def column_names(db: Storage, table: str) -> list[str]:
    """The columns of ``table`` in their order, on either engine."""
    if dialect(db) == "sqlite":
        return [r[1] for r in await db.fetchall(f"PRAGMA table_info({table})")]
    rows = await db.fetchall(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
        (table,),
    )
    return [r[0] for r in rows]
