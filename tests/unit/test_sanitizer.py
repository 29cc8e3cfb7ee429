"""Worked examples for bot.sanitizer; the properties are in test_sanitizer_properties.py."""

from __future__ import annotations

import pytest

from bot.sanitizer import sanitize

FAMILY = "👨\u200d👩\u200d👧\u200d👦"
ENGLAND = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a < b <3", "a < b <3"),
        ("&lt;b&gt;hi&lt;/b&gt;", "＜b>hi＜/b>"),
        ("<b>bold</b> <strong>s</strong> <i>it</i> <em>e</em>", "**bold** **s** *it* *e*"),
        ("<s>a</s> <strike>b</strike> <del datetime='x'>c</del>", "~~a~~ ~~b~~ ~~c~~"),
        ("<code>x = 1</code>", "`x = 1`"),
        ("<q cite='https://x.org'>hi</q>", "“hi”"),
        ("<blockquote>one\ntwo</blockquote>after", "> one\n> two\nafter"),
        ("<a href='https://x.org' title='t'>site</a>", "site (https://x.org)"),
        ("<a href='javascript:alert(1)'>bad</a>", "bad"),
        ("<abbr title='x'>NK</abbr> <acronym>OK</acronym> <cite>Book</cite>", "NK OK Book"),
        # only the essay form's own tags are markup; any other tag is the member's text
        ("x<script>alert(1)</script><style>p{}</style>y", None),
        ("<img src=x onerror=alert(1)><p onclick=x>para</p>", None),
        ("if a<b and c>d then", None),
        ("x<y", None),
        ("x <y> z", None),
        ("use <br> for breaks", None),
        ("<b and c>", None),
        ("I &not agree, &copy 2024, &foo; AT&T", None),
        ("array[i](x) and f[0](y)", None),
        ("&lt<http://s>x", None),
        ("&#60;b&#62;x&#60;/b&#62;", "＜b>x＜/b>"),
        ("</ban:1234567890> <id:customize>", "＜/ban:1234567890> ＜id:customize>"),
        ("@everyone and @here", "＠everyone and ＠here"),
        ("@HERE @Everyone @eVeRyOnE", "＠HERE ＠Everyone ＠eVeRyOnE"),
        ("<@123> <@!45> <@&67> <#89>", "<＠123> <＠!45> <＠&67> <＃89>"),
        ("[click here](https://evil.example)", "click here (https://evil.example)"),
        ("[[]](http://e)", "[] (http://e)"),
        ('[x](http://e "")', 'x (http://e "")'),
        ("[x](t:)", "x (t:)"),
        ("[a [b] c](https://e)", "a [b] c (https://e)"),
        ("[two\nlines](https://e)", "two\nlines (https://e)"),
        ("[x]( <https://e> 'title')", "x ( <https://e> 'title')"),
        ("see https://example.org/a", None),
        (
            "# Official\n-# small print\n> ## quoted",
            "\\# Official\n\\-# small print\n> \\## quoted",
        ),
        ("<t:1700000000:R> <:wave:123456789012> <https://x.org>", None),
        ("a\u200bb\u202ec\u2066d\u00ade\ufefff", "abcdef"),
        # blanks outside the usual ranges: Khmer inherent vowels, tag characters, Hangul
        # fillers, Mongolian vowel separator, stray variation selectors
        ("a\u17b4b\u17b5c\U000e0041d\U000e007fe", "abcde"),
        ("a\u115fb\u1160c\u3164d\uffa0e\u180ef", "abcdef"),
        ("s\ufe0fh\ufe00i\U000e0100t", "shit"),
        ("no\u00a0break\u2003em\u3000wide", "no break em wide"),
        ("z\u0301\u0302\u0303\u0304\u0305", "ź\u0302\u0303"),
        ("Ərəbistan ğ ı İ ö ü ç ş", None),
        ("Բարեւ, ինչպե՞ս ես։ Привет, как дела? йё", None),
        (f"{FAMILY} 🇦🇲 🇦🇿 1\ufe0f\u20e3 👍🏽 {ENGLAND}", None),
        ("a\n\n\n\n\nb", "a\n\nb"),
        ("  \n spaced \n\n ", "spaced"),
        ("AT&T &copy; &amp;lt;", "AT&T © ＆lt;"),
        ("tab\there\r\nnew", "tab here\nnew"),
    ],
)
def test_examples(raw: str, clean: str | None) -> None:
    assert sanitize(raw) == (raw if clean is None else clean)


def test_limit_cuts_on_grapheme_boundary() -> None:
    assert sanitize(f"ab{FAMILY}", limit=5) == "ab"
    assert sanitize("abc 🇦🇲🇦🇿", limit=6) == "abc 🇦🇲"
    assert sanitize("word   next", limit=6) == "word"
    assert sanitize("e\u0301\u0301\u0301x", limit=2) == ""
    assert sanitize("e\u0301\u0301\u0301x", limit=3) == "é\u0301\u0301"
