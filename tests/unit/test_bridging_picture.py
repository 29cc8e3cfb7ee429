"""The digest's picture: a valid PNG of sensible size, drawn off the event loop."""

from __future__ import annotations

import asyncio
import struct
import zlib
from pathlib import Path

from bot.bridging.picture import PictureText, Point, points_from, render
from bot.bridging.planted import planted_round
from bot.bridging.score import StatusKind, score_round

TEXT = PictureText(
    title="Where the communities meet",
    x_label="Endorsed by North",
    y_label="Endorsed by South",
    corner="Both communities endorse",
    statuses={
        StatusKind.BRIDGING: "Bridging",
        StatusKind.ONE_SIDED: "One-sided",
        StatusKind.NEEDS_PERSPECTIVES: "Needs perspectives",
        StatusKind.NOT_YET: "Not yet",
    },
)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    crc = struct.unpack(">I", data[29:33])[0]
    assert crc == zlib.crc32(data[12:29])
    assert data[-8:-4] == b"IEND"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def planted_points() -> list[Point]:
    planted = planted_round(40, 60, 12, seed=5, communities=("North", "South"))
    scored = score_round(planted.communities, planted.raters, planted.authors, planted.votes)
    labels = {key: f"Reply {i + 1}" for i, key in enumerate(planted.authors)}
    return points_from(scored, "North", "South", labels)


def test_render_is_a_valid_png_of_sensible_size(tmp_path: Path) -> None:
    points = planted_points()
    assert {p.status for p in points} >= {StatusKind.BRIDGING, StatusKind.ONE_SIDED}
    data = render(points, TEXT)
    assert png_size(data) == (840, 840)
    assert 20_000 < len(data) < 400_000
    # kept for a look: str_replace_based_edit_tool view, or any image viewer
    (tmp_path / "digest.png").write_bytes(data)


def test_render_draws_the_points() -> None:
    """Different points give a different picture; none at all still gives a picture."""
    empty = render([], TEXT)
    assert png_size(empty) == (840, 840)
    one = render([Point(0.9, 0.9, StatusKind.BRIDGING, "Reply 1")], TEXT)
    assert one != empty
    assert render([Point(0.9, 0.9, StatusKind.BRIDGING, "Reply 1")], TEXT) == one  # deterministic


async def test_render_runs_in_a_thread() -> None:
    points = planted_points()
    async with asyncio.timeout(60):
        data = await asyncio.to_thread(render, points, TEXT, size_inches=5, dpi=100)
    assert png_size(data) == (500, 500)
