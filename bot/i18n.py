"""Member-facing text in the members' languages.

Catalogs live in ``bot/data/locales/<code>.json``, one per language; adding a language is adding
a file. Each holds three parts:

- ``language``: the code, the language's own name, its place in lists, and the Discord client
  locale that means it (``null`` when Discord has none: Armenian and Azerbaijani).
- ``messages``: what the bot says, keyed by **stable message ids** (``form.title.new``), with
  ``{named}`` placeholders. Ids do not change when the English wording is polished, and one
  English phrase may need two translations in two places.
- ``commands``: slash-command and option descriptions, keyed by **the English text itself**,
  because that is what discord.py hands a ``Translator``. An English description edited in the
  code falls back to English until its translation is updated (a test lists stale ones).

``en`` is the source: every message id must exist there; other catalogs fall back to it.
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from importlib import resources
from typing import Any

SOURCE = "en"


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    name: str  # in the language itself: members pick it from a list
    order: int
    discord_locale: str | None  # the Discord client locale that means this language, if any


@dataclass(frozen=True, slots=True)
class Catalog:
    language: Language
    messages: dict[str, str]
    commands: dict[str, str]


def load_catalogs() -> dict[str, Catalog]:
    folder = resources.files("bot").joinpath("data", "locales")
    catalogs: dict[str, Catalog] = {}
    for entry in folder.iterdir():
        if not entry.name.endswith(".json"):
            continue
        raw: dict[str, Any] = json.loads(entry.read_text(encoding="utf-8"))
        meta = raw["language"]
        language = Language(
            code=str(meta["code"]),
            name=str(meta["name"]),
            order=int(meta["order"]),
            discord_locale=meta.get("discord_locale"),
        )
        if f"{language.code}.json" != entry.name:
            raise ValueError(f"{entry.name} declares the language {language.code!r}")
        catalogs[language.code] = Catalog(
            language, dict(raw.get("messages") or {}), dict(raw.get("commands") or {})
        )
    if SOURCE not in catalogs:
        raise ValueError(f"the source catalog {SOURCE}.json is missing")
    return catalogs


CATALOGS = load_catalogs()
LANGUAGES: tuple[Language, ...] = tuple(
    sorted((c.language for c in CATALOGS.values()), key=lambda lang: lang.order)
)
SUPPORTED: frozenset[str] = frozenset(CATALOGS)


def language(code: str) -> Language:
    return CATALOGS[code if code in CATALOGS else SOURCE].language


def translate(key: str, lang: str, /, **params: object) -> str:
    """The message ``key`` in ``lang``, else in English; an id missing from English is a bug
    and raises ``KeyError``."""
    catalog = CATALOGS.get(lang)
    text = catalog.messages.get(key) if catalog is not None else None
    if not text:
        text = CATALOGS[SOURCE].messages[key]
    return text.format(**params)


def command_text(source: str, lang: str) -> str | None:
    """The translation of a command or option description, or ``None`` (Discord then shows
    the English one)."""
    catalog = CATALOGS.get(lang)
    if catalog is None or lang == SOURCE:
        return None
    return catalog.commands.get(source) or None


def from_discord_locale(locale: str | None) -> str | None:
    """The supported language a Discord client locale names, if any. English locales are
    Discord's default and say little about the member, so they are not taken as a choice."""
    if not locale:
        return None
    for lang in LANGUAGES:
        if lang.discord_locale is not None and lang.discord_locale == locale:
            return lang.code
    return None


def resolve(preference: str | None, discord_locale: str | None, server: str | None) -> str:
    """The member's chosen language, else what their Discord app says (when we have it), else
    the server's language, else English."""
    for candidate in (preference, from_discord_locale(discord_locale), server):
        if candidate is not None and candidate in SUPPORTED:
            return candidate
    return SOURCE


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
