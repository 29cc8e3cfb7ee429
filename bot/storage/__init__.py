"""Storage: one aiosqlite connection and the migration runner. All SQL lives under here."""

from bot.storage.database import Database, StorageError
from bot.storage.migrations import MigrationError, migrate, pending_migrations

__all__ = ["Database", "MigrationError", "StorageError", "migrate", "pending_migrations"]
