"""Demo: news of violence at home; a facilitator pauses the round while a member has the form
open. Her words come back to her, the prompt says calmly that the conversation is paused, and
the facilitator resumes it the next day."""

from __future__ import annotations

import asyncio

from sandbox.scenario import DemoContext, step
from sandbox.steps.dialogue import open_form, round_prompt

BRINGS_UP = "What this excerpt brings up for me"


async def _until_disabled(ctx: DemoContext, disabled: bool) -> None:
    for _ in range(250):  # bounded: 5 s
        if bool(round_prompt(ctx).buttons()[0].get("disabled")) is disabled:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"the prompt's button did not become disabled={disabled}")


@step(order=75, title="A facilitator pauses the round on a bad day, then resumes it")
async def step_pause(ctx: DemoContext) -> None:
    world = ctx.world
    narine = await ctx.emu.add_member(world.guild, "narine", roles=[world.armenian])
    modal = await open_form(ctx, narine)
    paused = await (
        await world.facilitator.slash(
            "round pause", channel=world.dialogue, reason="Shelling reported near the border"
        )
    ).message()
    assert "paused" in paused.content, paused.content
    await _until_disabled(ctx, True)
    ctx.narrate("The prompt's button is disabled and its footer says the conversation is paused")
    words = "My cousin lives in a village near the border; tonight I cannot think of anything else."
    refused = await (await narine.submit(modal, {BRINGS_UP: words})).message()
    assert "nothing was saved" in refused.content and words in refused.content, refused.content
    ctx.narrate("Narine's form was refused with her words given back, to keep for later")
    resumed = await (
        await world.facilitator.slash("round resume", channel=world.dialogue)
    ).message()
    assert "open for replies again" in resumed.content, resumed.content
    await _until_disabled(ctx, False)
    log = await (await world.facilitator.slash("round pauses", channel=world.dialogue)).message()
    assert "Shelling" in str(log.embed), log.embed
