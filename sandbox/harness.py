"""Run a discord.py bot against the emulator, started the way ``tracktwo run`` starts one.

The harness does not know which bot it runs: its caller hands it a *bot factory*, a callable
``factory(settings, *, extensions=..., guild_ready_timeout=..., **options)`` that aims the
client at ``settings``' endpoints and returns a discord.Client-like bot (Track Two's is
``app.startup.sandbox_bot``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from bot.settings import Settings
from sandbox.emulator import Emulator


class SandboxBot(Protocol):
    """What the harness needs of a bot: discord.Client's start, readiness and close."""

    async def start(self, token: str) -> None: ...

    async def wait_until_ready(self) -> None: ...

    async def close(self) -> None: ...


class BotFactory(Protocol):
    """Builds a bot aimed at ``settings``' API and gateway (it points the client there)."""

    def __call__(
        self,
        settings: Settings,
        *,
        extensions: Sequence[str] | None,
        guild_ready_timeout: float,
        **options: Any,
    ) -> Any: ...


class BotHarness:
    """Starts, stops and restarts the bot ``bot_factory`` builds, on one database path.

    ``bot_factory`` is needed to start a bot; without one the harness still gives the
    ``settings`` that point a client at the emulator."""

    def __init__(
        self,
        emu: Emulator,
        database_path: Path,
        *,
        bot_factory: BotFactory | None = None,
        extensions: Sequence[str] | None = None,
        guild_ready_timeout: float = 0.05,
        **bot_options: Any,
    ) -> None:
        self.emu = emu
        self.bot_factory = bot_factory
        self.database_path = database_path
        self.extensions = extensions
        self.guild_ready_timeout = guild_ready_timeout
        self.bot_options = bot_options
        self._bot: Any = None
        self._task: asyncio.Task[None] | None = None
        self.starts = 0

    @property
    def settings(self) -> Settings:
        return Settings(
            discord_token=self.emu.token,
            database_path=self.database_path,
            discord_api_base=self.emu.api_base,
            discord_gateway_url=self.emu.gateway_url,
        )

    @property
    def bot(self) -> Any:
        if self._bot is None:
            raise RuntimeError("the bot is not running")
        return self._bot

    async def start(self, timeout: float = 10.0) -> Any:
        if self.bot_factory is None:
            raise RuntimeError("BotHarness needs a bot_factory to start a bot")
        bot: SandboxBot = self.bot_factory(
            self.settings,
            extensions=self.extensions,
            guild_ready_timeout=self.guild_ready_timeout,
            **self.bot_options,
        )
        self._bot = bot
        self._task = asyncio.create_task(bot.start(self.emu.token), name="tracktwo-bot")
        ready = asyncio.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait(
            {self._task, ready}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ready
            if self._task in done:
                self._task.result()  # raise the reason it stopped
                raise RuntimeError("the bot stopped before it was ready")
            await self.stop()
            raise TimeoutError(f"the bot was not ready within {timeout} s")
        self.starts += 1
        return bot

    async def stop(self) -> None:
        bot, task = self._bot, self._task
        self._bot = self._task = None
        if bot is not None:
            await bot.close()
        if task is not None:
            await task

    async def restart(self, **changes: Any) -> Any:
        """A new bot process on the same database (``extensions=`` may change)."""
        await self.stop()
        if "extensions" in changes:
            self.extensions = changes.pop("extensions")
        self.bot_options.update(changes)
        return await self.start()

    async def __aenter__(self) -> BotHarness:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
