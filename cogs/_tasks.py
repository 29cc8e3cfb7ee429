"""One background task per job that works, then sleeps until its next due time or until woken
early (RoboDanny's timer pattern): the outbox publisher, the prompt schedule, expiries."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class Sleeper:
    """``work()`` does what is due and returns the seconds until the next thing is due (None:
    nothing known). The task sleeps that long, at most ``idle`` seconds, or until ``wake()``."""

    def __init__(
        self,
        name: str,
        work: Callable[[], Awaitable[float | None]],
        idle: float,
        *,
        retry: float = 1.0,
    ) -> None:
        self.name = name
        self._retry = retry
        self._job = work
        self._idle = idle
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Idempotent, so that it can be called from on_ready after every reconnect."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        while True:
            delay: float | None = self._retry
            try:
                delay = await self._job()
            except Exception:
                log.exception("%s failed; retrying in %.0f s", self.name, self._retry)
            timeout = self._idle if delay is None else max(0.0, min(self._idle, delay))
            self._wake.clear()
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation that
            # arrives as the event is set, and stop() would then wait out a whole idle sleep.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._wake.wait()
