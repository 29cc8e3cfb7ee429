"""Script folding: one key per word however a language is typed.

People in this conflict type each language in more than one script: Russian in Cyrillic or in
Latin ("suka", "xach"), Armenian in its own script or in Latin ("kspanem qez", with q/k, x/kh,
c/ts used freely), Azerbaijani in Latin, in its Cyrillic alphabet or with Russian letters on a
Russian keyboard ("сиктир", "гяхбя"). Each folder maps a skeleton (see normalize.skeleton: case
folded, marks gone) in *any* script to a reduced Latin spelling of that language, so that
``fold_ru("хуйня") == fold_ru("huinya") == fold_ru("xuynya")``.

A folded key is prefixed with its language ("ru:", "hy:", "az:") and only ever compared with
the folded keys of listed terms *of that language*: an English word is never folded into an
Armenian term unless it spells that very term in Armenian transliteration. Folded keys of
fewer than four letters are not indexed (short terms match as whole words only).
"""

from __future__ import annotations

from collections.abc import Callable

import regex

MIN_FOLDED = 4  # for lexicon terms; pattern words ("их", "ih") fold from two letters
MIN_FOLDED_WORD = 2


def _multi(pairs: dict[str, str]) -> Callable[[str], str]:
    """Replace the digraphs (longest first, each with C-level ``str.replace``), then the
    single letters (one ``translate``). Terms and tokens go through the same function, so
    the order only has to be fixed, not linguistically perfect."""
    digraphs = [k for k in pairs if len(k) > 1]  # in the order given: see the tables
    letters = str.maketrans({k: v for k, v in pairs.items() if len(k) == 1})

    def apply(text: str) -> str:
        for digraph in digraphs:
            if digraph in text:
                text = text.replace(digraph, pairs[digraph])
        return text.translate(letters)

    return apply


# -- Russian ---------------------------------------------------------------------------------
# The reduced alphabet: х/h/kh/x -> h, ч/ch/4 -> c, ц/ts -> c, ш/щ/sh/sch/w -> w, ж/zh -> j,
# й/ы/y/i -> i, я -> ia, ю -> iu, ё/yo/e -> e, ь/ъ and apostrophes gone.
_RU_CYRILLIC = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "j",
        "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c",
        "ч": "c", "ш": "w", "щ": "w", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu",
        "я": "ia",
    }
)  # fmt: skip
# Vowel digraphs first, so that the "j" of "zh" -> "j" is never read as "ja"/"ju" again.
_RU_LATIN = _multi(
    {
        "ya": "ia", "ja": "ia", "yu": "iu", "ju": "iu", "yo": "e", "ye": "e",
        "shch": "w", "sch": "w", "sh": "w", "zh": "j", "kh": "h", "ch": "c", "ts": "c",
        "tz": "c", "x": "h", "y": "i", "w": "w", "4": "c", "q": "k", "'": "",
    }
)  # fmt: skip


_CYRILLIC_ANY = regex.compile(r"[\u0400-\u04ff]")
_ARMENIAN_ANY = regex.compile(r"[\u0531-\u058f]")


_J_CONSONANT = regex.compile(r"j(?![aeiou])")


def _ru_j(key: str) -> str:
    # "j" is ж before a vowel ("jopa") and й elsewhere ("chernozhopij"): й folds to "i"
    return _J_CONSONANT.sub("i", key) if "j" in key else key


def fold_ru(key: str) -> str:
    # Latin spelling rules apply to Latin letters only ("дж" is not "dj" + "ja"); "тс" and
    # "ц" are both "ts" when typed in Latin, so both fold to "c"
    if not key.isascii() and _CYRILLIC_ANY.search(key):
        return _ru_cyrillic(key)
    return _ru_latin(key)


def _ru_latin(key: str) -> str:
    # "dj" is дж ("azerbaydjan"): kept from the vowel digraphs, which would read "ja" as я
    if "dj" in key:
        return _ru_j(_RU_LATIN(key.replace("dj", "d\x01")).replace("\x01", "j"))
    return _ru_j(_RU_LATIN(key))


# -- Armenian ---------------------------------------------------------------------------------
# Eastern Armenian, reduced: ք/կ/q/k -> k, խ/kh/x -> x, ց/ծ/c/ts -> c, չ/ճ/ch -> c, շ/sh -> w,
# ժ/ջ/zh/j -> j, ղ/gh -> x (chat writes "txa" for տղա), ը/y/ə -> y, ու/u -> u, է/ե/e -> e, թ/տ/t -> t, փ/պ/p -> p.
_HY_ARMENIAN = str.maketrans(
    {
        "ա": "a", "բ": "b", "գ": "g", "դ": "d", "ե": "e", "զ": "z", "է": "e", "ը": "y",
        "թ": "t", "ժ": "j", "ի": "i", "լ": "l", "խ": "x", "ծ": "c", "կ": "k", "հ": "h",
        "ձ": "z", "ղ": "x", "ճ": "c", "մ": "m", "յ": "y", "ն": "n", "շ": "w", "ո": "o",
        "չ": "c", "պ": "p", "ջ": "j", "ռ": "r", "ս": "s", "վ": "v", "տ": "t", "ր": "r",
        "ց": "c", "ւ": "v", "փ": "p", "ք": "k", "օ": "o", "ֆ": "f", "և": "ev",
    }
)  # fmt: skip
_HY_DIGRAPHS = _multi({"ov": "u", "ou": "u"})
_HY_LATIN = _multi(
    {
        "sh": "w", "ch": "c", "zh": "j", "kh": "x", "gh": "x", "ts": "c", "tz": "c",
        "dz": "z", "th": "t", "ph": "p", "q": "k", "ə": "y", "@": "y", "w": "w", "u": "u",
        "ou": "u",
    }
)  # fmt: skip


def _final_article(key: str) -> str:
    # the article ը at a word's end is typed "y", "@" or "e": all read "e" there
    return key[:-1] + "e" if key.endswith("y") else key


def fold_hy(key: str) -> str:
    if not key.isascii() and _ARMENIAN_ANY.search(key):
        return _hy_armenian(key)
    return _hy_latin(key)


def _hy_latin(key: str) -> str:
    return _final_article(_HY_LATIN(key))


# -- Azerbaijani -------------------------------------------------------------------------------
# Latin skeletons are already free of marks (ə->e, ı->i, ş->s, ç->c, ğ->g, ö->o, ü->u). The
# Cyrillic alphabet (ҹ ҝ ғ һ ә ө ү ј) and Russian-keyboard spellings (я/э for ə, дж for c,
# г/к for q/g/ğ, х for x/h) fold to the same letters; q/g/ğ/k -> g and x/h -> x are merged
# because Russian keyboards merge them.
_AZ_CYRILLIC = str.maketrans(
    {
        "а": "a", "б": "b", "ҹ": "c", "ч": "c", "д": "d", "е": "e", "ә": "e", "э": "e",
        "я": "e", "ф": "f", "ҝ": "g", "г": "g", "ғ": "g", "һ": "x", "х": "x", "ы": "i",
        "и": "i", "ж": "j", "к": "g", "л": "l", "м": "m", "н": "n", "о": "o", "ө": "o",
        "ё": "o", "п": "p", "р": "r", "с": "s", "ш": "s", "т": "t", "у": "u", "ү": "u",
        "ю": "u", "в": "v", "ј": "y", "й": "y", "з": "z", "ь": "", "ъ": "",
    }
)  # fmt: skip
_AZ_CYRILLIC_DIGRAPHS = _multi({"дж": "c"})
_AZ_LATIN = str.maketrans({"q": "g", "k": "g", "h": "x", "w": "v"})


def fold_az(key: str) -> str:
    return _AZ_CYRILLIC_DIGRAPHS(key).translate(_AZ_CYRILLIC).translate(_AZ_LATIN)


# Azerbaijani Cyrillic to Latin, letter for letter (for the stemmer, which reads Latin).
AZ_CYRILLIC_TO_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "ҹ": "c", "ч": "ç", "д": "d", "е": "e", "ә": "ə", "ф": "f",
        "ҝ": "g", "ғ": "ğ", "һ": "h", "х": "x", "ы": "ı", "и": "i", "ж": "j", "к": "k",
        "г": "q", "л": "l", "м": "m", "н": "n", "о": "o", "ө": "ö", "п": "p", "р": "r",
        "с": "s", "ш": "ş", "т": "t", "у": "u", "ү": "ü", "в": "v", "ј": "y", "з": "z",
        "я": "ə", "э": "ə", "ю": "ü", "ё": "ö", "й": "y",
    }
)  # fmt: skip

FOLDERS: dict[str, Callable[[str], str]] = {"ru": fold_ru, "hy": fold_hy, "az": fold_az}


def family(language: str) -> str:
    """ "ru-Latn" -> "ru"; the folder a term of that language is indexed under ("" if none)."""
    base = language.split("-", 1)[0]
    return base if base in FOLDERS else ""


_LATIN = regex.compile(r"(?=.*[a-z])[a-z0-9'@]+")
_CYRILLIC = regex.compile(r"[\u0400-\u04ff]+")
_ARMENIAN = regex.compile(r"[\u0531-\u058f]+")


def _az_latin(key: str) -> str:
    return key.translate(_AZ_LATIN)


def _az_cyrillic(key: str) -> str:
    return _AZ_CYRILLIC_DIGRAPHS(key).translate(_AZ_CYRILLIC).translate(_AZ_LATIN)


def _ru_cyrillic(key: str) -> str:
    return _ru_j(key.translate(_RU_CYRILLIC).replace("ts", "c"))


def _hy_armenian(key: str) -> str:
    return _final_article(_HY_DIGRAPHS(key.translate(_HY_ARMENIAN)))


# The folders for a word wholly in one script, chosen once by its script.
_BY_SCRIPT: dict[str, tuple[tuple[str, Callable[[str], str]], ...]] = {
    "Latn": (("ru", _ru_latin), ("hy", _hy_latin), ("az", _az_latin)),
    "Cyrl": (("ru", _ru_cyrillic), ("az", _az_cyrillic)),
    "Armn": (("hy", _hy_armenian),),
}


def folded_keys(key: str) -> list[str]:
    """The prefixed folded keys of one skeleton, for a message token. A word mixing scripts
    (a look-alike reading half done) is not folded: its single-script readings are."""
    if key.isascii():
        if not _LATIN.fullmatch(key):
            return []
        folders = _BY_SCRIPT["Latn"]
    elif _CYRILLIC.fullmatch(key):
        folders = _BY_SCRIPT["Cyrl"]
    elif _ARMENIAN.fullmatch(key):
        folders = _BY_SCRIPT["Armn"]
    else:
        return []
    return [
        f"{name}:{folded}" for name, fold in folders if len(folded := fold(key)) >= MIN_FOLDED_WORD
    ]
