"""Member flows through the real discord.py client: modals, buttons, selects, defers,
typed options, autocomplete, context menus, threads, reactions and DMs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.startup import sandbox_bot
from sandbox.emulator import Emulator
from sandbox.harness import BotHarness
from sandbox.members import Upload
from sandbox.world import World


@pytest.fixture
async def probe(emu: Emulator, world: World, tmp_path: Path) -> AsyncIterator[BotHarness]:
    harness = BotHarness(
        emu, tmp_path / "db.sqlite3", bot_factory=sandbox_bot, extensions=["tests.e2e.probe_ext"]
    )
    async with harness:
        yield harness


async def test_label_modal_select_and_button(world: World, probe: BotHarness) -> None:
    modal = await (await world.alice.slash("probe form")).modal()
    assert modal.title == "Probe form"
    assert [f["label"] for f in modal.fields()] == ["Your name", "Mood"]
    answer = await (
        await world.alice.submit(modal, {"Your name": "Alice", "mood": ["calm"]})
    ).message()
    assert answer.content == "hello Alice, calm" and answer.ephemeral
    assert answer.button_labels() == ["Again"]
    picked = await (await world.alice.select(answer, ["blue"])).message()
    assert picked.content == "picked blue"
    clicked = await (await world.alice.click(answer, "Again")).message()
    assert clicked is answer and answer.content == "clicked" and answer.components == []
    assert answer.history[0]["content"] == "hello Alice, calm"


async def test_others_cannot_click_an_ephemeral_message(world: World, probe: BotHarness) -> None:
    modal = await (await world.alice.slash("probe form")).modal()
    answer = await (await world.alice.submit(modal, name="A", mood=["calm"])).message()
    with pytest.raises(PermissionError):
        await world.bob.click(answer, "Again")


async def test_legacy_modal(world: World, probe: BotHarness) -> None:
    modal = await (await world.bob.slash("probe legacy")).modal()
    with pytest.raises(ValueError, match="required"):
        await world.bob.submit(modal)
    msg = await (await world.bob.submit(modal, answer="peace")).message()
    assert msg.content == "legacy: peace" and not msg.ephemeral


async def test_defer_then_followups(world: World, probe: BotHarness) -> None:
    resp = await world.alice.slash("probe slow")
    first = await resp.message()
    assert first.content == "first" and first.ephemeral
    second = await resp.followup(0)
    assert second.content == "second" and second.ephemeral


async def test_typed_options_and_attachment(world: World, probe: BotHarness) -> None:
    resp = await world.alice.slash(
        "probe nested echo",
        text="hi",
        count=3,
        flag=True,
        who=world.bob,
        role=world.azerbaijani,
        where=world.dialogue,
        file=Upload("note.txt", b"attached"),
    )
    msg = await resp.message()
    assert msg.content == "hi|3|True|bob|Azerbaijani|dialogue|attached"
    with pytest.raises(LookupError, match="options"):
        await world.alice.slash("probe nested echo", colour="x")


async def test_autocomplete(world: World, probe: BotHarness) -> None:
    choices = await world.alice.autocomplete("probe colour", "name", name="a")
    assert [c["value"] for c in choices] == ["amber", "azure"]


async def test_message_context_menu(world: World, probe: BotHarness) -> None:
    said = await world.bob.send(world.dialogue, "we should talk")
    msg = await (await world.alice.message_command("Quote message", said)).message()
    assert msg.content == "> we should talk"


async def test_threads_reactions_and_dms(emu: Emulator, world: World, probe: BotHarness) -> None:
    done = await (await world.alice.slash("probe thread", channel=world.dialogue)).message()
    assert done.content == "dm sent"
    post = await emu.wait_for_message(world.dialogue, check=lambda m: m.content == "topic")
    thread = emu.channels[post.thread_id or 0]
    assert thread.name == "Round 1" and thread.archived and thread.locked
    assert [m.content for m in emu.messages_in(thread)] == ["inside"]
    assert post.reaction_count("👍") == 1
    assert [m.content for m in world.alice.dms] == ["a private note"]
    world.bob.close_dms()
    closed = await (await world.bob.slash("probe thread", channel=world.general)).message()
    assert closed.content == "dms closed"


async def test_wait_for_message_says_what_was_posted(emu: Emulator, world: World) -> None:
    await world.alice.send(world.dialogue, "hello there")
    with pytest.raises(AssertionError, match="hello there"):
        await emu.wait_for_message(world.dialogue, timeout=0.05)
    found = await emu.wait_for_message(world.dialogue, author=world.alice.user)
    assert found.content == "hello there"
