from __future__ import annotations

from typing import Any

from cogs._payloads import APPLICATION_COMMAND, AUTOCOMPLETE, COMPONENT, MODAL_SUBMIT, forged


def command(*options: dict[str, Any], resolved: dict[str, Any] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "mod",
        "type": 1,
        "options": [{"name": "case", "type": 1, "options": list(options)}],
    }
    if resolved is not None:
        data["resolved"] = resolved
    return {"type": APPLICATION_COMMAND, "data": data}


def test_real_payloads_pass() -> None:
    assert forged(command({"name": "number", "type": 4, "value": 12})) is None
    role = {"roles": {"42": {"id": "42"}}}
    assert forged(command({"name": "r", "type": 8, "value": "42"}, resolved=role)) is None
    assert forged({"type": COMPONENT, "data": {"custom_id": "t2:reply:new:17"}}) is None
    partial = {"name": "n", "type": 4, "value": "9" * 30, "focused": True}
    assert forged({"type": AUTOCOMPLETE, "data": {"options": [partial]}}) is None


def test_forged_values_are_named() -> None:
    assert forged(command({"name": "n", "type": 4, "value": 2**64})) is not None
    assert forged(command({"name": "n", "type": 4, "value": "1"})) is not None
    assert forged(command({"name": "x", "type": 10, "value": float("inf")})) is not None
    assert forged(command({"name": "r", "type": 8, "value": "42"})) is not None  # unresolved
    assert forged(command({"name": "u", "type": 6, "value": "9" * 25}, resolved={})) is not None
    huge = "t2:endorse:" + "9" * 40 + ":resonates"
    assert forged({"type": COMPONENT, "data": {"custom_id": huge}}) is not None
    assert forged({"type": MODAL_SUBMIT, "data": {"custom_id": "t2:reply:new:" + "1" * 20}})
    target = {"name": "Report", "type": 3, "target_id": "5", "resolved": {}}
    assert forged({"type": APPLICATION_COMMAND, "data": target}) is not None
