"""How fast does the part-4 network train? Run: .venv/bin/python benchmarks/trainer.py [--no-rust]

The compiled trainer (nbcourse.fast) side by side with the readable one
(nbcourse.network, plain Python) and a numpy-per-sample loop, all on the
article's 2-3-3-2 net. Then the article's whole run, 100,000,000 rectangles, two ways
on this machine: `python -m nbcourse backprop`, and the article's own Rust program
(benchmarks/article-rust, built here with cargo build --release). The target: nbcourse's
run takes no longer than the Rust one.

Building the Rust program needs cargo and the rand crate: from crates.io, or offline
from Debian's packages (`sudo apt-get install cargo librust-rand-dev`). Without them
the Rust figure is the one recorded on the 2-core development machine, and says so.
"""

import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from nbcourse import fast, network

ARTICLE_ITERATIONS = 100_000_000
RECORDED_RUST_NS = 165  # the Rust demo on the 2-core development machine (quiet), when it can't be built
RUST = Path(__file__).resolve().parent / "article-rust"
DEBIAN_CRATES = Path("/usr/share/cargo/registry")  # where librust-*-dev put their sources


def numpy_train(seed, iterations, learning_rate=0.001):
    """The same training with a numpy matrix per layer, one sample at a time."""
    rng = np.random.default_rng(seed)
    sizes = network.SIZES
    flat = fast.new_parameters(rng, sizes)
    biases, weights, start = [], [], 0
    for inputs, neurons in zip(sizes, sizes[1:]):
        block = flat[start:start + neurons * (inputs + 1)].reshape(neurons, inputs + 1)
        biases.append(block[:, 0].copy())
        weights.append(block[:, 1:].copy())
        start += block.size
    for width, height in rng.uniform(0.1, 1.0, size=(iterations, 2)):
        values = [np.array([width, height])]
        for bias, weight in zip(biases, weights):
            values.append(np.tanh(weight @ values[-1] + bias))  # forward pass
        targets = np.array(network.targets(width, height))
        gradient = (1 - values[-1] ** 2) * (values[-1] - targets)
        gradients = [gradient]
        for layer in range(len(weights) - 1, 0, -1):  # backward pass
            gradient = (1 - values[layer] ** 2) * (weights[layer].T @ gradient)
            gradients.insert(0, gradient)
        for layer, gradient in enumerate(gradients):  # training pass
            biases[layer] -= gradient * learning_rate
            weights[layer] -= np.outer(gradient, values[layer]) * learning_rate
    return biases, weights


def readable_train(seed, iterations, learning_rate=0.001):
    rng = np.random.default_rng(seed)
    net = network.new_net(rng)
    return network.train(net, rng, iterations, learning_rate, report_every=iterations)


def seconds(function, *arguments):
    start = time.perf_counter()
    function(*arguments)
    return time.perf_counter() - start


def build_rust(folder):
    """Build the article's program in `folder`; its path, or None and why not."""
    cargo = shutil.which("cargo")
    if cargo is None:
        return None, "cargo not found (sudo apt-get install cargo librust-rand-dev)"
    shutil.copytree(RUST, folder, dirs_exist_ok=True)
    command = [cargo, "build", "--release", "--quiet"]
    if any(DEBIAN_CRATES.glob("rand-0.8*")):  # offline, from Debian's crates
        command += ["--offline", "--config", 'source.crates-io.replace-with="debian"',
                    "--config", f'source.debian.directory="{DEBIAN_CRATES}"']
    built = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    if built.returncode != 0:
        said = built.stderr.strip().splitlines()[-1:] or ["no message"]
        return None, (f"cargo build failed ({said[0]}); with no crates.io, install Debian's "
                      "librust-rand-dev")
    return folder / "target" / "release" / "article-part4", None


def timed_run(command):
    """Wall-clock seconds of a whole program run, and its last line of output."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout.strip().splitlines()[-1]


def article_runs(build=True):
    """The article's 100,000,000 rectangles: nbcourse's command, then the article's Rust program
    (built here, unless build is False); returns the Rust program's nanoseconds per rectangle."""
    print(f"\nThe article's whole run, {ARTICLE_ITERATIONS:,} rectangles, on this machine:")
    ours, last = timed_run([sys.executable, "-m", "nbcourse", "backprop"])
    print(f"  python -m nbcourse backprop  {ours:5.1f} s  (start-up included)\n    {last}")
    with tempfile.TemporaryDirectory() as folder:
        program, why_not = build_rust(Path(folder)) if build else (None, "--no-rust")
        if program is None:
            rust = RECORDED_RUST_NS * ARTICLE_ITERATIONS / 1e9
            print(f"  the article's Rust program   {rust:5.1f} s  (recorded on the development "
                  f"machine, not measured: {why_not})")
        else:
            rust, last = timed_run([str(program)])
            print(f"  the article's Rust program   {rust:5.1f} s  (cargo build --release)\n    {last}")
    verdict = "met" if ours <= rust else "NOT met"
    print(f"  nbcourse / Rust: {ours / rust:.2f} (target: at most 1.00, {verdict})")
    return rust / ARTICLE_ITERATIONS * 1e9


def main():
    print("nbcourse part-4 trainer, 2-3-3-2 net, learning rate 0.001")

    # warm-up: load the compiled loops from numba's cache, or compile them
    warm_up = seconds(fast.run, 0, 1000, 0.001, 1000)
    stats = fast._train_article_net.stats
    cached = "loaded from numba's cache" if stats.cache_hits else "compiled (cache was cold)"
    print(f"warm-up {warm_up:.2f} s: {cached}")

    iterations = 20_000_000
    fast_ns = seconds(fast.run, 1, iterations, 0.001, 10_000_000) / iterations * 1e9
    print(f"fast (numba):           {fast_ns:8.0f} ns/iteration ({iterations:,} iterations, "
          "random rectangles included)")

    general = (2, 3, 4, 2)  # any other sizes run the general, not unrolled, loop
    fast.run(0, 10, 0.001, 10, general)
    general_ns = seconds(fast.run, 1, 2_000_000, 0.001, 1_000_000, general) / 2_000_000 * 1e9
    print(f"fast, sizes {general}:  {general_ns:8.0f} ns/iteration (the general loop)")

    threads = [threading.Thread(target=fast.run, args=(seed, iterations // 2, 0.001,
                                                        10_000_000)) for seed in (2, 3)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    both_ns = (time.perf_counter() - start) / iterations * 1e9
    print(f"fast, two seeds on two threads: {both_ns:.0f} ns/iteration overall "
          f"({both_ns * 2:.0f} each)")

    iterations = 20_000
    readable_ns = seconds(readable_train, 1, iterations) / iterations * 1e9
    numpy_ns = seconds(numpy_train, 1, iterations) / iterations * 1e9
    print(f"readable (pure Python): {readable_ns:8.0f} ns/iteration = {readable_ns / fast_ns:5.0f}"
          " x fast")
    print(f"numpy, one sample/step: {numpy_ns:8.0f} ns/iteration = {numpy_ns / fast_ns:5.0f}"
          " x fast")

    rust_ns = article_runs(build="--no-rust" not in sys.argv[1:])
    print(f"\nPer rectangle, against the Rust program's {rust_ns:.0f} ns:")
    for name, ns in [("fast", fast_ns), ("numpy", numpy_ns), ("readable", readable_ns)]:
        total = ns * ARTICLE_ITERATIONS / 1e9
        shown = f"{total:.0f} s" if total < 600 else f"{total / 3600:.1f} hours"
        print(f"  {name:10s} {ns:8.0f} ns  {ns / rust_ns:6.2f} x Rust  (100M rectangles: {shown})")


if __name__ == "__main__":
    main()
