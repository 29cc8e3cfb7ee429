"""Which engine a ``DATABASE_URL`` names: the one place that knows both (it sits above
:mod:`bot.storage.engine`, the seam both engines implement, so the seam imports neither)."""

from __future__ import annotations

from bot.storage.database import Database
from bot.storage.engine import POSTGRESQL, DatabaseUrl, Storage, parse_database_url
from bot.storage.postgres import PostgresDatabase
from bot.storage.single_writer import SingleWriterDatabase


def open_database(url: str | DatabaseUrl, *, single_writer: bool = True) -> Storage:
    """A (not yet opened) database for ``url``; ``await db.open()`` or ``async with``.

    A SQLite file is held by one process at a time (``single_writer``): a second process
    opening it gets one clear StorageError instead of a second writer."""
    parsed = url if isinstance(url, DatabaseUrl) else parse_database_url(url)
    if parsed.dialect == POSTGRESQL:
        return PostgresDatabase(parsed.url)
    assert parsed.path is not None
    if single_writer:
        return SingleWriterDatabase(parsed.path)
    return Database(parsed.path)
