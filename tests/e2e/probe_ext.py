"""A test-only extension exercising what features use: modals (Label and legacy forms),
buttons, selects, defer + followups, autocomplete, context menus, DMs and threads."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands


class LabelForm(discord.ui.Modal, title="Probe form"):
    name: discord.ui.Label[LabelForm] = discord.ui.Label(
        text="Your name", component=discord.ui.TextInput(custom_id="name", max_length=50)
    )
    mood: discord.ui.Label[LabelForm] = discord.ui.Label(
        text="Mood",
        component=discord.ui.Select(
            custom_id="mood",
            options=[
                discord.SelectOption(label="Calm", value="calm"),
                discord.SelectOption(label="Curious", value="curious"),
            ],
        ),
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        assert isinstance(self.name.component, discord.ui.TextInput)
        assert isinstance(self.mood.component, discord.ui.Select)
        text = f"hello {self.name.component.value}, {self.mood.component.values[0]}"
        await interaction.response.send_message(text, view=Buttons(), ephemeral=True)


class LegacyForm(discord.ui.Modal, title="Legacy form"):
    answer: discord.ui.TextInput[LegacyForm] = discord.ui.TextInput(
        label="Answer", custom_id="answer", style=discord.TextStyle.paragraph
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"legacy: {self.answer.value}")


class Buttons(discord.ui.View):
    @discord.ui.button(label="Again", custom_id="probe:again")
    async def again(self, interaction: discord.Interaction, _: discord.ui.Button[Buttons]) -> None:
        await interaction.response.edit_message(content="clicked", view=None)

    @discord.ui.select(
        custom_id="probe:pick",
        options=[discord.SelectOption(label=x, value=x) for x in ("red", "blue")],
    )
    async def pick(
        self, interaction: discord.Interaction, select: discord.ui.Select[Buttons]
    ) -> None:
        await interaction.response.send_message(f"picked {select.values[0]}", ephemeral=True)


class Probe(commands.Cog):
    group = app_commands.Group(name="probe", description="Probe the emulator")
    nested = app_commands.Group(name="nested", description="A group", parent=group)

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @group.command(name="form", description="Open the Label form")
    async def form(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(LabelForm())

    @group.command(name="legacy", description="Open the legacy form")
    async def legacy(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(LegacyForm())

    @group.command(name="slow", description="Defer, then follow up twice")
    async def slow(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send("first")
        await interaction.followup.send("second", ephemeral=True)

    @nested.command(name="echo", description="Echo typed options")
    @app_commands.describe(text="t", count="c", flag="f", who="w", role="r", where="x")
    async def echo(
        self,
        interaction: discord.Interaction,
        text: str,
        count: int,
        flag: bool,
        who: discord.Member,
        role: discord.Role,
        where: discord.TextChannel,
        file: discord.Attachment | None = None,
    ) -> None:
        data = (await file.read()).decode() if file else "-"
        await interaction.response.send_message(
            f"{text}|{count}|{flag}|{who.name}|{role.name}|{where.name}|{data}"
        )

    @group.command(name="colour", description="Autocomplete a colour")
    async def colour(self, interaction: discord.Interaction, name: str) -> None:
        await interaction.response.send_message(name)

    @colour.autocomplete("name")
    async def colour_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=c, value=c)
            for c in ("amber", "azure", "beige")
            if c.startswith(current)
        ]

    @group.command(name="thread", description="Post, open a thread, DM the caller")
    async def thread(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer()
        assert isinstance(interaction.channel, discord.TextChannel)
        post = await interaction.channel.send("topic", view=Buttons())
        thread = await post.create_thread(name="Round 1", auto_archive_duration=1440)
        await thread.send("inside")
        await post.add_reaction("👍")
        await thread.edit(archived=True, locked=True)
        try:
            await interaction.user.send("a private note")
            note = "dm sent"
        except discord.Forbidden:
            note = "dms closed"
        await interaction.followup.send(note)


@app_commands.context_menu(name="Quote message")
async def quote(interaction: discord.Interaction, message: discord.Message) -> None:
    await interaction.response.send_message(f"> {message.content}", ephemeral=True)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Probe(bot))
    bot.tree.add_command(quote)
