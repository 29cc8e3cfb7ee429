"""The digest's picture: each reply a point, x = its smoothed positive share among one community,
y = among the other, the corner where both communities endorse marked.

Readable without colour: the status is carried by the marker's shape and fill (a filled diamond
for bridging, a triangle for one-sided, a hollow circle for needs-perspectives, a small cross for
not-yet), the legend names them, the bridging corner is hatched, and bridging replies carry their
pseudonymous labels. The colours (Okabe-Ito, safe for the common colour-vision deficiencies) only
repeat what the shapes say.

matplotlib with the Agg backend, through ``Figure`` and ``FigureCanvasAgg`` directly (never
pyplot, whose global state is not thread-safe), so ``render`` can run in ``asyncio.to_thread``.
All text is passed in (``PictureText``): the caller takes it from the locale catalogs.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from bot.bridging.score import RoundScore, StatusKind
from bot.bridging.settings import SHARE_TO_ENTER

# Drawn in this order, so bridging points sit on top.
STYLE: dict[StatusKind, dict[str, object]] = {
    StatusKind.NOT_YET: {"marker": "x", "s": 22, "color": "#7f7f7f", "linewidths": 1.0},
    StatusKind.NEEDS_PERSPECTIVES: {
        "marker": "o",
        "s": 34,
        "facecolors": "none",
        "edgecolors": "#0072B2",
        "linewidths": 1.2,
    },
    StatusKind.ONE_SIDED: {
        "marker": "^",
        "s": 40,
        "color": "#D55E00",
        "edgecolors": "black",
        "linewidths": 0.4,
    },
    StatusKind.BRIDGING: {
        "marker": "D",
        "s": 52,
        "color": "#009E73",
        "edgecolors": "black",
        "linewidths": 0.8,
    },
}
# Replies with the same counts would sit on one spot; a small fixed scatter keeps each visible.
JITTER = 0.008
# More labels than this turn the corner into a blot; the digest lists the replies anyway.
MAX_LABELS = 12


@dataclass(frozen=True, slots=True)
class PictureText:
    title: str
    x_label: str
    y_label: str
    corner: str
    statuses: Mapping[StatusKind, str]  # legend entry per status


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    status: StatusKind
    label: str | None = None


def points_from(
    scored: RoundScore,
    x_community: str,
    y_community: str,
    labels: Mapping[str, str] | None = None,
) -> list[Point]:
    """One point per reply of a scored round; ``labels`` maps reply keys to pseudonymous labels."""
    labels = labels or {}
    return [
        Point(
            r.tallies[x_community].share,
            r.tallies[y_community].share,
            r.status,
            labels.get(key),
        )
        for key, r in scored.replies.items()
    ]


def render(
    points: Sequence[Point],
    text: PictureText,
    *,
    corner_at: float = SHARE_TO_ENTER,
    size_inches: float = 7.0,
    dpi: int = 120,
    labelled: Iterable[StatusKind] = (StatusKind.BRIDGING,),
) -> bytes:
    """The picture as PNG bytes. Pure and synchronous; CPU-bound (tens of milliseconds)."""
    figure = Figure(figsize=(size_inches, size_inches), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.add_patch(
        Rectangle(
            (corner_at, corner_at),
            1.02 - corner_at,
            1.02 - corner_at,
            facecolor="#eef7f2",
            edgecolor="#4d4d4d",
            hatchcolor="#b9d9c9",
            hatch="//",
            linewidth=1.0,
            linestyle="--",
            zorder=0,
        )
    )
    axes.text(
        1.0,
        corner_at + 0.01,
        text.corner,
        ha="right",
        va="bottom",
        fontsize=10,
        fontweight="bold",
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 2},
        zorder=5,
    )
    rng = np.random.default_rng(0)
    xs = np.clip(np.array([p.x for p in points]) + rng.uniform(-JITTER, JITTER, len(points)), 0, 1)
    ys = np.clip(np.array([p.y for p in points]) + rng.uniform(-JITTER, JITTER, len(points)), 0, 1)
    statuses = [p.status for p in points]
    for status, style in STYLE.items():
        chosen = [i for i, s in enumerate(statuses) if s is status]
        name = text.statuses.get(status, status.value)
        axes.scatter(
            xs[chosen] if chosen else [],
            ys[chosen] if chosen else [],
            label=f"{name} ({len(chosen)})",
            zorder=3,
            **style,  # type: ignore[arg-type]
        )
    wanted = set(labelled)
    shown = 0
    for i, point in enumerate(points):
        if point.label and point.status in wanted and shown < MAX_LABELS:
            axes.annotate(
                point.label,
                (float(xs[i]), float(ys[i])),
                # alternate above and below, so two coinciding replies' labels do not overprint
                xytext=(5, 4) if shown % 2 == 0 else (5, -11),
                textcoords="offset points",
                fontsize=8,
                zorder=4,
            )
            shown += 1
    axes.set_xlim(-0.02, 1.02)
    axes.set_ylim(-0.02, 1.02)
    axes.set_aspect("equal")
    axes.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
    axes.set_yticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
    axes.grid(True, color="#dddddd", linewidth=0.6, zorder=1)
    axes.set_xlabel(text.x_label)
    axes.set_ylabel(text.y_label)
    axes.set_title(text.title)
    axes.legend(loc="lower left", framealpha=0.95, fontsize=9)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
