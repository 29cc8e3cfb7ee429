"""Bot startup: the ``commands.Bot`` subclass, extension loading, command sync, shutdown.

Part of the composition root (``app/``): the one package that knows ``bot/``, ``cogs/`` and
``sandbox/`` together.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hashlib
import json
import logging
import pkgutil
import signal
from collections.abc import Sequence
from typing import Any

import discord
import yarl
from discord.ext import commands

import cogs
from app.services import build_services
from bot import __version__
from bot.services import Services
from bot.settings import Settings
from bot.storage import Storage, migrate, open_database
from bot.storage.state import StateStore

log = logging.getLogger(__name__)


def discover_extensions() -> list[str]:
    """Every module or package directly under ``cogs/`` whose name does not start with ``_``."""
    return sorted(
        f"cogs.{info.name}"
        for info in pkgutil.iter_modules(cogs.__path__)
        if not info.name.startswith("_")
    )


def point_client_at(settings: Settings) -> None:
    """Aim discord.py at a Discord-compatible server (the local emulator), or at Discord."""
    discord.http.Route.BASE = settings.discord_api_base or "https://discord.com/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(
        settings.discord_gateway_url or "wss://gateway.discord.gg/"
    )


def sandbox_bot(settings: Settings, **options: Any) -> TrackTwoBot:
    """The bot factory handed to ``sandbox.harness``: aim discord.py at ``settings``' endpoints
    (the emulator), then build the bot with the harness's options."""
    point_client_at(settings)
    return TrackTwoBot(settings, **options)


def intents() -> discord.Intents:
    # Everything members do reaches the bot as interactions, which need no intent. ``guilds``
    # gives the channel, thread and role cache. No privileged intent is needed.
    return discord.Intents(guilds=True)


class TrackTwoBot(commands.AutoShardedBot):
    """The bot, sharded: with SHARD_COUNT/SHARD_IDS, N processes share one token, each
    running its shards (Discord sends DMs to shard 0: that process handles them). Without
    them, one process runs the number of shards Discord recommends."""

    def __init__(
        self,
        settings: Settings,
        *,
        extensions: Sequence[str] | None = None,
        guild_ready_timeout: float = 2.0,
        **options: Any,
    ) -> None:
        if settings.shard_count is not None and settings.shard_ids is not None:
            options.setdefault("shard_count", settings.shard_count)
            options.setdefault("shard_ids", list(settings.shard_ids))
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=guild_ready_timeout,
            **options,
        )
        self.settings = settings
        self.db: Storage = open_database(settings.database)
        self.services: Services = build_services(settings, self.db)
        self._extension_names = list(extensions) if extensions is not None else None
        self.failed_extensions: dict[str, BaseException] = {}

    async def setup_hook(self) -> None:
        await self.db.open()
        applied = await migrate(self.db)
        if applied:
            log.info("applied migrations: %s", ", ".join(applied))
        if added := await self.services.packs.seed_builtin():
            log.info("stored %d excerpts of the shipped prompt packs", added)
        names = (
            self._extension_names if self._extension_names is not None else discover_extensions()
        )
        for name in names:
            try:
                await self.load_extension(name)
            except Exception as exc:
                self.failed_extensions[name] = exc
                log.exception("extension %s failed to load; running on without it", name)
            else:
                log.info("loaded extension %s", name)
        await self.sync_commands_if_changed()
        # Everything loaded so far lives as long as the bot: move it out of the collector's
        # sight, so that a full collection stays short (measured in bench_civility: the
        # longest pause falls from about 6 ms to about 1 ms, under the 5 ms budget of a check).
        gc.collect()
        gc.freeze()

    def _sync_target(self) -> discord.Object | None:
        if self.settings.dev_guild_id is None:
            return None
        return discord.Object(id=self.settings.dev_guild_id)

    async def command_payload(self, guild: discord.abc.Snowflake | None) -> list[dict[str, Any]]:
        """What a sync sends, translations included: ``to_dict`` leaves them out, and a changed
        translation must change the sync hash."""
        commands_ = self.tree.get_commands(guild=guild)
        translator = self.tree.translator
        if translator is None:
            return [command.to_dict(self.tree) for command in commands_]
        return [
            await command.get_translated_payload(self.tree, translator) for command in commands_
        ]

    async def sync_commands_if_changed(self) -> bool:
        """Sync only when the command set differs from the last sync (stored as a hash)."""
        guild = self._sync_target()
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        payload = await self.command_payload(guild)
        digest = hashlib.sha256(
            json.dumps(payload, sort_keys=True, default=str).encode("utf-8")
        ).hexdigest()
        key = f"command_sync:{guild.id if guild else 'global'}:{self.application_id}"
        state = StateStore(self.db)
        stored = await state.get(key)
        if stored == digest:
            log.info("application commands unchanged; not syncing")
            return False
        synced = await self.tree.sync(guild=guild)
        await state.set(key, digest)
        log.info(
            "synced %d application commands to %s",
            len(synced),
            guild.id if guild else "all servers",
        )
        return True

    async def close(self) -> None:
        if not hasattr(self, "_AutoShardedClient__queue"):
            # never connected: discord.py's AutoShardedClient.close assumes connect() made
            # its event queue; give it one so that closing an unstarted bot works
            self._AutoShardedClient__queue: asyncio.PriorityQueue[Any] = asyncio.PriorityQueue()
        try:
            await super().close()
        finally:
            await self.db.close()

    async def on_ready(self) -> None:
        log.info("Track Two %s ready as %s in %d servers", __version__, self.user, len(self.guilds))


async def run_bot(settings: Settings, **bot_options: Any) -> None:
    """Run until SIGINT/SIGTERM, then shut down gracefully and close the database."""
    if not settings.discord_token:
        raise RuntimeError("run_bot needs DISCORD_TOKEN")
    point_client_at(settings)
    bot = TrackTwoBot(settings, **bot_options)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # non-Unix loops
            loop.add_signal_handler(sig, stop.set)
    async with bot:
        runner = asyncio.create_task(bot.start(settings.discord_token))
        stopper = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if stopper in done:
            log.info("shutting down")
            await bot.close()
        stopper.cancel()
        await asyncio.gather(runner, return_exceptions=stopper in done)
