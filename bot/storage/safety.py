"""Participant safety: what /mydata reads and erases, retention purges, request bookkeeping.

Replies and endorsements are found by their per-round keys, which only the service can compute;
this store never sees a member's id next to a key.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.storage.engine import (
    Storage,
    TxConnection,
    db_time,
    joined,
    maybe_datetime,
    record,
)

ERASED_KEY = "erased"  # the author key of a reply whose author was erased; never a hex HMAC
LAST_PURGE_KEY = "safety:last_purge_at"
CHUNK = 500  # well under SQLite's limit on bound parameters


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" for _ in values)


async def _rows(conn: TxConnection, sql: str, params: Sequence[Any]) -> list[Any]:
    async with conn.execute(sql, tuple(params)) as cursor:
        return list(await cursor.fetchall())


@dataclass(frozen=True, slots=True)
class Erasure:
    """Counts of what ``erase_member`` removed; ``unpublish`` are the reply ids kept (emptied)
    until the publisher has deleted their messages, with those messages' ids."""

    replies_deleted: int
    replies_unpublished: int
    endorsements_given: int
    join_requests: int
    message_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PurgeCounts:
    rounds: int = 0
    replies: int = 0
    endorsements: int = 0
    edits: int = 0
    participants: int = 0

    def __add__(self, other: PurgeCounts) -> PurgeCounts:
        return PurgeCounts(
            self.rounds + other.rounds,
            self.replies + other.replies,
            self.endorsements + other.endorsements,
            self.edits + other.edits,
            self.participants + other.participants,
        )


class SafetyStore:
    def __init__(self, db: Storage) -> None:
        self._db = db

    def transaction(self) -> AbstractAsyncContextManager[TxConnection]:
        """One unit of work for the writes of several stores, each given the ``conn`` this
        yields: all of them commit together, or none (``/mydata delete``)."""
        return self._db.transaction()

    # retention settings ----------------------------------------------------------------

    async def retention_days(self, guild_id: int) -> int | None:
        value = await self._db.fetchval(
            "SELECT retention_days FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        return None if value is None else int(value)

    async def set_retention_days(self, guild_id: int, days: int | None) -> None:
        # guild_settings columns other than retention_days are GuildStore's; its cache holds
        # none of this one, so writing it here needs no invalidation.
        await self._db.execute(
            "INSERT INTO guild_settings (guild_id, retention_days) VALUES (?, ?) "
            "ON CONFLICT(guild_id) DO UPDATE SET retention_days = excluded.retention_days, "
            "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            (guild_id, days),
        )

    async def retention_settings(self) -> list[tuple[int, int]]:
        rows = await self._db.fetchall(
            "SELECT guild_id, retention_days FROM guild_settings WHERE retention_days IS NOT NULL"
        )
        return [(int(r[0]), int(r[1])) for r in rows]

    # /mydata request bookkeeping -------------------------------------------------------

    async def last_request(self, member_key: str, action: str) -> datetime | None:
        value = await self._db.fetchval(
            "SELECT last_at FROM privacy_requests WHERE member_key = ? AND action = ?",
            (member_key, action),
        )
        return maybe_datetime(value)

    async def record_request(
        self, member_key: str, action: str, at: datetime, *, conn: TxConnection | None = None
    ) -> None:
        async with joined(self._db, conn) as tx:
            await tx.execute(
                "INSERT INTO privacy_requests (member_key, action, last_at) VALUES (?, ?, ?) "
                "ON CONFLICT(member_key, action) DO UPDATE SET last_at = excluded.last_at",
                (member_key, action, db_time(at)),
            )

    # export: plain dicts (:func:`bot.storage.engine.record`), times as datetimes ----------

    async def membership(self, guild_id: int, user_id: int) -> dict[str, Any] | None:
        row = await self._db.fetchone(
            "SELECT c.name AS community, m.joined_at FROM community_members m "
            "JOIN communities c ON c.id = m.community_id "
            "WHERE m.guild_id = ? AND m.user_id = ?",
            (guild_id, user_id),
        )
        return None if row is None else record(row)

    async def join_requests(self, guild_id: int, user_id: int) -> list[dict[str, Any]]:
        # decided_by (the moderator) is deliberately not selected.
        rows = await self._db.fetchall(
            "SELECT c.name AS community, j.status, j.created_at, j.decided_at "
            "FROM join_requests j LEFT JOIN communities c ON c.id = j.community_id "
            "WHERE j.guild_id = ? AND j.user_id = ? ORDER BY j.id",
            (guild_id, user_id),
        )
        return [record(r) for r in rows]

    async def replies_by_keys(self, author_keys: Sequence[str]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for chunk in _chunks(author_keys):
            found += map(
                record,
                await self._db.fetchall(
                    "SELECT r.id, ro.number AS round_number, r.status, p.number AS participant, "
                    "r.author_name, r.community_label, r.brings_up, r.experience, r.unsure, "
                    "r.question, r.quote_consent, r.civility_action, r.civility_detail, "
                    "r.message_id IS NOT NULL AS on_discord, r.created_at, r.updated_at, "
                    "r.parent_reply_id "
                    "FROM replies r JOIN rounds ro ON ro.id = r.round_id "
                    "LEFT JOIN round_participants p "
                    "  ON p.round_id = r.round_id AND p.author_key = r.author_key "
                    f"WHERE r.author_key IN ({_marks(chunk)}) ORDER BY r.id",
                    chunk,
                ),
            )
        return found

    async def edits_of(self, reply_ids: Sequence[int]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for chunk in _chunks(reply_ids):
            found += map(
                record,
                await self._db.fetchall(
                    "SELECT reply_id, previous, edited_at FROM reply_edits "
                    f"WHERE reply_id IN ({_marks(chunk)}) ORDER BY id",
                    chunk,
                ),
            )
        return found

    async def endorsements_by_keys(self, voter_keys: Sequence[str]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for chunk in _chunks(voter_keys):
            found += map(
                record,
                await self._db.fetchall(
                    "SELECT ro.number AS round_number, e.reply_id, e.kind, e.created_at "
                    "FROM endorsements e JOIN replies r ON r.id = e.reply_id "
                    "JOIN rounds ro ON ro.id = r.round_id "
                    f"WHERE e.voter_key IN ({_marks(chunk)}) ORDER BY e.created_at",
                    chunk,
                ),
            )
        return found

    # erasure ---------------------------------------------------------------------------

    async def erase_member(
        self,
        guild_id: int,
        user_id: int,
        author_keys: Sequence[str],
        voter_keys: Sequence[str],
        *,
        conn: TxConnection | None = None,
    ) -> Erasure:
        """In one transaction: delete the member's endorsements, join requests, participant
        numbers and unpublished replies; empty the replies that are (or may soon be) on Discord
        and queue their unpublication. The emptied rows go once their messages are gone
        (``delete_erased``). Community membership is the CommunityStore's (it caches it).
        With ``conn``, in the caller's transaction."""
        async with joined(self._db, conn) as tx:
            endorsements = 0
            for chunk in _chunks(voter_keys):
                cursor = await tx.execute(
                    f"DELETE FROM endorsements WHERE voter_key IN ({_marks(chunk)})", chunk
                )
                endorsements += cursor.rowcount
                # the replies they skipped while reading (same per-round keys)
                await tx.execute(
                    f"DELETE FROM bridging_skips WHERE reader_key IN ({_marks(chunk)})", chunk
                )
            replies: list[Any] = []
            for chunk in _chunks(author_keys):
                replies += await _rows(
                    tx,
                    "SELECT id, status, message_id FROM replies "
                    f"WHERE author_key IN ({_marks(chunk)})",
                    chunk,
                )
            visible = [
                r for r in replies if r["status"] in ("pending", "published") or r["message_id"]
            ]
            kept = [int(r["id"]) for r in visible]
            gone = [int(r["id"]) for r in replies if int(r["id"]) not in kept]
            for chunk in _chunks(gone):
                await tx.execute(f"DELETE FROM replies WHERE id IN ({_marks(chunk)})", chunk)
            for chunk in _chunks(kept):
                marks = _marks(chunk)
                await tx.execute(f"DELETE FROM reply_edits WHERE reply_id IN ({marks})", chunk)
                await tx.execute(f"DELETE FROM endorsements WHERE reply_id IN ({marks})", chunk)
                await tx.execute(
                    "UPDATE replies SET author_key = ?, author_seal = '', author_name = NULL, "
                    "community_label = '', brings_up = '', experience = '', unsure = '', "
                    "question = '', quote_consent = 0, status = 'withdrawn', "
                    "civility_detail = '[]', "
                    "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                    f"WHERE id IN ({marks})",
                    (ERASED_KEY, *chunk),
                )
                await tx.executemany(
                    "INSERT INTO outbox (guild_id, kind, reply_id) VALUES (?, 'unpublish', ?)",
                    [(guild_id, reply_id) for reply_id in chunk],
                )
                # the replies these were responses to show their question's status again
                await tx.execute(
                    "INSERT INTO outbox (guild_id, kind, reply_id) "
                    "SELECT DISTINCT ro.guild_id, 'refresh', r.parent_reply_id FROM replies r "
                    "JOIN rounds ro ON ro.id = r.round_id "
                    f"WHERE r.id IN ({marks}) AND r.parent_reply_id IS NOT NULL",
                    chunk,
                )
            for chunk in _chunks(author_keys):
                await tx.execute(
                    f"DELETE FROM round_participants WHERE author_key IN ({_marks(chunk)})", chunk
                )
            cursor = await tx.execute(
                "DELETE FROM join_requests WHERE guild_id = ? AND user_id = ?",
                (guild_id, user_id),
            )
            join_requests = cursor.rowcount
        return Erasure(
            replies_deleted=len(gone),
            replies_unpublished=len(kept),
            endorsements_given=endorsements,
            join_requests=join_requests,
            message_ids=tuple(int(r["message_id"]) for r in visible if r["message_id"]),
        )

    async def delete_erased(self) -> int:
        """Emptied replies whose messages the publisher has deleted (no work left for them)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM replies WHERE author_key = ? AND message_id IS NULL "
                "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.reply_id = replies.id "
                "AND o.done_at IS NULL)",
                (ERASED_KEY,),
            )
            return cursor.rowcount

    # retention -------------------------------------------------------------------------

    async def purge_closed_rounds(self, guild_id: int, days: int) -> PurgeCounts:
        """Delete the replies, endorsements, edits and participant numbers of the guild's
        rounds closed more than ``days`` ago. The rounds themselves (number, excerpt) stay."""
        async with self._db.transaction() as conn:
            round_ids = [
                int(r[0])
                for r in await _rows(
                    conn,
                    "SELECT id FROM rounds WHERE guild_id = ? AND status = 'closed' "
                    "AND closed_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?) "
                    "AND (EXISTS (SELECT 1 FROM replies r WHERE r.round_id = rounds.id) "
                    "  OR EXISTS (SELECT 1 FROM round_participants p "
                    "             WHERE p.round_id = rounds.id))",
                    (guild_id, f"-{days} days"),
                )
            ]
            counts = PurgeCounts()
            for chunk in _chunks(round_ids):
                marks = _marks(chunk)
                scope = f"reply_id IN (SELECT id FROM replies WHERE round_id IN ({marks}))"
                (edits,) = (
                    await _rows(conn, f"SELECT COUNT(*) FROM reply_edits WHERE {scope}", chunk)
                )[0]
                (endorsements,) = (
                    await _rows(conn, f"SELECT COUNT(*) FROM endorsements WHERE {scope}", chunk)
                )[0]
                # endorsements, edits and outbox rows go with their reply (ON DELETE CASCADE)
                replies = await conn.execute(
                    f"DELETE FROM replies WHERE round_id IN ({marks})", chunk
                )
                participants = await conn.execute(
                    f"DELETE FROM round_participants WHERE round_id IN ({marks})", chunk
                )
                # the thread on Discord still shows the replies: the cog deletes it next
                await conn.execute(
                    f"UPDATE rounds SET thread_purge_pending = 1 WHERE id IN ({marks}) "
                    "AND thread_id IS NOT NULL",
                    chunk,
                )
                counts += PurgeCounts(
                    rounds=len(chunk),
                    replies=replies.rowcount,
                    endorsements=int(endorsements),
                    edits=int(edits),
                    participants=participants.rowcount,
                )
            return counts

    async def threads_to_delete(self) -> list[tuple[int, int]]:
        """(round id, thread id) of purged rounds whose thread is still on Discord."""
        rows = await self._db.fetchall(
            "SELECT id, thread_id FROM rounds WHERE thread_purge_pending = 1 ORDER BY id"
        )
        return [(int(r[0]), int(r[1])) for r in rows]

    async def thread_deleted(self, round_id: int) -> None:
        await self._db.execute(
            "UPDATE rounds SET thread_purge_pending = 0, thread_id = NULL WHERE id = ?",
            (round_id,),
        )

    async def last_purge_at(self) -> datetime | None:
        value = await self._db.fetchval(
            "SELECT value FROM bot_state WHERE key = ?", (LAST_PURGE_KEY,)
        )
        return maybe_datetime(value)

    async def set_last_purge_at(self, at: datetime) -> None:
        await self._db.execute(
            "INSERT INTO bot_state (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (LAST_PURGE_KEY, db_time(at)),
        )
