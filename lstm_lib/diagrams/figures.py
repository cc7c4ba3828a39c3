r"""The course's figures, one function each; ``FIGURES`` maps a figure's name to its function.

Every function needs no argument and returns a ``matplotlib.figure.Figure`` (no pyplot: nothing is shown or kept
open behind the reader's back; a notebook displays the returned figure). The cell figures all come from
``cell.draw_cell``; only the sequence pictures (rolled/unrolled/gaps), the legend and the gate are drawn here.
"""
from __future__ import annotations

import numpy as np
from matplotlib.patches import FancyBboxPatch, FancyArrowPatch

from ._style import Pen, new_figure, legible, legible_drawing, text_floor_pt, INK, OI, ROLE, FADE, tint
from .cell import draw_cell, WIDTH, HEIGHT, TOP, BUS, EXT
from .timeline import history_timeline

# ---- equations: CONTRIBUTING.md's notation, symbol for symbol ------------------------------------------------------
HX = r"[h_{t-1}, x_t]"
EQ = {
    "f": rf"$f_t = \sigma(W_f\cdot{HX} + b_f)$",
    "i": rf"$i_t = \sigma(W_i\cdot{HX} + b_i)$",
    "c_tilde": rf"$\tilde{{C}}_t = \tanh(W_C\cdot{HX} + b_C)$",
    "c": r"$C_t = f_t \odot C_{t-1} + i_t \odot \tilde{C}_t$",
    "o": rf"$o_t = \sigma(W_o\cdot{HX} + b_o)$",
    "h": r"$h_t = o_t \odot \tanh(C_t)$",
    "f_peep": rf"$f_t = \sigma(W_f\cdot{HX} + p_f \odot C_{{t-1}} + b_f)$",
    "i_peep": rf"$i_t = \sigma(W_i\cdot{HX} + p_i \odot C_{{t-1}} + b_i)$",
    "o_peep": rf"$o_t = \sigma(W_o\cdot{HX} + p_o \odot C_t + b_o)$",
    "c_coupled": r"$C_t = f_t \odot C_{t-1} + (1 - f_t) \odot \tilde{C}_t$",
    "z": rf"$z_t = \sigma(W_z\cdot{HX} + b_z)$",
    "r": rf"$r_t = \sigma(W_r\cdot{HX} + b_r)$",
    "h_tilde": r"$\tilde{h}_t = \tanh(W_{\tilde{h}}\cdot[r_t \odot h_{t-1}, x_t] + b_{\tilde{h}})$",
    "h_gru": r"$h_t = (1 - z_t) \odot h_{t-1} + z_t \odot \tilde{h}_t$",
    "z_after": rf"$z_t = \sigma(W_z\cdot{HX} + b_z + b_{{hz}})$",
    "r_after": rf"$r_t = \sigma(W_r\cdot{HX} + b_r + b_{{hr}})$",
    "h_tilde_after": (r"$\tilde{h}_t = \tanh(W_{x\tilde{h}}\cdot x_t + b_{\tilde{h}}"
                      r" + r_t \odot (W_{h\tilde{h}}\cdot h_{t-1} + b_{h\tilde{h}}))$"),
    "rnn": rf"$h_t = \tanh(W\cdot{HX} + b)$",
}

# x-range and y-range every single-cell figure shows (module coordinates)
_XPAD, _YLO, _YHI = 3.4, -2.3, 10.0


def cell_figure(kind, highlight=None, title=None, equations=(), values=None, eq_color=INK, width=8.0, note=None,
                blank=False, bottom=0.0, xpad=_XPAD, yhi=_YHI, **cell):
    """One module of ``kind`` with an optional bilingual title above and equations below; returns the Figure.

    The figure keeps what ``draw_cell`` drew as ``fig.lstm_drawn`` (name -> numbers) and ``fig.lstm_slots``
    (blank value cells, when ``blank``); ``bottom`` inches are left free below for another panel; ``xpad`` is the
    room left and right of the module and ``yhi`` the top of the drawing below the title (module units); ``cell``
    goes to ``draw_cell`` (``labels``, ``names``, ``up_out``)."""
    w = WIDTH[kind]
    x0, x1 = -xpad, w + xpad
    n_eq = len(equations) + (1 if note else 0)
    y0 = _YLO - 0.95 * n_eq - (0.3 if n_eq else 0)
    if title and "\n" not in title:
        title = title.replace(" · ", "\n")         # English line, Chinese line
    n_title = title.count("\n") + 1 if title else 0
    y1 = yhi + 0.8 * n_title + (0.3 if title else 0)
    h_cell = width * (y1 - y0) / (x1 - x0)
    fig, ax = new_figure(width, h_cell + bottom)
    ax.set_position((0, bottom / (h_cell + bottom), 1, h_cell / (h_cell + bottom)))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    out = draw_cell(ax, kind, highlight=highlight, values=values, blank=blank, **cell)
    if title:
        ax.text((x0 + x1) / 2, y1 - 0.25, title, fontsize=11, ha="center", va="top", color=INK, gid="title",
                linespacing=1.35)
    y = _YLO - 0.55
    for eq in equations:
        ax.text((x0 + x1) / 2, y, eq, fontsize=12, ha="center", va="center", color=eq_color, gid="equation")
        y -= 0.95
    if note:
        ax.text((x0 + x1) / 2, y, note, fontsize=7.5, ha="center", va="center", color="#555555", gid="note")
    fig.lstm_drawn = out["drawn"]
    fig.lstm_slots = out["slots"]
    fig.lstm_axes = ax
    return fig


# ---- sequences: rolled and unrolled -------------------------------------------------------------------------------
def _block(ax, x, y, label="A", part_color=OI["green"], faded=False, w=1.6, h=1.2):
    c = FADE if faded else part_color
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0,rounding_size=0.25",
                                fc=tint(c, 0.25), ec=c, lw=1.8, zorder=4))
    ax.text(x, y, label, fontsize=12, ha="center", va="center", color=INK if not faded else "#888888", zorder=5,
            fontweight="bold", family="DejaVu Sans")   # bold Latin label; the CJK font has no bold face


def _arrow(ax, a, b, color=INK, lw=1.5, conn=None, z=2):
    ax.add_patch(FancyArrowPatch(a, b, arrowstyle="-|>", mutation_scale=10, color=color, lw=lw, zorder=z,
                                 shrinkA=0, shrinkB=0, connectionstyle=conn or "arc3"))


def _io(ax, x, y_block, xin, hout, hi_in=False, hi_out=False, h=1.2, r=0.55):
    """x below, h above a block at (x, y_block); highlighted ends get a coloured disc."""
    for y, text, hi, is_in in ((y_block - 2.2, xin, hi_in, True), (y_block + 2.2, hout, hi_out, False)):
        col = OI["blue"] if is_in else OI["purple"]
        ax.add_patch(plt_circle((x, y), r, fc=tint(col, 0.9 if hi else 0.18), ec=col, lw=1.6, zorder=4))
        ax.text(x, y, text, fontsize=10, ha="center", va="center", zorder=5, color="white" if hi else INK)
    _arrow(ax, (x, y_block - 1.65), (x, y_block - h / 2))
    _arrow(ax, (x, y_block + h / 2), (x, y_block + 1.65))


def plt_circle(xy, r, **kw):
    from matplotlib.patches import Circle
    return Circle(xy, r, **kw)


def _rolled_block(ax):
    """Block A at the origin reading x_t, emitting h_t, with the loop arrow that feeds it its own state."""
    _block(ax, 0, 0)
    _io(ax, 0, 0, r"$x_t$", r"$h_t$")
    _arrow(ax, (0.8, 0.25), (0.8, -0.25), conn="arc3,rad=-1.9", color=OI["orange"], lw=1.8)


def rnn_rolled():
    """A recurrent network drawn rolled up: block A reads x_t, emits h_t and feeds itself (the loop)."""
    fig, ax = new_figure(3.2, 3.6)
    ax.set_xlim(-2.6, 3.4)
    ax.set_ylim(-3.6, 3.2)
    _rolled_block(ax)
    ax.text(2.1, 0.0, "loop\n环路", fontsize=8, ha="left", va="center", color="#8A5A00")
    ax.text(0.0, -3.35, "recurrent neural network · 循环神经网络", fontsize=7.5, ha="center", color="#555555")
    return fig


def _unrolled(ax, x0, tokens, outs, hi_in=(), hi_out=(), gap_after=None, dx=2.6, r=0.55):
    """Blocks A at x0, x0+dx, ...; the h arrows between them; optional '…' gap after index gap_after."""
    xs, x = [], x0
    for k in range(len(tokens)):
        xs.append(x)
        x += dx * (1.6 if gap_after is not None and k == gap_after else 1)
    for k, x in enumerate(xs):
        _block(ax, x, 0)
        _io(ax, x, 0, tokens[k], outs[k], hi_in=k in hi_in, hi_out=k in hi_out, r=r)
        if k:
            if gap_after is not None and k == gap_after + 1:
                _arrow(ax, (xs[k - 1] + 0.8, 0), (xs[k - 1] + 1.55, 0), color=OI["orange"])
                ax.text((xs[k - 1] + x) / 2, 0, "…", fontsize=16, ha="center", va="center", color=OI["orange"])
                _arrow(ax, (x - 1.55, 0), (x - 0.8, 0), color=OI["orange"])
            else:
                _arrow(ax, (xs[k - 1] + 0.8, 0), (x - 0.8, 0), color=OI["orange"])
    return xs


def rnn_unrolled():
    """The loop unrolled: the same block A copied once per time step, each passing its state to the next."""
    fig, ax = new_figure(8.0, 3.0)
    ax.set_xlim(-2.0, 16.8)
    ax.set_ylim(-3.6, 3.4)
    _rolled_block(ax)
    ax.text(3.0, 0, "=", fontsize=20, ha="center", va="center", color=INK)
    # steps count from 1 as in the text (t = 1, ..., T; h_0 is the initial state, not an output)
    xs = _unrolled(ax, 5.0, [r"$x_1$", r"$x_2$", r"$x_3$", r"$x_t$"], [r"$h_1$", r"$h_2$", r"$h_3$", r"$h_t$"],
                   gap_after=2, dx=2.8)
    ax.text(0.0, -3.35, "rolled · 折叠", fontsize=7.5, ha="center", color="#555555")
    ax.text((xs[0] + xs[-1]) / 2, -3.35, "unrolled in time · 按时间展开", fontsize=7.5, ha="center",
            color="#555555")
    return fig


def gap_short():
    """A short gap: the word that settles the prediction ("clouds", step 2) is three steps before it ("sky", step 5)."""
    fig, ax = new_figure(7.0, 3.4)
    ax.set_xlim(-1.6, 12.6)
    ax.set_ylim(-4.2, 3.2)
    toks = ["the", "clouds", "are", "in", "the"]
    _unrolled(ax, 0.0, toks, ["", "", "", "", "sky"], hi_in={1}, hi_out={4}, dx=2.75, r=0.7)
    for t in ax.texts:
        t.set_fontsize(8)
    ax.text(5.5, -3.7, "“the clouds are in the sky”: the clue is close · 线索就在附近", fontsize=8, ha="center",
            color="#555555")
    return fig


def gap_long():
    """A long gap: "France" settles the last word ("French"), but many steps lie between them."""
    toks = ["I", "grew", "up", "in", "France", "I", "speak", "fluent"]
    xs_end = 2.6 * (len(toks) - 1 + 0.6)
    fig, ax = new_figure(8.0, 8.0 * 7.4 / (xs_end + 3.2))
    ax.set_xlim(-1.6, xs_end + 1.6)
    ax.set_ylim(-4.2, 3.4)
    _unrolled(ax, 0.0, toks, [""] * 7 + ["French"], hi_in={4}, hi_out={7}, gap_after=4, dx=2.6, r=0.75)
    for t in ax.texts:
        if t.get_text() != "…":
            t.set_fontsize(7 if len(t.get_text()) > 4 else 8)
    ax.text(xs_end / 2, -3.7, "“I grew up in France … I speak fluent French”: the clue is far back · 线索远在前面",
            fontsize=8, ha="center", color="#555555")
    return fig


# ---- modules in a chain -------------------------------------------------------------------------------------------
def _closed(ax, kind, ox, label, w):
    """A neighbouring module drawn closed, ``w`` wide: a box the lines pass through."""
    pen = Pen(ax, highlight=set())
    pen.module(ox, 0, ox + w, HEIGHT, fc="#ECECEC")
    lines = [(TOP, 3.2, OI["orange"])] if kind != "rnn" else []
    for y, lw, c in lines + [(BUS, 1.6, "#9A9A9A")]:
        ax.plot([ox - EXT, ox + w + EXT], [y, y], color=c, lw=lw, alpha=0.35, zorder=1)
    ax.plot([ox + w / 2, ox + w / 2], [-EXT, 0], color="#9A9A9A", lw=1.6, alpha=0.35, zorder=1)
    ax.plot([ox + w / 2, ox + w / 2], [HEIGHT, HEIGHT + EXT], color="#9A9A9A", lw=1.6, alpha=0.35, zorder=1)
    ax.text(ox + w / 2, HEIGHT / 2, label, fontsize=16, ha="center", va="center", color="#8A8A8A",
            fontweight="bold", family="DejaVu Sans")


def _chain(kind, title):
    w = WIDTH[kind]
    wn = w if kind == "rnn" else 6.0     # width of the closed neighbours
    gap = 2 * EXT
    xs = [0.0, wn + gap, wn + w + 2 * gap]
    x0, x1 = -EXT - 1.6, xs[2] + wn + EXT + 1.6
    y0, y1 = -3.0, HEIGHT + EXT + 2.2
    fig, ax = new_figure(10.0, 10.0 * (y1 - y0) / (x1 - x0))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    names = ("t-1", "t", "t+1")
    for k, ox in enumerate(xs):
        if kind == "rnn" or k == 1:
            draw_cell(ax, kind, origin=(ox, 0), labels=False, names=(k == 1 and kind == "rnn"),
                      scale=1.0 if kind == "rnn" else 0.75)
            x_in, x_up = (1.2, 6.8) if kind == "rnn" else (0.8, 12.9)
        else:
            _closed(ax, kind, ox, "A", wn)
            x_in = x_up = wn / 2
        ax.text(ox + x_in, -EXT - 0.5, rf"$x_{{{names[k]}}}$", fontsize=11, ha="center", va="center")
        ax.text(ox + x_up, HEIGHT + EXT + 0.5, rf"$h_{{{names[k]}}}$", fontsize=11, ha="center", va="center")
    ax.text((x0 + x1) / 2, y1 - 0.5, title, fontsize=10, ha="center", va="center", color=INK)
    return fig


def rnn_module():
    """Three copies of the repeating module of a plain RNN: a single tanh layer."""
    return _chain("rnn", "the repeating module of an RNN holds one tanh layer · 普通循环神经网络的重复模块只有一个 tanh 层")


def lstm_chain():
    """Three LSTM modules in a chain, the middle one opened: four layers, pointwise ops, the cell-state line."""
    return _chain("lstm", "the repeating module of an LSTM holds four interacting layers · LSTM 的重复模块有四个相互作用的层")


# ---- the legend and the gate --------------------------------------------------------------------------------------
def notation():
    """Legend of the symbols every cell diagram uses."""
    fig, ax = new_figure(8.0, 2.2)
    ax.set_xlim(0, 30)
    ax.set_ylim(-3.6, 4.6)
    pen = Pen(ax)
    pen.layer(3.0, 1.6, r"$\sigma$", "input", fs=13)
    pen.op(9.0, 1.6, "×", "hidden")
    pen.wire([(13.0, 1.6), (17.0, 1.6)], "hidden")
    pen.wire([(19.8, 3.0), (21.0, 1.6)], "hidden", arrow=False)
    pen.wire([(19.8, 0.2), (21.0, 1.6)], "hidden", arrow=False)
    pen.wire([(21.0, 1.6), (23.0, 1.6)], "hidden")
    pen.wire([(25.2, 1.6), (26.8, 1.6)], "hidden", arrow=False)
    pen.wire([(26.8, 1.6), (28.6, 3.0)], "hidden")
    pen.wire([(26.8, 1.6), (28.6, 0.2)], "hidden")
    labels = [(3.0, "neural network layer\n神经网络层"), (9.0, "pointwise operation\n逐点运算"),
              (15.0, "vector transfer\n向量传递"), (21.4, "concatenate\n拼接"), (26.9, "copy\n复制")]
    for x, s in labels:
        ax.text(x, -1.6, s, fontsize=8, ha="center", va="center", color=INK)
    return fig


def gate():
    """A gate: a sigmoid layer's outputs in (0, 1) multiply a vector pointwise — 0 blocks, 1 lets through."""
    fig, ax = new_figure(6.4, 3.2)
    ax.set_xlim(-1.0, 19.0)
    ax.set_ylim(-3.3, 6.7)
    pen = Pen(ax)
    v = np.array([0.9, -0.6, 0.7, 0.4])
    g = np.array([0.02, 0.97, 0.5, 0.99])
    pen.wire([(0.5, 5.0), (8.66, 5.0)], "hidden", arrow=False, lw=2.2)
    pen.op(9.0, 5.0, "×", "forget")
    pen.wire([(9.34, 5.0), (17.5, 5.0)], "hidden", lw=2.2)
    pen.wire([(9.0, -1.8), (9.0, 0.55)], "hidden")
    pen.layer(9.0, 1.0, r"$\sigma$", "forget", fs=13)
    pen.wire([(9.0, 1.45), (9.0, 4.66)], "forget")
    pen.strip(1.0, 5.8, v, "v", label="vector · 向量", label_side="above", cw=0.8, ch=0.6, fs=7)
    pen.strip(9.6, 2.6, g, "g", label=None, cw=0.8, ch=0.6, fs=7)
    ax.text(9.6, 3.35, r"gate values $\in (0, 1)$ · 门的取值", fontsize=7.5, ha="left", va="bottom", color=INK)
    pen.strip(13.0, 5.8, v * g, "vg", label="what passes · 通过的部分", label_side="above", cw=0.8, ch=0.6, fs=7)
    ax.text(10.0, 1.0, "sigmoid layer\nsigmoid 层", fontsize=7.5, ha="left", va="center", color=INK)
    ax.text(9.0, -2.5, "0: let nothing through · 全部阻断      1: let everything through · 全部放行",
            fontsize=7.5, ha="center", va="center", color="#555555")
    return fig


# ---- the LSTM, one step at a time ---------------------------------------------------------------------------------
def cell_state_line():
    return cell_figure("lstm", {"cell", "cprev", "update"},
                       "the cell state: a conveyor belt with only small linear interactions\n"
                       "细胞状态：像一条传送带，只有少量线性相互作用", eq_color=ROLE["cell"])


def focus_forget():
    return cell_figure("lstm", {"forget", "inputs", "cprev"}, "step 1: the forget gate decides what to drop · "
                       "第一步：遗忘门决定丢弃什么", [EQ["f"]], eq_color=ROLE["forget"])


def focus_input():
    return cell_figure("lstm", {"input", "candidate", "inputs"},
                       "step 2: the input gate and candidate values decide what to store · "
                       "第二步：输入门与候选值决定存入什么", [EQ["i"], EQ["c_tilde"]], eq_color=ROLE["input"])


def focus_update():
    return cell_figure("lstm", {"update", "cell", "cprev"},
                       "step 3: update the cell state · 第三步：更新细胞状态", [EQ["c"]], eq_color="#B07800")


def focus_output():
    return cell_figure("lstm", {"output", "inputs", "hout"},
                       "step 4: the output gate decides what to emit · 第四步：输出门决定输出什么",
                       [EQ["o"], EQ["h"]], eq_color=ROLE["output"])


def peephole():
    return cell_figure("peephole", None, "peephole connections: the gates look at the cell state · "
                       "窥视孔连接：门也能看到细胞状态", [EQ["f_peep"], EQ["i_peep"], EQ["o_peep"]],
                       note=r"$p_f, p_i, p_o$ are diagonal (one weight per unit) · 窥视孔权重为对角矩阵（每个单元一个权重）")


def coupled():
    return cell_figure("coupled", None, "coupled forget and input gates: forget exactly what is replaced · "
                       "耦合的遗忘门与输入门：遗忘多少，就写入多少", [EQ["f"], EQ["c_coupled"]])


def gru():
    return cell_figure("gru", None, "gated recurrent unit (GRU), reset before the product (Cho et al.) · "
                       "门控循环单元（GRU），重置门作用在乘积之前（Cho 等）", [EQ["z"], EQ["r"], EQ["h_tilde"], EQ["h_gru"]])


def gru_reset_after():
    return cell_figure("gru-reset-after", None, "GRU with the reset applied after the product (PyTorch, cuDNN) · "
                       "重置门作用在乘积之后的 GRU（PyTorch、cuDNN）", [EQ["z_after"], EQ["r_after"], EQ["h_tilde_after"],
                                                     EQ["h_gru"]],
                       note="lin = a linear map W·v + b · lin 表示线性映射 W·v + b")


# ---- a real cell, a real step -------------------------------------------------------------------------------------
def live_example(hidden_size=4, input_size=3, seed=154):
    """The small seeded example ``lstm_live`` draws by default: (cell, x_t (1, D), state (h, c) each (1, H))."""
    from ..cells.lstm import LSTM
    rng = np.random.default_rng(seed + 1)
    # zero forget bias and weights 3x the initial scale: gates far from 0.5, so both cutting and refilling show
    # (seed 154 was picked because one unit's f_t is near 0 while its C_{t-1} is near 1)
    cell = LSTM(input_size, hidden_size, seed=seed, forget_bias=0.0)
    cell.params["W"] *= 3.0
    x_t = rng.uniform(-1, 1, (1, input_size))
    state = (np.tanh(rng.normal(0, 0.8, (1, hidden_size))), rng.normal(0, 1.0, (1, hidden_size)))
    return cell, x_t, state


def live_values(cell, x_t, state):
    """Run ``cell.step`` once; return the vectors ``lstm_live`` draws, each (H,) or (D,), by slot name."""
    (h, c), k = cell.step(x_t, state)
    take = lambda a: np.asarray(a)[0]
    return {"h_prev": take(k["h_prev"]), "x": take(k["x"]), "c_prev": take(k["c_prev"]),
            "f": take(k["f"]), "i": take(k["i"]), "c_tilde": take(k["c_tilde"]), "o": take(k["o"]),
            "f_c_prev": take(k["f"] * k["c_prev"]), "i_c_tilde": take(k["i"] * k["c_tilde"]),
            "c": take(c), "tanh_c": take(np.tanh(c)), "h": take(h)}


# lstm-live's own layout. Its numbers must be >= 11 CSS px in the book, so a value cell is about 37 px wide, four
# times the explorers' cells (cell.VALUE_SLOTS): the module fills the figure's width (no end labels: the strips name
# the wires), the strips on the cell-state line and the bus lie along them, and the gates' strips stand upright
# beside their wires. name -> (x of the left edge, y of the centre, label, label side, upright), module units.
_LIVE_CW, _LIVE_CH, _LIVE_XPAD = 1.0, 0.48, 1.7
LIVE_SLOTS = {
    "c_prev": (-1.6, 7.6, r"$C_{t-1}$", "above", False),
    "f_c_prev": (2.8, 7.6, r"$f_t\odot C_{t-1}$", "above", False),
    "c": (7.2, 7.6, r"$C_t$", "above", False),
    "h_prev": (-1.6, 1.75, r"$h_{t-1}$", "above", False),
    "x": (1.1, -0.75, r"$x_t$", "right", False),
    "h": (11.4, 0.65, r"$h_t$", "left", False),
    "f": (1.45, 5.3, r"$f_t$", "left", True),
    "i": (3.85, 5.2, r"$i_t$", "left", True),
    "c_tilde": (7.45, 4.95, r"$\tilde{C}_t$", "right", True),
    "i_c_tilde": (7.45, 6.35, r"$i_t\odot\tilde{C}_t$", "below", False),
    "tanh_c": (12.6, 4.25, r"$\tanh(C_t)$", "right", True),
    "o": (10.2, 2.31, r"$o_t$", "left", True),
}


def lstm_live(cell=None, x_t=None, state=None):
    """One real step of an ``lstm_lib.LSTM`` (first batch row), its values drawn on the wires (``LIVE_SLOTS``).

    Defaults: ``live_example()`` (H=4, D=3, seeded). The returned figure carries ``fig.lstm_values`` (the exact
    vectors) and ``fig.lstm_drawn`` (the numbers as printed, rounded to 2 decimals)."""
    if cell is None:
        ex_cell, ex_x, ex_state = live_example()
        cell = ex_cell
        x_t = ex_x if x_t is None else x_t
        state = ex_state if state is None else state
    if x_t is None:
        raise ValueError("lstm_live needs x_t when a cell is given / 给定 cell 时必须提供 x_t")
    if cell.hidden_size > 4 or cell.input_size > 4:
        raise ValueError(f"lstm_live draws at most 4 numbers per wire / 每条线最多画 4 个数; got hidden_size="
                         f"{cell.hidden_size}, input_size={cell.input_size}")
    vals = live_values(cell, x_t, state)
    fig = live_figure(vals, r"one real step of lstm_lib.LSTM: $f_t$ cuts the old cell state, "
                      r"$i_t \odot \tilde{C}_t$ refills it" "\n"
                      "lstm_lib.LSTM 实际运行的一步：遗忘门削减旧的细胞状态，输入门与候选值重新写入")
    fig.lstm_values = vals
    return fig


LIVE_NOTE = "colour: blue < 0 < orange · 颜色：蓝为负，橙为正"


def live_figure(vals, title, note=LIVE_NOTE, blank=False, bottom=0.0, width=10.0):
    """The LSTM module on ``lstm_live``'s layout (``LIVE_SLOTS``) with the vectors ``vals`` (name -> vector) drawn
    as value strips, every text at the legibility floor; returns the Figure.

    The figure carries ``fig.lstm_drawn`` (the numbers as printed), ``fig.lstm_axes`` and, when ``blank`` (empty
    cells, no numbers: the kernel-free explorers fill them in), ``fig.lstm_slots`` ((name, j, x, y, w, h) in data
    coordinates, as ``cell_figure``'s); ``fig.lstm_value_pt`` is the numbers' font size. ``bottom`` inches are left
    free below for another panel (drawn by the caller, then raised with ``legible``)."""
    with legible_drawing():
        fig = cell_figure("lstm", None, title, width=width, note=note, xpad=_LIVE_XPAD, yhi=8.8, bottom=bottom,
                          labels=False, names=False, up_out=False)
        floor = text_floor_pt(fig.get_size_inches()[0])
        pen = Pen(fig.lstm_axes)
        fig.lstm_drawn = {
            name: pen.strip(x, y, vals[name], name, label=label, label_side=side, vertical=upright,
                            cw=_LIVE_CW, ch=_LIVE_CH, fs=floor, blank=blank)
            for name, (x, y, label, side, upright) in LIVE_SLOTS.items()}
        fig.lstm_slots = pen.slots
        fig.lstm_value_pt = floor
        legible(fig)
    return fig


_RAW_FIGURES = {
    "rnn-rolled": rnn_rolled,
    "rnn-unrolled": rnn_unrolled,
    "gap-short": gap_short,
    "gap-long": gap_long,
    "rnn-module": rnn_module,
    "lstm-chain": lstm_chain,
    "notation": notation,
    "cell-state-line": cell_state_line,
    "gate": gate,
    "focus-forget": focus_forget,
    "focus-input": focus_input,
    "focus-update": focus_update,
    "focus-output": focus_output,
    "peephole": peephole,
    "coupled": coupled,
    "gru": gru,
    "gru-reset-after": gru_reset_after,
    "lstm-live": lstm_live,
    "history-timeline": history_timeline,
}


def _legible_figure(make):
    def draw(*args, **kwargs):
        with legible_drawing():
            return legible(make(*args, **kwargs))
    draw.__name__, draw.__doc__ = make.__name__, make.__doc__
    return draw


# Every figure of the book with its text raised to the legibility floor (>= 11 CSS px as the book shows it at
# 1280 px). The explorers (lstm_lib.explorers) draw on lstm_live's layout through live_figure.
FIGURES = {name: _legible_figure(make) for name, make in _RAW_FIGURES.items()}
