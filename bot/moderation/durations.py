"""Durations as moderators type them: "90m", "1h", "3d", "1w", "1d12h"."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.errors import InvalidInput
from bot.moderation.models import LadderStep

MAX_TIMEOUT = timedelta(days=28)  # Discord's ceiling for a timeout
MAX_LADDER_WARNINGS = 100  # a ladder step beyond this many active warnings is a typo
_PART = re.compile(r"(\d+)\s*([smhdw])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_ECHO = 20  # characters of the member's text shown back in an error


def parse_duration(text: str, ceiling: timedelta = MAX_TIMEOUT) -> timedelta:
    """A duration of at most ``ceiling`` (the bound is checked before any timedelta is made,
    so "1000000000d" is refused instead of overflowing)."""
    cleaned = text.strip().lower().replace(" ", "")
    # 40 characters: no real duration is longer, and int() of thousands of digits raises
    if not cleaned or len(cleaned) > 40 or _PART.sub("", cleaned):
        raise InvalidInput(
            f"“{text.strip()[:_ECHO]}” is not a duration; try 30m, 1h, 3d or 1w.",
            key="error.duration_invalid",
            text=text.strip()[:_ECHO],
        )
    seconds = sum(int(n) * _UNITS[unit] for n, unit in _PART.findall(cleaned))
    if seconds <= 0:
        raise InvalidInput("A duration must be longer than zero.", key="error.duration_zero")
    if seconds > ceiling.total_seconds():  # every ceiling is whole days
        raise InvalidInput(
            f"That is too long: at most {ceiling.days} days.",
            key="error.duration_too_long",
            days=ceiling.days,
        )
    return timedelta(seconds=seconds)


def check_timeout(duration: timedelta) -> timedelta:
    if duration <= timedelta(0):
        raise InvalidInput("A timeout must be longer than zero.", key="error.duration_zero")
    if duration > MAX_TIMEOUT:
        raise InvalidInput(
            "Discord allows timeouts of at most 28 days.", key="error.timeout_too_long"
        )
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
        count = count.strip()
        if not count.isdigit() or not rest.strip():
            raise InvalidInput(
                f"“{part[:_ECHO]}” is not a ladder step; write steps like 2=1h, 4=7d!",
                key="error.ladder_step_invalid",
                text=part[:_ECHO],
            )
        if len(count) > 3 or not 1 <= int(count) <= MAX_LADDER_WARNINGS:
            raise InvalidInput(
                f"A ladder step counts 1 to {MAX_LADDER_WARNINGS} warnings.",
                key="error.ladder_warnings",
                max=MAX_LADDER_WARNINGS,
            )
        flag = rest.strip().endswith("!")
        duration = check_timeout(parse_duration(rest.strip().rstrip("!")))
        steps.append(LadderStep(int(count), duration, flag))
    if not steps:
        raise InvalidInput("Give at least one ladder step, like 2=1h.", key="error.ladder_empty")
    return tuple(steps)


def format_ladder(ladder: tuple[LadderStep, ...]) -> str:
    return ", ".join(
        f"{s.warnings}={format_duration(s.timeout).replace(' ', '')}"
        + ("!" if s.recommend_removal else "")
        for s in ladder
    )
