"""Notices to members and mod-channel posts, each handed out once (moderation/notices)."""

from __future__ import annotations

import asyncio

from bot.effects import (
    Announce,
)
from bot.services import Services
from tests.service.conftest import GUILD
from tests.service.moderation.helpers import (
    BABEK,
    MOD_A,
    MOD_B,
    configured,
    held,
    member,
    mod,
)


async def test_pending_notices_are_handed_out_once_even_at_once(services: Services) -> None:
    """Two interactions of the member at the same moment: only one shows the notices; one
    that could not show them gives them back for the next."""
    await configured(services)
    m = services.moderation
    await m.warn(mod(MOD_A), member(BABEK), "insult")
    await m.warn(mod(MOD_B), member(BABEK), "again")
    takes = await asyncio.gather(*(m.notices.take(GUILD, BABEK) for _ in range(5)))
    shown = [t for t in takes if t]
    assert len(shown) == 1 and len(shown[0]) == 3  # two warnings and the ladder's timeout
    assert [i for i, _ in shown[0]] == sorted(i for i, _ in shown[0])
    assert await m.notices.pending(GUILD, BABEK) == []
    await m.notices.give_back([i for i, _ in shown[0]])
    assert await m.notices.take(GUILD, BABEK) == shown[0]


async def test_unannounced_items_are_announced_once(services: Services) -> None:
    round_id = await configured(services)
    reply_id = await held(services, round_id)
    m = services.moderation
    key = f"held:{reply_id}"
    assert await m.announcements.due() == [(GUILD, Announce(key))]
    item = await m.announcements.claim(GUILD, key)
    assert item is not None and item.key == key and item.reply is not None
    assert await m.announcements.claim(GUILD, key) is None
    await m.announcements.posted(GUILD, key, 4242)
    assert await m.announcements.due() == []
    assert await m.announcements.message_of(GUILD, key) == 4242
