"""The recurrent cells, one small module per cell, beside the driver they share.

| module        | cell                                            | equations in its docstring        |
| ------------- | ----------------------------------------------- | --------------------------------- |
| ``rnn``       | ``RNN``: h_t = tanh(W·[h_{t-1}, x_t] + b)       | Elman (1990)                      |
| ``lstm``      | ``LSTM``: forget, input, output gates           | colah (2015), Gers et al. (2000)  |
| ``peephole``  | ``PeepholeLSTM``: gates that look at C          | Gers & Schmidhuber (2000)         |
| ``lstm1997``  | ``LSTM1997``: no forget gate, C_t = C_{t-1} + i ⊙ C̃ | Hochreiter & Schmidhuber (1997)   |
| ``coupled``   | ``CoupledLSTM``: i_t = 1 − f_t                  | Greff et al. (2015), CIFG         |
| ``gru``       | ``GRU``: update and reset gates (both forms)    | Cho et al. (2014), Chung et al.   |
| ``stack``     | ``Stack``: layers of any cells, h_t^0 = x_t     | Zaremba et al. (2014)             |
| ``greff``     | ``GreffLSTM(variant=…)``: vanilla + 8 variants  | Greff et al. (2015)               |
| ``clockwork`` | ``ClockworkRNN``: modules with clock periods    | Koutník et al. (2014)             |
| ``depth_gated`` | ``DepthGatedLSTM``: a stack with depth gates  | Yao et al. (2015)                 |
| ``bidirectional`` | ``Bidirectional(cell, D, H)``: two directions | Schuster & Paliwal (1997)       |

``_cell.py`` is the shared driver (sizes, seeded initialisation, input checks, the loop over time forward and back);
``_ops.py`` the stable sigmoid. ``greff`` uses the driver; ``clockwork`` (its step depends on the clock tick) and
``depth_gated`` (a whole stack, state (L, B, H)) run their own loops. The public names are re-exported by ``lstm_lib`` itself (``lstm_lib.LSTM``).
"""
