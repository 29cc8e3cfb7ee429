"""Stores return models and aware UTC datetimes, never driver rows or timestamp text, on both
engines. Every service test checks this on every store call (the autouse ``store_returns``
fixture, tests/service/store_checks.py); these tests check the checker, and drive one round
trip through every feature whose tables have time columns."""

from __future__ import annotations

import dataclasses
import inspect
import sqlite3
from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.dialogue.models import EndorsementKind, Pause
from bot.dialogue.replies import RawReply
from bot.services import Services
from bot.storage.communities import CommunityStore
from bot.storage.engine import db_time, record, to_datetime
from bot.storage.replies import ReplyStore
from bot.storage.safety import SafetyStore
from tests.service.store_checks import instrument, problems, store_classes

from .conftest import GUILD

ARM_ROLE, AZE_ROLE = 501, 502
ANI, BABEK, MOD = 1001, 1002, 1009
TEXT = "This excerpt reminds me of my grandmother's stories about her neighbours."


def aware_utc(value: object) -> bool:
    return isinstance(value, datetime) and value.utcoffset() == timedelta(0)


def test_the_checker_finds_text_naive_and_rows() -> None:
    now = datetime.now(UTC)
    good = Pause(1, GUILD, None, "why", MOD, now)
    assert list(problems(good)) == []
    assert list(problems({"created_at": now, "text": "2026-12-01T10:00:00.000Z"})) == []
    as_text = dataclasses.replace(good, paused_at="2026-12-01T10:00:00.000Z")  # type: ignore[arg-type]
    assert [p for p in problems([as_text]) if "paused_at" in p]
    naive = dataclasses.replace(good, resumed_at=datetime(2026, 12, 1, 10))
    assert [p for p in problems(naive) if "resumed_at" in p and "UTC" in p]
    elsewhere = datetime(2026, 12, 1, 10, tzinfo=timezone(timedelta(hours=4)))
    assert list(problems((1, elsewhere)))
    assert list(problems({"joined_at": "2026-12-01T10:00:00.000Z"}))
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    row = conn.execute("SELECT 1 AS id").fetchone()
    assert [p for p in problems([row]) if "driver row" in p]


def test_every_store_is_checked() -> None:
    classes = {c.__name__ for c in store_classes()}
    assert {"PauseStore", "RoundStore", "SafetyStore", "CommunityStore", "ReplyStore"} <= classes
    assert {"CaseStore", "NoticeStore", "QueueStore", "CivilityStore"} <= classes
    # the autouse fixture has wrapped every public coroutine method of every store
    public = [
        (cls, name)
        for cls in store_classes()
        for name, member in vars(cls).items()
        if not name.startswith("_") and inspect.iscoroutinefunction(member)
    ]
    assert len(public) >= 60
    assert all(getattr(getattr(cls, name), "__store_checked__", False) for cls, name in public)
    assert instrument(lambda *_: None, []) == 0  # nothing left unwrapped, nothing wrapped twice


def test_one_conversion_point_reads_both_engines_forms() -> None:
    expected = datetime(2026, 12, 1, 18, 45, 0, 123000, tzinfo=UTC)
    for stored in (
        "2026-12-01T18:45:00.123Z",  # strftime on both engines
        "2026-12-01T18:45:00.123+00:00",  # isoformat()
        "2026-12-01 18:45:00.123",  # no offset: UTC
        datetime(2026, 12, 1, 22, 45, 0, 123000, tzinfo=timezone(timedelta(hours=4))),
        datetime(2026, 12, 1, 18, 45, 0, 123000),  # a driver's naive timestamp
    ):
        assert to_datetime(stored) == expected and aware_utc(to_datetime(stored))
    assert db_time(expected) == "2026-12-01T18:45:00.123Z"
    with pytest.raises(ValueError):
        to_datetime("yesterday")


async def test_a_round_trip_returns_datetimes_on_both_engines(services: Services) -> None:
    db = services.db
    start = datetime.now(UTC) - timedelta(minutes=1)
    await services.guild_config.set_dialogue_channel(GUILD, 900)
    arm = await services.communities.add(GUILD, "Armenian", ARM_ROLE)
    await services.communities.add(GUILD, "Azerbaijani", AZE_ROLE)
    await services.guild_config.set_verification(GUILD, True)
    joined = await services.communities.join(GUILD, ANI, frozenset(), arm.id)
    assert joined.request_id is not None
    request = await CommunityStore(db).request(joined.request_id)
    assert request is not None and aware_utc(request.created_at) and request.decided_at is None
    await services.communities.decide(GUILD, joined.request_id, True, MOD)
    decided = await CommunityStore(db).request(joined.request_id)
    assert decided is not None and aware_utc(decided.decided_at)
    assert decided.decided_at >= start  # type: ignore[operator]
    await services.guild_config.set_verification(GUILD, False)
    await services.communities.join(GUILD, BABEK, frozenset(), arm.id + 1)

    round_, _ = await services.rounds.prepare(GUILD, None)
    round_ = await services.rounds.attach(round_, 7001, 8001)
    ani = await services.replies.submit(round_.id, ANI, frozenset(), "Ani", RawReply(TEXT))
    babek = await services.replies.submit(round_.id, BABEK, frozenset(), "Babek", RawReply(TEXT))
    for item in await services.replies.due_outbox():
        await services.replies.published(item, 9_000_000 + (item.reply_id or 0))
    await services.replies.edit(ani.reply.id, ANI, RawReply(TEXT + " And mine."))
    await services.replies.endorse(babek.reply.id, ANI, frozenset(), EndorsementKind.LEARNED)
    (edit,) = await services.replies.edits(ani.reply.id)
    assert aware_utc(edit["edited_at"]) and edit["edited_at"] >= start
    due = await services.replies.next_outbox_due()
    assert due is None or aware_utc(due)
    voter = services.pseudonyms.voter_key(GUILD, round_.id, ANI)
    (given,) = await ReplyStore(db).endorsements_by_voter_keys([voter])
    assert aware_utc(given["created_at"])

    paused = await services.pauses.pause(GUILD, round_, MOD, "a hard day")
    assert aware_utc(paused.pause.paused_at) and paused.pause.paused_at >= start
    resumed = await services.pauses.resume(GUILD, round_, MOD)
    assert aware_utc(resumed.pause.resumed_at)
    (logged,) = await services.pauses.log(GUILD)
    assert logged.paused_at == paused.pause.paused_at and logged.round_number == round_.number

    set_at = datetime(2026, 12, 1, 10, 7, tzinfo=UTC)
    made = await services.rounds.set_schedule(GUILD, 24, "18:30", now=set_at)
    stored = await services.rounds.schedule(GUILD)
    assert stored is not None and stored.next_run_at == made.next_run_at
    assert aware_utc(stored.next_run_at)
    assert await services.rounds.claim_run(stored, stored.next_run_at) is not None
    assert await services.rounds.claim_run(stored, stored.next_run_at) is None  # claimed once

    term = await services.civility.add_term(GUILD, "blockhead", "profanity", MOD)
    assert aware_utc(term.created_at)
    (listed,) = await services.civility.list_terms(GUILD)
    assert listed.created_at == term.created_at

    exported = await services.safety.mydata.export(GUILD, ANI)
    safety = SafetyStore(db)
    membership = await safety.membership(GUILD, ANI)
    assert membership is not None and aware_utc(membership["joined_at"])
    for row in await safety.join_requests(GUILD, ANI):
        assert aware_utc(row["created_at"]) and aware_utc(row["decided_at"])
    key = services.safety.mydata._request_key(GUILD, ANI)
    last = await safety.last_request(key, "export")
    assert aware_utc(last) and last >= start  # type: ignore[operator]
    # the document keeps times as ISO text, made from those datetimes
    assert to_datetime(exported["community"]["joined_at"]) == membership["joined_at"]
    (reply,) = exported["replies"]
    assert to_datetime(reply["created_at"]) >= start
    assert to_datetime(reply["edit_history"][0]["edited_at"]) == edit["edited_at"]
    assert exported["data_requests"]["export"] is None  # recorded after this export

    await services.safety.retention.purge()
    purged = await safety.last_purge_at()
    assert aware_utc(purged)
    assert (await services.safety.retention.seconds_until_due()) > 0


async def test_record_converts_time_columns_of_a_driver_row(services: Services) -> None:
    row = await services.db.fetchone(
        "SELECT 1 AS id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS created_at, "
        "NULL AS decided_at, 'x' AS status"
    )
    value = record(row)
    assert type(value) is dict and aware_utc(value["created_at"])
    assert value["decided_at"] is None and value["status"] == "x"
