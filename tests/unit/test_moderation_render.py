"""Queue items and cases stay inside Discord's embed and component limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord

from bot.civility.model import Action, Category, Verdict
from bot.moderation.casetypes import CaseType
from bot.moderation.models import (
    Case,
    History,
    ItemKind,
    QueueItem,
    Report,
    ReportCategory,
)
from cogs.moderation._render import case_embed, item_embed
from cogs.moderation._views import item_view

from .test_render import longest_reply

NOW = datetime(2026, 11, 25, tzinfo=UTC)


def case(number: int) -> Case:
    return Case(
        number,
        1,
        number,
        CaseType.TIMEOUT,
        10**18,
        False,
        10**18,
        10**18,
        "r" * 1000,
        10**12,
        10**12,
        number,
        NOW,
        NOW + timedelta(days=28),
        True,
    )


def embed_size(embed: discord.Embed) -> int:
    return len(embed)


def test_the_biggest_queue_item_fits() -> None:
    reports = tuple(
        Report(
            i, 1, 1, None, None, None, 10**18, ReportCategory.DOXXING, "x" * 500, "open", None, NOW
        )
        for i in range(40)
    )
    item = QueueItem(
        key=f"report:{10**12}",
        kind=ItemKind.REPORT,
        created_at=NOW,
        position=999,
        total=999,
        reply=longest_reply(),
        verdicts=tuple(
            Verdict("r" * 40, Category.DEHUMANIZATION, Action.HOLD, 0, 200, "m" * 200, "e" * 200)
            for _ in range(30)
        ),
        reports=reports,
        community="C" * 40,
        history=History(99, (case(1), case(2), case(3)), 4),
    )
    embed = item_embed(item, 10**18)
    assert embed_size(embed) <= 6000
    assert len(embed.fields) <= 25
    assert all(len(f.value or "") <= 1024 for f in embed.fields)
    view = item_view(item)
    ids = [c.custom_id for c in view.children if hasattr(c, "custom_id")]
    assert all(i is not None and len(i) <= 100 for i in ids)
    assert len(ids) == len(set(ids))
    assert len(view.to_components()) <= 5


def test_case_embed_fits() -> None:
    embed = case_embed(case(10**6))
    assert embed_size(embed) <= 6000
