"""One moderator decision, one transaction: a :class:`Decision` is a list of typed writes,
applied in order by one small writer each. A crash or a race leaves all of it or none of it.

Case numbers are drawn inside the ``BEGIN IMMEDIATE`` transaction, so they are 1, 2, 3 per
guild with no gap and no duplicate, however many moderators act at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.dialogue.models import ReplyStatus
from bot.moderation.models import Case, NewCase
from bot.notice import Notice
from bot.storage.communities import decide_request
from bot.storage.engine import Storage, TxConnection, run_script
from bot.storage.moderation._rows import marks, to_text
from bot.storage.moderation.cases import CaseStore
from bot.storage.moderation.queue import claim_in, release_in
from bot.storage.replies import ReplyStore


@dataclass(frozen=True, slots=True)
class ClaimItem:
    """Resolve the queue item ``key``; the first claim wins (:class:`ClaimTaken`)."""

    key: str
    action: str
    by: int


@dataclass(frozen=True, slots=True)
class Release:
    """Open the queue item ``key`` again (a cancelled proposal's original item)."""

    key: str


@dataclass(frozen=True, slots=True)
class SetReplyStatus:
    """Move a reply to ``status`` if it is still in one of ``expected`` (else
    :class:`ReplyMoved`), queuing ``outbox_kind`` work for the publisher."""

    reply_id: int
    status: ReplyStatus
    expected: tuple[ReplyStatus, ...]
    outbox_kind: str | None = None


@dataclass(frozen=True, slots=True)
class AddCase:
    """Record a case, numbered now, with its notice to the target (if it has one)."""

    case: NewCase


@dataclass(frozen=True, slots=True)
class CloseReports:
    report_ids: tuple[int, ...]
    status: str
    by: int | None


@dataclass(frozen=True, slots=True)
class Deactivate:
    """Cases that no longer count (a pardon, a lifted timeout, an overturned appeal)."""

    case_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class DecideAppeal:
    appeal_id: int
    status: str
    by: int | None


@dataclass(frozen=True, slots=True)
class DecidePaired:
    paired_id: int
    status: str
    by: int | None


@dataclass(frozen=True, slots=True)
class ProposePaired:
    """A removal or timeout waiting for a moderator from another community."""

    item_key: str | None
    target_id: int | None
    remove: bool
    warn: bool
    timeout: timedelta | None
    reason: str
    proposed_by: int
    proposer_community_id: int | None


@dataclass(frozen=True, slots=True)
class DecideJoinRequest:
    """A join request's decision (community verification), with the membership on approval;
    :class:`RequestTaken` when another moderator decided it first."""

    request_id: int
    approved: bool
    by: int


@dataclass(frozen=True, slots=True)
class CountWarnings:
    """Count ``user_id``'s active warnings after the writes before it; ``then`` (the escalation
    ladder, pure) turns the count into more writes in the same transaction, so a warning
    never lands without its step."""

    user_id: int
    then: Callable[[int], Decision | None] | None = None


Write = (
    ClaimItem
    | Release
    | SetReplyStatus
    | AddCase
    | CloseReports
    | Deactivate
    | DecideAppeal
    | DecidePaired
    | ProposePaired
    | CountWarnings
    | DecideJoinRequest
)


@dataclass(frozen=True, slots=True)
class Decision:
    """Everything one decision writes, at one moment."""

    at: datetime
    writes: list[Write] = field(default_factory=list)


class RequestTaken(Exception):
    """Another moderator decided the join request first; nothing of this decision was
    written."""


class ReplyMoved(Exception):
    """The reply is no longer in the state the decision expected (withdrawn, removed…);
    nothing of this decision was written."""


@dataclass(frozen=True, slots=True)
class Committed:
    cases: list[Case]
    notices: list[tuple[int, int, Notice]]  # (notice id, user id, notice)
    paired_id: int | None
    active_warnings: int = 0
    ladder: Committed | None = None  # what the escalation ladder added, if anything


@dataclass(slots=True)
class _Written:
    """What the writers have written so far, inside the transaction."""

    conn: TxConnection
    guild_id: int
    at: str
    case_ids: list[int] = field(default_factory=list)
    notices: list[tuple[int, int, Notice]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)  # the case numbers written so far
    paired_id: int | None = None
    active_warnings: int = 0
    ladder: _Written | None = None


class DecisionStore:
    def __init__(self, db: Storage, replies: ReplyStore, cases: CaseStore) -> None:
        self._db = db
        self._replies = replies
        self._cases = cases

    async def commit(self, guild_id: int, decision: Decision) -> Committed:
        """Write ``decision`` (and whatever its ladder adds) in one transaction."""
        async with self._db.transaction() as conn:
            written = await self._write_all(conn, guild_id, decision)
        return await self._committed(written)

    async def _write_all(self, conn: TxConnection, guild_id: int, decision: Decision) -> _Written:
        done = _Written(conn, guild_id, to_text(decision.at))
        for write in decision.writes:
            await self._write(done, write)
        return done

    async def _write(self, done: _Written, write: Write) -> None:
        match write:
            case ClaimItem(key=key, action=action, by=by):
                await claim_in(done.conn, done.guild_id, key, action, by, done.at)
            case Release(key=key):
                await release_in(done.conn, done.guild_id, key)
            case SetReplyStatus():
                await self._set_reply_status(done, write)
            case AddCase(case=new):
                await _add_case(done, new)
            case CloseReports(report_ids=ids, status=status, by=by) if ids:
                await done.conn.execute(
                    f"UPDATE reports SET status = ?, resolved_by = ?, resolved_at = ? "
                    f"WHERE status = 'open' AND id IN ({marks(ids)})",
                    (status, by, done.at, *ids),
                )
            case Deactivate(case_ids=ids) if ids:
                await done.conn.execute(
                    f"UPDATE cases SET active = 0 WHERE id IN ({marks(ids)})", ids
                )
            case DecideAppeal(appeal_id=ident, status=status, by=by):
                await _decide(done, "appeals", ident, status, by)
            case DecidePaired(paired_id=ident, status=status, by=by):
                await _decide(done, "paired_actions", ident, status, by)
            case ProposePaired():
                await _propose(done, write)
            case CountWarnings(user_id=user_id, then=then):
                await self._count_warnings(done, user_id, then)
            case DecideJoinRequest(request_id=ident, approved=approved, by=by):
                if not await run_script(done.conn, decide_request(ident, approved, by)):
                    raise RequestTaken(ident)

    async def _set_reply_status(self, done: _Written, change: SetReplyStatus) -> None:
        if not await self._replies.change_status_in(
            done.conn, change.reply_id, change.status, change.expected, change.outbox_kind
        ):
            raise ReplyMoved(change.reply_id)

    async def _count_warnings(
        self, done: _Written, user_id: int, then: Callable[[int], Decision | None] | None
    ) -> None:
        # counted inside the transaction, so two warnings at once each see their own
        async with done.conn.execute(
            "SELECT COUNT(*) FROM cases WHERE guild_id = ? AND target_id = ? "
            "AND type = 'warning' AND active = 1 AND (expires_at IS NULL OR expires_at > ?)",
            (done.guild_id, user_id, done.at),
        ) as cur:
            row = await cur.fetchone()
        done.active_warnings = int(row[0]) if row else 0
        more = None if then is None else then(done.active_warnings)
        if more is not None:
            done.ladder = await self._write_all(done.conn, done.guild_id, more)

    async def _committed(self, written: _Written) -> Committed:
        cases = [c for c in [await self._cases.case_by_id(i) for i in written.case_ids] if c]
        ladder = None if written.ladder is None else await self._committed(written.ladder)
        return Committed(cases, written.notices, written.paired_id, written.active_warnings, ladder)


async def _add_case(done: _Written, new: NewCase) -> None:
    # the server's case counter: the upsert locks its row on PostgreSQL until commit, so
    # numbers stay gapless and unique across processes (migration 0011)
    async with done.conn.execute(
        "INSERT INTO case_counters (guild_id, last_number) VALUES (?, 1) "
        "ON CONFLICT (guild_id) DO UPDATE SET last_number = case_counters.last_number + 1 "
        "RETURNING last_number",
        (done.guild_id,),
    ) as cur:
        row = await cur.fetchone()
    number = int(row[0]) if row else 1
    cursor = await done.conn.execute(
        "INSERT INTO cases (guild_id, number, type, target_id, moderator_id, confirmed_by, "
        "reason, reply_id, report_id, related_case, created_at, expires_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            done.guild_id,
            number,
            new.type.value,
            new.target_id,
            new.moderator_id,
            new.confirmed_by,
            new.reason,
            new.reply_id,
            new.report_id,
            new.related_case,
            done.at,
            None if new.expires_at is None else to_text(new.expires_at),
        ),
    )
    case_id = int(cursor.lastrowid or 0)
    done.case_ids.append(case_id)
    done.numbers.append(number)
    if new.notice is not None and new.target_id is not None:
        notice = new.notice.numbered(done.numbers)
        cursor = await done.conn.execute(
            "INSERT INTO pending_notices (guild_id, user_id, case_id, text, message, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (done.guild_id, new.target_id, case_id, notice.text, notice.to_json(), done.at),
        )
        done.notices.append((int(cursor.lastrowid or 0), new.target_id, notice))


async def _decide(done: _Written, table: str, ident: int, status: str, by: int | None) -> None:
    await done.conn.execute(
        f"UPDATE {table} SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
        (status, by, done.at, ident),
    )


async def _propose(done: _Written, p: ProposePaired) -> None:
    cursor = await done.conn.execute(
        "INSERT INTO paired_actions (guild_id, item_key, target_id, remove, warn, "
        "timeout_seconds, reason, proposed_by, proposer_community_id, created_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?)",
        (
            done.guild_id,
            p.item_key,
            p.target_id,
            int(p.remove),
            int(p.warn),
            None if p.timeout is None else int(p.timeout.total_seconds()),
            p.reason,
            p.proposed_by,
            p.proposer_community_id,
            done.at,
        ),
    )
    done.paired_id = int(cursor.lastrowid or 0)
