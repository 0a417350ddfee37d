# parindex: `make help` lists the targets. Every target sets the project up first when needed.
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.setup-done
ARGS ?=
# JupyterLab refuses to run as root unless told to (containers, CI machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: help setup build profiles validate test quick lab benchmark clean example

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-9s %s\n", $$1, $$2}'
	@echo "  Pass options to the parindex command with ARGS, e.g. make build ARGS=\"--help\""

setup: $(STAMP) ## Create .venv, install the pinned requirements, the kernel "parindex", Chromium and poppler

$(STAMP): requirements.txt pyproject.toml scripts/setup.sh
	bash scripts/setup.sh
	touch $@

build: setup ## Build every year's report (notebook, HTML, PDF) into output/
	$(BIN)/parindex build $(ARGS)

profiles: setup ## Build province profiles (every year, or YEAR=2020)
	$(BIN)/parindex build --profiles $(if $(YEAR),--year $(YEAR)) $(ARGS)

validate: setup ## Check every year's params and data without building
	$(BIN)/parindex validate $(ARGS)

example: setup ## Build the worked example, the fictional province of Sơn Hà, into output/son_ha/
	$(BIN)/parindex build --params-dir examples/son_ha/params --output-dir output/son_ha $(ARGS)
	$(BIN)/parindex build --profiles --year 2025 --params-dir examples/son_ha/params --output-dir output/son_ha

test: setup ## Run the tests, in parallel (a file per worker: its built outputs are shared by its tests)
	$(BIN)/python -m pytest -q -n auto --dist loadfile --no-loadscope-reorder $(ARGS)

quick: setup ## Run the tests but those that run real builds (about a minute), while changing the code
	$(BIN)/python -m pytest -q -n auto --dist loadfile --no-loadscope-reorder -m "not build" $(ARGS)

lab: setup ## Open the notebooks in JupyterLab with the project's kernel
	$(BIN)/jupyter lab --notebook-dir=. --MappingKernelManager.default_kernel_name=parindex $(ROOT_FLAG) $(ARGS)

benchmark: setup ## Time and measure builds (yearly, trends, profiles, no-op, one change) against a bare loop
	$(BIN)/python scripts/benchmark.py $(ARGS)

clean: ## Remove output/ (every generated report)
	rm -rf output
