"""The catalogs: complete, with the English placeholders, never empty, and falling back to
English; the reply form stays within Discord's limits in every language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel import Locale

from bot.i18n import (
    CATALOGS,
    LANGUAGES,
    SOURCE,
    forms,
    load_catalogs,
    placeholders,
    plural_category,
    resolve,
    translate,
)
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
    for key, message in messages.items():
        english = {p for form in forms(ENGLISH[key]) for p in placeholders(form)}
        for text in forms(message):
            assert text.strip(), f"{code}: {key} is empty"
            assert placeholders(text) <= english, f"{code}: {key} uses a placeholder English lacks"
        assert isinstance(message, dict) == isinstance(ENGLISH[key], dict), f"{code}: {key}"
        if isinstance(message, dict):
            # every CLDR category the language uses has its own form (Russian: one/few/many)
            needed = set(Locale.parse(code).plural_form.tags) | {"other"}
            assert needed <= set(message), f"{code}: {key} lacks {needed - set(message)}"
            assert all("{count}" in t for t in forms(message)) or code != SOURCE
        else:
            assert placeholders(message) == english, f"{code}: {key}"


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


def test_plural_forms_follow_each_languages_cldr_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    forms_ = {
        "en": {"one": "{count} reply", "other": "{count} replies"},
        "ru": {
            "one": "{count} ответ",
            "few": "{count} ответа",
            "many": "{count} ответов",
            "other": "{count} ответа",
        },
    }
    for code, message in forms_.items():
        monkeypatch.setitem(CATALOGS[code].messages, "test.replies", message)
    assert translate("test.replies", "en", count=1) == "1 reply"
    assert translate("test.replies", "en", count=0) == "0 replies"
    assert translate("test.replies", "en", count=21) == "21 replies"
    assert [translate("test.replies", "ru", count=n) for n in (1, 3, 5, 21, 11)] == [
        "1 ответ",
        "3 ответа",
        "5 ответов",
        "21 ответ",
        "11 ответов",
    ]
    # a language without its own text falls back to English, with English's rule
    assert translate("test.replies", "az", count=1) == "1 reply"
    assert plural_category("hy", 0) == "one"  # Armenian counts 0 as "one", English does not
    assert plural_category("en", 0) == "other"
    with pytest.raises(TypeError):
        translate("test.replies", "en")


def test_a_feature_keeps_its_messages_in_a_file_of_its_own(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    head = '{"language": {"code": "en", "name": "English", "order": 1}, "messages": {"a.b": "A"}}'
    (tmp_path / "en.json").write_text(head, encoding="utf-8")
    (tmp_path / "en" / "circles.json").write_text('{"messages": {"c.d": "C"}}', encoding="utf-8")
    assert load_catalogs(tmp_path)["en"].messages == {"a.b": "A", "c.d": "C"}
    (tmp_path / "en" / "more.json").write_text('{"messages": {"a.b": "again"}}', encoding="utf-8")
    with pytest.raises(ValueError, match="defined twice"):
        load_catalogs(tmp_path)


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
