"""How fast does the part-4 network train? Run: .venv/bin/python benchmarks/trainer.py

The compiled trainer (nbcourse.fast) side by side with the readable one
(nbcourse.network, plain Python) and a numpy-per-sample loop, all on the
article's 2-3-3-2 net, and against the article's Rust demo (~250 ns/iteration).
"""

import threading
import time

import numpy as np

from nbcourse import fast, network

RUST_NS = 250  # the article's Rust demo: 100 million iterations in about 25 s
ARTICLE_ITERATIONS = 100_000_000


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

    print(f"\nThe article's {ARTICLE_ITERATIONS:,} iterations:")
    for name, ns in [("Rust (article)", RUST_NS), ("fast", fast_ns), ("numpy", numpy_ns),
                     ("readable", readable_ns)]:
        total = ns * ARTICLE_ITERATIONS / 1e9
        shown = f"{total:.0f} s" if total < 600 else f"{total / 3600:.1f} hours"
        print(f"  {name:15s} {shown:>10s}  ({ns / RUST_NS:.2f} x the Rust demo's time)")


if __name__ == "__main__":
    main()
