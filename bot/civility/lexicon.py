"""Lexicon terms and their compiled form: dict lookups per token, not a regex per message.

The seed list is ``bot/data/lexicon.json`` (documented in ``bot/data/LEXICON.md``), with the
threat patterns' vocabulary in ``lexicon_patterns.json`` and the region's place names and
surnames in ``lexicon_allow.json``; each guild adds its own terms and allow-list on top.
:func:`compile_lexicon` turns the terms into

* ``single``: key -> entries, for one-word terms. A term's keys are its skeleton, and for terms
  of four letters or more its folded key in its language ("ru:", "hy:", "az:", so one entry
  covers every script the language is typed in) and, for terms marked ``stem``, its stem
  ("ru~", "hy~", "az~", "en~"). Short terms match as whole words only. A phrase is also
  indexed glued ("killthemall");
* ``single_squeezed``: squeezed key -> entries, reached only by stretched tokens;
* ``phrases``: first word's keys -> phrases (tuples of each word's keys), checked word by word;
* ``shapes``: (length, first letter) -> one-word terms, for masked words ("f*ck");
* ``classes``: key -> the pattern classes a word belongs to (bot/civility/patterns.py).

Compiling 2,000 terms takes a few milliseconds; a check costs a handful of dict lookups per
token.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from bot.civility.model import Category
from bot.civility.morphology import register, term_stem
from bot.civility.normalize import (
    EDGE_SYMBOLS,
    HAS_SEPARATOR,
    TOKEN_RE,
    Token,
    Tokens,
    keys_for,
    skeleton,
    squeeze,
    token_re,
    tokenize,
)
from bot.civility.patterns import TRIGGERS, class_words, glued_calls
from bot.civility.patterns import find as find_patterns
from bot.civility.script import FOLDERS, MIN_FOLDED, MIN_FOLDED_WORD, family

SHORT = 3  # terms of this many letters or fewer match as whole words only


@dataclass(frozen=True, slots=True)
class Term:
    term: str
    category: Category
    language: str = ""  # en, ru, hy, hy-Latn, az, ... ("" for guild terms)
    source: str = "default"  # "default" (seed list), "guild", or "pattern" (a threat pattern)
    stem: bool = False  # inflections match through the language's stemmer
    fold: bool = True  # spellings of the language in other scripts match
    excepted: tuple[str, ...] = ()  # innocent words that share the stem


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    term: Term


@dataclass(frozen=True, slots=True)
class _Phrase:
    words: tuple[frozenset[str], ...]  # each word's keys: skeleton, folded, stem
    squeezed: tuple[str, ...]
    term: Term
    # The phrase is indexed under its longest word, not its first: "they are not human" is
    # looked for only where "human" is, not at every "they".
    anchor: int = 0


def term_words(term: str) -> tuple[str, ...]:
    """The skeleton keys of a term's words, read with the same tokenizer as messages."""
    return tuple(t.keys.primary for t in tokenize(term).sequence)


@lru_cache(maxsize=16_384)
def word_keys(
    raw: str, language: str, *, stem: bool, fold: bool = True, min_fold: int = MIN_FOLDED
) -> frozenset[str]:
    """The keys one word of a term is indexed under (see the module docstring)."""
    key = skeleton(raw)
    keys = {key}
    if (len(key) > SHORT or min_fold < MIN_FOLDED) and key.isalpha():
        name = family(language)
        if fold and name:
            folded = FOLDERS[name](key)
            if len(folded) >= min_fold:
                keys.add(f"{name}:{folded}")
        if stem:
            stemmed = term_stem(unicodedata.normalize("NFKC", raw).casefold(), language)
            if stemmed:
                keys.add(stemmed)
                register(stemmed)
    return frozenset(keys)


_Hit = tuple[tuple[Term, ...], tuple[_Phrase, ...], frozenset[str]]


@dataclass(slots=True)
class CompiledLexicon:
    single: dict[str, list[Term]] = field(default_factory=dict)
    single_squeezed: dict[str, list[Term]] = field(default_factory=dict)
    phrases: dict[str, list[_Phrase]] = field(default_factory=dict)
    shapes: dict[tuple[int, str], list[tuple[str, Term]]] = field(default_factory=dict)
    classes: dict[str, frozenset[str]] = field(default_factory=dict)
    # squeezed key -> pattern classes, reached only by stretched tokens ("kiiiill", "убииить")
    squeezed_classes: dict[str, frozenset[str]] = field(default_factory=dict)
    allowed: frozenset[str] = frozenset()
    allowed_phrases: tuple[tuple[str, ...], ...] = ()
    stem_except: frozenset[str] = frozenset()
    size: int = 0

    _memo: dict[str, _Hit] = field(default_factory=dict)

    _clean: set[str] = field(default_factory=set)
    _clean_singles: set[str] = field(default_factory=set)
    # Whitespace-separated chunks ("Word.", "(river)") all of whose tokens are in ``_clean``.
    # No token spans whitespace, so a text made only of such chunks is made only of clean
    # tokens: ``str.split`` and one set lookup settle it before the tokenizer's findall.
    _clean_chunks: set[str] = field(default_factory=set)

    def scan(self, text: str) -> list[Match]:
        """Matches in ``text``. Most replies are made only of words known to match nothing,
        or words that start a phrase the next words do not continue; those are settled with
        one C-level ``findall`` and set lookups, without building tokens and spans."""
        clean = self._clean
        plain = token_re(text) is TOKEN_RE
        if plain:
            chunks = text.split()
            if self._clean_chunks.issuperset(chunks):
                return []
        raws = token_re(text).findall(text)
        if clean.issuperset(raws):  # every word known to match nothing: one C-level check
            if plain:
                self._remember_chunks(chunks)
            return []
        missing = set(raws).difference(clean)
        if self._clean_singles.issuperset(missing) and sum(map(raws.count, missing)) < 3:
            return []  # one-letter words ("в", "и", "a") that are no term, fewer than three
        singles = 0
        for index, found in enumerate(raws):
            raw = found
            if raw in clean:
                continue
            if raw[0] in EDGE_SYMBOLS or raw[-1] in EDGE_SYMBOLS:  # "word!" as tokenize sees it
                raw = raw.strip(EDGE_SYMBOLS)
                if not raw or raw in clean:
                    continue
            terms, phrases, classes = self._hits(raw)
            if len(raw) == 1:
                singles += 1
                if singles >= 3 or terms:
                    return self.find(tokenize(text), text)
                if not phrases and not classes and raw == found:
                    self._clean_singles.add(raw)
            elif terms or HAS_SEPARATOR.search(raw):
                return self.find(tokenize(text), text)
            if classes and not classes.isdisjoint(TRIGGERS):
                return self.find(tokenize(text), text)
            if phrases:
                if any(_may_continue(raws, index, phrase) for phrase in phrases):
                    return self.find(tokenize(text), text)
                continue
            if len(raw) > 1:  # a pattern word without its trigger needs nothing here
                if len(clean) >= _MEMO_LIMIT:
                    clean.clear()
                    self._clean_chunks.clear()  # a chunk is clean only while its words are
                clean.add(raw)
                clean.add(found)  # "word!" as findall sees it
        if plain and clean.issuperset(raws):
            self._remember_chunks(chunks)
        return []

    def _remember_chunks(self, chunks: list[str]) -> None:
        known, clean = self._clean_chunks, self._clean
        if len(known) >= _MEMO_LIMIT:
            known.clear()
        for chunk in chunks:
            if chunk not in known and clean.issuperset(TOKEN_RE.findall(chunk)):
                known.add(chunk)

    def find(self, tokens: Tokens, text: str = "") -> list[Match]:
        found: list[Match] = []
        seen: set[tuple[int, int, str]] = set()

        def add(start: int, end: int, term: Term) -> None:
            key = (start, end, term.term)
            if key not in seen:
                seen.add(key)
                found.append(Match(start, end, term))

        sequences = [tokens.sequence]
        if tokens.words and tokens.words != tokens.sequence:
            sequences.append(tokens.words)
        for sequence in sequences:
            for index, token in enumerate(sequence):
                singles, phrases, _classes = self._hits(token.raw)
                for term in singles:
                    add(token.start, token.end, term)
                for phrase in phrases:
                    first = index - phrase.anchor
                    end = first + len(phrase.words)
                    if (
                        first >= 0
                        and end <= len(sequence)
                        and all(
                            _word_matches(sequence[first + i], word, phrase.squeezed[i])
                            for i, word in enumerate(phrase.words)
                        )
                    ):
                        add(sequence[first].start, sequence[end - 1].end, phrase.term)
        for token in tokens.joined:
            for term in self._hits(token.raw)[0]:
                add(token.start, token.end, term)
        words = tokens.words or tokens.sequence
        if self.classes:
            classes = [self._hits(w.raw)[2] for w in words]
            if any(not c.isdisjoint(TRIGGERS) for c in classes):
                text_stops = [_stop_after(text, words, i) for i in range(len(words))]
                for hit in find_patterns(classes, text_stops):
                    span = tuple(w.keys.primary for w in words[hit.first : hit.last + 1])
                    if not self._allowed_within(span):
                        term = _PATTERN_TERMS[hit.pattern]
                        add(words[hit.first].start, words[hit.last].end, term)
        return _distinct(found)

    def _allowed_within(self, words: tuple[str, ...]) -> bool:
        """Does an allow-listed phrase lie within these words? (A server that allowed "are
        animals" does not want "they are animals" read as a pattern either.)"""
        for phrase in self.allowed_phrases:
            size = len(phrase)
            if any(words[i : i + size] == phrase for i in range(len(words) - size + 1)):
                return True
        return False

    def _hits(self, raw: str) -> _Hit:
        """Terms and phrases a raw token can be or start, and its pattern classes; memoized
        per compiled lexicon."""
        hit = self._memo.get(raw)
        if hit is not None:
            return hit
        keys = keys_for(raw)
        if keys.primary in self.allowed:
            hit = _NO_HITS
        else:
            singles: list[Term] = []
            phrases: list[_Phrase] = []
            classes: set[str] = set()
            exact = keys.exact
            if keys.primary in self.stem_except:
                exact = tuple(k for k in exact if k[2:3] != "~")
            for key in exact:
                singles.extend(t for t in self.single.get(key, ()) if t not in singles)
                phrases.extend(p for p in self.phrases.get(key, ()) if p not in phrases)
                classes.update(self.classes.get(key, ()))
            for key in keys.squeezed:
                singles.extend(t for t in self.single_squeezed.get(key, ()) if t not in singles)
                phrases.extend(p for p in self.phrases.get(key, ()) if p not in phrases)
                classes.update(self.squeezed_classes.get(key, ()))
            if keys.wild:
                singles.extend(t for t in self._masked(keys.wild) if t not in singles)
            if singles or phrases or classes:
                hit = (tuple(singles), tuple(phrases), frozenset(classes))
            else:
                hit = _NO_HITS
        if len(self._memo) >= _MEMO_LIMIT:
            self._memo.clear()
        self._memo[raw] = hit
        return hit

    def _masked(self, wild: str) -> list[Term]:
        """One-word terms that ``f*ck``-style masking (each ``*`` one letter) can stand for."""
        out = []
        for key, term in self.shapes.get((len(wild), wild[0]), ()):
            if all(w in ("*", k) for w, k in zip(wild, key, strict=True)):
                out.append(term)
        return out


_NO_HITS: _Hit = ((), (), frozenset())
# Large enough for a busy server's vocabulary; with the collector frozen after startup the
# caches add little to collection pauses (bench_civility: the longest stays under 1 ms).
_MEMO_LIMIT = 100_000
_STOPS = frozenset(".!?;\n։")
_PATTERN_TERMS = {
    "call": Term("a violent act against a whole people", Category.THREAT, "", "pattern"),
    "passive": Term("a whole group wished dead or killed", Category.THREAT, "", "pattern"),
    "death": Term("death to a people", Category.THREAT, "", "pattern"),
    "atrocity": Term("a past atrocity invoked as a threat", Category.THREAT, "", "pattern"),
    "personal": Term("a threat to kill or hurt you", Category.THREAT, "", "pattern"),
    "dehumanize": Term("a people called animals or vermin", Category.DEHUMANIZATION, "", "pattern"),
}


def _distinct(found: list[Match]) -> list[Match]:
    """One match per span and category (a term found in two scripts is one finding); a
    pattern hit that overlaps a listed term of its category adds nothing (the listed term is
    the more precise explanation)."""
    found.sort(key=lambda m: (m.start, -m.end, m.term.source == "pattern"))
    listed = [m for m in found if m.term.source != "pattern"]
    out: list[Match] = []
    spans: set[tuple[int, int, Category]] = set()
    for match in found:
        key = (match.start, match.end, match.term.category)
        if key in spans:
            continue
        if match.term.source == "pattern" and any(
            t.term.category is match.term.category and t.start < match.end and match.start < t.end
            for t in listed
        ):
            continue
        spans.add(key)
        out.append(match)
    out.sort(key=lambda m: (m.start, m.end))
    return out


def _stop_after(text: str, words: tuple[Token, ...], i: int) -> bool:
    """Does a sentence end between word ``i`` and the next?"""
    if i + 1 >= len(words):
        return False
    return not _STOPS.isdisjoint(text[words[i].end : words[i + 1].start])


def _may_continue(raws: list[str], index: int, phrase: _Phrase) -> bool:
    """Could ``phrase`` match around ``raws[index]`` (its anchor word)? Conservative (True)
    wherever the token stream would differ from ``raws``: separators or symbol-only words."""
    first = index - phrase.anchor
    if first < 0 or first + len(phrase.words) > len(raws):
        return False
    for offset in range(len(phrase.words)):
        if offset == phrase.anchor:
            continue
        raw = raws[first + offset].strip(EDGE_SYMBOLS)
        if not raw or HAS_SEPARATOR.search(raw):
            return True
        keys = keys_for(raw)
        if phrase.words[offset].isdisjoint(keys.exact) and (
            phrase.squeezed[offset] not in keys.squeezed
        ):
            # symbol-only tokens ("они | не | люди") shift the words: look properly then
            window = raws[max(0, first - len(phrase.words)) : first + 2 * len(phrase.words)]
            return any(not r.strip(EDGE_SYMBOLS) for r in window)
    return True


def _word_matches(token: Token, word: frozenset[str], squeezed_word: str) -> bool:
    keys = token.keys
    return not word.isdisjoint(keys.exact) or squeezed_word in keys.squeezed


def compile_lexicon(
    terms: Iterable[Term], allowed: Iterable[str] = (), *, with_patterns: bool = True
) -> CompiledLexicon:
    """Index terms; an allow-listed term is dropped, and allow-listed tokens never match.
    ``with_patterns`` adds the threat patterns' vocabulary (and their glued forms)."""
    allowed = list(allowed)
    allowed_keys = frozenset(skeleton(a) for a in allowed if skeleton(a))
    allowed_terms = frozenset(term_words(a) for a in allowed)
    compiled = CompiledLexicon(
        allowed=allowed_keys, allowed_phrases=tuple(w for w in allowed_terms if w)
    )
    excepted: set[str] = set()
    terms = list(terms)
    if with_patterns:
        terms.extend(_glued_pattern_terms())
    for term in terms:
        parts = _parts(term.term)
        words = tuple(skeleton(p) for p in parts)
        if not words or words in allowed_terms:
            continue
        compiled.size += 1
        excepted.update(skeleton(e) for e in term.excepted)
        # the words of a phrase fold from two letters ("я", "не", "они"): the phrase is context
        fold_from = MIN_FOLDED if len(parts) == 1 else MIN_FOLDED_WORD
        keys = [
            word_keys(p, term.language, stem=term.stem, fold=term.fold, min_fold=fold_from)
            for p in parts
        ]
        if len(words) == 1:
            for key in keys[0]:
                compiled.single.setdefault(key, []).append(term)
            compiled.single_squeezed.setdefault(squeeze(words[0]), []).append(term)
            if len(words[0]) > SHORT and words[0].isalpha():
                compiled.shapes.setdefault((len(words[0]), words[0][0]), []).append(
                    (words[0], term)
                )
        else:
            if term.source != "pattern-glued":  # the patterns read these words apart
                anchor = max(range(len(words)), key=lambda i: (len(words[i]), i))
                phrase = _Phrase(tuple(keys), tuple(squeeze(w) for w in words), term, anchor)
                for key in keys[anchor] | {squeeze(words[anchor])}:
                    compiled.phrases.setdefault(key, []).append(phrase)
            glued = "".join(parts)
            if len(skeleton(glued)) >= 6:
                for key in word_keys(glued, term.language, stem=False, fold=term.fold):
                    compiled.single.setdefault(key, []).append(term)
    compiled.stem_except = frozenset(excepted)
    if with_patterns:
        classes = _pattern_classes()
        if not allowed_keys.isdisjoint(classes):
            classes = {k: v for k, v in classes.items() if k not in allowed_keys}
        compiled.classes = classes
        compiled.squeezed_classes = _squeezed_classes(frozenset(classes))
    return compiled


@lru_cache(maxsize=8)
def _squeezed_classes(keys: frozenset[str]) -> dict[str, frozenset[str]]:
    """The pattern classes under squeezed keys, for words stretched into runs of three or more
    letters. Only stretched tokens look here, so a word's own double letters ("skill",
    "Mammadov") are never squeezed."""
    classes = _pattern_classes()
    squeezed: dict[str, set[str]] = {}
    for key in keys:
        squeezed.setdefault(squeeze(key), set()).update(classes[key])
    return {k: frozenset(v) for k, v in squeezed.items()}


@cache
def _pattern_classes() -> dict[str, frozenset[str]]:
    """Key -> pattern classes, built once (shared read-only by every compiled lexicon)."""
    classes: dict[str, set[str]] = {}
    for word in class_words():
        for key in word_keys(word.word, word.language, stem=False, min_fold=MIN_FOLDED_WORD):
            classes.setdefault(key, set()).add(word.cls)
    return {k: frozenset(v) for k, v in classes.items()}


@lru_cache(maxsize=16_384)
def _parts(text: str) -> list[str]:
    return [t.raw for t in tokenize(text).sequence]


@cache
def _glued_pattern_terms() -> tuple[Term, ...]:
    """ "killthemall", "убитьвсех": an act glued to its target, as a threat term. Only the
    glued form is indexed (the words apart are the patterns' business)."""
    return tuple(
        Term(text, Category.THREAT, language, "pattern-glued") for text, language in glued_calls()
    )


@cache
def default_terms() -> tuple[Term, ...]:
    """The seed list shipped in ``bot/data/lexicon.json``."""
    raw = json.loads(resources.files("bot").joinpath("data/lexicon.json").read_text("utf-8"))
    return tuple(
        Term(
            entry["term"],
            Category(entry["category"]),
            entry["language"],
            "default",
            stem=bool(entry.get("stem", False)),
            fold=bool(entry.get("fold", True)),
            excepted=tuple(entry.get("except", ())),
        )
        for entry in raw["terms"]
    )


@cache
def default_allowed() -> tuple[str, ...]:
    """The region's place names and surnames that contain a listed term or share its stem
    (``bot/data/lexicon_allow.json``): never flagged on any server."""
    raw = json.loads(resources.files("bot").joinpath("data/lexicon_allow.json").read_text("utf-8"))
    return tuple(word for group in raw["groups"].values() for word in group)
