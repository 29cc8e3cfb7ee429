"""Lexicon terms and their compiled form: dict lookups per token, not a regex per message.

The seed list is ``bot/data/lexicon.json`` (documented in ``bot/data/LEXICON.md``); each
guild adds its own terms and allow-list on top. :func:`compile_lexicon` turns the terms into

* ``single``: skeleton key -> entries, for one-word terms;
* ``single_squeezed``: squeezed key -> entries, reached only by stretched tokens;
* ``phrases``: first word's key -> phrases (tuples of word keys), checked token by token.

Compiling 2,000 terms takes a few milliseconds; a check costs a handful of dict lookups per
token.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from bot.civility.model import Category
from bot.civility.normalize import (
    EDGE_SYMBOLS,
    HAS_SEPARATOR,
    TOKEN_RE,
    Token,
    Tokens,
    keys_for,
    skeleton,
    squeeze,
    tokenize,
)


@dataclass(frozen=True, slots=True)
class Term:
    term: str
    category: Category
    language: str = ""  # en, ru, hy, hy-Latn, az, ... ("" for guild terms)
    source: str = "default"  # "default" (seed list) or "guild"


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    term: Term


@dataclass(frozen=True, slots=True)
class _Phrase:
    words: tuple[str, ...]
    squeezed: tuple[str, ...]
    term: Term


def term_words(term: str) -> tuple[str, ...]:
    """The skeleton keys of a term's words, read with the same tokenizer as messages."""
    return tuple(t.keys.primary for t in tokenize(term).sequence)


@dataclass(slots=True)
class CompiledLexicon:
    single: dict[str, list[Term]] = field(default_factory=dict)
    single_squeezed: dict[str, list[Term]] = field(default_factory=dict)
    phrases: dict[str, list[_Phrase]] = field(default_factory=dict)
    allowed: frozenset[str] = frozenset()
    size: int = 0

    _memo: dict[str, tuple[tuple[Term, ...], tuple[_Phrase, ...]]] = field(default_factory=dict)

    _clean: set[str] = field(default_factory=set)

    def scan(self, text: str) -> list[Match]:
        """Matches in ``text``. Most replies are made only of words known to match nothing,
        or words that start a phrase the next words do not continue; those are settled with
        one C-level ``findall`` and set lookups, without building tokens and spans."""
        clean = self._clean
        singles = 0
        raws = TOKEN_RE.findall(text)
        for index, found in enumerate(raws):
            raw = found
            if raw in clean:
                continue
            if raw[0] in EDGE_SYMBOLS or raw[-1] in EDGE_SYMBOLS:  # "word!" as tokenize sees it
                raw = raw.strip(EDGE_SYMBOLS)
                if not raw or raw in clean:
                    continue
            terms, phrases = self._hits(raw)
            if len(raw) == 1:
                singles += 1
                if singles >= 3 or terms:
                    return self.find(tokenize(text))
            elif terms or HAS_SEPARATOR.search(raw):
                return self.find(tokenize(text))
            if phrases:
                if any(_may_continue(raws, index, phrase) for phrase in phrases):
                    return self.find(tokenize(text))
                continue
            if len(raw) > 1:
                if len(clean) >= _MEMO_LIMIT:
                    clean.clear()
                clean.add(raw)
        return []

    def find(self, tokens: Tokens) -> list[Match]:
        found: list[Match] = []
        seen: set[tuple[int, int, str]] = set()

        def add(start: int, end: int, term: Term) -> None:
            key = (start, end, term.term)
            if key not in seen:
                seen.add(key)
                found.append(Match(start, end, term))

        sequence = tokens.sequence
        for index, token in enumerate(sequence):
            singles, phrases = self._hits(token.raw)
            for term in singles:
                add(token.start, token.end, term)
            for phrase in phrases:
                end = index + len(phrase.words)
                if end <= len(sequence) and all(
                    _word_matches(sequence[index + i], word, phrase.squeezed[i])
                    for i, word in enumerate(phrase.words)
                ):
                    add(token.start, sequence[end - 1].end, phrase.term)
        for token in tokens.joined:
            for term in self._hits(token.raw)[0]:
                add(token.start, token.end, term)
        found.sort(key=lambda m: (m.start, m.end))
        return found

    def _hits(self, raw: str) -> tuple[tuple[Term, ...], tuple[_Phrase, ...]]:
        """Terms and phrases a raw token can be or start; memoized per compiled lexicon."""
        hit = self._memo.get(raw)
        if hit is not None:
            return hit
        keys = keys_for(raw)
        if keys.primary in self.allowed:
            hit = _NO_HITS
        else:
            singles: list[Term] = []
            phrases: list[_Phrase] = []
            for key in keys.exact:
                singles.extend(t for t in self.single.get(key, ()) if t not in singles)
                phrases.extend(p for p in self.phrases.get(key, ()) if p not in phrases)
            for key in keys.squeezed:
                singles.extend(t for t in self.single_squeezed.get(key, ()) if t not in singles)
                phrases.extend(p for p in self.phrases.get(key, ()) if p not in phrases)
            hit = (tuple(singles), tuple(phrases)) if singles or phrases else _NO_HITS
        if len(self._memo) >= _MEMO_LIMIT:
            self._memo.clear()
        self._memo[raw] = hit
        return hit


_NO_HITS: tuple[tuple[Term, ...], tuple[_Phrase, ...]] = ((), ())
# Large enough for a busy server's vocabulary; with the collector frozen after startup the
# caches add little to collection pauses (bench_civility: the longest stays under 1 ms).
_MEMO_LIMIT = 100_000


def _may_continue(raws: list[str], index: int, phrase: _Phrase) -> bool:
    """Could ``phrase`` match from ``raws[index]`` on? Conservative (True) wherever the token
    stream would differ from ``raws``: separators or symbol-only words."""
    if index + len(phrase.words) > len(raws):
        return False
    for offset in range(1, len(phrase.words)):
        raw = raws[index + offset].strip(EDGE_SYMBOLS)
        if not raw or HAS_SEPARATOR.search(raw):
            return True
        keys = keys_for(raw)
        if phrase.words[offset] not in keys.exact and phrase.squeezed[offset] not in keys.squeezed:
            return False
    return True


def _word_matches(token: Token, word: str, squeezed_word: str) -> bool:
    return word in token.keys.exact or squeezed_word in token.keys.squeezed


def compile_lexicon(terms: Iterable[Term], allowed: Iterable[str] = ()) -> CompiledLexicon:
    """Index terms; an allow-listed term is dropped, and allow-listed tokens never match."""
    allowed_keys = frozenset(skeleton(a) for a in allowed if skeleton(a))
    allowed_terms = frozenset(term_words(a) for a in allowed)
    compiled = CompiledLexicon(allowed=allowed_keys)
    for term in terms:
        words = term_words(term.term)
        if not words or words in allowed_terms:
            continue
        compiled.size += 1
        if len(words) == 1:
            compiled.single.setdefault(words[0], []).append(term)
            compiled.single_squeezed.setdefault(squeeze(words[0]), []).append(term)
        else:
            phrase = _Phrase(words, tuple(squeeze(w) for w in words), term)
            compiled.phrases.setdefault(words[0], []).append(phrase)
            if squeeze(words[0]) != words[0]:
                compiled.phrases.setdefault(squeeze(words[0]), []).append(phrase)
    return compiled


@cache
def default_terms() -> tuple[Term, ...]:
    """The seed list shipped in ``bot/data/lexicon.json``."""
    raw = json.loads(resources.files("bot").joinpath("data/lexicon.json").read_text("utf-8"))
    return tuple(
        Term(entry["term"], Category(entry["category"]), entry["language"], "default")
        for entry in raw["terms"]
    )
