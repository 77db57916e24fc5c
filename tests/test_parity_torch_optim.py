"""nnlib.optim and nnlib.schedules against torch.optim: the same numbers to 1e-12.

Each optimizer runs 20 steps on random float64 parameters with a random gradient
sequence (of varying size, so that amsgrad and the adaptive terms matter) in both
libraries; parameters and every state buffer the two share must agree.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch not installed: parity tests skipped")

from nnlib import optim  # noqa: E402
from nnlib import schedules  # noqa: E402

RTOL = 1e-12


@pytest.fixture(autouse=True)
def float64_scalars():
    # torch keeps scalar state (NAdam's mu_product, step counters) in the default
    # dtype: float32 unless told otherwise. nnlib keeps them as Python floats.
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(old)


def assert_close(ours, theirs, what):
    theirs = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else np.asarray(theirs)
    # relative to the array's size, so that an entry that happens to be near 0 is fair
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=RTOL * np.max(np.abs(theirs)),
                               err_msg=what)


CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.5)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.1)),
    ("SGD", dict(lr=0.1, weight_decay=0.01)),
    ("Adagrad", dict()),
    ("Adagrad", dict(lr=0.1, lr_decay=0.1)),
    ("Adagrad", dict(lr=0.1, initial_accumulator_value=0.5, weight_decay=0.1, eps=1e-6)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.95, eps=1e-4, weight_decay=0.1)),
    ("RMSprop", dict()),
    ("RMSprop", dict(lr=0.01, momentum=0.9)),
    ("RMSprop", dict(lr=0.01, centered=True)),
    ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5, alpha=0.9, weight_decay=0.1)),
    ("Adam", dict()),
    ("Adam", dict(lr=0.1, amsgrad=True)),
    ("Adam", dict(lr=0.1, weight_decay=0.1)),
    ("Adam", dict(lr=0.1, betas=(0.5, 0.9), eps=1e-6, amsgrad=True, weight_decay=0.05)),
    ("Adam", dict(lr=0.1, weight_decay=0.1, decoupled_weight_decay=True)),
    ("AdamW", dict()),
    ("AdamW", dict(lr=0.1, weight_decay=0.1, amsgrad=True)),
    ("NAdam", dict()),
    ("NAdam", dict(lr=0.1, weight_decay=0.1)),
    ("NAdam", dict(lr=0.1, weight_decay=0.1, decoupled_weight_decay=True)),
    ("NAdam", dict(lr=0.1, betas=(0.8, 0.99), momentum_decay=0.01)),
]


@pytest.mark.parametrize("name, kw", CASES, ids=[f"{n}-{kw}" for n, kw in CASES])
def test_optimizer_matches_torch(name, kw):
    rng = np.random.default_rng(len(name) + len(kw))
    params = {"0.W": rng.normal(size=(4, 3)), "0.b": rng.normal(size=3)}
    tparams = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    ours = getattr(optim, name)(**kw)
    theirs = getattr(torch.optim, name)(list(tparams.values()), **kw)
    for step in range(20):
        scale = rng.uniform(0.1, 3.0)
        grads = {k: scale * rng.normal(size=v.shape) for k, v in params.items()}
        ours.step(params, grads)
        for k, p in tparams.items():
            p.grad = torch.tensor(grads[k])
        theirs.step()
    for k, p in tparams.items():
        assert_close(params[k], p, f"{name} {kw}: {k} after 20 steps")
        # the same buffers under the same names (torch's SGD keeps no step count)
        state = {b: v for b, v in theirs.state[p].items() if v is not None}
        assert set(ours.state[k]) - {"step"} == set(state) - {"step"}
        assert ours.state[k]["step"] == 20
        for buf, value in state.items():
            assert_close(ours.state[k][buf], value, f"{name} {kw}: state {buf}")


SCHEDULES = [
    (lambda o: schedules.StepLR(o, step_size=7, gamma=0.5),
     lambda t: torch.optim.lr_scheduler.StepLR(t, step_size=7, gamma=0.5)),
    (lambda o: schedules.StepLR(o, step_size=3),
     lambda t: torch.optim.lr_scheduler.StepLR(t, step_size=3)),
    (lambda o: schedules.ExponentialLR(o, gamma=0.9),
     lambda t: torch.optim.lr_scheduler.ExponentialLR(t, gamma=0.9)),
    (lambda o: schedules.CosineAnnealingLR(o, T_max=30),
     lambda t: torch.optim.lr_scheduler.CosineAnnealingLR(t, T_max=30)),
    (lambda o: schedules.CosineAnnealingLR(o, T_max=10, eta_min=0.001),
     lambda t: torch.optim.lr_scheduler.CosineAnnealingLR(t, T_max=10, eta_min=0.001)),
    (lambda o: schedules.LinearWarmup(o, warmup_steps=10, start_factor=0.1),
     lambda t: torch.optim.lr_scheduler.LinearLR(t, start_factor=0.1, end_factor=1.0,
                                                 total_iters=10)),
    (lambda o: schedules.LinearWarmup(o, warmup_steps=5),
     lambda t: torch.optim.lr_scheduler.LinearLR(t)),  # torch's defaults: 1/3, 1.0, 5
]


@pytest.mark.parametrize("make", SCHEDULES)
def test_schedule_matches_torch(make):
    ours_make, theirs_make = make
    opt = optim.SGD(lr=0.1)
    sched = ours_make(opt)
    p = torch.zeros(2, requires_grad=True)
    topt = torch.optim.SGD([p], lr=0.1)
    tsched = theirs_make(topt)
    ours, theirs = [opt.lr], [tsched.get_last_lr()[0]]
    for _ in range(30):
        sched.step()
        topt.step()
        tsched.step()
        ours.append(opt.lr)
        theirs.append(tsched.get_last_lr()[0])
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=1e-15)
    np.testing.assert_allclose(sched.lr_at(np.arange(31)), theirs, rtol=RTOL, atol=1e-15)


@pytest.mark.parametrize("max_norm", [0.5, 3.0, 100.0])
def test_clip_grad_norm_matches_torch(max_norm):
    rng = np.random.default_rng(3)
    grads = {"a": rng.normal(size=(4, 3)), "b": rng.normal(size=3), "c": rng.normal(size=(2, 2, 2))}
    tparams = []
    for g in grads.values():
        p = torch.zeros(g.shape)
        p.grad = torch.tensor(g)
        tparams.append(p)
    total = optim.clip_grad_norm(grads, max_norm)
    ttotal = torch.nn.utils.clip_grad_norm_(tparams, max_norm)
    assert total == pytest.approx(float(ttotal), rel=RTOL)
    for g, p in zip(grads.values(), tparams):
        assert_close(g, p.grad, f"clipped grad, max_norm={max_norm}")


def test_clip_grad_value_matches_torch():
    rng = np.random.default_rng(4)
    g = rng.normal(size=(5, 4))
    p = torch.zeros(g.shape)
    p.grad = torch.tensor(g)
    optim.clip_grad_value({"g": g}, 0.7)
    torch.nn.utils.clip_grad_value_([p], 0.7)
    np.testing.assert_array_equal(g, p.grad.numpy())
