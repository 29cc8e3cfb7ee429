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
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sandbox import state as st
from sandbox.gateway import DIRECT_MESSAGES, GUILD_MESSAGE_REACTIONS, GUILD_MESSAGES
from sandbox.rest_interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
)

if TYPE_CHECKING:
    from sandbox.emulator import Emulator


@dataclass(frozen=True)
class Upload:
    """A file a member attaches to a slash command option."""

    filename: str
    data: bytes
    content_type: str = "application/octet-stream"


RESPONSE_NAMES = {
    4: "message",
    5: "deferred message",
    6: "deferred update",
    7: "message update",
    8: "autocomplete choices",
    9: "modal",
}


class InteractionHandle:
    """One interaction a member started; await the bot's answers through it."""

    def __init__(self, emu: Emulator, interaction: st.Interaction) -> None:
        self.emu = emu
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
        errors_before = len(self.emu.errors)

        def describe() -> str:
            errors = [str(c) for c in self.emu.errors[errors_before:]]
            extra = f"; REST errors meanwhile: {errors}" if errors else ""
            return f"the bot did not respond to {self._what()!r} in time{extra}"

        await self.emu.wait_until(lambda: inter.responded, timeout=timeout, describe=describe)
        return inter

    @property
    def response_type(self) -> int | None:
        return self.interaction.response_type

    async def message(self, timeout: float | None = None) -> st.Message:
        """The message the bot answered with: the reply (4), the filled-in deferred reply (5),
        or the updated message (6, 7)."""
        inter = await self.response(timeout)
        if inter.response_type in (8, 9):
            raise AssertionError(
                f"the bot answered {self._what()!r} with a "
                f"{RESPONSE_NAMES[inter.response_type]}, not a message"
            )
        msg = self.emu.messages[inter.original_message_id or 0]
        if msg.loading:
            await self.emu.wait_until(
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
        await self.emu.wait_until(
            lambda: len(inter.followup_ids) > index,
            timeout=timeout,
            describe=lambda: (
                f"{self._what()!r} got {len(inter.followup_ids)} followup(s), wanted #{index}"
            ),
        )
        return self.emu.messages[inter.followup_ids[index]]

    @property
    def followups(self) -> list[st.Message]:
        return [self.emu.messages[i] for i in self.interaction.followup_ids]

    async def edited(self, after: int = 0, timeout: float | None = None) -> st.Message:
        """The response message once it has been edited more than ``after`` times."""
        msg = await self.message(timeout)
        await self.emu.wait_until(
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

    def __init__(self, emu: Emulator, guild: st.Guild, member: st.Member) -> None:
        self.emu = emu
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
        channel = self.emu.dm_channels.get(self.id)
        return self.emu.messages_in(channel) if channel else []

    def close_dms(self) -> None:
        """From now on the bot gets 50007 when it tries to DM this member."""
        self.member.dms_open = False

    async def wait_for_dm(
        self, check: Callable[[st.Message], bool] | None = None, timeout: float | None = None
    ) -> st.Message:
        channel = self.emu.dm_channel(self.user)
        return await self.emu.wait_for_message(channel, check=check, timeout=timeout)

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
        if channel.guild_id is not None:
            perms = self.emu.permissions(self.guild, self.member, channel)
            needed = st.SEND_MESSAGES_IN_THREADS if channel.is_thread else st.SEND_MESSAGES
            if not perms & needed or (channel.is_thread and channel.locked):
                raise PermissionError(f"{self.name} cannot send messages in {channel.name!r}")
        msg = st.Message(
            id=self.emu.ids.next(),
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author=self.user,
            content=content,
            mention_ids=[int(x) for x in _mentions(content)],
            attachments=[self._upload(u) for u in attachments or []],
        )
        if reply_to is not None:
            msg.type = 19
            msg.message_reference = {
                "type": 0,
                "message_id": str(reply_to.id),
                "channel_id": str(reply_to.channel_id),
            }
        self.emu.add_message(msg)
        intent = DIRECT_MESSAGES if channel.type == st.DM else GUILD_MESSAGES
        await self.emu.gateway.dispatch("MESSAGE_CREATE", self.emu.message_payload(msg), intent)
        return msg

    async def send_dm(self, content: str) -> st.Message:
        """Write to the bot in a DM."""
        return await self.send(self.emu.dm_channel(self.user), content)

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
            payload["member"] = self.emu.member_payload(self.member)
            payload["message_author_id"] = str(message.author.id)
        self.emu.changed()
        await self.emu.gateway.dispatch(event, payload, GUILD_MESSAGE_REACTIONS)

    def _upload(self, upload: Upload) -> st.Attachment:
        att_id = self.emu.ids.next()
        url = f"{self.emu.base_url}/attachments/{att_id}/{upload.filename}"
        attachment = st.Attachment(att_id, upload.filename, upload.data, upload.content_type, url)
        self.emu.attachments[att_id] = attachment
        return attachment

    # -- interactions ---------------------------------------------------------------------

    async def _interact(
        self,
        kind: int,
        data: dict[str, Any],
        channel: st.Channel,
        message: st.Message | None = None,
    ) -> InteractionHandle:
        emu = self.emu
        perms = emu.permissions(self.guild, self.member, channel)
        bot_perms = emu.permissions(self.guild, emu.bot_member(self.guild), channel)
        inter = st.Interaction(
            id=emu.ids.next(),
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
                inter.source_label = message.component(data["custom_id"]).get("label")
        payload: dict[str, Any] = {
            "id": str(inter.id),
            "application_id": str(emu.application_id),
            "type": kind,
            "data": data,
            "guild_id": str(self.guild.id),
            "guild": {
                "id": str(self.guild.id),
                "locale": self.guild.preferred_locale,
                "features": [],
            },
            "channel_id": str(channel.id),
            "channel": {**emu.channel_payload(channel), "permissions": str(perms)},
            "member": {**emu.member_payload(self.member), "permissions": str(perms)},
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
            payload["message"] = emu.message_payload(message)
        inter.payload = payload
        emu.interactions[inter.id] = inter
        emu.interactions_by_token[inter.token] = inter
        emu.changed()
        await emu.gateway.dispatch("INTERACTION_CREATE", payload)
        return InteractionHandle(emu, inter)

    def _find_command(self, name: str, kind: int) -> st.Command:
        candidates = [
            c
            for c in self.emu.commands.values()
            if c.name == name and c.type == kind and c.guild_id in (None, self.guild.id)
        ]
        if not candidates:
            known = sorted(c.name for c in self.emu.commands.values() if c.type == kind)
            raise LookupError(f"no command {name!r} is registered; registered: {known}")
        candidates.sort(key=lambda c: c.guild_id is None)  # a guild command wins
        return candidates[0]

    def _command_data(
        self, path: str, options: Mapping[str, Any], focused: str | None
    ) -> tuple[dict[str, Any], st.Command]:
        parts = path.split()
        command = self._find_command(parts[0], 1)
        resolved: dict[str, dict[str, Any]] = {}
        definitions = command.data.get("options") or []
        subs = parts[1:]
        if len(subs) > 2:
            raise LookupError(f"/{path}: commands nest at most two levels deep")
        for depth, part in enumerate(subs):
            wanted_type = 2 if depth == 0 and len(subs) == 2 else 1
            found = next(
                (o for o in definitions if o["name"] == part and o.get("type") == wanted_type),
                None,
            )
            if found is None:
                names = [o["name"] for o in definitions if o.get("type") in (1, 2)]
                raise LookupError(f"/{path}: no subcommand {part!r} here; there are {names}")
            definitions = found.get("options") or []
        leaf_options: list[dict[str, Any]] = []
        top: list[dict[str, Any]] = leaf_options
        for depth, part in reversed(list(enumerate(subs))):
            wanted_type = 2 if depth == 0 and len(subs) == 2 else 1
            top = [{"name": part, "type": wanted_type, "options": top}]
        wrapper = leaf_options
        known = {o["name"]: o for o in definitions}
        for key in options:
            if key not in known:
                raise LookupError(f"/{path} has no option {key!r}; options: {sorted(known)}")
        for definition in definitions:
            name = definition["name"]
            if name not in options:
                if definition.get("required") and focused is None:
                    raise ValueError(f"/{path}: required option {name!r} is missing")
                continue
            value = options[name]
            wrapper.append(self._option(path, definition, value, resolved, name == focused))
        data: dict[str, Any] = {
            "id": str(command.id),
            "name": command.name,
            "type": 1,
            "options": top,
        }
        if command.guild_id is not None:
            data["guild_id"] = str(command.guild_id)
        if resolved:
            data["resolved"] = resolved
        return data, command

    def _option(
        self,
        path: str,
        definition: dict[str, Any],
        value: Any,
        resolved: dict[str, dict[str, Any]],
        focused: bool,
    ) -> dict[str, Any]:
        kind = definition["type"]
        name = definition["name"]
        option: dict[str, Any] = {"name": name, "type": kind}
        if focused:
            option.update(value=str(value), focused=True)
            return option
        emu = self.emu
        if kind == 3:
            if not isinstance(value, str):
                raise TypeError(f"/{path} {name}: expected text, got {value!r}")
            low, high = definition.get("min_length", 0), definition.get("max_length", 6000)
            if not low <= len(value) <= high:
                raise ValueError(f"/{path} {name}: length must be {low}..{high}")
        elif kind == 4:
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"/{path} {name}: expected an integer, got {value!r}")
        elif kind == 10:
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise TypeError(f"/{path} {name}: expected a number, got {value!r}")
        elif kind == 5 and not isinstance(value, bool):
            raise TypeError(f"/{path} {name}: expected True/False, got {value!r}")
        if kind in (4, 10):
            low, high = definition.get("min_value"), definition.get("max_value")
            if (low is not None and value < low) or (high is not None and value > high):
                raise ValueError(f"/{path} {name}: {value} is outside {low}..{high}")
        choices = definition.get("choices")
        if choices and value not in [c["value"] for c in choices]:
            raise ValueError(
                f"/{path} {name}: {value!r} is not one of {[c['value'] for c in choices]}"
            )
        if kind in (3, 4, 5, 10):
            option["value"] = value
        elif kind in (6, 9) and isinstance(value, Person | st.Member | st.User):
            user = value.user if isinstance(value, Person | st.Member) else value
            option["value"] = str(user.id)
            resolved.setdefault("users", {})[str(user.id)] = st.user_json(user)
            member = self.guild.members.get(user.id)
            if member is not None:
                perms = emu.permissions(self.guild, member)
                member_data = emu.member_payload(member, with_user=False)
                resolved.setdefault("members", {})[str(user.id)] = {
                    **member_data,
                    "permissions": str(perms),
                }
        elif kind in (8, 9) and isinstance(value, st.Role):
            option["value"] = str(value.id)
            resolved.setdefault("roles", {})[str(value.id)] = st.role_json(value)
        elif kind == 7 and isinstance(value, st.Channel):
            types = definition.get("channel_types")
            if types and value.type not in types:
                raise ValueError(f"/{path} {name}: channel type {value.type} not in {types}")
            option["value"] = str(value.id)
            perms = emu.permissions(self.guild, self.member, value)
            partial: dict[str, Any] = {
                "id": str(value.id),
                "name": value.name,
                "type": value.type,
                "permissions": str(perms),
                "flags": 0,
            }
            if value.parent_id:
                partial["parent_id"] = str(value.parent_id)
            if value.is_thread:
                partial["thread_metadata"] = emu.channel_payload(value)["thread_metadata"]
            resolved.setdefault("channels", {})[str(value.id)] = partial
        elif kind == 11 and isinstance(value, Upload):
            attachment = self._upload(value)
            option["value"] = str(attachment.id)
            resolved.setdefault("attachments", {})[str(attachment.id)] = attachment.to_json()
        else:
            raise TypeError(f"/{path} {name}: {value!r} does not fit option type {kind}")
        return option

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
        return await self._interact(APPLICATION_COMMAND, data, channel or self._default_channel())

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
        handle = await self._interact(AUTOCOMPLETE, data, channel or self._default_channel())
        return await handle.choices(timeout)

    async def message_command(self, name: str, message: st.Message) -> InteractionHandle:
        """Apps > ``name`` on a message (a message context menu command)."""
        command = self._find_command(name, 3)
        data: dict[str, Any] = {
            "id": str(command.id),
            "name": command.name,
            "type": 3,
            "target_id": str(message.id),
            "resolved": {"messages": {str(message.id): self.emu.message_payload(message)}},
        }
        if command.guild_id is not None:
            data["guild_id"] = str(command.guild_id)
        return await self._interact(
            APPLICATION_COMMAND, data, self.emu.channels[message.channel_id]
        )

    async def user_command(self, name: str, target: Person) -> InteractionHandle:
        """Apps > ``name`` on a member (a user context menu command)."""
        command = self._find_command(name, 2)
        perms = self.emu.permissions(self.guild, target.member)
        data: dict[str, Any] = {
            "id": str(command.id),
            "name": command.name,
            "type": 2,
            "target_id": str(target.id),
            "resolved": {
                "users": {str(target.id): st.user_json(target.user)},
                "members": {
                    str(target.id): {
                        **self.emu.member_payload(target.member, with_user=False),
                        "permissions": str(perms),
                    }
                },
            },
        }
        if command.guild_id is not None:
            data["guild_id"] = str(command.guild_id)
        return await self._interact(APPLICATION_COMMAND, data, self._default_channel())

    def _visible(self, message: st.Message) -> None:
        if message.deleted:
            raise LookupError(f"message {message.id} was deleted")
        if message.visible_to is not None and message.visible_to != self.id:
            raise PermissionError(f"{self.name} cannot see that ephemeral message")

    async def click(self, message: st.Message, key: str) -> InteractionHandle:
        """Click the button with this custom_id or label."""
        self._visible(message)
        button = message.component(key)
        if button.get("type") != 2:
            raise LookupError(f"{key!r} on message {message.id} is not a button")
        if button.get("disabled"):
            raise PermissionError(f"the button {key!r} is disabled")
        if button.get("style") == 5:
            raise ValueError(f"{key!r} is a link button; it opens {button.get('url')}")
        data = {"custom_id": button["custom_id"], "component_type": 2}
        return await self._interact(
            MESSAGE_COMPONENT, data, self.emu.channels[message.channel_id], message
        )

    async def select(
        self, message: st.Message, values: list[Any], key: str | None = None
    ) -> InteractionHandle:
        """Pick ``values`` in the select with this custom_id/placeholder (or the only one).
        String selects take option values; user/role/channel selects take the objects."""
        self._visible(message)
        if key is None:
            selects = [c for c in message.all_components() if c.get("type") in (3, 5, 6, 7, 8)]
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
        if select["type"] == 3:
            offered = [o["value"] for o in select.get("options", [])]
            for value in values:
                if value not in offered:
                    raise ValueError(f"{value!r} is not an option; options: {offered}")
            data["values"] = list(values)
        else:
            data["values"] = [str(v.id) for v in values]
            data["resolved"] = self._resolve_objects(values)
        return await self._interact(
            MESSAGE_COMPONENT, data, self.emu.channels[message.channel_id], message
        )

    def _resolve_objects(self, values: list[Any]) -> dict[str, Any]:
        resolved: dict[str, dict[str, Any]] = {}
        for value in values:
            if isinstance(value, st.Role):
                resolved.setdefault("roles", {})[str(value.id)] = st.role_json(value)
            elif isinstance(value, Person):
                resolved.setdefault("users", {})[str(value.id)] = st.user_json(value.user)
                resolved.setdefault("members", {})[str(value.id)] = {
                    **self.emu.member_payload(value.member, with_user=False),
                    "permissions": str(self.emu.permissions(self.guild, value.member)),
                }
            elif isinstance(value, st.Channel):
                resolved.setdefault("channels", {})[str(value.id)] = {
                    "id": str(value.id),
                    "name": value.name,
                    "type": value.type,
                    "permissions": str(self.emu.permissions(self.guild, self.member, value)),
                }
        return resolved

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
            return {"type": 4, "custom_id": item["custom_id"], "value": text}

        components: list[dict[str, Any]] = []
        for top in modal.components:
            kind = top.get("type")
            if kind == 1:
                inner = top["components"][0]
                components.append(
                    {"type": 1, "components": [text_input(inner, inner.get("label"))]}
                )
            elif kind == 18:
                inner = top["component"]
                if inner.get("type") == 4:
                    answer = text_input(inner, top.get("label"))
                else:
                    chosen = value_for({**inner, "label": top.get("label")}) or []
                    answer = {
                        "type": inner["type"],
                        "custom_id": inner["custom_id"],
                        "values": [str(getattr(v, "id", v)) for v in chosen],
                    }
                components.append({"type": 18, "id": top.get("id", 0), "component": answer})
        unknown_keys = set(given) - used
        if unknown_keys:
            raise LookupError(
                f"modal {modal.title!r} has no fields {sorted(unknown_keys)}; fields: "
                f"{[(f.get('custom_id'), f.get('label')) for f in modal.fields()]}"
            )
        origin = self.emu.interactions[modal.interaction_id]
        source = self.emu.messages.get(origin.source_message_id or 0)
        data = {"custom_id": modal.custom_id, "components": components}
        channel = self.emu.channels[origin.channel_id]
        return await self._interact(MODAL_SUBMIT, data, channel, source)


def _mentions(content: str) -> list[str]:
    import re

    return re.findall(r"<@!?(\d+)>", content)
