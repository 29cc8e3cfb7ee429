"""The sandbox demo runs every step, prints what members saw, and fails loudly."""

from __future__ import annotations

import pytest

from app.startup import sandbox_bot
from sandbox import scenario
from sandbox.demo import run_demo
from sandbox.scenario import DemoContext, Step


async def test_demo_shows_about(capsys: pytest.CaptureFixture[str]) -> None:
    assert await run_demo(sandbox_bot) == 0
    out = capsys.readouterr().out
    assert "alice (Armenian) used /about" in out
    assert "(only you can see this)" in out
    assert "| Stored replies: 0" in out
    assert "all passed" in out


async def test_a_failing_step_fails_the_demo(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(ctx: DemoContext) -> None:
        await ctx.emu.wait_for_message(ctx.world.dialogue, timeout=0.05)

    monkeypatch.setattr(scenario, "STEPS", [Step(999, "a step that fails", broken)])
    assert await run_demo(sandbox_bot) == 1
    captured = capsys.readouterr()
    assert "step 'a step that fails' failed: no matching message in #dialogue" in captured.err
