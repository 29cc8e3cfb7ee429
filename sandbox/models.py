"""The emulator's data model: guilds, roles, channels, members, messages, interactions.

Objects are plain dataclasses that tests may inspect directly (they always show the current
state, after edits). ``*_json`` functions turn them into the payloads Discord would send.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

DISCORD_EPOCH_MS = 1420070400000

# Permission bits (https://discord.com/developers/docs/topics/permissions).
KICK_MEMBERS = 1 << 1
BAN_MEMBERS = 1 << 2
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_NICKNAMES = 1 << 27
MANAGE_ROLES = 1 << 28
MANAGE_THREADS = 1 << 34
CREATE_PUBLIC_THREADS = 1 << 35
CREATE_PRIVATE_THREADS = 1 << 36
SEND_MESSAGES_IN_THREADS = 1 << 38
MODERATE_MEMBERS = 1 << 40
ALL_PERMISSIONS = (1 << 51) - 1

EVERYONE_DEFAULT = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | SEND_MESSAGES_IN_THREADS
    | CREATE_PUBLIC_THREADS
    | ADD_REACTIONS
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_APPLICATION_COMMANDS
)
BOT_DEFAULT = (
    EVERYONE_DEFAULT
    | MANAGE_MESSAGES
    | MANAGE_THREADS
    | CREATE_PRIVATE_THREADS
    | MANAGE_ROLES
    | MODERATE_MEMBERS
    | MANAGE_CHANNELS
)

# Channel types.
GUILD_TEXT = 0
DM = 1
GUILD_CATEGORY = 4
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12
THREAD_TYPES = (PUBLIC_THREAD, PRIVATE_THREAD)

EPHEMERAL = 1 << 6
LOADING = 1 << 7


class Snowflakes:
    """Increasing Discord-style ids whose timestamp part is the current time."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)
        self._last = 0

    def next(self) -> int:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        value = (ms << 22) | (next(self._counter) & 0xFFF)
        self._last = value = max(value, self._last + 1)
        return value


def iso(ts: float | None = None) -> str:
    moment = dt.datetime.fromtimestamp(time.time() if ts is None else ts, dt.UTC)
    return moment.isoformat()


def parse_iso(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


@dataclass(eq=False)
class User:
    id: int
    username: str
    bot: bool = False
    global_name: str | None = None
    locale: str = "en-US"  # the language of the member's Discord app, sent with interactions

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    @property
    def display_name(self) -> str:
        return self.global_name or self.username


@dataclass(eq=False)
class Role:
    id: int
    guild_id: int
    name: str
    permissions: int = 0
    position: int = 0
    color: int = 0
    hoist: bool = False
    mentionable: bool = False
    managed: bool = False

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"


@dataclass(eq=False)
class Overwrite:
    id: int
    type: int  # 0 role, 1 member
    allow: int = 0
    deny: int = 0


@dataclass(eq=False)
class Channel:
    id: int
    type: int
    name: str = ""
    guild_id: int | None = None
    parent_id: int | None = None
    position: int = 0
    topic: str | None = None
    overwrites: list[Overwrite] = field(default_factory=list)
    # threads
    owner_id: int | None = None
    archived: bool = False
    locked: bool = False
    auto_archive_duration: int = 1440
    invitable: bool = True
    thread_member_ids: set[int] = field(default_factory=set)
    # DMs
    recipient_ids: list[int] = field(default_factory=list)
    message_ids: list[int] = field(default_factory=list)
    deleted: bool = False

    @property
    def is_thread(self) -> bool:
        return self.type in THREAD_TYPES

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"


@dataclass(eq=False)
class Member:
    user: User
    guild_id: int
    role_ids: list[int] = field(default_factory=list)
    nick: str | None = None
    communication_disabled_until: str | None = None
    joined_at: str = field(default_factory=iso)
    dms_open: bool = True

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.nick or self.user.display_name

    @property
    def mention(self) -> str:
        return f"<@{self.user.id}>"

    @property
    def timed_out(self) -> bool:
        until = self.communication_disabled_until
        return until is not None and parse_iso(until) > dt.datetime.now(dt.UTC)


@dataclass(eq=False)
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    preferred_locale: str = "en-US"
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]

    def role(self, name: str) -> Role:
        for role in self.roles.values():
            if role.name == name:
                return role
        raise KeyError(f"no role named {name!r} in {self.name}; roles: {self.role_names()}")

    def role_names(self) -> list[str]:
        return [r.name for r in self.roles.values()]

    def channel(self, name: str) -> Channel:
        for channel in self.channels.values():
            if channel.name == name and not channel.deleted:
                return channel
        names = [c.name for c in self.channels.values()]
        raise KeyError(f"no channel named {name!r} in {self.name}; channels: {names}")

    def threads(self) -> list[Channel]:
        return [c for c in self.channels.values() if c.is_thread and not c.deleted]

    def top_position(self, member: Member) -> int:
        if member.id == self.owner_id:
            return 1 << 30
        return max((self.roles[r].position for r in member.role_ids if r in self.roles), default=0)


@dataclass(eq=False)
class Attachment:
    id: int
    filename: str
    data: bytes
    content_type: str
    url: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "filename": self.filename,
            "size": len(self.data),
            "url": self.url,
            "proxy_url": self.url,
            "content_type": self.content_type,
        }


@dataclass(eq=False)
class Message:
    """A message as it stands now; ``history`` keeps earlier versions after edits."""

    id: int
    channel_id: int
    guild_id: int | None
    author: User
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: int = 0
    type: int = 0
    timestamp: str = field(default_factory=iso)
    edited_timestamp: str | None = None
    deleted: bool = False
    webhook_id: int | None = None
    interaction_id: int | None = None
    interaction_metadata: dict[str, Any] | None = None
    message_reference: dict[str, Any] | None = None
    visible_to: int | None = None  # ephemeral messages are seen by one member only
    reactions: dict[str, list[int]] = field(default_factory=dict)  # emoji key -> user ids
    thread_id: int | None = None
    mention_ids: list[int] = field(default_factory=list)
    mention_role_ids: list[int] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    audit_reason: str | None = None
    nonce: str | None = None
    created_monotonic: float = field(default_factory=time.monotonic)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        return bool(self.flags & LOADING)

    @property
    def edits(self) -> int:
        return len(self.history)

    @property
    def embed(self) -> dict[str, Any]:
        """The first embed (fails clearly when there is none)."""
        if not self.embeds:
            raise AssertionError(f"message {self.id} has no embed: {self.content!r}")
        return self.embeds[0]

    def embed_fields(self, index: int = 0) -> dict[str, str]:
        """Field name -> value of one embed."""
        return {f["name"]: f["value"] for f in self.embeds[index].get("fields", [])}

    def all_components(self) -> list[dict[str, Any]]:
        """Every component, flattened out of rows, sections, containers and labels."""
        found: list[dict[str, Any]] = []

        def walk(items: list[dict[str, Any]]) -> None:
            for item in items:
                found.append(item)
                walk(item.get("components", []))
                if "accessory" in item:
                    walk([item["accessory"]])
                if "component" in item:
                    walk([item["component"]])

        walk(self.components)
        return found

    def buttons(self) -> list[dict[str, Any]]:
        return [c for c in self.all_components() if c.get("type") == 2]

    def button_labels(self) -> list[str]:
        return [str(b.get("label") or b.get("emoji", {}).get("name", "")) for b in self.buttons()]

    def component(self, key: str) -> dict[str, Any]:
        """A button or select by custom_id or label (or placeholder)."""
        for item in self.all_components():
            if item.get("type") in (2, 3, 5, 6, 7, 8) and key in (
                item.get("custom_id"),
                item.get("label"),
                item.get("placeholder"),
            ):
                return item
        described = [
            c.get("label") or c.get("custom_id") or c.get("placeholder")
            for c in self.all_components()
            if c.get("type") in (2, 3, 5, 6, 7, 8)
        ]
        raise LookupError(f"message {self.id} has no component {key!r}; it has {described}")

    def reaction_count(self, emoji: str) -> int:
        return len(self.reactions.get(emoji, []))


@dataclass(eq=False)
class Command:
    id: int
    application_id: int
    guild_id: int | None
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.data["name"])

    @property
    def type(self) -> int:
        return int(self.data.get("type", 1))


@dataclass(eq=False)
class Modal:
    """A modal the bot opened, as the member sees it."""

    custom_id: str
    title: str
    components: list[dict[str, Any]]
    interaction_id: int

    def fields(self) -> list[dict[str, Any]]:
        """Every input (text input or select) with its label, wherever it sits."""
        found: list[dict[str, Any]] = []
        for top in self.components:
            if top.get("type") == 1:
                for inner in top.get("components", []):
                    found.append({"label": inner.get("label"), **inner})
            elif top.get("type") == 18:
                inner = top.get("component", {})
                found.append({**inner, "label": top.get("label")})
        return found

    def field(self, key: str) -> dict[str, Any]:
        for item in self.fields():
            if key in (item.get("custom_id"), item.get("label")):
                return item
        raise LookupError(
            f"modal {self.title!r} has no field {key!r}; fields: "
            f"{[(f.get('custom_id'), f.get('label')) for f in self.fields()]}"
        )


@dataclass(eq=False)
class Interaction:
    id: int
    token: str
    type: int
    guild_id: int | None
    channel_id: int
    user_id: int
    payload: dict[str, Any]
    created_at: float  # loop time
    created_wall: float = field(default_factory=time.time)
    response_type: int | None = None
    original_message_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    modal: Modal | None = None
    choices: list[dict[str, Any]] | None = None
    source_message_id: int | None = None  # the message a component was on
    source_label: str | None = None  # the component's label when it was used
    source_component: dict[str, Any] | None = None  # the component as it was when used
    deferred_ephemeral: bool = False
    first_followup_pending: bool = False

    @property
    def responded(self) -> bool:
        return self.response_type is not None


# ---------------------------------------------------------------------------------------------
# Payloads


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": str(user.id),
        "username": user.username,
        "global_name": user.global_name,
        "discriminator": "0",
        "avatar": None,
        "bot": user.bot,
        "public_flags": 0,
        "flags": 0,
    }


def role_json(role: Role) -> dict[str, Any]:
    return {
        "id": str(role.id),
        "name": role.name,
        "color": role.color,
        "colors": {"primary_color": role.color, "secondary_color": None, "tertiary_color": None},
        "hoist": role.hoist,
        "icon": None,
        "unicode_emoji": None,
        "position": role.position,
        "permissions": str(role.permissions),
        "managed": role.managed,
        "mentionable": role.mentionable,
        "flags": 0,
    }


def member_json(member: Member, *, with_user: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "roles": [str(r) for r in member.role_ids],
        "nick": member.nick,
        "avatar": None,
        "joined_at": member.joined_at,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": member.communication_disabled_until,
    }
    if with_user:
        data["user"] = user_json(member.user)
    return data


def channel_json(channel: Channel) -> dict[str, Any]:
    data: dict[str, Any] = {"id": str(channel.id), "type": channel.type, "flags": 0}
    if channel.type == DM:
        data["recipients"] = []  # filled by the caller, which knows the users
        data["last_message_id"] = str(channel.message_ids[-1]) if channel.message_ids else None
        return data
    data.update(
        name=channel.name,
        guild_id=str(channel.guild_id),
        position=channel.position,
        parent_id=str(channel.parent_id) if channel.parent_id else None,
        nsfw=False,
        rate_limit_per_user=0,
        last_message_id=str(channel.message_ids[-1]) if channel.message_ids else None,
    )
    if channel.is_thread:
        data.update(
            owner_id=str(channel.owner_id),
            message_count=len(channel.message_ids),
            member_count=len(channel.thread_member_ids),
            total_message_sent=len(channel.message_ids),
            thread_metadata={
                "archived": channel.archived,
                "auto_archive_duration": channel.auto_archive_duration,
                "archive_timestamp": iso(),
                "locked": channel.locked,
                "invitable": channel.invitable,
            },
        )
    else:
        data.update(
            topic=channel.topic,
            permission_overwrites=[
                {"id": str(o.id), "type": o.type, "allow": str(o.allow), "deny": str(o.deny)}
                for o in channel.overwrites
            ],
        )
    return data


def attachment_ids(message: Message) -> list[dict[str, Any]]:
    return [a.to_json() for a in message.attachments]
