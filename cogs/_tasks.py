"""One background task per job that works, then sleeps until its next due time or until woken
early (RoboDanny's timer pattern): the outbox publisher, the prompt schedule, expiries."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

TRACEBACK_EVERY = 60.0  # seconds between two tracebacks of one failing task

_STARTED: weakref.WeakSet[Sleeper] = weakref.WeakSet()  # started and not stopped


def busy() -> list[str]:
    """The names of the running Sleepers that are working or have been woken: what the
    sandbox waits for before it says a member's action has had all its effects."""
    return sorted(s.name for s in list(_STARTED) if s.busy)


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
        self._last_traceback: float | None = None
        self._working = False

    def start(self) -> None:
        """Idempotent, so that it can be called from on_ready after every reconnect."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=self.name)
            _STARTED.add(self)

    async def stop(self, grace: float = 10.0) -> None:
        """Cancel the task and wait for it, at most ``grace`` seconds. ``asyncio.wait`` neither
        raises the task's CancelledError nor swallows one aimed at the caller (suppressing
        CancelledError around ``await task`` would eat a cancel of the caller too)."""
        task, self._task = self._task, None
        _STARTED.discard(self)
        if task is None:
            return
        task.cancel()
        done, _ = await asyncio.wait({task}, timeout=grace)
        if not done:
            log.error("%s did not stop within %.0f s", self.name, grace)

    def wake(self) -> None:
        self._wake.set()

    @property
    def busy(self) -> bool:
        """Working, or woken and about to work."""
        return self._working or self._wake.is_set()

    async def _run(self) -> None:
        while True:
            # Cleared before the work, not after: a wake() while the work runs (a reply committed
            # after the outbox was read) must cut the next sleep short, not be forgotten.
            self._wake.clear()
            delay: float | None = self._retry
            self._working = True
            try:
                delay = await self._job()
            except Exception as error:
                # while the disk is read-only this fails every second: one traceback a minute
                now = asyncio.get_running_loop().time()
                if self._last_traceback is None or now - self._last_traceback >= TRACEBACK_EVERY:
                    self._last_traceback = now
                    log.exception("%s failed; retrying in %.0f s", self.name, self._retry)
                else:
                    log.warning(
                        "%s failed again (%s); retrying in %.0f s",
                        self.name,
                        type(error).__name__,
                        self._retry,
                    )
            finally:
                self._working = False
            timeout = self._idle if delay is None else max(0.0, min(self._idle, delay))
            # asyncio.timeout, not wait_for: on 3.11 wait_for drops a cancel that arrives in the
            # same step as wake(), and stop() then waits forever (CPython gh-86296).
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._wake.wait()
