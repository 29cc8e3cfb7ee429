"""Nothing across servers (issue 10, items 1-4, 15, 19): every custom_id the bot defines, forged
in server B with server A's objects, is refused with nothing written and nothing shown in A;
privileged autocompletes answer plain members nothing; report forms survive a restart."""

from __future__ import annotations

import hashlib
import time
from typing import Any

import discord
import pytest

from bot.dialogue.agreements import DEFAULT_VERSION
from cogs import _ids
from sandbox.emulator import Emulator
from sandbox.harness import BotHarness
from sandbox.world import World, build_world

from .test_dialogue import BRINGS_UP, TEXT, post_round, published, set_up

pytestmark = pytest.mark.e2e

MODAL_SUBMIT = 5
ELSEWHERE = "not in this server"


@pytest.fixture
async def other(emu: Emulator, world: World) -> World:
    """Server B, built before the bot starts (list it before ``tracktwo``)."""
    return await build_world(emu, "Server B")


async def fingerprint(tracktwo: BotHarness) -> str:
    """Every row of every table (the bot's own bookkeeping aside)."""
    db = tracktwo.bot.services.db
    tables = [
        r[0]
        for r in await db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        )
    ]
    digest = hashlib.sha256()
    for table in tables:
        if table in ("leases", "schema_migrations") or table.startswith("sqlite_"):
            continue
        for row in await db.fetchall(f"SELECT * FROM {table} ORDER BY rowid"):
            digest.update(repr((table, tuple(row))).encode())
    return digest.hexdigest()


def messages_of(emu: Emulator, world: World) -> list[tuple[int, str, int]]:
    """What server A's channels and threads show (content and embeds, per message)."""
    found = []
    for channel in list(emu.state.channels.values()):
        if channel.guild_id == world.guild.id:
            for m in emu.messages_in(channel, include_deleted=True):
                found.append((m.id, m.content, len(m.embeds)))
    return sorted(found)


async def forged_message(tracktwo: BotHarness, channel_id: int, custom_id: str) -> int:
    """A message in server B carrying ``custom_id`` (what a forged client would press)."""
    view = discord.ui.View(timeout=None)
    if _ids.JOIN.parse(custom_id) is not None or _ids.MODTO.parse(custom_id) is not None:
        options = ["1", "2", "3", "1h"]
        view.add_item(
            discord.ui.Select(
                custom_id=custom_id, options=[discord.SelectOption(label=o) for o in options]
            )
        )
    else:
        view.add_item(discord.ui.Button(label="forged", custom_id=custom_id))
    channel = tracktwo.bot.get_channel(channel_id)
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send("forged", view=view)
    view.stop()  # only the bot's registered (dynamic) items answer it
    return message.id


def form_components(custom_id: str) -> list[dict[str, Any]]:
    def label(inner: dict[str, Any]) -> dict[str, Any]:
        return {"type": 18, "id": 0, "component": inner}

    if _ids.REPLY.parse(custom_id) is not None or _ids.REPLY_KEYED.parse(custom_id) is not None:
        return [
            label({"type": 4, "custom_id": "brings_up", "value": TEXT}),
            label({"type": 3, "custom_id": "quote_consent", "values": ["no"]}),
        ]
    if _ids.MODDECIDE.parse(custom_id) is not None:
        return [label({"type": 4, "custom_id": "reason", "value": "forged"})]
    if _ids.INTAKE_FORM.parse(custom_id) is not None:
        return [label({"type": 4, "custom_id": "note", "value": "forged"})]
    if _ids.AGREEMENTS_FORM.parse(custom_id) is not None:
        return [label({"type": 4, "custom_id": "agreements", "value": "forged agreements text"})]
    return [
        label({"type": 3, "custom_id": "category", "values": ["hostility"]}),
        label({"type": 4, "custom_id": "reason", "value": "forged"}),
    ]


class ServerA:
    """Server A with one of each object: a round, a published reply, a report of it, a join
    request, and a community."""

    def __init__(self) -> None:
        self.round_id = self.reply_id = self.report_id = self.request_id = 0
        self.community_id = self.channel_id = self.message_id = 0
        self.carol: Any = None


async def populate(emu: Emulator, world: World, tracktwo: BotHarness) -> ServerA:
    a = ServerA()
    await set_up(world)
    prompt, thread = await post_round(world)
    modal = await (await world.ani.click(prompt, "Share your perspective")).modal()
    await (await world.ani.submit(modal, {BRINGS_UP: TEXT})).message()
    (reply,) = await published(world, thread, 1)
    report = await (await world.bob.click(reply, "Report")).modal()
    await (await world.bob.submit(report, category=["hostility"])).message()
    await (await world.admin.slash("setup community verification", state="on")).message()
    carol = await emu.add_member(world.guild, "carol")
    offer = await (await carol.slash("community join")).message()
    await (await carol.select(offer, ["1"])).message()
    a.carol = carol
    db = tracktwo.bot.services.db
    a.round_id = await db.fetchval("SELECT id FROM rounds")
    a.reply_id = await db.fetchval("SELECT id FROM replies")
    a.report_id = await db.fetchval("SELECT id FROM reports")
    a.request_id = await db.fetchval("SELECT id FROM join_requests")
    a.community_id = await db.fetchval(
        "SELECT id FROM communities WHERE guild_id = ? ORDER BY id", (world.guild.id,)
    )
    a.channel_id, a.message_id = world.dialogue.id, prompt.id
    return a


def forged_ids(a: ServerA) -> list[str]:
    """Every custom_id format the bot defines, naming server A's objects."""
    keys = [f"report:{a.report_id}", f"held:{a.reply_id}", f"p:{a.report_id}"]
    found = [
        _ids.SHARE.build(round_id=a.round_id),
        *(_ids.ENDORSE.build(kind=k, reply_id=a.reply_id) for k in _ids.ENDORSE_CODES.values()),
        *(
            _ids.DRAFT.build(action=act, reply_id=a.reply_id)
            for act in ("rephrase", "anyway", "withdraw")
        ),
        _ids.REPLY.build(mode="new", target_id=a.round_id),
        _ids.REPLY.build(mode="revise", target_id=a.reply_id),
        _ids.REPLY.build(mode="edit", target_id=a.reply_id),
        _ids.REPLY_KEYED.build(target_id=a.round_id, key="0123456789abcdef"),
        _ids.REPLY_CHANGE_KEYED.build(mode="revise", target_id=a.reply_id, key="0123456789abcdef"),
        _ids.REPLY_CHANGE_KEYED.build(mode="edit", target_id=a.reply_id, key="0123456789abcdef"),
        _ids.REPORT.build(reply_id=a.reply_id),
        _ids.JOIN.build(),
        _ids.VERIFY.build(approve=True, request_id=a.request_id),
        _ids.VERIFY.build(approve=False, request_id=a.request_id),
        _ids.MYDATA.build(confirm=False, issued=int(time.time())),
        *(
            _ids.MOD.build(action=act, key=key)
            for act in ("approve", "remove", "warn", "dismiss", "uphold", "next")
            for key in keys
        ),
        *(_ids.MODTO.build(key=key) for key in keys),
        *(
            _ids.MODDECIDE.build(action=act, key=key)
            for act in ("uphold", "overturn", "confirm")
            for key in keys
        ),
        _ids.REPORT_FORM.build(reply_id=a.reply_id),
        _ids.REPORT_MESSAGE_FORM.build(channel_id=a.channel_id, message_id=a.message_id),
        _ids.RESPOND.build(reply_id=a.reply_id),
        _ids.RESPOND_FORM.build(reply_id=a.reply_id),
        _ids.RESPOND_FORM_KEYED.build(reply_id=a.reply_id, key="0123456789abcdef"),
        _ids.SETUP_FIX.build(),
        _ids.READ.build(round_id=a.round_id),
        _ids.READ_SKIP.build(round_id=a.round_id, reply_id=a.reply_id),
        *(
            _ids.AGREE.build(then="reply", target_id=a.round_id, version=v)
            for v in ("0123456789ab", DEFAULT_VERSION)
        ),
        _ids.AGREE.build(then="respond", target_id=a.reply_id, version=DEFAULT_VERSION),
        _ids.INTAKE_NOTE.build(then="reply", target_id=a.round_id),
        _ids.INTAKE_NOTE.build(then="respond", target_id=a.reply_id),
        _ids.INTAKE_FORM.build(then="reply", target_id=a.round_id),
        _ids.INTAKE_FORM.build(then="respond", target_id=a.reply_id),
        _ids.AGREEMENTS_FORM.build(),
        # server A's round inside a circle id no server has (server A forms no circle here):
        # the guard refuses a circle it cannot find as it refuses another server's
        _ids.CIRCLE_SHARE.build(circle_id=a.round_id, round_id=a.round_id),
        _ids.CIRCLE_REPLY.build(circle_id=a.round_id, round_id=a.round_id, key="0123456789abcdef"),
    ]
    covered = {f.format for f in _ids.ALL if any(f.parse(i) is not None for i in found)}
    assert covered == {f.format for f in _ids.ALL}, "a new custom_id format is not forged here"
    return found


FORMS = (
    _ids.REPLY,
    _ids.REPLY_KEYED,
    _ids.REPLY_CHANGE_KEYED,
    _ids.MODDECIDE,
    _ids.REPORT_FORM,
    _ids.REPORT_MESSAGE_FORM,
    _ids.RESPOND_FORM,
    _ids.INTAKE_FORM,
    _ids.AGREEMENTS_FORM,
    _ids.CIRCLE_REPLY,
    _ids.RESPOND_FORM_KEYED,
)
HERE = (
    _ids.JOIN,
    _ids.MYDATA,
    _ids.SETUP_FIX,
    _ids.AGREEMENTS_FORM,  # admins only: B's moderator is refused
)  # name no object: they act in the clicker's own server


async def test_every_custom_id_forged_in_another_server_is_refused(
    emu: Emulator, world: World, other: World, tracktwo: BotHarness
) -> None:
    a = await populate(emu, world, tracktwo)
    await set_up(other)
    before_db, before_messages = await fingerprint(tracktwo), messages_of(emu, world)
    for custom_id in forged_ids(a):
        # B's moderator, so that only the server (not the role) can be what refuses
        presser = other.mod
        if any(f.parse(custom_id) is not None for f in FORMS):
            handle = await presser._interact(
                MODAL_SUBMIT,
                {"custom_id": custom_id, "components": form_components(custom_id)},
                other.dialogue,
            )
        else:
            message_id = await forged_message(tracktwo, other.dialogue.id, custom_id)
            message = emu.state.messages[message_id]
            if _ids.JOIN.parse(custom_id) is not None or _ids.MODTO.parse(custom_id) is not None:
                value = str(a.community_id) if _ids.JOIN.parse(custom_id) is not None else "1h"
                handle = await presser.select(message, [value], key=custom_id)
            else:
                handle = await presser.click(message, custom_id)
        if any(f.parse(custom_id) is not None for f in HERE):
            await handle.response(timeout=5)  # acts in B on the clicker's own things only
        else:
            answer = await handle.message(timeout=5)  # a message: no form opened, no edit
            assert answer.ephemeral and ELSEWHERE in answer.content, (custom_id, answer.content)
        assert not any(m.embeds for m in emu.messages_in(other.dialogue)), custom_id
    assert await fingerprint(tracktwo) == before_db  # nothing written
    assert messages_of(emu, world) == before_messages  # nothing shown in server A
    db = tracktwo.bot.services.db
    assert await db.fetchval("SELECT status FROM join_requests") == "pending"


async def test_a_join_request_is_decided_only_in_its_own_server(
    emu: Emulator, world: World, other: World, tracktwo: BotHarness
) -> None:
    a = await populate(emu, world, tracktwo)
    await set_up(other)
    custom_id = _ids.VERIFY.build(approve=True, request_id=a.request_id)
    message = emu.state.messages[await forged_message(tracktwo, other.mod_channel.id, custom_id)]
    refused = await (await other.mod.click(message, custom_id)).message()
    assert ELSEWHERE in refused.content
    assert "Armenian" not in a.carol.role_names
    request = await emu.wait_for_message(
        channel=world.mod_channel, check=lambda m: "Join request" in m.content
    )
    done = await (await world.mod.click(request, "Approve")).response()
    assert done is not None
    assert await tracktwo.bot.services.db.fetchval("SELECT status FROM join_requests") == (
        "approved"
    )
    assert "Armenian" in a.carol.role_names


async def test_join_buttons_refuse_a_plain_member_in_their_language(
    emu: Emulator, world: World, tracktwo: BotHarness
) -> None:
    await populate(emu, world, tracktwo)
    request = await emu.wait_for_message(
        channel=world.mod_channel, check=lambda m: "Join request" in m.content
    )
    refused = await (await world.alice.click(request, "Approve")).message()
    assert refused.ephemeral and refused.content == (
        "Only moderators can do that here, so nothing was done."
    )
    world.bob.locale = "ru"
    russian = await (await world.bob.click(request, "Deny")).message()
    assert "только модераторы" in russian.content and "Something went wrong" not in russian.content
    assert await tracktwo.bot.services.db.fetchval("SELECT status FROM join_requests") == (
        "pending"
    )


async def test_privileged_autocomplete_answers_plain_members_nothing(
    emu: Emulator, world: World, other: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    await set_up(other)
    greek = await emu.create_role(world.guild, "Greek", position=1)
    added = await (
        await world.admin.slash("setup community add", name="Greek", role=greek)
    ).message()
    assert "Greek" in added.content
    asks = [
        ("prompt post", "excerpt", "facilitator"),
        ("prompt use", "pack", "facilitator"),
        ("community set", "community", "mod"),
        ("setup community remove", "name", "admin"),
    ]
    for path, option, privileged in asks:
        assert await world.bob.autocomplete(path, option) == [], path
        allowed = await getattr(world, privileged).autocomplete(path, option)
        assert allowed, path
        # B's privileged members never see A's objects
        names_b = {c["name"] for c in await getattr(other, privileged).autocomplete(path, option)}
        assert "Greek" not in names_b
    names = {c["name"] for c in await world.mod.autocomplete("community set", "community")}
    assert "Greek" in names


async def test_a_report_form_open_across_a_restart_is_answered(
    emu: Emulator, world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    modal = await (await world.ani.click(prompt, "Share your perspective")).modal()
    await (await world.ani.submit(modal, {BRINGS_UP: TEXT})).message()
    (reply,) = await published(world, thread, 1)
    first = await (await world.bob.click(reply, "Report")).modal()
    second = await (await world.babek.click(reply, "Report")).modal()
    await tracktwo.restart()
    done = await (await world.bob.submit(first, category=["hostility"], reason="x")).message()
    assert done.ephemeral and "moderators" in done.content
    also = await (await world.babek.submit(second, category=["hostility"])).message()
    assert also.ephemeral and "moderators" in also.content
    reporters = await tracktwo.bot.services.db.fetchall(
        "SELECT reporter_id FROM reports ORDER BY reporter_id"
    )
    assert sorted(r[0] for r in reporters) == sorted([world.bob.id, world.babek.id])


async def test_two_members_report_one_reply_at_the_same_time(
    emu: Emulator, world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    modal = await (await world.ani.click(prompt, "Share your perspective")).modal()
    await (await world.ani.submit(modal, {BRINGS_UP: TEXT})).message()
    (reply,) = await published(world, thread, 1)
    first = await (await world.bob.click(reply, "Report")).modal()
    second = await (await world.babek.click(reply, "Report")).modal()  # the same custom_id
    one = await world.bob.submit(first, category=["hostility"])
    two = await world.babek.submit(second, category=["spam"])
    assert "moderators" in (await one.message()).content
    assert "moderators" in (await two.message()).content
    count = await tracktwo.bot.services.db.fetchval("SELECT COUNT(*) FROM reports")
    assert count == 2


async def test_a_message_report_form_survives_a_restart(
    emu: Emulator, world: World, tracktwo: BotHarness
) -> None:
    # posted before /setup dialogue-channel makes the channel read-only for members
    said = await world.bob.send(world.dialogue, "a message someone finds hostile")
    await set_up(world)
    modal = await (await world.alice.message_command("Report to moderators", said)).modal()
    await tracktwo.restart()
    done = await (await world.alice.submit(modal, category=["hostility"])).message()
    assert done.ephemeral and "moderators" in done.content
    rows = await tracktwo.bot.services.db.fetchall("SELECT message_id, author_id FROM reports")
    assert [tuple(r) for r in rows] == [(said.id, world.bob.id)]
