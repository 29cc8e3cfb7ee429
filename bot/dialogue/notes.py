"""Facilitators' notes (``/note``): about a participant *label* of a round ("Participant 3" of
round 2), never about a Discord id.

A label is resolved here to the participant's per-round key, the key their replies carry, so a
note is found, exported and erased with the member's replies (``/mydata`` recomputes the keys),
and purged with the round's participant numbers by retention. Who may write and read notes
(facilitators) is checked by the cog before it calls in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.dialogue.agreements import AgreementService, clean_text
from bot.dialogue.intake_models import IntakeNote, Note, iso
from bot.errors import InvalidInput, NotFound
from bot.privacy import Pseudonymizer, SealError
from bot.storage.notes import NoteStore
from bot.storage.rounds import RoundStore

NOTE_MAX = 1000
LABEL = re.compile(r"^\s*(?:participant|#)?\s*(\d{1,6})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Participant:
    round_id: int
    round_number: int
    number: int
    key: str


@dataclass(frozen=True, slots=True)
class NotesAbout:
    participant: Participant
    notes: list[Note]
    intake: IntakeNote | None  # what the member told the facilitators at intake


def participant_number(label: str) -> int:
    """3 for "Participant 3", "Participant 3 · Armenian", "#3" or "3"."""
    match = LABEL.match(label or "")
    if match is None:
        raise InvalidInput(
            'Name the participant by their label, e.g. "Participant 3".',
            key="notes.bad_label",
        )
    return int(match[1])


class NoteService:
    def __init__(
        self,
        store: NoteStore,
        rounds: RoundStore,
        pseudonyms: Pseudonymizer,
        agreements: AgreementService,
    ) -> None:
        self._store = store
        self._rounds = rounds
        self._pseudonyms = pseudonyms
        self._agreements = agreements

    async def participant(self, guild_id: int, round_number: int | None, label: str) -> Participant:
        """The participant a label names in the server's round (its latest when None)."""
        number = participant_number(label)
        if round_number is None:
            recent = await self._rounds.recent(guild_id, 1)
            round_ = recent[0] if recent else None
        else:
            round_ = await self._rounds.by_number(guild_id, round_number)
        if round_ is None:
            raise NotFound("There is no such round in this server.", key="notes.no_round")
        key = await self._store.participant_key(round_.id, number)
        if key is None:
            raise NotFound(
                f"Round {round_.number} has no Participant {number}.",
                key="notes.no_participant",
                round=round_.number,
                number=number,
            )
        return Participant(round_.id, round_.number, number, key)

    async def add(self, guild_id: int, round_number: int | None, label: str, text: str) -> Note:
        who = await self.participant(guild_id, round_number, label)
        body = clean_text(text, NOTE_MAX)
        if not body or len(body) > NOTE_MAX:
            raise InvalidInput(
                f"A note needs 1 to {NOTE_MAX} characters.",
                key="notes.bad_length",
                max=NOTE_MAX,
            )
        return await self._store.add(guild_id, who.round_id, who.key, body)

    async def about(self, guild_id: int, round_number: int | None, label: str) -> NotesAbout:
        """The notes about a participant, and the note they left at intake (found through
        their sealed author id, in memory only)."""
        who = await self.participant(guild_id, round_number, label)
        notes = await self._store.about(who.round_id, who.key)
        intake = None
        sealed = await self._store.seal_of(who.round_id, who.key)
        if sealed is not None:
            try:
                user_id = self._pseudonyms.unseal(sealed)
            except SealError:
                user_id = None
            if user_id is not None:
                intake = await self._agreements.note_of(guild_id, user_id)
        return NotesAbout(who, notes, intake)

    async def delete(self, guild_id: int, note_id: int) -> None:
        if not await self._store.delete(guild_id, note_id):
            raise NotFound(
                f"There is no note {note_id} in this server.", key="notes.no_note", id=note_id
            )

    # /mydata -----------------------------------------------------------------------------

    async def _keys(self, guild_id: int, user_id: int) -> list[str]:
        round_ids = await self._rounds.all_ids(guild_id)
        return [self._pseudonyms.author_key(guild_id, r, user_id) for r in round_ids]

    async def export(self, guild_id: int, user_id: int) -> dict[str, Any]:
        notes = await self._store.by_keys(await self._keys(guild_id, user_id))
        return {
            "facilitator_notes_about_you": [
                {
                    "round": n.round_number,
                    "participant_number": n.participant,
                    "note": n.body,
                    "written_at": iso(n.created_at),
                }
                for n in notes
            ]
        }

    async def forget(self, guild_id: int, user_id: int) -> int:
        return await self._store.delete_by_keys(await self._keys(guild_id, user_id))
