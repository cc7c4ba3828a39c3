"""The timeline of Appendix D: one dot per entry of ``lstm_lib.history.ENTRIES`` on a vertical spine, entries
alternating left and right, each with its bilingual label and, where the paper gives one, its headline number.

Rows are evenly spaced (not proportional to the year): the 1990s hold five entries, 2013-2017 eight, so a true time
axis would pile the later ones on top of each other. The year is written on the spine at each row instead.
"""
from __future__ import annotations

from ..history import ENTRIES, ERAS, check_entries
from ._style import INK, OI, new_figure, tint

ERA_COLOR = {"foundations": OI["orange"], "applications": OI["blue"], "attention": OI["purple"],
             "revival": OI["green"]}
_ROW = 0.46      # inches per entry
_FS = 8.5        # pt; the figure is 6.7 in wide, so >= 11 CSS px in the book's column (text_floor_pt(6.7) = 7.97)


def history_timeline(entries=ENTRIES, width=6.7):
    """The entries as a vertical timeline (a Figure). ``fig.lstm_rows`` lists (year, label_en, side) as drawn."""
    entries = check_entries(entries)
    n = len(entries)
    legend_h = 0.55
    height = n * _ROW + legend_h + 0.2
    fig, ax = new_figure(width, height)
    ax.set_aspect("auto")
    ax.set_xlim(-width / 2, width / 2)            # data units = inches
    ax.set_ylim(-height + legend_h, legend_h)     # row k at y = -(k + 0.5) * _ROW
    y_end = -(n - 0.5) * _ROW
    ax.plot([0, 0], [-0.5 * _ROW, y_end], color="#9A9A9A", lw=2.0, zorder=1, gid="spine")
    rows = []
    for k, e in enumerate(entries):
        y = -(k + 0.5) * _ROW
        c = ERA_COLOR[e.era]
        side = -1 if k % 2 == 0 else 1
        ax.plot([0, side * 0.42], [y, y], color=tint(c, 0.7), lw=1.2, zorder=2, gid=f"entry:{e.key}")
        ax.text(0, y, str(e.year), fontsize=_FS, ha="center", va="center", color=INK, zorder=4, gid="year",
                bbox={"boxstyle": "round,pad=0.22", "fc": "white", "ec": c, "lw": 1.4})
        x = side * 0.48
        ha = "right" if side < 0 else "left"
        label = f"{e.label_en} · {e.label_zh}" if e.label_zh != e.label_en else e.label_en
        ax.text(x, y + 0.075, label, fontsize=_FS, ha=ha, va="center", color=INK, zorder=4,
                gid=f"label:{e.key}")
        if e.number:
            ax.text(x, y - 0.11, e.number, fontsize=_FS, ha=ha, va="center", color=c, zorder=4,
                    gid=f"number:{e.key}")
        rows.append((e.year, e.label_en, "left" if side < 0 else "right"))
    # legend: the four eras, bilingual, across the top, each item placed after the measured width of the last
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    renderer = FigureCanvasAgg(fig).get_renderer()
    items = []
    for era, (en, zh) in ERAS.items():
        dot, = ax.plot([0], [legend_h / 2], "o", color=ERA_COLOR[era], ms=7, zorder=3, gid=f"legend:{era}")
        t = ax.text(0, legend_h / 2, f"{en} · {zh}", fontsize=_FS, ha="left", va="center", color=INK,
                    gid=f"legend:{era}")
        items.append((dot, t, t.get_window_extent(renderer).width / fig.dpi))   # width in inches
    gap = 0.12 + 0.25                                   # dot + space before the text, in inches
    spare = (width - 0.2 - sum(w + gap for *_, w in items)) / (len(items) - 1)
    x = -width / 2 + 0.1
    for dot, t, w in items:
        dot.set_xdata([x + 0.06])
        t.set_x(x + gap - 0.1)
        x += gap + w + spare
    fig.lstm_rows = rows
    return fig
