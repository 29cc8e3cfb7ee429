"""Waiting for the emulated Discord to reach a condition, always with a deadline.

Every change of :class:`~sandbox.state.DiscordState` wakes the waiters; they also poll every
10 ms, because a predicate may look at the bot's own state."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from sandbox.state import Channel, DiscordState, Message, User
from sandbox.transcript import render_message

T = TypeVar("T")

POLL = 0.01


async def wait_until(
    state: DiscordState,
    predicate: Callable[[], T | None],
    *,
    timeout: float | None = None,
    describe: Callable[[], str] = lambda: "condition not met",
) -> T:
    """The predicate's first truthy result; AssertionError(describe()) at the deadline."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + (state.default_timeout if timeout is None else timeout)
    while True:
        result = predicate()
        if result:
            return result
        remaining = deadline - loop.time()
        if remaining <= 0:
            raise AssertionError(describe())
        await state.next_change(min(remaining, POLL))


async def wait_for_message(
    state: DiscordState,
    channel: Channel | None = None,
    *,
    check: Callable[[Message], bool] | None = None,
    author: User | None = None,
    timeout: float | None = None,
    include_ephemeral: bool = False,
) -> Message:
    """The next message (by the bot unless ``author`` is given) not returned before."""
    who = author or state.bot_user

    def match(msg: Message) -> bool:
        return (
            not msg.deleted
            and msg.id not in state.consumed_message_ids
            and msg.author is who
            and (channel is None or msg.channel_id == channel.id)
            and (include_ephemeral or not msg.ephemeral)
            and (check is None or check(msg))
        )

    def find() -> Message | None:
        return next((m for m in state.messages.values() if match(m)), None)

    def describe() -> str:
        where = f"in #{channel.name or channel.id}" if channel else "anywhere"
        posted = [
            m for m in state.messages.values() if channel is None or m.channel_id == channel.id
        ][-10:]
        lines = [render_message(state, m) for m in posted] or ["(nothing)"]
        return f"no matching message {where} by {who.username}; posted:\n" + "\n".join(lines)

    found = await wait_until(state, find, timeout=timeout, describe=describe)
    state.consumed_message_ids.add(found.id)
    return found
