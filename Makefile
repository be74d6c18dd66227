# Everything a fresh machine needs, from Python 3.11+ and make alone. `make help` lists targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.kil-installed
JOBS   ?= 2

.DEFAULT_GOAL := help
.PHONY: help install reports test lint format lab demo strip refresh-notebooks benchmark constraints clean

help: ## List the targets with what each does
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-zA-Z_-]*:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

install: $(STAMP) ## Create .venv and install the project with the versions in constraints.txt

$(STAMP): pyproject.toml constraints.txt package.json package-lock.json
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name kil --display-name "Python (kil)"
	# An editable install is not byte-compiled, and where PYTHONDONTWRITEBYTECODE is set Python
	# never writes bytecode itself: compile once, or every kil process and notebook kernel
	# compiles kil_analysis again (~0.3 s each). Python ignores a .pyc whose source changed.
	$(BIN)/python -m compileall -q kil_analysis
	# axe-core for the reports' accessibility test (skipped with a reason without npm)
	if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; \
	else echo "note: npm not found; the accessibility test will be skipped"; fi
	touch $(STAMP)

demo: $(STAMP) ## (Re)generate the synthetic demo data in data/demo
	$(BIN)/kil demo

reports: demo ## Build every council's case study on the demo data -> reports/index.html
	$(BIN)/kil report --all --demo --jobs $(JOBS)

test: $(STAMP) ## Run the whole test suite (unit, property, back-tests, notebooks, end-to-end)
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile

lint: $(STAMP) ## ruff (lint + format check) and mypy (type hints) on the package
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP) ## Format the code with ruff and apply its safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lab: demo ## Open JupyterLab on notebooks/ with the kil kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks

strip: $(STAMP) ## Strip every notebook output (nbval's expected outputs live in tests/notebooks/expected_outputs)
	$(BIN)/nbstripout --keep-id notebooks/*.ipynb

benchmark: $(STAMP) ## Print per-stage timings of `make reports`
	$(BIN)/python benchmarks/reports.py

constraints: $(STAMP) ## Re-pin constraints.txt to the versions installed in .venv
	{ echo "# pip constraints: the versions the tests ran with (make constraints rewrites this)."; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^kil-analysis'; } > constraints.txt

clean: ## Remove generated reports, demo data and the Parquet cache
	rm -rf reports/*/ reports/index.html reports/comparison.* data/demo data/processed

refresh-notebooks: $(STAMP) ## Re-run the notebooks on the demo data; store the outputs nbval checks
	$(BIN)/python tests/notebooks/refresh_checked_outputs.py
