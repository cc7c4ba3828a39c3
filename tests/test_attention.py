"""Additive attention and the encoder–decoder: gradients against finite differences (every parameter and the
inputs, with a negative control), masks, bad input in both languages, and the reversal task."""
import doctest

import numpy as np
import pytest

import lstm_lib
from lstm_lib import attention, optim
from lstm_lib.attention import AdditiveAttention, EncoderDecoder
from lstm_lib.gradcheck import numerical_gradient, rel_error
from lstm_lib.tasks import reverse_sequence


def _attention_errors(att, s, h, mask, dc, dalpha):
    def loss():
        c, a = att.forward(s, h, mask)
        return np.sum(c * dc) + np.sum(a * dalpha)
    att.forward(s, h, mask)
    ds, dh = att.backward(dc, dalpha)
    analytic = {**{n: g.copy() for n, g in att.grads.items()}, "s": ds, "h": dh}
    wrt = {**att.params, "s": s, "h": h}
    return {n: rel_error(analytic[n], numerical_gradient(loss, wrt[n], h=1e-3, points=4)) for n in analytic}


def _inputs(seed=0, Tq=3, Ts=6, B=2, Hq=3, Hk=4):
    rng = np.random.default_rng(seed)
    mask = np.ones((Ts, B), bool)
    mask[Ts - 2:, 1] = False                                    # second sequence is shorter
    return (rng.normal(size=(Tq, B, Hq)), rng.normal(size=(Ts, B, Hk)), mask,
            rng.normal(size=(Tq, B, Hk)), rng.normal(size=(Tq, B, Ts)))


def test_attention_gradients_match_finite_differences():
    att = AdditiveAttention(3, 4, 5, seed=0)
    errors = _attention_errors(att, *_inputs())
    assert set(errors) == {"W_q", "W_k", "b", "v", "s", "h"}
    assert max(errors.values()) < 1e-8, errors


def test_attention_negative_control_dropped_value_path_is_caught():
    class Wrong(AdditiveAttention):
        def backward(self, dc, dalpha=None):
            s, h, u, alpha = self._saved
            ds, dh = super().backward(dc, dalpha)
            return ds, dh - np.einsum("tbj,tbh->jbh", alpha, dc)   # forgets that h is also averaged (a value)
    errors = _attention_errors(Wrong(3, 4, 5, seed=0), *_inputs())
    assert errors["h"] > 1e-3 and errors["W_q"] < 1e-8


def test_mask_gives_zero_weight_and_ignores_padding():
    att = AdditiveAttention(3, 4, 5, seed=1)
    s, h, mask, _, _ = _inputs(1)
    c, alpha = att.forward(s, h, mask)
    assert np.all(alpha[:, 1, 4:] == 0) and np.allclose(alpha.sum(-1), 1, atol=1e-12)
    h2 = h.copy()
    h2[4:, 1] += 100.0                                          # change only the padding
    c2, _ = att.forward(s, h2, mask)
    assert np.max(np.abs(c2[:, 1] - c[:, 1])) < 1e-12


def test_attention_doctest():
    assert doctest.testmod(attention).failed == 0


@pytest.mark.parametrize("case, words", [
    ("sizes", ("expected s (queries) of shape (T, B, 3)", "期望 s (queries) 的形状为")),
    ("empty", ("empty sequence", "空序列")),
    ("mask_shape", ("mask must be a bool array of shape (Ts, B) = (6, 2)", "mask 应为形状 (Ts, B)")),
    ("mask_all_false", ("hides every source position", "所有源位置都遮住了")),
    ("batch", ("same batch size", "批大小应相同")),
    ("backward_first", ("call forward before backward", "须先调用 forward")),
])
def test_attention_bad_input_in_both_languages(case, words):
    att = AdditiveAttention(3, 4, 5, seed=0)
    s, h, mask, dc, _ = _inputs()
    with pytest.raises((ValueError, TypeError)) as err:
        if case == "sizes":                                     # a decoder of size 5 against query_size 3
            att.forward(np.zeros((3, 2, 5)), h)
        elif case == "empty":
            att.forward(s, np.zeros((0, 2, 4)))
        elif case == "mask_shape":
            att.forward(s, h, mask.T)
        elif case == "mask_all_false":
            m = mask.copy(); m[:, 0] = False
            att.forward(s, h, m)
        elif case == "batch":
            att.forward(s, h[:, :1])
        else:
            att.backward(dc)
    assert words[0] in str(err.value) and words[1] in str(err.value)


def test_encoder_decoder_gradients_both_kinds():
    rng = np.random.default_rng(3)
    x, y = reverse_sequence(4, 2, n_symbols=3, seed=3)
    for att in (False, True):
        for cell in (lstm_lib.LSTM, lstm_lib.GRU):
            m = EncoderDecoder(3, 4, max_len=5, attention=att, cell=cell, seed=0)
            dlogits = rng.normal(size=(4, 2, 3))
            loss = lambda: np.sum(m.forward(x) * dlogits)   # noqa: E731
            m.forward(x)
            m.backward(dlogits)
            analytic = {k: g.copy() for k, g in m.grads.items()}
            for k, p in m.params.items():
                # tiny=1e-6: rows of W for one-hot inputs that never occur have a gradient of exactly 0, which the
                # finite difference meets as rounding noise (~1e-14), not a relative error worth reading
                err = rel_error(analytic[k], numerical_gradient(loss, p, h=1e-3, points=4), tiny=1e-6)
                assert err < 1e-7, (att, cell.__name__, k, err)


def test_encoder_decoder_bad_input():
    m = EncoderDecoder(3, 4, max_len=5, seed=0)
    with pytest.raises(ValueError, match="empty sequence.*空序列"):
        m.forward(np.zeros((0, 2, 3)))
    with pytest.raises(ValueError, match="max_len = 5.*max_len = 5"):
        m.forward(np.zeros((6, 2, 3)))
    with pytest.raises(TypeError, match="attention must be True or False.*attention 应为"):
        EncoderDecoder(3, 4, max_len=5, attention="yes")


def test_attention_learns_reversal_the_bottleneck_does_not():
    """A short version of the chapter's experiment: at T = 12 the attending decoder is near perfect, the bottleneck
    far from it (both at lr 0.03, 200 Adam steps, seed 0)."""
    acc = {}
    for att in (False, True):
        m = EncoderDecoder(8, 32, max_len=12, attention=att, seed=0)
        opt, rng = optim.Adam(m, lr=0.03), np.random.default_rng(0)
        for _ in range(200):
            x, y = reverse_sequence(12, 32, 8, rng=rng)
            _, d, _ = m.loss(x, y)
            m.backward(d)
            optim.clip_grad_norm(m, 1.0)
            opt.step()
        x, y = reverse_sequence(12, 256, 8, seed=99)
        acc[att] = float(np.mean(m.predict(x).argmax(-1) == y))
    assert acc[True] > 0.95 and acc[False] < 0.8, acc


def test_reverse_sequence_task():
    from lstm_lib.tasks import reversal
    assert doctest.testmod(reversal).failed == 0
    x, y = reverse_sequence(7, 5, n_symbols=6, seed=1)
    assert x.shape == (7, 5, 6) and y.shape == (7, 5) and y.dtype == np.int64
    assert np.array_equal(x.argmax(-1)[::-1], y) and np.all(x.sum(-1) == 1)
    with pytest.raises(ValueError, match="n_symbols must be at least 2.*n_symbols 至少为 2"):
        reverse_sequence(5, 2, n_symbols=1)
    with pytest.raises(TypeError, match="T must be a positive integer.*T 应为正整数"):
        reverse_sequence(2.5, 2)
    with pytest.raises(ValueError, match="T must be a positive integer"):
        reverse_sequence(0, 2)
