"""Drains the outbox: publishes, refreshes and unpublishes replies in their round's thread.

A row leaves the outbox only after Discord confirmed the work, in the same transaction that
records the message id. Messages carry a nonce derived from the reply id with
``enforce_nonce``, so a send repeated after a crash returns the first message instead of a
duplicate.

One failing thread never holds the others back: claimed rows are worked by one worker per
thread (in order within the thread, a bounded number of threads at once), and a failed row
postpones only its own thread's rows, with backoff. A message Discord accepted whose
recording then failed is never sent blindly again: the publisher remembers it (in memory) and
records it when storage is back; a row that may have been sent before (it failed once, or was
left by a previous process) is first looked for in the thread's recent messages (its Report
button's custom_id names the reply), since Discord's nonce only deduplicates for minutes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import discord

from bot.dialogue.models import OutboxItem, Reply, ReplyStatus
from bot.errors import UserFacingError
from cogs import _ids
from cogs._common import NO_MENTIONS
from cogs._tasks import Sleeper
from cogs.dialogue.posting import thread_name
from cogs.dialogue.render import reply_embed, reply_view

if TYPE_CHECKING:
    from cogs._bot import TrackTwoBot

log = logging.getLogger(__name__)

IDLE_SECONDS = 60.0
MAX_THREADS = 8  # threads published to at once
HISTORY_LOOKBACK = 50  # recent messages searched for a reply that may have been sent
STORAGE_RETRY = 2.0  # seconds before a row whose bookkeeping failed is tried again
DRAIN_WAIT = 0.25  # seconds drain() waits for the workers it started
BUSY_RECHECK = 1.0  # seconds between looks while every due row is with a worker


class Publisher(Sleeper):
    def __init__(self, bot: TrackTwoBot) -> None:
        super().__init__("tracktwo-publisher", self._tick, IDLE_SECONDS)
        self.bot = bot
        self._claims_released = False
        self._slots = asyncio.Semaphore(MAX_THREADS)
        self._queues: dict[int, deque[OutboxItem]] = {}  # per thread (or round), in order
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._queued: set[int] = set()  # outbox ids with a worker
        self._sent: dict[int, int] = {}  # reply id -> message id: sent, not yet recorded
        self._maybe_sent: set[int] = set()  # outbox ids possibly sent by an earlier process
        self._not_before: dict[int, float] = {}  # outbox id -> monotonic time (storage down)
        self.completed = 0

    async def stop(self, grace: float = 10.0) -> None:
        workers = list(self._workers.values())
        for task in workers:
            task.cancel()
        if workers:
            await asyncio.wait(workers, timeout=grace)
        await super().stop(grace)

    async def _tick(self) -> float | None:
        first = not self._claims_released
        if first:  # claims left by this bot before a restart
            await self.bot.services.replies.release_stale_claims()
            self._claims_released = True
        await self.drain(maybe_sent=first)
        due = await self.bot.services.replies.next_outbox_due()
        if due is None:
            return None
        delay = (due - datetime.now(UTC)).total_seconds()
        if self._workers or self._not_before:
            # what is due may be the rows the workers hold: they wake us when they finish
            delay = max(delay, BUSY_RECHECK)
        return delay

    async def drain(self, *, maybe_sent: bool = False) -> int:
        """Hand every due outbox row to its thread's worker and wait for those workers;
        returns how many rows were completed. Rows of a thread already being worked are
        queued behind it; the caller never waits for a slow thread it did not start."""
        services = self.bot.services
        now = time.monotonic()
        self._not_before = {k: t for k, t in self._not_before.items() if t > now}
        started: list[asyncio.Task[None]] = []
        for item in await services.replies.claim_outbox(
            services.leases.holder, self.bot.settings.shard_spec
        ):
            if item.id in self._queued or item.id in self._not_before:
                continue
            if maybe_sent:
                self._maybe_sent.add(item.id)
            key = await self._thread_key(item)
            self._queued.add(item.id)
            self._queues.setdefault(key, deque()).append(item)
            if key not in self._workers:
                task = asyncio.create_task(self._worker(key), name=f"tracktwo-publish-{key}")
                self._workers[key] = task
                started.append(task)
        before = self.completed
        if started:
            # briefly: a thread whose sends keep failing goes on in the background, and the
            # next wake (a new reply elsewhere) is not kept waiting behind it
            await asyncio.wait(started, timeout=DRAIN_WAIT)
        return self.completed - before

    async def _thread_key(self, item: OutboxItem) -> int:
        """The thread the row writes to (its round when the thread is not known yet)."""
        if item.reply_id is None:
            return 0
        with contextlib.suppress(UserFacingError):
            reply = await self.bot.services.replies.get(item.reply_id)
            return reply.thread_id or -reply.round_id
        return 0

    async def _worker(self, key: int) -> None:
        queue = self._queues[key]
        try:
            while queue:
                item = queue[0]
                async with self._slots:
                    delay = await self._attempt(item)
                queue.popleft()
                self._queued.discard(item.id)
                if delay is not None:  # keep order within the thread: the rest waits too
                    await self._postpone_rest(queue, item, delay)
                    break
        finally:
            for item in queue:
                self._queued.discard(item.id)
            queue.clear()
            self._queues.pop(key, None)
            self._workers.pop(key, None)
            self.wake()

    async def _attempt(self, item: OutboxItem) -> float | None:
        """Work one row; None when done, else the seconds its thread should wait."""
        replies = self.bot.services.replies
        try:
            await self._work(item)
            self.completed += 1
            self._maybe_sent.discard(item.id)
            return None
        except discord.HTTPException as error:
            reason = f"{error.status} {error.text}"
            log.warning(
                "outbox %s (%s reply %s) failed with HTTP %s",
                item.id,
                item.kind,
                item.reply_id,
                error.status,
            )
        except UserFacingError as error:
            reason = error.message
            log.warning("outbox %s cannot proceed yet (%s)", item.id, error.message)
        except Exception as error:  # storage: the row stays claimed; try again soon
            self._storage_failed(item, error)
            return STORAGE_RETRY
        try:
            delay = await replies.outbox_failed(item, reason)
        except Exception as error:
            self._storage_failed(item, error)
            return STORAGE_RETRY
        log.info("outbox %s: retrying in %.1f s", item.id, delay)
        return delay

    def _storage_failed(self, item: OutboxItem, error: Exception) -> None:
        self._not_before[item.id] = time.monotonic() + STORAGE_RETRY
        log.warning(
            "outbox %s (%s reply %s): storage failed (%s: %s); retrying in %.0f s",
            item.id,
            item.kind,
            item.reply_id,
            type(error).__name__,
            error,
            STORAGE_RETRY,
        )

    async def _postpone_rest(
        self, queue: deque[OutboxItem], failed: OutboxItem, delay: float
    ) -> None:
        for item in queue:
            try:
                await self.bot.services.replies.outbox_wait(
                    item, f"waits for outbox {failed.id} in the same thread", delay
                )
            except Exception as error:
                self._storage_failed(item, error)

    async def _already_sent(self, thread: discord.Thread, reply: Reply) -> int | None:
        """The reply's message among the thread's recent messages, if an earlier attempt
        sent it (found by its Report button, which names the reply)."""
        marker = _ids.REPORT.build(reply_id=reply.id)
        me = thread.guild.me
        async for message in thread.history(limit=HISTORY_LOOKBACK):
            if message.author.id != me.id if me is not None else not message.author.bot:
                continue
            for row in message.components:
                for child in getattr(row, "children", ()):
                    if getattr(child, "custom_id", None) == marker:
                        return message.id
        return None

    async def _thread(self, thread_id: int | None) -> discord.Thread | None:
        """The round's thread, or None when it no longer exists on Discord."""
        if thread_id is None:
            return None
        channel = self.bot.get_channel(thread_id)
        if channel is None:
            try:
                channel = await self.bot.fetch_channel(thread_id)
            except discord.NotFound:
                return None
        return channel if isinstance(channel, discord.Thread) else None

    async def _thread_for_publishing(self, reply: Reply) -> discord.Thread:
        """The thread, opened again on the round's prompt when someone deleted it."""
        thread = await self._thread(reply.thread_id)
        if thread is not None:
            return thread
        rounds = self.bot.services.rounds
        round_ = await rounds.get(reply.round_id)
        channel = self.bot.get_channel(round_.channel_id)
        if not isinstance(channel, discord.TextChannel) or round_.message_id is None:
            raise UserFacingError("posting.error.channel_gone")
        excerpt = await rounds.excerpt(round_)
        lang = (await self.bot.services.guild_config.get(round_.guild_id)).language or "en"
        try:
            thread = await channel.get_partial_message(round_.message_id).create_thread(
                name=thread_name(round_, excerpt.title, lang), auto_archive_duration=10080
            )
        except discord.NotFound:
            raise UserFacingError("posting.error.prompt_gone") from None
        await rounds.attach(round_, round_.message_id, thread.id)
        log.warning("round %s: its thread was gone; opened a new one", round_.number)
        return thread

    async def _work(self, item: OutboxItem) -> None:
        replies = self.bot.services.replies
        assert item.reply_id is not None
        reply = await replies.get(item.reply_id)
        if item.kind == "publish":
            if reply.status not in (ReplyStatus.PENDING, ReplyStatus.PUBLISHED):
                await replies.outbox_done(item)  # withdrawn or removed before it went out
                return
            if reply.message_id is not None:
                await replies.outbox_done(item)
                return
            sent = self._sent.get(reply.id)
            if sent is None:
                thread = await self._thread_for_publishing(reply)
                if item.attempts > 0 or item.id in self._maybe_sent:
                    sent = await self._already_sent(thread, reply)
                    if sent is not None:
                        log.warning("reply %s was already sent; recording it", reply.id)
            if sent is None:
                tally = await replies.tally(reply)
                config = await self.bot.services.guild_config.get(reply.guild_id)
                parent = await self.bot.services.responses.parent_of(reply)
                reference = None
                if parent is not None and parent.message_id is not None:  # a response
                    reference = discord.MessageReference(
                        message_id=parent.message_id, channel_id=thread.id, fail_if_not_exists=False
                    )
                lang = config.language or "en"
                message = await thread.send(
                    embed=reply_embed(reply, tally, config.anonymity, lang, parent),
                    view=reply_view(reply, tally, lang),
                    nonce=f"t2r{reply.id}",
                    allowed_mentions=NO_MENTIONS,
                    reference=reference,  # type: ignore[arg-type]  # None: not a response
                )
                sent = self._sent[reply.id] = message.id
            await replies.published(item, sent)
            self._sent.pop(reply.id, None)
            log.info("published reply %s in round %s", reply.id, reply.round_number)
        elif item.kind == "refresh":
            where = await self._thread(reply.thread_id)
            live = reply.status is ReplyStatus.PUBLISHED
            if where is not None and reply.message_id is not None and live:
                tally = await replies.tally(reply)
                config = await self.bot.services.guild_config.get(reply.guild_id)
                parent = await self.bot.services.responses.parent_of(reply)
                # a message deleted by hand has nothing left to update
                with contextlib.suppress(discord.NotFound):
                    await where.get_partial_message(reply.message_id).edit(
                        embed=reply_embed(
                            reply, tally, config.anonymity, config.language or "en", parent
                        ),
                        view=reply_view(reply, tally, config.language or "en"),
                    )
            await replies.outbox_done(item)
        elif item.kind == "unpublish":
            where = await self._thread(reply.thread_id)
            if where is not None and reply.message_id is not None:
                with contextlib.suppress(discord.NotFound):
                    await where.get_partial_message(reply.message_id).delete()
            await replies.outbox_done(item, message_gone=True)
        else:  # pragma: no cover - the schema's CHECK forbids other kinds
            await replies.outbox_done(item)
