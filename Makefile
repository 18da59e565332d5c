# One command each: `make demo` runs the robot on the bundled mock portal, `make test` runs
# every check. Both set up .venv (pinned by constraints.txt) and a browser when needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup browser demo test lint typecheck pytest bench screenshots clean safety po fuzz

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@# An editable install leaves the robot's own modules uncompiled; where PYTHONDONTWRITEBYTECODE
	@# is set, every run would compile them again (~0.05 s of its start-up).
	$(BIN)/python -m compileall -q src/emsys_rpa
	touch $(STAMP)

setup: $(STAMP) browser

browser: $(STAMP)
	$(BIN)/emsys-rpa browser --install

demo: setup
	$(BIN)/emsys-rpa demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	@# The robot waits for conditions, never for a fixed time (the mock portal may sleep).
	@if grep -rnE 'wait_for_timeout\(|time\.sleep\(|asyncio\.sleep\(' src/emsys_rpa \
	    --include='*.py' | grep -v '/mockportal/'; then \
	  echo "lint: fixed sleeps found in the robot's code (wait for a condition instead)"; \
	  exit 1; fi

# Two processes (pytest-xdist): every test starts its own mock portal on a free port and its own
# browser, so they run side by side; PYTEST_WORKERS=0 runs them in this process, one by one.
PYTEST_WORKERS ?= 2
pytest: setup
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS)

test: setup lint pytest

# The safety proof on its own: every cell of the fault matrix (scenarios × renderings × tasks;
# `make test` runs one cell per scenario), crash reruns, Ctrl-C/SIGTERM, awkward dates, no
# password leak, undeliverable notifications — in two processes (pytest-xdist). Its last line
# is the matrix's size and result quoted in the README's "Safety" section.
SAFETY_WORKERS ?= 2
safety: setup
	$(BIN)/python -m pytest tests/safety --full-matrix -n $(SAFETY_WORKERS) -q -p no:cacheprovider

# BENCH_ARGS: e.g. --quick, --write-results, --only verify (see --help).
bench: setup
	@# Measure the robot as installed, with its bytecode compiled (as a wheel install leaves it).
	$(BIN)/python -m compileall -q src/emsys_rpa
	$(BIN)/python benchmarks/run_benchmarks.py $(BENCH_ARGS)

# The robot against N generated portals (mock portal variant random:SEED, seeds 1..N), or the
# exact SEEDS=1,2,3; JOBS=2 runs two at a time. Table: runs/fuzz/fuzz-<timestamp>.md.
N ?= 200
fuzz: setup
	$(BIN)/python scripts/fuzz.py -n $(N) $(if $(SEEDS),--seeds $(SEEDS)) $(if $(JOBS),--jobs $(JOBS))

screenshots: setup
	$(BIN)/python scripts/take_screenshots.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache runs

# The message catalogue: extract the sentences (code and report template), merge them into each
# language's .po (a translator edits that), compile the .mo shipped beside it.
po: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _ -k ngettext:1,2 --sort-output \
	  --no-location --project emsys-rpa -o src/emsys_rpa/locale/emsys_rpa.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i src/emsys_rpa/locale/emsys_rpa.pot \
	  -d src/emsys_rpa/locale -D emsys_rpa -l ro
	$(BIN)/pybabel compile -d src/emsys_rpa/locale -D emsys_rpa
