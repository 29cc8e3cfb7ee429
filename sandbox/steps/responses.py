"""Demo: a conversation, not parallel monologues. Bob (Azerbaijani) answers the question Ani
(Armenian) asked the other community; his response appears in the thread as a Discord reply to
hers, labelled with both pseudonyms; her reply's question now reads "Answered"; and Ani is told
privately that someone answered, never who."""

from __future__ import annotations

from sandbox.scenario import DemoContext, step
from sandbox.steps.dialogue import replies, until

ANI_QUESTION = "What did your parents tell you about Armenians?"
ANSWER = (
    "My father spoke of the Armenian teacher who taught him chess in Ganja. He said her name "
    "quietly, as if it were a secret he was proud of."
)


@step(order=72, title="A member answers a question from across the divide")
async def step_respond(ctx: DemoContext) -> None:
    world = ctx.world
    ani_reply = next(m for m in replies(ctx) if ANI_QUESTION in str(m.embed))
    assert ani_reply.embed_fields()["The question"] == "Open: not answered yet"
    modal = await (await world.bob.click(ani_reply, "Answer the question")).modal()
    ack = await (await world.bob.submit(modal, {"Your response": ANSWER})).message()
    assert ack.ephemeral, ack.content
    response = await until(
        lambda: next((m for m in replies(ctx) if ANSWER in m.embed["description"]), None),
        "the response published",
    )
    label = response.embed["author"]["name"]
    assert "responding to Participant 1 · Armenian" in label, label
    ctx.narrate(
        f"{world.bob.name}'s response is published as “{label}”, "
        f"as a reply to {world.ani.name}'s message"
    )
    await until(
        lambda: ctx.emu.messages[ani_reply.id].embed_fields().get("The question") == "Answered",
        "Ani's question shown as answered",
    )
    ctx.narrate(f"{world.ani.name}'s reply is refreshed: its question now reads “Answered”")
    dm = await world.ani.wait_for_dm(lambda m: "Someone answered" in m.content, timeout=5)
    assert world.bob.name.lower() not in dm.content.lower(), dm.content
    ctx.narrate(f"{world.ani.name} is told privately that someone answered her question, not who")
