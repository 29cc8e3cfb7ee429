"""What the intake stores return: the server's agreements, a member's acceptance, the note to
the facilitators, and facilitators' notes (times as aware UTC datetimes, bot/storage/README.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


def iso(moment: datetime) -> str:
    """A moment as the export writes it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True, slots=True)
class StoredAgreements:
    version: str
    body: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Acceptance:
    version: str
    accepted_at: datetime


@dataclass(frozen=True, slots=True)
class IntakeNote:
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Note:
    """A facilitator's note about "Participant ``participant``" of round ``round_number``."""

    id: int
    guild_id: int
    round_number: int
    participant: int
    body: str
    created_at: datetime
