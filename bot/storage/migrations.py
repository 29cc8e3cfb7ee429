"""Numbered SQL migrations, each in its own transaction, with checksums, on both engines.

Files are ``migrations/NNNN_description.sql`` (package data of the ``migrations`` package),
shared by both engines, and ``migrations/<engine>/NNNN_description.sql`` (``sqlite`` or
``postgresql``), which replaces the shared file of its number for that engine. Every number
exists for every engine (shared, or one file per engine), so both schemas move in step.
An applied migration whose file changed stops startup, naming the file: the schema on disk
would no longer be the one the code was written for.

A migration may have a data step in Python (:data:`DATA_STEPS`), run after its SQL in the same
transaction: Unicode case folding, for one, is not something SQLite's SQL can do.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

import asyncpg

from bot.storage.engine import (
    DIALECTS,
    POSTGRESQL,
    SQLITE,
    Storage,
    TxConnection,
    dialect,
    table_exists,
)
from bot.storage.folding import fold_name
from bot.storage.postgres import PgConnection

log = logging.getLogger(__name__)

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


def _read(folder: Traversable | Path, label: str) -> dict[int, Migration]:
    found: dict[int, Migration] = {}
    if not folder.is_dir():
        return found
    for entry in folder.iterdir():
        if not entry.name.endswith(".sql"):
            continue
        match = MIGRATION_NAME.match(entry.name)
        if match is None:
            raise MigrationError(
                f"migration file {label}{entry.name} is not named NNNN_description.sql"
            )
        version = int(match.group(1))
        if version in found:
            raise MigrationError(
                f"two migrations share number {version:04d}: "
                f"{label}{found[version].name}, {label}{entry.name}"
            )
        found[version] = Migration(version, entry.name, entry.read_text(encoding="utf-8"))
    return found


def load_migrations(directory: Path | None = None, engine: str = SQLITE) -> list[Migration]:
    """The migrations for ``engine``: shared files, each replaced by the engine's own file of
    the same number when there is one."""
    root: Traversable | Path = resources.files("migrations") if directory is None else directory
    shared = _read(root, "")
    own = {name: _read(root / name, f"{name}/") for name in DIALECTS}
    for name, files in own.items():
        for version, migration in files.items():
            for other in DIALECTS:
                if other != name and version not in shared and version not in own[other]:
                    raise MigrationError(
                        f"migration {name}/{migration.name} has no {other} edition and no "
                        f"shared file: add {other}/{migration.name} or a shared one"
                    )
    merged = {**shared, **own[engine]}
    return [merged[v] for v in sorted(merged)]


_BOOKKEEPING = {
    SQLITE: """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)
""",
    POSTGRESQL: """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TEXT NOT NULL
        DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
)
""",
}
# Two processes starting at once on one PostgreSQL server: each migration (and the
# bookkeeping table) is written under this transaction-level advisory lock, and re-checked.
_PG_MIGRATION_LOCK = 0x7472_6B32  # "trk2"


async def _fold_community_names(conn: TxConnection) -> None:
    """0012: fill ``communities.name_key``. Names that fold to one key in a server (the
    duplicates COLLATE NOCASE let in) keep their rows; the later ones get ``key#id``."""
    rows = await conn.execute_fetchall(
        "SELECT id, guild_id, name FROM communities ORDER BY guild_id, id"
    )
    taken: set[tuple[int, str]] = set()
    for row in rows:
        key = fold_name(row["name"])
        if (row["guild_id"], key) in taken:
            log.warning(
                "community %s in server %s folds to the name of an earlier one; its key is "
                "made unique, rename it",
                row["id"],
                row["guild_id"],
            )
            key = f"{key}#{row['id']}"
        taken.add((row["guild_id"], key))
        await conn.execute("UPDATE communities SET name_key = ? WHERE id = ?", (key, row["id"]))


DATA_STEPS: dict[int, Callable[[TxConnection], Awaitable[None]]] = {
    12: _fold_community_names,
}


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


async def _lock(conn: TxConnection, engine: str) -> None:
    if engine == POSTGRESQL:
        await conn.execute("SELECT pg_advisory_xact_lock(?)", (_PG_MIGRATION_LOCK,))


async def _run_script(conn: TxConnection, engine: str, sql: str) -> None:
    if engine == POSTGRESQL:
        # the whole file at once (simple protocol): function bodies hold semicolons
        if any(line.strip() and not line.strip().startswith("--") for line in sql.splitlines()):
            assert isinstance(conn, PgConnection)
            await conn.raw.execute(sql)
        return
    for statement in _statements(sql):
        await conn.execute(statement)


_ERRORS = (sqlite3.Error, asyncpg.PostgresError)


async def _applied(db: Storage) -> dict[int, tuple[str, str]]:
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


async def pending_migrations(db: Storage, directory: Path | None = None) -> list[str]:
    """The names ``migrate`` would apply, read without writing (works on a read-only
    connection, and on a database that has never been migrated)."""
    engine = dialect(db)
    migrations = load_migrations(directory, engine)
    applied = await _applied(db) if await table_exists(db, "schema_migrations") else {}
    return [m.name for m in _unapplied(migrations, applied)]


async def migrate(db: Storage, directory: Path | None = None) -> list[str]:
    """Apply pending migrations in order; return the names applied."""
    engine = dialect(db)
    migrations = load_migrations(directory, engine)
    async with db.transaction() as conn:
        await _lock(conn, engine)
        await conn.execute(_BOOKKEEPING[engine])
    done: list[str] = []
    for migration in _unapplied(migrations, await _applied(db)):
        try:
            async with db.transaction() as conn:
                await _lock(conn, engine)
                async with conn.execute(
                    "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)
                ) as cursor:
                    if await cursor.fetchone() is not None:
                        continue  # another process applied it meanwhile
                await _run_script(conn, engine, migration.sql)
                step = DATA_STEPS.get(migration.version)
                if step is not None:
                    await step(conn)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)",
                    (migration.version, migration.name, migration.checksum),
                )
        except _ERRORS as exc:
            raise MigrationError(
                f"migration {migration.name} failed and was rolled back: {exc}"
            ) from exc
        done.append(migration.name)
    return done


async def schema_version(db: Storage) -> int:
    value = await db.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
    return int(value or 0)
