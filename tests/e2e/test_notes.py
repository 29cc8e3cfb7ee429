"""Facilitators' notes, the way facilitators use them: /note about a participant label of a
round, never a Discord id, shown to facilitators only; the member's /mydata export shows the
notes about them and /mydata delete erases them; plain members are refused in their language."""

from __future__ import annotations

import pytest

from sandbox.harness import BotHarness
from sandbox.world import World

from .test_dialogue import post_round, published, set_up, share

pytestmark = pytest.mark.e2e

NOTE = "Quiet in the first round; check in privately before the next."


async def test_a_facilitator_notes_a_participant_label_and_the_member_exports_and_erases_it(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await share(world, world.ani, prompt)
    await share(world, world.bob, prompt)
    await published(world, thread, 2)
    added = await (
        await world.facilitator.slash("note add", label="Participant 2 · Azerbaijani", text=NOTE)
    ).message()
    assert added.ephemeral and "about Participant 2 of round 1" in added.content
    await (
        await world.facilitator.slash("note add", label="Participant 1", text="Ani's note", round=1)
    ).message()
    listed = await (await world.facilitator.slash("note list", label="Participant 2")).message()
    assert listed.ephemeral and listed.embed["title"] == "Notes about Participant 2 of round 1"
    assert NOTE in str(listed.embed) and "Ani's note" not in str(listed.embed)
    assert str(world.bob.id) not in str(listed.embed) and "bob" not in str(listed.embed)
    # the member sees the notes about them in their export
    export = await (await world.bob.slash("mydata export")).message()
    assert export.ephemeral and export.attachments
    data = await tracktwo.bot.services.notes.export(world.guild.id, world.bob.id)
    assert [n["note"] for n in data["facilitator_notes_about_you"]] == [NOTE]
    # /mydata delete erases them (and only theirs)
    confirm = await (await world.bob.slash("mydata delete")).message()
    await (await world.bob.click(confirm, "Delete my data")).message()
    data = await tracktwo.bot.services.notes.export(world.guild.id, world.bob.id)
    assert data["facilitator_notes_about_you"] == []
    gone = await (await world.facilitator.slash("note list", label="Participant 2")).message()
    assert "has no Participant 2" in gone.content
    left = await (await world.facilitator.slash("note list", label="Participant 1")).message()
    assert "Ani's note" in str(left.embed)


async def test_notes_are_for_facilitators_only_and_bad_input_is_refused(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await share(world, world.ani, prompt)
    await published(world, thread, 1)
    refused = await (
        await world.bob.slash("note add", label="Participant 1", text="Spying")
    ).message()
    assert refused.ephemeral and "Only facilitators" in refused.content
    # in the member's own language
    await (await world.bob.slash("language set", language="ru")).message()
    refused = await (await world.bob.slash("note list", label="Participant 1")).message()
    assert "ведущие" in refused.content
    facilitator = world.facilitator
    for label, text, expected in (
        ("Ani", "A note.", "by their label"),
        ("Participant 7", "A note.", "has no Participant 7"),
        ("Participant 1", "\u200b\u200d\u2060", "1 to 1000 characters"),
    ):
        answer = await (await facilitator.slash("note add", label=label, text=text)).message()
        assert answer.ephemeral and expected in answer.content
    missing = await (await facilitator.slash("note delete", id=99)).message()
    assert "no note 99" in missing.content
    assert await tracktwo.bot.services.db.fetchval("SELECT COUNT(*) FROM facilitator_notes") == 0
    assert "Spying" not in str([m.content for m in world.emu.messages_in(thread)])
