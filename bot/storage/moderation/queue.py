"""The moderation queue: which items wait for a moderator, who claimed one, and its post in
the mod channel. The queue's SQL is generated from :class:`ItemKind`, the one definition of
the item kinds and their keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.moderation.models import ItemKind, PairedAction
from bot.storage.engine import Storage, TxConnection
from bot.storage.moderation._rows import from_text, paired_of

# Where each kind of item comes from: (its id, when it was queued, FROM … WHERE …). ``?1`` is
# the guild. A new kind of item is added here and to ItemKind, and nowhere else.
_SOURCES: dict[ItemKind, tuple[str, str, str]] = {
    ItemKind.HELD: (
        "r.id",
        "r.updated_at",
        "FROM replies r JOIN rounds ro ON ro.id = r.round_id "
        "WHERE ro.guild_id = ?1 AND r.status = 'held'",
    ),
    ItemKind.REPORT: (
        "MIN(id)",
        "MIN(created_at)",
        "FROM reports WHERE guild_id = ?1 AND status = 'open' "
        "GROUP BY COALESCE(reply_id, 0), COALESCE(message_id, 0)",
    ),
    ItemKind.APPEAL: ("id", "created_at", "FROM appeals WHERE guild_id = ?1 AND status = 'open'"),
    ItemKind.PAIRED: (
        "id",
        "created_at",
        "FROM paired_actions WHERE guild_id = ?1 AND status = 'waiting'",
    ),
}


def _queue_sql() -> str:
    assert set(_SOURCES) == set(ItemKind), "every item kind needs its source"
    selects = []
    for kind, (ident, at, rest) in _SOURCES.items():
        assert kind.value.isalpha()  # pasted into SQL as a literal
        selects.append(f"SELECT '{kind.value}:' || {ident} AS key, {at} AS at {rest}")
    union = "\n    UNION ALL\n    ".join(selects)
    return (
        f"SELECT key, at FROM (\n    {union}\n) AS queue "
        "WHERE key NOT IN (SELECT item_key FROM queue_resolutions WHERE guild_id = ?1)\n"
        "ORDER BY at, key"
    )


QUEUE_SQL = _queue_sql()


class ClaimTaken(Exception):
    """Another moderator resolved the item first; nothing of this decision was written."""

    def __init__(self, resolution: Resolution) -> None:
        super().__init__(resolution.action)
        self.resolution = resolution


@dataclass(frozen=True, slots=True)
class Resolution:
    """Who resolved a queue item, how, and when."""

    action: str
    resolved_by: int
    resolved_at: datetime


async def claim_in(
    conn: TxConnection, guild_id: int, key: str, action: str, by: int, at: str
) -> None:
    """Claim ``key`` inside the caller's transaction; the first claim wins, a later one raises
    :class:`ClaimTaken` naming the earlier."""
    cursor = await conn.execute(
        "INSERT INTO queue_resolutions (guild_id, item_key, action, resolved_by, "
        "resolved_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (guild_id, key, action, by, at),
    )
    if cursor.rowcount == 1:
        return
    async with conn.execute(
        "SELECT action, resolved_by, resolved_at FROM queue_resolutions "
        "WHERE guild_id = ? AND item_key = ?",
        (guild_id, key),
    ) as cur:
        row = await cur.fetchone()
    assert row is not None
    raise ClaimTaken(Resolution(row[0], row[1], from_text(row[2])))


async def release_in(conn: TxConnection, guild_id: int, key: str) -> None:
    """The item is open again: forget who claimed it and that it was announced."""
    for table in ("queue_resolutions", "queue_announcements"):
        await conn.execute(
            f"DELETE FROM {table} WHERE guild_id = ? AND item_key = ?", (guild_id, key)
        )


class QueueStore:
    def __init__(self, db: Storage) -> None:
        self._db = db

    async def pending_keys(self, guild_id: int) -> list[tuple[str, datetime]]:
        """Keys of the items waiting in ``guild_id``, oldest first, with when they came in."""
        rows = await self._db.fetchall(QUEUE_SQL, (guild_id,))
        return [(r["key"], from_text(r["at"])) for r in rows]

    async def paired(self, paired_id: int) -> PairedAction | None:
        row = await self._db.fetchone("SELECT * FROM paired_actions WHERE id = ?", (paired_id,))
        return None if row is None else paired_of(row)

    async def unannounced(self) -> list[tuple[int, str]]:
        """(guild, key) of pending items never posted to a mod channel, across guilds."""
        guilds = await self._db.fetchall(
            "SELECT DISTINCT ro.guild_id FROM replies r JOIN rounds ro ON ro.id = r.round_id "
            "WHERE r.status = 'held' UNION SELECT guild_id FROM reports WHERE status = 'open' "
            "UNION SELECT guild_id FROM appeals WHERE status = 'open' "
            "UNION SELECT guild_id FROM paired_actions WHERE status = 'waiting'"
        )
        found: list[tuple[int, str]] = []
        for (guild_id,) in guilds:
            announced = {
                r[0]
                for r in await self._db.fetchall(
                    "SELECT item_key FROM queue_announcements WHERE guild_id = ?", (guild_id,)
                )
            }
            found.extend(
                (guild_id, key)
                for key, _ in await self.pending_keys(guild_id)
                if key not in announced
            )
        return found

    async def claim_announcement(self, guild_id: int, key: str) -> bool:
        """True for the one caller that should post this item to the mod channel."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO queue_announcements (guild_id, item_key) VALUES (?, ?) "
                "ON CONFLICT DO NOTHING",
                (guild_id, key),
            )
            return cursor.rowcount == 1

    async def set_announcement(self, guild_id: int, key: str, message_id: int) -> None:
        await self._db.execute(
            "UPDATE queue_announcements SET message_id = ? WHERE guild_id = ? AND item_key = ?",
            (message_id, guild_id, key),
        )

    async def announcement(self, guild_id: int, key: str) -> int | None:
        value = await self._db.fetchval(
            "SELECT message_id FROM queue_announcements WHERE guild_id = ? AND item_key = ?",
            (guild_id, key),
        )
        return None if value is None else int(value)
