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
import os
import pkgutil
import signal
from collections.abc import Sequence
from typing import Any

import aiohttp
import discord
import yarl
from discord.ext import commands

import cogs
from app.services import build_services
from bot import __version__
from bot.i18n import resolve, translate
from bot.privacy import SecretMismatch, secret_mismatch
from bot.services import Services
from bot.settings import Settings
from bot.storage import MigrationError, Storage, StorageError, migrate, open_database
from bot.storage.state import StateStore
from cogs._i18n import interaction_scope
from cogs._payloads import forged

log = logging.getLogger(__name__)


def _snowflake(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


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


# Track Two never joins voice: discord.py's start-up warnings about voice libraries are noise
# to an operator reading the first lines of a run.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


class TrackTwoBot(commands.AutoShardedBot):
    """The bot, sharded: with SHARD_COUNT/SHARD_IDS, N processes share one token, each
    running its shards (Discord sends DMs to shard 0: that process handles them). Without
    them, one process runs one shard, connecting exactly as an unsharded bot does (Discord
    requires sharding from 2,500 servers: set SHARD_COUNT then)."""

    def __init__(
        self,
        settings: Settings,
        *,
        extensions: Sequence[str] | None = None,
        guild_ready_timeout: float = 2.0,
        shutdown_grace: float = 10.0,
        **options: Any,
    ) -> None:
        # One shard unless configured: the client then connects as an unsharded bot does
        # (no GET /gateway/bot, the configured gateway URL).
        options.setdefault("shard_count", settings.shard_count or 1)
        if settings.shard_ids is not None:
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
        self.logged_in = asyncio.Event()
        self.shutdown_grace = shutdown_grace
        self.accepting = True  # False once close() began: new interactions are refused
        self.in_flight: dict[asyncio.Task[Any], Any] = {}  # handler task -> its interaction
        self._shutdown: asyncio.Task[None] | None = None
        self._track_interactions()

    def _track_interactions(self) -> None:
        """Every interaction enters through the gateway's INTERACTION_CREATE parser, which
        starts its handlers as tasks (the command tree's invoker, a view's or form's callback,
        ``on_interaction`` listeners). Keep those tasks in ``in_flight`` so that close() can wait
        for them; once closing, answer new interactions "restarting" instead of running them."""
        parsers = self._connection.parsers
        parse = parsers["INTERACTION_CREATE"]

        def tracked(data: Any) -> None:
            if not self.accepting:
                self._track(asyncio.create_task(self._refuse(data), name="tracktwo-refuse"), None)
                return
            if (problem := forged(data)) is not None:  # never dispatched: one refusal here
                log.warning("refused an interaction with %s", problem)
                refusal = self._refuse(data, "error.forged")
                self._track(asyncio.create_task(refusal, name="tracktwo-refuse"), None)
                return
            before = asyncio.all_tasks()
            with interaction_scope(_snowflake(data.get("id"))):  # one language lookup for all
                parse(data)
            for task in asyncio.all_tasks() - before:
                self._track(task, data)

        parsers["INTERACTION_CREATE"] = tracked

    def _track(self, task: asyncio.Task[Any], data: Any) -> None:
        self.in_flight[task] = data
        task.add_done_callback(lambda done: self.in_flight.pop(done, None))

    async def _refuse(self, data: Any, key: str = "bot.restarting") -> None:
        if data.get("type") == discord.InteractionType.autocomplete.value or self.is_closed():
            return
        interaction: discord.Interaction = discord.Interaction(data=data, state=self._connection)
        text = translate(key, resolve(None, interaction.locale.value, None))
        with contextlib.suppress(discord.HTTPException):
            await interaction.response.send_message(text, ephemeral=True)

    async def setup_hook(self) -> None:
        self.logged_in.set()  # discord.py calls this once Discord has accepted the token
        await self.db.open()
        applied = await migrate(self.db)
        if applied:
            log.info("applied migrations: %s", ", ".join(applied))
        await self.check_secret()
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

    async def check_secret(self) -> None:
        """Record the pseudonym secret's fingerprint on the first run; refuse to run on with a
        different secret, under which stored authors could no longer be found."""
        fingerprint = self.services.pseudonyms.fingerprint
        stored = await StateStore(self.db).record_secret_fingerprint(fingerprint)
        if stored != fingerprint:
            raise secret_mismatch(self.settings.data_dir)

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
        """Stop taking interactions, let those in flight finish (``shutdown_grace`` s, then they
        are cancelled), stop the background tasks (extensions unload), commit what is queued,
        then close the gateway and HTTP, and last the database. Idempotent."""
        if not hasattr(self, "_AutoShardedClient__queue"):
            # never connected: discord.py's AutoShardedClient.close assumes connect() made
            # its event queue; give it one so that closing an unstarted bot works
            self._AutoShardedClient__queue: asyncio.PriorityQueue[Any] = asyncio.PriorityQueue()
        caller = asyncio.current_task()
        if self._shutdown is None:
            self._shutdown = asyncio.create_task(self._shut_down(caller), name="tracktwo-close")
        await asyncio.shield(self._shutdown)

    async def _shut_down(self, caller: asyncio.Task[Any] | None) -> None:
        try:
            self.accepting = False
            # a handler that closes the bot waits on us: not for itself
            running = {task: data for task, data in self.in_flight.items() if task is not caller}
            if running:
                log.info("shutting down: waiting for %d interactions in flight", len(running))
                _, late = await asyncio.wait(running, timeout=self.shutdown_grace)
                if late:
                    log.warning("%d interactions still running; cancelling them", len(late))
                    for task in late:
                        task.cancel()
                    await asyncio.wait(late, timeout=1.0)
                    # answered "restarting" unless they had answered already (Discord refuses)
                    refusals = [self._refuse(running[t]) for t in late if running[t] is not None]
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(2.0):
                            await asyncio.gather(*refusals, return_exceptions=True)
            for name in list(self.extensions):  # cog_unload stops the cogs' Sleepers
                try:
                    await self.unload_extension(name)
                except Exception:
                    log.exception("extension %s failed to unload", name)
            await self.db.flush()
            await super().close()
        finally:
            await self.db.close()

    async def on_ready(self) -> None:
        log.info("Track Two %s ready as %s in %d servers", __version__, self.user, len(self.guilds))


LOGIN_TIMEOUT = 60.0

TOKEN_HELP = (
    "copy it again from the Bot page of your application at "
    "https://discord.com/developers/applications"
)


def startup_failure(exc: BaseException, settings: Settings) -> str | None:
    """One line saying why ``run`` could not start, for the failures an operator can fix;
    None for anything else (a bug, which deserves its traceback)."""
    if isinstance(exc, SecretMismatch | StorageError | MigrationError):
        return str(exc)
    api = settings.discord_api_base or "https://discord.com/api/v10"
    if isinstance(exc, discord.LoginFailure):
        return f"Discord rejected DISCORD_TOKEN (401 Unauthorized); {TOKEN_HELP}"
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return f"Discord refused an intent the bot asked for: {exc}"
    if isinstance(exc, discord.HTTPException):
        return f"Discord at {api} answered {exc.status} while logging in; try again later"
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return f"cannot reach Discord at {api}: the name {exc.host} does not resolve"
    if isinstance(exc, aiohttp.ClientConnectorError):
        errno = exc.os_error.errno
        reason = os.strerror(errno) if errno else str(exc.os_error) or "connection failed"
        return f"cannot reach Discord at {api}: {exc.host}:{exc.port}: {reason}"
    if isinstance(exc, TimeoutError | aiohttp.ServerTimeoutError):
        return f"Discord at {api} did not answer in time; check the network"
    if isinstance(exc, aiohttp.ClientError):
        return f"cannot reach Discord at {api}: {exc or type(exc).__name__}"
    return None


async def run_bot(
    settings: Settings, *, login_timeout: float = LOGIN_TIMEOUT, **bot_options: Any
) -> None:
    """Run until SIGINT/SIGTERM, then shut down gracefully and close the database. Discord
    must accept the token within ``login_timeout`` seconds (discord.py alone would wait five
    minutes for an answer); after that, lost connections are discord.py's to retry."""
    if not settings.discord_token:
        raise RuntimeError("run_bot needs DISCORD_TOKEN")
    point_client_at(settings)
    bot = TrackTwoBot(settings, **bot_options)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        with contextlib.suppress(NotImplementedError, RuntimeError):  # non-Unix loops
            loop.add_signal_handler(sig, stop.set)
    try:
        await _run_until_stopped(bot, settings.discord_token, stop, login_timeout)
    finally:
        for sig in signals:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)


async def _run_until_stopped(
    bot: TrackTwoBot, token: str, stop: asyncio.Event, login_timeout: float
) -> None:
    async with bot:
        runner = asyncio.create_task(bot.start(token))
        stopper = asyncio.create_task(stop.wait())
        answered = asyncio.create_task(bot.logged_in.wait())
        done, _ = await asyncio.wait(
            {runner, stopper, answered}, timeout=login_timeout, return_when=asyncio.FIRST_COMPLETED
        )
        answered.cancel()
        if not done:  # Discord took the connection and never answered
            runner.cancel()
            stopper.cancel()
            await asyncio.gather(runner, return_exceptions=True)
            raise TimeoutError(f"Discord did not answer the login within {login_timeout:g} s")
        if runner not in done and stopper not in done:
            done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if stopper in done:
            log.info("shutting down")
            await bot.close()
        stopper.cancel()
        await asyncio.gather(runner, return_exceptions=stopper in done)
