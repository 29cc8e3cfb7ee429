"""Moderation tables, one module per table group: ``cases``, ``reports`` (and appeals),
``queue`` (the queue's SQL, claims, mod-channel posts, paired actions), ``notices``,
``settings``, and ``decision``, the unit of work that writes one moderator decision.

:class:`ModerationStore` hands out one store per group, sharing the database.
"""

from __future__ import annotations

from bot.storage.engine import Storage
from bot.storage.moderation.cases import CaseStore
from bot.storage.moderation.decision import (
    AddCase,
    ClaimItem,
    CloseReports,
    Committed,
    CountWarnings,
    Deactivate,
    DecideAppeal,
    DecideJoinRequest,
    DecidePaired,
    Decision,
    DecisionStore,
    ProposePaired,
    Release,
    ReplyMoved,
    RequestTaken,
    SetReplyStatus,
    Write,
)
from bot.storage.moderation.notices import NoticeStore
from bot.storage.moderation.queue import ClaimTaken, QueueStore, Resolution
from bot.storage.moderation.reports import DuplicateReport, NewReport, ReportStore
from bot.storage.moderation.settings import SettingsStore
from bot.storage.replies import ReplyStore


class ModerationStore:
    """The moderation tables, by group. ``replies`` is the reply store a decision changes a
    reply's status through (one transaction with the decision)."""

    def __init__(self, db: Storage, replies: ReplyStore | None = None) -> None:
        self.cases = CaseStore(db)
        self.reports = ReportStore(db)
        self.queue = QueueStore(db)
        self.notices = NoticeStore(db)
        self.settings = SettingsStore(db)
        self.decisions = DecisionStore(db, replies or ReplyStore(db), self.cases)

    async def commit(self, guild_id: int, decision: Decision) -> Committed:
        """Write one decision in one transaction (see :mod:`.decision`)."""
        return await self.decisions.commit(guild_id, decision)


__all__ = [
    "AddCase",
    "ClaimItem",
    "ClaimTaken",
    "CloseReports",
    "Committed",
    "CountWarnings",
    "Deactivate",
    "DecideAppeal",
    "DecideJoinRequest",
    "DecidePaired",
    "Decision",
    "DuplicateReport",
    "ModerationStore",
    "NewReport",
    "ProposePaired",
    "Release",
    "ReplyMoved",
    "RequestTaken",
    "Resolution",
    "SetReplyStatus",
    "Write",
]
