"""The conversation across the divide, end to end (issues 11, 12 and 13): the digest's open
questions, a held response approved by a moderator, one reply reference quoted by members and
moderators alike, and texts that say what is true."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox import state as st
from sandbox.harness import BotHarness
from sandbox.world import World
from tests.e2e.test_dialogue import BRINGS_UP, QUESTION, post_round, published, set_up, until

pytestmark = pytest.mark.e2e

RESPONSE = "Your response"
ASKED = "What did your parents tell you about us?"
UNANSWERED = "Would you visit the village where my grandmother was born?"
SECRET = "Is anyone else afraid to be seen here?"
ANSWER = "My mother told me about the neighbour who taught her to bake gata."
HELD = "At school we were taught that they are animals; your question made me see that lesson."


async def write(who: Any, prompt: st.Message, text: str, *, consent: bool, **extra: str) -> None:
    modal = await (await who.click(prompt, "Share your perspective")).modal()
    values: dict[str, Any] = {BRINGS_UP: text, **extra}
    if consent:
        values["quote_consent"] = ["yes"]
    answer = await (await who.submit(modal, values)).message()
    assert answer.ephemeral


def by_text(replies: list[st.Message], text: str) -> st.Message:
    return next(m for m in replies if text in m.embed["description"])


async def respond(who: Any, reply: st.Message, text: str) -> st.Message:
    modal = await (await who.click(reply, "Answer the question")).modal()
    answer: st.Message = await (await who.submit(modal, {RESPONSE: text})).message()
    assert answer.ephemeral
    return answer


async def test_the_digest_lists_the_questions_nobody_answered_yet(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await write(world.ani, prompt, "My family left in 1989.", consent=True, **{QUESTION: ASKED})
    await write(world.alice, prompt, "I still dream of it.", consent=True, **{QUESTION: UNANSWERED})
    await write(world.babek, prompt, "I never asked anyone.", consent=False, **{QUESTION: SECRET})
    replies = await published(world, thread, 3)
    await respond(world.bob, by_text(replies, "My family left"), ANSWER)
    await published(world, thread, 4)

    closed = await (await world.facilitator.slash("round close", number=1)).message(30)
    assert "closed" in closed.content
    digest = await world.emu.wait_for_message(
        channel=thread, check=lambda m: "Round digest" in m.content, timeout=30
    )
    text = "\n".join(m.content for m in world.emu.messages_in(thread) if m.id >= digest.id)
    assert "__Open questions__" in text
    open_section = text.split("__Open questions__", 1)[1].split("__Where the communities", 1)[0]
    # alice's question is open and quoted with her pseudonym; ani's was answered by bob
    assert UNANSWERED in open_section and "Participant 2 · Armenian" in open_section
    assert ASKED not in open_section
    # babek did not agree to be quoted: his open question is counted, never shown
    assert SECRET not in text
    assert "1 more open question, whose author did not agree to be quoted" in open_section
    for name in ("ani", "alice", "babek", "bob"):
        assert name not in open_section.lower()


async def test_a_held_response_approved_tells_both_authors_without_names(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await write(world.ani, prompt, "My family left in 1989.", consent=True, **{QUESTION: ASKED})
    (reply,) = await published(world, thread, 1)
    held = await respond(world.bob, reply, HELD)
    assert "waits for a moderator" in held.content
    assert world.ani.dms == []  # nothing is published yet, so nobody has responded yet

    queue = await (await world.mod.slash("mod queue", channel=world.mod_channel)).message()
    approved = await (await world.mod.click(queue, "Approve")).message()
    assert "Approved" in approved.content
    _, response = await published(world, thread, 2)
    assert HELD in response.embed["description"]
    # the reply's author hears what they would have heard at once, never who responded
    dm = await world.ani.wait_for_dm(lambda m: "Someone answered" in m.content, timeout=10)
    assert "bob" not in dm.content.lower() and "Participant 2" not in dm.content
    # the responder learns it was published, never which moderator approved it
    mine = await world.bob.wait_for_dm(lambda m: "approved your response" in m.content, timeout=10)
    assert "mod" not in mine.content.replace("moderator", "").lower()
    assert str(world.mod.id) not in mine.content and world.mod.user.username not in mine.content
    await until(
        lambda: world.emu.messages[reply.id].embed_fields().get("The question") == "Answered",
        what="the question shown answered",
    )


def mod_case(world: World, title: str) -> st.Message | None:
    for m in reversed(world.emu.messages_in(world.mod_channel)):
        if m.embeds and m.embeds[0].get("title", "").startswith("Case") and title in str(m.embed):
            return m
    return None


async def test_one_reference_on_the_reply_in_the_queue_the_case_and_reveal(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await write(world.ani, prompt, "My family left in 1989.", consent=True, **{QUESTION: ASKED})
    await write(world.alice, prompt, "Only we ever suffered.", consent=True)
    first, second = await published(world, thread, 2)
    # the reply's own footer: its number within the round, not a global id
    assert first.embed["footer"]["text"] == "Reply R1-1"
    assert second.embed["footer"]["text"] == "Reply R1-2"
    # a response names the reply it answers by the same reference
    await respond(world.bob, first, ANSWER)
    *_, response = await published(world, thread, 3)
    assert response.embed["author"]["name"].endswith(
        "responding to Participant 1 · Armenian (R1-1)"
    )
    assert response.embed["footer"]["text"] == "Reply R1-3"

    modal = await (await world.bob.click(second, "Report")).modal()
    await (await world.bob.submit(modal, category=["hostility"], reason="one-sided")).message()
    queue = await (await world.mod.slash("mod queue", channel=world.mod_channel)).message()
    assert queue.embed["footer"]["text"] == "Reply R1-2"
    removed = await (await world.mod.click(queue, "Remove")).message()
    assert "R1-2" in removed.content
    case = await until(lambda: mod_case(world, "R1-2"), what="the case in the mod log")
    assert case.embed_fields()["Reply"] == "R1-2 · Participant 2 · Armenian"
    # /mod reveal takes the reference as typed, in either spelling
    revealed = await (
        await world.mod.slash("mod reveal", reply="Round 1, reply 1", reason="a threat")
    ).message()
    assert revealed.ephemeral and "R1-1" in revealed.content
    assert str(world.ani.id) in revealed.content
    wrong = await (await world.mod.slash("mod reveal", reply="17", reason="x")).message()
    assert wrong.ephemeral and "like R2-4" in wrong.content
    unknown = await (await world.mod.slash("mod reveal", reply="R9-1", reason="x")).message()
    assert unknown.ephemeral and "R9-1" in unknown.content
