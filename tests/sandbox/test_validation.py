"""Every limit the emulator enforces answers with Discord's error code and shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sandbox import state as st
from sandbox.emulator import Emulator
from sandbox.world import World
from tests.sandbox.conftest import Api

BUTTON = {"type": 2, "style": 1, "label": "Go", "custom_id": "go"}


def row(*items: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(items)}


def button(i: int, **extra: Any) -> dict[str, Any]:
    return {"type": 2, "style": 1, "label": f"b{i}", "custom_id": f"b{i}", **extra}


def select(n: int) -> dict[str, Any]:
    options = [{"label": f"o{i}", "value": f"v{i}"} for i in range(n)]
    return {"type": 3, "custom_id": "pick", "options": options}


def error_codes(body: dict[str, Any]) -> list[str]:
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "_errors":
                    found.extend(e["code"] for e in value)
                else:
                    walk(value)

    walk(body.get("errors", {}))
    return found


def embed_fields(n: int, **field: Any) -> dict[str, Any]:
    return {"fields": [{"name": "n", "value": "v", **field} for _ in range(n)]}


BAD_MESSAGES = {
    "content over 2000": ({"content": "x" * 2001}, ["content"]),
    "eleven embeds": ({"embeds": [{"title": "t"}] * 11}, ["embeds"]),
    "embed title over 256": ({"embeds": [{"title": "x" * 257}]}, ["embeds", "0", "title"]),
    "embed description over 4096": (
        {"embeds": [{"description": "x" * 4097}]},
        ["embeds", "0", "description"],
    ),
    "26 embed fields": ({"embeds": [embed_fields(26)]}, ["embeds", "0", "fields"]),
    "field name over 256": (
        {"embeds": [embed_fields(1, name="x" * 257)]},
        ["embeds", "0", "fields", "0", "name"],
    ),
    "field value over 1024": (
        {"embeds": [embed_fields(1, value="x" * 1025)]},
        ["embeds", "0", "fields", "0", "value"],
    ),
    "embeds over 6000 in total": (
        {"embeds": [{"description": "x" * 4000}, {"description": "y" * 2001}]},
        ["embeds"],
    ),
    "six action rows": ({"components": [row(button(i)) for i in range(6)]}, ["components"]),
    "six buttons in a row": (
        {"components": [row(*(button(i) for i in range(6)))]},
        ["components", "0", "components"],
    ),
    "empty action row": ({"content": "x", "components": [row()]}, ["components", "0"]),
    "select beside a button": (
        {"components": [row(select(2), button(1))]},
        ["components", "0", "components"],
    ),
    "custom_id over 100": (
        {"components": [row(button(1, custom_id="x" * 101))]},
        ["components", "0", "components", "0", "custom_id"],
    ),
    "empty custom_id": (
        {"components": [row(button(1, custom_id=""))]},
        ["components", "0", "components", "0", "custom_id"],
    ),
    "duplicate custom_id": (
        {"components": [row(button(1)), row(button(1))]},
        ["components", "1", "components", "0", "custom_id"],
    ),
    "button label over 80": (
        {"components": [row(button(1, label="x" * 81))]},
        ["components", "0", "components", "0", "label"],
    ),
    "link button without url": (
        {"components": [row({"type": 2, "style": 5, "label": "Docs"})]},
        ["components", "0", "components", "0", "url"],
    ),
    "link button with custom_id": (
        {
            "components": [
                row({"type": 2, "style": 5, "label": "D", "url": "https://x.org", "custom_id": "c"})
            ]
        },
        ["components", "0", "components", "0", "custom_id"],
    ),
    "select without options": ({"components": [row(select(0))]}, ["components", "0"]),
    "select with 26 options": ({"components": [row(select(26))]}, ["components", "0"]),
    "unknown allowed_mentions parse": (
        {"content": "hi", "allowed_mentions": {"parse": ["people"]}},
        ["allowed_mentions"],
    ),
    "parse users together with a users list": (
        {"content": "hi", "allowed_mentions": {"parse": ["users"], "users": ["1"]}},
        ["allowed_mentions"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_MESSAGES))
async def test_bad_message_is_invalid_form_body(world: World, api: Api, case: str) -> None:
    payload, path = BAD_MESSAGES[case]
    status, body = await api("POST", f"/channels/{world.dialogue.id}/messages", payload)
    assert status == 400, body
    assert body["code"] == 50035 and body["message"] == "Invalid Form Body"
    node = body["errors"]
    for part in path:
        node = node[part]
    assert error_codes(body), body


async def test_limits_themselves_are_accepted(world: World, api: Api) -> None:
    payload = {
        "content": "x" * 2000,
        "embeds": [{"title": "t" * 256, "description": "d" * 1000}] * 2,
        "components": [row(*(button(i + 5 * r) for i in range(5))) for r in range(4)]
        + [row(select(25))],
    }
    status, body = await api("POST", f"/channels/{world.dialogue.id}/messages", payload)
    assert status == 200, body


async def test_empty_message_is_50006(world: World, api: Api) -> None:
    status, body = await api("POST", f"/channels/{world.dialogue.id}/messages", {"content": ""})
    assert (status, body["code"]) == (400, 50006)


async def test_responses_are_exactly_application_json(world: World, api: Api) -> None:
    await api("GET", "/users/@me")
    assert api.last_headers["Content-Type"] == "application/json"
    await api("POST", f"/channels/{world.dialogue.id}/messages", {"content": ""})
    assert api.last_headers["Content-Type"] == "application/json"


async def test_unknown_channel_and_message(world: World, api: Api) -> None:
    status, body = await api("POST", "/channels/123/messages", {"content": "x"})
    assert (status, body["code"]) == (404, 10003)
    status, body = await api("GET", f"/channels/{world.dialogue.id}/messages/42")
    assert (status, body["code"]) == (404, 10008)


async def test_missing_permission_is_50013(emu: Emulator, world: World, api: Api) -> None:
    world.general.overwrites.append(st.Overwrite(emu.bot_user.id, 1, deny=st.SEND_MESSAGES))
    status, body = await api("POST", f"/channels/{world.general.id}/messages", {"content": "x"})
    assert (status, body["code"]) == (403, 50013)


async def test_closed_dms_are_50007(world: World, api: Api) -> None:
    world.bob.close_dms()
    status, dm = await api("POST", "/users/@me/channels", {"recipient_id": world.bob.id})
    assert status == 200
    status, body = await api("POST", f"/channels/{dm['id']}/messages", {"content": "hi"})
    assert (status, body["code"]) == (403, 50007)
    status, dm = await api("POST", "/users/@me/channels", {"recipient_id": str(world.alice.id)})
    status, body = await api("POST", f"/channels/{dm['id']}/messages", {"content": "hi"})
    assert status == 200
    assert [m.content for m in world.alice.dms] == ["hi"]


# -- threads ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "ok", "auto_archive_duration": 30}, "auto_archive_duration"),
    ],
)
async def test_bad_thread_is_rejected(
    world: World, api: Api, payload: dict[str, Any], field: str
) -> None:
    msg = await world.alice.send(world.dialogue, "start")
    status, body = await api(
        "POST", f"/channels/{world.dialogue.id}/messages/{msg.id}/threads", payload
    )
    assert (status, body["code"]) == (400, 50035)
    assert field in body["errors"]


async def test_thread_lifecycle(emu: Emulator, world: World, api: Api) -> None:
    msg = await world.alice.send(world.dialogue, "start")
    status, thread = await api(
        "POST",
        f"/channels/{world.dialogue.id}/messages/{msg.id}/threads",
        {"name": "Round 1", "auto_archive_duration": 1440},
    )
    assert status == 201 and thread["id"] == str(msg.id)
    channel = emu.channels[int(thread["id"])]
    status, _ = await api("PATCH", f"/channels/{channel.id}", {"archived": True, "locked": True})
    assert status == 200 and channel.archived and channel.locked
    status, body = await api(
        "POST", f"/channels/{world.dialogue.id}/messages/{msg.id}/threads", {"name": "again"}
    )
    assert body["code"] == 160004


# -- members ----------------------------------------------------------------------------------


def in_days(days: float) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).isoformat()


async def test_timeout_limits(world: World, api: Api) -> None:
    guild = world.guild.id
    path = f"/guilds/{guild}/members/{world.alice.id}"
    status, body = await api("PATCH", path, {"communication_disabled_until": in_days(29)})
    assert (status, body["code"]) == (400, 50035)
    assert "communication_disabled_until" in body["errors"]
    status, _ = await api("PATCH", path, {"communication_disabled_until": in_days(1)})
    assert status == 200 and world.alice.timed_out
    for target in (world.owner, world.admin):
        status, body = await api(
            "PATCH",
            f"/guilds/{guild}/members/{target.id}",
            {"communication_disabled_until": in_days(1)},
        )
        assert (status, body["code"]) == (403, 50013)


async def test_timeout_needs_moderate_members(emu: Emulator, world: World, api: Api) -> None:
    emu.bot_role(world.guild).permissions &= ~st.MODERATE_MEMBERS
    status, body = await api(
        "PATCH",
        f"/guilds/{world.guild.id}/members/{world.alice.id}",
        {"communication_disabled_until": in_days(1)},
    )
    assert (status, body["code"]) == (403, 50013)


async def test_roles_above_the_bot_are_refused(world: World, api: Api) -> None:
    base = f"/guilds/{world.guild.id}/members/{world.alice.id}/roles"
    status, body = await api("PUT", f"{base}/{world.admin_role.id}")
    assert (status, body["code"]) == (403, 50013)
    status, _ = await api("PUT", f"{base}/{world.facilitator_role.id}", reason="made facilitator")
    assert status == 204
    assert "Facilitator" in world.alice.role_names
    assert world.alice.id and api.emu.calls("PUT /guilds/*/roles/*")[-1].audit_reason == (
        "made facilitator"
    )


# -- commands ---------------------------------------------------------------------------------


def command(**extra: Any) -> dict[str, Any]:
    return {"name": "ok", "description": "fine", "type": 1, **extra}


def option(name: str, required: bool = False) -> dict[str, Any]:
    return {"name": name, "description": "d", "type": 3, "required": required}


BAD_COMMANDS = {
    "uppercase name": [command(name="About")],
    "space in name": [command(name="two words")],
    "name over 32": [command(name="x" * 33)],
    "empty description": [command(description="")],
    "description over 100": [command(description="x" * 101)],
    "26 options": [command(options=[option(f"o{i}") for i in range(26)])],
    "required after optional": [command(options=[option("a"), option("b", required=True)])],
    "101 commands": [command(name=f"c{i}") for i in range(101)],
    "localized description over 100": [command(description_localizations={"ru": "я" * 101})],
    "empty localized description": [command(description_localizations={"ru": ""})],
    "no such locale": [command(description_localizations={"hy": "Հայերեն"})],
    "localized name with a space": [command(name_localizations={"ru": "два слова"})],
    "localized option description over 100": [
        command(options=[{**option("o"), "description_localizations": {"ru": "я" * 101}}])
    ],
    "localized choice name over 100": [
        command(
            options=[
                {
                    **option("o"),
                    "choices": [
                        {"name": "a", "value": "a", "name_localizations": {"ru": "я" * 101}}
                    ],
                }
            ]
        )
    ],
}


@pytest.mark.parametrize("case", list(BAD_COMMANDS))
async def test_bad_commands_are_refused(emu: Emulator, api: Api, case: str) -> None:
    status, body = await api(
        "PUT", f"/applications/{emu.application_id}/commands", BAD_COMMANDS[case]
    )
    assert (status, body["code"]) == (400, 50035), body
    assert not emu.commands


async def test_localized_commands_are_accepted(emu: Emulator, api: Api) -> None:
    localized = command(
        name_localizations={"ru": "о-боте"},
        description_localizations={"ru": "я" * 100, "en-GB": "fine"},
        options=[{**option("o"), "description_localizations": {"ru": "вариант"}}],
    )
    status, body = await api("PUT", f"/applications/{emu.application_id}/commands", [localized])
    assert status == 200, body
    (stored,) = emu.commands.values()
    assert stored.data["description_localizations"]["ru"] == "я" * 100


# -- interactions -----------------------------------------------------------------------------


async def register(emu: Emulator, api: Api) -> None:
    status, _ = await api(
        "PUT", f"/applications/{emu.application_id}/commands", [command(name="probe")]
    )
    assert status == 200


def text_input(**extra: Any) -> dict[str, Any]:
    return {"type": 4, "custom_id": "t", "style": 1, **extra}


BAD_MODALS = {
    "title over 45": {"title": "x" * 46},
    "no components": {"components": []},
    "six components": {
        "components": [row(text_input(label="l", custom_id=f"t{i}")) for i in range(6)]
    },
    "legacy label over 45": {"components": [row(text_input(label="x" * 46))]},
    "label component over 45": {
        "components": [{"type": 18, "label": "x" * 46, "component": text_input()}]
    },
    "placeholder over 100": {
        "components": [{"type": 18, "label": "l", "component": text_input(placeholder="x" * 101)}]
    },
    "max_length over 4000": {
        "components": [{"type": 18, "label": "l", "component": text_input(max_length=4001)}]
    },
    "min_length over 4000": {"components": [row(text_input(label="l", min_length=4001))]},
}


@pytest.mark.parametrize("case", list(BAD_MODALS))
async def test_bad_modal_is_refused(emu: Emulator, world: World, api: Api, case: str) -> None:
    await register(emu, api)
    handle = await world.alice.slash("probe")
    inter = handle.interaction
    modal = {
        "custom_id": "m",
        "title": "A form",
        "components": [{"type": 18, "label": "Name", "component": text_input()}],
        **BAD_MODALS[case],
    }
    status, body = await api(
        "POST", f"/interactions/{inter.id}/{inter.token}/callback", {"type": 9, "data": modal}
    )
    assert (status, body["code"]) == (400, 50035), body
    assert not inter.responded


async def test_one_response_per_interaction(emu: Emulator, world: World, api: Api) -> None:
    await register(emu, api)
    inter = (await world.alice.slash("probe")).interaction
    url = f"/interactions/{inter.id}/{inter.token}/callback?with_response=true"
    status, body = await api("POST", url, {"type": 4, "data": {"content": "one"}})
    assert status == 200
    assert body["interaction"]["id"] == str(inter.id)
    assert body["resource"]["message"]["content"] == "one"
    status, body = await api("POST", url, {"type": 4, "data": {"content": "two"}})
    assert (status, body["code"]) == (400, 40060)


async def test_late_or_unknown_interaction_is_10062(emu: Emulator, world: World, api: Api) -> None:
    await register(emu, api)
    emu.interaction_deadline = 0.0
    inter = (await world.alice.slash("probe")).interaction
    status, body = await api(
        "POST", f"/interactions/{inter.id}/{inter.token}/callback", {"type": 5}
    )
    assert (status, body["code"]) == (404, 10062)
    status, body = await api("POST", f"/interactions/{inter.id}/wrong/callback", {"type": 5})
    assert (status, body["code"]) == (404, 10062)


async def test_followup_token_expires(emu: Emulator, world: World, api: Api) -> None:
    await register(emu, api)
    inter = (await world.alice.slash("probe")).interaction
    await api("POST", f"/interactions/{inter.id}/{inter.token}/callback", {"type": 5})
    hook = f"/webhooks/{emu.application_id}/{inter.token}"
    status, msg = await api("POST", hook + "?wait=true", {"content": "done"})
    assert status == 200 and msg["content"] == "done" and not msg["flags"] & st.LOADING
    emu.followup_ttl = 0.0
    status, body = await api("PATCH", hook + "/messages/@original", {"content": "late"})
    assert (status, body["code"]) == (401, 50027)


async def test_rate_limit_has_discord_headers(world: World, api: Api) -> None:
    api.emu.rate_limit_next("POST /channels/*/messages", retry_after=0.25, is_global=True)
    status, body = await api("POST", f"/channels/{world.dialogue.id}/messages", {"content": "x"})
    assert status == 429
    assert body == {"message": "You are being rate limited.", "retry_after": 0.25, "global": True}
    headers = api.last_headers
    assert headers["Via"] and headers["Retry-After"] and headers["X-RateLimit-Global"] == "true"
    assert headers["X-RateLimit-Remaining"] == "0"
    status, _ = await api("POST", f"/channels/{world.dialogue.id}/messages", {"content": "x"})
    assert status == 200


async def test_fault_injection_fails_the_next_calls(world: World, api: Api) -> None:
    api.emu.fail_next("POST /channels/*/messages", 503, times=2)
    path = f"/channels/{world.dialogue.id}/messages"
    statuses = [(await api("POST", path, {"content": "x"}))[0] for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert [str(c).split()[-1] for c in api.emu.calls("POST /channels/*/messages")] == [
        "503",
        "503",
        "200",
    ]


async def test_enforce_nonce_returns_the_first_message(world: World, api: Api) -> None:
    path = f"/channels/{world.dialogue.id}/messages"
    payload = {"content": "once", "nonce": "t2r1", "enforce_nonce": True}
    status, first = await api("POST", path, payload)
    assert status == 200
    status, again = await api("POST", path, payload)
    assert status == 200 and again["id"] == first["id"]
    _, other = await api("POST", path, {**payload, "nonce": "t2r2"})
    assert other["id"] != first["id"]
    _, plain = await api("POST", path, {"content": "once", "nonce": "t2r1"})
    assert plain["id"] != first["id"]  # without enforce_nonce a nonce deduplicates nothing
