"""Short labels people type (community names, pack titles and authors), and the echo of any
value a member typed when a message shows it back.

Labels go through the same sanitizer as replies (markup neutralized; control, zero-width and
blank "letter" characters removed), then whitespace is collapsed. A label with nothing visible
left is empty, and callers refuse it. Echoes are bounded so that an answer quoting a member's
6,000-character input still fits Discord's 2,000.
"""

from __future__ import annotations

from bot.sanitizer import cut_graphemes, sanitize

ECHO_MAX = 100


def sanitize_label(text: str) -> str:
    """``text`` as a one-line label; empty when nothing visible is left."""
    return " ".join(sanitize(text).split())


def echo(value: object, limit: int = ECHO_MAX) -> str:
    """A member's value, on one line and at most ``limit`` characters (an ellipsis if cut)."""
    text = " ".join(str(value).split())
    if len(text) <= limit:
        return text
    return cut_graphemes(text, limit - 1).rstrip() + "…"
