"""Responses across the divide, on both engines: a response is a reply row with a parent,
through the reply pipeline, its outbox, moderation's cascade, the notice and export/delete."""

from __future__ import annotations

import pytest

from bot.dialogue.models import ReplyStatus
from bot.dialogue.replies import Disposition, RawReply
from bot.effects import Notify, OutboxChanged
from bot.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.services import Services

from .conftest import GUILD
from .test_dialogue import ANI, BABEK, TEXT, configured, open_round

QUESTION = "What did your family tell you about the neighbours?"


async def published_reply(services: Services, question: str = QUESTION) -> tuple[int, int]:
    await configured(services)
    round_id = await open_round(services)
    await services.communities.join(GUILD, ANI, frozenset(), 1)
    await services.communities.join(GUILD, BABEK, frozenset(), 2)
    raw = RawReply(TEXT, question=question)
    reply = (await services.replies.submit(round_id, ANI, frozenset(), "Ani", raw)).reply
    for item in await services.replies.due_outbox():
        await services.replies.published(item, 50001)
    return round_id, reply.id


async def drain(services: Services) -> list[tuple[str, int | None]]:
    items = await services.replies.due_outbox()
    for n, item in enumerate(items):
        if item.kind == "publish":
            await services.replies.published(item, 60000 + n)
        else:
            await services.replies.outbox_done(item)
    return [(i.kind, i.reply_id) for i in items]


async def test_a_response_is_a_reply_row_published_through_the_outbox(
    services: Services,
) -> None:
    round_id, reply_id = await published_reply(services)
    assert [r.id for r in await services.responses.open_questions(round_id)] == [reply_id]
    result = await services.responses.respond(
        reply_id, GUILD, BABEK, frozenset(), "Babek", "  They said we shared bread.  ", True
    )
    assert result.disposition is Disposition.ACCEPTED
    response = result.response
    assert response.parent_id == reply_id
    assert response.status is ReplyStatus.PENDING
    assert response.fields.brings_up == "They said we shared bread."
    assert response.quote_consent
    assert response.participant_number == 2 and response.community_label == "Azerbaijani"
    assert services.replies.author_of(response) == BABEK
    # its publish row, and a refresh of the reply (its question's status changed)
    assert await drain(services) == [("publish", response.id), ("refresh", reply_id)]
    parent = await services.replies.get(reply_id)
    assert parent.responses == 1 and parent.question_answered
    assert await services.responses.open_questions(round_id) == []
    assert [r.id for r in await services.responses.responses_to(reply_id)] == [response.id]
    # the reply's author is told, never who: a stored notice, then a Notify effect
    (notify,) = [e for e in result.effects if isinstance(e, Notify)]
    assert OutboxChanged() in result.effects
    assert notify.user_id == ANI
    assert "Babek" not in notify.text and "Participant 2" not in notify.text
    pending = await services.moderation.notices.pending(GUILD, ANI)
    assert [notice.text for _, notice in pending] == [notify.text]


async def test_own_reply_other_server_and_closed_round_are_refused(services: Services) -> None:
    round_id, reply_id = await published_reply(services)
    with pytest.raises(NotAllowed) as own:
        await services.responses.respond(reply_id, GUILD, ANI, frozenset(), "Ani", "Me", False)
    assert own.value.key == "responses.own"
    with pytest.raises(NotFound):
        await services.responses.respondable(reply_id, GUILD + 1, BABEK)
    with pytest.raises(InvalidInput):
        await services.responses.respond(reply_id, GUILD, BABEK, frozenset(), "B", " ", False)
    round_ = await services.rounds.get(round_id)
    await services.rounds.set_open(round_, False)
    with pytest.raises(Conflict):
        await services.responses.respondable(reply_id, GUILD, BABEK)
    assert await services.replies.pending_outbox() == 0


async def test_a_response_to_a_response_is_refused(services: Services) -> None:
    _, reply_id = await published_reply(services)
    result = await services.responses.respond(
        reply_id, GUILD, BABEK, frozenset(), "Babek", "An answer.", False
    )
    await drain(services)
    with pytest.raises(Conflict):
        await services.responses.respondable(result.response.id, GUILD, ANI)


async def test_a_removed_reply_unpublishes_its_responses(services: Services) -> None:
    _, reply_id = await published_reply(services)
    result = await services.responses.respond(
        reply_id, GUILD, BABEK, frozenset(), "Babek", "An answer.", False
    )
    await drain(services)
    assert await services.replies.remove_published(reply_id)
    kinds = await drain(services)
    assert ("unpublish", reply_id) in kinds and ("unpublish", result.response.id) in kinds
    assert (await services.replies.get(result.response.id)).status is ReplyStatus.REMOVED


async def test_withdrawing_a_response_reopens_the_question(services: Services) -> None:
    round_id, reply_id = await published_reply(services)
    result = await services.responses.respond(
        reply_id, GUILD, BABEK, frozenset(), "Babek", "An answer.", False
    )
    await drain(services)
    await services.replies.withdraw(result.response.id, BABEK)
    assert await drain(services) == [
        ("unpublish", result.response.id),
        ("refresh", reply_id),
    ]
    assert [r.id for r in await services.responses.open_questions(round_id)] == [reply_id]


async def test_export_and_delete_include_responses(services: Services) -> None:
    _, reply_id = await published_reply(services)
    result = await services.responses.respond(
        reply_id, GUILD, BABEK, frozenset(), "Babek", "They said we shared bread.", True
    )
    await drain(services)
    export = await services.safety.mydata.export(GUILD, BABEK)
    assert "They said we shared bread." in str(export)
    assert [r["responding_to_reply"] for r in export["replies"]] == [reply_id]
    await services.safety.mydata.delete(GUILD, BABEK)
    erased = await services.replies.get(result.response.id)
    assert erased.fields.brings_up == "" and erased.status is ReplyStatus.WITHDRAWN
    assert (await services.replies.get(reply_id)).responses == 0
    assert sorted(await drain(services)) == [
        ("refresh", reply_id),
        ("unpublish", result.response.id),
    ]
