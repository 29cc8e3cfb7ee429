"""Stopping the bot while members act (issue 10, item 10): interactions in flight finish (or are
cleanly answered) before HTTP and the database close; new ones are told the bot is restarting;
nothing logs a traceback such as "Session is closed" or "the database is not open"."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from bot.dialogue.replies import CheckSummary
from bot.storage import Database
from sandbox.harness import BotHarness
from sandbox.world import World

from .test_dialogue import BRINGS_UP, TEXT, post_round, set_up, until

BROKEN = ("Session is closed", "database is not open", "Connection closed", "Traceback")


class Gate:
    """Holds every civility check until opened: a reply submission stays in flight."""

    def __init__(self, check: Any) -> None:
        self.check = check
        self.entered = asyncio.Event()
        self.opened = asyncio.Event()

    async def __call__(self, guild_id: int, text: str, author_key: str) -> CheckSummary:
        self.entered.set()
        await self.opened.wait()
        result: CheckSummary = await self.check(guild_id, text, author_key)
        return result


def assert_clean(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        shown = record.getMessage() + (caplog.text if record.exc_info else "")
        assert record.exc_info is None, f"traceback logged: {shown[:2000]}"
        assert not any(word in shown for word in BROKEN), shown
        assert record.levelno < logging.ERROR, shown


async def replies_stored(tracktwo: BotHarness) -> int:
    async with Database(tracktwo.database_path) as db:
        return int(await db.fetchval("SELECT COUNT(*) FROM replies"))


async def test_stopping_waits_for_a_reply_in_flight_and_refuses_new_work(
    world: World, tracktwo: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await set_up(world)
    prompt, _ = await post_round(world)
    modal = await (await world.ani.click(prompt, "Share your perspective")).modal()
    bot = tracktwo.bot
    gate = Gate(bot.services.replies.check)
    bot.services.replies.check = gate
    submission = await world.ani.submit(modal, {BRINGS_UP: TEXT})
    async with asyncio.timeout(5):
        await gate.entered.wait()  # the reply is being checked: in flight
    stopping = asyncio.create_task(tracktwo.stop())
    await until(lambda: not bot.accepting, what="the bot stops taking interactions")
    late = await (await world.bob.slash("about")).message()
    assert late.ephemeral and "restarting" in late.content
    assert not stopping.done()  # still waiting for the reply in flight
    gate.opened.set()
    answer = await submission.message()
    assert "your reply is saved" in answer.content
    async with asyncio.timeout(15):
        await stopping
    assert await replies_stored(tracktwo) == 1  # acknowledged and committed
    assert_clean(caplog)


async def test_a_handler_past_the_deadline_is_cancelled_and_answered(
    world: World, tracktwo: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await tracktwo.restart(shutdown_grace=0.3)
    caplog.set_level(logging.INFO)
    await set_up(world)
    prompt, _ = await post_round(world)
    modal = await (await world.ani.click(prompt, "Share your perspective")).modal()
    gate = Gate(bot.services.replies.check)  # never opened: the check outlives the deadline
    bot.services.replies.check = gate
    submission = await world.ani.submit(modal, {BRINGS_UP: TEXT})
    async with asyncio.timeout(5):
        await gate.entered.wait()
    async with asyncio.timeout(15):
        await tracktwo.stop()
    refused = await submission.message()
    assert refused.ephemeral and "restarting" in refused.content  # cleanly refused
    assert await replies_stored(tracktwo) == 0  # and nothing half written
    assert all(r.exc_info is None for r in caplog.records), caplog.text[:2000]
    assert not any(word in caplog.text for word in BROKEN), caplog.text[:2000]
