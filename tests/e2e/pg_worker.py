"""A second OS process on the shared PostgreSQL database, for tests/e2e/test_shards_postgres.py.

``python -m tests.e2e.pg_worker cases URL GUILD FIRST COUNT``: record COUNT cases in server
GUILD at once through the moderation service (targets FIRST…), as a bot process's moderators
would; prints ``done``.

``python -m tests.e2e.pg_worker hold URL NAME HOLDER SECONDS WAIT STAY``: take (or renew) the
lease NAME as HOLDER, trying for at most WAIT seconds; prints ``held`` or ``refused``; with
STAY=1 (and held) the process then stays alive renewing it until it is killed — a process
that dies holding a lease — else it exits.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from app.services import build_services
from bot.leases import Leases
from bot.moderation.casetypes import CaseType
from bot.moderation.models import NewCase
from bot.settings import Settings
from bot.storage.leases import LeaseStore
from bot.storage.postgres import PostgresDatabase

SECRET = "shared-secret-of-both-processes-" + "x" * 8


async def cases(url: str, guild: int, first: int, count: int) -> None:
    async with PostgresDatabase(url) as db:
        with tempfile.TemporaryDirectory() as folder:
            settings = Settings(
                database_path=Path(folder) / "unused.sqlite3", pseudonym_secret=SECRET
            )
            services = build_services(settings, db)
            async with asyncio.timeout(60):
                await asyncio.gather(
                    *(
                        services.moderation.create_case(
                            guild,
                            NewCase(CaseType.VERIFICATION, 1, target_id=first + i, reason="ok"),
                        )
                        for i in range(count)
                    )
                )
    print("done", flush=True)


async def hold(url: str, name: str, holder: str, seconds: float, wait: float, stay: bool) -> None:
    async with PostgresDatabase(url) as db:
        leases = Leases(LeaseStore(db), holder)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while not await leases.hold(name, seconds=seconds):
            if loop.time() > deadline:
                print("refused", flush=True)
                return
            await asyncio.sleep(0.05)
        print("held", flush=True)
        if stay:  # a live holder renews, as the bot's lease users do; bounded: killed first
            until = loop.time() + 120
            while loop.time() < until:
                await asyncio.sleep(seconds / 5)
                await leases.hold(name, seconds=seconds)


def main(argv: list[str]) -> None:
    command, url, *rest = argv
    if command == "cases":
        asyncio.run(cases(url, int(rest[0]), int(rest[1]), int(rest[2])))
    elif command == "hold":
        asyncio.run(hold(url, rest[0], rest[1], float(rest[2]), float(rest[3]), rest[4] == "1"))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
