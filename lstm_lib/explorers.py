r"""Explorers: watch an LSTM's gates move — live in Jupyter, and still playable in the static book.

Two explorers, each in two forms:

``gate_explorer()``
    sliders for the input scale (x_t = s_x · x̂), the previous hidden state's scale (h_{t-1} = s_h · ĥ) and the
    forget-gate bias b_f (all units); f_t, i_t, C̃_t, o_t, C_t and h_t of a real ``lstm_lib.LSTM`` step update on
    the cell diagram (``diagrams.lstm_live``'s layout, drawn by ``figures.live_figure``: every number and label
    >= 11 CSS px in the book at 1280 px).
``sequence_stepper()``
    plays a short sequence through the cell, one time step per frame: the values on the diagram and, below it,
    f_t, i_t, C_t and h_t of every unit over time.

Both return an ``Explorer``. Displaying it (the last expression of a cell) shows the **kernel-free** form: one
self-contained HTML block (the diagram as an embedded PNG inside an SVG, the cell's values precomputed in Python for
every slider position or time step, and ~40 lines of JavaScript that fill the value cells). It plays in the built
book, in nbviewer and in a notebook opened without a kernel; it has no external URL; it is byte-identical from run
to run (ids are content hashes), so nbval's strict comparison of ``text/html`` and ``text/plain`` passes.
``explorer.widget()`` returns the **live** ipywidgets form (sliders / a play button, the figure redrawn by
matplotlib on each change); it needs a running kernel.

Recommended notebook usage (two cells)::

    from lstm_lib import explorers
    explorers.gate_explorer()                 # kernel-free: plays in the book; stored output is deterministic

    # (cell tagged "remove-output": the book shows the code, not a dead widget)
    explorers.gate_explorer().widget()        # live sliders in Jupyter / Binder

The embedded PNG's bytes depend on the machine's fonts and freetype build (fonts.use_cjk_font prefers a system CJK
font); everything else in the HTML depends only on the numbers. So that notebooks stored on one machine pass nbval
on another, ``tests/sanitize.cfg`` should blank the PNG data URI (``data:image/png;base64,...``) — the frames'
numbers, the cell rectangles and the script are still compared byte for byte.

The live cell's stored output is a widget view (nbval skips ``application/vnd.jupyter.widget-view+json``) plus a
fixed ``text/plain`` line. Save such notebooks without widget state (``jupyter nbconvert --execute
--ExecutePreprocessor.store_widget_state=False``), otherwise myst-nb adds the ipywidgets JavaScript from a CDN to
the page.

For tests and for readers who want the numbers: ``Explorer.values(i)`` (the vectors of frame i),
``Explorer.figure(i)`` (the matplotlib figure of frame i), ``Explorer.update(...)`` (what the widget calls).
"""
from __future__ import annotations

import base64
import re
import hashlib
import io
import json

import numpy as np

from .diagrams import figures as _fig
from .diagrams._style import heat, legible, OI, INK

_SLOT_ORDER = ("h_prev", "x", "c_prev", "f", "f_c_prev", "i", "c_tilde", "i_c_tilde", "c", "tanh_c", "o", "h")
_DPI = 100
_NOTE = "colour: blue < 0 < orange · 颜色：蓝为负，橙为正"

# the same colour formula as diagrams._style.heat, for the browser
_HEAT_JS = """
function heat(v){v=Math.max(-1,Math.min(1,v));var c=v>=0?[230,159,0]:[0,114,178],a=0.85*Math.abs(v);
return 'rgb('+c.map(function(k){return Math.round(255*(1-a)+a*k);}).join(',')+')';}
function fmt(v){return v.toFixed(2).replace('-','\\u2212');}
"""


def _png(fig, dpi=_DPI):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def _pixel_slots(fig, axes_slots):
    """(axes, [(name, j, x, y, w, h) data coords]) pairs -> [[x, y, w, h] in PNG pixels, origin top-left]."""
    W, H = fig.get_size_inches() * _DPI
    scale = _DPI / fig.dpi
    out = []
    for ax, slots in axes_slots:
        for (_, _, x, y, w, h) in slots:
            (xa, ya), (xb, yb) = ax.transData.transform([(x, y), (x + w, y + h)]) * scale
            xa, xb, ya, yb = min(xa, xb), max(xa, xb), min(ya, yb), max(ya, yb)
            out.append([round(xa, 2), round(H - yb, 2), round(xb - xa, 2), round(yb - ya, 2)])
    return out, (int(round(W)), int(round(H)))


class Explorer:
    """A set of frames (the cell's values for each slider position or time step) with three views:
    kernel-free HTML (``_repr_html_``), matplotlib figures (``figure``) and a live widget (``widget``)."""

    def __init__(self, title, controls, compute, draw, background, numbers_mask, fps=0, start=None, columns=None):
        self.title = title
        self.controls = controls            # list of (label, values) — frame index is mixed-radix over them
        self._compute = compute             # index tuple -> (flat vector of slot values, dict of vectors)
        self._draw = draw                   # index tuple -> Figure
        self._background = background       # () -> (Figure, [(axes, slots)])
        self._numbers_mask = numbers_mask   # per slot: write the number in the cell (True) or colour only
        self.fps = fps                      # > 0: a play button (sequence stepper)
        self.columns = columns              # per slot: the time step it shows (outlined when current), or None
        self.start = tuple(start) if start is not None else (0,) * len(controls)   # initial slider positions
        self._html = None

    # ---- frames ----
    @property
    def shape(self):
        return tuple(len(v) for _, v in self.controls)

    def _index(self, i):
        return np.unravel_index(i, self.shape) if np.isscalar(i) else tuple(i)

    def values(self, i):
        """The vectors shown in frame i (an int, or one index per control), by name."""
        return self._compute(self._index(i))[1]

    def figure(self, i):
        """The matplotlib Figure of frame i."""
        return self._draw(self._index(i))

    # ---- kernel-free HTML ----
    def html(self):
        """Self-contained HTML: SVG with the background PNG, value cells filled by inline JavaScript."""
        if self._html is None:
            self._html = self._build_html()
        return self._html

    def _repr_html_(self):
        return with_trust_note(self.html())

    def __repr__(self):
        return f"<{self.title} — kernel-free explorer, {int(np.prod(self.shape))} frames>"

    def _build_html(self):
        fig, axes_slots = self._background()
        # drawn at 2x so that the labels are sharp on high-density screens; the SVG's units stay _DPI pixels
        png = base64.b64encode(_png(fig, 2 * _DPI)).decode("ascii")
        rects, (W, H) = _pixel_slots(fig, axes_slots)
        # the numbers in the SVG get the figure's own value font (the legibility floor: >= 11 CSS px at 1280 px)
        font_px = round(fig.lstm_value_pt * _DPI / 72.0, 2)
        n = int(np.prod(self.shape))
        table = []
        for i in range(n):
            flat = self._compute(np.unravel_index(i, self.shape))[0]
            # two decimals, rounded exactly as the matplotlib strips print them (f"{v:.2f}"), so the page and the
            # figures show the same digits
            table.append([None if not np.isfinite(v) else float(f"{v:.2f}") for v in flat])
        cols = self.columns if self.columns is not None else [-1] * len(rects)
        payload = json.dumps({"rects": rects, "num": [bool(b) for b in self._numbers_mask], "frames": table,
                              "shape": list(self.shape), "col": [int(c) for c in cols]}, separators=(",", ":"))
        cells = _static_cells(rects, self._numbers_mask, table[int(np.ravel_multi_index(self.start, self.shape))],
                              font_px)
        # the id hashes the numbers, not the PNG: pixels may differ between machines (fonts, freetype), numbers not
        uid = "lstmx-" + hashlib.sha1((payload + self.title).encode()).hexdigest()[:12]
        controls = []
        for k, (label, vals) in enumerate(self.controls):
            controls.append(
                # display:contents: label, slider and readout are cells of the controls' grid, so every slider
                # starts at the same x and the readouts form a column (on a phone the grid keeps them on one row)
                f'<label style="display:contents"><span>{label}</span>'
                f'<input type="range" min="0" max="{len(vals) - 1}" step="1" value="{self.start[k]}" '
                f'data-k="{k}" data-vals="{",".join(_fmt(v) for v in vals)}" style="width:100%;margin:0">'
                f'<output style="font-family:monospace;font-size:14px;text-align:right"></output></label>')
        play = ('<button type="button" data-role="play" style="font:inherit;font-weight:600;padding:5px 16px;'
                'margin:8px 0 2px;border:1px solid #0072B2;border-radius:18px;background:#0072B2;color:#fff;'
                'cursor:pointer">▶ play · 播放</button>' if self.fps else "")
        return f"""<div id="{uid}" class="lstm-explorer" style="max-width:{W}px;font-size:14px">
<svg viewBox="0 0 {W} {H}" width="100%" role="img" aria-label="{self.title}">
<image href="data:image/png;base64,{png}" width="{W}" height="{H}"/><g data-role="cells">{cells}</g></svg>
<div>{play}</div><div style="display:grid;grid-template-columns:minmax(6em,max-content) minmax(90px,1fr) 3.6em;gap:6px 10px;align-items:center;margin-top:6px">{''.join(controls)}</div>
<script>
(function(){{
var root=document.getElementById("{uid}"),D={payload};
{_HEAT_JS}
var g=root.querySelector('[data-role="cells"]'),R=g.querySelectorAll("rect"),cells=[];
D.rects.forEach(function(r,k){{cells.push([R[k],g.querySelector('text[data-t="'+k+'"]')]);}});
var inputs=root.querySelectorAll('input[type="range"]');
function show(){{var i=0;inputs.forEach(function(inp,k){{i=i*D.shape[k]+parseInt(inp.value);
inp.nextElementSibling.textContent=inp.dataset.vals.split(",")[parseInt(inp.value)];}});
var f=D.frames[i];root.dataset.frame=i;cells.forEach(function(c,k){{var v=f[k];
c[0].setAttribute("fill",v===null?"white":heat(v));c[0].setAttribute("opacity",v===null?"0.35":"1");
var now=D.col[k]===i;c[0].setAttribute("stroke",now?"#D55E00":"#555");c[0].setAttribute("stroke-width",now?"1.6":"0.5");
if(c[1])c[1].textContent=v===null?"":fmt(v);}});}}
inputs.forEach(function(inp){{inp.addEventListener("input",show);}});
var btn=root.querySelector('[data-role="play"]'),timer=null;
if(btn)btn.addEventListener("click",function(){{if(timer){{clearInterval(timer);timer=null;
btn.textContent="▶ play · 播放";return;}}btn.textContent="❚❚ pause · 暂停";var inp=inputs[0];
if(parseInt(inp.value)>=parseInt(inp.max))inp.value=0;show();
timer=setInterval(function(){{if(parseInt(inp.value)>=parseInt(inp.max)){{clearInterval(timer);timer=null;
btn.textContent="▶ play · 播放";return;}}inp.value=parseInt(inp.value)+1;show();}},{int(1000 / max(self.fps, 1))});}});
show();
}})();
</script></div>"""

    # ---- live widget ----
    def widget(self):
        """The live ipywidgets form: one slider per control (and a play button for a sequence); needs a kernel."""
        import ipywidgets as W

        explorer = self

        class Panel(W.VBox):
            def __repr__(self):           # text/plain of the widget's display: fixed, so nbval can compare it
                return f"<{explorer.title} — live widget (needs a running kernel)>"

        sliders = []
        for (label, vals), start in zip(self.controls, self.start):
            s = W.SelectionSlider(options=[(_fmt(v), j) for j, v in enumerate(vals)], value=start,
                                  description="", continuous_update=True, layout=W.Layout(width="320px"))
            sliders.append(s)
        image = W.Image(format="png", layout=W.Layout(max_width="100%"))
        rows = [W.HBox([W.HTML(f"<span style='min-width:16em;display:inline-block'>{label}</span>"), s])
                for (label, _), s in zip(self.controls, sliders)]
        extra = []
        if self.fps:
            play = W.Play(min=0, max=len(self.controls[0][1]) - 1, interval=int(1000 / self.fps),
                          description="play")
            W.jslink((play, "value"), (sliders[0], "index"))
            extra = [play]
        panel = Panel([image, *extra, *rows])
        panel.sliders = sliders
        panel.image = image

        def update(*positions):
            """Redraw for slider positions (indices); with no argument, the sliders' current positions.
            Returns the dict of vectors drawn."""
            idx = tuple(positions) if positions else tuple(s.value for s in sliders)
            if positions:
                for s, p in zip(sliders, idx):
                    s.unobserve(_on_change, "value")
                    s.value = p
                    s.observe(_on_change, "value")
            fig = explorer.figure(idx)
            image.value = _png(fig)
            panel.last_figure = fig
            panel.last_values = explorer.values(idx)
            return panel.last_values

        def _on_change(change):
            update()

        for s in sliders:
            s.observe(_on_change, "value")
        panel.update = update
        update()
        return panel

    # explorer.update(...) — what the widget calls; returns the vectors for those slider positions
    def update(self, *positions):
        return self.values(tuple(positions))


def _heat_rgb(v):
    """diagrams._style.heat(v) as the page's JavaScript writes it."""
    v = min(1.0, max(-1.0, v))
    c, a = ((230, 159, 0) if v >= 0 else (0, 114, 178)), 0.85 * abs(v)
    return "rgb(" + ",".join(str(int(np.floor(255 * (1 - a) + a * k + 0.5))) for k in c) + ")"


def _static_cells(rects, numbers_mask, frame, font_px):
    """The value cells of the starting frame as SVG, so the page shows numbers even where scripts do not run
    (GitHub's notebook view, an untrusted notebook); the script then redraws them on every change."""
    out = []
    for k, ((x, y, w, h), num, v) in enumerate(zip(rects, numbers_mask, frame)):
        fill, op = ("white", "0.35") if v is None else (_heat_rgb(v), "1")
        out.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" opacity="{op}" stroke="#555" '
                   f'stroke-width="0.5"/>')
        if num:
            text = "" if v is None else f"{v:.2f}".replace("-", "\u2212")
            out.append(f'<text data-t="{k}" x="{round(x + w / 2, 2)}" y="{round(y + h / 2, 2)}" text-anchor="middle" '
                       f'dominant-baseline="central" font-size="{font_px}" '
                       f'font-family="sans-serif" fill="#222">{text}</text>')
    return "".join(out)


def _fmt(v):
    return f"{v:g}".replace("-", "\u2212")


def _flat(vals):
    return np.concatenate([np.asarray(vals[n], float).ravel() for n in _SLOT_ORDER])


def _vector(name, v, n):
    """A finite vector of n numbers as a (1, n) row, or a ValueError naming what was expected and what came."""
    try:
        a = np.asarray(v, float)
    except (TypeError, ValueError):
        raise TypeError(f"gate_explorer: expected {name} to be {n} numbers, got {type(v).__name__} / "
                        f"gate_explorer：{name} 应为 {n} 个数，实际为 {type(v).__name__}") from None
    if a.size != n or a.ndim > 2 or (a.ndim == 2 and 1 not in a.shape):
        raise ValueError(f"gate_explorer: expected {name} of shape ({n},), got {a.shape} / "
                         f"gate_explorer：{name} 的形状应为 ({n},)，实际为 {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"gate_explorer: {name} contains NaN or inf / gate_explorer：{name} 含有 NaN 或 inf")
    return a.reshape(1, n)


def gate_explorer(cell=None, x_hat=None, h_hat=None, c_prev=None,
                  x_scales=(-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2), h_scales=(-1, -0.5, 0, 0.5, 1),
                  forget_biases=(-4, -3, -2, -1, 0, 1, 2, 3, 4)):
    """Gate explorer: x_t = s_x · x̂, h_{t-1} = s_h · ĥ, C_{t-1} fixed, b_f set on every unit; returns an Explorer.

    Defaults: ``diagrams.live_example()`` (H=4, D=3): x̂, ĥ and C_{t-1} are that example's x_t, h_{t-1}, C_{t-1}.
    The cell itself is not modified (a copy gets the b_f values).
    """
    ex_cell, ex_x, (ex_h, ex_c) = _fig.live_example()
    cell = ex_cell if cell is None else cell
    if cell.__class__.__name__ != "LSTM":
        raise TypeError(f"gate_explorer expects an lstm_lib.LSTM / 需要 lstm_lib.LSTM, got {type(cell).__name__}")
    H, D = cell.hidden_size, cell.input_size
    if H > 4 or D > 4:
        raise ValueError(f"the explorer draws at most 4 numbers per wire / 每条线最多画 4 个数; got H={H}, D={D}")
    if (H, D) != (ex_cell.hidden_size, ex_cell.input_size) and (x_hat is None or h_hat is None or c_prev is None):
        raise ValueError(f"gate_explorer: a cell with H={H}, D={D} (not the example's H={ex_cell.hidden_size}, "
                         f"D={ex_cell.input_size}) needs x_hat ({D},), h_hat ({H},) and c_prev ({H},) / "
                         f"gate_explorer：H={H}、D={D} 的 LSTM 单元（不是示例的尺寸）需要同时给出 x_hat ({D},)、"
                         f"h_hat ({H},) 和 c_prev ({H},)")
    x_hat = _vector("x_hat", ex_x if x_hat is None else x_hat, D)
    h_hat = _vector("h_hat", ex_h if h_hat is None else h_hat, H)
    c_prev = _vector("c_prev", ex_c if c_prev is None else c_prev, H)
    work = _copy_cell(cell)
    fslice = work.gate_slice("f")
    controls = [("input scale <i>s</i><sub>x</sub> · 输入缩放", list(x_scales)),
                ("<i>h</i><sub>t−1</sub> scale <i>s</i><sub>h</sub> · 隐藏状态缩放", list(h_scales)),
                ("forget-gate bias <i>b</i><sub>f</sub> · 遗忘门偏置", list(forget_biases))]
    cache = {}

    def compute(idx):
        idx = tuple(int(k) for k in idx)
        if idx not in cache:
            sx, sh, bf = x_scales[idx[0]], h_scales[idx[1]], forget_biases[idx[2]]
            work.params["b"][fslice] = bf
            vals = _fig.live_values(work, sx * x_hat, (sh * h_hat, c_prev))
            cache[idx] = (_flat(vals), vals)
        return cache[idx]

    title = "Gate explorer · 门控探索器"

    def draw(idx):
        return _fig.live_figure(compute(idx)[1], title, note=_NOTE)

    def background():
        fig = _fig.live_figure({n: np.zeros(H if n != "x" else D) for n in _SLOT_ORDER}, title, note=_NOTE,
                               blank=True)
        return fig, [(fig.lstm_axes, _ordered(fig.lstm_slots))]

    n_slots = len(_flat(compute((0, 0, 0))[1]))
    # start at the example itself: s_x = 1, s_h = 1, b_f = 0 (or the nearest values offered)
    start = [int(np.argmin(np.abs(np.asarray(v, float) - target))) for (_, v), target in zip(controls, (1, 1, 0))]
    return Explorer(title, controls, compute, draw, background, [True] * n_slots, start=start)


def _ordered(slots):
    order = {n: k for k, n in enumerate(_SLOT_ORDER)}
    return sorted(slots, key=lambda s: (order[s[0]], s[1]))


def _copy_cell(cell):
    import copy
    return copy.deepcopy(cell)


def default_sequence(T=12, input_size=3, seed=0):
    """A short seeded input sequence (T, 1, D): two slow waves and a pulse at steps t = 4 and t = 9 (rows 3 and 8).

    Steps count from 1 as in the text: row ``x[t - 1]`` holds x_t."""
    t = np.arange(T)
    x = np.zeros((T, 1, input_size))
    x[:, 0, 0] = np.sin(t / 2.0)
    if input_size > 1:
        x[:, 0, 1] = np.cos(t / 3.0)
    if input_size > 2:
        x[[3, 8], 0, 2] = (1.5, -1.5)
    return x


_ROWS = (("f", r"$f_t$"), ("i", r"$i_t$"), ("c", r"$C_t$"), ("h", r"$h_t$"))


def sequence_stepper(cell=None, x=None, state=None):
    """Sequence stepper: x (T, 1, D) through ``cell`` one step per frame; returns an Explorer with a play button.

    Frame k (``values(k)``) is time step t = k + 1 of the text, computed from ``x[k]`` and the state after step k
    (the initial state h_0, C_0 for k = 0); the slider, the title and the history panel show t = 1, ..., T.

    Defaults: ``diagrams.live_example()``'s cell and initial state, ``default_sequence()`` (T=12).
    """
    ex_cell, _, ex_state = _fig.live_example()
    if cell is None:
        cell, state = ex_cell, (ex_state if state is None else state)
    x = default_sequence(input_size=cell.input_size) if x is None else np.asarray(x, float)
    if x.ndim != 3 or x.shape[1] != 1 or x.shape[2] != cell.input_size:
        raise ValueError(f"x must have shape (T, 1, {cell.input_size}) / x 的形状应为 (T, 1, {cell.input_size}), "
                         f"got {x.shape}")
    T, H = x.shape[0], cell.hidden_size
    if H > 4 or cell.input_size > 4 or T > 40:
        raise ValueError(f"the stepper draws at most 4 numbers per wire and 40 steps / 最多 4 个数、40 步; "
                         f"got H={H}, D={cell.input_size}, T={T}")
    steps, st = [], state
    for t in range(T):
        vals = _fig.live_values(cell, x[t], st)
        st = (vals["h"][None], vals["c"][None])
        steps.append(vals)
    history = {name: np.stack([s[name] for s in steps]) for name, _ in _ROWS}      # (T, H) each
    title = "Sequence stepper · 序列步进器"
    bottom = 2.2

    def flat(t):
        vals = steps[t]
        hist = []
        for name, _ in _ROWS:
            for j in range(H):
                for s in range(T):
                    hist.append(history[name][s, j] if s <= t else np.nan)
        return np.concatenate([_flat(vals), hist])

    def compute(idx):
        t = int(idx[0])
        return flat(t), steps[t]

    def panel(fig, t, blank):
        """f, i, C, h of every unit over time below the cell; returns (axes, slots)."""
        ax = fig.add_axes((0.09, 0.02, 0.86, (bottom - 0.15) / fig.get_size_inches()[1]))
        ax.set_xlim(-0.5, T - 0.5)
        n_rows = len(_ROWS) * (H + 1) - 1
        ax.set_ylim(n_rows - 0.3, -1.6)          # a margin below the last row and the current step's frame
        ax.axis("off")
        slots = []
        from matplotlib.patches import Rectangle
        for r, (name, label) in enumerate(_ROWS):
            y0 = r * (H + 1)
            ax.text(-0.7, y0 + (H - 1) / 2, label, ha="right", va="center", fontsize=10, color=INK)
            for j in range(H):
                for s in range(T):
                    v = history[name][s, j]
                    show = (not blank) and s <= t
                    ax.add_patch(Rectangle((s - 0.45, y0 + j - 0.45), 0.9, 0.9, lw=0.4, ec="#999999",
                                           fc=heat(v) if show else "white", alpha=1.0 if show else 0.35))
                    slots.append((name, j, s - 0.45, y0 + j + 0.45, 0.9, -0.9))
        for s in range(T):
            ax.text(s, -1.0, f"{s + 1}", ha="center", va="center", fontsize=7, color="#555555")   # t = s + 1
        if not blank:
            ax.add_patch(Rectangle((t - 0.5, -0.6), 1.0, n_rows + 0.2, fill=False, ec=OI["vermillion"], lw=1.5))
        return ax, slots

    def draw(idx):
        t = int(idx[0])                  # frame index; the text's step is t + 1 (t = 1, ..., T; h_0 the initial state)
        fig = _fig.live_figure(steps[t], f"Sequence stepper, t = {t + 1} · 序列步进器，t = {t + 1}", note=_NOTE,
                               bottom=bottom)
        panel(fig, t, blank=False)
        return legible(fig)

    def background():
        fig = _fig.live_figure({n: np.zeros(len(steps[0][n])) for n in _SLOT_ORDER}, title, note=_NOTE, blank=True,
                               bottom=bottom)
        ax, slots = panel(fig, 0, blank=True)
        legible(fig)
        return fig, [(fig.lstm_axes, _ordered(fig.lstm_slots)), (ax, slots)]

    n_cell = len(_flat(steps[0]))
    mask = [True] * n_cell + [False] * (len(_ROWS) * H * T)
    columns = [-1] * n_cell + [s for _ in range(len(_ROWS) * H) for s in range(T)]
    # the slider shows the text's step numbers t = 1, ..., T (frame k is step k + 1)
    return Explorer(title, [("time step <i>t</i> · 时间步", list(range(1, T + 1)))], compute, draw, background, mask,
                    fps=2, columns=columns)


# ------------------------------------------------------------------------------------------------ untrusted notebooks
TRUST_NOTE = ("⚠ This explorer needs JavaScript, which Jupyter does not run in a notebook it does not trust: run this "
              "cell (Shift+Enter), or trust the notebook (JupyterLab: command palette ▸ “Trust Notebook”; Notebook: "
              "File ▸ Trust Notebook). · 这个探索器需要 JavaScript，而 Jupyter 不会在未受信任的笔记本中运行脚本："
              "请运行这个单元格（Shift+Enter），或信任该笔记本（JupyterLab：命令面板 ▸ “Trust Notebook”；"
              "Notebook：File ▸ Trust Notebook）。")


def with_trust_note(html):
    """Wrap an explorer's HTML with a visible note on how to make it work, which its own script removes.

    JupyterLab strips the scripts of HTML outputs in an untrusted notebook (one opened with outputs it did not
    produce or sign), leaving sliders that do nothing; there the note stays and says what to do. Wherever the
    script runs (the book, a trusted notebook, a cell just run) the note is removed before it is seen.
    """
    m = re.search(r'id="(lstmx-[0-9a-f]+)"', html)
    note_id = (m.group(1) if m else "lstmx") + "-needs-js"
    return (f'<div class="lstm-explorer-frame"><p id="{note_id}" class="lstm-explorer-needs-js" '
            f'style="border:1px solid #D55E00;padding:4px 8px;margin:0 0 6px 0">{TRUST_NOTE}</p>\n{html}\n'
            f'<script>(function(){{var n=document.getElementById("{note_id}");'
            f'if(n)n.parentNode.removeChild(n);}})();</script></div>')
