"""Exactly once when members retry and the bot or its database is slow (issue 10, items 5-8):
a second Submit of one form after a kill answers with the first reply's receipt, a database
stall longer than Discord's 3 s still answers the member, failed submissions do not count as
flooding, and a submission that arrives too late to answer is never committed twice."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from sandbox.emulator import Emulator
from sandbox.harness import BotHarness
from sandbox.world import World
from tests.e2e.test_dialogue import BRINGS_UP, TEXT, post_round, published, set_up, until

pytestmark = pytest.mark.e2e


async def reply_count(tracktwo: BotHarness) -> int:
    return int(await tracktwo.bot.services.db.fetchval("SELECT COUNT(*) FROM replies"))


async def test_a_resubmitted_form_after_a_kill_gets_the_first_receipt(
    world: World, emu: Emulator, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    modal = await (await world.ani.click(prompt, "Share your perspective")).modal()
    # the reply commits, but the member never hears of it: the answer is lost, then the bot dies
    emu.fail_next("POST /webhooks/*", status=500, times=1000)
    first = await world.ani.submit(modal, {BRINGS_UP: TEXT})
    await until(lambda: emu.errors, what="the acknowledgement failing")
    assert first.interaction.responded  # deferred: Discord shows "thinking…", never the answer
    assert await reply_count(tracktwo) == 1
    await tracktwo.restart()  # killed while still trying to answer
    emu.faults.clear()
    # the member presses Submit again on the same form
    again = await (await world.ani.submit(modal, {BRINGS_UP: TEXT})).message()
    assert again.ephemeral
    assert "already submitted" in again.content
    assert "Participant 1 · Armenian" in again.content
    (reply,) = await published(world, thread, 1)
    await asyncio.sleep(0.3)
    assert await reply_count(tracktwo) == 1
    assert len([m for m in emu.messages_in(thread) if m.embeds]) == 1
    # a new form is a new reply
    modal2 = await (await world.ani.click(prompt, "Share your perspective")).modal()
    assert modal2.custom_id != modal.custom_id
    ack = await (await world.ani.submit(modal2, {BRINGS_UP: TEXT + " Again."})).message()
    assert "your reply is saved" in ack.content
    await published(world, thread, 2)


async def test_a_database_stall_past_discords_deadline_still_answers(
    world: World, emu: Emulator, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    modal = await (await world.ani.click(prompt, "Share your perspective")).modal()
    assert emu.interaction_deadline == 3.0
    path = Path(tracktwo.bot.services.db.path)
    blocker = sqlite3.connect(path, isolation_level=None, timeout=5)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the write lock
    try:
        handle = await world.ani.submit(modal, {BRINGS_UP: TEXT})
        await handle.response(timeout=2.5)  # acknowledged within Discord's window
        await asyncio.sleep(3.5)  # the stall outlasts Discord's 3 s
        assert await reply_count(tracktwo) == 0
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    ack = await handle.message(timeout=10)
    assert ack.ephemeral and "your reply is saved" in ack.content
    await published(world, thread, 1)
    assert not [c for c in emu.errors if "/callback" in c.path]


async def read_only(tracktwo: BotHarness, on: bool) -> None:
    """The database refuses every write (as on a read-only or failing disk): a real SQLite
    error through the bot's own writer connection."""
    db = tracktwo.bot.services.db
    await db._conn.execute(f"PRAGMA query_only={'ON' if on else 'OFF'}")


async def test_failed_submissions_do_not_count_as_flooding(
    world: World, emu: Emulator, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    modal = await (await world.ani.click(prompt, "Share your perspective")).modal()
    await read_only(tracktwo, True)
    try:
        for _ in range(8):  # more than the flood limit (5 a minute), the same text each time
            failed = await (await world.ani.submit(modal, {BRINGS_UP: TEXT})).message()
            assert "saved" not in failed.content or "could not be saved" in failed.content
        assert await reply_count(tracktwo) == 0
    finally:
        await read_only(tracktwo, False)
    # the disk is back: the honest retry is accepted, not nudged as flooding or a repeat
    ack = await (await world.ani.submit(modal, {BRINGS_UP: TEXT})).message()
    assert "your reply is saved" in ack.content, ack.content
    await published(world, thread, 1)
