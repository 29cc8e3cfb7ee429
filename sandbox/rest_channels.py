"""Channel routes: messages (create, edit, delete, history, bulk delete), threads, reactions,
DMs and channel edits, with Discord's validation and permission checks."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

from sandbox import state as st
from sandbox.gateway import (
    DIRECT_MESSAGE_REACTIONS,
    DIRECT_MESSAGES,
    GUILD_MESSAGE_REACTIONS,
    GUILD_MESSAGES,
    GUILDS,
)
from sandbox.rest import API, BODY, CALL, FILES, json_response, no_content, require
from sandbox.validation import (
    DiscordError,
    FormErrors,
    cannot_dm,
    check_message,
    check_thread,
    missing_permissions,
    unknown,
)

if TYPE_CHECKING:
    from sandbox.emulator import Emulator

KEPT_FLAGS = (1 << 2) | (1 << 12) | (1 << 15) | st.EPHEMERAL
MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")
Files = list[tuple[str, str, bytes, str]]


def message_intent(channel: st.Channel) -> int:
    return DIRECT_MESSAGES if channel.type == st.DM else GUILD_MESSAGES


def _attachments(emu: Emulator, payload: dict[str, Any], files: Files) -> list[st.Attachment]:
    described = {str(a.get("id")): a for a in payload.get("attachments") or []}
    found = []
    for index, (field_name, filename, data, content_type) in enumerate(files):
        key = (
            field_name.removeprefix("files[").removesuffix("]") if "[" in field_name else str(index)
        )
        name = described.get(key, {}).get("filename") or filename
        att_id = emu.ids.next()
        attachment = st.Attachment(
            att_id,
            name,
            data,
            content_type or "application/octet-stream",
            f"{emu.base_url}/attachments/{att_id}/{name}",
        )
        emu.attachments[att_id] = attachment
        found.append(attachment)
    return found


def _mentions(payload: dict[str, Any], content: str) -> tuple[list[int], list[int]]:
    allowed = payload.get("allowed_mentions")
    users = [int(u) for u in MENTION.findall(content)]
    roles = [int(r) for r in ROLE_MENTION.findall(content)]
    if allowed is not None:
        parse = allowed.get("parse") or []
        allowed_users = {int(u) for u in allowed.get("users") or []}
        allowed_roles = {int(r) for r in allowed.get("roles") or []}
        users = [u for u in users if "users" in parse or u in allowed_users]
        roles = [r for r in roles if "roles" in parse or r in allowed_roles]
    return users, roles


NONCE_WINDOW = 300.0  # seconds in which enforce_nonce deduplicates


def build_message(
    emu: Emulator,
    channel: st.Channel,
    author: st.User,
    payload: dict[str, Any],
    files: Files,
    **extra: Any,
) -> st.Message:
    check_message(payload, files=len(files))
    content = str(payload.get("content") or "")
    mention_ids, role_ids = _mentions(payload, content)
    reference = payload.get("message_reference")
    if reference:
        ref_id = int(reference.get("message_id", 0))
        if ref_id not in emu.messages and reference.get("fail_if_not_exists", True):
            errors = FormErrors()
            errors.add(("message_reference",), "REPLIES_UNKNOWN_MESSAGE", "Unknown message")
            errors.raise_if_any()
        reference = {
            "type": 0,
            "message_id": str(ref_id),
            "channel_id": str(channel.id),
            "guild_id": str(channel.guild_id) if channel.guild_id else None,
        }
    msg = st.Message(
        id=emu.ids.next(),
        channel_id=channel.id,
        guild_id=channel.guild_id,
        author=author,
        content=content,
        embeds=[{"type": "rich", **e} for e in payload.get("embeds") or []],
        components=list(payload.get("components") or []),
        attachments=_attachments(emu, payload, files),
        flags=int(payload.get("flags") or 0) & KEPT_FLAGS,
        mention_ids=mention_ids,
        mention_role_ids=role_ids,
        message_reference=reference or None,
        type=19 if reference else 0,
        **extra,
    )
    return msg


async def publish(emu: Emulator, msg: st.Message) -> st.Message:
    """Store a new message and tell the gateway (ephemeral messages are never dispatched)."""
    emu.add_message(msg)
    channel = emu.channels[msg.channel_id]
    if not msg.ephemeral:
        await emu.gateway.dispatch(
            "MESSAGE_CREATE", emu.message_payload(msg), message_intent(channel)
        )
    return msg


async def apply_edit(
    emu: Emulator, msg: st.Message, payload: dict[str, Any], files: Files
) -> st.Message:
    """Edit a message as PATCH does: only the fields present change; the result must not be
    empty; the earlier version goes to ``msg.history``."""
    merged: dict[str, Any] = {
        "content": msg.content,
        "embeds": msg.embeds,
        "components": msg.components,
        "flags": msg.flags,
    }
    for key in ("content", "embeds", "components", "allowed_mentions"):
        if key in payload:
            merged[key] = (
                payload[key] if payload[key] is not None else ([] if key != "content" else "")
            )
    if "flags" in payload and payload["flags"] is not None:
        merged["flags"] = (msg.flags & st.EPHEMERAL) | (int(payload["flags"]) & KEPT_FLAGS)
    kept = msg.attachments
    if "attachments" in payload:
        keep_ids = {str(a.get("id")) for a in payload["attachments"] or []}
        kept = [a for a in msg.attachments if str(a.id) in keep_ids]
    check_message(merged, files=len(files) + len(kept))
    msg.history.append({"content": msg.content, "embeds": msg.embeds, "components": msg.components})
    msg.content = str(merged["content"] or "")
    msg.embeds = [{"type": "rich", **e} for e in merged["embeds"] or []]
    msg.components = list(merged["components"] or [])
    msg.flags = int(merged["flags"] or 0) & ~st.LOADING
    msg.attachments = kept + _attachments(emu, payload, files)
    msg.edited_timestamp = st.iso()
    if "content" in payload:
        msg.mention_ids, msg.mention_role_ids = _mentions(payload, msg.content)
    emu.changed()
    if not msg.ephemeral:
        channel = emu.channels[msg.channel_id]
        await emu.gateway.dispatch(
            "MESSAGE_UPDATE", emu.message_payload(msg), message_intent(channel)
        )
    return msg


async def delete_message(emu: Emulator, msg: st.Message) -> None:
    msg.deleted = True
    emu.changed()
    if not msg.ephemeral:
        channel = emu.channels[msg.channel_id]
        payload: dict[str, Any] = {"id": str(msg.id), "channel_id": str(msg.channel_id)}
        if msg.guild_id:
            payload["guild_id"] = str(msg.guild_id)
        await emu.gateway.dispatch("MESSAGE_DELETE", payload, message_intent(channel))


def dms_open(emu: Emulator, user: st.User) -> bool:
    return all(g.members[user.id].dms_open for g in emu.guilds.values() if user.id in g.members)


def thread_payload(emu: Emulator, thread: st.Channel, **extra: Any) -> dict[str, Any]:
    return {**emu.channel_payload(thread), **extra}


async def create_thread(
    emu: Emulator,
    parent: st.Channel,
    owner: st.User,
    body: dict[str, Any],
    *,
    message: st.Message | None = None,
) -> st.Channel:
    check_thread(body, creating=True)
    kind = st.PUBLIC_THREAD if message is not None else int(body.get("type") or st.PRIVATE_THREAD)
    thread = st.Channel(
        id=message.id if message is not None else emu.ids.next(),
        type=kind,
        name=str(body["name"]),
        guild_id=parent.guild_id,
        parent_id=parent.id,
        owner_id=owner.id,
        auto_archive_duration=int(body.get("auto_archive_duration") or 4320),
        invitable=bool(body.get("invitable", True)),
        thread_member_ids={owner.id},
    )
    guild = emu.guilds[parent.guild_id or 0]
    guild.channels[thread.id] = thread
    emu.channels[thread.id] = thread
    if message is not None:
        message.thread_id = thread.id
    emu.changed()
    await emu.gateway.dispatch(
        "THREAD_CREATE", thread_payload(emu, thread, newly_created=True), GUILDS
    )
    return thread


def add_routes(emu: Emulator, routes: web.RouteTableDef) -> None:
    def channel_of(request: web.Request) -> st.Channel:
        raw = request.match_info["channel_id"]
        channel = emu.channels.get(int(raw)) if raw.isdigit() else None
        if channel is None or channel.deleted:
            raise unknown("channel")
        guild = emu.find_guild_of(channel)
        if guild is not None:
            require(emu, guild, st.VIEW_CHANNEL, channel)
        return channel

    def message_of(channel: st.Channel, request: web.Request) -> st.Message:
        raw = request.match_info["message_id"]
        msg = emu.messages.get(int(raw)) if raw.isdigit() else None
        if msg is None or msg.deleted or msg.channel_id != channel.id or msg.visible_to:
            raise unknown("message")
        return msg

    def guild_perm(channel: st.Channel, permission: int) -> None:
        guild = emu.find_guild_of(channel)
        if guild is not None:
            require(emu, guild, permission, channel)

    @routes.get(API + "/channels/{channel_id}")
    async def get_channel(request: web.Request) -> web.Response:
        return json_response(emu.channel_payload(channel_of(request)))

    @routes.patch(API + "/channels/{channel_id}")
    async def edit_channel(request: web.Request) -> web.Response:
        channel = channel_of(request)
        body = request[BODY]
        guild = emu.find_guild_of(channel)
        if guild is None:
            raise missing_permissions()
        if channel.is_thread:
            check_thread(body, creating=False)
            moderates = emu.bot_can(guild, st.MANAGE_THREADS, channel)
            owns = channel.owner_id == emu.bot_user.id
            if "locked" in body and bool(body["locked"]) != channel.locked and not moderates:
                raise missing_permissions()
            if not (moderates or owns):
                raise missing_permissions()
            if channel.locked and not moderates and body.get("archived") is False:
                raise missing_permissions()
            for key in ("name", "archived", "locked", "auto_archive_duration", "invitable"):
                if key in body and body[key] is not None:
                    setattr(channel, key, body[key])
            emu.changed()
            await emu.gateway.dispatch("THREAD_UPDATE", emu.channel_payload(channel), GUILDS)
            return json_response(emu.channel_payload(channel))
        require(emu, guild, st.MANAGE_CHANNELS, channel)
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
        emu.changed()
        await emu.gateway.dispatch("CHANNEL_UPDATE", emu.channel_payload(channel), GUILDS)
        return json_response(emu.channel_payload(channel))

    @routes.delete(API + "/channels/{channel_id}")
    async def delete_channel(request: web.Request) -> web.Response:
        channel = channel_of(request)
        guild_perm(channel, st.MANAGE_THREADS if channel.is_thread else st.MANAGE_CHANNELS)
        channel.deleted = True
        if channel.is_thread:
            # the starter message loses its thread; a new one may be started from it
            for message in emu.messages.values():
                if message.thread_id == channel.id:
                    message.thread_id = None
        emu.changed()
        event = "THREAD_DELETE" if channel.is_thread else "CHANNEL_DELETE"
        await emu.gateway.dispatch(event, emu.channel_payload(channel), GUILDS)
        return json_response(emu.channel_payload(channel))

    @routes.put(API + "/channels/{channel_id}/permissions/{overwrite_id}")
    async def put_overwrite(request: web.Request) -> web.Response:
        channel = channel_of(request)
        guild_perm(channel, st.MANAGE_ROLES)
        body = request[BODY]
        target = int(request.match_info["overwrite_id"])
        channel.overwrites = [o for o in channel.overwrites if o.id != target]
        channel.overwrites.append(
            st.Overwrite(
                target,
                int(body.get("type", 0)),
                int(body.get("allow") or 0),
                int(body.get("deny") or 0),
            )
        )
        await emu.gateway.dispatch("CHANNEL_UPDATE", emu.channel_payload(channel), GUILDS)
        return no_content()

    @routes.post(API + "/channels/{channel_id}/typing")
    async def typing(request: web.Request) -> web.Response:
        channel_of(request)
        return no_content()

    @routes.post(API + "/channels/{channel_id}/messages")
    async def create_message(request: web.Request) -> web.Response:
        channel = channel_of(request)
        guild = emu.find_guild_of(channel)
        if guild is None:
            recipient = emu.users[channel.recipient_ids[0]]
            if not dms_open(emu, recipient):
                raise cannot_dm()
        else:
            needed = st.SEND_MESSAGES_IN_THREADS if channel.is_thread else st.SEND_MESSAGES
            require(emu, guild, needed, channel)
            if (
                channel.is_thread
                and channel.locked
                and not emu.bot_can(guild, st.MANAGE_THREADS, channel)
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
                    for m in reversed(emu.messages_in(channel, include_deleted=True))
                    if m.nonce == str(nonce)
                    and m.author.id == emu.bot_user.id
                    and time.monotonic() - m.created_monotonic < NONCE_WINDOW
                ),
                None,
            )
            if earlier is not None:
                return json_response(emu.message_payload(earlier))
        msg = build_message(emu, channel, emu.bot_user, body, request[FILES])
        msg.nonce = None if nonce is None else str(nonce)
        msg.flags &= ~st.EPHEMERAL
        msg.audit_reason = request[CALL].audit_reason
        if channel.is_thread and channel.archived:
            channel.archived = False
            await emu.gateway.dispatch("THREAD_UPDATE", emu.channel_payload(channel), GUILDS)
        await publish(emu, msg)
        return json_response(emu.message_payload(msg))

    @routes.get(API + "/channels/{channel_id}/messages")
    async def history(request: web.Request) -> web.Response:
        channel = channel_of(request)
        guild_perm(channel, st.READ_MESSAGE_HISTORY)
        limit = max(1, min(100, int(request.query.get("limit", "50"))))
        messages = emu.messages_in(channel)
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
        return json_response([emu.message_payload(m) for m in chosen])

    @routes.get(API + "/channels/{channel_id}/messages/{message_id}")
    async def get_message(request: web.Request) -> web.Response:
        channel = channel_of(request)
        guild_perm(channel, st.READ_MESSAGE_HISTORY)
        return json_response(emu.message_payload(message_of(channel, request)))

    @routes.patch(API + "/channels/{channel_id}/messages/{message_id}")
    async def edit_message(request: web.Request) -> web.Response:
        channel = channel_of(request)
        msg = message_of(channel, request)
        if msg.author is not emu.bot_user:
            body = request[BODY]
            if set(body) - {"flags"}:
                raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
            guild_perm(channel, st.MANAGE_MESSAGES)
        await apply_edit(emu, msg, request[BODY], request[FILES])
        return json_response(emu.message_payload(msg))

    @routes.delete(API + "/channels/{channel_id}/messages/{message_id}")
    async def remove_message(request: web.Request) -> web.Response:
        channel = channel_of(request)
        msg = message_of(channel, request)
        if msg.author is not emu.bot_user:
            if channel.type == st.DM:
                raise DiscordError(403, 50003, "Cannot execute action on a DM channel")
            guild_perm(channel, st.MANAGE_MESSAGES)
        msg.audit_reason = request[CALL].audit_reason
        await delete_message(emu, msg)
        return no_content()

    @routes.post(API + "/channels/{channel_id}/messages/bulk-delete")
    async def bulk_delete(request: web.Request) -> web.Response:
        channel = channel_of(request)
        guild_perm(channel, st.MANAGE_MESSAGES)
        ids = [int(i) for i in request[BODY].get("messages") or []]
        if not 2 <= len(ids) <= 100:
            errors = FormErrors()
            errors.add(
                ("messages",), "BASE_TYPE_BAD_LENGTH", "Must be between 2 and 100 in length."
            )
            errors.raise_if_any()
        found = [emu.messages.get(i) for i in ids]
        if any(m is None or m.channel_id != channel.id for m in found):
            raise unknown("message")
        for msg in found:
            assert msg is not None
            msg.deleted = True
        emu.changed()
        payload = {
            "ids": [str(i) for i in ids],
            "channel_id": str(channel.id),
            "guild_id": str(channel.guild_id),
        }
        await emu.gateway.dispatch("MESSAGE_DELETE_BULK", payload, GUILD_MESSAGES)
        return no_content()

    # -- threads ---------------------------------------------------------------------------

    @routes.post(API + "/channels/{channel_id}/messages/{message_id}/threads")
    async def thread_from_message(request: web.Request) -> web.Response:
        channel = channel_of(request)
        msg = message_of(channel, request)
        if channel.is_thread or channel.type == st.DM:
            raise DiscordError(400, 50024, "Cannot execute action on this channel type")
        if msg.thread_id is not None:
            raise DiscordError(400, 160004, "A thread has already been created for this message")
        guild_perm(channel, st.CREATE_PUBLIC_THREADS)
        thread = await create_thread(emu, channel, emu.bot_user, request[BODY], message=msg)
        return json_response(emu.channel_payload(thread), 201)

    @routes.post(API + "/channels/{channel_id}/threads")
    async def standalone_thread(request: web.Request) -> web.Response:
        channel = channel_of(request)
        if channel.is_thread or channel.type == st.DM:
            raise DiscordError(400, 50024, "Cannot execute action on this channel type")
        body = request[BODY]
        kind = int(body.get("type") or st.PRIVATE_THREAD)
        guild_perm(
            channel,
            st.CREATE_PRIVATE_THREADS if kind == st.PRIVATE_THREAD else st.CREATE_PUBLIC_THREADS,
        )
        thread = await create_thread(emu, channel, emu.bot_user, body)
        return json_response(emu.channel_payload(thread), 201)

    @routes.put(API + "/channels/{channel_id}/thread-members/{user_id}")
    @routes.delete(API + "/channels/{channel_id}/thread-members/{user_id}")
    async def thread_member(request: web.Request) -> web.Response:
        thread = channel_of(request)
        if not thread.is_thread:
            raise DiscordError(400, 50024, "Cannot execute action on this channel type")
        raw = request.match_info["user_id"]
        user_id = emu.bot_user.id if raw == "@me" else int(raw)
        if user_id not in emu.users:
            raise unknown("user")
        if thread.archived:
            raise DiscordError(400, 50083, "Thread is archived")
        private = thread.type == st.PRIVATE_THREAD and thread.owner_id != emu.bot_user.id
        if user_id != emu.bot_user.id and private:
            guild_perm(thread, st.MANAGE_THREADS)
        if request.method == "PUT":
            thread.thread_member_ids.add(user_id)
        else:
            thread.thread_member_ids.discard(user_id)
        emu.changed()
        return no_content()

    # -- reactions ------------------------------------------------------------------------

    def emoji_key(request: web.Request) -> str:
        return request.match_info["emoji"]

    async def dispatch_reaction(
        event: str, msg: st.Message, channel: st.Channel, user: st.User, key: str
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
            guild = emu.guilds[msg.guild_id]
            if event == "MESSAGE_REACTION_ADD" and user.id in guild.members:
                payload["member"] = emu.member_payload(guild.members[user.id])
                payload["message_author_id"] = str(msg.author.id)
        await emu.gateway.dispatch(event, payload, intent)

    @routes.put(API + "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me")
    async def add_reaction(request: web.Request) -> web.Response:
        channel = channel_of(request)
        msg = message_of(channel, request)
        guild_perm(channel, st.ADD_REACTIONS | st.READ_MESSAGE_HISTORY)
        key = emoji_key(request)
        users = msg.reactions.setdefault(key, [])
        if emu.bot_user.id not in users:
            users.append(emu.bot_user.id)
            await dispatch_reaction("MESSAGE_REACTION_ADD", msg, channel, emu.bot_user, key)
        return no_content()

    @routes.delete(API + "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/{user_id}")
    async def remove_reaction(request: web.Request) -> web.Response:
        channel = channel_of(request)
        msg = message_of(channel, request)
        raw = request.match_info["user_id"]
        user_id = emu.bot_user.id if raw == "@me" else int(raw)
        if user_id != emu.bot_user.id:
            guild_perm(channel, st.MANAGE_MESSAGES)
        key = emoji_key(request)
        users = msg.reactions.get(key, [])
        if user_id in users:
            users.remove(user_id)
            user = emu.users[user_id]
            await dispatch_reaction("MESSAGE_REACTION_REMOVE", msg, channel, user, key)
        return no_content()

    @routes.delete(API + "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}")
    @routes.delete(API + "/channels/{channel_id}/messages/{message_id}/reactions")
    async def clear_reactions(request: web.Request) -> web.Response:
        channel = channel_of(request)
        msg = message_of(channel, request)
        guild_perm(channel, st.MANAGE_MESSAGES)
        if "emoji" in request.match_info:
            msg.reactions.pop(emoji_key(request), None)
        else:
            msg.reactions.clear()
        return no_content()

    @routes.get(API + "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}")
    async def reaction_users(request: web.Request) -> web.Response:
        channel = channel_of(request)
        msg = message_of(channel, request)
        users = msg.reactions.get(emoji_key(request), [])
        return json_response([st.user_json(emu.users[u]) for u in users])
