"""Property tests for bot.sanitizer (bounded for CI: about 16,000 generated examples in all;
``python -m bench sanitizer`` runs the same properties over 1,000,000 generated inputs)."""

from __future__ import annotations

import html.entities
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
    "&lt",
    "<http://s>",
    "&#60;",
    "&not",
    "&notit;",
    "&foo;",
    "[x](",
    "](",
    "](t:",
    '](http://e "t")',
    "[[",
    "]]",
    "<br>",
    "<b and c>",
    "<y>",
    "@HERE",
    "@Everyone",
    "\u17b4",
    "\U000e0041",
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
MENTION_ANY_CASE = regex.compile(r"@(?:everyone|here)", flags=regex.I)
# What Discord would render as a masked link: a closing bracket, then a target with a scheme.
MASKED = regex.compile(r"\]\(\s*<?\s*(?:[A-Za-z][A-Za-z0-9+.\-]*:|//|www\.)")
HEADING = regex.compile(r"^[ \t]*(?:>>> |> )?[ \t]*(?:#{1,3} |-# )", flags=regex.M)
FORM_TAGS = "a|abbr|acronym|b|blockquote|cite|code|del|em|i|q|s|strike|strong"
# A tag of the form, bare: what a second pass would read as markup.
FORM_TAG = regex.compile(r"</?(?:" + FORM_TAGS + r")\s*/?>", flags=regex.I)
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
    assert MENTION_ANY_CASE.search(once) is None
    assert MASKED.search(once) is None
    assert HEADING.search(once) is None
    assert FORM_TAG.search(once) is None


@budget(1000)
@given(
    st.text(alphabet=st.sampled_from("abc >\n&;"), max_size=20),
    st.sampled_from(["script", "style", "img", "p", "br", "div"]),
)
def test_other_tags_are_the_members_text(text: str, tag: str) -> None:
    """Only the essay form's tags are markup; ``<script>`` is text (inert in Discord)."""
    once = sanitize(f"{text}<{tag}>PAYLOAD</{tag}>{text}")
    assert f"<{tag}>PAYLOAD</{tag}>" in once


# Item 7 of issue 16: text with ``<`` and ``&`` that are not markup comes through unchanged.
PLAIN = st.lists(
    st.one_of(
        st.text(alphabet=st.sampled_from("abcxyzабвաբգəğ 0123=/;.,'\""), max_size=6),
        st.sampled_from(
            [
                "<",
                ">",
                "<y>",
                "<br>",
                "<p>",
                "<img src=x>",
                "<b and c>",
                "</div>",
                "<3",
                "a<b",
                "&",
                "&not",
                "&copy",
                "&foo;",
                "&#",
                "&#x",
                "&lt",
                "AT&T",
                "<!--",
                "<script>",
            ]
        ),
    ),
    max_size=20,
).map("".join)
COMPLETE_REF = regex.compile(r"&(?:#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")


def _complete_known_ref(text: str) -> bool:
    for match in COMPLETE_REF.finditer(text):
        ref = match.group(0)
        if ref[1] == "#" or ref[1:] in html.entities.html5:
            return True
    return False


@budget(2000)
@given(PLAIN)
def test_text_that_is_not_markup_is_kept(text: str) -> None:
    if FORM_TAG.search(text) or _complete_known_ref(text):
        return  # a real tag or a complete character reference is markup and is decoded
    assert sanitize(text) == text.strip()


# Item 8: no masked link of any shape survives; the URL stays visible.
LABEL = st.text(alphabet=st.sampled_from("ab []()\n<>*_`\"'"), max_size=10)
TARGET = st.tuples(
    st.sampled_from(
        [
            "http://e",
            "https://e.example/x?y=1",
            "t:",
            "ftp://f",
            "mailto:a@b",
            "HTTP://E",
            "//e.example",
            "www.e.example",
            "javascript:x",
        ]
    ),
    st.sampled_from(["", ' ""', ' "title"', " 'x'", " (t)"]),
    st.sampled_from(["", " ", "\n", "<"]),
)


@budget(2000)
@given(st.lists(st.tuples(LABEL, TARGET, st.text(max_size=4)), min_size=1, max_size=4))
def test_no_masked_link_survives(parts: list[tuple[str, tuple[str, str, str], str]]) -> None:
    pieces = []
    for label, (url, title, space), after in parts:
        close = ">" if space == "<" else ""
        pieces.append(f"[{label}]({space}{url}{close}{title}){after}")
    once = sanitize("".join(pieces))
    assert MASKED.search(once) is None
    for _label, (url, _title, _space), _after in parts:
        if url.startswith(("http", "HTTP")):
            assert url in once


# Item 9: a decoded entity never forms new markup on the next pass.
ENTITY_SOUP = st.lists(
    st.sampled_from(
        [
            "&lt",
            "&lt;",
            "&gt;",
            "&amp;",
            "&amp;lt;",
            "<",
            ">",
            "b",
            "a href=x",
            "http://s",
            "&#60;",
            "&#x3c;",
            "&#62;",
            "[",
            "]",
            "(",
            ")",
            "x",
            " ",
            "&",
            ";",
            "/",
            "@",
            "here",
            "t:",
            "&#64;",
            "everyone",
        ]
    ),
    max_size=30,
).map("".join)


@budget(3000)
@given(ENTITY_SOUP)
def test_idempotent_with_entities_and_brackets(text: str) -> None:
    once = sanitize(text)
    assert sanitize(once) == once
    assert FORM_TAG.search(once) is None
    assert MASKED.search(once) is None
    assert MENTION_ANY_CASE.search(once) is None


# Item 10: mass mentions in any case, and invisible characters from every range we know of.
INVISIBLES = [
    "\u17b4",
    "\u17b5",
    "\u180e",
    "\u115f",
    "\u1160",
    "\u3164",
    "\uffa0",
    "\u2800",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\u2061",
    "\u2062",
    "\u2063",
    "\u2064",
    "\ufeff",
    "\u00ad",
    "\u034f",
    "\u061c",
    "\u202e",
    "\u2066",
    "\ufe00",
    "\ufe0f",
    "\U000e0001",
    "\U000e0020",
    "\U000e0041",
    "\U000e007f",
    "\U000e0100",
    "\U0001d173",
]


@budget(1000)
@given(
    st.sampled_from(["everyone", "here"]).flatmap(
        lambda w: st.tuples(*[st.sampled_from([c.lower(), c.upper()]) for c in w])
    ),
    st.lists(st.sampled_from(INVISIBLES), min_size=0, max_size=3),
)
def test_mass_mentions_in_any_case_are_neutralised(
    letters: tuple[str, ...], junk: list[str]
) -> None:
    word = "".join(letters)
    inner = "".join(junk).join(word)  # invisibles between the letters are dropped first
    once = sanitize(f"hi @{inner} there")
    assert MENTION_ANY_CASE.search(once) is None
    assert "＠" + word in once


@budget(1000)
@given(st.lists(st.tuples(st.sampled_from("abcաբгд"), st.sampled_from(INVISIBLES)), max_size=12))
def test_invisible_characters_between_letters_are_removed(pairs: list[tuple[str, str]]) -> None:
    text = "".join(a + b for a, b in pairs)
    assert sanitize(text) == "".join(a for a, _ in pairs)


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
