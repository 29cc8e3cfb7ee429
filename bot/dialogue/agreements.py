"""Group agreements and intake: before a member's first reply or response in a server they read
its agreements and accept them; when the text changes (``/setup agreements``), they are asked
again. At intake a member may also leave the facilitators a private note ("what would make
this safe for me").

The default agreements are the catalogs' text (``intake.agreements.default``, in the member's
language); a server's own text replaces it. A version is a hash of the text, so saving the same
text again asks nobody again. Acceptances and notes are stored under a keyed hash of (server,
member), never the member's id.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from bot.dialogue.intake_models import IntakeNote, iso
from bot.errors import Conflict, InvalidInput
from bot.i18n import translate
from bot.privacy import Pseudonymizer
from bot.sanitizer import sanitize
from bot.storage.agreements import AgreementStore

ACCEPTANCE = "agreements"  # the purposes of member_key: unlinkable with each other
NOTE = "intake-note"
BODY_MIN = 20
BODY_MAX = 3000
NOTE_MAX = 1000
NOTES_SHOWN = 25
DEFAULT_KEY = "intake.agreements.default"


def version_of(kind: str, text: str) -> str:
    """Twelve hex digits naming a text: what an acceptance records and a button carries."""
    return hashlib.sha256(f"{kind}\x1f{text}".encode()).hexdigest()[:12]


DEFAULT_VERSION = version_of("default", translate(DEFAULT_KEY, "en"))


@dataclass(frozen=True, slots=True)
class Agreements:
    version: str
    body: str | None  # None: the default text of the catalogs (``intake.agreements.default``)
    renewed: bool = False  # pending for a member who had accepted an earlier text


def clean_text(text: str, limit: int) -> str:
    """Sanitized like every text; blank lines at the ends and trailing spaces go."""
    cleaned = sanitize(text, limit=limit + 1)
    return "\n".join(line.rstrip() for line in cleaned.strip().splitlines()).strip()


class AgreementService:
    def __init__(self, store: AgreementStore, pseudonyms: Pseudonymizer) -> None:
        self._store = store
        self._pseudonyms = pseudonyms

    def _key(self, purpose: str, guild_id: int, user_id: int) -> str:
        return self._pseudonyms.member_key(purpose, guild_id, user_id)

    # the agreements ----------------------------------------------------------------------

    async def current(self, guild_id: int) -> Agreements:
        stored = await self._store.current(guild_id)
        if stored is None:
            return Agreements(DEFAULT_VERSION, None)
        return Agreements(stored.version, stored.body)

    async def pending(self, guild_id: int, user_id: int) -> Agreements | None:
        """The agreements the member has still to accept (None: they accepted these)."""
        current = await self.current(guild_id)
        accepted = await self._store.acceptance(self._key(ACCEPTANCE, guild_id, user_id))
        if accepted is None:
            return current
        if accepted.version == current.version:
            return None
        return Agreements(current.version, current.body, renewed=True)

    async def accept(self, guild_id: int, user_id: int, version: str) -> None:
        """Accept ``version``; refused when the agreements changed since they were shown."""
        if (await self.current(guild_id)).version != version:
            raise Conflict(
                "The agreements changed since you read them; please read them again.",
                key="intake.agreements.changed",
            )
        await self._store.accept(self._key(ACCEPTANCE, guild_id, user_id), version)

    async def replace(self, guild_id: int, text: str) -> Agreements:
        """The server's own agreements (``/setup agreements``), sanitized and bounded."""
        body = clean_text(text, BODY_MAX)
        if not BODY_MIN <= len(body) <= BODY_MAX:
            raise InvalidInput(
                f"The agreements need {BODY_MIN} to {BODY_MAX} characters.",
                key="intake.agreements.bad_length",
                min=BODY_MIN,
                max=BODY_MAX,
            )
        version = version_of("server", body)
        await self._store.replace(guild_id, version, body)
        return Agreements(version, body)

    async def reset(self, guild_id: int) -> Agreements:
        """Back to the default agreements."""
        await self._store.reset(guild_id)
        return Agreements(DEFAULT_VERSION, None)

    # the note to the facilitators --------------------------------------------------------

    async def leave_note(self, guild_id: int, user_id: int, text: str) -> IntakeNote:
        """The member's private note to the facilitators; a second note replaces the first."""
        body = clean_text(text, NOTE_MAX)
        if not body or len(body) > NOTE_MAX:
            raise InvalidInput(
                f"A note needs 1 to {NOTE_MAX} characters.",
                key="intake.note.bad_length",
                max=NOTE_MAX,
            )
        await self._store.set_note(self._key(NOTE, guild_id, user_id), guild_id, body)
        note = await self.note_of(guild_id, user_id)
        assert note is not None
        return note

    async def note_of(self, guild_id: int, user_id: int) -> IntakeNote | None:
        return await self._store.note(self._key(NOTE, guild_id, user_id))

    async def notes(self, guild_id: int) -> list[IntakeNote]:
        """The server's intake notes, newest first, for facilitators (the cog checks who asks):
        nothing in them says who wrote them."""
        return await self._store.notes_of(guild_id, NOTES_SHOWN)

    # /mydata -----------------------------------------------------------------------------

    async def export(self, guild_id: int, user_id: int) -> dict[str, Any]:
        accepted = await self._store.acceptance(self._key(ACCEPTANCE, guild_id, user_id))
        note = await self.note_of(guild_id, user_id)
        return {
            "agreements_accepted": None
            if accepted is None
            else {"version": accepted.version, "accepted_at": iso(accepted.accepted_at)},
            "note_to_facilitators": None
            if note is None
            else {"text": note.body, "written_at": iso(note.created_at)},
        }

    async def forget(self, guild_id: int, user_id: int) -> int:
        """Erase the member's acceptance and note (``/mydata delete``): rows deleted."""
        return await self._store.forget_acceptance(
            self._key(ACCEPTANCE, guild_id, user_id)
        ) + await self._store.forget_note(self._key(NOTE, guild_id, user_id))
