"""What every REST route shares: the app keys, the request keys the middleware fills, JSON
answers exactly as Discord sends them, the middleware (logging, auth, faults, 429s), and the
lookups and permission checks routes start with.

Handlers are module-level functions; they find the state with ``request.app[STATE_KEY]``."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import unquote

from aiohttp import web

from sandbox import state as st
from sandbox.calls import Fault, Faults, RestCall
from sandbox.state import DiscordState
from sandbox.validation import DiscordError, missing_permissions, unknown

API = "/api/v10"
STATE_KEY = web.AppKey("state", DiscordState)
FAULTS_KEY = web.AppKey("faults", Faults)
BODY: web.RequestKey[Any] = web.RequestKey("body")
FILES: web.RequestKey[list[tuple[str, str, bytes, str]]] = web.RequestKey("files")
CALL: web.RequestKey[RestCall] = web.RequestKey("call")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Files = list[tuple[str, str, bytes, str]]


def state_of(request: web.Request) -> DiscordState:
    return request.app[STATE_KEY]


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


async def read_body(request: web.Request) -> tuple[Any, Files]:
    """The JSON body (or ``payload_json`` of a multipart form) and any uploaded files."""
    files: Files = []
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


def _rate_limited(route: str, fault: Fault) -> web.Response:
    headers = ratelimit_headers(route, fault.retry_after, remaining=0)
    headers.update({"Retry-After": str(max(1, round(fault.retry_after))), "Via": "1.1 google"})
    if fault.is_global:
        headers["X-RateLimit-Global"] = "true"
        headers["X-RateLimit-Scope"] = "global"
    else:
        headers["X-RateLimit-Scope"] = "user"
    body = {"message": fault.message, "retry_after": fault.retry_after, "global": fault.is_global}
    return json_response(body, 429, headers)


@web.middleware
async def discord_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Log each API call, check the bot token, apply injected faults, answer Discord errors."""
    if not request.path.startswith(API):
        return await handler(request)
    state, faults = request.app[STATE_KEY], request.app[FAULTS_KEY]
    path = request.path[len(API) :]
    resource = request.match_info.route.resource
    route = resource.canonical[len(API) :] if resource is not None else path
    reason_header = request.headers.get("X-Audit-Log-Reason")
    call = RestCall(
        request.method, path, route, None, unquote(reason_header) if reason_header else None
    )
    state.rest_log.append(call)
    state.requests_in_flight += 1
    try:
        return await _answer(request, handler, state, faults, call, path, route)
    finally:
        state.requests_in_flight -= 1
        state.changed()


async def _answer(
    request: web.Request,
    handler: Handler,
    state: DiscordState,
    faults: Faults,
    call: RestCall,
    path: str,
    route: str,
) -> web.StreamResponse:
    try:
        body, files = await read_body(request)
        call.body = body
        call.files = [f[1] for f in files]
        request[BODY] = body if body is not None else {}
        request[FILES] = files
        request[CALL] = call
        webhook_route = route.startswith(("/interactions/", "/webhooks/"))
        if not webhook_route and request.headers.get("Authorization") != f"Bot {state.token}":
            raise DiscordError(401, 0, "401: Unauthorized")
        fault = faults.take(request.method, path, route)
        if fault is not None and fault.status == 429:
            response: web.StreamResponse = _rate_limited(route, fault)
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
        state.errors.append(call)
    state.changed()
    return response


# ---------------------------------------------------------------------------------------------
# Lookups and checks routes start with


def get_guild(state: DiscordState, request: web.Request) -> st.Guild:
    guild = state.guilds.get(int(request.match_info["guild_id"]))
    if guild is None:
        raise unknown("guild")
    return guild


def get_member(guild: st.Guild, raw_id: str) -> st.Member:
    member = guild.members.get(int(raw_id)) if raw_id.isdigit() else None
    if member is None:
        raise unknown("member")
    return member


def require(
    state: DiscordState, guild: st.Guild, permission: int, channel: st.Channel | None = None
) -> None:
    if not state.bot_can(guild, permission, channel):
        raise missing_permissions()


def check_role_hierarchy(state: DiscordState, guild: st.Guild, role: st.Role) -> None:
    """The bot may only manage roles below its own top role, never managed or @everyone."""
    require(state, guild, st.MANAGE_ROLES)
    if role.managed or role.id == guild.id:
        raise missing_permissions()
    if role.position >= guild.top_position(state.bot_member(guild)):
        raise missing_permissions()
