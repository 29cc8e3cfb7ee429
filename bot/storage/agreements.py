"""Group agreements (``guild_agreements``), members' acceptances (``agreement_acceptances``) and
their notes to the facilitators (``intake_notes``); members appear by keyed hash only."""

from __future__ import annotations

from bot.dialogue.intake_models import Acceptance, IntakeNote, StoredAgreements
from bot.storage.engine import Row, Storage, to_datetime


def _note(row: Row) -> IntakeNote:
    return IntakeNote(str(row["body"]), to_datetime(row["created_at"]))


class AgreementStore:
    def __init__(self, db: Storage) -> None:
        self._db = db

    # the server's text -------------------------------------------------------------------

    async def current(self, guild_id: int) -> StoredAgreements | None:
        row = await self._db.fetchone(
            "SELECT version, body, updated_at FROM guild_agreements WHERE guild_id = ?",
            (guild_id,),
        )
        if row is None:
            return None
        return StoredAgreements(
            str(row["version"]), str(row["body"]), to_datetime(row["updated_at"])
        )

    async def replace(self, guild_id: int, version: str, body: str) -> None:
        await self._db.execute(
            "INSERT INTO guild_agreements (guild_id, version, body) VALUES (?, ?, ?) "
            "ON CONFLICT(guild_id) DO UPDATE SET version = excluded.version, "
            "body = excluded.body, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            (guild_id, version, body),
        )

    async def reset(self, guild_id: int) -> bool:
        """Back to the default text; False when the server had none of its own."""
        deleted = await self._db.execute_returning_all(
            "DELETE FROM guild_agreements WHERE guild_id = ? RETURNING guild_id", (guild_id,)
        )
        return bool(deleted)

    # acceptances -------------------------------------------------------------------------

    async def acceptance(self, member_key: str) -> Acceptance | None:
        row = await self._db.fetchone(
            "SELECT version, accepted_at FROM agreement_acceptances WHERE member_key = ?",
            (member_key,),
        )
        return (
            None
            if row is None
            else Acceptance(str(row["version"]), to_datetime(row["accepted_at"]))
        )

    async def accept(self, member_key: str, version: str) -> None:
        await self._db.execute(
            "INSERT INTO agreement_acceptances (member_key, version) VALUES (?, ?) "
            "ON CONFLICT(member_key) DO UPDATE SET version = excluded.version, "
            "accepted_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            (member_key, version),
        )

    async def forget_acceptance(self, member_key: str) -> int:
        deleted = await self._db.execute_returning_all(
            "DELETE FROM agreement_acceptances WHERE member_key = ? RETURNING member_key",
            (member_key,),
        )
        return len(deleted)

    # notes to the facilitators -----------------------------------------------------------

    async def set_note(self, member_key: str, guild_id: int, body: str) -> None:
        await self._db.execute(
            "INSERT INTO intake_notes (member_key, guild_id, body) VALUES (?, ?, ?) "
            "ON CONFLICT(member_key) DO UPDATE SET body = excluded.body, "
            "created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            (member_key, guild_id, body),
        )

    async def note(self, member_key: str) -> IntakeNote | None:
        row = await self._db.fetchone(
            "SELECT body, created_at FROM intake_notes WHERE member_key = ?", (member_key,)
        )
        return None if row is None else _note(row)

    async def notes_of(self, guild_id: int, limit: int) -> list[IntakeNote]:
        rows = await self._db.fetchall(
            "SELECT body, created_at FROM intake_notes WHERE guild_id = ? "
            "ORDER BY created_at DESC LIMIT ?",
            (guild_id, limit),
        )
        return [_note(r) for r in rows]

    async def forget_note(self, member_key: str) -> int:
        deleted = await self._db.execute_returning_all(
            "DELETE FROM intake_notes WHERE member_key = ? RETURNING member_key", (member_key,)
        )
        return len(deleted)
