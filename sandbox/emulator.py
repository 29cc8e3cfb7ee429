"""The emulator: one aiohttp server on 127.0.0.1 serving Discord's REST API v10 and Gateway.

Start it with ``async with Emulator() as emu:``; build guilds with ``create_guild``,
``create_role``, ``create_channel`` and ``add_member`` (which returns a scripted
:class:`~sandbox.members.Person`). Every mutation wakes the waiters (``wait_until``).

``Emulator`` is a facade: it wires the server (:mod:`sandbox.rest`), the state
(:class:`~sandbox.state.DiscordState`, ``emu.state``), the gateway, injected faults
(:class:`~sandbox.calls.Faults`) and the waiters (:mod:`sandbox.waiting`). The state's data
(``emu.messages``, ``emu.guilds``, ``emu.interaction_deadline``, ...) reads and writes through.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar, overload

from aiohttp import web

from sandbox import state as st
from sandbox import waiting
from sandbox.calls import Fault, Faults, RestCall
from sandbox.gateway import Gateway
from sandbox.members import Person
from sandbox.rest import build_app
from sandbox.state import (
    Attachment,
    Channel,
    Command,
    DiscordState,
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

__all__ = ["DEFAULT_TOKEN_PREFIX", "Emulator", "Fault", "RestCall"]


class _OfState(Generic[T]):
    """An attribute of the facade that is the state's attribute of the same name."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> _OfState[T]: ...
    @overload
    def __get__(self, obj: Emulator, objtype: type | None = None) -> T: ...
    def __get__(self, obj: Emulator | None, objtype: type | None = None) -> T | _OfState[T]:
        if obj is None:
            return self
        value: T = getattr(obj.state, self.name)
        return value

    def __set__(self, obj: Emulator, value: T) -> None:
        setattr(obj.state, self.name, value)


class Emulator:
    ids: _OfState[Snowflakes] = _OfState()
    token: _OfState[str] = _OfState()
    application_id: _OfState[int] = _OfState()
    bot_user: _OfState[User] = _OfState()
    users: _OfState[dict[int, User]] = _OfState()
    guilds: _OfState[dict[int, Guild]] = _OfState()
    channels: _OfState[dict[int, Channel]] = _OfState()
    messages: _OfState[dict[int, Message]] = _OfState()
    commands: _OfState[dict[int, Command]] = _OfState()
    interactions: _OfState[dict[int, Interaction]] = _OfState()
    interactions_by_token: _OfState[dict[str, Interaction]] = _OfState()
    attachments: _OfState[dict[int, Attachment]] = _OfState()
    dm_channels: _OfState[dict[int, Channel]] = _OfState()
    rest_log: _OfState[list[RestCall]] = _OfState()
    errors: _OfState[list[RestCall]] = _OfState()
    interaction_deadline: _OfState[float] = _OfState()
    followup_ttl: _OfState[float] = _OfState()
    default_timeout: _OfState[float] = _OfState()
    base_url: _OfState[str] = _OfState()
    gateway_url: _OfState[str] = _OfState()

    def __init__(
        self,
        *,
        token: str | None = None,
        app_name: str = "Track Two",
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.state = DiscordState(
            token=token or DEFAULT_TOKEN_PREFIX + secrets.token_urlsafe(24), app_name=app_name
        )
        self.host, self.port = host, port
        self.state.gateway_url = f"ws://{host}:{port}/gateway"
        self.gateway = Gateway(self.state)
        self.state.events = self.gateway
        self.fault_plan = Faults()
        self._runner: web.AppRunner | None = None

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> Emulator:
        app = build_app(self.state, self.gateway, self.fault_plan)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        assert server is not None
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1]
        self.state.base_url = f"http://{self.host}:{self.port}"
        self.state.gateway_url = f"ws://{self.host}:{self.port}/gateway"
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

    # -- waiting ---------------------------------------------------------------------------

    def changed(self) -> None:
        """Wake every waiter; called after each change of state."""
        self.state.changed()

    async def wait_until(
        self,
        predicate: Callable[[], T | None],
        *,
        timeout: float | None = None,
        describe: Callable[[], str] = lambda: "condition not met",
    ) -> T:
        return await waiting.wait_until(self.state, predicate, timeout=timeout, describe=describe)

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
        return await waiting.wait_for_message(
            self.state,
            channel,
            check=check,
            author=author,
            timeout=timeout,
            include_ephemeral=include_ephemeral,
        )

    # -- building the world (state changes, announced on the gateway) -----------------------

    def new_user(self, username: str, *, bot: bool = False, global_name: str | None = None) -> User:
        return self.state.new_user(username, bot=bot, global_name=global_name)

    async def create_guild(
        self,
        name: str = "Track Two Sandbox",
        *,
        owner: str = "owner",
        bot_permissions: int = st.BOT_DEFAULT,
        bot_role_position: int = 10,
        everyone_permissions: int = st.EVERYONE_DEFAULT,
    ) -> Guild:
        return await self.state.create_guild(
            name,
            owner=owner,
            bot_permissions=bot_permissions,
            bot_role_position=bot_role_position,
            everyone_permissions=everyone_permissions,
        )

    def bot_role(self, guild: Guild) -> Role:
        return self.state.bot_role(guild)

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
        return await self.state.create_role(
            guild,
            name,
            permissions=permissions,
            position=position,
            color=color,
            mentionable=mentionable,
        )

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
        return await self.state.create_channel(
            guild, name, type=type, topic=topic, parent=parent, overwrites=overwrites
        )

    def hide_channel_from(self, channel: Channel, *targets: Role | Member) -> None:
        """A private channel: @everyone cannot view; the given roles/members (and the bot) can."""
        self.state.hide_channel_from(channel, *targets)

    async def add_member(
        self,
        guild: Guild,
        username: str,
        *,
        roles: Iterable[Role] = (),
        nick: str | None = None,
        global_name: str | None = None,
        dms_open: bool = True,
    ) -> Person:
        member = await self.state.add_member(
            guild, username, roles=roles, nick=nick, global_name=global_name, dms_open=dms_open
        )
        return Person(self.state, guild, member)

    def person(self, guild: Guild, who: str | int) -> Person:
        """The scripted member with this username, nickname or id."""
        return Person(self.state, guild, self.state.find_member(guild, who))

    def owner(self, guild: Guild) -> Person:
        return self.person(guild, guild.owner_id)

    async def set_roles(self, guild: Guild, member: Member, roles: Iterable[Role]) -> None:
        """Change a member's roles as a server admin would (dispatches GUILD_MEMBER_UPDATE)."""
        await self.state.set_roles(guild, member, roles)

    async def member_updated(self, guild: Guild, member: Member) -> None:
        await self.state.member_updated(guild, member)

    # -- reading the state ------------------------------------------------------------------

    def permissions(self, guild: Guild, member: Member, channel: Channel | None = None) -> int:
        return self.state.permissions(guild, member, channel)

    def bot_member(self, guild: Guild) -> Member:
        return self.state.bot_member(guild)

    def bot_can(self, guild: Guild, permission: int, channel: Channel | None = None) -> bool:
        return self.state.bot_can(guild, permission, channel)

    def messages_in(self, channel: Channel, *, include_deleted: bool = False) -> list[Message]:
        """Public messages in a channel or thread, oldest first."""
        return self.state.messages_in(channel, include_deleted=include_deleted)

    def dm_channel(self, user: User) -> Channel:
        return self.state.dm_channel(user)

    def message_payload(self, msg: Message) -> dict[str, Any]:
        return self.state.message_payload(msg)

    def channel_payload(self, channel: Channel) -> dict[str, Any]:
        return self.state.channel_payload(channel)

    def calls(self, pattern: str | None = None) -> list[RestCall]:
        """REST calls so far, optionally only those matching ``"METHOD /path/*"``."""
        return self.state.calls(pattern)

    # -- fault injection --------------------------------------------------------------------

    @property
    def faults(self) -> list[Fault]:
        """Faults still waiting for a matching call (a test may clear them)."""
        return self.fault_plan.pending

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
        self.fault_plan.fail_next(pattern, status, times=times, code=code, message=message)

    def rate_limit_next(
        self, pattern: str, *, times: int = 1, retry_after: float = 0.05, is_global: bool = False
    ) -> None:
        """The next ``times`` matching calls get a 429 with Discord's headers."""
        self.fault_plan.rate_limit_next(
            pattern, times=times, retry_after=retry_after, is_global=is_global
        )

    # -- gateway controls -------------------------------------------------------------------

    async def drop_connection(self) -> None:
        """Drop the bot's websocket; discord.py reconnects and RESUMEs."""
        await self.gateway.drop()

    def offline(self) -> _Offline:
        """``async with emu.offline():`` drops the bot and holds reconnects until the block ends;
        events dispatched inside are replayed on RESUME."""
        return _Offline(self.gateway)

    async def wait_connected(self, timeout: float | None = None) -> None:
        async with asyncio.timeout(self.default_timeout if timeout is None else timeout):
            await self.gateway.connected.wait()


class _Offline:
    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway

    async def __aenter__(self) -> None:
        self.gateway.open.clear()
        await self.gateway.drop()

    async def __aexit__(self, *exc: object) -> None:
        self.gateway.open.set()
