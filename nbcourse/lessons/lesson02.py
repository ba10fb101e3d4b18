"""Lesson 02, part 2: real (calculus) and faux (nudged) gradients of one neuron."""

from nbcourse.errors import number, positive, settings
from nbcourse.gradients import faux_gradients, forward, global_gradients, local_gradients
from nbcourse.sheet import Part, Sheet, constant, formula, given, header, label, note, read_inputs

KEY = "02"
TITLE = "Gradients for a single neuron"
FILE = "02-single-neuron-gradients.xlsx"
DEFAULTS = dict(input=0.4, weight=0.5, bias=0.6, target=0.7, tiny=0.0001)
INPUTS = dict(B2="input", C2="weight", D2="bias", G2="target", B11="tiny")
HEADERS = dict(B="Input", C="Weight", D="Bias", E="Net", F="Output", G="Target", H="Error",
               I="Loss")
# the faux-gradient rows: the label, the row, the column that gets Tiny added
FAUX = (("output", 6, "F"), ("net", 7, "E"), ("bias", 8, "D"), ("weight", 9, "C"),
        ("input", 10, "B"))
# the neuron's chain in one row r, column by column, and the stage each column holds
CHAIN = dict(B="input", C="weight", D="bias", E="net", F="output", G="target", H="error",
             I="loss")
CHAIN_FORMULAS = dict(E="=B{r}*C{r}+D{r}", F="=TANH(E{r})", H="=F{r}-G{r}", I="=H{r}^2/2")
# decimals shown, as the article prints its cells (LAYOUTS.md): the net and what feeds it in full
# (0.8, 0.5001, 0.80004), the output to 3 in row 2 (0.664) and 5 in the nudged rows (0.66414)
DECIMALS = dict(B=None, C=None, D=None, E=None, F=5, G=None, H=6, I=7)


def sheet(**values):
    v = {k: number(k, x) for k, x in settings(DEFAULTS, values).items()}
    tiny = positive("Tiny", v.pop("tiny"))
    values = forward(**v)
    local = local_gradients(values)
    gradient = global_gradients(local)
    faux = faux_gradients(**v, tiny=tiny)

    s = Sheet("Single neuron gradients", freeze="B2", names={"Tiny": "B11"},
              widths=dict(A=26, **{c: 11 for c in "BCDEFGHIJ"}, K=14))
    for column, text in HEADERS.items():
        s[f"{column}1"] = header(text)
    s["A2"] = label("Neuron maths:")
    for address, key in INPUTS.items():
        s[address] = given({**values, "tiny": tiny}[key])
    for column, text in CHAIN_FORMULAS.items():
        decimals = 3 if column == "F" else DECIMALS[column]  # F2 is printed 0.664
        s[f"{column}2"] = formula(text.format(r=2), values[CHAIN[column]], decimals)

    s["A3"] = label("Real local gradients:")
    s.row(3, B=formula("=C2", local["input"]), C=formula("=B2", local["weight"]),
          D=constant(local["bias"]), E=formula("=1-F2^2", local["net"], 4),
          F=formula("=H2", local["output"], 3))
    s["A4"] = label("Real global gradients:")
    s.row(4, B=formula("=B3*E4", gradient["input"], 4), C=formula("=C3*E4", gradient["weight"], 4),
          D=formula("=E4", gradient["bias"], 4), E=formula("=E3*F4", gradient["net"], 4),
          F=formula("=F3", gradient["output"], 3))

    s["K5"] = header("Faux gradient")
    for stage, r, nudged in FAUX:
        s[f"A{r}"] = label(f"Faux gradient of '{stage}':")
        row = faux[stage]
        for column in "BCDEFGHI":
            if column < (nudged if nudged in "EF" else "B"):
                continue  # net and output rows start at the nudged cell; the others at B
            if column == nudged:
                text = f"={column}2+Tiny"
            elif column in CHAIN_FORMULAS:
                text = CHAIN_FORMULAS[column].format(r=r)
            else:  # inputs downstream of the nudge, and the target, point back at row 2
                text = f"={column}2"
            s[f"{column}{r}"] = formula(text, row[CHAIN[column]], DECIMALS[column])
        s[f"K{r}"] = formula(f"=(I{r}-I2)/Tiny", row["faux_gradient"], 4)

    s["A11"] = label("Tiny")
    s["C11"] = note("Moved down here to help with readability")
    s.parts += [Part("net, output, error and loss", "E2:I2"), Part("real local gradients", "B3:F3"),
                Part("real global gradients", "B4:F4"),
                Part("row 2 again, each with one cell nudged by Tiny", "B6:I10"),
                Part("faux gradients", "K6:K10")]
    return s


def sheets(**values):
    return [sheet(**values)]


def arguments(cells):
    return read_inputs(INPUTS, cells)
