"""Durable replies/s through the service layer on PostgreSQL with 1, 2 and 4 bot processes,
beside SQLite (one process: it allows no more) in the same run, and the p99 time to answer a
member (one ``ReplyService.submit``: sanitize, civility check, commit with its participant
number and outbox row).

Each process is a real OS process with its own server (guild), as shards would split them,
all on one PostgreSQL database. PostgreSQL runs with fsync and synchronous_commit on (see
scripts/pg-test-server); a commit returns once it is on disk. Needs a server:

    scripts/pg-test-server .venv/bin/python -m bench pg

(``BENCH_DATABASE_URL`` or ``TEST_DATABASE_URL`` names it; without one the benchmark says so
and skips.)
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from statistics import quantiles
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from app.services import build_services
from bench import report
from bot.dialogue.replies import RawReply
from bot.settings import Settings
from bot.storage import Database, Storage, migrate, open_database
from bot.storage.database import Synchronous

PER_PROCESS = 600
CONCURRENCY = 16  # members submitting at once in each process
PROCESSES = (1, 2, 4)
SECRET = "bench-secret-" + "x" * 32
TEXTS = [
    "This excerpt reminds me of the stories my grandmother told about her neighbours in Baku.",
    "Я вырос в Ереване и помню, как соседи помогали друг другу, несмотря ни на что.",
    "Mən Gəncədə böyümüşəm və bu mətn mənə uşaqlığımı xatırladır, qonşularımızı.",
    "Այս հատվածը ինձ հիշեցնում է մեր հարևաններին և այն ժամանակները, երբ խոսում էինք։",
]


def _with_schema(url: str, schema: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "search_path"]
    query.append(("search_path", schema))
    return parts._replace(query=urlencode(query)).geturl()


async def _prepare(db: Storage, guild: int, members: int) -> tuple[Any, int, list[int]]:
    settings = Settings(database_path=Path("/nonexistent/unused"), pseudonym_secret=SECRET)
    services = build_services(settings, db)
    await services.guild_config.set_dialogue_channel(guild, 10)
    first = await services.communities.add(guild, "One", guild + 101)
    await services.communities.add(guild, "Two", guild + 102)
    round_, _ = await services.rounds.prepare(guild, None)
    await services.rounds.attach(round_, guild + 11, guild + 12)
    ids = list(range(guild * 10_000, guild * 10_000 + members))
    for member in ids:
        await services.communities.assign(guild, member, first.id)
    return services, round_.id, ids


async def _run(
    services: Any, round_id: int, members: list[int]
) -> tuple[float, float, list[float]]:
    """Submit one reply per member, CONCURRENCY at once; (start, end, latencies)."""
    latencies: list[float] = []

    async def worker(offset: int) -> None:
        for i in range(offset, len(members), CONCURRENCY):
            raw = RawReply(TEXTS[i % 4] + f" ({i})", question="What do you remember?")
            began = time.perf_counter()
            result = await services.replies.submit(round_id, members[i], frozenset(), "x", raw)
            latencies.append(time.perf_counter() - began)
            assert result.disposition == "accepted", result.verdicts

    start = time.time()
    await asyncio.gather(*(worker(w) for w in range(CONCURRENCY)))
    return start, time.time(), latencies


async def _worker(url: str, guild: int, count: int) -> None:
    """One bot process: set up, say ready, wait for go, submit, print the figures."""
    async with open_database(url) as db:
        services, round_id, members = await _prepare(db, guild, count)
        print("ready", flush=True)
        sys.stdin.readline()
        start, end, latencies = await _run(services, round_id, members)
        pending = int(
            await db.fetchval(
                "SELECT COUNT(*) FROM outbox o JOIN replies r ON "
                "r.id = o.reply_id JOIN rounds ro ON ro.id = r.round_id "
                "WHERE ro.guild_id = ? AND o.done_at IS NULL",
                (guild,),
            )
        )
        assert pending == count, f"{count - pending} replies of guild {guild} were not committed"
    print(json.dumps({"start": start, "end": end, "latencies": latencies}), flush=True)


def _p99(latencies: list[float]) -> float:
    return quantiles(latencies, n=100)[98] if len(latencies) >= 2 else latencies[0]


async def _postgres(url: str, processes: int) -> tuple[float, float]:
    """(replies/s over all processes, p99 seconds) with ``processes`` OS processes."""
    import asyncpg

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(url, timeout=10)
    try:
        await admin.execute(f"CREATE SCHEMA {schema}")
        scoped = _with_schema(url, schema)
        async with open_database(scoped) as db:
            await migrate(db)
            settings = Settings(database_path=Path("/nonexistent/unused"), pseudonym_secret=SECRET)
            await build_services(settings, db).packs.seed_builtin()
        workers = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bench.bench_pg",
                "--worker",
                scoped,
                str(n + 1),
                str(PER_PROCESS),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
            )
            for n in range(processes)
        ]
        try:
            async with asyncio.timeout(600):
                for w in workers:
                    assert w.stdout is not None
                    assert (await w.stdout.readline()).strip() == b"ready"
                for w in workers:
                    assert w.stdin is not None
                    w.stdin.write(b"go\n")
                    await w.stdin.drain()
                results = []
                for w in workers:
                    out, _ = await w.communicate()
                    assert w.returncode == 0, f"a bench process failed ({w.returncode})"
                    results.append(json.loads(out.decode().strip().splitlines()[-1]))
        finally:
            for w in workers:
                if w.returncode is None:
                    w.kill()
                    await w.wait()
    finally:
        await admin.execute(f"DROP SCHEMA {schema} CASCADE")
        await admin.close()
    start = min(r["start"] for r in results)
    end = max(r["end"] for r in results)
    latencies = [x for r in results for x in r["latencies"]]
    return len(latencies) / (end - start), _p99(latencies)


async def _sqlite(folder: Path, synchronous: Synchronous) -> tuple[float, float]:
    path = folder / f"bench-{synchronous}.sqlite3"
    # the durability level is the engine's (a PRAGMA cannot change it inside its group commit)
    async with Database(path, synchronous=synchronous) as db:
        await migrate(db)
        settings = Settings(database_path=path, pseudonym_secret=SECRET)
        await build_services(settings, db).packs.seed_builtin()
        services, round_id, members = await _prepare(db, 1, PER_PROCESS)
        start, end, latencies = await _run(services, round_id, members)
    return len(latencies) / (end - start), _p99(latencies)


async def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as folder:
        # FULL: a commit is on disk when it returns (durable, as PostgreSQL's here); NORMAL
        # (WAL): survives a crash of the bot, not of the machine
        sqlite_rate, sqlite_p99 = await _sqlite(Path(folder), "FULL")
        normal_rate, normal_p99 = await _sqlite(Path(folder), "NORMAL")
    print(
        f"  SQLite synchronous=FULL, 1 process: {sqlite_rate:,.1f} replies/s, "
        f"p99 answer {sqlite_p99 * 1000:.1f} ms"
    )
    print(
        f"  SQLite synchronous=NORMAL, 1 process: {normal_rate:,.1f} replies/s, "
        f"p99 answer {normal_p99 * 1000:.1f} ms"
    )
    if not url:
        print(
            "  PostgreSQL: skipped (no BENCH_DATABASE_URL or TEST_DATABASE_URL; run through "
            "scripts/pg-test-server)"
        )
        return
    for processes in PROCESSES:
        rate, p99 = await _postgres(url, processes)
        report(
            f"PostgreSQL, {processes} process(es), {CONCURRENCY} members at once each",
            rate,
            "replies/s",
            sqlite_rate,
            "SQLite FULL, 1 process",
        )
        print(
            f"    p99 answer {p99 * 1000:.1f} ms (SQLite {sqlite_p99 * 1000:.1f} ms, "
            f"ratio {p99 / sqlite_p99:.2f}x)"
        )


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--worker":
        asyncio.run(_worker(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
    else:
        asyncio.run(main())
