"""What a member's Discord client sends: slash-command data with typed, validated options,
resolved users/members/roles/channels/attachments, and uploads. Built from the state alone, so
:mod:`sandbox.members` (the scripted people) only decides *what* a member does."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sandbox import state as st
from sandbox.enums import CommandType, OptionType
from sandbox.state import DiscordState

SUBCOMMANDS = (OptionType.SUB_COMMAND, OptionType.SUB_COMMAND_GROUP)
TEXT_OPTIONS = (OptionType.STRING,)
NUMBER_OPTIONS = (OptionType.INTEGER, OptionType.NUMBER)
SCALAR_OPTIONS = (OptionType.STRING, OptionType.INTEGER, OptionType.BOOLEAN, OptionType.NUMBER)
USER_OPTIONS = (OptionType.USER, OptionType.MENTIONABLE)
ROLE_OPTIONS = (OptionType.ROLE, OptionType.MENTIONABLE)


@dataclass(frozen=True)
class Upload:
    """A file a member attaches to a slash command option."""

    filename: str
    data: bytes
    content_type: str = "application/octet-stream"


def upload(state: DiscordState, item: Upload) -> st.Attachment:
    """Store an uploaded file as an attachment the emulator serves."""
    att_id = state.ids.next()
    url = f"{state.base_url}/attachments/{att_id}/{item.filename}"
    attachment = st.Attachment(att_id, item.filename, item.data, item.content_type, url)
    state.attachments[att_id] = attachment
    return attachment


def find_command(state: DiscordState, guild: st.Guild, name: str, kind: int) -> st.Command:
    """The registered command of this name and type; a guild command wins over a global one."""
    candidates = [
        c
        for c in state.commands.values()
        if c.name == name and c.type == kind and c.guild_id in (None, guild.id)
    ]
    if not candidates:
        known = sorted(c.name for c in state.commands.values() if c.type == kind)
        raise LookupError(f"no command {name!r} is registered; registered: {known}")
    candidates.sort(key=lambda c: c.guild_id is None)  # a guild command wins
    return candidates[0]


def _subcommand_type(depth: int, levels: int) -> OptionType:
    return OptionType.SUB_COMMAND_GROUP if depth == 0 and levels == 2 else OptionType.SUB_COMMAND


def command_data(
    state: DiscordState,
    guild: st.Guild,
    member: st.Member,
    path: str,
    options: Mapping[str, Any],
    focused: str | None,
) -> tuple[dict[str, Any], st.Command]:
    """The ``data`` of a slash command (``path`` like "setup community add") with ``options``
    checked against the command's definition; ``focused`` names the option being typed in."""
    parts = path.split()
    command = find_command(state, guild, parts[0], CommandType.CHAT_INPUT)
    resolved: dict[str, dict[str, Any]] = {}
    definitions = command.data.get("options") or []
    subs = parts[1:]
    if len(subs) > 2:
        raise LookupError(f"/{path}: commands nest at most two levels deep")
    for depth, part in enumerate(subs):
        wanted_type = _subcommand_type(depth, len(subs))
        found = next(
            (o for o in definitions if o["name"] == part and o.get("type") == wanted_type),
            None,
        )
        if found is None:
            names = [o["name"] for o in definitions if o.get("type") in SUBCOMMANDS]
            raise LookupError(f"/{path}: no subcommand {part!r} here; there are {names}")
        definitions = found.get("options") or []
    leaf_options: list[dict[str, Any]] = []
    top: list[dict[str, Any]] = leaf_options
    for depth, part in reversed(list(enumerate(subs))):
        top = [{"name": part, "type": _subcommand_type(depth, len(subs)), "options": top}]
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
        where = OptionContext(state, guild, member, path, resolved)
        leaf_options.append(option_payload(where, definition, options[name], name == focused))
    data: dict[str, Any] = {
        "id": str(command.id),
        "name": command.name,
        "type": CommandType.CHAT_INPUT,
        "options": top,
    }
    if command.guild_id is not None:
        data["guild_id"] = str(command.guild_id)
    if resolved:
        data["resolved"] = resolved
    return data, command


@dataclass
class OptionContext:
    """Who fills in an option, in which command, and the ``resolved`` map it adds to."""

    state: DiscordState
    guild: st.Guild
    member: st.Member
    path: str
    resolved: dict[str, dict[str, Any]]


def _as_user(value: Any) -> st.User | None:
    """A User from a User, a Member, or a scripted Person (anything with a ``member``)."""
    if isinstance(value, st.User):
        return value
    if isinstance(value, st.Member):
        return value.user
    member = getattr(value, "member", None)
    return member.user if isinstance(member, st.Member) else None


def _as_member(value: Any, guild: st.Guild) -> st.Member | None:
    """A Member from a Member, a scripted Person, or a User of this guild."""
    if isinstance(value, st.Member):
        return value
    member = getattr(value, "member", None)
    if isinstance(member, st.Member):
        return member
    return guild.members.get(value.id) if isinstance(value, st.User) else None


def _check_scalar(where: OptionContext, definition: dict[str, Any], value: Any) -> None:
    kind, name, path = definition["type"], definition["name"], where.path
    if kind == OptionType.STRING:
        if not isinstance(value, str):
            raise TypeError(f"/{path} {name}: expected text, got {value!r}")
        low, high = definition.get("min_length", 0), definition.get("max_length", 6000)
        if not low <= len(value) <= high:
            raise ValueError(f"/{path} {name}: length must be {low}..{high}")
    elif kind == OptionType.INTEGER:
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"/{path} {name}: expected an integer, got {value!r}")
    elif kind == OptionType.NUMBER:
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise TypeError(f"/{path} {name}: expected a number, got {value!r}")
    elif kind == OptionType.BOOLEAN and not isinstance(value, bool):
        raise TypeError(f"/{path} {name}: expected True/False, got {value!r}")
    if kind in NUMBER_OPTIONS:
        low, high = definition.get("min_value"), definition.get("max_value")
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(f"/{path} {name}: {value} is outside {low}..{high}")
    choices = definition.get("choices")
    if choices and value not in [c["value"] for c in choices]:
        raise ValueError(f"/{path} {name}: {value!r} is not one of {[c['value'] for c in choices]}")


def option_payload(
    where: OptionContext, definition: dict[str, Any], value: Any, focused: bool
) -> dict[str, Any]:
    """One option as the client sends it, after the checks Discord's client makes."""
    kind = definition["type"]
    name = definition["name"]
    option: dict[str, Any] = {"name": name, "type": kind}
    if focused:
        option.update(value=str(value), focused=True)
        return option
    _check_scalar(where, definition, value)
    state, guild, resolved = where.state, where.guild, where.resolved
    user = _as_user(value)
    if kind in SCALAR_OPTIONS:
        option["value"] = value
    elif kind in USER_OPTIONS and user is not None:
        option["value"] = str(user.id)
        resolved.setdefault("users", {})[str(user.id)] = st.user_json(user)
        member = guild.members.get(user.id)
        if member is not None:
            resolved.setdefault("members", {})[str(user.id)] = {
                **state.member_payload(member, with_user=False),
                "permissions": str(state.permissions(guild, member)),
            }
    elif kind in ROLE_OPTIONS and isinstance(value, st.Role):
        option["value"] = str(value.id)
        resolved.setdefault("roles", {})[str(value.id)] = st.role_json(value)
    elif kind == OptionType.CHANNEL and isinstance(value, st.Channel):
        types = definition.get("channel_types")
        if types and value.type not in types:
            raise ValueError(f"/{where.path} {name}: channel type {value.type} not in {types}")
        option["value"] = str(value.id)
        resolved.setdefault("channels", {})[str(value.id)] = _partial_channel(where, value)
    elif kind == OptionType.ATTACHMENT and isinstance(value, Upload):
        attachment = upload(state, value)
        option["value"] = str(attachment.id)
        resolved.setdefault("attachments", {})[str(attachment.id)] = attachment.to_json()
    else:
        raise TypeError(f"/{where.path} {name}: {value!r} does not fit option type {kind}")
    return option


def _partial_channel(where: OptionContext, channel: st.Channel) -> dict[str, Any]:
    perms = where.state.permissions(where.guild, where.member, channel)
    partial: dict[str, Any] = {
        "id": str(channel.id),
        "name": channel.name,
        "type": channel.type,
        "permissions": str(perms),
        "flags": 0,
    }
    if channel.parent_id:
        partial["parent_id"] = str(channel.parent_id)
    if channel.is_thread:
        partial["thread_metadata"] = where.state.channel_payload(channel)["thread_metadata"]
    return partial


def resolved_objects(
    state: DiscordState, guild: st.Guild, member: st.Member, values: list[Any]
) -> dict[str, Any]:
    """The ``resolved`` map of a user, role or channel select with these values picked."""
    resolved: dict[str, dict[str, Any]] = {}
    for value in values:
        if isinstance(value, st.Role):
            resolved.setdefault("roles", {})[str(value.id)] = st.role_json(value)
        elif (picked := _as_member(value, guild)) is not None:
            user = picked.user
            resolved.setdefault("users", {})[str(user.id)] = st.user_json(user)
            resolved.setdefault("members", {})[str(user.id)] = {
                **state.member_payload(picked, with_user=False),
                "permissions": str(state.permissions(guild, picked)),
            }
        elif isinstance(value, st.Channel):
            resolved.setdefault("channels", {})[str(value.id)] = {
                "id": str(value.id),
                "name": value.name,
                "type": value.type,
                "permissions": str(state.permissions(guild, member, value)),
            }
    return resolved
