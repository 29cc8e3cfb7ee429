"""REST API v10: the aiohttp application (:func:`build_app`) and the user, application, command
and guild routes. Channel routes live in ``rest_channels``, interaction callbacks and followup
webhooks in ``rest_interactions``; what they share (middleware, JSON, lookups) in ``http``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiohttp import web

from sandbox import rest_channels, rest_interactions
from sandbox import state as st
from sandbox.calls import Faults
from sandbox.gateway import Gateway
from sandbox.http import (
    API,
    BODY,
    FAULTS_KEY,
    STATE_KEY,
    check_role_hierarchy,
    discord_middleware,
    get_guild,
    get_member,
    json_response,
    no_content,
    require,
    state_of,
)
from sandbox.state import DiscordState
from sandbox.validation import (
    MAX_TIMEOUT_SECONDS,
    DiscordError,
    FormErrors,
    check_commands,
    missing_permissions,
    unknown,
)

routes = web.RouteTableDef()


def build_app(state: DiscordState, gateway: Gateway, faults: Faults) -> web.Application:
    """The whole server: the gateway's websocket, attachments, and every REST route."""
    app = web.Application(middlewares=[discord_middleware], client_max_size=64 * 1024**2)
    app[STATE_KEY] = state
    app[FAULTS_KEY] = faults
    app.router.add_get("/gateway", gateway.handle)
    app.router.add_get("/attachments/{attachment_id}/{filename}", serve_attachment)
    app.add_routes(routes)
    app.add_routes(rest_channels.routes)
    app.add_routes(rest_interactions.routes)
    return app


async def serve_attachment(request: web.Request) -> web.StreamResponse:
    found = state_of(request).attachments.get(int(request.match_info["attachment_id"]))
    if found is None:
        raise web.HTTPNotFound()
    return web.Response(body=found.data, content_type=found.content_type or None)


# ---------------------------------------------------------------------------------------------
# Users, application, commands, guilds


def _application_json(state: DiscordState) -> dict[str, Any]:
    owner = next(iter(state.guilds.values())).owner_id if state.guilds else state.bot_user.id
    return {
        "id": str(state.application_id),
        "name": state.bot_user.global_name,
        "icon": None,
        "description": "Local Discord emulator",
        "rpc_origins": [],
        "bot_public": False,
        "bot_require_code_grant": False,
        "owner": st.user_json(state.users[owner]),
        "summary": "",
        "verify_key": "0" * 64,
        "team": None,
        "flags": 0,
        "bot": st.user_json(state.bot_user),
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


@routes.get(API + "/users/@me")
async def me(request: web.Request) -> web.Response:
    state = state_of(request)
    return json_response({**st.user_json(state.bot_user), "verified": True, "mfa_enabled": False})


@routes.get(API + "/users/{user_id}")
async def get_user(request: web.Request) -> web.Response:
    state = state_of(request)
    raw = request.match_info["user_id"]
    user = state.users.get(int(raw)) if raw.isdigit() else None
    if user is None:
        raise unknown("user")
    return json_response(st.user_json(user))


@routes.post(API + "/users/@me/channels")
async def open_dm(request: web.Request) -> web.Response:
    state = state_of(request)
    raw = request[BODY].get("recipient_id")
    user = state.users.get(int(raw)) if str(raw).isdigit() else None
    if user is None:
        errors = FormErrors()
        errors.add(("recipient_id",), "NUMBER_TYPE_COERCE", f"Value {raw!r} is not snowflake.")
        errors.raise_if_any()
        raise unknown("user")
    return json_response(state.channel_payload(state.dm_channel(user)))


@routes.get(API + "/oauth2/applications/@me")
@routes.get(API + "/applications/@me")
async def application(request: web.Request) -> web.Response:
    state = state_of(request)
    return json_response(_application_json(state))


@routes.get(API + "/gateway")
@routes.get(API + "/gateway/bot")
async def gateway_info(request: web.Request) -> web.Response:
    state = state_of(request)
    return json_response(
        {
            "url": state.gateway_url,
            "shards": 1,
            "session_start_limit": {
                "total": 1000,
                "remaining": 1000,
                "reset_after": 0,
                "max_concurrency": 1,
            },
        }
    )


def scope(state: DiscordState, request: web.Request) -> int | None:
    if str(request.match_info["application_id"]) != str(state.application_id):
        raise DiscordError(403, 50001, "Missing Access")
    if "guild_id" in request.match_info:
        return get_guild(state, request).id
    return None


def commands_in(state: DiscordState, guild_id: int | None) -> list[st.Command]:
    return [c for c in state.commands.values() if c.guild_id == guild_id]


@routes.get(API + "/applications/{application_id}/commands")
@routes.get(API + "/applications/{application_id}/guilds/{guild_id}/commands")
async def list_commands(request: web.Request) -> web.Response:
    state = state_of(request)
    return json_response([_command_json(c) for c in commands_in(state, scope(state, request))])


@routes.put(API + "/applications/{application_id}/commands")
@routes.put(API + "/applications/{application_id}/guilds/{guild_id}/commands")
async def bulk_overwrite(request: web.Request) -> web.Response:
    state = state_of(request)
    guild_id = scope(state, request)
    payload = request[BODY]
    if not isinstance(payload, list):
        raise DiscordError(400, 50035, "Invalid Form Body", {"_errors": []})
    check_commands(payload)
    old = {(c.type, c.name): c for c in commands_in(state, guild_id)}
    for command in old.values():
        del state.commands[command.id]
    created = []
    for data in payload:
        key = (int(data.get("type", 1)), str(data["name"]))
        command_id = old[key].id if key in old else state.ids.next()
        command = st.Command(command_id, state.application_id, guild_id, dict(data))
        state.commands[command_id] = command
        created.append(_command_json(command))
    return json_response(created)


@routes.post(API + "/applications/{application_id}/commands")
@routes.post(API + "/applications/{application_id}/guilds/{guild_id}/commands")
async def upsert_command(request: web.Request) -> web.Response:
    state = state_of(request)
    guild_id = scope(state, request)
    data = request[BODY]
    others = [c.data for c in commands_in(state, guild_id) if c.name != data.get("name")]
    check_commands([*others, data])
    for command in commands_in(state, guild_id):
        if command.name == data.get("name") and command.type == int(data.get("type", 1)):
            command.data = dict(data)
            return json_response(_command_json(command))
    command = st.Command(state.ids.next(), state.application_id, guild_id, dict(data))
    state.commands[command.id] = command
    return json_response(_command_json(command), 201)


@routes.delete(API + "/applications/{application_id}/commands/{command_id}")
@routes.delete(API + "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}")
async def delete_command(request: web.Request) -> web.Response:
    state = state_of(request)
    scope(state, request)
    if state.commands.pop(int(request.match_info["command_id"]), None) is None:
        raise unknown("application command")
    return no_content()


# -- guilds ---------------------------------------------------------------------------


@routes.get(API + "/guilds/{guild_id}")
async def get_guild_route(request: web.Request) -> web.Response:
    state = state_of(request)
    payload = state.guild_create_payload(get_guild(state, request))
    for key in ("members", "channels", "threads", "voice_states", "presences"):
        payload.pop(key)
    return json_response(payload)


@routes.get(API + "/guilds/{guild_id}/channels")
async def guild_channels(request: web.Request) -> web.Response:
    state = state_of(request)
    guild = get_guild(state, request)
    return json_response(
        [
            state.channel_payload(c)
            for c in guild.channels.values()
            if not c.is_thread and not c.deleted
        ]
    )


@routes.post(API + "/guilds/{guild_id}/channels")
async def create_channel(request: web.Request) -> web.Response:
    state = state_of(request)
    guild = get_guild(state, request)
    body = request[BODY]
    errors = FormErrors()
    errors.length_between(("name",), body.get("name"), 1, 100)
    errors.max_len(("topic",), body.get("topic"), 1024)
    errors.raise_if_any()
    require(state, guild, st.MANAGE_CHANNELS)
    parent = state.channels.get(int(body["parent_id"])) if body.get("parent_id") else None
    overwrites = [
        st.Overwrite(int(o["id"]), int(o["type"]), int(o.get("allow", 0)), int(o.get("deny", 0)))
        for o in body.get("permission_overwrites") or []
    ]
    channel = await state.create_channel(
        guild,
        body["name"],
        type=int(body.get("type") or 0),
        topic=body.get("topic"),
        parent=parent,
        overwrites=overwrites,
    )
    return json_response(state.channel_payload(channel), 201)


@routes.get(API + "/guilds/{guild_id}/threads/active")
async def active_threads(request: web.Request) -> web.Response:
    state = state_of(request)
    guild = get_guild(state, request)
    threads = [state.channel_payload(t) for t in guild.threads() if not t.archived]
    return json_response({"threads": threads, "members": []})


@routes.get(API + "/guilds/{guild_id}/roles")
async def list_roles(request: web.Request) -> web.Response:
    state = state_of(request)
    return json_response([st.role_json(r) for r in get_guild(state, request).roles.values()])


@routes.post(API + "/guilds/{guild_id}/roles")
async def create_role(request: web.Request) -> web.Response:
    state = state_of(request)
    guild = get_guild(state, request)
    body = request[BODY]
    require(state, guild, st.MANAGE_ROLES)
    permissions = int(body.get("permissions") or 0)
    bot_perms = state.permissions(guild, state.bot_member(guild))
    if permissions & ~bot_perms:
        raise missing_permissions()
    errors = FormErrors()
    errors.max_len(("name",), body.get("name"), 100)
    errors.raise_if_any()
    for other in guild.roles.values():
        if other.id != guild.id and other.position >= 1:
            other.position += 1
    role = await state.create_role(
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
    state = state_of(request)
    guild = get_guild(state, request)
    role = get_role(guild, request)
    check_role_hierarchy(state, guild, role)
    body = request[BODY]
    for key in ("name", "color", "hoist", "mentionable"):
        if key in body and body[key] is not None:
            setattr(role, key, body[key])
    if body.get("permissions") is not None:
        role.permissions = int(body["permissions"])
    await state.dispatch(
        "GUILD_ROLE_UPDATE", {"guild_id": str(guild.id), "role": st.role_json(role)}, 1
    )
    return json_response(st.role_json(role))


@routes.delete(API + "/guilds/{guild_id}/roles/{role_id}")
async def delete_role(request: web.Request) -> web.Response:
    state = state_of(request)
    guild = get_guild(state, request)
    role = get_role(guild, request)
    check_role_hierarchy(state, guild, role)
    del guild.roles[role.id]
    for member in guild.members.values():
        if role.id in member.role_ids:
            member.role_ids.remove(role.id)
    await state.dispatch(
        "GUILD_ROLE_DELETE", {"guild_id": str(guild.id), "role_id": str(role.id)}, 1
    )
    return no_content()


@routes.get(API + "/guilds/{guild_id}/members")
async def list_members(request: web.Request) -> web.Response:
    state = state_of(request)
    guild = get_guild(state, request)
    limit = int(request.query.get("limit", "1"))
    after = int(request.query.get("after", "0"))
    members = sorted(guild.members.values(), key=lambda m: m.id)
    chosen = [m for m in members if m.id > after][:limit]
    return json_response([state.member_payload(m) for m in chosen])


@routes.get(API + "/guilds/{guild_id}/members/{user_id}")
async def get_member_route(request: web.Request) -> web.Response:
    state = state_of(request)
    guild = get_guild(state, request)
    return json_response(state.member_payload(get_member(guild, request.match_info["user_id"])))


@routes.patch(API + "/guilds/{guild_id}/members/{user_id}")
async def edit_member(request: web.Request) -> web.Response:
    state = state_of(request)
    guild = get_guild(state, request)
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
            check_role_hierarchy(state, guild, guild.roles[role_id])
        member.role_ids = [r for r in member.role_ids if r in wanted] + [
            r for r in wanted if r not in member.role_ids
        ]
    if "communication_disabled_until" in body:
        until = body["communication_disabled_until"]
        check_timeout(state, guild, member, until)
        member.communication_disabled_until = until
    if "nick" in body:
        require(state, guild, st.MANAGE_NICKNAMES)
        errors = FormErrors()
        errors.max_len(("nick",), body["nick"], 32)
        errors.raise_if_any()
        member.nick = body["nick"] or None
    await state.member_updated(guild, member)
    return json_response(state.member_payload(member))


@routes.put(API + "/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
@routes.delete(API + "/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
async def member_role(request: web.Request) -> web.Response:
    state = state_of(request)
    guild = get_guild(state, request)
    member = get_member(guild, request.match_info["user_id"])
    role = get_role(guild, request)
    check_role_hierarchy(state, guild, role)
    if request.method == "PUT" and role.id not in member.role_ids:
        member.role_ids.append(role.id)
    elif request.method == "DELETE" and role.id in member.role_ids:
        member.role_ids.remove(role.id)
    await state.member_updated(guild, member)
    return no_content()


def check_timeout(
    state: DiscordState, guild: st.Guild, member: st.Member, until: str | None
) -> None:
    """Timeouts: moderate-members permission, never the owner, an administrator or a member
    whose top role is not below the bot's, and at most 28 days ahead."""
    require(state, guild, st.MODERATE_MEMBERS)
    if member.id == guild.owner_id:
        raise missing_permissions()
    if state.permissions(guild, member) & st.ADMINISTRATOR:
        raise missing_permissions()
    if guild.top_position(member) >= guild.top_position(state.bot_member(guild)):
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
