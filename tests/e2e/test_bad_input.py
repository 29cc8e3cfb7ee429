"""Input a member (or a forged client) can send that once raised or answered past Discord's
limits (issue 10, items 16-18, 20): every refusal is one short sentence, never a traceback."""

from __future__ import annotations

import pytest

from sandbox.harness import BotHarness
from sandbox.world import World

from .test_moderation import configure

pytestmark = pytest.mark.e2e


def assert_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    assert all(r.exc_info is None for r in caplog.records), caplog.text[:3000]


async def test_huge_durations_are_refused_not_overflowed(
    world: World, tracktwo: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    await configure(world, tracktwo)
    timeout = await (
        await world.mod.slash("mod timeout", member=world.bob, duration="1000000000d", reason="x")
    ).message()
    assert timeout.ephemeral and "too long" in timeout.content and "28 days" in timeout.content
    assert not world.bob.timed_out
    ladder = await (await world.mod.slash("mod settings", ladder="2=1000000000d")).message()
    assert ladder.ephemeral and "too long" in ladder.content
    count = await (
        await world.mod.slash("mod settings", ladder="99999999999999999999=1h")
    ).message()
    assert count.ephemeral and "1 to 100 warnings" in count.content
    assert_no_traceback(caplog)


async def test_answers_echoing_a_6000_character_name_fit_discords_limit(
    world: World, tracktwo: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    await configure(world, tracktwo)
    huge = "Armenian" + "x" * 5992
    assigned = await (
        await world.mod.slash("community set", member=world.bob, community=huge)
    ).message()
    assert "There is no community called" in assigned.content
    assert len(assigned.content) <= 200 and assigned.content.rstrip("”.").endswith("…")
    removed = await (await world.admin.slash("setup community remove", name=huge)).message()
    assert "There is no community called" in removed.content and len(removed.content) <= 200
    assert_no_traceback(caplog)


async def test_a_community_name_of_zero_width_characters_is_refused(
    world: World, tracktwo: BotHarness
) -> None:
    await configure(world, tracktwo)
    invisible = "\u200b\u200c\u200d\u2060\ufeff\u3164"
    refused = await (
        await world.admin.slash("setup community add", name=invisible, role=world.moderator_role)
    ).message()
    assert refused.ephemeral and "visible letters or digits" in refused.content
    names = [c.name for c in await tracktwo.bot.services.communities.all(world.guild.id)]
    assert names == ["Armenian", "Azerbaijani"]
    padded = await (
        await world.admin.slash(
            "setup community add", name="\u200bGreek\u200b Cypriot", role=world.moderator_role
        )
    ).message()
    assert "Greek Cypriot" in padded.content
