"""/about's health facts: the stored replies it reports are this server's only."""

from __future__ import annotations

from bot.dialogue.replies import RawReply
from bot.services import Services

from .conftest import GUILD

OTHER = GUILD + 1
TEXT = "This excerpt reminds me of my grandmother's stories about her neighbours."


async def open_round_in(services: Services, guild_id: int) -> tuple[int, int]:
    """A configured server with an open round: (round id, the Armenian community's id)."""
    await services.guild_config.set_dialogue_channel(guild_id, guild_id + 900)
    arm = await services.communities.add(guild_id, "Armenian", guild_id + 501)
    await services.communities.add(guild_id, "Azerbaijani", guild_id + 502)
    round_, _ = await services.rounds.prepare(guild_id, None)
    await services.rounds.attach(round_, guild_id + 7000, guild_id + 8000)
    return round_.id, arm.id


async def reply(services: Services, guild_id: int, where: tuple[int, int], user: int) -> None:
    round_id, community_id = where
    await services.communities.join(guild_id, user, frozenset(), community_id)
    await services.replies.submit(round_id, user, frozenset(), "Ani", RawReply(TEXT))


async def test_stored_replies_count_only_this_servers(services: Services) -> None:
    here, there = await open_round_in(services, GUILD), await open_round_in(services, OTHER)
    await reply(services, GUILD, here, 1001)
    await reply(services, OTHER, there, 1002)
    await reply(services, OTHER, there, 1003)
    health = await services.status.database_health(GUILD)
    assert health.ok and health.reply_count == 1
    assert (await services.status.database_health(OTHER)).reply_count == 2
    assert (await services.status.database_health(GUILD + 2)).reply_count == 0
    assert (await services.status.database_health(None)).reply_count == 0  # a DM: no count
