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
    replies, endorsements = len(data["replies"]), len(data["endorsements_given"])
    ctx.narrate(
        f"{file.filename}: {replies} {'reply' if replies == 1 else 'replies'}, "
        f"{endorsements} {'endorsement' if endorsements == 1 else 'endorsements'}, community: "
        f"{(data['community'] or {}).get('name', 'none stored')}"
    )
