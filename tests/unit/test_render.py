"""Rendered replies and rounds stay inside Discord's limits at the longest inputs we accept."""

from __future__ import annotations

from bot.dialogue.models import (
    Anonymity,
    EndorsementKind,
    EndorsementTally,
    Excerpt,
    Reply,
    ReplyFields,
    ReplyStatus,
    Round,
)
from bot.dialogue.replies import BRINGS_UP_MAX, OPTIONAL_MAX
from cogs.dialogue.render import reply_embed, reply_view, round_embed, round_view


def longest_reply(**overrides: object) -> Reply:
    values: dict[str, object] = {
        "id": 10**12,
        "round_id": 1,
        "guild_id": 1,
        "round_number": 999,
        "thread_id": 5,
        "author_key": "k",
        "author_seal": "s",
        "author_name": None,
        "participant_number": 12,
        "community_id": 1,
        "community_label": "C" * 40,
        "fields": ReplyFields(
            "a" * BRINGS_UP_MAX, "b" * OPTIONAL_MAX, "c" * OPTIONAL_MAX, "d" * OPTIONAL_MAX
        ),
        "quote_consent": False,
        "status": ReplyStatus.PUBLISHED,
        "civility_action": "allow",
        "civility_detail": "[]",
        "message_id": None,
        "edited": True,
    }
    values.update(overrides)
    return Reply(**values)  # type: ignore[arg-type]


def embed_size(data: dict[str, object]) -> int:
    total = len(str(data.get("title", ""))) + len(str(data.get("description", "")))
    total += len(str(dict(data.get("author", {})).get("name", "")))  # type: ignore[call-overload]
    total += len(str(dict(data.get("footer", {})).get("text", "")))  # type: ignore[call-overload]
    for field in data.get("fields", []):  # type: ignore[attr-defined]
        total += len(field["name"]) + len(field["value"])
    return total


def test_longest_reply_fits_discord_limits() -> None:
    tally = EndorsementTally(
        communities=("C" * 40, "D" * 40),
        counts={kind: {"C" * 40: 9999, "D" * 40: 9999} for kind in EndorsementKind},
    )
    data = reply_embed(longest_reply(), tally).to_dict()
    assert len(str(data["description"])) <= 4096
    assert all(len(f["value"]) <= 1024 and len(f["name"]) <= 256 for f in data["fields"])
    assert embed_size(data) <= 6000  # type: ignore[arg-type]
    components = reply_view(longest_reply(), tally).to_components()
    ids = [c["custom_id"] for row in components for c in row["components"]]
    assert len(ids) == len(set(ids)) and all(1 <= len(i) <= 100 for i in ids)
    assert all(len(c["label"]) <= 80 for row in components for c in row["components"])


def test_pseudonymous_label_hides_the_name() -> None:
    reply = longest_reply(community_label="Armenian", participant_number=3)
    tally = EndorsementTally(communities=("Armenian",))
    assert reply_embed(reply, tally).author.name == "Participant 3 · Armenian"
    named = longest_reply(community_label="Azerbaijani", author_name="Leyla")
    assert reply_embed(named, tally, Anonymity.OFF).author.name == "Leyla · Azerbaijani"
    assert reply_embed(named, tally, Anonymity.PSEUDONYMS).author.name == (
        "Participant 12 · Azerbaijani"
    )


def test_round_embed_carries_title_and_author() -> None:
    excerpt = Excerpt(1, 1, 1, "x" * 1500, "T" * 300, "An Author", None)
    round_ = Round(1, 1, 7, 1, 2, None, None, True)
    data = round_embed(round_, excerpt).to_dict()
    assert "An Author" in data["fields"][0]["value"]
    assert len(str(data["description"])) <= 4096
    assert data["title"] == "Round 7 · Dialogue prompt"
    (row,) = round_view(round_).to_components()
    assert row["components"][0]["custom_id"] == "t2:share:1"
    closed = Round(1, 1, 7, 1, 2, None, None, False)
    (row,) = round_view(closed).to_components()
    assert row["components"][0]["disabled"] is True
