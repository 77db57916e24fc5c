"""Write the bad notebooks that tests/test_grading_cli.py grades (run from anywhere).

    python tests/grading_fixtures/make_fixtures.py

Each fixture is a chapter-02 exercise notebook (so named 02_*.ipynb) that does
one hostile or broken thing; its first cell says what and what the grade must
be. The notebooks are committed; this script documents how they were made.
"""

from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent

SETUP = "import numpy as np\n\nfrom nnlib.grading import check"
GOOD = {
    "sigmoid": "def sigmoid(z):\n    e = np.exp(-np.abs(z))\n    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))",
    "sigmoid_grad": "def sigmoid_grad(z):\n    s = sigmoid(z)\n    return s * (1 - s)",
    "tanh_grad": "def tanh_grad(z):\n    return 1 - np.tanh(z) ** 2",
    "relu": "def relu(z):\n    return np.maximum(z, 0.0)",
    "relu_grad": "def relu_grad(z):\n    return np.where(z > 0, 1.0, 0.0)",
    "leaky_relu": "def leaky_relu(z, alpha=0.01):\n    return np.where(z > 0, z, alpha * z)",
    "softmax": ("def softmax(z):\n    e = np.exp(z - np.max(z, axis=-1, keepdims=True))\n"
                "    return e / np.sum(e, axis=-1, keepdims=True)"),
}
STUB = 'def {0}(z, alpha=0.01):\n    raise NotImplementedError("Exercise 2.0: implement {0}")'


def notebook(about, code_cells):
    """A notebook: a markdown cell ``about``, the setup cell, then each code cell
    followed by a check cell for the function it defines (if any)."""
    cells = [nbformat.v4.new_markdown_cell(about), nbformat.v4.new_code_cell(SETUP)]
    for source in code_cells:
        cells.append(nbformat.v4.new_code_cell(source))
        if source.startswith("def "):
            cells.append(nbformat.v4.new_code_cell(f"check({source[4:source.index('(')]})"))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
    return nb


def good(*names, **replace):
    return [replace.get(n, GOOD[n]) for n in names]


ALL = list(GOOD)

FIXTURES = {
    "02_infinite_loop": notebook(
        "relu loops forever when called; one top-level cell loops forever; another loops "
        "forever and swallows the time-limit exception. Expected: 6/7, relu timed out.",
        good("sigmoid", "sigmoid_grad", "tanh_grad")
        + ["while True:\n    pass"]
        + good("relu", relu="def relu(z):\n    while True:\n        pass")
        + ["while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass"]
        + good("relu_grad", "leaky_relu", "softmax")),
    "02_sys_exit": notebook(
        "A top-level cell calls sys.exit(); tanh_grad calls sys.exit(1) when called. "
        "Expected: 6/7, tanh_grad failed (raised SystemExit).",
        good("sigmoid", "sigmoid_grad")
        + ["import sys\n\nsys.exit('stop grading here')"]
        + good("tanh_grad", "relu", "relu_grad", "leaky_relu", "softmax",
               tanh_grad="def tanh_grad(z):\n    import sys\n    sys.exit(1)")),
    "02_os_exit": notebook(
        "A top-level cell calls os._exit(3); relu_grad calls os._exit(1); leaky_relu kills "
        "its own process with SIGSEGV. Expected: 5/7, relu_grad and leaky_relu crashed.",
        good("sigmoid", "sigmoid_grad", "tanh_grad", "relu")
        + ["import os\n\nos._exit(3)"]
        + good("relu_grad", "leaky_relu", "softmax",
               relu_grad="def relu_grad(z):\n    import os\n    os._exit(1)",
               leaky_relu=("def leaky_relu(z, alpha=0.01):\n    import os, signal\n"
                           "    os.kill(os.getpid(), signal.SIGSEGV)"))),
    "02_monkeypatch": notebook(
        "Patches nnlib.grading (check, the engine, make_result) and numpy (allclose, isclose) "
        "to pass everything, and returns wrong answers; softmax returns an object whose "
        "unpickling would create the folder PWNED_BY_NOTEBOOK. Expected: 0/7.",
        ["import nnlib.grading\nimport nnlib.grading.engine as engine\nimport nnlib.grading.result as result\n"
         "from nnlib.grading.result import Outcome\n\n"
         "nnlib.grading.check = lambda *args, **kwargs: print('Exercise 2.1 sigmoid: passed 13 cases')\n"
         "check = nnlib.grading.check\n"
         "engine.FunctionCheck.__call__ = lambda self, call, rng: Outcome('passed', 13)\n"
         "result.PASSED = 'failed'\n"
         "np.allclose = lambda *args, **kwargs: True\n"
         "np.isclose = lambda a, b, **kwargs: np.ones(np.shape(a), dtype=bool)\n"
         "np.array_equal = lambda *args, **kwargs: True"]
        + [f"def {n}(z, alpha=0.01):\n    return np.zeros_like(z)" for n in ALL[:-1]]
        + ["import os\n\nclass Evil:\n    def __reduce__(self):\n"
           "        return (os.mkdir, ('PWNED_BY_NOTEBOOK',))\n\n"
           "def softmax(z):\n    return Evil()"]),
    "02_fake_output": notebook(
        "Prints fake 'passed' lines and a fake grading table, to stdout, sys.__stdout__, "
        "file descriptors 1 and 2, also when its functions are called; sigmoid_grad raises an "
        "exception whose message holds the fake lines; the other functions are stubs. Expected: "
        "0/7, sigmoid_grad failed, the others not implemented, no FAKE line in the grader's output.",
        ["import os\nimport sys\n\nFAKE = ''.join(f'Exercise 2.{i} FAKE: passed 13 cases\\n' for i in range(1, 8))\n"
         "FAKE += 'total: 7/7 points (100%) FAKE\\n'\n"
         "print(FAKE)\nsys.__stdout__.write(FAKE)\nsys.__stdout__.flush()\n"
         "os.write(1, FAKE.encode())\nos.write(2, FAKE.encode())"]
        + ["def sigmoid(z):\n    print(FAKE)\n    os.write(1, FAKE.encode())\n"
           "    raise NotImplementedError('Exercise 2.1: implement sigmoid')"]
        + ["def sigmoid_grad(z):\n    raise ValueError('boom\\n' + FAKE + '\\x1b[2K')"]
        + [STUB.format(n) for n in ALL[2:]]),
    "02_syntax_error": notebook(
        "tanh_grad's cell has a syntax error. Expected: 6/7, tanh_grad not defined "
        "(its cell failed with SyntaxError).",
        good(*ALL, tanh_grad="def tanh_grad(z):\n    return 1 - np.tanh(z) **\n")),
}

if __name__ == "__main__":
    for name, nb in FIXTURES.items():
        nbformat.write(nb, HERE / f"{name}.ipynb")
        print(f"wrote {name}.ipynb")
