"""``/mydata delete`` is one transaction, on both engines: the stores' writes join the
service's transaction (their optional ``conn``), so a failure anywhere in the middle leaves
every table exactly as it was, and the member can simply try again."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bot.dialogue.models import EndorsementKind
from bot.services import Services
from bot.storage import Database, Storage, migrate
from bot.storage.communities import CommunityStore
from bot.storage.database import NestedWrite
from bot.storage.engine import TxConnection
from bot.storage.languages import LanguageStore
from bot.storage.moderation.cases import CaseStore
from bot.storage.safety import SafetyStore
from tests.service.conftest import GUILD, table_names
from tests.service.moderation.helpers import (
    ANI,
    BABEK,
    MOD_A,
    configured,
    member,
    mod,
    published,
)


class Injected(RuntimeError):
    """The failure the test injects midway through the deletion."""


async def snapshot(db: Storage) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    return {
        table: sorted(
            (tuple(r) for r in await db.fetchall(f"SELECT * FROM {table}")),
            key=repr,
        )
        for table in await table_names(db)
    }


async def a_member_with_everything(services: Services) -> int:
    """Ani: a published reply and one still pending, an endorsement given, a reply skipped
    while reading, a community, a chosen language, and a warning (a case and its notice)."""
    round_id = await configured(services)
    babek_reply = await published(services, round_id, author=BABEK)
    await published(services, round_id, author=ANI)
    await services.replies.endorse(babek_reply, ANI, frozenset(), EndorsementKind.RESONATES)
    round_ = await services.rounds.get(round_id)
    await services.bridging.skip(round_, ANI, babek_reply)
    await services.languages.choose(GUILD, ANI, "hy")
    await services.moderation.warn(mod(MOD_A), member(ANI), "name-calling")
    return round_id


async def count(db: Storage, sql: str, *params: Any) -> int:
    return int(await db.fetchval(sql, params))


# Each store call of the deletion, made to fail right after its own writes went through.
FAILING = [
    (SafetyStore, "erase_member"),
    (CommunityStore, "clear_membership"),
    (CaseStore, "forget_member"),
    (LanguageStore, "delete"),
    (SafetyStore, "record_request"),
]


@pytest.mark.parametrize(
    ("store", "method"), FAILING, ids=[f"{c.__name__}.{m}" for c, m in FAILING]
)
async def test_a_failure_midway_rolls_every_write_back(
    services: Services, monkeypatch: pytest.MonkeyPatch, store: type, method: str
) -> None:
    await a_member_with_everything(services)
    db = services.db
    assert await count(db, "SELECT COUNT(*) FROM cases WHERE target_id = ?", ANI) == 1
    assert await count(db, "SELECT COUNT(*) FROM bridging_skips") == 1
    assert await count(db, "SELECT COUNT(*) FROM pending_notices WHERE user_id = ?", ANI) >= 1
    assert await services.languages.preference(GUILD, ANI) == "hy"
    before = await snapshot(db)

    original = getattr(store, method)
    wrote: list[str] = []

    async def fail_after_writing(
        self: Any, *args: Any, conn: TxConnection | None = None, **kw: Any
    ) -> Any:
        assert conn is not None, f"{store.__name__}.{method} was not given the transaction"
        await original(self, *args, conn=conn, **kw)
        wrote.append(method)
        raise Injected(f"{store.__name__}.{method} failed")

    monkeypatch.setattr(store, method, fail_after_writing)
    with pytest.raises(Injected):
        await services.safety.mydata.delete(GUILD, ANI)
    assert wrote == [method]  # its writes (and those before it) ran, then it failed
    await db.flush()
    assert await snapshot(db) == before  # nothing deleted, nothing changed
    assert await services.communities.of_member(GUILD, ANI, frozenset()) is not None

    # the request was not recorded either: the member may try again at once, and it works
    monkeypatch.setattr(store, method, original)
    result = await services.safety.mydata.delete(GUILD, ANI)
    assert result.left_community and result.endorsements == 1 and result.cases_tombstoned == 1
    assert await count(db, "SELECT COUNT(*) FROM cases WHERE target_id = ?", ANI) == 0
    assert await count(db, "SELECT COUNT(*) FROM bridging_skips") == 0
    assert await count(db, "SELECT COUNT(*) FROM pending_notices WHERE user_id = ?", ANI) == 0
    assert await count(db, "SELECT COUNT(*) FROM endorsements") == 0
    assert await services.languages.preference(GUILD, ANI) is None
    assert await services.communities.of_member(GUILD, ANI, frozenset()) is None


async def test_the_stores_still_commit_on_their_own_without_a_transaction(
    services: Services,
) -> None:
    await a_member_with_everything(services)
    key = services.pseudonyms.member_key("language", GUILD, ANI)
    assert await LanguageStore(services.db).delete(key) is True
    assert await LanguageStore(services.db).delete(key) is False
    assert await services.languages.preference(GUILD, ANI) is None


async def test_a_write_nested_in_the_same_tasks_transaction_fails_instead_of_hanging(
    tmp_path: Path,
) -> None:
    """SQLite's write lock is not reentrant: a store that wrote through ``db.*`` inside its
    caller's transaction (instead of the ``conn`` it was given) would wait for itself."""
    async with Database(tmp_path / "nested.sqlite3") as db:
        await migrate(db)
        async with asyncio.timeout(10):
            with pytest.raises(NestedWrite, match="give the store the transaction's conn"):
                async with db.transaction() as conn:
                    await conn.execute("INSERT INTO bot_state (key, value) VALUES ('a', '1')")
                    await db.execute("INSERT INTO bot_state (key, value) VALUES ('b', '2')")
            # the outer unit rolled back, and the database goes on working
            await db.execute("INSERT INTO bot_state (key, value) VALUES ('c', '3')")
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO bot_state (key, value) VALUES ('d', '4')")
        rows = await db.fetchall("SELECT key FROM bot_state WHERE key IN ('a', 'b', 'c', 'd')")
        assert sorted(r[0] for r in rows) == ["c", "d"]
