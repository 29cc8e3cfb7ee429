"""Facilitators' notes about a participant of a round (``facilitator_notes``): a note names
the round and the participant's per-round key, never a member id."""

from __future__ import annotations

from collections.abc import Sequence

from bot.dialogue.intake_models import Note
from bot.storage.engine import Row, Storage, to_datetime

CHUNK = 500  # well under SQLite's limit on bound parameters

_NOTE = (
    "SELECT n.id, n.guild_id, n.round_id, n.body, n.created_at, ro.number AS round_number, "
    "p.number AS participant FROM facilitator_notes n "
    "JOIN rounds ro ON ro.id = n.round_id "
    "JOIN round_participants p ON p.round_id = n.round_id AND p.author_key = n.author_key "
)


def _note(row: Row) -> Note:
    return Note(
        id=int(row["id"]),
        guild_id=int(row["guild_id"]),
        round_number=int(row["round_number"]),
        participant=int(row["participant"]),
        body=str(row["body"]),
        created_at=to_datetime(row["created_at"]),
    )


class NoteStore:
    def __init__(self, db: Storage) -> None:
        self._db = db

    async def participant_key(self, round_id: int, number: int) -> str | None:
        """The per-round key of "Participant ``number``" of the round."""
        value = await self._db.fetchval(
            "SELECT author_key FROM round_participants WHERE round_id = ? AND number = ?",
            (round_id, number),
        )
        return None if value is None else str(value)

    async def seal_of(self, round_id: int, author_key: str) -> str | None:
        """A sealed author id of the participant's replies in the round (none: no reply left)."""
        value = await self._db.fetchval(
            "SELECT author_seal FROM replies WHERE round_id = ? AND author_key = ? "
            "AND author_seal != '' ORDER BY id LIMIT 1",
            (round_id, author_key),
        )
        return None if value is None else str(value)

    async def add(self, guild_id: int, round_id: int, author_key: str, body: str) -> Note:
        row = await self._db.execute_returning(
            "INSERT INTO facilitator_notes (guild_id, round_id, author_key, body) "
            "VALUES (?, ?, ?, ?) RETURNING id",
            (guild_id, round_id, author_key, body),
        )
        assert row is not None
        found = await self.get(int(row["id"]))
        assert found is not None
        return found

    async def get(self, note_id: int) -> Note | None:
        row = await self._db.fetchone(_NOTE + "WHERE n.id = ?", (note_id,))
        return None if row is None else _note(row)

    async def about(self, round_id: int, author_key: str) -> list[Note]:
        rows = await self._db.fetchall(
            _NOTE + "WHERE n.round_id = ? AND n.author_key = ? ORDER BY n.id",
            (round_id, author_key),
        )
        return [_note(r) for r in rows]

    async def delete(self, guild_id: int, note_id: int) -> bool:
        deleted = await self._db.execute_returning_all(
            "DELETE FROM facilitator_notes WHERE id = ? AND guild_id = ? RETURNING id",
            (note_id, guild_id),
        )
        return bool(deleted)

    async def by_keys(self, author_keys: Sequence[str]) -> list[Note]:
        """The notes about any of these per-round keys (one member's, for /mydata)."""
        found: list[Note] = []
        for start in range(0, len(author_keys), CHUNK):
            chunk = author_keys[start : start + CHUNK]
            marks = ",".join("?" for _ in chunk)
            rows = await self._db.fetchall(
                _NOTE + f"WHERE n.author_key IN ({marks}) ORDER BY n.id", tuple(chunk)
            )
            found += [_note(r) for r in rows]
        return found

    async def delete_by_keys(self, author_keys: Sequence[str]) -> int:
        count = 0
        for start in range(0, len(author_keys), CHUNK):
            chunk = author_keys[start : start + CHUNK]
            marks = ",".join("?" for _ in chunk)
            deleted = await self._db.execute_returning_all(
                f"DELETE FROM facilitator_notes WHERE author_key IN ({marks}) RETURNING id",
                tuple(chunk),
            )
            count += len(deleted)
        return count
