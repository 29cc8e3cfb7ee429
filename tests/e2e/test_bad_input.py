"""Input a member (or a forged client) can send that once raised or answered past Discord's
limits (issue 10, items 16-18, 20): every refusal is one short sentence, never a traceback."""

from __future__ import annotations

from typing import Any

import pytest

from cogs._payloads import APPLICATION_COMMAND, COMPONENT
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


def leaf(data: dict[str, Any]) -> list[dict[str, Any]]:
    options = data["options"]
    while options and options[0]["type"] in (1, 2):
        options = options[0]["options"]
    return options


async def forge(who: Any, path: str, change: Any, **options: Any) -> Any:
    """``/path`` as the emulator builds it, changed the way a forged client would."""
    data, _ = who._command_data(path, options, None)
    change(data)
    return await who._interact(APPLICATION_COMMAND, data, who._default_channel())


async def test_forged_values_are_refused_before_any_handler(
    world: World, tracktwo: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    await configure(world, tracktwo)
    services = tracktwo.bot.services
    before = await services.guild_config.get(world.guild.id)

    def huge_case(data: dict[str, Any]) -> None:
        leaf(data)[0]["value"] = 2**64

    case = await (await forge(world.mod, "mod case", huge_case, number=1)).message()
    assert case.ephemeral and "not valid" in case.content

    def unresolved_role(data: dict[str, Any]) -> None:
        data.pop("resolved")  # the role's object is missing: only a bare id is left

    roles = await (
        await forge(world.admin, "setup roles", unresolved_role, moderator=world.armenian)
    ).message()
    assert roles.ephemeral and "not valid" in roles.content

    def unknown_role(data: dict[str, Any]) -> None:
        leaf(data)[1]["value"] = "123456789012345678"
        role = data["resolved"]["roles"].pop(str(world.armenian.id))
        data["resolved"]["roles"]["123456789012345678"] = {**role, "id": "123456789012345678"}

    unknown = await (
        await forge(
            world.admin,
            "setup roles",
            unknown_role,
            facilitator=world.azerbaijani,
            moderator=world.armenian,
        )
    ).message()
    assert unknown.ephemeral and "not in this server" in unknown.content
    everyone = await (
        await world.admin.slash("setup roles", moderator=world.guild.roles[world.guild.id])
    ).message()
    assert "@everyone cannot be" in everyone.content
    after = await services.guild_config.get(world.guild.id)
    assert (after.facilitator_role_id, after.moderator_role_id) == (
        before.facilitator_role_id,
        before.moderator_role_id,
    )  # nothing half written

    button = await world.bob._interact(
        COMPONENT,
        {"custom_id": "t2:endorse:" + "9" * 40 + ":resonates", "component_type": 2},
        world.dialogue,
    )
    assert "not valid" in (await button.message()).content
    assert_no_traceback(caplog)
