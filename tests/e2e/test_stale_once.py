"""Stale interactions, one rule for every form and button (issue 10, item 6): an interaction
that reaches the bot after Discord's 3 s answer window (replayed after a gateway RESUME) is
refused by the guard before anything of it runs. It commits nothing, so it can never count
twice; a form's member gets their text back by direct message, and their retry is answered."""

from __future__ import annotations

import asyncio

import pytest

from sandbox.emulator import Emulator
from sandbox.harness import BotHarness
from sandbox.world import World
from tests.e2e.test_dialogue import published
from tests.e2e.test_responses import ANSWER, RESPONSE, replied

pytestmark = pytest.mark.e2e


async def count(tracktwo: BotHarness, sql: str) -> int:
    return int(await tracktwo.bot.services.db.fetchval(sql))


async def after_resume(emu: Emulator, resumes: int) -> None:
    await emu.wait_until(
        lambda: emu.gateway.resume_count == resumes + 1, describe=lambda: "a RESUME"
    )


async def test_a_stale_response_form_is_refused_with_its_text_and_the_retry_counts_once(
    world: World, emu: Emulator, tracktwo: BotHarness
) -> None:
    _, thread, reply = await replied(world)
    modal = await (await world.bob.click(reply, "Answer the question")).modal()
    resumes = emu.gateway.resume_count
    dms_before = len(world.bob.dms)
    async with emu.offline():
        stale = await world.bob.submit(modal, {RESPONSE: ANSWER})
        await asyncio.sleep(emu.interaction_deadline + 0.3)
    await after_resume(emu, resumes)
    await stale.no_response(within=1.0)
    assert await count(tracktwo, "SELECT COUNT(*) FROM replies") == 1  # nothing committed
    # the member's words come back privately, in a direct message
    await emu.wait_until(lambda: len(world.bob.dms) > dms_before, describe=lambda: "the DM")
    returned = world.bob.dms[-1].content
    assert "too late" in returned and ANSWER in returned
    # the retry of the same form is saved, once
    retry = await (await world.bob.submit(modal, {RESPONSE: ANSWER})).message()
    assert "response was received" in retry.content, retry.content
    await published(world, thread, 2)
    await asyncio.sleep(0.3)
    assert await count(tracktwo, "SELECT COUNT(*) FROM replies") == 2


async def test_a_stale_endorsement_is_refused_and_commits_nothing(
    world: World, emu: Emulator, tracktwo: BotHarness
) -> None:
    _, _, reply = await replied(world)
    resumes = emu.gateway.resume_count
    async with emu.offline():
        stale = await world.bob.click(reply, "This resonates")
        await asyncio.sleep(emu.interaction_deadline + 0.3)
    await after_resume(emu, resumes)
    await stale.no_response(within=1.0)
    assert await count(tracktwo, "SELECT COUNT(*) FROM endorsements") == 0
    # the member presses again: one endorsement (a toggle pressed twice would undo itself)
    await (await world.bob.click(reply, "This resonates")).message()
    assert await count(tracktwo, "SELECT COUNT(*) FROM endorsements") == 1
