"""``tracktwo run`` as a process, against the local emulator: what an operator sees when the
token is wrong, Discord cannot be reached, or the pseudonym secret changed."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from pathlib import Path

import discord
import pytest

from app.startup import run_bot, sandbox_bot, startup_failure
from bot.settings import Settings
from cogs._permissions import invite_permissions
from sandbox import state as st
from sandbox.emulator import Emulator
from sandbox.harness import BotHarness
from sandbox.scenario import DemoContext, load_steps
from sandbox.transcript import Transcript
from sandbox.world import COMMUNITIES, build_world

pytestmark = pytest.mark.e2e

LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [A-Z]+ ")
SECRET_A = "a" * 40
SECRET_B = "b" * 40


async def run_tracktwo(
    env: dict[str, str], cwd: Path, *, stop_after: str | None = None
) -> tuple[int, str]:
    """``python -m app run`` with ``env``; its exit code and stderr. With ``stop_after``, send
    SIGINT once that text appears on stderr (the bot is up) and let it shut down."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app",
        "run",
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        cwd=cwd,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stderr is not None
    lines: list[str] = []
    try:
        async with asyncio.timeout(60):
            while raw := await proc.stderr.readline():
                lines.append(raw.decode())
                if stop_after is not None and stop_after in lines[-1]:
                    proc.send_signal(signal.SIGINT)
            code = await proc.wait()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    return code, "".join(lines)


def environment(emu: Emulator, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "DISCORD_TOKEN": emu.token,
        "DISCORD_API_BASE": emu.api_base,
        "DISCORD_GATEWAY_URL": emu.gateway_url,
        "DATABASE_PATH": str(tmp_path / "data" / "tracktwo.sqlite3"),
        **extra,
    }


def closing_line(stderr: str) -> str:
    """The one line that is not a log record, and that it is the last."""
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    others = [line for line in lines if not LOG_LINE.match(line)]
    assert len(others) == 1, stderr
    assert others[0] == lines[-1]
    return others[0]


async def test_rejected_token_is_one_line(emu: Emulator, tmp_path: Path) -> None:
    wrong = "MTIzNDU2Nzg5MDEyMzQ1Njc4.wrong.token-that-discord-rejects"
    code, stderr = await run_tracktwo(environment(emu, tmp_path, DISCORD_TOKEN=wrong), tmp_path)
    assert code == 1
    line = closing_line(stderr)
    assert line.startswith("error: Discord rejected DISCORD_TOKEN (401 Unauthorized)")
    assert "developers/applications" in line
    assert wrong not in stderr
    # the emulator saw the login attempt and answered it, and nothing else was tried
    assert [call.route for call in emu.rest_log] == ["/users/@me"]


async def test_unreachable_discord_is_one_line(emu: Emulator, tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    api = f"http://127.0.0.1:{port}/api/v10"
    code, stderr = await run_tracktwo(environment(emu, tmp_path, DISCORD_API_BASE=api), tmp_path)
    assert code == 1
    line = closing_line(stderr)
    assert line.startswith(f"error: cannot reach Discord at {api}: 127.0.0.1:{port}: ")


async def test_unresolvable_discord_is_one_line(emu: Emulator, tmp_path: Path) -> None:
    api = "http://discord.tracktwo-test.invalid/api/v10"  # .invalid never resolves (RFC 2606)
    code, stderr = await run_tracktwo(environment(emu, tmp_path, DISCORD_API_BASE=api), tmp_path)
    assert code == 1
    line = closing_line(stderr)
    assert line.startswith(f"error: cannot reach Discord at {api}: ")
    assert line.endswith("the name discord.tracktwo-test.invalid does not resolve")


async def test_changed_secret_refuses_to_start(emu: Emulator, tmp_path: Path) -> None:
    first, stderr = await run_tracktwo(
        environment(emu, tmp_path, PSEUDONYM_SECRET=SECRET_A), tmp_path, stop_after=" ready as "
    )
    assert first == 0, stderr
    again, stderr = await run_tracktwo(
        environment(emu, tmp_path, PSEUDONYM_SECRET=SECRET_B), tmp_path
    )
    assert again == 1
    line = closing_line(stderr)
    assert line.startswith("error: PSEUDONYM_SECRET: this is not the secret the database was")
    assert SECRET_A not in stderr and SECRET_B not in stderr
    back, stderr = await run_tracktwo(
        environment(emu, tmp_path, PSEUDONYM_SECRET=SECRET_A), tmp_path, stop_after=" ready as "
    )
    assert back == 0, stderr


async def test_command_visibility_defaults(emu: Emulator, tracktwo: BotHarness) -> None:
    """What Discord hides by default (Server Settings → Integrations changes it): facilitator
    commands from members without Manage Server, moderator commands from members without
    Moderate Members; every member command is shown to everyone."""
    manage_guild = discord.Permissions(manage_guild=True).value
    moderate = discord.Permissions(moderate_members=True).value
    synced = {
        c.data["name"]: c.data.get("default_member_permissions")
        for c in emu.commands.values()
        if c.type == 1
    }
    assert synced == {
        "about": None,
        "agreements": None,
        "help": None,
        "appeal": None,
        "circle": None,  # join and leave are every member's; form/post/... checked bot-side
        "civility": moderate,
        "community": None,
        "language": None,
        "mod": moderate,
        "mydata": None,
        "note": manage_guild,
        "prompt": manage_guild,
        "read": None,  # the private reading view: every member
        "reply": None,
        "report": None,  # a reply by its reference: every member
        "round": manage_guild,
        "setup": manage_guild,
    }


async def test_the_demo_needs_no_permission_beyond_the_invite(tmp_path: Path) -> None:
    """The whole sandbox demo, with the bot holding exactly what ``tracktwo invite`` asks for
    (plus Use Application Commands, which @everyone has): Discord refuses nothing it does."""
    await run_demo_with_bot_permissions(invite_permissions().value, tmp_path)


async def test_the_demo_check_notices_a_missing_permission(tmp_path: Path) -> None:
    """The check above can fail: without Send Messages in Threads no reply is published."""
    lacking = invite_permissions().value & ~st.SEND_MESSAGES_IN_THREADS
    with pytest.raises(AssertionError, match="published"):
        await run_demo_with_bot_permissions(lacking, tmp_path)


async def run_demo_with_bot_permissions(permissions: int, tmp_path: Path) -> None:
    async with Emulator() as emu:
        world = await build_world(emu)
        guild = world.guild
        bot_member = emu.bot_member(guild)
        (bot_role,) = (guild.roles[r] for r in bot_member.role_ids if guild.roles[r].managed)
        bot_role.permissions = permissions
        guild.everyone.permissions = st.EVERYONE_DEFAULT & ~(
            st.READ_MESSAGE_HISTORY | st.ADD_REACTIONS | st.SEND_MESSAGES_IN_THREADS
        ) | (permissions & st.SEND_MESSAGES_IN_THREADS)
        assert emu.permissions(guild, bot_member) == permissions | st.USE_APPLICATION_COMMANDS
        harness = BotHarness(emu, tmp_path / "db.sqlite3", bot_factory=sandbox_bot)
        await harness.start()
        ctx = DemoContext(emu, world, harness, Transcript(emu, set(COMMUNITIES)))
        try:
            for step in load_steps():
                await step.run(ctx)
                await asyncio.sleep(0)
        finally:
            await harness.stop()
        assert len(emu.errors) == ctx.expected_errors, emu.errors
        threads = {c.id for c in emu.channels.values() if c.is_thread}
        published = [
            m
            for m in emu.messages.values()
            if m.channel_id in threads and m.author.id == emu.bot_user.id and m.webhook_id is None
        ]
        assert published, "no reply was published in a round's thread"


async def test_a_discord_that_never_answers_ends_run_in_time(tmp_path: Path) -> None:
    """A server that takes the connection and says nothing (a proxy or firewall gone wrong):
    discord.py alone would wait five minutes; run gives up after its login timeout."""

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # until the bot hangs up
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    settings = Settings(
        discord_token="MTIzNDU2Nzg5MDEyMzQ1Njc4.silent.abcdefghijklmnop",
        database_path=tmp_path / "data" / "db.sqlite3",
        discord_api_base=f"http://127.0.0.1:{port}/api/v10",
        discord_gateway_url=f"ws://127.0.0.1:{port}/",
    )
    async with server:
        async with asyncio.timeout(20):
            with pytest.raises(TimeoutError) as info:
                await run_bot(settings, login_timeout=0.5)
    assert startup_failure(info.value, settings) == (
        f"Discord at http://127.0.0.1:{port}/api/v10 did not answer in time; check the network"
    )
    assert not settings.database_path.exists()  # nothing was opened before Discord answered
