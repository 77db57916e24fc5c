"""nnlib.optim: every update rule against arithmetic written out here, plus the contract.

The expected values are computed in this file, one scalar at a time, from the
formulas in the docstrings (never by calling the optimizer classes), so a wrong
sign, a misplaced eps or a missing bias correction makes a test fail.
"""

import math

import numpy as np
import pytest

import nnlib
from nnlib import optim
from nnlib.optim import SGD, Adadelta, Adagrad, Adam, AdamW, NAdam, RMSprop

W0 = [1.0, -2.0]
# A fixed gradient sequence (3 steps, 2 weights): the expected path does not
# depend on the optimizer being right about the loss.
G = [[0.5, -1.0], [0.2, 0.3], [-0.4, 1.5]]


def run(opt, w0=W0, grads=G):
    """Three steps of ``opt`` on w = w0 with the gradients ``grads``; the path (3, 2)."""
    w = np.array(w0)
    path = []
    for g in grads:
        opt.step({"w": w}, {"w": np.array(g)})
        path.append(w.copy())
    return np.array(path)


def scalar_path(update, w0=W0, grads=G):
    """Apply ``update(x, g, t, s) -> x`` to each weight on its own (s: a dict of its state)."""
    path = np.zeros((len(grads), len(w0)))
    for i, x in enumerate(w0):
        s = {}
        for t, g in enumerate(grads, start=1):
            x = update(x, g[i], t, s)
            path[t - 1, i] = x
    return path


# --------------------------------------------------------------------- SGD

def test_sgd_plain_is_w_minus_lr_g():
    # w1 = [1 - 0.1*0.5, -2 + 0.1*1.0] = [0.95, -1.9]
    # w2 = [0.95 - 0.02, -1.9 - 0.03] = [0.93, -1.93]
    # w3 = [0.93 + 0.04, -1.93 - 0.15] = [0.97, -2.08]
    path = run(SGD(lr=0.1))
    np.testing.assert_allclose(path, [[0.95, -1.9], [0.93, -1.93], [0.97, -2.08]], rtol=1e-14)


def test_sgd_momentum_on_quadratic_by_hand():
    # f(w) = sum(w^2), g = 2w, lr 0.1, momentum 0.9, w0 = [1, -2]:
    # t=1: g = [2, -4],     v = g = [2, -4],                       w = [0.8, -1.6]
    # t=2: g = [1.6, -3.2], v = 0.9*[2, -4] + g = [3.4, -6.8],     w = [0.46, -0.92]
    # t=3: g = [0.92,-1.84],v = 0.9*[3.4,-6.8] + g = [3.98,-7.96], w = [0.062, -0.124]
    opt = SGD(lr=0.1, momentum=0.9)
    w = np.array([1.0, -2.0])
    path = []
    for _ in range(3):
        opt.step({"w": w}, {"w": 2 * w})
        path.append(w.copy())
    np.testing.assert_allclose(path, [[0.8, -1.6], [0.46, -0.92], [0.062, -0.124]], rtol=1e-12)
    np.testing.assert_allclose(opt.state["w"]["momentum_buffer"], [3.98, -7.96], rtol=1e-12)
    assert opt.state["w"]["step"] == 3


@pytest.mark.parametrize("kw", [
    dict(momentum=0.9),
    dict(momentum=0.9, dampening=0.5),
    dict(momentum=0.8, nesterov=True),
    dict(momentum=0.8, nesterov=True, weight_decay=0.1),
    dict(weight_decay=0.5),
])
def test_sgd_variants_against_the_formula(kw):
    lr, mu = 0.1, kw.get("momentum", 0.0)
    damp, wd, nesterov = kw.get("dampening", 0.0), kw.get("weight_decay", 0.0), kw.get("nesterov")

    def update(x, g, t, s):
        g = g + wd * x
        if mu:
            s["v"] = g if t == 1 else mu * s["v"] + (1 - damp) * g
            g = g + mu * s["v"] if nesterov else s["v"]
        return x - lr * g

    np.testing.assert_allclose(run(SGD(lr=lr, **kw)), scalar_path(update), rtol=1e-13)


def test_sgd_ema_momentum_is_classical_with_rescaled_lr():
    # EMA form V = b V + (1 - b) g, w -= eta V  ==  classical with lr = eta * (1 - b).
    beta, eta = 0.9, 0.5
    x, V, ema = 1.0, 0.0, []
    for g in (0.5, 0.2, -0.4):
        V = beta * V + (1 - beta) * g
        x -= eta * V
        ema.append(x)
    path = run(SGD(lr=eta * (1 - beta), momentum=beta), w0=[1.0], grads=[[0.5], [0.2], [-0.4]])
    np.testing.assert_allclose(path[:, 0], ema, rtol=1e-13)


# ------------------------------------------------------------ chapter 04 example

def sgd_on_parabola(lr, steps):
    """f(w) = 2 w^2 + w + 4, f'(w) = 4 w + 1, w0 = 2."""
    w = np.array([2.0])
    opt = SGD(lr=lr)
    path = [w[0]]
    for _ in range(steps):
        opt.step({"w": w}, {"w": 4 * w + 1})
        path.append(w[0])
    return path


def test_worked_example_converges_at_lr_0_1():
    # w <- w - 0.1 (4w + 1) = 0.6 w - 0.1: fixed point -0.25, error shrinks by 0.6 each step
    path = sgd_on_parabola(0.1, 20)
    assert path[1] == pytest.approx(1.1)          # 2 - 0.1 * 9
    assert path[2] == pytest.approx(0.56)         # 1.1 - 0.1 * 5.4
    assert abs(path[20] + 0.25) < 1e-3
    w = path[20]
    assert 2 * w**2 + w + 4 == pytest.approx(3.875, abs=1e-6)


def test_worked_example_alternates_exactly_at_lr_0_5():
    # w <- w - 0.5 (4w + 1) = -w - 0.5: 2, -2.5, 2, -2.5, ...
    assert sgd_on_parabola(0.5, 6) == [2.0, -2.5, 2.0, -2.5, 2.0, -2.5, 2.0]


def test_worked_example_diverges_at_lr_0_6():
    # w <- -1.4 w - 0.6: the distance to -0.25 grows by 1.4 every step
    path = sgd_on_parabola(0.6, 30)
    dist = [abs(w + 0.25) for w in path]
    assert all(b > a for a, b in zip(dist, dist[1:]))
    assert dist[30] == pytest.approx(2.25 * 1.4**30, rel=1e-9)


# ------------------------------------------------------- adaptive optimizers

def test_first_step_sizes_by_hand():
    g = np.array([[0.5, -2.0]])
    w0 = [0.0, 0.0]
    # Adam at t = 1: m_hat = g, v_hat = g^2, step = lr * g / (|g| + eps)
    np.testing.assert_allclose(run(Adam(lr=0.1), w0, g)[0], [-0.1, 0.1], rtol=1e-7)
    # Adagrad at t = 1: s = g^2, step = lr * g / (|g| + eps)
    np.testing.assert_allclose(run(Adagrad(lr=0.1), w0, g)[0], [-0.1, 0.1], rtol=1e-9)
    # RMSprop at t = 1: v = 0.01 g^2, step = lr * g / (0.1 |g| + eps) = 10 lr sign(g)
    np.testing.assert_allclose(run(RMSprop(lr=0.01), w0, g)[0], [-0.1, 0.1], rtol=1e-6)
    # Adadelta at t = 1: delta = sqrt(1e-6) / sqrt(0.1 g^2 + 1e-6) * g
    expected = [-1e-3 * 0.5 / math.sqrt(0.025 + 1e-6), 1e-3 * 2.0 / math.sqrt(0.4 + 1e-6)]
    np.testing.assert_allclose(run(Adadelta(), w0, g)[0], expected, rtol=1e-12)


@pytest.mark.parametrize("kw", [
    dict(lr=0.1),
    dict(lr=0.1, lr_decay=0.5, weight_decay=0.1, initial_accumulator_value=0.2, eps=1e-3),
])
def test_adagrad_against_the_formula(kw):
    lr, decay, wd = kw["lr"], kw.get("lr_decay", 0.0), kw.get("weight_decay", 0.0)
    s0, eps = kw.get("initial_accumulator_value", 0.0), kw.get("eps", 1e-10)

    def update(x, g, t, s):
        g = g + wd * x
        clr = lr / (1 + (t - 1) * decay)
        s["sum"] = s.get("sum", s0) + g * g
        return x - clr * g / (math.sqrt(s["sum"]) + eps)

    np.testing.assert_allclose(run(Adagrad(**kw)), scalar_path(update), rtol=1e-13)


@pytest.mark.parametrize("kw", [dict(), dict(lr=0.5, rho=0.5, eps=1e-3, weight_decay=0.1)])
def test_adadelta_against_the_formula(kw):
    lr, rho, eps = kw.get("lr", 1.0), kw.get("rho", 0.9), kw.get("eps", 1e-6)
    wd = kw.get("weight_decay", 0.0)

    def update(x, g, t, s):
        g = g + wd * x
        v = rho * s.get("v", 0.0) + (1 - rho) * g * g
        delta = math.sqrt(s.get("u", 0.0) + eps) / math.sqrt(v + eps) * g
        s["v"], s["u"] = v, rho * s.get("u", 0.0) + (1 - rho) * delta * delta
        return x - lr * delta

    np.testing.assert_allclose(run(Adadelta(**kw)), scalar_path(update), rtol=1e-13)


@pytest.mark.parametrize("kw", [
    dict(lr=0.01),
    dict(lr=0.01, momentum=0.9),
    dict(lr=0.01, centered=True),
    dict(lr=0.01, centered=True, momentum=0.5, alpha=0.9, weight_decay=0.1, eps=1e-4),
])
def test_rmsprop_against_the_formula(kw):
    lr, alpha, eps = kw["lr"], kw.get("alpha", 0.99), kw.get("eps", 1e-8)
    mu, wd, centered = kw.get("momentum", 0.0), kw.get("weight_decay", 0.0), kw.get("centered")

    def update(x, g, t, s):
        g = g + wd * x
        s["v"] = alpha * s.get("v", 0.0) + (1 - alpha) * g * g
        if centered:
            s["a"] = alpha * s.get("a", 0.0) + (1 - alpha) * g
            d = math.sqrt(s["v"] - s["a"] ** 2) + eps
        else:
            d = math.sqrt(s["v"]) + eps
        if mu > 0:
            s["b"] = mu * s.get("b", 0.0) + g / d
            return x - lr * s["b"]
        return x - lr * g / d

    np.testing.assert_allclose(run(RMSprop(**kw)), scalar_path(update), rtol=1e-12)


def adam_update(lr, b1, b2, eps, wd=0.0, amsgrad=False, decoupled=False):
    def update(x, g, t, s):
        if decoupled:
            x = x - lr * wd * x
        else:
            g = g + wd * x
        s["m"] = b1 * s.get("m", 0.0) + (1 - b1) * g
        s["v"] = b2 * s.get("v", 0.0) + (1 - b2) * g * g
        v = s["v"]
        if amsgrad:
            v = s["vmax"] = max(s.get("vmax", 0.0), v)
        m_hat = s["m"] / (1 - b1**t)
        v_hat = v / (1 - b2**t)
        return x - lr * m_hat / (math.sqrt(v_hat) + eps)
    return update


@pytest.mark.parametrize("kw", [
    dict(lr=0.1),
    dict(lr=0.1, amsgrad=True),
    dict(lr=0.1, weight_decay=0.5),
    dict(lr=0.1, weight_decay=0.5, decoupled_weight_decay=True),
    dict(lr=0.1, betas=(0.5, 0.9), eps=1e-2, amsgrad=True),
])
def test_adam_against_the_formula(kw):
    b1, b2 = kw.get("betas", (0.9, 0.999))
    update = adam_update(kw["lr"], b1, b2, kw.get("eps", 1e-8), kw.get("weight_decay", 0.0),
                         kw.get("amsgrad", False), kw.get("decoupled_weight_decay", False))
    np.testing.assert_allclose(run(Adam(**kw)), scalar_path(update), rtol=1e-12)


def test_amsgrad_changes_the_path():
    # beta2 = 0.5: v = [2, 1.005, 0.5075] falls below its maximum 2, so amsgrad steps less
    grads = [[2.0, 2.0], [0.1, 0.1], [0.1, 0.1]]
    plain = run(Adam(lr=0.1, betas=(0.9, 0.5)), grads=grads)
    ams = run(Adam(lr=0.1, betas=(0.9, 0.5), amsgrad=True), grads=grads)
    np.testing.assert_array_equal(plain[0], ams[0])
    assert np.all(np.abs(ams[2] - ams[1]) < np.abs(plain[2] - plain[1]))


def test_adamw_is_decoupled_with_weight_decay_0_01():
    update = adam_update(0.1, 0.9, 0.999, 1e-8, wd=0.01, decoupled=True)
    np.testing.assert_allclose(run(AdamW(lr=0.1)), scalar_path(update), rtol=1e-12)
    coupled = adam_update(0.1, 0.9, 0.999, 1e-8, wd=0.01, decoupled=False)
    assert not np.allclose(run(AdamW(lr=0.1)), scalar_path(coupled), rtol=1e-9, atol=0)


@pytest.mark.parametrize("kw", [
    dict(lr=0.1),
    dict(lr=0.1, weight_decay=0.5),
    dict(lr=0.1, weight_decay=0.5, decoupled_weight_decay=True),
    dict(lr=0.1, betas=(0.8, 0.99), momentum_decay=0.1, eps=1e-3),
])
def test_nadam_against_the_formula(kw):
    lr, (b1, b2) = kw["lr"], kw.get("betas", (0.9, 0.999))
    eps, wd, psi = kw.get("eps", 1e-8), kw.get("weight_decay", 0.0), kw.get("momentum_decay", 4e-3)
    decoupled = kw.get("decoupled_weight_decay", False)

    def update(x, g, t, s):
        if decoupled:
            x = x * (1 - lr * wd)
        else:
            g = g + wd * x
        mu_t = b1 * (1 - 0.5 * 0.96 ** (t * psi))
        mu_next = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
        s["prod"] = s.get("prod", 1.0) * mu_t
        s["m"] = b1 * s.get("m", 0.0) + (1 - b1) * g
        s["v"] = b2 * s.get("v", 0.0) + (1 - b2) * g * g
        d = math.sqrt(s["v"] / (1 - b2**t)) + eps
        return (x - lr * (1 - mu_t) / (1 - s["prod"]) * g / d
                - lr * mu_next / (1 - s["prod"] * mu_next) * s["m"] / d)

    opt = NAdam(**kw)
    np.testing.assert_allclose(run(opt), scalar_path(update), rtol=1e-12)
    # mu_product after 3 steps, written out
    mus = [b1 * (1 - 0.5 * 0.96 ** (t * psi)) for t in (1, 2, 3)]
    assert opt.state["w"]["mu_product"] == pytest.approx(mus[0] * mus[1] * mus[2], rel=1e-14)


# ------------------------------------------------------------------ contract

ALL = [SGD, Adagrad, Adadelta, RMSprop, Adam, AdamW, NAdam]


def test_defaults_match_torch():
    assert SGD().lr == 1e-3 and SGD().momentum == 0 and not SGD().nesterov
    assert (Adagrad().lr, Adagrad().eps, Adagrad().lr_decay) == (1e-2, 1e-10, 0)
    assert (Adadelta().lr, Adadelta().rho, Adadelta().eps) == (1.0, 0.9, 1e-6)
    assert (RMSprop().lr, RMSprop().alpha, RMSprop().eps) == (1e-2, 0.99, 1e-8)
    assert (Adam().lr, Adam().betas, Adam().eps, Adam().weight_decay) == (1e-3, (0.9, 0.999), 1e-8, 0)
    assert AdamW().weight_decay == 0.01 and AdamW().decoupled_weight_decay
    assert (NAdam().lr, NAdam().momentum_decay) == (2e-3, 4e-3)


@pytest.mark.parametrize("cls", ALL)
def test_updates_in_place_and_keeps_state_per_name(cls):
    rng = np.random.default_rng(0)
    W, b = rng.normal(size=(3, 2)), rng.normal(size=2)
    W_alone, b_alone = W.copy(), b.copy()
    params = {"0.W": W, "0.b": b}
    opt, opt_W, opt_b = cls(lr=0.1), cls(lr=0.1), cls(lr=0.1)
    for _ in range(2):
        grads = {"0.W": rng.normal(size=(3, 2)), "0.b": rng.normal(size=2)}
        opt.step(params, grads)
        opt_W.step({"W": W_alone}, {"W": grads["0.W"]})
        opt_b.step({"b": b_alone}, {"b": grads["0.b"]})
    assert params["0.W"] is W and params["0.b"] is b          # the same arrays, changed
    np.testing.assert_array_equal(W, W_alone)                  # each name has its own state
    np.testing.assert_array_equal(b, b_alone)
    assert set(opt.state) == {"0.W", "0.b"}
    assert opt.state["0.W"]["step"] == 2
    buffers = [v for v in opt.state["0.W"].values() if isinstance(v, np.ndarray)]
    assert all(buf.shape == (3, 2) for buf in buffers)
    assert len(buffers) >= (0 if cls is SGD else 1)


@pytest.mark.parametrize("cls", ALL)
def test_float32_stays_float32(cls):
    w = np.array([[1.0, -2.0]], dtype=np.float32)
    opt = cls(lr=0.1)
    for _ in range(2):
        opt.step({"w": w}, {"w": np.array([[0.5, -1.0]])})  # a float64 gradient
    assert w.dtype == np.float32
    for buf in opt.state["w"].values():
        if isinstance(buf, np.ndarray):
            assert buf.dtype == np.float32


@pytest.mark.parametrize("cls", ALL)
def test_does_not_modify_the_gradient(cls):
    kw = dict(momentum=0.9, weight_decay=0.1) if cls in (SGD, RMSprop) else {}
    w, g = np.array([1.0, -2.0]), np.array([0.5, -1.0])
    opt = cls(lr=0.1, **kw)
    for _ in range(3):
        opt.step({"w": w}, {"w": g})
    np.testing.assert_array_equal(g, [0.5, -1.0])


def test_lr_is_read_at_every_step():
    w = np.array([1.0])
    opt = SGD(lr=0.1)
    opt.step({"w": w}, {"w": np.array([1.0])})
    opt.lr = 0.5
    opt.step({"w": w}, {"w": np.array([1.0])})
    assert w[0] == pytest.approx(1.0 - 0.1 - 0.5)


def test_missing_key_and_shape_mismatch():
    opt = Adam()
    w, b = np.zeros((3, 2)), np.zeros(2)
    with pytest.raises(ValueError, match=r"no gradient for parameter '0\.b'"):
        opt.step({"0.W": w, "0.b": b}, {"0.W": np.zeros((3, 2))})
    with pytest.raises(ValueError, match=r"'0\.W' has shape \(2, 3\).*shape \(3, 2\)"):
        opt.step({"0.W": w}, {"0.W": np.zeros((2, 3))})
    with pytest.raises(ValueError, match="no parameter"):
        opt.step({"0.W": w}, {"0.W": np.zeros((3, 2)), "0.c": np.zeros(2)})
    assert opt.state == {}  # nothing was updated


def test_state_shape_change_is_reported():
    opt = Adam()
    opt.step({"w": np.zeros(2)}, {"w": np.ones(2)})
    with pytest.raises(ValueError, match=r"built for shape \(2,\).*reset"):
        opt.step({"w": np.zeros(3)}, {"w": np.ones(3)})
    opt.reset()
    opt.step({"w": np.zeros(3)}, {"w": np.ones(3)})
    assert opt.state["w"]["step"] == 1


@pytest.mark.parametrize("bad", [2.0, np.float64(2.0), np.array(2.0), np.array([1, 2]), [1.0, 2.0]])
def test_param_must_be_a_float_array(bad):
    with pytest.raises(TypeError, match=r"np\.array\(\[2\.0\]\)"):
        SGD(lr=0.1).step({"w": bad}, {"w": np.ones(np.shape(bad))})


def test_params_must_be_dicts():
    with pytest.raises(TypeError, match="dict"):
        SGD().step([np.zeros(2)], [np.zeros(2)])


def test_nesterov_needs_momentum_and_no_dampening():
    with pytest.raises(ValueError, match="nesterov.*momentum > 0"):
        SGD(lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="dampening = 0"):
        SGD(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)
    SGD(lr=0.1, momentum=0.9, nesterov=True)


@pytest.mark.parametrize("cls", ALL)
def test_negative_lr_is_refused(cls):
    with pytest.raises(ValueError, match=r"lr must be >= 0, got -0\.1"):
        cls(lr=-0.1)


@pytest.mark.parametrize("make", [
    lambda: SGD(momentum=-0.1), lambda: SGD(weight_decay=-1),
    lambda: Adagrad(lr_decay=-1), lambda: Adagrad(eps=-1), lambda: Adagrad(initial_accumulator_value=-1),
    lambda: Adadelta(rho=1.5), lambda: RMSprop(alpha=-0.1), lambda: RMSprop(momentum=-1),
    lambda: Adam(betas=(1.0, 0.999)), lambda: Adam(betas=(0.9, -0.1)), lambda: AdamW(eps=-1),
    lambda: NAdam(momentum_decay=-1), lambda: NAdam(weight_decay=-1),
])
def test_invalid_hyperparameters(make):
    with pytest.raises(ValueError, match="must be >= 0"):
        make()


# ------------------------------------------------------------------ clipping

def test_clip_grad_norm_is_global():
    a, b = np.array([3.0, 0.0]), np.array([0.0, 4.0])
    total = optim.clip_grad_norm({"a": a, "b": b}, max_norm=1.0)
    assert total == 5.0
    coef = 1.0 / (5.0 + 1e-6)
    np.testing.assert_allclose(a, [3 * coef, 0.0], rtol=1e-15)   # ~[0.6, 0]
    np.testing.assert_allclose(b, [0.0, 4 * coef], rtol=1e-15)   # ~[0, 0.8], not [0, 1]
    assert math.hypot(a[0], b[1]) == pytest.approx(1.0, abs=1e-6)


def test_clip_grad_norm_under_threshold_is_a_no_op():
    a, b = np.array([3.0, 0.0]), np.array([0.0, 4.0])
    assert optim.clip_grad_norm({"a": a, "b": b}, max_norm=10.0) == 5.0
    np.testing.assert_array_equal(a, [3.0, 0.0])
    np.testing.assert_array_equal(b, [0.0, 4.0])
    assert optim.clip_grad_norm({}, 1.0) == 0.0


def test_clip_grad_norm_checks():
    with pytest.raises(ValueError, match="max_norm"):
        optim.clip_grad_norm({"a": np.ones(2)}, -1.0)
    with pytest.raises(TypeError, match="in place"):
        optim.clip_grad_norm({"a": [1.0, 2.0]}, 1.0)


def test_clip_grad_value():
    a = np.array([[-3.0, 0.5], [2.0, -0.2]])
    optim.clip_grad_value({"a": a}, 1.0)
    np.testing.assert_array_equal(a, [[-1.0, 0.5], [1.0, -0.2]])


# ------------------------------------------------------------------ registry

def test_get_and_reexported_schedules():
    assert optim.get("adam") is Adam and optim.get("SGD") is SGD and optim.get(NAdam) is NAdam
    with pytest.raises(ValueError, match="adamw.*nadam.*rmsprop"):
        optim.get("adan")
    assert nnlib.optim.StepLR is nnlib.schedules.StepLR
    assert "lr=0.1" in repr(SGD(lr=0.1))
