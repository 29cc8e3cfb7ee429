"""Durations as moderators type them: "90m", "1h", "3d", "1w", "1d12h"."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.errors import InvalidInput
from bot.moderation.models import LadderStep

MAX_TIMEOUT = timedelta(days=28)
_PART = re.compile(r"(\d+)\s*([smhdw])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    cleaned = text.strip().lower().replace(" ", "")
    if not cleaned or _PART.sub("", cleaned):
        raise InvalidInput(f"“{text.strip()[:20]}” is not a duration; try 30m, 1h, 3d or 1w.")
    seconds = sum(int(n) * _UNITS[unit] for n, unit in _PART.findall(cleaned))
    if seconds <= 0:
        raise InvalidInput("A duration must be longer than zero.")
    return timedelta(seconds=seconds)


def check_timeout(duration: timedelta) -> timedelta:
    if duration <= timedelta(0):
        raise InvalidInput("A timeout must be longer than zero.")
    if duration > MAX_TIMEOUT:
        raise InvalidInput("Discord allows timeouts of at most 28 days.")
    return duration


def format_duration(duration: timedelta) -> str:
    seconds = int(duration.total_seconds())
    parts = []
    for name, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{name}")
    return " ".join(parts) or "0s"


def parse_ladder(text: str) -> tuple[LadderStep, ...]:
    """ "2=1h, 3=24h, 4=7d!" — warnings=timeout; a trailing "!" recommends removal."""
    steps = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        count, _, rest = part.partition("=")
        if not count.strip().isdigit() or not rest.strip():
            raise InvalidInput(f"“{part[:20]}” is not a ladder step; write steps like 2=1h, 4=7d!")
        flag = rest.strip().endswith("!")
        duration = check_timeout(parse_duration(rest.strip().rstrip("!")))
        steps.append(LadderStep(int(count), duration, flag))
    if not steps:
        raise InvalidInput("Give at least one ladder step, like 2=1h.")
    return tuple(steps)


def format_ladder(ladder: tuple[LadderStep, ...]) -> str:
    return ", ".join(
        f"{s.warnings}={format_duration(s.timeout).replace(' ', '')}"
        + ("!" if s.recommend_removal else "")
        for s in ladder
    )
