"""The readable part-4 network: backpropagation checked against faux gradients."""

import math

import numpy as np
import pytest

from nbcourse import fast, network
from nbcourse.errors import CourseError
from nbcourse.network import Layer, Net, Neuron


def rectangle(rng):
    width, height = network.sample(rng)
    return [width, height], network.targets(width, height)


def test_one_neuron_is_part_2():
    # part 2's sheet: input 0.4, weight 0.5, bias 0.6, target 0.7
    net = Net([Layer([Neuron(0.6, [0.5])])])
    bias_gradient, weight_gradient = network.gradients(net, [0.4], [0.7])
    assert round(weight_gradient, 4) == -0.0080
    assert round(bias_gradient, 4) == -0.0201
    assert round(net.layers[0].neurons[0].value, 3) == 0.664
    faux = network.faux_gradients(net, [0.4], [0.7], tiny=0.0001)
    assert np.round(faux, 4).tolist() == [-0.0201, -0.0080]


def test_forward_pass_keeps_each_neurons_net():
    """The total before tanh, added up as the article's pseudocode does: bias first."""
    net = Net([Layer([Neuron(0.5, [0.7, 0.6])]), Layer([Neuron(-0.1, [2.0])])])
    network.forward_pass(net, [0.9, 0.8])  # part 1's inputs, weights and bias
    first, second = net.layers[0].neurons[0], net.layers[1].neurons[0]
    assert first.net == 0.5 + 0.7 * 0.9 + 0.6 * 0.8
    assert first.value == math.tanh(first.net)
    assert second.net == -0.1 + 2.0 * first.value and second.value == math.tanh(second.net)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_backprop_equals_faux_gradients(seed):
    rng = np.random.default_rng(seed)
    net = network.new_net(rng)
    inputs, targets = rectangle(rng)
    real, faux, biggest = network.gradient_check(net, inputs, targets, tiny=1e-5, central=True)
    assert real.shape == faux.shape == (29,)
    assert np.abs(real).max() > 1e-3  # not trivially zero
    np.testing.assert_allclose(real, faux, rtol=0, atol=1e-8)
    assert biggest < 1e-8
    # the one-sided difference of part 2 is rougher, but agrees too
    np.testing.assert_allclose(real, network.faux_gradients(net, inputs, targets, 1e-6),
                               rtol=0, atol=1e-5)


def test_gradients_for_other_sizes():
    rng = np.random.default_rng(3)
    net = network.new_net(rng, (2, 4, 1, 2))
    inputs, targets = rectangle(rng)
    real, faux, biggest = network.gradient_check(net, inputs, targets, tiny=1e-5)
    assert real.size == network.parameter_count((2, 4, 1, 2)) == 12 + 5 + 4
    assert biggest < 1e-8


def test_new_net_draws_in_the_articles_order():
    net = network.new_net(np.random.default_rng(7))
    draws = np.random.default_rng(7).uniform(-1.0, 1.0, size=29)
    # layer 1 neuron 1: bias then 2 weights; layer 2 neuron 1: bias then 3 weights
    assert net.layers[0].neurons[0].bias == draws[0]
    assert net.layers[0].neurons[0].weights == draws[1:3].tolist()
    assert net.layers[1].neurons[0].bias == draws[9]
    assert np.array_equal(network.parameters(net), draws)
    assert net.sizes == (2, 3, 3, 2)


def test_parameters_round_trip_and_names():
    net = network.new_net(np.random.default_rng(1))
    parameters = network.parameters(net)
    again = network.from_parameters(parameters, (2, 3, 3, 2))
    assert np.array_equal(network.parameters(again), parameters)
    names = network.parameter_names((2, 3, 3, 2))
    assert len(names) == 29
    assert names[:3] == ["layer 1 neuron 1 bias", "layer 1 neuron 1 weight 1",
                         "layer 1 neuron 1 weight 2"]
    assert names[-1] == "layer 3 neuron 2 weight 3"


def test_samples_and_targets():
    rng, same = np.random.default_rng(5), np.random.default_rng(5)
    drawn = [network.sample(rng) for _ in range(4)]
    assert np.array_equal(np.array(drawn), same.uniform(0.1, 1.0, size=(4, 2)))
    assert all(0.1 <= side < 1.0 for pair in drawn for side in pair)
    width, height = 0.3, 0.7
    assert network.targets(width, height) == [width * height, (height * 2 + width * 2) * 0.25]


def test_report_line_is_the_articles():
    assert (network.report_line(10000000, 17.861, 1.123)
            == "Iteration 10000000 errors: area 17.861%, circumference: 1.123% (smaller = better)")
    assert (network.report_line(0, 223.1064, 13.17449)
            == "Iteration 0 errors: area 223.106%, circumference: 13.174% (smaller = better)")


def test_reports_cover_the_window_since_the_last_one():
    rng = np.random.default_rng(4)
    net = network.new_net(rng)
    start = network.parameters(net)
    reports = network.train(net, rng, 7, 0.01, 3)
    assert [iteration for iteration, _, _ in reports] == [0, 3, 6]

    # the same by hand: errors measured before each update
    rng = np.random.default_rng(4)
    network.new_net(rng)
    net = network.from_parameters(start)
    errors = []
    for _ in range(7):
        inputs, targets = rectangle(rng)
        outputs = network.forward_pass(net, inputs)
        errors.append([network.error_percent(t, o) for t, o in zip(targets, outputs)])
        network.backward_pass(net, targets)
        network.training_pass(net, inputs, 0.01)
    assert reports[0] == (0, errors[0][0], errors[0][1])  # iteration 0: one sample
    area = errors[1][0] + errors[2][0] + errors[3][0]  # 1, 2, 3: summed in order, as the Rust
    circumference = errors[1][1] + errors[2][1] + errors[3][1]
    assert reports[1] == (3, area / 3, circumference / 3)
    assert reports[2][0] == 6 and math.isclose(reports[2][1], np.mean(errors[4:7], axis=0)[0])


def test_all_gradients_come_before_any_update():
    rng = np.random.default_rng(6)
    net = network.new_net(rng)
    inputs, targets = rectangle(rng)
    expected = network.parameters(net) - network.gradients(net, inputs, targets) * 0.1
    network.training_pass(net, inputs, 0.1)  # gradients and values from the passes just run
    np.testing.assert_allclose(network.parameters(net), expected, rtol=0, atol=1e-15)


@pytest.mark.parametrize("sizes, message", [
    ((3, 3, 2), "start with 2 inputs"),
    ((2, 3, 1), "end with 2 outputs"),
    ((2, 0, 2), "at least 1"),
    ((2, 1.5, 2), "whole number"),
    ((2,), "at least one layer"),
    (5, "list of whole numbers"),
])
def test_bad_sizes(sizes, message):
    """network.py is bare maths: the trainers' entry points check the sizes (nbcourse.errors)."""
    with pytest.raises(CourseError, match=message):
        fast.run(0, 10, 0.01, 5, sizes)


def test_repr():
    net = Net([Layer([Neuron(0.6, [0.5])])])
    assert repr(net) == "Net(1, 1)"
    assert repr(net.layers[0]) == "Layer of 1 neurons"
    assert repr(net.layers[0].neurons[0]).startswith("Neuron(value=0, bias=0.6, weights=[0.5]")


def test_draws_need_a_seeded_generator():
    with pytest.raises(CourseError, match="default_rng"):
        fast.train(np.zeros(29), (2, 3, 3, 2), 3, 10)


def test_backward_pass_keeps_each_hidden_neurons_sum():
    """next_layer_gradient_sum: the next layer's activation gradients times their weights from it."""
    rng = np.random.default_rng(8)
    net = network.new_net(rng)
    inputs, targets = rectangle(rng)
    network.forward_pass(net, inputs)
    network.backward_pass(net, targets)
    for layer, after in zip(net.layers, net.layers[1:]):
        for j, neuron in enumerate(layer.neurons):
            total = 0.0
            for k in after.neurons:
                total += k.activation_gradient * k.weights[j]
            assert neuron.next_layer_gradient_sum == total
            assert neuron.activation_gradient == (1 - neuron.value**2) * total
