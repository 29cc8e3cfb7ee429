"""``tracktwo copy-database FROM TO``: every row (or one server's) from one engine to the other.

Both databases are migrated to the same version first; the target must hold none of the rows
being copied (a new, empty database: ids are kept as they are, so nothing that points at them
needs rewriting). Rows are written in one transaction on the target, tables in an order that
satisfies their foreign keys, and then checked table by table: the same number of rows and the
same checksum (SHA-256 over the rows in a canonical form, sorted in Python, so the engines'
collations do not matter). Any difference rolls nothing back silently: it is reported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.storage.engine import POSTGRESQL, SQLITE, Storage, dialect
from bot.storage.migrations import migrate, schema_version

# Parents before children. Tables a later migration adds and this list does not name yet are
# copied afterwards, in name order.
TABLE_ORDER = (
    "bot_state",
    "guild_settings",
    "packs",
    "excerpts",
    "communities",
    "community_members",
    "join_requests",
    "rounds",
    "round_participants",
    "replies",
    "reply_edits",
    "endorsements",
    "outbox",
    "prompt_schedules",
    "civility_policy",
    "civility_terms",
    "civility_allow",
    "civility_link_settings",
    "civility_link_domains",
    "moderation_settings",
    "reports",
    "queue_resolutions",
    "queue_announcements",
    "cases",
    "case_counters",
    "reason_edits",
    "pending_notices",
    "appeals",
    "paired_actions",
    "privacy_requests",
    "member_languages",
)
# Bookkeeping of the running processes (leases) and of the schema: not data to move.
NOT_COPIED = frozenset({"schema_migrations", "leases"})

# One server's rows, for tables without a guild_id column. None: not tied to a server in a
# way the database can see (keyed by an HMAC of the member), so not part of a server's copy.
_GUILD_FILTER: dict[str, str | None] = {
    "packs": "guild_id IS NULL OR guild_id = ?",
    "excerpts": "pack_id IN (SELECT id FROM packs WHERE guild_id IS NULL OR guild_id = ?)",
    "round_participants": "round_id IN (SELECT id FROM rounds WHERE guild_id = ?)",
    "replies": "round_id IN (SELECT id FROM rounds WHERE guild_id = ?)",
    "reply_edits": "reply_id IN (SELECT r.id FROM replies r JOIN rounds ro "
    "ON ro.id = r.round_id WHERE ro.guild_id = ?)",
    "endorsements": "reply_id IN (SELECT r.id FROM replies r JOIN rounds ro "
    "ON ro.id = r.round_id WHERE ro.guild_id = ?)",
    "reason_edits": "case_id IN (SELECT id FROM cases WHERE guild_id = ?)",
    "reply_changes": "reply_id IN (SELECT r.id FROM replies r JOIN rounds ro "
    "ON ro.id = r.round_id WHERE ro.guild_id = ?)",
    "bot_state": None,
    "privacy_requests": None,
    "member_languages": None,
    "agreement_acceptances": None,
}


class CopyError(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class TableReport:
    table: str
    rows: int
    checksum: str


async def tables(db: Storage) -> list[str]:
    if dialect(db) == SQLITE:
        rows = await db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        rows = await db.fetchall(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
    found = {r[0] for r in rows} - NOT_COPIED
    ordered = [t for t in TABLE_ORDER if t in found]
    return ordered + sorted(found - set(ordered))


async def columns(db: Storage, table: str) -> list[str]:
    if dialect(db) == SQLITE:
        return [r[1] for r in await db.fetchall(f"PRAGMA table_info({table})")]
    rows = await db.fetchall(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
        (table,),
    )
    return [r[0] for r in rows]


def _where(table: str, cols: list[str], guild_id: int | None) -> tuple[str, tuple[Any, ...]] | None:
    """The WHERE clause for one server's rows; None: the table is not part of the copy."""
    if guild_id is None:
        return "", ()
    if "guild_id" in cols and table != "packs":
        return " WHERE guild_id = ?", (guild_id,)
    if table in _GUILD_FILTER:
        clause = _GUILD_FILTER[table]
        return None if clause is None else (f" WHERE {clause}", (guild_id,))
    return None  # a table this module does not know how to tie to a server


def _canonical(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def checksum(rows: Iterable[tuple[Any, ...]]) -> tuple[int, str]:
    lines = sorted(repr(tuple(_canonical(v) for v in row)) for row in rows)
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return len(lines), digest.hexdigest()


async def _rows(
    db: Storage, table: str, cols: list[str], where: str, params: tuple[Any, ...]
) -> list[tuple[Any, ...]]:
    names = ", ".join(cols)
    return [tuple(r) for r in await db.fetchall(f"SELECT {names} FROM {table}{where}", params)]


async def copy_database(
    source: Storage, target: Storage, guild_id: int | None = None
) -> list[TableReport]:
    """Copy every row (or the rows of server ``guild_id``) from ``source`` to ``target``;
    return what was copied, per table, once it is verified on the target."""
    await migrate(source)
    await migrate(target)
    if await schema_version(source) != await schema_version(target):
        raise CopyError("the two databases are at different schema versions after migrating")
    plan: list[tuple[str, list[str], str, tuple[Any, ...]]] = []
    for table in await tables(source):
        cols = await columns(source, table)
        if cols != await columns(target, table):
            raise CopyError(f"table {table} has different columns on the two databases")
        found = _where(table, cols, guild_id)
        if found is None:
            continue
        plan.append((table, cols, *found))
        existing = await target.fetchval(f"SELECT COUNT(*) FROM {table}{found[0]}", found[1])
        if int(existing or 0):
            raise CopyError(
                f"the target already has rows in {table}: copy into a new, empty database"
            )
    expected: dict[str, tuple[int, str]] = {}
    async with target.transaction() as conn:
        for table, cols, where, params in plan:
            rows = await _rows(source, table, cols, where, params)
            expected[table] = checksum(rows)
            if rows:
                marks = ", ".join("?" for _ in cols)
                await conn.executemany(
                    f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", rows
                )
            if dialect(target) == POSTGRESQL and "id" in cols:
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 1), "
                    f"(SELECT MAX(id) FROM {table}) IS NOT NULL)"
                )
    reports: list[TableReport] = []
    for table, cols, where, params in plan:
        got = checksum(await _rows(target, table, cols, where, params))
        if got != expected[table]:
            raise CopyError(
                f"table {table}: {expected[table][0]} rows copied, {got[0]} found on the target, "
                "or their contents differ (checksums do not match)"
            )
        reports.append(TableReport(table, got[0], got[1]))
    return reports
