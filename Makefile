# Everything a fresh machine needs, from Python 3.11+ and make alone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.kil-installed
JOBS   ?= 2

.PHONY: install reports test lab demo lint format clean benchmark strip refresh-notebooks

install: $(STAMP)

$(STAMP): pyproject.toml package.json package-lock.json
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name kil --display-name "Python (kil)"
	# axe-core for the reports' accessibility test (skipped with a reason without npm)
	if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; \
	else echo "note: npm not found; the accessibility test will be skipped"; fi
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/kil demo

reports: demo
	$(BIN)/kil report --all --demo --jobs $(JOBS)

test: $(STAMP)
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

benchmark: $(STAMP)
	$(BIN)/python benchmarks/reports.py

clean:
	rm -rf reports/*/ reports/index.html data/demo data/processed

# Outputs and counts stripped, except the cells nbval compares (see refresh_checked_outputs.py).
strip: $(STAMP)
	$(BIN)/nbstripout --keep-id --keep-count notebooks/*.ipynb
	$(BIN)/python tests/notebooks/refresh_checked_outputs.py --strip notebooks/*.ipynb

# Re-run the notebooks on the demo data and store the outputs of the cells nbval checks
# (# NBVAL_CHECK_OUTPUT, kept by nbstripout through their keep_output metadata).
refresh-notebooks: $(STAMP)
	$(BIN)/python tests/notebooks/refresh_checked_outputs.py
