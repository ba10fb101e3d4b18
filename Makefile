# Two commands do everything on a fresh machine with Python >= 3.11:
#   make lab   - set up, build the workbooks, open the course in JupyterLab
#   make test  - set up, run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup build lab test lint notebooks benchmark clean

setup: $(VENV)/.installed

# uv installs the pinned set in seconds (pip takes about a minute): the machine's own uv, or the
# pinned one installed into the venv; pip does it all where uv can't be had.
$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "nbcourse needs Python 3.11 or newer; this is " + sys.version.split()[0] + ". Install a newer Python and run again (or: make PYTHON=python3.12 ...).")'
	$(PYTHON) -m venv $(VENV)
	@uv=$$(command -v uv || { $(BIN)/pip install --quiet $$(grep '^uv==' constraints.txt) && echo $(BIN)/uv; }); \
	if [ -n "$$uv" ] && "$$uv" pip install --python $(BIN)/python --quiet -c constraints.txt -e '.[test]'; then \
	  echo "installed with $$uv"; \
	else \
	  echo "installing with pip"; $(BIN)/pip install --quiet -c constraints.txt -e '.[test]'; \
	fi
	@touch $@

build: setup
	$(BIN)/python -m nbcourse build

# Token authentication stays on; the server listens on localhost only. As root (a container,
# a fresh cloud machine) JupyterLab refuses to start unless told that is meant.
AS_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)
# The course's notebooks are trusted, so their stored pictures (SVG) show before a cell is run.
lab: setup
	-$(BIN)/python -m nbcourse build
	$(BIN)/jupyter trust notebooks/*.ipynb
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --notebook-dir=. $(AS_ROOT) notebooks/01-single-neuron.ipynb

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .

# Re-execute every notebook in place (after a change to nbcourse that alters their outputs).
notebooks: setup
	cd notebooks && for notebook in *.ipynb; do \
	  ../$(BIN)/jupyter nbconvert --to notebook --execute --inplace "$$notebook" || exit 1; done

benchmark: setup
	$(BIN)/python benchmarks/trainer.py
	$(BIN)/python benchmarks/sliders.py
	$(BIN)/python benchmarks/check.py

clean:
	rm -rf $(VENV) .pytest_cache
