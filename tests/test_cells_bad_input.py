"""Bad input ends in ValueError / TypeError / KeyError whose message names what was expected and what came,
in English then Chinese — never a raw numpy error or a silent NaN."""
import numpy as np
import pytest
from messages import bilingual_expected as bilingual

import lstm_lib

D, H, T, B = 3, 4, 5, 2
CELL_CLASSES = [lstm_lib.RNN, lstm_lib.LSTM, lstm_lib.PeepholeLSTM, lstm_lib.CoupledLSTM, lstm_lib.GRU,
                lstm_lib.LSTM1997]


def good_state(cell, batch=B):
    s = tuple(np.zeros((batch, H)) for _ in cell.state_names)
    return s if len(s) > 1 else s[0]


# ---- constructor -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", CELL_CLASSES)
@pytest.mark.parametrize("bad, exc", [(0, ValueError), (-2, ValueError), (2.5, TypeError), (3.0, TypeError),
                                      ("3", TypeError), (True, TypeError), (None, TypeError)])
def test_sizes_must_be_positive_integers(cls, bad, exc):
    with pytest.raises(exc) as e:
        cls(bad, H)
    bilingual(e, "input_size", repr(bad) if exc is TypeError else str(bad))
    with pytest.raises(exc) as e:
        cls(D, bad)
    bilingual(e, "hidden_size")


def test_numpy_integer_sizes_are_fine():
    assert lstm_lib.LSTM(np.int64(3), np.int32(4)).hidden_size == 4


@pytest.mark.parametrize("cls", CELL_CLASSES)
def test_dtype_and_seed_are_checked(cls):
    with pytest.raises(TypeError) as e:
        cls(D, H, dtype=np.int32)
    bilingual(e, "float32 or float64", "int32")
    with pytest.raises(TypeError) as e:
        cls(D, H, dtype="float16")
    bilingual(e, "float16")
    with pytest.raises(TypeError) as e:
        cls(D, H, seed=-1)
    bilingual(e, "seed", "-1")
    assert cls(D, H, dtype="float32").dtype == np.float32


def test_gru_reset_after_must_be_a_bool():
    with pytest.raises(TypeError) as e:
        lstm_lib.GRU(D, H, reset_after="yes")
    bilingual(e, "reset_after", "'yes'")


# ---- x -----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", CELL_CLASSES)
def test_x_of_wrong_rank_or_feature_size(cls):
    cell = cls(D, H)
    with pytest.raises(ValueError) as e:
        cell.forward(np.zeros((B, D)))                       # a single step passed as a sequence
    bilingual(e, "(T, B, 3)", "(2, 3)", "2 dimensions")
    with pytest.raises(ValueError) as e:
        cell.forward(np.zeros((T, B, D + 1)))
    assert str(e.value) == "expected x of shape (T, B, 3), got (5, 2, 4) / 期望 x 的形状为 (T, B, 3)，实际为 (5, 2, 4)"
    with pytest.raises(ValueError) as e:
        cell.step(np.zeros((T, B, D)), None)
    bilingual(e, "x_t", "(B, 3)", "(5, 2, 3)")
    with pytest.raises(ValueError) as e:
        cell.step(np.zeros((B, D + 2)), None)
    bilingual(e, "(B, 3)", "(2, 5)")


@pytest.mark.parametrize("cls", CELL_CLASSES)
@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_non_finite_x_is_refused(cls, value):
    x = np.zeros((T, B, D))
    x[2, 1, 0] = value
    with pytest.raises(ValueError) as e:
        cls(D, H).forward(x)
    bilingual(e, "finite", "1 NaN or inf")


@pytest.mark.parametrize("cls", CELL_CLASSES)
@pytest.mark.parametrize("bad", [np.full((T, B, D), "a"), np.full((T, B, D), None, dtype=object),
                                 np.zeros((T, B, D), complex), [[[1.0, 2.0, 3.0]], [[1.0, 2.0]]], "hello"])
def test_non_numeric_x_is_refused(cls, bad):
    with pytest.raises(TypeError) as e:
        cls(D, H).forward(bad)
    bilingual(e, "x")


def test_lists_and_integers_are_accepted():
    y, _ = lstm_lib.LSTM(D, H).forward([[[1, 2, 3]]])
    assert y.shape == (1, 1, H) and y.dtype == np.float64


# ---- state -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", CELL_CLASSES)
def test_state_of_wrong_shape(cls):
    cell = cls(D, H)
    x = np.zeros((T, B, D))
    parts = [np.zeros((B, H + 1))] + [np.zeros((B, H))] * (len(cell.state_names) - 1)
    bad = tuple(parts) if len(parts) > 1 else parts[0]
    with pytest.raises(ValueError) as e:
        cell.forward(x, bad)
    bilingual(e, "(2, 4)", "(2, 5)")
    parts = [np.zeros((B + 1, H)) for _ in cell.state_names]   # batch differs from x's
    with pytest.raises(ValueError) as e:
        cell.forward(x, tuple(parts) if len(parts) > 1 else parts[0])
    bilingual(e, "(3, 4)")
    bad_value = [np.full((B, H), np.nan) for _ in cell.state_names]
    with pytest.raises(ValueError) as e:
        cell.forward(x, tuple(bad_value) if len(bad_value) > 1 else bad_value[0])
    bilingual(e, "finite")


@pytest.mark.parametrize("cls", [lstm_lib.LSTM, lstm_lib.PeepholeLSTM, lstm_lib.CoupledLSTM, lstm_lib.LSTM1997])
def test_lstm_family_state_must_be_a_tuple_h_c(cls):
    cell = cls(D, H)
    x = np.zeros((T, B, D))
    with pytest.raises(TypeError) as e:
        cell.forward(x, np.zeros((B, H)))                    # h alone
    bilingual(e, "tuple (h, c)", "an array of shape (2, 4)")
    with pytest.raises(TypeError) as e:
        cell.forward(x, (np.zeros((B, H)),) * 3)
    bilingual(e, "tuple (h, c)", "length 3")
    with pytest.raises(TypeError) as e:
        cell.step(np.zeros((B, D)), np.zeros((B, H)))
    bilingual(e, "(h, c)")


@pytest.mark.parametrize("cls", [lstm_lib.RNN, lstm_lib.GRU])
def test_h_only_state_must_be_one_array(cls):
    cell = cls(D, H)
    with pytest.raises(TypeError) as e:
        cell.forward(np.zeros((T, B, D)), (np.zeros((B, H)), np.zeros((B, H))))
    bilingual(e, "one array", "tuple of 2 arrays")


# ---- backward ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", CELL_CLASSES)
def test_backward_before_forward_and_twice(cls):
    cell = cls(D, H)
    with pytest.raises(ValueError) as e:                     # also a RuntimeError
        cell.backward(np.zeros((T, B, H)))
    assert isinstance(e.value, RuntimeError)
    bilingual(e, "forward")
    cell.forward(np.zeros((T, B, D)))
    cell.backward(np.zeros((T, B, H)))
    with pytest.raises(ValueError) as e:
        cell.backward(np.zeros((T, B, H)))
    bilingual(e, "once per forward")


@pytest.mark.parametrize("cls", CELL_CLASSES)
def test_dy_and_dstate_are_checked(cls):
    cell = cls(D, H)
    cell.forward(np.zeros((T, B, D)))
    with pytest.raises(ValueError) as e:
        cell.backward(np.zeros((T - 1, B, H)))
    bilingual(e, "dy", "(5, 2, 4)", "(4, 2, 4)")
    with pytest.raises(ValueError) as e:
        cell.backward(np.full((T, B, H), np.nan))
    bilingual(e, "dy", "finite")
    with pytest.raises(ValueError) as e:
        parts = [np.zeros((B, H + 2)) for _ in cell.state_names]
        cell.backward(np.zeros((T, B, H)), tuple(parts) if len(parts) > 1 else parts[0])
    bilingual(e, "dstate", "(2, 6)")
    dx = cell.backward(np.zeros((T, B, H)))                  # a rejected call did not use up the forward
    assert dx.shape == (T, B, D)


def test_step_backward_wants_a_step_cache():
    cell = lstm_lib.LSTM(D, H)
    state, cache = cell.step(np.zeros((B, D)))
    with pytest.raises(TypeError) as e:
        cell.step_backward(state, {"h": 1})
    bilingual(e, "cache")
    with pytest.raises(ValueError) as e:
        cell.step_backward((np.zeros((B, H)), np.zeros((B + 1, H))), cache)
    bilingual(e, "dstate_new")


def test_gate_slice_unknown_name():
    with pytest.raises(KeyError) as e:
        lstm_lib.LSTM(D, H).gate_slice("z")
    bilingual(e, "'z'", "c_tilde")


# ---- from_torch --------------------------------------------------------------------------------------------------
def torch_sd(n_gates, D=D, H=H, layers=1):
    sd = {}
    for layer in range(layers):
        d_in = D if layer == 0 else H
        sd.update({f"weight_ih_l{layer}": np.zeros((n_gates * H, d_in)),
                   f"weight_hh_l{layer}": np.zeros((n_gates * H, H)),
                   f"bias_ih_l{layer}": np.zeros(n_gates * H), f"bias_hh_l{layer}": np.zeros(n_gates * H)})
    return sd


@pytest.mark.parametrize("cls, n", [(lstm_lib.LSTM, 4), (lstm_lib.GRU, 3), (lstm_lib.RNN, 1)])
def test_from_torch_bad_dicts(cls, n):
    assert cls.from_torch(torch_sd(n)).hidden_size == H
    for key in ("weight_hh_l0", "bias_ih_l0", "weight_ih_l0"):
        sd = torch_sd(n)
        del sd[key]
        with pytest.raises(KeyError) as e:
            cls.from_torch(sd)
        bilingual(e, key)
    with pytest.raises(ValueError) as e:
        cls.from_torch(torch_sd(n, layers=2))
    bilingual(e, "one-layer", "weight_ih_l1")
    sd = torch_sd(n)
    sd["weight_hh_l0"] = np.zeros((n * H, H + 1))
    with pytest.raises(ValueError) as e:
        cls.from_torch(sd)
    bilingual(e, "weight_hh_l0", f"({n * H}, {H})", f"({n * H}, {H + 1})")
    sd = torch_sd(n)
    sd["bias_hh_l0"] = np.zeros(n * H + 1)
    with pytest.raises(ValueError) as e:
        cls.from_torch(sd)
    bilingual(e, "bias_hh_l0")
    sd = torch_sd(n)
    sd["weight_ih_l0"] = np.zeros(n * H)
    with pytest.raises(ValueError) as e:
        cls.from_torch(sd)
    bilingual(e, "weight_ih_l0")
    sd = torch_sd(n)
    sd["bias_ih_l0"] = np.full(n * H, np.nan)
    with pytest.raises(ValueError) as e:
        cls.from_torch(sd)
    bilingual(e, "finite")
    with pytest.raises(TypeError) as e:
        cls.from_torch([1, 2, 3])
    bilingual(e, "dict", "list")


def test_from_torch_refuses_a_dict_of_another_cell_type():
    with pytest.raises(ValueError) as e:                     # a GRU dict (3H rows, H=4) read as LSTM: H=3
        lstm_lib.LSTM.from_torch(torch_sd(3))
    bilingual(e, "weight_hh_l0")
    with pytest.raises(ValueError) as e:                     # LSTM dict (16 rows) read as GRU: 16 % 3 != 0
        lstm_lib.GRU.from_torch(torch_sd(4))
    bilingual(e, "(3*H, D)", "(16, 3)")


@pytest.mark.parametrize("cls", [lstm_lib.PeepholeLSTM, lstm_lib.CoupledLSTM, lstm_lib.LSTM1997])
def test_cells_without_a_torch_counterpart_say_so(cls):
    with pytest.raises(TypeError) as e:
        cls.from_torch(torch_sd(4))
    bilingual(e, "PyTorch")
    with pytest.raises(TypeError) as e:
        cls(D, H).to_torch()
    bilingual(e, "PyTorch")
