"""Numbered SQL migrations, each in its own transaction, with checksums.

Files are ``migrations/NNNN_description.sql`` (package data of the ``migrations`` package).
An applied migration whose file changed stops startup, naming the file: the schema on disk
would no longer be the one the code was written for.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from bot.storage.database import Database

MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


def load_migrations(directory: Path | None = None) -> list[Migration]:
    if directory is None:
        files = [
            (entry.name, entry.read_text(encoding="utf-8"))
            for entry in resources.files("migrations").iterdir()
            if entry.name.endswith(".sql")
        ]
    else:
        files = [(p.name, p.read_text(encoding="utf-8")) for p in directory.glob("*.sql")]
    found: dict[int, Migration] = {}
    for name, sql in files:
        match = MIGRATION_NAME.match(name)
        if match is None:
            raise MigrationError(f"migration file {name} is not named NNNN_description.sql")
        version = int(match.group(1))
        if version in found:
            raise MigrationError(
                f"two migrations share number {version:04d}: {found[version].name}, {name}"
            )
        found[version] = Migration(version, name, sql)
    return [found[v] for v in sorted(found)]


_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)
"""


def _statements(sql: str) -> list[str]:
    """Split a script into complete statements (sqlite3.complete_statement knows triggers)."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in buffer.splitlines()
    ):
        raise MigrationError("a migration ends with an incomplete statement")
    return statements


async def _applied(db: Database) -> dict[int, tuple[str, str]]:
    return {
        row["version"]: (row["name"], row["checksum"])
        for row in await db.fetchall("SELECT version, name, checksum FROM schema_migrations")
    }


def _unapplied(migrations: list[Migration], applied: dict[int, tuple[str, str]]) -> list[Migration]:
    """The migrations not applied yet; an applied one whose file changed stops everything."""
    pending: list[Migration] = []
    for migration in migrations:
        if migration.version in applied:
            name, checksum = applied[migration.version]
            if checksum != migration.checksum:
                raise MigrationError(
                    f"migration {migration.name} was edited after it was applied "
                    f"(recorded as {name}); add a new migration instead of changing it"
                )
            continue
        pending.append(migration)
    return pending


async def pending_migrations(db: Database, directory: Path | None = None) -> list[str]:
    """The names ``migrate`` would apply, read without writing (works on a read-only
    connection, and on a database that has never been migrated)."""
    migrations = load_migrations(directory)
    exists = await db.fetchval(
        "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'"
    )
    applied = await _applied(db) if exists else {}
    return [m.name for m in _unapplied(migrations, applied)]


async def migrate(db: Database, directory: Path | None = None) -> list[str]:
    """Apply pending migrations in order; return the names applied."""
    migrations = load_migrations(directory)
    await db.conn.execute(_BOOKKEEPING)
    done: list[str] = []
    for migration in _unapplied(migrations, await _applied(db)):
        try:
            async with db.transaction() as conn:
                for statement in _statements(migration.sql):
                    await conn.execute(statement)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)",
                    (migration.version, migration.name, migration.checksum),
                )
        except sqlite3.Error as exc:
            raise MigrationError(
                f"migration {migration.name} failed and was rolled back: {exc}"
            ) from exc
        done.append(migration.name)
    return done


async def schema_version(db: Database) -> int:
    value = await db.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
    return int(value or 0)
