# Two entry points on a fresh machine: `make chat` and `make test` (both set up .venv first).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup chat test eval bench

setup: $(VENV)/.installed

# llama-cpp-python builds from source (about 7 minutes on 2 cores); pip caches the wheel afterwards.
# For GPU offload build it with CUDA instead: CMAKE_ARGS="-DGGML_CUDA=on" make setup
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

chat: setup
	$(PY) cli.py

test: setup
	$(PY) -m pytest -q

eval: setup
	$(PY) cli.py eval evals/suites --repeat 1 --report reports/eval.json --junit reports/eval.xml
