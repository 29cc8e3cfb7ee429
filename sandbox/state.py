"""The emulated Discord's state, the sandbox's lowest layer: :class:`DiscordState`.

It holds every guild, channel, member, message, command and interaction, computes permissions,
serializes payloads as Discord would, records the bot's REST calls, and wakes waiters on every
change (``changed()``). Changes that Discord announces go out through ``events`` (the gateway,
wired by :class:`sandbox.emulator.Emulator`); the state itself knows no server or socket.

The data model (:mod:`sandbox.models`) is re-exported here, so ``from sandbox import state as
st`` gives ``st.Message``, ``st.VIEW_CHANNEL`` and the rest.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Protocol

from sandbox.calls import RestCall
from sandbox.models import *  # noqa: F403  (the model is part of the state's surface)
from sandbox.models import (
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    BOT_DEFAULT,
    DM,
    EVERYONE_DEFAULT,
    GUILD_TEXT,
    READ_MESSAGE_HISTORY,
    VIEW_CHANNEL,
    Attachment,
    Channel,
    Command,
    Guild,
    Interaction,
    Member,
    Message,
    Overwrite,
    Role,
    Snowflakes,
    User,
    channel_json,
    iso,
    member_json,
    role_json,
    user_json,
)


class EventSink(Protocol):
    """Where announced changes go: the gateway, to every session whose intents allow it."""

    async def dispatch(self, event: str, data: dict[str, Any], intent: int = 0) -> None: ...


class _NoGateway:
    async def dispatch(self, event: str, data: dict[str, Any], intent: int = 0) -> None:
        return None


class DiscordState:
    def __init__(self, *, token: str, app_name: str = "Track Two") -> None:
        self.ids = Snowflakes()
        self.token = token
        self.application_id = self.ids.next()
        self.bot_user = User(id=self.application_id, username=app_name.replace(" ", ""), bot=True)
        self.bot_user.global_name = app_name
        self.users: dict[int, User] = {self.bot_user.id: self.bot_user}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self.commands: dict[int, Command] = {}
        self.interactions: dict[int, Interaction] = {}
        self.interactions_by_token: dict[str, Interaction] = {}
        self.attachments: dict[int, Attachment] = {}
        self.dm_channels: dict[int, Channel] = {}  # user id -> DM channel with the bot
        self.rest_log: list[RestCall] = []
        self.errors: list[RestCall] = []
        self.consumed_message_ids: set[int] = set()  # already returned by wait_for_message
        self.interaction_deadline = 3.0
        self.followup_ttl = 15 * 60.0
        self.default_timeout = 2.0
        self.base_url = ""  # http://host:port once the server listens
        self.gateway_url = ""  # ws://host:port/gateway
        self.events: EventSink = _NoGateway()
        self._changed = asyncio.Event()
        self.changes = 0  # how many times changed() was called
        self.title_case_names = False  # True: new users show as "Ani" (username "ani")
        self.requests_in_flight = 0  # REST calls the server is answering right now
        # Awaited before each thing a scripted member does (an interaction, a message, a
        # reaction): the demo settles the bot's effects of the previous action there.
        self.before_action: Callable[[], Awaitable[None]] | None = None

    async def member_acts(self) -> None:
        if self.before_action is not None:
            await self.before_action()

    # -- change and waking -----------------------------------------------------------------

    def changed(self) -> None:
        """Wake every waiter; called after each change of state."""
        self.changes += 1
        self._changed.set()
        self._changed = asyncio.Event()

    async def next_change(self, within: float) -> None:
        """Return at the next ``changed()`` or after ``within`` seconds, whichever is first."""
        event = self._changed
        # asyncio.timeout, not wait_for: 3.11's wait_for drops a cancel that arrives in the same
        # step as the event (CPython gh-86296), and a test's teardown would then hang.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(within):
                await event.wait()

    async def dispatch(self, event: str, data: dict[str, Any], intent: int = 0) -> None:
        await self.events.dispatch(event, data, intent)

    # -- building the world ----------------------------------------------------------------

    def new_user(self, username: str, *, bot: bool = False, global_name: str | None = None) -> User:
        if global_name is None and self.title_case_names and not bot:
            global_name = username.title()
        user = User(id=self.ids.next(), username=username, bot=bot, global_name=global_name)
        self.users[user.id] = user
        return user

    async def create_guild(
        self,
        name: str = "Track Two Sandbox",
        *,
        owner: str = "owner",
        bot_permissions: int = BOT_DEFAULT,
        bot_role_position: int = 10,
        everyone_permissions: int = EVERYONE_DEFAULT,
    ) -> Guild:
        guild_id = self.ids.next()
        owner_user = self.new_user(owner)
        guild = Guild(id=guild_id, name=name, owner_id=owner_user.id)
        guild.roles[guild_id] = Role(
            id=guild_id, guild_id=guild_id, name="@everyone", permissions=everyone_permissions
        )
        bot_role = Role(
            id=self.ids.next(),
            guild_id=guild_id,
            name=self.bot_user.global_name or self.bot_user.username,
            permissions=bot_permissions,
            position=bot_role_position,
            managed=True,
        )
        guild.roles[bot_role.id] = bot_role
        guild.members[owner_user.id] = Member(user=owner_user, guild_id=guild_id)
        guild.members[self.bot_user.id] = Member(
            user=self.bot_user, guild_id=guild_id, role_ids=[bot_role.id]
        )
        self.guilds[guild_id] = guild
        await self.dispatch("GUILD_CREATE", self.guild_create_payload(guild))
        self.changed()
        return guild

    def bot_role(self, guild: Guild) -> Role:
        return next(r for r in guild.roles.values() if r.managed)

    async def create_role(
        self,
        guild: Guild,
        name: str,
        *,
        permissions: int = 0,
        position: int | None = None,
        color: int = 0,
        mentionable: bool = False,
    ) -> Role:
        if position is None:
            position = 1 + max(
                (r.position for r in guild.roles.values() if not r.managed), default=0
            )
        role = Role(
            id=self.ids.next(),
            guild_id=guild.id,
            name=name,
            permissions=permissions,
            position=position,
            color=color,
            mentionable=mentionable,
        )
        guild.roles[role.id] = role
        await self.dispatch(
            "GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": role_json(role)}, 1
        )
        self.changed()
        return role

    async def create_channel(
        self,
        guild: Guild,
        name: str,
        *,
        type: int = GUILD_TEXT,
        topic: str | None = None,
        parent: Channel | None = None,
        overwrites: Iterable[Overwrite] = (),
    ) -> Channel:
        channel = Channel(
            id=self.ids.next(),
            type=type,
            name=name,
            guild_id=guild.id,
            topic=topic,
            parent_id=parent.id if parent else None,
            position=len(guild.channels),
            overwrites=list(overwrites),
        )
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        await self.dispatch("CHANNEL_CREATE", self.channel_payload(channel), 1)
        self.changed()
        return channel

    def hide_channel_from(self, channel: Channel, *targets: Role | Member) -> None:
        """A private channel: @everyone cannot view; the given roles/members (and the bot) can."""
        assert channel.guild_id is not None
        channel.overwrites.append(Overwrite(channel.guild_id, 0, deny=VIEW_CHANNEL))
        channel.overwrites.append(Overwrite(self.bot_user.id, 1, allow=VIEW_CHANNEL))
        for target in targets:
            kind = 0 if isinstance(target, Role) else 1
            channel.overwrites.append(Overwrite(target.id, kind, allow=VIEW_CHANNEL))

    async def add_member(
        self,
        guild: Guild,
        username: str,
        *,
        roles: Iterable[Role] = (),
        nick: str | None = None,
        global_name: str | None = None,
        dms_open: bool = True,
    ) -> Member:
        user = self.new_user(username, global_name=global_name)
        member = Member(
            user=user,
            guild_id=guild.id,
            role_ids=[r.id for r in roles],
            nick=nick,
            dms_open=dms_open,
        )
        guild.members[user.id] = member
        payload = {**self.member_payload(member), "guild_id": str(guild.id)}
        await self.dispatch("GUILD_MEMBER_ADD", payload, 2)
        self.changed()
        return member

    def find_member(self, guild: Guild, who: str | int) -> Member:
        """The member with this username, nickname or id."""
        for member in guild.members.values():
            if who in (member.id, member.user.username, member.nick):
                return member
        raise KeyError(f"no member {who!r} in {guild.name}")

    async def set_roles(self, guild: Guild, member: Member, roles: Iterable[Role]) -> None:
        """Change a member's roles as a server admin would (dispatches GUILD_MEMBER_UPDATE)."""
        member.role_ids = [r.id for r in roles]
        await self.member_updated(guild, member)

    async def member_updated(self, guild: Guild, member: Member) -> None:
        payload = {**self.member_payload(member), "guild_id": str(guild.id)}
        await self.dispatch("GUILD_MEMBER_UPDATE", payload, 2)
        self.changed()

    # -- permissions -----------------------------------------------------------------------

    def permissions(self, guild: Guild, member: Member, channel: Channel | None = None) -> int:
        if member.id == guild.owner_id:
            return ALL_PERMISSIONS
        perms = guild.everyone.permissions
        for role_id in member.role_ids:
            if role_id in guild.roles:
                perms |= guild.roles[role_id].permissions
        if perms & ADMINISTRATOR:
            return ALL_PERMISSIONS
        if channel is not None and channel.is_thread and channel.parent_id:
            channel = self.channels.get(channel.parent_id, channel)
        if channel is not None and channel.overwrites:
            by_id = {o.id: o for o in channel.overwrites}
            if (everyone := by_id.get(guild.id)) is not None:
                perms = (perms & ~everyone.deny) | everyone.allow
            allow = deny = 0
            for o in channel.overwrites:
                if o.type == 0 and o.id in member.role_ids:
                    allow |= o.allow
                    deny |= o.deny
            perms = (perms & ~deny) | allow
            if (own := by_id.get(member.id)) is not None and own.type == 1:
                perms = (perms & ~own.deny) | own.allow
        if member.timed_out:
            perms &= VIEW_CHANNEL | READ_MESSAGE_HISTORY
        return perms

    def bot_member(self, guild: Guild) -> Member:
        return guild.members[self.bot_user.id]

    def bot_can(self, guild: Guild, permission: int, channel: Channel | None = None) -> bool:
        return bool(self.permissions(guild, self.bot_member(guild), channel) & permission)

    # -- payloads ---------------------------------------------------------------------------

    def user_payload(self, user: User) -> dict[str, Any]:
        return user_json(user)

    def member_payload(self, member: Member, *, with_user: bool = True) -> dict[str, Any]:
        return member_json(member, with_user=with_user)

    def channel_payload(self, channel: Channel) -> dict[str, Any]:
        data = channel_json(channel)
        if channel.type == DM:
            data["recipients"] = [
                user_json(self.users[u]) for u in channel.recipient_ids if u in self.users
            ]
        return data

    def guild_create_payload(self, guild: Guild) -> dict[str, Any]:
        channels = [c for c in guild.channels.values() if not c.is_thread and not c.deleted]
        threads = [c for c in guild.threads() if not c.archived]
        return {
            "id": str(guild.id),
            "name": guild.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(guild.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [role_json(r) for r in guild.roles.values()],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": guild.preferred_locale,
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "joined_at": iso(),
            "large": False,
            "unavailable": False,
            "member_count": len(guild.members),
            "voice_states": [],
            "members": [self.member_payload(m) for m in guild.members.values()],
            "channels": [self.channel_payload(c) for c in channels],
            "threads": [self.channel_payload(c) for c in threads],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    def message_payload(self, msg: Message) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(msg.id),
            "channel_id": str(msg.channel_id),
            "author": user_json(msg.author),
            "content": msg.content,
            "timestamp": msg.timestamp,
            "edited_timestamp": msg.edited_timestamp,
            "tts": False,
            "mention_everyone": False,
            "mentions": [user_json(self.users[u]) for u in msg.mention_ids if u in self.users],
            "mention_roles": [str(r) for r in msg.mention_role_ids],
            "attachments": [a.to_json() for a in msg.attachments],
            "embeds": msg.embeds,
            "components": msg.components,
            "pinned": False,
            "type": msg.type,
            "flags": msg.flags,
            "reactions": [
                {
                    "emoji": emoji_json(key),
                    "count": len(users),
                    "count_details": {"burst": 0, "normal": len(users)},
                    "burst_colors": [],
                    "me": self.bot_user.id in users,
                    "me_burst": False,
                }
                for key, users in msg.reactions.items()
                if users
            ],
        }
        if msg.guild_id is not None:
            data["guild_id"] = str(msg.guild_id)
            guild = self.guilds.get(msg.guild_id)
            if guild is not None and msg.author.id in guild.members and msg.webhook_id is None:
                data["member"] = self.member_payload(guild.members[msg.author.id], with_user=False)
        if msg.webhook_id is not None:
            data["webhook_id"] = str(msg.webhook_id)
            data["application_id"] = str(self.application_id)
        if msg.interaction_metadata is not None:
            data["interaction_metadata"] = msg.interaction_metadata
        if msg.message_reference is not None:
            data["message_reference"] = msg.message_reference
        if msg.thread_id is not None and msg.thread_id in self.channels:
            data["thread"] = self.channel_payload(self.channels[msg.thread_id])
        return data

    # -- messages -------------------------------------------------------------------------

    def add_message(self, msg: Message) -> Message:
        self.messages[msg.id] = msg
        if msg.visible_to is None:
            channel = self.channels.get(msg.channel_id)
            if channel is not None:
                channel.message_ids.append(msg.id)
        self.changed()
        return msg

    def messages_in(self, channel: Channel, *, include_deleted: bool = False) -> list[Message]:
        """Public messages in a channel or thread, oldest first."""
        found = [self.messages[i] for i in channel.message_ids if i in self.messages]
        return [m for m in found if include_deleted or not m.deleted]

    def dm_channel(self, user: User) -> Channel:
        channel = self.dm_channels.get(user.id)
        if channel is None:
            channel = Channel(id=self.ids.next(), type=DM, recipient_ids=[user.id])
            self.dm_channels[user.id] = channel
            self.channels[channel.id] = channel
        return channel

    def find_guild_of(self, channel: Channel) -> Guild | None:
        return self.guilds.get(channel.guild_id) if channel.guild_id else None

    def calls(self, pattern: str | None = None) -> list[RestCall]:
        """REST calls so far, optionally only those matching ``"METHOD /path/*"``."""
        return [c for c in self.rest_log if pattern is None or c.matches(pattern)]


def emoji_json(key: str) -> dict[str, Any]:
    name, _, emoji_id = key.partition(":")
    return {"id": emoji_id or None, "name": name}
