"""Participant safety the way members meet it: pseudonymous replies in the thread, the digest
file of consented replies, /mydata export and delete (confirmed after a restart), retention."""

from __future__ import annotations

import json
import re

import pytest

from sandbox.emulator import Emulator
from sandbox.harness import BotHarness
from sandbox.members import Person
from sandbox.state import Channel, Message
from sandbox.world import World

pytestmark = pytest.mark.e2e

ANI_TEXT = "My grandmother kept the neighbours' keys for years after they left."
BABEK_TEXT = "We were told a different story at school, and I am unsure about it."


async def open_round(emu: Emulator, world: World, tracktwo: BotHarness) -> tuple[Message, Channel]:
    admin = world.admin
    # Person.slash takes ``channel=`` as where the command is run, so the option of the same
    # name cannot be given; set the dialogue channel through the service.
    await tracktwo.bot.services.guild_config.set_dialogue_channel(world.guild.id, world.dialogue.id)
    await (await admin.slash("setup roles", facilitator=world.facilitator_role)).message()
    for name, role in (("Armenian", world.armenian), ("Azerbaijani", world.azerbaijani)):
        await (await admin.slash("setup community add", name=name, role=role)).message()
    await (await world.facilitator.slash("prompt post")).message()
    prompt = await emu.wait_for_message(
        world.dialogue, check=lambda m: "Share your perspective" in m.button_labels()
    )
    assert prompt.thread_id is not None
    return prompt, emu.channels[prompt.thread_id]


async def write(
    emu: Emulator, person: Person, prompt: Message, thread: Channel, text: str, consent: bool
) -> Message:
    """Fill the reply form; return the reply as published in the thread."""
    modal = await (await person.click(prompt, "Share your perspective")).modal()
    values: dict[str, object] = {"brings_up": text}
    if consent:
        values["quote_consent"] = ["yes"]
    await (await person.submit(modal, values)).message()
    return await emu.wait_for_message(
        thread, check=lambda m: bool(m.embeds) and text in m.embeds[0].get("description", "")
    )


async def test_replies_are_published_under_pseudonyms_and_digest_quotes_only_consent(
    emu: Emulator, world: World, tracktwo: BotHarness
) -> None:
    prompt, thread = await open_round(emu, world, tracktwo)
    ani = await write(emu, world.ani, prompt, thread, ANI_TEXT, consent=True)
    babek = await write(emu, world.babek, prompt, thread, BABEK_TEXT, consent=False)
    assert ani.embed["author"]["name"] == "Participant 1 · Armenian"
    assert babek.embed["author"]["name"] == "Participant 2 · Azerbaijani"
    for message in (ani, babek):
        shown = json.dumps(message.embeds) + message.content + json.dumps(message.components)
        for person in (world.ani, world.babek):
            assert not re.search(rf"\b{person.name}\b", shown, re.IGNORECASE)
            assert str(person.id) not in shown
        assert not message.mention_ids

    answer = await (await world.facilitator.slash("round digest", number=1)).message()
    assert answer.ephemeral and answer.visible_to == world.facilitator.id
    [file] = answer.attachments
    assert file.filename == "round-1-digest.md"
    digest = file.data.decode("utf-8")
    assert digest.startswith("# Round 1: ")
    assert ANI_TEXT in digest and "### Participant 1 · Armenian" in digest
    assert BABEK_TEXT not in digest

    refused = await (await world.ani.slash("round digest")).message()
    assert refused.ephemeral and "facilitators" in refused.content
    assert not refused.attachments


async def test_mydata_export_then_delete_confirmed_after_a_restart(
    emu: Emulator, world: World, tracktwo: BotHarness
) -> None:
    prompt, thread = await open_round(emu, world, tracktwo)
    published = await write(emu, world.ani, prompt, thread, ANI_TEXT, consent=False)
    other = await write(emu, world.babek, prompt, thread, BABEK_TEXT, consent=False)
    await world.ani.click(other, "This resonates")

    exported = await (await world.ani.slash("mydata export")).message()
    assert exported.ephemeral and exported.visible_to == world.ani.id
    [file] = exported.attachments
    data = json.loads(file.data)
    assert data["about"] and data["community"]["name"] == "Armenian"
    assert [r["text"]["brings_up"] for r in data["replies"]] == [ANI_TEXT]
    assert BABEK_TEXT not in file.data.decode("utf-8")
    again = await (await world.ani.slash("mydata export")).message()
    assert again.ephemeral and "again in 10 minutes" in again.content

    ask = await (await world.ani.slash("mydata delete")).message()
    assert ask.ephemeral and ask.button_labels() == ["Delete my data", "Cancel"]
    await tracktwo.restart()  # the confirmation still works: its button is a DynamicItem
    done = await (await world.ani.click(ask, "Delete my data")).message()
    assert done.content.startswith("Done: your data in this server was erased")
    assert not done.buttons()
    await emu.wait_until(lambda: published.deleted, describe=lambda: "the reply stayed")
    assert not other.deleted
    await emu.wait_until(
        lambda: "Armenian" not in world.ani.role_names,
        describe=lambda: "the community role stayed",
    )
    exported = await (await world.ani.slash("mydata delete")).message()
    assert "delete your data again in" in exported.content and not exported.buttons()


async def test_cancel_deletes_nothing_and_retention_is_for_admins(
    emu: Emulator, world: World, tracktwo: BotHarness
) -> None:
    prompt, thread = await open_round(emu, world, tracktwo)
    published = await write(emu, world.ani, prompt, thread, ANI_TEXT, consent=False)
    ask = await (await world.ani.slash("mydata delete")).message()
    cancelled = await (await world.ani.click(ask, "Cancel")).message()
    assert cancelled.content == "Nothing was deleted."
    assert not published.deleted

    refused = await (await world.ani.slash("setup retention", days=30)).message()
    assert refused.ephemeral and "admins" in refused.content
    ok = await (await world.admin.slash("setup retention", days=30)).message()
    assert "30 days after their round closes" in ok.content
    off = await (await world.admin.slash("setup retention", days=0)).message()
    assert "retention off" in off.content


async def test_retention_purge_deletes_the_thread_too(
    emu: Emulator, world: World, tracktwo: BotHarness
) -> None:
    """Deleting the rows is not enough: the thread still shows the replies. The purge empties
    the round in the database, then deletes its thread; a restart in between still does it."""
    prompt, thread = await open_round(emu, world, tracktwo)
    await write(emu, world.ani, prompt, thread, ANI_TEXT, consent=False)
    await (await world.admin.slash("setup retention", days=1)).message()
    await (await world.facilitator.slash("round close", number=1)).message()
    services = tracktwo.bot.services
    await services.db.execute(
        "UPDATE rounds SET closed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-3 days')"
    )
    emu.fail_next(f"DELETE /channels/{thread.id}", status=500, times=1)
    await services.safety.retention.purge()
    assert await services.db.fetchval("SELECT COUNT(*) FROM replies") == 0
    assert not thread.deleted
    await tracktwo.restart()  # the purge task runs at startup and finishes the job
    await emu.wait_until(lambda: thread.deleted, describe=lambda: "the thread stayed")
    assert not prompt.deleted  # the essay excerpt stays; only members' words go
    pending = await tracktwo.bot.services.safety.retention.threads_to_delete()
    assert pending == []
