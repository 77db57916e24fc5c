"""nnlib's RNN, LSTM and GRU against torch.nn.RNN / LSTM / GRU (batch_first=True):
forward outputs, final states, every gradient, truncated BPTT as torch's detach.

Weight mapping (documented in nnlib.recurrent): torch weight_ih_l0 = Wx.T,
weight_hh_l0 = Wh.T; RNN/LSTM b = bias_ih + bias_hh; GRU b = bias_ih + [b_hr, b_hz, 0],
bhn = b_hn.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch not installed: parity tests skipped")

from nnlib.recurrent import GRU, LSTM, RNN  # noqa: E402

TORCH = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}
OURS = {"rnn": RNN, "lstm": LSTM, "gru": GRU}


def t64(a, grad=False):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


def make_pair(kind, D, H, seed, **kwargs):
    """A torch layer with random weights and biases, and the nnlib layer loaded from it."""
    torch.manual_seed(seed)
    ref = TORCH[kind](D, H, batch_first=True, **kwargs).double()
    ours = OURS[kind](D, H, np.random.default_rng(0),
                      **({"activation": kwargs["nonlinearity"]} if "nonlinearity" in kwargs else {}))
    p = ours.params
    p["Wx"][...] = ref.weight_ih_l0.detach().numpy().T
    p["Wh"][...] = ref.weight_hh_l0.detach().numpy().T
    b_ih, b_hh = ref.bias_ih_l0.detach().numpy(), ref.bias_hh_l0.detach().numpy()
    if kind == "gru":
        p["b"][...] = b_ih + np.concatenate([b_hh[:2 * H], np.zeros(H)])
        p["bhn"][...] = b_hh[2 * H:]
    else:
        p["b"][...] = b_ih + b_hh
    return ref, ours


def torch_grads(kind, ref, H):
    """Our parameter gradients, assembled from torch's."""
    g = {"Wx": ref.weight_ih_l0.grad.numpy().T, "Wh": ref.weight_hh_l0.grad.numpy().T}
    gi, gh = ref.bias_ih_l0.grad.numpy(), ref.bias_hh_l0.grad.numpy()
    if kind == "gru":
        # b feeds r and z through both torch biases, n through b_in only
        np.testing.assert_allclose(gi[:2 * H], gh[:2 * H], rtol=1e-12, atol=1e-14)
        g["b"], g["bhn"] = gi, gh[2 * H:]
    else:
        np.testing.assert_allclose(gi, gh, rtol=1e-12, atol=1e-14)  # b_ih and b_hh get the same
        g["b"] = gi
    return g


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("N, T, D, H, seed", [(3, 6, 4, 5, 0), (1, 1, 2, 3, 1), (2, 12, 3, 2, 2)])
def test_forward_and_all_gradients_match_torch(kind, N, T, D, H, seed):
    ref, ours = make_pair(kind, D, H, seed)
    rng = np.random.default_rng(seed)
    x, h0, c0 = rng.normal(size=(N, T, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H))
    dh = rng.normal(size=(N, T, H))

    xt, h0t, c0t = t64(x, True), t64(h0[None], True), t64(c0[None], True)
    if kind == "lstm":
        out, (hT, cT) = ref(xt, (h0t, c0t))
        h = ours.forward(x, h0, c0)
        np.testing.assert_allclose(ours.c[:, -1], cT[0].detach().numpy(), rtol=1e-10, atol=1e-12)
    else:
        out, hT = ref(xt, h0t)
        h = ours.forward(x, h0)
    np.testing.assert_allclose(h, out.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(h[:, -1], hT[0].detach().numpy(), rtol=1e-10, atol=1e-12)

    (out * t64(dh)).sum().backward()
    dx = ours.backward(dh)
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.dh0, h0t.grad[0].numpy(), rtol=1e-9, atol=1e-12)
    if kind == "lstm":
        np.testing.assert_allclose(ours.dc0, c0t.grad[0].numpy(), rtol=1e-9, atol=1e-12)
    for name, want in torch_grads(kind, ref, H).items():
        np.testing.assert_allclose(ours.grads[name], want, rtol=1e-9, atol=1e-12, err_msg=name)


def test_relu_rnn_matches_torch():
    ref, ours = make_pair("rnn", 3, 4, 5, nonlinearity="relu")
    rng = np.random.default_rng(5)
    x, dh = rng.normal(size=(2, 5, 3)), rng.normal(size=(2, 5, 4))
    xt = t64(x, True)
    out, _ = ref(xt)
    np.testing.assert_allclose(ours.forward(x), out.detach().numpy(), rtol=1e-10, atol=1e-12)
    (out * t64(dh)).sum().backward()
    np.testing.assert_allclose(ours.backward(dh), xt.grad.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.grads["Wh"], ref.weight_hh_l0.grad.numpy().T, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_truncated_bptt_matches_torch_detach(kind):
    """nnlib's truncate=k equals torch run chunk by chunk with the state detached between chunks."""
    N, T, D, H, k = 2, 10, 3, 4, 3
    ref, ours = make_pair(kind, D, H, 11)
    rng = np.random.default_rng(11)
    x, dh = rng.normal(size=(N, T, D)), rng.normal(size=(N, T, H))
    ours.truncate = k
    h = ours.forward(x)
    dx = ours.backward(dh)

    xt = t64(x, True)
    state, outs = None, []
    for start in range(0, T, k):
        out, state = ref(xt[:, start:start + k], state)
        outs.append(out)
        state = tuple(s.detach() for s in state) if kind == "lstm" else state.detach()
    out = torch.cat(outs, dim=1)
    np.testing.assert_allclose(h, out.detach().numpy(), rtol=1e-10, atol=1e-12)
    (out * t64(dh)).sum().backward()
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-9, atol=1e-12)
    for name, want in torch_grads(kind, ref, H).items():
        np.testing.assert_allclose(ours.grads[name], want, rtol=1e-9, atol=1e-12, err_msg=name)
