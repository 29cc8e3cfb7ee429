"""Without the message-content intent, Discord blanks content unless the bot is mentioned."""

from __future__ import annotations

import asyncio
from pathlib import Path

import discord

from app.startup import point_client_at
from sandbox.emulator import Emulator
from sandbox.harness import BotHarness
from sandbox.world import World


async def test_content_is_blanked_without_the_intent(emu: Emulator, world: World) -> None:
    intents = discord.Intents(guilds=True, guild_messages=True)
    client = discord.Client(intents=intents, guild_ready_timeout=0.05)
    seen: list[str] = []
    client.event(_collector(seen))
    point_client_at(BotHarness(emu, Path("unused")).settings)
    async with client:
        await client.login(emu.token)
        task = asyncio.create_task(client.connect())
        await client.wait_until_ready()
        await world.alice.send(world.dialogue, "private thoughts")
        await world.alice.send(world.dialogue, f"{emu.bot_user.mention} hello bot")
        await emu.wait_until(lambda: len(seen) == 2, describe=lambda: f"saw {seen}")
        await client.close()
        await task
    assert seen == ["", f"{emu.bot_user.mention} hello bot"]


def _collector(seen: list[str]):  # type: ignore[no-untyped-def]
    async def on_message(message: discord.Message) -> None:
        seen.append(message.content)

    return on_message
