"""The sanitizer's fast path for plain text (stdlib ``re``) takes no code point that the
definition of plain text (``regex``, letters and digits and everyday punctuation) refuses, so
it can only send more text down the full path, never less."""

from __future__ import annotations

from bot.sanitizer import _NOT_PLAIN, _PLAIN, sanitize


def test_fast_path_takes_no_code_point_the_definition_refuses() -> None:
    taken_wrongly = [
        hex(cp)
        for cp in range(0x110000)
        if not 0xD800 <= cp <= 0xDFFF
        and _NOT_PLAIN.search(chr(cp)) is None
        and _PLAIN.fullmatch(chr(cp)) is None
    ]
    assert taken_wrongly == []


def test_fast_path_agrees_with_the_definition_on_everyday_text() -> None:
    samples = [
        "Мой дед помнит реку (и мост), 1988 — «до войны».",
        "Մեր գյուղը, մեր տունը: հիշում եմ…",
        "Babam deyirdi: kənd, çay, dağ! 50%",
        "snake_case stays",
        "ㅤ hangul filler",
    ]
    for text in samples:
        assert (_NOT_PLAIN.search(text) is None) == (_PLAIN.fullmatch(text) is not None), text
        assert sanitize(text) == sanitize(sanitize(text))
