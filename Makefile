# The course in two commands: `make lab` (set up, open JupyterLab) and `make test` (set up, run every test).
# Both build .venv from the pinned requirements.txt on first use and reuse it afterwards.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# JupyterLab refuses to run as root unless told; containers and Binder-like machines run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# One BLAS thread: stored notebook outputs must not depend on the thread count, and small matrix
# products are faster on one thread anyway. INITKIT_PROGRESS=0 keeps timing text out of outputs.
RUN_ENV := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 INITKIT_PROGRESS=0
NBVAL   := --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg

.PHONY: lab test test-fast test-portable execute app bench clean

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10) and "initkit needs Python >= 3.10")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

lab: $(STAMP)  ## set up, then open the course in JupyterLab
	OPENBLAS_NUM_THREADS=1 $(BIN)/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG)

test: $(STAMP)  ## set up, then run the unit tests, every notebook under strict nbval, and the browser tests
	$(RUN_ENV) $(BIN)/pytest -n 2 --dist loadscope -rs $(NBVAL) tests notebooks
	@$(MAKE) --no-print-directory test-portable

# The stored outputs must hold on instructors' machines: strict nbval again with the OpenBLAS kernels and
# thread counts of other CPUs (tools/blas_variants.py lists the ones this CPU can run).
test-portable: $(STAMP)  ## strict nbval of every notebook under other BLAS kernels and thread counts
	@for variant in $$($(PYTHON) tools/blas_variants.py | tr ' ' '+'); do \
	  variant=$$(echo "$$variant" | tr '+' ' '); \
	  echo "== notebooks under strict nbval with $$variant"; \
	  env $(RUN_ENV) $$variant $(BIN)/pytest -n 2 --dist loadscope -q -p no:cacheprovider --durations=3 \
	    $(NBVAL) notebooks || exit 1; \
	done

test-fast: $(STAMP)  ## unit tests only
	$(RUN_ENV) $(BIN)/pytest -n 2 tests

execute: $(STAMP)  ## for authors: re-run every notebook in place, keep outputs and counts, drop widget state
	for nb in notebooks/*.ipynb; do \
	  $(RUN_ENV) $(BIN)/jupyter nbconvert --to notebook --execute --inplace "$$nb" || exit 1; \
	  $(BIN)/nbstripout --keep-output --keep-count "$$nb" || exit 1; \
	  $(BIN)/python tools/nbclean.py "$$nb" || exit 1; \
	done

app: $(STAMP)  ## the playground as a standalone web app (Voila), on http://127.0.0.1:8866
	OPENBLAS_NUM_THREADS=1 $(BIN)/voila apps/playground.ipynb --no-browser --Voila.ip=127.0.0.1 --port=8866

bench: $(STAMP)  ## speed benchmarks (train_speed.py compares against PyTorch if it is installed)
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/train_speed.py
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/slider_latency.py

clean:
	rm -rf $(VENV) build *.egg-info
