"""Score an exported round offline: a CSV of votes in, one JSON object per reply out.

The file has the header ``rater,community,reply,endorsement``; endorsement is ``resonates``,
``learned`` or ``disagree``; rater and reply are opaque strings (the export's keyed hashes). Rows
are taken in file order, so when a rater has several rows for one reply the last one counts, as
the latest press does in the bot. Communities are declared in the order they first appear.

Nothing is scored silently wrong: every bad line is collected (wrong number of fields, an empty
field, an unknown endorsement, a rater listed in two communities) and the whole file is refused
with all of them, rather than scored without them. Authors are not in the export, so this scorer
cannot drop an author's own vote: the export leaves them out.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from bot.bridging.score import RoundScore, score_round
from bot.bridging.settings import BridgingSettings
from bot.bridging.votes import Endorsement, Vote

HEADER = ("rater", "community", "reply", "endorsement")
ENDORSEMENTS = {e.value: e for e in Endorsement}
# Past this many, the refusal lists the first ones and says how many more there are.
MAX_LISTED = 50


@dataclass(frozen=True, slots=True)
class BadLine:
    line: int
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.problem}"


class RefusedFile(Exception):
    """The file was not scored; ``bad_lines`` says why, every line of it."""

    def __init__(self, bad_lines: list[BadLine]) -> None:
        super().__init__(f"{len(bad_lines)} bad line(s)")
        self.bad_lines = bad_lines

    def messages(self) -> list[str]:
        shown = [str(b) for b in self.bad_lines[:MAX_LISTED]]
        if len(self.bad_lines) > MAX_LISTED:
            shown.append(f"... and {len(self.bad_lines) - MAX_LISTED} more bad line(s)")
        return shown


@dataclass(frozen=True, slots=True)
class ParsedVotes:
    communities: tuple[str, ...]
    raters: dict[str, str]
    replies: list[str]
    votes: list[Vote]


def parse(lines: Iterable[str]) -> ParsedVotes:
    """Read the CSV (an iterable of text lines, e.g. an open file). Raises :class:`RefusedFile`
    listing every bad line."""
    reader = csv.reader(lines, strict=True)
    bad: list[BadLine] = []
    communities: dict[str, None] = {}
    raters: dict[str, str] = {}
    rater_line: dict[str, int] = {}
    replies: dict[str, None] = {}
    votes: list[Vote] = []
    try:
        header = next(reader, None)
        if header is None:
            raise RefusedFile(
                [BadLine(1, "the file is empty; expected the header " + ",".join(HEADER))]
            )
        if tuple(h.strip().lstrip("\ufeff").lower() for h in header) != HEADER:
            bad.append(
                BadLine(
                    reader.line_num,
                    f"expected the header {','.join(HEADER)}, found {','.join(header)!r}",
                )
            )
        for row in reader:
            line = reader.line_num
            if not row or all(not field.strip() for field in row):
                continue  # a blank line carries no vote
            if len(row) != len(HEADER):
                bad.append(BadLine(line, f"expected {len(HEADER)} fields, found {len(row)}"))
                continue
            rater, community, reply, endorsement = (field.strip() for field in row)
            empty = [
                name
                for name, value in zip(HEADER, (rater, community, reply, endorsement), strict=True)
                if not value
            ]
            if empty:
                bad.append(BadLine(line, f"empty {', '.join(empty)}"))
                continue
            kind = ENDORSEMENTS.get(endorsement.lower())
            if kind is None:
                bad.append(
                    BadLine(
                        line, f"endorsement {endorsement!r} is not one of {', '.join(ENDORSEMENTS)}"
                    )
                )
                continue
            known = raters.get(rater)
            if known is not None and known != community:
                bad.append(
                    BadLine(
                        line,
                        f"rater {rater!r} is in community {known!r} on line {rater_line[rater]}, not {community!r}",
                    )
                )
                continue
            if known is None:
                raters[rater] = community
                rater_line[rater] = line
            communities.setdefault(community)
            replies.setdefault(reply)
            votes.append(Vote(rater, reply, kind.sign))
    except csv.Error as exc:
        bad.append(BadLine(reader.line_num, f"not readable as CSV ({exc})"))
    except UnicodeDecodeError as exc:
        bad.append(BadLine(reader.line_num + 1, f"not UTF-8 text ({exc.reason})"))
    if bad:
        raise RefusedFile(bad)
    # The last row for a rater and reply counts, like the latest press.
    latest = {(v.rater, v.reply): v for v in votes}
    return ParsedVotes(tuple(communities), raters, list(replies), list(latest.values()))


def results(parsed: ParsedVotes, scored: RoundScore) -> Iterator[dict[str, Any]]:
    """One JSON-ready object per reply, in the order replies first appear in the file."""
    for reply in parsed.replies:
        score = scored.replies[reply]
        yield {
            "reply": reply,
            "status": score.status.value,
            "reason": score.reason.value,
            "needs_perspectives_from": list(score.needs),
            "votes": {c: t.votes for c, t in score.tallies.items()},
            "positive": {c: t.positive for c, t in score.tallies.items()},
            "share": {c: round(t.share, 3) for c, t in score.tallies.items()},
            "intercept": None if score.intercept is None else round(score.intercept, 3),
            "factor": None if score.factor is None else round(score.factor, 3),
        }


def score_lines(
    lines: Iterable[str], settings: BridgingSettings | None = None
) -> Iterator[dict[str, Any]]:
    """Parse and score; raises :class:`RefusedFile` before yielding anything when a line is bad."""
    parsed = parse(lines)
    if not parsed.communities:
        return iter(())
    scored = score_round(
        parsed.communities, parsed.raters, parsed.replies, parsed.votes, settings=settings
    )
    return results(parsed, scored)
