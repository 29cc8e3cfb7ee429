"""Which reply a member should read next: the ones their own community has voted on least.

Pol.is shows each participant next the comments that most need their vote (its priority boosts
comments with few votes: ``1 + 8 * 2 ** (-votes / 5)``). Here the need is per community: a reply
is judged only once every community has given it enough votes, so a member is offered first the
replies that still lack votes from *their* community, fewest first; among equals, those with
fewer votes overall, then the older. Their own replies, replies they already voted on and
replies they skipped are never offered. Pure; the service keeps the skips.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from bot.bridging.score import RoundScore


def reading_order(
    scored: RoundScore,
    community: str,
    reader: str,
    authors: Mapping[str, str],
    voted: Iterable[str] = (),
    skipped: Iterable[str] = (),
    required: int | None = None,
) -> Sequence[str]:
    """Reply keys in the order ``reader`` (of ``community``) should be offered them.

    ``authors`` maps reply keys to their author's rater key; ``voted`` and ``skipped`` are the
    reply keys the reader has already voted on or passed. ``required`` is the number of votes per
    community a reply needs (the score's minimum); replies that already have that many from the
    reader's community come after all those that do not."""
    if community not in scored.communities:
        raise ValueError(f"{community!r} is not a declared community")
    excluded = set(voted) | set(skipped)
    candidates = []
    for position, (key, score) in enumerate(scored.replies.items()):
        if key in excluded or authors.get(key) == reader:
            continue
        own = score.tallies[community].votes
        total = sum(t.votes for t in score.tallies.values())
        enough = required is not None and own >= required
        candidates.append(((enough, own, total, position), key))
    candidates.sort()
    return [key for _, key in candidates]
