"""Demo: a member asks for everything Track Two stores about them (/mydata export)."""

from __future__ import annotations

import json

from sandbox.scenario import DemoContext, step


@step(order=90, title="A member exports what Track Two stores about them")
async def step_mydata_export(ctx: DemoContext) -> None:
    ani = ctx.world.ani
    ctx.narrate("Ani checks what the bot keeps about her; only she sees the answer")
    msg = await (await ani.slash("mydata export", channel=ctx.world.dialogue)).message()
    assert msg.ephemeral and msg.visible_to == ani.id
    [file] = msg.attachments
    data = json.loads(file.data)
    assert data["about"] and data["member_id"] == str(ani.id), data
    ctx.narrate(
        f"{file.filename}: {len(data['replies'])} replies, "
        f"{len(data['endorsements_given'])} endorsements, community: "
        f"{(data['community'] or {}).get('name', 'none stored')}"
    )
