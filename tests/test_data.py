"""nnlib.data: shapes, balance, determinism, geometry, formulas, bundled files, errors."""

import importlib.resources
import subprocess
import sys

import numpy as np
import pytest

from nnlib import data

# name -> call(n, rng) for every random classification generator
CLASSIFIERS = {
    "moons": lambda n, rng: data.moons(n, rng),
    "circles": lambda n, rng: data.circles(n, rng),
    "spirals": lambda n, rng: data.spirals(n, rng),
    "spirals_3": lambda n, rng: data.spirals(n, rng, n_classes=3),
    "blobs": lambda n, rng: data.blobs(n, rng),
    "xor_blobs": lambda n, rng: data.xor_blobs(n, rng),
}
N_CLASSES = {"spirals_3": 3, "blobs": 3}

# name -> call(rng) for every random generator, classification or not
ALL_RANDOM = {
    **{name: (lambda f: lambda rng: f(37, rng))(f) for name, f in CLASSIFIERS.items()},
    "house_prices": lambda rng: data.house_prices(37, rng),
    "adding_problem": lambda rng: data.adding_problem(7, 10, rng),
    "sine_waves": lambda rng: data.sine_waves(7, 10, rng, noise=0.1),
    "recall_first": lambda rng: data.recall_first(7, 10, rng),
}


def rng(seed=0):
    return np.random.default_rng(seed)


# --- shapes, balance, determinism --------------------------------------------

@pytest.mark.parametrize("name", CLASSIFIERS)
@pytest.mark.parametrize("n", [1, 2, 7, 100, 101])
def test_classifiers_shapes_dtypes_and_balance(name, n):
    X, y = CLASSIFIERS[name](n, rng())
    k = N_CLASSES.get(name, 2)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    counts = np.bincount(y, minlength=k)
    assert len(counts) == k and counts.sum() == n
    assert counts.max() - counts.min() <= 1, counts
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_classifiers_are_shuffled(name):
    # A slice of the rows holds every class (X[:100] as validation data works).
    _, y = CLASSIFIERS[name](400, rng())
    assert len(np.unique(y[:40])) == N_CLASSES.get(name, 2)


@pytest.mark.parametrize("name", ALL_RANDOM)
def test_same_seed_same_arrays_other_seed_other_arrays(name):
    a, b, c = (ALL_RANDOM[name](rng(seed)) for seed in (5, 5, 6))
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize("name", ALL_RANDOM)
def test_global_numpy_random_state_is_never_touched(name):
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    ALL_RANDOM[name](rng())
    after = np.random.get_state()
    assert np.array_equal(before, after[1]) and after[2] == 624


@pytest.mark.parametrize("name", ALL_RANDOM)
@pytest.mark.parametrize("bad_rng", [None, 0, np.random.RandomState(0)])
def test_missing_or_wrong_rng_is_a_type_error(name, bad_rng):
    with pytest.raises(TypeError, match="rng"):
        ALL_RANDOM[name](bad_rng)


@pytest.mark.parametrize("call", [
    lambda n: data.moons(n, rng()), lambda n: data.circles(n, rng()),
    lambda n: data.spirals(n, rng()), lambda n: data.blobs(n, rng()),
    lambda n: data.xor_blobs(n, rng()), lambda n: data.house_prices(n, rng()),
    lambda n: data.adding_problem(n, 5, rng()), lambda n: data.sine_waves(n, 5, rng()),
    lambda n: data.recall_first(n, 5, rng()),
])
@pytest.mark.parametrize("n", [0, -3, 2.5, "10", True])
def test_bad_n_is_a_value_error_naming_n(call, n):
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        call(n)


@pytest.mark.parametrize("call", [
    lambda: data.moons(10, rng(), noise=-0.1),
    lambda: data.circles(10, rng(), noise=-1),
    lambda: data.spirals(10, rng(), noise=-0.2),
    lambda: data.xor_blobs(10, rng(), noise=-0.3),
    lambda: data.house_prices(10, rng(), noise=-5),
    lambda: data.sine_waves(10, 5, rng(), noise=-0.1),
    lambda: data.moons(10, rng(), noise=float("nan")),
])
def test_negative_noise_is_a_value_error(call):
    with pytest.raises(ValueError, match="noise must be a finite number >= 0"):
        call()


@pytest.mark.parametrize("call, match", [
    (lambda: data.blobs(10, rng(), std=-1), "std"),
    (lambda: data.blobs(10, rng(), centers=0), "centers"),
    (lambda: data.blobs(10, rng(), centers=[1.0, 2.0]), "centers to be 2-D"),
    (lambda: data.circles(10, rng(), factor=1.0), "factor"),
    (lambda: data.circles(10, rng(), factor=0), "factor"),
    (lambda: data.spirals(10, rng(), n_classes=1), "n_classes"),
    (lambda: data.adding_problem(10, 1, rng()), "T must be an integer >= 2"),
    (lambda: data.sine_waves(10, 0, rng()), "T must be"),
    (lambda: data.sine_waves(10, 5, rng(), omega=0.3), "pair"),
    (lambda: data.sine_waves(10, 5, rng(), omega=(0.5, 0.1)), "low <= high"),
    (lambda: data.recall_first(10, 0, rng()), "T must be"),
    (lambda: data.recall_first(10, 5, rng(), n_symbols=1), "n_symbols"),
])
def test_other_bad_arguments_are_value_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# --- logic gates and XOR -------------------------------------------------------

TRUTH = {"and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "nand": [1, 1, 1, 0],
         "nor": [1, 0, 0, 0], "xor": [0, 1, 1, 0]}


@pytest.mark.parametrize("name", TRUTH)
def test_logic_gate_truth_tables(name):
    X, y = data.logic_gate(name)
    assert X.dtype == np.float64 and X.shape == (4, 2)
    assert y.dtype == np.int64 and y.shape == (4,)
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, TRUTH[name])
    a, b = X[:, 0].astype(bool), X[:, 1].astype(bool)
    rule = {"and": a & b, "or": a | b, "nand": ~(a & b), "nor": ~(a | b), "xor": a ^ b}
    np.testing.assert_array_equal(y, rule[name])


def test_logic_gate_is_case_insensitive_and_returns_fresh_arrays():
    X, y = data.logic_gate("XOR")
    X[:] = 7
    np.testing.assert_array_equal(data.logic_gate("xor")[0], [[0, 0], [0, 1], [1, 0], [1, 1]])


def test_unknown_gate_lists_the_valid_names():
    with pytest.raises(ValueError, match="valid names: and, nand, nor, or, xor"):
        data.logic_gate("xnor")


def best_linear_accuracy(X, y):
    """Best accuracy of step(w1*x1 + w2*x2 + b) over a grid of lines."""
    grid = np.linspace(-3, 3, 25)
    w1, w2, b = np.meshgrid(grid, grid, grid, indexing="ij")
    z = X[:, 0, None] * w1.ravel() + X[:, 1, None] * w2.ravel() + b.ravel()
    return ((z > 0) == y[:, None].astype(bool)).mean(axis=0).max()


@pytest.mark.parametrize("name", ["and", "or", "nand", "nor"])
def test_separable_gates_have_a_line_on_the_grid(name):
    assert best_linear_accuracy(*data.logic_gate(name)) == 1.0


def test_xor_is_not_linearly_separable():
    assert best_linear_accuracy(*data.logic_gate("xor")) == 0.75


def test_xor_blobs_need_more_than_a_line():
    X, y = data.xor_blobs(400, rng(), noise=0.3)
    assert best_linear_accuracy(X, y) < 0.8
    # ...but the product feature x1 * x2 separates them: XOR arrangement.
    assert ((X[:, 0] * X[:, 1] < 0) == (y == 1)).mean() > 0.95
    for label, sign in ((0, 1), (1, -1)):
        centred = np.sign(X[y == label]) @ [1, sign]
        assert np.mean(np.abs(centred) == 2) > 0.9


# --- geometry -------------------------------------------------------------------

def test_moons_without_noise_lie_on_their_half_circles():
    X, y = data.moons(200, rng(), noise=0.0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    assert np.all(upper[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)
    assert np.all(lower[:, 1] <= 0.5 + 1e-12)


def test_moons_noise_has_the_requested_size():
    X, y = data.moons(4000, rng(3), noise=0.2)
    # Distance from the clean upper half circle: about N(0, 0.2^2) in the radial direction.
    r = np.hypot(*X[y == 0].T) - 1.0
    assert abs(r.std() - 0.2) < 0.02


@pytest.mark.parametrize("factor", [0.2, 0.5, 0.8])
def test_circles_radius_ratio_is_factor(factor):
    X, y = data.circles(1000, rng(), noise=0.02, factor=factor)
    radius = np.hypot(X[:, 0], X[:, 1])
    ratio = radius[y == 1].mean() / radius[y == 0].mean()
    assert abs(ratio - factor) < 0.02
    Xc, yc = data.circles(10, rng(), noise=0.0, factor=factor)
    np.testing.assert_allclose(np.hypot(*Xc[yc == 0].T), 1.0)
    np.testing.assert_allclose(np.hypot(*Xc[yc == 1].T), factor)


@pytest.mark.parametrize("k", [2, 3, 5])
def test_spirals_follow_the_documented_formula(k):
    X, y = data.spirals(60 * k, rng(), n_classes=k, noise=0.0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.max() <= 1.0 + 1e-12
    for label in range(k):
        pts, rad = X[y == label], r[y == label]
        theta = 2 * np.pi * label / k + 3 * np.pi * rad
        np.testing.assert_allclose(pts, rad[:, None] * np.c_[np.cos(theta), np.sin(theta)],
                                   atol=1e-12)


def test_spirals_arms_are_rotated_copies():
    X, y = data.spirals(200, rng(), n_classes=2, noise=0.0)
    arm0 = X[y == 0][np.argsort(np.hypot(*X[y == 0].T))]
    arm1 = X[y == 1][np.argsort(np.hypot(*X[y == 1].T))]
    np.testing.assert_allclose(arm1, -arm0, atol=1e-12)   # rotation by pi


def test_blobs_cluster_around_their_centres():
    X, y = data.blobs(3000, rng(), centers=4, std=0.5)
    for k in range(4):
        angle = 2 * np.pi * k / 4
        np.testing.assert_allclose(X[y == k].mean(axis=0),
                                   5 * np.array([np.cos(angle), np.sin(angle)]), atol=0.06)
        np.testing.assert_allclose(X[y == k].std(axis=0), 0.5, atol=0.03)
    centres = np.array([[0.0, 0, 0], [10, 10, 10]])
    X3, y3 = data.blobs(20, rng(), centers=centres, std=0.0)
    assert X3.shape == (20, 3)
    np.testing.assert_array_equal(X3, centres[y3])


# --- house prices --------------------------------------------------------------

def test_house_features_and_ranges():
    assert data.HOUSE_FEATURES == ("bedrooms", "age", "distance_to_sea_km", "pool")
    X, y = data.house_prices(2000, rng())
    assert X.shape == (2000, 4) and X.dtype == np.float64
    assert y.shape == (2000,) and y.dtype == np.float64
    bedrooms, age, distance, pool = X.T
    assert set(np.unique(bedrooms)) == {1, 2, 3, 4, 5}
    assert 0 <= age.min() and age.max() <= 60 and age.max() > 55
    assert 0 <= distance.min() and distance.max() <= 50 and distance.max() > 45
    assert set(np.unique(pool)) == {0, 1} and 0.25 < pool.mean() < 0.35


def test_house_prices_follow_the_documented_formula_without_noise():
    X, y = data.house_prices(500, rng(), noise=0.0)
    bedrooms, age, distance, pool = X.T
    expected = (150 + 40 * bedrooms - 1.2 * age - 3 * distance + 0.03 * distance**2
                + 25 * pool)
    np.testing.assert_allclose(y, expected, rtol=0, atol=1e-9)
    assert 43 - 1e-9 <= y.min() and y.max() <= 375 + 1e-9


def test_house_price_noise_has_the_requested_size():
    X, y = data.house_prices(5000, rng(), noise=10.0)
    bedrooms, age, distance, pool = X.T
    residual = y - (150 + 40 * bedrooms - 1.2 * age - 3 * distance
                    + 0.03 * distance**2 + 25 * pool)
    assert abs(residual.mean()) < 0.5 and abs(residual.std() - 10) < 0.5


# --- bundled digits and text ---------------------------------------------------

def test_digits_shape_labels_and_range():
    X, y = data.load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    counts = np.bincount(y)
    assert len(counts) == 10 and counts.sum() == 1797
    assert counts.min() >= 170 and counts.max() <= 185
    assert X.min() == 0.0 and X.max() == 1.0


def test_digits_known_facts_match_scikit_learn():
    X, y = data.load_digits(scale=False)
    np.testing.assert_array_equal(y[:10], np.arange(10))          # sklearn's first ten
    np.testing.assert_array_equal(X[0].reshape(8, 8)[0], [0, 0, 5, 13, 9, 1, 0, 0])
    assert X[0].sum() == 294 and y[-1] == 8
    assert set(np.unique(X)) == set(range(17))                    # counts 0..16
    np.testing.assert_allclose(data.load_digits(scale=True)[0] * 16, X)


def test_digits_returns_fresh_copies():
    X, y = data.load_digits()
    X[:] = -1
    y[:] = -1
    X2, y2 = data.load_digits()
    assert X2.min() == 0 and y2[0] == 0


def test_text_is_a_small_ascii_corpus():
    text = data.load_text()
    assert isinstance(text, str)
    assert 20_000 <= len(text) <= 40_000
    assert text.isascii() and "\t" not in text
    assert "neuron" in text and "sea" in text
    assert len(set(text)) < 80                    # small alphabet for a char model


def test_licence_files_ship_inside_the_package():
    files = importlib.resources.files("nnlib.data") / "files"
    digits = (files / "DIGITS_LICENSE.txt").read_text(encoding="utf-8")
    for fact in ("CC BY 4.0", "Alpaydin", "Kaynak", "1998", "10.24432/C50P49",
                 "scikit-learn", "BSD-3"):
        assert fact in digits, fact
    text = (files / "TEXT_LICENSE.txt").read_text(encoding="utf-8")
    assert "written for" in text and "MIT" in text
    assert (files / "digits.csv.gz").is_file() and (files / "text.txt").is_file()
    assert data.data_file("DIGITS_LICENSE.txt").read_text(encoding="utf-8") == digits


# --- sequence tasks --------------------------------------------------------------

@pytest.mark.parametrize("T", [2, 3, 50])
def test_adding_problem_marks_and_targets(T):
    X, y = data.adding_problem(300, T, rng())
    assert X.shape == (300, T, 2) and X.dtype == np.float64
    assert y.shape == (300,) and y.dtype == np.float64
    values, marks = X[..., 0], X[..., 1]
    assert values.min() >= 0 and values.max() <= 1
    assert set(np.unique(marks)) <= {0.0, 1.0}
    np.testing.assert_array_equal(marks.sum(axis=1), 2)
    np.testing.assert_array_equal(marks[:, :T // 2].sum(axis=1), 1)   # one in each half
    np.testing.assert_allclose(y, (values * marks).sum(axis=1))
    assert 0 <= y.min() and y.max() <= 2


def test_adding_problem_baseline_mse_is_one_sixth():
    _, y = data.adding_problem(20000, 20, rng())
    assert abs(np.mean((y - 1.0) ** 2) - 1 / 6) < 0.01


def test_sine_waves_target_is_the_next_value():
    X, y = data.sine_waves(50, 12, rng(), noise=0.0)
    assert X.shape == (50, 12, 1) and y.shape == (50, 1)
    assert X.dtype == y.dtype == np.float64
    x = X[..., 0]
    # A sampled sine obeys x[t+1] = 2 cos(w) x[t] - x[t-1]; estimate cos(w) per row.
    c = ((x[:, :-2] + x[:, 2:]) * x[:, 1:-1]).sum(axis=1) / (2 * (x[:, 1:-1] ** 2).sum(axis=1))
    np.testing.assert_allclose(y[:, 0], 2 * c * x[:, -1] - x[:, -2], atol=1e-9)
    assert np.all(np.abs(X) <= 1) and np.all(np.abs(y) <= 1)
    assert np.all((0.1 - 1e-9 <= np.arccos(c)) & (np.arccos(c) <= 0.5 + 1e-9))


def test_sine_waves_noise_is_on_inputs_only():
    clean_X, clean_y = data.sine_waves(200, 30, rng(1), noise=0.0)
    noisy_X, noisy_y = data.sine_waves(200, 30, rng(1), noise=0.1)
    np.testing.assert_array_equal(clean_y, noisy_y)
    assert abs((noisy_X - clean_X).std() - 0.1) < 0.01


@pytest.mark.parametrize("n_symbols", [2, 4, 7])
def test_recall_first_is_one_hot_and_labels_the_first_step(n_symbols):
    X, y = data.recall_first(400, 15, rng(), n_symbols=n_symbols)
    assert X.shape == (400, 15, n_symbols) and X.dtype == np.float64
    assert y.shape == (400,) and y.dtype == np.int64
    np.testing.assert_array_equal(X.sum(axis=-1), 1)
    assert set(np.unique(X)) == {0.0, 1.0}
    np.testing.assert_array_equal(y, X[:, 0].argmax(axis=-1))
    assert set(np.unique(y)) == set(range(n_symbols))
    # later steps carry no information about y
    assert not np.array_equal(y, X[:, -1].argmax(axis=-1))


# --- preprocessing ----------------------------------------------------------------

def test_train_test_split_partitions_the_rows():
    X = np.arange(50.0).reshape(25, 2)
    y = np.arange(25)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, 0.2, rng())
    assert X_train.shape == (20, 2) and X_test.shape == (5, 2)
    assert y_train.shape == (20,) and y_test.shape == (5,)
    assert sorted(np.concatenate([y_train, y_test])) == list(range(25))
    np.testing.assert_array_equal(X_train[:, 0], 2 * y_train)   # rows stay aligned
    np.testing.assert_array_equal(X_test[:, 0], 2 * y_test)
    assert not np.array_equal(y_test, np.arange(20, 25))        # shuffled
    again = data.train_test_split(X, y, 0.2, rng())
    np.testing.assert_array_equal(again[3], y_test)


def test_train_test_split_keeps_both_parts_non_empty():
    X, y = np.zeros((3, 1)), np.arange(3)
    assert len(data.train_test_split(X, y, 0.01, rng())[1]) == 1
    assert len(data.train_test_split(X, y, 0.99, rng())[0]) == 1


@pytest.mark.parametrize("args, error, match", [
    ((np.zeros((5, 2)), np.zeros(4), 0.2, rng()), ValueError, "same number of samples"),
    ((np.zeros((5, 2)), np.zeros(5), 0.0, rng()), ValueError, "test_fraction"),
    ((np.zeros((5, 2)), np.zeros(5), 1.5, rng()), ValueError, "test_fraction"),
    ((np.zeros((1, 2)), np.zeros(1), 0.5, rng()), ValueError, "at least 2"),
    ((np.zeros((5, 2)), np.zeros(5), 0.2, 0), TypeError, "rng"),
])
def test_train_test_split_errors(args, error, match):
    with pytest.raises(error, match=match):
        data.train_test_split(*args)


def test_one_hot():
    Y = data.one_hot([2, 0, 1, 2])
    assert Y.dtype == np.float64
    np.testing.assert_array_equal(Y, [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    assert data.one_hot(np.array([0, 1]), n_classes=5).shape == (2, 5)
    np.testing.assert_array_equal(data.one_hot(np.array([1.0, 0.0])), [[0, 1], [1, 0]])
    X, y = data.load_digits()
    np.testing.assert_array_equal(data.one_hot(y).argmax(axis=1), y)


@pytest.mark.parametrize("labels, kwargs, match", [
    ([0, 3], {"n_classes": 3}, "does not fit n_classes=3"),
    ([-1, 0], {}, ">= 0"),
    ([0.5, 1], {}, "integer labels"),
    ([[0, 1]], {}, "1-D"),
])
def test_one_hot_errors(labels, kwargs, match):
    with pytest.raises(ValueError, match=match):
        data.one_hot(labels, **kwargs)


def test_standardize_uses_training_statistics():
    X_train, _ = data.house_prices(300, rng(1))
    X_test, _ = data.house_prices(100, rng(2))
    train_s, test_s = data.standardize(X_train, X_test)
    np.testing.assert_allclose(train_s.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(train_s.std(axis=0), 1)
    np.testing.assert_allclose(test_s, (X_test - X_train.mean(0)) / X_train.std(0))
    (alone,) = data.standardize(X_train)
    np.testing.assert_array_equal(alone, train_s)


def test_standardize_constant_column_and_float32():
    X = np.array([[1.0, 5.0], [3.0, 5.0]], dtype=np.float32)
    (Xs,) = data.standardize(X)
    assert Xs.dtype == np.float32
    np.testing.assert_array_equal(Xs, [[-1, 0], [1, 0]])
    with pytest.raises(ValueError, match="2 features, got shape"):
        data.standardize(X, np.zeros((3, 3)))


# --- import cost -------------------------------------------------------------------

def test_importing_nnlib_data_needs_numpy_only():
    code = ("import sys, nnlib.data; "
            "print([m for m in ('matplotlib', 'ipywidgets', 'sklearn') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
