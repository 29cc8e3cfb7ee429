"""Demo: a member whose Discord app cannot be set to Azerbaijani chooses it for Track Two and
gets the reply form in it; the public prompt stays in the server's language."""

from __future__ import annotations

from sandbox.scenario import DemoContext, step
from sandbox.steps.dialogue import open_form


@step(order=35, title="A member chooses Azerbaijani and sees the reply form in it")
async def step_language(ctx: DemoContext) -> None:
    world = ctx.world
    aysel = await ctx.emu.add_member(world.guild, "aysel", roles=[world.azerbaijani])
    chosen = await (
        await aysel.slash("language set", channel=world.dialogue, language="az")
    ).message()
    assert "Azərbaycan dili" in chosen.content, chosen.content
    modal = await open_form(ctx, aysel)  # after the agreements, in Azerbaijani too
    assert modal.title.startswith("Baxışınızı bölüşün"), modal.title
    labels = [str(field["label"]) for field in modal.fields()]
    assert labels[0] == "Bu parça məndə nələri oyadır", labels
    ctx.narrate(
        "Only Aysel's form changed: the prompt and its button stay in the server's language"
    )
