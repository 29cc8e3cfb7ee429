"""Replies through the service layer — sanitize, civility check, commit with its outbox row, one
transaction per reply — beside raw sqlite3 inserts of the same rows in the same run.
Target (issue 4): at least 2,000 replies/s."""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
import time
from pathlib import Path

from app.services import build_services
from bench import report
from bot.dialogue.replies import RawReply
from bot.settings import Settings
from bot.storage import Database, migrate

N = 3000
# Members submit concurrently in a live round; 16 at once lets the event loop sanitize and check
# one reply while the database thread commits another. Each reply is still its own transaction.
CONCURRENCY = 16
GUILD = 1
TEXTS = [
    "This excerpt reminds me of the stories my grandmother told about her neighbours in Baku.",
    "Я вырос в Ереване и помню, как соседи помогали друг другу, несмотря ни на что.",
    "Mən Gəncədə böyümüşəm və bu mətn mənə uşaqlığımı xatırladır, qonşularımızı.",
    "Այս հատվածը ինձ հիշեցնում է մեր հարևաններին և այն ժամանակները, երբ խոսում էինք։",
]


async def service_rate(folder: Path, concurrency: int = CONCURRENCY) -> float:
    settings = Settings(database_path=folder / f"service{concurrency}.sqlite3")
    async with Database(settings.database_path) as db:
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

        async def submit(i: int) -> None:
            raw = RawReply(TEXTS[i % 4] + f" ({i})", question="What do you remember?")
            await services.replies.submit(round_.id, members[i], frozenset(), "x", raw)

        async def worker(start: int) -> None:
            for i in range(start, N, concurrency):
                await submit(i)

        started = time.perf_counter()
        await asyncio.gather(*(worker(w) for w in range(concurrency)))
        elapsed = time.perf_counter() - started
        pending = await services.replies.pending_outbox()
        assert pending == N, f"{N - pending} replies were not accepted"
    return N / elapsed


def raw_rate(folder: Path) -> float:
    conn = sqlite3.connect(folder / "raw.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
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
        service = await service_rate(path)
        one_at_a_time = await service_rate(path, concurrency=1)
        baseline = raw_rate(path)
    report(
        f"replies through the service layer, {CONCURRENCY} members at once",
        service,
        "replies/s",
        baseline,
        "raw sqlite3 inserts",
    )
    report("the same, one member at a time", one_at_a_time, "replies/s", baseline, "raw sqlite3")
    print(f"  target ≥ 2,000 replies/s: {'met' if service >= 2000 else 'NOT met'}")
