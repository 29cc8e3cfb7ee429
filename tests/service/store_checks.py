"""What every store returns, checked on every call of the service suite (both engines).

Stores return models and timezone-aware UTC datetimes, never a driver's row
(``sqlite3.Row``/``aiosqlite.Row``, ``asyncpg.Record``) and never timestamp text. The
``store_returns`` fixture (autouse, tests/service/conftest.py) wraps every public coroutine
method of every ``*Store`` class under bot/storage/ and records what breaks the rule; a test
fails at teardown if a store it called did. New stores are covered without being listed.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import inspect
import pkgutil
import sqlite3
import types
import typing
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import asyncpg

import bot.storage
from bot.storage.engine import is_time_column

DRIVER_ROWS: tuple[type, ...] = (sqlite3.Row, asyncpg.Record)


def store_classes() -> list[type]:
    """Every class named ``*Store`` defined in a module under bot/storage/."""
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(bot.storage.__path__, "bot.storage."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and name.endswith("Store")
                and value.__module__ == module.__name__
            ):
                found[f"{value.__module__}.{name}"] = value
    return [found[k] for k in sorted(found)]


def _mentions_datetime(hint: Any) -> bool:
    if hint is datetime:
        return True
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return any(_mentions_datetime(a) for a in typing.get_args(hint))
    return False


@functools.cache
def _datetime_fields(cls: type) -> tuple[str, ...]:
    """The fields of dataclass ``cls`` annotated ``datetime`` (or ``datetime | None``)."""
    hints = typing.get_type_hints(cls)
    return tuple(f.name for f in dataclasses.fields(cls) if _mentions_datetime(hints.get(f.name)))


def _time_problem(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        return f"{where} is {type(value).__name__} {value!r}, not a datetime"
    if value.utcoffset() != timedelta(0):
        return f"{where} is {value!r}, not timezone-aware UTC"
    return None


def problems(value: Any, where: str = "result") -> Iterator[str]:
    """What in ``value`` breaks the rule: driver rows, and times that are not aware UTC
    datetimes (a dataclass field annotated ``datetime``, a dict key named ``*_at``/``*_until``,
    or any bare datetime)."""
    if isinstance(value, DRIVER_ROWS):
        yield f"{where} is a driver row ({type(value).__name__})"
    elif isinstance(value, datetime):
        problem = _time_problem(value, where)
        if problem:
            yield problem
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        timed = _datetime_fields(type(value))
        for f in dataclasses.fields(value):
            inner = getattr(value, f.name)
            here = f"{where}.{f.name}"
            if f.name in timed:
                problem = _time_problem(inner, here)
                if problem:
                    yield problem
            else:
                yield from problems(inner, here)
    elif isinstance(value, dict):
        for key, inner in value.items():
            here = f"{where}[{key!r}]"
            if isinstance(key, str) and is_time_column(key):
                problem = _time_problem(inner, here)
                if problem:
                    yield problem
            else:
                yield from problems(inner, here)
    elif isinstance(value, list | tuple | set | frozenset):
        for i, inner in enumerate(value):
            yield from problems(inner, f"{where}[{i}]")


def _checked(name: str, method: Callable[..., Any], found: list[str]) -> Callable[..., Any]:
    @functools.wraps(method)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = await method(*args, **kwargs)
        found.extend(problems(result, f"{name}()"))
        return result

    wrapper.__store_checked__ = True  # type: ignore[attr-defined]
    return wrapper


def instrument(patch: Callable[[type, str, Any], None], found: list[str]) -> int:
    """Wrap every public coroutine method of every store (through ``patch``, e.g.
    ``monkeypatch.setattr``); returns how many were wrapped."""
    count = 0
    for cls in store_classes():
        for name, member in list(vars(cls).items()):
            if name.startswith("_") or not inspect.iscoroutinefunction(member):
                continue
            if getattr(member, "__store_checked__", False):
                continue
            patch(cls, name, _checked(f"{cls.__name__}.{name}", member, found))
            count += 1
    return count
