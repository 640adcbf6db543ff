# Two entry points on a fresh machine: `make chat` and `make test` (both set up .venv first).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup setup-cuda chat test eval bench

setup: $(VENV)/.installed

# llama-cpp-python builds from source (about 7 minutes on 2 cores); pip caches the wheel afterwards.
# For GPU offload rebuild it with CUDA afterwards: make setup-cuda (below).
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# Rebuild the llama-cpp-python that setup installed, with CUDA, so LlamaCppModel offloads every layer. Needs nvcc
# (with cuBLAS) and takes a few minutes (about 4 on 16 cores for one GPU architecture; bench/gpu_offload.py
# measures the result). llama.cpp builds for the GPUs it sees; with none visible, add e.g.
# CUDA_CMAKE_ARGS=-DCMAKE_CUDA_ARCHITECTURES=90. --no-cache-dir: pip would reuse the CPU wheel it cached.
CUDA_CMAKE_ARGS ?=
setup-cuda: setup
	CMAKE_ARGS="-DGGML_CUDA=on $(CUDA_CMAKE_ARGS)" $(PY) -m pip install --force-reinstall --no-deps --no-cache-dir \
		--no-binary llama-cpp-python "llama-cpp-python==$$($(PY) -c 'import llama_cpp; print(llama_cpp.__version__)')"
	$(PY) -c "import llama_cpp, sys; sys.exit(0 if llama_cpp.llama_supports_gpu_offload() else 'built without GPU offload')"

chat: setup
	$(PY) cli.py

test: setup
	$(PY) -m pytest -q

eval: setup
	$(PY) cli.py eval evals/suites --repeat 1 --report reports/eval.json --junit reports/eval.xml
