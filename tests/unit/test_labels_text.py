from __future__ import annotations

from bot.labels_text import ECHO_MAX, echo, sanitize_label


def test_labels_lose_invisible_characters_and_extra_space() -> None:
    assert sanitize_label("\u200b\u200c\u200d\u2060\ufeff\u3164\u2800") == ""
    assert sanitize_label("  Greek\u200b   Cypriot \n") == "Greek Cypriot"
    assert sanitize_label("Armenian <@123>") == "Armenian <＠123>"  # never a live mention


def test_echoes_are_bounded_and_marked_when_cut() -> None:
    assert echo("short") == "short"
    long = echo("x" * 6000)
    assert len(long) == ECHO_MAX and long.endswith("…")
    assert echo("a\nb\tc") == "a b c"  # one line
    family = "👨‍👩‍👧" * 50  # never cut inside a grapheme
    assert echo(family, 10).removesuffix("…").replace("👨‍👩‍👧", "") == ""
