"""Letters stretched inside threats and dehumanizing sentences ("kiiiill them all",
"убииить их всех"): the pattern words are found through their squeezed keys, which only a
stretched token (a run of three or more) looks up, so double letters stay innocent."""

from __future__ import annotations

import pytest

from bot.civility import Action, Category, Engine, default_terms
from bot.civility.lexicon import CompiledLexicon
from bot.sanitizer import sanitize

ENGINE = Engine(default_terms())


def categories(text: str) -> set[Category]:
    return {v.category for v in ENGINE.check(sanitize(text)).verdicts}


@pytest.mark.parametrize(
    "text",
    [
        "kiiiill them all",
        "kill them aaaall",
        "we will buuurn their villages",
        "убииить их всех",
        "smeeert' armyanam",
        "смерррть армянам",
        "Սպաննննել բոլորին",
        "spaaanel bolorin",
        "öööldürün hamısını",
        "ööldürrrün hamısını",
        "Ölüüüüm ermənilərə",
        "өлдүүүрүн һамысыны",
    ],
)
def test_a_stretched_threat_is_held_as_a_threat(text: str) -> None:
    result = ENGINE.check(sanitize(text))
    assert Category.THREAT in {v.category for v in result.verdicts}, text
    assert result.action is Action.HOLD


def test_a_stretched_dehumanizing_word_is_found() -> None:
    assert Category.DEHUMANIZATION in categories("they are aaanimals")


@pytest.mark.parametrize(
    "text",
    [
        "It takes real skill to listen.",
        "Mr Mammadov and Ms Hakobyan met in Vienna.",
        "Ханкенди и Шуша — города из моих воспоминаний.",
        "Кирилл и Алла приехали из Ессентуков.",
        "Երրորդ օրը մենք գնացինք գյուղ։",
        "Məmmədov və Abbasov görüşdülər.",
        "Мәммәдов вә Аббасов ҝөрүшдүләр.",
        "I am soooo tired of all of them",
        "Нууу, я не совсем согласен, но слушаю их всех.",
        "Mən səni çooox yaxşı başa düşürəm.",
    ],
)
def test_double_letters_and_innocent_stretching_pass(text: str) -> None:
    assert ENGINE.check(sanitize(text)).action is Action.ALLOW, text


def test_only_stretched_tokens_reach_the_squeezed_classes() -> None:
    lexicon: CompiledLexicon = ENGINE.lexicon
    assert lexicon.squeezed_classes  # built with the patterns
    # "kil" is the squeezed "kill"; the two-letter run of "kill" itself is no stretching
    assert "kil" in lexicon.squeezed_classes
    assert lexicon._hits("kil")[2] == frozenset()
