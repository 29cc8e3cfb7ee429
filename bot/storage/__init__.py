"""Storage: the database engines (SQLite, PostgreSQL) and the migration runner. All SQL lives
under here."""

from bot.storage.database import Database, StorageError
from bot.storage.engine import IntegrityError, Storage, dialect
from bot.storage.migrations import MigrationError, migrate
from bot.storage.opening import open_database

__all__ = [
    "Database",
    "IntegrityError",
    "MigrationError",
    "Storage",
    "StorageError",
    "dialect",
    "migrate",
    "open_database",
]
