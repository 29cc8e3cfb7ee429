"""Render messages as members would see them: where, who, text, embeds as text blocks,
buttons as [Label], and ephemeral answers marked as such."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox import state as st

if TYPE_CHECKING:
    from sandbox.emulator import Emulator


def where(emu: Emulator, channel_id: int) -> str:
    channel = emu.channels.get(channel_id)
    if channel is None:
        return f"#{channel_id}"
    if channel.type == st.DM:
        names = [emu.users[u].username for u in channel.recipient_ids if u in emu.users]
        return f"DM with {', '.join(names)}"
    if channel.is_thread:
        parent = emu.channels.get(channel.parent_id or 0)
        return f"#{parent.name if parent else '?'} > {channel.name}"
    return f"#{channel.name}"


def community_of(emu: Emulator, message: st.Message, communities: set[str]) -> str | None:
    guild = emu.guilds.get(message.guild_id or 0)
    member = guild.members.get(message.author.id) if guild else None
    if guild is None or member is None:
        return None
    names = [guild.roles[r].name for r in member.role_ids if r in guild.roles]
    return next((n for n in names if n in communities), None)


def render_embed(embed: dict[str, Any], indent: str = "    ") -> list[str]:
    lines = []
    if embed.get("author", {}).get("name"):
        lines.append(f"{indent}| {embed['author']['name']}")
    if embed.get("title"):
        lines.append(f"{indent}| ** {embed['title']} **")
    for part in (embed.get("description") or "").splitlines():
        lines.append(f"{indent}| {part}")
    for field in embed.get("fields", []):
        lines.append(f"{indent}| {field['name']}: {field['value']}")
    if embed.get("footer", {}).get("text"):
        lines.append(f"{indent}| -- {embed['footer']['text']}")
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


def render_message(emu: Emulator, message: st.Message, communities: set[str] | None = None) -> str:
    author = message.author.display_name
    community = community_of(emu, message, communities or set())
    if community:
        author += f" ({community})"
    head = f"{where(emu, message.channel_id)}  {author}:"
    if message.ephemeral:
        head += "  (only you can see this)"
    if message.deleted:
        head += "  (deleted)"
    if message.loading:
        head += "  is thinking..."
    lines = [head]
    for part in message.content.splitlines():
        lines.append(f"    {part}")
    for embed in message.embeds:
        lines.extend(render_embed(embed))
    for attachment in message.attachments:
        lines.append(f"    [file: {attachment.filename}]")
    lines.extend(render_components(message))
    return "\n".join(lines)


def render_modal(modal: st.Modal) -> str:
    lines = [f"    (a form opens) {modal.title}"]
    for item in modal.fields():
        lines.append(f"      - {item.get('label') or item.get('custom_id')}")
    return "\n".join(lines)
