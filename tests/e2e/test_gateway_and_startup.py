"""The client against the emulator's gateway and REST behaviour: compression, RESUME with
replay, 429 retries, command sync only on change, and a broken extension."""

from __future__ import annotations

from pathlib import Path

import discord

from app.startup import TrackTwoBot, sandbox_bot
from sandbox.emulator import Emulator
from sandbox.harness import BotHarness
from sandbox.world import World


async def test_gateway_is_zlib_compressed(emu: Emulator, bot: TrackTwoBot) -> None:
    assert emu.gateway.compression == [True]
    assert bot.get_guild(next(iter(emu.guilds))) is not None


async def test_resume_replays_events_missed_while_offline(
    emu: Emulator, world: World, bot: TrackTwoBot
) -> None:
    async with emu.offline():
        role = await emu.create_role(world.guild, "Observer")
        await emu.set_roles(world.guild, world.alice.member, [world.armenian, role])
        resp = await world.bob.slash("about")
    await emu.wait_until(lambda: emu.gateway.resume_count == 1, describe=lambda: "no RESUME")
    guild = bot.get_guild(world.guild.id)
    assert guild is not None
    await emu.wait_until(lambda: guild.get_role(role.id), describe=lambda: "role not replayed")
    assert (await resp.message()).embed["title"] == "Track Two"
    assert emu.gateway.identify_count == 1


async def test_dropped_connection_resumes(emu: Emulator, world: World, bot: TrackTwoBot) -> None:
    await emu.drop_connection()
    msg = await (await world.alice.slash("about")).message()
    assert msg.ephemeral
    assert emu.gateway.resume_count == 1 and emu.gateway.identify_count == 1


async def test_discord_py_retries_after_429(emu: Emulator, world: World, bot: TrackTwoBot) -> None:
    emu.rate_limit_next("POST /channels/*/messages", retry_after=0.05)
    channel = bot.get_channel(world.dialogue.id)
    assert isinstance(channel, discord.TextChannel)
    sent = await channel.send("after a pause")
    assert [c.status for c in emu.calls("POST /channels/*/messages")] == [429, 200]
    assert emu.messages[sent.id].content == "after a pause"


async def test_injected_error_reaches_the_bot(
    emu: Emulator, world: World, bot: TrackTwoBot
) -> None:
    emu.fail_next("POST /channels/*/messages", 403, code=50013, message="Missing Permissions")
    channel = bot.get_channel(world.dialogue.id)
    assert isinstance(channel, discord.TextChannel)
    try:
        await channel.send("x")
    except discord.Forbidden as exc:
        assert exc.code == 50013
    else:
        raise AssertionError("the injected 403 did not reach the bot")


async def test_commands_sync_once_then_not_again(emu: Emulator, tracktwo: BotHarness) -> None:
    overwrite = "PUT /applications/*/commands"
    assert len(emu.calls(overwrite)) == 1
    assert {c.name for c in emu.commands.values()} >= {"about"}
    await tracktwo.restart()
    assert tracktwo.starts == 2
    assert len(emu.calls(overwrite)) == 1
    await tracktwo.restart(extensions=["cogs.meta", "tests.e2e.probe_ext"])
    assert len(emu.calls(overwrite)) == 2
    assert "probe" in {c.name for c in emu.commands.values()}


async def test_broken_extension_is_logged_and_bot_runs_on(
    emu: Emulator, world: World, tmp_path: Path, caplog: object
) -> None:
    harness = BotHarness(
        emu,
        tmp_path / "db.sqlite3",
        bot_factory=sandbox_bot,
        extensions=["cogs.meta", "tests.e2e.broken_ext"],
    )
    async with harness:
        assert list(harness.bot.failed_extensions) == ["tests.e2e.broken_ext"]
        msg = await (await world.alice.slash("about")).message()
        assert msg.embed_fields()["Stored replies"] == "0"
    assert "tests.e2e.broken_ext failed to load" in str(getattr(caplog, "text", ""))
