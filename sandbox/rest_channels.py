"""Channel routes: messages (create, edit, delete, history, bulk delete), threads, reactions,
DMs and channel edits, with Discord's validation and permission checks. What a message *is*
(building, publishing, editing) lives in :mod:`sandbox.messaging`."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from sandbox import state as st
from sandbox.gateway import (
    DIRECT_MESSAGE_REACTIONS,
    GUILD_MESSAGE_REACTIONS,
    GUILD_MESSAGES,
    GUILDS,
)
from sandbox.http import (
    API,
    BODY,
    CALL,
    FILES,
    json_response,
    no_content,
    require,
    state_of,
)
from sandbox.messaging import (
    NONCE_WINDOW,
    apply_edit,
    build_message,
    create_thread,
    delete_message,
    dms_open,
    publish,
)
from sandbox.state import DiscordState
from sandbox.validation import (
    DiscordError,
    FormErrors,
    cannot_dm,
    check_thread,
    missing_permissions,
    unknown,
)

routes = web.RouteTableDef()


def channel_of(state: DiscordState, request: web.Request) -> st.Channel:
    raw = request.match_info["channel_id"]
    channel = state.channels.get(int(raw)) if raw.isdigit() else None
    if channel is None or channel.deleted:
        raise unknown("channel")
    guild = state.find_guild_of(channel)
    if guild is not None:
        require(state, guild, st.VIEW_CHANNEL, channel)
    return channel


def message_of(state: DiscordState, channel: st.Channel, request: web.Request) -> st.Message:
    raw = request.match_info["message_id"]
    msg = state.messages.get(int(raw)) if raw.isdigit() else None
    if msg is None or msg.deleted or msg.channel_id != channel.id or msg.visible_to:
        raise unknown("message")
    return msg


def guild_perm(state: DiscordState, channel: st.Channel, permission: int) -> None:
    guild = state.find_guild_of(channel)
    if guild is not None:
        require(state, guild, permission, channel)


@routes.get(API + "/channels/{channel_id}")
async def get_channel(request: web.Request) -> web.Response:
    state = state_of(request)
    return json_response(state.channel_payload(channel_of(state, request)))


@routes.patch(API + "/channels/{channel_id}")
async def edit_channel(request: web.Request) -> web.Response:
    state = state_of(request)
    channel = channel_of(state, request)
    body = request[BODY]
    guild = state.find_guild_of(channel)
    if guild is None:
        raise missing_permissions()
    if channel.is_thread:
        check_thread(body, creating=False)
        moderates = state.bot_can(guild, st.MANAGE_THREADS, channel)
        owns = channel.owner_id == state.bot_user.id
        if "locked" in body and bool(body["locked"]) != channel.locked and not moderates:
            raise missing_permissions()
        if not (moderates or owns):
            raise missing_permissions()
        if channel.locked and not moderates and body.get("archived") is False:
            raise missing_permissions()
        for key in ("name", "archived", "locked", "auto_archive_duration", "invitable"):
            if key in body and body[key] is not None:
                setattr(channel, key, body[key])
        state.changed()
        await state.dispatch("THREAD_UPDATE", state.channel_payload(channel), GUILDS)
        return json_response(state.channel_payload(channel))
    require(state, guild, st.MANAGE_CHANNELS, channel)
    errors = FormErrors()
    if "name" in body:
        errors.length_between(("name",), body["name"], 1, 100)
    errors.max_len(("topic",), body.get("topic"), 1024)
    errors.raise_if_any()
    if body.get("name"):
        channel.name = body["name"]
    if "topic" in body:
        channel.topic = body["topic"]
    if "permission_overwrites" in body:
        channel.overwrites = [
            st.Overwrite(
                int(o["id"]), int(o["type"]), int(o.get("allow", 0)), int(o.get("deny", 0))
            )
            for o in body["permission_overwrites"] or []
        ]
    state.changed()
    await state.dispatch("CHANNEL_UPDATE", state.channel_payload(channel), GUILDS)
    return json_response(state.channel_payload(channel))


@routes.delete(API + "/channels/{channel_id}")
async def delete_channel(request: web.Request) -> web.Response:
    state = state_of(request)
    channel = channel_of(state, request)
    guild_perm(state, channel, st.MANAGE_THREADS if channel.is_thread else st.MANAGE_CHANNELS)
    channel.deleted = True
    if channel.is_thread:
        # the starter message loses its thread; a new one may be started from it
        for message in state.messages.values():
            if message.thread_id == channel.id:
                message.thread_id = None
    state.changed()
    event = "THREAD_DELETE" if channel.is_thread else "CHANNEL_DELETE"
    await state.dispatch(event, state.channel_payload(channel), GUILDS)
    return json_response(state.channel_payload(channel))


@routes.put(API + "/channels/{channel_id}/permissions/{overwrite_id}")
async def put_overwrite(request: web.Request) -> web.Response:
    state = state_of(request)
    channel = channel_of(state, request)
    guild_perm(state, channel, st.MANAGE_ROLES)
    body = request[BODY]
    target = int(request.match_info["overwrite_id"])
    allow, deny = int(body.get("allow") or 0), int(body.get("deny") or 0)
    # Discord: a bot may only allow or deny permissions it has in the server or the channel
    # (https://discord.com/developers/docs/resources/channel#edit-channel-permissions).
    guild = state.guilds[channel.guild_id or 0]
    bot = state.bot_member(guild)
    has = state.permissions(guild, bot) | state.permissions(guild, bot, channel)
    if not has & st.ADMINISTRATOR and (allow | deny) & ~has:
        raise missing_permissions()
    channel.overwrites = [o for o in channel.overwrites if o.id != target]
    channel.overwrites.append(st.Overwrite(target, int(body.get("type", 0)), allow, deny))
    await state.dispatch("CHANNEL_UPDATE", state.channel_payload(channel), GUILDS)
    return no_content()


@routes.delete(API + "/channels/{channel_id}/permissions/{overwrite_id}")
async def delete_overwrite(request: web.Request) -> web.Response:
    state = state_of(request)
    channel = channel_of(state, request)
    guild_perm(state, channel, st.MANAGE_ROLES)
    target = int(request.match_info["overwrite_id"])
    channel.overwrites = [o for o in channel.overwrites if o.id != target]
    await state.dispatch("CHANNEL_UPDATE", state.channel_payload(channel), GUILDS)
    return no_content()


@routes.post(API + "/channels/{channel_id}/typing")
async def trigger_typing(request: web.Request) -> web.Response:
    state = state_of(request)
    channel_of(state, request)
    return no_content()


@routes.post(API + "/channels/{channel_id}/messages")
async def create_message(request: web.Request) -> web.Response:
    state = state_of(request)
    channel = channel_of(state, request)
    guild = state.find_guild_of(channel)
    if guild is None:
        recipient = state.users[channel.recipient_ids[0]]
        if not dms_open(state, recipient):
            raise cannot_dm()
    else:
        needed = st.SEND_MESSAGES_IN_THREADS if channel.is_thread else st.SEND_MESSAGES
        require(state, guild, needed, channel)
        if (
            channel.is_thread
            and channel.locked
            and not state.bot_can(guild, st.MANAGE_THREADS, channel)
        ):
            raise missing_permissions()
    body = request[BODY]
    nonce = body.get("nonce")
    if nonce is not None and body.get("enforce_nonce"):
        # Discord: a repeated nonce from the same author within a few minutes returns the
        # first message instead of creating another one.
        earlier = next(
            (
                m
                for m in reversed(state.messages_in(channel, include_deleted=True))
                if m.nonce == str(nonce)
                and m.author.id == state.bot_user.id
                and time.monotonic() - m.created_monotonic < NONCE_WINDOW
            ),
            None,
        )
        if earlier is not None:
            return json_response(state.message_payload(earlier))
    msg = build_message(state, channel, state.bot_user, body, request[FILES])
    msg.nonce = None if nonce is None else str(nonce)
    msg.flags &= ~st.EPHEMERAL
    msg.audit_reason = request[CALL].audit_reason
    if channel.is_thread and channel.archived:
        channel.archived = False
        await state.dispatch("THREAD_UPDATE", state.channel_payload(channel), GUILDS)
    await publish(state, msg)
    return json_response(state.message_payload(msg))


@routes.get(API + "/channels/{channel_id}/messages")
async def history(request: web.Request) -> web.Response:
    state = state_of(request)
    channel = channel_of(state, request)
    guild_perm(state, channel, st.READ_MESSAGE_HISTORY)
    limit = max(1, min(100, int(request.query.get("limit", "50"))))
    messages = state.messages_in(channel)
    if "before" in request.query:
        messages = [m for m in messages if m.id < int(request.query["before"])]
    if "after" in request.query:
        messages = [m for m in messages if m.id > int(request.query["after"])][:limit]
    if "around" in request.query:
        around = int(request.query["around"])
        older = [m for m in messages if m.id <= around][-((limit + 1) // 2) :]
        newer = [m for m in messages if m.id > around][: limit // 2]
        messages = older + newer
    chosen = list(reversed(messages[-limit:]))
    return json_response([state.message_payload(m) for m in chosen])


@routes.get(API + "/channels/{channel_id}/messages/{message_id}")
async def get_message(request: web.Request) -> web.Response:
    state = state_of(request)
    channel = channel_of(state, request)
    guild_perm(state, channel, st.READ_MESSAGE_HISTORY)
    return json_response(state.message_payload(message_of(state, channel, request)))


@routes.patch(API + "/channels/{channel_id}/messages/{message_id}")
async def edit_message(request: web.Request) -> web.Response:
    state = state_of(request)
    channel = channel_of(state, request)
    msg = message_of(state, channel, request)
    if msg.author is not state.bot_user:
        body = request[BODY]
        if set(body) - {"flags"}:
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
        guild_perm(state, channel, st.MANAGE_MESSAGES)
    await apply_edit(state, msg, request[BODY], request[FILES])
    return json_response(state.message_payload(msg))


@routes.delete(API + "/channels/{channel_id}/messages/{message_id}")
async def remove_message(request: web.Request) -> web.Response:
    state = state_of(request)
    channel = channel_of(state, request)
    msg = message_of(state, channel, request)
    if msg.author is not state.bot_user:
        if channel.type == st.DM:
            raise DiscordError(403, 50003, "Cannot execute action on a DM channel")
        guild_perm(state, channel, st.MANAGE_MESSAGES)
    msg.audit_reason = request[CALL].audit_reason
    await delete_message(state, msg)
    return no_content()


@routes.post(API + "/channels/{channel_id}/messages/bulk-delete")
async def bulk_delete(request: web.Request) -> web.Response:
    state = state_of(request)
    channel = channel_of(state, request)
    guild_perm(state, channel, st.MANAGE_MESSAGES)
    ids = [int(i) for i in request[BODY].get("messages") or []]
    if not 2 <= len(ids) <= 100:
        errors = FormErrors()
        errors.add(("messages",), "BASE_TYPE_BAD_LENGTH", "Must be between 2 and 100 in length.")
        errors.raise_if_any()
    found = [state.messages.get(i) for i in ids]
    if any(m is None or m.channel_id != channel.id for m in found):
        raise unknown("message")
    for msg in found:
        assert msg is not None
        msg.deleted = True
    state.changed()
    payload = {
        "ids": [str(i) for i in ids],
        "channel_id": str(channel.id),
        "guild_id": str(channel.guild_id),
    }
    await state.dispatch("MESSAGE_DELETE_BULK", payload, GUILD_MESSAGES)
    return no_content()


# -- threads ---------------------------------------------------------------------------


@routes.post(API + "/channels/{channel_id}/messages/{message_id}/threads")
async def thread_from_message(request: web.Request) -> web.Response:
    state = state_of(request)
    channel = channel_of(state, request)
    msg = message_of(state, channel, request)
    if channel.is_thread or channel.type == st.DM:
        raise DiscordError(400, 50024, "Cannot execute action on this channel type")
    if msg.thread_id is not None:
        raise DiscordError(400, 160004, "A thread has already been created for this message")
    guild_perm(state, channel, st.CREATE_PUBLIC_THREADS)
    thread = await create_thread(state, channel, state.bot_user, request[BODY], message=msg)
    return json_response(state.channel_payload(thread), 201)


@routes.post(API + "/channels/{channel_id}/threads")
async def standalone_thread(request: web.Request) -> web.Response:
    state = state_of(request)
    channel = channel_of(state, request)
    if channel.is_thread or channel.type == st.DM:
        raise DiscordError(400, 50024, "Cannot execute action on this channel type")
    body = request[BODY]
    kind = int(body.get("type") or st.PRIVATE_THREAD)
    guild_perm(
        state,
        channel,
        st.CREATE_PRIVATE_THREADS if kind == st.PRIVATE_THREAD else st.CREATE_PUBLIC_THREADS,
    )
    thread = await create_thread(state, channel, state.bot_user, body)
    return json_response(state.channel_payload(thread), 201)


@routes.put(API + "/channels/{channel_id}/thread-members/{user_id}")
@routes.delete(API + "/channels/{channel_id}/thread-members/{user_id}")
async def thread_member(request: web.Request) -> web.Response:
    state = state_of(request)
    thread = channel_of(state, request)
    if not thread.is_thread:
        raise DiscordError(400, 50024, "Cannot execute action on this channel type")
    raw = request.match_info["user_id"]
    user_id = state.bot_user.id if raw == "@me" else int(raw)
    if user_id not in state.users:
        raise unknown("user")
    if thread.archived:
        raise DiscordError(400, 50083, "Thread is archived")
    private = thread.type == st.PRIVATE_THREAD and thread.owner_id != state.bot_user.id
    if user_id != state.bot_user.id and private:
        guild_perm(state, thread, st.MANAGE_THREADS)
    if request.method == "PUT":
        thread.thread_member_ids.add(user_id)
    else:
        thread.thread_member_ids.discard(user_id)
    state.changed()
    return no_content()


# -- reactions ------------------------------------------------------------------------


def emoji_key(request: web.Request) -> str:
    return request.match_info["emoji"]


async def dispatch_reaction(
    state: DiscordState, event: str, msg: st.Message, channel: st.Channel, user: st.User, key: str
) -> None:
    name, _, emoji_id = key.partition(":")
    payload: dict[str, Any] = {
        "user_id": str(user.id),
        "channel_id": str(channel.id),
        "message_id": str(msg.id),
        "emoji": {"id": emoji_id or None, "name": name},
        "burst": False,
        "type": 0,
    }
    intent = DIRECT_MESSAGE_REACTIONS if channel.type == st.DM else GUILD_MESSAGE_REACTIONS
    if msg.guild_id:
        payload["guild_id"] = str(msg.guild_id)
        guild = state.guilds[msg.guild_id]
        if event == "MESSAGE_REACTION_ADD" and user.id in guild.members:
            payload["member"] = state.member_payload(guild.members[user.id])
            payload["message_author_id"] = str(msg.author.id)
    await state.dispatch(event, payload, intent)


@routes.put(API + "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me")
async def add_reaction(request: web.Request) -> web.Response:
    state = state_of(request)
    channel = channel_of(state, request)
    msg = message_of(state, channel, request)
    guild_perm(state, channel, st.ADD_REACTIONS | st.READ_MESSAGE_HISTORY)
    key = emoji_key(request)
    users = msg.reactions.setdefault(key, [])
    if state.bot_user.id not in users:
        users.append(state.bot_user.id)
        await dispatch_reaction(state, "MESSAGE_REACTION_ADD", msg, channel, state.bot_user, key)
    return no_content()


@routes.delete(API + "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/{user_id}")
async def remove_reaction(request: web.Request) -> web.Response:
    state = state_of(request)
    channel = channel_of(state, request)
    msg = message_of(state, channel, request)
    raw = request.match_info["user_id"]
    user_id = state.bot_user.id if raw == "@me" else int(raw)
    if user_id != state.bot_user.id:
        guild_perm(state, channel, st.MANAGE_MESSAGES)
    key = emoji_key(request)
    users = msg.reactions.get(key, [])
    if user_id in users:
        users.remove(user_id)
        user = state.users[user_id]
        await dispatch_reaction(state, "MESSAGE_REACTION_REMOVE", msg, channel, user, key)
    return no_content()


@routes.delete(API + "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}")
@routes.delete(API + "/channels/{channel_id}/messages/{message_id}/reactions")
async def clear_reactions(request: web.Request) -> web.Response:
    state = state_of(request)
    channel = channel_of(state, request)
    msg = message_of(state, channel, request)
    guild_perm(state, channel, st.MANAGE_MESSAGES)
    if "emoji" in request.match_info:
        msg.reactions.pop(emoji_key(request), None)
    else:
        msg.reactions.clear()
    return no_content()


@routes.get(API + "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}")
async def reaction_users(request: web.Request) -> web.Response:
    state = state_of(request)
    channel = channel_of(state, request)
    msg = message_of(state, channel, request)
    users = msg.reactions.get(emoji_key(request), [])
    return json_response([st.user_json(state.users[u]) for u in users])
