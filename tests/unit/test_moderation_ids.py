"""The moderation custom_ids: one definition of the queue item key, read from every id."""

from __future__ import annotations

import re

import pytest

from bot.moderation.models import ItemKind, item_key
from cogs import _ids as ids


@pytest.mark.parametrize("kind", list(ItemKind))
def test_every_kind_round_trips_through_every_moderation_id(kind: ItemKind) -> None:
    key = item_key(kind, 4242)
    button = re.fullmatch(ids.MOD_BUTTON, ids.mod_button("approve", key))
    assert button is not None and button["action"] == "approve" and ids.key_of(button) == key
    select = re.fullmatch(ids.MOD_TIMEOUT, ids.mod_timeout(key))
    assert select is not None and ids.key_of(select) == key
    assert ids.parse_mod_decide(ids.mod_decide("confirm", key)) == ("confirm", key)


def test_an_old_buttons_key_reads_as_todays() -> None:
    match = re.fullmatch(ids.MOD_BUTTON, "t2:mod:remove:r:12")
    assert match is not None and ids.key_of(match) == "held:12"
    assert ids.parse_mod_decide("t2:moddecide:uphold:a:7") == ("uphold", "appeal:7")


def test_ids_that_are_not_moderation_ids_do_not_parse() -> None:
    assert ids.parse_mod_decide("t2:moddecide:approve:held:1") is None  # not a form action
    assert ids.parse_mod_decide("t2:moddecide:confirm:z:1") is None
    assert re.fullmatch(ids.MOD_BUTTON, ids.mod_timeout("held:1")) is None
    assert re.fullmatch(ids.MOD_TIMEOUT, ids.mod_button("next", "held:1")) is None
    assert re.fullmatch(ids.REPORT, ids.report_form(5)) is None
    assert re.fullmatch(ids.REPORT, ids.report(5)) is not None


def test_the_longest_ids_fit_discord() -> None:
    longest = item_key(ItemKind.REPORT, 2**63)
    for custom_id in (
        ids.mod_button("overturn", longest),
        ids.mod_timeout(longest),
        ids.mod_decide("overturn", longest),
    ):
        assert len(custom_id) <= 100
