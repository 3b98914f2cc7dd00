"""Statistics charts as PNG bytes: bars by category above a line over time.

Pure function of a :class:`ChartSpec` (words already translated), drawn with Matplotlib's
object-oriented API on the Agg backend — no pyplot, no global figure state, no display — so it
is safe to run in a worker thread (``asyncio.to_thread``) while the bot keeps answering.
DejaVu Sans (shipped with Matplotlib) has every Vietnamese diacritic.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

FONT = "DejaVu Sans"
BAR_COLOUR = "#1f5fa8"
LINE_COLOUR = "#c0392b"
COMPARISON_COLOUR = "#7f8c8d"
MAX_X_LABELS = 16
"""More buckets than this and only every n-th gets a label (a quarter has 14 weeks)."""


@dataclass(frozen=True, slots=True)
class ChartSpec:
    title: str
    bars_title: str
    bars: Sequence[tuple[str, int]]
    """(label, count) in display order, top to bottom."""
    line_title: str
    x_labels: Sequence[str]
    current: Sequence[int]
    current_label: str
    comparison: Sequence[int] | None
    """The same period last year, bucket by bucket (drawn dashed), or None."""
    comparison_label: str
    y_label: str


def render_png(spec: ChartSpec, *, dpi: int = 100) -> bytes:
    """Draw the chart; blocking (CPU-bound), call it through ``asyncio.to_thread``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(8, 8.5), dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(spec.title, fontsize=13, fontfamily=FONT, wrap=True)
    bars_ax, line_ax = figure.subplots(2, 1, height_ratios=(1, 1))

    labels = [label for label, _ in spec.bars]
    values = [value for _, value in spec.bars]
    positions = list(range(len(labels)))
    bars_ax.barh(positions, values, color=BAR_COLOUR)
    bars_ax.set_yticks(positions, labels=labels, fontfamily=FONT)
    bars_ax.invert_yaxis()
    bars_ax.set_title(spec.bars_title, fontfamily=FONT, loc="left")
    bars_ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    bars_ax.set_xlim(0, max([*values, 1]) * 1.15)
    for y, value in zip(positions, values, strict=True):
        bars_ax.text(value, y, f" {value}", va="center", fontfamily=FONT, fontsize=9)

    xs = list(range(len(spec.current)))
    line_ax.plot(xs, list(spec.current), marker="o", color=LINE_COLOUR, label=spec.current_label)
    if spec.comparison is not None:
        comparison = list(spec.comparison)[: len(xs)]
        line_ax.plot(
            list(range(len(comparison))),
            comparison,
            linestyle="--",
            color=COMPARISON_COLOUR,
            label=spec.comparison_label,
        )
        line_ax.legend(prop={"family": FONT})
    step = max(1, -(-len(xs) // MAX_X_LABELS))
    line_ax.set_xticks(
        xs[::step], labels=list(spec.x_labels)[::step], fontfamily=FONT, rotation=45, ha="right"
    )
    line_ax.set_title(spec.line_title, fontfamily=FONT, loc="left")
    line_ax.set_ylabel(spec.y_label, fontfamily=FONT)
    line_ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    line_ax.set_ylim(bottom=0, top=max([*spec.current, *(spec.comparison or []), 1]) * 1.15)
    line_ax.grid(axis="y", alpha=0.3)

    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
