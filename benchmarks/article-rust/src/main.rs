// The article's own Rust demo (part 4, "Many layers of many neurons", Chris Hulbert,
// splinter.com.au, 2024), copied from its text and run through rustfmt; nothing else changed.
// benchmarks/trainer.py builds and times it beside nbcourse's trainer.

use rand::Rng;
struct Net {
    layers: Vec<Layer>,
}
struct Layer {
    neurons: Vec<Neuron>,
}
struct Neuron {
    value: f64,
    bias: f64,
    weights: Vec<f64>,
    activation_gradient: f64,
}
const LEARNING_RATE: f64 = 0.001;
fn main() {
    let mut rng = rand::thread_rng();
    // Make a 3,3,2 neural net that inputs the width and height of a rectangle,
    // and outputs the area and circumference.
    let mut net = Net {
        layers: vec![
            Layer {
                // First layer has 2 weights to suit the 2 inputs.
                neurons: vec![
                    Neuron {
                        value: 0.,
                        bias: rng.gen_range(-1. ..1.),
                        weights: vec![rng.gen_range(-1. ..1.), rng.gen_range(-1. ..1.)],
                        activation_gradient: 0.,
                    },
                    Neuron {
                        value: 0.,
                        bias: rng.gen_range(-1. ..1.),
                        weights: vec![rng.gen_range(-1. ..1.), rng.gen_range(-1. ..1.)],
                        activation_gradient: 0.,
                    },
                    Neuron {
                        value: 0.,
                        bias: rng.gen_range(-1. ..1.),
                        weights: vec![rng.gen_range(-1. ..1.), rng.gen_range(-1. ..1.)],
                        activation_gradient: 0.,
                    },
                ],
            },
            Layer {
                // Second layer neurons have the same number of weights as the previous layer has neurons.
                neurons: vec![
                    Neuron {
                        value: 0.,
                        bias: rng.gen_range(-1. ..1.),
                        weights: vec![
                            rng.gen_range(-1. ..1.),
                            rng.gen_range(-1. ..1.),
                            rng.gen_range(-1. ..1.),
                        ],
                        activation_gradient: 0.,
                    },
                    Neuron {
                        value: 0.,
                        bias: rng.gen_range(-1. ..1.),
                        weights: vec![
                            rng.gen_range(-1. ..1.),
                            rng.gen_range(-1. ..1.),
                            rng.gen_range(-1. ..1.),
                        ],
                        activation_gradient: 0.,
                    },
                    Neuron {
                        value: 0.,
                        bias: rng.gen_range(-1. ..1.),
                        weights: vec![
                            rng.gen_range(-1. ..1.),
                            rng.gen_range(-1. ..1.),
                            rng.gen_range(-1. ..1.),
                        ],
                        activation_gradient: 0.,
                    },
                ],
            },
            Layer {
                // Last layer has 2 neurons to suit 2 outputs.
                neurons: vec![
                    Neuron {
                        value: 0.,
                        bias: rng.gen_range(-1. ..1.),
                        weights: vec![
                            rng.gen_range(-1. ..1.),
                            rng.gen_range(-1. ..1.),
                            rng.gen_range(-1. ..1.),
                        ],
                        activation_gradient: 0.,
                    },
                    Neuron {
                        value: 0.,
                        bias: rng.gen_range(-1. ..1.),
                        weights: vec![
                            rng.gen_range(-1. ..1.),
                            rng.gen_range(-1. ..1.),
                            rng.gen_range(-1. ..1.),
                        ],
                        activation_gradient: 0.,
                    },
                ],
            },
        ],
    };
    // Train.
    let mut cumulative_error_counter: i64 = 0; // These vars are for averaging the errors.
    let mut area_error_percent_sum: f64 = 0.;
    let mut circumference_error_percent_sum: f64 = 0.;
    for training_iteration in 0..100_000_000 {
        // Inputs:
        let width: f64 = rng.gen_range(0.1..1.);
        let height: f64 = rng.gen_range(0.1..1.);
        let inputs: Vec<f64> = vec![width, height];
        // Targets (eg desired outputs):
        let area = width * height;
        let circumference_scaled = (height * 2. + width * 2.) * 0.25; // Scaled by 0.25 so it'll always be in range 0..1.
        let targets: Vec<f64> = vec![area, circumference_scaled];
        // Forward pass!
        for layer_index in 0..net.layers.len() {
            if layer_index == 0 {
                let layer = &mut net.layers[layer_index];
                for neuron in &mut layer.neurons {
                    let mut total = neuron.bias;
                    for (weight_index, weight) in neuron.weights.iter().enumerate() {
                        total += weight * inputs[weight_index];
                    }
                    neuron.value = total.tanh();
                }
            } else {
                // Workaround for Rust not allowing you to borrow two different vec elements simultaneously.
                let previous_layer: &Layer;
                unsafe { previous_layer = &*net.layers.as_ptr().add(layer_index - 1) }
                let layer = &mut net.layers[layer_index];
                for neuron in &mut layer.neurons {
                    let mut total = neuron.bias;
                    for (weight_index, weight) in neuron.weights.iter().enumerate() {
                        total += weight * previous_layer.neurons[weight_index].value;
                    }
                    neuron.value = total.tanh();
                }
            }
        }
        // Let's check the results!
        let outputs: Vec<f64> = net
            .layers
            .last()
            .unwrap()
            .neurons
            .iter()
            .map(|n| n.value)
            .collect();
        let area_error_percent = (targets[0] - outputs[0]).abs() / targets[0] * 100.;
        let circumference_error_percent = (targets[1] - outputs[1]).abs() / targets[1] * 100.;
        area_error_percent_sum += area_error_percent;
        circumference_error_percent_sum += circumference_error_percent;
        cumulative_error_counter += 1;
        if training_iteration % 10_000_000 == 0 {
            println!(
                "Iteration {} errors: area {:.3}%, circumference: {:.3}% (smaller = better)",
                training_iteration,
                area_error_percent_sum / cumulative_error_counter as f64,
                circumference_error_percent_sum / cumulative_error_counter as f64
            );
            area_error_percent_sum = 0.;
            circumference_error_percent_sum = 0.;
            cumulative_error_counter = 0;
        }
        // Backward pass! (aka backpropagation)
        let layers_len = net.layers.len();
        for layer_index in (0..layers_len).rev() {
            // Reverse the order.
            if layer_index == layers_len - 1 {
                // Last layer.
                let layer = &mut net.layers[layer_index];
                for (neuron_index, neuron) in layer.neurons.iter_mut().enumerate() {
                    neuron.activation_gradient =
                        (1. - neuron.value * neuron.value) * (neuron.value - targets[neuron_index]);
                }
            } else {
                // Workaround for Rust not allowing you to borrow two different vec elements simultaneously.
                let next_layer: &Layer;
                unsafe { next_layer = &*net.layers.as_ptr().add(layer_index + 1) }
                let layer = &mut net.layers[layer_index];
                for (this_layer_neuron_index, this_layer_neuron) in
                    layer.neurons.iter_mut().enumerate()
                {
                    let mut next_layer_gradient_sum: f64 = 0.;
                    for next_layer_neuron in &next_layer.neurons {
                        next_layer_gradient_sum += next_layer_neuron.activation_gradient
                            * next_layer_neuron.weights[this_layer_neuron_index];
                    }
                    this_layer_neuron.activation_gradient = (1.
                        - this_layer_neuron.value * this_layer_neuron.value)
                        * next_layer_gradient_sum;
                }
            }
        }
        // Training pass!
        for layer_index in 0..net.layers.len() {
            if layer_index == 0 {
                let layer = &mut net.layers[layer_index];
                for neuron in &mut layer.neurons {
                    neuron.bias -= neuron.activation_gradient * LEARNING_RATE;
                    for (weight_index, weight) in neuron.weights.iter_mut().enumerate() {
                        let gradient_for_this_weight =
                            inputs[weight_index] * neuron.activation_gradient;
                        *weight -= gradient_for_this_weight * LEARNING_RATE
                    }
                }
            } else {
                // Workaround for Rust not allowing you to borrow two different vec elements simultaneously.
                let previous_layer: &Layer;
                unsafe { previous_layer = &*net.layers.as_ptr().add(layer_index - 1) }
                let layer = &mut net.layers[layer_index];
                for neuron in &mut layer.neurons {
                    neuron.bias -= neuron.activation_gradient * LEARNING_RATE;
                    for (weight_index, weight) in neuron.weights.iter_mut().enumerate() {
                        let gradient_for_this_weight =
                            previous_layer.neurons[weight_index].value * neuron.activation_gradient;
                        *weight -= gradient_for_this_weight * LEARNING_RATE;
                    }
                }
            }
        }
    }
}
