"""How the bot behaves while its database fails: plain bookkeeping, no Discord.

:func:`is_storage_failure` tells a storage failure from a bug (the engines raise
:class:`~bot.errors.StorageUnavailable` or, from inside a unit of work, the driver's own
error). :class:`StorageHealth` decides when the moderators are told (once, when failures
persist, again only after the database recovered) and when a traceback is worth logging (at
most one a minute: a read-only disk fails every second).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.errors import StorageUnavailable

DRIVER_MODULES = ("sqlite3", "aiosqlite", "asyncpg", "psycopg")


def is_storage_failure(error: BaseException) -> bool:
    if isinstance(error, StorageUnavailable):
        return True
    return any(
        cls.__module__.split(".")[0] in DRIVER_MODULES
        for cls in type(error).__mro__
        if cls is not Exception and cls is not BaseException
    )


class StorageHealth:
    """``alert_after`` failures without a success in between make one alert per server."""

    def __init__(
        self,
        *,
        alert_after: int = 3,
        log_every: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._alert_after = alert_after
        self._log_every = log_every
        self._clock = clock
        self._failures = 0
        self._alerted: set[int] = set()
        self._last_log: float | None = None
        self.suppressed = 0  # tracebacks not logged since the last one

    @property
    def failing(self) -> bool:
        return self._failures > 0

    def failed(self, guild_id: int | None) -> bool:
        """Count a failure; True when this server's moderators should be told now."""
        self._failures += 1
        if guild_id is None or self._failures < self._alert_after or guild_id in self._alerted:
            return False
        self._alerted.add(guild_id)
        return True

    def succeeded(self) -> None:
        self._failures = 0
        self._alerted.clear()

    def log_traceback(self) -> bool:
        """True at most once per ``log_every`` seconds; otherwise counts a suppressed one."""
        now = self._clock()
        if self._last_log is None or now - self._last_log >= self._log_every:
            self._last_log = now
            return True
        self.suppressed += 1
        return False
