"""Input checks shared by every cell (one place, so every message reads the same).

Each check either returns the value converted to what the cell computes with, or raises ``ValueError`` /
``TypeError`` / ``KeyError`` with a message that names what was expected and what came, in English then Chinese:

    expected x of shape (T, B, 3), got (5, 2, 4) / 期望 x 的形状为 (T, B, 3)，实际为 (5, 2, 4)
"""
import numbers

import numpy as np

DTYPES = (np.float32, np.float64)


class CallOrderError(ValueError, RuntimeError):
    """Raised for ``backward`` without a fresh ``forward``: a ValueError (bad input, like every other check here)
    that is also a RuntimeError (the usual Python class for calls in the wrong order), so either ``except`` works."""


def _msg(en, zh):
    return f"{en} / {zh}"


def no_forward(what="cell"):
    """The error for ``what.backward`` with no forward pending (each forward allows one backward); raise it."""
    return CallOrderError(_msg(
        f"expected {what}.forward(x) before {what}.backward(dy) (backward is allowed once per forward), "
        "got a backward with no forward pending",
        f"期望先调用 {what}.forward(x) 再调用 {what}.backward(dy)（每次 forward 只能 backward 一次），"
        "实际没有尚未反向传播的 forward"))


def size(name, value):
    """A positive integer size (``input_size``, ``hidden_size``); bools and floats like 3.0 are refused."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(_msg(f"expected {name} to be a positive integer, got {value!r} ({type(value).__name__})",
                             f"期望 {name} 为正整数，实际为 {value!r}（{type(value).__name__}）"))
    if value <= 0:
        raise ValueError(_msg(f"expected {name} to be a positive integer, got {value}",
                              f"期望 {name} 为正整数，实际为 {value}"))
    return int(value)


def seed(value):
    """A non-negative integer seed, returned as int (every cell and stack takes ``seed=``)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise TypeError(_msg(f"expected seed to be a non-negative integer, got {value!r}",
                             f"期望 seed 为非负整数，实际为 {value!r}"))
    return int(value)


def dtype(value):
    """np.float32 or np.float64 (anything np.dtype accepts that means one of them)."""
    try:
        dt = np.dtype(value)
    except TypeError:
        dt = None
    if dt is None or dt.type not in DTYPES:
        raise TypeError(_msg(f"expected dtype float32 or float64, got {value!r}",
                             f"期望 dtype 为 float32 或 float64，实际为 {value!r}"))
    return dt.type


def array(name, value, shape, dt, dims=None):
    """``value`` as a finite array of dtype ``dt`` and the given shape.

    ``shape`` holds ints (must match) and None (any length); ``dims`` names the axes for the message, e.g.
    ``("T", "B", 3)``. Integer and bool input is converted; strings, objects and complex numbers are refused.
    """
    if dims is None:
        dims = shape
    want = "(" + ", ".join(str(d) for d in dims) + (",)" if len(dims) == 1 else ")")
    if (len(shape) == 2 and isinstance(value, (tuple, list)) and value
            and all(isinstance(v, np.ndarray) and v.ndim == 2 for v in value)):
        # a tuple of arrays where one array was expected: the usual (h, c) vs h mix-up
        raise TypeError(_msg(f"expected {name} to be one array of shape {want}, got a {type(value).__name__} "
                             f"of {len(value)} arrays",
                             f"期望 {name} 为形状 {want} 的单个数组，实际为含 {len(value)} 个数组的 {type(value).__name__}"))
    try:
        a = np.asarray(value)
    except (ValueError, TypeError) as e:  # ragged lists
        raise TypeError(_msg(f"expected {name} to be a numeric array of shape {want}, got something numpy cannot "
                             f"read as one ({e})",
                             f"期望 {name} 为形状 {want} 的数值数组，实际无法转换为数组（{e}）")) from None
    if a.dtype.kind not in "biuf":
        raise TypeError(_msg(f"expected {name} to be a real numeric array, got dtype {a.dtype}",
                             f"期望 {name} 为实数数值数组，实际 dtype 为 {a.dtype}"))
    if a.ndim != len(shape):
        raise ValueError(_msg(f"expected {name} of shape {want} ({len(shape)} dimensions), got shape "
                              f"{a.shape} ({a.ndim} dimensions)",
                              f"期望 {name} 的形状为 {want}（{len(shape)} 维），实际形状为 {a.shape}（{a.ndim} 维）"))
    if any(s is not None and s != n for s, n in zip(shape, a.shape)):
        raise ValueError(_msg(f"expected {name} of shape {want}, got {a.shape}",
                              f"期望 {name} 的形状为 {want}，实际为 {a.shape}"))
    a = np.asarray(a, dtype=dt)
    if not np.isfinite(a).all():
        bad = int(a.size - np.count_nonzero(np.isfinite(a)))
        raise ValueError(_msg(f"expected {name} to be finite, got {bad} NaN or inf value(s)",
                              f"期望 {name} 全为有限值，实际含 {bad} 个 NaN 或 inf"))
    return a


def sequence(x, input_size, dt):
    """A sequence x of shape (T, B, D) with D = input_size."""
    return array("x", x, (None, None, input_size), dt, ("T", "B", input_size))


def step_input(x_t, input_size, dt):
    """One step's input x_t of shape (B, D)."""
    return array("x_t", x_t, (None, input_size), dt, ("B", input_size))


def state(name, value, names, batch, hidden_size, dt):
    """A state: one (B, H) array if ``names == ('h',)``, a tuple of them if ``names == ('h', 'c')``.

    ``None`` means zeros. Returns a tuple of arrays, one per name.
    """
    if value is None:
        return tuple(np.zeros((batch, hidden_size), dt) for _ in names)
    dims = ("B" if batch is None else batch, hidden_size)
    if len(names) == 1:
        return (array(name, value, (batch, hidden_size), dt, dims),)
    form = "(" + ", ".join(names) + ")"
    if not isinstance(value, (tuple, list)) or len(value) != len(names):
        got = (f"an array of shape {np.shape(value)}" if isinstance(value, np.ndarray)
               else f"a {type(value).__name__}" + (f" of length {len(value)}" if isinstance(value, (tuple, list))
                                                    else ""))
        raise TypeError(_msg(f"expected {name} to be a tuple {form} of arrays of shape (B, {hidden_size}), got {got}",
                             f"期望 {name} 为由形状 (B, {hidden_size}) 的数组组成的元组 {form}，实际为 {got}"))
    out = tuple(array(f"{name}[{k}] ({n})", v, (batch, hidden_size), dt, dims)
                for k, (n, v) in enumerate(zip(names, value)))
    if batch is None and len({a.shape[0] for a in out}) > 1:
        raise ValueError(_msg(f"expected every part of {name} {form} to have the same batch size, got "
                              f"{[a.shape for a in out]}",
                              f"期望 {name} {form} 各部分的批大小相同，实际为 {[a.shape for a in out]}"))
    return out


def torch_state_dict(sd, shapes, what):
    """Check a one-layer PyTorch-style state dict (numpy arrays) against ``shapes`` (key -> shape).

    Missing key -> KeyError; a key of another layer (``*_l1``) or any unknown key -> ValueError; wrong shape,
    non-numeric or non-finite -> ValueError / TypeError. Returns a dict key -> float64 array.
    """
    if not hasattr(sd, "keys"):
        raise TypeError(_msg(f"expected a dict like a one-layer {what} state_dict, got {type(sd).__name__}",
                             f"期望一个类似单层 {what} state_dict 的字典，实际为 {type(sd).__name__}"))
    keys = set(sd.keys())
    extra = sorted(k for k in keys if k not in shapes)
    if extra:
        other_layer = [k for k in extra if not str(k).endswith("_l0")]
        if other_layer:
            raise ValueError(_msg(f"expected a one-layer {what} (keys ending in _l0), got extra key(s) {extra}; "
                                  f"build one cell per layer",
                                  f"期望单层 {what}（键以 _l0 结尾），实际多出键 {extra}；请每层各建一个单元"))
        raise ValueError(_msg(f"expected exactly the keys {sorted(shapes)}, got extra key(s) {extra}",
                              f"期望键恰为 {sorted(shapes)}，实际多出键 {extra}"))
    missing = sorted(k for k in shapes if k not in keys)
    if missing:
        raise KeyError(_msg(f"expected keys {sorted(shapes)} of a one-layer {what}, missing {missing}",
                            f"期望单层 {what} 的键 {sorted(shapes)}，缺少 {missing}"))
    out = {}
    for k, shp in shapes.items():
        v = sd[k]
        if hasattr(v, "detach"):  # a torch tensor slipped in: read it without importing torch
            v = v.detach().cpu().numpy()
        out[k] = array(k, v, shp, np.float64)
    return out


def torch_sizes(sd, n_gates, what):
    """Read (input_size, hidden_size) from ``weight_ih_l0`` of shape (n_gates*H, D)."""
    if not hasattr(sd, "keys"):
        raise TypeError(_msg(f"expected a dict like a one-layer {what} state_dict, got {type(sd).__name__}",
                             f"期望一个类似单层 {what} state_dict 的字典，实际为 {type(sd).__name__}"))
    if "weight_ih_l0" not in sd:
        raise KeyError(_msg(f"expected key 'weight_ih_l0' of a one-layer {what}, got keys {sorted(sd.keys())}",
                            f"期望单层 {what} 的键 'weight_ih_l0'，实际键为 {sorted(sd.keys())}"))
    shp = np.shape(sd["weight_ih_l0"])
    if len(shp) != 2 or shp[0] % n_gates or shp[0] == 0 or shp[1] == 0:
        raise ValueError(_msg(f"expected weight_ih_l0 of shape ({n_gates}*H, D), got {shp}",
                              f"期望 weight_ih_l0 的形状为 ({n_gates}*H, D)，实际为 {shp}"))
    return shp[1], shp[0] // n_gates
