"""Chapter 3, LSTM networks: counting the parameters of an LSTM layer."""
import numbers

from ._common import _call, _fail


def _lstm_param_count_ref(D, H):
    """Counted, not computed from a formula: the sizes of a real ``lstm_lib.LSTM``'s parameters."""
    from ..cells.lstm import LSTM
    return sum(p.size for p in LSTM(D, H, seed=0).params.values())


def lstm_param_count(fn):
    """Check ``fn(input_size, hidden_size) -> int``, the number of parameters of one LSTM layer.

    The reference is the size of every array in ``lstm_lib.LSTM(D, H).params``: ``W`` (H + D, 4H) and ``b`` (4H,),
    i.e. 4·((H + D)·H + H). Tried on several (D, H) with D ≠ H, so a formula that swaps or drops a term shows.
    Recognised mistakes: the RNN's count (one layer instead of four), no biases, one bias vector instead of four,
    PyTorch's two bias vectors per gate, the recurrent or the input weights left out, three layers instead of four.
    """
    name = "lstm_param_count"
    sizes = ((3, 5), (10, 20), (1, 1), (7, 2), (128, 256))
    for D, H in sizes:
        out = _call(name, fn, {"input_size": D, "hidden_size": H})
        if isinstance(out, bool) or not isinstance(out, numbers.Integral):
            if isinstance(out, float) and out.is_integer():
                out = int(out)
            else:
                _fail(f"{name}({D}, {H}) should return an integer, got {out!r} ({type(out).__name__})",
                      f"{name}({D}, {H}) 应返回整数，实际返回 {out!r}（{type(out).__name__}）")
        ref = _lstm_param_count_ref(D, H)
        if out == ref:
            continue
        mistakes = {
            (H + D) * H + H: ("that is the RNN's count: the LSTM has four such layers (f, i, C̃, o), each with its "
                              "own weights and bias",
                              "这是 RNN 的参数个数：LSTM 有四个这样的层（f、i、C̃、o），各有自己的权重和偏置"),
            4 * (H + D) * H: ("the biases are missing: each of the four layers has a bias of H entries",
                              "漏了偏置：四个层各有一个 H 维的偏置"),
            4 * (H + D) * H + H: ("only one bias vector: each of the four layers has its own",
                                  "只算了一个偏置向量：四个层各有自己的偏置"),
            4 * (H + D) * H + 8 * H: ("that is PyTorch's count, which keeps two bias vectors per layer (bias_ih and "
                                      "bias_hh); they only ever appear as a sum, and lstm_lib stores one",
                                      "这是 PyTorch 的计数：它每层保留两个偏置向量（bias_ih 与 bias_hh）；二者只以和的形式"
                                      "出现，lstm_lib 只存一个"),
            4 * (D * H + H): ("the recurrent weights (H × H per layer, acting on h_{t-1}) are missing",
                              "漏了循环权重（每层 H × H，作用于 h_{t-1}）"),
            4 * (H * H + H): ("the input weights (D × H per layer, acting on x_t) are missing",
                              "漏了输入权重（每层 D × H，作用于 x_t）"),
            3 * ((H + D) * H + H): ("three layers counted: there are four — forget gate, input gate, candidate "
                                    "values and output gate",
                                    "只数了三个层：应为四个——遗忘门、输入门、候选值和输出门"),
        }
        hint = mistakes.get(out, ("count the entries of W (H + D rows, one block of H columns per layer) and of b",
                                  "请数一数 W（H + D 行，每层一块 H 列）和 b 的元素个数"))
        _fail(f"{name}({D}, {H}) returned {out}, expected {ref}: {hint[0]}",
              f"{name}({D}, {H}) 返回 {out}，应为 {ref}：{hint[1]}")
    print(f"✓ {name} passed (exact on {len(sizes)} sizes) / 通过（{len(sizes)} 组尺寸全部精确）")
    return True
