"""The signal: one vote per rater per reply, folded from endorsement presses.

Raters and replies are opaque keys (the per-round keyed hashes the dialogue service already
uses); no member id enters scoring. A rater's vote on a reply is the sign of the most recent press
they still hold on it: "This resonates" and "I learned something" count +1, "Respectfully
disagree" counts -1. Taking a press back removes it, so the vote falls back to the press still
held (if any), or disappears. The author's own presses never count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Endorsement(StrEnum):
    RESONATES = "resonates"
    LEARNED = "learned"
    DISAGREE = "disagree"

    @property
    def sign(self) -> int:
        return -1 if self is Endorsement.DISAGREE else 1


@dataclass(frozen=True, slots=True)
class Press:
    """One button event. ``at`` orders presses (a timestamp or a sequence number); ``held`` is
    False when the rater took the press back."""

    rater: str
    reply: str
    endorsement: Endorsement
    at: float
    held: bool = True


@dataclass(frozen=True, slots=True)
class Vote:
    rater: str
    reply: str
    value: int  # +1 or -1


def fold_presses(presses: Iterable[Press], authors: Mapping[str, str]) -> list[Vote]:
    """The votes the presses amount to. ``authors`` maps a reply key to its author's rater key;
    presses on replies not in it are ignored (the reply was withdrawn or is not in this round).
    Presses with the same ``at`` are taken in the order given."""
    ordered = sorted(enumerate(presses), key=lambda item: (item[1].at, item[0]))
    held: dict[tuple[str, str], dict[Endorsement, tuple[float, int]]] = {}
    for order, press in ordered:
        author = authors.get(press.reply)
        if author is None or author == press.rater:
            continue
        current = held.setdefault((press.rater, press.reply), {})
        if press.held:
            current[press.endorsement] = (press.at, order)
        else:
            current.pop(press.endorsement, None)
    votes = []
    for (rater, reply), endorsements in held.items():
        if endorsements:
            latest = max(endorsements, key=lambda e: endorsements[e])
            votes.append(Vote(rater, reply, latest.sign))
    return votes


def latest_votes(votes: Iterable[Vote], authors: Mapping[str, str]) -> list[Vote]:
    """One vote per (rater, reply), the last one given winning; author votes and votes on
    unknown replies are dropped. For callers that store votes rather than presses."""
    kept: dict[tuple[str, str], Vote] = {}
    for vote in votes:
        author = authors.get(vote.reply)
        if author is None or author == vote.rater:
            continue
        if vote.value not in (1, -1):
            raise ValueError(f"a vote is +1 or -1, not {vote.value!r}")
        kept[(vote.rater, vote.reply)] = vote
    return list(kept.values())
