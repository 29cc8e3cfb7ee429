"""Durable replies through the service layer — sanitize, civility check, commit with its outbox
row, each member answered only after the commit that holds their reply reached the disk
(``synchronous=FULL``, group commit) — beside raw sqlite3 with FULL and one transaction per row,
in the same run. Target (issue 10, item 9): at least 2,000 durable replies/s; p99 time to answer."""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from app.services import build_services
from bench import report
from bot.dialogue.replies import RawReply
from bot.settings import Settings
from bot.storage import Database, migrate

N = 3000
MEMBERS_AT_ONCE = (50, 1)
GUILD = 1
TEXTS = [
    "This excerpt reminds me of the stories my grandmother told about her neighbours in Baku.",
    "Я вырос в Ереване и помню, как соседи помогали друг другу, несмотря ни на что.",
    "Mən Gəncədə böyümüşəm və bu mətn mənə uşaqlığımı xatırladır, qonşularımızı.",
    "Այս հատվածը ինձ հիշեցնում է մեր հարևաններին և այն ժամանակները, երբ խոսում էինք։",
]


@dataclass(frozen=True, slots=True)
class Run:
    rate: float  # replies/s
    p50_ms: float
    p99_ms: float  # time from the submission to the answer (after its commit)
    per_commit: float  # replies per COMMIT (fsync)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def service_run(folder: Path, concurrency: int) -> Run:
    settings = Settings(database_path=folder / f"service{concurrency}.sqlite3")
    async with Database(settings.database_path, synchronous="FULL") as db:
        await migrate(db)
        services = build_services(settings, db)
        await services.packs.seed_builtin()
        await services.guild_config.set_dialogue_channel(GUILD, 10)
        first = await services.communities.add(GUILD, "One", 101)
        await services.communities.add(GUILD, "Two", 102)
        round_, _ = await services.rounds.prepare(GUILD, None)
        await services.rounds.attach(round_, 11, 12)
        # One reply per member: the flooding and repeat rules are part of the check, and a
        # realistic round does not have one member posting hundreds of replies.
        members = list(range(1000, 1000 + N))
        for member in members:
            await services.communities.assign(GUILD, member, first.id)
        latencies: list[float] = []

        async def submit(i: int) -> None:
            raw = RawReply(TEXTS[i % 4] + f" ({i})", question="What do you remember?")
            began = time.perf_counter()
            await services.replies.submit(round_.id, members[i], frozenset(), "x", raw)
            latencies.append(time.perf_counter() - began)

        async def member_queue(start: int) -> None:
            for i in range(start, N, concurrency):
                await submit(i)

        groups, units = db.groups_committed, db.units_committed
        started = time.perf_counter()
        await asyncio.gather(*(member_queue(w) for w in range(concurrency)))
        elapsed = time.perf_counter() - started
        groups, units = db.groups_committed - groups, db.units_committed - units
        pending = await services.replies.pending_outbox()
        assert pending == N, f"{N - pending} replies were not committed"
    return Run(
        N / elapsed,
        _percentile(latencies, 0.50) * 1000,
        _percentile(latencies, 0.99) * 1000,
        units / max(1, groups),
    )


def raw_rate(folder: Path) -> float:
    conn = sqlite3.connect(folder / "raw.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(
        "CREATE TABLE replies (id INTEGER PRIMARY KEY, round_id INTEGER, author_key TEXT, "
        "author_seal TEXT, community_label TEXT, brings_up TEXT, question TEXT, status TEXT)"
    )
    conn.execute("CREATE TABLE outbox (id INTEGER PRIMARY KEY, kind TEXT, reply_id INTEGER)")
    started = time.perf_counter()
    for i in range(N):
        conn.execute("BEGIN IMMEDIATE")
        cur = conn.execute(
            "INSERT INTO replies (round_id, author_key, author_seal, community_label, brings_up, "
            "question, status) VALUES (1, ?, ?, 'One', ?, 'What do you remember?', 'pending')",
            (f"key{i % 100}", "seal", TEXTS[i % 4] + f" ({i})"),
        )
        conn.execute("INSERT INTO outbox (kind, reply_id) VALUES ('publish', ?)", (cur.lastrowid,))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return N / elapsed


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder)
        baseline = raw_rate(path)
        runs = {n: await service_run(path, n) for n in MEMBERS_AT_ONCE}
    for n, run in runs.items():
        report(
            f"durable replies (FULL, group commit) through the service layer, {n} at once",
            run.rate,
            "replies/s",
            baseline,
            "raw sqlite3, FULL, one transaction per row",
        )
        print(
            f"    time to answer the member: p50 {run.p50_ms:.1f} ms, p99 {run.p99_ms:.1f} ms; "
            f"{run.per_commit:.1f} replies per commit"
        )
    best = max(run.rate for run in runs.values())
    print(f"  target ≥ 2,000 durable replies/s: {'met' if best >= 2000 else 'NOT met'}")
