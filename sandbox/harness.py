"""Run a discord.py bot against the emulator, started the way ``tracktwo run`` starts one.

The harness does not know which bot it runs: its caller hands it a *bot factory*, a callable
``factory(settings, *, extensions=..., guild_ready_timeout=..., **options)`` that aims the
client at ``settings``' endpoints and returns a discord.Client-like bot (Track Two's is
``app.startup.sandbox_bot``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from bot.settings import Settings
from sandbox.emulator import Emulator

# discord.py names the tasks it starts for a bot's work: event listeners, the command tree's
# invoker, a view's, form's or dynamic item's callback. While one runs, the bot is not done.
DISCORD_WORK_TASKS = ("discord.py: ", "CommandTree-invoker", "discord-ui-")
SETTLE_POLL = 0.01  # seconds between two looks at a bot that is still working


class SandboxBot(Protocol):
    """What the harness needs of a bot: discord.Client's start, readiness and close. A bot may
    also offer ``pending_work() -> list[str]`` (what it is still doing: background jobs the
    harness cannot see); :meth:`BotHarness.settle` then waits for it to be empty too."""

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

    def pending(self) -> list[str]:
        """What keeps the bot and the emulator from being settled right now (empty: settled)."""
        state = self.emu.state
        now = asyncio.get_running_loop().time()
        waiting: list[str] = []
        if state.requests_in_flight:
            waiting.append(f"{state.requests_in_flight} REST call(s) being answered")
        for inter in state.interactions.values():
            if inter.responded or now - inter.created_at > state.interaction_deadline:
                continue
            waiting.append(f"interaction {inter.id} not answered yet")
        for msg in state.messages.values():
            if msg.loading:
                waiting.append(f"message {msg.id} still 'thinking'")
        current = asyncio.current_task()
        for task in asyncio.all_tasks():
            name = task.get_name()
            if task is not current and not task.done() and name.startswith(DISCORD_WORK_TASKS):
                waiting.append(f"task {name}")
        probe = getattr(self._bot, "pending_work", None)
        if callable(probe):
            waiting.extend(probe())
        return waiting

    async def settle(self, timeout: float = 10.0) -> None:
        """Wait until everything the members did so far has had all its effects: no REST call
        in flight, every interaction answered and its handler finished, no listener running,
        the bot's own background work (``pending_work()``) done, and all of it still so one
        poll later with no change of the emulator's state in between. Bounded: raises
        AssertionError naming what is still pending after ``timeout`` seconds."""
        if self._bot is None:
            return
        state = self.emu.state
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        quiet_since: int | None = None
        while True:
            waiting = self.pending()
            if not waiting:
                if quiet_since == state.changes:
                    return
                quiet_since = state.changes
            else:
                quiet_since = None
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"the bot did not settle within {timeout} s: {'; '.join(waiting)}"
                )
            await state.next_change(min(remaining, SETTLE_POLL))

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
