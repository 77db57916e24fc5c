"""nnlib.activations: values, derivatives, shapes, dtypes and stability.

PyTorch parity lives in test_parity_torch_functional.py.
"""

import contextlib
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnlib import activations as A
from nnlib.gradcheck import numerical_gradient, rel_error

NAMES = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "softplus",
         "softsign", "swish", "gelu", "hard_sigmoid", "linear"]


@contextlib.contextmanager
def strict_numerics():
    """Any overflow, invalid operation (nan) or division by zero fails the test.

    Underflow is allowed (numpy's default): exp(-1e4) = 0 is the right answer.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
            yield


def test_all_public_names_exist_and_are_named():
    for name in NAMES:
        f = getattr(A, name)
        assert f.name == name
        assert A.get(name) is f
        assert f.__doc__ and "=" in f.__doc__  # the formula is in the docstring


# Hand-computed values: (name, z, expected f(z), expected f'(z)).
S1 = 1 / (1 + math.exp(-1))  # sigmoid(1) = 0.7310585786300049
HAND = [
    ("sigmoid", 0.0, 0.5, 0.25),
    ("sigmoid", 1.0, S1, S1 * (1 - S1)),
    ("sigmoid", -1.0, 1 - S1, S1 * (1 - S1)),
    ("tanh", 0.5, math.tanh(0.5), 1 - math.tanh(0.5) ** 2),
    ("relu", -2.0, 0.0, 0.0),
    ("relu", 0.0, 0.0, 0.0),  # torch's choice at the kink
    ("relu", 2.5, 2.5, 1.0),
    ("leaky_relu", -2.0, -0.02, 0.01),
    ("leaky_relu", 0.0, 0.0, 0.01),  # torch gives the negative slope at 0
    ("leaky_relu", 3.0, 3.0, 1.0),
    ("elu", -1.0, math.exp(-1) - 1, math.exp(-1)),
    ("elu", 0.0, 0.0, 1.0),
    ("elu", 2.0, 2.0, 1.0),
    ("selu", 1.0, 1.0507009873554805, 1.0507009873554805),
    ("selu", -1.0, 1.0507009873554805 * 1.6732632423543772 * (math.exp(-1) - 1),
     1.0507009873554805 * 1.6732632423543772 * math.exp(-1)),
    ("softplus", 0.0, math.log(2), 0.5),
    ("softplus", 2.0, math.log(1 + math.exp(2)), 1 / (1 + math.exp(-2))),
    ("softsign", 1.0, 0.5, 0.25),
    ("softsign", -3.0, -0.75, 1 / 16),
    ("swish", 1.0, S1, S1 * (1 + 1 * (1 - S1))),
    ("swish", 0.0, 0.0, 0.5),
    ("gelu", 0.0, 0.0, 0.5),
    ("gelu", 1.0, 0.5 * (1 + math.tanh(math.sqrt(2 / math.pi) * 1.044715)), None),
    ("hard_sigmoid", 0.0, 0.5, 1 / 6),
    ("hard_sigmoid", 1.5, 0.75, 1 / 6),
    ("hard_sigmoid", -3.0, 0.0, 0.0),
    ("hard_sigmoid", 3.0, 1.0, 0.0),
    ("hard_sigmoid", 10.0, 1.0, 0.0),
    ("linear", -4.5, -4.5, 1.0),
]


@pytest.mark.parametrize("name, z, value, deriv", HAND)
def test_hand_computed_values(name, z, value, deriv):
    f = A.get(name)
    assert float(f(z)) == pytest.approx(value, rel=1e-12, abs=1e-15)
    if deriv is not None:
        assert float(f.grad(z)) == pytest.approx(deriv, rel=1e-12, abs=1e-15)


def test_gelu_is_close_to_exact_gelu():
    # z * Phi(z) with Phi the normal CDF: the tanh form is within 1e-3.
    z = np.linspace(-6, 6, 241)
    exact = z * 0.5 * (1 + np.vectorize(math.erf)(z / math.sqrt(2)))
    assert np.max(np.abs(A.gelu(z) - exact)) < 1e-3


def _away_from_kinks(name, rng, shape):
    # |z| <= 3.5 keeps tanh'(z) above 1e-3: much smaller derivatives drown in
    # the round-off of the central difference, not in a bug.
    z = rng.uniform(-3.5, 3.5, size=shape)
    kinks = {"hard_sigmoid": (-3.0, 3.0)}.get(name, (0.0,))
    for k in kinks:
        close = np.abs(z - k) < 0.05
        z[close] += 0.1  # push samples off the kink, beyond the gradcheck step
    return z


@pytest.mark.parametrize("name", NAMES)
def test_grad_matches_numerical_gradient(name):
    f = A.get(name)
    rng = np.random.default_rng(7)
    z = _away_from_kinks(name, rng, (4, 5))
    # sum(f(z) * r) has gradient f'(z) * r; |r| in [0.5, 1.5] for the same reason.
    r = rng.uniform(0.5, 1.5, z.shape) * rng.choice([-1.0, 1.0], z.shape)
    numeric = numerical_gradient(lambda x: np.sum(f(x) * r), z)
    assert rel_error(f.grad(z) * r, numeric) < 1e-6


@pytest.mark.parametrize("name, alpha", [("leaky_relu", 0.2), ("elu", 0.5)])
def test_parameters_change_value_and_grad(name, alpha):
    f = A.get(name)
    z = np.array([-2.0, -0.5, 0.0, 1.0])
    base = f(z)
    changed = f(z, alpha=alpha)
    assert not np.allclose(base[:2], changed[:2])
    np.testing.assert_array_equal(changed[3:], z[3:])
    numeric = numerical_gradient(lambda x: np.sum(f(x, alpha=alpha)), z[:2].copy())
    assert rel_error(f.grad(z[:2], alpha=alpha), numeric) < 1e-6
    assert f.grad(np.array(0.0), alpha=alpha) == pytest.approx(alpha)  # torch at z = 0


def test_default_params():
    assert A.leaky_relu.params == {"alpha": 0.01}
    assert A.elu.params == {"alpha": 1.0}
    assert A.relu.params == {}
    p = A.leaky_relu.params
    p["alpha"] = 5.0  # a copy: the default must not change
    assert A.leaky_relu.params == {"alpha": 0.01}


@pytest.mark.parametrize("call", ["value", "grad"])
def test_unknown_parameter_raises_type_error_naming_valid_ones(call):
    with pytest.raises(TypeError, match=r"beta.*valid parameters: alpha"):
        fn = A.leaky_relu if call == "value" else A.leaky_relu.grad
        fn(np.zeros(3), beta=1.0)
    with pytest.raises(TypeError, match="valid parameters: none"):
        A.relu(np.zeros(3), alpha=0.1)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("shape", [(), (5,), (3, 4), (2, 3, 4)])
def test_shapes_preserved(name, shape):
    f = A.get(name)
    z = np.random.default_rng(0).standard_normal(shape)
    out, d = f(z), f.grad(z)
    assert isinstance(out, np.ndarray) and out.shape == shape
    assert isinstance(d, np.ndarray) and d.shape == shape


@pytest.mark.parametrize("name", NAMES)
def test_dtypes(name):
    f = A.get(name)
    z32 = np.linspace(-3, 3, 7, dtype=np.float32)
    assert f(z32).dtype == np.float32
    assert f.grad(z32).dtype == np.float32
    assert f(np.arange(-3, 4)).dtype == np.float64  # ints become float64
    assert f.grad(np.arange(-3, 4)).dtype == np.float64
    np.testing.assert_allclose(f(z32), f(z32.astype(np.float64)), rtol=1e-6, atol=1e-6)


def test_non_numeric_input_raises():
    with pytest.raises(TypeError, match="numeric"):
        A.relu(np.array(["a", "b"]))


EXTREMES = np.array([-1e5, -1e4, 1e4, 1e5, -1e30, 1e30])


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_stable_for_huge_inputs(name, dtype):
    f = A.get(name)
    z = EXTREMES.astype(dtype)
    with strict_numerics():
        out, d = f(z), f.grad(z)
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(d))


def test_saturating_limits_at_huge_inputs():
    z = np.array([-1e4, 1e4])
    np.testing.assert_array_equal(A.sigmoid(z), [0.0, 1.0])
    np.testing.assert_array_equal(A.softplus(z), [0.0, 1e4])
    np.testing.assert_array_equal(A.swish(z), [0.0, 1e4])
    np.testing.assert_array_equal(A.gelu(z), [0.0, 1e4])
    np.testing.assert_array_equal(A.elu(z), [-1.0, 1e4])
    np.testing.assert_array_equal(A.sigmoid.grad(z), [0.0, 0.0])
    np.testing.assert_array_equal(A.gelu.grad(z), [0.0, 1.0])


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=5),
                  elements=st.floats(-1e4, 1e4)),
       st.sampled_from(NAMES))
def test_stable_hypothesis(z, name):
    f = A.get(name)
    with strict_numerics():
        out, d = f(z), f.grad(z)
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(d))
    if name in ("sigmoid", "hard_sigmoid"):
        assert np.all((out >= 0) & (out <= 1))
    if name in ("tanh", "softsign"):
        assert np.all(np.abs(out) <= 1)


# ---- softmax and log_softmax -------------------------------------------------

def test_softmax_hand_computed():
    p = A.softmax(np.array([1.0, 2.0, 3.0]))
    e = np.exp([1.0, 2.0, 3.0])
    np.testing.assert_allclose(p, e / e.sum(), rtol=1e-15)
    np.testing.assert_allclose(A.softmax(np.zeros(4)), np.full(4, 0.25))


def test_softmax_rows_sum_to_one_and_axis_works():
    z = np.random.default_rng(1).standard_normal((3, 4, 5)) * 10
    for axis in (0, 1, 2, -1):
        p = A.softmax(z, axis=axis)
        assert p.shape == z.shape
        np.testing.assert_allclose(p.sum(axis=axis), 1.0, rtol=1e-12)
    # axis=0 on a matrix normalises columns, not rows
    m = np.array([[1.0, 5.0], [3.0, 5.0]])
    np.testing.assert_allclose(A.softmax(m, axis=0)[:, 1], [0.5, 0.5])
    np.testing.assert_allclose(A.softmax(m, axis=0).sum(axis=0), [1.0, 1.0])


def test_softmax_is_shift_invariant_and_stable():
    z = np.array([[1000.0, 1001.0, 1002.0], [-1e4, 0.0, 1e4]])
    with strict_numerics():
        p = A.softmax(z)
        lp = A.log_softmax(z)
    np.testing.assert_allclose(p[0], A.softmax(np.array([0.0, 1.0, 2.0])), rtol=1e-12)
    np.testing.assert_allclose(p[1], [0.0, 0.0, 1.0])
    np.testing.assert_allclose(lp[1], [-2e4, -1e4, 0.0])
    assert np.all(np.isfinite(lp))


@settings(max_examples=30, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=5),
                  elements=st.floats(-1e4, 1e4)))
def test_softmax_log_softmax_hypothesis(z):
    with strict_numerics():
        p = A.softmax(z)
        lp = A.log_softmax(z)
    assert np.all(np.isfinite(p)) and np.all(np.isfinite(lp))
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-12)
    ok = p > 1e-300  # log(softmax) is only finite where softmax did not underflow
    np.testing.assert_allclose(lp[ok], np.log(p[ok]), rtol=1e-9, atol=1e-12)


def test_softmax_float32_and_errors():
    z = np.ones((2, 3), dtype=np.float32)
    assert A.softmax(z).dtype == np.float32
    assert A.log_softmax(z).dtype == np.float32
    with pytest.raises(ValueError, match="at least 1 axis"):
        A.softmax(np.float64(3.0))
    with pytest.raises(ValueError, match=r"axis 2 is out of range for shape \(2, 3\)"):
        A.log_softmax(z, axis=2)


# ---- registry ----------------------------------------------------------------

def test_get_is_case_insensitive_and_passes_objects_through():
    assert A.get("ReLU") is A.relu
    assert A.get("SILU") is A.swish
    assert A.get("identity") is A.linear
    assert A.get(A.gelu) is A.gelu


def test_get_unknown_lists_valid_names():
    with pytest.raises(ValueError, match=r"unknown activation 'rleu'.*leaky_relu.*relu.*sigmoid"):
        A.get("rleu")
