"""Replies, their edit history, endorsements and the publication outbox."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.dialogue.models import EndorsementKind, OutboxItem, Reply, ReplyFields, ReplyStatus
from bot.storage.engine import (
    POSTGRESQL,
    Row,
    Script,
    Step,
    Storage,
    TxConnection,
    dialect,
    maybe_datetime,
    record,
    run_script,
    run_unit,
    to_datetime,
)

_REPLY_SELECT = (
    "SELECT r.*, ro.guild_id, ro.number AS round_number, "
    # a circle's reply is published in the circle's thread, never in the round's
    "CASE WHEN r.circle_id IS NULL THEN ro.thread_id ELSE ci.thread_id END AS thread_id, "
    "p.number AS participant, "
    "EXISTS (SELECT 1 FROM reply_edits e WHERE e.reply_id = r.id) AS edited, "
    "(SELECT COUNT(*) FROM replies c WHERE c.parent_reply_id = r.id "
    "AND c.status IN ('published', 'pending')) AS responses "
    "FROM replies r JOIN rounds ro ON ro.id = r.round_id "
    "LEFT JOIN round_participants p ON p.round_id = r.round_id AND p.author_key = r.author_key "
    "LEFT JOIN circles ci ON ci.id = r.circle_id "
)


def _reply(row: Row) -> Reply:
    return Reply(
        id=row["id"],
        round_id=row["round_id"],
        guild_id=row["guild_id"],
        round_number=row["round_number"],
        thread_id=row["thread_id"],
        author_key=row["author_key"],
        author_seal=row["author_seal"],
        author_name=row["author_name"],
        participant_number=row["participant"],
        community_id=row["community_id"],
        community_label=row["community_label"],
        fields=ReplyFields(row["brings_up"], row["experience"], row["unsure"], row["question"]),
        quote_consent=bool(row["quote_consent"]),
        status=ReplyStatus(row["status"]),
        civility_action=row["civility_action"],
        civility_detail=row["civility_detail"],
        message_id=row["message_id"],
        edited=bool(row["edited"]),
        parent_id=row["parent_reply_id"],
        responses=int(row["responses"]),
        circle_id=row["circle_id"],
        number=row["number"],
    )


class AlreadySubmitted(Exception):
    """The form with this submission key already created a reply (found inside the write's
    transaction, so two submits of one form never both commit)."""

    def __init__(self, reply_id: int) -> None:
        super().__init__(f"the form already created reply {reply_id}")
        self.reply_id = reply_id


class AlreadyChanged(Exception):
    """The form with this submission key already changed the reply (found inside the write's
    transaction); ``outcome`` is the one the first submit had."""

    def __init__(self, outcome: str) -> None:
        super().__init__(f"the form already changed the reply ({outcome})")
        self.outcome = outcome


@dataclass(frozen=True, slots=True)
class NewReply:
    round_id: int
    guild_id: int
    author_key: str
    author_seal: str
    author_name: str | None
    community_id: int | None
    community_label: str
    fields: ReplyFields
    quote_consent: bool
    status: ReplyStatus
    civility_action: str
    civility_detail: str
    submission_key: str | None = None  # the form's key: a second submit finds the first reply
    parent_reply_id: int | None = None  # a response to that reply
    circle_id: int | None = None  # written in that circle (published in its thread only)


def _outbox_row(guild_id: int, kind: str, reply_id: int) -> Step:
    return Step(
        "INSERT INTO outbox (guild_id, kind, reply_id) VALUES (?, ?, ?)",
        (guild_id, kind, reply_id),
    )


def _participant(round_id: int, author_key: str) -> Script[int]:
    """The author's "Participant N" in the round, drawn now if they have none: the round's
    counter is raised by an UPDATE, which on PostgreSQL locks the round until commit, so two
    processes never draw one number and none is skipped."""
    found = yield Step(
        "SELECT number FROM round_participants WHERE round_id = ? AND author_key = ?",
        (round_id, author_key),
    )
    if found.rows:
        return int(found.rows[0][0])
    raised = yield Step(
        "UPDATE rounds SET participant_count = participant_count + 1 WHERE id = ? "
        "RETURNING participant_count",
        (round_id,),
    )
    if not raised.rows:
        raise LookupError(f"round {round_id} does not exist")
    number = int(raised.rows[0][0])
    inserted = yield Step(
        "INSERT INTO round_participants (round_id, author_key, number) VALUES (?, ?, ?) "
        "ON CONFLICT (round_id, author_key) DO NOTHING RETURNING number",
        (round_id, author_key, number),
    )
    if inserted.rows:
        return number
    # Another process numbered this author between our SELECT and our UPDATE (it held the
    # round's lock and committed): give our number back and read theirs.
    yield Step(
        "UPDATE rounds SET participant_count = participant_count - 1 WHERE id = ?", (round_id,)
    )
    theirs = yield Step(
        "SELECT number FROM round_participants WHERE round_id = ? AND author_key = ?",
        (round_id, author_key),
    )
    return int(theirs.rows[0][0])


def _reply_number(round_id: int) -> Script[int]:
    """The next reply number of the round (its "R2-4"): the round's counter is raised by an
    UPDATE, which on PostgreSQL locks the round until commit, so no number is drawn twice."""
    raised = yield Step(
        "UPDATE rounds SET reply_count = reply_count + 1 WHERE id = ? RETURNING reply_count",
        (round_id,),
    )
    if not raised.rows:
        raise LookupError(f"round {round_id} does not exist")
    return int(raised.rows[0][0])


# A reply leaving publication takes its live responses with it.
_CASCADING = ("removed", "withdrawn")


class ReplyStore:
    def __init__(self, db: Storage) -> None:
        self._db = db

    async def create(self, new: NewReply) -> tuple[int, int | None]:
        """The reply, its author's participant number (unless a draft) and, when it is
        pending, its publish row: one unit (on SQLite, one trip to the database thread).
        Returns (reply id, participant N)."""
        reply_id, participant, _ = await self.create_numbered(new)
        return reply_id, participant

    async def create_numbered(self, new: NewReply) -> tuple[int, int | None, int | None]:
        """As :meth:`create`, also returning the reply's number in its round (its "R2-4";
        None for a draft)."""
        return await run_unit(self._db, lambda: self._create(new))

    def _create(self, new: NewReply) -> Script[tuple[int, int | None, int | None]]:
        if new.submission_key is not None:
            found = yield Step(
                "SELECT id FROM replies WHERE author_key = ? AND submission_key = ?",
                (new.author_key, new.submission_key),
            )
            if found.rows:
                raise AlreadySubmitted(int(found.rows[0][0]))
        number = None
        in_round = None  # the reply's number in its round (drafts get theirs on submit)
        if new.status is not ReplyStatus.DRAFT:
            number = yield from _participant(new.round_id, new.author_key)
            in_round = yield from _reply_number(new.round_id)
        inserted = yield Step(
            "INSERT INTO replies (round_id, author_key, author_seal, author_name, "
            "community_id, community_label, brings_up, experience, unsure, question, "
            "quote_consent, status, civility_action, civility_detail, submission_key, "
            "parent_reply_id, circle_id, number) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                new.round_id,
                new.author_key,
                new.author_seal,
                new.author_name,
                new.community_id,
                new.community_label,
                new.fields.brings_up,
                new.fields.experience,
                new.fields.unsure,
                new.fields.question,
                int(new.quote_consent),
                new.status.value,
                new.civility_action,
                new.civility_detail,
                new.submission_key,
                new.parent_reply_id,
                new.circle_id,
                in_round,
            ),
        )
        reply_id = int(inserted.lastrowid or 0)
        if new.status is ReplyStatus.PENDING:
            yield _outbox_row(new.guild_id, "publish", reply_id)
            if new.parent_reply_id is not None:  # its question's status changed
                yield _outbox_row(new.guild_id, "refresh", new.parent_reply_id)
        return reply_id, number, in_round

    @staticmethod
    async def _number_reply(conn: TxConnection, round_id: int) -> int:
        """The next reply number of the round (see :func:`_reply_number`), inside a
        transaction the caller holds."""
        return await run_script(conn, _reply_number(round_id))

    async def _number_submitted(self, conn: TxConnection, reply_id: int, round_id: int) -> None:
        """A draft is submitted: it gets its number in the round now."""
        number = await self._number_reply(conn, round_id)
        await conn.execute(
            "UPDATE replies SET number = ? WHERE id = ? AND number IS NULL", (number, reply_id)
        )

    @staticmethod
    async def _number_participant(conn: TxConnection, round_id: int, author_key: str) -> int:
        """The author's "Participant N" in the round (see :func:`_participant`), inside a
        transaction the caller holds."""
        return await run_script(conn, _participant(round_id, author_key))

    async def by_submission_key(self, author_key: str, submission_key: str) -> Reply | None:
        """The reply a form with this key already created, if any (its author's only)."""
        row = await self._db.fetchone(
            _REPLY_SELECT + "WHERE r.author_key = ? AND r.submission_key = ?",
            (author_key, submission_key),
        )
        return _reply(row) if row else None

    async def change_by_key(self, reply_id: int, submission_key: str) -> str | None:
        """The outcome of the change a form with this key already made, if any."""
        value = await self._db.fetchval(
            "SELECT outcome FROM reply_changes WHERE reply_id = ? AND submission_key = ?",
            (reply_id, submission_key),
        )
        return None if value is None else str(value)

    async def get(self, reply_id: int) -> Reply | None:
        row = await self._db.fetchone(_REPLY_SELECT + "WHERE r.id = ?", (reply_id,))
        return None if row is None else _reply(row)

    async def by_message(self, message_id: int) -> Reply | None:
        row = await self._db.fetchone(_REPLY_SELECT + "WHERE r.message_id = ?", (message_id,))
        return None if row is None else _reply(row)

    async def by_reference(self, guild_id: int, round_number: int, number: int) -> Reply | None:
        """Reply ``number`` of round ``round_number`` on this server (its "R2-4")."""
        row = await self._db.fetchone(
            _REPLY_SELECT + "WHERE ro.guild_id = ? AND ro.number = ? AND r.number = ?",
            (guild_id, round_number, number),
        )
        return None if row is None else _reply(row)

    async def by_author(self, round_id: int, author_key: str) -> list[Reply]:
        rows = await self._db.fetchall(
            _REPLY_SELECT + "WHERE r.round_id = ? AND r.author_key = ? ORDER BY r.id",
            (round_id, author_key),
        )
        return [_reply(r) for r in rows]

    async def by_author_keys(self, keys: list[str]) -> list[Reply]:
        if not keys:
            return []
        marks = ",".join("?" for _ in keys)
        rows = await self._db.fetchall(
            _REPLY_SELECT + f"WHERE r.author_key IN ({marks}) ORDER BY r.id", keys
        )
        return [_reply(r) for r in rows]

    async def in_round(self, round_id: int, statuses: tuple[ReplyStatus, ...]) -> list[Reply]:
        marks = ",".join("?" for _ in statuses)
        rows = await self._db.fetchall(
            _REPLY_SELECT + f"WHERE r.round_id = ? AND r.status IN ({marks}) ORDER BY r.id",
            (round_id, *(s.value for s in statuses)),
        )
        return [_reply(r) for r in rows]

    async def count(self, status: ReplyStatus | None = None) -> int:
        if status is None:
            return int(await self._db.fetchval("SELECT COUNT(*) FROM replies"))
        return int(
            await self._db.fetchval(
                "SELECT COUNT(*) FROM replies WHERE status = ?", (status.value,)
            )
        )

    async def edits(self, reply_id: int) -> list[dict[str, Any]]:
        rows = await self._db.fetchall(
            "SELECT previous, edited_at FROM reply_edits WHERE reply_id = ? ORDER BY id",
            (reply_id,),
        )
        return [
            {"edited_at": to_datetime(r["edited_at"]), **json.loads(r["previous"])} for r in rows
        ]

    async def update_fields(
        self,
        reply_id: int,
        fields: ReplyFields,
        status: ReplyStatus,
        civility_action: str,
        civility_detail: str,
        *,
        keep_history: bool,
        outbox_kind: str | None,
        submission_key: str | None = None,
        outcome: str = "",
    ) -> None:
        """Change a reply's text; with ``submission_key`` (the form's), the key and
        ``outcome`` are stored with the change, and a second change with that key raises
        :class:`AlreadyChanged` without writing."""
        async with self._db.transaction() as conn:
            if submission_key is not None:
                async with conn.execute(
                    "SELECT outcome FROM reply_changes WHERE reply_id = ? AND submission_key = ?",
                    (reply_id, submission_key),
                ) as cur:
                    first = await cur.fetchone()
                if first is not None:
                    raise AlreadyChanged(str(first[0]))
                await conn.execute(
                    "INSERT INTO reply_changes (reply_id, submission_key, outcome) "
                    "VALUES (?, ?, ?)",
                    (reply_id, submission_key, outcome),
                )
            async with conn.execute(
                "SELECT round_id, author_key, status, brings_up, experience, unsure, question "
                "FROM replies WHERE id = ?",
                (reply_id,),
            ) as cur:
                before = await cur.fetchone()
            if before is None:
                return
            if keep_history:
                previous = {k: before[k] for k in ("brings_up", "experience", "unsure", "question")}
                await conn.execute(
                    "INSERT INTO reply_edits (reply_id, previous) VALUES (?, ?)",
                    (reply_id, json.dumps(previous, ensure_ascii=False, separators=(",", ":"))),
                )
            if before["status"] == ReplyStatus.PUBLISHED.value and status is ReplyStatus.PENDING:
                status = ReplyStatus.PUBLISHED  # its publication was recorded meanwhile
            if before["status"] == ReplyStatus.DRAFT.value and status is not ReplyStatus.DRAFT:
                await self._number_participant(conn, before["round_id"], before["author_key"])
                await self._number_submitted(conn, reply_id, before["round_id"])
            await conn.execute(
                "UPDATE replies SET brings_up = ?, experience = ?, unsure = ?, question = ?, "
                "status = ?, civility_action = ?, civility_detail = ?, "
                "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
                (
                    fields.brings_up,
                    fields.experience,
                    fields.unsure,
                    fields.question,
                    status.value,
                    civility_action,
                    civility_detail,
                    reply_id,
                ),
            )
            if outbox_kind is not None:
                guild_id = await self._guild_of(conn, reply_id)
                await self._enqueue(conn, guild_id, outbox_kind, reply_id)

    async def set_status(
        self,
        reply_id: int,
        status: ReplyStatus,
        *,
        expected: tuple[ReplyStatus, ...] | None = None,
        outbox_kind: str | None = None,
    ) -> bool:
        """Move a reply to ``status`` (only from ``expected`` when given); queue Discord work in
        the same transaction. False when the reply was not in an expected state."""
        async with self._db.transaction() as conn:
            return await self.change_status_in(conn, reply_id, status, expected, outbox_kind)

    async def change_status_in(
        self,
        conn: TxConnection,
        reply_id: int,
        status: ReplyStatus,
        expected: tuple[ReplyStatus, ...] | None = None,
        outbox_kind: str | None = None,
    ) -> bool:
        """``set_status`` inside a transaction the caller holds (a moderation decision writes
        the reply's new status, its outbox row and its case together)."""
        async with conn.execute(
            "SELECT round_id, author_key, status, parent_reply_id FROM replies WHERE id = ?",
            (reply_id,),
        ) as cur:
            before = await cur.fetchone()
        if before is None or (expected and before["status"] not in {s.value for s in expected}):
            return False
        sql = (
            "UPDATE replies SET status = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
            "WHERE id = ?"
        )
        params: list[Any] = [status.value, reply_id]
        if expected:
            sql += f" AND status IN ({','.join('?' for _ in expected)})"
            params.extend(s.value for s in expected)
        cursor = await conn.execute(sql, params)
        if cursor.rowcount == 0:
            return False
        if before["status"] == ReplyStatus.DRAFT.value and status is not ReplyStatus.DRAFT:
            await self._number_participant(conn, before["round_id"], before["author_key"])
            await self._number_submitted(conn, reply_id, before["round_id"])
        if outbox_kind is not None:
            guild_id = await self._guild_of(conn, reply_id)
            await self._enqueue(conn, guild_id, outbox_kind, reply_id)
        await self._follow_parent(conn, reply_id, before, status)
        return True

    async def _follow_parent(
        self, conn: TxConnection, reply_id: int, before: Row, status: ReplyStatus
    ) -> None:
        """Responses follow their reply: a reply removed or withdrawn unpublishes its live
        responses; a response that goes live or leaves refreshes its reply's question status."""
        live = (ReplyStatus.PUBLISHED.value, ReplyStatus.PENDING.value)
        if status.value in _CASCADING:
            async with conn.execute(
                "SELECT id, message_id FROM replies WHERE parent_reply_id = ? "
                "AND status IN ('published', 'pending')",
                (reply_id,),
            ) as cur:
                children = list(await cur.fetchall())
            guild_id = await self._guild_of(conn, reply_id)
            for child in children:
                await conn.execute(
                    "UPDATE replies SET status = 'removed', "
                    "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
                    (child[0],),
                )
                await self._enqueue(conn, guild_id, "unpublish", int(child[0]))
        parent = before["parent_reply_id"]
        if parent is not None and (before["status"] in live) != (status.value in live):
            guild_id = await self._guild_of(conn, reply_id)
            await self._enqueue(conn, guild_id, "refresh", int(parent))

    async def responses_to(self, reply_id: int) -> list[Reply]:
        rows = await self._db.fetchall(
            _REPLY_SELECT + "WHERE r.parent_reply_id = ? ORDER BY r.id", (reply_id,)
        )
        return [_reply(r) for r in rows]

    async def open_questions(self, round_id: int) -> list[Reply]:
        """Published replies of the round whose question no live response answers yet."""
        rows = await self._db.fetchall(
            _REPLY_SELECT + "WHERE r.round_id = ? AND r.status = 'published' "
            "AND r.question <> '' AND r.parent_reply_id IS NULL AND r.circle_id IS NULL "
            "AND NOT EXISTS "
            "(SELECT 1 FROM replies c WHERE c.parent_reply_id = r.id "
            "AND c.status IN ('published', 'pending')) ORDER BY r.id",
            (round_id,),
        )
        return [_reply(r) for r in rows]

    async def add_notice(self, guild_id: int, user_id: int, text: str, message: str) -> int:
        """A notice for a member (the pending_notices of moderation, without a case), kept
        until it reaches them by DM or on their next interaction; ``message`` is its message
        ids and parameters (JSON), ``text`` the English version for old readers."""
        row = await self._db.execute_returning(
            "INSERT INTO pending_notices (guild_id, user_id, text, message, created_at) "
            "VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) RETURNING id",
            (guild_id, user_id, text, message),
        )
        assert row is not None
        return int(row[0])

    async def enqueue_relabel(self, guild_id: int) -> int:
        """Queue a refresh of every published reply whose label depends on the server's
        publishing mode (those written while names were shown)."""
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO outbox (guild_id, kind, reply_id) "
                "SELECT ro.guild_id, 'refresh', r.id FROM replies r "
                "JOIN rounds ro ON ro.id = r.round_id "
                "WHERE ro.guild_id = ? AND r.status = 'published' AND r.author_name IS NOT NULL",
                (guild_id,),
            )
            return cursor.rowcount

    async def delete_drafts_older_than(self, hours: int) -> int:
        async with self._db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM replies WHERE status = 'draft' AND "
                "updated_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)",
                (f"-{hours} hours",),
            )
            return cursor.rowcount

    # endorsements ----------------------------------------------------------------------

    async def endorsement(self, reply_id: int, voter_key: str) -> EndorsementKind | None:
        value = await self._db.fetchval(
            "SELECT kind FROM endorsements WHERE reply_id = ? AND voter_key = ?",
            (reply_id, voter_key),
        )
        return None if value is None else EndorsementKind(value)

    async def set_endorsement(
        self, reply_id: int, voter_key: str, kind: EndorsementKind | None, community_id: int | None
    ) -> None:
        async with self._db.transaction() as conn:
            if kind is None:
                await conn.execute(
                    "DELETE FROM endorsements WHERE reply_id = ? AND voter_key = ?",
                    (reply_id, voter_key),
                )
            else:
                await conn.execute(
                    "INSERT INTO endorsements (reply_id, voter_key, kind, community_id) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT(reply_id, voter_key) DO UPDATE SET "
                    "kind = excluded.kind, community_id = excluded.community_id, "
                    "created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                    (reply_id, voter_key, kind.value, community_id),
                )

    async def endorsement_counts(self, reply_id: int) -> list[tuple[str, int | None, int]]:
        rows = await self._db.fetchall(
            "SELECT kind, community_id, COUNT(*) FROM endorsements WHERE reply_id = ? "
            "GROUP BY kind, community_id",
            (reply_id,),
        )
        return [(r[0], r[1], int(r[2])) for r in rows]

    async def endorsements_by_voter_keys(self, keys: list[str]) -> list[dict[str, Any]]:
        if not keys:
            return []
        marks = ",".join("?" for _ in keys)
        rows = await self._db.fetchall(
            "SELECT e.reply_id, e.kind, e.created_at, ro.number AS round_number "
            "FROM endorsements e JOIN replies r ON r.id = e.reply_id "
            f"JOIN rounds ro ON ro.id = r.round_id WHERE e.voter_key IN ({marks})",
            keys,
        )
        return [record(r) for r in rows]

    # outbox ----------------------------------------------------------------------------

    async def _guild_of(self, conn: TxConnection, reply_id: int) -> int:
        async with conn.execute(
            "SELECT ro.guild_id FROM replies r JOIN rounds ro ON ro.id = r.round_id WHERE r.id = ?",
            (reply_id,),
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def _enqueue(self, conn: TxConnection, guild_id: int, kind: str, reply_id: int) -> None:
        await conn.execute(
            "INSERT INTO outbox (guild_id, kind, reply_id) VALUES (?, ?, ?)",
            (guild_id, kind, reply_id),
        )

    async def enqueue(self, guild_id: int, kind: str, reply_id: int) -> None:
        async with self._db.transaction() as conn:
            await self._enqueue(conn, guild_id, kind, reply_id)

    async def due_outbox(self, limit: int = 50) -> list[OutboxItem]:
        rows = await self._db.fetchall(
            "SELECT id, guild_id, kind, reply_id, attempts FROM outbox WHERE done_at IS NULL "
            "AND next_attempt_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now') ORDER BY id LIMIT ?",
            (limit,),
        )
        return [OutboxItem(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    async def claim_outbox(
        self,
        holder: str,
        *,
        limit: int = 50,
        seconds: float = 120.0,
        shard_count: int | None = None,
        shard_ids: tuple[int, ...] | None = None,
    ) -> list[OutboxItem]:
        """Claim due outbox rows for ``holder`` for ``seconds`` and return them, oldest first.
        Two publishers never get one row: on PostgreSQL the rows are locked with ``FOR UPDATE
        SKIP LOCKED`` (a second publisher takes the next ones instead of waiting); on SQLite
        the one writer claims. A claim left by a process that died lapses after ``seconds``,
        or is taken back at once by the same process (same ``holder``) after a restart.
        With shards, only rows of servers on ``shard_ids`` (``(guild_id >> 22) % count``)."""
        params: list[Any] = [holder, f"+{seconds:.3f} seconds", holder]
        shard = ""
        if shard_count is not None and shard_ids is not None and len(shard_ids) < shard_count:
            shard = f" AND ((guild_id >> 22) % ?) IN ({','.join('?' for _ in shard_ids)})"
            params += [shard_count, *shard_ids]
        params.append(limit)
        lock = " FOR UPDATE SKIP LOCKED" if dialect(self._db) == POSTGRESQL else ""
        rows = await self._db.execute_returning_all(
            "UPDATE outbox SET claimed_by = ?, "
            "claimed_until = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?) "
            "WHERE id IN (SELECT id FROM outbox WHERE done_at IS NULL "
            "AND next_attempt_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
            "AND (claimed_until IS NULL OR claimed_by = ? "
            "OR claimed_until < strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
            f"{shard} ORDER BY id LIMIT ?{lock}) "
            "RETURNING id, guild_id, kind, reply_id, attempts",
            params,
        )
        return sorted((OutboxItem(r[0], r[1], r[2], r[3], r[4]) for r in rows), key=lambda i: i.id)

    async def release_stale_claims(self) -> int:
        """Forget the outbox claims of processes that have ended. On SQLite one process holds
        the file (see ``SingleWriterDatabase``), so every claim found when the publisher starts
        was left by a process that is gone: a restarted bot publishes at once instead of
        waiting for them to lapse. On PostgreSQL other processes may be alive: claims lapse."""
        if dialect(self._db) == POSTGRESQL:
            return 0
        await self._db.execute(
            "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL "
            "WHERE claimed_by IS NOT NULL AND done_at IS NULL"
        )
        return 1

    async def next_outbox_due(self) -> datetime | None:
        value = await self._db.fetchval(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE done_at IS NULL"
        )
        return maybe_datetime(value)

    async def pending_outbox(self) -> int:
        return int(await self._db.fetchval("SELECT COUNT(*) FROM outbox WHERE done_at IS NULL"))

    async def complete_publish(self, outbox_id: int, reply_id: int, message_id: int) -> None:
        """The message exists on Discord: record it and close the outbox row, atomically."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE replies SET message_id = ?, status = CASE WHEN status = 'pending' "
                "THEN 'published' ELSE status END WHERE id = ?",
                (message_id, reply_id),
            )
            await conn.execute(
                "UPDATE outbox SET done_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
                (outbox_id,),
            )

    async def complete(self, outbox_id: int, *, clear_message: int | None = None) -> None:
        async with self._db.transaction() as conn:
            if clear_message is not None:
                await conn.execute(
                    "UPDATE replies SET message_id = NULL WHERE id = ?", (clear_message,)
                )
            await conn.execute(
                "UPDATE outbox SET done_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
                (outbox_id,),
            )

    async def retry_later(self, outbox_id: int, error: str, delay_seconds: float) -> None:
        await self._db.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, "
            "next_attempt_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?), "
            "claimed_by = NULL, claimed_until = NULL WHERE id = ?",
            (error[:500], f"+{delay_seconds:.3f} seconds", outbox_id),
        )
