"""Scripted members: what a person does in Discord's client, sent to the bot as Discord would.

alice = await emu.add_member(guild, "alice", roles=[armenian])
resp = await alice.slash("setup community add", name="Armenian", role=armenian)
msg = await resp.message()            # the bot's answer (ephemeral or not)
modal = await (await alice.click(msg, "Reply")).modal()
done = await alice.submit(modal, {"Your reply": "..."})
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from sandbox import payloads
from sandbox import state as st
from sandbox.enums import (
    SELECTS,
    ButtonStyle,
    CallbackType,
    CommandType,
    ComponentType,
    InteractionType,
    MessageType,
)
from sandbox.gateway import DIRECT_MESSAGES, GUILD_MESSAGE_REACTIONS, GUILD_MESSAGES
from sandbox.payloads import Upload
from sandbox.state import DiscordState
from sandbox.waiting import wait_for_message, wait_until

__all__ = ["InteractionHandle", "Person", "Upload"]

RESPONSE_NAMES: dict[int, str] = {
    CallbackType.CHANNEL_MESSAGE_WITH_SOURCE: "message",
    CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: "deferred message",
    CallbackType.DEFERRED_UPDATE_MESSAGE: "deferred update",
    CallbackType.UPDATE_MESSAGE: "message update",
    CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT: "autocomplete choices",
    CallbackType.MODAL: "modal",
}
NOT_A_MESSAGE = (CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT, CallbackType.MODAL)
MENTION = re.compile(r"<@!?(\d+)>")


class InteractionHandle:
    """One interaction a member started; await the bot's answers through it."""

    def __init__(self, state: DiscordState, interaction: st.Interaction) -> None:
        self.state = state
        self.interaction = interaction

    @property
    def id(self) -> int:
        return self.interaction.id

    def _what(self) -> str:
        data = self.interaction.payload.get("data") or {}
        return data.get("name") or data.get("custom_id") or f"interaction {self.id}"

    async def response(self, timeout: float | None = None) -> st.Interaction:
        """Wait for the initial response (any type); returns the interaction record."""
        inter = self.interaction
        errors_before = len(self.state.errors)

        def describe() -> str:
            errors = [str(c) for c in self.state.errors[errors_before:]]
            extra = f"; REST errors meanwhile: {errors}" if errors else ""
            return f"the bot did not respond to {self._what()!r} in time{extra}"

        await wait_until(self.state, lambda: inter.responded, timeout=timeout, describe=describe)
        return inter

    @property
    def response_type(self) -> int | None:
        return self.interaction.response_type

    async def message(self, timeout: float | None = None) -> st.Message:
        """The message the bot answered with: the reply (4), the filled-in deferred reply (5),
        or the updated message (6, 7)."""
        inter = await self.response(timeout)
        if inter.response_type in NOT_A_MESSAGE:
            raise AssertionError(
                f"the bot answered {self._what()!r} with a "
                f"{RESPONSE_NAMES[inter.response_type]}, not a message"
            )
        msg = self.state.messages[inter.original_message_id or 0]
        if msg.loading:
            await wait_until(
                self.state,
                lambda: not msg.loading,
                timeout=timeout,
                describe=lambda: f"the bot deferred {self._what()!r} but never followed up",
            )
        return msg

    async def modal(self, timeout: float | None = None) -> st.Modal:
        inter = await self.response(timeout)
        if inter.modal is None:
            kind = RESPONSE_NAMES.get(inter.response_type or 0, "?")
            raise AssertionError(f"the bot answered {self._what()!r} with a {kind}, not a modal")
        return inter.modal

    async def choices(self, timeout: float | None = None) -> list[dict[str, Any]]:
        inter = await self.response(timeout)
        if inter.choices is None:
            raise AssertionError(f"the bot did not send autocomplete choices for {self._what()!r}")
        return inter.choices

    async def followup(self, index: int = 0, timeout: float | None = None) -> st.Message:
        """The ``index``-th followup message (not counting the one filling a defer)."""
        inter = self.interaction
        await wait_until(
            self.state,
            lambda: len(inter.followup_ids) > index,
            timeout=timeout,
            describe=lambda: (
                f"{self._what()!r} got {len(inter.followup_ids)} followup(s), wanted #{index}"
            ),
        )
        return self.state.messages[inter.followup_ids[index]]

    @property
    def followups(self) -> list[st.Message]:
        return [self.state.messages[i] for i in self.interaction.followup_ids]

    async def edited(self, after: int = 0, timeout: float | None = None) -> st.Message:
        """The response message once it has been edited more than ``after`` times."""
        msg = await self.message(timeout)
        await wait_until(
            self.state,
            lambda: msg.edits > after,
            timeout=timeout,
            describe=lambda: f"the answer to {self._what()!r} was not edited",
        )
        return msg

    async def no_response(self, within: float = 0.2) -> None:
        """Assert the bot did not answer within ``within`` seconds."""
        await asyncio.sleep(within)
        if self.interaction.responded:
            raise AssertionError(f"the bot unexpectedly answered {self._what()!r}")


class Person:
    """A member of a guild acting through Discord's client."""

    def __init__(self, state: DiscordState, guild: st.Guild, member: st.Member) -> None:
        self.state = state
        self.guild = guild
        self.member = member

    def __repr__(self) -> str:
        return f"<Person {self.member.user.username} in {self.guild.name}>"

    @property
    def id(self) -> int:
        return self.member.id

    @property
    def user(self) -> st.User:
        return self.member.user

    @property
    def name(self) -> str:
        return self.member.name

    @property
    def mention(self) -> str:
        return self.member.mention

    @property
    def locale(self) -> str:
        """The language of this member's Discord app (e.g. "en-US", "ru"); every interaction
        carries it. Set it to act as a member whose app is in another language."""
        return self.member.user.locale

    @locale.setter
    def locale(self, value: str) -> None:
        self.member.user.locale = value

    @property
    def roles(self) -> list[st.Role]:
        return [self.guild.roles[r] for r in self.member.role_ids if r in self.guild.roles]

    @property
    def role_names(self) -> list[str]:
        return [r.name for r in self.roles]

    @property
    def timed_out(self) -> bool:
        return self.member.timed_out

    @property
    def dms(self) -> list[st.Message]:
        """Messages the bot sent this member by DM, oldest first."""
        channel = self.state.dm_channels.get(self.id)
        return self.state.messages_in(channel) if channel else []

    def close_dms(self) -> None:
        """From now on the bot gets 50007 when it tries to DM this member."""
        self.member.dms_open = False

    async def wait_for_dm(
        self, check: Callable[[st.Message], bool] | None = None, timeout: float | None = None
    ) -> st.Message:
        channel = self.state.dm_channel(self.user)
        return await wait_for_message(self.state, channel, check=check, timeout=timeout)

    def _default_channel(self) -> st.Channel:
        for channel in self.guild.channels.values():
            if channel.type == st.GUILD_TEXT and not channel.deleted:
                return channel
        raise LookupError(f"{self.guild.name} has no text channel")

    # -- messages -------------------------------------------------------------------------

    async def send(
        self,
        channel: st.Channel,
        content: str = "",
        *,
        reply_to: st.Message | None = None,
        attachments: list[Upload] | None = None,
    ) -> st.Message:
        """Post a message as this member (dispatches MESSAGE_CREATE)."""
        await self.state.member_acts()
        if channel.guild_id is not None:
            perms = self.state.permissions(self.guild, self.member, channel)
            needed = st.SEND_MESSAGES_IN_THREADS if channel.is_thread else st.SEND_MESSAGES
            if not perms & needed or (channel.is_thread and channel.locked):
                raise PermissionError(f"{self.name} cannot send messages in {channel.name!r}")
        msg = st.Message(
            id=self.state.ids.next(),
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author=self.user,
            content=content,
            mention_ids=[int(x) for x in MENTION.findall(content)],
            attachments=[self._upload(u) for u in attachments or []],
        )
        if reply_to is not None:
            msg.type = MessageType.REPLY
            msg.message_reference = {
                "type": 0,
                "message_id": str(reply_to.id),
                "channel_id": str(reply_to.channel_id),
            }
        self.state.add_message(msg)
        intent = DIRECT_MESSAGES if channel.type == st.DM else GUILD_MESSAGES
        await self.state.dispatch("MESSAGE_CREATE", self.state.message_payload(msg), intent)
        return msg

    async def send_dm(self, content: str) -> st.Message:
        """Write to the bot in a DM."""
        return await self.send(self.state.dm_channel(self.user), content)

    async def react(self, message: st.Message, emoji: str) -> None:
        users = message.reactions.setdefault(emoji, [])
        if self.id not in users:
            users.append(self.id)
            await self._reaction_event("MESSAGE_REACTION_ADD", message, emoji)

    async def unreact(self, message: st.Message, emoji: str) -> None:
        users = message.reactions.get(emoji, [])
        if self.id in users:
            users.remove(self.id)
            await self._reaction_event("MESSAGE_REACTION_REMOVE", message, emoji)

    async def _reaction_event(self, event: str, message: st.Message, emoji: str) -> None:
        await self.state.member_acts()
        name, _, emoji_id = emoji.partition(":")
        payload: dict[str, Any] = {
            "user_id": str(self.id),
            "channel_id": str(message.channel_id),
            "message_id": str(message.id),
            "guild_id": str(self.guild.id),
            "emoji": {"id": emoji_id or None, "name": name},
            "burst": False,
            "type": 0,
        }
        if event == "MESSAGE_REACTION_ADD":
            payload["member"] = self.state.member_payload(self.member)
            payload["message_author_id"] = str(message.author.id)
        self.state.changed()
        await self.state.dispatch(event, payload, GUILD_MESSAGE_REACTIONS)

    # -- interactions ---------------------------------------------------------------------

    async def _interact(
        self,
        kind: int,
        data: dict[str, Any],
        channel: st.Channel,
        message: st.Message | None = None,
    ) -> InteractionHandle:
        state = self.state
        await state.member_acts()
        perms = state.permissions(self.guild, self.member, channel)
        bot_perms = state.permissions(self.guild, state.bot_member(self.guild), channel)
        inter = st.Interaction(
            id=state.ids.next(),
            token="aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48),
            type=kind,
            guild_id=self.guild.id,
            channel_id=channel.id,
            user_id=self.id,
            payload={},
            created_at=asyncio.get_running_loop().time(),
            source_message_id=message.id if message is not None else None,
        )
        if message is not None and data.get("custom_id"):
            with contextlib.suppress(LookupError):
                component = message.component(data["custom_id"])
                inter.source_label = component.get("label")
                inter.source_component = dict(component)
        payload: dict[str, Any] = {
            "id": str(inter.id),
            "application_id": str(state.application_id),
            "type": kind,
            "data": data,
            "guild_id": str(self.guild.id),
            "guild": {
                "id": str(self.guild.id),
                "locale": self.guild.preferred_locale,
                "features": [],
            },
            "channel_id": str(channel.id),
            "channel": {**state.channel_payload(channel), "permissions": str(perms)},
            "member": {**state.member_payload(self.member), "permissions": str(perms)},
            "token": inter.token,
            "version": 1,
            "app_permissions": str(bot_perms),
            "locale": self.user.locale,
            "guild_locale": self.guild.preferred_locale,
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(self.guild.id)},
            "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if message is not None:
            payload["message"] = state.message_payload(message)
        inter.payload = payload
        state.interactions[inter.id] = inter
        state.interactions_by_token[inter.token] = inter
        state.changed()
        await state.dispatch("INTERACTION_CREATE", payload)
        return InteractionHandle(self.state, inter)

    def _upload(self, item: Upload) -> st.Attachment:
        return payloads.upload(self.state, item)

    def _find_command(self, name: str, kind: int) -> st.Command:
        return payloads.find_command(self.state, self.guild, name, kind)

    def _command_data(
        self, path: str, options: Mapping[str, Any], focused: str | None
    ) -> tuple[dict[str, Any], st.Command]:
        return payloads.command_data(self.state, self.guild, self.member, path, options, focused)

    async def slash(
        self,
        path: str,
        *,
        channel: st.Channel | None = None,
        options: dict[str, Any] | None = None,
        **more: Any,
    ) -> InteractionHandle:
        """Run ``/path`` ("setup community add") with typed options; strings, ints, floats,
        bools, Person/Member/User, Role, Channel, Upload. ``channel`` is where the command is
        used; an option that is itself called "channel" goes in ``options``."""
        data, _ = self._command_data(path, {**(options or {}), **more}, None)
        return await self._interact(
            InteractionType.APPLICATION_COMMAND,
            data,
            channel or self._default_channel(),
        )

    async def autocomplete(
        self,
        path: str,
        focused: str,
        *,
        channel: st.Channel | None = None,
        timeout: float | None = None,
        **options: Any,
    ) -> list[dict[str, Any]]:
        """Type into option ``focused`` (its partial text given in ``options``); the choices."""
        options.setdefault(focused, "")
        data, _ = self._command_data(path, options, focused)
        handle = await self._interact(
            InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE,
            data,
            channel or self._default_channel(),
        )
        return await handle.choices(timeout)

    async def message_command(self, name: str, message: st.Message) -> InteractionHandle:
        """Apps > ``name`` on a message (a message context menu command)."""
        command = self._find_command(name, CommandType.MESSAGE)
        data: dict[str, Any] = {
            "id": str(command.id),
            "name": command.name,
            "type": CommandType.MESSAGE,
            "target_id": str(message.id),
            "resolved": {"messages": {str(message.id): self.state.message_payload(message)}},
        }
        if command.guild_id is not None:
            data["guild_id"] = str(command.guild_id)
        return await self._interact(
            InteractionType.APPLICATION_COMMAND, data, self.state.channels[message.channel_id]
        )

    async def user_command(self, name: str, target: Person) -> InteractionHandle:
        """Apps > ``name`` on a member (a user context menu command)."""
        command = self._find_command(name, CommandType.USER)
        perms = self.state.permissions(self.guild, target.member)
        data: dict[str, Any] = {
            "id": str(command.id),
            "name": command.name,
            "type": CommandType.USER,
            "target_id": str(target.id),
            "resolved": {
                "users": {str(target.id): st.user_json(target.user)},
                "members": {
                    str(target.id): {
                        **self.state.member_payload(target.member, with_user=False),
                        "permissions": str(perms),
                    }
                },
            },
        }
        if command.guild_id is not None:
            data["guild_id"] = str(command.guild_id)
        return await self._interact(
            InteractionType.APPLICATION_COMMAND, data, self._default_channel()
        )

    def _visible(self, message: st.Message) -> None:
        if message.deleted:
            raise LookupError(f"message {message.id} was deleted")
        if message.visible_to is not None and message.visible_to != self.id:
            raise PermissionError(f"{self.name} cannot see that ephemeral message")

    async def click(self, message: st.Message, key: str) -> InteractionHandle:
        """Click the button with this custom_id or label."""
        self._visible(message)
        button = message.component(key)
        if button.get("type") != ComponentType.BUTTON:
            raise LookupError(f"{key!r} on message {message.id} is not a button")
        if button.get("disabled"):
            raise PermissionError(f"the button {key!r} is disabled")
        if button.get("style") == ButtonStyle.LINK:
            raise ValueError(f"{key!r} is a link button; it opens {button.get('url')}")
        data = {"custom_id": button["custom_id"], "component_type": ComponentType.BUTTON}
        return await self._interact(
            InteractionType.MESSAGE_COMPONENT,
            data,
            self.state.channels[message.channel_id],
            message,
        )

    async def select(
        self, message: st.Message, values: list[Any], key: str | None = None
    ) -> InteractionHandle:
        """Pick ``values`` in the select with this custom_id/placeholder (or the only one).
        String selects take option values; user/role/channel selects take the objects."""
        self._visible(message)
        if key is None:
            selects = [c for c in message.all_components() if c.get("type") in SELECTS]
            if len(selects) != 1:
                raise LookupError(f"message {message.id} has {len(selects)} selects; name one")
            select = selects[0]
        else:
            select = message.component(key)
        if select.get("disabled"):
            raise PermissionError("that select is disabled")
        low, high = select.get("min_values", 1), select.get("max_values", 1)
        if not low <= len(values) <= high:
            raise ValueError(f"pick between {low} and {high} values, not {len(values)}")
        data: dict[str, Any] = {
            "custom_id": select["custom_id"],
            "component_type": select["type"],
        }
        if select["type"] == ComponentType.STRING_SELECT:
            offered = [o["value"] for o in select.get("options", [])]
            for value in values:
                if value not in offered:
                    raise ValueError(f"{value!r} is not an option; options: {offered}")
            data["values"] = list(values)
        else:
            data["values"] = [str(v.id) for v in values]
            data["resolved"] = payloads.resolved_objects(
                self.state, self.guild, self.member, values
            )
        return await self._interact(
            InteractionType.MESSAGE_COMPONENT,
            data,
            self.state.channels[message.channel_id],
            message,
        )

    async def submit(
        self, modal: st.Modal, values: Mapping[str, Any] | None = None, **fields: Any
    ) -> InteractionHandle:
        """Fill a modal's fields (keys: custom_id or label) and submit it. Text inputs take a
        string; selects inside labels take a list of values."""
        given = {**(values or {}), **fields}
        used: set[str] = set()

        def value_for(item: dict[str, Any]) -> Any:
            for key in (item.get("custom_id"), item.get("label")):
                if key is not None and key in given:
                    used.add(key)
                    return given[key]
            return item.get("value")

        def text_input(item: dict[str, Any], label: str | None) -> dict[str, Any]:
            value = value_for({**item, "label": label})
            text = "" if value is None else str(value)
            if item.get("required", True) and not text:
                raise ValueError(f"modal field {label or item['custom_id']!r} is required")
            low, high = item.get("min_length", 0), item.get("max_length", 4000)
            if text and not low <= len(text) <= high:
                raise ValueError(
                    f"modal field {label or item['custom_id']!r} must be {low}..{high} characters"
                )
            return {"type": ComponentType.TEXT_INPUT, "custom_id": item["custom_id"], "value": text}

        components: list[dict[str, Any]] = []
        for top in modal.components:
            kind = top.get("type")
            if kind == ComponentType.ACTION_ROW:
                inner = top["components"][0]
                components.append(
                    {
                        "type": ComponentType.ACTION_ROW,
                        "components": [text_input(inner, inner.get("label"))],
                    }
                )
            elif kind == ComponentType.LABEL:
                inner = top["component"]
                if inner.get("type") == ComponentType.TEXT_INPUT:
                    answer = text_input(inner, top.get("label"))
                else:
                    chosen = value_for({**inner, "label": top.get("label")}) or []
                    answer = {
                        "type": inner["type"],
                        "custom_id": inner["custom_id"],
                        "values": [str(getattr(v, "id", v)) for v in chosen],
                    }
                label = {"type": ComponentType.LABEL, "id": top.get("id", 0), "component": answer}
                components.append(label)
        unknown_keys = set(given) - used
        if unknown_keys:
            raise LookupError(
                f"modal {modal.title!r} has no fields {sorted(unknown_keys)}; fields: "
                f"{[(f.get('custom_id'), f.get('label')) for f in modal.fields()]}"
            )
        origin = self.state.interactions[modal.interaction_id]
        source = self.state.messages.get(origin.source_message_id or 0)
        data = {"custom_id": modal.custom_id, "components": components}
        channel = self.state.channels[origin.channel_id]
        return await self._interact(InteractionType.MODAL_SUBMIT, data, channel, source)
