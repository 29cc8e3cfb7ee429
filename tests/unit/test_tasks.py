from __future__ import annotations

import asyncio

from cogs._tasks import Sleeper


async def test_sleeper_works_then_sleeps_until_due_or_woken() -> None:
    runs: list[float] = []

    async def work() -> float | None:
        runs.append(asyncio.get_running_loop().time())
        return 60.0  # nothing due for a minute

    sleeper = Sleeper("test", work, idle=3600)
    sleeper.start()
    sleeper.start()  # idempotent
    await asyncio.sleep(0.05)
    assert len(runs) == 1
    sleeper.wake()
    await asyncio.sleep(0.05)
    assert len(runs) == 2
    await sleeper.stop()


async def test_sleeper_retries_after_a_failure() -> None:
    calls = 0
    retried = asyncio.Event()

    async def work() -> float | None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("boom")
        retried.set()
        return None

    sleeper = Sleeper("test", work, idle=3600, retry=0.01)
    sleeper.start()
    # a bounded wait, not a fixed 0.1 s: slow logging after an earlier test made that flaky
    async with asyncio.timeout(5):
        await retried.wait()
    await asyncio.sleep(0.05)
    assert calls == 2  # retried once, then idle (3600 s)
    await sleeper.stop()


async def test_sleeper_stops_when_woken_in_the_same_step() -> None:
    """On Python 3.11 ``asyncio.wait_for`` swallowed a cancel that arrived in the same loop step
    as the wake-up (the awaited event had just finished), so ``stop()`` waited forever. Waking
    and stopping back to back reproduces that step exactly; the bound turns a hang into a failure."""
    runs = 0

    async def work() -> float | None:
        nonlocal runs
        runs += 1
        return None

    for _ in range(20):
        sleeper = Sleeper("test", work, idle=3600)
        sleeper.start()
        await asyncio.sleep(0.01)  # now sleeping on the wake event
        sleeper.wake()
        async with asyncio.timeout(1):
            await sleeper.stop()
    assert runs >= 20


async def test_a_wake_during_the_work_is_not_lost() -> None:
    """Work reads what is due; something becomes due (and wakes the task) before it returns:
    the task must run again at once rather than sleep its full delay."""
    reading = asyncio.Event()
    finish = asyncio.Event()
    again = asyncio.Event()
    runs = 0

    async def work() -> float | None:
        nonlocal runs
        runs += 1
        if runs == 1:
            reading.set()
            await finish.wait()
        else:
            again.set()
        return 3600.0

    sleeper = Sleeper("test", work, idle=3600)
    sleeper.start()
    async with asyncio.timeout(2):
        await reading.wait()
        sleeper.wake()  # while the first run is still working
        finish.set()
        await again.wait()
    await sleeper.stop()
