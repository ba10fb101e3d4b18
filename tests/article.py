"""The articles' spreadsheets as printed, read from ../shared/articles/LAYOUTS.md.

Each entry is cell -> (formula or None, printed value). These literals are
copied from the articles, not produced by nbcourse, so tests can hold the
course to them.
"""

PART1 = {
    "A2": (None, "0.9"), "B2": (None, "0.8"), "C2": (None, "0.7"), "D2": (None, "0.6"),
    "E2": (None, "0.5"), "F2": ("=A2*C2+B2*D2+E2", "1.61"),
    "G2": ("=TANH(F2)", "0.9231600289968692"), "H2": (None, "0.8"),
    "I2": ("=(G2-H2)^2", "0.015168392742509655"),
}
PART1_HEADERS = dict(zip("ABCDEFGHI", ("Input 1", "Input 2", "Weight 1", "Weight 2", "Bias", "Net",
                                      "Output", "Target", "Loss"), strict=True))

PART2 = {
    "B2": (None, "0.4"), "C2": (None, "0.5"), "D2": (None, "0.6"), "E2": ("=B2*C2+D2", "0.8"),
    "F2": ("=TANH(E2)", "0.664"), "G2": (None, "0.7"), "H2": ("=F2-G2", "-0.035963"),
    "I2": ("=H2^2/2", "0.0006467"),
    "B3": ("=C2", "0.5"), "C3": ("=B2", "0.4"), "D3": (None, "1"), "E3": ("=1-F2^2", "0.5591"),
    "F3": ("=H2", "-0.036"),
    "B4": ("=B3*E4", "-0.0101"), "C4": ("=C3*E4", "-0.0080"), "D4": ("=E4", "-0.0201"),
    "E4": ("=E3*F4", "-0.0201"), "F4": ("=F3", "-0.036"),
    "F6": ("=F2+Tiny", "0.66414"), "G6": ("=G2", "0.7"), "H6": ("=F6-G6", "-0.035863"),
    "I6": ("=H6^2/2", "0.0006431"), "K6": ("=(I6-I2)/Tiny", "-0.0359"),
    "E7": ("=E2+Tiny", "0.8001"), "F7": ("=TANH(E7)", "0.66409"), "G7": ("=G2", "0.7"),
    "H7": ("=F7-G7", "-0.035907"), "I7": ("=H7^2/2", "0.0006447"), "K7": ("=(I7-I2)/Tiny", "-0.0201"),
    "B8": ("=B2", "0.4"), "C8": ("=C2", "0.5"), "D8": ("=D2+Tiny", "0.6001"),
    "E8": ("=B8*C8+D8", "0.8001"), "F8": ("=TANH(E8)", "0.66409"), "G8": ("=G2", "0.7"),
    "H8": ("=F8-G8", "-0.035907"), "I8": ("=H8^2/2", "0.0006447"), "K8": ("=(I8-I2)/Tiny", "-0.0201"),
    "B9": ("=B2", "0.4"), "C9": ("=C2+Tiny", "0.5001"), "D9": ("=D2", "0.6"),
    "E9": ("=B9*C9+D9", "0.80004"), "F9": ("=TANH(E9)", "0.66406"), "G9": ("=G2", "0.7"),
    "H9": ("=F9-G9", "-0.035941"), "I9": ("=H9^2/2", "0.0006459"), "K9": ("=(I9-I2)/Tiny", "-0.0080"),
    "B10": ("=B2+Tiny", "0.4001"), "C10": ("=C2", "0.5"), "D10": ("=D2", "0.6"),
    "E10": ("=B10*C10+D10", "0.80005"), "F10": ("=TANH(E10)", "0.66406"), "G10": ("=G2", "0.7"),
    "H10": ("=F10-G10", "-0.035935"), "I10": ("=H10^2/2", "0.0006457"),
    "K10": ("=(I10-I2)/Tiny", "-0.0100"),
    "B11": (None, "0.0001"),
}
PART2_TEXT = {
    "B1": "Input", "C1": "Weight", "D1": "Bias", "E1": "Net", "F1": "Output", "G1": "Target",
    "H1": "Error", "I1": "Loss", "A2": "Neuron maths:", "A3": "Real local gradients:",
    "A4": "Real global gradients:", "K5": "Faux gradient", "A6": "Faux gradient of 'output':",
    "A7": "Faux gradient of 'net':", "A8": "Faux gradient of 'bias':",
    "A9": "Faux gradient of 'weight':", "A10": "Faux gradient of 'input':", "A11": "Tiny",
    "C11": "Moved down here to help with readability",
}

# Part 3 prints formulas for rows 3-5 and only the constants' values.
PART3_TEXT = {
    "A1": "Learning rate", "C1": "Training", "F1": "Neuron", "N1": "Outputs", "C2": "In",
    "D2": "Out", "F2": "Input", "G2": "Weight", "H2": "Weight gradient", "I2": "Bias",
    "J2": "Bias gradient", "K2": "Net", "L2": "Output", "N2": "Target", "O2": "Attempt",
    "P2": "Error", "Q2": "Loss",
}
PART3 = {
    "A2": (None, "0.1"), "C3": (None, "0.01"), "D3": ("=C3*10", "0.1"), "F3": ("=C3", "0.01"),
    "G3": (None, "0.5"), "H3": ("=J3*F3", None), "I3": (None, "0.5"), "J3": ("=P3*(1-L3^2)", None),
    "K3": ("=F3*G3+I3", None), "L3": ("=TANH(K3)", None), "N3": ("=D3", "0.1"), "O3": (None, "1"),
    "P3": ("=L3-N3", None), "Q3": ("=P3^2/2", None),
    "C4": (None, "0.01"), "D4": ("=C4*10", "0.1"), "F4": ("=C4", "0.01"),
    "G4": ("=G3-H3*LEARNING_RATE", None), "H4": ("=J4*F4", None),
    "I4": ("=I3-J3*LEARNING_RATE", None), "J4": ("=P4*(1-L4^2)", None), "K4": ("=F4*G4+I4", None),
    "L4": ("=TANH(K4)", None), "N4": ("=D4", "0.1"), "O4": ("=O3+1", "2"), "P4": ("=L4-N4", None),
    "Q4": ("=P4^2/2", None),
    "G5": ("=G4-H4*LEARNING_RATE", None), "I5": ("=I4-J4*LEARNING_RATE", None),
    "O5": ("=O4+1", "3"),
}
