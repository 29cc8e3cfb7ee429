"""The reply form: the Share button and /reply write open it, the draft buttons act on a draft,
and every submission is answered from the interaction itself.

The form is answered the way moderation's decision forms are (cogs/moderation/_views.py):
:class:`ReplyModal` is only its shape, and the cog's ``on_interaction`` listener calls
:func:`answer_reply_form` for every submission. discord.py keeps one live modal per custom_id
and none across a restart; reading the submission itself answers both cases the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Iterable
from typing import Any

import discord

from bot.dialogue.models import Reply
from bot.dialogue.replies import (
    BRINGS_UP_MAX,
    BRINGS_UP_MIN,
    OPTIONAL_MAX,
    Disposition,
    RawReply,
    SubmitResult,
)
from bot.effects import Effect
from bot.errors import NotFound, UserFacingError
from bot.faults import is_storage_failure
from bot.i18n import resolve, translate
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
from cogs._effects import apply
from cogs._guard import form_values
from cogs._persistent import PersistentItem
from cogs._storage_faults import answer_storage_failure
from cogs.dialogue.agreements_view import agreements_first, require_accepted
from cogs.dialogue.render import (
    FORM_FIELDS,
    draft_button,
    draft_text,
    share_button,
    verdicts_text,
)

log = logging.getLogger(__name__)

FORM_TITLES = {"new": "form.title.new", "revise": "form.title.revise", "edit": "form.title.edit"}


class ShareButton(PersistentItem[discord.ui.Button[Any]], id_format=_ids.SHARE):
    """ "Share your perspective" on a round's prompt."""

    def __init__(self, round_id: int) -> None:
        self.round_id = round_id
        super().__init__(share_button(round_id))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await open_reply_form(interaction, self.round_id)


class DraftButton(PersistentItem[discord.ui.Button[Any]], id_format=_ids.DRAFT):
    """Rephrase a draft, submit it anyway, or confirm withdrawing a reply. Only the author may
    rephrase (checked before the form opens); the other two are refused by the service."""

    def __init__(self, action: str, reply_id: int) -> None:
        self.action = action
        self.reply_id = reply_id
        self.draft: Reply | None = None
        super().__init__(draft_button(action, reply_id))

    async def allowed(self, interaction: discord.Interaction[Any], /) -> bool:
        if self.action != "rephrase":
            return True
        try:
            replies = services_of(interaction).replies
            self.draft = await replies.revisable(self.reply_id, interaction.user.id)
        except Exception as error:
            await report_failure(interaction, error)
            return False
        return True

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            if self.action == "rephrase":
                assert self.draft is not None  # interaction_check found it
                await open_edit_form(interaction, self.draft, "revise")
            elif self.action == "anyway":
                await submit_anyway(interaction, self.reply_id)
            else:
                await withdraw(interaction, self.reply_id)
        except Exception as error:
            await report_failure(interaction, error)


class ReplyModal(discord.ui.Modal):
    """The structured reply, in the member's language: only the form's shape (see the module
    docstring). ``mode`` is "new" (target: a round id), "revise" (a draft) or "edit" (a
    submitted reply)."""

    def __init__(
        self,
        mode: str,
        target_id: int,
        round_number: int,
        existing: Reply | None = None,
        *,
        lang: str = "en",
        key: str | None = None,
        custom_id: str | None = None,  # a circle's form (cogs/circles.py)
    ) -> None:
        if custom_id is None and mode == "new" and key is not None:
            custom_id = _ids.REPLY_KEYED.build(target_id=target_id, key=key)
        elif custom_id is None and key is not None:
            custom_id = _ids.REPLY_CHANGE_KEYED.build(mode=mode, target_id=target_id, key=key)
        elif custom_id is None:
            custom_id = _ids.REPLY.build(mode=mode, target_id=target_id)
        super().__init__(
            title=truncate(translate(FORM_TITLES[mode], lang, round=round_number), 45),
            custom_id=custom_id,
            timeout=1800,
        )
        fields = existing.fields if existing else None
        for name, (label, placeholder) in FORM_FIELDS.items():
            required = name == "brings_up"
            text_input: discord.ui.TextInput[Any] = discord.ui.TextInput(
                custom_id=name,
                style=discord.TextStyle.paragraph,
                required=required,
                min_length=BRINGS_UP_MIN if required else None,
                max_length=BRINGS_UP_MAX if required else OPTIONAL_MAX,
                placeholder=translate(placeholder, lang),
                default=getattr(fields, name) if fields else None,
            )
            self.add_item(discord.ui.Label(text=translate(label, lang), component=text_input))
        consent_default = bool(existing and existing.quote_consent)
        consent: discord.ui.Select[Any] = discord.ui.Select(
            custom_id="quote_consent",
            options=[
                discord.SelectOption(
                    label=translate("form.consent.no", lang),
                    value="no",
                    default=not consent_default,
                ),
                discord.SelectOption(
                    label=translate("form.consent.yes", lang),
                    value="yes",
                    default=consent_default,
                ),
            ],
        )
        self.add_item(
            discord.ui.Label(
                text=translate("form.consent.label", lang),
                description=translate("form.consent.description", lang),
                component=consent,
            )
        )


def submitted_reply(interaction: discord.Interaction[Any]) -> RawReply:
    """The form's answers, read from the submission."""
    values = submitted_values(interaction)

    def text(name: str) -> str:
        value = values.get(name)
        return value if isinstance(value, str) else ""

    return RawReply(
        brings_up=text("brings_up"),
        experience=text("experience"),
        unsure=text("unsure"),
        question=text("question"),
        quote_consent=values.get("quote_consent") == ["yes"],
    )


async def open_reply_form(interaction: discord.Interaction[Any], round_id: int) -> None:
    """The "Share your perspective" button and /reply write."""
    try:
        services = services_of(interaction)
        round_ = await services.rounds.get(round_id)
        if round_.guild_id != guild_id_of(interaction):
            raise NotFound("conversation.error.no_such_round")
        lang = await language_of(interaction)
        if not round_.is_open:
            raise UserFacingError("reply.round_closed", round=round_.number)
        await services.pauses.ensure_open(round_.guild_id, round_.id, opening=True)
        facts = member_facts(interaction)
        community = await services.communities.of_member(
            round_.guild_id, facts.user_id, facts.role_ids
        )
        if community is None:
            raise UserFacingError("reply.join_first")
        if await agreements_first(interaction, round_.guild_id, "reply", round_.id, lang):
            return  # first reply here, or the agreements changed: Accept opens this form
        await interaction.response.send_modal(
            ReplyModal("new", round_.id, round_.number, lang=lang, key=secrets.token_hex(8))
        )
    except Exception as error:
        await report_failure(interaction, error)


async def open_edit_form(interaction: discord.Interaction[Any], reply: Reply, mode: str) -> None:
    lang = await language_of(interaction)
    await interaction.response.send_modal(
        ReplyModal(mode, reply.id, reply.round_number, reply, lang=lang, key=secrets.token_hex(8))
    )


async def answer_reply_form(interaction: discord.Interaction[Any]) -> None:
    """Called for every form submission; answers the reply forms and leaves the rest."""
    # this server's round or reply only (cogs._guard)
    keyed = await form_values(interaction, _ids.REPLY_KEYED)
    if keyed is not None:
        await submit_reply_form(interaction, "new", keyed["target_id"], key=keyed["key"])
        return
    change = await form_values(interaction, _ids.REPLY_CHANGE_KEYED)
    if change is not None:
        await submit_reply_form(interaction, change["mode"], change["target_id"], key=change["key"])
        return
    form = await form_values(interaction, _ids.REPLY)  # a form opened before keys existed
    if form is None:
        return
    await submit_reply_form(interaction, form["mode"], form["target_id"])


async def defer_or_refuse(interaction: discord.Interaction[Any]) -> bool:
    """Acknowledge the submission before anything slow (Discord's 3 s answer window), so a
    database stall can never fail an interaction whose reply is committed later. When Discord
    says the interaction is unknown, it arrived too late to answer (e.g. replayed after a
    gateway RESUME): nothing is committed, Discord shows the member the failure with their form
    still open, and their retry (same form key) is answered normally, never committed twice."""
    try:
        await interaction.response.defer(ephemeral=True, thinking=True)
    except discord.NotFound:
        log.info(
            "a reply form arrived too late to answer (interaction %s); not committed",
            interaction.id,
        )
        return False
    return True


async def answer_restarting(interaction: discord.Interaction[Any]) -> None:
    """The form was deferred, so the shutdown's own "restarting" answer cannot reach the
    member: fill the deferred answer here, briefly (the shutdown waits one second)."""
    text = translate("bot.restarting", resolve(None, interaction.locale.value, None))
    with contextlib.suppress(Exception):
        async with asyncio.timeout(0.8):
            await answer(interaction, text)


async def submit_reply_form(
    interaction: discord.Interaction[Any],
    mode: str,
    target: int,
    *,
    key: str | None = None,
    circle_id: int | None = None,
) -> None:
    """Acknowledge (defer), commit, then answer, then publish (through the outbox)."""
    try:
        if not await defer_or_refuse(interaction):
            return
        services = services_of(interaction)
        facts = member_facts(interaction)
        raw = submitted_reply(interaction)
        raw_text = "\n\n".join(
            t for t in (raw.brings_up, raw.experience, raw.unsure, raw.question) if t.strip()
        ).replace("```", "'''")
        try:
            # A pause refuses forms already open: the member's words come back below.
            round_id = target if mode == "new" else (await services.replies.get(target)).round_id
            await services.pauses.ensure_open(guild_id_of(interaction), round_id)
            if mode == "new":
                await require_accepted(interaction, guild_id_of(interaction))
                name = interaction.user.display_name
                result = await services.replies.submit(
                    target,
                    facts.user_id,
                    facts.role_ids,
                    name,
                    raw,
                    submission_key=key,
                    circle_id=circle_id,
                )
            elif mode == "revise":
                result = await services.replies.revise(
                    target, facts.user_id, raw, submission_key=key
                )
            else:
                result = await services.replies.edit(target, facts.user_id, raw, submission_key=key)
        except UserFacingError as error:
            # Bad input never loses the member's words: give them back with the reason.
            reason = await error_text(interaction, error)
            await answer(interaction, f"{reason}\n```\n{raw_text[:1700]}\n```")
            return
        except asyncio.CancelledError:  # shutdown past its deadline: deferred, so say so here
            await answer_restarting(interaction)
            raise
        except Exception as error:
            if not is_storage_failure(error):
                raise
            await answer_storage_failure(interaction, error, raw_text)
            return
        services.storage_health.succeeded()
        lang = await language_of(interaction)
        await acknowledge(interaction, result, edited=mode == "edit", raw_text=raw_text, lang=lang)
        await apply_effects(interaction, result.effects)
    except Exception as error:
        await report_failure(interaction, error)


async def apply_effects(interaction: discord.Interaction[Any], effects: Iterable[Effect]) -> None:
    if interaction.guild is not None:
        await apply(interaction.client, interaction.guild, effects)


async def acknowledge(
    interaction: discord.Interaction[Any],
    result: SubmitResult,
    *,
    edited: bool,
    raw_text: str,
    lang: str = "en",
) -> None:
    reply = result.reply
    if result.repeat and not edited:
        config = await services_of(interaction).guild_config.get(reply.guild_id)
        text = (
            translate(
                "reply.already_received", lang, label=author_label(reply, config.anonymity, lang)
            )
            if result.disposition is Disposition.ACCEPTED
            else translate("reply.already_kept", lang)
        )
        await answer(interaction, text)
        return
    if result.disposition is Disposition.ACCEPTED:
        config = await services_of(interaction).guild_config.get(reply.guild_id)
        text = (
            translate("reply.edit_saved", lang)
            if edited
            else translate("reply.saved", lang, label=author_label(reply, config.anonymity, lang))
        )
        await answer(interaction, text)
        return
    if result.disposition is Disposition.HELD:
        await answer(
            interaction,
            translate("reply.held", lang) + "\n" + verdicts_text(result.verdicts, lang),
        )
        return
    if edited:
        await answer(
            interaction,
            translate("reply.edit_refused", lang)
            + "\n"
            + verdicts_text(result.verdicts, lang)
            + "\n"
            + translate("reply.edit_refused_after", lang)
            + f"\n```\n{raw_text[:1700]}\n```",
        )
        return
    view = discord.ui.View(timeout=None)
    view.add_item(draft_button("rephrase", reply.id, lang))
    if result.disposition is Disposition.NUDGED:
        view.add_item(draft_button("anyway", reply.id, lang))
        await answer(
            interaction,
            translate("reply.nudged", lang)
            + "\n"
            + verdicts_text(result.verdicts, lang)
            + "\n"
            + translate("reply.nudged_after", lang),
            view=view,
        )
        return
    await answer(
        interaction,
        translate("reply.blocked", lang)
        + "\n"
        + verdicts_text(result.verdicts, lang)
        + "\n"
        + translate("reply.blocked_after", lang)
        + "\n"
        + draft_text(reply),
        view=view,
    )


async def submit_anyway(interaction: discord.Interaction[Any], reply_id: int) -> None:
    services = services_of(interaction)
    draft = await services.replies.get(reply_id)
    await services.pauses.ensure_open(guild_id_of(interaction), draft.round_id, opening=True)
    result = await services.replies.submit_anyway(reply_id, interaction.user.id)
    lang = await language_of(interaction)
    await interaction.response.edit_message(
        content=translate("reply.submitted_anyway", lang), view=None
    )
    await apply_effects(interaction, result.effects)


async def withdraw(interaction: discord.Interaction[Any], reply_id: int) -> None:
    withdrawal = await services_of(interaction).replies.withdraw(reply_id, interaction.user.id)
    lang = await language_of(interaction)
    await interaction.response.edit_message(
        content=translate("reply.withdrawn", lang, round=withdrawal.reply.round_number),
        view=None,
    )
    await apply_effects(interaction, withdrawal.effects)
