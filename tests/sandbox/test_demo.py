"""The sandbox demo runs every step, prints what members saw, and fails loudly; its transcript
is the same on every run (timestamps and ids aside), and a kept database can be run again."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from app.startup import sandbox_bot
from sandbox import scenario
from sandbox.demo import run_demo
from sandbox.scenario import DemoContext, Step
from sandbox.transcript import render_markdown


def masked(transcript: str) -> str:
    """The transcript without what differs by nature between runs: times, ids, durations,
    the temporary folder, the gateway's latency."""
    text = re.sub(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?( UTC)?", "<time>", transcript)
    text = re.sub(r"\d{15,}", "<id>", text)
    text = re.sub(r"(Uptime|Gateway latency): .*", r"\1: <n>", text)
    text = re.sub(r"in \d+\.\d+ s", "in <n> s", text)
    return re.sub(r"written to \S+/", "written to <folder>/", text)


async def demo(capsys: pytest.CaptureFixture[str], database: Path | None = None) -> str:
    started = time.perf_counter()
    assert await run_demo(sandbox_bot, database) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    with capsys.disabled():  # shown with -s: how long one run takes
        print(f"demo run: {time.perf_counter() - started:.1f} s")
    return out


async def test_three_runs_print_the_same_transcript(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Each step's effects under that step, in the same order every run; then the same
    database once more (SANDBOX_DATABASE=path run twice): it passes, and /about counts only
    the new run's server."""
    kept = tmp_path / "kept.sqlite3"
    first = await demo(capsys, kept)
    second, third = await demo(capsys), await demo(capsys)
    assert masked(first) == masked(second) == masked(third)
    again = await demo(capsys, kept)
    assert "| Stored replies: 0" in again
    assert "all passed" in again


async def test_the_transcript_reads_as_members_see_it(capsys: pytest.CaptureFixture[str]) -> None:
    out = await demo(capsys)
    assert out.index("How to read this transcript") < out.index("[1/")
    assert "Next steps" in out and "DISCORD_TOKEN" in out and "tracktwo invite --client-id" in out
    assert "/setup check" in out.split("Next steps")[1]
    # names, never raw ids or internal custom_ids
    assert not re.search(r"\d{15,}", masked_times(out)), "a raw id in the transcript"
    assert "t2:" not in out
    assert "> Nigar used /setup dialogue-channel channel:#dialogue" in out
    assert "picked Azerbaijani in [Choose your community]" in out
    assert "Anahit (Armenian) used /about" in out and "(only Anahit sees this)" in out
    assert "| Stored replies: 0" in out
    # markdown as a reader sees it
    assert "**" not in out and "__" not in out
    # the demo shows the server as the bot set it up, /setup check and /help
    assert "may not: Send Messages" in out
    assert "used /setup check" in out and "used /help" in out
    # the people are of the region; "Maria" is only the essay's author
    assert re.findall(r"Maria\b.{0,11}", out) == ["Maria Karapetyan"] * out.count("Maria")
    assert not re.search(r"\b(Alice|Bob|Olga|Ada|alice|bob)\b", out)
    assert "all passed" in out


def masked_times(text: str) -> str:
    return re.sub(r"tracktwo-sandbox-\S+", "", text)


def test_markdown_is_rendered_as_read() -> None:
    text = (
        "**Bold** and *italic* and __underlined__, `code *kept*`\n"
        "> a quote\n"
        "||a spoiler|| and a [masked link](https://example.org/x)\n"
        "-# small print\n"
        "## A heading\n"
        r"\*not italic\*"
    )
    assert render_markdown(text) == [
        "Bold and italic and underlined, code *kept*",
        "│ a quote",
        "[spoiler: a spoiler] and a masked link (https://example.org/x)",
        "small print",
        "A heading",
        "*not italic*",
    ]
    assert render_markdown(">>> one\ntwo") == ["│ one", "│ two"]
    assert render_markdown("```\n**raw**\n```") == ["  **raw**"]


async def test_a_failing_step_fails_the_demo(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(ctx: DemoContext) -> None:
        await ctx.emu.wait_for_message(ctx.world.dialogue, timeout=0.05)

    monkeypatch.setattr(scenario, "STEPS", [Step(999, "a step that fails", broken)])
    assert await run_demo(sandbox_bot) == 1
    captured = capsys.readouterr()
    assert "step 'a step that fails' failed: no matching message in #dialogue" in captured.err
