"""environment.yml (the conda route) installs what pyproject.toml pins, and both agree
with constraints.txt."""

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def pins(lines):
    return dict(line.split("==") for line in lines if "==" in line)


def test_environment_yml_pins_what_pyproject_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pyproject = pins(project["dependencies"] + project["optional-dependencies"]["test"])
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    conda_pip = next(d["pip"] for d in environment if isinstance(d, dict))
    assert pins(conda_pip) == pyproject
    assert "--editable ." in conda_pip and "--constraint constraints.txt" in conda_pip
    python = next(d for d in environment if isinstance(d, str) and d.startswith("python"))
    version = tuple(int(x) for x in python.split("=")[1].split("."))
    assert version >= tuple(int(x) for x in project["requires-python"].removeprefix(">=").split("."))


def test_constraints_agree_with_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pyproject = pins(project["dependencies"] + project["optional-dependencies"]["test"])
    lines = [line for line in (ROOT / "constraints.txt").read_text().splitlines()
             if not line.startswith("#")]
    constraints = {k.lower().replace("_", "-"): v for k, v in pins(lines).items()}
    for name, version in pyproject.items():
        assert constraints[name.lower()] == version, name
