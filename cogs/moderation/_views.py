"""Persistent moderation components. Every custom_id carries what it needs (the reply id or the
queue item key), so buttons keep working after a restart."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import discord

from bot.moderation.models import ItemKind, QueueItem, ReportCategory
from bot.moderation.service import DECISION_NOTE_MAX, QueueAction
from cogs import _ids as ids
from cogs._common import friendly, report_failure, submitted_values
from cogs._guard import form_values
from cogs._persistent import PersistentItem

TIMEOUT_CHOICES = {
    "10m": timedelta(minutes=10),
    "1h": timedelta(hours=1),
    "6h": timedelta(hours=6),
    "1d": timedelta(days=1),
    "3d": timedelta(days=3),
    "7d": timedelta(days=7),
    "28d": timedelta(days=28),
}

BUTTONS: dict[str, tuple[str, discord.ButtonStyle]] = {
    QueueAction.APPROVE: ("Approve", discord.ButtonStyle.success),
    QueueAction.REMOVE: ("Remove", discord.ButtonStyle.danger),
    QueueAction.WARN: ("Remove + warn", discord.ButtonStyle.danger),
    QueueAction.DISMISS: ("Dismiss", discord.ButtonStyle.secondary),
    QueueAction.UPHOLD: ("Sanction stands", discord.ButtonStyle.secondary),
    QueueAction.OVERTURN: ("Lift the sanction", discord.ButtonStyle.success),
    QueueAction.CONFIRM: ("Confirm", discord.ButtonStyle.danger),
    QueueAction.CANCEL: ("Cancel", discord.ButtonStyle.secondary),
}

ACTIONS_FOR: dict[ItemKind, tuple[QueueAction, ...]] = {
    ItemKind.HELD: (QueueAction.APPROVE, QueueAction.REMOVE, QueueAction.WARN),
    ItemKind.REPORT: (
        QueueAction.APPROVE,
        QueueAction.REMOVE,
        QueueAction.WARN,
        QueueAction.DISMISS,
    ),
    ItemKind.APPEAL: (QueueAction.UPHOLD, QueueAction.OVERTURN),
    ItemKind.PAIRED: (QueueAction.CONFIRM, QueueAction.CANCEL),
}


def _cog(interaction: discord.Interaction[Any]) -> Any:
    cog = interaction.client.get_cog("Moderation")
    if cog is None:
        raise RuntimeError("the moderation cog is not loaded")
    return cog


class ReportButton(PersistentItem[discord.ui.Button[Any]], id_format=ids.REPORT):
    """The Report button the dialogue cog puts on every published reply."""

    def __init__(self, reply_id: int) -> None:
        self.reply_id = reply_id
        super().__init__(
            discord.ui.Button(
                label="Report",
                style=discord.ButtonStyle.danger,
                emoji="🚩",
                custom_id=ids.REPORT.build(reply_id=reply_id),
            )
        )

    @friendly
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await _cog(interaction).open_reply_report(interaction, self.reply_id)


class ReportModal(discord.ui.Modal):
    """Only the form's shape: its submission is answered from the interaction itself by the
    moderation cog's listener (:func:`report_answers`), so a form open across a restart, or
    the same reply's form open for two members at once, is answered like any other."""

    def __init__(self, custom_id: str) -> None:
        super().__init__(title="Report to moderators", custom_id=custom_id, timeout=900)
        category: discord.ui.Select[Any] = discord.ui.Select(
            custom_id="category",
            placeholder="Choose one",
            options=[discord.SelectOption(label=c.label, value=c.value) for c in ReportCategory],
        )
        reason: discord.ui.TextInput[Any] = discord.ui.TextInput(
            custom_id="reason",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=500,
            placeholder="Optional: what should the moderators know?",
        )
        self.add_item(discord.ui.Label(text="What kind of problem is it?", component=category))
        self.add_item(discord.ui.Label(text="Details (optional)", component=reason))


def report_answers(interaction: discord.Interaction[Any]) -> tuple[str, str]:
    """The report form's category and details, read from the submission."""
    values = submitted_values(interaction)
    category = values.get("category")
    reason = values.get("reason")
    return (
        str(category[0]) if isinstance(category, list) and category else "",
        reason if isinstance(reason, str) else "",
    )


class QueueButton(PersistentItem[discord.ui.Button[Any]], id_format=ids.MOD):
    def __init__(self, action: str, key: str) -> None:
        self.action = action
        self.key = key
        label, style = BUTTONS.get(action, ("Next", discord.ButtonStyle.primary))
        super().__init__(
            discord.ui.Button(
                label=label, style=style, custom_id=ids.MOD.build(action=action, key=key)
            )
        )

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> QueueButton:
        values = ids.MOD.decode(match)
        action = values["action"] if values["action"] in BUTTONS else "next"
        return cls(action, values["key"])

    @friendly
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        cog = _cog(interaction)
        if self.action in DECISIONS_WITH_REASON:
            # refuse before the form opens, not after it is filled
            await cog.services.moderation.queue.require(cog.actor_of(interaction))
            await interaction.response.send_modal(DecisionModal(self.action, self.key))
            return
        await cog.handle_item(interaction, self.key, self.action, None)


# Decisions about a colleague's decision carry a note for the record and for the member.
DECISIONS_WITH_REASON = {
    QueueAction.UPHOLD.value: "Keep the sanction (it stands)",
    QueueAction.OVERTURN.value: "Lift the sanction",
    QueueAction.CONFIRM.value: "Confirm the sanction",
}


class DecisionModal(discord.ui.Modal):
    """Only the form's shape. Its submission is answered by :func:`decide_from_form` from the
    interaction itself, for whoever sends it: discord.py keeps one live modal per custom_id,
    so two moderators with the same form open (or a form open across a restart) would
    otherwise lose a submission."""

    def __init__(self, action: str, key: str) -> None:
        super().__init__(
            title=DECISIONS_WITH_REASON[action],
            custom_id=ids.MODDECIDE.build(action=action, key=key),
        )
        self.add_item(
            discord.ui.Label(
                text="Reason",
                component=discord.ui.TextInput(
                    custom_id="reason",
                    style=discord.TextStyle.paragraph,
                    required=False,
                    max_length=DECISION_NOTE_MAX,
                    placeholder="Why (optional): kept in the case, and told to the member",
                ),
            )
        )


async def decide_from_form(interaction: discord.Interaction[Any]) -> None:
    """Answer a decision form's submission; other interactions are left alone."""
    parsed = await form_values(interaction, ids.MODDECIDE)  # this server's item, a moderator
    if parsed is None:
        return
    reason = submitted_values(interaction).get("reason")
    try:
        await _cog(interaction).handle_item(
            interaction,
            parsed["key"],
            parsed["action"],
            None,
            reason=reason if isinstance(reason, str) else "",
        )
    except Exception as error:
        await report_failure(interaction, error)


class TimeoutSelect(PersistentItem[discord.ui.Select[Any]], id_format=ids.MODTO):
    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(
            discord.ui.Select(
                custom_id=ids.MODTO.build(key=key),
                placeholder="Remove + time out for…",
                options=[discord.SelectOption(label=name, value=name) for name in TIMEOUT_CHOICES],
            )
        )

    @friendly
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        values = self.item.values
        duration = TIMEOUT_CHOICES.get(values[0]) if values else None
        await _cog(interaction).handle_item(interaction, self.key, "timeout", duration)


def item_view(item: QueueItem) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for action in ACTIONS_FOR[item.kind]:
        view.add_item(QueueButton(action.value, item.key))
    view.add_item(QueueButton("next", item.key))
    if item.kind in (ItemKind.HELD, ItemKind.REPORT):
        view.add_item(TimeoutSelect(item.key))
    return view


DYNAMIC_ITEMS = (ReportButton, QueueButton, TimeoutSelect)
