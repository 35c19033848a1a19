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

.PHONY: lab test test-fast test-portable test-under-load execute app bench bench-notebooks clean

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "initkit needs Python >= 3.11")'
	@echo "== Setting up $(VENV): installing the pinned packages of requirements.txt with pip."
	@echo "== The first time this downloads about 120 packages (about 800 MB installed) and takes a few minutes;"
	@echo "== later runs reuse $(VENV)."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check --progress-bar on -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@
	@echo "== $(VENV) is ready."

# The server's root is the repository (the file browser shows notebooks/ and the package's source in
# initkit/); the browser opens on the first notebook.
LAB_URL := /lab/tree/work/00-start-here.ipynb

# JupyterLab's news and update popup would cover the first notebook on first open. The overrides shipped
# in .jupyter/lab/settings/overrides.json (news: never; update check: off; widget messages in the kernel's
# main thread, in order, not over a comm subshell, so the last slider value always wins) go where JupyterLab
# reads its default settings, inside the environment; a student can still change them in Settings. notebook_shim (a
# JupyterLab dependency for classic-notebook extensions, which the course does not use) reads the deprecated
# ServerApp.token while it links and prints "ServerApp.token config is deprecated": it is switched off.
# LAB_ARGS: extra options for jupyter lab (tests/test_make_lab.py passes a port, a token and --no-browser).
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
LAB_FLAGS     := --ServerApp.jpserver_extensions notebook_shim=False
LAB_ARGS      ?=

$(LAB_OVERRIDES): .jupyter/lab/settings/overrides.json $(STAMP)
	@mkdir -p $(dir $@) && cp $< $@

lab: $(STAMP) $(LAB_OVERRIDES)  ## set up, then open the course in JupyterLab
	@echo ""
	@echo "== Starting JupyterLab with notebooks/00-start-here.ipynb open."
	@echo "== Your browser opens by itself; if it does not, copy the http://127.0.0.1:...$(LAB_URL)?token=..."
	@echo "== address printed below into it. The file browser on the left holds notebooks/ and initkit/."
	@echo "== To stop: save your notebooks (Ctrl+S), then press Ctrl+C here and answer y (or press Ctrl+C twice)."
	@echo ""
	OPENBLAS_NUM_THREADS=1 $(BIN)/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=$(LAB_URL) $(ROOT_FLAG) \
	  $(LAB_FLAGS) $(LAB_ARGS)

# What instructors run: one pytest run (one start, two workers; loadscope keeps each notebook's cells and
# each test module in one worker): the doctests of initkit/, the unit tests, every notebook under strict
# nbval with this CPU's BLAS kernel, the browser tests. The portability check is `make test-portable`.
# --ignore-glob: --doctest-modules would also import each conftest.py as a module, and two of them clash
# by name; they still load as conftests.
test: $(STAMP)  ## set up, then run the doctests, unit tests, every notebook under strict nbval, and the browser tests
	$(RUN_ENV) $(BIN)/pytest -n 2 --dist loadscope -rs --doctest-modules --ignore-glob='*/conftest.py' $(NBVAL) \
	  initkit tests notebooks

# The stored outputs must hold on instructors' machines: strict nbval again with the OpenBLAS kernels and
# thread counts of other CPUs (tools/blas_variants.py lists the ones this CPU can run).
# OPENBLAS_THREAD_TIMEOUT=4: an idle OpenBLAS thread sleeps at once instead of spinning (by default about
# 2^28 cycles); results are the same. Spinning is what made two workers of two BLAS threads each on two
# cores slow (213 s against 86 s for one worker). Measured on a busy machine in CPU seconds: notebook 05
# under Sandybridge with 2 threads took 71 CPU-s spinning, 22 without; notebooks 03 and 05 with 2 threads
# took 52 CPU-s on two workers and 47 on one, so two workers no longer waste the cores.
test-portable: $(STAMP)  ## strict nbval of every notebook under other BLAS kernels and thread counts
	@$(PYTHON) tools/blas_variants.py | while read -r variant; do \
	  echo "== notebooks under strict nbval with $$variant"; \
	  env $(RUN_ENV) OPENBLAS_THREAD_TIMEOUT=4 $$variant \
	    $(BIN)/pytest -n 2 --dist loadscope -q -p no:cacheprovider --durations=3 $(NBVAL) notebooks < /dev/null || exit 1; \
	done

test-fast: $(STAMP)  ## unit tests only, without the cases marked slow (about a minute)
	$(RUN_ENV) $(BIN)/pytest -m "not slow" tests --ignore=tests/browser

# NOTEBOOKS: which ones (default: all); .ci/run re-executes a copy of one and checks that nothing changed.
NOTEBOOKS ?= notebooks/*.ipynb

execute: $(STAMP)  ## for authors: re-run every notebook in place, keep outputs and counts, drop widget state
	for nb in $(NOTEBOOKS); do \
	  $(RUN_ENV) $(BIN)/jupyter nbconvert --to notebook --execute --inplace "$$nb" || exit 1; \
	  $(BIN)/nbstripout --keep-output --keep-count "$$nb" || exit 1; \
	  $(BIN)/python tools/nbclean.py "$$nb" || exit 1; \
	done

app: $(STAMP)  ## the playground as a standalone web app (Voila), on http://127.0.0.1:8866
	OPENBLAS_NUM_THREADS=1 $(BIN)/voila apps/playground.ipynb --no-browser --Voila.ip=127.0.0.1 --port=8866

# BENCH_ARGS=--quick: every benchmark in seconds, no thresholds (.ci/run does this so none can rot).
BENCH_ARGS ?=

bench: $(STAMP)  ## speed benchmarks: training against PyTorch (if installed), every widget's step
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/train_speed.py $(BENCH_ARGS)
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/slider_latency.py $(BENCH_ARGS)

bench-notebooks: $(STAMP)  ## each notebook's Run All time (CPU and wall), as `make execute` runs it, without writing
	$(RUN_ENV) $(BIN)/python benchmarks/notebook_times.py $(BENCH_ARGS)

# The same suite beside one competing CPU-bound process at normal priority, as on a shared CI runner or a
# busy laptop: every timeout and assert must still hold. The process is killed when the target ends, also
# on failure or Ctrl+C. LOAD_TARGET picks what runs under load (default: test).
LOAD_TARGET ?= test

test-under-load: $(STAMP)  ## `make test` with one competing CPU-bound process running the whole time
	@$(PYTHON) -c 'while True: pass' & hog=$$!; \
	trap 'kill $$hog 2>/dev/null' EXIT INT TERM HUP; \
	echo "== make $(LOAD_TARGET) beside a competing CPU-bound process (pid $$hog)"; \
	$(MAKE) --no-print-directory $(LOAD_TARGET)

clean:
	rm -rf $(VENV) build dist *.egg-info

# --- The student's working copy, the student release and the website (tools/student.py, tools/site.py) ---
# `make lab` opens work/, a git-ignored copy of the notebooks made on first use and never overwritten, so
# a student's edits survive `git pull`; notebooks/ stays as released.
.PHONY: work-copy student reset-notebook site
lab: work-copy
work-copy: | $(STAMP)  ## copy into work/ the notebooks not there yet (a student's edited ones are kept)
	@$(BIN)/python tools/student.py work

student: $(STAMP)  ## write student/: the notebooks without example solutions (asks before overwriting edits)
	$(BIN)/python tools/student.py release

reset-notebook: $(STAMP)  ## put a fresh copy of one notebook into work/ (old one kept in work/.backup): NB=04
	@test -n "$(NB)" || { echo "usage: make reset-notebook NB=04"; exit 2; }
	$(BIN)/python tools/student.py reset $(NB)

site: $(STAMP)  ## build the course website in _build/html from the stored outputs (offline, no re-execution)
	$(RUN_ENV) $(BIN)/python tools/site.py
