"""End-to-end fixtures: the emulator, a ready-made guild and the real bot, in one loop.

- ``emu``: a started :class:`sandbox.emulator.Emulator` (ephemeral port).
- ``world``: the standard guild (:class:`sandbox.world.World`): owner, admin, mod,
  facilitator, alice/ani (Armenian), bob/babek (Azerbaijani), dialogue/general/mod channels.
- ``tracktwo``: a :class:`sandbox.harness.BotHarness` whose bot is connected and ready;
  ``await tracktwo.restart()`` starts a new bot on the same database.
- ``bot``: ``tracktwo.bot``, the running :class:`app.startup.TrackTwoBot`.

The world's members start as members who have already accepted the server's group agreements
(through the service the Accept button calls), so that tests of other features open their
forms at once; tests marked ``intake`` (tests/e2e/test_intake.py) start before acceptance
and go through the agreements as a member would.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.startup import TrackTwoBot, sandbox_bot
from sandbox.emulator import Emulator
from sandbox.harness import BotHarness
from sandbox.world import World, build_world

pytestmark = pytest.mark.e2e


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator() as emulator:
        yield emulator


@pytest.fixture
async def world(emu: Emulator) -> World:
    return await build_world(emu)


@pytest.fixture
async def tracktwo(
    emu: Emulator, world: World, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[BotHarness]:
    harness = BotHarness(emu, tmp_path / "db.sqlite3", bot_factory=sandbox_bot)
    await harness.start()
    if request.node.get_closest_marker("intake") is None:
        await accept_agreements(harness, world)
    try:
        yield harness
    finally:
        await harness.stop()


async def accept_agreements(harness: BotHarness, world: World) -> None:
    """The world's members accept the server's current group agreements."""
    agreements = harness.bot.services.agreements
    version = (await agreements.current(world.guild.id)).version
    for person in (world.owner, world.admin, world.mod, world.facilitator, *world.members):
        await agreements.accept(world.guild.id, person.id, version)


@pytest.fixture
def bot(tracktwo: BotHarness) -> TrackTwoBot:
    return tracktwo.bot
