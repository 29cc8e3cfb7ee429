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
from tests.e2e.test_dialogue import BRINGS_UP, TEXT, post_round, published, set_up, share, until

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
    await published(world, thread, 1)
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


async def test_one_failing_thread_does_not_hold_back_another(
    world: World, emu: Emulator, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt1, thread1 = await post_round(world)
    prompt2, thread2 = await post_round(world)
    assert thread1.id != thread2.id
    emu.fail_next(f"POST /channels/{thread1.id}/messages", status=500, times=1000)
    await share(world, world.ani, prompt1)
    await until(lambda: emu.errors, what="the first thread failing")
    started = asyncio.get_running_loop().time()
    await share(world, world.bob, prompt2)
    await published(world, thread2, 1)  # promptly, while thread 1 keeps failing
    assert asyncio.get_running_loop().time() - started < 3.0
    assert not [m for m in emu.messages_in(thread1) if m.embeds]
    emu.faults.clear()
    await until(
        lambda: [m for m in emu.messages_in(thread1) if m.embeds],
        seconds=20,
        what="thread 1 publishing once Discord recovers",
    )
    await asyncio.sleep(0.3)
    assert len([m for m in emu.messages_in(thread1) if m.embeds]) == 1


async def test_a_send_whose_recording_fails_is_not_sent_again(
    world: World, emu: Emulator, tracktwo: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Discord accepts the message, then the database refuses to record it for a while; the
    nonce window is shortened to nothing, so a blind re-send would be a second copy."""
    import sandbox.rest_channels

    monkeypatch.setattr(sandbox.rest_channels, "NONCE_WINDOW", 0.0)
    await set_up(world)
    prompt, thread = await post_round(world)
    sends = f"POST /channels/{thread.id}/messages"
    emu.fail_next(sends, status=500, times=1000)
    await share(world, world.ani, prompt)
    await until(lambda: emu.errors, what="a failed send")
    await read_only(tracktwo, True)
    try:
        emu.faults.clear()
        await until(lambda: [m for m in emu.messages_in(thread) if m.embeds], seconds=20)
        await asyncio.sleep(5)  # the record step fails again and again meanwhile
    finally:
        await read_only(tracktwo, False)
    for _ in range(500):
        if await tracktwo.bot.services.replies.pending_outbox() == 0:
            break
        await asyncio.sleep(0.02)
    assert await tracktwo.bot.services.replies.pending_outbox() == 0
    assert len([m for m in emu.messages_in(thread) if m.embeds]) == 1
    ok_sends = [c for c in emu.calls(sends) if c.status < 300]
    assert len(ok_sends) == 1


async def test_a_failing_database_is_told_truthfully_and_to_the_moderators_once(
    world: World, emu: Emulator, tracktwo: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    world.ani.locale = "ru"
    modal = await (await world.ani.click(prompt, "Share your perspective")).modal()
    mod_before = len(emu.messages_in(world.mod_channel))
    await read_only(tracktwo, True)
    try:
        answers = [
            await (await world.ani.submit(modal, {"brings_up": TEXT})).message() for _ in range(6)
        ]
        await asyncio.sleep(2.5)  # the publisher's tick fails meanwhile, every second
    finally:
        await read_only(tracktwo, False)
    for failed in answers:
        assert failed.ephemeral
        assert "база данных недоступна" in failed.content  # in the member's language
        assert TEXT in failed.content  # and their text back
        assert "Something went wrong" not in failed.content
    alerts = emu.messages_in(world.mod_channel)[mod_before:]
    assert len(alerts) == 1, [m.content for m in alerts]
    assert "database is failing" in alerts[0].content
    # one traceback per failing thing (the form, the publisher), not one per failure or second
    # (moderation's notice delivery on every interaction is not covered here)
    tracebacks = [r.getMessage() for r in caplog.records if r.exc_info]
    assert len([t for t in tracebacks if t.startswith("a reply could not be saved")]) == 1
    assert len([t for t in tracebacks if t.startswith("tracktwo-publisher failed")]) <= 1
    ack = await (await world.ani.submit(modal, {"brings_up": TEXT})).message()
    assert "сохранён" in ack.content
    await published(world, thread, 1)


async def test_a_stale_submission_after_resume_is_refused_and_the_retry_counts_once(
    world: World, emu: Emulator, tracktwo: BotHarness
) -> None:
    """A submission replayed after a RESUME, older than Discord's 3 s: Discord no longer lets
    the bot answer it, so nothing is committed (the member sees the failure with their form
    still open); the retry of the same form is saved once and not taken for flooding."""
    await set_up(world)
    prompt, thread = await post_round(world)
    modal = await (await world.ani.click(prompt, "Share your perspective")).modal()
    resumes = emu.gateway.resume_count
    async with emu.offline():
        stale = await world.ani.submit(modal, {BRINGS_UP: TEXT})
        await asyncio.sleep(emu.interaction_deadline + 0.3)
    await emu.wait_until(lambda: emu.gateway.resume_count == resumes + 1, describe=lambda: "RESUME")
    await stale.no_response(within=1.0)
    assert await reply_count(tracktwo) == 0
    retry = await (await world.ani.submit(modal, {BRINGS_UP: TEXT})).message()
    assert "your reply is saved" in retry.content, retry.content
    await published(world, thread, 1)
    await asyncio.sleep(0.3)
    assert await reply_count(tracktwo) == 1
