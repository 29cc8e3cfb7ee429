"""The catalogs: complete, with the English placeholders, never empty, and falling back to
English; the reply form stays within Discord's limits in every language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.i18n import CATALOGS, LANGUAGES, SOURCE, placeholders, resolve, translate
from cogs._i18n import DESCRIPTION_MAX
from cogs.dialogue.render import DRAFT_LABELS, draft_button
from cogs.dialogue.reply_form import ReplyModal
from sandbox.validation import check_modal

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = CATALOGS[SOURCE].messages
NAMESPACES = {key.split(".")[0] for key in ENGLISH}
LITERAL = re.compile(r"""["']([a-z_]+(?:\.[a-z_]+)+)["']""")


def ids_in_code() -> set[str]:
    found: set[str] = set()
    for folder in ("bot", "cogs"):
        for path in (ROOT / folder).rglob("*.py"):
            for literal in LITERAL.findall(path.read_text(encoding="utf-8")):
                if literal.split(".")[0] in NAMESPACES:
                    found.add(literal)
    return found


def test_the_supported_languages() -> None:
    assert [lang.code for lang in LANGUAGES] == ["en", "ru", "hy", "az"]
    assert [lang.name for lang in LANGUAGES] == ["English", "Русский", "Հայերեն", "Azərbaycan dili"]


def test_every_id_the_code_uses_is_in_english_and_every_english_id_is_used() -> None:
    used = ids_in_code()
    assert used - set(ENGLISH) == set(), "message ids the code uses but en.json lacks"
    assert set(ENGLISH) - used == set(), "message ids no code uses any more"


@pytest.mark.parametrize("code", sorted(CATALOGS))
def test_every_catalog_has_every_message_with_the_english_placeholders(code: str) -> None:
    messages = CATALOGS[code].messages
    assert set(messages) == set(ENGLISH)
    for key, text in messages.items():
        assert text.strip(), f"{code}: {key} is empty"
        assert placeholders(text) == placeholders(ENGLISH[key]), f"{code}: {key}"


@pytest.mark.parametrize("code", sorted(CATALOGS))
def test_command_translations_fit_and_are_not_empty(code: str) -> None:
    for source, text in CATALOGS[code].commands.items():
        assert text.strip(), f"{code}: {source!r} is empty"
        assert len(text) <= DESCRIPTION_MAX, f"{code}: {text!r} is too long for Discord"


def test_translate_formats_and_falls_back_to_english() -> None:
    assert translate("reply.withdrawn", "en", round=3) == "Your reply in round 3 was withdrawn."
    assert translate("reply.withdrawn", "ru", round=3) == "Ваш ответ в раунде 3 отозван."
    assert translate("reply.withdrawn", "xx", round=3) == "Your reply in round 3 was withdrawn."
    with pytest.raises(KeyError):
        translate("no.such.id", "en")


def test_a_missing_translation_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(CATALOGS["az"].messages, "draft.anyway")
    assert translate("draft.anyway", "az") == "Submit anyway"


def test_resolution_order() -> None:
    assert resolve("az", "ru", "hy") == "az"  # the member's choice first
    assert resolve(None, "ru", "hy") == "ru"  # then their Discord app, when it names one
    assert resolve(None, "en-US", "hy") == "hy"  # Discord's default says nothing: the server's
    assert resolve(None, "fr", None) == "en"
    assert resolve("xx", None, "yy") == "en"


@pytest.mark.parametrize("code", sorted(CATALOGS))
@pytest.mark.parametrize("mode", ["new", "revise", "edit"])
def test_the_reply_form_is_valid_for_discord_in_every_language(code: str, mode: str) -> None:
    modal = ReplyModal(mode, 1, 12345, lang=code)
    check_modal(modal.to_dict())
    for action in DRAFT_LABELS:
        assert len(draft_button(action, 1, code).label or "") <= 80
