"""The channels the bot uses, made safe: the dialogue channel's overwrites (members read, use
commands and press buttons, only the bot posts), the moderation channel kept private, and
``/setup check`` with its "Fix what I can" button.

Permissions are computed by discord.py's ``channel.permissions_for`` (Discord's model: base role
permissions, then the @everyone overwrite, the role overwrites, the member's own overwrite).
Discord lets a bot write an overwrite only with *Manage Roles* in that channel ("Manage
Permissions" in the channel's settings), and only for permissions it has itself; the plans
below keep to that.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import discord

from bot.i18n import translate
from bot.permissions import require_admin
from cogs import _ids
from cogs._common import answer, friendly, guild_id_of, language_of, member_facts, services_of
from cogs._permissions import BOT_PERMISSIONS
from cogs._persistent import PersistentItem

# What the bot needs in each channel (threads inherit the parent channel's overwrites).
BOT_DIALOGUE = (
    "view_channel",
    "read_message_history",
    "send_messages",
    "send_messages_in_threads",
    "create_public_threads",
    "create_private_threads",  # the circles' threads (/circle form)
    "manage_threads",
    "embed_links",
)
BOT_MOD = ("view_channel", "read_message_history", "send_messages", "embed_links")
# Members (@everyone and the community roles) in the dialogue channel.
MEMBER_ALLOW = ("view_channel", "read_message_history", "use_application_commands")
MEMBER_DENY = (
    "send_messages",
    "send_messages_in_threads",
    "create_public_threads",
    "create_private_threads",
)
MODERATOR_ALLOW = ("view_channel", "read_message_history", "send_messages")

PERMISSION_NAMES: dict[str, str] = {need.flag: need.name for need in BOT_PERMISSIONS} | {
    "read_message_history": "Read Message History",
    "use_application_commands": "Use Application Commands",
    "create_private_threads": "Create Private Threads",
}

Target = discord.Role | discord.Member


@dataclass(frozen=True)
class Change:
    """One overwrite to write: on ``target``, these permissions allowed/denied (others kept)."""

    target: Target
    allow: tuple[str, ...]
    deny: tuple[str, ...]

    def overwrite(self, channel: discord.abc.GuildChannel) -> discord.PermissionOverwrite:
        current = channel.overwrites_for(self.target)
        for name in self.allow:
            setattr(current, name, True)
        for name in self.deny:
            setattr(current, name, False)
        return current

    def needed(self, channel: discord.abc.GuildChannel) -> bool:
        current = channel.overwrites_for(self.target)
        return any(getattr(current, n) is not True for n in self.allow) or any(
            getattr(current, n) is not False for n in self.deny
        )


def _names(flags: Iterable[str]) -> str:
    return ", ".join(PERMISSION_NAMES[f] for f in flags)


def _label(target: Target) -> str:
    if isinstance(target, discord.Role):
        return "@everyone" if target.is_default() else f"@{target.name}"
    return f"@{target.display_name}"


def _bot_has(me: discord.Member, channel: discord.abc.GuildChannel) -> discord.Permissions:
    """What Discord lets the bot allow or deny: permissions it has in the server or channel."""
    return discord.Permissions(me.guild_permissions.value | channel.permissions_for(me).value)


def _keep_ours(
    flags: Sequence[str], me: discord.Member, ch: discord.abc.GuildChannel
) -> tuple[str, ...]:
    has = _bot_has(me, ch)
    if has.administrator:
        return tuple(flags)
    return tuple(f for f in flags if getattr(has, f))


def dialogue_plan(
    channel: discord.TextChannel, community_roles: Sequence[discord.Role]
) -> list[Change]:
    guild = channel.guild
    me = guild.me
    changes = [
        Change(role, _keep_ours(MEMBER_ALLOW, me, channel), _keep_ours(MEMBER_DENY, me, channel))
        for role in [guild.default_role, *community_roles]
    ]
    changes.append(Change(me, _keep_ours(BOT_DIALOGUE, me, channel), ()))
    return [c for c in changes if c.needed(channel)]


def mod_plan(channel: discord.TextChannel, moderator_role: discord.Role | None) -> list[Change]:
    guild = channel.guild
    me = guild.me
    changes = [Change(guild.default_role, (), ("view_channel",))]
    if moderator_role is not None and not moderator_role.is_default():
        changes.append(Change(moderator_role, _keep_ours(MODERATOR_ALLOW, me, channel), ()))
    changes.append(Change(me, _keep_ours(BOT_MOD, me, channel), ()))
    return [c for c in changes if c.needed(channel)]


def can_write_overwrites(channel: discord.abc.GuildChannel) -> bool:
    perms = channel.permissions_for(channel.guild.me)
    return perms.administrator or perms.manage_roles


async def apply_plan(channel: discord.TextChannel, plan: Sequence[Change]) -> None:
    # The bot's own overwrite first: denying @everyone must never lock the bot out midway.
    ordered = sorted(plan, key=lambda c: not isinstance(c.target, discord.Member))
    for change in ordered:
        await channel.set_permissions(
            change.target, overwrite=change.overwrite(channel), reason="Track Two /setup"
        )


def describe_plan(plan: Sequence[Change], lang: str) -> str:
    lines = []
    for change in plan:
        parts = []
        if change.allow:
            parts.append(translate("setupcheck.allow", lang, names=_names(change.allow)))
        if change.deny:
            parts.append(translate("setupcheck.deny", lang, names=_names(change.deny)))
        lines.append(f"• {_label(change.target)} — " + "; ".join(parts))
    return "\n".join(lines)


async def _community_roles(interaction: discord.Interaction[Any]) -> list[discord.Role]:
    guild = interaction.guild
    assert guild is not None
    communities = await services_of(interaction).communities.all(guild_id_of(interaction))
    roles = [guild.get_role(c.role_id) for c in communities]
    return [r for r in roles if r is not None]


async def _moderator_role(interaction: discord.Interaction[Any]) -> discord.Role | None:
    guild = interaction.guild
    assert guild is not None
    config = await services_of(interaction).guild_config.get(guild.id)
    return guild.get_role(config.moderator_role_id) if config.moderator_role_id else None


async def _settle(
    channel: discord.TextChannel, plan: Sequence[Change], lang: str, *, done_key: str
) -> str:
    """Write ``plan`` when the bot may, else say exactly how to; the sentence to show."""
    if not plan:
        return translate("setupcheck.already", lang)
    listing = describe_plan(plan, lang)
    if can_write_overwrites(channel):
        await apply_plan(channel, plan)
        return translate(done_key, lang, changes=listing)
    return translate("setupcheck.howto", lang, channel=f"#{channel.name}", changes=listing)


async def secure_dialogue_channel(
    interaction: discord.Interaction[Any], channel: discord.TextChannel
) -> str:
    """After ``/setup dialogue-channel``: the overwrites set, or how to set them."""
    lang = await language_of(interaction)
    plan = dialogue_plan(channel, await _community_roles(interaction))
    return await _settle(channel, plan, lang, done_key="setupcheck.dialogue.done")


async def mod_channel_warning(
    interaction: discord.Interaction[Any], channel: discord.TextChannel
) -> str:
    """After ``/setup mod-channel``: a warning when @everyone can read it, else nothing."""
    if not channel.permissions_for(channel.guild.default_role).view_channel:
        return ""
    lang = await language_of(interaction)
    return translate("setupcheck.mod.public", lang, channel=f"#{channel.name}")


async def findings(interaction: discord.Interaction[Any]) -> list[str]:
    """Every missing or unsafe permission in the channels the bot uses, one line each."""
    guild = interaction.guild
    assert guild is not None
    lang = await language_of(interaction)
    config = await services_of(interaction).guild_config.get(guild.id)
    me = guild.me
    lines: list[str] = []

    def missing(channel: discord.abc.GuildChannel, target: Target, flags: Sequence[str]) -> None:
        perms = channel.permissions_for(target)
        lacking = [f for f in flags if not getattr(perms, f)]
        if lacking:
            lines.append(
                translate(
                    "setupcheck.missing",
                    lang,
                    who=_label(target),
                    channel=f"#{channel.name}",
                    names=_names(lacking),
                )
            )

    dialogue = guild.get_channel(config.dialogue_channel_id or 0)
    if not isinstance(dialogue, discord.TextChannel):
        lines.append(translate("setupcheck.dialogue.unset", lang))
    else:
        missing(dialogue, me, BOT_DIALOGUE)
        for role in [guild.default_role, *await _community_roles(interaction)]:
            perms = dialogue.permissions_for(role)
            posting = [f for f in MEMBER_DENY if getattr(perms, f)]
            if posting:
                lines.append(
                    translate(
                        "setupcheck.dialogue.posting",
                        lang,
                        who=_label(role),
                        channel=f"#{dialogue.name}",
                        names=_names(posting),
                    )
                )
            missing(dialogue, role, MEMBER_ALLOW)
    mod = guild.get_channel(config.mod_channel_id or 0)
    if not isinstance(mod, discord.TextChannel):
        lines.append(translate("setupcheck.mod.unset", lang))
    else:
        missing(mod, me, BOT_MOD)
        if mod.permissions_for(guild.default_role).view_channel:
            lines.append(translate("setupcheck.mod.public", lang, channel=f"#{mod.name}"))
        moderator = await _moderator_role(interaction)
        if moderator is not None:
            missing(mod, moderator, ("view_channel",))
    if not me.guild_permissions.manage_roles and not me.guild_permissions.administrator:
        lines.append(translate("setupcheck.manage_roles", lang))
    return lines


async def fix_plans(
    interaction: discord.Interaction[Any],
) -> list[tuple[discord.TextChannel, list[Change]]]:
    guild = interaction.guild
    assert guild is not None
    config = await services_of(interaction).guild_config.get(guild.id)
    plans: list[tuple[discord.TextChannel, list[Change]]] = []
    dialogue = guild.get_channel(config.dialogue_channel_id or 0)
    if isinstance(dialogue, discord.TextChannel):
        plans.append((dialogue, dialogue_plan(dialogue, await _community_roles(interaction))))
    mod = guild.get_channel(config.mod_channel_id or 0)
    if isinstance(mod, discord.TextChannel):
        plans.append((mod, mod_plan(mod, await _moderator_role(interaction))))
    return [(channel, plan) for channel, plan in plans if plan]


async def show_check(interaction: discord.Interaction[Any]) -> None:
    lang = await language_of(interaction)
    lines = await findings(interaction)
    if not lines:
        await answer(interaction, translate("setupcheck.all_good", lang))
        return
    text = translate("setupcheck.title", lang) + "\n" + "\n".join(f"• {x}" for x in lines)
    view = discord.ui.View(timeout=None)
    if await fix_plans(interaction):
        view.add_item(FixButton(translate("setupcheck.fix", lang)))
    await answer(interaction, text, view=view)


class FixButton(PersistentItem[discord.ui.Button[Any]], id_format=_ids.SETUP_FIX):
    """Writes the safe overwrites the bot may write, then shows the check again."""

    def __init__(self, label: str = "Fix what I can") -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.primary, custom_id=_ids.SETUP_FIX.build()
            )
        )

    @friendly
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        guild_id_of(interaction)
        require_admin(member_facts(interaction))  # before any read or write
        lang = await language_of(interaction)
        done: list[str] = []
        refused: list[str] = []
        for channel, plan in await fix_plans(interaction):
            if can_write_overwrites(channel):
                await apply_plan(channel, plan)
                done.append(f"#{channel.name}:\n{describe_plan(plan, lang)}")
            else:
                refused.append(
                    translate(
                        "setupcheck.howto",
                        lang,
                        channel=f"#{channel.name}",
                        changes=describe_plan(plan, lang),
                    )
                )
        parts = [translate("setupcheck.fixed", lang, changes="\n".join(done))] if done else []
        parts.extend(refused)
        remaining = await findings(interaction)
        if remaining:
            parts.append(
                translate("setupcheck.remaining", lang)
                + "\n"
                + "\n".join(f"• {x}" for x in remaining)
            )
        else:
            parts.append(translate("setupcheck.all_good", lang))
        await answer(interaction, "\n\n".join(parts))
