"""lstm_lib.check.sample_next passes a correct sampler (written without the library) and fails deliberately wrong
ones with a bilingual diagnosis; the library's charlm.sample draws from the distribution it claims."""
import numpy as np
import pytest

from lstm_lib import charlm, check


def good(logits, temperature, u):
    if temperature == 0:
        return int(np.argmax(logits))
    z = np.asarray(logits, float) / temperature
    p = np.exp(z - z.max())
    p /= p.sum()
    return int(min(np.searchsorted(np.cumsum(p), u, side="right"), len(p) - 1))


def loop_version(logits, temperature, u):
    """Another correct solution: an explicit loop over the cumulative sum."""
    if temperature == 0:
        return int(np.argmax(logits))
    z = np.asarray(logits, float) / temperature
    p = np.exp(z - z.max())
    p = p / p.sum()
    total = 0.0
    for k, pk in enumerate(p):
        total += pk
        if total > u:
            return k
    return len(p) - 1


@pytest.mark.parametrize("fn", [good, loop_version])
def test_correct_samplers_pass(fn, capsys):
    assert check.sample_next(fn) is True
    line = capsys.readouterr().out.strip()
    assert line.startswith("✓ sample_next passed (all ") and "通过" in line


def unstable(z, t, u):
    if t == 0:
        return int(np.argmax(z))
    p = np.exp(np.asarray(z) / t)
    p = p / p.sum()
    return int(np.searchsorted(np.cumsum(p), u, side="right"))


@pytest.mark.parametrize("fn, en, zh", [
    (lambda z, t, u: good(z, 1.0 if t else 0, u), "temperature is ignored", "忽略了温度"),
    (lambda z, t, u: good(np.asarray(z) * t * t, 1.0, u) if t else good(z, 0, u), "multiplied by the temperature",
     "乘以了温度"),
    (lambda z, t, u: int(np.argmax(z)), "greedy decoding", "贪心解码"),
    (lambda z, t, u: min(good(z, t, u) + 1, len(z) - 1), "off by one", "差了一位"),
    (unstable, "subtract the maximum", "先减去最大值"),
])
def test_wrong_samplers_fail_with_a_diagnosis(fn, en, zh):
    with np.errstate(all="ignore"), pytest.raises(AssertionError) as e:
        check.sample_next(fn)
    assert en in str(e.value) and zh in str(e.value)


def test_wrong_return_type_and_stub():
    with pytest.raises(AssertionError, match="integer id.*整数 id"):
        check.sample_next(lambda z, t, u: np.ones(3) / 3)

    def stub(z, t, u):
        raise NotImplementedError
    with pytest.raises(NotImplementedError):
        check.sample_next(stub)


def test_library_sampler_frequencies_follow_softmax_over_temperature():
    logits = np.array([1.0, 0.0, -1.0, 2.0])
    for temperature in (0.5, 1.0, 2.0):
        u = np.random.default_rng(0).random(20000)
        counts = np.bincount([charlm.sample_next(logits, temperature, x) for x in u], minlength=4)
        p = np.exp(logits / temperature) / np.exp(logits / temperature).sum()
        assert np.all(np.abs(counts / u.size - p) < 0.015)
