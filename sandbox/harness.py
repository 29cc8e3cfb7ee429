"""Run the project's real bot against the emulator, exactly as ``tracktwo run`` starts it."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.settings import Settings
from bot.startup import TrackTwoBot, point_client_at
from sandbox.emulator import Emulator


class BotHarness:
    """Starts, stops and restarts a :class:`TrackTwoBot` on one database path."""

    def __init__(
        self,
        emu: Emulator,
        database_path: Path,
        *,
        extensions: Sequence[str] | None = None,
        guild_ready_timeout: float = 0.05,
        **bot_options: Any,
    ) -> None:
        self.emu = emu
        self.database_path = database_path
        self.extensions = extensions
        self.guild_ready_timeout = guild_ready_timeout
        self.bot_options = bot_options
        self._bot: TrackTwoBot | None = None
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
    def bot(self) -> TrackTwoBot:
        if self._bot is None:
            raise RuntimeError("the bot is not running")
        return self._bot

    async def start(self, timeout: float = 10.0) -> TrackTwoBot:
        settings = self.settings
        point_client_at(settings)
        bot = TrackTwoBot(
            settings,
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
            await asyncio.wait(
                {ready}
            )  # unlike suppress(CancelledError), keeps a cancel of start()
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

    async def restart(self, **changes: Any) -> TrackTwoBot:
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
