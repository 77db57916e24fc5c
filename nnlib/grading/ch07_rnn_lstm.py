"""Chapter 07 (RNN and LSTM): the checks of Exercises 7.1 to 7.5.

Each compares with ``nnlib.rnn_cells`` on random shapes (N, D, H with D != H, so
that a swapped Wx / Wh fails loudly) and edge cases (a batch of one, one hidden
unit, zero states, saturated gates, N = T). The caches are fixed, so that the
backward exercises can be checked on their own (the grader calls one function
at a time):

    rnn_step_forward  -> (h, cache),     cache = (x, h_prev, Wx, Wh, h)
    lstm_step_forward -> (h, c, cache),  cache = (x, h_prev, c_prev, Wx, Wh, i, f, g, o, c)

``rnn_forward``'s cache is free (only h is checked). Gate order i, f, g, o (PyTorch).

The checks live in ch07_checks.py (shared), ch07_rnn.py (7.1-7.3) and ch07_lstm.py (7.4, 7.5).
"""

from nnlib.grading.ch07_lstm import LSTM_STEP_BACKWARD, LSTM_STEP_FORWARD
from nnlib.grading.ch07_rnn import RNN_FORWARD, RNN_STEP_BACKWARD, RNN_STEP_FORWARD
from nnlib.grading.engine import Exercise

EXERCISES = {
    "rnn_step_forward": Exercise(7, 1, RNN_STEP_FORWARD),
    "rnn_step_backward": Exercise(7, 2, RNN_STEP_BACKWARD),
    "rnn_forward": Exercise(7, 3, RNN_FORWARD),
    "lstm_step_forward": Exercise(7, 4, LSTM_STEP_FORWARD),
    "lstm_step_backward": Exercise(7, 5, LSTM_STEP_BACKWARD),
}
