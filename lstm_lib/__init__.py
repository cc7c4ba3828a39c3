"""lstm_lib — the numpy package behind "Understanding LSTMs / 理解 LSTM".

Cells with hand-written backpropagation through time, a small training kit, synthetic tasks, diagrams, explorers and
homework checks. See ``lstm_lib/README.md`` for the public API.

Submodules are imported on first use (``lstm_lib.diagrams`` pulls in matplotlib; a notebook that only trains a cell
should not pay for it).
"""
import importlib

__version__ = "0.1.0"

# public name -> module that defines it
_CELLS = {
    "RNN": "cells.rnn",
    "LSTM": "cells.lstm",
    "PeepholeLSTM": "cells.peephole",
    "CoupledLSTM": "cells.coupled",
    "GRU": "cells.gru",
    "Stack": "cells.stack",
    "GreffLSTM": "cells.greff",
    "ClockworkRNN": "cells.clockwork",
    "DepthGatedLSTM": "cells.depth_gated",
    "LSTM1997": "cells.lstm1997",
    "Bidirectional": "cells.bidirectional",
}
_SUBMODULES = (
    "cells", "gradcheck", "nn", "optim", "train", "tasks", "io", "fonts", "diagrams", "explorers", "check", "homework",
    "corpus", "charlm",
    "attention", "min_rnn", "xlstm", "self_attention",
    "experiments",
    "esn",
)

__all__ = [*_CELLS, *_SUBMODULES]


def __getattr__(name):
    if name in _CELLS:
        return getattr(importlib.import_module(f".{_CELLS[name]}", __name__), name)
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'lstm_lib' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *__all__])
