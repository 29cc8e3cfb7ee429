"""Pauses on both engines: one active per server and per round, resume, the log."""

from __future__ import annotations

import pytest

from bot.dialogue.pauses import Paused
from bot.errors import Conflict, InvalidInput
from bot.services import Services
from tests.service.conftest import GUILD

FACILITATOR = 333333333333333333


async def test_a_server_pause_holds_every_round_until_resumed(services: Services) -> None:
    pauses = services.pauses
    assert await pauses.active(GUILD, 7) is None
    outcome = await pauses.pause(GUILD, None, FACILITATOR, "  a hard   night  ")
    assert outcome.pause.reason == "a hard night" and outcome.pause.active
    with pytest.raises(Conflict):
        await pauses.pause(GUILD, None, FACILITATOR, "again")
    with pytest.raises(Paused) as refused:
        await pauses.ensure_open(GUILD, 7)
    assert refused.value.key == "pause.refused"
    await pauses.ensure_open(GUILD + 1, 7)  # another server is not paused
    assert await pauses.server_paused(GUILD)
    resumed = await pauses.resume(GUILD, None, FACILITATOR + 1)
    assert resumed.pause.resumed_by == FACILITATOR + 1 and not resumed.pause.active
    await pauses.ensure_open(GUILD, 7)
    with pytest.raises(Conflict):
        await pauses.resume(GUILD, None, FACILITATOR)
    # paused again later: a second entry in the log, newest first
    await pauses.pause(GUILD, None, FACILITATOR, "second")
    log = await pauses.log(GUILD)
    assert [p.reason for p in log] == ["second", "a hard night"]
    assert log[0].active and not log[1].active and log[0].round_id is None


async def test_a_reason_is_needed_and_bounded(services: Services) -> None:
    with pytest.raises(InvalidInput):
        await services.pauses.pause(GUILD, None, FACILITATOR, "   ")
    with pytest.raises(InvalidInput):
        await services.pauses.pause(GUILD, None, FACILITATOR, "x" * 301)
    assert await services.pauses.log(GUILD) == []
