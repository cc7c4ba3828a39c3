"""The one pointwise helper the cells share: a numerically stable logistic sigmoid."""
import numpy as np


def sigmoid(x, out=None):
    """σ(x) = 1 / (1 + e^(−x)), computed as 0.5·tanh(x/2) + 0.5.

    The two forms are equal; the tanh form never evaluates e^(−x), so x = −1e6 gives 0.0 and x = +1e6 gives 1.0 with no
    overflow warning, in float32 and float64 alike. ``out`` may be ``x`` itself (the cells compute in place).
    """
    out = np.multiply(x, 0.5, out=out)
    np.tanh(out, out=out)
    out *= 0.5
    out += 0.5
    return out
