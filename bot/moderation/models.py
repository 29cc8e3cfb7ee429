"""Plain data for moderation, in the dialogue's own words: report, case, appeal, queue item."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.civility.model import Verdict
from bot.dialogue.models import Reply
from bot.moderation.casetypes import CaseType
from bot.notice import Notice


class ReportCategory(StrEnum):
    HOSTILITY = "hostility"
    HATE = "hate"
    THREAT = "threat"
    DOXXING = "doxxing"
    SPAM = "spam"
    OTHER = "other"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS = {
    ReportCategory.HOSTILITY: "Hostility or insults",
    ReportCategory.HATE: "Slur or hate",
    ReportCategory.THREAT: "Threat",
    ReportCategory.DOXXING: "Doxxing or personal info",
    ReportCategory.SPAM: "Spam",
    ReportCategory.OTHER: "Other",
}


class ItemKind(StrEnum):
    """The kinds of queue item, the one definition of their keys (``held:12``): the queue's
    SQL is generated from it (``bot/storage/moderation/queue.py``) and the moderation
    custom_ids parse with :data:`ITEM_KEY_PATTERN` (``cogs/_ids.py``)."""

    HELD = "held"  # a held reply
    REPORT = "report"  # open reports on one reply or message (keyed by the first report)
    APPEAL = "appeal"
    PAIRED = "paired"  # a removal or timeout waiting for a second moderator


# Keys on buttons posted before migration 0014 made the kinds readable ("r:12").
LEGACY_KINDS = {
    "r": ItemKind.HELD,
    "p": ItemKind.REPORT,
    "a": ItemKind.APPEAL,
    "c": ItemKind.PAIRED,
}
ITEM_KEY_PATTERN = (
    "(?:" + "|".join([*(k.value for k in ItemKind), f"[{''.join(LEGACY_KINDS)}]"]) + "):[0-9]+"
)


def item_key(kind: ItemKind, ident: int) -> str:
    return f"{kind.value}:{ident}"


def parse_item_key(key: str) -> tuple[ItemKind, int]:
    """Raises ValueError for what is not an item key. Legacy one-letter kinds are read too."""
    prefix, _, ident = key.partition(":")
    kind = LEGACY_KINDS.get(prefix) or ItemKind(prefix)
    return kind, int(ident)


def canonical_key(key: str) -> str:
    """The key as stored today (``r:12`` from an old button becomes ``held:12``)."""
    return item_key(*parse_item_key(key))


@dataclass(frozen=True, slots=True)
class Case:
    id: int
    guild_id: int
    number: int
    type: CaseType
    target_id: int | None
    target_tombstoned: bool
    moderator_id: int
    confirmed_by: int | None
    reason: str
    reply_id: int | None
    report_id: int | None
    related_case: int | None
    created_at: datetime
    expires_at: datetime | None
    active: bool

    @property
    def is_sanction(self) -> bool:
        return self.type.info.sanction

    @property
    def target_label(self) -> str:
        if self.target_tombstoned:
            return "a former member"
        return "nobody" if self.target_id is None else f"<@{self.target_id}>"


@dataclass(frozen=True, slots=True)
class NewCase:
    type: CaseType
    moderator_id: int
    target_id: int | None = None
    reason: str = ""
    reply_id: int | None = None
    report_id: int | None = None
    related_case: int | None = None
    expires_at: datetime | None = None
    confirmed_by: int | None = None
    notice: Notice | None = None  # told to the target; "#case" becomes the case number


@dataclass(frozen=True, slots=True)
class ReasonEdit:
    previous: str
    edited_by: int
    edited_at: datetime


@dataclass(frozen=True, slots=True)
class Report:
    id: int
    guild_id: int
    reply_id: int | None
    channel_id: int | None
    message_id: int | None
    author_id: int | None
    reporter_id: int
    category: ReportCategory
    reason: str
    status: str
    resolved_by: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Appeal:
    id: int
    guild_id: int
    case_id: int
    user_id: int
    reason: str
    status: str
    decided_by: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class PairedAction:
    id: int
    guild_id: int
    item_key: str | None
    target_id: int | None
    remove: bool
    warn: bool
    timeout: timedelta | None
    reason: str
    proposed_by: int
    proposer_community_id: int | None
    status: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class LadderStep:
    warnings: int
    timeout: timedelta
    recommend_removal: bool = False


DEFAULT_LADDER = (
    LadderStep(2, timedelta(hours=1)),
    LadderStep(3, timedelta(hours=24)),
    LadderStep(4, timedelta(days=7), recommend_removal=True),
)


@dataclass(frozen=True, slots=True)
class ModerationSettings:
    guild_id: int
    warning_days: int = 30
    ladder: tuple[LadderStep, ...] = DEFAULT_LADDER
    paired: bool = False

    def step_for(self, active_warnings: int) -> LadderStep | None:
        """The highest step reached; beyond the last step, the last step again."""
        reached = [s for s in self.ladder if s.warnings <= active_warnings]
        return max(reached, key=lambda s: s.warnings) if reached else None


@dataclass(frozen=True, slots=True)
class History:
    """Prior cases about one member: how many, and the latest few."""

    count: int
    recent: tuple[Case, ...]
    active_warnings: int


@dataclass(frozen=True, slots=True)
class QueueItem:
    key: str
    kind: ItemKind
    created_at: datetime
    position: int  # 1-based place in the queue
    total: int
    reply: Reply | None = None
    verdicts: tuple[Verdict, ...] = ()  # the civility verdicts that held a reply
    reports: tuple[Report, ...] = ()
    channel_id: int | None = None  # a reported message that is not a reply
    message_id: int | None = None
    community: str | None = None
    history: History | None = None
    appeal: Appeal | None = None
    appealed_case: Case | None = None
    paired: PairedAction | None = None
