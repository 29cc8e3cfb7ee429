"""/help through the real client: a plain member sees the member commands only, a moderator
also the moderators', an admin everything; in the member's language; levels decided with the
same checks the commands run."""

from __future__ import annotations

import pytest

from cogs._bot import TrackTwoBot
from cogs.help import LEVEL_OF, level_of
from sandbox.harness import BotHarness
from sandbox.world import World

pytestmark = pytest.mark.e2e

# "circle": join and leave for members; its facilitator subcommands are in LEVEL_OF
MEMBER_COMMANDS = {
    "about",
    "agreements",
    "appeal",
    "circle",
    "community",
    "help",
    "language",
    "mydata",
    "read",
    "report",
    "reply",
}


async def configure(world: World) -> None:
    await (
        await world.admin.slash(
            "setup roles", facilitator=world.facilitator_role, moderator=world.moderator_role
        )
    ).message()


async def test_plain_member_sees_member_commands_only(world: World, tracktwo: BotHarness) -> None:
    await configure(world)
    shown = await (await world.alice.slash("help")).message()
    assert shown.ephemeral
    text = shown.embed["description"]
    assert "people-to-people dialogue" in text
    assert "**What you can do**" in text
    assert "`/reply` (edit, withdraw, write)" in text
    assert "`/community` (join, leave, stats)" in text
    assert "/mydata export" in text
    for hidden in ("As a moderator", "As a facilitator", "As a server admin", "`/mod`", "`/setup`"):
        assert hidden not in text


async def test_moderator_sees_moderation_but_not_setup(world: World, tracktwo: BotHarness) -> None:
    await configure(world)
    text = (await (await world.mod.slash("help")).message()).embed["description"]
    assert "**As a moderator**" in text
    assert "`/mod` (appeal" not in text  # /appeal is every member's
    assert "`/civility`" in text and "`/mod` (" in text
    assert "`/community` (set)" in text
    assert "As a server admin" not in text and "`/setup`" not in text
    assert "As a facilitator" not in text
    admin = (await (await world.admin.slash("help")).message()).embed["description"]
    assert "**As a server admin**" in admin and "check" in admin
    assert "**As a facilitator**" in admin


async def test_help_speaks_the_members_language(world: World, tracktwo: BotHarness) -> None:
    await (await world.bob.slash("language set", language="az")).message()
    shown = await (await world.bob.slash("help")).message()
    assert shown.embed["title"] == "Track Two — kömək"
    assert "Nə edə bilərsiniz" in shown.embed["description"]


def test_every_top_level_command_has_a_decided_level(bot: TrackTwoBot) -> None:
    names = {c.name for c in bot.tree.get_commands() if c.name[0].islower()}
    undecided = names - MEMBER_COMMANDS - set(LEVEL_OF)
    assert not undecided, f"decide who may use {undecided} in cogs/help.py LEVEL_OF"
    assert level_of("community set") == "moderator" and level_of("community join") == "participant"
