"""nnlib.neurons against hand-computed cases: MP thresholds, perceptron traces, BCE gradients."""

import numpy as np
import pytest

from nnlib.data import blobs, logic_gate
from nnlib.gradcheck import numerical_gradient
from nnlib.neurons import (
    MPNeuron, Perceptron, SigmoidNeuron, find_threshold, mp_neuron, perceptron_fit,
    perceptron_step, step, threshold_errors,
)

ROWS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])


# -- McCulloch-Pitts ----------------------------------------------------------------
def test_mp_neuron_fires_when_the_sum_reaches_the_threshold():
    # row sums are 0, 1, 1, 2
    np.testing.assert_array_equal(mp_neuron(ROWS, 0), [1, 1, 1, 1])
    np.testing.assert_array_equal(mp_neuron(ROWS, 1), [0, 1, 1, 1])  # OR
    np.testing.assert_array_equal(mp_neuron(ROWS, 2), [0, 0, 0, 1])  # AND
    np.testing.assert_array_equal(mp_neuron(ROWS, 3), [0, 0, 0, 0])
    assert mp_neuron(ROWS, 2).dtype == np.int64
    np.testing.assert_array_equal(mp_neuron(ROWS.astype(bool), 1.5), [0, 0, 0, 1])


@pytest.mark.parametrize("gate, threshold", [("and", 2), ("or", 1), ("xor", None),
                                             ("nand", None), ("nor", None)])
def test_find_threshold_for_the_gates(gate, threshold):
    X, y = logic_gate(gate)
    assert find_threshold(X, y) == threshold


def test_threshold_errors_counts_wrong_rows_for_every_threshold():
    X, y = logic_gate("xor")  # sums 0, 1, 1, 2; targets 0, 1, 1, 0
    # t=0: all fire -> rows 1 and 4 wrong; t=1: only row 4 wrong;
    # t=2: only (1,1) fires -> rows 2, 3, 4 wrong; t=3: none fires -> rows 2, 3 wrong
    np.testing.assert_array_equal(threshold_errors(X, y), [2, 1, 3, 2])


def test_find_threshold_returns_the_smallest_and_covers_0_and_d_plus_1():
    X = np.array([[0, 0, 0], [1, 1, 1]])
    assert find_threshold(X, [1, 1]) == 0       # fires always
    assert find_threshold(X, [0, 0]) == 4       # never: D + 1
    assert find_threshold(X, [0, 1]) == 1       # 1, 2 and 3 all work; the smallest


def test_mp_neuron_class_fit_and_errors():
    X, y = logic_gate("and")
    neuron = MPNeuron().fit(X, y)
    assert neuron.threshold == 2
    np.testing.assert_array_equal(neuron.predict(X), y)
    with pytest.raises(ValueError, match="no threshold reproduces y.*threshold 1, gets 1 of 4"):
        MPNeuron().fit(*logic_gate("xor"))
    with pytest.raises(RuntimeError, match="set a threshold"):
        MPNeuron().predict(X)


def test_mp_neuron_rejects_non_binary_input_naming_the_values():
    with pytest.raises(ValueError, match="binary inputs.*got 0.5, 2"):
        mp_neuron([[0, 0.5], [2, 1]], 1)
    with pytest.raises(ValueError, match=r"shape \(N, D\), got shape \(2,\)"):
        mp_neuron([0, 1], 1)
    with pytest.raises(ValueError, match=r"labels y in \{0, 1\}, got -1, 2"):
        find_threshold(ROWS, [0, -1, 2, 1])
    with pytest.raises(ValueError, match=r"y of shape \(4,\).*got shape \(3,\)"):
        find_threshold(ROWS, [0, 1, 1])


# -- perceptron -----------------------------------------------------------------------
def test_step_is_one_at_zero():
    np.testing.assert_array_equal(step([-0.1, 0.0, 0.1]), [0, 1, 1])


def test_perceptron_step_by_hand():
    w, b = np.array([1.0, -2.0]), 0.5
    # right answer: w.x + b = 1 - 2 + 0.5 = -0.5 < 0 -> 0 == y: unchanged
    w1, b1 = perceptron_step(w, b, np.array([1.0, 1.0]), 0, lr=0.1)
    np.testing.assert_array_equal(w1, w)
    assert b1 == b
    # false 1: w.x + b = 2 + 0.5 >= 0 but y = 0 -> w - 0.1 x, b - 0.1
    w2, b2 = perceptron_step(w, b, np.array([2.0, 0.0]), 0, lr=0.1)
    np.testing.assert_allclose(w2, [0.8, -2.0])
    assert b2 == pytest.approx(0.4)
    # missed 1: -2 + 0.5 < 0 but y = 1 -> w + 0.1 x, b + 0.1; w itself untouched
    w3, b3 = perceptron_step(w, b, np.array([0.0, 1.0]), 1, lr=0.1)
    np.testing.assert_allclose(w3, [1.0, -1.9])
    assert b3 == pytest.approx(0.6)
    np.testing.assert_array_equal(w, [1.0, -2.0])


def test_perceptron_learns_and_in_six_epochs_from_zero():
    # Hand trace, lr = 1, rows in the order (0,0), (0,1), (1,0), (1,1), start w = (0,0), b = 0.
    # A mistake on (x, y) does w += (y - y_hat) x, b += (y - y_hat); "ok" = no change.
    # epoch 1: (0,0) z=0 fires, wrong -> b=-1 | (0,1) ok | (1,0) ok | (1,1) z=-1 -> w=(1,1) b=0  [2]
    # epoch 2: (0,0) z=0 -> b=-1 | (0,1) z=0 -> w=(1,0) b=-2 | (1,0) ok | (1,1) -> w=(2,1) b=-1   [3]
    # epoch 3: (0,0) ok | (0,1) z=0 -> w=(2,0) b=-2 | (1,0) z=0 -> w=(1,0) b=-3 | (1,1) -> w=(2,1) b=-2 [3]
    # epoch 4: ok | ok | (1,0) z=0 -> w=(1,1) b=-3 | (1,1) z=-1 -> w=(2,2) b=-2                  [2]
    # epoch 5: ok | (0,1) z=0 -> w=(2,1) b=-3 | ok | ok                                           [1]
    # epoch 6: no mistake: stop.                                                                  [0]
    X, y = logic_gate("and")
    p = Perceptron(lr=1.0).fit(X, y)
    assert p.errors_ == [2, 3, 3, 2, 1, 0] and p.converged_
    np.testing.assert_array_equal(p.w, [2.0, 1.0])
    assert p.b == -3.0
    np.testing.assert_array_equal(p.predict(X), y)
    # the history: 6 epochs x 4 steps, plus the start
    assert p.w_history_.shape == (25, 2) and p.b_history_.shape == (25,)
    np.testing.assert_array_equal(p.w_history_[4], [1.0, 1.0])   # end of epoch 1
    assert p.b_history_[4] == 0.0
    np.testing.assert_array_equal(p.order_[:8], [0, 1, 2, 3, 0, 1, 2, 3])


def test_from_zero_the_learning_rate_only_scales_the_weights():
    X, y = logic_gate("or")
    a, b = Perceptron(lr=1.0).fit(X, y), Perceptron(lr=0.01).fit(X, y)
    assert a.errors_ == b.errors_
    np.testing.assert_allclose(b.w_history_ * 100, a.w_history_)
    np.testing.assert_allclose(b.b_history_ * 100, a.b_history_)


def test_perceptron_never_settles_on_xor():
    X, y = logic_gate("xor")
    p = Perceptron(epochs=200).fit(X, y)
    assert not p.converged_ and len(p.errors_) == 200
    assert min(p.errors_) > 0
    assert (p.predict(X) != y).sum() >= 1


def test_perceptron_converges_on_separable_blobs_in_any_order():
    X, y = blobs(60, np.random.default_rng(1), centers=np.array([[-2.0, -2.0], [2.0, 2.0]]), std=0.7)
    for p in (Perceptron(lr=0.1).fit(X, y),
              Perceptron(shuffle=True, rng=np.random.default_rng(0)).fit(X, y)):
        assert p.converged_
        np.testing.assert_array_equal(p.predict(X), y)


def test_perceptron_start_point_and_validation():
    X, y = logic_gate("and")
    p = Perceptron(epochs=1).fit(X, y, w0=[1.0, 1.0], b0=-1.5)
    # w.x + b = -1.5, -0.5, -0.5, 0.5: already right, one clean epoch
    assert p.errors_ == [0] and p.b == -1.5
    with pytest.raises(ValueError, match="lr must be a positive number"):
        Perceptron(lr=0)
    with pytest.raises(TypeError, match="rng"):
        Perceptron(shuffle=True)
    with pytest.raises(ValueError, match=r"labels y in \{0, 1\}, got -1"):
        Perceptron().fit(X, [-1, 1, 1, 1])
    with pytest.raises(ValueError, match=r"2 features \(as in fit\), got shape \(1, 3\)"):
        p.predict([[1, 0, 1]])
    with pytest.raises(RuntimeError, match="call fit"):
        Perceptron().predict(X)


# -- sigmoid neuron ---------------------------------------------------------------------
def test_sigmoid_neuron_loss_decreases_and_it_learns_or():
    X, y = logic_gate("or")
    neuron = SigmoidNeuron(lr=1.0, epochs=300).fit(X, y)
    h = neuron.loss_history_
    assert h.shape == (301,) and h[0] == pytest.approx(np.log(2))  # p = 0.5 everywhere at start
    assert np.all(np.diff(h) < 0) and h[-1] < 0.1
    np.testing.assert_array_equal(neuron.predict(X), y)
    p = neuron.predict_proba(X)
    assert p.shape == (4,) and np.all((p > 0) & (p < 1))


def test_sigmoid_neuron_gradient_matches_the_numerical_gradient():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(7, 3)), rng.integers(0, 2, size=7)
    neuron = SigmoidNeuron()
    neuron.w, neuron.b = rng.normal(size=3), 0.3
    dw, db = neuron.gradients(X, y)

    def loss_w(w):
        neuron.w = w
        return neuron.loss(X, y)

    w = neuron.w.copy()
    num_dw = numerical_gradient(loss_w, w.copy())
    neuron.w = w
    eps = 1e-6
    neuron.b = 0.3 + eps
    up = neuron.loss(X, y)
    neuron.b = 0.3 - eps
    num_db = (up - neuron.loss(X, y)) / (2 * eps)
    np.testing.assert_allclose(dw, num_dw, rtol=1e-6, atol=1e-9)
    assert db == pytest.approx(num_db, rel=1e-6)


def test_sigmoid_neuron_loss_is_finite_for_huge_logits():
    neuron = SigmoidNeuron()
    neuron.w, neuron.b = np.array([1e4]), 0.0
    assert neuron.loss([[1.0], [-1.0]], [0, 1]) == pytest.approx(1e4)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        assert neuron.loss([[1.0], [-1.0]], [1, 0]) == pytest.approx(0.0)


def test_sigmoid_neuron_validation():
    with pytest.raises(ValueError, match="epochs"):
        SigmoidNeuron(epochs=-1)
    with pytest.raises(ValueError, match=r"labels y in \{0, 1\}, got 0.5"):
        SigmoidNeuron().fit([[0.0], [1.0]], [0.5, 1])
    with pytest.raises(RuntimeError, match="call fit"):
        SigmoidNeuron().predict([[0.0]])


def test_perceptron_fit_function_is_the_class():
    X, y = logic_gate("nand")
    w, b = perceptron_fit(X, y, lr=0.5, epochs=3)
    p = Perceptron(lr=0.5, epochs=3).fit(X, y)
    np.testing.assert_array_equal(w, p.w)
    assert b == p.b and isinstance(b, float)
