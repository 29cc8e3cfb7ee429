"""Responses across the divide, the way members use them: a member of one community answers
another's reply (or its question) from the button under it; the response appears in the
thread as a Discord reply to it, labelled with both pseudonyms; the question's status on the
reply flips; the reply's author is told privately (by DM, or on their next interaction)."""

from __future__ import annotations

import pytest

from bot.dialogue.models import ReplyStatus
from bot.errors import Conflict
from sandbox import state as st
from sandbox.harness import BotHarness
from sandbox.world import World

from .test_dialogue import QUESTION, post_round, published, set_up, share, until

pytestmark = pytest.mark.e2e

ANSWER = "My grandfather said the neighbours shared bread with us every spring."
RESPONSE = "Your response"


async def replied(world: World) -> tuple[st.Message, st.Channel, st.Message]:
    await set_up(world)
    prompt, thread = await post_round(world)
    await share(world, world.ani, prompt, **{QUESTION: "What did your family tell you?"})
    (reply,) = await published(world, thread, 1)
    return prompt, thread, reply


async def test_a_member_of_the_other_community_answers_the_question(
    world: World, tracktwo: BotHarness
) -> None:
    _, thread, reply = await replied(world)
    assert reply.button_labels()[-1] == "Answer the question"
    assert reply.embed_fields()["The question"] == "Open: not answered yet"
    modal = await (await world.bob.click(reply, "Answer the question")).modal()
    ack = await (
        await world.bob.submit(modal, {RESPONSE: ANSWER, "quote_consent": ["yes"]})
    ).message()
    assert ack.ephemeral and "Participant 2 · Azerbaijani" in ack.content
    first, response = await published(world, thread, 2)
    assert first.id == reply.id
    author = response.embed["author"]["name"]
    assert author == "Participant 2 · Azerbaijani, responding to Participant 1 · Armenian (R1-1)"
    assert ANSWER in response.embed["description"]
    # a Discord reply to the reply's message, and a jump link to it
    assert response.message_reference is not None
    assert int(response.message_reference["message_id"]) == reply.id
    link = f"https://discord.com/channels/{world.guild.id}/{thread.id}/{reply.id}"
    assert link in response.embed["description"]
    assert "Answer the question" not in response.button_labels()
    assert "bob" not in str(response.embed) and str(world.bob.id) not in str(response.embed)
    # the reply's message is refreshed through the outbox: its question is answered
    await until(
        lambda: world.emu.messages[reply.id].embed_fields().get("The question") == "Answered",
        what="the question shown answered",
    )
    # the author learns privately that someone responded, never who
    dm = await world.ani.wait_for_dm(timeout=5)
    assert "Someone answered the question in your reply" in dm.content
    assert "bob" not in dm.content and "Participant 2" not in dm.content
    stored = await tracktwo.bot.services.responses.responses_to(
        (await tracktwo.bot.services.replies.by_message(reply.id)).id  # type: ignore[union-attr]
    )
    assert [r.quote_consent for r in stored] == [True]


async def test_closed_dms_leave_the_notice_for_the_next_interaction(
    world: World, tracktwo: BotHarness
) -> None:
    prompt, thread, reply = await replied(world)
    world.ani.close_dms()
    modal = await (await world.bob.click(reply, "Answer the question")).modal()
    await (await world.bob.submit(modal, {RESPONSE: ANSWER})).message()
    await published(world, thread, 2)
    assert world.ani.dms == []
    # Ani's next interaction (an endorsement of someone's reply) brings the notice privately
    await share(world, world.babek, prompt)
    replies = await published(world, thread, 3)
    handle = await world.ani.click(replies[-1], "This resonates")
    await handle.message()
    notice = await handle.followup(1, timeout=15)
    assert notice.ephemeral and "Someone answered the question" in notice.content


async def test_no_response_to_ones_own_reply(world: World, tracktwo: BotHarness) -> None:
    _, thread, reply = await replied(world)
    refused = await (await world.ani.click(reply, "Answer the question")).message()
    assert refused.ephemeral and "your own reply" in refused.content
    assert len(await published(world, thread, 1)) == 1


async def test_a_removed_reply_takes_its_responses_with_it(
    world: World, tracktwo: BotHarness
) -> None:
    _, thread, reply = await replied(world)
    modal = await (await world.bob.click(reply, "Answer the question")).modal()
    await (await world.bob.submit(modal, {RESPONSE: ANSWER})).message()
    _, response = await published(world, thread, 2)
    services = tracktwo.bot.services
    stored = await services.replies.by_message(reply.id)
    assert stored is not None
    assert await services.replies.remove_published(stored.id)
    tracktwo.bot.dispatch("t2_outbox_changed")
    await until(
        lambda: world.emu.messages[reply.id].deleted and world.emu.messages[response.id].deleted,
        what="the reply and its response unpublished",
    )
    (child,) = await services.responses.responses_to(stored.id)
    assert child.status is ReplyStatus.REMOVED
    # a form opened before the removal is refused when submitted
    with pytest.raises(Conflict):
        await services.responses.respondable(stored.id, world.guild.id, world.babek.id)


async def test_export_and_delete_include_responses(world: World, tracktwo: BotHarness) -> None:
    _, thread, reply = await replied(world)
    modal = await (await world.bob.click(reply, "Answer the question")).modal()
    await (await world.bob.submit(modal, {RESPONSE: ANSWER})).message()
    _, response = await published(world, thread, 2)
    export = await tracktwo.bot.services.safety.mydata.export(world.guild.id, world.bob.id)
    (record,) = export["replies"]
    assert record["text"]["brings_up"] == ANSWER and record["responding_to_reply"] is not None
    confirm = await (await world.bob.slash("mydata delete")).message()
    await (await world.bob.click(confirm, "Delete my data")).message()
    await until(lambda: world.emu.messages[response.id].deleted, what="the response unpublished")
    await until(
        lambda: (
            world.emu.messages[reply.id].embed_fields().get("The question")
            == "Open: not answered yet"
        ),
        what="the question open again",
    )
