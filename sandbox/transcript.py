"""Render messages as members would see them: where, who, text, embeds as text blocks,
buttons as [Label], and ephemeral answers marked as such."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sandbox import state as st
from sandbox.state import DiscordState


def where(state: DiscordState, channel_id: int) -> str:
    channel = state.channels.get(channel_id)
    if channel is None:
        return f"#{channel_id}"
    if channel.type == st.DM:
        names = [state.users[u].username for u in channel.recipient_ids if u in state.users]
        return f"DM with {', '.join(names)}"
    if channel.is_thread:
        parent = state.channels.get(channel.parent_id or 0)
        return f"#{parent.name if parent else '?'} > {channel.name}"
    return f"#{channel.name}"


def community_of(state: DiscordState, message: st.Message, communities: set[str]) -> str | None:
    guild = state.guilds.get(message.guild_id or 0)
    member = guild.members.get(message.author.id) if guild else None
    if guild is None or member is None:
        return None
    names = [guild.roles[r].name for r in member.role_ids if r in guild.roles]
    return next((n for n in names if n in communities), None)


MENTION = re.compile(r"<(@&|@!?|#)(\d+)>|<t:(\d+)(?::[tTdDfFR])?>")


def humanize(state: DiscordState | None, text: str) -> str:
    """Mentions and timestamps as the Discord client shows them: @name, #channel, a date."""
    if state is None:
        return text

    def name(match: re.Match[str]) -> str:
        kind, ident, stamp = match.group(1), match.group(2), match.group(3)
        if stamp is not None:
            when = dt.datetime.fromtimestamp(int(stamp), dt.UTC)
            return when.strftime("%Y-%m-%d %H:%M UTC")
        number = int(ident)
        if kind == "#":
            channel = state.channels.get(number)
            return f"#{channel.name}" if channel else match.group(0)
        if kind == "@&":
            for guild in state.guilds.values():
                if number in guild.roles:
                    return f"@{guild.roles[number].name}"
            return match.group(0)
        user = state.users.get(number)
        return f"@{user.username}" if user else match.group(0)

    return MENTION.sub(name, text)


def render_embed(
    embed: dict[str, Any], indent: str = "    ", state: DiscordState | None = None
) -> list[str]:
    lines = []

    def add(text: str, prefix: str = "") -> None:
        for i, part in enumerate(humanize(state, text).splitlines() or [""]):
            lines.append(f"{indent}| {prefix if i == 0 else ' ' * len(prefix)}{part}")

    if embed.get("author", {}).get("name"):
        add(embed["author"]["name"])
    if embed.get("title"):
        add(f"** {embed['title']} **")
    for part in (embed.get("description") or "").splitlines():
        add(part)
    for field in embed.get("fields", []):
        add(field["value"], f"{field['name']}: ")
    if embed.get("footer", {}).get("text"):
        add(embed["footer"]["text"], "-- ")
    return lines


def render_components(message: st.Message, indent: str = "    ") -> list[str]:
    lines = []
    for item in message.all_components():
        kind = item.get("type")
        if kind == 2:
            label = item.get("label") or item.get("emoji", {}).get("name", "")
            state = " (disabled)" if item.get("disabled") else ""
            lines.append(f"[{label}]{state}")
        elif kind in (3, 5, 6, 7, 8):
            lines.append(f"[select: {item.get('placeholder') or item.get('custom_id')}]")
        elif kind == 10:
            lines.append(str(item.get("content")))
    return [indent + " ".join(x for x in lines if x.startswith("["))] if lines else []


def render_message(
    state: DiscordState, message: st.Message, communities: set[str] | None = None
) -> str:
    author = message.author.display_name
    community = community_of(state, message, communities or set())
    if community:
        author += f" ({community})"
    head = f"{where(state, message.channel_id)}  {author}:"
    if message.ephemeral:
        head += "  (only you can see this)"
    if message.deleted:
        head += "  (deleted)"
    if message.loading:
        head += "  is thinking..."
    lines = [head]
    for part in humanize(state, message.content).splitlines():
        lines.append(f"    {part}")
    for embed in message.embeds:
        lines.extend(render_embed(embed, state=state))
    for attachment in message.attachments:
        lines.append(f"    [file: {attachment.filename}]")
    lines.extend(render_components(message))
    return "\n".join(lines)


def render_modal(modal: st.Modal) -> str:
    lines = [f"    (a form opens) {modal.title}"]
    for item in modal.fields():
        lines.append(f"      - {item.get('label') or item.get('custom_id')}")
    return "\n".join(lines)


class Transcript:
    """Prints, in order, what members did and saw since the last flush."""

    def __init__(self, state: DiscordState, communities: set[str], out: Any = None) -> None:
        self.state = state
        self.communities = communities
        self.out = out
        self._seen_edits: dict[int, int] = {}
        self._seen_interactions: set[int] = set()
        self._seen_modals: set[int] = set()

    def line(self, text: str) -> None:
        print(text, file=self.out)

    def _who(self, user_id: int, guild_id: int | None) -> str:
        user = self.state.users[user_id]
        name = user.display_name
        guild = self.state.guilds.get(guild_id or 0)
        member = guild.members.get(user_id) if guild else None
        if guild is not None and member is not None:
            roles = [guild.roles[r].name for r in member.role_ids if r in guild.roles]
            community = next((r for r in roles if r in self.communities), None)
            if community:
                name += f" ({community})"
        return name

    def _describe(self, inter: st.Interaction) -> str:
        data = inter.payload.get("data") or {}
        who = self._who(inter.user_id, inter.guild_id)
        if inter.type == 2 and data.get("type", 1) == 1:
            return f"{who} used /{_command_path(data)}"
        if inter.type == 2:
            return f"{who} used the app command {data.get('name')!r}"
        if inter.type == 3:
            label = inter.source_label or data.get("custom_id")
            if data.get("values"):
                return f"{who} picked {', '.join(data['values'])} in [{label}]"
            return f"{who} clicked [{label}]"
        if inter.type == 5:
            return f"{who} submitted the form"
        return f"{who} typed in an option"

    def flush(self) -> None:
        events: list[tuple[int, str]] = []
        for inter in self.state.interactions.values():
            if inter.id not in self._seen_interactions and inter.type != 4:
                self._seen_interactions.add(inter.id)
                events.append((inter.id, f"  > {self._describe(inter)}"))
            if inter.modal is not None and inter.id not in self._seen_modals:
                self._seen_modals.add(inter.id)
                events.append((inter.id + 1, render_modal(inter.modal)))
        for msg in self.state.messages.values():
            seen = self._seen_edits.get(msg.id)
            if msg.loading:
                continue
            if seen is None or msg.edits > seen:
                self._seen_edits[msg.id] = msg.edits
                text = render_message(self.state, msg, self.communities)
                if seen is not None:
                    text = text.replace(":", ": (edited)", 1)
                events.append((msg.id if seen is None else self.state.ids.next(), text))
        for _, text in sorted(events, key=lambda e: e[0]):
            self.line(text)


def _command_path(data: dict[str, Any]) -> str:
    parts = [str(data.get("name"))]
    options = data.get("options") or []
    while options and options[0].get("type") in (1, 2):
        parts.append(options[0]["name"])
        options = options[0].get("options") or []
    shown = [f"{o['name']}:{o.get('value')}" for o in options]
    return " ".join(parts + shown)
