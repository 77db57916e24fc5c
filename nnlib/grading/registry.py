"""All graded exercises of the course: exercise name -> Exercise(chapter, number, check).

Each chapter's checks live in their own module (``ch02_activations.py``), which
defines a dict ``EXERCISES``. To add a chapter, write ``chNN_topic.py`` and add
it to the tuple below: one module and one line. Names are the functions the
learner writes; they are unique across the course (``_merge`` refuses a
duplicate), so ``check(softmax)`` finds its exercise by name alone.
"""

from nnlib.grading import (ch01_neurons, ch02_activations, ch03_backprop, ch04_optimizers,
                           ch05_regularisation, ch06_gradients, ch07_rnn_lstm)


def _merge(*chapters):
    table = {}
    for module in chapters:
        for name, exercise in module.EXERCISES.items():
            if name in table:
                raise ValueError(f"exercise name {name!r} is used twice ({module.__name__})")
            table[name] = exercise
    return table


EXERCISES = _merge(
    ch01_neurons,
    ch02_activations,
    ch03_backprop,
    ch04_optimizers,
    ch05_regularisation,
    ch06_gradients,
    ch07_rnn_lstm,
)


def lookup(name):
    """The Exercise called ``name``; ValueError listing the valid names otherwise."""
    if name not in EXERCISES:
        valid = ", ".join(EXERCISES)
        raise ValueError(f"no exercise called {name!r}; the exercises are: {valid}. "
                         f"If you renamed your function, name the exercise: check(\"softmax\", my_softmax)")
    return EXERCISES[name]


def chapter_exercises(chapter):
    """[(name, Exercise)] of one chapter (an int), in exercise order."""
    found = [(name, ex) for name, ex in EXERCISES.items() if ex.chapter == chapter]
    return sorted(found, key=lambda item: item[1].number)
