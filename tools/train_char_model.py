"""Train the small character LSTM shipped with the course (chapter 07).

    python tools/train_char_model.py            # writes nnlib/data/files/char_lstm.npz
    python tools/train_char_model.py --check    # retrain and compare with the shipped file

Training takes a few minutes on one core, too long for a notebook (30 s budget),
so the chapter loads the result with ``nnlib.text.load_pretrained_char_model()``.
Everything comes from ``nnlib.text.train_char_model`` with the fixed CONFIG below
(its seed fixes the initialisation and every batch), so the file can be remade
exactly; tests/test_text.py reruns the first steps and compares them with the
shipped loss curve. Weights are stored as float32 (half the size; sampling is
unaffected), the loss of every step as float32, the config as JSON.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "nnlib" / "data" / "files" / "char_lstm.npz"

CONFIG = {"n_hidden": 64, "steps": 3000, "seq_len": 48, "batch_size": 32, "lr": 0.01,
          "clip_norm": 1.0, "seed": 7}


def train(config=CONFIG, progress=False):
    """Train with ``config``; returns (model, vocab, losses)."""
    from nnlib.data import load_text
    from nnlib.text import train_char_model

    start = time.perf_counter()

    def report(step, loss, model):
        if progress and (step + 1) % 250 == 0:
            print(f"step {step + 1:5d}  loss {loss:.3f}  {time.perf_counter() - start:5.0f} s", flush=True)

    return train_char_model(load_text(), callback=report, **config)


def arrays_of(model, losses, config):
    """The arrays stored in the .npz: parameters and losses as float32, config as JSON."""
    arrays = {k: v.astype(np.float32) for k, v in model.state_arrays().items()}
    arrays["losses"] = np.asarray(losses, dtype=np.float32)
    arrays["config"] = np.array(json.dumps(config, sort_keys=True))
    return arrays


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file, write nothing")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # small products: threads only cost
    model, vocab, losses = train(progress=True)
    arrays = arrays_of(model, losses, CONFIG)
    if args.check:
        with np.load(args.out) as shipped:
            worst = max(float(np.max(np.abs(shipped[k] - arrays[k]))) for k in arrays if k != "config")
        print(f"largest difference from {args.out}: {worst:.3g}")
        return 0 if worst < 1e-3 else 1
    np.savez_compressed(args.out, **arrays)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KB); "
          f"final loss (mean of the last 100 steps) {losses[-100:].mean():.3f}")
    print(model.sample(vocab, "The ", 300, 0.7, np.random.default_rng(0)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
