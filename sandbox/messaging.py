"""Messages and threads as Discord stores and announces them: building a message from a
request body (mentions, attachments, replies), publishing, editing, deleting, starting threads.
Shared by the channel routes and the interaction callbacks, below both."""

from __future__ import annotations

import re
from typing import Any

from sandbox import state as st
from sandbox.enums import MessageType
from sandbox.gateway import DIRECT_MESSAGES, GUILD_MESSAGES, GUILDS
from sandbox.http import Files
from sandbox.state import DiscordState
from sandbox.validation import FormErrors, check_message, check_thread

KEPT_FLAGS = (1 << 2) | (1 << 12) | (1 << 15) | st.EPHEMERAL
MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")


def message_intent(channel: st.Channel) -> int:
    return DIRECT_MESSAGES if channel.type == st.DM else GUILD_MESSAGES


def _attachments(state: DiscordState, payload: dict[str, Any], files: Files) -> list[st.Attachment]:
    described = {str(a.get("id")): a for a in payload.get("attachments") or []}
    found = []
    for index, (field_name, filename, data, content_type) in enumerate(files):
        key = (
            field_name.removeprefix("files[").removesuffix("]") if "[" in field_name else str(index)
        )
        name = described.get(key, {}).get("filename") or filename
        att_id = state.ids.next()
        attachment = st.Attachment(
            att_id,
            name,
            data,
            content_type or "application/octet-stream",
            f"{state.base_url}/attachments/{att_id}/{name}",
        )
        state.attachments[att_id] = attachment
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
    state: DiscordState,
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
        if ref_id not in state.messages and reference.get("fail_if_not_exists", True):
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
        id=state.ids.next(),
        channel_id=channel.id,
        guild_id=channel.guild_id,
        author=author,
        content=content,
        embeds=[{"type": "rich", **e} for e in payload.get("embeds") or []],
        components=list(payload.get("components") or []),
        attachments=_attachments(state, payload, files),
        flags=int(payload.get("flags") or 0) & KEPT_FLAGS,
        mention_ids=mention_ids,
        mention_role_ids=role_ids,
        message_reference=reference or None,
        type=MessageType.REPLY if reference else MessageType.DEFAULT,
        **extra,
    )
    return msg


async def publish(state: DiscordState, msg: st.Message) -> st.Message:
    """Store a new message and tell the gateway (ephemeral messages are never dispatched)."""
    state.add_message(msg)
    channel = state.channels[msg.channel_id]
    if not msg.ephemeral:
        await state.dispatch("MESSAGE_CREATE", state.message_payload(msg), message_intent(channel))
    return msg


async def apply_edit(
    state: DiscordState, msg: st.Message, payload: dict[str, Any], files: Files
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
    msg.attachments = kept + _attachments(state, payload, files)
    msg.edited_timestamp = st.iso()
    if "content" in payload:
        msg.mention_ids, msg.mention_role_ids = _mentions(payload, msg.content)
    state.changed()
    if not msg.ephemeral:
        channel = state.channels[msg.channel_id]
        await state.dispatch("MESSAGE_UPDATE", state.message_payload(msg), message_intent(channel))
    return msg


async def delete_message(state: DiscordState, msg: st.Message) -> None:
    msg.deleted = True
    state.changed()
    if not msg.ephemeral:
        channel = state.channels[msg.channel_id]
        payload: dict[str, Any] = {"id": str(msg.id), "channel_id": str(msg.channel_id)}
        if msg.guild_id:
            payload["guild_id"] = str(msg.guild_id)
        await state.dispatch("MESSAGE_DELETE", payload, message_intent(channel))


def dms_open(state: DiscordState, user: st.User) -> bool:
    return all(g.members[user.id].dms_open for g in state.guilds.values() if user.id in g.members)


def thread_payload(state: DiscordState, thread: st.Channel, **extra: Any) -> dict[str, Any]:
    return {**state.channel_payload(thread), **extra}


async def create_thread(
    state: DiscordState,
    parent: st.Channel,
    owner: st.User,
    body: dict[str, Any],
    *,
    message: st.Message | None = None,
) -> st.Channel:
    check_thread(body, creating=True)
    kind = st.PUBLIC_THREAD if message is not None else int(body.get("type") or st.PRIVATE_THREAD)
    thread = st.Channel(
        id=message.id if message is not None else state.ids.next(),
        type=kind,
        name=str(body["name"]),
        guild_id=parent.guild_id,
        parent_id=parent.id,
        owner_id=owner.id,
        auto_archive_duration=int(body.get("auto_archive_duration") or 4320),
        invitable=bool(body.get("invitable", True)),
        thread_member_ids={owner.id},
    )
    guild = state.guilds[parent.guild_id or 0]
    guild.channels[thread.id] = thread
    state.channels[thread.id] = thread
    if message is not None:
        message.thread_id = thread.id
    state.changed()
    await state.dispatch("THREAD_CREATE", thread_payload(state, thread, newly_created=True), GUILDS)
    return thread
