"""`make lab` serves the course as the README says: on localhost only, behind JupyterLab's token.

The command is the Makefile's own (`make -n lab` prints it without running anything); the test
only picks the port and the token, and keeps JupyterLab from looking on the network.
"""

import os
import shlex
import subprocess
import urllib.error
import urllib.request

import nbformat
import pytest
from nbformat.sign import NotebookNotary

from nbcourse import browser

ROOT = browser.ROOT


def lab_command():
    """The `jupyter lab ...` line of `make lab`."""
    planned = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout
    return shlex.split(next(line for line in planned.splitlines() if "jupyter lab" in line))


def test_make_lab_keeps_the_token_and_listens_on_localhost():
    command = lab_command()
    assert "--ServerApp.ip=127.0.0.1" in command
    assert not [a for a in command if a.split("=")[0].endswith((".token", ".password", ".ip"))
                and a != "--ServerApp.ip=127.0.0.1"]
    assert (ROOT / command[-1]).is_file() and command[-1].startswith("notebooks/01-")


def test_make_lab_trusts_the_course_notebooks(tmp_path):
    """Trusted, a notebook shows its stored SVG pictures before any cell runs; `make lab` trusts
    them with its own command, here into a fresh Jupyter data folder."""
    planned = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout
    trust = next(line for line in planned.splitlines() if "jupyter trust" in line)
    notary = NotebookNotary(data_dir=str(tmp_path))
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert not any(notary.check_signature(nbformat.read(n, as_version=4)) for n in notebooks)
    subprocess.run(trust, shell=True, cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "JUPYTER_DATA_DIR": str(tmp_path)})
    assert all(notary.check_signature(nbformat.read(n, as_version=4)) for n in notebooks)


def test_make_lab_serves_the_first_lesson(tmp_path):
    command = lab_command()
    chosen = {}

    def serve(port, token):
        chosen.update(port=port, token=token)
        return [*command[:-1], "--no-browser", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}", "--LabApp.extension_manager=readonly",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", command[-1]]

    def answers():
        request = urllib.request.Request(f"http://127.0.0.1:{chosen['port']}/api/status",
                                         headers={"Authorization": f"token {chosen['token']}"})
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                return b"started" in response.read()
        except OSError:
            return False

    with browser.Server(serve, answers, "make lab's JupyterLab", tmp_path, cwd=ROOT) as server:
        lesson = server.api(f"api/contents/{command[-1]}")
        assert lesson["type"] == "notebook" and lesson["content"]["cells"]
        with pytest.raises(urllib.error.HTTPError) as refused:  # the same request, without the token
            urllib.request.urlopen(f"{server.url}api/contents/{command[-1]}", timeout=10)
        assert refused.value.code == 403
