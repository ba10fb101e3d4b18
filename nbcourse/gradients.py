"""Part 2: how much each value of a single neuron moves the loss.

Real gradients come from calculus (local gradients, combined backwards by the
chain rule); faux gradients come from nudging a value by `tiny` and watching the
loss. The two agree, which is how we know the calculus is right.
"""

from nbcourse import neuron


def forward(input, weight, bias, target):
    """Every value of the neuron, from input to loss (row 2 of the sheet)."""
    net = neuron.net([input], [weight], bias)
    output = neuron.output(net)
    error = neuron.error(output, target)
    return dict(input=input, weight=weight, bias=bias, net=net, output=output,
                target=target, error=error, loss=neuron.loss(error))


def local_gradients(values):
    """How much each stage moves the next one (row 3 of the sheet)."""
    return dict(
        input=values["weight"],  # d net / d input
        weight=values["input"],  # d net / d weight
        bias=1.0,  # d net / d bias
        net=neuron.tanh_gradient(values["output"]),  # d output / d net
        output=neuron.loss_gradient(values["error"]),  # d loss / d output: d error/d output is 1
    )


def global_gradients(local):
    """How much each value moves the loss: the chain rule, from the back (row 4)."""
    output = local["output"]
    net = local["net"] * output
    return dict(input=local["input"] * net, weight=local["weight"] * net, bias=net,
                net=net, output=output)


def faux_gradient(loss_after_nudge, loss_before, tiny):
    """(f(x + tiny) - f(x)) / tiny: the slope measured instead of derived."""
    return (loss_after_nudge - loss_before) / tiny


def faux_gradients(input, weight, bias, target, tiny=0.0001):
    """Nudge each stage by `tiny`, run the rest of the neuron, measure the loss (rows 6-10)."""
    values = forward(input, weight, bias, target)
    nudged = {name: forward(**{**values_in(values), name: values[name] + tiny})
              for name in ("input", "weight", "bias")}
    # net and output sit inside the neuron: nudge them and carry on from there
    net = values["net"] + tiny
    output = neuron.output(net)
    nudged["net"] = dict(values, net=net, output=output, error=neuron.error(output, target))
    output = values["output"] + tiny
    nudged["output"] = dict(values, output=output, error=neuron.error(output, target))
    for row in (nudged["net"], nudged["output"]):
        row["loss"] = neuron.loss(row["error"])
    return {name: dict(row, faux_gradient=faux_gradient(row["loss"], values["loss"], tiny))
            for name, row in nudged.items()}


def values_in(values):
    """The neuron's own inputs among its values: what `forward` takes."""
    return {k: values[k] for k in ("input", "weight", "bias", "target")}
