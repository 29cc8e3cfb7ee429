"""The Respond button on a published reply and its short form.

The button checks, before the form opens, that the reply belongs to this server, is published
in an open round and is not the member's own; the submission is checked again by the service
(the form is answered from its submission, like the reply form, so it survives restarts).
The response then takes the reply pipeline: commit, acknowledge, outbox, publish.
"""

from __future__ import annotations

import secrets
from typing import Any

import discord

from bot.dialogue.replies import Disposition
from bot.dialogue.responses import RESPONSE_MAX, RESPONSE_MIN, ResponseResult
from bot.errors import UserFacingError
from bot.i18n import SOURCE, translate
from bot.safety.labels import author_label
from cogs import _ids
from cogs._common import (
    answer,
    error_text,
    guild_id_of,
    language_of,
    member_facts,
    report_failure,
    services_of,
    submitted_values,
    truncate,
)
from cogs._guard import form_values
from cogs._persistent import PersistentItem
from cogs.dialogue.agreements_view import agreements_first, require_accepted
from cogs.dialogue.render import verdicts_text
from cogs.dialogue.reply_form import apply_effects


class RespondButton(PersistentItem[discord.ui.Button[Any]], id_format=_ids.RESPOND):
    """ "Respond" / "Answer the question" on a published reply."""

    def __init__(self, reply_id: int) -> None:
        self.reply_id = reply_id
        super().__init__(
            # shown: render.respond_button's label, in the reader's language
            discord.ui.Button(
                label=translate("responses.button.respond", SOURCE),
                custom_id=_ids.RESPOND.build(reply_id=reply_id),
            )
        )

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await open_response_form(interaction, self.reply_id)


class ResponseModal(discord.ui.Modal):
    """Only the form's shape: the response, and whether it may be quoted."""

    def __init__(self, reply_id: int, label: str, lang: str = "en", *, key: str) -> None:
        super().__init__(
            title=truncate(translate("responses.form.title", lang, label=label), 45),
            custom_id=_ids.RESPOND_FORM_KEYED.build(reply_id=reply_id, key=key),
            timeout=1800,
        )
        text: discord.ui.TextInput[Any] = discord.ui.TextInput(
            custom_id="response",
            style=discord.TextStyle.paragraph,
            required=True,
            min_length=RESPONSE_MIN,
            max_length=RESPONSE_MAX,
            placeholder=translate("responses.form.text.placeholder", lang),
        )
        self.add_item(
            discord.ui.Label(text=translate("responses.form.text.label", lang), component=text)
        )
        consent: discord.ui.Select[Any] = discord.ui.Select(
            custom_id="quote_consent",
            options=[
                discord.SelectOption(
                    label=translate("form.consent.no", lang), value="no", default=True
                ),
                discord.SelectOption(label=translate("form.consent.yes", lang), value="yes"),
            ],
        )
        self.add_item(
            discord.ui.Label(
                text=translate("form.consent.label", lang),
                description=translate("form.consent.description", lang),
                component=consent,
            )
        )


async def open_response_form(interaction: discord.Interaction[Any], reply_id: int) -> None:
    try:
        services = services_of(interaction)
        guild_id = guild_id_of(interaction)
        reply = await services.responses.respondable(reply_id, guild_id, interaction.user.id)
        await services.pauses.ensure_open(guild_id, reply.round_id, opening=True)
        lang = await language_of(interaction)
        if await agreements_first(interaction, guild_id, "respond", reply.id, lang):
            return  # first response here, or the agreements changed: Accept opens this form
        config = await services.guild_config.get(guild_id)
        label = author_label(reply, config.anonymity, lang)
        # the submission key: a second submit of this form gets the first one's receipt
        modal = ResponseModal(reply.id, label, lang, key=secrets.token_hex(8))
        await interaction.response.send_modal(modal)
    except Exception as error:
        await report_failure(interaction, error)


async def answer_response_form(interaction: discord.Interaction[Any]) -> None:
    """Called for every form submission; answers the response forms and leaves the rest."""
    keyed = await form_values(interaction, _ids.RESPOND_FORM_KEYED)  # the server's reply only
    if keyed is not None:
        await submit_response(interaction, keyed["reply_id"], key=keyed["key"])
        return
    form = await form_values(interaction, _ids.RESPOND_FORM)  # opened before keys existed
    if form is None:
        return
    await submit_response(interaction, form["reply_id"])


async def submit_response(
    interaction: discord.Interaction[Any], reply_id: int, *, key: str | None = None
) -> None:
    """Commit first, then acknowledge, then publish (through the outbox)."""
    try:
        services = services_of(interaction)
        facts = member_facts(interaction)
        values = submitted_values(interaction)
        text = values.get("response")
        text = text if isinstance(text, str) else ""
        consent = values.get("quote_consent") == ["yes"]
        try:
            await require_accepted(interaction, guild_id_of(interaction))
            parent = await services.replies.find(reply_id)
            if parent is not None:  # a pause freezes responses too (the words come back)
                await services.pauses.ensure_open(guild_id_of(interaction), parent.round_id)
            result = await services.responses.respond(
                reply_id,
                guild_id_of(interaction),
                facts.user_id,
                facts.role_ids,
                interaction.user.display_name,
                text,
                consent,
                submission_key=key,
            )
        except UserFacingError as error:
            # refused input never loses the member's words
            reason = await error_text(interaction, error)
            echo = text.replace("```", "'''")[:1700]
            await answer(interaction, f"{reason}\n```\n{echo}\n```")
            return
        lang = await language_of(interaction)
        await acknowledge(interaction, result, text, lang)
        await apply_effects(interaction, result.effects)
    except Exception as error:
        await report_failure(interaction, error)


async def acknowledge(
    interaction: discord.Interaction[Any], result: ResponseResult, text: str, lang: str
) -> None:
    if result.disposition is Disposition.ACCEPTED:
        config = await services_of(interaction).guild_config.get(result.response.guild_id)
        label = author_label(result.response, config.anonymity, lang)
        await answer(interaction, translate("responses.saved", lang, label=label))
        return
    if result.disposition is Disposition.HELD:
        await answer(
            interaction,
            translate("responses.held", lang) + "\n" + verdicts_text(result.verdicts, lang),
        )
        return
    echo = text.replace("```", "'''")[:1500]
    await answer(
        interaction,
        translate("responses.blocked", lang)
        + "\n"
        + verdicts_text(result.verdicts, lang)
        + f"\n```\n{echo}\n```",
    )
