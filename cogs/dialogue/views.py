"""Persistent components of the dialogue: every custom_id carries the ids it needs, so the
buttons keep working after a restart (discord.py DynamicItem)."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import discord

from bot.dialogue.models import EndorsementKind, Reply
from bot.dialogue.replies import BRINGS_UP_MAX, BRINGS_UP_MIN, OPTIONAL_MAX, RawReply
from bot.i18n import translate
from cogs._common import truncate

KIND_CODES = {
    "r": EndorsementKind.RESONATES,
    "l": EndorsementKind.LEARNED,
    "d": EndorsementKind.DISAGREE,
}
CODE_OF = {kind: code for code, kind in KIND_CODES.items()}


class ShareButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"t2:share:(?P<round_id>[0-9]+)"
):
    def __init__(self, round_id: int, *, disabled: bool = False, label: str | None = None) -> None:
        self.round_id = round_id
        super().__init__(
            discord.ui.Button(
                label=label or ("Round closed" if disabled else "Share your perspective"),
                style=discord.ButtonStyle.primary,
                emoji="🗣️",
                custom_id=f"t2:share:{round_id}",
                disabled=disabled,
            )
        )

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ShareButton:
        return cls(int(match["round_id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        from cogs.dialogue.flows import open_reply_form

        await open_reply_form(interaction, self.round_id)


class EndorseButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"t2:endorse:(?P<kind>[rld]):(?P<reply_id>[0-9]+)",
):
    def __init__(
        self, reply_id: int, kind: EndorsementKind, count: int = 0, *, label: str | None = None
    ) -> None:
        self.reply_id = reply_id
        self.kind = kind
        name = label or kind.label
        label = name if count == 0 else f"{name} · {count}"
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=f"t2:endorse:{CODE_OF[kind]}:{reply_id}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> EndorseButton:
        return cls(int(match["reply_id"]), KIND_CODES[match["kind"]])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        from cogs.dialogue.flows import endorse

        await endorse(interaction, self.reply_id, self.kind)


def ReportButton(reply_id: int, *, label: str = "Report") -> discord.ui.Button[Any]:
    """The "Report" button; the moderation extension handles its custom_id."""
    return discord.ui.Button(
        label=label,
        style=discord.ButtonStyle.danger,
        emoji="🚩",
        custom_id=f"t2:report:{reply_id}",
    )


class DraftButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"t2:draft:(?P<action>rephrase|anyway|withdraw):(?P<reply_id>[0-9]+)",
):
    """Buttons on the private answers about a reply: rephrase a draft, submit it anyway, or
    confirm withdrawing a reply."""

    LABELS: ClassVar[dict[str, str]] = {
        "rephrase": "draft.rephrase",
        "anyway": "draft.anyway",
        "withdraw": "draft.withdraw",
    }
    STYLES: ClassVar[dict[str, discord.ButtonStyle]] = {
        "rephrase": discord.ButtonStyle.primary,
        "anyway": discord.ButtonStyle.secondary,
        "withdraw": discord.ButtonStyle.danger,
    }

    def __init__(self, action: str, reply_id: int, *, lang: str = "en") -> None:
        self.action = action
        self.reply_id = reply_id
        super().__init__(
            discord.ui.Button(
                label=translate(self.LABELS[action], lang),
                style=self.STYLES[action],
                custom_id=f"t2:draft:{action}:{reply_id}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> DraftButton:
        return cls(match["action"], int(match["reply_id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        from cogs.dialogue.flows import draft_action

        await draft_action(interaction, self.action, self.reply_id)


# The form's four questions: (label, placeholder) message ids, in the order shown.
FORM_FIELDS = {
    "brings_up": ("form.brings_up.label", "form.brings_up.placeholder"),
    "experience": ("form.experience.label", "form.experience.placeholder"),
    "unsure": ("form.unsure.label", "form.unsure.placeholder"),
    "question": ("form.question.label", "form.question.placeholder"),
}


class ReplyModal(discord.ui.Modal):
    """The structured reply, in the member's language. ``mode`` is "new" (target: round id),
    "revise" (a draft) or "edit" (a submitted reply); the target id travels in the custom_id."""

    def __init__(
        self,
        mode: str,
        target_id: int,
        round_number: int,
        existing: Reply | None = None,
        *,
        lang: str = "en",
    ) -> None:
        title_key = {
            "new": "form.title.new",
            "revise": "form.title.revise",
            "edit": "form.title.edit",
        }[mode]
        super().__init__(
            title=truncate(translate(title_key, lang, round=round_number), 45),
            custom_id=f"t2:reply:{mode}:{target_id}",
            timeout=1800,
        )
        self.mode = mode
        self.target_id = target_id
        fields = existing.fields if existing else None
        self.inputs: dict[str, discord.ui.TextInput[Any]] = {}
        for name, (_, placeholder) in FORM_FIELDS.items():
            required = name == "brings_up"
            self.inputs[name] = discord.ui.TextInput(
                custom_id=name,
                style=discord.TextStyle.paragraph,
                required=required,
                min_length=BRINGS_UP_MIN if required else None,
                max_length=BRINGS_UP_MAX if required else OPTIONAL_MAX,
                placeholder=translate(placeholder, lang),
                default=getattr(fields, name) if fields else None,
            )
        consent_default = bool(existing and existing.quote_consent)
        self.consent: discord.ui.Select[Any] = discord.ui.Select(
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
        for name, component in self.inputs.items():
            label = translate(FORM_FIELDS[name][0], lang)
            self.add_item(discord.ui.Label(text=label, component=component))
        self.add_item(
            discord.ui.Label(
                text=translate("form.consent.label", lang),
                description=translate("form.consent.description", lang),
                component=self.consent,
            )
        )

    def raw(self) -> RawReply:
        values = {name: component.value for name, component in self.inputs.items()}
        return RawReply(
            brings_up=values["brings_up"],
            experience=values["experience"],
            unsure=values["unsure"],
            question=values["question"],
            quote_consent=self.consent.values == ["yes"],
        )

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        from cogs.dialogue.flows import submit_reply_form

        await submit_reply_form(interaction, self)
