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
from bot.civility.normalize import Token, Tokens, skeleton, squeeze, tokenize


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

    def find(self, tokens: Tokens) -> list[Match]:
        found: list[Match] = []
        seen: set[tuple[int, int, str]] = set()

        def add(start: int, end: int, term: Term) -> None:
            key = (start, end, term.term)
            if key not in seen:
                seen.add(key)
                found.append(Match(start, end, term))

        for token in (*tokens.sequence, *tokens.joined):
            if token.keys.primary in self.allowed:
                continue
            for term in self._singles(token):
                add(token.start, token.end, term)
        if self.phrases:
            sequence = tokens.sequence
            for index, token in enumerate(sequence):
                if token.keys.primary in self.allowed:
                    continue
                for phrase in self._phrases_starting(token):
                    end = index + len(phrase.words)
                    if end <= len(sequence) and all(
                        _word_matches(sequence[index + i], word, phrase.squeezed[i])
                        for i, word in enumerate(phrase.words)
                    ):
                        add(token.start, sequence[end - 1].end, phrase.term)
        found.sort(key=lambda m: (m.start, m.end))
        return found

    def _singles(self, token: Token) -> list[Term]:
        hits: list[Term] = []
        for key in token.keys.exact:
            hits.extend(self.single.get(key, ()))
        for key in token.keys.squeezed:
            hits.extend(self.single_squeezed.get(key, ()))
        return hits

    def _phrases_starting(self, token: Token) -> list[_Phrase]:
        hits: list[_Phrase] = []
        for key in token.keys.exact:
            hits.extend(self.phrases.get(key, ()))
        for key in token.keys.squeezed:
            hits.extend(p for p in self.phrases.get(key, ()) if p not in hits)
        return hits


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
