"""Part 4 at the Rust demo's speed: nbcourse.network's arithmetic, compiled with numba.

The net is one flat float64 vector of biases and weights (layer by layer, neuron
by neuron, bias then weights: see network.parameters) plus its sizes, e.g.
(2, 3, 3, 2). Every sum, product and tanh happens in the same order as in
network.py, so both trainers agree bit for bit; tests/test_fast.py checks it.
Rectangles are drawn in Python in chunks (the same random stream as drawing one
at a time), and the compiled loop trains on each chunk without the GIL while a
second thread draws the next chunk.
"""

import hashlib
import json
import math
import os
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from numba import njit
from tqdm.auto import tqdm  # a bar widget in a notebook, text on a terminal

from nbcourse import errors, network
from nbcourse.errors import Diverged
from nbcourse.network import SEED, SIZES

CHUNK = 1 << 20  # rectangles drawn per call into the compiled loop: 16 MB
# tqdm.auto shows a widget bar in Jupyter: it stays when done (a closed widget reads "model not
# found" in Voila); a terminal's bar clears itself away, leaving the article's lines.
LEAVE_BAR = any(cls.__module__ == "tqdm.notebook" for cls in tqdm.__mro__)


# The passes walk the flat vectors with running offsets. Value and gradient
# buffers hold one entry per input and per neuron, layer after layer. `sizes` is a
# tuple: when it is the constant SIZES (see _train_article_net) numba unrolls
# every loop, which is what brings the article's net to the Rust demo's speed.

@njit(cache=True, nogil=True)
def _forward(parameters, sizes, values, width, height):
    values[0] = width
    values[1] = height
    p = 0
    previous = 0  # where the previous layer's values start
    this = sizes[0]  # where this layer's values start
    for layer in range(1, len(sizes)):
        for neuron in range(sizes[layer]):
            total = parameters[p]  # bias
            p += 1
            for weight_index in range(sizes[layer - 1]):
                total += parameters[p] * values[previous + weight_index]
                p += 1
            values[this + neuron] = math.tanh(total)
        previous = this
        this += sizes[layer]


@njit(cache=True, nogil=True)
def _backward(parameters, sizes, values, gradients, area, circumference):
    last = len(sizes) - 1
    next_start = 0  # where the next layer's values start
    next_parameters = 0  # where the next layer's biases and weights start
    for layer in range(last):
        next_start += sizes[layer]
    for layer in range(1, last):
        next_parameters += sizes[layer] * (sizes[layer - 1] + 1)
    v = next_start  # the outputs
    gradients[v] = (1.0 - values[v] * values[v]) * (values[v] - area)
    gradients[v + 1] = (1.0 - values[v + 1] * values[v + 1]) * (values[v + 1] - circumference)
    for layer in range(last - 1, 0, -1):
        this = next_start - sizes[layer]
        stride = sizes[layer] + 1  # one bias and this layer's weights per next-layer neuron
        for neuron in range(sizes[layer]):
            next_layer_gradient_sum = 0.0
            for next_neuron in range(sizes[layer + 1]):
                next_layer_gradient_sum += (
                    gradients[next_start + next_neuron]
                    * parameters[next_parameters + next_neuron * stride + 1 + neuron])
            value = values[this + neuron]
            gradients[this + neuron] = (1.0 - value * value) * next_layer_gradient_sum
        next_start = this
        next_parameters -= sizes[layer] * (sizes[layer - 1] + 1)


@njit(cache=True, nogil=True)
def _training(parameters, sizes, values, gradients, learning_rate):
    p = 0
    previous = 0
    this = sizes[0]
    for layer in range(1, len(sizes)):
        for neuron in range(sizes[layer]):
            activation_gradient = gradients[this + neuron]
            parameters[p] -= activation_gradient * learning_rate
            p += 1
            for weight_index in range(sizes[layer - 1]):
                gradient_for_this_weight = values[previous + weight_index] * activation_gradient
                parameters[p] -= gradient_for_this_weight * learning_rate
                p += 1
        previous = this
        this += sizes[layer]


@njit(cache=True, nogil=True)
def _train_chunk(parameters, sizes, samples, learning_rate, report_every, first_iteration,
                 window, reports, losses):
    """Train on each rectangle in turn; return (reports written, iteration that diverged or -1).

    window carries [area error sum, circumference error sum, samples] across chunks. `losses`
    is empty, or as long as `samples`: then it gets each rectangle's loss before its update.
    """
    values = np.zeros(sum(sizes))
    gradients = np.zeros(sum(sizes))
    out = sum(sizes) - 2
    record = losses.shape[0] > 0
    area_error_sum, circumference_error_sum, counter = window[0], window[1], window[2]
    written = 0
    diverged = -1
    # the first iteration at or after first_iteration that reports (a multiple of report_every);
    # counting up to it saves an integer division per rectangle
    next_report = -(-first_iteration // report_every) * report_every
    for s in range(samples.shape[0]):
        iteration = first_iteration + s
        width = samples[s, 0]
        height = samples[s, 1]
        area = width * height
        circumference = (height * 2 + width * 2) * 0.25
        _forward(parameters, sizes, values, width, height)
        if not (math.isfinite(values[out]) and math.isfinite(values[out + 1])):
            diverged = iteration
            break
        if record:  # network.loss's sum, in its order
            loss = 0.0
            error = values[out] - area
            loss += error * error / 2
            error = values[out + 1] - circumference
            loss += error * error / 2
            losses[s] = loss
        area_error_sum += abs(area - values[out]) / area * 100.0
        circumference_error_sum += abs(circumference - values[out + 1]) / circumference * 100.0
        counter += 1.0
        if iteration == next_report:
            next_report += report_every
            reports[written, 0] = iteration
            reports[written, 1] = area_error_sum / counter
            reports[written, 2] = circumference_error_sum / counter
            written += 1
            area_error_sum = circumference_error_sum = counter = 0.0
        _backward(parameters, sizes, values, gradients, area, circumference)
        _training(parameters, sizes, values, gradients, learning_rate)
    window[0], window[1], window[2] = area_error_sum, circumference_error_sum, counter
    return written, diverged


@njit(cache=True, nogil=True)
def _train_article_net(parameters, samples, learning_rate, report_every, first_iteration,
                       window, reports, losses):
    # SIZES is a global tuple, so numba compiles it in as a constant
    return _train_chunk(parameters, SIZES, samples, learning_rate, report_every,
                        first_iteration, window, reports, losses)


def _train_chunk_for(sizes):
    """The compiled loop for these sizes: the unrolled one for the article's net."""
    if sizes == SIZES:
        return _train_article_net
    return lambda parameters, *rest: _train_chunk(parameters, sizes, *rest)


def new_parameters(rng, sizes=SIZES):
    """Random biases and weights in [-1, 1), the same draws as network.new_net."""
    return rng.uniform(-1.0, 1.0, size=network.parameter_count(sizes))


def _rectangles(rng, total):
    """The next `total` random rectangles as (width, height) rows, CHUNK at a time.

    Each chunk after the first is drawn in a second thread while the caller trains on the
    one before (the compiled loop releases the GIL): drawing costs a tenth of training, so
    this takes it off the clock. The chunks still come from rng in order, so the stream is
    the one network.sample draws, and rng ends where it would: nothing is drawn ahead of
    what `total` asks for."""
    sizes = [min(CHUNK, total - start) for start in range(0, total, CHUNK)]
    if len(sizes) == 1:  # nothing to overlap (the explorer's short runs): no thread
        yield rng.uniform(0.1, 1.0, (total, 2))
        return
    with ThreadPoolExecutor(1) as drawer:
        ahead = drawer.submit(rng.uniform, 0.1, 1.0, (sizes[0], 2))
        for size in sizes[1:]:
            chunk = ahead.result()
            ahead = drawer.submit(rng.uniform, 0.1, 1.0, (size, 2))
            yield chunk
        yield ahead.result()


NO_LOSSES = np.empty(0)


def reports(parameters, sizes, rng, iterations, learning_rate=0.001, report_every=10_000_000,
            progress=False, losses=NO_LOSSES):
    """Train `parameters` in place, yielding each report as soon as it is ready; with `losses`,
    an array of `iterations` floats, also fill in each iteration's loss (before its update).

    Arguments are checked by train and cli, which call this.
    """
    train_chunk = _train_chunk_for(sizes)
    window = np.zeros(3)
    rows = np.empty((min(CHUNK, iterations) // report_every + 1, 3))
    start = 0
    with tqdm(total=iterations, disable=not progress, file=sys.stderr, unit="it",
              unit_scale=True, leave=LEAVE_BAR, desc="training") as bar:
        for samples in _rectangles(rng, iterations):
            written, diverged = train_chunk(parameters, samples, learning_rate, report_every,
                                            start, window, rows, losses[start:start + len(samples)])
            for iteration, area_error, circumference_error in rows[:written].tolist():
                yield int(iteration), area_error, circumference_error
            if diverged >= 0:
                raise Diverged(diverged, "the outputs")
            start += len(samples)
            bar.update(len(samples))
    if not np.all(np.isfinite(parameters)):
        raise Diverged(iterations, "the weights and biases")


def train(parameters, sizes, rng, iterations, learning_rate=0.001, report_every=10_000_000,
          progress=False, losses=False):
    """Train a copy of `parameters`; return it with the reports, as network.train would.

    Each report is (iteration, mean area error %, mean circumference error %). With
    losses=True, a third result: each iteration's loss before its update, as network.loss
    gives it, from the same training run.
    """
    sizes = errors.sizes(sizes)
    parameters = errors.parameters(parameters, sizes)
    errors.rng(rng)
    iterations = errors.count("iterations", iterations)
    report_every = errors.count("report_every", report_every)
    learning_rate = errors.positive("learning rate", learning_rate)
    if losses:
        each = np.empty(iterations)
        found = list(reports(parameters, sizes, rng, iterations, learning_rate, report_every,
                             progress, each))
        return parameters, found, each
    return _kept(parameters, sizes, rng, iterations, learning_rate, report_every, progress)


# Runs kept on disk: where NBCOURSE_TRAINING_CACHE names a folder, a run of a million rectangles
# or more is trained once and then read back, with the random generator moved on as training
# would have. The test suite sets it, so that a notebook executed three times (nbval, JupyterLab,
# Voila) trains its long runs once; unset, as for learners, every run trains.
CACHE = "NBCOURSE_TRAINING_CACHE"
KEPT_FROM = 1_000_000  # rectangles


def _kept(parameters, sizes, rng, iterations, learning_rate, report_every, progress):
    folder = os.environ.get(CACHE)
    if not folder or iterations < KEPT_FROM:
        return parameters, list(reports(parameters, sizes, rng, iterations, learning_rate,
                                        report_every, progress))
    key = hashlib.sha256(repr((parameters.tobytes(), sizes, rng.bit_generator.state, iterations,
                               learning_rate, report_every)).encode()).hexdigest()
    path = Path(folder) / f"{key}.npz"
    if path.is_file():
        with np.load(path) as kept:
            rng.bit_generator.state = json.loads(str(kept["rng"]))
            with tqdm(total=iterations, disable=not progress, file=sys.stderr, unit="it",
                      unit_scale=True, leave=LEAVE_BAR, desc="training") as bar:
                bar.update(iterations)
            return kept["parameters"].copy(), [(int(i), a, c) for i, a, c in kept["reports"].tolist()]
    found = list(reports(parameters, sizes, rng, iterations, learning_rate, report_every, progress))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".npz")
    with os.fdopen(handle, "wb") as out:
        np.savez(out, parameters=parameters, reports=np.array(found, dtype=np.float64).reshape(-1, 3),
                 rng=json.dumps(rng.bit_generator.state))
    os.replace(temporary, path)
    return parameters, found


def run(seed=SEED, iterations=100_000_000, learning_rate=0.001, report_every=10_000_000,
        sizes=SIZES, progress=False, losses=False):
    """The article's demo from a seed: a new net, then training; returns (parameters, reports),
    and with losses=True each iteration's loss too (see train)."""
    rng = np.random.default_rng(errors.seed(seed))
    parameters = new_parameters(rng, errors.sizes(sizes))
    return train(parameters, sizes, rng, iterations, learning_rate, report_every, progress, losses)


def loss_curve(seed=SEED, steps=20_000, learning_rate=0.01, sizes=SIZES):
    """Each step's loss (before its update) for a new net from a seed: quick enough for a slider."""
    return run(seed, steps, learning_rate, steps, sizes, losses=True)[2]


def cli(iterations=100_000_000, report_every=10_000_000, seed=SEED, learning_rate=0.001):
    """`python -m nbcourse backprop`: the article's Rust demo, line for line."""
    rng = np.random.default_rng(errors.seed(seed))
    iterations = errors.count("iterations", iterations)
    report_every = errors.count("report_every", report_every)
    learning_rate = errors.positive("learning rate", learning_rate)
    parameters = new_parameters(rng, SIZES)
    progress = sys.stderr.isatty()
    for report in reports(parameters, SIZES, rng, iterations, learning_rate, report_every,
                          progress):
        # tqdm.write lifts the progress bar (on stderr) out of the way of the line
        tqdm.write(network.report_line(*report), file=sys.stdout)
        sys.stdout.flush()
    return 0

