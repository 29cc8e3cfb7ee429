"""Tokens and their normalized keys, built to see through evasions without inventing matches.

A token is a run of word characters (plus leet symbols) in the sanitized text, with its span.
Each token gets a small set of candidate keys: its skeleton (NFKC, casefold, marks removed,
separators removed), leetspeak readings, and look-alike foldings into Latin, Cyrillic and
Armenian. A folded key only ever matters if the lexicon holds exactly that key, and lexicon
keys are single-script, so a genuine Russian or Armenian word is only "read" as another script
when the result is a listed term of that script. Letters stretched into runs of three or more
are squeezed into a second key set, compared against squeezed lexicon keys.

Separated letters are joined: ``s.h.i.t`` / ``s-h-i-t`` (separators inside one token) and
``s h i t`` (three or more single characters split by single spaces) become extra tokens.
Matching is by whole token, so "Scunthorpe", "assessment" and "classic" contain nothing.

Beyond single words (issue 16): separators of any kind between letters (``. - * ' ’ · / ~ , :
• # |`` and runs of them), Cyrillic leetspeak (``4``→ч, ``6``→б, ``}|{``→ж, ``LLI``→ш,
``bl``→ы), masking characters ``* # _`` read as wildcards within a word (``f*ck``), folded keys
per language (bot/civility/script.py) and stems (bot/civility/morphology.py). ``words`` is the
message read as words, with letters split by separators or single spaces joined back
("k.i.l.l t.h.e.m", "k i l l  t h e m"), for phrases and threat patterns.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

import regex

from bot.civility.morphology import ON_NEW_PREFIX, stem_keys
from bot.civility.script import folded_keys

# The tokenizer runs on every reply, so it is the standard library's ``re`` (half again as
# fast as ``regex`` for this findall); its ``\w`` has no combining marks, so the blocks of
# them that text carries (diacritics and strike-through, Cyrillic, the supplements, and
# variation selectors) are listed.
_MARKS_CLASS = (
    "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f"
)
_WORD = r"[\w@$!|+" + _MARKS_CLASS + r"]+"
_SEPARATORS = ".-*'’·/~,:•#"
_SEP_CLASS = r"[.\-*'’·/~,:•#]"
TOKEN_RE = re.compile(_WORD + r"(?:" + _SEP_CLASS + r"+" + _WORD + r")*")
# With "}|{" or ">|<" (Cyrillic leet for ж) inside words; used only when the text has them.
_WORD_BRACES = r"(?:[\w@$!|+" + _MARKS_CLASS + r"]|\}\|\{|>\|<)+"
TOKEN_RE_BRACES = re.compile(_WORD_BRACES + r"(?:" + _SEP_CLASS + r"+" + _WORD_BRACES + r")*")
_SEPARATOR_SPLIT = re.compile(_SEP_CLASS + r"+")
HAS_SEPARATOR = re.compile(_SEP_CLASS)
_GAP = regex.compile(r"[\s.\-*'’·/~,:•#|+_]{1,3}")
_MASKS = "*#_"
_MASKED = regex.compile(r"\w[*#_]+\w|\w[*#_]+$")
EDGE_SYMBOLS = "!|+"
_RUN3 = regex.compile(r"(.)\1\1")
_RUNS = regex.compile(r"(.)\1+")

_SKELETON_EXTRA = str.maketrans(
    {"ə": "e", "ı": "i", "_": None, "ʼ": None} | dict.fromkeys(_SEPARATORS)
)
_MARKS = regex.compile(r"\p{M}+")
_LETTER = regex.compile(r"\p{L}")

_LEET_I = str.maketrans("013457892@$!|+€", "oieastbgzasilte")
_LEET_L = str.maketrans("013457892@$!|+€", "oleastbgzasllte")
_LEET_CHARS = frozenset("013457892@$!|+€")
_SYMBOLS = regex.compile(r"[^\p{L}\p{N}]+")
_CYRILLIC_WORD = regex.compile(r"[\u0400-\u04ff]+")
# Cyrillic leetspeak read before the look-alike letters: }|{ and >|< for ж, lli for ш,
# bl and b| for ы, |< for к, 3 for з.
_CYRILLIC_LEET = (
    ("}|{", "ж"),
    (">|<", "ж"),
    ("lli", "ш"),
    ("ll|", "ш"),
    ("b|", "ы"),
    ("bl", "ы"),
    ("|<", "к"),
)

_TO_LATIN = str.maketrans(
    {
        **dict(zip("авекмнорстухѕіїјһԁԛԝӏп", "abekmhopctyxsiijhdqwln", strict=True)),
        **dict(zip("αβεηικνορτυχγ", "abeniknoptuxy".replace("kn", "kv"), strict=True)),
        **dict(zip("օսհոցզ", "ouhngq", strict=True)),
    }
)
_TO_CYRILLIC = str.maketrans(
    "abcehkmnoprtxy3046@",
    "авсенкмпоргтхузочба",  # 4 -> ч, 6 -> б
)
_TO_ARMENIAN = str.maketrans("ouhngq0", "օսհոցզօ")


def skeleton(text: str) -> str:
    """NFKC, casefold, marks and separators removed; the form lexicon keys are stored in."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFD", folded)
        folded = unicodedata.normalize("NFC", _MARKS.sub("", decomposed))
    return folded.translate(_SKELETON_EXTRA)


def squeeze(key: str) -> str:
    """Every run of a repeated character collapsed to one: "shiiiit" -> "shit"."""
    return _RUNS.sub(r"\1", key)


class Keys(NamedTuple):
    exact: tuple[str, ...]  # skeleton, leet and look-alike readings, folded keys, stems
    squeezed: tuple[str, ...]  # empty unless the token shows stretching (a run of 3+)
    primary: str
    wild: str = ""  # the word with masking characters as "*" ("f*ck"), or ""


# Plain tuples of strings: the garbage collector stops tracking those (not NamedTuples), so
# a cache of 100,000 tokens adds nothing to the process's full-collection pauses.
_CACHE: dict[str, tuple[tuple[str, ...], tuple[str, ...], str, str]] = {}
_CACHE_LIMIT = 100_000


def clear_cache() -> None:
    _CACHE.clear()


def keys_for(raw: str) -> Keys:
    """Candidate keys for one raw token (cached: chat vocabulary repeats a lot)."""
    cached = _CACHE.get(raw)
    if cached is not None:
        return Keys(*cached)
    base = skeleton(raw)
    exact = {base}
    has_letter = _LETTER.search(base) is not None
    if has_letter and not _LEET_CHARS.isdisjoint(base):
        exact.add(base.translate(_LEET_I))
        exact.add(base.translate(_LEET_L))
        exact.add(_SYMBOLS.sub("", base))  # "s|h|i|t": the symbols were separators
    if not base.isascii():
        exact.update([key.translate(_TO_LATIN) for key in exact])
    # Folded keys come from these readings only (the word as typed, its leet and its Latin
    # look-alike readings): folding the Cyrillic or Armenian look-alike reading of a Latin
    # word back into Latin adds nothing.
    fold_from = list(exact)
    if has_letter:
        cyrillic = base
        for leet, letter in _CYRILLIC_LEET:
            if leet in cyrillic:
                cyrillic = cyrillic.replace(leet, letter)
        exact.add(cyrillic.translate(_TO_CYRILLIC))
        if cyrillic != base:
            exact.add(base.translate(_TO_CYRILLIC))
        armenian = base.translate(_TO_ARMENIAN)
        # Armenian writes the sound o as ո inside words and օ at the start; evaders swap
        # them (and Latin o) freely, so both readings are candidates.
        exact.update((armenian, armenian.replace("օ", "ո")))
        plain = _SYMBOLS.sub("", unicodedata.normalize("NFKC", raw).casefold())
        stems = list(stem_keys(plain))
        if "ё" in plain or "й" in plain:  # "ёлум": folded before its marks go (ё is o in az)
            for key in folded_keys(plain):
                name, _, body = key.partition(":")
                exact.add(f"{name}:{skeleton(body)}")
        for key in fold_from:
            folded = folded_keys(key)
            if folded:
                exact.update(folded)
        if base.isascii():  # the Cyrillic look-alike reading of a Latin word ("cyka")
            for key in exact.difference(fold_from):
                if "\u0400" <= key[:1] <= "\u04ff" and _CYRILLIC_WORD.fullmatch(key):
                    stems.extend(stem_keys(key))
        exact.update(stems)
    # a leet reading can make a run ("5hii1t" -> "shiiit"), so those words check every key
    stretched = _RUN3.search(base) is not None or not _LEET_CHARS.isdisjoint(base)
    squeezed = tuple({squeeze(k) for k in exact if _RUN3.search(k)}) if stretched else ()
    wild = _wildcard(raw) if has_letter and _MASKED.search(raw) else ""
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[raw] = (tuple(exact), squeezed, base, wild)
    return Keys(tuple(exact), squeezed, base, wild)


_HOLE = "\ue000"  # a private-use character: survives skeleton(), then becomes "*"
_TO_HOLES = str.maketrans(dict.fromkeys(_MASKS, _HOLE))


def _wildcard(raw: str) -> str:
    """``f*ck`` -> ``f*ck``, ``sh#t`` -> ``sh*t``, ``c__t`` -> ``c**t``: masking characters
    inside a word stand for one letter each. Only for a word that starts with a letter and is
    at least half letters; the other separators are dropped as usual."""
    word = skeleton(raw.translate(_TO_HOLES)).replace(_HOLE, "*")
    letters = len(word) - word.count("*")
    if "*" not in word or word[0] == "*" or letters < 2 or letters * 2 < len(word):
        return ""
    return word


class Token(NamedTuple):
    start: int
    end: int
    raw: str

    @property
    def keys(self) -> Keys:
        return keys_for(self.raw)


@dataclass(frozen=True, slots=True)
class Tokens:
    sequence: tuple[Token, ...]  # word by word, for single terms and phrases
    joined: tuple[Token, ...]  # "s.h.i.t", "s h i t" read as one word, for single terms
    words: tuple[Token, ...] = ()  # as a reader sees the words, for phrases and patterns


def token_re(text: str) -> re.Pattern[str]:
    return TOKEN_RE_BRACES if "|" in text and ("{" in text or "<" in text) else TOKEN_RE


_SPECIAL = re.compile(r"[.\-*'’·/~,:•#@$!|+]")


def tokenize(text: str) -> Tokens:
    matches = list(token_re(text).finditer(text))
    raws = [m.group() for m in matches]
    if _SPECIAL.search("".join(raws)) is None:
        # the common case: words with no separator or leet symbol in them
        plain = tuple(
            [Token(m.start(), m.end(), raw) for m, raw in zip(matches, raws, strict=True)]
        )
        singles = [t for t in plain if len(t.raw) == 1]
        if len(singles) < 3:
            return Tokens(plain, (), plain)
        joined: list[Token] = []
        _join_spaced_letters(text, singles, joined)
        return Tokens(plain, tuple(joined), tuple(_join_spaced_words(text, list(plain))))
    return _tokenize(text, matches)


def _tokenize(text: str, matches: list[re.Match[str]]) -> Tokens:
    sequence: list[Token] = []
    joined: list[Token] = []
    words: list[Token] = []
    append = sequence.append
    for match in matches:
        raw = match.group()
        start = match.start()
        if raw[0] in EDGE_SYMBOLS or raw[-1] in EDGE_SYMBOLS:
            stripped = raw.strip(EDGE_SYMBOLS)
            if not stripped:
                continue
            start += raw.index(stripped)
            raw = stripped
        end = start + len(raw)
        if HAS_SEPARATOR.search(raw) is None:
            token = Token(start, end, raw)
            append(token)
            words.append(token)
            continue
        pos = start
        parts: list[Token] = []
        for part in _SEPARATOR_SPLIT.split(raw):
            if part:
                parts.append(Token(pos, pos + len(part), part))
            pos += len(part)
            while pos < end and text[pos] in _SEPARATORS:
                pos += 1
        sequence.extend(parts)
        whole = Token(start, end, raw)
        joined.append(whole)
        # "k.i.l.l" is one word; "kill.them.all" is three
        if all(len(p.raw) <= 2 for p in parts):
            words.append(whole)
        else:
            words.extend(parts)
    singles = [t for t in sequence if len(t.raw) == 1]
    if len(singles) >= 3:
        _join_spaced_letters(text, singles, joined)
        words = _join_spaced_words(text, words)
    return Tokens(tuple(sequence), tuple(joined), tuple(words))


def _join_spaced_words(text: str, words: list[Token]) -> list[Token]:
    """Runs of 3+ one-letter words split by one gap: "k i l l  t h e m" -> kill, them."""
    out: list[Token] = []
    run: list[Token] = []

    def flush() -> None:
        if len(run) >= 3:
            out.append(Token(run[0].start, run[-1].end, "".join(t.raw for t in run)))
        else:
            out.extend(run)
        run.clear()

    gap = ""
    for token in words:
        if len(token.raw) != 1:
            flush()
            out.append(token)
            continue
        if run:
            between = text[run[-1].end : token.start]
            if not _GAP.fullmatch(between) or (len(run) > 1 and between != gap):
                flush()
            gap = between
        run.append(token)
    flush()
    return out


def _join_spaced_letters(text: str, singles: list[Token], joined: list[Token]) -> None:
    """Runs of 3+ one-character tokens split by the same short gap (up to three blanks or
    separators): "s h i t", "f  u  c  k", "s | h | i | t"."""
    run: list[Token] = []

    def flush() -> None:
        # The run may take in a neighbouring one-letter word ("what a t o w e l ..."), so
        # also read it without its first and/or last letter.
        if len(run) >= 3:
            for first in range(min(2, len(run) - 2)):
                for last in range(len(run), max(len(run) - 2, first + 2), -1):
                    part = run[first:last]
                    raw = "".join(t.raw for t in part)
                    joined.append(Token(part[0].start, part[-1].end, raw))
        run.clear()

    gap = ""
    for token in singles:
        if run:
            between = text[run[-1].end : token.start]
            if not _GAP.fullmatch(between):
                flush()
            elif len(run) > 1 and between != gap:
                # the gap changes: "what a s  u  b ..." -- the last letter may start the
                # next run as well as end this one
                last = run[-1]
                flush()
                run.append(last)
            gap = between
        run.append(token)
    flush()


ON_NEW_PREFIX.append(clear_cache)
