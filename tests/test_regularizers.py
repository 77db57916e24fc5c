"""L2, L1 and elastic-net penalties: values, gradients, which parameters, proximal step."""

import numpy as np
import pytest

from nnlib import regularizers as R
from nnlib.gradcheck import numerical_gradient, rel_error


def params(seed=0):
    rng = np.random.default_rng(seed)
    return {"0.W": rng.normal(size=(3, 4)), "0.b": rng.normal(size=4),
            "2.W": rng.normal(size=(4, 2)), "2.b": rng.normal(size=2),
            "1.gamma": rng.normal(size=4), "1.beta": rng.normal(size=4)}


def test_which_parameters_are_weights():
    assert [n for n in ["0.W", "W", "w", "3.Wx", "3.Wh", "0.b", "b", "1.gamma", "1.beta"]
            if R.is_weight(n)] == ["0.W", "W", "w", "3.Wx", "3.Wh"]


def test_values_on_a_hand_case():
    p = {"W": np.array([[1.0, -2.0], [0.0, 3.0]]), "b": np.array([10.0, -10.0])}
    assert R.L2(0.1)(p) == pytest.approx(0.1 * (1 + 4 + 0 + 9))
    assert R.L1(0.1)(p) == pytest.approx(0.1 * (1 + 2 + 0 + 3))
    assert R.ElasticNet(0.1, 0.01)(p) == pytest.approx(0.1 * 6 + 0.01 * 14)
    assert R.L2(0.1).value(p) == R.L2(0.1)(p)


def test_gradients_on_a_hand_case_and_biases_are_left_out():
    p = {"W": np.array([[1.0, -2.0], [0.0, 3.0]]), "b": np.array([10.0, -10.0])}
    g2, g1 = R.L2(0.5).grad(p), R.L1(0.5).grad(p)
    assert set(g2) == set(g1) == {"W"}
    np.testing.assert_allclose(g2["W"], [[1.0, -2.0], [0.0, 3.0]])  # 2 * 0.5 * w
    np.testing.assert_allclose(g1["W"], [[0.5, -0.5], [0.0, 0.5]])  # 0.5 * sign(w), 0 at 0


@pytest.mark.parametrize("penalty", [R.L2(0.3), R.L1(0.2), R.ElasticNet(0.1, 0.4)])
def test_gradients_match_numerical_gradients(penalty):
    p = params(1)
    grads = penalty.grad(p)
    for name, w in p.items():
        num = numerical_gradient(lambda _: penalty(p), w)
        if R.is_weight(name):
            assert rel_error(grads[name], num) < 1e-7
        else:
            np.testing.assert_allclose(num, 0.0, atol=1e-9)
            assert name not in grads


def test_select_chooses_other_parameters():
    p = params(2)
    everything = R.L2(1.0, select=lambda name: True)
    assert everything(p) == pytest.approx(sum(np.sum(v ** 2) for v in p.values()))


def test_get_by_name():
    assert isinstance(R.get("l2", 0.1), R.L2) and isinstance(R.get("L1", 0.1), R.L1)
    en = R.get("elastic-net", 0.2)
    assert (en.l1, en.l2) == (0.1, 0.1)
    with pytest.raises(ValueError, match="valid names: elastic_net, l1, l2"):
        R.get("l3", 0.1)


def test_proximal_step_is_soft_thresholding():
    w = np.array([-1.0, -0.05, 0.0, 0.03, 0.5])
    p = {"W": w, "b": np.array([0.01])}
    R.L1(0.1, proximal=True).prox(p, lr=0.5)  # threshold 0.05
    np.testing.assert_allclose(w, [-0.95, 0.0, 0.0, 0.0, 0.45])
    assert np.sum(w == 0) == 3 and p["b"][0] == 0.01


def test_proximal_step_minimises_the_penalised_distance():
    # prox(w) = argmin_v R(v) + |v - w|^2 / (2 lr): check against a fine grid, one entry
    lr, pen = 0.3, R.ElasticNet(0.2, 0.5)
    grid = np.linspace(-3, 3, 600001)
    for w0 in [-2.0, -0.04, 0.02, 0.7, 1.5]:
        objective = pen.l1 * np.abs(grid) + pen.l2 * grid ** 2 + (grid - w0) ** 2 / (2 * lr)
        w = np.array([w0])
        pen.prox({"W": w}, lr)
        assert w[0] == pytest.approx(grid[np.argmin(objective)], abs=2e-5)


def test_errors_are_clear():
    with pytest.raises(ValueError, match="lam must be >= 0"):
        R.L2(-1.0)
    with pytest.raises(TypeError, match="expects a dict"):
        R.L2(0.1)([np.ones(3)])
    with pytest.raises(NotImplementedError, match="L2 has no proximal step"):
        R.L2(0.1).prox({"W": np.ones(2)}, 0.1)


torch = pytest.importorskip("torch", reason="PyTorch not installed: parity tests skipped")


def test_torch_autograd_agrees_and_sgd_weight_decay_is_l2_with_half_the_strength():
    p = params(3)
    lam = 0.05
    tensors = {k: torch.tensor(v, requires_grad=True) for k, v in p.items()}
    value = sum(lam * (t ** 2).sum() + lam * t.abs().sum() for k, t in tensors.items() if R.is_weight(k))
    value.backward()
    ours = R.ElasticNet(lam, lam)
    assert ours(p) == pytest.approx(value.item(), rel=1e-12)
    for k, g in ours.grad(p).items():
        np.testing.assert_allclose(g, tensors[k].grad.numpy(), rtol=1e-12)
    # torch.optim.SGD(weight_decay=wd) adds wd * w: the gradient of L2(wd / 2)
    w = torch.tensor(p["0.W"], requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1, weight_decay=2 * lam)
    w.grad = torch.zeros_like(w)
    opt.step()
    np.testing.assert_allclose(w.detach().numpy(), p["0.W"] - 0.1 * R.L2(lam).grad({"W": p["0.W"]})["W"])
