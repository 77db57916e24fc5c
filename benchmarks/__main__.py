"""Run the course's benchmarks: python -m benchmarks [training|recurrent|explorers|course ...].

Every figure is a ratio or a latency measured in this one run, side by side, so
results compare like with like on a noisy machine. Browser latency (slider key
press to new pixels) comes from the browser tests: pytest tests/e2e -s.
"""

import platform
import sys

import numpy as np

from benchmarks import bench_course, bench_explorers, bench_recurrent, bench_training

SUITES = {"training": [bench_training.run, bench_training.run_fit], "recurrent": [bench_recurrent.run],
          "explorers": [bench_explorers.run], "course": [bench_course.run]}


def main(argv):
    chosen = argv or list(SUITES)
    unknown = [name for name in chosen if name not in SUITES]
    if unknown:
        sys.exit(f"unknown suite(s) {unknown}; choose from {', '.join(SUITES)}")
    print(f"Python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    for name in chosen:
        for suite in SUITES[name]:
            print()
            suite()


if __name__ == "__main__":
    main(sys.argv[1:])
