"""lstm_lib.check for Appendix C: correct solutions pass; deliberately wrong ones fail with the right diagnosis in
English and Chinese; a stub's NotImplementedError passes through."""
import numpy as np
import pytest

from lstm_lib import check
from lstm_lib.check._common import CheckFailed


def scale(W, rho):
    return W * (rho / np.abs(np.linalg.eigvals(W)).max())


def ridge(R, Y, lam):
    X = np.concatenate([R, np.ones((R.shape[0], 1))], axis=1)
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ Y)


def test_correct_solutions_pass(capsys):
    assert check.scale_to_spectral_radius(scale)
    assert check.ridge_readout(ridge)
    out = capsys.readouterr().out
    assert "scale_to_spectral_radius passed" in out and "ridge_readout passed" in out and "通过" in out
    assert "max error < 1e-" in out


def test_the_explicit_inverse_also_passes():
    assert check.ridge_readout(lambda R, Y, lam: np.linalg.inv(
        np.c_[R, np.ones(len(R))].T @ np.c_[R, np.ones(len(R))] + lam * np.eye(R.shape[1] + 1))
        @ np.c_[R, np.ones(len(R))].T @ Y)


@pytest.mark.parametrize("wrong, fragment", [
    (lambda W, rho: W * rho / np.linalg.norm(W, 2), "spectral norm"),
    (lambda W, rho: W * rho / np.abs(np.linalg.eigvals(W).real).max(), "real part"),
    (lambda W, rho: W * rho, "not first divided"),
    (lambda W, rho: W * rho / np.abs(W).max(), "rho / ρ(W)"),
])
def test_wrong_scalings_fail_with_their_diagnosis(wrong, fragment):
    with pytest.raises(CheckFailed) as e:
        check.scale_to_spectral_radius(wrong)
    assert fragment in str(e.value) and "谱半径" in str(e.value)


@pytest.mark.parametrize("wrong, fragment", [
    (lambda R, Y, lam: np.linalg.lstsq(np.c_[R, np.ones(len(R))], Y, rcond=None)[0], "ordinary least squares"),
    (lambda R, Y, lam: ridge(np.c_[np.ones(len(R)), R][:, :-1], Y, lam) * 0 + np.linalg.solve(
        np.c_[np.ones(len(R)), R].T @ np.c_[np.ones(len(R)), R] + lam * np.eye(R.shape[1] + 1),
        np.c_[np.ones(len(R)), R].T @ Y), "must come last"),
    (lambda R, Y, lam: np.linalg.solve(R.T @ R + lam * np.eye(R.shape[1]), R.T @ Y), "append a column of ones"),
    (lambda R, Y, lam: ridge(R, Y, 2 * lam), "np.linalg.solve"),
    (lambda R, Y, lam: ridge(R, Y, lam).T, "shape"),
])
def test_wrong_readouts_fail_with_their_diagnosis(wrong, fragment):
    with pytest.raises(CheckFailed) as e:
        check.ridge_readout(wrong)
    assert fragment in str(e.value) and "期望" not in str(e.value).split(" / ")[0]
    assert " / " in str(e.value)


def test_stub_and_crash():
    def stub(W, rho):
        raise NotImplementedError
    with pytest.raises(NotImplementedError):
        check.scale_to_spectral_radius(stub)
    with pytest.raises(CheckFailed, match="raised ZeroDivisionError"):
        check.ridge_readout(lambda R, Y, lam: 1 / 0)
    with pytest.raises(CheckFailed, match="None"):
        check.ridge_readout(lambda R, Y, lam: None)
