"""/setup dialogue-channel writes the overwrites that keep members from posting around the form
(or says how to, without Manage Roles), /setup mod-channel warns about a public channel, and
/setup check lists what is missing with a button that fixes it — through the real client."""

from __future__ import annotations

import asyncio

import pytest

from sandbox import state as st
from sandbox.emulator import Emulator
from sandbox.harness import BotHarness
from sandbox.world import World

pytestmark = pytest.mark.e2e


async def settle(emu: Emulator) -> None:
    """Let the CHANNEL_UPDATE events reach the bot's cache (bounded)."""
    for _ in range(20):
        await asyncio.sleep(0.01)


async def test_dialogue_channel_gets_read_only_overwrites(
    emu: Emulator, world: World, tracktwo: BotHarness
) -> None:
    admin = world.admin
    await (await admin.slash("setup community add", name="Armenian", role=world.armenian)).message()
    answer = await (
        await admin.slash("setup dialogue-channel", options={"channel": world.dialogue})
    ).message()
    assert f"Prompts will be posted in <#{world.dialogue.id}>" in answer.content
    assert "@everyone — allow View Channels, Read Message History, Use Application Commands" in (
        answer.content
    )
    assert "deny Send Messages, Send Messages in Threads, Create Public Threads" in answer.content
    # members read and press buttons, but cannot post there or in its threads
    alice = world.alice.member
    perms = emu.permissions(world.guild, alice, world.dialogue)
    assert perms & st.VIEW_CHANNEL and perms & st.READ_MESSAGE_HISTORY
    assert perms & st.USE_APPLICATION_COMMANDS
    for denied in (
        st.SEND_MESSAGES,
        st.SEND_MESSAGES_IN_THREADS,
        st.CREATE_PUBLIC_THREADS,
        st.CREATE_PRIVATE_THREADS,
    ):
        assert not perms & denied
    with pytest.raises(PermissionError):
        await world.alice.send(world.dialogue, "posting around the form")
    # the bot keeps its own overwrite and may still post and open threads
    own = {o.id: o for o in world.dialogue.overwrites}[emu.bot_user.id]
    assert own.type == 1 and own.allow & st.SEND_MESSAGES and own.allow & st.CREATE_PUBLIC_THREADS
    assert emu.bot_can(world.guild, st.SEND_MESSAGES_IN_THREADS, world.dialogue)
    # the community role got the same deny (an allow on it cannot reopen posting)
    armenian = {o.id: o for o in world.dialogue.overwrites}[world.armenian.id]
    assert armenian.deny & st.SEND_MESSAGES


async def test_without_manage_roles_it_explains_how(emu: Emulator, tracktwo: BotHarness) -> None:
    guild = await emu.create_guild(
        "No manage roles", owner="nare", bot_permissions=st.BOT_DEFAULT & ~st.MANAGE_ROLES
    )
    channel = await emu.create_channel(guild, "dialogue")
    await settle(emu)
    owner = emu.owner(guild)
    answer = await (
        await owner.slash("setup dialogue-channel", channel=channel, options={"channel": channel})
    ).message()
    assert "I may not change the permissions of #dialogue" in answer.content
    assert "Edit Channel → Permissions" in answer.content
    assert "@everyone — allow View Channels" in answer.content
    assert channel.overwrites == []  # nothing was written
    check = await (await owner.slash("setup check", channel=channel)).message()
    assert "@everyone can post directly in #dialogue" in check.content
    assert "I lack Manage Roles in this server" in check.content
    fixed = await (await owner.click(check, "Fix what I can")).message()
    assert "I may not change the permissions of #dialogue" in fixed.content
    assert channel.overwrites == []


async def test_mod_channel_visible_to_everyone_is_warned(
    world: World, tracktwo: BotHarness
) -> None:
    public = await (
        await world.admin.slash("setup mod-channel", options={"channel": world.general})
    ).message()
    assert "Warning: #general is visible to @everyone" in public.content
    private = await (
        await world.admin.slash("setup mod-channel", options={"channel": world.mod_channel})
    ).message()
    assert f"Moderation notices will go to <#{world.mod_channel.id}>" in private.content
    assert "Warning" not in private.content


async def test_check_lists_missing_permission_and_fixes_it(
    emu: Emulator, world: World, tracktwo: BotHarness
) -> None:
    admin = world.admin
    # a moderation channel where the bot is denied Embed Links, and visible to @everyone
    notices = await emu.create_channel(
        world.guild,
        "mod-notices",
        overwrites=[st.Overwrite(emu.bot_user.id, 1, deny=st.EMBED_LINKS)],
    )
    await settle(emu)
    await (await admin.slash("setup roles", moderator=world.moderator_role)).message()
    await (await admin.slash("setup mod-channel", options={"channel": notices})).message()
    check = await (await admin.slash("setup check")).message()
    assert "No dialogue channel is set" in check.content
    assert "lacks Embed Links in #mod-notices" in check.content
    assert "#mod-notices is visible to @everyone" in check.content
    assert [b.get("label") for b in check.buttons()] == ["Fix what I can"]
    assert emu.permissions(world.guild, world.alice.member, notices) & st.VIEW_CHANNEL
    fixed = await (await admin.click(check, "Fix what I can")).message()
    assert "I set these overwrites" in fixed.content
    assert "No dialogue channel is set" in fixed.content  # not something a button can fix
    assert "Embed Links" not in fixed.content.split("Still to do")[1]
    assert emu.bot_can(world.guild, st.EMBED_LINKS, notices)
    assert not emu.permissions(world.guild, world.alice.member, notices) & st.VIEW_CHANNEL
    assert emu.permissions(world.guild, world.mod.member, notices) & st.VIEW_CHANNEL
    await settle(emu)
    again = await (await admin.slash("setup check")).message()
    assert "#mod-notices" not in again.content
