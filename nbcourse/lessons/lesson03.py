"""Lesson 03, part 3: training a single neuron, one row per attempt."""

from nbcourse.errors import count, number, positive, settings
from nbcourse.sheet import Chart, Part, Sheet, formula, given, header, read_inputs
from nbcourse.training import train

KEY = "03"
TITLE = "Training a single neuron"
FILE = "03-single-neuron-training.xlsx"
DEFAULTS = dict(learning_rate=0.1, training_input=0.01, weight=0.5, bias=0.5, rows=1000)
INPUTS = dict(A2="learning_rate", C3="training_input", G3="weight", I3="bias")
TITLES = dict(A1="Learning rate", C1="Training", F1="Neuron", N1="Outputs")
HEADERS = dict(C="In", D="Out", F="Input", G="Weight", H="Weight gradient", I="Bias",
               J="Bias gradient", K="Net", L="Output", N="Target", O="Attempt", P="Error",
               Q="Loss")
FIRST = 3  # the first attempt's row
# each column of an attempt's row: its formula (row r) and the value it shows from train()
COLUMNS = dict(
    D=("=C{r}*10", "target"), F=("=C{r}", "input"), H=("=J{r}*F{r}", "weight_gradient"),
    J=("=P{r}*(1-L{r}^2)", "bias_gradient"), K=("=F{r}*G{r}+I{r}", "net"),
    L=("=TANH(K{r})", "output"), N=("=D{r}", "target"), P=("=L{r}-N{r}", "error"),
    Q=("=P{r}^2/2", "loss"),
)
DECIMALS = dict(C=2, D=2, F=2, G=6, H=8, I=6, J=8, K=6, L=6, N=2, O=0, P=8, Q=10)


def sheet(**values):
    v = settings(DEFAULTS, values)
    learning_rate = positive("learning rate", v["learning_rate"])
    training_input = number("training input", v["training_input"])
    rows = count("rows", v["rows"])
    attempts = train(training_input, training_input * 10, number("weight", v["weight"]),
                     number("bias", v["bias"]), learning_rate, rows)

    s = Sheet("Single neuron training", freeze="A3", names={"LEARNING_RATE": "A2"},
              widths=dict(A=13, B=2, C=7, D=7, E=2, F=7, G=10, H=15, I=10, J=13, K=10, L=10,
                          M=2, N=7, O=8, P=12, Q=14))
    for address, text in TITLES.items():
        s[address] = header(text)
    for column, text in HEADERS.items():
        s[f"{column}2"] = header(text)
    s["A2"] = given(learning_rate)
    for r, attempt in enumerate(attempts, start=FIRST):
        s[f"C{r}"] = given(training_input, 2)
        if r == FIRST:
            s[f"G{r}"], s[f"I{r}"] = given(attempt["weight"]), given(attempt["bias"])
            s[f"O{r}"] = given(1, 0)
        else:
            s[f"G{r}"] = formula(f"=G{r - 1}-H{r - 1}*LEARNING_RATE", attempt["weight"], 6)
            s[f"I{r}"] = formula(f"=I{r - 1}-J{r - 1}*LEARNING_RATE", attempt["bias"], 6)
            s[f"O{r}"] = formula(f"=O{r - 1}+1", attempt["attempt"], 0)
        for column, (text, key) in COLUMNS.items():
            s[f"{column}{r}"] = formula(text.format(r=r), attempt[key], DECIMALS[column])
    last = FIRST + rows - 1
    s.parts.append(Part("the first attempt", f"D{FIRST}:Q{FIRST}"))
    if rows > 1:
        s.parts.append(Part("the second attempt: weight and bias nudged against their gradients",
                            f"D{FIRST + 1}:Q{FIRST + 1}"))
    if rows > 2:
        s.parts.append(Part("the other attempts: row 4 filled down", f"D{FIRST + 2}:Q{last}"))
    s.charts.append(Chart("Loss falling over the attempts", f"O{FIRST}:O{last}",
                          f"Q{FIRST}:Q{last}", "Attempt", "Loss", "S3"))
    return s


def arguments(cells):
    """A workbook's inputs: the settings in row 3 and A2, and how many attempt rows it has (each
    has its training input in column C, a blank's rows too)."""
    rows = 0
    while cells.get(f"C{FIRST + rows}") is not None:
        rows += 1
    return read_inputs(INPUTS, cells) | {"rows": rows}


def sheets(**values):
    return [sheet(**values)]
