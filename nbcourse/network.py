"""Part 4: many layers of many neurons, trained by backpropagation.

Written the way the article's pseudocode reads: a Net holds Layers, a Layer holds
Neurons, and three passes fill in each neuron's fields: the forward pass its
`value`, the backward pass its `activation_gradient`, the training pass nudges its
`bias` and `weights`. Plain Python floats and `math.tanh` (the C library's, as in
the Rust demo), so that nbcourse.fast can match this module bit for bit. No argument
checks here: the lessons, the explorers and the command line check what they are given.
"""

import math

import numpy as np

SIZES = (2, 3, 3, 2)  # the article's net: 2 inputs, two layers of 3, 2 outputs
SEED = 2  # the course's net: its last window (1.7% area, 0.4% circumference) is near the article's


class Neuron:
    def __init__(self, bias, weights):
        self.value = 0.0
        self.bias = float(bias)
        self.weights = [float(weight) for weight in weights]
        self.activation_gradient = 0.0
        # not the article's fields, kept to show them: the forward pass's total before tanh, and
        # for a hidden neuron the backward pass's sum over the next layer
        self.net = 0.0
        self.next_layer_gradient_sum = 0.0

    def __repr__(self):
        weights = ", ".join(f"{weight:.4g}" for weight in self.weights)
        return (f"Neuron(value={self.value:.4g}, bias={self.bias:.4g}, weights=[{weights}], "
                f"activation_gradient={self.activation_gradient:.4g})")


class Layer:
    def __init__(self, neurons):
        self.neurons = list(neurons)

    def __repr__(self):
        return f"Layer of {len(self.neurons)} neurons"


class Net:
    def __init__(self, layers):
        self.layers = list(layers)

    @property
    def sizes(self):
        """Inputs, then the number of neurons in each layer: (2, 3, 3, 2) for the article's net."""
        return (len(self.layers[0].neurons[0].weights),
                *(len(layer.neurons) for layer in self.layers))

    def __repr__(self):
        return f"Net{self.sizes}"


def new_net(rng, sizes=SIZES):
    """Random biases and weights in [-1, 1), drawn in the article's order."""
    layers = []
    for inputs, neurons in zip(sizes, sizes[1:]):
        layer = []
        for _ in range(neurons):
            bias = rng.uniform(-1.0, 1.0)  # bias first, then each weight, as the Rust draws them
            weights = [rng.uniform(-1.0, 1.0) for _ in range(inputs)]
            layer.append(Neuron(bias, weights))
        layers.append(Layer(layer))
    return Net(layers)


def sample(rng):
    """A random rectangle: width, then height, each in [0.1, 1)."""
    width, height = rng.uniform(0.1, 1.0, size=2).tolist()
    return width, height


def targets(width, height):
    """Area, and the circumference scaled by 0.25 so it stays below 1 (tanh can't pass 1)."""
    return [width * height, (height * 2 + width * 2) * 0.25]  # the Rust's operation order


def layer_inputs(net, layer_index, inputs):
    """What feeds a layer: the net's inputs for the first, the previous layer's values after."""
    if layer_index == 0:
        return inputs
    return [neuron.value for neuron in net.layers[layer_index - 1].neurons]


def forward_pass(net, inputs):
    """Fill in every neuron's value, first layer to last; return the last layer's values."""
    for layer_index, layer in enumerate(net.layers):
        previous_values = layer_inputs(net, layer_index, inputs)
        for neuron in layer.neurons:
            total = neuron.bias
            for weight_index, weight in enumerate(neuron.weights):
                total += weight * previous_values[weight_index]
            neuron.net = total
            neuron.value = math.tanh(total)
    return [neuron.value for neuron in net.layers[-1].neurons]


def backward_pass(net, targets):
    """Fill in every neuron's activation gradient, last layer to first."""
    last = len(net.layers) - 1
    for layer_index in reversed(range(len(net.layers))):
        layer = net.layers[layer_index]
        if layer_index == last:
            for neuron_index, neuron in enumerate(layer.neurons):
                # d output/d net times d loss/d output (the error)
                neuron.activation_gradient = (
                    (1 - neuron.value * neuron.value) * (neuron.value - targets[neuron_index]))
        else:
            next_layer = net.layers[layer_index + 1]
            for this_layer_neuron_index, this_layer_neuron in enumerate(layer.neurons):
                # this neuron's value moves the loss through every neuron of the next layer
                next_layer_gradient_sum = 0.0
                for next_layer_neuron in next_layer.neurons:
                    next_layer_gradient_sum += (
                        next_layer_neuron.activation_gradient
                        * next_layer_neuron.weights[this_layer_neuron_index])
                this_layer_neuron.next_layer_gradient_sum = next_layer_gradient_sum
                this_layer_neuron.activation_gradient = (
                    (1 - this_layer_neuron.value * this_layer_neuron.value)
                    * next_layer_gradient_sum)


def training_pass(net, inputs, learning_rate):
    """Nudge every bias and weight against its gradient (after all gradients are known)."""
    for layer_index, layer in enumerate(net.layers):
        previous_values = layer_inputs(net, layer_index, inputs)
        for neuron in layer.neurons:
            neuron.bias -= neuron.activation_gradient * learning_rate
            for weight_index in range(len(neuron.weights)):
                gradient_for_this_weight = previous_values[weight_index] * neuron.activation_gradient
                neuron.weights[weight_index] -= gradient_for_this_weight * learning_rate


# One flat vector for all biases and weights: layer by layer, neuron by neuron, the bias
# then its weights. 29 numbers for the 2-3-3-2 net; nbcourse.fast trains this vector.

def parameter_count(sizes):
    return sum((inputs + 1) * neurons for inputs, neurons in zip(sizes, sizes[1:]))


def parameter_names(sizes):
    """A label for each entry of the flat vector, e.g. 'layer 1 neuron 2 weight 1'."""
    names = []
    for layer, (inputs, neurons) in enumerate(zip(sizes, sizes[1:]), start=1):
        for neuron in range(1, neurons + 1):
            names.append(f"layer {layer} neuron {neuron} bias")
            names += [f"layer {layer} neuron {neuron} weight {w}" for w in range(1, inputs + 1)]
    return names


def parameters(net):
    """All biases and weights as one float64 vector."""
    return np.array([number for layer in net.layers for neuron in layer.neurons
                     for number in (neuron.bias, *neuron.weights)], dtype=np.float64)


def from_parameters(parameters, sizes=SIZES):
    """The net whose biases and weights are this flat vector."""
    numbers = iter(np.asarray(parameters, dtype=np.float64).tolist())
    return Net(Layer(Neuron(next(numbers), [next(numbers) for _ in range(inputs)])
                     for _ in range(neurons))
               for inputs, neurons in zip(sizes, sizes[1:]))


def loss(net, inputs, targets):
    """Sum over the outputs of error^2 / 2 (part 2's loss)."""
    total = 0.0
    for output, target in zip(forward_pass(net, inputs), targets):
        error = output - target
        total += error * error / 2
    return total


def gradients(net, inputs, targets):
    """Backpropagated gradient of the loss for every bias and weight, in the flat layout."""
    forward_pass(net, inputs)
    backward_pass(net, targets)
    result = []
    for layer_index, layer in enumerate(net.layers):
        previous_values = layer_inputs(net, layer_index, inputs)
        for neuron in layer.neurons:
            result.append(neuron.activation_gradient)  # d net/d bias = 1
            result += [value * neuron.activation_gradient for value in previous_values]
    return np.array(result, dtype=np.float64)


def faux_gradients(net, inputs, targets, tiny=0.0001, central=False):
    """Nudge each bias and weight by tiny and watch the loss, as part 2 did for one neuron.

    (loss(p + tiny) - loss(p)) / tiny, or with central=True the more accurate
    (loss(p + tiny) - loss(p - tiny)) / (2 * tiny).
    """
    sizes, before = net.sizes, parameters(net)
    result = np.empty_like(before)
    for index in range(before.size):
        nudged = before.copy()
        nudged[index] += tiny
        after = loss(from_parameters(nudged, sizes), inputs, targets)
        if central:
            nudged[index] = before[index] - tiny
            result[index] = (after - loss(from_parameters(nudged, sizes), inputs, targets)) / (2 * tiny)
        else:
            result[index] = (after - loss(from_parameters(before, sizes), inputs, targets)) / tiny
    return result


def gradient_check(net, inputs, targets, tiny=0.0001, central=True):
    """Backpropagated and faux gradients side by side, and the biggest difference between them."""
    real = gradients(net, inputs, targets)
    faux = faux_gradients(net, inputs, targets, tiny, central)
    return real, faux, float(np.max(np.abs(real - faux)))


def error_percent(target, output):
    """Absolute percentage error, in the Rust's operation order."""
    return abs(target - output) / target * 100.0


def report_line(iteration, area_error, circumference_error):
    """The article's progress line, character for character."""
    return (f"Iteration {iteration} errors: area {area_error:.3f}%, "
            f"circumference: {circumference_error:.3f}% (smaller = better)")


def train(net, rng, iterations, learning_rate=0.001, report_every=10_000_000):
    """Train on random rectangles, as the Rust demo does; return its reports.

    Each report is (iteration, mean area error %, mean circumference error %) over
    the samples since the last report, each measured before that sample's update.
    Reports come at iteration 0 (one sample) and every `report_every` after.
    """
    reports = []
    area_error_sum = circumference_error_sum = 0.0
    counter = 0
    for iteration in range(iterations):
        width, height = sample(rng)
        inputs = [width, height]
        target = targets(width, height)
        outputs = forward_pass(net, inputs)
        area_error_sum += error_percent(target[0], outputs[0])
        circumference_error_sum += error_percent(target[1], outputs[1])
        counter += 1
        if iteration % report_every == 0:
            reports.append((iteration, area_error_sum / counter, circumference_error_sum / counter))
            area_error_sum = circumference_error_sum = 0.0
            counter = 0
        backward_pass(net, target)
        training_pass(net, inputs, learning_rate)
    return reports
