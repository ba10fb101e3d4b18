"""The exercises at the end of each notebook, checked against nbcourse's own maths.

    check("01-net", answer)   # right or not yet, with a hint
    solution("01-net")        # one way to the answer, when you ask for it

Every expected answer is computed from nbcourse's functions, never typed in, and
the tolerance each check allows is stated in its message. A solution is Python code
whose last line is the answer (an expression; comments welcome), so it can be run. Each lesson's exercises
live in their own module here (nbcourse.exercises.lesson01, ...).
"""

import math
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Exercise:
    question: str
    judge: Callable  # answer -> (right, what to say about it)
    hint: str
    solution: str


EXERCISES = {}


def exercise(name, question, hint, solution):
    """Register a judge function under `name`."""
    def register(judge):
        EXERCISES[name] = Exercise(question, judge, hint, solution)
        return judge
    return register


def find(name):
    if name not in EXERCISES:
        raise KeyError(f"No exercise called {name!r}; there are: {', '.join(EXERCISES)}.")
    return EXERCISES[name]


def check(name, answer):
    """Print whether `answer` is right; `...` means not answered yet."""
    task = find(name)
    if answer is ... or answer is None or (isinstance(answer, tuple) and ... in answer):
        print("Not answered yet: put your answer in place of the ... and run the cell again.")
        return
    try:
        right, detail = task.judge(answer)
    except (TypeError, ValueError) as problem:
        print(f"Not yet: {answer!r} is not the kind of answer asked for ({problem}).")
        return
    if right:
        print(f"Right! {detail}")
    else:
        print(f"Not yet: {detail} Hint: {task.hint} (solution({name!r}) shows one way.)")


def solution(name):
    """Print one way to the answer."""
    print(find(name).solution)


def close(answer, expected, digits=4):
    """Equal to `digits` significant digits: the precision a learner reads off a sheet."""
    return math.isclose(float(answer), expected, rel_tol=0.5 * 10.0 ** (1 - digits), abs_tol=1e-12)


# each lesson's exercises register themselves on import
from nbcourse.exercises import lesson01, lesson02, lesson03, lesson04  # noqa: E402, F401
