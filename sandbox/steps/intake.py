"""Demo: intake. Before her first reply a member reads the server's group agreements privately,
leaves the facilitators a private note ("what would make this safe for me") and accepts; her
form opens at once. Later a facilitator keeps a note about a participant label, never a name."""

from __future__ import annotations

from sandbox.scenario import DemoContext, step
from sandbox.steps.dialogue import round_prompt, until

NOTE = "Please never quote me outside this server; my family does not know I take part."


@step(order=38, title="Before her first reply, a member reads and accepts the group agreements")
async def step_agreements(ctx: DemoContext) -> None:
    world = ctx.world
    shown = await (await world.ani.click(round_prompt(ctx), "Share your perspective")).message()
    assert shown.ephemeral and shown.embed["title"] == "Group agreements", shown.embed
    assert "Speak for yourself" in shown.embed["description"], shown.embed
    ctx.narrate("Only Ani sees the agreements: speak for yourself, listen to understand, ...")
    form = await (await world.ani.click(shown, "A private note to the facilitators")).modal()
    thanks = await (await world.ani.submit(form, {"note": NOTE})).message()
    assert "Only the facilitators can read your note" in thanks.content, thanks.content
    modal = await (await world.ani.click(thanks, "I accept")).modal()
    assert modal.title.startswith("Share your perspective"), modal.title
    ctx.narrate("Accepting opened her reply form at once; she writes it in the next step")
    notes = await (await world.facilitator.slash("note intake", channel=world.dialogue)).message()
    assert NOTE in str(notes.embed), notes.embed
    ctx.narrate("Facilitators read the intake notes privately; they do not say who wrote them")


@step(order=47, title="A facilitator keeps a private note about a participant label")
async def step_note(ctx: DemoContext) -> None:
    facilitator = ctx.world.facilitator
    channel = ctx.world.dialogue
    added = await (
        await facilitator.slash(
            "note add",
            channel=channel,
            label="Participant 1",
            text="Asked not to be quoted; check in before the digest.",
        )
    ).message()
    assert added.ephemeral and "Participant 1 of round 1" in added.content, added.content
    listed = await (
        await facilitator.slash("note list", channel=channel, label="Participant 1")
    ).message()
    await until(lambda: listed.embed, "the notes")
    assert NOTE in str(listed.embed), listed.embed  # her note at intake, beside theirs
    ctx.narrate("Notes name 'Participant 1', never a member; /mydata export shows them to her")
