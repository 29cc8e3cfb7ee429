"""A copy of the database, read without the secret, must not tell who said what.

Several members reply over two rounds with pseudonyms on; then every table is read with plain
SQL (no secret involved: what a copy of the SQLite file or a PostgreSQL dump shows) and searched
for every encoding of their ids that we can think of. On both engines.
"""

from __future__ import annotations

import base64
import logging
from typing import Any

import pytest

from bot.dialogue.models import EndorsementKind
from bot.dialogue.replies import RawReply
from bot.services import Services
from bot.settings import Settings, configure_logging

from .conftest import GUILD, column_names, table_names
from .test_safety import ANI, BABEK, CAROL, configured, open_round, publish_all

MEMBERS = (ANI, BABEK, CAROL)
# Tables that hold what members do in the dialogue: none may hold a member's id.
DIALOGUE_TABLES = ("replies", "reply_edits", "endorsements", "round_participants", "outbox")
# Tables that may hold member ids, and why.
MEMBER_ID_TABLES = {
    "community_members": "membership is public on Discord (the role); stored to avoid the "
    "privileged members intent",
    "join_requests": "moderators decide them; deleted by /mydata delete",
}
FORBIDDEN_COLUMN_WORDS = {
    "email",
    "mail",
    "ip",
    "ipv4",
    "ipv6",
    "phone",
    "password",
    "passwd",
    "token",
    "secret",
    "address",
    "useragent",
    "agent",
    "avatar",
    "nick",
    "nickname",
    "username",
    "birthday",
    "birthdate",
    "location",
    "content",
}


def encodings(user_id: int) -> list[str | int | bytes]:
    raw = user_id.to_bytes(8, "big")
    return [
        user_id,
        str(user_id),
        f"{user_id:x}",
        f"{user_id:X}",
        f"{user_id:#x}",
        raw.hex(),
        raw[::-1].hex(),
        base64.b64encode(raw).decode().rstrip("="),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
        base64.b32encode(raw).decode().rstrip("="),
        raw,
        raw[::-1],
    ]


def contains(value: Any, needle: str | int | bytes) -> bool:
    if isinstance(needle, int):
        return value == needle or (isinstance(value, str) and str(needle) in value)
    if isinstance(needle, bytes):
        return isinstance(value, bytes) and needle in value
    if isinstance(value, str):
        return needle.lower() in value.lower()
    if isinstance(value, bytes):
        return needle.encode() in value
    if isinstance(value, int):
        return needle == str(value)
    return False


async def dialogue(services: Services) -> dict[str, int]:
    """Three members, two rounds, edits and endorsements, everything published."""
    await configured(services)
    first = await open_round(services)
    ids: dict[str, int] = {}
    for user, name in ((ANI, "ani"), (BABEK, "babek"), (CAROL, "carol")):
        text = f"{name} writes in round one about the excerpt and home."
        result = await services.replies.submit(
            first, user, frozenset(), name, RawReply(text, question="why?", quote_consent=True)
        )
        ids[f"{name}1"] = result.reply.id
    await publish_all(services)
    await services.replies.edit(ids["ani1"], ANI, RawReply("ani edits the round one reply."))
    await services.replies.endorse(ids["babek1"], ANI, frozenset(), EndorsementKind.LEARNED)
    await services.replies.endorse(ids["ani1"], CAROL, frozenset(), EndorsementKind.RESONATES)
    second = await open_round(services)
    # a different order in round two: Participant numbers are drawn afresh
    for user, name in ((CAROL, "carol"), (BABEK, "babek"), (ANI, "ani")):
        text = f"{name} writes in round two, a different thought."
        result = await services.replies.submit(second, user, frozenset(), name, RawReply(text))
        ids[f"{name}2"] = result.reply.id
    await publish_all(services)
    await services.replies.endorse(ids["carol2"], ANI, frozenset(), EndorsementKind.DISAGREE)
    return ids


async def test_database_copy_does_not_expose_or_link_authors(services: Services) -> None:
    ids = await dialogue(services)
    db = services.db
    # (a) no member id, in any encoding, anywhere but the tables allowed to hold them
    found: set[tuple[str, str]] = set()
    for table in await table_names(db):
        cols = await column_names(db, table)
        for row in await db.fetchall(f"SELECT * FROM {table}"):
            for column, value in zip(cols, tuple(row), strict=True):
                for member in MEMBERS:
                    if any(contains(value, needle) for needle in encodings(member)):
                        found.add((table, column))
    assert found <= {(t, "user_id") for t in MEMBER_ID_TABLES}, found
    assert not {t for t, _ in found} & set(DIALOGUE_TABLES)
    assert not found & {("replies", "author_name")}
    assert await db.fetchval("SELECT COUNT(*) FROM replies WHERE author_name IS NOT NULL") == 0

    # (b) Ani's replies in the two rounds share no key or value that links them
    first, second = [
        dict(await db.fetchone("SELECT * FROM replies WHERE id = ?", (ids[k],)))
        for k in ("ani1", "ani2")
    ]
    linkable = ("author_key", "author_seal")
    assert not {first[c] for c in linkable} & {second[c] for c in linkable}
    all_keys = [r[0] for r in await db.fetchall("SELECT author_key FROM replies")]
    assert len(set(all_keys)) == len(all_keys) == 6  # one key per member per round
    voter_keys = [r[0] for r in await db.fetchall("SELECT voter_key FROM endorsements")]
    assert not set(voter_keys) & set(all_keys)  # voting and writing are unlinkable too
    ani_voter = [
        r[0]
        for r in await db.fetchall(
            "SELECT voter_key FROM endorsements WHERE reply_id IN (?, ?)",
            (ids["babek1"], ids["carol2"]),
        )
    ]
    assert len(set(ani_voter)) == 2  # Ani's two endorsements, in two rounds, differ
    numbers = {
        (r["round_id"], r["author_key"]): r["number"]
        for r in await db.fetchall("SELECT * FROM round_participants")
    }
    assert numbers[(first["round_id"], first["author_key"])] == 1
    assert numbers[(second["round_id"], second["author_key"])] == 3
    # even the seal, which does hold the id encrypted, is fresh for every reply
    seals = [r[0] for r in await db.fetchall("SELECT author_seal FROM replies")]
    assert len(set(seals)) == len(seals)

    # (c) with the secret, the bot does find them
    data = await services.safety.mydata.export(GUILD, ANI)
    assert [r["reply_id"] for r in data["replies"]] == [ids["ani1"], ids["ani2"]]
    assert len(data["endorsements_given"]) == 2
    assert services.replies.author_of(await services.replies.get(ids["ani2"])) == ANI


async def test_schema_has_no_forbidden_columns(services: Services) -> None:
    """Data minimization: no e-mail, IP, phone, tokens, message content, profile data; and
    the dialogue tables carry no member id column at all."""
    seen: set[str] = set()
    for table in await table_names(services.db):
        for column in await column_names(services.db, table):
            seen.add(column)
            words = set(column.lower().split("_"))
            assert not words & FORBIDDEN_COLUMN_WORDS, f"{table}.{column}"
    for table in DIALOGUE_TABLES:
        for column in await column_names(services.db, table):
            assert column not in {"user_id", "member_id", "author_id", "voter_id"}, (
                f"{table}.{column}"
            )
    assert "user_id" in seen  # the scan above did see the schema


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
        if record.exc_info:
            self.lines.append(logging.Formatter().formatException(record.exc_info))


@pytest.fixture
def debug_logs() -> Any:
    root = logging.getLogger()
    quiet = [logging.getLogger(name) for name in ("aiosqlite", "discord")]
    saved = root.handlers[:], root.level, [logger.level for logger in quiet]
    configure_logging(Settings(log_level="DEBUG"))
    collect = Collect()
    root.addHandler(collect)
    yield collect
    root.handlers[:], level, levels = saved
    root.setLevel(level)
    for logger, was in zip(quiet, levels, strict=True):
        logger.setLevel(was)


async def test_logs_at_debug_carry_no_reply_text(services: Services, debug_logs: Any) -> None:
    ids = await dialogue(services)
    await services.safety.digest.digest(GUILD, 1)
    await services.safety.mydata.export(GUILD, ANI)
    await services.safety.mydata.delete(GUILD, BABEK)
    await publish_all(services)
    await services.safety.retention.purge()
    assert ids and debug_logs.lines, "nothing was logged; the test would prove nothing"
    text = "\n".join(debug_logs.lines)
    for needle in ("writes in round", "edits the round one", "different thought", "why?"):
        assert needle not in text
    for member in MEMBERS:
        assert str(member) not in text
