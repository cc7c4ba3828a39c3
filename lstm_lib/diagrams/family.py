"""Appendix C's figures, the recurrent family: a bidirectional RNN, an echo state network, a neural Turing machine
and a liquid state machine, in the course's style (Okabe–Ito palette, rounded blocks, bilingual labels).

The RNN, LSTM and GRU entries reuse chapter 1–6 figures (``rnn-unrolled``, ``lstm-chain``, ``gru``)."""
import numpy as np
from matplotlib.patches import FancyBboxPatch, Rectangle

from ._style import INK, OI, new_figure, tint
from .figures import _arrow, _block, plt_circle

GREY = "#555555"


def _node(ax, x, y, text, color, r=0.5, fs=10, filled=False):
    ax.add_patch(plt_circle((x, y), r, fc=tint(color, 0.9 if filled else 0.18), ec=color, lw=1.6, zorder=4))
    if text:
        ax.text(x, y, text, fontsize=fs, ha="center", va="center", zorder=5, color="white" if filled else INK)


def bidirectional():
    """Two RNNs over one sequence: the forward one (green) reads left to right, the backward one (blue) right to left;
    the output y_t at each step reads both."""
    fig, ax = new_figure(6.6, 4.2)
    ax.set_xlim(-3.2, 9.4)
    ax.set_ylim(-0.9, 7.1)
    xs = [1.2, 4.2, 7.2]
    for k, x in enumerate(xs, 1):
        _node(ax, x, 0.0, f"$x_{k}$", OI["blue"], r=0.48)
        _node(ax, x, 6.1, f"$y_{k}$", OI["purple"], r=0.48)
        xf, xb = x - 0.6, x + 0.6
        _block(ax, xf, 2.1, "A", part_color=OI["green"], w=1.0, h=0.8)
        _block(ax, xb, 3.9, "A′", part_color=OI["blue"], w=1.0, h=0.8)
        _arrow(ax, (x - 0.2, 0.45), (xf, 1.7))                      # x_t into both directions
        _arrow(ax, (x + 0.2, 0.45), (xb, 3.5))
        _arrow(ax, (xf, 2.5), (x - 0.2, 5.65))                      # both into y_t
        _arrow(ax, (xb, 4.3), (x + 0.2, 5.65))
        if k < 3:
            _arrow(ax, (xf + 0.5, 2.1), (xs[k] - 0.6 - 0.5, 2.1), color=OI["green"], lw=1.8)
            _arrow(ax, (xs[k] + 0.6 - 0.5, 3.9), (xb + 0.5, 3.9), color=OI["blue"], lw=1.8)
    ax.text(-3.0, 2.1, "forward\n前向", fontsize=9, ha="left", va="center", color=OI["green"])
    ax.text(-3.0, 3.9, "backward\n后向", fontsize=9, ha="left", va="center", color=OI["blue"])
    ax.text(-3.0, 6.1, "$y_t = [h^{→}_t, h^{←}_t]$", fontsize=9, ha="left", va="center", color=INK)
    ax.text(4.2, -0.75, "every output sees the whole input · 每个输出都看到整个输入", fontsize=8, ha="center",
            color=GREY)
    return fig


def _reservoir(ax, cx, cy, R, n, rng, color, spikes=False):
    """n nodes scattered in a disc of radius R, with sparse random arrows between them; returns their positions."""
    ax.add_patch(plt_circle((cx, cy), R + 0.5, fc=tint(color, 0.08), ec=tint(color, 0.6), lw=1.2, zorder=1))
    ang = np.linspace(0, 2 * np.pi, n, endpoint=False) + rng.uniform(0, 0.4, n)
    rad = R * np.sqrt(rng.uniform(0.15, 0.9, n))
    pts = np.c_[cx + rad * np.cos(ang), cy + rad * np.sin(ang)]
    for i in range(n):
        for j in rng.choice(n, 2, replace=False):
            if i != j:
                _arrow(ax, tuple(pts[i]), tuple(pts[j]), color=tint(color, 0.55), lw=0.9, z=2)
    for x, y in pts:
        ax.add_patch(plt_circle((x, y), 0.2, fc=tint(color, 0.7 if spikes else 0.35), ec=color, lw=1.0, zorder=4))
    return pts


def esn():
    """An echo state network: input u_t drives a fixed random reservoir (spectral radius < 1); only the readout
    W_out (vermillion) is trained, by ridge regression."""
    fig, ax = new_figure(6.6, 4.0)
    ax.set_xlim(-1.2, 12.0)
    ax.set_ylim(-1.6, 6.4)
    rng = np.random.default_rng(3)
    pts = _reservoir(ax, 5.5, 2.5, 2.4, 14, rng, OI["green"])
    _node(ax, 0.4, 2.5, "$u_t$", OI["blue"], r=0.55)
    _node(ax, 10.9, 2.5, r"$\hat y_t$", OI["purple"], r=0.55)
    for p in pts[rng.choice(len(pts), 5, replace=False)]:
        _arrow(ax, (0.95, 2.5), tuple(p), color=OI["blue"], lw=1.0)
    for p in pts:
        _arrow(ax, tuple(p), (10.35, 2.5), color=OI["vermillion"], lw=1.4, z=3)
    ax.text(0.4, 4.1, "input $W_{in}$\n输入（固定）", fontsize=9, ha="center", va="center", color=OI["blue"])
    ax.text(5.5, 5.9, "reservoir $W$: fixed, $\\rho(W) < 1$ · 储备池：固定", fontsize=9, ha="center",
            va="center", color=OI["green"])
    ax.text(10.5, 4.3, "readout $W_{out}$\ntrained · 训练", fontsize=9, ha="center", va="center",
            color=OI["vermillion"])
    ax.text(5.5, -1.05, "ridge regression, no backpropagation · 岭回归，无需反向传播", fontsize=8, ha="center",
            color="#555555")
    return fig


def ntm():
    """A neural Turing machine: a controller network reads from and writes to a memory matrix through heads whose
    attention weights w_t select rows by content and by location."""
    fig, ax = new_figure(6.6, 4.2)
    ax.set_xlim(-0.6, 13.4)
    ax.set_ylim(-1.7, 7.2)
    ax.add_patch(FancyBboxPatch((0.6, 2.0), 3.2, 2.0, boxstyle="round,pad=0,rounding_size=0.3",
                                fc=tint(OI["green"], 0.25), ec=OI["green"], lw=1.8, zorder=4))
    ax.text(2.2, 3.25, "controller", fontsize=10, ha="center", va="center", zorder=5)
    ax.text(2.2, 2.6, "控制器 (LSTM)", fontsize=9, ha="center", va="center", zorder=5)
    _node(ax, 2.2, -0.6, "$x_t$", OI["blue"], r=0.5)
    _node(ax, 2.2, 6.3, "$y_t$", OI["purple"], r=0.5)
    _arrow(ax, (2.2, -0.1), (2.2, 2.0))
    _arrow(ax, (2.2, 4.0), (2.2, 5.8))
    rows, x0, y0, cw, ch = 8, 9.0, 0.6, 0.55, 0.6
    w = np.array([0.02, 0.05, 0.6, 0.25, 0.05, 0.02, 0.01, 0.0])    # an example of sharp attention weights
    vals = np.random.default_rng(2).uniform(-1, 1, (rows, 5))
    for r in range(rows):
        y = y0 + (rows - 1 - r) * ch
        ax.add_patch(Rectangle((x0 - 0.75, y), 0.5, ch, fc=tint(OI["orange"], 0.1 + 0.9 * w[r]), ec="white", lw=1))
        for c in range(5):
            v = vals[r, c]
            ax.add_patch(Rectangle((x0 + c * cw, y), cw, ch, fc=tint(OI["sky"] if v < 0 else OI["yellow"],
                                                                     0.25 + 0.4 * abs(v)), ec="white", lw=1))
    top = y0 + rows * ch
    ax.text(x0 + 2.5 * cw, top + 0.4, "memory $M_t$ · 记忆矩阵", fontsize=9, ha="center", va="bottom")
    ax.text(x0 - 0.5, y0 - 0.35, "$w_t$", fontsize=10, ha="center", va="top", color=OI["orange"])
    ax.text(x0 + 2.5 * cw + 0.3, y0 - 0.35, "N × M · N 行 M 列", fontsize=8, ha="center", va="top",
            color=GREY)
    _arrow(ax, (x0 - 0.85, 3.9), (3.8, 3.6), color=OI["blue"], lw=1.8)          # read: memory → controller
    _arrow(ax, (3.8, 2.4), (x0 - 0.85, 2.1), color=OI["vermillion"], lw=1.8)   # write: controller → memory
    ax.text(6.1, 4.35, "read head · 读头  $r_t = w_t M_t$", fontsize=9, ha="center", va="bottom", color=OI["blue"])
    ax.text(6.1, 1.55, "write head · 写头", fontsize=9, ha="center", va="top", color=OI["vermillion"])
    ax.text(6.1, 0.85, "erase $e_t$, add $a_t$ · 擦除、添加", fontsize=8, ha="center", va="top",
            color=OI["vermillion"])
    ax.text(6.2, -1.35, "addressing by content and by location, all differentiable · 按内容与按位置寻址，处处可微",
            fontsize=8, ha="center", va="center", color=GREY)
    return fig


def lsm():
    """A liquid state machine: input spike trains perturb a fixed random circuit of spiking neurons (the "liquid");
    a trained readout reads the liquid's current state."""
    fig, ax = new_figure(6.6, 4.0)
    ax.set_xlim(-0.4, 13.2)
    ax.set_ylim(-1.6, 6.6)
    rng = np.random.default_rng(5)
    for k, y in enumerate((1.4, 2.5, 3.6)):                       # three input spike trains
        ax.plot([0.2, 2.6], [y, y], color=OI["blue"], lw=1.0)
        for t in np.sort(rng.uniform(0.3, 2.5, 5)):
            ax.plot([t, t], [y, y + 0.5], color=OI["blue"], lw=1.6)
        _arrow(ax, (2.7, y + 0.2), (4.1, 2.5 + 0.5 * (k - 1)), color=OI["blue"], lw=1.0)
    ax.text(1.4, 4.8, "input spike trains\n输入脉冲序列", fontsize=9, ha="center", va="center", color=OI["blue"])
    pts = _reservoir(ax, 6.6, 2.5, 2.2, 13, rng, OI["orange"], spikes=True)
    ax.text(6.6, 5.8, "liquid: fixed random spiking circuit · 液体：固定的随机脉冲神经元回路", fontsize=9,
            ha="center", va="center", color="#8A5A00")
    ax.add_patch(FancyBboxPatch((10.6, 1.9), 1.8, 1.2, boxstyle="round,pad=0,rounding_size=0.25",
                                fc=tint(OI["vermillion"], 0.25), ec=OI["vermillion"], lw=1.8, zorder=4))
    ax.text(11.5, 2.5, "readout", fontsize=9, ha="center", va="center", zorder=5)
    ax.text(11.5, 1.35, "读出（训练）", fontsize=9, ha="center", va="center", color=OI["vermillion"])
    for p in pts[::2]:
        _arrow(ax, tuple(p), (10.6, 2.5), color=OI["vermillion"], lw=1.0, z=3)
    ax.text(6.6, -1.1, "fading memory of recent input in the liquid's state · 液体状态中对近期输入的渐隐记忆",
            fontsize=8, ha="center", va="center", color=GREY)
    return fig


FAMILY_FIGURES = {"bidirectional": bidirectional, "esn": esn, "ntm": ntm, "lsm": lsm}

FAMILY_CAPTIONS = {
    "bidirectional": {
        "en": "A bidirectional RNN: one cell reads the sequence forwards, a second reads it backwards, and each output "
              "y_t concatenates their two hidden states, so it depends on the whole input.",
        "zh": "双向循环神经网络：一个单元从前往后读序列，另一个从后往前读，每个输出 y_t 拼接二者的隐藏状态，因此取决于整个输入。",
        "alt_en": "Three time steps. Inputs x_1 to x_3 at the bottom feed two rows of boxes: a green forward row whose "
                  "arrows run left to right and a blue backward row whose arrows run right to left. Both rows feed "
                  "the outputs y_1 to y_3 at the top.",
        "alt_zh": "三个时间步。底部的输入 x_1 到 x_3 送入两排方框：绿色的前向一排箭头从左指向右，蓝色的后向一排箭头从右指向左。"
                  "两排都连到顶部的输出 y_1 到 y_3。",
    },
    "esn": {
        "en": "An echo state network: the input drives a fixed random reservoir whose recurrent weights are scaled to "
              "a spectral radius below 1; only the readout W_out is trained, by ridge regression.",
        "zh": "回声状态网络：输入驱动一个固定的随机储备池，其循环权重缩放到谱半径小于 1；只训练读出权重 W_out，用岭回归求得。",
        "alt_en": "An input circle u_t on the left sends blue arrows into a green disc of fourteen randomly connected "
                  "nodes; every node sends a vermillion arrow to the output circle on the right, labelled as the "
                  "trained readout.",
        "alt_zh": "左边的输入圆圈 u_t 用蓝色箭头连到一个绿色圆盘，盘里有十四个随机相连的节点；每个节点都有一条朱红色箭头连到右边的"
                  "输出圆圈，标注为需要训练的读出。",
    },
    "ntm": {
        "en": "A neural Turing machine: a controller network reads from and writes to a memory matrix through heads "
              "whose attention weights w_t pick rows by content and by location; every step is differentiable.",
        "zh": "神经图灵机：控制器网络通过读头和写头访问一个记忆矩阵，头的注意力权重 w_t 按内容和按位置选择行；每一步都可微。",
        "alt_en": "A green controller box between input x_t below and output y_t above. To its right a grid of memory "
                  "cells, eight rows by five columns, with an orange column of attention weights beside it, darkest "
                  "on the third row. A blue read arrow goes from memory to the controller and a vermillion write "
                  "arrow from the controller to memory.",
        "alt_zh": "绿色的控制器方框下方是输入 x_t，上方是输出 y_t。右边是八行五列的记忆格子，旁边一列橙色的注意力权重，第三行最深。"
                  "蓝色的读箭头从记忆指向控制器，朱红色的写箭头从控制器指向记忆。",
    },
    "lsm": {
        "en": "A liquid state machine: input spike trains perturb a fixed, randomly connected circuit of spiking "
              "neurons, and a trained readout maps the circuit's current state to the output.",
        "zh": "液体状态机：输入的脉冲序列扰动一个固定、随机连接的脉冲神经元回路，经过训练的读出把回路的当前状态映射为输出。",
        "alt_en": "Three blue lines with spike ticks on the left send arrows into an orange disc of randomly connected "
                  "neurons; vermillion arrows from some neurons lead to a readout box on the right.",
        "alt_zh": "左边三条带脉冲刻度的蓝线用箭头连到一个橙色圆盘，盘中是随机相连的神经元；部分神经元用朱红色箭头连到右边的读出方框。",
    },
}
