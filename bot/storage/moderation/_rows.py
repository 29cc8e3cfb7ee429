"""Rows of the moderation tables into models, and the text forms they are stored in."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from bot.moderation.casetypes import CaseType
from bot.moderation.models import (
    DEFAULT_LADDER,
    Appeal,
    Case,
    LadderStep,
    PairedAction,
    Report,
    ReportCategory,
)
from bot.storage.engine import Row, db_time, maybe_datetime, to_datetime


def to_text(moment: datetime) -> str:
    """The stored text of a moment (:func:`bot.storage.engine.db_time`)."""
    return db_time(moment)


def from_text(value: object) -> datetime:
    """A stored moment as an aware UTC datetime (:func:`bot.storage.engine.to_datetime`)."""
    return to_datetime(value)


def maybe_time(value: object) -> datetime | None:
    return maybe_datetime(value)


def marks(values: list[int] | tuple[int, ...] | tuple[str, ...]) -> str:
    """``?,?,?`` for an ``IN (…)`` list of ``values``."""
    return ",".join("?" for _ in values)


def case_of(row: Row) -> Case:
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
        expires_at=maybe_time(row["expires_at"]),
        active=bool(row["active"]),
    )


def report_of(row: Row) -> Report:
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


def appeal_of(row: Row) -> Appeal:
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


def paired_of(row: Row) -> PairedAction:
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
