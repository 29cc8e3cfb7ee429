from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import InvalidInput, NotAllowed
from bot.moderation.durations import (
    check_timeout,
    format_duration,
    format_ladder,
    parse_duration,
    parse_ladder,
)
from bot.moderation.models import (
    DEFAULT_LADDER,
    ItemKind,
    ModerationSettings,
    canonical_key,
    item_key,
    parse_item_key,
)
from bot.moderation.targets import Actor, TargetFacts, check_target
from bot.permissions import MemberFacts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1h", timedelta(hours=1)),
        ("90m", timedelta(minutes=90)),
        ("3d", timedelta(days=3)),
        ("1w", timedelta(weeks=1)),
        (" 1d 12h ", timedelta(days=1, hours=12)),
        ("1D", timedelta(days=1)),
    ],
)
def test_durations_parse(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "1x", "0m", "h1", "1h!"])
def test_bad_durations_are_refused_with_an_example(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_duration(text)


def test_timeouts_are_at_most_28_days() -> None:
    assert check_timeout(timedelta(days=28)) == timedelta(days=28)
    with pytest.raises(InvalidInput, match="28 days"):
        check_timeout(timedelta(days=28, seconds=1))
    assert format_duration(timedelta(days=1, minutes=5)) == "1d 5m"


def test_ladder_round_trips_and_picks_the_highest_step() -> None:
    ladder = parse_ladder("2=1h, 3=24h, 4=7d!")
    assert ladder == DEFAULT_LADDER
    assert format_ladder(ladder) == "2=1h, 3=1d, 4=7d!"
    settings = ModerationSettings(1)
    assert settings.step_for(1) is None
    assert settings.step_for(3) == DEFAULT_LADDER[1]
    assert settings.step_for(9) == DEFAULT_LADDER[2]
    with pytest.raises(InvalidInput):
        parse_ladder("two=1h")
    with pytest.raises(InvalidInput, match="28 days"):
        parse_ladder("2=30d")


def test_item_keys() -> None:
    for kind in ItemKind:
        assert parse_item_key(item_key(kind, 12)) == (kind, 12)
    assert item_key(ItemKind.HELD, 12) == "held:12"
    # keys on buttons posted before the kinds were readable
    assert parse_item_key("r:12") == (ItemKind.HELD, 12)
    assert [canonical_key(f"{c}:3") for c in "rpac"] == [
        "held:3",
        "report:3",
        "appeal:3",
        "paired:3",
    ]
    for wrong in ("z:1", "held:", "held:x", "heldx:1"):
        with pytest.raises(ValueError):
            parse_item_key(wrong)


def test_target_rule_is_a_pure_function() -> None:
    actor = Actor(1, MemberFacts(10, frozenset()), top_role_position=5, bot_top_role_position=8)
    check_target(actor, TargetFacts(20, top_role_position=4))
    with pytest.raises(NotAllowed, match="yourself"):
        check_target(actor, TargetFacts(10))
    with pytest.raises(NotAllowed, match="at or above yours"):
        check_target(actor, TargetFacts(20, top_role_position=5))
    with pytest.raises(NotAllowed, match="administrators"):
        check_target(actor, TargetFacts(20, is_administrator=True), timeout=True)
    check_target(actor, TargetFacts(20, is_administrator=True))  # a warning is fine
