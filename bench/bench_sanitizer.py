"""The sanitizer over 1,000,000 generated inputs (issue 16, items 7-10): every output is a
fixed point (``sanitize(sanitize(x)) == sanitize(x)``), carries no masked link of any shape, no
mass mention in any case, no tag of the form and no invisible character; plain text with ``<``
and ``&`` that are not markup comes through unchanged. Throughput is printed beside
``nh3.clean`` over the same inputs, measured in the same run.

``SANITIZER_INPUTS=20000 python -m bench sanitizer`` runs a shorter pass.
"""

from __future__ import annotations

import os
import random
import time
import unicodedata

import nh3
import regex

from bench import report
from bot.sanitizer import sanitize

INPUTS = int(os.environ.get("SANITIZER_INPUTS", "1000000"))

FRAGMENTS = [
    *"<>&;#@![]()*_~`/\\:=\"' \n\t",
    "<b>",
    "</b>",
    "<i>",
    "<a href='https://example.org/x'>",
    "<a href=x title=t>",
    "</a>",
    "<script>",
    "</script>",
    "<br>",
    "<p>",
    "<y>",
    "<b and c>",
    "<!--",
    "-->",
    "<3",
    "a<b",
    "&lt;",
    "&lt",
    "&gt;",
    "&amp;",
    "&amp;lt;",
    "&#60;",
    "&#x3c;",
    "&not",
    "&copy",
    "&copy;",
    "&foo;",
    "&nbsp;",
    "AT&T",
    "@everyone",
    "@HERE",
    "@Everyone",
    "@here",
    "<@123456>",
    "<#98765>",
    "</ban:12345>",
    "<id:home>",
    "<t:1700000000:R>",
    "<:wave:123456789012>",
    "<https://example.org>",
    "http://s",
    "https://e.example/a",
    "[x](",
    "](",
    "](t:",
    '](http://e "t")',
    "[[",
    "]]",
    "[",
    "](<http://e>)",
    "[label](https://evil.example)",
    "array[i](x)",
    "# ",
    "-# ",
    "> ",
    "**",
    "\u200b",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\u00ad",
    "\u034f",
    "\u17b4",
    "\u17b5",
    "\u3164",
    "\u115f",
    "\u2800",
    "\U000e0041",
    "\U000e007f",
    "\ufe0f",
    "\ufe00",
    "\U000e0100",
    "\u0301",
    "\u0300\u0301\u0302\u0303",
    "\u00a0",
    "👨\u200d👩\u200d👧",
    "🇦🇲",
    "🇦🇿",
    "👍🏽",
    "1\ufe0f\u20e3",
    "Բարեւ",
    "Привет",
    "Salam",
    "ərəb",
    "word",
    "the",
    " ",
]
FORM_TAG = regex.compile(
    r"</?(?:a|abbr|acronym|b|blockquote|cite|code|del|em|i|q|s|strike|strong)\s*/?>",
    flags=regex.I,
)
MASKED = regex.compile(r"\]\(\s*<?\s*(?:[A-Za-z][A-Za-z0-9+.\-]*:|//|www\.)")
MASS_MENTION = regex.compile(r"@(?:everyone|here)", flags=regex.I)
INVISIBLE = regex.compile(
    r"[\p{Cc}\p{Cf}\u034F\u115F\u1160\u3164\uFFA0\u2800\u17B4\u17B5\uFE00-\uFE0D"
    r"\U000E0100-\U000E01EF]"
)
_KEEP = regex.compile(
    r"\p{Extended_Pictographic}[\p{Emoji_Modifier}\ufe0f\u20e3]*"
    r"(?:\u200d\p{Extended_Pictographic}[\p{Emoji_Modifier}\ufe0f\u20e3]*)+"
    r"|\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
)


def generate(rng: random.Random, count: int) -> list[str]:
    choice, randint = rng.choice, rng.randint
    return ["".join(choice(FRAGMENTS) for _ in range(randint(0, 24))) for _ in range(count)]


def problems(raw: str, once: str) -> list[str]:
    found = []
    if sanitize(once) != once:
        found.append("not idempotent")
    if MASKED.search(once):
        found.append("masked link")
    if MASS_MENTION.search(once):
        found.append("mass mention")
    if FORM_TAG.search(once):
        found.append("tag of the form")
    if INVISIBLE.search(_KEEP.sub("", once).replace("\n", "")):
        found.append("invisible character")
    if not unicodedata.is_normalized("NFC", once):
        found.append("not NFC")
    return found


def main() -> None:
    rng = random.Random(16)
    failures: dict[str, list[str]] = {}
    checked = 0
    spent = 0.0
    baseline_spent = 0.0
    batch = 50_000
    while checked < INPUTS:
        inputs = generate(rng, min(batch, INPUTS - checked))
        started = time.perf_counter()
        outputs = [sanitize(text) for text in inputs]
        spent += time.perf_counter() - started
        started = time.perf_counter()
        for text in inputs:
            nh3.clean(text)
        baseline_spent += time.perf_counter() - started
        for raw, once in zip(inputs, outputs, strict=True):
            for problem in problems(raw, once):
                failures.setdefault(problem, []).append(raw)
        checked += len(inputs)
    report("sanitize", checked / spent, "inputs/s", checked / baseline_spent, "nh3.clean alone")
    print(f"  generated inputs checked: {checked:,}")
    if not failures:
        print("  properties held for every input: idempotent, no masked link, no mass mention,")
        print("  no tag of the form, no invisible character, NFC")
    for problem, examples in sorted(failures.items()):
        print(f"  FAILED {problem}: {len(examples)} inputs, e.g. {examples[:3]!r}")


if __name__ == "__main__":
    main()
