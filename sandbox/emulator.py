"""The emulator: one aiohttp server on 127.0.0.1 serving Discord's REST API v10 and Gateway.

Start it with ``async with Emulator() as emu:``; build guilds with ``create_guild``,
``create_role``, ``create_channel`` and ``add_member`` (which returns a scripted
:class:`~sandbox.members.Person`). Every mutation wakes the waiters (``wait_until``).
"""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import web

from sandbox import state as st
from sandbox.gateway import Gateway
from sandbox.state import (
    Attachment,
    Channel,
    Command,
    Guild,
    Interaction,
    Member,
    Message,
    Role,
    Snowflakes,
    User,
)

T = TypeVar("T")

DEFAULT_TOKEN_PREFIX = "sandbox-token."


@dataclass
class RestCall:
    """One REST request the bot made, as the emulator answered it."""

    method: str
    path: str  # after /api/v10
    route: str  # the route template, e.g. /channels/{channel_id}/messages
    body: Any
    audit_reason: str | None
    status: int = 0
    error_code: int | None = None
    files: list[str] = field(default_factory=list)

    def matches(self, pattern: str) -> bool:
        return route_matches(pattern, self.method, self.path, self.route)

    def __str__(self) -> str:
        code = f" (code {self.error_code})" if self.error_code else ""
        return f"{self.method} {self.path} -> {self.status}{code}"


def route_matches(pattern: str, method: str, path: str, route: str) -> bool:
    """``"POST /channels/*/messages"`` or ``"/guilds/{guild_id}/members/{user_id}"``."""
    want_method, _, want_path = pattern.partition(" ") if " " in pattern else ("", "", pattern)
    if want_method and want_method.upper() != method:
        return False
    return fnmatch.fnmatchcase(path, want_path) or fnmatch.fnmatchcase(route, want_path)


@dataclass
class Fault:
    pattern: str
    remaining: int
    status: int
    code: int = 0
    message: str = "injected failure"
    retry_after: float = 0.0
    is_global: bool = False


class Emulator:
    def __init__(
        self,
        *,
        token: str | None = None,
        app_name: str = "Track Two",
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.ids = Snowflakes()
        self.token = token or DEFAULT_TOKEN_PREFIX + secrets.token_urlsafe(24)
        self.host, self.port = host, port
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
        self.faults: list[Fault] = []
        self.errors: list[RestCall] = []
        self.interaction_deadline = 3.0
        self.followup_ttl = 15 * 60.0
        self.default_timeout = 2.0
        self.gateway = Gateway(self)
        self._changed = asyncio.Event()
        self._consumed: set[int] = set()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> Emulator:
        from sandbox.rest import build_app

        app = build_app(self)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        assert server is not None
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1]
        self.base_url = f"http://{self.host}:{self.port}"
        return self

    async def close(self) -> None:
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Emulator:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/gateway"

    # -- waiting ---------------------------------------------------------------------------

    def changed(self) -> None:
        """Wake every waiter; called after each change of state."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(
        self,
        predicate: Callable[[], T | None],
        *,
        timeout: float | None = None,
        describe: Callable[[], str] = lambda: "condition not met",
    ) -> T:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (self.default_timeout if timeout is None else timeout)
        while True:
            result = predicate()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(describe())
            event = self._changed
            # Wake on every change, and poll too: predicates may look at the bot's own state.
            # asyncio.timeout, not wait_for: 3.11's wait_for drops a cancel arriving with the event.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(min(remaining, 0.01)):
                    await event.wait()

    async def wait_for_message(
        self,
        channel: Channel | None = None,
        *,
        check: Callable[[Message], bool] | None = None,
        author: User | None = None,
        timeout: float | None = None,
        include_ephemeral: bool = False,
    ) -> Message:
        """The next message (by the bot unless ``author`` is given) not returned before."""
        who = author or self.bot_user

        def match(msg: Message) -> bool:
            return (
                not msg.deleted
                and msg.id not in self._consumed
                and msg.author is who
                and (channel is None or msg.channel_id == channel.id)
                and (include_ephemeral or not msg.ephemeral)
                and (check is None or check(msg))
            )

        def find() -> Message | None:
            return next((m for m in self.messages.values() if match(m)), None)

        def describe() -> str:
            from sandbox.transcript import render_message

            where = f"in #{channel.name or channel.id}" if channel else "anywhere"
            posted = [
                m for m in self.messages.values() if channel is None or m.channel_id == channel.id
            ][-10:]
            lines = [render_message(self, m) for m in posted] or ["(nothing)"]
            return f"no matching message {where} by {who.username}; posted:\n" + "\n".join(lines)

        found = await self.wait_until(find, timeout=timeout, describe=describe)
        self._consumed.add(found.id)
        return found

    # -- building the world -----------------------------------------------------------------

    def new_user(self, username: str, *, bot: bool = False, global_name: str | None = None) -> User:
        user = User(id=self.ids.next(), username=username, bot=bot, global_name=global_name)
        self.users[user.id] = user
        return user

    async def create_guild(
        self,
        name: str = "Track Two Sandbox",
        *,
        owner: str = "owner",
        bot_permissions: int = st.BOT_DEFAULT,
        bot_role_position: int = 10,
        everyone_permissions: int = st.EVERYONE_DEFAULT,
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
        await self.gateway.dispatch("GUILD_CREATE", self.guild_create_payload(guild))
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
        await self.gateway.dispatch(
            "GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": st.role_json(role)}, 1
        )
        self.changed()
        return role

    async def create_channel(
        self,
        guild: Guild,
        name: str,
        *,
        type: int = st.GUILD_TEXT,
        topic: str | None = None,
        parent: Channel | None = None,
        overwrites: Iterable[st.Overwrite] = (),
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
        await self.gateway.dispatch("CHANNEL_CREATE", self.channel_payload(channel), 1)
        self.changed()
        return channel

    def hide_channel_from(self, channel: Channel, *targets: Role | Member) -> None:
        """A private channel: @everyone cannot view; the given roles/members (and the bot) can."""
        assert channel.guild_id is not None
        channel.overwrites.append(st.Overwrite(channel.guild_id, 0, deny=st.VIEW_CHANNEL))
        channel.overwrites.append(st.Overwrite(self.bot_user.id, 1, allow=st.VIEW_CHANNEL))
        for target in targets:
            kind = 0 if isinstance(target, Role) else 1
            channel.overwrites.append(st.Overwrite(target.id, kind, allow=st.VIEW_CHANNEL))

    async def add_member(
        self,
        guild: Guild,
        username: str,
        *,
        roles: Iterable[Role] = (),
        nick: str | None = None,
        global_name: str | None = None,
        dms_open: bool = True,
    ) -> Any:
        from sandbox.members import Person

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
        await self.gateway.dispatch("GUILD_MEMBER_ADD", payload, 2)
        self.changed()
        return Person(self, guild, member)

    def person(self, guild: Guild, who: str | int) -> Any:
        """The scripted member with this username, nickname or id."""
        from sandbox.members import Person

        for member in guild.members.values():
            if who in (member.id, member.user.username, member.nick):
                return Person(self, guild, member)
        raise KeyError(f"no member {who!r} in {guild.name}")

    def owner(self, guild: Guild) -> Any:
        return self.person(guild, guild.owner_id)

    async def set_roles(self, guild: Guild, member: Member, roles: Iterable[Role]) -> None:
        """Change a member's roles as a server admin would (dispatches GUILD_MEMBER_UPDATE)."""
        member.role_ids = [r.id for r in roles]
        await self.member_updated(guild, member)

    async def member_updated(self, guild: Guild, member: Member) -> None:
        payload = {**self.member_payload(member), "guild_id": str(guild.id)}
        await self.gateway.dispatch("GUILD_MEMBER_UPDATE", payload, 2)
        self.changed()

    # -- permissions -----------------------------------------------------------------------

    def permissions(self, guild: Guild, member: Member, channel: Channel | None = None) -> int:
        if member.id == guild.owner_id:
            return st.ALL_PERMISSIONS
        perms = guild.everyone.permissions
        for role_id in member.role_ids:
            if role_id in guild.roles:
                perms |= guild.roles[role_id].permissions
        if perms & st.ADMINISTRATOR:
            return st.ALL_PERMISSIONS
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
            perms &= st.VIEW_CHANNEL | st.READ_MESSAGE_HISTORY
        return perms

    def bot_member(self, guild: Guild) -> Member:
        return guild.members[self.bot_user.id]

    def bot_can(self, guild: Guild, permission: int, channel: Channel | None = None) -> bool:
        return bool(self.permissions(guild, self.bot_member(guild), channel) & permission)

    # -- payloads ---------------------------------------------------------------------------

    def user_payload(self, user: User) -> dict[str, Any]:
        return st.user_json(user)

    def member_payload(self, member: Member, *, with_user: bool = True) -> dict[str, Any]:
        return st.member_json(member, with_user=with_user)

    def channel_payload(self, channel: Channel) -> dict[str, Any]:
        data = st.channel_json(channel)
        if channel.type == st.DM:
            data["recipients"] = [
                st.user_json(self.users[u]) for u in channel.recipient_ids if u in self.users
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
            "roles": [st.role_json(r) for r in guild.roles.values()],
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
            "joined_at": st.iso(),
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
            "author": st.user_json(msg.author),
            "content": msg.content,
            "timestamp": msg.timestamp,
            "edited_timestamp": msg.edited_timestamp,
            "tts": False,
            "mention_everyone": False,
            "mentions": [st.user_json(self.users[u]) for u in msg.mention_ids if u in self.users],
            "mention_roles": [str(r) for r in msg.mention_role_ids],
            "attachments": [a.to_json() for a in msg.attachments],
            "embeds": msg.embeds,
            "components": msg.components,
            "pinned": False,
            "type": msg.type,
            "flags": msg.flags,
            "reactions": [
                {
                    "emoji": _emoji_json(key),
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
            channel = Channel(id=self.ids.next(), type=st.DM, recipient_ids=[user.id])
            self.dm_channels[user.id] = channel
            self.channels[channel.id] = channel
        return channel

    def find_guild_of(self, channel: Channel) -> Guild | None:
        return self.guilds.get(channel.guild_id) if channel.guild_id else None

    def calls(self, pattern: str | None = None) -> list[RestCall]:
        """REST calls so far, optionally only those matching ``"METHOD /path/*"``."""
        return [c for c in self.rest_log if pattern is None or c.matches(pattern)]

    # -- fault injection --------------------------------------------------------------------

    def fail_next(
        self,
        pattern: str,
        status: int = 500,
        *,
        times: int = 1,
        code: int = 0,
        message: str = "injected failure",
    ) -> None:
        """The next ``times`` calls matching ``pattern`` (``"POST /channels/*/messages"``) fail."""
        self.faults.append(Fault(pattern, times, status, code, message))

    def rate_limit_next(
        self, pattern: str, *, times: int = 1, retry_after: float = 0.05, is_global: bool = False
    ) -> None:
        """The next ``times`` matching calls get a 429 with Discord's headers."""
        self.faults.append(
            Fault(pattern, times, 429, 0, "You are being rate limited.", retry_after, is_global)
        )

    def take_fault(self, method: str, path: str, route: str) -> Fault | None:
        for fault in self.faults:
            if fault.remaining > 0 and route_matches(fault.pattern, method, path, route):
                fault.remaining -= 1
                if fault.remaining == 0:
                    self.faults.remove(fault)
                return fault
        return None

    # -- gateway controls -------------------------------------------------------------------

    async def drop_connection(self) -> None:
        """Drop the bot's websocket; discord.py reconnects and RESUMEs."""
        await self.gateway.drop()

    def offline(self) -> _Offline:
        """``async with emu.offline():`` drops the bot and holds reconnects until the block ends;
        events dispatched inside are replayed on RESUME."""
        return _Offline(self)

    async def wait_connected(self, timeout: float | None = None) -> None:
        async with asyncio.timeout(self.default_timeout if timeout is None else timeout):
            await self.gateway.connected.wait()


class _Offline:
    def __init__(self, emu: Emulator) -> None:
        self.emu = emu

    async def __aenter__(self) -> None:
        self.emu.gateway.open.clear()
        await self.emu.gateway.drop()

    async def __aexit__(self, *exc: object) -> None:
        self.emu.gateway.open.set()


def _emoji_json(key: str) -> dict[str, Any]:
    name, _, emoji_id = key.partition(":")
    return {"id": emoji_id or None, "name": name}
