"""Threats and incitement as patterns, not words (issue 16, item 2).

A threat against a whole people is rarely one listed phrase: "kill them all", "burn their
villages", "убить всех армян", "բոլորին կկոտորենք", "hamısını qırın", "they should all be
killed", "we will repeat Sumgait". The patterns read the message as words, each word tagged with
the *classes* it belongs to (bot/data/lexicon_patterns.json, per language and script, matched
with every evasion the lexicon sees through):

* ``call``: a violent act in a non-past form (imperative, infinitive, future, "let's") and a
  collective target (a people's name in the plural, "all of them", "their villages") within a
  few words of each other, in either order (Russian, Armenian and Azerbaijani order words
  freely). Past forms are testimony ("they killed", "убили", "սպանեցին", "öldürdülər") and are
  not in the class.
* ``passive``: a collective target, a modal ("should", "must", "deserve", "let", "пусть",
  "թող", "qoy") and a past participle or a death wish: "they should all be killed",
  "armenians deserve to die", "пусть они все сдохнут", "թող բոլորը սատկեն", "qoy hamısı
  gəbərsin".
* ``death``: "death to" + a people: "смерть армянам", "ölüm ermənilərə".
* ``atrocity``: a past massacre or pogrom invoked as a threat: its name with "again",
  "repeat" ("we will repeat Sumgait", "Khojaly will happen again", "Սումգայիթը կկրկնենք").
* ``personal``: a first-person future of a violent act and "you" ("убью тебя", "քեզ
  կսպանեմ", "səni öldürəcəyəm"), or in English an act after "will"/"gonna" with "you"
  ("I'm gonna kill you").
* ``dehumanize`` (a *dehumanization* finding, not a threat): a people's name (or "they")
  called animals, vermin, parasites ("armenians are rats", "азербайджанцы — собаки",
  "թուրքերը շներ են", "ermənilər itdir"), or a vile adjective on a people's name
  ("грязные хачи", "filthy armenians").

What keeps testimony and condemnation free: a negation or a condemning word just before the act
("never again Sumgait", "не убивайте", "մի սպանեք"), a narrative cue before it ("they tried to
kill all of us", "they came to burn"), and a first-person target ("us", "нас", "մեզ", "bizi")
next to "all". A pattern hit is a ``threat`` finding with the words that made it as its span.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Classes that can start a pattern; a message with none of them skips the pattern pass.
TRIGGERS = frozenset({"act", "death", "atrocity", "participle", "animal", "vile", "threat1"})
WINDOW = 3  # words between the act and its target
CUE_WINDOW = 3  # words before the act where a negation or a narrative cue counts


@dataclass(frozen=True, slots=True)
class ClassWord:
    word: str
    cls: str
    language: str


@dataclass(frozen=True, slots=True)
class PatternHit:
    first: int  # word indexes, inclusive
    last: int
    pattern: str  # call, passive, death, atrocity


@cache
def class_words() -> tuple[ClassWord, ...]:
    """The pattern vocabulary shipped in ``bot/data/lexicon_patterns.json``."""
    raw = json.loads(
        resources.files("bot").joinpath("data/lexicon_patterns.json").read_text("utf-8")
    )
    out: list[ClassWord] = []
    for cls, languages in raw["classes"].items():
        for language, words in languages.items():
            out.extend(ClassWord(word, cls, language) for word in words)
    return tuple(out)


@cache
def glued_calls() -> tuple[tuple[str, str], ...]:
    """Acts glued to their target ("killthemall", "убитьвсех"), per language: the words of
    each act followed by each short target, as (glued text, language)."""
    raw = json.loads(
        resources.files("bot").joinpath("data/lexicon_patterns.json").read_text("utf-8")
    )
    out: list[tuple[str, str]] = []
    for language, acts in raw["classes"]["act"].items():
        targets = raw["glued_targets"].get(language, [])
        out.extend((f"{act} {target}", language) for act in acts for target in targets)
    return tuple(out)


def _any(classes: Sequence[frozenset[str]], lo: int, hi: int, cls: str) -> int:
    """Index of the first word in [lo, hi) with ``cls``, or -1."""
    for i in range(max(lo, 0), min(hi, len(classes))):
        if cls in classes[i]:
            return i
    return -1


def _excused(classes: Sequence[frozenset[str]], at: int) -> bool:
    """A negation, condemnation or narrative cue just before word ``at``."""
    for i in range(max(0, at - CUE_WINDOW), at):
        if "negation" in classes[i] or "narrative" in classes[i]:
            return True
    return False


def _target(classes: Sequence[frozenset[str]], i: int) -> bool:
    """Word ``i`` names a collective target (and "all" is not "all of us")."""
    here = classes[i]
    if "people" in here:
        return True
    if "all" in here:  # "everyone", "всех", "բոլորին", "hamısını": people, by their form
        return _any(classes, i - 2, i + 3, "victim") < 0
    if "every" in here:  # "all", "все", "hər": only with "them" or a people's name beside
        if _any(classes, i - 2, i + 4, "victim") >= 0:
            return False
        return (
            _any(classes, i - 2, i + 5, "them") >= 0  # "every one of them"
            or _any(classes, i - 1, i + 3, "people") >= 0
            or _any(classes, i + 1, i + 3, "person") >= 0  # "every azerbaijani"
        )
    if "possession" in here:  # "villages", "сёла", "գյուղերը" after "their", "их", "նրանց"
        return i > 0 and "their" in classes[i - 1]
    return False


def find(classes: Sequence[frozenset[str]], stops: Sequence[bool]) -> list[PatternHit]:
    """Pattern hits over a message's words. ``stops[i]`` is True when a sentence ends after
    word ``i``: a pattern never spans a sentence end."""
    hits: list[PatternHit] = []
    n = len(classes)

    def same_sentence(a: int, b: int) -> bool:
        lo, hi = min(a, b), max(a, b)
        return not any(stops[lo:hi])

    for i, here in enumerate(classes):
        if not here & TRIGGERS:
            continue
        if "act" in here and not _excused(classes, i):
            for j in range(max(0, i - WINDOW - 1), min(n, i + WINDOW + 2)):
                if j != i and _target(classes, j) and same_sentence(i, j):
                    hits.append(PatternHit(min(i, j), max(i, j), "call"))
                    break
        if "death" in here and i + 1 < n:
            for j in (i + 1, i + 2):
                if (
                    j < n
                    and same_sentence(i, j)
                    and ("people" in classes[j] or _target(classes, j))
                ):
                    hits.append(PatternHit(i, j, "death"))
                    break
        if "participle" in here and not _excused(classes, i):
            modal = _any(classes, i - 4, i, "modal")
            if modal >= 0 and same_sentence(modal, i):
                for j in range(max(0, modal - 4), modal + 2):
                    if j != i and _target_or_them(classes, j) and same_sentence(j, i):
                        hits.append(PatternHit(min(j, modal), i, "passive"))
                        break
        if "atrocity" in here:
            for j in range(max(0, i - 4), min(n, i + 5)):
                if (
                    j != i
                    and "again" in classes[j]
                    and same_sentence(i, j)
                    and not _excused(classes, min(i, j))
                    and not _excused(classes, j)
                ):
                    hits.append(PatternHit(min(i, j), max(i, j), "atrocity"))
                    break
        if "threat1" in here and not _excused(classes, i):
            j = _any(classes, i - 2, i + 3, "you")
            if j >= 0 and same_sentence(i, j):
                hits.append(PatternHit(min(i, j), max(i, j), "personal"))
        if "act" in here and not _excused(classes, i):
            will = _any(classes, i - 3, i, "will")
            if will >= 0 and i + 1 < n and "you" in classes[i + 1] and same_sentence(will, i + 1):
                hits.append(PatternHit(will, i + 1, "personal"))
        if "animal" in here and not _excused(classes, i):
            for j in (i - 1, i - 2):
                if j < 0 or not same_sentence(j, i):
                    continue
                # "armenians are rats", "азербайджанцы — собаки" (the dash is no word);
                # "they" needs its copula: "are they animals?" asks, it does not call
                if j == i - 2:
                    named = "copula" in classes[j + 1] and (
                        "people" in classes[j] or "them" in classes[j]
                    )
                else:
                    named = "people" in classes[j]
                if named:
                    hits.append(PatternHit(j, i, "dehumanize"))
                    break
        if (
            "vile" in here
            and i + 1 < n
            and "people" in classes[i + 1]
            and same_sentence(i, i + 1)
            and not _excused(classes, i)
        ):
            hits.append(PatternHit(i, i + 1, "dehumanize"))
    return hits


def _target_or_them(classes: Sequence[frozenset[str]], j: int) -> bool:
    """Who a death wish is for: a target, "they", "you" (all), "all of them"."""
    here = classes[j]
    return bool(here & {"them", "you", "every"}) or _target(classes, j)
