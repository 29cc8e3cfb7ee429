"""``/help``: what this server is for and the commands *this* member may use, in their language.

Who may use what is decided with the same functions the commands' own checks call
(:mod:`bot.permissions` through ``require``): ``/setup`` is for admins, ``/prompt`` and
``/round`` for facilitators, ``/mod``, ``/civility`` and ``/community set`` for moderators, the
rest for every member. The list is read from the command tree, so a new command shows up here
(``tests/e2e/test_help.py`` fails when a new top-level command has no level decided)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.i18n import CATALOGS, translate
from bot.i18n import language as language_named
from bot.permissions import MemberFacts, is_admin, is_facilitator, is_moderator
from cogs._common import answer, guild_id_of, language_of, member_facts, services_of

if TYPE_CHECKING:
    from bot.dialogue.models import GuildConfig
    from cogs._bot import TrackTwoBot

LEVELS = ("participant", "facilitator", "moderator", "admin")
LEVEL_TITLES = {
    "participant": "help.level.participant",
    "facilitator": "help.level.facilitator",
    "moderator": "help.level.moderator",
    "admin": "help.level.admin",
}
# The check each command (or group) runs, by its path; the longest matching prefix wins.
LEVEL_OF: dict[str, str] = {
    "setup": "admin",
    "prompt": "facilitator",
    "round": "facilitator",
    "mod": "moderator",
    "civility": "moderator",
    "community set": "moderator",
    "note": "facilitator",
    "circle form": "facilitator",
    "circle post": "facilitator",
    "circle list": "facilitator",
    "circle dissolve": "facilitator",
}
AGREEMENT_COMMANDS = ("agreements", "setup agreements")  # linked when one exists


def level_of(path: str) -> str:
    words = path.split()
    for n in range(len(words), 0, -1):
        level = LEVEL_OF.get(" ".join(words[:n]))
        if level is not None:
            return level
    return "participant"


def levels_of(facts: MemberFacts, config: GuildConfig) -> set[str]:
    levels = {"participant"}
    if is_facilitator(facts, config):
        levels.add("facilitator")
    if is_moderator(facts, config):
        levels.add("moderator")
    if is_admin(facts):
        levels.add("admin")
    return levels


def leaves(
    commands_: Iterable[app_commands.Command[Any, ..., Any] | app_commands.Group],
) -> list[app_commands.Command[Any, ..., Any]]:
    found: list[app_commands.Command[Any, ..., Any]] = []
    for command in commands_:
        if isinstance(command, app_commands.Group):
            found.extend(leaves(command.commands))
        else:
            found.append(command)
    return found


def _described(text: str, lang: str) -> str:
    catalog = CATALOGS.get(lang)
    return (catalog.commands.get(text) if catalog else None) or text


def help_sections(tree: app_commands.CommandTree[Any], levels: set[str], lang: str) -> list[str]:
    """One text per level the member has: each top-level command or group on one line."""
    by_level: dict[str, dict[str, list[str]]] = {level: {} for level in LEVELS}
    descriptions: dict[str, str] = {}
    for command in sorted(
        leaves(c for c in tree.get_commands(type=discord.AppCommandType.chat_input)),
        key=lambda c: c.qualified_name,
    ):
        path = command.qualified_name
        top = path.split()[0]
        root = command.root_parent or command
        descriptions[top] = root.description
        by_level[level_of(path)].setdefault(top, []).append(" ".join(path.split()[1:]))
    sections = []
    for level in LEVELS:
        if level not in levels or not by_level[level]:
            continue
        lines = [f"**{translate(LEVEL_TITLES[level], lang)}**"]
        for top, subs in by_level[level].items():
            names = [s for s in subs if s]
            listed = f" ({', '.join(names)})" if names else ""
            lines.append(f"`/{top}`{listed} — {_described(descriptions[top], lang)}")
        sections.append("\n".join(lines))
    return sections


class Help(commands.Cog):
    def __init__(self, bot: TrackTwoBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What this server is for and what you can do")
    @app_commands.guild_only()
    async def help(self, interaction: discord.Interaction) -> None:
        guild_id = guild_id_of(interaction)
        lang = await language_of(interaction)
        config = await services_of(interaction).guild_config.get(guild_id)
        levels = levels_of(member_facts(interaction), config)
        parts = [translate("help.purpose", lang)]
        if config.dialogue_channel_id:
            parts.append(translate("help.where", lang, channel=f"<#{config.dialogue_channel_id}>"))
        parts.extend(help_sections(self.bot.tree, levels, lang))
        agreements = [
            name for name in AGREEMENT_COMMANDS if self.bot.tree.get_command(name.split()[0])
        ]
        agreements = [
            n for n in agreements if len(n.split()) == 1 or _has_sub(self.bot.tree, *n.split())
        ]
        if agreements:
            parts.append(translate("help.agreements", lang, command=f"/{agreements[0]}"))
        parts.append(translate("help.privacy", lang))
        parts.append(translate("help.language", lang, language=language_named(lang).name))
        embed = discord.Embed(
            title=translate("help.title", lang),
            description="\n\n".join(parts)[:4096],
            colour=discord.Colour.teal(),
        )
        await answer(interaction, embed=embed)


def _has_sub(tree: app_commands.CommandTree[Any], group: str, sub: str) -> bool:
    found = tree.get_command(group)
    return isinstance(found, app_commands.Group) and found.get_command(sub) is not None


async def setup(bot: TrackTwoBot) -> None:
    await bot.add_cog(Help(bot))
