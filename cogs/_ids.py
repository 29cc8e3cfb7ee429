"""Every custom_id format, written once: the format string, its builder and its parser.

A flat module of plain strings and functions (no discord import), so cogs, views and tests
share one definition. The custom-id overlap test reads these formats.
"""

from __future__ import annotations

import re

from bot.moderation.models import ITEM_KEY_PATTERN, canonical_key

# moderation ----------------------------------------------------------------------------

KEY = rf"(?P<key>{ITEM_KEY_PATTERN})"  # a queue item key, today's or an old button's

REPORT = r"t2:report:(?P<reply_id>[0-9]+)"  # the Report button under a published reply
REPORT_FORM = "t2:reportform:{reply_id}"  # the report form for a reply
REPORT_MESSAGE_FORM = "t2:reportmsg:{message_id}"  # the report form for a message
MOD_BUTTON = r"t2:mod:(?P<action>[a-z]+):" + KEY  # a queue item's decision buttons
MOD_TIMEOUT = r"t2:modto:" + KEY  # a queue item's "remove + time out for…" select
MOD_DECIDE = r"t2:moddecide:(?P<action>uphold|overturn|confirm):" + KEY  # a decision's form


def report(reply_id: int) -> str:
    return f"t2:report:{reply_id}"


def report_form(reply_id: int) -> str:
    return REPORT_FORM.format(reply_id=reply_id)


def report_message_form(message_id: int) -> str:
    return REPORT_MESSAGE_FORM.format(message_id=message_id)


def mod_button(action: str, key: str) -> str:
    return f"t2:mod:{action}:{key}"


def mod_timeout(key: str) -> str:
    return f"t2:modto:{key}"


def mod_decide(action: str, key: str) -> str:
    return f"t2:moddecide:{action}:{key}"[:100]


_MOD_DECIDE = re.compile(MOD_DECIDE)


def parse_mod_decide(custom_id: str) -> tuple[str, str] | None:
    """(action, item key) of a decision form's custom_id; None for any other custom_id."""
    match = _MOD_DECIDE.fullmatch(custom_id)
    return None if match is None else (match["action"], key_of(match))


def key_of(match: re.Match[str]) -> str:
    """The item key a moderation custom_id carries, as stored today."""
    return canonical_key(match["key"])


__all__ = [
    "KEY",
    "MOD_BUTTON",
    "MOD_DECIDE",
    "MOD_TIMEOUT",
    "REPORT",
    "REPORT_FORM",
    "REPORT_MESSAGE_FORM",
    "key_of",
    "mod_button",
    "mod_decide",
    "mod_timeout",
    "parse_mod_decide",
    "report",
    "report_form",
    "report_message_form",
]
