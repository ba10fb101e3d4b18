"""Lesson 04, part 4: a 2-3-3-2 net trained by backpropagation, one row per step.

The article keeps part 4 in code ("a spreadsheet would get out of hand"). Here it
is one anyway, kept readable by naming every column: the sheet `Training` has one
row per random rectangle, its columns grouped by pass (forward values, backward
activation gradients, the biases and weights the training pass nudges) and by
layer; the sheet `One step` walks the first row down the page, pass by pass.
Each formula does its sums and products in network.py's order, so the engine's
numbers are the readable trainer's, whose values are cached in the workbook.
"""

import math

import numpy as np
from xlsxwriter.utility import xl_col_to_name

from nbcourse import errors, network
from nbcourse.errors import CourseError, Diverged
from nbcourse.sheet import Chart, Part, Sheet, constant, formula, given, header, label, note

KEY = "04"
TITLE = "Many layers of many neurons"
FILE = "04-backpropagation.xlsx"
DEFAULTS = dict(learning_rate=0.001, seed=network.SEED, steps=1000)
SIZES = network.SIZES  # 2 inputs, 3, 3, 2 neurons
LAYERS = range(1, len(SIZES))  # 1, 2, 3
FIRST = 3  # the first step's row; rows 1 and 2 are headers
WINDOW = 50  # steps in the moving average of the errors
LAYER_FILLS = {1: "#e2efda", 2: "#fce4d6", 3: "#e4dfec"}
GREY = "#ededed"


def name(layer, neuron):
    return f"L{layer}N{neuron}"


def parameter_titles():
    """The flat parameter vector's titles: L1N1 bias, L1N1 w1, L1N1 w2, L1N2 bias, ..."""
    return [f"{name(layer, neuron)} {part}" for layer in LAYERS
            for neuron in range(1, SIZES[layer] + 1)
            for part in ("bias", *(f"w{i}" for i in range(1, SIZES[layer - 1] + 1)))]


def neuron_titles(what, layers):
    return [f"{name(layer, neuron)} {what}" for layer in layers
            for neuron in range(1, SIZES[layer] + 1)]


# Row 2's titles, left to right: the rectangle, what it should give and gives, then one group
# per pass and layer: forward values (layer 1 to 3), backward gradients (3 to 1, the order they
# are worked out in), and the biases and weights (layer 1 to 3).
SUMMARY = ["Target area", "Target circumference", "Output area", "Output circumference",
           "Area error %", "Circumference error %", f"Area error %, last {WINDOW} steps",
           f"Circumference error %, last {WINDOW} steps"]
TITLES = (["Step", "Width", "Height", *SUMMARY, *neuron_titles("value", LAYERS),
           *neuron_titles("activation gradient", reversed(LAYERS)), *parameter_titles()])
COLUMN = {title: xl_col_to_name(index) for index, title in enumerate(TITLES)}
CHART = xl_col_to_name(len(TITLES) + 1)  # the chart's column, right of the last one
PARAMETERS = [COLUMN[title] for title in parameter_titles()]  # columns of the flat vector
# every input cell a learner may change, and the keyword of sheet() it feeds
INPUTS = {"B1": "learning_rate",
          **{f"{column}{FIRST}": "parameters" for column in PARAMETERS},
          **{f"{column}{r}": "samples" for r in range(FIRST, FIRST + DEFAULTS["steps"])
             for column in "BC"}}


def _groups():
    """Row 1's group headers: (first title, last title, text, fill)."""
    result = [("Target area", SUMMARY[-1], "Targets, outputs and errors (chart at column "
               f"{CHART})", GREY)]
    for layer in LAYERS:
        last = " (the outputs)" if layer == LAYERS[-1] else ""
        result.append((f"{name(layer, 1)} value", f"{name(layer, SIZES[layer])} value",
                       f"Forward pass: layer {layer}{last}", LAYER_FILLS[layer]))
    for layer in reversed(LAYERS):
        result.append((f"{name(layer, 1)} activation gradient",
                       f"{name(layer, SIZES[layer])} activation gradient",
                       f"Backward pass: layer {layer}", LAYER_FILLS[layer]))
    for layer in LAYERS:
        titles = [t for t in parameter_titles() if t.startswith(f"L{layer}N")]
        result.append((titles[0], titles[-1], f"Layer {layer} biases and weights, nudged by "
                       "the training pass of the row above", LAYER_FILLS[layer]))
    return result


GROUPS = _groups()
# each title's colour in row 2: its group's
FILLS = {title: fill for first, last, _, fill in GROUPS
         for title in TITLES[TITLES.index(first):TITLES.index(last) + 1]}


# -- the maths: network.py's readable passes, one step at a time ------------------------------

def train_steps(parameters, samples, learning_rate):
    """Run network.py's passes on each rectangle; return one record per step and the trained
    parameters. A record holds what the step's row shows, parameters as they were before it."""
    net = network.from_parameters(parameters, SIZES)
    records = []
    for width, height in samples:
        inputs = [width, height]
        targets = network.targets(width, height)
        before = network.parameters(net).tolist()
        outputs = network.forward_pass(net, inputs)
        network.backward_pass(net, targets)
        neurons = {name(layer, n): neuron for layer in LAYERS
                   for n, neuron in enumerate(net.layers[layer - 1].neurons, start=1)}
        records.append(dict(
            width=width, height=height, targets=targets, outputs=outputs,
            errors=[network.error_percent(t, o) for t, o in zip(targets, outputs)],
            nets={key: neuron.net for key, neuron in neurons.items()},
            values={key: neuron.value for key, neuron in neurons.items()},
            gradients={key: neuron.activation_gradient for key, neuron in neurons.items()},
            parameters=dict(zip(parameter_titles(), before, strict=True))))
        network.training_pass(net, inputs, learning_rate)
    trained = network.parameters(net)
    if not np.all(np.isfinite(trained)):
        raise Diverged(len(samples), "the weights and biases")
    return records, dict(zip(parameter_titles(), trained.tolist(), strict=True))


def moving_average(numbers, end):
    """Mean of the last WINDOW numbers up to index end (fewer at the start)."""
    window = numbers[max(0, end - WINDOW + 1):end + 1]
    return math.fsum(window) / len(window)


def setup(**values):
    """Checked arguments, and the run: (learning rate, records, trained parameters)."""
    v = errors.settings(DEFAULTS, values, extra=("parameters", "samples"))
    learning_rate = errors.positive("learning rate", v["learning_rate"])
    steps = errors.count("steps", v["steps"])
    rng = np.random.default_rng(errors.seed(v["seed"]))
    parameters = network.parameters(network.new_net(rng, SIZES))  # the same draws as fast's
    samples = [network.sample(rng) for _ in range(steps)]
    if v.get("parameters") is not None:
        parameters = errors.parameters(v["parameters"], SIZES)
    if v.get("samples") is not None:
        samples = [(errors.positive("width", w), errors.positive("height", h))
                   for w, h in v["samples"]]
        if len(samples) != steps:
            raise CourseError(f"{len(samples)} rectangles for {steps} steps: give as many as steps.")
    records, trained = train_steps(parameters, samples, learning_rate)
    return learning_rate, records, trained


# -- the formulas, written once for both sheets -------------------------------------------------
# `cell(what)` gives the address holding `what` ("Width", "L1N2 w1", "L2N1 value", ...): one row
# of the Training sheet, or the One step sheet's list. Sums and products go in network.py's order,
# so that a spreadsheet engine computes the trainer's very doubles.

def fed(layer, i):
    """What feeds weight i of a layer-`layer` neuron: the width or height, or a value."""
    return ("Width", "Height")[i - 1] if layer == 1 else f"{name(layer - 1, i)} value"


def net_formula(key, layer, cell):
    """bias + w1 * input 1 + w2 * input 2 ... (the forward pass's total), without the '='."""
    return "+".join([cell(f"{key} bias")] + [f"{cell(f'{key} w{w}')}*{cell(fed(layer, w))}"
                                             for w in range(1, SIZES[layer - 1] + 1)])


def gradient_formula(layer, n, cell):
    """A neuron's activation gradient: (1 - value^2) times its error (the last layer) or the
    sum over the next layer's neurons of their activation gradient x their weight from it."""
    v = cell(f"{name(layer, n)} value")
    if layer == LAYERS[-1]:
        return f"=(1-{v}*{v})*({v}-{cell(('Target area', 'Target circumference')[n - 1])})"
    following = name(layer + 1, 1)[:-1]  # "L3N"
    total = "+".join(f"{cell(f'{following}{m} activation gradient')}*{cell(f'{following}{m} w{n}')}"
                     for m in range(1, SIZES[layer + 1] + 1))
    return f"=(1-{v}*{v})*({total})"


def nudge_formula(title, cell):
    """The training pass for one bias or weight: it moves against its gradient."""
    key, part = title.split(" ")
    gradient = cell(f"{key} activation gradient")
    if part == "bias":
        return f"={cell(title)}-{gradient}*LEARNING_RATE"
    return f"={cell(title)}-{cell(fed(int(key[1]), int(part[1:])))}*{gradient}*LEARNING_RATE"


# -- the sheets --------------------------------------------------------------------------------

def row_cells(r):
    """cell() for row r of the Training sheet."""
    return lambda what: f"{COLUMN[what]}{r}"


def training(learning_rate, records, trained):
    s = Sheet("Training", freeze=f"D{FIRST}", names={"LEARNING_RATE": "B1"},
              widths={"A": 13, "B": 10, "C": 9,
                      **{COLUMN[t]: max(11, len(t) + 2) for t in TITLES[3:]}})
    s["A1"] = label("Learning rate")
    s["B1"] = given(learning_rate)
    for first, last, text, fill in GROUPS:
        s[f"{COLUMN[first]}1"] = header(text, fill)
        s.merges.append(f"{COLUMN[first]}1:{COLUMN[last]}1")
    for title in TITLES:
        s[f"{COLUMN[title]}2"] = header(title, FILLS.get(title))

    c = COLUMN
    area_errors = [record["errors"][0] for record in records]
    circumference_errors = [record["errors"][1] for record in records]
    for i, record in enumerate(records):
        r = FIRST + i
        cell = row_cells(r)
        s[f"A{r}"] = constant(i + 1)
        s[f"B{r}"], s[f"C{r}"] = given(record["width"], 4), given(record["height"], 4)
        area, circumference = record["targets"]
        s[f"{c['Target area']}{r}"] = formula(f"=B{r}*C{r}", area, 4)
        s[f"{c['Target circumference']}{r}"] = formula(f"=(C{r}*2+B{r}*2)*0.25", circumference, 4)
        for what, output, target, error, average, series in (
                ("area", 0, "Target area", "Area error %", SUMMARY[-2], area_errors),
                ("circumference", 1, "Target circumference", "Circumference error %",
                 SUMMARY[-1], circumference_errors)):
            out = c[f"Output {what}"]
            s[f"{out}{r}"] = formula(f"={c[f'{name(LAYERS[-1], output + 1)} value']}{r}",
                                     record["outputs"][output], 6)
            t, e = c[target], c[error]
            s[f"{e}{r}"] = formula(f"=ABS({t}{r}-{out}{r})/{t}{r}*100", record["errors"][output], 2)
            start = f"{e}${FIRST}" if r < FIRST + WINDOW - 1 else f"{e}{r - WINDOW + 1}"
            s[f"{c[average]}{r}"] = formula(f"=AVERAGE({start}:{e}{r})",
                                            moving_average(series, i), 2)
        for layer in LAYERS:
            for n in range(1, SIZES[layer] + 1):
                key = name(layer, n)
                s[cell(f"{key} value")] = formula(f"=TANH({net_formula(key, layer, cell)})",
                                                  record["values"][key], 6)
        for layer in reversed(LAYERS):
            for n in range(1, SIZES[layer] + 1):
                key = name(layer, n)
                s[cell(f"{key} activation gradient")] = formula(gradient_formula(layer, n, cell),
                                                                record["gradients"][key], 8)
        for title in parameter_titles():
            if r == FIRST:
                s[cell(title)] = given(record["parameters"][title], 6)
            else:
                s[cell(title)] = formula(nudge_formula(title, row_cells(r - 1)),
                                         record["parameters"][title], 6)
    trained_row = FIRST + len(records)
    s[f"A{trained_row}"] = label("Trained")
    for title in parameter_titles():
        s[f"{c[title]}{trained_row}"] = formula(nudge_formula(title, row_cells(trained_row - 1)),
                                                trained[title], 6)

    last = FIRST + len(records) - 1
    s.charts.append(Chart(f"Errors over the steps (mean of the last {WINDOW})", f"A{FIRST}:A{last}",
                          f"{c[SUMMARY[-2]]}{FIRST}:{c[SUMMARY[-2]]}{last}", "Step", "Error %",
                          f"{CHART}{FIRST}", name="Area error %",
                          more=(("Circumference error %",
                                 f"{c[SUMMARY[-1]]}{FIRST}:{c[SUMMARY[-1]]}{last}"),)))
    return s


def one_step(learning_rate, records, trained, standalone=False):
    """The first step down the page: inputs, forward, backward, training pass.

    In the course workbook its inputs point at the Training sheet (=Training!B3); standalone
    (lesson 04's blank, a sheet of its own) they are input cells holding the same numbers, and
    LEARNING_RATE names its own learning rate cell."""
    record = records[0]
    after = records[1]["parameters"] if len(records) > 1 else trained
    after_row = FIRST + 1
    s = Sheet("One step", freeze="A2", widths=dict(A=30, B=22, C=92))
    s.row(1, A=header("Step 1 of the Training sheet"), B=header("Value"),
          C=header("How it is worked out (the article's pseudocode)"))
    at = {}  # what -> its value cell on this sheet
    cell = at.__getitem__
    parts = []  # [name, first row, last row] of each section
    r = 1

    def section(text, fill, part):
        nonlocal r
        r += 1
        s[f"A{r}"] = label(text, fill)
        s.merges.append(f"A{r}:C{r}")
        parts.append([part, r + 1, r + 1])

    def line(what, value, how):
        nonlocal r
        r += 1
        s[f"A{r}"], s[f"B{r}"], s[f"C{r}"] = label(what), value, note(how)
        at[what] = f"B{r}"
        parts[-1][2] = r

    def given_line(what, value, address):
        """An input: the Training sheet's cell, or standalone a number of its own."""
        if standalone:
            line(what, given(value), f"Given: step 1's, as in the course workbook's Training sheet "
                                     f"({address})")
        else:
            line(what, formula(f"=Training!{address}", value), f"From the Training sheet ({address})")

    section("Inputs and targets", GREY, "the targets")
    given_line("Width", record["width"], f"B{FIRST}")
    given_line("Height", record["height"], f"C{FIRST}")
    area, circumference = record["targets"]
    line("Target area", formula(f"={at['Width']}*{at['Height']}", area), "width × height")
    line("Target circumference",
         formula(f"=({at['Height']}*2+{at['Width']}*2)*0.25", circumference),
         "(height × 2 + width × 2) × 0.25: scaled by 0.25 to stay below 1, which tanh can't pass")

    for layer in LAYERS:
        section(f"Forward pass, layer {layer}: total = bias, then total += weight × input "
                "for each weight; value = tanh(total)", LAYER_FILLS[layer], f"forward pass, layer {layer}")
        inputs = "the width and height" if layer == 1 else f"layer {layer - 1}'s values"
        for n in range(1, SIZES[layer] + 1):
            key = name(layer, n)
            for part in ("bias", *(f"w{w}" for w in range(1, SIZES[layer - 1] + 1))):
                title = f"{key} {part}"
                given_line(title, record["parameters"][title], f"{COLUMN[title]}{FIRST}")
            line(f"{key} net", formula("=" + net_formula(key, layer, cell), record["nets"][key]),
                 f"bias + w1 × input 1 + w2 × input 2 ... (the inputs are {inputs})")
            line(f"{key} value", formula(f"=TANH({at[key + ' net']})", record["values"][key]),
                 "tanh(net)" + (": the net's output" if layer == LAYERS[-1] else ""))
    section("Outputs and errors (before training)", GREY, "outputs and errors")
    for what, n, target in (("area", 1, "Target area"), ("circumference", 2, "Target circumference")):
        line(f"Output {what}", formula(f"={at[name(LAYERS[-1], n) + ' value']}", record["outputs"][n - 1]),
             f"The last layer's neuron {n}")
        line(f"{what.capitalize()} error %",
             formula(f"=ABS({at[target]}-{at['Output ' + what]})/{at[target]}*100",
                     record["errors"][n - 1]),
             "|target − output| / target × 100")

    for layer in reversed(LAYERS):
        if layer == LAYERS[-1]:
            how = "(1 − value²) × (value − target): the slope of tanh times the error"
        else:
            how = (f"(1 − value²) × the sum over layer {layer + 1}'s neurons of their activation "
                   "gradient × their weight from this neuron")
        section(f"Backward pass, layer {layer} (last layer first)", LAYER_FILLS[layer],
                f"backward pass, layer {layer}")
        for n in range(1, SIZES[layer] + 1):
            key = name(layer, n)
            line(f"{key} activation gradient",
                 formula(gradient_formula(layer, n, cell), record["gradients"][key]), how)

    section("Training pass: every bias and weight moves against its gradient, scaled by the "
            "learning rate", GREY, "learning rate")
    given_line("Learning rate", learning_rate, "B1")
    if standalone:
        s.names = {"LEARNING_RATE": at["Learning rate"]}
    for layer in LAYERS:
        section(f"Training pass, layer {layer}: nudge each bias and weight against its gradient",
                LAYER_FILLS[layer], f"training pass, layer {layer}")
        for n in range(1, SIZES[layer] + 1):
            key = name(layer, n)
            for part in ("bias", *(f"w{w}" for w in range(1, SIZES[layer - 1] + 1))):
                title = f"{key} {part}"
                where = (f"Training sheet {COLUMN[title]}{after_row}" if len(records) > 1
                         else f"the Training sheet's trained row, {COLUMN[title]}{after_row}")
                if standalone:
                    where = f"the course workbook's Training sheet {COLUMN[title]}{after_row}"
                if part == "bias":
                    how = f"bias − activation gradient × learning rate (as {where})"
                else:
                    how = (f"weight − input × activation gradient × learning rate; input × "
                           f"activation gradient is this weight's gradient (as {where})")
                line(f"{key} new {part}", formula(nudge_formula(title, cell), after[title]), how)
    s.parts = [Part(text, f"B{first}:B{last}") for text, first, last in parts
               if any(s[f"B{row}"].kind == "formula" for row in range(first, last + 1))]
    return s


def sheets(**values):
    learning_rate, records, trained = setup(**values)
    return [training(learning_rate, records, trained), one_step(learning_rate, records, trained)]


def sheet(**values):
    """The Training sheet (the workbook's first)."""
    learning_rate, records, trained = setup(**values)
    return training(learning_rate, records, trained)


def arguments(cells):
    """sheet() keywords from a workbook's Training cells: the learning rate, the first row's
    biases and weights, and every step's width and height."""
    steps = 0
    while f"B{FIRST + steps}" in cells:
        steps += 1
    return dict(learning_rate=cells.get("B1"), steps=steps,
                parameters=[cells.get(f"{column}{FIRST}") for column in PARAMETERS],
                samples=[(cells.get(f"B{r}"), cells.get(f"C{r}"))
                         for r in range(FIRST, FIRST + steps)])


# -- the blank: the One step sheet on its own ---------------------------------------------------

def blank(**values):
    """The One step sheet standalone: step 1 for the article's values (or `values`, as for sheets())."""
    learning_rate, records, trained = setup(**{"steps": 1, **values})
    return one_step(learning_rate, records, trained, standalone=True)


def _blank_cells():
    """What -> address of each input of the standalone One step sheet (its layout is fixed)."""
    page = blank()
    return {page.value(f"A{address[1:]}"): address for address, c in page.cells.items()
            if c.kind == "input"}


BLANK_CELLS = _blank_cells()
BLANK_INPUTS = {address: what for what, address in BLANK_CELLS.items()}


def blank_arguments(cells):
    """blank() keywords from a standalone One step sheet's cells."""
    at = {what: cells.get(address) for what, address in BLANK_CELLS.items()}
    return dict(learning_rate=at["Learning rate"], steps=1, samples=[(at["Width"], at["Height"])],
                parameters=[at[title] for title in parameter_titles()])
