"""Chapter 07 explorers: compute() against independent values, the shipped memory
results against their tool, and each explorer drawn without a front end."""

import sys
from pathlib import Path

import numpy as np
import pytest

from nnlib.explorers import recurrent as ex
from nnlib.explorers import recurrent_memory as mem
from nnlib.explorers import recurrent_text as txt
from nnlib.gradcheck import numerical_gradient

ROOT = Path(__file__).resolve().parent.parent
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# -- gradient through time -----------------------------------------------------------------
@pytest.fixture(scope="module")
def setup():
    return ex._setup()


def test_gradient_compute_rnn_matches_the_jacobian_product(setup):
    T, scale = 30, 0.9
    d = ex.gradient_compute(T, scale, 1.0, setup)
    Wh = scale * setup["base_rnn"]
    assert np.max(np.abs(np.linalg.eigvals(Wh))) == pytest.approx(scale)
    # forward by hand, then delta_{t-1} = (delta_t * (1 - h_t^2)) Wh^T
    p = setup["rnn"].params
    x = setup["x"][:, :T]
    h, hs = np.zeros((ex.N, ex.H)), []
    for t in range(T):
        h = np.tanh(x[:, t] @ p["Wx"] + h @ Wh + p["b"])
        hs.append(h)
    delta, norms = setup["r"], [np.linalg.norm(setup["r"])]
    for t in range(T - 1, 0, -1):
        delta = (delta * (1 - hs[t] ** 2)) @ Wh.T
        norms.append(np.linalg.norm(delta))
    np.testing.assert_allclose(d["norms"]["RNN"], norms, rtol=1e-10)
    assert d["back"].tolist() == list(range(T))
    assert d["ratio"]["RNN"] == pytest.approx(norms[-1] / norms[0])


def test_gradient_compute_lstm_matches_numerical_gradients(setup):
    T = 6
    d = ex.gradient_compute(T, 1.1, 2.0, setup)
    lstm = setup["lstm"]
    assert np.all(lstm.params["b"][ex.H:2 * ex.H] == 2.0)
    x, r = setup["x"][:, :T], setup["r"]
    h = lstm.forward(x)
    c = lstm.c.copy()
    for t in (1, 3):  # dL/dh_t, holding c_t: rerun the steps after t from (h_t, c_t)
        c_t = c[:, t]

        def loss(h_t, t=t, c_t=c_t):
            return float(np.sum(lstm.forward(x[:, t + 1:], h_t, c_t)[:, -1] * r))

        g = numerical_gradient(loss, h[:, t].copy())
        assert d["norms"]["LSTM"][T - 1 - t] == pytest.approx(np.linalg.norm(g), rel=1e-6)


def test_forget_bias_keeps_the_lstm_gradient_alive(setup):
    low = ex.gradient_compute(60, 1.0, 0.0, setup)["ratio"]
    high = ex.gradient_compute(60, 1.0, 4.0, setup)["ratio"]
    assert high["LSTM"] > 1e6 * low["LSTM"]
    assert low["RNN"] == high["RNN"]  # the forget bias is the LSTM's only
    assert ex.gradient_compute(60, 0.6, 1.0, setup)["ratio"]["RNN"] < 1e-10


def test_gradient_explorer_draws_and_updates():
    plot = ex.gradient_explorer()
    assert plot.png.startswith(PNG_MAGIC) and 640 <= plot.size_px[0] <= 760
    before = plot.png
    plot.set(scale=0.6)
    assert plot.png != before
    plot.set(T=70, forget_bias=3.0)
    line = plot.handles["lines"]["LSTM"]
    assert len(line.get_xdata()) == 70
    assert "forget bias = 3.0" in plot.handles["title"].get_text()
    n = len(plot.compute.results)
    plot.set(scale=1.0)  # revisits are served from the explorer's own cache
    plot.set(scale=0.6)
    assert len(plot.compute.results) == n + 1


def test_draw_unrolled():
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    ex.draw_unrolled(ax, T=3)
    texts = [t.get_text() for t in ax.texts]
    assert "$x_3$" in texts and "$h_0$" in texts and "$h_3$" in texts


# -- memory -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def results():
    return mem.load_memory_results()


def test_shipped_memory_results_are_complete(results):
    sys.path.insert(0, str(ROOT / "tools"))
    import precompute_memory as tool

    assert results["lengths"] == tool.LENGTHS and results["seeds"] == tool.SEEDS
    assert results["steps"] == tool.STEPS and results["settings"] == mem.SETTINGS
    for model in mem.MODELS:
        for T in tool.LENGTHS:
            runs = results["runs"][model][str(T)]
            assert len(runs) == len(tool.SEEDS)
            for run in runs:
                assert run["steps"] == list(range(25, tool.STEPS + 1, 25))
                assert all(0 <= a <= 1 for a in run["accuracy"])


def test_shipped_memory_results_match_the_tool(results):
    """Rerun the cheapest configuration (the RNN at the shortest length, seed 0, all
    steps) with the tool's function and compare with the shipped numbers."""
    sys.path.insert(0, str(ROOT / "tools"))
    import precompute_memory as tool

    T = min(tool.LENGTHS)
    fresh = tool.run_one("RNN", T, tool.SEEDS[0])
    shipped = results["runs"]["RNN"][str(T)][0]
    assert fresh["steps"] == shipped["steps"]
    # accuracies are multiples of 1/400; allow one test sequence of round-off
    np.testing.assert_allclose(fresh["accuracy"], shipped["accuracy"], atol=1.01 / 400)
    np.testing.assert_allclose(fresh["loss"], shipped["loss"], rtol=1e-5)


def test_the_lstm_remembers_longer_than_the_rnn(results):
    d = mem.memory_compute(30, results)
    assert d["at_T"]["LSTM, forget bias 1"] > 0.9 > 0.3 > d["at_T"]["RNN"]


def test_memory_compute_means(results):
    d = mem.memory_compute(10, results)
    runs = results["runs"]["LSTM, forget bias 3"]["10"]
    np.testing.assert_allclose(d["curves"]["LSTM, forget bias 3"],
                               np.mean([r["accuracy"] for r in runs], axis=0))
    k = results["lengths"].index(10)
    assert d["at_T"]["RNN"] == pytest.approx(np.mean([r["accuracy"][-1] for r in results["runs"]["RNN"]["10"]]))
    assert d["final"]["RNN"][k] == pytest.approx(d["at_T"]["RNN"])
    assert d["final_seeds"]["RNN"].shape == (len(results["lengths"]), len(results["seeds"]))
    with pytest.raises(ValueError, match="lengths"):
        mem.memory_compute(11, results)


def test_memory_run_is_reproducible_and_checks_its_model():
    a = mem.memory_run("LSTM, forget bias 3", 4, seed=1, steps=10, n_test=20, eval_every=5)
    b = mem.memory_run("LSTM, forget bias 3", 4, seed=1, steps=10, n_test=20, eval_every=5)
    assert a == b and a["steps"] == [5, 10]
    with pytest.raises(ValueError, match="valid"):
        mem.memory_run("GRU", 4, seed=1, steps=1)


def test_memory_explorer_draws_and_updates():
    plot = mem.memory_explorer(T=20)
    assert plot.png.startswith(PNG_MAGIC) and 640 <= plot.size_px[0] <= 760
    before = plot.png
    plot.set(T=50)
    assert plot.png != before
    assert plot.handles["title"].get_text().startswith("T = 50:")


# -- character model ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def char_model():
    from nnlib.text import load_pretrained_char_model

    return load_pretrained_char_model()


def test_char_compute(char_model):
    from nnlib.activations import softmax

    model, vocab, info = char_model
    d = txt.char_compute(0.5, 3, "The sea ", model, vocab, info["losses"])
    assert d["text"] == model.sample(vocab, "The sea ", txt.LENGTH, 0.5, np.random.default_rng(3))
    logits = model.forward(vocab.one_hot(vocab.encode("The sea "))[None])[0, -1]
    p = softmax(logits / 0.5)
    np.testing.assert_allclose(d["top_p"], np.sort(p)[::-1][:txt.TOP], rtol=1e-12)
    assert d["entropy"] == pytest.approx(-np.sum(p * np.log(p)))
    assert len(d["smooth"]) == len(info["losses"]) - 49
    assert d["smooth"][0] == pytest.approx(info["losses"][:50].mean())
    hot = txt.char_compute(1.5, 3, "The sea ", model, vocab, info["losses"])
    assert hot["entropy"] > d["entropy"]


def test_show_char_and_wrapping():
    assert txt.show_char(" ") == "␣" and txt.show_char("\n") == "⏎" and txt.show_char("a") == "a"
    data = {"prime": "The ", "text": "word " * 60 + "\n\nend"}
    lines = txt._wrapped(data).splitlines()
    assert all(len(line) <= txt.WIDTH for line in lines) and len(lines) <= 9


def test_char_explorer_draws_and_updates():
    plot = txt.char_explorer()
    assert plot.png.startswith(PNG_MAGIC) and 640 <= plot.size_px[0] <= 760
    before = plot.png
    plot.set(temperature=1.5)
    assert plot.png != before
    first = plot.handles["sample"].get_text()
    plot.set(seed=7)
    assert plot.handles["sample"].get_text() != first
    plot.set(prime="When the wind ")
    assert plot.handles["sample"].get_text().startswith("When the wind ")
