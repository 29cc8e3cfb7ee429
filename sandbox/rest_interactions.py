"""Interaction callbacks (types 4, 5, 6, 7, 8, 9) and followup webhooks (@original and
followup messages), with the 3-second and 15-minute windows and the one-response rule."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

from sandbox import state as st
from sandbox.rest import API, BODY, FILES, json_response, no_content
from sandbox.rest_channels import apply_edit, build_message, delete_message, publish
from sandbox.validation import (
    DiscordError,
    FormErrors,
    already_acknowledged,
    check_autocomplete_choices,
    check_message,
    check_modal,
    unknown,
)

if TYPE_CHECKING:
    from sandbox.emulator import Emulator

APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
# Which callback types each interaction type accepts.
ALLOWED_RESPONSES = {
    APPLICATION_COMMAND: {4, 5, 9},
    MESSAGE_COMPONENT: {4, 5, 6, 7, 9},
    AUTOCOMPLETE: {8},
    MODAL_SUBMIT: {4, 5, 6, 7},
}


def interaction_metadata(emu: Emulator, inter: st.Interaction) -> dict[str, Any]:
    data = inter.payload.get("data") or {}
    meta: dict[str, Any] = {
        "id": str(inter.id),
        "type": inter.type,
        "user": st.user_json(emu.users[inter.user_id]),
        "authorizing_integration_owners": {"0": str(inter.guild_id)} if inter.guild_id else {},
    }
    if inter.type == APPLICATION_COMMAND:
        meta["name"] = data.get("name")
        meta["command_type"] = data.get("type", 1)
    if inter.source_message_id:
        meta["interacted_message_id"] = str(inter.source_message_id)
    return meta


def _new_response_message(
    emu: Emulator, inter: st.Interaction, payload: dict[str, Any], files: Any, *, loading: bool
) -> st.Message:
    channel = emu.channels[inter.channel_id]
    if loading:
        flags = st.LOADING | (int(payload.get("flags") or 0) & st.EPHEMERAL)
        msg = st.Message(
            id=emu.ids.next(),
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author=emu.bot_user,
            flags=flags,
        )
    else:
        msg = build_message(emu, channel, emu.bot_user, payload, files)
    msg.webhook_id = emu.application_id
    msg.interaction_id = inter.id
    msg.interaction_metadata = interaction_metadata(emu, inter)
    msg.type = 20 if inter.type == APPLICATION_COMMAND else 19 if msg.message_reference else 0
    if msg.ephemeral:
        msg.visible_to = inter.user_id
    return msg


def _interaction_for_token(emu: Emulator, request: web.Request) -> st.Interaction:
    inter = emu.interactions_by_token.get(request.match_info["token"])
    if inter is None or str(request.match_info["application_id"]) != str(emu.application_id):
        raise unknown("webhook")
    if time.time() - inter.created_wall > emu.followup_ttl:
        raise DiscordError(401, 50027, "Invalid Webhook Token")
    if not inter.responded:
        raise unknown("webhook")
    return inter


def add_routes(emu: Emulator, routes: web.RouteTableDef) -> None:
    @routes.post(API + "/interactions/{interaction_id}/{token}/callback")
    async def callback(request: web.Request) -> web.Response:
        raw_id = request.match_info["interaction_id"]
        inter = emu.interactions.get(int(raw_id)) if raw_id.isdigit() else None
        if inter is None or inter.token != request.match_info["token"]:
            raise unknown("interaction")
        if asyncio.get_running_loop().time() - inter.created_at > emu.interaction_deadline:
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
        if kind == 4:
            message = await publish(
                emu, _new_response_message(emu, inter, data, files, loading=False)
            )
            inter.original_message_id = message.id
        elif kind == 5:
            message = await publish(
                emu, _new_response_message(emu, inter, data, files, loading=True)
            )
            inter.original_message_id = message.id
            inter.first_followup_pending = True
        elif kind == 6:
            inter.original_message_id = inter.source_message_id
        elif kind == 7:
            source = emu.messages.get(inter.source_message_id or 0)
            if source is None:
                raise unknown("message")
            check_message(
                {**data, "content": data.get("content", source.content)}, require_body=False
            )
            message = await apply_edit(emu, source, data, files)
            inter.original_message_id = source.id
        elif kind == 8:
            choices = list(data.get("choices") or [])
            check_autocomplete_choices(choices)
            inter.choices = choices
        elif kind == 9:
            check_modal(data)
            inter.modal = st.Modal(
                custom_id=str(data["custom_id"]),
                title=str(data["title"]),
                components=list(data["components"]),
                interaction_id=inter.id,
            )
        inter.response_type = kind
        emu.changed()
        if request.query.get("with_response", "").lower() not in ("true", "1"):
            return no_content()
        answer: dict[str, Any] = {
            "interaction": {
                "id": str(inter.id),
                "type": inter.type,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(message and message.ephemeral),
            }
        }
        if message is not None:
            answer["interaction"]["response_message_id"] = str(message.id)
            answer["resource"] = {"type": kind, "message": emu.message_payload(message)}
        return json_response(answer)

    @routes.post(API + "/webhooks/{application_id}/{token}")
    async def followup(request: web.Request) -> web.Response:
        inter = _interaction_for_token(emu, request)
        body, files = request[BODY], request[FILES]
        original = emu.messages.get(inter.original_message_id or 0)
        if inter.first_followup_pending and original is not None and original.loading:
            # The first followup after a defer replaces the "thinking..." message.
            inter.first_followup_pending = False
            check_message(body, files=len(files))
            message = await apply_edit(emu, original, body, files)
        else:
            message = _new_response_message(emu, inter, body, files, loading=False)
            message.type = 0
            await publish(emu, message)
            inter.followup_ids.append(message.id)
        emu.changed()
        if request.query.get("wait", "").lower() in ("true", "1"):
            return json_response(emu.message_payload(message))
        return no_content()

    def target_message(inter: st.Interaction, request: web.Request) -> st.Message:
        raw = request.match_info["message_id"]
        message_id = inter.original_message_id if raw == "@original" else int(raw)
        allowed = {inter.original_message_id, *inter.followup_ids}
        msg = emu.messages.get(message_id or 0)
        if msg is None or msg.deleted or message_id not in allowed:
            raise unknown("message")
        return msg

    @routes.get(API + "/webhooks/{application_id}/{token}/messages/{message_id}")
    async def get_followup(request: web.Request) -> web.Response:
        inter = _interaction_for_token(emu, request)
        return json_response(emu.message_payload(target_message(inter, request)))

    @routes.patch(API + "/webhooks/{application_id}/{token}/messages/{message_id}")
    async def edit_followup(request: web.Request) -> web.Response:
        inter = _interaction_for_token(emu, request)
        msg = target_message(inter, request)
        if msg.loading:
            inter.first_followup_pending = False
        await apply_edit(emu, msg, request[BODY], request[FILES])
        return json_response(emu.message_payload(msg))

    @routes.delete(API + "/webhooks/{application_id}/{token}/messages/{message_id}")
    async def delete_followup(request: web.Request) -> web.Response:
        inter = _interaction_for_token(emu, request)
        await delete_message(emu, target_message(inter, request))
        return no_content()
