"""/about through the real client against the emulator."""

from __future__ import annotations

from bot import __version__
from bot.dialogue.replies import RawReply
from sandbox.harness import BotHarness
from sandbox.world import World


async def test_about_answers_privately_with_health(world: World, tracktwo: BotHarness) -> None:
    resp = await world.alice.slash("about")
    msg = await resp.message()
    assert msg.ephemeral
    assert msg.visible_to == world.alice.id
    fields = msg.embed_fields()
    assert msg.embed["title"] == "Track Two"
    assert fields["Version"] == __version__
    assert fields["Database"].startswith("ok (schema ")
    assert fields["Stored replies"] == "0"
    assert fields["Gateway latency"].endswith("ms")


async def test_about_counts_this_servers_replies_only(world: World, tracktwo: BotHarness) -> None:
    """Replies stored for another server on the same database are not counted (nor shown)."""
    services = tracktwo.bot.services
    other = world.guild.id + 1
    for guild_id, users in ((other, (11, 12)), (world.guild.id, (13,))):
        await services.guild_config.set_dialogue_channel(guild_id, guild_id + 900)
        arm = await services.communities.add(guild_id, "Armenian", guild_id + 501)
        await services.communities.add(guild_id, "Azerbaijani", guild_id + 502)
        round_, _ = await services.rounds.prepare(guild_id, None)
        await services.rounds.attach(round_, guild_id + 7000, guild_id + 8000)
        for user in users:
            await services.communities.join(guild_id, user, frozenset(), arm.id)
            text = "My grandmother still speaks of her neighbours across the border."
            await services.replies.submit(round_.id, user, frozenset(), "Ani", RawReply(text))
    msg = await (await world.alice.slash("about")).message()
    assert msg.embed_fields()["Stored replies"] == "1"
