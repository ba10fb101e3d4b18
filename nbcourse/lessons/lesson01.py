"""Lesson 01, part 1: a single neuron with two inputs."""

from nbcourse import neuron
from nbcourse.errors import number, settings
from nbcourse.sheet import Part, Sheet, formula, given, header, read_inputs

KEY = "01"
TITLE = "A single neuron"
FILE = "01-single-neuron.xlsx"
DEFAULTS = dict(input1=0.9, input2=0.8, weight1=0.7, weight2=0.6, bias=0.5, target=0.8)
HEADERS = ("Input 1", "Input 2", "Weight 1", "Weight 2", "Bias", "Net", "Output", "Target", "Loss")
# input cells and the keyword each one sets
INPUTS = dict(A2="input1", B2="input2", C2="weight1", D2="weight2", E2="bias", H2="target")


def sheet(**values):
    v = {k: number(k, x) for k, x in settings(DEFAULTS, values).items()}
    net = neuron.net([v["input1"], v["input2"]], [v["weight1"], v["weight2"]], v["bias"])
    output = neuron.output(net)
    s = Sheet("Single neuron", widths={c: 10 for c in "ABCDEFGHI"})
    for column, text in zip("ABCDEFGHI", HEADERS, strict=True):
        s[f"{column}1"] = header(text)
    for address, key in INPUTS.items():
        s[address] = given(v[key])
    s["F2"] = formula("=A2*C2+B2*D2+E2", net, 4)
    s["G2"] = formula("=TANH(F2)", output, 4)
    s["I2"] = formula("=(G2-H2)^2", neuron.squared_loss(output, v["target"]), 6)
    s.parts.append(Part("net, output and loss", "F2:I2"))
    return s


def sheets(**values):
    return [sheet(**values)]


def arguments(cells):
    return read_inputs(INPUTS, cells)
