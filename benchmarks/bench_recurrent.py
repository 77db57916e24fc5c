"""LSTM forward + backward (T=50, N=32, D=64, H=128) vs PyTorch CPU, float64."""

import numpy as np

from benchmarks.common import interleaved, row

N, T, D, H = 32, 50, 64, 128


def run():
    print(f"LSTM forward + backward, T={T}, N={N}, D={D}, H={H}, float64")
    try:
        from nnlib.recurrent import LSTM
    except ImportError:
        row("nnlib LSTM", "skipped (nnlib.recurrent not available)")
        return
    rng = np.random.default_rng(0)
    lstm = LSTM(D, H, rng=rng)
    x = rng.standard_normal((N, T, D))
    dh = rng.standard_normal((N, T, H))

    def nn_step():
        lstm.forward(x)
        lstm.backward(dh)

    funcs = {"nnlib": nn_step}
    try:
        import torch

        tl = torch.nn.LSTM(D, H, batch_first=True).double()
        tx = torch.tensor(x, requires_grad=True)
        tdh = torch.tensor(dh)

        def torch_step():
            tl.zero_grad()
            out, _ = tl(tx)
            out.backward(tdh)
        funcs["torch"] = torch_step
    except ImportError:
        pass
    t = interleaved(funcs, repeats=15)
    row("nnlib LSTM forward + backward", f"{t['nnlib'] * 1e3:.1f} ms")
    if "torch" in t:
        ratio = t["nnlib"] / t["torch"]
        row("nnlib / PyTorch CPU", f"{ratio:.2f}x", "<= 1.2x", ratio <= 1.2)
    else:
        row("nnlib / PyTorch CPU", "skipped (torch not installed)")
