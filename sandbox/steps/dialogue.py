"""Demo: a whole dialogue round — setup, a newcomer joining, the essay posted, replies from both
communities, endorsements, a nudge, a held reply, a report, the moderators' queue with a warning
and an approval, and the round closed."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from sandbox import state as st
from sandbox.scenario import DemoContext, step

BRINGS_UP = "What this excerpt brings up for me"
EXPERIENCE = "An experience that shaped my view"
UNSURE = "Where I feel mixed or unsure"
QUESTION = "A question for the other community"


async def until(predicate: Callable[[], Any], what: str, seconds: float = 5.0) -> Any:
    for _ in range(int(seconds / 0.01)):
        value = predicate()
        if value:
            return value
        await asyncio.sleep(0.01)
    raise AssertionError(f"the demo waited {seconds} s for {what}")


def round_prompt(ctx: DemoContext) -> st.Message:
    return next(
        m for m in reversed(ctx.emu.messages_in(ctx.world.dialogue)) if m.thread_id is not None
    )


def thread_of(ctx: DemoContext) -> st.Channel:
    thread_id = round_prompt(ctx).thread_id
    assert thread_id is not None
    return ctx.emu.channels[thread_id]


def replies(ctx: DemoContext) -> list[st.Message]:
    return [
        m for m in ctx.emu.messages_in(thread_of(ctx)) if m.embeds and m.embeds[0].get("author")
    ]


def endorse_id(message: st.Message, label: str) -> str:
    """The endorsement button's custom_id: its label carries a count once someone pressed it."""
    for button in message.buttons():
        if str(button.get("label", "")).startswith(label):
            return str(button["custom_id"])
    raise LookupError(f"no {label!r} button")


async def open_form(ctx: DemoContext, who: Any) -> Any:
    """Press "Share your perspective"; a member new to the server first reads the group
    agreements and accepts them (sandbox/steps/intake.py), which opens the form."""
    handle = await who.click(round_prompt(ctx), "Share your perspective")
    if (await handle.response()).modal is not None:
        return await handle.modal()
    agreements = await handle.message()
    return await (await who.click(agreements, agreements.button_labels()[0])).modal()


async def share(ctx: DemoContext, who: Any, fields: dict[str, str]) -> st.Message:
    modal = await open_form(ctx, who)
    answer: st.Message = await (await who.submit(modal, fields)).message()
    return answer


@step(order=20, title="An admin sets up the server")
async def step_setup(ctx: DemoContext) -> None:
    world = ctx.world
    admin = world.admin
    ctx.narrate(f"{admin.name} (admin) names the channels, the roles and the two communities")
    await (
        await admin.slash("setup dialogue-channel", options={"channel": world.dialogue})
    ).message()
    await (await admin.slash("setup mod-channel", options={"channel": world.mod_channel})).message()
    await (
        await admin.slash(
            "setup roles", facilitator=world.facilitator_role, moderator=world.moderator_role
        )
    ).message()
    await (await admin.slash("setup community add", name="Armenian", role=world.armenian)).message()
    await (
        await admin.slash("setup community add", name="Azerbaijani", role=world.azerbaijani)
    ).message()
    shown = await (await admin.slash("setup show")).message()
    assert "Communities (2)" in shown.embed_fields()


@step(order=25, title="A newcomer joins a community")
async def step_join(ctx: DemoContext) -> None:
    leyla = await ctx.emu.add_member(ctx.world.guild, "leyla")
    offer = await (await leyla.slash("community join", channel=ctx.world.dialogue)).message()
    # by label, not by id: with SANDBOX_DATABASE the ids come from earlier runs
    options = next(c for c in offer.all_components() if c.get("options"))["options"]
    azerbaijani = next(o["value"] for o in options if o["label"].startswith("Azerbaijani"))
    await (await leyla.select(offer, [azerbaijani])).message()
    assert "Azerbaijani" in leyla.role_names
    ctx.narrate("Leyla now holds the Azerbaijani role; her replies will carry that label")


@step(order=30, title="A facilitator posts an excerpt of the essay")
async def step_post(ctx: DemoContext) -> None:
    await (await ctx.world.facilitator.slash("prompt post", channel=ctx.world.dialogue)).message()
    prompt = round_prompt(ctx)
    assert "Maria Karapetyan" in prompt.embed_fields()["Source"]
    ctx.narrate(f"The round has its own thread: #{thread_of(ctx).name}")


@step(order=40, title="Members of both communities reply in the structured form")
async def step_replies(ctx: DemoContext) -> None:
    world = ctx.world
    await share(
        ctx,
        world.ani,
        {
            BRINGS_UP: "That peace signed on paper would not hold if we never talk. My family "
            "left Baku in 1989 and I grew up hearing only one side.",
            UNSURE: "Whether my anger is mine or inherited.",
            QUESTION: "What did your parents tell you about Armenians?",
        },
    )
    await share(
        ctx,
        world.bob,
        {
            BRINGS_UP: "The line about small people and big politics. We are told the other "
            "side does not want peace; I have never asked anyone.",
            EXPERIENCE: "My grandmother had Armenian neighbours in Ganja and still speaks of them.",
        },
    )
    leyla = ctx.emu.person(world.guild, "leyla")
    await share(
        ctx,
        leyla,
        {BRINGS_UP: "Being called a traitor for talking. It is why I hesitated to write here."},
    )
    await until(lambda: len(replies(ctx)) >= 3, "three published replies")
    ctx.narrate("Replies are published as 'Participant N · community': no names, no avatars")


@step(order=45, title="Members endorse replies across the divide")
async def step_endorse(ctx: DemoContext) -> None:
    world = ctx.world
    ani_reply, bob_reply, _ = replies(ctx)[:3]
    await (await world.alice.click(bob_reply, endorse_id(bob_reply, "This resonates"))).followup(0)
    await (
        await world.babek.click(ani_reply, endorse_id(ani_reply, "I learned something"))
    ).followup(0)
    await (await world.babek.click(bob_reply, endorse_id(bob_reply, "This resonates"))).followup(0)
    assert "1 · 1" in bob_reply.embed_fields()["Endorsements"]


@step(order=50, title="The civility rules nudge a reply, and the author rephrases")
async def step_nudge(ctx: DemoContext) -> None:
    babek = ctx.world.babek
    nudged = await share(
        ctx, babek, {BRINGS_UP: "What the f.u.c.k were our leaders doing all those years?"}
    )
    assert "another look" in nudged.content
    modal = await (await babek.click(nudged, "Rephrase")).modal()
    calmer = "What on earth were our leaders doing all those years, while we never met?"
    await (await babek.submit(modal, {BRINGS_UP: calmer})).message()
    await until(lambda: len(replies(ctx)) >= 4, "the rephrased reply")


@step(order=55, title="A reply that quotes dehumanizing words is held for the moderators")
async def step_hold(ctx: DemoContext) -> None:
    alice = ctx.world.alice
    held = await share(
        ctx,
        alice,
        {
            BRINGS_UP: "At school we were taught that they are animals. Reading this, I see "
            "how that lesson kept us from ever talking."
        },
    )
    assert "moderator's look" in held.content
    ctx.narrate("Stored, not published: it waits in the moderators' queue")


@step(order=60, title="A hostile reply gets past the rules, and a member reports it")
async def step_report(ctx: DemoContext) -> None:
    world = ctx.world
    ruben = await ctx.emu.add_member(world.guild, "ruben", roles=[world.armenian])
    await share(
        ctx,
        ruben,
        {
            BRINGS_UP: "People like you are the reason this will never end. Go back to your propaganda."
        },
    )
    await until(lambda: len(replies(ctx)) >= 5, "Ruben's reply published")
    hostile = replies(ctx)[-1]
    modal = await (await world.bob.click(hostile, "Report")).modal()
    await (
        await world.bob.submit(modal, category=["hostility"], reason="Attacks me, not my view")
    ).message()
    await until(
        lambda: len([m for m in ctx.emu.messages_in(world.mod_channel) if m.embeds]) >= 2,
        "the queue notices in the moderators' channel",
    )


@step(order=70, title="The moderators work the queue: an approval and a warning")
async def step_queue(ctx: DemoContext) -> None:
    world = ctx.world
    first = await (await world.mod.slash("mod queue", channel=world.mod_channel)).message()
    assert first.embeds
    ctx.narrate(
        f"The oldest item first: {world.alice.name}'s held reply. Read in context, "
        f"{world.mod.name} approves it"
    )
    await (await world.mod.click(first, "Approve")).message()
    await until(lambda: len(replies(ctx)) >= 6, "the approved reply published")
    second = await (await world.mod.slash("mod queue", channel=world.mod_channel)).message()
    ctx.narrate(f"Next: the report on Ruben's reply. {world.mod.name} removes it and warns him")
    await (await world.mod.click(second, "Remove + warn")).message()
    ruben = ctx.emu.person(world.guild, "ruben")
    dm = await ruben.wait_for_dm(lambda m: "warning" in m.content, timeout=5)
    assert "/appeal" in dm.content


@step(order=80, title="The facilitator closes the round")
async def step_close(ctx: DemoContext) -> None:
    await (await ctx.world.facilitator.slash("round close", number=1)).message()
    assert round_prompt(ctx).button_labels() == ["Round closed", "Read replies"]
