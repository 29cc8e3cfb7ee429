"""Durations and ladders as moderators type them are bounded before any arithmetic (issue 10,
item 16): "1000000000d" raised OverflowError; now it is a member's error with a message id."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import InvalidInput
from bot.i18n import translate
from bot.moderation.durations import MAX_TIMEOUT, parse_duration, parse_ladder


@pytest.mark.parametrize(
    "text", ["1000000000d", "99999999999999999999w", "29d", "4w1d", "672h1s", "9" * 39 + "s"]
)
def test_durations_beyond_discords_ceiling_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_duration(text)
    assert refused.value.key == "error.duration_too_long"
    assert "28 days" in refused.value.message


@pytest.mark.parametrize("text", ["9" * 5000 + "d", "1d" * 30, "soon", "", "-1d", "1y"])
def test_what_is_not_a_duration_is_refused_with_a_short_echo(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_duration(text)
    assert refused.value.key in ("error.duration_invalid", "error.duration_zero")
    assert len(refused.value.message) < 100
    assert len(translate(refused.value.key, "ru", **refused.value.params)) < 100


def test_durations_within_bounds() -> None:
    assert parse_duration("28d") == MAX_TIMEOUT
    assert parse_duration("1d12h") == timedelta(hours=36)
    assert parse_duration("90d", ceiling=timedelta(days=365)) == timedelta(days=90)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("2=1000000000d", "error.duration_too_long"),
        ("99999999999999999999=1h", "error.ladder_warnings"),
        ("0=1h", "error.ladder_warnings"),
        ("two=1h", "error.ladder_step_invalid"),
        (",,", "error.ladder_empty"),
    ],
)
def test_ladders_are_bounded(text: str, key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_ladder(text)
    assert refused.value.key == key


def test_a_ladder_within_bounds() -> None:
    steps = parse_ladder("2=1h, 3=24h, 4=28d!")
    assert [(s.warnings, s.timeout, s.recommend_removal) for s in steps] == [
        (2, timedelta(hours=1), False),
        (3, timedelta(hours=24), False),
        (4, MAX_TIMEOUT, True),
    ]
