"""One process per SQLite file.

SQLite serialises writers inside one process (the Database's lock) and across processes only
by making them wait on each other's locks (``busy_timeout``): two bots on one file would both
run, and both publish, schedule and expire. :class:`SingleWriterDatabase` holds an exclusive
``flock`` on ``<file>.lock`` for as long as it is open, so a second process stops at start
with one clear line. The kernel lets go of the lock when the process ends, however it ends.
For several processes, use PostgreSQL (``DATABASE_URL=postgresql://…``).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from bot.storage.database import Database, StorageError


class SingleWriterDatabase(Database):
    """:class:`Database` that refuses to open a file another process has open."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._lock_file: IO[str] | None = None

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    async def open(self) -> None:
        if self.is_open:
            return
        if str(self.path) != ":memory:":
            self._take_lock()
        try:
            await super().open()
        except BaseException:
            self._drop_lock()
            raise

    async def close(self, grace: float = 10.0) -> None:
        try:
            await super().close(grace)
        finally:
            self._drop_lock()

    def _take_lock(self) -> None:
        try:
            self.lock_path.parent.mkdir(parents=True, exist_ok=True)
            handle = self.lock_path.open("a+", encoding="utf-8")
        except OSError as exc:
            raise StorageError(
                f"DATABASE_PATH: cannot create the lock file {self.lock_path} ({exc.strerror})"
            ) from exc
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise StorageError(
                f"DATABASE_PATH: {self.path} is in use by another Track Two process "
                f"({holder}); one process per SQLite file — for several, use PostgreSQL "
                "(DATABASE_URL=postgresql://…)"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        self._lock_file = handle

    def _drop_lock(self) -> None:
        if self._lock_file is not None:
            handle, self._lock_file = self._lock_file, None
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()
