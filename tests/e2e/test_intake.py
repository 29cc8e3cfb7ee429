"""Intake, the way members meet it: before their first reply or response in a server they read
the group agreements privately, accept them and go straight on to the form they wanted; when an
admin changes the agreements (/setup agreements) they are asked again; a private note to the
facilitators can be left from the same message."""

from __future__ import annotations

import pytest

from bot.dialogue.agreements import DEFAULT_VERSION
from cogs import _ids
from sandbox.harness import BotHarness
from sandbox.world import World

from .test_dialogue import BRINGS_UP, QUESTION, TEXT, post_round, published, set_up
from .test_isolation import MODAL_SUBMIT, form_components

pytestmark = [pytest.mark.e2e, pytest.mark.intake]

RULES = "1. Speak for yourself.\n2. Listen to understand.\n3. Take a pause when it is too much."
ZERO_WIDTH = "\u200b\u200c\u200d\u2060" * 8


async def test_first_reply_shows_the_agreements_then_the_form_then_publishes(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    shown = await (await world.ani.click(prompt, "Share your perspective")).message()
    assert shown.ephemeral and "group agreements" in shown.content
    assert shown.embed["title"] == "Group agreements"
    assert "Speak for yourself" in shown.embed["description"]
    assert shown.button_labels() == ["I accept", "A private note to the facilitators"]
    services = tracktwo.bot.services
    assert await services.agreements.pending(world.guild.id, world.ani.id) is not None
    modal = await (await world.ani.click(shown, "I accept")).modal()
    assert await services.agreements.pending(world.guild.id, world.ani.id) is None
    ack = await (await world.ani.submit(modal, {BRINGS_UP: TEXT})).message()
    assert "Participant 1 · Armenian" in ack.content
    (reply,) = await published(world, thread, 1)
    assert TEXT in str(reply.embed)
    # the second reply goes straight to the form
    await (await world.ani.click(prompt, "Share your perspective")).modal()
    export = await services.safety.mydata.export(world.guild.id, world.ani.id)
    assert export["agreements_accepted"]["version"] == DEFAULT_VERSION


async def test_changed_agreements_are_asked_again_before_a_response(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    for who in (world.ani, world.bob):
        shown = await (await who.click(prompt, "Share your perspective")).message()
        modal = await (await who.click(shown, "I accept")).modal()
        await (
            await who.submit(modal, {BRINGS_UP: TEXT, QUESTION: "What do you remember?"})
        ).message()
    first, _ = await published(world, thread, 2)
    # the admin replaces the agreements through the form
    form = await (await world.admin.slash("setup agreements")).modal()
    saved = await (await world.admin.submit(form, {"agreements": RULES})).message()
    assert "Saved" in saved.content
    # Bob answers Ani's question: asked again first, with the new text
    again = await (await world.bob.click(first, "Answer the question")).message()
    assert again.ephemeral and "changed since you accepted" in again.content
    assert again.embed["description"] == RULES
    modal = await (await world.bob.click(again, "I accept")).modal()
    ack = await (
        await world.bob.submit(modal, {"Your response": "My grandfather remembered the bread."})
    ).message()
    assert "Participant 2 · Azerbaijani" in ack.content
    await published(world, thread, 3)
    # back to the default text: Ani accepted that one, so her form opens at once
    await (await world.admin.slash("setup agreements", reset=True)).message()
    await (await world.ani.click(prompt, "Share your perspective")).modal()
    # an Accept button shown before a change shows the new text instead of the form
    form = await (await world.admin.slash("setup agreements")).modal()
    await (await world.admin.submit(form, {"agreements": RULES})).message()
    stale = await (await world.ani.click(prompt, "Share your perspective")).message()
    form = await (await world.admin.slash("setup agreements")).modal()
    await (await world.admin.submit(form, {"agreements": RULES + "\n4. You may pass."})).message()
    shown = await (await world.ani.click(stale, "I accept")).message()
    assert "You may pass" in shown.embed["description"]
    assert await tracktwo.bot.services.agreements.pending(world.guild.id, world.ani.id)


async def test_agreements_form_refuses_bad_input_and_plain_members(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    form = await (await world.admin.slash("setup agreements")).modal()
    refused = await (await world.admin.submit(form, {"agreements": ZERO_WIDTH + "ok"})).message()
    assert "need 20 to 3000 characters" in refused.content
    services = tracktwo.bot.services
    assert (await services.agreements.current(world.guild.id)).version == DEFAULT_VERSION
    denied = await (await world.ani.slash("setup agreements")).message()
    assert denied.ephemeral and "admin" in denied.content.lower()


async def test_a_private_note_to_the_facilitators_at_intake(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    shown = await (await world.bob.click(prompt, "Share your perspective")).message()
    modal = await (await world.bob.click(shown, "A private note to the facilitators")).modal()
    empty = await (await world.bob.submit(modal, {"note": ZERO_WIDTH})).message()
    assert "1 to 1000 characters" in empty.content
    modal = await (await world.bob.click(shown, "A private note to the facilitators")).modal()
    thanks = await (await world.bob.submit(modal, {"note": "Please never quote me."})).message()
    assert thanks.ephemeral and "Only the facilitators can read your note" in thanks.content
    # the thanks carries the Accept button, which goes on to the form
    form = await (await world.bob.click(thanks, "I accept")).modal()
    await (await world.bob.submit(form, {BRINGS_UP: TEXT})).message()
    await published(world, thread, 1)
    listed = await (await world.facilitator.slash("note intake")).message()
    assert listed.ephemeral and "Please never quote me." in str(listed.embed)
    assert "bob" not in str(listed.embed).lower()
    refused = await (await world.ani.slash("note intake")).message()
    assert "Only facilitators" in refused.content
    export = await tracktwo.bot.services.safety.mydata.export(world.guild.id, world.bob.id)
    assert export["note_to_facilitators"]["text"] == "Please never quote me."


async def test_members_read_the_agreements_any_time_and_help_links_them(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    shown = await (await world.ani.slash("agreements")).message()
    assert shown.ephemeral and "Listen to understand" in shown.embed["description"]
    assert shown.buttons() == []  # reading is not accepting
    helped = await (await world.ani.slash("help")).message()
    assert "/agreements" in helped.embed["description"]


async def test_a_reply_form_submitted_without_accepting_is_refused_with_the_words_back(
    world: World, tracktwo: BotHarness
) -> None:
    """A forged submission (no form was opened: the agreements stood in the way) commits nothing."""
    await set_up(world)
    await post_round(world)
    round_ = await tracktwo.bot.services.rounds.resolve(world.guild.id, None, None)
    custom_id = _ids.REPLY_KEYED.build(target_id=round_.id, key="0123456789abcdef")
    handle = await world.ani._interact(
        MODAL_SUBMIT,
        {"custom_id": custom_id, "components": form_components(custom_id)},
        world.dialogue,
    )
    refused = await handle.message()
    assert refused.ephemeral and "accept the group agreements first" in refused.content
    assert TEXT in refused.content  # the words come back
    db = tracktwo.bot.services.db
    assert await db.fetchval("SELECT COUNT(*) FROM replies") == 0
