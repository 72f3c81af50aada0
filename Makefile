# The two commands: `make build` and `make test`. Each does all the setup it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test setup serve check bench clean lock

build: setup
	$(BIN)/pamphlet build

# The suite runs on every core (pytest-xdist), a test file per worker: files share their fixture builds.
PYTEST_ARGS ?= -n auto --dist loadfile

test: setup
	@scripts/system-deps.sh $(BIN)/python --browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

serve: setup
	$(BIN)/pamphlet serve

check: setup
	$(BIN)/pamphlet check

bench: setup
	$(BIN)/python bench/run.py

setup: $(STAMP)
	@scripts/system-deps.sh $(BIN)/python

# The virtual environment, with pamphlet installed (editable) at the versions in constraints.txt.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $@

clean:
	rm -rf site site-members .pamphlet-build-* .pamphlet-cache $(VENV) *.egg-info scripts/*.egg-info

# Re-pin every package to the newest version pyproject.toml allows.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	{ head -n 2 constraints.txt; .venv-lock/bin/python -m pip freeze --exclude-editable | grep -v '^pamphlet'; } > constraints.new
	mv constraints.new constraints.txt && rm -rf .venv-lock
