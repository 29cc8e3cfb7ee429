"""Persistent components of the dialogue: every custom_id carries the ids it needs, so the
buttons keep working after a restart (discord.py DynamicItem)."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import discord

from bot.dialogue.models import EndorsementKind, Reply
from bot.dialogue.replies import BRINGS_UP_MAX, BRINGS_UP_MIN, OPTIONAL_MAX, RawReply

KIND_CODES = {
    "r": EndorsementKind.RESONATES,
    "l": EndorsementKind.LEARNED,
    "d": EndorsementKind.DISAGREE,
}
CODE_OF = {kind: code for code, kind in KIND_CODES.items()}


class ShareButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"t2:share:(?P<round_id>[0-9]+)"
):
    def __init__(self, round_id: int, *, disabled: bool = False) -> None:
        self.round_id = round_id
        super().__init__(
            discord.ui.Button(
                label="Share your perspective" if not disabled else "Round closed",
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
    def __init__(self, reply_id: int, kind: EndorsementKind, count: int = 0) -> None:
        self.reply_id = reply_id
        self.kind = kind
        label = kind.label if count == 0 else f"{kind.label} · {count}"
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


def ReportButton(reply_id: int) -> discord.ui.Button[Any]:
    """The "Report" button; the moderation extension handles its custom_id."""
    return discord.ui.Button(
        label="Report",
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
        "rephrase": "Rephrase",
        "anyway": "Submit anyway",
        "withdraw": "Yes, withdraw it",
    }
    STYLES: ClassVar[dict[str, discord.ButtonStyle]] = {
        "rephrase": discord.ButtonStyle.primary,
        "anyway": discord.ButtonStyle.secondary,
        "withdraw": discord.ButtonStyle.danger,
    }

    def __init__(self, action: str, reply_id: int) -> None:
        self.action = action
        self.reply_id = reply_id
        super().__init__(
            discord.ui.Button(
                label=self.LABELS[action],
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


class ReplyModal(discord.ui.Modal):
    """The structured reply. ``mode`` is "new" (target: round id), "revise" (a draft) or
    "edit" (a submitted reply); the target id travels in the custom_id."""

    def __init__(
        self, mode: str, target_id: int, round_number: int, existing: Reply | None = None
    ) -> None:
        title = {
            "new": "Share your perspective",
            "revise": "Rephrase your reply",
            "edit": "Edit your reply",
        }[mode]
        super().__init__(
            title=f"{title} · Round {round_number}"[:45],
            custom_id=f"t2:reply:{mode}:{target_id}",
            timeout=1800,
        )
        self.mode = mode
        self.target_id = target_id
        fields = existing.fields if existing else None
        self.brings_up: discord.ui.TextInput[Any] = discord.ui.TextInput(
            custom_id="brings_up",
            style=discord.TextStyle.paragraph,
            min_length=BRINGS_UP_MIN,
            max_length=BRINGS_UP_MAX,
            placeholder="What feelings, memories or thoughts does this excerpt bring up?",
            default=fields.brings_up if fields else None,
        )
        self.experience: discord.ui.TextInput[Any] = discord.ui.TextInput(
            custom_id="experience",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=OPTIONAL_MAX,
            placeholder="Optional: something you lived through or witnessed",
            default=fields.experience if fields else None,
        )
        self.unsure: discord.ui.TextInput[Any] = discord.ui.TextInput(
            custom_id="unsure",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=OPTIONAL_MAX,
            placeholder="Optional: where you are not sure, or feel two ways",
            default=fields.unsure if fields else None,
        )
        self.question: discord.ui.TextInput[Any] = discord.ui.TextInput(
            custom_id="question",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=OPTIONAL_MAX,
            placeholder="Optional: what would you like to understand about them?",
            default=fields.question if fields else None,
        )
        consent_default = bool(existing and existing.quote_consent)
        self.consent: discord.ui.Select[Any] = discord.ui.Select(
            custom_id="quote_consent",
            options=[
                discord.SelectOption(
                    label="No — keep it inside this server", value="no", default=not consent_default
                ),
                discord.SelectOption(
                    label="Yes — it may be quoted, without my name",
                    value="yes",
                    default=consent_default,
                ),
            ],
        )
        self.add_item(
            discord.ui.Label(text="What this excerpt brings up for me", component=self.brings_up)
        )
        self.add_item(
            discord.ui.Label(text="An experience that shaped my view", component=self.experience)
        )
        self.add_item(discord.ui.Label(text="Where I feel mixed or unsure", component=self.unsure))
        self.add_item(
            discord.ui.Label(text="A question for the other community", component=self.question)
        )
        self.add_item(
            discord.ui.Label(
                text="May this reply be quoted outside the server?",
                description="Digests and exports only include replies whose authors said yes.",
                component=self.consent,
            )
        )

    def raw(self) -> RawReply:
        return RawReply(
            brings_up=self.brings_up.value,
            experience=self.experience.value,
            unsure=self.unsure.value,
            question=self.question.value,
            quote_consent=self.consent.values == ["yes"],
        )

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        from cogs.dialogue.flows import submit_reply_form

        await submit_reply_form(interaction, self)
