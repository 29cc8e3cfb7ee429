"""Work that must happen once across bot processes runs under a lease.

Each process has one :class:`Leases` with a holder name unique to it among the processes
running together, and the same after a restart (so a restarted process takes back its own
leases and outbox claims at once, instead of waiting for them to lapse). ``await
leases.hold("retention")`` takes or renews the lease and says whether this process may do the
work now; a process that dies stops renewing, and after ``seconds`` another one takes over.
With one process (SQLite) the lease is always its own.
"""

from __future__ import annotations

import os
import socket

from bot.storage.leases import LeaseStore

DEFAULT_SECONDS = 120.0


def process_name(shard_ids: tuple[int, ...] | None = None) -> str:
    """``TRACKTWO_PROCESS_NAME``, else host and shards ("db1:shards-0,1"): processes run with
    disjoint SHARD_IDS, so the name tells them apart and survives a restart."""
    if name := os.environ.get("TRACKTWO_PROCESS_NAME", "").strip():
        return name
    shards = "all" if shard_ids is None else ",".join(str(i) for i in shard_ids)
    return f"{socket.gethostname()}:shards-{shards}"


class Leases:
    def __init__(self, store: LeaseStore, holder: str) -> None:
        self._store = store
        self.holder = holder

    async def hold(self, name: str, seconds: float = DEFAULT_SECONDS) -> bool:
        return await self._store.acquire(name, self.holder, seconds)

    async def release(self, name: str) -> None:
        await self._store.release(name, self.holder)

    async def holder_of(self, name: str) -> str | None:
        return await self._store.holder(name)
