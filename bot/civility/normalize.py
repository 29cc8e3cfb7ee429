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
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

import regex

_WORD = r"[\w@$!|+\p{M}]+"
_SEPARATORS = ".-*'’·"
TOKEN_RE = regex.compile(_WORD + r"(?:[.\-*'’·]" + _WORD + r")*")
_SEPARATOR_SPLIT = regex.compile(r"[.\-*'’·]+")
HAS_SEPARATOR = regex.compile(r"[.\-*'’·]")
_GAPS = " " + _SEPARATORS
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

_TO_LATIN = str.maketrans(
    {
        **dict(zip("авекмнорстухѕіїјһԁԛԝӏп", "abekmhopctyxsiijhdqwln", strict=True)),
        **dict(zip("αβεηικνορτυχγ", "abeniknoptuxy".replace("kn", "kv"), strict=True)),
        **dict(zip("օսհոցզ", "ouhngq", strict=True)),
    }
)
_TO_CYRILLIC = str.maketrans(
    "abcehkmnoprtxy3046@",
    "авсенкмпоргтхузобча",
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
    exact: tuple[str, ...]
    squeezed: tuple[str, ...]  # empty unless the token shows stretching (a run of 3+)
    primary: str


# Plain tuples of strings: the garbage collector stops tracking those (not NamedTuples), so
# a cache of 100,000 tokens adds nothing to the process's full-collection pauses.
_CACHE: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {}
_CACHE_LIMIT = 100_000


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
    if not base.isascii():
        exact.update([key.translate(_TO_LATIN) for key in exact])
    if has_letter:
        exact.add(base.translate(_TO_CYRILLIC))
        armenian = base.translate(_TO_ARMENIAN)
        # Armenian writes the sound o as ո inside words and օ at the start; evaders swap
        # them (and Latin o) freely, so both readings are candidates.
        exact.update((armenian, armenian.replace("օ", "ո")))
    squeezed = tuple({squeeze(key) for key in exact if _RUN3.search(key)})
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[raw] = (tuple(exact), squeezed, base)
    return Keys(tuple(exact), squeezed, base)


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


def tokenize(text: str) -> Tokens:
    sequence: list[Token] = []
    joined: list[Token] = []
    append = sequence.append
    for match in TOKEN_RE.finditer(text):
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
            append(Token(start, end, raw))
            continue
        pos = start
        for part in _SEPARATOR_SPLIT.split(raw):
            if part:
                append(Token(pos, pos + len(part), part))
            pos += len(part)
            while pos < end and text[pos] in _SEPARATORS:
                pos += 1
        joined.append(Token(start, end, raw))
    singles = [t for t in sequence if len(t.raw) == 1]
    if len(singles) >= 3:
        _join_spaced_letters(text, singles, joined)
    return Tokens(tuple(sequence), tuple(joined))


def _join_spaced_letters(text: str, singles: list[Token], joined: list[Token]) -> None:
    """Runs of 3+ one-character tokens split by one space or separator: "s h i t"."""
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

    for token in singles:
        if run and not (token.start - run[-1].end == 1 and text[run[-1].end] in _GAPS):
            flush()
        run.append(token)
    flush()
