"""The Discord permissions the bot needs, each with what it is used for — written once.

``tracktwo invite`` computes the invite URL's integer from this list, the README's table is
checked against it (tests/unit/test_cli.py), and a server check can compare a channel's
permissions with it. Each ``flag`` is a :class:`discord.Permissions` attribute; an unknown name
fails at import.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import discord

INVITE_SCOPES = ("bot", "applications.commands")


@dataclass(frozen=True, slots=True)
class Need:
    flag: str  # the discord.Permissions attribute
    name: str  # as Discord's server settings name it
    used_for: str  # what the bot does with it, found in the code


BOT_PERMISSIONS: tuple[Need, ...] = (
    Need("view_channel", "View Channels", "see the dialogue and moderation channels"),
    Need(
        "send_messages",
        "Send Messages",
        "post prompts in the dialogue channel, and notices, join requests and the case log "
        "in the moderation channel",
    ),
    Need(
        "send_messages_in_threads",
        "Send Messages in Threads",
        "publish replies in a round's thread, and the closed/reopened notes there",
    ),
    Need(
        "create_public_threads",
        "Create Public Threads",
        "open each round's thread on its prompt (again, if someone deleted it)",
    ),
    Need(
        "create_private_threads",
        "Create Private Threads",
        "open each circle's private thread (`/circle form`) and add its members",
    ),
    Need(
        "manage_threads",
        "Manage Threads",
        "delete a round's thread when the retention period (`/setup retention`) has passed "
        "(`/round close` neither archives nor locks the thread; it posts a note there)",
    ),
    Need(
        "embed_links",
        "Embed Links",
        "show prompts, replies and the case log as embeds in the channels",
    ),
    Need(
        "attach_files",
        "Attach Files",
        "the files of `/mydata export` and `/round digest`, sent as a private answer",
    ),
    Need(
        "manage_messages",
        "Manage Messages",
        "delete a member's reported message when a moderator removes it (the bot's own "
        "reply messages need no permission to delete)",
    ),
    Need(
        "manage_roles",
        "Manage Roles",
        "give and take community roles (`/community join`, `leave`, `set`, approved join "
        "requests, `/mydata delete`); the bot's role must sit above those roles",
    ),
    Need("moderate_members", "Moderate Members", "time members out (`/mod timeout`, `untimeout`)"),
)


def invite_permissions() -> discord.Permissions:
    return discord.Permissions(**{need.flag: True for need in BOT_PERMISSIONS})


def invite_url(client_id: int) -> str:
    query = urlencode(
        {
            "client_id": client_id,
            "scope": " ".join(INVITE_SCOPES),
            "permissions": invite_permissions().value,
        }
    )
    return f"https://discord.com/oauth2/authorize?{query}"
