from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.services import build_services
from bot.services import Services
from bot.settings import Settings
from bot.storage import Database, migrate

GUILD = 111111111111111111


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    settings = Settings(database_path=tmp_path / "db.sqlite3")
    db = Database(settings.database_path)
    await db.open()
    await migrate(db)
    built = build_services(settings, db)
    await built.packs.seed_builtin()
    yield built
    await db.close()
