"""Participant safety: pseudonymous labels, quoting by consent, /mydata export and deletion,
retention. Plain async Python over storage; never imports discord."""

from __future__ import annotations

from dataclasses import dataclass

from bot.safety.digest import DigestService
from bot.safety.labels import author_label, pseudonymous_label
from bot.safety.mydata import DeletionResult, MyDataService, TooSoon
from bot.safety.records import ModerationRecords, NoModerationRecords
from bot.safety.retention import PurgeReport, RetentionService

__all__ = [
    "DeletionResult",
    "DigestService",
    "ModerationRecords",
    "MyDataService",
    "NoModerationRecords",
    "PurgeReport",
    "RetentionService",
    "SafetyService",
    "TooSoon",
    "author_label",
    "pseudonymous_label",
]


@dataclass(slots=True)
class SafetyService:
    mydata: MyDataService
    retention: RetentionService
    digest: DigestService
