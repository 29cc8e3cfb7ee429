"""A reply's reference: "R2-4" is reply 4 of round 2 on this server. One reference, quoted the
same by members and moderators: under the reply, in a response's "responding to", in the
moderators' queue and log, in confirmations, and typed into /mod reveal (issue 13 item 9).

The number is the reply's number within its round (stored, drawn when it is submitted), not a
global id: it stays small, and it says which round to look in. What a person may type is read
generously: "R2-4", "r2·4", "R2.4", "R2/4", "2-4", "Round 2, reply 4", "round 2 reply 4".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PATTERNS = (
    re.compile(r"^r?\s*(\d{1,9})\s*[-·./:#]\s*(\d{1,9})$"),
    re.compile(r"^round\s*(\d{1,9})\s*[,·.]?\s*reply\s*#?\s*(\d{1,9})$"),
)


@dataclass(frozen=True, slots=True)
class ReplyRef:
    round: int
    number: int

    def __str__(self) -> str:
        return format_reference(self.round, self.number)


def format_reference(round_number: int, number: int | None) -> str:
    """ "R2-4"; "R2-?" for a draft, which has no number yet (and is never shown to others)."""
    return f"R{round_number}-{'?' if number is None else number}"


def parse_reference(text: str) -> ReplyRef | None:
    """The reference in what a person typed, or None when it is not one."""
    cleaned = " ".join(text.strip().casefold().split())
    for pattern in _PATTERNS:
        match = pattern.match(cleaned)
        if match is not None:
            round_number, number = int(match.group(1)), int(match.group(2))
            if round_number >= 1 and number >= 1:
                return ReplyRef(round_number, number)
    return None
