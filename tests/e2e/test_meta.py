"""/about through the real client against the emulator."""

from __future__ import annotations

from bot import __version__
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
