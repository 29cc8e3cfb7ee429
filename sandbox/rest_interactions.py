"""Interaction callbacks (types 4, 5, 6, 7, 8, 9) and followup webhooks (@original and
followup messages), with the 3-second and 15-minute windows and the one-response rule."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from aiohttp import web

from sandbox import state as st
from sandbox.enums import CallbackType, InteractionType, MessageType
from sandbox.http import API, BODY, FILES, json_response, no_content, state_of
from sandbox.messaging import apply_edit, build_message, delete_message, publish
from sandbox.state import DiscordState
from sandbox.validation import (
    DiscordError,
    FormErrors,
    already_acknowledged,
    check_autocomplete_choices,
    check_message,
    check_modal,
    unknown,
)

Callback = CallbackType
Kind = InteractionType
# Which callback types each interaction type accepts.
ALLOWED_RESPONSES: dict[int, set[int]] = {
    Kind.APPLICATION_COMMAND: {
        Callback.CHANNEL_MESSAGE_WITH_SOURCE,
        Callback.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
        Callback.MODAL,
    },
    Kind.MESSAGE_COMPONENT: {
        Callback.CHANNEL_MESSAGE_WITH_SOURCE,
        Callback.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
        Callback.DEFERRED_UPDATE_MESSAGE,
        Callback.UPDATE_MESSAGE,
        Callback.MODAL,
    },
    Kind.APPLICATION_COMMAND_AUTOCOMPLETE: {Callback.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT},
    Kind.MODAL_SUBMIT: {
        Callback.CHANNEL_MESSAGE_WITH_SOURCE,
        Callback.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
        Callback.DEFERRED_UPDATE_MESSAGE,
        Callback.UPDATE_MESSAGE,
    },
}

routes = web.RouteTableDef()


def interaction_metadata(state: DiscordState, inter: st.Interaction) -> dict[str, Any]:
    data = inter.payload.get("data") or {}
    meta: dict[str, Any] = {
        "id": str(inter.id),
        "type": inter.type,
        "user": st.user_json(state.users[inter.user_id]),
        "authorizing_integration_owners": {"0": str(inter.guild_id)} if inter.guild_id else {},
    }
    if inter.type == Kind.APPLICATION_COMMAND:
        meta["name"] = data.get("name")
        meta["command_type"] = data.get("type", 1)
    if inter.source_message_id:
        meta["interacted_message_id"] = str(inter.source_message_id)
    return meta


def _new_response_message(
    state: DiscordState,
    inter: st.Interaction,
    payload: dict[str, Any],
    files: Any,
    *,
    loading: bool,
) -> st.Message:
    channel = state.channels[inter.channel_id]
    if loading:
        flags = st.LOADING | (int(payload.get("flags") or 0) & st.EPHEMERAL)
        msg = st.Message(
            id=state.ids.next(),
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author=state.bot_user,
            flags=flags,
        )
    else:
        msg = build_message(state, channel, state.bot_user, payload, files)
    msg.webhook_id = state.application_id
    msg.interaction_id = inter.id
    msg.interaction_metadata = interaction_metadata(state, inter)
    if inter.type == Kind.APPLICATION_COMMAND:
        msg.type = MessageType.CHAT_INPUT_COMMAND
    else:
        msg.type = MessageType.REPLY if msg.message_reference else MessageType.DEFAULT
    if msg.ephemeral:
        msg.visible_to = inter.user_id
    return msg


def _interaction_for_token(state: DiscordState, request: web.Request) -> st.Interaction:
    inter = state.interactions_by_token.get(request.match_info["token"])
    if inter is None or str(request.match_info["application_id"]) != str(state.application_id):
        raise unknown("webhook")
    if time.time() - inter.created_wall > state.followup_ttl:
        raise DiscordError(401, 50027, "Invalid Webhook Token")
    if not inter.responded:
        raise unknown("webhook")
    return inter


@routes.post(API + "/interactions/{interaction_id}/{token}/callback")
async def callback(request: web.Request) -> web.Response:
    state = state_of(request)
    raw_id = request.match_info["interaction_id"]
    inter = state.interactions.get(int(raw_id)) if raw_id.isdigit() else None
    if inter is None or inter.token != request.match_info["token"]:
        raise unknown("interaction")
    if asyncio.get_running_loop().time() - inter.created_at > state.interaction_deadline:
        raise unknown("interaction")
    if inter.responded:
        raise already_acknowledged()
    body = request[BODY]
    kind = body.get("type")
    data = body.get("data") or {}
    if kind not in ALLOWED_RESPONSES.get(inter.type, set()):
        errors = FormErrors()
        errors.add(("type",), "INTERACTION_RESPONSE_TYPE_INVALID", "Invalid response type")
        errors.raise_if_any()
    files = request[FILES]
    message: st.Message | None = None
    if kind == Callback.CHANNEL_MESSAGE_WITH_SOURCE:
        message = await publish(
            state, _new_response_message(state, inter, data, files, loading=False)
        )
        inter.original_message_id = message.id
    elif kind == Callback.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE:
        message = await publish(
            state, _new_response_message(state, inter, data, files, loading=True)
        )
        inter.original_message_id = message.id
        inter.first_followup_pending = True
    elif kind == Callback.DEFERRED_UPDATE_MESSAGE:
        inter.original_message_id = inter.source_message_id
    elif kind == Callback.UPDATE_MESSAGE:
        source = state.messages.get(inter.source_message_id or 0)
        if source is None:
            raise unknown("message")
        check_message({**data, "content": data.get("content", source.content)}, require_body=False)
        message = await apply_edit(state, source, data, files)
        inter.original_message_id = source.id
    elif kind == Callback.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT:
        choices = list(data.get("choices") or [])
        check_autocomplete_choices(choices)
        inter.choices = choices
    elif kind == Callback.MODAL:
        check_modal(data)
        inter.modal = st.Modal(
            custom_id=str(data["custom_id"]),
            title=str(data["title"]),
            components=list(data["components"]),
            interaction_id=inter.id,
        )
    inter.response_type = kind
    state.changed()
    if request.query.get("with_response", "").lower() not in ("true", "1"):
        return no_content()
    answer: dict[str, Any] = {
        "interaction": {
            "id": str(inter.id),
            "type": inter.type,
            "response_message_loading": kind == Callback.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
            "response_message_ephemeral": bool(message and message.ephemeral),
        }
    }
    if message is not None:
        answer["interaction"]["response_message_id"] = str(message.id)
        answer["resource"] = {"type": kind, "message": state.message_payload(message)}
    return json_response(answer)


@routes.post(API + "/webhooks/{application_id}/{token}")
async def followup(request: web.Request) -> web.Response:
    state = state_of(request)
    inter = _interaction_for_token(state, request)
    body, files = request[BODY], request[FILES]
    original = state.messages.get(inter.original_message_id or 0)
    if inter.first_followup_pending and original is not None and original.loading:
        # The first followup after a defer replaces the "thinking..." message.
        inter.first_followup_pending = False
        check_message(body, files=len(files))
        message = await apply_edit(state, original, body, files)
    else:
        message = _new_response_message(state, inter, body, files, loading=False)
        message.type = MessageType.DEFAULT
        await publish(state, message)
        inter.followup_ids.append(message.id)
    state.changed()
    if request.query.get("wait", "").lower() in ("true", "1"):
        return json_response(state.message_payload(message))
    return no_content()


def target_message(state: DiscordState, inter: st.Interaction, request: web.Request) -> st.Message:
    raw = request.match_info["message_id"]
    message_id = inter.original_message_id if raw == "@original" else int(raw)
    allowed = {inter.original_message_id, *inter.followup_ids}
    msg = state.messages.get(message_id or 0)
    if msg is None or msg.deleted or message_id not in allowed:
        raise unknown("message")
    return msg


@routes.get(API + "/webhooks/{application_id}/{token}/messages/{message_id}")
async def get_followup(request: web.Request) -> web.Response:
    state = state_of(request)
    inter = _interaction_for_token(state, request)
    return json_response(state.message_payload(target_message(state, inter, request)))


@routes.patch(API + "/webhooks/{application_id}/{token}/messages/{message_id}")
async def edit_followup(request: web.Request) -> web.Response:
    state = state_of(request)
    inter = _interaction_for_token(state, request)
    msg = target_message(state, inter, request)
    if msg.loading:
        inter.first_followup_pending = False
    await apply_edit(state, msg, request[BODY], request[FILES])
    return json_response(state.message_payload(msg))


@routes.delete(API + "/webhooks/{application_id}/{token}/messages/{message_id}")
async def delete_followup(request: web.Request) -> web.Response:
    state = state_of(request)
    inter = _interaction_for_token(state, request)
    await delete_message(state, target_message(state, inter, request))
    return no_content()
