"""Two bot processes — real OS processes running ``python -m app run``, each with its own
SHARD_IDS of SHARD_COUNT=2 — on one PostgreSQL database and the emulator (which routes each
server's events to its shard, DMs to shard 0), over 127.0.0.1: each process serves only its
shard's servers, replies in both shards' servers are published exactly once, a scheduled
prompt is posted once, a process killed with SIGKILL leaves the other serving and its lease
to be taken over, and case numbers written by two processes at once are gapless.

Every wait is bounded; a process that fails to start fails the test with its log."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.services import build_services
from bot.settings import Settings
from bot.storage import migrate
from bot.storage.engine import db_time, to_datetime
from bot.storage.postgres import PostgresDatabase
from sandbox.emulator import Emulator
from sandbox.world import World, build_world
from tests.e2e.pg_worker import SECRET
from tests.e2e.test_dialogue import post_round, published, set_up, share, until
from tests.pg import scratch_schema

pytestmark = pytest.mark.e2e

SHARDS = 2
ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0  # a loaded CI machine: import, connect, migrate-check, sync, READY
STOP_TIMEOUT = 15.0
READY = re.compile(r"Track Two \S+ ready as .* in (\d+) servers")


def shard_of(guild_id: int) -> int:
    return (guild_id >> 22) % SHARDS


class BotProcess:
    """``python -m app run`` in its own OS process, configured only by its environment."""

    def __init__(self, emu: Emulator, url: str, shard: int, folder: Path) -> None:
        self.emu = emu
        self.url = url
        self.shard = shard
        self.folder = folder / f"process-{shard}"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.lines: list[str] = []
        self.servers: int | None = None
        self._proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    @property
    def name(self) -> str:
        return f"e2e-process-{self.shard}"

    def environment(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(ROOT),
            "HOME": str(self.folder),
            "DISCORD_TOKEN": self.emu.token,
            "DISCORD_API_BASE": self.emu.api_base,
            "DISCORD_GATEWAY_URL": self.emu.gateway_url,
            "DATABASE_URL": self.url,
            "DATABASE_PATH": str(self.folder / "unused.sqlite3"),
            "PSEUDONYM_SECRET": SECRET,
            "SHARD_COUNT": str(SHARDS),
            "SHARD_IDS": str(self.shard),
            "TRACKTWO_PROCESS_NAME": self.name,
            "LOG_LEVEL": "INFO",
        }

    @property
    def log(self) -> str:
        return "\n".join(self.lines[-40:])

    async def start(self) -> None:
        self._ready.clear()
        self.servers = None
        self._proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "app",
            "run",
            cwd=self.folder,  # no .env of the developer's
            env=self.environment(),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        self._reader = asyncio.create_task(self._read(self._proc))

    async def _read(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdout is not None
        async for raw in proc.stdout:
            line = raw.decode(errors="replace").rstrip()
            self.lines.append(line)
            if match := READY.search(line):
                self.servers = int(match.group(1))
                self._ready.set()

    async def wait_ready(self) -> None:
        assert self._proc is not None
        exited = asyncio.create_task(self._proc.wait())
        ready = asyncio.create_task(self._ready.wait())
        try:
            async with asyncio.timeout(START_TIMEOUT):
                await asyncio.wait({exited, ready}, return_when=asyncio.FIRST_COMPLETED)
        except TimeoutError:
            pytest.fail(f"process {self.shard} not ready in {START_TIMEOUT:.0f} s:\n{self.log}")
        finally:
            ready.cancel()
            exited.cancel()
        if not self._ready.is_set():
            pytest.fail(f"process {self.shard} exited ({self._proc.returncode}):\n{self.log}")

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.returncode is None

    async def stop(self, sig: signal.Signals = signal.SIGTERM) -> int | None:
        """Stop the process (SIGTERM: a graceful shutdown; SIGKILL: it dies) within bounds."""
        proc, self._proc = self._proc, None
        if proc is None:
            return None
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(sig)
            try:
                async with asyncio.timeout(STOP_TIMEOUT):
                    await proc.wait()
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                await proc.wait()
        if self._reader is not None:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(5):
                    await self._reader
        return proc.returncode


async def start_all(processes: list[BotProcess]) -> None:
    for process in processes:
        await process.start()
    await asyncio.gather(*(p.wait_ready() for p in processes))


@pytest.fixture
async def worlds(emu: Emulator) -> dict[int, World]:
    """One server on each shard (server ids decide the shard; bounded tries)."""
    found: dict[int, World] = {}
    for n in range(40):
        world = await build_world(emu, f"Server {n}")
        found.setdefault(shard_of(world.guild.id), world)
        if len(found) == SHARDS:
            return found
        await asyncio.sleep(0.002)  # the next snowflake's time bits
    pytest.fail("could not create a server on each shard")


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    """A fresh schema, migrated once by the test (the processes then find nothing to do)."""
    async with scratch_schema() as url:
        async with PostgresDatabase(url) as db:
            await migrate(db)
        yield url


@pytest.fixture
async def db(pg_url: str) -> AsyncIterator[PostgresDatabase]:
    """The test's own connection to the shared database, to look at what the processes wrote."""
    async with PostgresDatabase(pg_url) as database:
        yield database


@contextlib.asynccontextmanager
async def running(processes: list[BotProcess]) -> AsyncIterator[list[BotProcess]]:
    try:
        await start_all(processes)
        yield processes
    finally:
        await asyncio.gather(*(p.stop() for p in processes))


async def schedule_due_now(url: str, world: World, folder: Path) -> None:
    """Before any process starts: the server is set up (as /setup would) with a prompt
    schedule whose slot is already due, so both processes' schedulers find it at once."""
    settings = Settings(database_path=folder / "seed.sqlite3", pseudonym_secret=SECRET)
    async with PostgresDatabase(url) as db:
        services = build_services(settings, db)
        guild = world.guild.id
        await services.guild_config.set_dialogue_channel(guild, world.dialogue.id)
        await services.communities.add(guild, "Armenian", world.armenian.id)
        await services.communities.add(guild, "Azerbaijani", world.azerbaijani.id)
        await services.rounds.set_schedule(guild, 24, "18:30")
        await db.execute(
            "UPDATE prompt_schedules SET next_run_at = ? WHERE guild_id = ?",
            (db_time(datetime.now(UTC) - timedelta(hours=1)), guild),
        )


async def run_worker(*args: str, timeout: float = 60.0) -> str:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.e2e.pg_worker",
        *args,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(timeout):
            out, err = await proc.communicate()
    except TimeoutError:
        proc.kill()
        await proc.wait()
        pytest.fail(f"worker {args[0]} did not finish within {timeout:.0f} s")
    assert proc.returncode == 0, err.decode(errors="replace")[-2000:]
    return out.decode().strip()


async def outbox_drained(db: PostgresDatabase, seconds: float = 10.0) -> None:
    """Every outbox row done (the refreshes that follow a publication included), in bounds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while left := await db.fetchall("SELECT kind, guild_id FROM outbox WHERE done_at IS NULL"):
        if loop.time() > deadline:
            pytest.fail(f"outbox rows left after {seconds:.0f} s: {[tuple(r) for r in left]}")
        await asyncio.sleep(0.05)


async def test_two_processes_split_the_shards_and_publish_and_post_once(
    emu: Emulator, worlds: dict[int, World], pg_url: str, db: PostgresDatabase, tmp_path: Path
) -> None:
    scheduled = worlds[1]
    await schedule_due_now(pg_url, scheduled, tmp_path)
    processes = [BotProcess(emu, pg_url, shard, tmp_path) for shard in range(SHARDS)]
    async with running(processes):
        for process in processes:  # each process sees exactly its shard's servers
            expected = sum(1 for g in emu.guilds if shard_of(g) == process.shard)
            assert process.servers == expected, process.log

        # the slot both schedulers found due at start is posted once, by its shard's process
        await until(lambda: emu.messages_in(scheduled.dialogue), 15, what="the scheduled prompt")
        guild = scheduled.guild.id
        assert await db.fetchval("SELECT COUNT(*) FROM rounds WHERE guild_id = ?", (guild,)) == 1
        schedule = await db.fetchval(
            "SELECT next_run_at FROM prompt_schedules WHERE guild_id = ?", (guild,)
        )
        assert to_datetime(schedule) > datetime.now(UTC)  # advanced once, to the next slot

        # replies from members in both shards' servers are published exactly once
        await set_up(worlds[0])
        (posted,) = emu.messages_in(scheduled.dialogue)
        assert posted.thread_id is not None
        prompts = {0: await post_round(worlds[0]), 1: (posted, emu.channels[posted.thread_id])}
        for shard, world in worlds.items():
            prompt, _ = prompts[shard]
            await share(world, world.ani, prompt)
            await share(world, world.bob, prompt)
        for shard, world in worlds.items():
            await published(world, prompts[shard][1], 2)
        await outbox_drained(db)
        await asyncio.sleep(0.5)  # a second publisher would have sent by now
        for shard in worlds:
            sent = [m for m in emu.messages_in(prompts[shard][1]) if m.embeds]
            assert len(sent) == 2, f"shard {shard}: {len(sent)} messages"
        assert len(emu.messages_in(scheduled.dialogue)) == 1  # and no second scheduled post
        rows = await db.fetchall("SELECT guild_id, number FROM rounds ORDER BY guild_id")
        assert sorted((r[0], r[1]) for r in rows) == sorted(
            (w.guild.id, 1) for w in worlds.values()
        )

        # process 0 dies without a goodbye; process 1 goes on serving its server
        first, second = processes
        assert await first.stop(signal.SIGKILL) == -signal.SIGKILL
        await share(scheduled, scheduled.alice, prompts[1][0])
        await published(scheduled, prompts[1][1], 3)
        assert second.running


async def test_a_killed_lease_holder_hands_the_lease_to_another_process(pg_url: str) -> None:
    holder = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.e2e.pg_worker",
        "hold",
        pg_url,
        "retention",
        "process-a",
        "2",
        "5",
        "1",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None
        async with asyncio.timeout(30):
            assert (await holder.stdout.readline()).decode().strip() == "held"
        # while it lives (and renews), another process is refused
        assert (
            await run_worker("hold", pg_url, "retention", "process-b", "60", "0", "0") == "refused"
        )
        holder.kill()  # it dies holding the lease, and renews it no more
        async with asyncio.timeout(10):
            await holder.wait()
    finally:
        if holder.returncode is None:
            holder.kill()
            await holder.wait()
    # the other process takes it over once it lapses (bounded wait inside the worker)
    started = asyncio.get_running_loop().time()
    assert await run_worker("hold", pg_url, "retention", "process-b", "60", "10", "0") == "held"
    assert asyncio.get_running_loop().time() - started < 15
    async with PostgresDatabase(pg_url) as db:
        assert await db.fetchval("SELECT holder FROM leases WHERE name = 'retention'") == (
            "process-b"
        )


async def test_case_numbers_stay_gapless_under_two_processes_at_once(
    pg_url: str, db: PostgresDatabase
) -> None:
    guild = 111111111111111111
    results = await asyncio.gather(
        run_worker("cases", pg_url, str(guild), "5000", "25"),
        run_worker("cases", pg_url, str(guild), "6000", "25"),
    )
    assert results == ["done", "done"]
    rows = await db.fetchall(
        "SELECT number FROM cases WHERE guild_id = ? ORDER BY number", (guild,)
    )
    assert [r[0] for r in rows] == list(range(1, 51))
    targets = await db.fetchall("SELECT target_id FROM cases WHERE guild_id = ?", (guild,))
    assert sorted(r[0] for r in targets) == [*range(5000, 5025), *range(6000, 6025)]
