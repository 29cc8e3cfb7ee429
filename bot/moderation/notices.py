"""Notices to members and the queue's posts in the mod channel: the bookkeeping that makes
each reach its reader once."""

from __future__ import annotations

from bot.effects import Announce
from bot.moderation._decision import Desk
from bot.moderation.models import QueueItem
from bot.notice import Notice


class Notices:
    """A member's notices about their cases, kept until they reach them."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    async def pending(self, guild_id: int, user_id: int) -> list[tuple[int, Notice]]:
        """(notice id, notice) of the member's notices not yet delivered, oldest first."""
        return await self._desk.store.notices.undelivered(guild_id, user_id)

    async def take(self, guild_id: int, user_id: int) -> list[tuple[int, Notice]]:
        """The notices to show the member now; each is handed out once."""
        return await self._desk.store.notices.take_undelivered(guild_id, user_id, self._desk.now())

    async def give_back(self, notice_ids: list[int]) -> None:
        """Notices taken but not shown after all: pending again."""
        await self._desk.store.notices.return_undelivered(notice_ids)

    async def delivered(self, notice_ids: list[int]) -> None:
        """The notices reached the member (by DM)."""
        await self._desk.store.notices.mark_delivered(notice_ids, self._desk.now())


class Announcements:
    """Each queue item is posted to the mod channel once, and its post is marked done when
    the item is decided (``Announce`` and ``Resolve`` effects)."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    async def due(self) -> list[tuple[int, Announce]]:
        """(guild id, effect) for every waiting item never posted, across guilds."""
        return [(g, Announce(key)) for g, key in await self._desk.store.queue.unannounced()]

    async def claim(self, guild_id: int, key: str) -> QueueItem | None:
        """The item to post, for the one caller that should post it; None for everyone else
        (or when the item is no longer waiting)."""
        if not await self._desk.store.queue.claim_announcement(guild_id, key):
            return None
        return await self._desk.queue.peek(guild_id, key)

    async def posted(self, guild_id: int, key: str, message_id: int) -> None:
        """Remember the mod-channel message that shows the item."""
        await self._desk.store.queue.set_announcement(guild_id, key, message_id)

    async def message_of(self, guild_id: int, key: str) -> int | None:
        """The mod-channel message that shows the item, if it was posted."""
        return await self._desk.store.queue.announcement(guild_id, key)
