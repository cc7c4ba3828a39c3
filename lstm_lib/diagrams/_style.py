"""Palette and drawing primitives shared by every diagram: layers (rounded boxes), pointwise operations (circles),
wires (arrows with a white halo, so that a wire drawn later bridges over an earlier one), and value strips (small heat
cells with their numbers).

Palette: Okabe & Ito's colour-blind-safe set, one colour per role, used the same way in every figure:
forget gate vermillion, input gate blue, candidate values bluish green, output gate reddish purple, cell state
orange, hidden state and inputs near-black. GRU: reset gate = vermillion, update gate = blue.
"""
from __future__ import annotations

import numpy as np
import matplotlib
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Circle, FancyArrowPatch, Rectangle

from ..fonts import use_cjk_font

# Okabe–Ito
OI = {
    "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000",
}
INK = "#222222"          # wires, text
FADE = "#B8B8B8"         # everything out of focus
MODULE_BG = "#F4F1EA"    # the repeating module's background
ROLE = {                 # part -> colour
    "forget": OI["vermillion"], "input": OI["blue"], "candidate": OI["green"], "output": OI["purple"],
    "cell": OI["orange"], "cprev": OI["orange"], "keep": INK, "update": OI["orange"], "hidden": INK, "x": INK, "peephole": OI["sky"],
    "coupled": OI["vermillion"], "reset": OI["vermillion"], "zgate": OI["blue"], "tanh": INK, "rnn": OI["green"],
}
FADE_ALPHA = 0.22
LW = 1.6


def tint(color, amount):
    """``color`` mixed with white; amount 0 = white, 1 = the colour."""
    r, g, b = matplotlib.colors.to_rgb(color)
    return (1 - amount + amount * r, 1 - amount + amount * g, 1 - amount + amount * b)


def heat(v):
    """Colour of a value v in [-1, 1] (clipped): blue for negative, orange for positive, white at 0.

    The kernel-free explorer's JavaScript uses the same formula (explorers._HEAT_JS)."""
    v = float(np.clip(v, -1.0, 1.0))
    return tint(OI["orange"] if v >= 0 else OI["blue"], 0.85 * abs(v))


# Legibility: the book shows a figure at 100 CSS px per inch, shrunk to the column (672 px at a 1280 px window)
# when wider. Text must stay >= 11 CSS px there: 11 px = 7.92 pt at 100 px/in, more in a shrunk figure.
COLUMN_PX = 672
MIN_TEXT_PX = 11.0


def text_floor_pt(width_in):
    """Smallest font size (pt) that is >= MIN_TEXT_PX CSS px in a figure ``width_in`` inches wide in the book."""
    px_per_in = min(100.0, COLUMN_PX / width_in)
    return MIN_TEXT_PX * 72.0 / px_per_in + 0.05


_FLOOR = {"on": False}


def _floor_of(ax):
    """The text floor (pt) of the figure being drawn on ``ax`` inside ``legible_drawing()``, else 0."""
    return text_floor_pt(ax.figure.get_size_inches()[0]) if _FLOOR["on"] else 0.0


class legible_drawing:
    """Context manager: value cells and tanh pills drawn inside it grow to carry text raised by ``legible``."""

    def __enter__(self):
        _FLOOR["on"] = True

    def __exit__(self, *exc):
        _FLOOR["on"] = False


def legible(fig):
    """Raise every text of ``fig`` to the figure's floor (``text_floor_pt``); returns fig."""
    floor = text_floor_pt(fig.get_size_inches()[0])
    for t in fig.findobj(matplotlib.text.Text):
        if t.get_text().strip() and t.get_fontsize() < floor:
            t.set_fontsize(floor)
    return fig


def new_figure(width, height):
    """A Figure (no pyplot, so nothing leaks into notebooks) with one equal-aspect axes filling it, axis off."""
    use_cjk_font()
    fig = Figure(figsize=(width, height), dpi=100)
    fig.lstm_diagram = True   # laid out to the edge: shown uncropped (_display.figure_png)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


class Pen:
    """Draws parts of a diagram; a part outside ``highlight`` (a set of part names, or None = all) is faded.

    Every artist gets ``gid = part`` so tests can find what was drawn for which part.
    """

    def __init__(self, ax, highlight=None, scale=1.0):
        self.ax = ax
        self.slots = []      # blank value cells: (name, j, x, y, w, h) in data coordinates
        self.highlight = None if highlight is None else set(highlight)
        self.scale = scale   # font scale

    def on(self, part):
        """A part may be one name or a tuple of names (an element that belongs to several steps)."""
        parts = (part,) if isinstance(part, str) else part
        return self.highlight is None or any(p in self.highlight for p in parts)

    def color(self, part, color=None):
        first = part if isinstance(part, str) else part[0]
        return (color or ROLE.get(first, INK)) if self.on(part) else FADE

    def alpha(self, part):
        return 1.0 if self.on(part) else FADE_ALPHA

    def wire(self, pts, part, arrow=True, color=None, lw=LW, dashed=False, z=2):
        """A polyline through ``pts``; arrow head at the end. White halo so later wires bridge earlier ones."""
        c, a = self.color(part, color), self.alpha(part)
        pts = np.asarray(pts, float)
        # the halo has the module's colour, so a wire drawn later seems to bridge an earlier one; faded wires get none
        halo = ([patheffects.Stroke(linewidth=lw + 4, foreground=MODULE_BG), patheffects.Normal()]
                if self.on(part) else [patheffects.Normal()])
        ls = (0, (3, 2)) if dashed else "-"
        if len(pts) > 2:
            line, = self.ax.plot(pts[:-1, 0], pts[:-1, 1], color=c, alpha=a, lw=lw, ls=ls, zorder=z,
                                 solid_capstyle="butt", solid_joinstyle="round", path_effects=halo, gid=_gid(part))
        last = FancyArrowPatch(pts[-2], pts[-1], arrowstyle="-|>" if arrow else "-", mutation_scale=9,
                               color=c, alpha=a, lw=lw, ls=ls, zorder=z, shrinkA=0, shrinkB=0, gid=_gid(part),
                               path_effects=halo, joinstyle="miter", capstyle="butt")
        self.ax.add_patch(last)

    def layer(self, x, y, text, part, w=1.3, h=0.9, color=None, fs=10):
        """A neural-network layer: rounded box, tinted fill, coloured edge, its activation written inside."""
        c = self.color(part, color)
        box = FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0,rounding_size=0.22",
                             fc=tint(c, 0.25), ec=c, lw=1.8, alpha=self.alpha(part), zorder=4, gid=_gid(part))
        self.ax.add_patch(box)
        # Latin-only label in bold: DejaVu Sans has a bold face, the pip CJK font (Regular only) does not
        self.text(x, y, text, part, fs=fs, color=INK, weight="bold", family="DejaVu Sans", z=5)

    def op(self, x, y, symbol, part, r=0.34, fs=11):
        """A pointwise operation: white circle with a dark edge and its symbol; a pill for the pointwise tanh."""
        c = self.color(part)
        alpha = max(self.alpha(part), 0.5)
        if symbol == "tanh":
            # the pill grows with its label when legible() will raise the label to the figure's floor
            grow = max(1.0, _floor_of(self.ax) / (fs * self.scale))
            w, r = 1.0 * grow, r * min(grow, 1.3)
            self.ax.add_patch(FancyBboxPatch((x - w / 2, y - r), w, 2 * r, boxstyle=f"round,pad=0,rounding_size={r}",
                                             fc="white", ec=c, lw=1.8, alpha=alpha, zorder=6, gid=_gid(part)))
        else:
            self.ax.add_patch(Circle((x, y), r, fc="white", ec=c, lw=1.8, alpha=alpha, zorder=6, gid=_gid(part)))
            fs = fs + 2 if symbol == "+" else fs
        self.text(x, y, symbol, part, fs=fs, color=c, z=7)

    def dot(self, x, y, part, r=0.1):
        self.ax.add_patch(Circle((x, y), r, color=self.color(part), alpha=self.alpha(part), zorder=5, gid=_gid(part)))

    def text(self, x, y, s, part, fs=8, color=None, ha="center", va="center", z=8, **kw):
        c = color if (color is not None and self.on(part)) else self.color(part)
        return self.ax.text(x, y, s, color=c, alpha=1.0 if self.on(part) else 0.55, fontsize=fs * self.scale,
                            ha=ha, va=va, zorder=z, gid=_gid(part), **kw)

    def module(self, x0, y0, x1, y1, part="module", fc=MODULE_BG):
        self.ax.add_patch(FancyBboxPatch((x0, y0), x1 - x0, y1 - y0, boxstyle="round,pad=0,rounding_size=0.5",
                                         fc=fc, ec="#D8D2C4", lw=1.2, zorder=0, gid=_gid(part)))

    def strip(self, x, y, values, part, label=None, cw=0.52, ch=0.42, fs=5.6, label_side="left", blank=False,
              vertical=False):
        """Heat cells for a vector ``values`` with the numbers inside, left edge at x, centred on y.

        vertical: the cells stacked top to bottom instead of left to right. label_side: "left", "right", "above"
        or "below" the strip. Returns the numbers drawn, rounded as printed (what a test compares with the cell's
        gate values). blank: draw empty cells and record them in ``self.slots`` (the kernel-free explorer fills them
        in)."""
        drawn = []
        values = np.asarray(values, float).ravel()
        # value cells grow with their numbers' font so that the numbers stay legible (legible()) and inside
        floor = _floor_of(self.ax)
        if fs < floor:
            grow = floor / fs
            cw, ch, fs = cw * grow, ch * grow, floor
        n = len(values)
        width, height = (cw, n * ch) if vertical else (n * cw, ch)
        for j, v in enumerate(values):
            cx, cy = (x, y + height / 2 - (j + 1) * ch) if vertical else (x + j * cw, y - ch / 2)   # lower left
            self.ax.add_patch(Rectangle((cx, cy), cw, ch, fc="white" if blank else heat(v),
                                        ec="#555555", lw=0.5, zorder=9, gid=f"value:{part}"))
            if blank:
                self.slots.append((part, j, cx, cy, cw, ch))
                continue
            s = f"{v:.2f}".replace("-", "\u2212")
            self.ax.text(cx + cw / 2, cy + ch / 2, s, fontsize=fs, ha="center", va="center", zorder=10, color=INK,
                         gid=f"value:{part}")
            drawn.append(float(f"{v:.2f}"))
        if label:
            where = {"left": (x - 0.08, y, "right", "center"), "right": (x + width + 0.08, y, "left", "center"),
                     "above": (x + width / 2, y + height / 2 + 0.05, "center", "bottom"),
                     "below": (x + width / 2, y - height / 2 - 0.05, "center", "top")}[label_side]
            lx, ly, ha, va = where
            self.ax.text(lx, ly, label, fontsize=max(7, fs), ha=ha, va=va, zorder=10, color=INK, gid=f"value:{part}")
        return drawn


def _gid(part):
    return part if isinstance(part, str) else "|".join(part)
