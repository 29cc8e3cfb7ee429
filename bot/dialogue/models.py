"""Plain data for the dialogue loop, in the dialogue's own words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Anonymity(StrEnum):
    OFF = "off"
    PSEUDONYMS = "pseudonyms"


class ReplyStatus(StrEnum):
    DRAFT = "draft"  # nudged or blocked: waits for its author to rephrase or submit anyway
    HELD = "held"  # waits for a moderator
    PENDING = "pending"  # committed, in the outbox
    PUBLISHED = "published"
    REJECTED = "rejected"
    REMOVED = "removed"
    WITHDRAWN = "withdrawn"


class EndorsementKind(StrEnum):
    RESONATES = "resonates"
    LEARNED = "learned"
    DISAGREE = "disagree"

    @property
    def label(self) -> str:
        return ENDORSEMENT_LABELS[self]


ENDORSEMENT_LABELS = {
    EndorsementKind.RESONATES: "This resonates",
    EndorsementKind.LEARNED: "I learned something",
    EndorsementKind.DISAGREE: "Respectfully disagree",
}


@dataclass(frozen=True, slots=True)
class GuildConfig:
    guild_id: int
    dialogue_channel_id: int | None = None
    mod_channel_id: int | None = None
    facilitator_role_id: int | None = None
    moderator_role_id: int | None = None
    anonymity: Anonymity = Anonymity.PSEUDONYMS
    active_pack_id: int | None = None
    community_verification: bool = False
    language: str | None = None  # /setup language; None: English


@dataclass(frozen=True, slots=True)
class Pack:
    id: int
    guild_id: int | None
    slug: str
    title: str
    author: str
    link: str | None
    excerpt_count: int = 0


@dataclass(frozen=True, slots=True)
class Excerpt:
    id: int
    pack_id: int
    position: int
    text: str
    title: str
    author: str
    link: str | None


@dataclass(frozen=True, slots=True)
class Community:
    id: int
    guild_id: int
    name: str
    role_id: int


@dataclass(frozen=True, slots=True)
class Round:
    id: int
    guild_id: int
    number: int
    excerpt_id: int
    channel_id: int
    message_id: int | None
    thread_id: int | None
    is_open: bool


@dataclass(frozen=True, slots=True)
class ReplyFields:
    """What the member wrote, after sanitizing."""

    brings_up: str
    experience: str = ""
    unsure: str = ""
    question: str = ""

    def joined(self) -> str:
        return "\n\n".join(
            t for t in (self.brings_up, self.experience, self.unsure, self.question) if t
        )


@dataclass(frozen=True, slots=True)
class Reply:
    id: int
    round_id: int
    guild_id: int
    round_number: int
    thread_id: int | None
    author_key: str
    author_seal: str
    author_name: str | None
    participant_number: int | None
    community_id: int | None
    community_label: str
    fields: ReplyFields
    quote_consent: bool
    status: ReplyStatus
    civility_action: str
    civility_detail: str
    message_id: int | None
    edited: bool = False
    parent_id: int | None = None  # a response: the reply it answers
    responses: int = 0  # live (published or pending) responses to this reply

    @property
    def question_answered(self) -> bool:
        """A reply's question is answered once a response to it is live."""
        return bool(self.fields.question) and self.responses > 0


@dataclass(frozen=True, slots=True)
class EndorsementTally:
    """Counts per endorsement kind, per community (community label → count), in a stable order."""

    communities: tuple[str, ...]
    counts: dict[EndorsementKind, dict[str, int]] = field(default_factory=dict)

    def line(self, kind: EndorsementKind) -> str:
        per = self.counts.get(kind, {})
        return " · ".join(str(per.get(name, 0)) for name in self.communities) or "0"

    def total(self, kind: EndorsementKind) -> int:
        return sum(self.counts.get(kind, {}).values())


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One piece of publishing work: ``kind`` is "publish", "refresh" or "unpublish"."""

    id: int
    guild_id: int
    kind: str
    reply_id: int | None
    attempts: int


@dataclass(frozen=True, slots=True)
class Schedule:
    """A server's prompt schedule: a prompt every ``every_hours`` at ``at_minutes`` UTC."""

    guild_id: int
    every_hours: int
    at_minutes: int
    next_run_at: datetime

    @property
    def at_text(self) -> str:
        return f"{self.at_minutes // 60:02d}:{self.at_minutes % 60:02d} UTC"


@dataclass(frozen=True, slots=True)
class Pause:
    """A facilitator's pause of one round (``round_id``) or the whole server (None)."""

    id: int
    guild_id: int
    round_id: int | None  # None: the whole server
    reason: str
    paused_by: int
    paused_at: datetime
    resumed_by: int | None = None
    resumed_at: datetime | None = None
    round_number: int | None = None  # filled in the log

    @property
    def active(self) -> bool:
        return self.resumed_at is None


@dataclass(frozen=True, slots=True)
class JoinRequest:
    """A member's request to join a community (the deciding moderator is kept in storage)."""

    id: int
    guild_id: int
    user_id: int
    community_id: int
    status: str
    created_at: datetime
    decided_at: datetime | None = None
