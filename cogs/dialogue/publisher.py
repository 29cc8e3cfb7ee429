"""Drains the outbox: publishes, refreshes and unpublishes replies in their round's thread.

A row leaves the outbox only after Discord confirmed the work, in the same transaction that
records the message id. Messages carry a nonce derived from the reply id with
``enforce_nonce``, so a send repeated after a crash returns the first message instead of a
duplicate.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import discord

from bot.dialogue.models import OutboxItem, Reply, ReplyStatus
from bot.errors import UserFacingError
from cogs._common import NO_MENTIONS
from cogs._tasks import Sleeper
from cogs.dialogue.posting import thread_name
from cogs.dialogue.render import reply_embed, reply_view

if TYPE_CHECKING:
    from cogs._bot import TrackTwoBot

log = logging.getLogger(__name__)

IDLE_SECONDS = 60.0


class Publisher(Sleeper):
    def __init__(self, bot: TrackTwoBot) -> None:
        super().__init__("tracktwo-publisher", self._tick, IDLE_SECONDS)
        self.bot = bot
        self._claims_released = False

    async def _tick(self) -> float | None:
        if not self._claims_released:  # claims left by this bot before a restart
            await self.bot.services.replies.release_stale_claims()
            self._claims_released = True
        await self.drain()
        due = await self.bot.services.replies.next_outbox_due()
        if due is None:
            return None
        when = datetime.fromisoformat(due.replace("Z", "+00:00"))
        return (when - datetime.now(UTC)).total_seconds()

    async def drain(self) -> int:
        """Work every due outbox row once; returns how many were completed."""
        done = 0
        services = self.bot.services
        for item in await services.replies.claim_outbox(
            services.leases.holder, self.bot.settings.shard_spec
        ):
            try:
                await self._work(item)
                done += 1
            except discord.HTTPException as error:
                delay = await self.bot.services.replies.outbox_failed(
                    item, f"{error.status} {error.text}"
                )
                log.warning(
                    "outbox %s (%s reply %s) failed with HTTP %s; retrying in %.1f s",
                    item.id,
                    item.kind,
                    item.reply_id,
                    error.status,
                    delay,
                )
            except UserFacingError as error:
                delay = await self.bot.services.replies.outbox_failed(item, error.message)
                log.warning(
                    "outbox %s cannot proceed yet (%s); retrying in %.1f s",
                    item.id,
                    error.message,
                    delay,
                )
        return done

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
            raise UserFacingError("the round's channel is gone")
        excerpt = await rounds.excerpt(round_)
        try:
            thread = await channel.get_partial_message(round_.message_id).create_thread(
                name=thread_name(round_, excerpt.title), auto_archive_duration=10080
            )
        except discord.NotFound:
            raise UserFacingError("the round's prompt message is gone") from None
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
            thread = await self._thread_for_publishing(reply)
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
            await replies.published(item, message.id)
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
