"""Moderation tables: reports, queue resolutions, cases, reason edits, notices, appeals,
paired actions and per-guild moderation settings."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.dialogue.models import ReplyStatus
from bot.moderation.casetypes import CaseType
from bot.moderation.models import (
    DEFAULT_LADDER,
    Appeal,
    Case,
    LadderStep,
    ModerationSettings,
    NewCase,
    PairedAction,
    ReasonEdit,
    Report,
    ReportCategory,
)
from bot.storage.engine import Row, Storage, TxConnection
from bot.storage.replies import ReplyStore


def to_text(moment: datetime) -> str:
    """The same text form SQLite's ``strftime('%Y-%m-%dT%H:%M:%fZ')`` gives, so they compare."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def from_text(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _maybe(text: str | None) -> datetime | None:
    return None if text is None else from_text(text)


def _case(row: Row) -> Case:
    return Case(
        id=row["id"],
        guild_id=row["guild_id"],
        number=row["number"],
        type=CaseType(row["type"]),
        target_id=row["target_id"],
        target_tombstoned=bool(row["target_tombstoned"]),
        moderator_id=row["moderator_id"],
        confirmed_by=row["confirmed_by"],
        reason=row["reason"],
        reply_id=row["reply_id"],
        report_id=row["report_id"],
        related_case=row["related_case"],
        created_at=from_text(row["created_at"]),
        expires_at=_maybe(row["expires_at"]),
        active=bool(row["active"]),
    )


def _report(row: Row) -> Report:
    return Report(
        id=row["id"],
        guild_id=row["guild_id"],
        reply_id=row["reply_id"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        author_id=row["author_id"],
        reporter_id=row["reporter_id"],
        category=ReportCategory(row["category"]),
        reason=row["reason"],
        status=row["status"],
        resolved_by=row["resolved_by"],
        created_at=from_text(row["created_at"]),
    )


def _appeal(row: Row) -> Appeal:
    return Appeal(
        id=row["id"],
        guild_id=row["guild_id"],
        case_id=row["case_id"],
        user_id=row["user_id"],
        reason=row["reason"],
        status=row["status"],
        decided_by=row["decided_by"],
        created_at=from_text(row["created_at"]),
    )


def _paired(row: Row) -> PairedAction:
    seconds = row["timeout_seconds"]
    return PairedAction(
        id=row["id"],
        guild_id=row["guild_id"],
        item_key=row["item_key"],
        target_id=row["target_id"],
        remove=bool(row["remove"]),
        warn=bool(row["warn"]),
        timeout=None if seconds is None else timedelta(seconds=seconds),
        reason=row["reason"],
        proposed_by=row["proposed_by"],
        proposer_community_id=row["proposer_community_id"],
        status=row["status"],
        created_at=from_text(row["created_at"]),
    )


def ladder_to_json(ladder: tuple[LadderStep, ...]) -> str:
    return json.dumps(
        [
            {
                "warnings": s.warnings,
                "seconds": int(s.timeout.total_seconds()),
                "remove": s.recommend_removal,
            }
            for s in ladder
        ]
    )


def ladder_from_json(text: str | None) -> tuple[LadderStep, ...]:
    if text is None:
        return DEFAULT_LADDER
    return tuple(
        LadderStep(int(s["warnings"]), timedelta(seconds=int(s["seconds"])), bool(s["remove"]))
        for s in json.loads(text)
    )


@dataclass(frozen=True, slots=True)
class NewReport:
    guild_id: int
    reporter_id: int
    category: ReportCategory
    reason: str
    created_at: datetime
    reply_id: int | None = None
    channel_id: int | None = None
    message_id: int | None = None
    author_id: int | None = None


@dataclass(frozen=True, slots=True)
class NewPaired:
    item_key: str | None
    target_id: int | None
    remove: bool
    warn: bool
    timeout: timedelta | None
    reason: str
    proposed_by: int
    proposer_community_id: int | None


@dataclass(slots=True)
class Changes:
    """Everything one moderator decision writes, committed in one transaction."""

    at: datetime
    cases: list[NewCase] = field(default_factory=list)
    close_reports: list[int] = field(default_factory=list)
    report_status: str = "dismissed"
    deactivate_cases: list[int] = field(default_factory=list)
    decide_appeal: tuple[int, str] | None = None  # (appeal id, status)
    decide_paired: tuple[int, str] | None = None  # (paired id, status)
    new_paired: NewPaired | None = None
    decided_by: int | None = None
    count_warnings_for: int | None = None  # a user id: count their active warnings afterwards
    claim: Claim | None = None  # the queue item this decision resolves; first one wins
    reply_change: ReplyChange | None = None  # the reply's new status (and its outbox work)
    release: str | None = None  # a queue item that is open again (a cancelled proposal's)
    # Given the active warnings counted after this decision, what the escalation ladder adds
    # (pure: it runs inside the transaction, so a warning never lands without its step).
    ladder: Callable[[int], Changes | None] | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    key: str
    action: str
    by: int


@dataclass(frozen=True, slots=True)
class ReplyChange:
    reply_id: int
    status: ReplyStatus
    expected: tuple[ReplyStatus, ...]
    outbox_kind: str | None = None


class ClaimTaken(Exception):
    """Another moderator resolved the item first; nothing of this decision was written."""

    def __init__(self, resolution: Resolution) -> None:
        super().__init__(resolution.action)
        self.resolution = resolution


class ReplyMoved(Exception):
    """The reply is no longer in the state the decision expected (withdrawn, removed…);
    nothing of this decision was written."""


@dataclass(frozen=True, slots=True)
class Committed:
    cases: list[Case]
    notices: list[tuple[int, int, str]]  # (notice id, user id, text)
    paired_id: int | None
    active_warnings: int = 0
    ladder: Committed | None = None  # what the escalation ladder added, if anything


@dataclass(frozen=True, slots=True)
class _Written:
    case_ids: list[int]
    notices: list[tuple[int, int, str]]
    paired_id: int | None
    active_warnings: int


@dataclass(frozen=True, slots=True)
class Resolution:
    action: str
    resolved_by: int
    resolved_at: datetime


class DuplicateReport(Exception):
    pass


_QUEUE = """
SELECT key, at FROM (
    SELECT 'r:' || r.id AS key, r.updated_at AS at FROM replies r
        JOIN rounds ro ON ro.id = r.round_id WHERE ro.guild_id = ?1 AND r.status = 'held'
    UNION ALL
    SELECT 'p:' || MIN(id), MIN(created_at) FROM reports WHERE guild_id = ?1 AND status = 'open'
        GROUP BY COALESCE(reply_id, 0), COALESCE(message_id, 0)
    UNION ALL
    SELECT 'a:' || id, created_at FROM appeals WHERE guild_id = ?1 AND status = 'open'
    UNION ALL
    SELECT 'c:' || id, created_at FROM paired_actions WHERE guild_id = ?1 AND status = 'waiting'
) AS queue WHERE key NOT IN (SELECT item_key FROM queue_resolutions WHERE guild_id = ?1)
ORDER BY at, key
"""


class ModerationStore:
    def __init__(self, db: Storage, replies: ReplyStore | None = None) -> None:
        self._db = db
        self._replies = replies or ReplyStore(db)

    # settings --------------------------------------------------------------------------

    async def settings(self, guild_id: int) -> ModerationSettings:
        row = await self._db.fetchone(
            "SELECT * FROM moderation_settings WHERE guild_id = ?", (guild_id,)
        )
        if row is None:
            return ModerationSettings(guild_id)
        return ModerationSettings(
            guild_id, row["warning_days"], ladder_from_json(row["ladder"]), bool(row["paired"])
        )

    async def save_settings(self, value: ModerationSettings) -> None:
        ladder = None if value.ladder == DEFAULT_LADDER else ladder_to_json(value.ladder)
        await self._db.execute(
            "INSERT INTO moderation_settings (guild_id, warning_days, ladder, paired) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(guild_id) DO UPDATE SET "
            "warning_days = excluded.warning_days, ladder = excluded.ladder, "
            "paired = excluded.paired",
            (value.guild_id, value.warning_days, ladder, int(value.paired)),
        )

    # reports ---------------------------------------------------------------------------

    async def add_report(self, new: NewReport) -> int:
        try:
            return await self._db.execute(
                "INSERT INTO reports (guild_id, reply_id, channel_id, message_id, author_id, "
                "reporter_id, category, reason, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    new.guild_id,
                    new.reply_id,
                    new.channel_id,
                    new.message_id,
                    new.author_id,
                    new.reporter_id,
                    new.category.value,
                    new.reason,
                    to_text(new.created_at),
                ),
            )
        except sqlite3.IntegrityError as exc:
            raise DuplicateReport(str(exc)) from exc

    async def report(self, report_id: int) -> Report | None:
        row = await self._db.fetchone("SELECT * FROM reports WHERE id = ?", (report_id,))
        return None if row is None else _report(row)

    async def open_reports_like(self, report: Report) -> list[Report]:
        """All open reports on the same reply or message as ``report``."""
        rows = await self._db.fetchall(
            "SELECT * FROM reports WHERE guild_id = ? AND status = 'open' "
            "AND COALESCE(reply_id, 0) = ? AND COALESCE(message_id, 0) = ? ORDER BY id",
            (report.guild_id, report.reply_id or 0, report.message_id or 0),
        )
        return [_report(r) for r in rows]

    # the queue -------------------------------------------------------------------------

    async def pending_keys(self, guild_id: int) -> list[tuple[str, datetime]]:
        rows = await self._db.fetchall(_QUEUE, (guild_id,))
        return [(r["key"], from_text(r["at"])) for r in rows]

    async def _claim_in(self, conn: TxConnection, guild_id: int, claim: Claim, at: str) -> None:
        cursor = await conn.execute(
            "INSERT INTO queue_resolutions (guild_id, item_key, action, resolved_by, "
            "resolved_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (guild_id, claim.key, claim.action, claim.by, at),
        )
        if cursor.rowcount == 1:
            return
        async with conn.execute(
            "SELECT action, resolved_by, resolved_at FROM queue_resolutions "
            "WHERE guild_id = ? AND item_key = ?",
            (guild_id, claim.key),
        ) as cur:
            row = await cur.fetchone()
        assert row is not None
        raise ClaimTaken(Resolution(row[0], row[1], from_text(row[2])))

    @staticmethod
    async def _release_in(conn: TxConnection, guild_id: int, key: str) -> None:
        """The item is open again: forget who claimed it and that it was announced."""
        for table in ("queue_resolutions", "queue_announcements"):
            await conn.execute(
                f"DELETE FROM {table} WHERE guild_id = ? AND item_key = ?", (guild_id, key)
            )

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

    # one decision, one transaction -----------------------------------------------------

    async def commit(self, guild_id: int, changes: Changes) -> Committed:
        """Write a decision. Case numbers are drawn inside the BEGIN IMMEDIATE transaction, so
        they are 1, 2, 3 per guild with no gap and no duplicate, however many moderators act.
        What the escalation ladder adds is written in the same transaction."""
        async with self._db.transaction() as conn:
            written = await self._write(conn, guild_id, changes)
            ladder = None
            if changes.ladder is not None:
                more = changes.ladder(written.active_warnings)
                if more is not None:
                    ladder = await self._write(conn, guild_id, more)
        return await self._committed(
            written, None if ladder is None else await self._committed(ladder)
        )

    async def _committed(self, written: _Written, ladder: Committed | None = None) -> Committed:
        cases = [c for c in [await self.case_by_id(i) for i in written.case_ids] if c is not None]
        return Committed(cases, written.notices, written.paired_id, written.active_warnings, ladder)

    async def _write(self, conn: TxConnection, guild_id: int, changes: Changes) -> _Written:
        at = to_text(changes.at)
        case_ids: list[int] = []
        notices: list[tuple[int, int, str]] = []
        paired_id: int | None = None
        if changes.claim is not None:
            await self._claim_in(conn, guild_id, changes.claim, at)
        if changes.release is not None:
            await self._release_in(conn, guild_id, changes.release)
        if changes.reply_change is not None:
            change = changes.reply_change
            if not await self._replies.change_status_in(
                conn, change.reply_id, change.status, change.expected, change.outbox_kind
            ):
                raise ReplyMoved(change.reply_id)
        for new in changes.cases:
            # the server's case counter: the upsert locks its row on PostgreSQL until commit,
            # so numbers stay gapless and unique across processes (0011)
            async with conn.execute(
                "INSERT INTO case_counters (guild_id, last_number) VALUES (?, 1) "
                "ON CONFLICT (guild_id) DO UPDATE SET last_number = case_counters.last_number + 1 "
                "RETURNING last_number",
                (guild_id,),
            ) as cur:
                row = await cur.fetchone()
            number = int(row[0]) if row else 1
            cursor = await conn.execute(
                "INSERT INTO cases (guild_id, number, type, target_id, moderator_id, "
                "confirmed_by, reason, reply_id, report_id, related_case, created_at, "
                "expires_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    guild_id,
                    number,
                    new.type.value,
                    new.target_id,
                    new.moderator_id,
                    new.confirmed_by,
                    new.reason,
                    new.reply_id,
                    new.report_id,
                    new.related_case,
                    at,
                    None if new.expires_at is None else to_text(new.expires_at),
                ),
            )
            case_id = int(cursor.lastrowid or 0)
            case_ids.append(case_id)
            if new.notice is not None and new.target_id is not None:
                text = new.notice.replace("{case}", str(number))
                cursor = await conn.execute(
                    "INSERT INTO pending_notices (guild_id, user_id, case_id, text, "
                    "created_at) VALUES (?, ?, ?, ?, ?)",
                    (guild_id, new.target_id, case_id, text, at),
                )
                notices.append((int(cursor.lastrowid or 0), new.target_id, text))
        if changes.close_reports:
            marks = ",".join("?" for _ in changes.close_reports)
            await conn.execute(
                f"UPDATE reports SET status = ?, resolved_by = ?, resolved_at = ? "
                f"WHERE status = 'open' AND id IN ({marks})",
                (changes.report_status, changes.decided_by, at, *changes.close_reports),
            )
        if changes.deactivate_cases:
            marks = ",".join("?" for _ in changes.deactivate_cases)
            await conn.execute(
                f"UPDATE cases SET active = 0 WHERE id IN ({marks})", changes.deactivate_cases
            )
        if changes.decide_appeal is not None:
            await conn.execute(
                "UPDATE appeals SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                (changes.decide_appeal[1], changes.decided_by, at, changes.decide_appeal[0]),
            )
        if changes.decide_paired is not None:
            await conn.execute(
                "UPDATE paired_actions SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                (changes.decide_paired[1], changes.decided_by, at, changes.decide_paired[0]),
            )
        if changes.new_paired is not None:
            p = changes.new_paired
            cursor = await conn.execute(
                "INSERT INTO paired_actions (guild_id, item_key, target_id, remove, warn, "
                "timeout_seconds, reason, proposed_by, proposer_community_id, created_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    guild_id,
                    p.item_key,
                    p.target_id,
                    int(p.remove),
                    int(p.warn),
                    None if p.timeout is None else int(p.timeout.total_seconds()),
                    p.reason,
                    p.proposed_by,
                    p.proposer_community_id,
                    at,
                ),
            )
            paired_id = int(cursor.lastrowid or 0)
        warnings = 0
        if changes.count_warnings_for is not None:
            # counted inside the transaction, so two warnings at once each see their own
            async with conn.execute(
                "SELECT COUNT(*) FROM cases WHERE guild_id = ? AND target_id = ? "
                "AND type = 'warning' AND active = 1 AND (expires_at IS NULL OR expires_at > ?)",
                (guild_id, changes.count_warnings_for, at),
            ) as cur:
                row = await cur.fetchone()
            warnings = int(row[0]) if row else 0
        return _Written(case_ids, notices, paired_id, warnings)

    # cases -----------------------------------------------------------------------------

    async def case_by_id(self, case_id: int) -> Case | None:
        row = await self._db.fetchone("SELECT * FROM cases WHERE id = ?", (case_id,))
        return None if row is None else _case(row)

    async def case(self, guild_id: int, number: int) -> Case | None:
        row = await self._db.fetchone(
            "SELECT * FROM cases WHERE guild_id = ? AND number = ?", (guild_id, number)
        )
        return None if row is None else _case(row)

    async def cases_for(self, guild_id: int, user_id: int, limit: int | None = None) -> list[Case]:
        rows = await self._db.fetchall(
            "SELECT * FROM cases WHERE guild_id = ? AND target_id = ? ORDER BY number DESC LIMIT ?",
            (guild_id, user_id, 2**62 if limit is None else limit),  # no limit, both engines
        )
        return [_case(r) for r in rows]

    async def count_for(self, guild_id: int, user_id: int) -> int:
        return int(
            await self._db.fetchval(
                "SELECT COUNT(*) FROM cases WHERE guild_id = ? AND target_id = ?",
                (guild_id, user_id),
            )
        )

    async def active_of_type(
        self, guild_id: int, user_id: int, type_: CaseType, now: datetime
    ) -> list[Case]:
        rows = await self._db.fetchall(
            "SELECT * FROM cases WHERE guild_id = ? AND target_id = ? AND type = ? AND active = 1 "
            "AND (expires_at IS NULL OR expires_at > ?) ORDER BY number",
            (guild_id, user_id, type_.value, to_text(now)),
        )
        return [_case(r) for r in rows]

    async def edit_reason(self, case_id: int, text: str, by: int, at: datetime) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO reason_edits (case_id, previous, edited_by, edited_at) "
                "SELECT id, reason, ?, ? FROM cases WHERE id = ?",
                (by, to_text(at), case_id),
            )
            await conn.execute("UPDATE cases SET reason = ? WHERE id = ?", (text, case_id))

    async def reason_edits(self, case_id: int) -> list[ReasonEdit]:
        rows = await self._db.fetchall(
            "SELECT previous, edited_by, edited_at FROM reason_edits WHERE case_id = ? ORDER BY id",
            (case_id,),
        )
        return [ReasonEdit(r[0], r[1], from_text(r[2])) for r in rows]

    async def due_cases(self, now: datetime) -> list[Case]:
        rows = await self._db.fetchall(
            "SELECT * FROM cases WHERE active = 1 AND expires_at IS NOT NULL AND expires_at <= ? "
            "ORDER BY expires_at",
            (to_text(now),),
        )
        return [_case(r) for r in rows]

    async def expire(self, case_ids: list[int]) -> list[int]:
        """Deactivate the cases still active; return the ones this call deactivated."""
        done = []
        async with self._db.transaction() as conn:
            for case_id in case_ids:
                cursor = await conn.execute(
                    "UPDATE cases SET active = 0 WHERE id = ? AND active = 1", (case_id,)
                )
                if cursor.rowcount:
                    done.append(case_id)
        return done

    async def next_expiry(self) -> datetime | None:
        value = await self._db.fetchval(
            "SELECT MIN(expires_at) FROM cases WHERE active = 1 AND expires_at IS NOT NULL"
        )
        return None if value is None else from_text(str(value))

    async def forget_member(self, guild_id: int, user_id: int) -> None:
        """Data deletion: cases keep their numbers and reasons, with a tombstone as target."""
        async with self._db.transaction() as conn:
            await conn.execute(
                "UPDATE cases SET target_id = NULL, target_tombstoned = 1 "
                "WHERE guild_id = ? AND target_id = ?",
                (guild_id, user_id),
            )
            await conn.execute(
                "DELETE FROM pending_notices WHERE guild_id = ? AND user_id = ?",
                (guild_id, user_id),
            )
            await conn.execute(
                "UPDATE reports SET author_id = NULL WHERE guild_id = ? AND author_id = ?",
                (guild_id, user_id),
            )
            # Reports the member filed stay for the record, without the reporter: ``-id`` is a
            # tombstone that stays unique per report (one open report per reporter and target).
            await conn.execute(
                "UPDATE reports SET reporter_id = -id WHERE guild_id = ? AND reporter_id = ?",
                (guild_id, user_id),
            )

    async def reports_by(self, guild_id: int, user_id: int) -> list[Report]:
        rows = await self._db.fetchall(
            "SELECT * FROM reports WHERE guild_id = ? AND reporter_id = ? ORDER BY id",
            (guild_id, user_id),
        )
        return [_report(r) for r in rows]

    # notices ---------------------------------------------------------------------------

    async def undelivered(self, guild_id: int, user_id: int) -> list[tuple[int, str]]:
        rows = await self._db.fetchall(
            "SELECT id, text FROM pending_notices WHERE guild_id = ? AND user_id = ? "
            "AND delivered_at IS NULL ORDER BY id",
            (guild_id, user_id),
        )
        return [(r[0], r[1]) for r in rows]

    async def take_undelivered(
        self, guild_id: int, user_id: int, at: datetime
    ) -> list[tuple[int, str]]:
        """Mark the member's undelivered notices delivered and return them, in one statement,
        so two interactions at once cannot both show them."""
        async with self._db.transaction() as conn:
            rows = await conn.execute_fetchall(
                "UPDATE pending_notices SET delivered_at = ? WHERE guild_id = ? AND user_id = ? "
                "AND delivered_at IS NULL RETURNING id, text",
                (to_text(at), guild_id, user_id),
            )
        return sorted((r[0], r[1]) for r in rows)

    async def return_undelivered(self, notice_ids: list[int]) -> None:
        """Notices taken but not shown after all (the followup failed)."""
        if not notice_ids:
            return
        marks = ",".join("?" for _ in notice_ids)
        await self._db.execute(
            f"UPDATE pending_notices SET delivered_at = NULL WHERE id IN ({marks})", notice_ids
        )

    async def mark_delivered(self, notice_ids: list[int], at: datetime) -> None:
        if not notice_ids:
            return
        marks = ",".join("?" for _ in notice_ids)
        await self._db.execute(
            f"UPDATE pending_notices SET delivered_at = ? WHERE id IN ({marks}) "
            "AND delivered_at IS NULL",
            (to_text(at), *notice_ids),
        )

    # appeals and paired actions --------------------------------------------------------

    async def add_appeal(
        self, guild_id: int, case_id: int, user_id: int, reason: str, at: datetime
    ) -> int | None:
        try:
            return await self._db.execute(
                "INSERT INTO appeals (guild_id, case_id, user_id, reason, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (guild_id, case_id, user_id, reason, to_text(at)),
            )
        except sqlite3.IntegrityError:
            return None

    async def appeal(self, appeal_id: int) -> Appeal | None:
        row = await self._db.fetchone("SELECT * FROM appeals WHERE id = ?", (appeal_id,))
        return None if row is None else _appeal(row)

    async def paired(self, paired_id: int) -> PairedAction | None:
        row = await self._db.fetchone("SELECT * FROM paired_actions WHERE id = ?", (paired_id,))
        return None if row is None else _paired(row)
