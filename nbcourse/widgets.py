"""Live explorers, one per lesson: move a slider, watch the sheet, the plot and the numbers follow.

A slider move must show within a frame or two, so an update sends the browser little, in a
form it shows at once (benchmarks/sliders.py measures it):

- the sheet is a plain HTML table, its look in one style sheet sent once (sheet.STYLE): re-sending
  pandas' styled table, whose style sheet carries every cell's tooltip, cost the browser a restyle
  of the whole page on every move;
- each explorer keeps one matplotlib figure for its whole life. The artists that move
  (`line.set_data`) go to the browser as SVG, drawn by matplotlib's own SVG renderer: a few
  kilobytes, sharp at any screen resolution, nothing to decode. The axes under them are a PNG
  at twice the pixels (sharp on high-resolution screens), drawn only for limits not seen before
  (each picture is kept); limits move in coarse steps, so that happens rarely;
- all that a move changes is one widget (`view`), so one message: each message costs the kernel,
  the server and the page a few milliseconds.

The slider ranges keep every value finite: tanh never overflows and the error stays within [-2, 2].

    explorer = GradientExplorer()
    explorer                                  # in a notebook: sliders, numbers, sheet, plot
    explorer.sliders["weight"].value = 0.6    # the same as dragging it
    explorer.readout                          # 'net 0.6400 · output ...'
"""

import html
import io
import math
import re
import threading
import traceback

import ipywidgets as widgets
import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.figure import Figure
from PIL import Image

from nbcourse import graph, neuron, training
from nbcourse.lessons import lesson01, lesson02, lesson03
from nbcourse.sheet import STYLE

FIGSIZE = (9, 3)  # inches
DPI = 80  # CSS pixels per inch: the picture is at most 720 x 240 on the page, narrower where
# the page is
SCALE = 2  # device pixels per CSS pixel in the axes' PNG (a high-resolution screen's)
POINTS = 72  # SVG user units per inch: matplotlib's SVG renderer measures line widths in points
SATURATED = 4.0  # |net| beyond which tanh's slope (1 - output^2) is below 0.0014
WARNING = "#a40000"
# matplotlib's SVG starts with an XML prolog and a <style> for `*`: inline in a page, that style
# would apply to the whole page and restyle it on every update; its two settings go on <svg>.
SVG_STYLE = re.compile(r"<defs>\s*<style[^<]*</style>\s*</defs>\s*")
NO_METADATA = dict.fromkeys(("Creator", "Date", "Format", "Type"))  # no date: same numbers, same text


def slider(description, value, low, high, step=0.01):
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               continuous_update=True, readout_format=".2f",
                               style={"description_width": "initial"})


class Explorer:
    """Sliders, a one-line readout, the sheet and one figure; subclasses fill in the lesson.

    Each widget that changes is one message from the kernel to the page on every move (a few
    milliseconds each, on either side, and a frame of its own in the page), so everything a move
    changes is one widget, `view`: the readout, the sheet and the moving artists (SVG). The axes'
    PNG sits under its bottom, in the same grid cell, and changes only with the axes' limits.
    """

    lesson = None  # the lesson module whose sheet is shown

    def __init__(self):
        self.sliders = self.make_sliders()
        self.readout = ""  # one line of plain text: what the numbers say
        self.warning = False  # whether the readout is a warning (shown in WARNING's colour)
        self.table = ""  # the sheet as HTML (Sheet.html)
        self.drawing = ""  # the moving artists as SVG (see svg)
        self.table_style = widgets.HTML(STYLE)  # sent once: the table's look
        self.figure = Figure(figsize=FIGSIZE, dpi=POINTS)  # not pyplot's: never shown by plt.show()
        FigureCanvasAgg(self.figure)
        # one grid cell: the view (readout, sheet, drawing last) over the axes' PNG, which sits at
        # the bottom, as wide as the drawing, so the two line up exactly
        width = f"{round(FIGSIZE[0] * DPI)}px"
        self.image = widgets.Image(format="png", layout=widgets.Layout(
            width="100%", max_width=width, height="auto", margin="0", grid_area="1 / 1",
            align_self="flex-end"))
        self.view = widgets.HTML(layout=widgets.Layout(grid_area="1 / 1", margin="0"))
        self.board = widgets.GridBox([self.image, self.view], layout=widgets.Layout(
            grid_template_columns="minmax(0, 1fr)"))
        self._svg_style = f'style="display: block; width: 100%; max-width: {width}; height: auto" '
        self.errors = widgets.Output()  # a failing update shows its traceback here
        self.moving = []  # artists redrawn on every update (animated: left out of the axes' picture)
        self.make_plot()
        self._backgrounds = {}  # axes limits -> the PNG of the axes drawn with them
        self.redraws = 0  # full draws of the axes (the rest only redraw the moving artists)
        self._updating = threading.Lock()
        self.shown_values = None  # the slider values of the last finished update
        self.update()  # errors here raise: the explorer could not be built
        for s in self.sliders.values():
            s.observe(self._changed, names="value")
        controls = widgets.HBox(list(self.sliders.values()), layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([controls, *self.parts(), self.errors])

    # subclasses: the sliders, the figure's artists, and what one update computes and shows
    def make_sliders(self):
        raise NotImplementedError

    def make_plot(self):
        raise NotImplementedError

    def show(self, values):
        """Compute from the slider values; set the sheet, the artists and the readout."""
        raise NotImplementedError

    def parts(self):
        """The widgets between the sliders and the error area, top to bottom."""
        return [self.table_style, self.board]

    def values(self):
        return {name: s.value for name, s in self.sliders.items()}

    def update(self):
        """Recompute everything from the sliders' values."""
        values = self.values()
        self.show(values)
        self.image.value = self.axes_png()  # the same bytes as before send nothing
        self.drawing = self.svg()
        self.view.value = self.numbers_html() + self.drawing
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
                self.view.value = self.numbers_html() + self.drawing
                self.errors.outputs = ()
                self.errors.append_stderr(traceback.format_exc())

    def say(self, text, warning=False):
        self.readout, self.warning = text, warning

    def set_table(self, sheet):
        self.table = sheet.html()

    def numbers_html(self):
        """The readout line and the sheet, as HTML."""
        colour = f' style="color: {WARNING}"' if self.warning else ""
        return f"<div{colour}>{html.escape(self.readout, quote=False)}</div>{self.table}"

    def track(self, artist):
        """Mark an artist as moving: drawn as SVG on each update, left out of the axes' picture."""
        artist.set_animated(True)
        self.moving.append(artist)
        return artist

    def axes_png(self):
        """The axes without the moving artists, as a PNG at SCALE times the page's pixels; drawn
        once for each set of limits (new limits, new tick labels) and kept."""
        limits = tuple((ax.get_xlim(), ax.get_ylim()) for ax in self.figure.axes)
        if limits not in self._backgrounds:
            self.figure.set_dpi(DPI * SCALE)
            try:
                self.figure.canvas.draw()  # animated artists are left out
                canvas = self.figure.canvas
                width, height = canvas.get_width_height()
                picture = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA",
                                           0, 1)
                data = io.BytesIO()
                picture.save(data, format="png", compress_level=1)
            finally:
                self.figure.set_dpi(POINTS)
            self.redraws += 1
            if len(self._backgrounds) >= 20:  # forget the oldest
                del self._backgrounds[next(iter(self._backgrounds))]
            self._backgrounds[limits] = data.getvalue()
        return self._backgrounds[limits]

    def svg(self):
        """The moving artists as SVG text, laid exactly over the axes' picture."""
        out = io.StringIO()
        width, height = (size * POINTS for size in FIGSIZE)
        with matplotlib.rc_context({"svg.hashsalt": "nbcourse", "svg.id": None}):  # ids from content
            renderer = RendererSVG(width, height, out, metadata=NO_METADATA)
            for artist in self.moving:
                artist.draw(renderer)
            renderer.finalize()
        text = out.getvalue()
        text, styles = SVG_STYLE.subn("", text[text.index("<svg"):], count=1)
        if styles != 1:
            raise RuntimeError("matplotlib's SVG no longer starts as nbcourse.widgets expects: check "
                               "SVG_STYLE against this matplotlib version")
        return text.replace("<svg ", f'<svg {self._svg_style}stroke-linejoin="round" '
                            'stroke-linecap="butt" ', 1)

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
        self.figure.subplots_adjust(left=0.07, right=0.97, bottom=0.16, top=0.91)

    def show(self, values):
        sheet = self.lesson.sheet(**values)
        net, output, loss = (sheet.value(a) for a in ("F2", "G2", "I2"))
        self.set_table(sheet)
        self.point.set_data([net], [output])
        self.target_line.set_ydata([values["target"]] * 2)
        follow(self.point.axes, net)
        text = f"net {fixed(net, 4)} · output {fixed(output, 4)} · loss {fixed(loss, 6)}"
        if saturated(net):
            # lesson 01's words: gradients come in lesson 02
            self.say(f"{text} · the net is past {SATURATED:g}, on tanh's flat shoulder: the output is "
                     "stuck near ±1 and hardly moves when the net moves", warning=True)
        else:
            self.say(text)


class GradientExplorer(Explorer):
    """Part 2: one input; the neuron as a computation graph (its cells, local gradients on the
    arrows, global gradients flowing back), and the loss against the weight, with its tangent
    (slope: C4)."""

    lesson = lesson02
    weights = np.linspace(-3, 3, 241)  # the weight slider's range
    reach = 1.0  # how far the tangent is drawn either side of the weight

    def numbers_html(self):
        return super().numbers_html() + self.graph  # the graph under its sheet, in the same message

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
        self.figure.subplots_adjust(left=0.07, right=0.97, bottom=0.16, top=0.91, wspace=0.2)

    def show(self, values):
        sheet = self.lesson.sheet(**values)
        net, output, error, loss = (sheet.value(a) for a in ("E2", "F2", "H2", "I2"))
        weight_gradient, bias_gradient = sheet.value("C4"), sheet.value("D4")
        self.set_table(sheet)
        self.graph = graph.neuron(input=values["input"], weight=values["weight"], bias=values["bias"],
                                  target=values["target"], show="global").svg
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
            self.say(f"{text} · tanh is saturated (|net| above {SATURATED:g}): its slope 1 − output² is "
                     "below 0.0014, so every gradient is almost 0 and learning stalls", warning=True)
        elif error == 0:
            self.say(f"{text} · the output equals the target: the loss and every gradient are 0")
        else:
            text += (f" · weight gradient {fixed(weight_gradient, 4)}"
                     f" · bias gradient {fixed(bias_gradient, 4)}")
            if values["input"] == 0:
                text += " · the input is 0, so the weight has no effect on the loss"
            self.say(text)


def nudges(count):
    return "1 nudge" if count == 1 else f"{count} nudges"


def settling(errors):
    """Whether the last errors zigzag in to the target: each past it, each smaller than the one before."""
    pairs = list(zip(errors, errors[1:]))
    return bool(pairs) and all((a > 0) != (b > 0) and abs(b) < abs(a) for a, b in pairs)


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
                        value=d["learning_rate"], base=10, min=-3, max=1, step=0.05,
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
        self.figure.subplots_adjust(left=0.08, right=0.97, bottom=0.16, top=0.91, wspace=0.2)

    @property
    def input(self):
        return self.lesson.DEFAULTS["training_input"]  # C3: 0.01

    @property
    def target(self):
        return self.input * 10  # D3 = C3 × 10: the article's aim (one example teaches a point)

    def show(self, values):
        weight, bias = values["weight"], values["bias"]
        learning_rate, iterations = values["learning_rate"], values["iterations"]
        rows = min(iterations, self.shown)
        key = (weight, bias, learning_rate, rows)
        if key != self._table_key:  # the first attempts don't depend on how many follow
            self.set_table(self.lesson.sheet(weight=weight, bias=bias, learning_rate=learning_rate,
                                             rows=rows))
            self._table_key = key
        rows = training.train(self.input, self.target, weight, bias, learning_rate, iterations)
        outputs = [row["output"] for row in rows]
        loss = np.maximum([row["loss"] for row in rows], self.floor)
        last_weight, last_bias = training.descend(rows[-1], learning_rate)
        attempts = np.arange(1, iterations + 1)
        self.loss_line.set_data(attempts, loss)
        self.output_line.set_data(attempts, outputs)
        for ax in self.figure.axes:
            ax.set_xlim(0, nice_ceiling(iterations))
        # the loss never exceeds 2 (|error| <= 2); the bottom moves in steps of 6 decades
        self.loss_line.axes.set_ylim(10.0 ** (6 * math.floor(math.log10(loss.min()) / 6)), 10)

        output = neuron.output(neuron.net([self.input], [last_weight], last_bias))  # as Rust's demo
        error = output - self.target
        done = "1 attempt" if iterations == 1 else f"{iterations} attempts"
        text = (f"after {done}: weight {fixed(last_weight, 4)} · bias {fixed(last_bias, 4)} · "
                f"output {fixed(output, 6)} vs target {self.target:g} · loss {error**2 / 2:.3g}")
        # the error changes sign when a nudge jumps past the target
        jumps = sum((a["error"] > 0) != (b["error"] > 0) for a, b in zip(rows, rows[1:]))
        if abs(error) <= 1e-3:
            self.say(text)
        elif jumps and settling([row["error"] for row in rows[-10:]]):
            self.say(f"{text} · overshooting: {nudges(jumps)} jumped past the target, each jump smaller "
                     "than the last, so it is settling: give it more attempts", warning=True)
        elif jumps:
            self.say(f"{text} · overshooting: {nudges(jumps)} jumped past the target and the output "
                     "swings from side to side without settling: try a smaller learning rate", warning=True)
        elif 1 - output**2 < 0.05:
            self.say(f"{text} · tanh is saturated (output near ±1): its slope 1 − output² is below "
                     "0.05, so each step is small and learning crawls", warning=True)
        else:
            self.say(f"{text} · not there yet: more attempts or a larger learning rate", warning=True)


class BackpropExplorer(Explorer):
    """Part 4: a short live training run of the rectangle net; its loss and errors, window by window.

    The learning rate, the two hidden layers' sizes and the seed drive nbcourse.fast: a new
    net from the seed, then `steps` rectangles after the first, as the article's Rust demo
    (iteration 0 is reported alone, then each window). One compiled training run gives both
    the loss of each rectangle and the article's error reports. Every slider setting stays
    finite: at the largest learning rates the outputs saturate at ±1 instead.
    """

    steps = 20_000  # rectangles after the first: ~6 ms of training
    window = 500  # rectangles per point on the plots and in the readout's line
    stuck = 0.99  # outputs beyond ±this, for a middling rectangle, count as saturated
    bumpy = 1.0  # from this learning rate up, the starting net learns worse than at 0.5 (measured)
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
        self.figure.subplots_adjust(left=0.08, right=0.97, bottom=0.16, top=0.91, wspace=0.2)

    def parts(self):
        return [self.board]  # no sheet: the article's part 4 has none

    @staticmethod
    def sizes(values):
        return (2, values["hidden1"], values["hidden2"], 2)

    def curves(self, values):
        """Mean loss and reports per window, and the trained parameters, for these slider values."""
        from nbcourse import fast

        sizes, seed, learning_rate = self.sizes(values), values["seed"], values["learning_rate"]
        parameters, reports, losses = fast.run(seed, self.steps + 1, learning_rate, self.window, sizes,
                                               losses=True)  # one training run gives both
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
        elif area_error > 50 and values["learning_rate"] >= self.bumpy:
            self.say(f"{text} · still far off after {self.steps:,} rectangles: steps this big throw the "
                     "weights about; try a smaller learning rate", warning=True)
        elif area_error > 50:
            self.say(f"{text} · still far off after {self.steps:,} rectangles: try a larger learning "
                     "rate or more neurons", warning=True)
        else:
            self.say(text)

    def __repr__(self):
        v = self.values()
        return (f"{type(self).__name__}(learning_rate={v['learning_rate']:g}, "
                f"sizes={self.sizes(v)}, seed={v['seed']})")
