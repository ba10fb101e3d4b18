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


class NotAnswered(Exception):
    """A function the learner has yet to write: it still returns ..."""


def check(name, answer):
    """Print whether `answer` is right; `...` means not answered yet."""
    task = find(name)
    if answer is ... or answer is None or (isinstance(answer, tuple) and ... in answer):
        print("Not answered yet: put your answer in place of the ... and run the cell again.")
        return
    try:
        right, detail = task.judge(answer)
    except NotAnswered:
        print("Not answered yet: your function still returns ...: put your lines in place of the ... "
              "and run the cell again.")
        return
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


def judge_number(answer, expected, right, what, digits=4):
    """A number read off the sheet or worked out: right to `digits` significant digits, saying
    `right` (words with the expected value); if not, that the answer is not `what`."""
    if close(answer, expected, digits):
        return True, right
    return False, f"{float(answer):g} is not {what} (checked to {digits} significant digits)."


def judge_function(function, cases, expected, *, digits, name, arguments=None, mistakes=None,
                   describe=None):
    """Judge a function the learner wrote: call it on each case and compare with `expected(case)`,
    to `digits` significant digits. Returns (right, what to say); the caller words what is right.

    arguments(case) gives the call's arguments (default: the case itself), describe(case) the words
    naming a call (default: the call, name(0.4, 0.5, ...)); `mistakes(case)` lists
    (number, what to say) for wrong answers seen often, always in the same order: one counts when
    the learner's answers are its numbers for every case. Otherwise the first case that differs
    is named. Anything the learner's code raises is said, never shown as a traceback."""
    if not callable(function):
        raise TypeError(f"give the function itself, as in check(..., {name}): its name without brackets")
    arguments = arguments or (lambda case: case)
    if function.__name__.isidentifier():  # a lambda's is <lambda>
        name = function.__name__

    def call(case):
        if describe:
            return describe(case)
        shown = (f"{x:g}" if isinstance(x, int | float) else "…" for x in arguments(case))
        return f"{name}({', '.join(shown)})"

    got = []
    for case in cases:
        try:
            answer = function(*arguments(case))
        except Exception as problem:  # the learner's code
            return False, f"{call(case)} raised {type(problem).__name__}: {problem}."
        if answer is ...:
            raise NotAnswered
        try:
            got.append(float(answer))
        except (TypeError, ValueError):
            return False, f"{call(case)} returned {answer!r}, not a number."
    wanted = [expected(case) for case in cases]
    if all(close(g, w, digits) for g, w in zip(got, wanted, strict=True)):
        return True, ""
    if mistakes:
        seen = [mistakes(case) for case in cases]
        for i, (_, say) in enumerate(seen[0]):
            if all(close(g, numbers[i][0], digits) for g, numbers in zip(got, seen, strict=True)):
                return False, say
    case, g, w = next((c, g, w) for c, g, w in zip(cases, got, wanted, strict=True)
                      if not close(g, w, digits))
    return False, (f"{call(case)} gave {g:.{digits}g}; it should be {w:.{digits}g} "
                   f"(checked to {digits} significant digits).")


# each lesson's exercises register themselves on import
from nbcourse.exercises import lesson01, lesson02, lesson03, lesson04  # noqa: E402, F401
