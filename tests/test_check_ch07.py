"""lstm_lib.check for chapter 7: correct solutions pass; deliberately wrong ones fail with the right diagnosis in
English and Chinese; a stub's NotImplementedError passes through."""
import numpy as np
import pytest

from lstm_lib import check


def attention(s, h, W_q, W_k, b, v, mask, *, axis=-1, use_mask=True, tanh=True, bad_context=False):
    u = s @ W_q + h @ W_k + b                                   # (Ts, B, A)
    e = ((np.tanh(u) if tanh else u) @ v).T                     # (B, Ts)
    if use_mask:
        e = np.where(mask.T, e, -np.inf)
    e = e - e.max(axis=axis, keepdims=True)
    alpha = np.exp(e) / np.exp(e).sum(axis=axis, keepdims=True)
    context = np.einsum("bj,jbh->bh", alpha, h)
    if bad_context:
        context = np.einsum("bj,jbh->bh", np.ones_like(alpha) / alpha.shape[1], h)
    return alpha, context


def scan(log_a, log_b, h0, *, mistake=None):
    a_star = np.cumsum(log_a, axis=0)
    log_h0 = np.log(h0)[None] if mistake != "no_h0" else np.full_like(h0, -np.inf)[None]
    terms = np.concatenate([log_h0, log_b - a_star])
    if mistake == "cumsum":
        return np.exp(a_star + np.cumsum(terms, axis=0)[1:])
    acc = np.logaddexp.accumulate(terms, axis=0)
    if mistake == "before":
        return np.concatenate([h0[None], np.exp(a_star[:-1] + acc[1:-1])])
    return np.exp(a_star + acc[1:])


def test_correct_solutions_pass(capsys):
    assert check.additive_attention(attention)
    assert check.min_gru_scan(scan)
    out = capsys.readouterr().out
    assert "additive_attention passed" in out and "min_gru_scan passed" in out and "通过" in out


@pytest.mark.parametrize("kw, words", [
    ({"axis": 0}, ("over the batch axis", "批次维度")),
    ({"use_mask": False}, ("padded positions", "被遮住的位置")),
    ({"tanh": False}, ("the tanh is missing", "漏了 tanh")),
    ({"bad_context": True}, ("the context is not", "context 不对")),
])
def test_wrong_attention_is_diagnosed(kw, words):
    with pytest.raises(AssertionError) as err:
        check.additive_attention(lambda *a: attention(*a, **kw))
    assert words[0] in str(err.value) and words[1] in str(err.value)


@pytest.mark.parametrize("mistake, words", [
    ("cumsum", ("cumulative log-sum-exp", "累积 log-sum-exp")),
    ("no_h0", ("h0 is missing", "漏了 h0")),
    ("before", ("off by one step", "差了一步")),
])
def test_wrong_scan_is_diagnosed(mistake, words):
    with pytest.raises(AssertionError) as err:
        check.min_gru_scan(lambda *a: scan(*a, mistake=mistake))
    assert words[0] in str(err.value) and words[1] in str(err.value)


def test_wrong_shape_and_stub():
    with pytest.raises(AssertionError, match="shape"):
        check.min_gru_scan(lambda log_a, log_b, h0: np.exp(log_b)[0])
    with pytest.raises(AssertionError, match="tuple"):
        check.additive_attention(lambda *a: attention(*a)[0])

    def stub(*args):
        raise NotImplementedError
    with pytest.raises(NotImplementedError):
        check.min_gru_scan(stub)
