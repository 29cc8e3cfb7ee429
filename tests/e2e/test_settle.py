"""BotHarness.settle: once it returns, every effect of what members did has happened — the
reply the outbox publishes, the endorsement's refresh — and the bot reports nothing pending.
The demo's same-order-every-run transcript rests on this."""

from __future__ import annotations

import asyncio

from sandbox.harness import BotHarness
from sandbox.world import World

from .test_dialogue import post_round, set_up, share


def replies_in(world: World, thread_id: int) -> list[str]:
    return [
        m.embeds[0]["description"]
        for m in world.emu.messages_in(world.emu.channels[thread_id])
        if m.embeds and m.embeds[0].get("author")
    ]


async def test_settle_waits_for_the_outbox_and_refreshes(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    ack = await share(world, world.ani, prompt)
    assert ack.ephemeral
    # the answer came, the publishing may not have: settle waits for it, no sleeping here
    await tracktwo.settle()
    assert len(replies_in(world, thread.id)) == 1
    assert tracktwo.pending() == [] and tracktwo.bot.pending_work() == []
    [reply] = [m for m in world.emu.messages_in(thread) if m.embeds]
    edits = reply.edits
    press = await world.bob.click(reply, next(b["custom_id"] for b in reply.buttons()))
    await press.response()
    await tracktwo.settle()
    assert reply.edits > edits  # the endorsement's refresh is done too
    assert tracktwo.pending() == []


async def test_settle_is_bounded_and_says_what_is_pending(
    world: World, tracktwo: BotHarness
) -> None:
    busy = asyncio.create_task(asyncio.sleep(5), name="discord.py: on_slow_listener")
    try:
        try:
            await tracktwo.settle(timeout=0.2)
        except AssertionError as error:
            assert "on_slow_listener" in str(error)
        else:
            raise AssertionError("settle returned while a listener was running")
    finally:
        busy.cancel()
    await tracktwo.settle()
