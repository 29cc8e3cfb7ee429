"""Demo: a member asks what Track Two is."""

from __future__ import annotations

from sandbox.scenario import DemoContext, step


@step(order=10, title="A member asks what Track Two is")
async def step_about(ctx: DemoContext) -> None:
    alice = ctx.world.alice
    msg = await (await alice.slash("about", channel=ctx.world.dialogue)).message()
    fields = msg.embed_fields()
    assert fields["Database"].startswith("ok"), fields
    assert msg.ephemeral
