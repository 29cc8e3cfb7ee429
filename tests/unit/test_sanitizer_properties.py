"""Property tests for bot.sanitizer: 10,500 generated examples in all."""

from __future__ import annotations

import unicodedata

import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.sanitizer import MAX_MARKS_PER_BASE, sanitize

ARMENIAN = "ԱԲԳԴԵԶԷԸԹԺԻԼԽԾԿՀՁՂՃՄՅՆՇՈՉՊՋՌՍՎՏՐՑՒՓՔՕՖաբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆև"
AZERBAIJANI = "abcçdeəfgğhxıijkqlmnoöprsştuüvyzABCÇDEƏFGĞHXIİJKQLMNOÖPRSŞTUÜVYZ"
RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
EMOJI = [
    "👨\u200d👩\u200d👧\u200d👦",
    "🏳\ufe0f\u200d🌈",
    "🇦🇲",
    "🇦🇿",
    "🇷🇺",
    "👍🏽",
    "🧑🏿\u200d🚀",
    "1\ufe0f\u20e3",
    "#\ufe0f\u20e3",
    "❤\ufe0f",
    "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
    "😀",
]
TRICKY = list(
    "<>&;#@![]()*_~`/\\:=\"'\n\t\r -\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d"
    "\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad\u034f\u2060\x00\x07\x1b\x7f\u0300\u0301"
    "\u0302\u0308\u0327\u0306\u20e3\ufe0f\U0001f3fb\U000e0061\U000e007f\u2028\u00a0"
    "\ud800\U0001f1e6\U0001f1f2\u3164\u2800\uff1c\uff20"
)
FRAGMENTS = [
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "<a href='https://example.org/x'>",
    '<a href="javascript:alert(1)">',
    "</a>",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<blockquote>",
    "</blockquote>",
    "<code>",
    "</code>",
    "<q>",
    "</q>",
    "<img src=x onerror=alert(1)>",
    "<p>",
    "<!--",
    "-->",
    "&lt;",
    "&gt;",
    "&amp;",
    "&amp;lt;",
    "&#x202E;",
    "&#8203;",
    "&copy",
    "&nbsp;",
    "<3",
    " a < b ",
    "@everyone",
    "@here",
    "<@123456789012345678>",
    "<@!1234567890>",
    "<@&98765432101>",
    "<#1234567890123>",
    "[click](https://evil.example)",
    "[x](<https://e.example>)",
    "<t:1700000000:R>",
    "<:smile:123456789012345678>",
    "<https://example.org>",
    "</ban:1234567890>",
    "# ",
    "-# ",
    "> ",
    "\n",
    "**",
    "`",
]

pieces = st.one_of(
    st.text(alphabet=st.sampled_from(TRICKY), max_size=6),
    st.sampled_from(FRAGMENTS),
    st.sampled_from(EMOJI),
    st.text(alphabet=st.sampled_from(ARMENIAN + AZERBAIJANI + RUSSIAN), max_size=8),
    st.text(max_size=6),
)
messy = st.lists(pieces, max_size=24).map("".join)


def budget(n: int) -> settings:
    return settings(
        max_examples=n,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


MENTION = regex.compile(r"@everyone|@here|<@[!&]?\d+>|<#\d+>")
MASKED = regex.compile(r"\[[^\[\]\n]*\]\(\s*<?[^\s()<>]*>?\s*\)")
HEADING = regex.compile(r"^[ \t]*(?:>>> |> )?[ \t]*(?:#{1,3} |-# )", flags=regex.M)
TAG_OPEN = regex.compile(
    r"<(?:a?:\w{1,32}:\d{5,21}|t:-?\d{1,13}(?::[tTdDfFRs])?|https?://[^\s<>]+)>"
    r"|(<[A-Za-z/!?])"
)
ZALGO = regex.compile(r"\p{M}{" + str(MAX_MARKS_PER_BASE + 1) + ",}")


def _bad_invisibles(text: str) -> list[str]:
    kept = regex.sub(
        r"\p{Extended_Pictographic}[\p{Emoji_Modifier}\ufe0f\u20e3]*"
        r"(?:\u200d\p{Extended_Pictographic}[\p{Emoji_Modifier}\ufe0f\u20e3]*)+"
        r"|\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f",
        "",
        text,
    )
    return [
        c
        for c in kept
        if (unicodedata.category(c) in ("Cc", "Cf", "Cs") and c != "\n")
        or c in "\u034f\u3164\u2800"
    ]


@budget(3000)
@given(messy)
def test_never_raises_and_is_idempotent(text: str) -> None:
    once = sanitize(text)
    assert sanitize(once) == once
    assert once == once.strip()
    assert "\n\n\n" not in once


@budget(1500)
@given(messy, st.integers(min_value=0, max_value=80))
def test_limit_is_respected_and_idempotent(text: str, limit: int) -> None:
    once = sanitize(text, limit=limit)
    assert len(once) <= limit
    assert sanitize(once, limit=limit) == once
    assert sanitize(once) == once


@budget(1500)
@given(messy)
def test_no_invisible_bidi_control_or_zalgo_and_nfc(text: str) -> None:
    once = sanitize(text)
    assert _bad_invisibles(once) == []
    assert ZALGO.search(once) is None
    assert unicodedata.is_normalized("NFC", once)


@budget(1500)
@given(messy)
def test_no_mentions_masked_links_headings_or_tags(text: str) -> None:
    once = sanitize(text)
    assert MENTION.search(once) is None
    assert MASKED.search(once) is None
    assert HEADING.search(once) is None
    assert not any(m.group(1) for m in TAG_OPEN.finditer(once))


@budget(1000)
@given(
    st.text(alphabet=st.sampled_from("abc >\n&;"), max_size=20),
    st.sampled_from(["script", "style"]),
)
def test_script_and_style_content_is_dropped(text: str, tag: str) -> None:
    once = sanitize(f"{text}<{tag}>SECRETPAYLOAD</{tag}>{text}")
    assert "SECRETPAYLOAD" not in once


words = st.text(alphabet=st.sampled_from(ARMENIAN + AZERBAIJANI + RUSSIAN), min_size=1, max_size=12)
emoji_or_word = st.one_of(words, st.sampled_from(EMOJI))


@budget(1500)
@given(st.lists(emoji_or_word, min_size=1, max_size=20))
def test_letters_and_emoji_sequences_survive_intact(parts: list[str]) -> None:
    text = unicodedata.normalize("NFC", " ".join(parts))
    assert sanitize(text) == text


@budget(500)
@given(st.lists(st.sampled_from(EMOJI), min_size=1, max_size=15), st.integers(1, 60))
def test_cut_never_splits_an_emoji_sequence(parts: list[str], limit: int) -> None:
    once = sanitize(" ".join(parts), limit=limit)
    assert len(once) <= limit
    for piece in once.split(" ") if once else []:
        assert piece in EMOJI


@budget(500)
@given(messy)
def test_letters_with_marks_are_kept_by_grapheme_cut(text: str) -> None:
    full = sanitize(text)
    cut = sanitize(text, limit=max(0, len(full) // 2))
    clusters = regex.findall(r"\X", cut)
    assert "".join(clusters) == cut
