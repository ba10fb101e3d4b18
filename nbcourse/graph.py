"""Pictures of the computation graph: lesson 02's neuron and lesson 04's net, as SVG text.

    from nbcourse import graph
    graph.neuron(input=0.4, weight=0.5, bias=0.6, target=0.7, show="global")  # "values" | "local" | "global"
    graph.network(net, inputs, targets, focus=(2, 1), show="backward")      # "forward" | "backward"

Each returns a Picture: a notebook shows it, and its `.svg` is the SVG text (an explorer
puts that in an ipywidgets.HTML). Positions are worked out here and the SVG written as
text, so a redraw is string formatting (a fraction of a millisecond; matplotlib took over
100 ms for a picture like these), crisp at any size, and with no ids: the same numbers give
the same text. Every number comes from nbcourse's maths (gradients.py, network.py's passes).
"""

import html
import math

from nbcourse import errors, gradients
from nbcourse import network as backprop  # `network` is this module's picture of a net
from nbcourse import neuron as maths
from nbcourse.lessons import lesson02
from nbcourse.sheet import Cell, display

INPUT, FORMULA, GRADIENT = "#fff4c2", "#e8f1fb", "#fdecea"  # the tables' yellow and blue; gradients
INK, GREY, RED, FOCUS = "#222", "#777", "#a40000", "#c05000"  # all dark enough for black and white
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"


class Picture:
    """An SVG picture: notebooks show it, `.svg` is its text."""

    def __init__(self, svg, title):
        self.svg = svg
        self.title = title

    def _repr_svg_(self):
        return self.svg

    def __repr__(self):  # what a notebook shows where it may not show SVG (an untrusted notebook)
        return f"<{self.title}: run the cell to see the picture>"


# -- drawing: each function returns SVG text ---------------------------------------------------

def text(x, y, words, size=12, anchor="middle", fill=INK, bold=False, halo=False, bold_start=""):
    """`words` at (x, y), optionally after `bold_start` in bold (a name before its cell)."""
    weight = ' font-weight="bold"' if bold else ""
    # a white outline behind the letters keeps a label readable where it crosses a line
    outline = ' stroke="#fff" stroke-width="3" paint-order="stroke"' if halo else ""
    start = f'<tspan font-weight="bold">{html.escape(bold_start)}</tspan>' if bold_start else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}"{weight}{outline}>{start}{html.escape(words)}</text>')


def box(x, y, width, height, fill, stroke=INK, stroke_width=1):
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" rx="4" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width}"/>')


def arrow(x1, y1, x2, y2, colour=INK, width=1.2, dashed=False):
    """A line from (x1, y1) to (x2, y2) and its head, a triangle (a <marker> would need an id)."""
    dash = ' stroke-dasharray="5 3"' if dashed else ""
    length = math.hypot(x2 - x1, y2 - y1)
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    bx, by = x2 - 8 * ux, y2 - 8 * uy  # the head's base
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{bx:.1f}" y2="{by:.1f}" stroke="{colour}" '
            f'stroke-width="{width:.1f}"{dash}/><polygon points="{x2:.1f},{y2:.1f} '
            f'{bx - 4 * uy:.1f},{by + 4 * ux:.1f} {bx + 4 * uy:.1f},{by - 4 * ux:.1f}" fill="{colour}"/>')


def along(x1, y1, x2, y2, at, offset):
    """The point `at` of the way along a line, moved `offset` to its side (+: below a rightward line)."""
    length = math.hypot(x2 - x1, y2 - y1)
    nx, ny = -(y2 - y1) / length, (x2 - x1) / length
    return x1 + (x2 - x1) * at + nx * offset, y1 + (y2 - y1) * at + ny * offset, nx * offset, ny * offset


def back(x1, y1, x2, y2, trim=0.0):
    """The gradient flowing back: a red dashed arrow under the line from (x1, y1) to (x2, y2), the
    other way, `trim` of it left off each end."""
    bx1, by1, _, _ = along(x2, y2, x1, y1, trim, -7)
    bx2, by2, _, _ = along(x2, y2, x1, y1, 1 - trim, -7)
    return arrow(bx1, by1, bx2, by2, RED, dashed=True)


def label(x1, y1, x2, y2, words, offset, size=11, fill=INK, bold=False, at=0.5):
    """`words` by a line, clear of it whatever its slope: above it (offset < 0), below it, or on it
    (offset 0, on a white card that hides the line underneath)."""
    x, y, dx, dy = along(x1, y1, x2, y2, at, offset)
    if offset == 0:  # a white card under the words (about 0.6 of the size per character)
        wide = 0.62 * size * len(words) + 4
        return (f'<rect x="{x - wide / 2:.1f}" y="{y - 0.6 * size:.1f}" width="{wide:.1f}" '
                f'height="{1.2 * size:.1f}" fill="#fff"/>'
                + text(x, y + 0.35 * size, words, size, "middle", fill, bold))
    anchor = "start" if dx > 3 else "end" if dx < -3 else "middle"
    return text(x, y + (size * 0.75 if dy > 3 else 0), words, size, anchor, fill, bold, halo=True)


def group(attributes, parts):
    """Parts grouped under data- attributes (never ids: a page may show many pictures), which
    tell a test or an explorer what each part is: <g data-cell="E2">."""
    marks = " ".join(f'data-{key}="{html.escape(str(value))}"' for key, value in attributes.items())
    return f"<g {marks}>" + "".join(parts) + "</g>"


def document(width, height, title, parts):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="{FONT}" role="img" '
            f'style="max-width: 100%; height: auto;"><title>{html.escape(title)}</title>'
            # white under everything: readable in a dark theme too
            f'<rect width="{width}" height="{height}" fill="#fff"/>' + "".join(parts) + "</svg>")


def number(value, decimals):
    """As the sheet shows it (sheet.display): `decimals` places, or in full when None."""
    return display(Cell(value, decimals=decimals))


# -- lesson 02: one neuron ----------------------------------------------------------------------

NEURON_STAGES = ("values", "local", "global")
SHEET = lesson02.sheet()  # the layout, read once: each cell's formula and decimals
CELLS = {stage: f"{column}2" for column, stage in lesson02.CHAIN.items()}  # "net" -> "E2"
# JupyterLab shows SVG as an <img> at its own size, not shrunk to fit: both pictures stay within
# 960 pixels, narrower than a notebook's output area on a laptop
WIDE, TOP, LOW = 118, 58, 40  # a box's width, and the heights of its value and gradient parts
CORNERS = dict(input=(10, 20), weight=(10, 140), bias=(10, 260), net=(236, 140), output=(430, 140),
               error=(624, 140), loss=(832, 140), target=(624, 290))  # each box's top-left corner
# the arrows: from, to, the name of its local gradient (its cell in row 3; the sheet folds the
# last two into F3), and how far from the middle of `to`'s left side it arrives
ARROWS = (("input", "net", "B3", -16), ("weight", "net", "C3", 0), ("bias", "net", "D3", 16),
          ("net", "output", "E3", 0), ("output", "error", "", 0), ("error", "loss", "error", 0))
NOTES = dict(
    values=["Forward: each box is a cell of the sheet's row 2, worked out from the boxes on its left."],
    local=["On each arrow, its local gradient: how much the next value moves per unit of this one (B3 to E3 "
           "in row 3; the last two have no cell).",
           "F3 = 1 × {error} = {f3}: the sheet folds output → error (1) and error → loss (the error) "
           "into one cell."],
    global_=["In red, each value's global gradient: how much the loss moves per unit of it (row 4; the "
             "error's and the loss's have no cell),",
             "worked out backwards from the loss: the local gradient on its arrow × the global gradient "
             "after it. Rates multiply."])


def neuron(input=0.4, weight=0.5, bias=0.6, target=0.7, show="global"):
    """Lesson 02's neuron as a computation graph, one box per value, named by its cell.

    show: "values" (the forward pass, row 2), "local" (and the local gradients on the
    arrows, row 3) or "global" (and each value's global gradient, row 4, flowing back
    from the loss: the local gradient on its arrow times the global gradient after it).
    """
    if show not in NEURON_STAGES:
        raise errors.CourseError(f"show must be one of {', '.join(NEURON_STAGES)}, not {show!r}.")
    given = dict(input=input, weight=weight, bias=bias, target=target)
    values = gradients.forward(**{name: errors.number(name, x) for name, x in given.items()})
    local = gradients.local_gradients(values)  # d next stage / d this one, by this one's name
    global_ = gradients.global_gradients(local)  # d loss / d this one
    f3 = local["output"]  # d loss/d output, which the picture shows as its two stages:
    local["output"] = 1.0  # d error/d output
    local["error"] = global_["error"] = maths.loss_gradient(values["error"])  # d loss/d error
    global_["loss"] = 1.0
    gradient = show == "global"

    parts = []
    for name, (x, y) in CORNERS.items():
        formula = SHEET[CELLS[name]].formula
        inside = [box(x, y, WIDE, TOP + (LOW if gradient and name != "target" else 0),
                      FORMULA if formula else INPUT),
                  text(x + WIDE / 2, y + 16, f" {CELLS[name]}", bold_start=name),
                  text(x + WIDE / 2, y + 35, number(values[name], SHEET[CELLS[name]].decimals), 15)]
        if formula:
            inside.append(text(x + WIDE / 2, y + 51, formula, 11, fill=GREY))
        if gradient and name != "target":
            row4 = CELLS[name][0] + "4"
            # the error's and the loss's have no cell in row 4: the error's shown as F4 shows it
            how, decimals = ((f"{row4} {SHEET[row4].formula}", SHEET[row4].decimals) if row4 in SHEET.cells
                             else (f"∂loss/∂{name}", SHEET["F4"].decimals if name == "error" else None))
            inside.append(group({"gradient": name}, [
                box(x, y + TOP, WIDE, LOW, GRADIENT, RED),
                text(x + WIDE / 2, y + TOP + 15, how, 11, fill=RED),
                text(x + WIDE / 2, y + TOP + 33, number(global_[name], decimals), 14, fill=RED, bold=True)]))
        parts.append(group({"value": name, "cell": CELLS[name]}, inside))

    # the target feeds the error from below; it is given, so no gradient flows back to it
    x, y = CORNERS["target"]
    parts.append(group({"arrow": "target error"}, [
        arrow(x + WIDE / 2, y, x + WIDE / 2, CORNERS["error"][1] + TOP + (LOW if gradient else 0), GREY)]))
    for source, destination, name, arrive in ARROWS:
        x1, y1 = CORNERS[source][0] + WIDE, CORNERS[source][1] + TOP / 2
        x2, y2 = CORNERS[destination][0], CORNERS[destination][1] + TOP / 2 + arrive
        inside = [arrow(x1, y1, x2, y2)]
        decimals = SHEET[name].decimals if name in SHEET.cells else None if source == "output" else (
            SHEET["F3"].decimals)  # error -> loss: the error, as F3 shows it
        rate = number(local[source], decimals)
        at = 0.62 if arrive else 0.5  # the sloping arrows' labels away from the boxes on the left
        if show != "values":
            inside.append(label(x1, y1, x2, y2, f"{name} {rate}".strip(), -10, bold=True, at=at))
        if gradient:  # the global gradient flowing back along the arrow, times its local gradient
            inside.append(group({"back": f"{destination} {source}"}, [
                back(x1, y1, x2, y2), label(x1, y1, x2, y2, f"× {rate}", 16, fill=RED, at=at)]))
        parts.append(group({"arrow": f"{source} {destination}"}, inside))

    notes = NOTES["values"] + (NOTES["local"] if show != "values" else []) + (
        NOTES["global_"] if gradient else [])
    parts.append(group({"notes": show}, [
        text(10, 384 + 18 * i, words.format(error=number(local["error"], SHEET["F3"].decimals),
                                              f3=number(f3, SHEET["F3"].decimals)), 12, "start")
        for i, words in enumerate(notes)]))
    title = f"Lesson 02's neuron as a computation graph ({show})"
    return Picture(document(960, 378 + 18 * len(notes), title, parts), title)


# -- lesson 04: the 2-3-3-2 net ------------------------------------------------------------------

NETWORK_STAGES = ("forward", "backward")
NEURON_WIDTH, INPUT_WIDTH, ROW = 120, 90, 120  # the boxes' widths; the spacing of rows
FIRST, COLUMN = 230, 255  # where layer 1 starts; the spacing of layers
VALUES, GRADIENTS = 64, 34  # a neuron box's parts: bias, net and value; its activation gradient


def network(net, inputs, targets, focus=(2, 1), show="backward"):
    """Lesson 04's net on one rectangle: each neuron's bias, net and value (the forward pass),
    with show="backward" its activation gradient too, and the weights on the arrows.

    focus=(layer, neuron), counted from 1 as the notebook counts, highlights one neuron and
    spells out its sums: forward, net = bias + each weight × what it feeds on; backward, the
    fan-out sum, (1 - value²) × the sum over the next layer's neurons of their activation
    gradient × their weight from it. focus=None highlights none. The passes run on a copy of
    `net`: yours is left as it was.
    """
    if show not in NETWORK_STAGES:
        raise errors.CourseError(f"show must be one of {', '.join(NETWORK_STAGES)}, not {show!r}.")
    if not isinstance(net, backprop.Net):
        raise errors.CourseError(f"net must be a network.Net, such as network.new_net(rng), not {net!r}.")
    sizes = net.sizes
    inputs = numbers("inputs", inputs, sizes[0])
    targets = numbers("targets", targets, sizes[-1])
    focus = place_of("focus", focus, sizes)
    net = backprop.from_parameters(backprop.parameters(net), sizes)
    backprop.forward_pass(net, inputs)
    backprop.backward_pass(net, targets)

    rectangle = sizes[0] == 2 and sizes[-1] == 2
    input_names = ["width", "height"] if rectangle else [f"input {i}" for i in range(1, sizes[0] + 1)]
    output_names = [["area"], ["circumference", "× 0.25"]] if rectangle else [[]] * sizes[-1]
    backward = show == "backward"
    last = len(net.layers)

    def corner(layer, row):  # a box's top-left corner; each layer centred on the tallest
        x = 10 if layer == 0 else FIRST + (layer - 1) * COLUMN
        return x, 10 + (row + (max(sizes) - sizes[layer]) / 2) * ROW

    parts, labels = [], []  # labels go on top of every arrow
    for i, (name, value) in enumerate(zip(input_names, inputs)):
        x, y = corner(0, i)
        parts.append(group({"input": i + 1}, [
            box(x, y + 10, INPUT_WIDTH, 44, INPUT),
            text(x + INPUT_WIDTH / 2, y + 27, "", bold_start=name),
            text(x + INPUT_WIDTH / 2, y + 46, number(value, 6), 13)]))
    for layer, neurons in enumerate(net.layers, start=1):
        for row, cell in enumerate(neurons.neurons):
            x, y = corner(layer, row)
            for w, weight in enumerate(cell.weights):  # one arrow in per weight
                sx, sy = corner(layer - 1, w)
                x1, y1, x2, y2 = sx + (INPUT_WIDTH if layer == 1 else NEURON_WIDTH), sy + 32, x, y + 32
                # lit: the focus's arrows in (forward) or out (backward: the fan-out)
                lit = focus == ((layer - 1, w + 1) if backward else (layer, row + 1))
                key = f"{layer} {row + 1} {w + 1}"  # layer 2 neuron 1's weight 3: "2 1 3"
                inside = [arrow(x1, y1, x2, y2, FOCUS if lit else GREY, 2.2 if lit else 0.8)]
                if lit and backward:  # the activation gradients flowing back along the fan-out
                    inside.append(back(x1, y1, x2, y2, trim=0.04))
                parts.append(group({"arrow": key}, inside))
                # on the arrow, 3/4 along: there the labels of the arrows into a layer are evenly spaced
                labels.append(group({"weight": key}, [label(
                    x1, y1, x2, y2, number(weight, 6), 0, 10, FOCUS if lit else "#444", bold=lit, at=0.75)]))
            focused = focus == (layer, row + 1)
            inside = [box(x, y, NEURON_WIDTH, VALUES + (GRADIENTS if backward else 0), FORMULA,
                          FOCUS if focused else INK, 3 if focused else 1),
                      text(x + NEURON_WIDTH / 2, y + 15, "", bold_start=f"layer {layer} neuron {row + 1}")]
            for i, words in enumerate((f"bias {number(cell.bias, 6)}", f"net {number(cell.net, 6)}",
                                       f"value {number(cell.value, 6)}")):
                inside.append(text(x + NEURON_WIDTH / 2, y + 31 + 15 * i, words, 11, bold=i == 2))
            if backward:
                inside.append(group({"gradient": f"{layer} {row + 1}"}, [
                    box(x, y + VALUES, NEURON_WIDTH, GRADIENTS, GRADIENT, RED),
                    text(x + NEURON_WIDTH / 2, y + VALUES + 13, "activation gradient", 10, fill=RED),
                    text(x + NEURON_WIDTH / 2, y + VALUES + 29, number(cell.activation_gradient, 6), 12,
                         fill=RED, bold=True)]))
            if layer == last:  # what the output should be, beside it
                error = maths.error(cell.value, targets[row])
                for i, words in enumerate([*output_names[row], f"target {number(targets[row], 6)}",
                                           *([f"error {number(error, 6)}"] if backward else [])]):
                    named = i == 0 and bool(output_names[row])
                    inside.append(text(x + NEURON_WIDTH + 8, y + 15 + 15 * i, words, 11, "start", bold=named))
            parts.append(group({"neuron": f"{layer} {row + 1}"}, inside))
    parts += labels

    top = 28 + max(sizes) * ROW
    focused = spelled_out(net, inputs, targets, input_names, focus, backward) if focus else []
    notes = ["Weights on the arrows, each near the neuron it belongs to. Forward pass: net = bias + "
             "each weight × what it feeds on, value = tanh(net).",
             *(["Backward pass, last layer first: a neuron's activation gradient is how much the loss "
                "moves per unit of its net."] if backward else [])]
    parts.append(group({"focus": " ".join(map(str, focus or ()))}, [
        text(10, top + 18 * i, words, 12, "start", FOCUS) for i, words in enumerate(focused)]))
    parts.append(group({"notes": show}, [
        text(10, top + 18 * (len(focused) + i), words, 12, "start") for i, words in enumerate(notes)]))
    notes += focused
    title = f"Lesson 04's net {sizes} on one rectangle ({show} pass)"
    width = FIRST + (last - 1) * COLUMN + NEURON_WIDTH + 100
    return Picture(document(width, top + 18 * len(notes) - 6, title, parts), title)


def numbers(name, values, count):
    """`count` finite numbers, as floats."""
    try:
        values = list(values)
    except TypeError:
        raise errors.CourseError(f"{name} must be a list of {count} numbers, not {values!r}.") from None
    if len(values) != count:
        raise errors.CourseError(f"this net takes {count} {name}, not {len(values)}.")
    return [errors.number(f"each of the {name}", x) for x in values]


def place_of(name, focus, sizes):
    """(layer, neuron), counted from 1, of a neuron in a net of these sizes; or None."""
    if focus is None:
        return None
    try:
        layer, index = (errors.count(f"the {name}'s layer", focus[0]),
                        errors.count(f"the {name}'s neuron", focus[1]))
    except (TypeError, IndexError, KeyError):
        raise errors.CourseError(f"{name} must be (layer, neuron), such as (2, 1), not {focus!r}.") from None
    if len(focus) != 2 or layer >= len(sizes) or index > sizes[layer]:
        raise errors.CourseError(f"{name} {focus!r} is not a neuron of this net: its layers are 1 to "
                                 f"{len(sizes) - 1}, with {', '.join(map(str, sizes[1:]))} neurons.")
    return layer, index


def spelled_out(net, inputs, targets, input_names, focus, backward):
    """The focus neuron's sum with its numbers: the lines under the picture."""
    layer, index = focus
    cell = net.layers[layer - 1].neurons[index - 1]
    name = f"layer {layer} neuron {index}"
    if not backward:
        fed = backprop.layer_inputs(net, layer - 1, inputs)
        feeds = (input_names if layer == 1
                 else [f"layer {layer - 1} neuron {i}" for i in range(1, len(fed) + 1)])
        terms = " + ".join(f"{bracket(w)} × {bracket(x)}" for w, x in zip(cell.weights, fed))
        return [f"{name}: net = bias + each weight × the value it feeds on ({', '.join(feeds)})",
                f"= {number(cell.bias, 6)} + {terms} = {number(cell.net, 6)}",
                f"value = tanh(net) = {number(cell.value, 6)}"]
    slope = maths.tanh_gradient(cell.value)  # 1 - value², tanh's local gradient
    if layer == len(net.layers):
        error = maths.error(cell.value, targets[index - 1])
        return [f"{name} is an output: activation gradient = (1 - value²) × error = "
                f"{number(slope, 6)} × {bracket(error)} = {number(cell.activation_gradient, 6)}"]
    after = net.layers[layer].neurons
    next_layer_gradient_sum = cell.next_layer_gradient_sum  # kept by the backward pass
    terms = " + ".join(f"{bracket(k.activation_gradient)} × {bracket(k.weights[index - 1])}" for k in after)
    return [f"{name}'s value feeds every neuron of layer {layer + 1}, so its effects on the loss add up:",
            f"the fan-out sum, of each one's activation gradient × its weight from {name}",
            f"next_layer_gradient_sum = {terms} = {number(next_layer_gradient_sum, 6)}",
            f"activation gradient = (1 - value²) × next_layer_gradient_sum = {number(slope, 6)} × "
            f"{bracket(next_layer_gradient_sum)} = {number(cell.activation_gradient, 6)}"]


def bracket(value):
    """A number to 6 decimals, in brackets when negative: "× (-0.5)" rather than "× -0.5"."""
    words = number(value, 6)
    return f"({words})" if words.startswith("-") else words
