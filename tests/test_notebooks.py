"""The committed notebooks: executed top to bottom, without errors, in the course's order.
(Strict nbval, run by `make test` on notebooks/, re-executes them and compares every output.)"""

from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
# one per article, and lesson 04's going-further part after it (the 100M run, the seeds, the plateau)
EXPECTED = ["01-single-neuron", "02-single-neuron-gradients", "03-single-neuron-training",
            "04-backpropagation", "04b-going-further"]


def test_one_notebook_per_article_and_lesson_04_s_going_further():
    assert [n.stem for n in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_with_outputs_from_one_top_to_bottom_run(path):
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    assert all(output.output_type != "error" for cell in code for output in cell.outputs)
    assert notebook.metadata.kernelspec.name == "python3"
    exempt = [cell for cell in code if "nbval-ignore-output" in cell.metadata.get("tags", [])]
    assert len(exempt) <= 2, "keep cells exempt from nbval's comparison few"
