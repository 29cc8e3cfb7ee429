"""How rounds and replies look on Discord: embeds, and their buttons as plain components.

The buttons carry custom_ids from :mod:`cogs._ids`; the DynamicItems that answer them live
beside their logic (reply_form.py, endorse.py) and are never imported here.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.civility.model import Verdict
from bot.dialogue.models import (
    Anonymity,
    EndorsementKind,
    EndorsementTally,
    Excerpt,
    Reply,
    Round,
)
from bot.dialogue.replies import FIELD_LABELS
from bot.i18n import translate
from bot.safety.labels import author_label
from cogs import _ids
from cogs._common import truncate

# The form's four questions: (label, placeholder) message ids, in the order shown.
FORM_FIELDS = {
    "brings_up": ("form.brings_up.label", "form.brings_up.placeholder"),
    "experience": ("form.experience.label", "form.experience.placeholder"),
    "unsure": ("form.unsure.label", "form.unsure.placeholder"),
    "question": ("form.question.label", "form.question.placeholder"),
}

DRAFT_LABELS = {
    "rephrase": "draft.rephrase",
    "anyway": "draft.anyway",
    "withdraw": "draft.withdraw",
}
DRAFT_STYLES = {
    "rephrase": discord.ButtonStyle.primary,
    "anyway": discord.ButtonStyle.secondary,
    "withdraw": discord.ButtonStyle.danger,
}

ENDORSE_EMOJI = {
    EndorsementKind.RESONATES: "🤝",
    EndorsementKind.LEARNED: "💡",
    EndorsementKind.DISAGREE: "🙏",
}


def source_line(excerpt: Excerpt) -> str:
    title = f"[{excerpt.title}]({excerpt.link})" if excerpt.link else f"*{excerpt.title}*"
    return truncate(f"{title} — {excerpt.author}", 1024)


# Public posts speak the server's language (/setup language), not one member's.
ENDORSE_LABELS = {
    EndorsementKind.RESONATES: "post.endorse.resonates",
    EndorsementKind.LEARNED: "post.endorse.learned",
    EndorsementKind.DISAGREE: "post.endorse.disagree",
}


def endorse_label(kind: EndorsementKind, lang: str) -> str:
    return translate(ENDORSE_LABELS[kind], lang)


def round_embed(
    round_: Round, excerpt: Excerpt, lang: str = "en", *, paused: bool = False
) -> discord.Embed:
    quoted = "\n".join(f"> {line}" if line else ">" for line in excerpt.text.splitlines())
    embed = discord.Embed(
        title=translate("post.round.title", lang, round=round_.number),
        description=truncate(quoted, 4096),
        colour=discord.Colour.teal() if round_.is_open else discord.Colour.dark_grey(),
    )
    embed.add_field(
        name=translate("post.round.source", lang), value=source_line(excerpt), inline=False
    )
    embed.set_footer(
        text=translate("post.round.footer_open", lang)
        if round_.is_open
        else translate("post.round.footer_closed", lang)
    )
    if paused and round_.is_open:
        embed.colour = discord.Colour.light_grey()
        embed.set_footer(text=translate("pause.notice", lang))
    return embed


def share_button(
    round_id: int, *, disabled: bool = False, label: str | None = None
) -> discord.ui.Button[Any]:
    return discord.ui.Button(
        label=label or ("Round closed" if disabled else "Share your perspective"),
        style=discord.ButtonStyle.primary,
        emoji="🗣️",
        custom_id=_ids.SHARE.build(round_id=round_id),
        disabled=disabled,
    )


def endorse_button(
    reply_id: int, kind: EndorsementKind, count: int = 0, *, label: str | None = None
) -> discord.ui.Button[Any]:
    name = label or kind.label
    return discord.ui.Button(
        label=name if count == 0 else f"{name} · {count}",
        style=discord.ButtonStyle.secondary,
        custom_id=_ids.ENDORSE.build(kind=kind, reply_id=reply_id),
    )


def report_button(reply_id: int, *, label: str = "Report") -> discord.ui.Button[Any]:
    """The "Report" button; the moderation extension answers its custom_id."""
    return discord.ui.Button(
        label=label,
        style=discord.ButtonStyle.danger,
        emoji="🚩",
        custom_id=_ids.REPORT.build(reply_id=reply_id),
    )


def draft_button(action: str, reply_id: int, lang: str = "en") -> discord.ui.Button[Any]:
    """On the private answers about a reply: rephrase a draft, submit it anyway, or confirm
    withdrawing a reply."""
    return discord.ui.Button(
        label=translate(DRAFT_LABELS[action], lang),
        style=DRAFT_STYLES[action],
        custom_id=_ids.DRAFT.build(action=action, reply_id=reply_id),
    )


def round_view(round_: Round, lang: str = "en", *, paused: bool = False) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    label = translate("post.button.share" if round_.is_open else "post.button.closed", lang)
    if paused and round_.is_open:
        label = translate("pause.button", lang)
    view.add_item(share_button(round_.id, disabled=paused or not round_.is_open, label=label))
    view.add_item(
        discord.ui.Button(
            label=translate("bridging.read.button", lang),
            style=discord.ButtonStyle.secondary,
            custom_id=_ids.READ.build(round_id=round_.id),
        )
    )
    return view


def tally_text(tally: EndorsementTally, lang: str = "en") -> str:
    if not tally.communities:
        return "—"
    legend = " · ".join(tally.communities)
    lines = [
        f"{ENDORSE_EMOJI[kind]} {endorse_label(kind, lang)}: {tally.line(kind)}"
        for kind in EndorsementKind
    ]
    per_community = translate("post.reply.per_community", lang, communities=legend)
    return "\n".join(lines) + f"\n-# {per_community}"


def jump_url(reply: Reply) -> str | None:
    """The link to a published reply's message in its round's thread."""
    if reply.message_id is None or reply.thread_id is None:
        return None
    return f"https://discord.com/channels/{reply.guild_id}/{reply.thread_id}/{reply.message_id}"


def response_label(
    reply: Reply, parent: Reply | None, anonymity: Anonymity, lang: str = "en"
) -> str:
    """ "Participant 3 · Azerbaijani, responding to Participant 1 · Armenian"."""
    mine = author_label(reply, anonymity, lang)
    if parent is None:
        return mine
    parent_label = author_label(parent, anonymity, lang)
    return translate("responses.label", lang, author=mine, parent=parent_label)


def reply_embed(
    reply: Reply,
    tally: EndorsementTally,
    anonymity: Anonymity = Anonymity.PSEUDONYMS,
    lang: str = "en",
    parent: Reply | None = None,
) -> discord.Embed:
    """A reply, or a response (``reply.parent_id`` set; ``parent`` the reply it answers)."""
    if reply.parent_id is not None:
        return response_embed(reply, tally, anonymity, lang, parent)
    embed = discord.Embed(colour=discord.Colour.blurple())
    embed.set_author(name=truncate(author_label(reply, anonymity, lang), 256))
    first = translate(FORM_FIELDS["brings_up"][0], lang)
    embed.description = truncate(f"**{first}**\n{reply.fields.brings_up}", 4096)
    for name in ("experience", "unsure", "question"):
        value = getattr(reply.fields, name)
        if value:
            label = translate(FORM_FIELDS[name][0], lang)
            embed.add_field(name=label, value=truncate(value, 1024), inline=False)
    if reply.fields.question:
        status = (
            "responses.question.answered"
            if reply.question_answered
            else ("responses.question.open")
        )
        embed.add_field(
            name=translate("responses.question.status", lang),
            value=translate(status, lang),
            inline=False,
        )
    return _finish(embed, reply, tally, lang)


def response_embed(
    reply: Reply,
    tally: EndorsementTally,
    anonymity: Anonymity,
    lang: str,
    parent: Reply | None,
) -> discord.Embed:
    embed = discord.Embed(colour=discord.Colour.og_blurple())
    embed.set_author(name=truncate(response_label(reply, parent, anonymity, lang), 256))
    lines = [reply.fields.brings_up]
    if parent is not None and (url := jump_url(parent)) is not None:
        parent_label = author_label(parent, anonymity, lang)
        link = translate("responses.in_response", lang, parent=parent_label)
        lines.append(f"-# [{link}]({url})")
    embed.description = truncate("\n".join(lines), 4096)
    return _finish(embed, reply, tally, lang)


def _finish(
    embed: discord.Embed, reply: Reply, tally: EndorsementTally, lang: str
) -> discord.Embed:
    embed.add_field(
        name=translate("post.reply.endorsements", lang),
        value=truncate(tally_text(tally, lang), 1024),
        inline=False,
    )
    footer = translate("post.reply.footer", lang, round=reply.round_number, reply=reply.id)
    if reply.edited:
        footer += " · " + translate("post.reply.edited", lang)
    embed.set_footer(text=footer)
    return embed


def respond_button(reply: Reply, lang: str = "en") -> discord.ui.Button[Any]:
    """ "Respond", or "Answer the question" on a reply that asks one."""
    key = "responses.button.answer" if reply.fields.question else "responses.button.respond"
    return discord.ui.Button(
        label=translate(key, lang),
        style=discord.ButtonStyle.primary,
        emoji="💬",
        custom_id=_ids.RESPOND.build(reply_id=reply.id),
    )


def reply_view(reply: Reply, tally: EndorsementTally, lang: str = "en") -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for kind in EndorsementKind:
        view.add_item(
            endorse_button(reply.id, kind, tally.total(kind), label=endorse_label(kind, lang))
        )
    view.add_item(report_button(reply.id, label=translate("post.button.report", lang)))
    if reply.parent_id is None:  # a response is answered in the thread, not by a response
        view.add_item(respond_button(reply, lang))
    return view


def verdicts_text(verdicts: tuple[Verdict, ...], lang: str = "en") -> str:
    lines = []
    for verdict in verdicts[:5]:
        if verdict.message_id:  # the verdict's catalog message, in the member's language
            text = translate(verdict.message_id, lang, **dict(verdict.params))
            if verdict.field in FORM_FIELDS:
                field = translate(FORM_FIELDS[verdict.field][0], lang)
                text = translate("civility.reason.where", lang, reason=text, field=field)
            lines.append(f"• {text}")
            continue
        where = FIELD_LABELS.get(verdict.field, "your reply")
        lines.append(f"• {verdict.explanation} (in “{where}”)")
    return "\n".join(lines) or "• A civility rule asked for a second look."


def draft_text(reply: Reply) -> str:
    """The member's own text, returned to them so that nothing is lost."""
    parts = [
        f"{FIELD_LABELS[name]}:\n{getattr(reply.fields, name)}"
        for name in FIELD_LABELS
        if getattr(reply.fields, name)
    ]
    body = "\n\n".join(parts).replace("```", "'''")
    return f"```\n{truncate(body, 1700)}\n```"
