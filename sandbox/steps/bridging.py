"""Demo: members read each other's replies privately ("Read replies": fewest votes from their
own community first), endorse across the divide, and the round digest at close shows where the
communities meet, with its picture (written to the sandbox's temporary folder)."""

from __future__ import annotations

from sandbox.scenario import DemoContext, step
from sandbox.steps.dialogue import endorse_id, replies, round_prompt, thread_of, until

BOB_TEXT = "The line about small people and big politics."


@step(order=75, title="Members read the other side's replies, one at a time, and endorse")
async def step_read_and_endorse(ctx: DemoContext) -> None:
    world = ctx.world
    view = await (await world.alice.click(round_prompt(ctx), "Read replies")).message()
    assert view.ephemeral and view.embeds, view.content
    ctx.narrate(
        f"{world.alice.name} presses “Read replies”: privately, the reply her community has voted on least "
        f"({view.embeds[0]['author']['name']}), with Skip and Next"
    )
    bob_reply = next(m for m in replies(ctx) if BOB_TEXT in m.embed["description"])
    ruben = ctx.emu.person(world.guild, "ruben")
    arman = await ctx.emu.add_member(world.guild, "arman", roles=[world.armenian])
    samir = await ctx.emu.add_member(world.guild, "samir", roles=[world.azerbaijani])
    leyla = ctx.emu.person(world.guild, "leyla")
    for who in (world.ani, ruben, arman, leyla, samir):
        await (await who.click(bob_reply, endorse_id(bob_reply, "This resonates"))).followup(0)
    ctx.narrate(f"Members of both communities say {world.bob.name}'s reply resonates with them")


@step(order=85, title="The round digest: where the communities meet, with a picture")
async def step_digest(ctx: DemoContext) -> None:
    thread = thread_of(ctx)
    digest = await ctx.emu.wait_for_message(
        channel=thread, check=lambda m: "Round digest" in m.content
    )
    posts = [m for m in ctx.emu.messages_in(thread) if m.id >= digest.id]
    text = "\n".join(m.content for m in posts)
    assert "Where the communities meet" in text
    pictures = [a for m in posts for a in m.attachments if a.filename.endswith(".png")]
    await until(lambda: pictures, "the digest's picture")
    [png] = pictures
    folder = ctx.harness.database_path.parent
    path = folder / png.filename
    path.write_bytes(png.data)
    ctx.narrate(
        "At close the bot posted the public digest in the thread (only replies whose authors "
        "agreed are quoted; no per-community count below 3)"
    )
    ctx.narrate(
        f"The picture ({len(png.data)} bytes of PNG) was written to {path} (the sandbox's "
        "temporary folder, beside its database: removed when the demo ends unless "
        "SANDBOX_DATABASE points elsewhere)"
    )
    private = await (await ctx.world.facilitator.slash("round digest", number=1)).message()
    assert private.ephemeral and BOB_TEXT in private.content, private.content
    ctx.narrate(
        "/round digest gives the facilitator the fuller version privately: "
        f"{ctx.world.bob.name}'s bridging "
        "reply in full, marked not for quoting, with the votes per community; and it posts "
        "the public digest in the thread again, as it stands now (endorsements stay open "
        "after the close)"
    )
