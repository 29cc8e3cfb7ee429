"""Demo: the server as the bot left it. What members may and may not do in the dialogue
channel (the overwrites /setup dialogue-channel set), a member's direct post refused, /setup
check, and /help as a member and as a moderator see it."""

from __future__ import annotations

from sandbox import state as st
from sandbox.scenario import DemoContext, step

# what a member could do in a channel, in the words of Discord's permission screen
SHOWN = (
    (st.VIEW_CHANNEL, "View Channel"),
    (st.READ_MESSAGE_HISTORY, "Read Message History"),
    (st.USE_APPLICATION_COMMANDS, "Use Application Commands (and press buttons)"),
    (st.SEND_MESSAGES, "Send Messages"),
    (st.CREATE_PUBLIC_THREADS, "Create Public Threads"),
    (st.CREATE_PRIVATE_THREADS, "Create Private Threads"),
    (st.SEND_MESSAGES_IN_THREADS, "Send Messages in Threads"),
)


def names(bits: int) -> str:
    return ", ".join(name for bit, name in SHOWN if bits & bit) or "nothing listed here"


@step(order=21, title="What members may and may not do in the dialogue channel")
async def step_overwrites(ctx: DemoContext) -> None:
    world = ctx.world
    guild, channel, member = world.guild, world.dialogue, world.alice
    targets = {
        r.id: r.name if r.name.startswith("@") else f"@{r.name}" for r in guild.roles.values()
    }
    ctx.narrate(f"#{channel.name}'s permission overwrites, as Discord now has them:")
    assert channel.overwrites, "the dialogue channel has no overwrites"
    for overwrite in channel.overwrites:
        target = targets.get(overwrite.id) or f"@{ctx.emu.state.users[overwrite.id].display_name}"
        ctx.narrate(f"  {target}: allow {names(overwrite.allow)}; deny {names(overwrite.deny)}")
    perms = ctx.emu.permissions(guild, member.member, channel)
    may = [name for bit, name in SHOWN if perms & bit]
    may_not = [name for bit, name in SHOWN if not perms & bit]
    assert not perms & st.SEND_MESSAGES and not perms & st.SEND_MESSAGES_IN_THREADS, may
    assert perms & st.VIEW_CHANNEL and perms & st.USE_APPLICATION_COMMANDS, may_not
    ctx.narrate(f"So a member such as {member.name} may: {', '.join(may)}")
    ctx.narrate(f"and may not: {', '.join(may_not)}")
    try:
        await member.send(channel, "Hello everyone, I am writing here directly!")
    except PermissionError:
        ctx.narrate(
            f"{member.name} tries to post in #{channel.name} directly: Discord refuses, so every "
            "reply goes through the form (sanitizer, civility rules, pseudonym)"
        )
    else:  # pragma: no cover - the assertion above makes this unreachable
        raise AssertionError("a member could post directly in the dialogue channel")


@step(order=22, title="The admin checks the server with /setup check")
async def step_setup_check(ctx: DemoContext) -> None:
    msg = await (await ctx.world.admin.slash("setup check")).message()
    assert msg.ephemeral, msg.content
    ctx.narrate("/setup check looks at every channel Track Two uses, as it is now")


@step(order=26, title="/help, for a member and for a moderator")
async def step_help(ctx: DemoContext) -> None:
    world = ctx.world
    member = await (await world.ani.slash("help", channel=world.dialogue)).message()
    mod = world.more.get("mod2", world.mod)
    moderator = await (await mod.slash("help", channel=world.mod_channel)).message()
    assert member.ephemeral and moderator.ephemeral
    assert str(member.embeds) != str(moderator.embeds) or member.content != moderator.content
    ctx.narrate(
        f"Each sees the commands they may use: {mod.name}'s help lists the moderators' "
        f"commands, {world.ani.name}'s does not"
    )
