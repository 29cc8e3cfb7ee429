"""Localized slash commands: a discord.py ``Translator`` over the catalogs of :mod:`bot.i18n`.

Descriptions of commands, groups and options, and choice names, are translated for the Discord
client locales a catalog declares (today Russian, "ru"). Discord has no Armenian or Azerbaijani
client locale, so those members see English descriptions and pick their language for the bot's
own answers with ``/language set``. Command and option *names* stay English on purpose:
moderators from every community share one vocabulary.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

from discord import Locale, app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.i18n import LANGUAGES, command_text

TRANSLATED = frozenset(
    {
        Where.command_description,
        Where.group_description,
        Where.parameter_description,
        Where.choice_name,
    }
)
LANGUAGE_OF_LOCALE = {
    lang.discord_locale: lang.code for lang in LANGUAGES if lang.discord_locale is not None
}
DESCRIPTION_MAX = 100
# Each language under its own name: a member looks for the one they read.
LANGUAGE_CHOICES = [app_commands.Choice(name=lang.name, value=lang.code) for lang in LANGUAGES]


class CatalogTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        if context.location not in TRANSLATED:
            return None
        lang = LANGUAGE_OF_LOCALE.get(locale.value)
        if lang is None:
            return None
        text = command_text(string.message, lang)
        # A translation Discord would refuse must not break the whole sync: keep English.
        if text is None or len(text) > DESCRIPTION_MAX:
            return None
        return text


# --- the member's language, resolved once per interaction -------------------------------------


@dataclass(slots=True)
class _Slot:
    """The language of one interaction: empty until a handler first asks, then kept."""

    interaction_id: int | None
    language: str | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


_CURRENT: ContextVar[_Slot | None] = ContextVar("tracktwo_language", default=None)


@contextlib.contextmanager
def interaction_scope(interaction_id: int | None) -> Iterator[None]:
    """Around the dispatch of one interaction (app/startup.py): every handler task started
    inside inherits one slot, so the member's language is looked up once for all of them."""
    token = _CURRENT.set(_Slot(interaction_id))
    try:
        yield
    finally:
        _CURRENT.reset(token)


async def current_language(interaction_id: int, resolve: Callable[[], Awaitable[str]]) -> str:
    """The language of the interaction being handled: resolved by ``resolve`` the first time,
    then remembered for the rest of it. Outside a dispatch scope (a handler called directly)
    the slot is made here, in the calling task."""
    slot = _CURRENT.get()
    if slot is None or slot.interaction_id != interaction_id:
        slot = _Slot(interaction_id)
        _CURRENT.set(slot)
    if slot.language is None:
        async with slot.lock:
            if slot.language is None:
                slot.language = await resolve()
    return slot.language


def language_chosen(interaction_id: int, code: str) -> None:
    """The member chose a language during this interaction (``/language set``): answer the rest
    of it in that one."""
    slot = _CURRENT.get()
    if slot is not None and slot.interaction_id == interaction_id:
        slot.language = code
