"""The computation-graph pictures: every box and arrow there, each showing the sheet's (or the net's)
numbers, each stage showing what it should and nothing more, well-formed SVG that follows its inputs.

Expected numbers come from lesson02.sheet() and network.py's passes run here, formatted by the
test itself, and from the article's printed numbers; never from graph.py's own formatting."""

import copy
import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest

from nbcourse import graph, network
from nbcourse.errors import CourseError
from nbcourse.lessons import lesson02

SVG = "{http://www.w3.org/2000/svg}"


def parse(picture):
    root = ElementTree.fromstring(picture.svg)  # raises on SVG that is not well-formed XML
    assert root.tag == f"{SVG}svg"
    assert not [element for element in root.iter() if "id" in element.attrib]  # ids clash on a page
    return root


def words(element):
    """Every text in an element, one string per <text> (its bold start and the rest together)."""
    return ["".join(text.itertext()) for text in element.iter(f"{SVG}text")]


def marked(root, key):
    """The groups marked data-`key`, by their mark."""
    return {g.get(f"data-{key}"): g for g in root.iter(f"{SVG}g") if g.get(f"data-{key}") is not None}


# -- lesson 02 ---------------------------------------------------------------------------------

ROW_2 = dict(B2="input", C2="weight", D2="bias", E2="net", F2="output", G2="target", H2="error", I2="loss")
# the decimals the article prints (LAYOUTS.md): None, the number in full; cells not named here, 4
DECIMALS = dict(B2=None, C2=None, D2=None, E2=None, F2=3, G2=None, H2=6, I2=7, B3=None, C3=None,
                F3=3, F4=3)
ARROWS = {"input net", "weight net", "bias net", "net output", "output error", "error loss", "target error"}
SETTINGS = [dict(input=0.4, weight=0.5, bias=0.6, target=0.7),
            dict(input=-0.3, weight=1.7, bias=-0.2, target=0.1)]


def shown(sheet, address):
    """A cell as the article prints it, formatted here: in full, or to its decimals."""
    value = sheet.value(address)
    decimals = DECIMALS.get(address, 4)
    return f"{value:.10g}" if decimals is None else f"{value:.{decimals}f}"


@pytest.mark.parametrize("settings", SETTINGS)
def test_each_box_is_a_cell_of_row_2_showing_the_sheets_number(settings):
    sheet = lesson02.sheet(**settings)
    root = parse(graph.neuron(**settings, show="values"))
    boxes = marked(root, "cell")
    assert set(boxes) == set(ROW_2)
    for address, name in ROW_2.items():
        assert boxes[address].get("data-value") == name
        said = words(boxes[address])
        assert said[:2] == [f"{name} {address}", shown(sheet, address)]
        if sheet[address].formula:  # the sheet's formula under the value
            assert said[2] == sheet[address].formula
    assert set(marked(root, "arrow")) == ARROWS


@pytest.mark.parametrize("settings", SETTINGS)
def test_the_local_gradients_of_row_3_are_on_the_arrows_and_the_two_stages_folded_into_f3(settings):
    sheet = lesson02.sheet(**settings)
    root = parse(graph.neuron(**settings, show="local"))
    arrows = {key: words(g) for key, g in marked(root, "arrow").items()}
    for source, cell in dict(input="B3", weight="C3", bias="D3", net="E3").items():
        destination = "output" if source == "net" else "net"
        rate = "1" if cell == "D3" else shown(sheet, cell)  # D3 is the constant 1
        assert arrows[f"{source} {destination}"] == [f"{cell} {rate}"]
    error = f"{sheet.value('H2'):.3f}"  # as F3 shows it
    assert arrows["output error"] == ["1"]  # d error / d output
    assert arrows["error loss"] == [f"error {error}"]  # d loss / d error = the error (H2)
    assert arrows["target error"] == []  # the target is given: no gradient
    # F3 = d loss/d output = 1 x the error, as the sheet has it
    notes = " ".join(words(marked(root, "notes")["local"]))
    assert f"F3 = 1 × {error} = {shown(sheet, 'F3')}" in notes
    assert "(B3 to E3 in row 3; the last two have no cell)" in notes  # 1 and the error are on no cell


@pytest.mark.parametrize("settings", SETTINGS)
def test_the_global_gradients_of_row_4_flow_back_from_the_loss(settings):
    sheet = lesson02.sheet(**settings)
    root = parse(graph.neuron(**settings, show="global"))
    parts = {key: words(g) for key, g in marked(root, "gradient").items()}
    for address, name in ROW_2.items():
        if name in ("error", "loss", "target"):
            continue
        row4 = address[0] + "4"
        assert parts[name] == [f"{row4} {sheet[row4].formula}", shown(sheet, row4)]
    assert parts["error"] == ["∂loss/∂error", f"{sheet.value('H2'):.3f}"]  # = the error, no cell
    assert parts["loss"] == ["∂loss/∂loss", "1"]
    assert "target" not in parts
    # each arrow but the target's carries its global gradient back, times its local gradient
    back = {key: words(g) for key, g in marked(root, "back").items()}
    assert set(back) == {" ".join(reversed(arrow.split())) for arrow in ARROWS - {"target error"}}
    assert back["net input"] == [f"× {shown(sheet, 'B3')}"]
    assert back["output net"] == [f"× {shown(sheet, 'E3')}"]
    assert back["error output"] == ["× 1"]
    assert back["loss error"] == [f"× {sheet.value('H2'):.3f}"]


def test_the_articles_numbers():
    """Part 2's sheet as the article prints it, in the default picture."""
    root = parse(graph.neuron())
    boxes = {key: words(g) for key, g in marked(root, "cell").items()}
    assert boxes["E2"][1] == "0.8" and boxes["F2"][1].startswith("0.664")
    assert boxes["H2"][1] == "-0.035963" and boxes["I2"][1] == "0.0006467"
    assert "E3 0.5591" in words(root)
    gradients = {key: words(g)[-1] for key, g in marked(root, "gradient").items()}
    assert gradients == dict(input="-0.0101", weight="-0.0080", bias="-0.0201", net="-0.0201",
                             output="-0.036", error="-0.036", loss="1")


def test_each_stage_shows_what_it_should_and_nothing_more():
    values, local, global_ = (parse(graph.neuron(show=show)) for show in ("values", "local", "global"))
    assert not any("gradient" in said for said in words(values))
    assert all(words(g) == [] for g in marked(values, "arrow").values())
    for root in (values, local):
        assert marked(root, "gradient") == {} and marked(root, "back") == {}
        assert "stroke-dasharray" not in ElementTree.tostring(root, encoding="unicode")
    assert not any("global" in said for said in words(local))
    assert len(marked(local, "notes")["local"]) == 3 and len(marked(global_, "notes")["global"]) == 5
    assert len(marked(global_, "gradient")) == 7 and len(marked(global_, "back")) == 6


def test_the_picture_follows_its_inputs_and_nothing_else():
    picture = graph.neuron(weight=0.5, show="global")
    assert picture.svg == graph.neuron(weight=0.5, show="global").svg  # the same text each time
    moved = graph.neuron(weight=0.6, show="global")
    assert moved.svg != picture.svg
    net = words(marked(parse(moved), "cell")["E2"])[1]
    assert net == f"{lesson02.sheet(weight=0.6).value('E2'):.10g}" == "0.84"
    assert picture._repr_svg_() == picture.svg
    assert "run the cell" in repr(picture)


def test_bad_settings_get_a_clear_error():
    with pytest.raises(CourseError, match="show must be one of values, local, global, not 'all'"):
        graph.neuron(show="all")
    with pytest.raises(CourseError, match="weight must be a number"):
        graph.neuron(weight="heavy")
    with pytest.raises(CourseError, match="finite"):
        graph.neuron(bias=float("nan"))


# -- lesson 04 ---------------------------------------------------------------------------------

@pytest.fixture
def rectangle():
    """The article's net from the course's seed, and its first rectangle (as notebook 04 draws them)."""
    rng = np.random.default_rng(network.SEED)
    net = network.new_net(rng)
    width, height = network.sample(rng)
    return net, [width, height], network.targets(width, height)


def passed(net, inputs, targets):
    """A copy of the net with every Neuron field filled in by network.py's passes."""
    net = copy.deepcopy(net)
    network.forward_pass(net, inputs)
    network.backward_pass(net, targets)
    return net


def test_every_neuron_and_weight_shows_its_fields(rectangle):
    net, inputs, targets = rectangle
    root = parse(graph.network(net, inputs, targets, show="backward"))
    neurons, weights = marked(root, "neuron"), marked(root, "weight")
    assert {key: words(g) for key, g in marked(root, "input").items()} == {
        "1": ["width", f"{inputs[0]:.6f}"], "2": ["height", f"{inputs[1]:.6f}"]}
    done = passed(net, inputs, targets)
    for layer, cells in enumerate(done.layers, start=1):
        for n, cell in enumerate(cells.neurons, start=1):
            said = words(neurons.pop(f"{layer} {n}"))
            assert said[:4] == [f"layer {layer} neuron {n}", f"bias {cell.bias:.6f}", f"net {cell.net:.6f}",
                                f"value {cell.value:.6f}"]
            assert said[4:6] == ["activation gradient", f"{cell.activation_gradient:.6f}"]
            if layer == 3:  # the outputs: what they should be, and how far off they are
                named = [["area"], ["circumference", "× 0.25"]][n - 1]
                assert said[6:] == [*named, f"target {targets[n - 1]:.6f}",
                                    f"error {cell.value - targets[n - 1]:.6f}"]
            for w, weight in enumerate(cell.weights, start=1):
                assert words(weights.pop(f"{layer} {n} {w}")) == [f"{weight:.6f}"]
    assert neurons == {} and weights == {}  # 8 neurons, 21 weights, nothing else
    assert len(marked(root, "arrow")) == 21


def drawn_with(root, mark):
    """The arrows whose SVG has `mark` (a colour, a dash)."""
    return {key for key, g in marked(root, "arrow").items() if mark in ElementTree.tostring(g, "unicode")}


def bracket(x):
    return f"({x:.6f})" if x < 0 else f"{x:.6f}"


def test_the_forward_pass_shows_no_gradients(rectangle):
    net, inputs, targets = rectangle
    root = parse(graph.network(net, inputs, targets, focus=(2, 1), show="forward"))
    assert marked(root, "gradient") == {}
    assert not any("gradient" in said or "error" in said for said in words(root))
    # the focus's sum: its bias plus each weight times the layer-1 value it feeds on
    done = passed(net, inputs, targets)
    focus = done.layers[1].neurons[0]
    terms = " + ".join(f"{bracket(w)} × {bracket(fed.value)}"
                       for w, fed in zip(focus.weights, done.layers[0].neurons))
    said = words(marked(root, "focus")["2 1"])
    assert said[1] == f"= {focus.bias:.6f} + {terms} = {focus.net:.6f}"
    assert said[2] == f"value = tanh(net) = {focus.value:.6f}"
    assert drawn_with(root, graph.FOCUS) == {"2 1 1", "2 1 2", "2 1 3"}  # the arrows into the focus


def test_the_fan_out_sum(rectangle):
    """Layer 2 neuron 1 feeds both outputs: its activation gradient is (1 - value²) times the sum of
    their activation gradients, each times its weight from it."""
    net, inputs, targets = rectangle
    root = parse(graph.network(net, inputs, targets, focus=(2, 1), show="backward"))
    done = passed(net, inputs, targets)
    value = done.layers[1].neurons[0].value
    outputs = done.layers[2].neurons
    total = outputs[0].activation_gradient * outputs[0].weights[0] + \
        outputs[1].activation_gradient * outputs[1].weights[0]
    assert (1 - value * value) * total == pytest.approx(done.layers[1].neurons[0].activation_gradient,
                                                        rel=1e-12)  # the sum the picture spells out

    said = words(marked(root, "focus")["2 1"])[1:]  # after the line that says what the sum is
    assert said[1] == (f"next_layer_gradient_sum = {bracket(outputs[0].activation_gradient)} × "
                       f"{bracket(outputs[0].weights[0])} + {bracket(outputs[1].activation_gradient)} × "
                       f"{bracket(outputs[1].weights[0])} = {total:.6f}")
    assert said[2] == (f"activation gradient = (1 - value²) × next_layer_gradient_sum = "
                       f"{1 - value * value:.6f} × {bracket(total)} = "
                       f"{done.layers[1].neurons[0].activation_gradient:.6f}")
    # the fan-out lit, with the gradient flowing back along it, and only there
    assert drawn_with(root, "stroke-dasharray") == drawn_with(root, graph.FOCUS) == {"3 1 1", "3 2 1"}
    focus_box = ElementTree.tostring(marked(root, "neuron")["2 1"], "unicode")
    assert f'stroke="{graph.FOCUS}"' in focus_box


def test_an_output_neurons_activation_gradient_and_no_focus(rectangle):
    net, inputs, targets = rectangle
    done = passed(net, inputs, targets)
    out = done.layers[2].neurons[1]
    said = words(marked(parse(graph.network(net, inputs, targets, focus=(3, 2))), "focus")["3 2"])
    assert said == [f"layer 3 neuron 2 is an output: activation gradient = (1 - value²) × error = "
                    f"{1 - out.value * out.value:.6f} × ({out.value - targets[1]:.6f}) = "
                    f"{out.activation_gradient:.6f}"]
    root = parse(graph.network(net, inputs, targets, focus=None))
    assert words(marked(root, "focus")[""]) == []
    assert graph.FOCUS not in graph.network(net, inputs, targets, focus=None).svg


def test_the_picture_follows_the_rectangle_and_leaves_the_net_alone(rectangle):
    net, inputs, targets = rectangle
    before = network.parameters(net)
    picture = graph.network(net, inputs, targets)
    assert [cell.value for layer in net.layers for cell in layer.neurons] == [0.0] * 8  # passes ran on a copy
    assert np.array_equal(network.parameters(net), before)
    assert picture.svg == graph.network(net, inputs, targets).svg
    other = graph.network(net, [0.5, 0.5], network.targets(0.5, 0.5))
    assert other.svg != picture.svg
    assert words(marked(parse(other), "input")["1"]) == ["width", "0.500000"]


def test_bad_arguments_to_network_get_a_clear_error(rectangle):
    net, inputs, targets = rectangle
    with pytest.raises(CourseError, match="show must be one of forward, backward"):
        graph.network(net, inputs, targets, show="values")
    with pytest.raises(CourseError, match="net must be a network.Net"):
        graph.network(network.parameters(net), inputs, targets)
    with pytest.raises(CourseError, match="this net takes 2 inputs, not 3"):
        graph.network(net, [0.1, 0.2, 0.3], targets)
    with pytest.raises(CourseError, match="finite"):
        graph.network(net, inputs, [0.1, float("inf")])
    for focus in ((4, 1), (2, 4), (0, 1), (1, 1, 1)):
        with pytest.raises(CourseError, match="not a neuron of this net|at least 1"):
            graph.network(net, inputs, targets, focus=focus)
    with pytest.raises(CourseError, match=r"focus must be \(layer, neuron\)"):
        graph.network(net, inputs, targets, focus=2)
