"""REST API v10: the aiohttp application, request logging, auth, faults, and the user,
application, command and guild routes. Channel routes live in ``rest_channels``, interaction
callbacks and followup webhooks in ``rest_interactions``."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from aiohttp import web

from sandbox import state as st
from sandbox.validation import (
    MAX_TIMEOUT_SECONDS,
    DiscordError,
    FormErrors,
    check_commands,
    missing_permissions,
    unknown,
)

if TYPE_CHECKING:
    from sandbox.emulator import Emulator, RestCall

API = "/api/v10"
BODY: web.RequestKey[Any] = web.RequestKey("body")
FILES: web.RequestKey[list[tuple[str, str, bytes, str]]] = web.RequestKey("files")
CALL: web.RequestKey[RestCall] = web.RequestKey("call")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    # Exactly "application/json": with "; charset=utf-8" discord.py reads the body as text.
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=all_headers)


def no_content() -> web.Response:
    return web.Response(status=204)


def ratelimit_headers(route: str, retry_after: float = 1.0, remaining: int = 49) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": "50",
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
        "X-RateLimit-Reset-After": f"{retry_after:.3f}",
        "X-RateLimit-Bucket": f"sandbox-{abs(hash(route)) % 10**8}",
    }


async def read_body(request: web.Request) -> tuple[Any, list[tuple[str, str, bytes, str]]]:
    """The JSON body (or ``payload_json`` of a multipart form) and any uploaded files."""
    files: list[tuple[str, str, bytes, str]] = []
    if request.content_type.startswith("multipart/"):
        form = await request.post()
        body: Any = None
        for name, value in form.items():
            if name == "payload_json":
                body = json.loads(str(value))
            elif isinstance(value, web.FileField):
                files.append((name, value.filename, value.file.read(), value.content_type or ""))
        return body, files
    raw = await request.read()
    if not raw:
        return None, files
    try:
        return json.loads(raw), files
    except ValueError:
        raise DiscordError(400, 50109, "The request body contains invalid JSON.") from None


def make_middleware(emu: Emulator) -> Any:
    from sandbox.emulator import RestCall

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith(API):
            return await handler(request)
        path = request.path[len(API) :]
        resource = request.match_info.route.resource
        route = resource.canonical[len(API) :] if resource is not None else path
        reason_header = request.headers.get("X-Audit-Log-Reason")
        call = RestCall(
            request.method, path, route, None, unquote(reason_header) if reason_header else None
        )
        emu.rest_log.append(call)
        try:
            body, files = await read_body(request)
            call.body = body
            call.files = [f[1] for f in files]
            request[BODY] = body if body is not None else {}
            request[FILES] = files
            request[CALL] = call
            webhook_route = route.startswith(("/interactions/", "/webhooks/"))
            if not webhook_route and request.headers.get("Authorization") != f"Bot {emu.token}":
                raise DiscordError(401, 0, "401: Unauthorized")
            fault = emu.take_fault(request.method, path, route)
            if fault is not None and fault.status == 429:
                headers = ratelimit_headers(route, fault.retry_after, remaining=0)
                headers.update(
                    {"Retry-After": str(max(1, round(fault.retry_after))), "Via": "1.1 google"}
                )
                if fault.is_global:
                    headers["X-RateLimit-Global"] = "true"
                    headers["X-RateLimit-Scope"] = "global"
                else:
                    headers["X-RateLimit-Scope"] = "user"
                body_429 = {
                    "message": fault.message,
                    "retry_after": fault.retry_after,
                    "global": fault.is_global,
                }
                response: web.StreamResponse = json_response(body_429, 429, headers)
            elif fault is not None:
                raise DiscordError(fault.status, fault.code, fault.message)
            else:
                response = await handler(request)
                response.headers.update(ratelimit_headers(route))
        except DiscordError as exc:
            response = json_response(exc.to_json(), exc.status)
            call.error_code = exc.code
        except web.HTTPException as exc:
            response = json_response({"code": 0, "message": exc.reason}, exc.status)
        call.status = response.status
        if call.status >= 400 and call.status != 429:
            emu.errors.append(call)
        emu.changed()
        return response

    return middleware


def build_app(emu: Emulator) -> web.Application:
    from sandbox import rest_channels, rest_interactions

    app = web.Application(middlewares=[make_middleware(emu)], client_max_size=64 * 1024**2)
    routes = web.RouteTableDef()
    app.router.add_get("/gateway", emu.gateway.handle)
    app.router.add_get("/attachments/{attachment_id}/{filename}", _attachment(emu))
    _add_core_routes(emu, routes)
    rest_channels.add_routes(emu, routes)
    rest_interactions.add_routes(emu, routes)
    app.add_routes(routes)
    return app


def _attachment(emu: Emulator) -> Handler:
    async def serve(request: web.Request) -> web.StreamResponse:
        found = emu.attachments.get(int(request.match_info["attachment_id"]))
        if found is None:
            raise web.HTTPNotFound()
        return web.Response(body=found.data, content_type=found.content_type or None)

    return serve


# ---------------------------------------------------------------------------------------------
# Shared lookups


def get_guild(emu: Emulator, request: web.Request) -> st.Guild:
    guild = emu.guilds.get(int(request.match_info["guild_id"]))
    if guild is None:
        raise unknown("guild")
    return guild


def get_member(guild: st.Guild, raw_id: str) -> st.Member:
    member = guild.members.get(int(raw_id)) if raw_id.isdigit() else None
    if member is None:
        raise unknown("member")
    return member


def require(
    emu: Emulator, guild: st.Guild, permission: int, channel: st.Channel | None = None
) -> None:
    if not emu.bot_can(guild, permission, channel):
        raise missing_permissions()


def check_role_hierarchy(emu: Emulator, guild: st.Guild, role: st.Role) -> None:
    """The bot may only manage roles below its own top role, never managed or @everyone."""
    require(emu, guild, st.MANAGE_ROLES)
    if role.managed or role.id == guild.id:
        raise missing_permissions()
    if role.position >= guild.top_position(emu.bot_member(guild)):
        raise missing_permissions()


# ---------------------------------------------------------------------------------------------
# Users, application, commands, guilds


def _application_json(emu: Emulator) -> dict[str, Any]:
    owner = next(iter(emu.guilds.values())).owner_id if emu.guilds else emu.bot_user.id
    return {
        "id": str(emu.application_id),
        "name": emu.bot_user.global_name,
        "icon": None,
        "description": "Local Discord emulator",
        "rpc_origins": [],
        "bot_public": False,
        "bot_require_code_grant": False,
        "owner": st.user_json(emu.users[owner]),
        "summary": "",
        "verify_key": "0" * 64,
        "team": None,
        "flags": 0,
        "bot": st.user_json(emu.bot_user),
    }


def _command_json(command: st.Command) -> dict[str, Any]:
    data = {
        "default_member_permissions": None,
        "nsfw": False,
        "contexts": None,
        "integration_types": [0],
        **command.data,
        "id": str(command.id),
        "application_id": str(command.application_id),
        "version": str(command.id),
        "type": command.type,
    }
    if command.guild_id is not None:
        data["guild_id"] = str(command.guild_id)
    data.setdefault("description", "")
    return data


def _add_core_routes(emu: Emulator, routes: web.RouteTableDef) -> None:
    @routes.get(API + "/users/@me")
    async def me(request: web.Request) -> web.Response:
        return json_response({**st.user_json(emu.bot_user), "verified": True, "mfa_enabled": False})

    @routes.get(API + "/users/{user_id}")
    async def get_user(request: web.Request) -> web.Response:
        raw = request.match_info["user_id"]
        user = emu.users.get(int(raw)) if raw.isdigit() else None
        if user is None:
            raise unknown("user")
        return json_response(st.user_json(user))

    @routes.post(API + "/users/@me/channels")
    async def open_dm(request: web.Request) -> web.Response:
        raw = request[BODY].get("recipient_id")
        user = emu.users.get(int(raw)) if str(raw).isdigit() else None
        if user is None:
            errors = FormErrors()
            errors.add(("recipient_id",), "NUMBER_TYPE_COERCE", f"Value {raw!r} is not snowflake.")
            errors.raise_if_any()
            raise unknown("user")
        return json_response(emu.channel_payload(emu.dm_channel(user)))

    @routes.get(API + "/oauth2/applications/@me")
    @routes.get(API + "/applications/@me")
    async def application(request: web.Request) -> web.Response:
        return json_response(_application_json(emu))

    @routes.get(API + "/gateway")
    @routes.get(API + "/gateway/bot")
    async def gateway_info(request: web.Request) -> web.Response:
        return json_response(
            {
                "url": emu.gateway_url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 1000,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        )

    def scope(request: web.Request) -> int | None:
        if str(request.match_info["application_id"]) != str(emu.application_id):
            raise DiscordError(403, 50001, "Missing Access")
        if "guild_id" in request.match_info:
            return get_guild(emu, request).id
        return None

    def commands_in(guild_id: int | None) -> list[st.Command]:
        return [c for c in emu.commands.values() if c.guild_id == guild_id]

    @routes.get(API + "/applications/{application_id}/commands")
    @routes.get(API + "/applications/{application_id}/guilds/{guild_id}/commands")
    async def list_commands(request: web.Request) -> web.Response:
        return json_response([_command_json(c) for c in commands_in(scope(request))])

    @routes.put(API + "/applications/{application_id}/commands")
    @routes.put(API + "/applications/{application_id}/guilds/{guild_id}/commands")
    async def bulk_overwrite(request: web.Request) -> web.Response:
        guild_id = scope(request)
        payload = request[BODY]
        if not isinstance(payload, list):
            raise DiscordError(400, 50035, "Invalid Form Body", {"_errors": []})
        check_commands(payload)
        old = {(c.type, c.name): c for c in commands_in(guild_id)}
        for command in old.values():
            del emu.commands[command.id]
        created = []
        for data in payload:
            key = (int(data.get("type", 1)), str(data["name"]))
            command_id = old[key].id if key in old else emu.ids.next()
            command = st.Command(command_id, emu.application_id, guild_id, dict(data))
            emu.commands[command_id] = command
            created.append(_command_json(command))
        return json_response(created)

    @routes.post(API + "/applications/{application_id}/commands")
    @routes.post(API + "/applications/{application_id}/guilds/{guild_id}/commands")
    async def upsert_command(request: web.Request) -> web.Response:
        guild_id = scope(request)
        data = request[BODY]
        others = [c.data for c in commands_in(guild_id) if c.name != data.get("name")]
        check_commands([*others, data])
        for command in commands_in(guild_id):
            if command.name == data.get("name") and command.type == int(data.get("type", 1)):
                command.data = dict(data)
                return json_response(_command_json(command))
        command = st.Command(emu.ids.next(), emu.application_id, guild_id, dict(data))
        emu.commands[command.id] = command
        return json_response(_command_json(command), 201)

    @routes.delete(API + "/applications/{application_id}/commands/{command_id}")
    @routes.delete(API + "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}")
    async def delete_command(request: web.Request) -> web.Response:
        scope(request)
        if emu.commands.pop(int(request.match_info["command_id"]), None) is None:
            raise unknown("application command")
        return no_content()

    # -- guilds ---------------------------------------------------------------------------

    @routes.get(API + "/guilds/{guild_id}")
    async def get_guild_route(request: web.Request) -> web.Response:
        payload = emu.guild_create_payload(get_guild(emu, request))
        for key in ("members", "channels", "threads", "voice_states", "presences"):
            payload.pop(key)
        return json_response(payload)

    @routes.get(API + "/guilds/{guild_id}/channels")
    async def guild_channels(request: web.Request) -> web.Response:
        guild = get_guild(emu, request)
        return json_response(
            [
                emu.channel_payload(c)
                for c in guild.channels.values()
                if not c.is_thread and not c.deleted
            ]
        )

    @routes.post(API + "/guilds/{guild_id}/channels")
    async def create_channel(request: web.Request) -> web.Response:
        guild = get_guild(emu, request)
        body = request[BODY]
        errors = FormErrors()
        errors.length_between(("name",), body.get("name"), 1, 100)
        errors.max_len(("topic",), body.get("topic"), 1024)
        errors.raise_if_any()
        require(emu, guild, st.MANAGE_CHANNELS)
        parent = emu.channels.get(int(body["parent_id"])) if body.get("parent_id") else None
        overwrites = [
            st.Overwrite(
                int(o["id"]), int(o["type"]), int(o.get("allow", 0)), int(o.get("deny", 0))
            )
            for o in body.get("permission_overwrites") or []
        ]
        channel = await emu.create_channel(
            guild,
            body["name"],
            type=int(body.get("type") or 0),
            topic=body.get("topic"),
            parent=parent,
            overwrites=overwrites,
        )
        return json_response(emu.channel_payload(channel), 201)

    @routes.get(API + "/guilds/{guild_id}/threads/active")
    async def active_threads(request: web.Request) -> web.Response:
        guild = get_guild(emu, request)
        threads = [emu.channel_payload(t) for t in guild.threads() if not t.archived]
        return json_response({"threads": threads, "members": []})

    @routes.get(API + "/guilds/{guild_id}/roles")
    async def list_roles(request: web.Request) -> web.Response:
        return json_response([st.role_json(r) for r in get_guild(emu, request).roles.values()])

    @routes.post(API + "/guilds/{guild_id}/roles")
    async def create_role(request: web.Request) -> web.Response:
        guild = get_guild(emu, request)
        body = request[BODY]
        require(emu, guild, st.MANAGE_ROLES)
        permissions = int(body.get("permissions") or 0)
        bot_perms = emu.permissions(guild, emu.bot_member(guild))
        if permissions & ~bot_perms:
            raise missing_permissions()
        errors = FormErrors()
        errors.max_len(("name",), body.get("name"), 100)
        errors.raise_if_any()
        for other in guild.roles.values():
            if other.id != guild.id and other.position >= 1:
                other.position += 1
        role = await emu.create_role(
            guild,
            body.get("name") or "new role",
            permissions=permissions,
            position=1,
            color=int(body.get("color") or 0),
            mentionable=bool(body.get("mentionable")),
        )
        return json_response(st.role_json(role))

    def get_role(guild: st.Guild, request: web.Request) -> st.Role:
        raw = request.match_info["role_id"]
        role = guild.roles.get(int(raw)) if raw.isdigit() else None
        if role is None:
            raise unknown("role")
        return role

    @routes.patch(API + "/guilds/{guild_id}/roles/{role_id}")
    async def edit_role(request: web.Request) -> web.Response:
        guild = get_guild(emu, request)
        role = get_role(guild, request)
        check_role_hierarchy(emu, guild, role)
        body = request[BODY]
        for key in ("name", "color", "hoist", "mentionable"):
            if key in body and body[key] is not None:
                setattr(role, key, body[key])
        if body.get("permissions") is not None:
            role.permissions = int(body["permissions"])
        await emu.gateway.dispatch(
            "GUILD_ROLE_UPDATE", {"guild_id": str(guild.id), "role": st.role_json(role)}, 1
        )
        return json_response(st.role_json(role))

    @routes.delete(API + "/guilds/{guild_id}/roles/{role_id}")
    async def delete_role(request: web.Request) -> web.Response:
        guild = get_guild(emu, request)
        role = get_role(guild, request)
        check_role_hierarchy(emu, guild, role)
        del guild.roles[role.id]
        for member in guild.members.values():
            if role.id in member.role_ids:
                member.role_ids.remove(role.id)
        await emu.gateway.dispatch(
            "GUILD_ROLE_DELETE", {"guild_id": str(guild.id), "role_id": str(role.id)}, 1
        )
        return no_content()

    @routes.get(API + "/guilds/{guild_id}/members")
    async def list_members(request: web.Request) -> web.Response:
        guild = get_guild(emu, request)
        limit = int(request.query.get("limit", "1"))
        after = int(request.query.get("after", "0"))
        members = sorted(guild.members.values(), key=lambda m: m.id)
        chosen = [m for m in members if m.id > after][:limit]
        return json_response([emu.member_payload(m) for m in chosen])

    @routes.get(API + "/guilds/{guild_id}/members/{user_id}")
    async def get_member_route(request: web.Request) -> web.Response:
        guild = get_guild(emu, request)
        return json_response(emu.member_payload(get_member(guild, request.match_info["user_id"])))

    @routes.patch(API + "/guilds/{guild_id}/members/{user_id}")
    async def edit_member(request: web.Request) -> web.Response:
        guild = get_guild(emu, request)
        member = get_member(guild, request.match_info["user_id"])
        body = request[BODY]
        if "roles" in body and body["roles"] is not None:
            wanted = {int(r) for r in body["roles"]}
            unknown_ids = [r for r in wanted if r not in guild.roles]
            if unknown_ids:
                errors = FormErrors()
                errors.add(("roles",), "ROLE_NOT_FOUND", f"Unknown roles: {unknown_ids}")
                errors.raise_if_any()
            for role_id in wanted.symmetric_difference(member.role_ids):
                check_role_hierarchy(emu, guild, guild.roles[role_id])
            member.role_ids = [r for r in member.role_ids if r in wanted] + [
                r for r in wanted if r not in member.role_ids
            ]
        if "communication_disabled_until" in body:
            until = body["communication_disabled_until"]
            check_timeout(emu, guild, member, until)
            member.communication_disabled_until = until
        if "nick" in body:
            require(emu, guild, st.MANAGE_NICKNAMES)
            errors = FormErrors()
            errors.max_len(("nick",), body["nick"], 32)
            errors.raise_if_any()
            member.nick = body["nick"] or None
        await emu.member_updated(guild, member)
        return json_response(emu.member_payload(member))

    @routes.put(API + "/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
    @routes.delete(API + "/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
    async def member_role(request: web.Request) -> web.Response:
        guild = get_guild(emu, request)
        member = get_member(guild, request.match_info["user_id"])
        role = get_role(guild, request)
        check_role_hierarchy(emu, guild, role)
        if request.method == "PUT" and role.id not in member.role_ids:
            member.role_ids.append(role.id)
        elif request.method == "DELETE" and role.id in member.role_ids:
            member.role_ids.remove(role.id)
        await emu.member_updated(guild, member)
        return no_content()


def check_timeout(emu: Emulator, guild: st.Guild, member: st.Member, until: str | None) -> None:
    """Timeouts: moderate-members permission, never the owner, an administrator or a member
    whose top role is not below the bot's, and at most 28 days ahead."""
    require(emu, guild, st.MODERATE_MEMBERS)
    if member.id == guild.owner_id:
        raise missing_permissions()
    if emu.permissions(guild, member) & st.ADMINISTRATOR:
        raise missing_permissions()
    if guild.top_position(member) >= guild.top_position(emu.bot_member(guild)):
        raise missing_permissions()
    if until is None:
        return
    errors = FormErrors()
    try:
        moment = st.parse_iso(until)
    except (TypeError, ValueError):
        errors.add(("communication_disabled_until",), "DATE_TYPE_INVALID", "Invalid date")
        errors.raise_if_any()
        return
    ahead = (moment - dt.datetime.now(dt.UTC)).total_seconds()
    if ahead > MAX_TIMEOUT_SECONDS + 5:
        errors.add(
            ("communication_disabled_until",),
            "BASE_TYPE_BAD_VALUE",
            "Invalid communication disabled timestamp: must be no more than 28 days in the future",
        )
    errors.raise_if_any()
