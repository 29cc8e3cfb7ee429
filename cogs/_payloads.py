"""Interactions as they arrive, checked for values no real Discord client sends, before
discord.py dispatches them (issue 10, item 20).

A forged payload can carry an integer option beyond Discord's range (SQLite then raises
OverflowError in the middle of a handler), a user, role or channel option whose object is not in
``resolved`` (a handler then works on a bare id and fails after writing), or a custom_id with a
number no row can have. Such an interaction is refused as a whole, in one place, instead of each
handler meeting the value."""

from __future__ import annotations

import math
import re
from typing import Any

DISCORD_INT = 2**53  # Discord's bound for integer and number options
SNOWFLAKE_MAX = 2**63 - 1  # the largest id (and SQLite INTEGER)
_DIGITS = re.compile(r"\d+")
# option type -> the "resolved" maps its id must be found in
_RESOLVED = {
    6: ("users",),
    7: ("channels",),
    8: ("roles",),
    9: ("users", "roles"),
    11: ("attachments",),
}
APPLICATION_COMMAND, AUTOCOMPLETE, COMPONENT, MODAL_SUBMIT = 2, 4, 3, 5


def _snowflake(value: Any) -> bool:
    text = str(value)
    return text.isdigit() and len(text) <= 19 and int(text) <= SNOWFLAKE_MAX


def _numbers_fit(text: str) -> bool:
    """Every run of digits in a custom_id is a possible id (at most 2^63 - 1)."""
    return all(len(run) <= 19 and int(run) <= SNOWFLAKE_MAX for run in _DIGITS.findall(text))


def _option_problem(option: dict[str, Any], resolved: dict[str, Any]) -> str | None:
    kind = option.get("type")
    if kind in (1, 2):  # subcommand (group): its options
        for inner in option.get("options") or []:
            if problem := _option_problem(inner, resolved):
                return problem
        return None
    value = option.get("value")
    if option.get("focused"):
        return None  # autocomplete: a partial value still being typed
    if kind == 4:
        if not isinstance(value, int) or isinstance(value, bool):
            return "an integer option that is not an integer"
        if abs(value) > DISCORD_INT:
            return "an integer option beyond Discord's range"
    if kind == 10 and (
        not isinstance(value, int | float)
        or isinstance(value, bool)
        or not math.isfinite(value)
        or abs(value) > DISCORD_INT
    ):
        return "a number option beyond Discord's range"
    if kind in _RESOLVED:
        if not _snowflake(value):
            return "an object option without a valid id"
        if not any(str(value) in (resolved.get(where) or {}) for where in _RESOLVED[kind]):
            return "an object option without its resolved data"
    return None


def forged(payload: dict[str, Any]) -> str | None:
    """What is wrong with an interaction no Discord client would send, or None."""
    kind = payload.get("type")
    data = payload.get("data")
    if not isinstance(data, dict):
        return None  # pings and the like: discord.py handles them
    if kind in (APPLICATION_COMMAND, AUTOCOMPLETE):
        resolved = data.get("resolved") or {}
        for option in data.get("options") or []:
            if not isinstance(option, dict):
                return "a malformed option"
            if problem := _option_problem(option, resolved):
                return problem
        target = data.get("target_id")
        if target is not None and not _snowflake(target):
            return "a context-menu target without a valid id"
        if target is not None and not any(
            str(target) in (resolved.get(where) or {}) for where in ("users", "messages")
        ):
            return "a context-menu target without its resolved data"
    elif kind in (COMPONENT, MODAL_SUBMIT):
        custom_id = data.get("custom_id")
        if not isinstance(custom_id, str) or len(custom_id) > 100 or not _numbers_fit(custom_id):
            return "a custom_id with an impossible id"
    return None
