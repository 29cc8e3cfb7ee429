"""Render what members see, as a person reads it in Discord's client: where, who, the text
with its markdown applied, embeds as boxes, buttons as [Label]; and the demo's transcript.

Names, never raw ids: channels as ``#name`` (a thread as ``#parent > thread``), members and
roles as ``@name``, times as dates; no internal custom_ids (a button by its label, a list by
its placeholder, a choice by its label).

:class:`Transcript` prints in *beats*. The demo settles the bot (see
:meth:`sandbox.harness.BotHarness.settle`) before each thing a member does and at the end of
each step, and flushes there, so everything printed in a beat is what one action caused. Within
a beat the order is fixed, never the order in which concurrent work happened to finish: the
member's action and the form it opened; the answers to that action (its response, then its
followups); then every other new message, by where it is (channel name) and then oldest first;
then every other edited message, the same way; then the stage directions written meanwhile. A
message new in the beat is shown once, as it ended up.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sandbox import state as st
from sandbox.state import DiscordState

LEGEND = """\
How to read this transcript:
  [n/N] title             a step of the demo
    > Name used /command  what a member did: a command, a button, a choice, a form
    * text                what is going on (a stage direction)
  #channel  Author:       a message in a channel; #channel > thread: in a thread
  DM with name  Author:   a private message
  (only Name sees this)   an answer only that member can see ("Only you can see this")
  (edited)                a message the bot changed; shown as it is now
  | text                  inside an embed (the bot's card); "Field: value" lines are its fields
  [Label]                 a button; [List ▾: a | b] a list to choose from
    (a form opens) Title  a form, with its fields below it
  │ text                  a quote; [spoiler: text] text hidden until clicked
  Bold, italics and code show as plain text; a link as "label (address)"."""

NEXT_STEPS = """\
Next steps, to run Track Two on a real Discord server:
  1. Create an application and bot at https://discord.com/developers/applications and put its
     token in .env as DISCORD_TOKEN=... (see .env.example; never commit it).
  2. Invite the bot with the permissions it needs:
       tracktwo invite --client-id <your application id>
  3. Start it with `make run` (or `tracktwo run`), then in your server run /setup dialogue-channel,
     /setup mod-channel, /setup roles and /setup community add, and finally /setup check: it lists
     any permission that is missing or unsafe, with a button to fix what the bot may fix."""


def where(state: DiscordState, channel_id: int) -> str:
    channel = state.channels.get(channel_id)
    if channel is None:
        return "#deleted-channel"
    if channel.type == st.DM:
        names = [state.users[u].display_name for u in channel.recipient_ids if u in state.users]
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


MENTION = re.compile(r"<(@&|@!?|#)(\d+)>|<t:(-?\d+)(?::([tTdDfFR]))?>|<(/[^:<>]+):\d+>")


def _when(stamp: int, style: str | None) -> str:
    when = dt.datetime.fromtimestamp(stamp, dt.UTC)
    if style in ("d", "D"):
        return when.strftime("%Y-%m-%d")
    if style in ("t", "T"):
        return when.strftime("%H:%M UTC")
    return when.strftime("%Y-%m-%d %H:%M UTC")


def humanize(state: DiscordState | None, text: str) -> str:
    """Mentions, timestamps and command mentions as the Discord client shows them."""
    if state is None:
        return text

    def name(match: re.Match[str]) -> str:
        kind, ident, stamp, style, command = match.groups()
        if command is not None:
            return command
        if stamp is not None:
            return _when(int(stamp), style)
        number = int(ident)
        if kind == "#":
            channel = state.channels.get(number)
            return f"#{channel.name}" if channel else "#unknown"
        if kind == "@&":
            for guild in state.guilds.values():
                if number in guild.roles:
                    return f"@{guild.roles[number].name}"
            return "@unknown-role"
        user = state.users.get(number)
        return f"@{user.display_name}" if user else "@unknown-user"

    def place(channel_id: str, message: str | None) -> str:
        channel = state.channels.get(int(channel_id))
        where = f"#{channel.name}" if channel else "#unknown"
        return f"a message in {where}" if message else where

    text = MENTION.sub(name, text)
    text = MASKED_JUMP.sub(lambda m: f"{m.group(1)} (→ {place(m.group(2), m.group(3))})", text)
    return JUMP.sub(lambda m: place(m.group(1), m.group(2)), text)


JUMP = re.compile(r"https://discord\.com/channels/(?:\d+|@me)/(\d+)(/\d+)?")
MASKED_JUMP = re.compile(r"\[([^\]\n]+)\]\(<?" + JUMP.pattern + r">?\)")
"""A jump link, shown as where it leads (the client shows it as a link; its ids mean nothing)."""


# -- markdown, as the client renders it ----------------------------------------------------

CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
MASKED_LINK = re.compile(r"\[([^\]\n]+)\]\(<?(https?://[^)\s>]+)>?\)")
SPOILER = re.compile(r"\|\|(.+?)\|\|", re.S)
EMPHASIS = [
    re.compile(r"\*\*\*(.+?)\*\*\*", re.S),
    re.compile(r"\*\*(.+?)\*\*", re.S),
    re.compile(r"__(.+?)__", re.S),
    re.compile(r"~~(.+?)~~", re.S),
    re.compile(r"(?<![\w*])\*(?![\s*])(.+?)(?<![\s*])\*(?![\w*])", re.S),
    re.compile(r"(?<![\w_])_(?![\s_])(.+?)(?<![\s_])_(?![\w_])", re.S),
]
ESCAPE = re.compile(r"\\([\\*_~`|>\[\]()#-])")
HEADING = re.compile(r"^(?:#{1,3}|-#) ")


def _inline(text: str) -> str:
    # code spans keep their text literally: set them aside, render the rest, put them back
    spans: list[str] = []

    def keep(match: re.Match[str]) -> str:
        spans.append(match.group(2))
        return f"\x00{len(spans) - 1}\x00"

    text = CODE_SPAN.sub(keep, text)
    text = text.replace("\\\\", "\x01").replace("\\*", "\x02").replace("\\_", "\x03")
    text = text.replace("\\|", "\x04").replace("\\~", "\x05")
    text = MASKED_LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
    text = SPOILER.sub(lambda m: f"[spoiler: {m.group(1)}]", text)
    for pattern in EMPHASIS:
        previous = None
        while previous != text:
            previous, text = text, pattern.sub(r"\1", text)
    text = ESCAPE.sub(r"\1", text)
    text = text.replace("\x01", "\\").replace("\x02", "*").replace("\x03", "_")
    text = text.replace("\x04", "|").replace("\x05", "~")
    return re.sub(r"\x00(\d+)\x00", lambda m: spans[int(m.group(1))], text)


def render_markdown(text: str) -> list[str]:
    """Discord markdown as a reader sees it, in plain lines: emphasis without its markers,
    quotes behind a bar, spoilers marked, masked links as "label (address)", code blocks
    indented, headings and small print as their text."""
    lines: list[str] = []
    quoting_rest = False
    in_code = False
    for raw in text.split("\n"):
        if raw.strip().startswith("```"):
            in_code = not in_code
            rest = raw.strip()[3:]
            if in_code and rest and not rest.isalnum():
                lines.append("  " + rest)
            continue
        if in_code:
            lines.append("  " + raw)
            continue
        line, quoted = raw, quoting_rest
        if line.startswith(">>> "):
            quoting_rest = quoted = True
            line = line[4:]
        elif line.startswith("> ") or line == ">":
            quoted = True
            line = line[2:]
        line = HEADING.sub("", line)
        line = _inline(line)
        lines.append(f"│ {line}" if quoted else line)
    return lines


# -- messages --------------------------------------------------------------------------------


def render_embed(
    embed: dict[str, Any], indent: str = "    ", state: DiscordState | None = None
) -> list[str]:
    lines = []

    def add(text: str, prefix: str = "") -> None:
        parts = render_markdown(humanize(state, text)) or [""]
        for i, part in enumerate(parts):
            lines.append(f"{indent}| {prefix if i == 0 else ' ' * len(prefix)}{part}".rstrip())

    if embed.get("author", {}).get("name"):
        add(embed["author"]["name"])
    if embed.get("title"):
        title = render_markdown(humanize(state, embed["title"]))[0]
        lines.append(f"{indent}| {title}")
        lines.append(f"{indent}| {'‾' * len(title)}")
    if embed.get("description"):
        add(embed["description"])
    for field in embed.get("fields", []):
        add(field["value"], f"{_inline(humanize(state, field['name']))}: ")
    if embed.get("image", {}).get("url"):
        add(f"[picture: {embed['image']['url'].rsplit('/', 1)[-1]}]")
    if embed.get("footer", {}).get("text"):
        add(embed["footer"]["text"], "-- ")
    return lines


def _select(item: dict[str, Any]) -> str:
    name = item.get("placeholder") or "a list"
    options = [str(o.get("label")) for o in item.get("options") or []]
    return f"[{name} ▾: {' | '.join(options)}]" if options else f"[{name} ▾]"


def render_components(message: st.Message, indent: str = "    ") -> list[str]:
    shown = []
    for item in message.all_components():
        kind = item.get("type")
        if kind == 2:
            label = item.get("label") or item.get("emoji", {}).get("name", "")
            if item.get("url"):
                label = f"{label} ↗"
            state = " (disabled)" if item.get("disabled") else ""
            shown.append(f"[{label}]{state}")
        elif kind in (3, 5, 6, 7, 8):
            shown.append(_select(item))
    return [indent + " ".join(shown)] if shown else []


def render_message(
    state: DiscordState,
    message: st.Message,
    communities: set[str] | None = None,
    *,
    edited: bool = False,
) -> str:
    author = message.author.display_name
    community = community_of(state, message, communities or set())
    if community:
        author += f" ({community})"
    head = f"{where(state, message.channel_id)}  {author}:"
    if edited:
        head += " (edited)"
    if message.ephemeral:
        viewer = state.users.get(message.visible_to or 0)
        head += f"  (only {viewer.display_name if viewer else 'you'} sees this)"
    if message.deleted:
        head += "  (deleted)"
    if message.loading:
        head += "  is thinking..."
    lines = [head]
    for part in render_markdown(humanize(state, message.content)) if message.content else []:
        lines.append(f"    {part}".rstrip())
    for embed in message.embeds:
        lines.extend(render_embed(embed, state=state))
    for attachment in message.attachments:
        lines.append(f"    [file: {attachment.filename}]")
    lines.extend(render_components(message))
    return "\n".join(lines)


def render_modal(modal: st.Modal) -> str:
    lines = [f"    (a form opens) {modal.title}"]
    for item in modal.fields():
        label = item.get("label") or item.get("placeholder") or "a field"
        lines.append(f"      - {label}")
    return "\n".join(lines)


# -- the transcript --------------------------------------------------------------------------


class Transcript:
    """Prints what members did and saw, one beat at a time (see the module docstring)."""

    def __init__(self, state: Any, communities: set[str], out: Any = None) -> None:
        self.state: DiscordState = getattr(state, "state", state)  # an Emulator or its state
        self.communities = communities
        self.out = out
        self._seen_edits: dict[int, int] = {}
        self._seen_interactions: set[int] = set()
        self._notes: list[str] = []

    def line(self, text: str) -> None:
        print(text, file=self.out)

    def note(self, text: str) -> None:
        """A stage direction, printed at the end of the current beat."""
        self._notes.append(f"  * {text}")

    def _who(self, user_id: int, guild_id: int | None) -> str:
        user = self.state.users[user_id]
        name = user.display_name
        guild = self.state.guilds.get(guild_id or 0)
        member = guild.members.get(user_id) if guild else None
        if guild is not None and member is not None:
            name = member.name
            roles = [guild.roles[r].name for r in member.role_ids if r in guild.roles]
            community = next((r for r in roles if r in self.communities), None)
            if community:
                name += f" ({community})"
        return name

    def _option(self, option: dict[str, Any], resolved: dict[str, Any]) -> str:
        value = option.get("value")
        kind = option.get("type")
        if kind in (6, 7, 8, 9) and value is not None:
            number = int(value)
            if kind == 7 or str(value) in (resolved.get("channels") or {}):
                return where(self.state, number)
            if number in self.state.users:
                return f"@{self.state.users[number].display_name}"
            for guild in self.state.guilds.values():
                if number in guild.roles:
                    return f"@{guild.roles[number].name}"
        if kind == 11:
            attachment = (resolved.get("attachments") or {}).get(str(value)) or {}
            return f"[file: {attachment.get('filename', 'a file')}]"
        return str(value)

    def _command_path(self, data: dict[str, Any]) -> str:
        parts = [str(data.get("name"))]
        options = data.get("options") or []
        while options and options[0].get("type") in (1, 2):
            parts.append(options[0]["name"])
            options = options[0].get("options") or []
        resolved = data.get("resolved") or {}
        shown = [f"{o['name']}:{self._option(o, resolved)}" for o in options]
        return " ".join(parts + shown)

    def _describe(self, inter: st.Interaction) -> str:
        data = inter.payload.get("data") or {}
        who = self._who(inter.user_id, inter.guild_id)
        if inter.type == 2 and data.get("type", 1) == 1:
            return f"{who} used /{self._command_path(data)}"
        if inter.type == 2:
            return f"{who} used the app command “{data.get('name')}”"
        if inter.type == 3:
            component = inter.source_component or {}
            emoji = (component.get("emoji") or {}).get("name")
            kind = "a list" if component.get("type", 2) != 2 else "a button"
            label = inter.source_label or component.get("placeholder") or emoji or kind
            if data.get("values") is not None:
                labels = {
                    str(o.get("value")): str(o.get("label")) for o in component.get("options") or []
                }
                picked = [labels.get(str(v), str(v)) for v in data["values"]]
                return f"{who} picked {', '.join(picked) or 'nothing'} in [{label}]"
            return f"{who} clicked [{label}]"
        if inter.type == 5:
            return f"{who} submitted the form"
        return f"{who} typed in an option"

    def flush(self) -> None:
        """Print the beat: everything new since the last flush, in the fixed order."""
        state = self.state
        actions = [
            i
            for i in state.interactions.values()
            if i.id not in self._seen_interactions and i.type != 4  # not autocomplete
        ]
        self._seen_interactions.update(i.id for i in state.interactions.values())
        changed: dict[int, tuple[st.Message, bool]] = {}
        for msg in state.messages.values():
            if msg.loading:
                continue
            seen = self._seen_edits.get(msg.id)
            if seen is None or msg.edits > seen:
                self._seen_edits[msg.id] = msg.edits
                changed[msg.id] = (msg, seen is not None)
        out: list[str] = []

        def show(msg: st.Message, edited: bool) -> None:
            out.append(render_message(state, msg, self.communities, edited=edited))

        for inter in sorted(actions, key=lambda i: i.id):
            out.append(f"  > {self._describe(inter)}")
            if inter.modal is not None:
                out.append(render_modal(inter.modal))
            for message_id in [inter.original_message_id, *inter.followup_ids]:
                if message_id in changed:
                    show(*changed.pop(message_id))
        rest = sorted(
            changed.values(), key=lambda e: (e[1], where(state, e[0].channel_id), e[0].id)
        )
        for msg, edited in rest:
            show(msg, edited)
        out.extend(self._notes)
        self._notes.clear()
        for text in out:
            self.line(text)
