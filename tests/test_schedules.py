"""nnlib.schedules: learning rates written out by hand, step() vs lr_at(), errors."""

import math
from types import SimpleNamespace

import numpy as np
import pytest

from nnlib.optim import SGD
from nnlib.schedules import CosineAnnealingLR, ExponentialLR, LinearWarmup, StepLR


def lrs(sched, n):
    """optimizer.lr at epochs 0..n (stepping the schedule n times)."""
    out = [sched.optimizer.lr]
    for _ in range(n):
        sched.step()
        out.append(sched.optimizer.lr)
    return out


def test_step_lr_by_hand():
    sched = StepLR(SGD(lr=0.1), step_size=3, gamma=0.5)
    expected = [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025]
    np.testing.assert_allclose(lrs(sched, 7), expected, rtol=1e-15)
    assert sched.last_epoch == 7


def test_exponential_lr_by_hand():
    sched = ExponentialLR(SGD(lr=0.2), gamma=0.5)
    np.testing.assert_allclose(lrs(sched, 4), [0.2, 0.1, 0.05, 0.025, 0.0125], rtol=1e-15)


def test_cosine_by_hand():
    # T_max = 4: (1 + cos(pi t / 4)) / 2 = 1, (1 + 1/sqrt 2)/2, 1/2, (1 - 1/sqrt 2)/2, 0
    h = 1 / math.sqrt(2)
    sched = CosineAnnealingLR(SGD(lr=1.0), T_max=4)
    np.testing.assert_allclose(lrs(sched, 4), [1, (1 + h) / 2, 0.5, (1 - h) / 2, 0],
                               rtol=1e-14, atol=1e-16)
    # eta_min = 0.1: 0.1 + 0.9 * (same factors); past T_max it climbs back up (as torch)
    sched = CosineAnnealingLR(SGD(lr=1.0), T_max=4, eta_min=0.1)
    got = lrs(sched, 6)
    np.testing.assert_allclose(got[:5], [1, 0.1 + 0.9 * (1 + h) / 2, 0.55,
                                         0.1 + 0.9 * (1 - h) / 2, 0.1], rtol=1e-14)
    np.testing.assert_allclose(got[5:], [got[3], got[2]], rtol=1e-14)


def test_linear_warmup_by_hand():
    # start 0.25, 4 warm-up steps: factors 0.25, 0.4375, 0.625, 0.8125, 1, 1, ...
    opt = SGD(lr=0.1)
    sched = LinearWarmup(opt, warmup_steps=4, start_factor=0.25)
    assert opt.lr == pytest.approx(0.025)  # set at construction, as torch's LinearLR
    expected = [0.025, 0.04375, 0.0625, 0.08125, 0.1, 0.1, 0.1]
    np.testing.assert_allclose(lrs(sched, 6), expected, rtol=1e-14)
    assert LinearWarmup(SGD(lr=0.3), warmup_steps=5).lr_at(0) == pytest.approx(0.1)


SCHEDULES = [
    lambda opt: StepLR(opt, step_size=4, gamma=0.3),
    lambda opt: ExponentialLR(opt, gamma=0.9),
    lambda opt: CosineAnnealingLR(opt, T_max=10, eta_min=0.01),
    lambda opt: LinearWarmup(opt, warmup_steps=7, start_factor=0.1),
]


@pytest.mark.parametrize("make", SCHEDULES)
def test_lr_at_is_a_pure_closed_form(make):
    opt = SGD(lr=0.5)
    sched = make(opt)
    table = sched.lr_at(np.arange(21))
    assert isinstance(table, np.ndarray) and table.shape == (21,)
    assert opt.lr == table[0] and sched.last_epoch == 0   # lr_at changed nothing
    assert isinstance(sched.lr_at(3), float)
    np.testing.assert_allclose(lrs(sched, 20), table, rtol=1e-15)
    assert isinstance(opt.lr, float)
    assert sched.base_lr == 0.5


def test_schedule_drives_the_optimizer_steps():
    w = np.array([0.0])
    opt = SGD(lr=1.0)
    sched = StepLR(opt, step_size=1, gamma=0.5)
    for _ in range(3):
        opt.step({"w": w}, {"w": np.array([-1.0])})
        sched.step()
    assert w[0] == pytest.approx(1.0 + 0.5 + 0.25)


def test_any_object_with_lr_works():
    opt = SimpleNamespace(lr=0.4)
    ExponentialLR(opt, gamma=0.5).step()
    assert opt.lr == pytest.approx(0.2)


@pytest.mark.parametrize("make, match", [
    (lambda o: StepLR(o, step_size=0), "step_size must be an integer >= 1"),
    (lambda o: StepLR(o, step_size=2.5), "step_size must be an integer"),
    (lambda o: StepLR(o, step_size=2, gamma=0), "gamma must be > 0"),
    (lambda o: ExponentialLR(o, gamma=-0.5), "gamma must be > 0"),
    (lambda o: CosineAnnealingLR(o, T_max=0), "T_max must be an integer >= 1"),
    (lambda o: LinearWarmup(o, warmup_steps=0), "warmup_steps"),
    (lambda o: LinearWarmup(o, warmup_steps=5, start_factor=0), "start_factor"),
    (lambda o: LinearWarmup(o, warmup_steps=5, start_factor=1.5), "start_factor"),
])
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make(SGD(lr=0.1))


def test_bad_optimizer_and_negative_t():
    with pytest.raises(TypeError, match="lr attribute"):
        StepLR(object(), step_size=2)
    with pytest.raises(ValueError, match="t >= 0"):
        StepLR(SGD(lr=0.1), step_size=2).lr_at(-1)
