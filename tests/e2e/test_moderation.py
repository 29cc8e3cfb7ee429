"""Moderation through the real client against the local Discord: reports, the queue, warnings
with their DM and mod-log embed, timeouts across a restart, appeals, and refusals."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

pytest.importorskip("sandbox.harness")  # the emulator lands on main separately

from sandbox.harness import BotHarness
from sandbox.world import World

pytestmark = pytest.mark.e2e

TEXT = "This excerpt reminds me of my grandmother's stories about her neighbours."


async def configure(world: World, tracktwo: BotHarness) -> None:
    services = tracktwo.bot.services
    guild = world.guild.id
    await services.guild_config.set_dialogue_channel(guild, world.dialogue.id)
    await services.guild_config.set_mod_channel(guild, world.mod_channel.id)
    await services.guild_config.set_roles(guild, world.facilitator_role.id, world.moderator_role.id)
    await services.communities.add(guild, "Armenian", world.armenian.id)
    await services.communities.add(guild, "Azerbaijani", world.azerbaijani.id)


def mod_log(world: World) -> list[Any]:
    return [m for m in world.emu.messages_in(world.mod_channel) if m.embeds]


def mod_notice(world: World, title: str) -> Any:
    """The newest notice in the mod channel whose embed title starts with ``title``."""
    for m in reversed(world.emu.messages_in(world.mod_channel)):
        if m.embeds and m.embeds[0]["title"].startswith(title):
            return m
    return None


async def until(predicate: Any, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not reached")


async def published_reply(world: World, tracktwo: BotHarness) -> Any:
    """Ani shares a reply the way a member does; returns the published reply message."""
    await (await world.facilitator.slash("prompt post", channel=world.dialogue)).message()
    round_message = next(
        m
        for m in world.emu.messages_in(world.dialogue)
        if any("Share your perspective" in str(c) for c in m.components)
    )
    modal = await (await world.ani.click(round_message, "Share your perspective")).modal()
    await (await world.ani.submit(modal, {"What this excerpt brings up for me": TEXT})).message()

    def reply_message() -> Any:
        for channel in world.emu.channels.values():
            if channel.is_thread:
                for message in world.emu.messages_in(channel):
                    if any("t2:report:" in str(c) for c in message.components):
                        return message
        return None

    await until(lambda: reply_message() is not None)
    return reply_message()


async def test_report_a_reply_then_remove_and_warn_from_the_queue(
    world: World, tracktwo: BotHarness
) -> None:
    await configure(world, tracktwo)
    reply = await published_reply(world, tracktwo)
    own = await (await world.ani.click(reply, "Report")).message()
    assert own.ephemeral and "own reply" in own.content

    modal = await (await world.bob.click(reply, "Report")).modal()
    assert modal.title == "Report to moderators"
    done = await (
        await world.bob.submit(modal, category=["hostility"], reason="calls us names")
    ).message()
    assert done.ephemeral and "moderators" in done.content
    await until(lambda: any("queue" in m.content for m in world.emu.messages_in(world.mod_channel)))

    queue = await (await world.mod.slash("mod queue")).message()
    assert queue.ephemeral
    fields = queue.embed_fields()
    assert "calls us names" in fields["Reports (1)"]
    assert fields["Author's community"] == "Armenian"
    after = await (await world.mod.click(queue, "Remove + warn")).message()
    # the confirmation names the reply's pseudonymous label and both case numbers
    assert "Removed and warned: Participant 1 · Armenian (cases 1, 2)." in after.content
    # one decision, one notice: what was done, both cases, how to appeal
    told = await world.ani.wait_for_dm(lambda m: "removed your reply" in m.content, timeout=5)
    assert "You received a warning" in told.content and "These are cases 1, 2." in told.content
    assert "/appeal case:<number>" in told.content
    await asyncio.sleep(0.3)
    assert len(world.ani.dms) == 1
    await until(lambda: reply.deleted)
    titles = [m.embeds[0]["title"] for m in mod_log(world)]
    assert any("Removal" in t for t in titles) and any("Warning" in t for t in titles)


async def test_warning_dm_or_pending_notice_and_mod_log(world: World, tracktwo: BotHarness) -> None:
    await configure(world, tracktwo)
    answer = await (await world.mod.slash("mod warn", member=world.bob, reason="insults")).message()
    assert answer.ephemeral and "Warned" in answer.content
    dm = await world.bob.wait_for_dm(timeout=5)
    assert "case 1" in dm.content and "/appeal case:1" in dm.content
    await until(lambda: any("Case 1" in m.embeds[0]["title"] for m in mod_log(world)))

    world.babek.close_dms()
    await (await world.mod.slash("mod warn", member=world.babek, reason="spam")).message()
    await asyncio.sleep(0.2)
    assert world.babek.dms == []
    # shown the next time babek uses the bot
    resp = await world.babek.slash("about")
    await resp.message()
    notice = await resp.followup(0)
    assert notice.ephemeral and "case 2" in notice.content


async def test_pending_notice_follows_a_button_click_too(
    world: World, tracktwo: BotHarness
) -> None:
    await configure(world, tracktwo)
    reply = await published_reply(world, tracktwo)  # by ani
    world.bob.close_dms()
    await (await world.mod.slash("mod warn", member=world.bob, reason="insults")).message()
    await asyncio.sleep(0.2)
    assert world.bob.dms == []
    handle = await world.bob.click(reply, "This resonates")
    followups = [await handle.followup(0), await handle.followup(1)]
    notice = next(m for m in followups if "moderators" in m.content)
    assert notice.ephemeral and "case 1" in notice.content and "/appeal case:1" in notice.content
    # delivered once: the next click brings no notice
    again = await world.bob.click(reply, "I learned something")
    await again.followup(0)
    await asyncio.sleep(0.2)
    assert len(again.followups) == 1


async def test_timeout_survives_a_restart_and_an_appeal_overturns_it(
    world: World, tracktwo: BotHarness
) -> None:
    await configure(world, tracktwo)
    await (
        await world.mod.slash("mod timeout", member=world.bob, duration="1h", reason="heated")
    ).message()
    await until(lambda: world.bob.timed_out)
    await tracktwo.restart()
    assert world.bob.timed_out
    appeal = await (
        await world.bob.slash("appeal", case=1, reason="I was quoting the essay")
    ).message()
    assert appeal.ephemeral and "appeal" in appeal.content.lower()

    def notice() -> Any:
        return mod_notice(world, "Appeal")

    await until(lambda: notice() is not None)
    form = await (await world.mod.click(notice(), "Lift the sanction")).modal()
    refused = await (await world.mod.submit(form, {"Reason": "fair"})).message()
    assert "took part" in refused.content
    assert world.bob.timed_out
    form = await (await world.admin.click(notice(), "Lift the sanction")).modal()
    assert form.title == "Lift the sanction"
    decided = await (await world.admin.submit(form, {"Reason": "He was quoting."})).message()
    # named by what happened to the member's sanction, in the answer and the DM alike
    assert "appeal of case 1 decided: the sanction is lifted" in decided.content.lower()
    await until(lambda: not world.bob.timed_out)
    dm = await world.bob.wait_for_dm(lambda m: "accepted" in m.content, timeout=5)
    assert "case 1" in dm.content and "He was quoting." in dm.content
    assert "the sanction is lifted" in dm.content


@pytest.mark.parametrize(
    ("path", "options"),
    [
        ("mod queue", {}),
        ("mod case", {"number": 1}),
        ("mod history", {"member": "bob"}),
        ("mod reason", {"case": 1, "text": "x"}),
        ("mod warn", {"member": "bob", "reason": "x"}),
        ("mod timeout", {"member": "bob", "duration": "1h", "reason": "x"}),
        ("mod untimeout", {"member": "bob", "reason": "x"}),
        ("mod pardon", {"case": 1, "reason": "x"}),
        ("mod reveal", {"reply": 1, "reason": "x"}),
        ("mod settings", {"paired": True}),
    ],
)
async def test_every_mod_command_refuses_members(
    world: World, tracktwo: BotHarness, path: str, options: dict[str, Any]
) -> None:
    await configure(world, tracktwo)
    resolved = {k: getattr(world, v) if k == "member" else v for k, v in options.items()}
    answer = await (await world.alice.slash(path, **resolved)).message()
    assert answer.ephemeral
    assert "Only moderators" in answer.content or "server admins" in answer.content
    assert not world.bob.timed_out and world.bob.dms == []
    count = await tracktwo.bot.services.db.fetchval("SELECT COUNT(*) FROM cases")
    assert count == 0


async def test_queue_buttons_refuse_members(world: World, tracktwo: BotHarness) -> None:
    await configure(world, tracktwo)
    await (await world.mod.slash("mod warn", member=world.bob, reason="x")).message()
    await (await world.bob.slash("appeal", case=1, reason="please")).message()

    def notice() -> Any:
        return mod_notice(world, "Appeal")

    await until(lambda: notice() is not None)
    for label in ("Sanction stands", "Lift the sanction", "Next"):
        answer = await (await world.alice.click(notice(), label)).message()
        assert answer.ephemeral and "Only moderators" in answer.content
    count = await tracktwo.bot.services.db.fetchval("SELECT COUNT(*) FROM cases")
    assert count == 1


async def test_report_a_plain_message_from_the_context_menu(
    world: World, tracktwo: BotHarness
) -> None:
    await configure(world, tracktwo)
    elsewhere = await world.bob.send(world.general, "not in the dialogue")
    refused = await (await world.alice.message_command("Report to moderators", elsewhere)).message()
    assert refused.ephemeral and "dialogue channel" in refused.content

    message = await world.bob.send(world.dialogue, "buy cheap watches")
    modal = await (await world.alice.message_command("Report to moderators", message)).modal()
    await (await world.alice.submit(modal, category=["spam"])).message()
    stored = await tracktwo.bot.services.db.fetchone("SELECT * FROM reports")
    assert stored is not None and "watches" not in " ".join(str(v) for v in tuple(stored))

    def notice() -> Any:
        return mod_notice(world, "Reported message")

    await until(lambda: notice() is not None)
    await (await world.mod.click(notice(), "Remove")).message()
    await until(lambda: message.deleted)
    await until(lambda: notice().content.startswith("Done: Removed"))


async def test_held_reply_is_approved_from_the_queue(world: World, tracktwo: BotHarness) -> None:
    from bot.civility.model import Action, Category, Verdict
    from bot.dialogue.replies import CheckSummary

    await configure(world, tracktwo)

    async def hold(guild_id: int, text: str, key: str) -> CheckSummary:
        verdict = Verdict("lexicon", Category.HARASSMENT, Action.HOLD, 0, 1, "x", "Check.")
        return CheckSummary(Action.HOLD, (verdict,))

    tracktwo.bot.services.replies.check = hold
    await (await world.facilitator.slash("prompt post", channel=world.dialogue)).message()
    round_message = next(
        m
        for m in world.emu.messages_in(world.dialogue)
        if any("Share your perspective" in str(c) for c in m.components)
    )
    modal = await (await world.ani.click(round_message, "Share your perspective")).modal()
    await (await world.ani.submit(modal, {"What this excerpt brings up for me": TEXT})).message()

    queue = await (await world.mod.slash("mod queue")).message()
    assert queue.embed["title"].startswith("Held reply")
    assert "harassment (hold)" in queue.embed_fields()["Rules"]
    approved = await (await world.mod.click(queue, "Approve")).message()
    assert "Approved" in approved.content and "queue is empty" in approved.content

    def published() -> bool:
        return any(
            "t2:report:" in str(m.components)
            for c in world.emu.channels.values()
            if c.is_thread
            for m in world.emu.messages_in(c)
        )

    await until(published)
    log = [m.embeds[0]["title"] for m in mod_log(world)]
    assert any("Held reply approved" in t for t in log)


async def test_paired_timeout_waits_for_a_moderator_of_the_other_community(
    world: World, tracktwo: BotHarness
) -> None:
    await configure(world, tracktwo)
    services = tracktwo.bot.services
    arm, aze = await services.communities.all(world.guild.id)
    await services.communities.assign(world.guild.id, world.mod.id, arm.id)
    await services.communities.assign(world.guild.id, world.admin.id, aze.id)
    await (await world.admin.slash("mod settings", paired=True)).message()

    proposed = await (
        await world.mod.slash("mod timeout", member=world.bob, duration="2h", reason="threat")
    ).message()
    assert "second" in proposed.content or "another community" in proposed.content
    await asyncio.sleep(0.1)
    assert not world.bob.timed_out

    def notice() -> Any:
        return mod_notice(world, "Waiting for a second")

    await until(lambda: notice() is not None)
    form = await (await world.mod.click(notice(), "Confirm")).modal()
    own = await (await world.mod.submit(form, {"Reason": ""})).message()
    assert "You proposed" in own.content and not world.bob.timed_out
    form = await (await world.admin.click(notice(), "Confirm")).modal()
    await (await world.admin.submit(form, {"Reason": "Agreed: threats."})).message()
    await until(lambda: world.bob.timed_out)
    log = [m.embeds[0] for m in mod_log(world)]
    assert any("Timeout" in e["title"] and "confirmed by" in str(e) for e in log)
    assert any("Agreed: threats." in str(e) for e in log)


async def test_case_history_reason_untimeout_pardon_and_reveal(
    world: World, tracktwo: BotHarness
) -> None:
    """The case log as moderators work it: look a case up, correct its reason (the old one is
    kept), read a member's history, lift a timeout, pardon a warning, reveal an author."""
    await configure(world, tracktwo)
    reply = await published_reply(world, tracktwo)  # Ani's, pseudonymous
    await (await world.mod.slash("mod warn", member=world.bob, reason="insults")).message()
    case = await (await world.mod.slash("mod case", number=1)).message()
    assert case.ephemeral and "Warning" in case.embed["title"]
    edited = await (
        await world.mod.slash("mod reason", case=1, text="insults in round 1")
    ).message()
    assert "insults in round 1" in edited.content
    case = await (await world.mod.slash("mod case", number=1)).message()
    assert "insults" in case.embed_fields()["Earlier reasons"]

    await (
        await world.mod.slash("mod timeout", member=world.bob, duration="1h", reason="heated")
    ).message()
    await until(lambda: world.bob.timed_out)
    lifted = await (
        await world.mod.slash("mod untimeout", member=world.bob, reason="calmer")
    ).message()
    assert lifted.ephemeral
    await until(lambda: not world.bob.timed_out)
    pardoned = await (await world.mod.slash("mod pardon", case=1, reason="apologised")).message()
    assert pardoned.ephemeral
    history = await (await world.mod.slash("mod history", member=world.bob)).message()
    text = str(history.embed)
    assert "Warning" in text and "Timeout" in text

    reply_id = int(reply.embed["footer"]["text"].split("reply ")[1].split(" ")[0])
    revealed = await (
        await world.mod.slash("mod reveal", reply=reply_id, reason="threat reported to us")
    ).message()
    assert revealed.ephemeral and str(world.ani.id) in revealed.content
    await until(lambda: any("Author revealed" in m.embeds[0]["title"] for m in mod_log(world)))
    # the public reply still names no one
    assert reply.embed["author"]["name"] == "Participant 1 · Armenian"


async def appealed_warning(world: World, tracktwo: BotHarness) -> Any:
    """Maria warns Bob (case 1), Bob appeals; returns the appeal's notice in the mod channel."""
    await configure(world, tracktwo)
    await (await world.mod.slash("mod warn", member=world.bob, reason="insults")).message()
    await (await world.bob.slash("appeal", case=1, reason="I was quoting")).message()
    await until(lambda: mod_notice(world, "Appeal") is not None)
    return mod_notice(world, "Appeal")


async def test_two_moderators_with_the_same_decision_form_open(
    world: World, tracktwo: BotHarness
) -> None:
    """Both open the Uphold form; the first to submit decides, the second is told who did."""
    notice = await appealed_warning(world, tracktwo)
    first = await (await world.admin.click(notice, "Sanction stands")).modal()
    second = await (await world.owner.click(notice, "Sanction stands")).modal()
    decided = await (await world.owner.submit(second, {"Reason": "It stands."})).message()
    assert "decided: the sanction stands" in decided.content.lower()
    late = await (await world.admin.submit(first, {"Reason": "Me too."})).message()
    assert late.ephemeral and f"<@{world.owner.id}> already upheld" in late.content
    count = await tracktwo.bot.services.db.fetchval("SELECT COUNT(*) FROM cases")
    assert count == 2


async def test_decision_forms_refuse_members_and_former_moderators(
    world: World, tracktwo: BotHarness
) -> None:
    """The submission is checked, not only the button: a member sending a moderator's form,
    and a moderator who lost the role while the form was open, are refused."""
    notice = await appealed_warning(world, tracktwo)
    form = await (await world.admin.click(notice, "Lift the sanction")).modal()
    refused = await (await world.alice.submit(form, {"Reason": "let him off"})).message()
    assert refused.ephemeral and "Only moderators" in refused.content

    temp = await world.emu.add_member(world.guild, "tamar", roles=[world.moderator_role])
    form = await (await temp.click(notice, "Lift the sanction")).modal()
    await world.emu.set_roles(world.guild, temp.member, [])
    refused = await (await temp.submit(form, {"Reason": "let him off"})).message()
    assert refused.ephemeral and "Only moderators" in refused.content

    assert await tracktwo.bot.services.db.fetchval("SELECT COUNT(*) FROM cases") == 1
    # the same form still decides for a moderator
    done = await (await world.admin.submit(form, {"Reason": "He was quoting."})).message()
    assert "the sanction is lifted" in done.content.lower()


async def test_a_decision_form_open_across_a_restart_still_decides(
    world: World, tracktwo: BotHarness
) -> None:
    notice = await appealed_warning(world, tracktwo)
    form = await (await world.admin.click(notice, "Lift the sanction")).modal()
    await tracktwo.restart()
    done = await (await world.admin.submit(form, {"Reason": "He was quoting."})).message()
    assert "the sanction is lifted" in done.content.lower()
    dm = await world.bob.wait_for_dm(lambda m: "accepted" in m.content, timeout=5)
    assert "He was quoting." in dm.content
