"""The local Discord emulator: how fast the bot gets ready, and a member round trip.

- ready: emulator + guild + the real TrackTwoBot until ``on_ready`` (target < 1 s), beside a
  bare ``discord.Client`` with no extensions on the same emulator.
- round trip: /bench → modal → submit → message → button click → updated message
  (target < 0.5 s), beside a raw aiohttp HTTP round trip to the emulator.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from app.startup import point_client_at, sandbox_bot
from bench import report
from sandbox.emulator import Emulator
from sandbox.harness import BotHarness
from sandbox.world import build_world

RUNS = 5


class BenchForm(discord.ui.Modal, title="Bench"):
    text: discord.ui.Label[BenchForm] = discord.ui.Label(
        text="Text", component=discord.ui.TextInput(custom_id="text")
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("submitted", view=BenchView())


class BenchView(discord.ui.View):
    @discord.ui.button(label="Done", custom_id="bench:done")
    async def done(self, interaction: discord.Interaction, _: discord.ui.Button[BenchView]) -> None:
        await interaction.response.edit_message(content="done", view=None)


class BenchCog(commands.Cog):
    @app_commands.command(name="bench", description="Open the bench form")
    async def bench(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(BenchForm())


async def setup(bot: commands.Bot) -> None:
    """Loaded as a test-only extension by the round-trip benchmark."""
    await bot.add_cog(BenchCog())


async def _ready_time(bare: bool) -> float:
    started = time.perf_counter()
    async with Emulator() as emu:
        await build_world(emu)
        if bare:
            client = discord.Client(intents=discord.Intents(guilds=True), guild_ready_timeout=0.05)
            point_client_at(BotHarness(emu, Path("unused")).settings)  # same endpoints as the bot
            async with client:
                await client.login(emu.token)
                task = asyncio.create_task(client.connect())
                await client.wait_until_ready()
                ready = time.perf_counter()
                await client.close()
                await task
            return ready - started
        with tempfile.TemporaryDirectory() as tmp:
            harness = BotHarness(emu, Path(tmp) / "db.sqlite3", bot_factory=sandbox_bot)
            await harness.start()
            ready = time.perf_counter()
            await harness.stop()
    return ready - started


async def _round_trips() -> tuple[list[float], list[float]]:
    trips: list[float] = []
    raw: list[float] = []
    async with Emulator() as emu:
        world = await build_world(emu)
        with tempfile.TemporaryDirectory() as tmp:
            harness = BotHarness(
                emu,
                Path(tmp) / "db.sqlite3",
                bot_factory=sandbox_bot,
                extensions=["bench.bench_emulator"],
            )
            async with harness, aiohttp.ClientSession() as session:
                headers = {"Authorization": f"Bot {emu.token}"}
                for _ in range(RUNS + 1):
                    started = time.perf_counter()
                    modal = await (await world.alice.slash("bench")).modal()
                    msg = await (await world.alice.submit(modal, text="hello")).message()
                    updated = await (await world.alice.click(msg, "Done")).message()
                    assert updated.content == "done"
                    trips.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    async with session.get(f"{emu.api_base}/users/@me", headers=headers) as r:
                        await r.read()
                    raw.append(time.perf_counter() - started)
    return trips[1:], raw[1:]  # the first run warms imports and caches


async def main() -> None:
    bot_ready = [await _ready_time(bare=False) for _ in range(RUNS)]
    bare_ready = [await _ready_time(bare=True) for _ in range(RUNS)]
    report(
        "emulator + Track Two ready (median)",
        statistics.median(bot_ready) * 1000,
        "ms",
        statistics.median(bare_ready) * 1000,
        "emulator + bare discord.Client ready",
    )
    trips, raw = await _round_trips()
    report(
        "slash → modal → submit → message → button (median)",
        statistics.median(trips) * 1000,
        "ms",
        statistics.median(raw) * 1000,
        "raw aiohttp GET /users/@me",
    )
