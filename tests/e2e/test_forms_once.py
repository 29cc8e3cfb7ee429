"""Exactly once for every committing form, not only the new-reply form (issue 10, item 5): the
edit form and the response form carry a submission key issued when they open, so a member who
presses Submit again after the bot was killed before it answered gets the first result's
receipt, and nothing is written twice."""

from __future__ import annotations

import asyncio

import pytest

from sandbox.emulator import Emulator
from sandbox.harness import BotHarness
from sandbox.world import World
from tests.e2e.test_dialogue import BRINGS_UP, TEXT, post_round, published, set_up, share, until
from tests.e2e.test_responses import ANSWER, RESPONSE, replied

pytestmark = pytest.mark.e2e


async def count(tracktwo: BotHarness, sql: str) -> int:
    return int(await tracktwo.bot.services.db.fetchval(sql))


async def test_a_resubmitted_edit_after_a_kill_is_one_edit_with_its_receipt(
    world: World, emu: Emulator, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await share(world, world.ani, prompt)
    (reply,) = await published(world, thread, 1)
    modal = await (await world.ani.slash("reply edit", channel=thread)).modal()
    changed = TEXT + " And what my father never said."
    # the edit commits, but its answer never reaches the member; then the bot dies
    emu.fail_next("POST /webhooks/*", status=500, times=1000)
    first = await world.ani.submit(modal, {BRINGS_UP: changed})
    await until(lambda: emu.errors, what="the acknowledgement failing")
    assert first.interaction.responded  # deferred: "thinking…", never the answer
    assert await count(tracktwo, "SELECT COUNT(*) FROM reply_edits") == 1
    await tracktwo.restart()
    emu.faults.clear()
    # the member presses Submit again on the same form
    again = await (await world.ani.submit(modal, {BRINGS_UP: changed})).message()
    assert again.ephemeral and "edit is saved" in again.content, again.content
    await until(lambda: changed in reply.embed["description"], what="the edit on Discord")
    await asyncio.sleep(0.3)
    assert await count(tracktwo, "SELECT COUNT(*) FROM reply_edits") == 1  # one edit, not two
    assert await count(tracktwo, "SELECT COUNT(*) FROM replies") == 1
    # a new edit form is a new edit
    modal2 = await (await world.ani.slash("reply edit", channel=thread)).modal()
    assert modal2.custom_id != modal.custom_id
    ack = await (await world.ani.submit(modal2, {BRINGS_UP: changed + " Twice."})).message()
    assert "edit is saved" in ack.content
    assert await count(tracktwo, "SELECT COUNT(*) FROM reply_edits") == 2


async def test_a_resubmitted_response_after_a_kill_is_one_response_with_its_receipt(
    world: World, emu: Emulator, tracktwo: BotHarness
) -> None:
    _, thread, reply = await replied(world)
    modal = await (await world.bob.click(reply, "Answer the question")).modal()
    # the response commits, but Discord refuses its answer; then the bot dies
    emu.fail_next("POST /interactions/*/*/callback", status=500, times=1000)
    await world.bob.submit(modal, {RESPONSE: ANSWER})
    await until(lambda: [c for c in emu.errors if "/callback" in c.path], what="the answer failing")
    for _ in range(200):  # committed before the answer was tried
        if await count(tracktwo, "SELECT COUNT(*) FROM replies") == 2:
            break
        await asyncio.sleep(0.02)
    assert await count(tracktwo, "SELECT COUNT(*) FROM replies") == 2
    await tracktwo.restart()
    emu.faults.clear()
    again = await (await world.bob.submit(modal, {RESPONSE: ANSWER})).message()
    assert again.ephemeral and "response was received" in again.content, again.content
    await published(world, thread, 2)
    await asyncio.sleep(0.3)
    assert await count(tracktwo, "SELECT COUNT(*) FROM replies") == 2  # one response, not two
    assert len([m for m in emu.messages_in(thread) if m.embeds]) == 2
