"""The rules. Each looks at one message (and, for flooding and repeats, the author's recent
history) and returns findings; the engine turns findings into verdicts under the guild's policy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

import regex

from bot.civility.lexicon import CompiledLexicon
from bot.civility.model import Category
from bot.civility.normalize import Tokens, tokenize


class LinkPolicy(StrEnum):
    ANY = "any"  # every link is fine
    ALLOWLIST = "allowlist"  # only links to the guild's allow-listed domains
    NONE = "none"  # no links at all


@dataclass(frozen=True, slots=True)
class Limits:
    shouting_min_letters: int = 24
    shouting_ratio: float = 0.7
    flood_count: int = 5  # more than this many replies ...
    flood_window: float = 60.0  # ... within this many seconds is flooding
    repeat_window: float = 600.0
    mention_max: int = 4
    emoji_max: int = 12
    emoji_ratio: float = 0.6  # share of graphemes, for messages of 8+ graphemes


@dataclass(frozen=True, slots=True)
class Sent:
    """One earlier reply by the same author in the same guild (kept by the service)."""

    at: float
    fingerprint: str


@dataclass(slots=True)
class Context:
    text: str
    now: float
    history: Sequence[Sent]
    fingerprint: str
    _tokens: Tokens | None = field(default=None)

    @property
    def tokens(self) -> Tokens:
        if self._tokens is None:
            self._tokens = tokenize(self.text)
        return self._tokens


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    category: Category
    start: int
    end: int
    explanation: str
    term: str | None = None
    params: tuple[tuple[str, str], ...] = ()  # for the catalog message of its category


class Rule(Protocol):
    id: str

    def check(self, ctx: Context) -> list[Finding]: ...


_CATEGORY_WORDS = {
    Category.SLUR: "a slur against a people or group",
    Category.DEHUMANIZATION: "language that describes people as less than human",
    Category.THREAT: "a threat or a call to violence",
    Category.PROFANITY: "profanity",
    Category.HARASSMENT: "an insult aimed at a person",
}


@dataclass(slots=True)
class LexiconRule:
    lexicon: CompiledLexicon
    id: str = "lexicon"

    def check(self, ctx: Context) -> list[Finding]:
        findings = []
        for match in self.lexicon.scan(ctx.text):
            term = match.term
            if term.source == "pattern":
                why = f"reads as {_CATEGORY_WORDS[term.category]}: {term.term} (a threat pattern)."
            else:
                listed = {
                    "guild": "this server's list",
                    "pattern-glued": "the threat patterns, written as one word",
                }.get(term.source, "the default list")
                why = f"reads as {_CATEGORY_WORDS[term.category]} (“{term.term}” on {listed})."
            findings.append(
                Finding(
                    f"lexicon.{term.category.value}",
                    term.category,
                    match.start,
                    match.end,
                    why,
                    term.term,
                    (("matched", ctx.text[match.start : match.end]),),
                )
            )
        return findings


_UPPER = regex.compile(r"\p{Lu}")
_UPPER_RUN = regex.compile(r"\p{Lu}{4}")
_LOWER = regex.compile(r"\p{Ll}")


@dataclass(slots=True)
class ShoutingRule:
    limits: Limits
    id: str = "shouting"

    def check(self, ctx: Context) -> list[Finding]:
        text = ctx.text
        if len(text) < self.limits.shouting_min_letters:
            return []
        if _UPPER_RUN.search(text) is None:  # shouting always has a run of capitals
            return []
        upper = len(_UPPER.findall(text))
        if upper < self.limits.shouting_ratio * self.limits.shouting_min_letters:
            return []
        lower = len(_LOWER.findall(text))
        cased = upper + lower
        if cased < self.limits.shouting_min_letters or upper < self.limits.shouting_ratio * cased:
            return []
        return [
            Finding(
                self.id,
                Category.SHOUTING,
                0,
                len(text),
                f"{upper * 100 // cased}% of the letters are capitals; it reads as shouting.",
                params=(("percent", str(upper * 100 // cased)),),
            )
        ]


@dataclass(slots=True)
class FloodingRule:
    limits: Limits
    id: str = "flooding"

    def check(self, ctx: Context) -> list[Finding]:
        since = ctx.now - self.limits.flood_window
        recent = sum(1 for sent in ctx.history if sent.at >= since)
        if recent < self.limits.flood_count:
            return []
        return [
            Finding(
                self.id,
                Category.FLOODING,
                0,
                len(ctx.text),
                f"this would be reply {recent + 1} in {self.limits.flood_window:.0f} seconds; "
                "slow down so others can answer.",
                params=(
                    ("count", str(recent + 1)),
                    ("seconds", f"{self.limits.flood_window:.0f}"),
                ),
            )
        ]


@dataclass(slots=True)
class RepeatRule:
    limits: Limits
    id: str = "repeat"

    def check(self, ctx: Context) -> list[Finding]:
        if not ctx.fingerprint:
            return []
        since = ctx.now - self.limits.repeat_window
        if not any(s.at >= since and s.fingerprint == ctx.fingerprint for s in ctx.history):
            return []
        return [
            Finding(
                self.id,
                Category.REPEAT,
                0,
                len(ctx.text),
                f"you sent the same text in the last {self.limits.repeat_window / 60:.0f} minutes.",
                params=(("minutes", f"{self.limits.repeat_window / 60:.0f}"),),
            )
        ]


_URL = regex.compile(r"https?://([^\s/?#<>()\[\]]+)[^\s<>()]*", flags=regex.I)


@dataclass(slots=True)
class LinkRule:
    policy: LinkPolicy
    domains: frozenset[str]
    id: str = "link"

    def check(self, ctx: Context) -> list[Finding]:
        if self.policy is LinkPolicy.ANY or "://" not in ctx.text:
            return []
        findings = []
        for match in _URL.finditer(ctx.text):
            host = match.group(1).rsplit("@", 1)[-1].split(":", 1)[0].lower().rstrip(".")
            if self.policy is LinkPolicy.ALLOWLIST and _domain_allowed(host, self.domains):
                continue
            why = (
                "links are not posted on this server"
                if self.policy is LinkPolicy.NONE or not self.domains
                else f"{host} is not on this server's list of allowed sites"
            )
            findings.append(
                Finding(
                    self.id,
                    Category.LINK,
                    match.start(),
                    match.end(),
                    why + ".",
                    params=(("host", host),),
                )
            )
        return findings


def _domain_allowed(host: str, domains: frozenset[str]) -> bool:
    parts = host.split(".")
    return any(".".join(parts[i:]) in domains for i in range(len(parts)))


_MENTION = regex.compile(r"[@＠](?:everyone|here)|<[@＠][!&]?\d+>|<[#＃]\d+>|[@＠]\w{2,32}")


@dataclass(slots=True)
class MentionRule:
    limits: Limits
    id: str = "mention_spam"

    def check(self, ctx: Context) -> list[Finding]:
        text = ctx.text
        if "@" not in text and "＠" not in text and "＃" not in text and "#" not in text:
            return []
        mentions = list(_MENTION.finditer(text))
        if len(mentions) <= self.limits.mention_max:
            return []
        return [
            Finding(
                self.id,
                Category.MENTION_SPAM,
                mentions[0].start(),
                mentions[-1].end(),
                f"{len(mentions)} mentions in one reply; address people by name instead.",
                params=(("count", str(len(mentions))),),
            )
        ]


_EMOJI = regex.compile(
    r"\p{Extended_Pictographic}[\p{Emoji_Modifier}\uFE0F\u20E3]*"
    r"(?:\u200D\p{Extended_Pictographic}[\p{Emoji_Modifier}\uFE0F]*)*"
    r"|[\U0001F1E6-\U0001F1FF]{2}|<a?:\w+:\d+>"
)
_GRAPHEME = regex.compile(r"\X")
_EMOJI_HINT = re.compile("[<\u203c-\U0010ffff]")


@dataclass(slots=True)
class EmojiRule:
    limits: Limits
    id: str = "emoji_spam"

    def check(self, ctx: Context) -> list[Finding]:
        text = ctx.text
        # Every emoji lies above U+203C (© and ® aside); Armenian, Cyrillic and Azerbaijani
        # letters lie below, so most replies are settled by one C-level scan.
        if _EMOJI_HINT.search(text) is None:
            return []
        emoji = list(_EMOJI.finditer(text))
        if len(emoji) < 4:
            return []
        too_many = len(emoji) > self.limits.emoji_max
        if not too_many:
            graphemes = len(_GRAPHEME.findall(text.replace(" ", "")))
            too_many = graphemes >= 8 and len(emoji) >= self.limits.emoji_ratio * graphemes
        if not too_many:
            return []
        return [
            Finding(
                self.id,
                Category.EMOJI_SPAM,
                emoji[0].start(),
                emoji[-1].end(),
                f"{len(emoji)} emoji in one reply; words carry the dialogue better.",
                params=(("count", str(len(emoji))),),
            )
        ]
