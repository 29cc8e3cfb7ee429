"""Intake: the group agreements' Accept button and the optional private note to the
facilitators (both on the agreements message that cogs/dialogue/agreements_view.py shows before
a member's first reply or response), and the /setup agreements form.

Accepting goes straight on to the form the member wanted: the button carries it (a round to
reply in, or a reply to respond to), and the form opens as if they had pressed that button.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.dialogue.agreements import BODY_MAX, BODY_MIN, NOTE_MAX
from bot.errors import Conflict, UserFacingError
from bot.i18n import SOURCE, translate
from cogs import _ids
from cogs._common import (
    answer,
    error_text,
    guild_id_of,
    language_of,
    report_failure,
    services_of,
    submitted_values,
    truncate,
)
from cogs._guard import form_values
from cogs._persistent import PersistentItem
from cogs.dialogue.agreements_view import agreements_embed, agreements_text, show_agreements
from cogs.dialogue.reply_form import open_reply_form
from cogs.dialogue.respond import open_response_form

if TYPE_CHECKING:
    from cogs._bot import TrackTwoBot


async def go_on(interaction: discord.Interaction[Any], then: str, target_id: int) -> None:
    """Open the form the member wanted (it checks everything again, agreements included)."""
    if then == "reply":
        await open_reply_form(interaction, target_id)
    else:
        await open_response_form(interaction, target_id)


class AcceptButton(PersistentItem[discord.ui.Button[Any]], id_format=_ids.AGREE):
    """ "I accept" under the group agreements."""

    def __init__(self, then: str, target_id: int, version: str) -> None:
        self.then = then
        self.target_id = target_id
        self.version = version
        super().__init__(
            discord.ui.Button(
                label=translate("intake.agreements.accept", SOURCE),
                style=discord.ButtonStyle.success,
                custom_id=_ids.AGREE.build(then=then, target_id=target_id, version=version),
            )
        )

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            agreements = services_of(interaction).agreements
            await agreements.accept(guild_id_of(interaction), interaction.user.id, self.version)
        except Conflict:
            pass  # the text changed meanwhile: the form's gate shows the new one instead
        except Exception as error:
            await report_failure(interaction, error)
            return
        await go_on(interaction, self.then, self.target_id)


class IntakeNoteButton(PersistentItem[discord.ui.Button[Any]], id_format=_ids.INTAKE_NOTE):
    """ "A private note to the facilitators" under the group agreements."""

    def __init__(self, then: str, target_id: int) -> None:
        self.then = then
        self.target_id = target_id
        super().__init__(
            discord.ui.Button(
                label=translate("intake.agreements.note_button", SOURCE),
                custom_id=_ids.INTAKE_NOTE.build(then=then, target_id=target_id),
            )
        )

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            lang = await language_of(interaction)
            await interaction.response.send_modal(IntakeNoteModal(self.then, self.target_id, lang))
        except Exception as error:
            await report_failure(interaction, error)


class IntakeNoteModal(discord.ui.Modal):
    """Only the form's shape (answered from its submission, so it survives a restart)."""

    def __init__(self, then: str, target_id: int, lang: str) -> None:
        super().__init__(
            title=truncate(translate("intake.note.form.title", lang), 45),
            custom_id=_ids.INTAKE_FORM.build(then=then, target_id=target_id),
            timeout=1800,
        )
        text: discord.ui.TextInput[Any] = discord.ui.TextInput(
            custom_id="note",
            style=discord.TextStyle.paragraph,
            required=True,
            max_length=NOTE_MAX,
            placeholder=truncate(translate("intake.note.form.placeholder", lang), 100),
        )
        self.add_item(
            discord.ui.Label(
                text=truncate(translate("intake.note.form.label", lang), 45), component=text
            )
        )


class AgreementsModal(discord.ui.Modal):
    """/setup agreements: the server's own text, prefilled with what members read today."""

    def __init__(self, current: str, lang: str) -> None:
        super().__init__(
            title=truncate(translate("intake.setup.form.title", lang), 45),
            custom_id=_ids.AGREEMENTS_FORM.build(),
            timeout=1800,
        )
        text: discord.ui.TextInput[Any] = discord.ui.TextInput(
            custom_id="agreements",
            style=discord.TextStyle.paragraph,
            required=True,
            min_length=BODY_MIN,
            max_length=BODY_MAX,
            default=current[:BODY_MAX],
        )
        self.add_item(
            discord.ui.Label(
                text=truncate(translate("intake.setup.form.label", lang), 45), component=text
            )
        )


def _text(interaction: discord.Interaction[Any], name: str) -> str:
    value = submitted_values(interaction).get(name)
    return value if isinstance(value, str) else ""


async def refuse_with_text(
    interaction: discord.Interaction[Any], error: UserFacingError, text: str
) -> None:
    """Bad input never loses the member's words: give them back with the reason."""
    reason = await error_text(interaction, error)
    echo = text.replace("```", "'''")[:1700]
    await answer(interaction, f"{reason}\n```\n{echo}\n```" if echo.strip() else reason)


async def submit_intake_note(interaction: discord.Interaction[Any], then: str, target: int) -> None:
    text = _text(interaction, "note")
    try:
        services = services_of(interaction)
        guild_id = guild_id_of(interaction)
        try:
            await services.agreements.leave_note(guild_id, interaction.user.id, text)
        except UserFacingError as error:
            await refuse_with_text(interaction, error, text)
            return
        lang = await language_of(interaction)
        current = await services.agreements.current(guild_id)
        await show_agreements(
            interaction, current, then, target, lang, translate("intake.note.saved", lang)
        )
    except Exception as error:
        await report_failure(interaction, error)


async def setup_agreements(interaction: discord.Interaction[Any], *, reset: bool) -> None:
    """/setup agreements (admins: checked by the group): the form, or back to the default."""
    services = services_of(interaction)
    guild_id = guild_id_of(interaction)
    lang = await language_of(interaction)
    if reset:
        await services.agreements.reset(guild_id)
        await answer(interaction, translate("intake.setup.reset", lang))
        return
    current = await services.agreements.current(guild_id)
    config = await services.guild_config.get(guild_id)
    shown = agreements_text(current, config.language or "en")
    await interaction.response.send_modal(AgreementsModal(shown, lang))


async def submit_agreements(interaction: discord.Interaction[Any]) -> None:
    text = _text(interaction, "agreements")
    try:
        services = services_of(interaction)
        try:
            await services.agreements.replace(guild_id_of(interaction), text)
        except UserFacingError as error:
            await refuse_with_text(interaction, error, text)
            return
        await answer(interaction, translate("intake.setup.saved", await language_of(interaction)))
    except Exception as error:
        await report_failure(interaction, error)


class Intake(commands.Cog):
    def __init__(self, bot: TrackTwoBot) -> None:
        self.bot = bot

    @app_commands.command(name="agreements", description="Read this server's group agreements")
    @app_commands.guild_only()
    async def agreements(self, interaction: discord.Interaction) -> None:
        """Read them at any time (accepting happens before a first reply or response)."""
        lang = await language_of(interaction)
        current = await services_of(interaction).agreements.current(guild_id_of(interaction))
        await answer(interaction, embed=agreements_embed(current, lang))

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        note = await form_values(interaction, _ids.INTAKE_FORM)  # the target's server only
        if note is not None:
            await submit_intake_note(interaction, note["then"], note["target_id"])
            return
        if await form_values(interaction, _ids.AGREEMENTS_FORM) is not None:  # admins only
            await submit_agreements(interaction)


async def setup(bot: TrackTwoBot) -> None:
    bot.add_dynamic_items(AcceptButton, IntakeNoteButton)
    await bot.add_cog(Intake(bot))
