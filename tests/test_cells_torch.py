"""Agreement with PyTorch's nn.LSTM / nn.GRU / nn.RNN, outputs and gradients (skipped when torch is not installed;
torch is an optional cross-check, never a requirement of the course)."""
import copy

import numpy as np
import pytest

import lstm_lib

torch = pytest.importorskip("torch")

T, B, D, H = 7, 3, 4, 5
MODULES = {"LSTM": (torch.nn.LSTM, lstm_lib.LSTM), "GRU": (torch.nn.GRU, lstm_lib.GRU),
           "RNN": (torch.nn.RNN, lstm_lib.RNN)}


def grads_in_torch_layout(cell):
    """Our gradients mapped to torch's parameter names, with the same (linear) map that to_torch applies to weights."""
    g = copy.deepcopy(cell)
    g.params = {k: v.copy() for k, v in cell.grads.items()}
    return g.to_torch()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", list(MODULES))
def test_outputs_and_gradients_match_pytorch(name, dtype):
    torch.manual_seed(0)
    tdtype = torch.float64 if dtype == np.float64 else torch.float32
    module = MODULES[name][0](D, H).to(tdtype)
    sd = {k: v.detach().numpy() for k, v in module.state_dict().items()}
    cell = MODULES[name][1].from_torch(sd, dtype=dtype)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((T, B, D)).astype(dtype)
    dy = rng.standard_normal((T, B, H)).astype(dtype)
    lstm = name == "LSTM"
    s0 = [rng.standard_normal((B, H)).astype(dtype) for _ in range(2 if lstm else 1)]
    ds = [rng.standard_normal((B, H)).astype(dtype) for _ in range(2 if lstm else 1)]

    xt = torch.tensor(x, requires_grad=True)
    s0t = [torch.tensor(s[None], requires_grad=True) for s in s0]        # torch: (layers, B, H)
    yt, st = module(xt, tuple(s0t) if lstm else s0t[0])
    st = st if lstm else (st,)
    loss = (yt * torch.tensor(dy)).sum() + sum((s[0] * torch.tensor(d)).sum() for s, d in zip(st, ds))
    loss.backward()

    y, state = cell.forward(x, tuple(s0) if lstm else s0[0])
    dx = cell.backward(dy, tuple(ds) if lstm else ds[0])
    tol = dict(rtol=1e-10, atol=1e-12) if dtype == np.float64 else dict(rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(y, yt.detach().numpy(), **tol)
    for ours, theirs in zip(state if lstm else (state,), st):
        np.testing.assert_allclose(ours, theirs[0].detach().numpy(), **tol)
    np.testing.assert_allclose(dx, xt.grad.numpy(), **tol)
    for ours, theirs in zip(cell.dstate0 if lstm else (cell.dstate0,), s0t):
        np.testing.assert_allclose(ours, theirs.grad[0].numpy(), **tol)
    ours = grads_in_torch_layout(cell)
    theirs = {k: p.grad.numpy() for k, p in module.named_parameters()}
    np.testing.assert_allclose(ours["weight_ih_l0"], theirs["weight_ih_l0"], **tol)
    np.testing.assert_allclose(ours["weight_hh_l0"], theirs["weight_hh_l0"], **tol)
    if name == "GRU":                                # separate input and recurrent biases, like torch
        np.testing.assert_allclose(ours["bias_ih_l0"], theirs["bias_ih_l0"], **tol)
        np.testing.assert_allclose(ours["bias_hh_l0"], theirs["bias_hh_l0"], **tol)
    else:                                            # our single b = b_ih + b_hh: torch's two bias grads both equal db
        np.testing.assert_allclose(ours["bias_ih_l0"], theirs["bias_ih_l0"], **tol)
        np.testing.assert_allclose(ours["bias_ih_l0"], theirs["bias_hh_l0"], **tol)


def test_to_torch_loads_into_nn_lstm_and_computes_the_same():
    cell = lstm_lib.LSTM(D, H, seed=3)
    module = torch.nn.LSTM(D, H).double()
    module.load_state_dict({k: torch.from_numpy(v) for k, v in cell.to_torch().items()})
    x = np.random.default_rng(1).standard_normal((T, B, D))
    np.testing.assert_allclose(cell.forward(x)[0], module(torch.from_numpy(x))[0].detach().numpy(), atol=1e-13)


def test_from_torch_accepts_tensors_directly():
    module = torch.nn.GRU(D, H).double()
    cell = lstm_lib.GRU.from_torch(module.state_dict())
    x = np.random.default_rng(2).standard_normal((T, B, D))
    np.testing.assert_allclose(cell.forward(x)[0], module(torch.from_numpy(x))[0].detach().numpy(), atol=1e-13)
