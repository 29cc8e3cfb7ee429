"""Small read caches in the stores, safe beside other processes' writes.

A store caches what only it writes (rounds, memberships) and forgets an entry when it writes
it. On SQLite that is exact: one process holds the file. On PostgreSQL other processes write
too, so entries also expire after a few seconds (``ttl``): another process's change is seen
within that time.
"""

from __future__ import annotations

import time
from typing import Generic, TypeVar

from bot.storage.engine import SQLITE, dialect

K = TypeVar("K")
V = TypeVar("V")

#: How long a cached row may be stale when other processes write the same database.
SHARED_TTL = 5.0


class TtlCache(Generic[K, V]):
    def __init__(self, ttl: float | None) -> None:
        self._ttl = ttl
        self._items: dict[K, tuple[V, float]] = {}

    @classmethod
    def for_db(cls, db: object) -> TtlCache[K, V]:
        """Exact on SQLite (one process), ``SHARED_TTL`` on PostgreSQL."""
        return cls(None if dialect(db) == SQLITE else SHARED_TTL)

    def get(self, key: K) -> V | None:
        found = self._items.get(key)
        if found is None:
            return None
        value, born = found
        if self._ttl is not None and time.monotonic() - born > self._ttl:
            del self._items[key]
            return None
        return value

    def __setitem__(self, key: K, value: V) -> None:
        self._items[key] = (value, time.monotonic())

    def pop(self, key: K, default: None = None) -> V | None:
        found = self._items.pop(key, None)
        return None if found is None else found[0]

    def clear(self) -> None:
        self._items.clear()
