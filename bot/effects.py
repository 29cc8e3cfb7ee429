"""What a service asks Discord to do once its decision is committed, as plain data.

A service writes its decision in one transaction and returns an :class:`Outcome`: a sentence
for the person who acted and the :data:`Effect` values to apply afterwards. The one applier,
``cogs/_effects.py``, matches on the effect's type. Effects carry ids, datetimes and plain
text, never Discord markup: the cog that applies them decides how they look.

Features wake each other through two events rather than by reaching into each other:
:class:`QueueChanged` becomes ``bot.dispatch("t2_queue_changed")`` and :class:`OutboxChanged`
becomes ``bot.dispatch("t2_outbox_changed")``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.moderation.models import Case
from bot.notice import Notice

QUEUE_CHANGED = "t2_queue_changed"  # listened to as ``on_t2_queue_changed``
OUTBOX_CHANGED = "t2_outbox_changed"  # listened to as ``on_t2_outbox_changed``
ROUND_CHANGED = "t2_round_changed"  # listened to as ``on_t2_round_changed(round_id)``


@dataclass(frozen=True, slots=True)
class Timeout:
    """Time the member out until ``until`` (skipped when they left the server)."""

    user_id: int
    until: datetime


@dataclass(frozen=True, slots=True)
class Untimeout:
    """Lift the member's timeout (skipped when they left the server)."""

    user_id: int


@dataclass(frozen=True, slots=True)
class Notify:
    """Send the member a stored notice by DM; once sent, ``notice_id`` is marked delivered.
    When DMs are closed the notice stays pending for their next visit."""

    user_id: int
    notice_id: int
    notice: Notice

    @property
    def text(self) -> str:
        """The notice in English (for tests and logs of the bot's own)."""
        return self.notice.text


@dataclass(frozen=True, slots=True)
class DeleteMessage:
    """Delete a message (already gone is fine)."""

    channel_id: int
    message_id: int


@dataclass(frozen=True, slots=True)
class PostCase:
    """Post a new case to the server's mod log."""

    case: Case


@dataclass(frozen=True, slots=True)
class Announce:
    """Post a new queue item to the mod channel (once, whoever asks first)."""

    item_key: str


@dataclass(frozen=True, slots=True)
class Resolve:
    """Mark a queue item's mod-channel post as done: ``done`` is what happened, in the past
    tense ("Approved", "Removed and warned"), ``by`` the moderator's user id."""

    item_key: str
    done: str
    by: int


@dataclass(frozen=True, slots=True)
class AddRole:
    """Give the member a role."""

    user_id: int
    role_id: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class RemoveRole:
    """Take a role from the member."""

    user_id: int
    role_id: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class OutboxChanged:
    """The reply outbox has new work: the publisher should look now."""


@dataclass(frozen=True, slots=True)
class RoundChanged:
    """A round's prompt should be redrawn (paused, resumed): the dialogue feature listens."""

    round_id: int


@dataclass(frozen=True, slots=True)
class QueueChanged:
    """The moderation queue has a new item: it should be announced now."""


@dataclass(frozen=True, slots=True)
class LeaveThread:
    """Take the member out of a (circle's private) thread (already out is fine)."""

    user_id: int
    thread_id: int


Effect = (
    Timeout
    | Untimeout
    | Notify
    | DeleteMessage
    | PostCase
    | Announce
    | Resolve
    | AddRole
    | RemoveRole
    | OutboxChanged
    | QueueChanged
    | RoundChanged
    | LeaveThread
)


@dataclass(slots=True)
class Outcome:
    """What a call did: a sentence for the person who acted, the cases it recorded, and the
    effects to apply after the commit, in order."""

    message: str
    cases: list[Case] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    recommend_removal: bool = False
    pending_key: str | None = None  # set when paired moderation holds the action
    user_id: int | None = None  # a revealed author


__all__ = [
    "OUTBOX_CHANGED",
    "QUEUE_CHANGED",
    "ROUND_CHANGED",
    "AddRole",
    "Announce",
    "DeleteMessage",
    "Effect",
    "Notify",
    "OutboxChanged",
    "Outcome",
    "PostCase",
    "QueueChanged",
    "RemoveRole",
    "Resolve",
    "RoundChanged",
    "Timeout",
    "Untimeout",
]
