"""``/mydata``: a member's own data. Export sends a JSON file; delete asks first, with buttons
that keep working after a restart (DynamicItem) and expire after a quarter of an hour."""

from __future__ import annotations

import io
import json
import logging
import time
from typing import Any

import discord
from discord import app_commands

from bot.i18n import SOURCE, translate
from bot.safety import DeletionResult
from cogs import _ids
from cogs._common import NO_MENTIONS, answer, friendly, guild_id_of, language_of, services_of
from cogs._effects import apply
from cogs._persistent import PersistentItem

log = logging.getLogger(__name__)

CONFIRM_SECONDS = 15 * 60
EXPORT_FILENAME = "tracktwo-my-data.json"

DELETE_NOTICE = (
    "**Delete your Track Two data in this server?**\n"
    "This erases your replies (their messages are removed from the round threads), the "
    "endorsements you gave, your community membership and your join requests. Moderation "
    "cases are kept, with you replaced by a tombstone. This cannot be undone; "
    "/mydata export first if you want a copy."
)


def export_file(data: dict[str, Any]) -> discord.File:
    payload = json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
    return discord.File(io.BytesIO(payload), filename=EXPORT_FILENAME)


def deleted_text(result: DeletionResult) -> str:
    text = f"Done: your data in this server was erased ({result.summary})."
    if result.replies_unpublished:
        text += " Your published replies are being removed from the threads now."
    return text


class DeleteButton(PersistentItem[discord.ui.Button[Any]], id_format=_ids.MYDATA):
    """Confirm or cancel ``/mydata delete``. It acts on whoever clicks (only the member sees
    the ephemeral message) and refuses once the confirmation is older than 15 minutes."""

    def __init__(self, confirm: bool, issued: int, lang: str = SOURCE) -> None:
        self.confirm = confirm
        self.issued = issued
        super().__init__(
            discord.ui.Button(
                # a label for the item discord.py rebuilds from the custom_id (never shown);
                # the member sees the one confirmation_view() draws in their language
                label=translate(
                    "mydata.delete.confirm" if confirm else "mydata.delete.cancel", lang
                ),
                style=discord.ButtonStyle.danger if confirm else discord.ButtonStyle.secondary,
                custom_id=_ids.MYDATA.build(confirm=confirm, issued=issued),
            )
        )

    @friendly
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        if not self.confirm:
            await interaction.response.edit_message(
                content=translate("mydata.delete.cancelled", await language_of(interaction)),
                view=None,
                allowed_mentions=NO_MENTIONS,
            )
            return
        if time.time() - self.issued > CONFIRM_SECONDS:
            await interaction.response.edit_message(
                content=translate("mydata.delete.expired", await language_of(interaction)),
                view=None,
                allowed_mentions=NO_MENTIONS,
            )
            return
        services = services_of(interaction)
        guild_id = guild_id_of(interaction)
        result = await services.safety.mydata.delete(guild_id, interaction.user.id)
        await interaction.response.edit_message(
            content=deleted_text(result), view=None, allowed_mentions=NO_MENTIONS
        )
        if interaction.guild is not None:
            await apply(interaction.client, interaction.guild, result.effects)


def confirmation_view(issued: int, lang: str = SOURCE) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(DeleteButton(True, issued, lang))
    view.add_item(DeleteButton(False, issued, lang))
    return view


@app_commands.guild_only()
class MyDataGroup(app_commands.Group, name="mydata", description="Your data in Track Two"):
    @app_commands.command(name="export", description="Get a file of everything stored about you")
    async def export(self, interaction: discord.Interaction) -> None:
        services = services_of(interaction)
        guild_id = guild_id_of(interaction)
        await services.safety.mydata.check_allowed(guild_id, interaction.user.id, "export")
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await services.safety.mydata.export(guild_id, interaction.user.id)
        text = translate("mydata.export.done", await language_of(interaction))
        await answer(interaction, text, file=export_file(data))

    @app_commands.command(name="delete", description="Erase your replies and data in this server")
    async def delete(self, interaction: discord.Interaction) -> None:
        services = services_of(interaction)
        guild_id = guild_id_of(interaction)
        # Refuse before asking, rather than after the member confirmed.
        await services.safety.mydata.check_allowed(guild_id, interaction.user.id, "delete")
        view = confirmation_view(int(time.time()), await language_of(interaction))
        await answer(interaction, DELETE_NOTICE, view=view)
