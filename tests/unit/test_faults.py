"""bot/faults.py: when the moderators are told, and how often a traceback is logged."""

from __future__ import annotations

import sqlite3

from bot.errors import StorageUnavailable
from bot.faults import StorageHealth, is_storage_failure


def test_storage_failures_are_told_from_bugs() -> None:
    assert is_storage_failure(StorageUnavailable("down"))
    assert is_storage_failure(sqlite3.OperationalError("attempt to write a readonly database"))
    assert not is_storage_failure(ValueError("a bug"))
    assert not is_storage_failure(KeyError("a bug"))


def test_moderators_are_told_once_per_outage_and_server() -> None:
    health = StorageHealth(alert_after=3)
    assert [health.failed(1) for _ in range(5)] == [False, False, True, False, False]
    assert health.failed(2) is True  # another server is told too, once
    assert health.failed(2) is False
    health.succeeded()
    assert not health.failing
    assert [health.failed(1) for _ in range(3)] == [False, False, True]  # a new outage


def test_one_traceback_a_minute() -> None:
    now = [0.0]
    health = StorageHealth(log_every=60.0, clock=lambda: now[0])
    logged = []
    for _ in range(120):
        logged.append(health.log_traceback())
        now[0] += 1.0
    assert logged.count(True) == 2 and logged[0] and logged[60]
    assert health.suppressed == 118
