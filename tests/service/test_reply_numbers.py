"""A reply's number within its round, the "4" of its reference R2-4 (issue 13 item 9), on both
engines: drawn in submission order, a draft only once submitted, per round, never reused after
a deletion; and a reference finds only this server's reply."""

from __future__ import annotations

import pytest

from bot.dialogue.models import ReplyFields, ReplyStatus
from bot.errors import InvalidInput, NotFound
from bot.services import Services
from bot.storage import Storage
from bot.storage.replies import NewReply, ReplyStore

from .conftest import GUILD


def _new(round_id: int, author: str, status: ReplyStatus) -> NewReply:
    return NewReply(
        round_id=round_id,
        guild_id=GUILD,
        author_key=author,
        author_seal="seal",
        author_name=None,
        community_id=None,
        community_label="A",
        fields=ReplyFields("text", "", "", ""),
        quote_consent=False,
        status=status,
        civility_action="allow",
        civility_detail="[]",
    )


async def _round(db: Storage, number: int, guild: int = GUILD) -> int:
    excerpt = await db.fetchval("SELECT id FROM excerpts ORDER BY id LIMIT 1")
    return await db.execute(
        "INSERT INTO rounds (guild_id, number, excerpt_id, channel_id) VALUES (?, ?, ?, 9)",
        (guild, number, excerpt),
    )


async def test_replies_are_numbered_within_their_round_in_submission_order(
    services: Services,
) -> None:
    store = ReplyStore(services.db)
    first = await _round(services.db, 1)
    second = await _round(services.db, 2)
    a, _, n_a = await store.create_numbered(_new(first, "a", ReplyStatus.PENDING))
    draft, _, n_draft = await store.create_numbered(_new(first, "b", ReplyStatus.DRAFT))
    held, _, n_held = await store.create_numbered(_new(first, "c", ReplyStatus.HELD))
    other, _, n_other = await store.create_numbered(_new(second, "a", ReplyStatus.PENDING))
    assert (n_a, n_draft, n_held, n_other) == (1, None, 2, 1)
    # a draft is numbered when it is submitted, after the replies submitted before it
    assert await store.set_status(draft, ReplyStatus.PENDING, expected=(ReplyStatus.DRAFT,))
    got = {i: (await store.get(i)) for i in (a, draft, held, other)}
    assert {i: r.reference for i, r in got.items() if r is not None} == {
        a: "R1-1",
        draft: "R1-3",
        held: "R1-2",
        other: "R2-1",
    }


async def test_a_number_is_never_given_twice_even_after_a_deletion(services: Services) -> None:
    store = ReplyStore(services.db)
    round_id = await _round(services.db, 1)
    await store.create_numbered(_new(round_id, "a", ReplyStatus.PENDING))
    last, _, n_last = await store.create_numbered(_new(round_id, "b", ReplyStatus.PENDING))
    assert n_last == 2
    await services.db.execute("DELETE FROM replies WHERE id = ?", (last,))
    _, _, n_next = await store.create_numbered(_new(round_id, "c", ReplyStatus.PENDING))
    assert n_next == 3  # R1-2 named the deleted reply; it names nothing else


async def test_a_reference_finds_this_servers_reply_only(services: Services) -> None:
    store = ReplyStore(services.db)
    here = await _round(services.db, 1)
    elsewhere = await _round(services.db, 1, guild=GUILD + 1)
    mine, _, _ = await store.create_numbered(_new(here, "a", ReplyStatus.PENDING))
    await store.create_numbered(_new(elsewhere, "a", ReplyStatus.PENDING))
    for typed in ("R1-1", "r1·1", "Round 1, reply 1"):
        assert (await services.replies.by_reference(GUILD, typed)).id == mine
    with pytest.raises(NotFound) as unknown:
        await services.replies.by_reference(GUILD, "R1-2")
    assert unknown.value.key == "conversation.reference.unknown"
    assert unknown.value.params == {"ref": "R1-2"}
    with pytest.raises(InvalidInput):
        await services.replies.by_reference(GUILD, "12")
    other = await services.replies.by_reference(GUILD + 1, "R1-1")
    assert other.id != mine
