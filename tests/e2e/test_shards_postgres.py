"""Two bot processes' worth of bots, each running one of two shards, on one PostgreSQL
database and the emulator (which routes each server's events to its shard, DMs to shard 0):
replies in both shards' servers are published exactly once, a scheduled prompt is posted
once, and when one bot stops, the other takes over its lease."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.startup import sandbox_bot
from bot.settings import Settings
from sandbox.emulator import Emulator
from sandbox.harness import BotHarness
from sandbox.world import World, build_world
from tests.e2e.conftest import accept_agreements
from tests.e2e.test_dialogue import post_round, published, set_up, share, until
from tests.pg import scratch_schema

pytestmark = pytest.mark.e2e

SHARDS = 2
SECRET = "shared-secret-of-both-processes-" + "x" * 8


class ShardHarness(BotHarness):
    """A bot on PostgreSQL running one shard of ``SHARDS``."""

    def __init__(self, emu: Emulator, url: str, shard: int, folder: Path) -> None:
        super().__init__(emu, folder / f"unused-{shard}.sqlite3", bot_factory=sandbox_bot)
        self.url = url
        self.shard = shard

    @property
    def settings(self) -> Settings:
        return Settings(
            discord_token=self.emu.token,
            database_path=self.database_path,
            database_url=self.url,
            discord_api_base=self.emu.api_base,
            discord_gateway_url=self.emu.gateway_url,
            pseudonym_secret=SECRET,
            shard_count=SHARDS,
            shard_ids=(self.shard,),
        )


def shard_of(world: World) -> int:
    return (world.guild.id >> 22) % SHARDS


@pytest.fixture
async def worlds(emu: Emulator) -> dict[int, World]:
    """One server on each shard (server ids decide the shard; bounded tries)."""
    found: dict[int, World] = {}
    for n in range(40):
        world = await build_world(emu, f"Server {n}")
        found.setdefault(shard_of(world), world)
        if len(found) == SHARDS:
            return found
        await asyncio.sleep(0.002)  # the next snowflake's time bits
    pytest.fail("could not create a server on each shard")


@pytest.fixture
async def bots(
    emu: Emulator, worlds: dict[int, World], tmp_path: Path
) -> AsyncIterator[list[ShardHarness]]:
    async with scratch_schema() as url:
        harnesses = [ShardHarness(emu, url, shard, tmp_path) for shard in range(SHARDS)]
        try:
            for harness in harnesses:
                await harness.start(timeout=20)
            yield harnesses
        finally:
            for harness in harnesses:
                await harness.stop()


async def test_each_shard_serves_its_server_and_replies_are_published_once(
    emu: Emulator, worlds: dict[int, World], bots: list[ShardHarness]
) -> None:
    for shard, harness in enumerate(bots):
        seen = {g.id for g in harness.bot.guilds}
        assert worlds[shard].guild.id in seen
        assert all((g >> 22) % SHARDS == shard for g in seen)  # and only its shard's servers
    threads = {}
    for shard, world in worlds.items():
        await accept_agreements(bots[shard], world)  # as the tracktwo fixture's members have
        await set_up(world)
        prompt, thread = await post_round(world)
        threads[shard] = thread
        await share(world, world.ani, prompt)
        await share(world, world.bob, prompt)
    for shard, world in worlds.items():
        await published(world, threads[shard], 2)
    await asyncio.sleep(0.5)  # a second publisher would have sent by now
    for shard in worlds:
        sent = [m for m in emu.messages_in(threads[shard]) if m.embeds]
        assert len(sent) == 2, f"shard {shard}: {len(sent)} messages"
        assert await bots[shard].bot.services.replies.pending_outbox() == 0
    # one database: both servers' rounds are in it, numbered per server
    rows = await bots[0].bot.db.fetchall("SELECT guild_id, number FROM rounds ORDER BY guild_id")
    assert sorted((r[0], r[1]) for r in rows) == sorted((w.guild.id, 1) for w in worlds.values())


async def test_a_scheduled_prompt_is_posted_once(
    emu: Emulator, worlds: dict[int, World], bots: list[ShardHarness]
) -> None:
    world = worlds[1]
    await set_up(world)
    answer = await (
        await world.facilitator.slash("prompt schedule set", every=24, at="18:30")
    ).message()
    assert "every 24 h" in answer.content
    db = bots[0].bot.db
    await db.execute(
        "UPDATE prompt_schedules SET next_run_at = ?",
        ((datetime.now(UTC) - timedelta(hours=1)).isoformat(),),
    )
    for harness in bots:  # both schedulers look now
        harness.bot.get_cog("Dialogue")
    for harness in bots:
        await harness.restart()
    await until(lambda: emu.messages_in(world.dialogue), what="the scheduled prompt")
    await asyncio.sleep(0.5)
    assert len(emu.messages_in(world.dialogue)) == 1


async def test_stopping_one_bot_hands_its_lease_to_the_other(
    emu: Emulator, worlds: dict[int, World], bots: list[ShardHarness]
) -> None:
    first, second = (h.bot.services.leases for h in bots)
    held = [await first.hold("retention", seconds=1), await second.hold("retention", seconds=1)]
    assert held == [True, False]
    await bots[0].stop()  # the holder dies: it renews no more
    await asyncio.sleep(1.2)
    assert await second.hold("retention", seconds=60)
    assert await second.holder_of("retention") == second.holder != first.holder


async def test_case_numbers_stay_gapless_under_both_processes_at_once(
    worlds: dict[int, World], bots: list[ShardHarness]
) -> None:
    from bot.moderation.casetypes import CaseType
    from bot.moderation.models import NewCase

    guild = worlds[0].guild.id
    await asyncio.gather(
        *(
            bots[i % 2].bot.services.moderation.create_case(
                guild, NewCase(CaseType.VERIFICATION, 1, target_id=5000 + i, reason="approved")
            )
            for i in range(50)
        )
    )
    rows = await bots[1].bot.db.fetchall(
        "SELECT number FROM cases WHERE guild_id = ? ORDER BY number", (guild,)
    )
    assert [r[0] for r in rows] == list(range(1, 51))
