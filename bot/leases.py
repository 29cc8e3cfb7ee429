"""Work that must happen once across bot processes runs under a lease.

Each process has one :class:`Leases` with a holder name unique to it. ``await
leases.hold("retention")`` takes or renews the lease and says whether this process may do the
work now; a process that dies stops renewing, and after ``seconds`` another one takes over.
With one process (SQLite) the lease is always its own.
"""

from __future__ import annotations

import os
import socket
import uuid

from bot.storage.leases import LeaseStore

DEFAULT_SECONDS = 120.0


def process_name() -> str:
    """host:pid:random — unique per running process, readable in the leases table."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Leases:
    def __init__(self, store: LeaseStore, holder: str | None = None) -> None:
        self._store = store
        self.holder = holder or process_name()

    async def hold(self, name: str, seconds: float = DEFAULT_SECONDS) -> bool:
        return await self._store.acquire(name, self.holder, seconds)

    async def release(self, name: str) -> None:
        await self._store.release(name, self.holder)

    async def holder_of(self, name: str) -> str | None:
        return await self._store.holder(name)
