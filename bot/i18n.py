"""Member-facing text in the members' languages.

Catalogs live in ``bot/data/locales/<code>.json``, one per language; adding a language is adding
a file. A feature may keep its own messages beside it, in ``bot/data/locales/<code>/<feature>.json``
(``messages`` and ``commands`` only); an id defined twice for one language is an error. Each
holds three parts:

- ``language``: the code, the language's own name, its place in lists, and the Discord client
  locale that means it (``null`` when Discord has none: Armenian and Azerbaijani).
- ``messages``: what the bot says, keyed by **stable message ids** (``form.title.new``), with
  ``{named}`` placeholders. Ids do not change when the English wording is polished, and one
  English phrase may need two translations in two places.
- ``commands``: slash-command and option descriptions, keyed by **the English text itself**,
  because that is what discord.py hands a ``Translator``. An English description edited in the
  code falls back to English until its translation is updated (a test lists stale ones).

A message that counts something is an object of CLDR plural forms instead of a string
(``{"one": "{count} reply", "other": "{count} replies"}``; Russian also has ``few`` and ``many``);
``translate`` picks the form for ``count`` by the language's CLDR rule (Babel's plural data), so
no text ever reads "1 replies".

``en`` is the source: every message id must exist there; other catalogs fall back to it.
"""

from __future__ import annotations

import functools
import json
import string
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from babel import Locale

SOURCE = "en"


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    name: str  # in the language itself: members pick it from a list
    order: int
    discord_locale: str | None  # the Discord client locale that means this language, if any


Message = str | dict[str, str]  # a text, or its CLDR plural forms ("one", "few", "many", "other")

PLURAL_FORMS = frozenset({"zero", "one", "two", "few", "many", "other"})


@dataclass(frozen=True, slots=True)
class Catalog:
    language: Language
    messages: dict[str, Message]
    commands: dict[str, str]


def _merge(into: dict[str, Any], extra: dict[str, Any], where: str) -> None:
    for key, value in extra.items():
        if key in into:
            raise ValueError(f"{where}: {key!r} is defined twice")
        into[key] = value


def load_catalogs(folder: Traversable | None = None) -> dict[str, Catalog]:
    if folder is None:
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
        messages: dict[str, Message] = dict(raw.get("messages") or {})
        commands: dict[str, str] = dict(raw.get("commands") or {})
        parts = folder.joinpath(language.code)
        if parts.is_dir():
            for part in sorted(parts.iterdir(), key=lambda e: e.name):
                if not part.name.endswith(".json"):
                    continue
                extra: dict[str, Any] = json.loads(part.read_text(encoding="utf-8"))
                where = f"{language.code}/{part.name}"
                _merge(messages, dict(extra.get("messages") or {}), where)
                _merge(commands, dict(extra.get("commands") or {}), where)
        for key, value in messages.items():
            if isinstance(value, dict) and (not value or set(value) - PLURAL_FORMS):
                raise ValueError(f"{language.code}: {key} has forms other than CLDR's")
        catalogs[language.code] = Catalog(language, messages, commands)
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


def plural_category(lang: str, count: int | float) -> str:
    """The CLDR plural category of ``count`` in ``lang`` ("one", "few", "many", "other"…)."""
    return _locale(lang).plural_form(abs(count))


@functools.cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def translate(key: str, lang: str, /, **params: object) -> str:
    """The message ``key`` in ``lang``, else in English; an id missing from English is a bug
    and raises ``KeyError``. A plural message takes its form from ``params["count"]``."""
    catalog = CATALOGS.get(lang)
    text = catalog.messages.get(key) if catalog is not None else None
    if not text:
        text, lang = CATALOGS[SOURCE].messages[key], SOURCE
    if isinstance(text, dict):
        count = params.get("count")
        if not isinstance(count, int | float):
            raise TypeError(f"{key} is a plural message and needs a numeric count")
        text = text.get(plural_category(lang, count)) or text["other"]
    return text.format(**params)


def nested_params(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """``params`` with every value that is itself a message (``{"key": ..., "params": ...}``,
    see :func:`bot.notice.nested`) translated in ``lang``."""
    out: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, dict) and "key" in value:
            inner = nested_params(dict(value.get("params") or {}), lang)
            out[name] = translate(str(value["key"]), lang, **inner)
        else:
            out[name] = value
    return out


def forms(message: Message) -> list[str]:
    """Every text of a message: itself, or each of its plural forms."""
    return list(message.values()) if isinstance(message, dict) else [message]


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
