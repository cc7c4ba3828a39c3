r"""The one parametric drawing of a recurrent module: ``draw_cell(ax, kind, highlight, values)``.

kind: ``"rnn"``, ``"lstm"``, ``"peephole"``, ``"coupled"``, ``"gru"`` (reset before the matrix product, Cho et al.
2014 / colah) or ``"gru-reset-after"`` (reset after it, as PyTorch's ``nn.GRU`` and cuDNN compute it).

highlight: None (everything in colour) or a set of part names; parts outside it are drawn faded. Part names:
``inputs`` (h_{t-1}, x_t and their concatenation), ``cprev`` (C_{t-1} entering), ``cell`` (the cell-state line),
``forget``, ``input``, ``candidate``, ``update`` (the writes into the cell state), ``output``, ``hout`` (h_t leaving),
``peephole``, ``coupled``; for the GRU ``reset``, ``zgate``, ``candidate``, ``update``, ``hout``; for the RNN ``rnn``.

values: None, or a dict name -> vector drawn as heat strips at fixed places on the wires (see ``VALUE_SLOTS``).

Module coordinates: the LSTM/GRU module spans x 0..14, y 0..8 (the RNN module x 0..8); wires enter and leave
1.4 units beyond. ``origin`` shifts the whole drawing (the chain figures draw several modules side by side).
"""
from __future__ import annotations

from ._style import Pen

KINDS = ("rnn", "lstm", "peephole", "coupled", "gru", "gru-reset-after")
WIDTH = {"rnn": 8.0, "lstm": 14.0, "peephole": 14.0, "coupled": 14.0, "gru": 14.0, "gru-reset-after": 14.0}
HEIGHT = 8.0
BUS = 1.2        # y of the [h_{t-1}, x_t] bus and of the h line entering/leaving
TOP = 7.0        # y of the cell-state line (LSTM family) / the h line (GRU)
LAYER = 3.4      # y of the layers
MID = 5.2        # y of the pointwise operations between
EXT = 1.4        # how far wires stick out of the module

LAYER_NAMES = {
    "forget": "forget gate\n遗忘门", "input": "input gate\n输入门", "candidate": "candidate\n候选值",
    "output": "output gate\n输出门", "reset": "reset gate\n重置门", "zgate": "update gate\n更新门",
    "rnn": "tanh layer\ntanh 层",
}

# where values are drawn (lstm family): name -> (x of the strip's left edge, y of its centre, label)
VALUE_SLOTS = {
    "h_prev": (-3.2, 0.45, None),
    "x": (1.05, -0.75, None),
    "c_prev": (-3.2, 7.6, None),
    "f": (0.3, 5.5, r"$f_t$"),
    "f_c_prev": (3.3, 7.6, r"$f_t\odot C_{t-1}$"),
    "i": (2.8, 4.35, r"$i_t$"),
    "c_tilde": (7.2, 4.35, r"$\tilde{C}_t$"),
    "i_c_tilde": (7.3, 6.05, r"$i_t\odot\tilde{C}_t$"),
    "c": (13.2, 7.6, None),
    "tanh_c": (8.95, 5.15, r"$\tanh(C_t)$"),
    "o": (9.85, 2.6, r"$o_t$"),
    "h": (13.3, 0.45, None),
}


def draw_cell(ax, kind="lstm", highlight=None, values=None, origin=(0.0, 0.0), ends=True, labels=True,
              names=True, up_out=True, scale=1.0, blank=False):
    """Draw one module of ``kind`` on ``ax``; return ``{"drawn": {name: [numbers drawn]}, "pen": pen}``.

    ends: draw (and label, if labels) the wires entering and leaving the module; names: write the bilingual
    layer names; up_out: draw h_t also leaving through the top (to the output).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS} / kind 应为 {KINDS} 之一, got / 实际为 {kind!r}")
    pen = Pen(ax, highlight, scale=scale)
    ox, oy = origin

    def P(*pts):
        return [(ox + x, oy + y) for x, y in pts]

    pen.module(*P((0, 0))[0], *P((WIDTH[kind], HEIGHT))[0])
    names = names and not values    # with values drawn, the numbers take the space of the layer names
    g = dict(pen=pen, P=P, ox=ox, oy=oy, ends=ends, labels=labels, names=names, up_out=up_out)
    if kind == "rnn":
        _rnn(**g)
    elif kind in ("lstm", "peephole", "coupled"):
        _lstm(kind, **g)
    else:
        _gru(kind, **g)
    drawn = {}
    if values:
        if kind not in ("lstm", "peephole", "coupled"):
            raise ValueError(f"values can be drawn on the LSTM family only / 只能在 LSTM 类单元上标注数值, got {kind!r}")
        for name, v in values.items():
            if name not in VALUE_SLOTS:
                raise KeyError(f"no place for value {name!r} / 数值 {name!r} 没有位置; expected one of "
                               f"{sorted(VALUE_SLOTS)}")
            x, y, label = VALUE_SLOTS[name]
            drawn[name] = pen.strip(ox + x, oy + y, v, name, label=label, label_side="above", blank=blank)
    return {"drawn": drawn, "pen": pen, "slots": pen.slots}


def _inputs(pen, P, ends, labels, x_in, bus_end, part="inputs"):
    """h_{t-1} entering along the bus, x_t joining from below (the dot = concatenation)."""
    if ends:
        pen.wire(P((-EXT, BUS), (x_in, BUS)), part, arrow=False)
        if labels:
            pen.text(*P((-EXT - 0.15, BUS))[0], r"$h_{t-1}$", part, fs=11, ha="right")
    pen.wire(P((x_in, -EXT if ends else 0.0), (x_in, BUS)), part, arrow=False)
    if ends and labels:
        pen.text(*P((x_in, -EXT - 0.45))[0], r"$x_t$", part, fs=11)
    pen.wire(P((x_in, BUS), (bus_end, BUS)), part, arrow=False)
    pen.dot(*P((x_in, BUS))[0], part)


def _layer_feed(pen, P, x, part="inputs"):
    """A branch from the bus up into the layer at x (the copy of [h_{t-1}, x_t] each layer receives)."""
    pen.wire(P((x, BUS), (x, LAYER - 0.45)), part)


def _out(pen, P, w, x_from, y_from, ends, labels, up_out, part="hout", x_up=None):
    """h_t: down to the bus level and out on the right; and (up_out) up through the top to the output."""
    x_up = w - 1.2 if x_up is None else x_up
    pen.wire(P((x_from, y_from), (x_from, BUS), (w + (EXT if ends else 0), BUS)), part, arrow=ends)
    if up_out:
        pen.dot(*P((x_up, BUS))[0], part)
        pen.wire(P((x_up, BUS), (x_up, HEIGHT + (EXT if ends else 0.6))), part, z=3)
    if ends and labels:
        pen.text(*P((w + EXT + 0.15, BUS))[0], r"$h_t$", part, fs=11, ha="left")
        if up_out:
            pen.text(*P((x_up, HEIGHT + EXT + 0.4))[0], r"$h_t$", part, fs=11)


def _rnn(pen, P, ox, oy, ends, labels, names, up_out):
    w = WIDTH["rnn"]
    _inputs(pen, P, ends, labels, x_in=1.2, bus_end=3.4)
    _layer_feed(pen, P, 3.4)
    pen.layer(*P((3.4, LAYER))[0], "tanh", "rnn")
    if names:
        pen.text(*P((4.25, LAYER))[0], LAYER_NAMES["rnn"], "rnn", fs=7, ha="left")
    pen.wire(P((3.4, LAYER + 0.45), (3.4, 5.6), (5.6, 5.6)), "hout", arrow=False)
    _out(pen, P, w, 5.6, 5.6, ends, labels, up_out, x_up=6.8)


def _lstm(kind, pen, P, ox, oy, ends, labels, names, up_out):
    w = WIDTH[kind]
    xf, xi, xc, xo, xt = 2.6, 5.0, 7.0, 9.4, 11.6   # forget, input, candidate, output layers; tanh / × output
    # the cell-state line: C_{t-1} -> × (forget) -> + (update) -> C_t
    pen.wire(P((-EXT if ends else 0, TOP), (xf - 0.34, TOP)), ("cprev", "cell"), arrow=False, lw=3.2)
    pen.wire(P((xf + 0.34, TOP), (xc - 0.34, TOP)), "cell", arrow=False, lw=3.2)
    pen.wire(P((xc + 0.34, TOP), (w + (EXT if ends else 0), TOP)), "cell", arrow=ends, lw=3.2)
    if ends and labels:
        pen.text(*P((-EXT - 0.15, TOP))[0], r"$C_{t-1}$", ("cprev", "cell"), fs=11, ha="right",
                 color="#B07800")
        pen.text(*P((w + EXT + 0.15, TOP))[0], r"$C_t$", "cell", fs=11, ha="left", color="#B07800")
    _inputs(pen, P, ends, labels, x_in=0.8, bus_end=xo)
    # forget gate
    _layer_feed(pen, P, xf)
    pen.layer(*P((xf, LAYER))[0], r"$\sigma$", "forget", fs=13)
    pen.wire(P((xf, LAYER + 0.45), (xf, TOP - 0.34)), "forget")
    pen.op(*P((xf, TOP))[0], "×", ("forget", "update"))
    if kind == "coupled":
        # no input gate: 1 − f_t decides how much of C̃_t is written
        pen.dot(*P((xf, MID))[0], "coupled")
        pen.wire(P((xf, MID), (xi - 0.34, MID)), "coupled")
        pen.op(*P((xi, MID))[0], "1−", "coupled", fs=9)
        pen.wire(P((xi + 0.34, MID), (xc - 0.34, MID)), "coupled")
    else:
        _layer_feed(pen, P, xi)
        pen.layer(*P((xi, LAYER))[0], r"$\sigma$", "input", fs=13)
        pen.wire(P((xi, LAYER + 0.45), (xi, MID), (xc - 0.34, MID)), "input")
    # candidate values
    _layer_feed(pen, P, xc)
    pen.layer(*P((xc, LAYER))[0], "tanh", "candidate")
    pen.wire(P((xc, LAYER + 0.45), (xc, MID - 0.34)), "candidate")
    pen.op(*P((xc, MID))[0], "×", ("coupled", "update") if kind == "coupled" else ("input", "update"))
    pen.wire(P((xc, MID + 0.34), (xc, TOP - 0.34)), "update")
    pen.op(*P((xc, TOP))[0], "+", "update")
    # output gate and h_t = o_t ⊙ tanh(C_t)
    _layer_feed(pen, P, xo)
    pen.layer(*P((xo, LAYER))[0], r"$\sigma$", "output", fs=13)
    pen.wire(P((xo + 0.65, LAYER), (xt - 0.34, LAYER)), "output")
    pen.dot(*P((xt, TOP))[0], "output")
    pen.wire(P((xt, TOP), (xt, MID + 0.34)), "output")
    pen.op(*P((xt, MID))[0], "tanh", "output", fs=7)
    pen.wire(P((xt, MID - 0.34), (xt, LAYER + 0.34)), "output")
    pen.op(*P((xt, LAYER))[0], "×", "output")
    _out(pen, P, w, xt, LAYER - 0.34, ends, labels, up_out, x_up=12.9)
    if kind == "peephole":
        # the gates look at the cell state: f_t and i_t at C_{t-1}, o_t at C_t
        # f_t and i_t tap the line before the forget gate's × (that is C_{t-1}), o_t after the + (that is C_t)
        for x_from, y_turn, x_to in ((1.2, 4.4, xf - 0.4), (1.9, 4.75, xi - 0.4), (8.6, 4.4, xo - 0.4)):
            pen.dot(*P((x_from, TOP))[0], "peephole")
            pen.wire(P((x_from, TOP), (x_from, y_turn), (x_to, y_turn), (x_to, LAYER + 0.45)), "peephole",
                     dashed=True, z=3)
    if names:
        nx = {"forget": xf, "input": xi, "candidate": xc, "output": xo}
        for part, x in nx.items():
            if kind == "coupled" and part == "input":
                continue
            pen.text(*P((x + 0.15, 2.15))[0], LAYER_NAMES[part], part, fs=6.5, ha="left")
        if kind == "coupled":
            pen.text(*P((xi, MID + 0.5))[0], r"$1-f_t$", "coupled", fs=8, va="bottom")


def _gru(kind, pen, P, ox, oy, ends, labels, names, up_out):
    """GRU, with colah's / Chung et al.'s interpolation h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t
    (Cho et al. 2014 swap z and 1 − z)."""
    w = WIDTH[kind]
    xd, xx, xr, xz, xh = 0.6, 1.4, 2.4, 4.2, 7.6    # h drop, x_t, reset, update, candidate layer
    xk, xp = 9.4, 12.0                               # keep ×, + on the h line
    # the h line along the top: h_{t-1} -> × (keep) -> + -> h_t
    pen.wire(P((-EXT if ends else 0, TOP), (xk - 0.34, TOP)), "keep", arrow=False, lw=2.4)
    pen.wire(P((xk + 0.34, TOP), (xp - 0.34, TOP)), ("keep", "update"), arrow=False, lw=2.4)
    pen.wire(P((xp + 0.34, TOP), (w + (EXT if ends else 0), TOP)), "hout", arrow=ends, lw=2.4)
    if ends and labels:
        pen.text(*P((-EXT - 0.15, TOP))[0], r"$h_{t-1}$", "inputs", fs=11, ha="right")
        pen.text(*P((w + EXT + 0.15, TOP))[0], r"$h_t$", "hout", fs=11, ha="left")
    if up_out:
        pen.dot(*P((13.2, TOP))[0], "hout")
        pen.wire(P((13.2, TOP), (13.2, HEIGHT + (EXT if ends else 0.6))), "hout")
        if ends and labels:
            pen.text(*P((13.2, HEIGHT + EXT + 0.4))[0], r"$h_t$", "hout", fs=11)
    # [h_{t-1}, x_t] into the two gates
    pen.dot(*P((xd, TOP))[0], "inputs")
    pen.wire(P((xd, TOP), (xd, BUS), (xz, BUS)), "inputs", arrow=False)
    pen.wire(P((xx, -EXT if ends else 0.0), (xx, BUS)), "inputs", arrow=False)
    pen.dot(*P((xx, BUS))[0], "inputs")
    if ends and labels:
        pen.text(*P((xx, -EXT - 0.45))[0], r"$x_t$", "inputs", fs=11)
    for x, part in ((xr, "reset"), (xz, "zgate")):
        pen.wire(P((x, BUS), (x, LAYER - 0.45)), "inputs")
        pen.layer(*P((x, LAYER))[0], r"$\sigma$", part, fs=13)
    # update gate: z_t to the new-content ×, 1 − z_t to the keep ×
    pen.wire(P((xz, LAYER + 0.45), (xz, 5.9), (xk - 0.34, 5.9)), "zgate")
    pen.op(*P((xk, 5.9))[0], "1−", "zgate", fs=8)
    pen.wire(P((xk, 5.9 + 0.34), (xk, TOP - 0.34)), "zgate")
    pen.op(*P((xk, TOP))[0], "×", ("keep", "zgate", "update"))
    pen.dot(*P((8.5, 5.9))[0], "zgate")
    pen.wire(P((8.5, 5.9), (8.5, 4.7), (xp - 0.34, 4.7)), "zgate")
    # x_t to the candidate layer, along the bottom
    pen.dot(*P((xx, 0.35))[0], "inputs")
    pen.wire(P((xx, 0.35), (xh, 0.35), (xh, 1.6 if kind == "gru" else 1.4)), "inputs")
    if kind == "gru":
        # reset before the product: h̃_t = tanh(W·[r_t ⊙ h_{t-1}, x_t] + b)
        pen.dot(*P((xd, MID))[0], "inputs")
        pen.wire(P((xd, MID), (xr - 0.34, MID)), "inputs")
        pen.wire(P((xr, LAYER + 0.45), (xr, MID - 0.34)), "reset")
        pen.op(*P((xr, MID))[0], "×", "reset")
        pen.wire(P((xr + 0.34, MID), (5.9, MID), (5.9, 1.95), (xh - 0.1, 1.95)), "reset", arrow=False)
        pen.dot(*P((xh, 1.95))[0], "candidate")
        pen.wire(P((xh, 1.6), (xh, LAYER - 0.45)), "candidate")
        pen.layer(*P((xh, LAYER))[0], "tanh", "candidate")
    else:
        # reset after the product: h̃_t = tanh(W_x·x_t + b_x + r_t ⊙ (W_h·h_{t-1} + b_h))
        pen.dot(*P((xd, MID))[0], "inputs")
        pen.wire(P((xd, MID), (1.6 - 0.55, MID)), "inputs")
        pen.layer(*P((1.6, MID))[0], "lin", "candidate", w=1.1, h=0.7, fs=8)
        pen.wire(P((1.6 + 0.55, MID), (3.3 - 0.34, MID)), "candidate")
        pen.wire(P((xr, LAYER + 0.45), (xr, 4.3), (3.3, 4.3), (3.3, MID - 0.34)), "reset")
        pen.op(*P((3.3, MID))[0], "×", "reset")
        pen.wire(P((3.3 + 0.34, MID), (5.9, MID), (5.9, 2.3), (xh - 0.34, 2.3)), "reset")
        pen.layer(*P((xh, 1.75))[0], "lin", "candidate", w=1.1, h=0.7, fs=8)
        pen.wire(P((xh, 2.1), (xh, 2.3 - 0.34)), "candidate")
        pen.op(*P((xh, 2.3))[0], "+", "candidate")
        pen.wire(P((xh, 2.3 + 0.34), (xh, LAYER - 0.34)), "candidate")
        pen.op(*P((xh, LAYER))[0], "tanh", "candidate", fs=7)
    pen.wire(P((xh, LAYER + (0.45 if kind == "gru" else 0.34)), (xh, 4.15), (xp, 4.15), (xp, 4.7 - 0.34)),
             "candidate")
    pen.op(*P((xp, 4.7))[0], "×", ("candidate", "update"))
    pen.wire(P((xp, 4.7 + 0.34), (xp, TOP - 0.34)), "update")
    pen.op(*P((xp, TOP))[0], "+", "update")
    if names:
        pen.text(*P((xr - 0.15, 2.15))[0], LAYER_NAMES["reset"], "reset", fs=6.5, ha="right")
        pen.text(*P((xz + 0.15, 2.15))[0], LAYER_NAMES["zgate"], "zgate", fs=6.5, ha="left")
        pen.text(*P((xh + 0.75, LAYER))[0], "candidate\n候选状态", "candidate", fs=6.5, ha="left")
