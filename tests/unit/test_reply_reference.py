"""What a person may type for a reply's reference, and how it is shown."""

from __future__ import annotations

import pytest

from bot.dialogue.reference import ReplyRef, format_reference, parse_reference


@pytest.mark.parametrize(
    "typed",
    [
        "R2-4",
        "r2-4",
        "R2·4",
        "R2.4",
        "R2/4",
        "2-4",
        " R2 - 4 ",
        "Round 2, reply 4",
        "round 2 reply 4",
        "Round 2 · reply 4",
        "ROUND 2 REPLY #4",
    ],
)
def test_every_spelling_reads_as_reply_4_of_round_2(typed: str) -> None:
    assert parse_reference(typed) == ReplyRef(2, 4)


@pytest.mark.parametrize("typed", ["", "4", "R2", "R2-", "R0-1", "R1-0", "reply 4", "R2-4-1", "x"])
def test_what_is_not_a_reference(typed: str) -> None:
    assert parse_reference(typed) is None


def test_shown_as_r_round_dash_number() -> None:
    assert format_reference(2, 4) == "R2-4" == str(ReplyRef(2, 4))
    assert format_reference(3, None) == "R3-?"  # a draft, never shown to others
