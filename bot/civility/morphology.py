"""Morphology: base forms match their inflections, through the Snowball stemmers.

Russian declines and conjugates, Armenian and Azerbaijani add case and plural suffixes; a
lexicon of base forms needs stems, not every form. ``snowballstemmer`` (the Snowball project's
own generated Python, pure Python, kept by the Snowball maintainers) has Russian, Armenian,
Turkish and English stemmers. Azerbaijani is close to Turkish but not the same: ``ə`` is read
as ``e`` (the Turkish stemmer knows neither), and Azerbaijani Cyrillic is read letter for
letter in Latin first.

A stem key is prefixed with its stemmer ("ru~", "hy~", "az~", "en~") and compared only with the
stems of terms marked ``"stem": true`` in the lexicon. Innocent words that share a stem with a
term are kept apart three ways: the stem must be at least :data:`MIN_STEM` letters (shorter
stems, such as Russian "сук" of "сука", are not safe: those terms list their forms),
each term may list ``"except"`` words, and the region allow-list (place names and surnames)
wins over every key.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]

from bot.civility.script import AZ_CYRILLIC_TO_LATIN, fold_az, fold_ru

# Russian typed in Latin letters is stemmed too: its folded spelling is read back into
# Cyrillic (one spelling per sound), stemmed, and folded again; Russian stems are compared
# folded, so "armjashkami", "armyashkami" and "армяшками" share "ru~armiawk".
_RU_BACK = str.maketrans(
    {
        "a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "e": "е", "j": "ж", "z": "з",
        "i": "и", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р",
        "s": "с", "t": "т", "u": "у", "f": "ф", "h": "х", "c": "ч", "w": "ш",
    }
)  # fmt: skip

MIN_STEM = 4

_STEMMERS = {
    "ru": snowballstemmer.stemmer("russian"),
    "hy": snowballstemmer.stemmer("armenian"),
    "az": snowballstemmer.stemmer("turkish"),
    "en": snowballstemmer.stemmer("english"),
}
_AZ_PREP = str.maketrans({"ə": "e", "ä": "e", "x": "x"})


def _script(word: str) -> str:
    for char in word:
        if "\u0400" <= char <= "\u04ff":
            return "Cyrl"
        if "\u0531" <= char <= "\u058f":
            return "Armn"
    return "Latn"


def _marks_off(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# The first letters (folded) of every indexed stem, per stemmer: a word whose first letters
# start no indexed stem is not stemmed at all. Stemming is pure Python and the costliest part
# of reading a word never seen before; this gate keeps it to the few words that can matter.
_PREFIX = 3
_PREFIXES: dict[str, set[str]] = {name: set() for name in _STEMMERS}


#: Caches built on stems that must be emptied when a new stem prefix is registered; the
#: normalizer adds its token cache here (it imports this module, not the other way round).
ON_NEW_PREFIX: list[Callable[[], None]] = []


def register(stem_key: str) -> None:
    """Called by compile_lexicon for each stem it indexes."""
    name, body = stem_key[:2], stem_key[3:]
    prefix = body[:_PREFIX]
    if prefix not in _PREFIXES[name]:
        _PREFIXES[name].add(prefix)
        stem_keys.cache_clear()
        for forget in ON_NEW_PREFIX:  # normalize's token cache holds stems too
            forget()


def _gate(name: str, folded: str) -> bool:
    return folded[:_PREFIX] in _PREFIXES[name]


@lru_cache(maxsize=65_536)
def stem_keys(word: str) -> tuple[str, ...]:
    """Prefixed stems of one casefolded (not yet skeletonised) word, in every stemmer whose
    script it is written in. Letters only; anything else has no stem."""
    russian_four = word.isascii() and word.isalnum() and "4" in word  # "4" is ч in Russian
    if not word.isalpha() and not russian_four:
        return ()
    script = _script(word)
    out: list[str] = []
    if script == "Cyrl":
        if _gate("ru", fold_ru(word)):
            stem = _STEMMERS["ru"].stemWord(word.replace("ё", "е"))
            out.append("ru~" + fold_ru(_marks_off(stem)))
        latin = word.replace("дж", "ҹ").translate(AZ_CYRILLIC_TO_LATIN)
        if all(c < "\u0400" for c in latin) and _gate("az", _az_plain(latin)):
            out.append("az~" + _az(latin))
    elif script == "Armn":
        if _gate("hy", word):
            out.append("hy~" + _STEMMERS["hy"].stemWord(word))
    else:
        if _gate("en", word):
            out.append("en~" + _STEMMERS["en"].stemWord(word))
        if _gate("az", _az_plain(word)):
            out.append("az~" + _az(word))
        if word.isascii():
            folded = fold_ru(word)
            if _gate("ru", folded):
                back = folded.replace("ia", "я").replace("iu", "ю").translate(_RU_BACK)
                out.append("ru~" + fold_ru(_STEMMERS["ru"].stemWord(back)))
    return tuple(k for k in out if len(k) - 3 >= MIN_STEM)


def _az_plain(word: str) -> str:
    """The word as an Azerbaijani stem key is spelled (for the gate)."""
    return fold_az(_marks_off(word).replace("ı", "i").replace("ə", "e"))


def _az(word: str) -> str:
    """Azerbaijani stems are compared folded, like Russian ones (Russian keyboards)."""
    stem = _marks_off(_STEMMERS["az"].stemWord(word.translate(_AZ_PREP))).replace("ı", "i")
    return fold_az(stem)


def term_stem(word: str, language: str) -> str:
    """The prefixed stem a term of ``language`` is indexed under ("" when too short)."""
    family = language.split("-", 1)[0]
    if family not in _STEMMERS or not word.isalpha():
        return ""
    script = _script(word)
    if family == "ru":
        stem = fold_ru(_marks_off(_STEMMERS["ru"].stemWord(word.replace("ё", "е"))))
    elif family == "hy" and script == "Armn":
        stem = _STEMMERS["hy"].stemWord(word)
    elif family == "az":
        stem = _az(word.translate(AZ_CYRILLIC_TO_LATIN) if script == "Cyrl" else word)
    elif family == "en":
        stem = _STEMMERS["en"].stemWord(word)
    else:
        return ""
    return f"{family}~{stem}" if len(stem) >= MIN_STEM else ""
