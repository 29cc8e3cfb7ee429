"""Localized slash commands: a discord.py ``Translator`` over the catalogs of :mod:`bot.i18n`.

Descriptions of commands, groups and options, and choice names, are translated for the Discord
client locales a catalog declares (today Russian, "ru"). Discord has no Armenian or Azerbaijani
client locale, so those members see English descriptions and pick their language for the bot's
own answers with ``/language set``. Command and option *names* stay English on purpose:
moderators from every community share one vocabulary.
"""

from __future__ import annotations

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
