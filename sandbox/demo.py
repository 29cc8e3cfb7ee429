"""The offline sandbox: the emulator, the real bot and a scripted demo, or ``--serve``.

``tracktwo sandbox`` runs every step in ``sandbox/steps/`` and prints a transcript of what
members would see, then a summary. ``tracktwo sandbox --serve`` keeps the emulator running for
any discord.py bot. ``SANDBOX_DATABASE`` keeps the bot's database at a path of your choice
(otherwise a temporary one is used and removed). The bot comes from the ``bot_factory`` the
caller hands in (see :mod:`sandbox.harness`); the sandbox never imports the bot itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import signal
import sys
import tempfile
import time
from pathlib import Path

from bot.settings import Settings, configure_logging
from sandbox.emulator import DEFAULT_TOKEN_PREFIX, Emulator
from sandbox.harness import BotFactory, BotHarness
from sandbox.scenario import DemoContext, load_steps
from sandbox.transcript import LEGEND, NEXT_STEPS, Transcript
from sandbox.world import COMMUNITIES, demo_world

RULE = "-" * 72


def _quiet_logging(token: str) -> None:
    # Warnings only, with the (fake) token redacted like a real one would be.
    configure_logging(Settings(discord_token=token, log_level="WARNING"))
    logging.getLogger("discord.client").setLevel(logging.ERROR)  # no voice here, by design


async def run_demo(
    bot_factory: BotFactory, database: Path | None = None, *, token: str | None = None
) -> int:
    started = time.perf_counter()
    async with Emulator(token=token) as emu:
        world = await demo_world(emu)
        with tempfile.TemporaryDirectory(prefix="tracktwo-sandbox-") as tmp:
            harness = BotHarness(
                emu, database or Path(tmp) / "sandbox.sqlite3", bot_factory=bot_factory
            )
            try:
                await harness.start()
            except Exception as exc:
                print(f"sandbox: the bot did not start: {exc}", file=sys.stderr)
                return 1
            transcript = Transcript(emu.state, set(COMMUNITIES))
            ctx = DemoContext(emu, world, harness, transcript)

            async def beat() -> None:
                # before each thing a member does: what the last action caused, all of it
                await harness.settle()
                transcript.flush()

            print(f"Track Two sandbox: server {world.guild.name!r}, channel #{world.dialogue.name}")
            print(LEGEND)
            print(RULE)
            failed = None
            steps = load_steps()
            await harness.settle()
            transcript.flush()  # what the bot did on startup
            emu.state.before_action = beat
            for number, item in enumerate(steps, 1):
                print(f"\n[{number}/{len(steps)}] {item.title}")
                try:
                    await item.run(ctx)
                    await harness.settle()
                except Exception as problem:
                    failed = (item.title, problem)
                transcript.flush()
                if failed is not None:
                    break
            emu.state.before_action = None
            await harness.stop()
        elapsed = time.perf_counter() - started
        public = [m for m in emu.messages.values() if not m.ephemeral]
        ephemeral = [m for m in emu.messages.values() if m.ephemeral]
        errors = list(emu.errors)
        print("\n" + RULE)
        print(
            f"Summary: {len(steps)} step(s), {'failed' if failed else 'all passed'} in "
            f"{elapsed:.2f} s\n"
            f"  messages: {len(public)} public, {len(ephemeral)} only-you-can-see-this\n"
            f"  interactions: {len(emu.interactions)}\n"
            f"  REST calls by the bot: {len(emu.rest_log)}; errors: {len(errors)}"
            f" (expected {ctx.expected_errors})"
        )
        for call in errors:
            print(f"    {call}")
        if failed is not None:
            failed_title, failed_error = failed
            print(f"\nsandbox: step {failed_title!r} failed: {failed_error}", file=sys.stderr)
            return 1
        if len(errors) > ctx.expected_errors:
            print("\nsandbox: the bot made REST calls Discord would refuse", file=sys.stderr)
            return 1
        print("\n" + NEXT_STEPS)
    return 0


async def serve_forever(*, token: str | None = None) -> int:
    async with Emulator(token=token) as emu:
        world = await demo_world(emu)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        members = ", ".join(
            f"{p.user.username} ({', '.join(p.role_names) or 'no role'})"
            for p in [
                world.owner,
                world.admin,
                world.mod,
                world.facilitator,
                *world.more.values(),
                *world.members,
            ]
        )
        # The sandbox token is a fake valid only for this emulator; printing it is the point.
        print(
            "Local Discord emulator running. Point any discord.py bot at it with:\n"
            f"  DISCORD_API_BASE={emu.api_base}\n"
            f"  DISCORD_GATEWAY_URL={emu.gateway_url}\n"
            f"  DISCORD_TOKEN={emu.token}\n"
            f"Application id {emu.application_id}; server {world.guild.name!r} "
            f"(id {world.guild.id}); channels: "
            f"{', '.join('#' + c.name for c in world.guild.channels.values())}\n"
            f"Members: {members}\n"
            "Ctrl-C stops it.",
            flush=True,
        )
        await stop.wait()
        print("stopping the emulator")
    return 0


def main(bot_factory: BotFactory, serve: bool = False) -> int:
    token = DEFAULT_TOKEN_PREFIX + secrets.token_urlsafe(24)
    _quiet_logging(token)
    database = os.environ.get("SANDBOX_DATABASE")
    try:
        if serve:
            return asyncio.run(serve_forever(token=token))
        database_path = Path(database) if database else None
        return asyncio.run(run_demo(bot_factory, database_path, token=token))
    except KeyboardInterrupt:
        return 130
