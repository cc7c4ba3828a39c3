"""Save and load the parameters of a cell, a layer or a ``train.Seq`` model as a ``.npz`` file.

The file holds one array per parameter, under the keys of ``obj.params`` (``"W"``, ``"b"`` for a cell;
``"cell.W"``, ``"head.b"`` … for a ``Seq``), plus ``"__kind__"``: what saved it (``"LSTM"``, ``"Linear"``,
``"Seq(LSTM, Linear, readout=last)"``). ``load`` refuses a file whose kind, keys or shapes do not match the object
it loads into, naming what differs; values are copied into the existing arrays (in place, cast to their dtype), so
an optimiser that holds them keeps working.

Example::

    >>> import lstm_lib, tempfile, os
    >>> cell = lstm_lib.LSTM(3, 4, seed=0)
    >>> path = os.path.join(tempfile.mkdtemp(), "lstm.npz")
    >>> save(path, cell)
    >>> other = load(path, lstm_lib.LSTM(3, 4, seed=1))
    >>> bool(np.array_equal(other.params["W"], cell.params["W"]))
    True
"""
import os

import numpy as np

from .nn import _err

__all__ = ["save", "load", "load_arrays"]

_KIND = "__kind__"


def _kind(obj):
    return getattr(obj, "kind", type(obj).__name__)


def _params(obj, where):
    params = getattr(obj, "params", None)
    if not isinstance(params, dict):
        raise _err(f"{where}: expected an object with a .params dict (a cell, nn.Linear, nn.Embedding, train.Seq), "
                   f"got {type(obj).__name__}",
                   f"{where}：应传入带有 .params 字典的对象（循环单元、nn.Linear、nn.Embedding、train.Seq），"
                   f"实际为 {type(obj).__name__}", TypeError)
    if _KIND in params:
        raise _err(f"{where}: {_KIND!r} is reserved and cannot be a parameter name",
                   f"{where}：{_KIND!r} 为保留名，不能用作参数名")
    return params


def save(path, obj):
    """Write ``obj.params`` (and its kind) to ``path`` (a ``.npz`` file; the suffix is added if missing)."""
    params = _params(obj, "save")
    np.savez(path, **{k: np.asarray(v) for k, v in params.items()}, **{_KIND: np.array(_kind(obj))})


def load_arrays(path):
    """The arrays stored in a ``.npz`` file, as a dict (the ``"__kind__"`` entry included, as a str)."""
    where = "load_arrays"
    path = os.fspath(path)
    if not os.path.exists(path) and os.path.exists(path + ".npz"):   # np.savez added the suffix
        path = path + ".npz"
    if not os.path.exists(path):
        raise _err(f"{where}: no such file {path!r}", f"{where}：文件 {path!r} 不存在", FileNotFoundError)
    with np.load(path, allow_pickle=False) as f:
        out = {k: f[k] for k in f.files}
    if _KIND in out:
        out[_KIND] = str(out[_KIND])
    return out


def load(path, obj, check_kind=True):
    """Copy the parameters stored at ``path`` into ``obj.params`` (in place) and return ``obj``.

    Raises ``ValueError`` if the file was saved from another kind of object (unless ``check_kind=False``), ``KeyError``
    if parameter names are missing or unexpected, ``ValueError`` if a shape differs or a value is not finite.
    """
    where = "load"
    params = _params(obj, where)
    arrays = load_arrays(path)
    kind = arrays.pop(_KIND, None)
    if check_kind and kind is not None and kind != _kind(obj):
        raise _err(f"{where}: {path!r} holds the parameters of a {kind}, expected a {_kind(obj)}",
                   f"{where}：{path!r} 保存的是 {kind} 的参数，应为 {_kind(obj)} 的参数")
    missing = sorted(set(params) - set(arrays))
    unexpected = sorted(set(arrays) - set(params))
    if missing or unexpected:
        raise _err(f"{where}: parameter names differ: expected {sorted(params)}; missing from the file {missing}, "
                   f"unexpected in the file {unexpected}",
                   f"{where}：参数名不一致：应为 {sorted(params)}；文件中缺少 {missing}，文件中多出 {unexpected}",
                   KeyError)
    for k, p in params.items():
        a = arrays[k]
        if a.shape != p.shape:
            raise _err(f"{where}: parameter {k!r} must have shape {p.shape}, the file has {a.shape}",
                       f"{where}：参数 {k!r} 的形状应为 {p.shape}，文件中为 {a.shape}")
        if a.dtype.kind not in "biuf" or not np.all(np.isfinite(a)):
            raise _err(f"{where}: parameter {k!r} in the file must be finite real numbers, got dtype {a.dtype} "
                       f"with NaN/inf or non-numeric values",
                       f"{where}：文件中的参数 {k!r} 应为有限实数，实际 dtype 为 {a.dtype}，含 NaN/inf 或非数值")
    for k, p in params.items():                       # copy only after every check passed: all or nothing
        np.copyto(p, arrays[k], casting="unsafe")
    return obj
