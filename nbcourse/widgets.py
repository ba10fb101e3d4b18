"""Live explorers, one per lesson: move a slider, watch the sheet, the plot and the numbers follow.

Each explorer keeps one matplotlib figure for its whole life. An update moves
its artists (`line.set_data`) and redraws only them over a saved picture of the
axes (blitting), then sends the picture as PNG bytes to an `ipywidgets.Image`.
The axes themselves are drawn only for limits not seen before (each picture is
kept), and limits move in coarse steps, so that happens rarely. The sheet is the lesson's own, shown as
its styled table in an `ipywidgets.HTML`. The slider ranges keep every value
finite: tanh never overflows and the error stays within [-2, 2].

    explorer = GradientExplorer()
    explorer                                  # in a notebook: sliders, numbers, sheet, plot
    explorer.sliders["weight"].value = 0.6    # the same as dragging it
    explorer.readout.value                    # 'net 0.6400 · output ...'
"""

import html
import io
import itertools
import math
import threading
import traceback

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from nbcourse.lessons import lesson01, lesson02, lesson03
from nbcourse.sheet import slug

FIGSIZE = (6, 2.6)  # inches
DPI = 80
SATURATED = 4.0  # |net| beyond which tanh's gradient (1 - output^2) is below 0.0014
WARNING = "#a40000"
_tables = itertools.count(1)  # each live table gets its own CSS id, so tooltips don't mix


def slider(description, value, low, high, step=0.01):
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               continuous_update=True, readout_format=".2f",
                               style={"description_width": "initial"})


class Explorer:
    """Sliders, a one-line readout, the sheet and one figure; subclasses fill in the lesson."""

    lesson = None  # the lesson module whose sheet is shown

    def __init__(self):
        self.sliders = self.make_sliders()
        self.readout = widgets.HTML()  # one line of plain text (wraps, unlike a Label)
        self.table = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.errors = widgets.Output()  # a failing update shows its traceback here
        self.figure = Figure(figsize=FIGSIZE, dpi=DPI)  # not pyplot's: never shown by plt.show()
        FigureCanvasAgg(self.figure)
        self.moving = []  # artists redrawn on every update (animated: left out of the background)
        self.make_plot()
        self._backgrounds = {}  # axes limits -> the picture of the axes drawn with them
        self.redraws = 0  # full draws of the figure (the rest only redraw the moving artists)
        self._uuid = f"{slug(type(self).__name__)}-{next(_tables)}"
        self._updating = threading.Lock()
        self.shown_values = None  # the slider values of the last finished update
        self.update()  # errors here raise: the explorer could not be built
        for s in self.sliders.values():
            s.observe(self._changed, names="value")
        controls = widgets.HBox(list(self.sliders.values()), layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([controls, self.readout, self.table, self.image, self.errors])

    # subclasses: the sliders, the figure's artists, and what one update computes and shows
    def make_sliders(self):
        raise NotImplementedError

    def make_plot(self):
        raise NotImplementedError

    def show(self, values):
        """Compute from the slider values; set the sheet, the artists and the readout."""
        raise NotImplementedError

    def values(self):
        return {name: s.value for name, s in self.sliders.items()}

    def update(self):
        """Recompute everything from the sliders' values."""
        values = self.values()
        self.show(values)
        self.image.value = self.png()
        self.shown_values = values  # what the readout, sheet and picture now show

    def _changed(self, change):
        # JupyterLab 4.6 sends widget messages over a kernel subshell, so ipykernel 7 may call this
        # from two threads at once: one update at a time, each reading the sliders when it starts,
        # so that the last one shows the last values. A callback's exception would vanish in the
        # kernel's log: show it under the widget instead.
        with self._updating:
            try:
                self.update()
                self.errors.outputs = ()
            except Exception as problem:
                self.say(f"Something went wrong: {problem} (details below)", warning=True)
                self.errors.outputs = ()
                self.errors.append_stderr(traceback.format_exc())

    def say(self, text, warning=False):
        self.readout.value = html.escape(text, quote=False)
        self.readout.style.text_color = WARNING if warning else None

    def set_table(self, sheet):
        styled = sheet.styled().set_uuid(self._uuid)
        self.table.value = f'<div style="overflow-x: auto">{styled.to_html()}</div>'

    def track(self, artist):
        """Mark an artist as moving: redrawn on each update over the saved background."""
        artist.set_animated(True)
        self.moving.append(artist)
        return artist

    def png(self):
        """The figure as PNG bytes: the axes from the saved background, the moving artists on top."""
        canvas = self.figure.canvas
        limits = tuple((ax.get_xlim(), ax.get_ylim()) for ax in self.figure.axes)
        if limits in self._backgrounds:
            canvas.restore_region(self._backgrounds[limits])
        else:  # new limits, new tick labels: draw everything once, and keep it
            canvas.draw()
            self.redraws += 1
            if len(self._backgrounds) >= 20:  # ~0.4 MB each: forget the oldest
                del self._backgrounds[next(iter(self._backgrounds))]
            self._backgrounds[limits] = canvas.copy_from_bbox(self.figure.bbox)
        for artist in self.moving:
            self.figure.draw_artist(artist)
        width, height = canvas.get_width_height()
        picture = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        data = io.BytesIO()
        picture.save(data, format="png", compress_level=1)
        return data.getvalue()

    def _repr_mimebundle_(self, **kwargs):  # a notebook shows the explorer as its widget
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self):
        settings = ", ".join(f"{k}={v:g}" for k, v in self.values().items())
        return f"{type(self).__name__}({settings})"


def fixed(x, decimals):
    """x to so many decimals, without the sign of a value that shows as zero ("-0.0000")."""
    text = f"{x:.{decimals}f}"
    return text.lstrip("-") if float(text) == 0 else text


def nice_ceiling(x):
    """The first of ..., 0.1, 0.2, 0.5, 1, 2, 5, ... at or above x (limits that move in steps)."""
    if not x > 0:
        return 1e-3
    power = 10.0 ** math.floor(math.log10(x))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= x)


def headroom(limit, top):
    """An upper limit for a curve reaching `top`: the current one while the curve fills between a
    fifth of it and all of it, else the next step (fewer changes, so fewer full redraws)."""
    if limit / 5 < top <= limit:
        return limit
    return nice_ceiling(top)


def tanh_axes(ax):
    """tanh drawn once, wide enough for any net the sliders allow; the view follows the net."""
    net = np.linspace(-10, 10, 801)
    ax.plot(net, np.tanh(net), color="#4878a8", lw=1.5)
    ax.axhline(0, color="#999", lw=0.5)
    ax.axvline(0, color="#999", lw=0.5)
    ax.set(xlabel="net", ylabel="output", ylim=(-1.15, 1.15))
    ax.set_title("output = tanh(net)", fontsize=9)
    ax.set_autoscale_on(False)


def follow(ax, net):
    """Widen the view in whole steps when the net leaves it."""
    half = max(5, math.ceil(abs(net)) + 1)
    ax.set_xlim(-half, half)


def saturated(net):
    return abs(net) > SATURATED


class NeuronExplorer(Explorer):
    """Part 1: two inputs, two weights, a bias and a target (cells A2:E2 and H2)."""

    lesson = lesson01

    def make_sliders(self):
        d = self.lesson.DEFAULTS
        return dict(input1=slider("input 1", d["input1"], -1, 1),
                    input2=slider("input 2", d["input2"], -1, 1),
                    weight1=slider("weight 1", d["weight1"], -3, 3),
                    weight2=slider("weight 2", d["weight2"], -3, 3),
                    bias=slider("bias", d["bias"], -3, 3),
                    target=slider("target", d["target"], -1, 1))

    def make_plot(self):
        ax = self.figure.subplots()
        tanh_axes(ax)
        self.target_line = self.track(ax.axhline(0, color="#c44e52", ls="--", lw=1, label="target"))
        self.point = self.track(ax.plot([], [], "o", color="#dd8452", label="(net, output)")[0])
        ax.legend(loc="upper left", fontsize=8)
        self.figure.subplots_adjust(left=0.12, right=0.98, bottom=0.18, top=0.9)

    def show(self, values):
        sheet = self.lesson.sheet(**values)
        net, output, loss = (sheet.value(a) for a in ("F2", "G2", "I2"))
        self.set_table(sheet)
        self.point.set_data([net], [output])
        self.target_line.set_ydata([values["target"]] * 2)
        follow(self.point.axes, net)
        text = f"net {fixed(net, 4)} · output {fixed(output, 4)} · loss {fixed(loss, 6)}"
        if saturated(net):
            self.say(f"{text} · tanh is saturated (|net| above {SATURATED:g}): the output is stuck near "
                     "±1 and its gradient is almost 0, so learning would stall", warning=True)
        else:
            self.say(text)


class GradientExplorer(Explorer):
    """Part 2: one input; the loss against the weight, with its tangent (slope: C4)."""

    lesson = lesson02
    weights = np.linspace(-3, 3, 241)  # the weight slider's range
    reach = 1.0  # how far the tangent is drawn either side of the weight

    def make_sliders(self):
        d = self.lesson.DEFAULTS
        return dict(input=slider("input", d["input"], -1, 1),
                    weight=slider("weight", d["weight"], -3, 3),
                    bias=slider("bias", d["bias"], -3, 3),
                    target=slider("target", d["target"], -1, 1))

    def make_plot(self):
        left, right = self.figure.subplots(1, 2)
        tanh_axes(left)
        self.point = self.track(left.plot([], [], "o", color="#dd8452")[0])
        self.curve = self.track(right.plot([], [], color="#4878a8", lw=1.5)[0])
        self.tangent = self.track(right.plot([], [], color="#c44e52", lw=2)[0])
        self.spot = self.track(right.plot([], [], "o", color="#dd8452")[0])
        right.set(xlabel="weight", ylabel="loss", xlim=(-3, 3))
        right.set_title("loss; red: tangent, slope C4", fontsize=9)
        right.set_autoscale_on(False)
        self.figure.subplots_adjust(left=0.13, right=0.98, bottom=0.18, top=0.9, wspace=0.3)

    def show(self, values):
        sheet = self.lesson.sheet(**values)
        net, output, error, loss = (sheet.value(a) for a in ("E2", "F2", "H2", "I2"))
        weight_gradient, bias_gradient = sheet.value("C4"), sheet.value("D4")
        self.set_table(sheet)
        self.point.set_data([net], [output])
        follow(self.point.axes, net)
        # the whole loss curve, for this input, bias and target: error^2 / 2 as in I2
        losses = (np.tanh(values["input"] * self.weights + values["bias"]) - values["target"]) ** 2 / 2
        self.curve.set_data(self.weights, losses)
        w = values["weight"]
        span = np.array([w - self.reach, w + self.reach])
        self.tangent.set_data(span, loss + weight_gradient * (span - w))
        self.spot.set_data([w], [loss])
        self.curve.axes.set_ylim(0, headroom(self.curve.axes.get_ylim()[1], 1.05 * losses.max()))

        text = f"net {fixed(net, 4)} · output {fixed(output, 4)} · loss {fixed(loss, 6)}"
        if saturated(net):
            self.say(f"{text} · tanh is saturated (|net| above {SATURATED:g}): the gradient is almost 0, "
                     "so learning stalls", warning=True)
        elif error == 0:
            self.say(f"{text} · the output equals the target: the loss and every gradient are 0")
        else:
            text += (f" · weight gradient {fixed(weight_gradient, 4)}"
                     f" · bias gradient {fixed(bias_gradient, 4)}")
            if values["input"] == 0:
                text += " · the input is 0, so the weight has no effect on the loss"
            self.say(text)


def descent(input, target, weight, bias, learning_rate, iterations):
    """Each attempt's output and loss, and the weight and bias after the last attempt.

    training.train's arithmetic in the same order (so the same bits; a test checks),
    without building a row per attempt: 5000 attempts take ~3 ms instead of ~14.
    """
    outputs, losses = [], []
    for _ in range(iterations):
        output = math.tanh(input * weight + bias)
        error = output - target
        bias_gradient = error * (1 - output**2)
        weight_gradient = bias_gradient * input
        outputs.append(output)
        losses.append(error**2 / 2)
        weight, bias = weight - weight_gradient * learning_rate, bias - bias_gradient * learning_rate
    return outputs, losses, weight, bias


class TrainingExplorer(Explorer):
    """Part 3: starting weight and bias, learning rate (A2) and attempts; the loss falling."""

    lesson = lesson03
    shown = 8  # attempts shown in the table (rows 3-10)
    floor = 1e-36  # a loss of exactly 0 is drawn here (log scale); any other loss is above 1e-35
    _table_key = None  # the settings the table shows

    def make_sliders(self):
        d = self.lesson.DEFAULTS
        return dict(weight=slider("weight", d["weight"], -3, 3),
                    bias=slider("bias", d["bias"], -3, 3),
                    learning_rate=widgets.FloatLogSlider(
                        value=d["learning_rate"], base=10, min=-3, max=0, step=0.05,
                        description="learning rate", continuous_update=True, readout_format=".3g",
                        style={"description_width": "initial"}),
                    iterations=widgets.IntSlider(
                        value=d["rows"], min=1, max=5000, description="iterations",
                        continuous_update=True, style={"description_width": "initial"}))

    def make_plot(self):
        left, right = self.figure.subplots(1, 2)
        self.loss_line = self.track(left.plot([], [], color="#4878a8", lw=1.2)[0])
        left.set(xlabel="attempt", ylabel="loss", yscale="log")
        left.set_title("loss after each attempt", fontsize=9)
        self.output_line = self.track(right.plot([], [], color="#4878a8", lw=1.2, label="output")[0])
        right.axhline(self.target, color="#c44e52", ls="--", lw=1, label="target")
        right.set(xlabel="attempt", ylabel="output", ylim=(-1.05, 1.05))
        right.set_title("output after each attempt", fontsize=9)
        right.legend(loc="upper right", fontsize=8)
        for ax in (left, right):
            ax.set_autoscale_on(False)
        self.figure.subplots_adjust(left=0.13, right=0.98, bottom=0.18, top=0.9, wspace=0.3)

    @property
    def input(self):
        return self.lesson.DEFAULTS["training_input"]  # C3: 0.01

    @property
    def target(self):
        return self.input * 10  # D3: the neuron learns to multiply by 10

    def show(self, values):
        weight, bias = values["weight"], values["bias"]
        learning_rate, iterations = values["learning_rate"], values["iterations"]
        rows = min(iterations, self.shown)
        key = (weight, bias, learning_rate, rows)
        if key != self._table_key:  # the first attempts don't depend on how many follow
            self.set_table(self.lesson.sheet(weight=weight, bias=bias, learning_rate=learning_rate,
                                             rows=rows))
            self._table_key = key
        outputs, loss, last_weight, last_bias = descent(self.input, self.target, weight, bias,
                                                        learning_rate, iterations)
        attempts = np.arange(1, iterations + 1)
        loss = np.maximum(loss, self.floor)
        self.loss_line.set_data(attempts, loss)
        self.output_line.set_data(attempts, outputs)
        for ax in self.figure.axes:
            ax.set_xlim(0, nice_ceiling(iterations))
        # the loss never exceeds 2 (|error| <= 2); the bottom moves in steps of 6 decades
        self.loss_line.axes.set_ylim(10.0 ** (6 * math.floor(math.log10(loss.min()) / 6)), 10)

        output = math.tanh(self.input * last_weight + last_bias)  # the trained neuron, as Rust's demo
        error = output - self.target
        done = "1 attempt" if iterations == 1 else f"{iterations} attempts"
        text = (f"after {done}: weight {fixed(last_weight, 4)} · bias {fixed(last_bias, 4)} · "
                f"output {fixed(output, 6)} vs target {self.target:g} · loss {error**2 / 2:.3g}")
        if abs(error) > 1e-3 and 1 - output**2 < 0.05:
            self.say(f"{text} · tanh is saturated (output near ±1): the gradients are almost 0, so "
                     "learning stalls", warning=True)
        elif abs(error) > 1e-3:
            self.say(f"{text} · not there yet: more iterations or a larger learning rate", warning=True)
        else:
            self.say(text)


class BackpropExplorer(Explorer):
    """Part 4: a short live training run of the rectangle net; its loss and errors, window by window.

    The learning rate, the two hidden layers' sizes and the seed drive nbcourse.fast: a new
    net from the seed, then `steps` rectangles after the first, as the article's Rust demo
    (iteration 0 is reported alone, then each window). The loss curve is fast.loss_curve's
    and the errors fast.run's, for the same net and the same rectangles. Every slider
    setting stays finite: at the largest learning rates the outputs saturate at ±1 instead.
    """

    steps = 20_000  # rectangles after the first: ~6 ms each for the loss and the errors
    window = 500  # rectangles per point on the plots and in the readout's line
    stuck = 0.99  # outputs beyond ±this, for a middling rectangle, count as saturated
    # Fixed axes, so that moving a slider never redraws them and curves compare at a glance:
    # the mean losses of the settings we tried lie within these, and their errors nearly always.
    loss_limits = (1e-5, 10)
    error_limits = (0.1, 1000)

    def make_sliders(self):
        from nbcourse.network import SEED

        style = {"description_width": "initial"}
        return dict(learning_rate=widgets.FloatLogSlider(
                        value=0.01, base=10, min=-4, max=1, step=0.1, description="learning rate",
                        continuous_update=True, readout_format=".3g", style=style),
                    hidden1=widgets.IntSlider(value=3, min=1, max=8, description="layer 1 neurons",
                                              continuous_update=True, style=style),
                    hidden2=widgets.IntSlider(value=3, min=1, max=8, description="layer 2 neurons",
                                              continuous_update=True, style=style),
                    seed=widgets.IntSlider(value=SEED, min=0, max=99, description="seed",
                                           continuous_update=True, style=style))

    def make_plot(self):
        self.table.layout.display = "none"  # no sheet: the article's part 4 has none
        left, right = self.figure.subplots(1, 2)
        self.loss_line = self.track(left.plot([], [], color="#4878a8", lw=1.2)[0])
        left.set(xlabel="rectangles", ylabel="mean loss", yscale="log", ylim=self.loss_limits)
        left.set_title(f"loss, mean of each {self.window} rectangles", fontsize=9)
        self.area_line = self.track(right.plot([], [], color="#dd8452", lw=1.2, label="area")[0])
        self.circumference_line = self.track(
            right.plot([], [], color="#55a868", lw=1.2, label="circumference")[0])
        right.set(xlabel="rectangles", ylabel="mean error %", yscale="log", ylim=self.error_limits)
        right.set_title("errors, as the article prints them", fontsize=9)
        right.legend(loc="upper right", fontsize=8)
        for ax in (left, right):
            ax.set_xlim(0, self.steps)
            ax.set_autoscale_on(False)
        self.figure.subplots_adjust(left=0.13, right=0.98, bottom=0.18, top=0.9, wspace=0.35)

    @staticmethod
    def sizes(values):
        return (2, values["hidden1"], values["hidden2"], 2)

    def curves(self, values):
        """Mean loss and reports per window, and the trained parameters, for these slider values."""
        from nbcourse import fast

        sizes, seed, learning_rate = self.sizes(values), values["seed"], values["learning_rate"]
        losses = fast.loss_curve(seed, self.steps + 1, learning_rate, sizes)
        parameters, reports = fast.run(seed, self.steps + 1, learning_rate, self.window, sizes)
        # iteration 0 is reported alone; each report after it covers the window since the last
        windows = losses[1:].reshape(-1, self.window).mean(axis=1)
        return windows, np.array(reports[1:]), parameters

    def show(self, values):
        from nbcourse import network

        windows, reports, parameters = self.curves(values)
        ends = reports[:, 0]
        self.loss_line.set_data(ends, windows)
        self.area_line.set_data(ends, reports[:, 1])
        self.circumference_line.set_data(ends, reports[:, 2])

        iteration, area_error, circumference_error = reports[-1]
        sizes = self.sizes(values)
        text = (f"{network.report_line(int(iteration), area_error, circumference_error)} · "
                f"mean loss of the last {self.window} rectangles {fixed(windows[-1], 6)} · "
                f"net {sizes}: {network.parameter_count(sizes)} weights and biases")
        outputs = network.forward_pass(network.from_parameters(parameters, sizes), [0.55, 0.55])
        if max(abs(output) for output in outputs) > self.stuck:
            self.say(f"{text} · stuck: this learning rate threw the weights so far that the outputs "
                     "sit at ±1, where tanh's gradient is almost 0; try a smaller one", warning=True)
        elif area_error > 50:
            self.say(f"{text} · still far off after {self.steps:,} rectangles: try a larger learning "
                     "rate or more neurons", warning=True)
        else:
            self.say(text)

    def __repr__(self):
        v = self.values()
        return (f"{type(self).__name__}(learning_rate={v['learning_rate']:g}, "
                f"sizes={self.sizes(v)}, seed={v['seed']})")
