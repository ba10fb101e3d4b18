"""Pictures of the computation graph: lesson 02's neuron and lesson 04's net, as SVG text.

    from nbcourse import graph
    graph.neuron(input=0.4, weight=0.5, bias=0.6, target=0.7, show="global")  # "values" | "local" | "global"
    graph.network(net, inputs, targets, focus=(2, 1), show="backward")      # "forward" | "backward"

Each returns a Picture: a notebook shows it, and its `.svg` is the SVG text (an explorer
puts that in an ipywidgets.HTML). Positions are worked out here and the SVG written as
text, so a redraw is string formatting (tens of microseconds; matplotlib took over 100 ms
for a picture like these), crisp at any size, with no random ids: the same numbers give
the same text. The numbers come from nbcourse's maths (gradients, network's passes).
"""

import html
import math

from nbcourse import errors, gradients
from nbcourse import network as backprop  # graph.network is this module's picture of a net
from nbcourse import neuron as maths
from nbcourse.lessons import lesson02
from nbcourse.sheet import Cell, display

INPUT, FORMULA, GRADIENT = "#fff4c2", "#e8f1fb", "#fdecea"  # the tables' yellow and blue; gradients
INK, GREY, RED, FOCUS = "#222", "#888", "#a40000", "#c05000"
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"


class Picture:
    """An SVG picture: notebooks show it, `.svg` is its text."""

    def __init__(self, svg, text):
        self.svg = svg
        self.text = text

    def _repr_svg_(self):
        return self.svg

    def __repr__(self):
        return self.text


# -- drawing: each function returns SVG text ---------------------------------------------------

def text(x, y, words, size=12, anchor="middle", fill=INK, bold=False, halo=False):
    weight = ' font-weight="bold"' if bold else ""
    # a white outline behind the letters keeps a label readable where it crosses a line
    outline = ' stroke="#fff" stroke-width="3" paint-order="stroke"' if halo else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}"{weight}{outline}>{html.escape(words)}</text>')


def box(x, y, width, height, fill, stroke=INK, stroke_width=1):
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" rx="4" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width}"/>')


def arrow(x1, y1, x2, y2, colour=INK, width=1.2, dashed=False, tip=True):
    """A line from (x1, y1) to (x2, y2), its head drawn as a triangle (no <marker>: no ids)."""
    dash = ' stroke-dasharray="5 3"' if dashed else ""
    line = (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
            f'stroke-width="{width:.2f}"{dash}/>')
    if not tip:
        return line
    length = math.hypot(x2 - x1, y2 - y1)
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    bx, by = x2 - 8 * ux, y2 - 8 * uy
    points = f"{x2:.1f},{y2:.1f} {bx - 4 * uy:.1f},{by + 4 * ux:.1f} {bx + 4 * uy:.1f},{by - 4 * ux:.1f}"
    return line + f'<polygon points="{points}" fill="{colour}"/>'


def beside(x1, y1, x2, y2, words, side, size=11, fill=INK, bold=False, at=0.5, gap=10):
    """A label beside a line, on one side of it (-1 or 1), clear of it whatever its slope."""
    length = math.hypot(x2 - x1, y2 - y1)
    nx, ny = -(y2 - y1) / length * side, (x2 - x1) / length * side  # side 1: below a rightward line
    x, y = x1 + (x2 - x1) * at + nx * gap, y1 + (y2 - y1) * at + ny * gap
    anchor = "start" if nx > 0.3 else "end" if nx < -0.3 else "middle"
    return text(x, y + (size * 0.75 if ny > 0.3 else 0), words, size, anchor, fill, bold, halo=True)


def document(width, height, title, parts):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="{FONT}" role="img" '
            f'style="max-width: 100%; height: auto;"><title>{html.escape(title)}</title>'
            + "".join(parts) + "</svg>")


def number(value, decimals):
    """As the sheet shows it (sheet.display): `decimals` places, or in full when None."""
    return display(Cell(value, decimals=decimals))


# -- lesson 02: one neuron ----------------------------------------------------------------------

NEURON_STAGES = ("values", "local", "global")
SHEET = lesson02.sheet()  # the layout: each cell's formula and decimals (its values are redone below)
CELL = {stage: f"{column}2" for column, stage in lesson02.CHAIN.items()}  # "net" -> "E2"
BOX_WIDTH, TOP, GRADIENT_HEIGHT = 124, 58, 40  # a box: the value part, then the gradient part
# where each box's top-left corner sits
PLACES = dict(input=(10, 20), weight=(10, 140), bias=(10, 260), net=(250, 140), output=(460, 140),
              error=(670, 140), loss=(900, 140), target=(670, 290))
WIDTH = 1034
EDGES = (("input", "net"), ("weight", "net"), ("bias", "net"), ("net", "output"),
         ("output", "error"), ("target", "error"), ("error", "loss"))


def neuron(input=0.4, weight=0.5, bias=0.6, target=0.7, show="global"):
    """Lesson 02's neuron as a computation graph, one box per value, named by its cell.

    show: "values" (the forward pass, row 2), "local" (and the local gradients on the
    arrows, row 3) or "global" (and each value's global gradient, row 4, flowing back
    from the loss: the local gradient on its arrow times the global gradient after it).
    """
    if show not in NEURON_STAGES:
        raise errors.CourseError(f"show must be one of {', '.join(NEURON_STAGES)}, not {show!r}.")
    given = dict(input=input, weight=weight, bias=bias, target=target)
    values = gradients.forward(**{k: errors.number(k, v) for k, v in given.items()})
    local = gradients.local_gradients(values)
    global_ = gradients.global_gradients(local)
    # the sheet folds two stages into F3 (d loss/d output); the picture shows both
    f3 = local["output"]
    local["output"] = 1.0  # d error/d output
    local["error"] = maths.loss_gradient(values["error"])  # d loss/d error
    global_["error"] = local["error"]  # times d loss/d loss, which is 1
    global_["loss"] = 1.0

    def cell(address):
        return SHEET[address]

    parts = []
    height = TOP + (GRADIENT_HEIGHT if show == "global" else 0)

    def middle(name):  # where arrows meet a box: halfway down its value part
        x, y = PLACES[name]
        return x, y + TOP / 2

    for source, destination in EDGES:
        sx, sy = middle(source)
        dx, dy = middle(destination)
        x1, y1 = sx + BOX_WIDTH, sy
        x2, y2 = dx, dy + (("input", "weight", "bias").index(source) - 1) * 16 if destination == "net" else dy
        if source == "target":  # from below, into the error box's bottom
            x1, y1 = sx + BOX_WIDTH / 2, PLACES["target"][1]
            x2, y2 = dx + BOX_WIDTH / 2, dy - TOP / 2 + height
        parts.append(arrow(x1, y1, x2, y2, GREY if source == "target" else INK))
        if show == "values" or source == "target":
            continue
        row3 = {"input": "B3", "weight": "C3", "bias": "D3", "net": "E3"}.get(source)
        if row3:
            words = f"{row3} {number(local[source], cell(row3).decimals)}"
        elif source == "output":
            words = "1"
        else:
            words = f"error {number(local['error'], 4)}"
        at = 0.62 if source in ("input", "bias") else 0.5  # clear of the boxes on the left
        parts.append(beside(x1, y1, x2, y2, words, -1, bold=True, at=at))
        if show == "global":  # the global gradient flowing back, multiplied by this local gradient
            nx, ny = -(y2 - y1), (x2 - x1)
            k = 7 / math.hypot(nx, ny)
            parts.append(arrow(x2 + nx * k, y2 + ny * k, x1 + nx * k, y1 + ny * k, RED, dashed=True))
            parts.append(beside(x1, y1, x2, y2, f"× {words.split()[-1]}", 1, fill=RED, at=at, gap=16))

    for name, (x, y) in PLACES.items():
        formula = name in ("net", "output", "error", "loss")
        tall = show == "global" and name != "target"
        parts.append(box(x, y, BOX_WIDTH, TOP + (GRADIENT_HEIGHT if tall else 0),
                         FORMULA if formula else INPUT))
        address = CELL[name]
        parts.append(f'<text x="{x + BOX_WIDTH / 2:.1f}" y="{y + 16:.1f}" font-size="12" '
                     f'text-anchor="middle" fill="{INK}"><tspan font-weight="bold">{name}</tspan> '
                     f'{address}</text>')
        parts.append(text(x + BOX_WIDTH / 2, y + 35, number(values[name], cell(address).decimals), 15))
        if formula:
            parts.append(text(x + BOX_WIDTH / 2, y + 51, cell(address).formula, 11, fill=GREY))
        if tall:
            parts.append(box(x, y + TOP, BOX_WIDTH, GRADIENT_HEIGHT, GRADIENT, RED))
            row4 = address[0] + "4"
            if row4 in SHEET.cells:
                how, decimals = f"{row4} {cell(row4).formula}", cell(row4).decimals
            else:
                how, decimals = ("error × 1 (no cell)", 4) if name == "error" else ("d loss/d loss", None)
            parts.append(text(x + BOX_WIDTH / 2, y + TOP + 15, how, 11, fill=RED))
            parts.append(text(x + BOX_WIDTH / 2, y + TOP + 33, number(global_[name], decimals), 14, fill=RED,
                              bold=True))

    notes = ["Forward: each box is a cell of the sheet's row 2, worked out from the boxes on its left."]
    if show != "values":
        notes += ["On each arrow, its local gradient (row 3): how much the next value moves per unit of "
                  "this one.",
                  f"F3 = 1 × {number(local['error'], 4)} = {number(f3, 4)}: the sheet folds output → error "
                  "and error → loss into one cell."]
    if show == "global":
        notes += ["In red, each value's global gradient (row 4): how much the loss moves per unit of it,",
                  "worked out backwards from the loss: the local gradient on its arrow × the global "
                  "gradient after it. Rates multiply."]
    for i, words in enumerate(notes):
        parts.append(text(10, 370 + 18 * i, words, 12, anchor="start"))
    title = f"The neuron as a computation graph ({show})"
    return Picture(document(WIDTH, 370 + 18 * len(notes), title, parts), f"<{title}: .svg holds the picture>")


# -- lesson 04: the 2-3-3-2 net ------------------------------------------------------------------

NETWORK_STAGES = ("forward", "backward")
NEURON_WIDTH, ROW, COLUMN = 150, 120, 290  # a neuron's box; the spacing of rows and layers


def network(net, inputs, targets, focus=(2, 1), show="backward"):
    """Lesson 04's net on one rectangle: each neuron's bias, net and value (the forward pass)
    and, with show="backward", its activation gradient; the weights on the arrows.

    focus=(layer, neuron), counted from 1 as the notebook does, highlights one neuron and spells out
    its sums: forward, net = bias + each weight × what it feeds on; backward, the fan-out sum,
    (1 - value²) × the sum over the next layer of (activation gradient × weight from it).
    The passes run on a copy of `net` (yours is left as it was); focus=None highlights none.
    """
    if show not in NETWORK_STAGES:
        raise errors.CourseError(f"show must be one of {', '.join(NETWORK_STAGES)}, not {show!r}.")
    if not isinstance(net, backprop.Net):
        raise errors.CourseError(f"net must be a network.Net, such as network.new_net(rng), not {net!r}.")
    sizes = net.sizes
    inputs = [errors.number("each input", x) for x in _sequence("inputs", inputs, sizes[0])]
    targets = [errors.number("each target", t) for t in _sequence("targets", targets, sizes[-1])]
    if focus is not None:
        try:
            layer, index = (errors.count("the focus's layer", focus[0]),
                            errors.count("the focus's neuron", focus[1]))
        except (TypeError, IndexError):
            raise errors.CourseError(f"focus must be (layer, neuron), such as (2, 1), "
                                     f"not {focus!r}.") from None
        if layer >= len(sizes) or index > sizes[layer]:
            raise errors.CourseError(f"focus {focus} is not in this net: its layers are 1 to "
                                     f"{len(sizes) - 1}, with {', '.join(map(str, sizes[1:]))} neurons.")
        focus = (layer, index)
    net = backprop.from_parameters(backprop.parameters(net), sizes)
    backprop.forward_pass(net, inputs)
    backprop.backward_pass(net, targets)

    rectangle = sizes[0] == 2 and sizes[-1] == 2
    input_names = ["width", "height"] if rectangle else [f"input {i}" for i in range(1, sizes[0] + 1)]
    output_names = ["area", "circumference × 0.25"] if rectangle else [None] * sizes[-1]
    backward = show == "backward"
    tallest = max(sizes)
    height = 64 + (34 if backward else 0)  # a neuron's box

    def place(column, row, count):  # top-left corner of a box, each column centred on the tallest
        return 10 + column * COLUMN, 10 + (row + (tallest - count) / 2) * ROW

    def title(name, words, x, y):
        return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="12" text-anchor="middle" fill="{INK}">'
                f'<tspan font-weight="bold">{html.escape(name)}</tspan>{html.escape(words)}</text>')

    parts, labels = [], []
    for i, (name, value) in enumerate(zip(input_names, inputs)):
        x, y = place(0, i, sizes[0])
        parts.append(box(x + 40, y + 10, NEURON_WIDTH - 40, 44, INPUT))
        parts.append(title(name, "", x + 20 + NEURON_WIDTH / 2, y + 27))
        parts.append(text(x + 20 + NEURON_WIDTH / 2, y + 46, number(value, 6), 13))
    for depth, layer in enumerate(net.layers, start=1):
        fed = sizes[depth - 1]
        for n, cell in enumerate(layer.neurons, start=1):
            x, y = place(depth, n - 1, len(layer.neurons))
            focused = focus == (depth, n)
            # arrows in: one per weight, from what this neuron feeds on
            for w, weight in enumerate(cell.weights, start=1):
                sx, sy = place(depth - 1, w - 1, fed)
                x1, y1, x2, y2 = sx + NEURON_WIDTH, sy + 32, x, y + 32
                lit = focus is not None and ((focused and not backward) or
                                             (backward and focus == (depth - 1, w)))
                colour = FOCUS if lit else GREY
                parts.append(arrow(x1, y1, x2, y2, colour, 2.2 if lit else 0.8))
                labels.append(beside(x1, y1, x2, y2, number(weight, 6), -1, 10, FOCUS if lit else "#555",
                                     bold=lit, at=0.66, gap=2))
            parts.append(box(x, y, NEURON_WIDTH, height, FORMULA, FOCUS if focused else INK,
                             3 if focused else 1))
            parts.append(title(f"layer {depth} neuron {n}", "", x + NEURON_WIDTH / 2, y + 15))
            lines = [f"bias {number(cell.bias, 6)}", f"net {number(cell.net, 6)}",
                     f"value {number(cell.value, 6)}"]
            for i, words in enumerate(lines):
                parts.append(text(x + NEURON_WIDTH / 2, y + 31 + 15 * i, words, 11, bold=i == 2))
            if backward:
                parts.append(box(x, y + 64, NEURON_WIDTH, 34, GRADIENT, RED))
                parts.append(text(x + NEURON_WIDTH / 2, y + 77, "activation gradient", 10, fill=RED))
                parts.append(text(x + NEURON_WIDTH / 2, y + 93, number(cell.activation_gradient, 6), 12,
                                  fill=RED, bold=True))
            if depth == len(net.layers):  # what the output should be, beside it
                beside_lines = [f"target {number(targets[n - 1], 6)}"]
                if backward:
                    beside_lines.append(f"error {number(maths.error(cell.value, targets[n - 1]), 6)}")
                if output_names[n - 1]:
                    beside_lines.insert(0, output_names[n - 1])
                for i, words in enumerate(beside_lines):
                    parts.append(text(x + NEURON_WIDTH + 8, y + 16 + 15 * i, words, 11, "start",
                                      bold=i == 0 and bool(output_names[n - 1])))
    parts += labels  # on top of every arrow

    top = 10 + tallest * ROW + 8
    notes = _spelled_out(net, inputs, targets, input_names, focus, backward) if focus else []
    notes.append("Weights on the arrows, near the neuron they belong to. Forward pass: net = bias + "
                 "each weight × what it feeds on; value = tanh(net).")
    if backward:
        notes.append("Backward pass, last layer first: a neuron's activation gradient is how much the loss "
                     "moves per unit of its net.")
    for i, words in enumerate(notes):
        colour = FOCUS if i < len(notes) - 1 - backward else INK  # the focus's lines in its colour
        parts.append(text(10, top + 18 * i, words, 12, "start", colour))
    width = 10 + (len(sizes) - 1) * COLUMN + NEURON_WIDTH + 140
    title_ = f"The net {sizes} on one rectangle ({show} pass)"
    return Picture(document(int(width), int(top + 18 * len(notes)), title_, parts),
                   f"<{title_}: .svg holds the picture>")


def _sequence(name, values, count):
    try:
        values = list(values)
    except TypeError:
        raise errors.CourseError(f"{name} must be a list of {count} numbers, not {values!r}.") from None
    if len(values) != count:
        raise errors.CourseError(f"this net takes {count} {name}, not {len(values)}.")
    return values


def _spelled_out(net, inputs, targets, input_names, focus, backward):
    """The focus neuron's sum, with its numbers: the lines under the picture."""
    layer, index = focus
    cell = net.layers[layer - 1].neurons[index - 1]
    name = f"layer {layer} neuron {index}"
    if not backward:
        fed = backprop.layer_inputs(net, layer - 1, inputs)
        feeds = (input_names if layer == 1
                 else [f"layer {layer - 1} neuron {i}" for i in range(1, len(fed) + 1)])
        terms = " + ".join(f"{_bracket(w)} × {_bracket(x)}" for w, x in zip(cell.weights, fed))
        return [f"{name}: net = bias + weight × value, for each of {', '.join(feeds)}",
                f"= {number(cell.bias, 6)} + {terms} = {number(cell.net, 6)};  value = tanh(net) = "
                f"{number(cell.value, 6)}"]
    slope = maths.activation_gradient(cell.value)  # 1 - value², tanh's local gradient
    if layer == len(net.layers):
        error = maths.error(cell.value, targets[index - 1])
        return [f"{name} is an output: activation gradient = (1 - value²) × error = "
                f"{number(slope, 6)} × {_bracket(error)} = {number(cell.activation_gradient, 6)}"]
    after = net.layers[layer].neurons
    # the backward pass's next_layer_gradient_sum, term by term in its order, to show its parts
    next_layer_gradient_sum = 0.0
    for k in after:
        next_layer_gradient_sum += k.activation_gradient * k.weights[index - 1]
    terms = " + ".join(f"{_bracket(k.activation_gradient)} × {_bracket(k.weights[index - 1])}" for k in after)
    return [f"{name}'s value feeds every neuron of layer {layer + 1}: its effects on the loss add up, "
            f"each neuron's activation gradient × its weight from {name} (the fan-out sum).",
            f"next_layer_gradient_sum = {terms} = {number(next_layer_gradient_sum, 6)}",
            f"activation gradient = (1 - value²) × next_layer_gradient_sum = {number(slope, 6)} × "
            f"{_bracket(next_layer_gradient_sum)} = {number(cell.activation_gradient, 6)}"]


def _bracket(value):
    """A number to 6 decimals, in brackets when negative (so "× -0.5" reads as "× (-0.5)")."""
    words = number(value, 6)
    return f"({words})" if words.startswith("-") else words
