"""Precompute the chapter 07 memory experiment: RNN vs LSTM on the adding problem.

    python tools/precompute_memory.py            # writes nnlib/data/files/memory_adding.json
    python tools/precompute_memory.py --check    # rerun everything, compare with the shipped file

For every model of ``nnlib.explorers.recurrent_memory.MODELS``, every length in
LENGTHS and every seed in SEEDS, ``memory_run`` trains for STEPS steps and tests
every 25 steps. About 5 to 10 minutes on one core: too long for the chapter's
30 s budget, so the notebook's explorer reads the shipped file.
tests/test_explorers_recurrent.py reruns the cheapest entry and compares.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "nnlib" / "data" / "files" / "memory_adding.json"

LENGTHS = [5, 10, 20, 30, 50, 75]
SEEDS = [0, 1, 2]
STEPS = 600


def run_one(model, T, seed):
    from nnlib.explorers.recurrent_memory import memory_run

    return memory_run(model, T, seed, steps=STEPS)


def compute(progress=False):
    """Every run; returns the dict that is stored as JSON."""
    from nnlib.explorers.recurrent_memory import MODELS, SETTINGS, TOLERANCE

    start = time.perf_counter()
    runs = {}
    for model in MODELS:
        runs[model] = {}
        for T in LENGTHS:
            runs[model][str(T)] = [run_one(model, T, seed) for seed in SEEDS]
            if progress:
                final = [r["accuracy"][-1] for r in runs[model][str(T)]]
                print(f"{model:22s} T={T:3d}  final accuracy {final}  "
                      f"{time.perf_counter() - start:5.0f} s", flush=True)
    return {"task": "adding_problem", "tolerance": TOLERANCE, "lengths": LENGTHS, "seeds": SEEDS, "steps": STEPS,
            "settings": SETTINGS, "runs": runs}


def rounded(run):
    """A memory_run result as stored: accuracies (multiples of 1/n_test) exact, losses
    to 7 significant digits (the file stays small; the tests compare with rtol 1e-5)."""
    return {"steps": run["steps"], "accuracy": [round(a, 6) for a in run["accuracy"]],
            "loss": [float(f"{v:.7g}") for v in run["loss"]]}


def dumps(results):
    results = dict(results, runs={model: {T: [rounded(r) for r in runs] for T, runs in by_T.items()}
                                  for model, by_T in results["runs"].items()})
    return json.dumps(results, sort_keys=True, separators=(",", ":")) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file, write nothing")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    results = compute(progress=True)
    if args.check:
        same = json.loads(args.out.read_text()) == json.loads(dumps(results))
        print("the shipped file matches" if same else f"{args.out} differs from a fresh run")
        return 0 if same else 1
    args.out.write_text(dumps(results))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
